"""A short HTML page beside each client's files: what the file is, the few clicks to use it, and the
guide's settings table filled in for this person, for anyone who prefers to type the values.

Built with ElementTree, so a name like `<b>O'Brien & "Co"</b>` is text on the page, never markup. The page is
in the current language (core/i18n.py); the mail programs' own labels are quoted as that language's version of
the program shows them (README, "Translations").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.outlook import routes
from setup_assistant.core.clients.outlook.detect import OutlookFound, OutlookKind
from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY, SETUP_KEY
from setup_assistant.core.clients.thunderbird.writer import POP_KEEP_DAYS_WHEN_NOT_CHOSEN
from setup_assistant.core.html_page import Piece, fill, rich
from setup_assistant.core.i18n import N_, _, current_language, human
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
.tell { border-left: 4px solid #555; background: #f4f4f4; padding: 0.6em 1em; }
table.big th { font-weight: 500; color: #555; padding-right: 1.2em; }
table.big td code { font-size: 1.45em; background: #eef4ff; padding: 0.15em 0.4em; user-select: all;
                    -webkit-user-select: all; cursor: text; }
"""


class _Page:
    def __init__(self, title: str) -> None:
        self.html = ET.Element("html", {"lang": current_language()})
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
        return _("Use TLS/SSL: on") if ssl else _("Use TLS/SSL: on (STARTTLS on this port)")
    return "SSL/TLS" if ssl else "STARTTLS"


_AUTH_WORDS = {
    "thunderbird": N_("Normal password"),
    "outlook": N_("Password; leave “Require logon using Secure Password Authentication (SPA)” off"),
    "apple-mail": N_("Password"),
}


def settings_rows(settings: AccountSettings, client: str) -> list[tuple[str, str]]:
    """The guide's account-settings table with this person's values, in the client's own words."""
    return [(label, value) for _key, label, value in keyed_settings_rows(settings, client)]


def keyed_settings_rows(settings: AccountSettings, client: str) -> list[tuple[str, str, str]]:
    """settings_rows with each row's fixed English key first (the label is translated; the key never is)."""
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
        ("Username", _("{address} (your full email address)").format(address=address)),
        ("Password", _("your email password")),
        ("Authentication", _(_AUTH_WORDS[client])),
        ("Outgoing mail server (SMTP)", outgoing.host),
        ("Outgoing port", str(outgoing.port)),
        ("Outgoing connection security", _security_words(client, outgoing)),
        ("Outgoing username and password", _("the same as incoming (authentication required)")),
    ]
    if settings.protocol is MailProtocol.POP3:
        rows.append(("Leave messages on the server", _("yes")))
        days = settings.pop_delete_after_days
        never = {  # each program's own boxes, which a new account has ticked
            "thunderbird": N_("never (untick “For at most 14 days” and “Until I delete them”)"),
            "outlook": N_("never (untick “Remove from server after 14 days”)"),
            "apple-mail": N_("never (untick “Remove copy from server after retrieving a message”)"),
        }[client]
        rows.append(("Remove from the server", _("after {days} days").format(days=days) if days else _(never)))
    return [(key, _(ROW_LABELS[key]), value) for key, value in rows]


ROW_LABELS = {  # the keys above, marked for translation (the key is the English label)
    key: key
    for key in (
        N_("Email address"),
        N_("Your name"),
        N_("Account type"),
        N_("Incoming mail server"),
        N_("Incoming port"),
        N_("Incoming connection security"),
        N_("Username"),
        N_("Password"),
        N_("Authentication"),
        N_("Outgoing mail server (SMTP)"),
        N_("Outgoing port"),
        N_("Outgoing connection security"),
        N_("Outgoing username and password"),
        N_("Leave messages on the server"),
        N_("Remove from the server"),
    )
}


def _tested_note(settings: AccountSettings) -> list[Piece]:
    if not settings.probed:
        return [_("These are the provider's published settings; they were not tested from this computer.")]
    worked = [e for p in MailProtocol for e in settings.ordered(p, ssl_first=True)]
    return [
        _("Tested from the computer that made this page and working: {ports}.").format(
            ports=", ".join(_short(e) for e in worked)
        )
    ]


def _short(endpoint: Endpoint) -> str:
    return f"{endpoint.protocol.label} {endpoint.port} ({endpoint.security.label})"


