"""A printable one-page sheet for one person: their settings as the provider's guide lays them out, filled
in, then webmail and the next steps the guide describes.

The settings table comes from the instruction pages' builder (`instructions.settings_rows`), reshaped into the
guide's incoming / outgoing groups, so both always agree. The password is always "********": the sheet is
meant to be printed and handed over. The HTML is plain enough for Qt's QTextDocument, which the wizard uses
to print it to PDF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.instructions import keyed_settings_rows
from setup_assistant.core.history import APP_NAME
from setup_assistant.core.html_page import HtmlPage, Piece, rich
from setup_assistant.core.i18n import N_, _
from setup_assistant.core.model import Endpoint, MailProtocol
from setup_assistant.core.profile_files import check_profile_text, write_atomic

SHEET_FILE = "settings-sheet.html"
PASSWORD_SHOWN = "********"

_CSS = """
@page { margin: 12mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 9pt;
       max-width: 46em; margin: 1em auto; padding: 0 1em; line-height: 120%; color: #1d1d1f; }
h1 { font-size: 1.4em; margin: 0 0 0.15em; }
h2 { font-size: 1.1em; margin: 0.7em 0 0.2em; }
p { margin: 0.2em 0; }
ul { margin: 0.2em 0; padding-left: 1.2em; }
li { margin: 0.1em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
th, td { text-align: left; padding: 1px 5px; border: 1px solid #c9d1d6; vertical-align: top; }
th { font-weight: 600; background: #f2f5f7; }
th.group { background: #dfe8ee; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }
.muted { color: #50606a; }
.note { border-left: 4px solid #c77c00; background: #fff7e6; padding: 0.2em 0.6em; }
@media print { body { margin: 0; max-width: none; } }
"""

_PERSONAL = ("Email address", "Your name")
_SECURITY_WORDS = {
    "STARTTLS": N_("STARTTLS (“TLS” in the guide)"),
    "SSL/TLS": N_("SSL/TLS (“SSL” in the guide)"),
}

Rows = list[tuple[str, str]]


def guide_table(settings: AccountSettings) -> list[tuple[str, Rows]]:
    """The guide's "Account settings" table with this person's values, as (group title, rows) pairs.

    Uses the provider's preferred security first (the guide: "choosing TLS"), with the other ports that
    worked listed after, for programs that only offer SSL. Raises NoSecureEndpoint when nothing secure
    worked for the person's incoming protocol or for sending.
    """
    personal: Rows = []
    incoming: Rows = []
    outgoing: Rows = []
    for key, label, value in keyed_settings_rows(settings, "thunderbird"):  # matched by key, shown translated
        if key in _PERSONAL:
            personal.append((label, value))
        elif key == "Password":
            incoming.append((label, PASSWORD_SHOWN))
        elif key == "Authentication":
            incoming.append((_("Secure password authentication"), _("OFF (a normal password)")))
        elif key == "Remove from the server":  # for every program, not Thunderbird's box names
            days = settings.pop_delete_after_days
            incoming.append((label, _("after {days} days").format(days=days) if days else _("never")))
        elif key.startswith("Outgoing"):
            outgoing.append((label, _security_words(value)))
        else:
            incoming.append((label, _security_words(value)))
    groups = [
        (_("You"), personal),
        (_("Incoming mail ({protocol})").format(protocol=settings.protocol.label), incoming),
        (_("Outgoing mail (SMTP)"), outgoing),
    ]
    others = _other_ports(settings)
    if others:
        title = _("Other settings that also worked") if settings.probed else _("Other published settings")
        groups.append((title, others))
    return groups


def _security_words(value: str) -> str:
    return _(_SECURITY_WORDS[value]) if value in _SECURITY_WORDS else value


def _other_ports(settings: AccountSettings) -> Rows:
    rows: Rows = []
    for protocol, where in (
        (settings.protocol, N_("Incoming ({protocol})")),
        (MailProtocol.SMTP, N_("Outgoing ({protocol})")),
    ):
        for endpoint in settings.ordered(protocol)[1:]:
            rows.append(
                (
                    _(where).format(protocol=protocol.label),
                    _("port {port} with {security}").format(port=endpoint.port, security=_security(endpoint)),
                )
            )
    return rows


def _security(endpoint: Endpoint) -> str:
    return _(_SECURITY_WORDS[endpoint.security.label])


def settings_sheet(settings: AccountSettings, *, date: dt.date | None = None) -> bytes:
    """The sheet as HTML. Never holds the password, even when `settings` carries one."""
    check_profile_text(settings)
    address, provider = settings.address, settings.provider
    groups = guide_table(settings)
    when = (date or dt.date.today()).isoformat()
    page = HtmlPage(
        _("Email settings for {address}").format(address=address.address),
        _CSS,
        heading=_("Your {provider} email settings").format(provider=provider.name),
    )
    who = f"{settings.display_name} — {address.address}" if settings.display_name else address.address
    page.paragraph(("strong", who), _(" · prepared {date} by the {app}").format(date=when, app=APP_NAME), css="muted")

    page.grouped(groups, css="settings", label_width="42%")
    page.paragraph(*_tested_note(settings), css="muted")
    _pop_note(page, settings)

    page.heading(_("Webmail"))
    url = provider.webmail_url(address.domain)
    page.paragraph(
        *rich(
            _(
                "Read and send mail in a web browser at <strong>{url}</strong>. Log in there with your short username "
                "<code>{short}</code> (without the @ part) and your email password. The connection is always "
                "encrypted."
            ),
            url=url,
            short=address.short_username,
        )
    )
    page.heading(_("Next steps"))
    page.bullets(_next_steps(settings))
    page.paragraph(
        _("Your password is not on this sheet. Your username is {address}.").format(address=address.address),
        css="muted",
    )
    return page.render()


def _tested_note(settings: AccountSettings) -> list[Piece]:
    if not settings.probed:
        return [_("These are the provider's published settings; they were not tested when this sheet was made.")]
    worked = [e for p in MailProtocol for e in settings.ordered(p)]
    listed = ", ".join(f"{e.protocol.label} {e.port} ({e.security.label})" for e in worked)
    return [_("Tested when this sheet was made; these connections worked: {ports}.").format(ports=listed)]


def _pop_note(page: HtmlPage, settings: AccountSettings) -> None:
    if settings.protocol is not MailProtocol.POP3:
        return
    days = settings.pop_delete_after_days
    text = (
        _(
            "<strong>POP: keep your mail on the server. </strong>By default a POP program downloads and deletes every "
            "message, so webmail and your other devices would no longer see it. Tick “Leave messages on the server”; "
            "this setup removes them {days} days after download. New accounts also come with options that remove "
            "mail sooner: set the days to {days} and untick the rest (Thunderbird: “For at most 14 days” and “Until I "
            "delete them”; Outlook: “Remove from server after 14 days”; Apple Mail: “Remove copy from server after "
            "retrieving a message”)."
        )
        if days
        else _(
            "<strong>POP: keep your mail on the server. </strong>By default a POP program downloads and deletes every "
            "message, so webmail and your other devices would no longer see it. Tick “Leave messages on the server”; "
            "this setup never removes them. New accounts also come with options that remove mail anyway: untick them "
            "(Thunderbird: “For at most 14 days” and “Until I delete them”; Outlook: “Remove from server after 14 "
            "days”; Apple Mail: “Remove copy from server after retrieving a message”)."
        )
    )
    page.paragraph(*rich(text, days=days), css="note")


def _next_steps(settings: AccountSettings) -> list[list[Piece]]:
    address, provider = settings.address, settings.provider
    extra = provider.extra
    steps: list[list[Piece]] = [
        rich(
            _(
                "<strong>Change your password: </strong>log in to webmail and click <strong>Options → Change "
                "Password</strong>, enter your current password and the new one twice, and click Submit. Then type "
                "the new password in your mail program too."
            )
        ),
    ]
    reset = provider.text("password_reset")
    if isinstance(reset, str) and reset.strip():
        steps[0].append(" " + _("Forgotten it? Ask {who} to reset it.").format(who=reset.strip()))
    steps.append(
        rich(
            _(
                "<strong>Forwarding or a vacation message: </strong>in webmail, click <strong>Options → Forwarding and "
                "Vacation Message</strong>. Either one can be active, not both at once."
            )
        )
    )
    folders = extra.get("spam_folders")
    days = extra.get("purge_days")
    if isinstance(folders, list) and folders and all(isinstance(f, str) for f in folders):
        names = _(" and ").join(str(f) for f in folders)
        purge = (
            " " + _("Messages there (and in the Trash) are deleted after {days} days.").format(days=days)
            if isinstance(days, int)
            else ""
        )
        where = _("webmail") if settings.protocol is MailProtocol.POP3 else _("webmail or your mail program (IMAP)")
        steps.append(
            rich(
                _(
                    "<strong>Spam and viruses: </strong>suspected spam and viruses go into the folders {names} on the "
                    "server. You see them only in {where}; POP programs never download them.{purge}"
                ),
                names=names,
                where=where,
                purge=purge,
            )
        )
    group = provider.group_address(address.domain)
    if group:
        steps.append(
            rich(
                _(
                    "<strong>Writing to everyone: </strong><code>{group}</code> reaches every account in your "
                    "organization, but only when you send from webmail."
                ),
                group=group,
            )
        )
    if provider.root is not None:
        steps.append(
            rich(
                _(
                    "<strong>Certificate warnings: </strong>if your mail program complains about the server's "
                    "certificate, the {app} can install the provider's root certificate for you (<code>{command}"
                    "</code>)."
                ),
                app=APP_NAME,
                command="setup-assistant trust install",
            )
        )
    return steps


def write_settings_sheet(settings: AccountSettings, path: Path, *, date: dt.date | None = None) -> Path:
    """Writes the whole sheet or nothing (temp file beside it, then rename)."""
    return write_atomic(path, settings_sheet(settings, date=date))
