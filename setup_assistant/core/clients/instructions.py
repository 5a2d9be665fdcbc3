"""A short HTML page beside each client's files: what the file is, the few clicks to use it, and the
guide's settings table filled in for this person, for anyone who prefers to type the values.

Built with ElementTree, so a name like `<b>O'Brien & "Co"</b>` is text on the page, never markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY, SETUP_KEY
from setup_assistant.core.html_page import Piece, fill
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.profile_files import check_profile_text, write_atomic

INSTRUCTIONS_FILE = "instructions.html"

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; line-height: 1.5; color: #1d1d1f; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { text-align: left; padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; vertical-align: top; }
th { font-weight: 600; }
code { background: #f2f2f2; padding: 0.1em 0.3em; border-radius: 3px; }
.note { border-left: 4px solid #c77c00; background: #fff7e6; padding: 0.6em 1em; }
.warning { border-left: 4px solid #b00020; background: #fdecee; padding: 0.6em 1em; }
"""


class _Page:
    def __init__(self, title: str) -> None:
        self.html = ET.Element("html", {"lang": "en"})
        head = ET.SubElement(self.html, "head")
        ET.SubElement(head, "meta", {"charset": "utf-8"})
        ET.SubElement(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
        ET.SubElement(head, "title").text = title
        ET.SubElement(head, "style").text = _STYLE
        self.body = ET.SubElement(self.html, "body")
        ET.SubElement(self.body, "h1").text = title

    def heading(self, text: str) -> None:
        ET.SubElement(self.body, "h2").text = text

    def paragraph(self, *pieces: Piece, css: str | None = None) -> None:
        fill(ET.SubElement(self.body, "p", {"class": css} if css else {}), pieces)

    def steps(self, *steps: Sequence[Piece]) -> None:
        ol = ET.SubElement(self.body, "ol")
        for step in steps:
            fill(ET.SubElement(ol, "li"), step)

    def table(self, rows: Sequence[tuple[str, str]]) -> None:
        table = ET.SubElement(self.body, "table")
        for label, value in rows:
            tr = ET.SubElement(table, "tr")
            ET.SubElement(tr, "th", {"scope": "row"}).text = label
            ET.SubElement(tr, "td").text = value

    def render(self) -> bytes:
        return b"<!DOCTYPE html>\n" + ET.tostring(self.html, encoding="unicode", method="html").encode("utf-8")


# --- The settings table --------------------------------------------------------------------------------


def _security_words(client: str, endpoint: Endpoint) -> str:
    ssl = endpoint.security is Security.SSL
    if client == "outlook":
        return "SSL/TLS" if ssl else "STARTTLS"
    if client == "apple-mail":
        return "Use TLS/SSL: on" + ("" if ssl else " (STARTTLS on this port)")
    return "SSL/TLS" if ssl else "STARTTLS"


_AUTH_WORDS = {
    "thunderbird": "Normal password",
    "outlook": "Password; leave “Require logon using Secure Password Authentication (SPA)” off",
    "apple-mail": "Password",
}


def settings_rows(settings: AccountSettings, client: str) -> list[tuple[str, str]]:
    """The guide's account-settings table with this person's values, in the client's own words."""
    ssl_first = client != "thunderbird"  # Thunderbird follows the provider (STARTTLS); the others take SSL
    incoming, outgoing = settings.incoming(ssl_first), settings.outgoing(ssl_first)
    address = settings.address.address
    rows = [("Email address", address)]
    if settings.display_name:
        rows.append(("Your name", settings.display_name))
    rows += [
        ("Account type", settings.protocol.label),
        ("Incoming mail server", incoming.host),
        ("Incoming port", str(incoming.port)),
        ("Incoming connection security", _security_words(client, incoming)),
        ("Username", f"{address} (your full email address)"),
        ("Password", "your email password"),
        ("Authentication", _AUTH_WORDS[client]),
        ("Outgoing mail server (SMTP)", outgoing.host),
        ("Outgoing port", str(outgoing.port)),
        ("Outgoing connection security", _security_words(client, outgoing)),
        ("Outgoing username and password", "the same as incoming (authentication required)"),
    ]
    if settings.protocol is MailProtocol.POP3:
        rows.append(("Leave messages on the server", "yes"))
        days = settings.pop_delete_after_days
        rows.append(("Remove from the server", f"after {days} days" if days else "never (leave this option unticked)"))
    return rows


def _tested_note(settings: AccountSettings) -> list[Piece]:
    if not settings.probed:
        return ["These are the provider's published settings; they were not tested from this computer."]
    worked = [e for p in MailProtocol for e in settings.ordered(p, ssl_first=True)]
    return ["Tested from the computer that made this page and working: " + ", ".join(_short(e) for e in worked) + "."]


def _short(endpoint: Endpoint) -> str:
    return f"{endpoint.protocol.label} {endpoint.port} ({endpoint.security.label})"


def _pop_note(settings: AccountSettings, page: _Page, where: str) -> None:
    if settings.protocol is not MailProtocol.POP3:
        return
    days = settings.pop_delete_after_days
    page.paragraph(
        ("strong", "POP: your mail stays on the server" + (f" for {days} days, as you chose. " if days else ". ")),
        (
            "Messages are downloaded and removed from the server only after that, so webmail and your other "
            "devices see them until then"
            if days
            else "Messages are downloaded but never removed from the server, so webmail and your other devices "
            "still see them"
        )
        + f" (the provider's guide explains why POP and webmail clash otherwise). {where}",
        css="note",
    )


def _webmail(settings: AccountSettings, page: _Page) -> None:
    url = settings.provider.webmail_url(settings.address.domain)
    page.paragraph(
        f"Webmail: {url} (log in with your short username, ",
        ("code", settings.address.short_username),
        ").",
    )


def _password_warning(settings: AccountSettings, page: _Page, file_name: str) -> None:
    if settings.password is not None:
        page.paragraph(
            ("strong", "This set of files contains your password "),
            f"(in {file_name}), because you asked for it. Keep it private and delete it once the account works.",
            css="warning",
        )


# --- The sheets ----------------------------------------------------------------------------------------


def thunderbird_sheet(settings: AccountSettings, autoconfig_name: str = "config-v1.1.xml") -> bytes:
    check_profile_text(settings)
    address, provider = settings.address.address, settings.provider
    page = _Page(f"Thunderbird: {address}")
    page.paragraph(
        ("code", autoconfig_name),
        f" describes the {provider.name} account {address} for Thunderbird: the servers and ports, your full "
        "address as the username, and a normal password sent only over an encrypted connection. "
        "It holds no password.",
    )
    page.heading("Set it up")
    page.steps(
        [
            "Easiest: close Thunderbird and let the NPOMail Setup Assistant add the account on this computer "
            "(in the wizard, or ",
            ("code", f"setup-assistant profiles {address} --out FOLDER --client thunderbird --install"),
            "). It keeps your other accounts as they are and backs up Thunderbird's settings first.",
        ],
        [
            "Or by hand: in Thunderbird open ",
            ("strong", "Account Settings › Account Actions › Add Mail Account"),
            f", type your name, {address} and your password, click ",
            ("strong", "Configure manually"),
            " and enter the values below, then click ",
            ("strong", "Done"),
            ".",
        ],
        [
            "For volunteers: to have Thunderbird fill all this in by itself, copy ",
            ("code", autoconfig_name),
            " into the ",
            ("code", "isp"),
            " folder inside Thunderbird's program folder, renamed to ",
            ("code", f"{settings.address.domain}.xml"),
            " (this needs administrator rights).",
        ],
    )
    _pop_note(
        settings, page, "The assistant sets this; by hand, tick “Leave messages on server” under Server Settings."
    )
    page.heading("Settings to type")
    page.table(settings_rows(settings, "thunderbird"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


def outlook_sheet(
    settings: AccountSettings,
    *,
    xml_folder: str,
    has_prf: bool,
    autodiscover_name: str = "autodiscover.xml",
    setup_name: str = "outlook-setup.cmd",
    undo_name: str = "outlook-undo.reg",
    prf_name: str = "outlook.prf",
) -> bytes:
    check_profile_text(settings)
    address = settings.address.address
    page = _Page(f"Outlook: {address}")
    page.paragraph(
        ("strong", "Only for classic Outlook for Windows"),
        " (Outlook 2016, 2019, 2021, 2024 and Microsoft 365). ",
        ("strong", "The new Outlook for Windows and Outlook for Mac cannot be set up by these files"),
        ": add the account there by hand (choose IMAP or POP, not Exchange) and type the values from the table "
        "below. The new Outlook copies IMAP mail through Microsoft's cloud.",
        css="note",
    )
    page.paragraph(
        ("code", autodiscover_name),
        " holds the settings (no password); ",
        ("code", setup_name),
        " copies it into your own folder and tells Outlook to read it; ",
        ("code", undo_name),
        " removes that entry again",
        *(["; ", ("code", prf_name), " is a second route."] if has_prf else ["."]),
    )
    page.heading("Route 1: the setup script")
    page.steps(
        [
            "Keep ",
            ("code", autodiscover_name),
            " and ",
            ("code", setup_name),
            " in one folder and double-click ",
            ("code", setup_name),
            " (signed in as yourself). It copies ",
            ("code", autodiscover_name),
            " to ",
            ("code", f"{xml_folder}\\{autodiscover_name}"),
            " (%LOCALAPPDATA% is your own AppData\\Local folder, which other people using this computer cannot "
            "change) and tells Outlook to read it there for your domain, with its classic Add Account dialog; "
            "only your own Outlook settings change and no administrator is needed.",
        ],
        [
            "Start Outlook, choose ",
            ("strong", "File › Add Account"),
            f", type {address}, click ",
            ("strong", "Connect"),
            " and then type your password.",
        ],
    )
    page.paragraph(
        "To undo, double-click ",
        ("code", undo_name),
        f": it removes only the entry for {settings.address.domain}. ",
        ("code", setup_name),
        " also turned on three switches that every such account shares: ",
        ("code", "PreferLocalXML"),
        " and ",
        ("code", "ExcludeExplicitO365Endpoint"),
        " under ",
        ("code", f"HKEY_CURRENT_USER\\{AUTODISCOVER_KEY}"),
        ", and ",
        ("code", "DisableOffice365SimplifiedAccountCreation"),
        " under ",
        ("code", f"HKEY_CURRENT_USER\\{SETUP_KEY}"),
        ". If your IT had not set them before and no other account uses this method, delete them with "
        "Registry Editor, or run in a Command Prompt: ",
        ("code", f'reg delete "HKCU\\{AUTODISCOVER_KEY}" /v PreferLocalXML /f'),
        ", ",
        ("code", f'reg delete "HKCU\\{AUTODISCOVER_KEY}" /v ExcludeExplicitO365Endpoint /f'),
        " and ",
        ("code", f'reg delete "HKCU\\{SETUP_KEY}" /v DisableOffice365SimplifiedAccountCreation /f'),
        ".",
    )
    page.heading("Route 2: the profile file")
    if has_prf:
        page.steps(
            ["Close Outlook."],
            [
                "Press Windows+R and run ",
                ("code", f'outlook.exe /importprf "<folder of these files>\\{prf_name}"'),
                ".",
            ],
            [
                "Outlook starts with the account added to your profile (your other accounts stay) and asks for "
                "your password. Import it only once: a second import adds the account again."
            ],
        )
    else:
        page.paragraph(
            "There is no profile file this time: the SSL port for incoming mail did not work from here, and a "
            "profile file can only set up SSL. Use route 1 or type the settings."
        )
    page.heading("Route 3: type the settings")
    page.steps(
        [
            ("strong", "File › Add Account"),
            ", type your address, open ",
            ("strong", "Advanced options"),
            ", tick ",
            ("strong", "Let me set up my account manually"),
            f", choose {settings.protocol.label} and enter the values below.",
        ],
        [
            "Leave ",
            ("strong", "Require logon using Secure Password Authentication (SPA)"),
            " unticked, incoming and outgoing.",
        ],
    )
    days = settings.pop_delete_after_days
    pop_where = (
        "Outlook's own default removes POP mail after 14 days: under More Settings › Advanced tick “Leave a copy "
        "of messages on the server” and "
        + (f"set “Remove from server after {days} days”." if days else "untick “Remove from server after 14 days”.")
    )
    _pop_note(settings, page, pop_where)
    page.table(settings_rows(settings, "outlook"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


def apple_mail_sheet(settings: AccountSettings, *, profile_name: str, signed: bool) -> bytes:
    check_profile_text(settings)
    address, provider = settings.address.address, settings.provider
    page = _Page(f"Apple Mail: {address}")
    what: list[Piece] = [
        ("code", profile_name),
        f" is a configuration profile: it adds {address} to Apple Mail with the right servers and ports",
    ]
    root = provider.root
    if root is not None:
        what += [
            f" and installs the root certificate {root.subject} (SHA-256 fingerprint ",
            ("code", root.fingerprint),
            ") that the mail server's certificate chains to",
        ]
    what.append(". ")
    what.append("It is signed." if signed else "It is not signed, so macOS calls it unverified; that is expected.")
    page.paragraph(*what)
    _password_warning(settings, page, profile_name)
    page.heading("Set it up")
    page.steps(
        ["Double-click ", ("code", profile_name), ". macOS says the profile was downloaded."],
        [
            "Open ",
            ("strong", "System Settings › Privacy & Security › Profiles"),
            " (on macOS 15: ",
            ("strong", "General › Device Management"),
            "), double-click the profile and click ",
            ("strong", "Install"),
            ". Enter your Mac password, then your email password when asked.",
        ],
        ["Open Mail: the account is there. Installing the profile again replaces it; nothing is duplicated."],
    )
    page.paragraph("To remove the account, remove the profile in the same place.")
    page.paragraph(
        ("strong", "Outlook for Mac"),
        " does not read this profile; type the values below there instead.",
        css="note",
    )
    _pop_note(
        settings,
        page,
        "Check it in Mail › Settings › Accounts › Advanced: "
        + (
            f"set “Remove copy from server after retrieving a message” to the period closest to {days} days."
            if (days := settings.pop_delete_after_days)
            else "untick “Remove copy from server after retrieving a message”."
        ),
    )
    page.heading("Settings to type")
    page.table(settings_rows(settings, "apple-mail"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


def write_sheet(out_dir: Path, html: bytes) -> Path:
    return write_atomic(out_dir / INSTRUCTIONS_FILE, html)