def _pop_note(settings: AccountSettings, page: _Page, where: str) -> None:
    if settings.protocol is not MailProtocol.POP3:
        return
    days = settings.pop_delete_after_days
    text = (
        _(
            "<strong>POP: your mail stays on the server for {days} days, as you chose. </strong>Messages are "
            "downloaded and removed from the server only after that, so webmail and your other devices see them "
            "until then (the provider's guide explains why POP and webmail clash otherwise). {where}"
        )
        if days
        else _(
            "<strong>POP: your mail stays on the server. </strong>Messages are downloaded but never removed from "
            "the server, so webmail and your other devices still see them (the provider's guide explains why POP "
            "and webmail clash otherwise). {where}"
        )
    )
    page.paragraph(*rich(text, days=days, where=where), css="note")


def _webmail(settings: AccountSettings, page: _Page) -> None:
    url = settings.provider.webmail_url(settings.address.domain)
    page.paragraph(
        *rich(
            _("Webmail: {url} (log in with your short username, <code>{short}</code>)."),
            url=url,
            short=settings.address.short_username,
        )
    )


def _password_warning(settings: AccountSettings, page: _Page, file_name: str) -> None:
    if settings.password is not None:
        page.paragraph(
            *rich(
                _(
                    "<strong>This set of files contains your password </strong>(in {file}), because you asked for "
                    "it. Keep it private and delete it once the account works."
                ),
                file=file_name,
            ),
            css="warning",
        )


# --- The sheets ----------------------------------------------------------------------------------------


def thunderbird_sheet(settings: AccountSettings, autoconfig_name: str = "config-v1.1.xml") -> bytes:
    check_profile_text(settings)
    address, provider = settings.address.address, settings.provider
    page = _Page(f"Thunderbird: {address}")
    page.paragraph(
        *rich(
            _(
                "<code>{file}</code> describes the {provider} account {address} for Thunderbird: the servers and "
                "ports, your full address as the username, and a normal password sent only over an encrypted "
                "connection. It holds no password."
            )
            if settings.password is None
            else "<code>{file}</code>",
            file=autoconfig_name,
            provider=provider.name,
            address=address,
        )
    )
    _password_warning(settings, page, autoconfig_name)
    pop = settings.protocol is MailProtocol.POP3
    page.heading(_("Set it up"))
    easiest = (
        _(
            "<strong>Easiest: </strong>close Thunderbird and let the NPOMail Setup Assistant add the account on this "
            "computer (in the wizard, or <code>{command}</code>). It keeps your other accounts as they are, backs up "
            "Thunderbird's settings first and already sets the POP boxes below the right way."
        )
        if pop
        else _(
            "<strong>Easiest: </strong>close Thunderbird and let the NPOMail Setup Assistant add the account on this "
            "computer (in the wizard, or <code>{command}</code>). It keeps your other accounts as they are, backs up "
            "Thunderbird's settings first."
        )
    )
    page.paragraph(
        *rich(easiest, command=f"setup-assistant profiles {address} --out FOLDER --client thunderbird --install")
    )
    page.paragraph(("strong", _("Or by hand:")))
    by_hand: list[Sequence[Piece]] = [
        rich(
            _(
                "In Thunderbird open <strong>Account Settings › Add Account › Mail Account…</strong>, type your name "
                "and {address}, click <strong>Continue</strong>."
            ),
            address=address,
        ),
        rich(
            _(
                "Click <strong>Configure Manually</strong>, enter the values from the table below, click "
                "<strong>Continue</strong> and type your password when asked."
            )
        ),
    ]
    if pop:
        by_hand.append(_thunderbird_pop_step(settings))
    page.steps(*by_hand)
    page.paragraph(("strong", _("For volunteers, the file:")))
    isp: list[Sequence[Piece]] = [
        rich(
            _(
                "To have Thunderbird fill all this in by itself for every address at {domain}, copy "
                "<code>{file}</code> into the <code>isp</code> folder inside Thunderbird's program folder, renamed "
                "to <code>{renamed}</code> (this needs administrator rights). It names no one: Thunderbird puts in "
                "the address each person types."
            ),
            domain=settings.address.domain,
            file=autoconfig_name,
            renamed=f"{settings.address.domain}.xml",
        ),
        [
            _(
                "Each person then adds the account as in step 1 above: Thunderbird shows the settings it found in "
                "the file; click Continue and type the password."
            )
        ],
    ]
    if settings.password is not None:
        isp.append(
            rich(
                _(
                    "<strong>This copy holds your password</strong>: Thunderbird would offer it to every address of "
                    "the domain, so use it only on a computer nobody else uses, or write the files again without the "
                    "password for the isp folder."
                )
            )
        )
    if pop:
        isp.append(
            [
                *rich(
                    _(
                        "<strong>POP: this route leaves “Until I delete them” ticked</strong> (the file has no "
                        "setting for it, so Thunderbird keeps its default and deletes the server copy whenever you "
                        "delete a message). "
                    )
                ),
                *_thunderbird_pop_step_for(settings.pop_delete_after_days, POP_KEEP_DAYS_WHEN_NOT_CHOSEN),
            ]
        )
    page.steps(*isp)
    _pop_note(settings, page, _("Every route above ends with the boxes set this way."))
    page.heading(_("Settings to type"))
    page.table(settings_rows(settings, "thunderbird"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


def _thunderbird_pop_step(settings: AccountSettings) -> list[Piece]:
    """Thunderbird's three POP boxes, in the order they appear in Server Settings (am-server.xhtml, TB 153).

    A new account starts with all three ticked (AccountConfig: leave on server, delete by age after 14 days,
    delete on the server when deleted here), so each needs naming: only the first stays ticked.
    """
    return _thunderbird_pop_step_for(settings.pop_delete_after_days)


def _thunderbird_pop_step_for(days: int | None, shown_days: int = 14) -> list[Piece]:
    """shown_days: what "For at most … days" says when nobody chose (14 by hand, the file's value from it)."""
    return rich(_thunderbird_pop_template(days, start=False), days=days, shown_days=shown_days)


def _thunderbird_pop_template(days: int | None, *, start: bool) -> str:
    if start:  # a sentence on its own
        if days:
            return _(
                "Open <strong>Account Settings › Server Settings</strong> for this account and set the boxes in this "
                "order: keep <strong>Leave messages on server</strong> ticked; keep <strong>For at most</strong> "
                "ticked and set it to {days} days; untick <strong>Until I delete them</strong>."
            )
        return _(
            "Open <strong>Account Settings › Server Settings</strong> for this account and set the boxes in this "
            "order: keep <strong>Leave messages on server</strong> ticked; untick <strong>For at most {shown_days} "
            "days</strong>; untick <strong>Until I delete them</strong>."
        )
    if days:
        return _(
            "Then open <strong>Account Settings › Server Settings</strong> for this account and set the boxes in "
            "this order: keep <strong>Leave messages on server</strong> ticked; keep <strong>For at most</strong> "
            "ticked and set it to {days} days; untick <strong>Until I delete them</strong>."
        )
    return _(
        "Then open <strong>Account Settings › Server Settings</strong> for this account and set the boxes in this "
        "order: keep <strong>Leave messages on server</strong> ticked; untick <strong>For at most {shown_days} "
        "days</strong>; untick <strong>Until I delete them</strong>."
    )


def thunderbird_pop_boxes_text(days: int | None) -> str:
    """The same three boxes as plain text, for the wizard's Done page."""
    pieces = rich(_thunderbird_pop_template(days, start=True), days=days, shown_days=14)
    return "".join(p if isinstance(p, str) else f"“{p[1]}”" for p in pieces)


def _typed_values(settings: AccountSettings, page: _Page, client: str) -> None:
    """The values to type, large and each selectable with one click: the clearest part of the page."""
    table = ET.SubElement(page.body, "table", {"class": "big"})
    for label, value in typed_values(settings, client):
        tr = ET.SubElement(table, "tr")
        ET.SubElement(tr, "th", {"scope": "row"}).text = label
        ET.SubElement(ET.SubElement(tr, "td"), "code").text = value


def typed_values(settings: AccountSettings, client: str) -> list[tuple[str, str]]:
    """Just the values a mail program's add-account form asks for (no explanations inside the values)."""
    incoming, outgoing = settings.incoming(ssl_first=True), settings.outgoing(ssl_first=True)
    return [
        (_("Email address"), settings.address.address),
        (_("Account type"), settings.protocol.label),
        (_("Incoming server"), incoming.host),
        (_("Incoming port"), str(incoming.port)),
        (_("Incoming encryption"), _security_words(client, incoming)),
        (_("Username"), settings.username),
        (_("Password"), _("your email password")),
        (_("Outgoing (SMTP) server"), outgoing.host),
        (_("Outgoing port"), str(outgoing.port)),
        (_("Outgoing encryption"), _security_words(client, outgoing)),
        (_("Outgoing server needs a login"), _("yes, the same username and password")),
        (_("Secure Password Authentication (SPA)"), _("off")),
    ]


def outlook_sheet(
    settings: AccountSettings,
    *,
    xml_folder: str,
    has_prf: bool,
    found: OutlookFound | None = None,
    applied_here: bool = False,
    autodiscover_name: str = "autodiscover.xml",
    setup_name: str = "outlook-setup.cmd",
    undo_name: str = "outlook-undo.reg",
    prf_name: str = "outlook.prf",
) -> bytes:
    """Which route for which Outlook, surest first (the Outlook found on this computer first of all), each with
    the dialog the person will see, the tell-tale that it did not take, and the next route."""
    check_profile_text(settings)
    address = settings.address.address
    protocol = settings.protocol
    page = _Page(f"Outlook: {address}")
    names = _OutlookNames(autodiscover_name, setup_name, undo_name, prf_name, xml_folder)
    kinds = list(routes.KIND_LABELS)
    if found is not None:
        kinds.remove(found.kind)
        kinds.insert(0, found.kind)
        page.paragraph(
            *rich(
                _("<strong>This computer has {outlook}. </strong>Start with the first route listed for it below."),
                outlook=human(found.describe()),
            ),
            css="note",
        )
    page.paragraph(
        *rich(
            _(
                "<strong>The new Outlook for Windows and Outlook for Mac cannot be set up by these files</strong>: "
                "for them, typing the settings is the way, and the values are on this page in large print. The files "
                "are for classic Outlook on Windows."
            )
        )
    )
    page.heading(_("Which Outlook do you have?"))
    page.paragraph(
        _(
            "Classic Outlook has a File menu with Account Settings; File › Office Account › About Outlook shows "
            "“Microsoft 365” or the year (2016, 2019, 2021, 2024). The new Outlook for Windows has no File menu "
            "(its settings are behind the gear icon) and a “New Outlook” switch at the top."
        )
    )
    table = ET.SubElement(page.body, "table")
    header = ET.SubElement(table, "tr")
    for text in (_("Your Outlook"), _("Routes, surest first")):
        ET.SubElement(header, "th").text = text
    for kind in kinds:
        order = routes.route_order(kind, protocol, has_prf=has_prf)
        tr = ET.SubElement(table, "tr")
        label = _(routes.KIND_LABELS[kind])
        ET.SubElement(tr, "th", {"scope": "row"}).text = (
            _("{outlook}, this computer").format(outlook=label) if found is not None and kind is found.kind else label
        )
        ET.SubElement(tr, "td").text = _(" → then ").join(_route_name(r) for r in order)

    first_kind = found.kind if found is not None else OutlookKind.CLASSIC
    if first_kind in (OutlookKind.NEW, OutlookKind.MAC):
        _typed_page(settings, page)
    order = routes.route_order(
        first_kind if first_kind in (OutlookKind.CLASSIC, OutlookKind.CLASSIC_2024) else OutlookKind.CLASSIC,
        protocol,
        has_prf=has_prf,
    )
    for route in order:
        later = order[order.index(route) + 1 :]
        nxt = _route_name(later[0]) if later else None
        if route is routes.Route.PRF:
            _prf_route(settings, page, names, nxt)
        elif route is routes.Route.XML:
            _xml_route(settings, page, names, nxt, applied_here)
        else:
            _classic_typed_route(settings, page, simplified_first=first_kind is OutlookKind.CLASSIC_2024)
    if not has_prf:
        page.paragraph(
            _(
                "There is no profile file this time: the SSL port for incoming mail did not work from here, and a "
                "profile file can only set up SSL."
            )
        )
    if first_kind not in (OutlookKind.NEW, OutlookKind.MAC):
        _typed_page(settings, page)
    _pop_note(
        settings,
        page,
        _(
            "Outlook's own default removes POP mail from the server after 14 days; the profile file switches that "
            "off, every other route has a step for it."
        ),
    )
    page.heading(_("All the settings"))
    page.table(settings_rows(settings, "outlook"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


@dataclass(frozen=True)
class _OutlookNames:
    autodiscover: str
    setup: str
    undo: str
    prf: str
    xml_folder: str


def _route_name(route: routes.Route) -> str:
    return _(routes.ROUTE_TITLES[route])


def _tell_tale(page: _Page, what: str, nxt: str | None) -> None:
    then = " " + _("Then use the next route: {route}.").format(route=nxt) if nxt else ""
    page.paragraph(("strong", _("If it does not take: ")), what + then, css="tell")


def _prf_route(settings: AccountSettings, page: _Page, names: _OutlookNames, nxt: str | None) -> None:
    page.heading(_("Route: the profile file (outlook.prf)"))
    page.paragraph(
        _(
            "For classic Outlook 2016, 2019, 2021, 2024 and Microsoft 365. It adds the account in one step, with no "
            "searching, and keeps POP mail on the server by itself."
        )
        if settings.protocol is MailProtocol.POP3
        else _(
            "For classic Outlook 2016, 2019, 2021, 2024 and Microsoft 365. It adds the account in one step, with no "
            "searching."
        )
    )
    page.steps(
        [_("Close Outlook.")],
        rich(
            _("Press Windows+R, type <code>{command}</code> and click OK."),
            command='outlook.exe /importprf "{folder}\\{prf}"'.format(
                folder=_("<folder of these files>"), prf=names.prf
            ),
        ),
        [
            _(
                "Outlook starts with the account added to your profile (your other accounts stay) and asks for your "
                "password. Import it only once: a second import adds the account again."
            )
        ],
    )
    _tell_tale(
        page,
        _(
            "Outlook starts without asking for your password and {address} is not in the folder list on the left "
            "(nor under File › Account Settings › Account Settings…)."
        ).format(address=settings.address.address),
        nxt,
    )


def _xml_route(
    settings: AccountSettings, page: _Page, names: _OutlookNames, nxt: str | None, applied_here: bool
) -> None:
    page.heading(_("Route: the setup script and autodiscover.xml"))
    page.paragraph(
        *rich(
            _(
                "For classic Outlook 2016, 2019, 2021 and Microsoft 365. <strong>Not for Outlook 2024</strong>: there "
                "the switch to the classic dialog is reported to have no effect, so the file is not read."
            )
        )
    )
    prepare: list[Sequence[Piece]] = [
        rich(
            _(
                "Keep <code>{xml}</code> and <code>{script}</code> in one folder and double-click "
                "<code>{script}</code> (signed in as yourself). It copies <code>{xml}</code> to <code>{target}</code> "
                "(%LOCALAPPDATA% is your own AppData\\Local folder, which other people using this computer cannot "
                "change) and tells Outlook to read it there for your domain. Only your own Outlook settings change and "
                "no administrator is needed. It also switches Outlook's Add Account to the classic dialog, the one "
                "that reads the file."
            ),
            xml=names.autodiscover,
            script=names.setup,
            target=f"{names.xml_folder}\\{names.autodiscover}",
        ),
    ]
    if applied_here:  # the assistant did both on this computer
        prepare = [
            rich(
                _(
                    "Already done on this computer by the assistant: <code>{xml}</code> is in <code>{folder}</code> "
                    "and Outlook's registry points at it (and switches Add Account to the classic dialog)."
                ),
                xml=names.autodiscover,
                folder=names.xml_folder,
            )
        ]
    steps: list[Sequence[Piece]] = [
        *prepare,
        rich(
            _(
                "Start Outlook (restart it if it was open) and choose <strong>File › Add Account</strong>. You see "
                "the classic <strong>Add Account</strong> dialog with the boxes <strong>Your Name</strong>, "
                "<strong>Email Address</strong>, <strong>Password</strong> and <strong>Retype Password</strong>: type "
                "your name, {address} and your password twice, click <strong>Next</strong>, then "
                "<strong>Finish</strong> when Outlook has connected."
            ),
            address=settings.address.address,
        ),
    ]
    if settings.protocol is MailProtocol.POP3:
        keep = routes.pop_keep_steps(settings.pop_delete_after_days)
        steps += [
            [("strong", _("Required for POP, or the server deletes your mail: ")), keep[0].human()],
            [keep[1].human()],
        ]
    page.steps(*steps)
    page.paragraph(
        *rich(
            _(
                "To undo, double-click <code>{undo}</code>: it removes only the entry for {domain}. "
                "<code>{script}</code> also turned on three switches that every such account shares: "
                "<code>PreferLocalXML</code> and <code>ExcludeExplicitO365Endpoint</code> under <code>{key1}</code>, "
                "and <code>DisableOffice365SimplifiedAccountCreation</code> under <code>{key2}</code>. If your IT had "
                "not set them before and no other account uses this method, delete them with Registry Editor, or run "
                "in a Command Prompt: <code>{cmd1}</code>, <code>{cmd2}</code> and <code>{cmd3}</code>."
            ),
            undo=names.undo,
            domain=settings.address.domain,
            script=names.setup,
            key1=f"HKEY_CURRENT_USER\\{AUTODISCOVER_KEY}",
            key2=f"HKEY_CURRENT_USER\\{SETUP_KEY}",
            cmd1=f'reg delete "HKCU\\{AUTODISCOVER_KEY}" /v PreferLocalXML /f',
            cmd2=f'reg delete "HKCU\\{AUTODISCOVER_KEY}" /v ExcludeExplicitO365Endpoint /f',
            cmd3=f'reg delete "HKCU\\{SETUP_KEY}" /v DisableOffice365SimplifiedAccountCreation /f',
        )
    )
    _tell_tale(
        page,
        _(
            "File › Add Account shows a single box for your email address with a Connect button (and “Advanced "
            "options” under it) instead of the Add Account dialog: Outlook ignored the switch and will not read the "
            "file. Or, after Next, Outlook says it cannot find the settings or asks you to choose an account type."
        ),
        nxt,
    )


def _classic_typed_route(settings: AccountSettings, page: _Page, *, simplified_first: bool) -> None:
    """Both dialogs, the one this Outlook shows first (Outlook 2024 keeps the simplified one)."""
    label = settings.protocol.label
    page.heading(_("Route: type the settings (classic Outlook)"))
    page.paragraph(
        *rich(
            _(
                "For every classic Outlook. Always works; it is only more typing. Which dialog you get depends on "
                "whether <code>outlook-setup.cmd</code> was used:"
            )
        )
    )
    classic_intro = rich(_("<strong>With the classic Add Account dialog</strong> (after outlook-setup.cmd):"))
    advanced = (
        _(
            "<strong>More Settings…</strong>: on <strong>Outgoing Server</strong> tick <strong>My outgoing server "
            "(SMTP) requires authentication</strong> (same settings as incoming); on <strong>Advanced</strong> enter "
            "the ports and the encryption from the table, keep “Leave a copy of messages on the server” ticked and "
            "{remove}. OK, Next, Finish."
        )
        if settings.protocol is MailProtocol.POP3
        else _(
            "<strong>More Settings…</strong>: on <strong>Outgoing Server</strong> tick <strong>My outgoing server "
            "(SMTP) requires authentication</strong> (same settings as incoming); on <strong>Advanced</strong> enter "
            "the ports and the encryption from the table. OK, Next, Finish."
        )
    )
    steps: list[Sequence[Piece]] = [
        rich(
            _(
                "<strong>File › Add Account</strong>, choose <strong>Manual setup or additional server types</strong>, "
                "Next, choose <strong>POP or IMAP</strong>, Next."
            )
        ),
        rich(
            _(
                "In <strong>POP and IMAP Account Settings</strong> fill in your name, your address, Account Type "
                "{type}, the servers and the user name from the table, and leave <strong>Require logon using Secure "
                "Password Authentication (SPA)</strong> unticked."
            ),
            type=label,
        ),
        rich(advanced, remove=routes.remove_after_words(settings.pop_delete_after_days).human()),
    ]
    simple_intro = rich(
        _(
            "<strong>With the simplified dialog</strong> (one box for the address; Outlook 2024, or without "
            "outlook-setup.cmd):"
        )
    )
    simple: list[Sequence[Piece]] = [
        rich(
            _(
                "<strong>File › Add Account</strong>, type your address, open <strong>Advanced options</strong>, tick "
                "<strong>Let me set up my account manually</strong> and click <strong>Connect</strong>."
            )
        ),
        [
            _(
                "Choose {type}, enter the servers, ports and encryption from the table, click Next, type your password."
            ).format(type=_short_label(settings))
        ],
    ]
    if settings.protocol is MailProtocol.POP3:
        keep = routes.pop_keep_steps(settings.pop_delete_after_days)
        simple += [[("strong", _("Required for POP: ")), keep[0].human()], [keep[1].human()]]
    dialogs = [(classic_intro, steps), (simple_intro, simple)]
    for intro, numbered in dialogs[::-1] if simplified_first else dialogs:
        page.paragraph(*intro)
        page.steps(*numbered)


def _short_label(settings: AccountSettings) -> str:
    """What the simplified dialog, the new Outlook and Outlook for Mac call the account types."""
    return "POP" if settings.protocol is MailProtocol.POP3 else "IMAP"


def _typed_page(settings: AccountSettings, page: _Page) -> None:
    """The page for the new Outlook and Outlook for Mac: where to click, then the values in large print."""
    label = _short_label(settings)
    page.heading(_("The new Outlook for Windows and Outlook for Mac: type these"))
    page.steps(
        rich(
            _(
                "<strong>New Outlook for Windows: </strong>Settings (the gear) › Accounts › Email accounts › Add "
                "account; type your address; when asked which kind of account, choose {type} and fill in the values "
                "below."
            ),
            type=label,
        ),
        rich(
            _(
                "<strong>Outlook for Mac: </strong>Outlook › Settings › Accounts › + › New Account; type your "
                "address; choose IMAP/POP as the provider, then {type}, and fill in the values below."
            ),
            type=label,
        ),
    )
    page.paragraph(_("Click a value to select all of it, then copy it (Ctrl+C, or ⌘C on a Mac)."))
    _typed_values(settings, page, "outlook")
    if settings.protocol is MailProtocol.POP3:
        page.paragraph(
            *rich(
                _(
                    "<strong>POP: </strong>after adding the account, find “Leave a copy of messages on the server” in "
                    "the account's settings, keep it on and {remove}."
                ),
                remove=routes.remove_after_words(settings.pop_delete_after_days).human(),
            ),
            css="warning",
        )
    page.paragraph(
        _(
            "The new Outlook for Windows connects through Microsoft's cloud: Microsoft's servers, not this computer, "
            "talk to the mail server."
        ),
        css="note",
    )


def apple_mail_sheet(settings: AccountSettings, *, profile_name: str, signed: bool) -> bytes:
    check_profile_text(settings)
    address, provider = settings.address.address, settings.provider
    page = _Page(f"Apple Mail: {address}")
    root = provider.root
    what = (
        _(
            "<code>{file}</code> is a configuration profile: it adds {address} to Apple Mail with the right servers "
            "and ports and installs the root certificate {subject} (SHA-256 fingerprint <code>{fingerprint}</code>) "
            "that the mail server's certificate chains to. "
        )
        if root is not None
        else _(
            "<code>{file}</code> is a configuration profile: it adds {address} to Apple Mail with the right servers "
            "and ports. "
        )
    )
    signed_words = (
        _("It is signed.") if signed else _("It is not signed, so macOS calls it unverified; that is expected.")
    )
    page.paragraph(
        *rich(
            what + signed_words,
            file=profile_name,
            address=address,
            subject=root.subject if root is not None else "",
            fingerprint=root.fingerprint if root is not None else "",
        )
    )
    _password_warning(settings, page, profile_name)
    page.heading(_("Set it up"))
    page.steps(
        rich(_("Double-click <code>{file}</code>. macOS says the profile was downloaded."), file=profile_name),
        rich(
            _(
                "Open <strong>System Settings › Privacy & Security › Profiles</strong> (on macOS 15: <strong>General › "
                "Device Management</strong>), double-click the profile and click <strong>Install</strong>. Enter your "
                "Mac password, then your email password when asked."
            )
        ),
        [_("Open Mail: the account is there. Installing the profile again replaces it; nothing is duplicated.")],
    )
    page.paragraph(_("To remove the account, remove the profile in the same place."))
    page.paragraph(
        *rich(_("<strong>Outlook for Mac</strong> does not read this profile; type the values below there instead.")),
        css="note",
    )
    _pop_note(
        settings,
        page,
        _(
            "Check it in Mail › Settings › Accounts › Advanced: set “Remove copy from server after retrieving a "
            "message” to the period closest to {days} days."
        ).format(days=days)
        if (days := settings.pop_delete_after_days)
        else _(
            "Check it in Mail › Settings › Accounts › Advanced: untick “Remove copy from server after retrieving a "
            "message”."
        ),
    )
    page.heading(_("Settings to type"))
    page.table(settings_rows(settings, "apple-mail"))
    page.paragraph(*_tested_note(settings))
    _webmail(settings, page)
    return page.render()


def write_sheet(out_dir: Path, html: bytes) -> Path:
    return write_atomic(out_dir / INSTRUCTIONS_FILE, html)
