"""The ways to get the account into Outlook, in the order of how sure each is to work for which Outlook.

Evidence (shared/reference/client-fidelity.md; none of it measured on a real Windows here):
- the .prf (`outlook.exe /importprf`) needs no discovery and can carry POP's "leave on server"; a community test
  shows a PRF-made POP3 account working on Office LTSC 2024; for IMAP it is unmeasured;
- the local autodiscover.xml is documented by Microsoft only for Exchange; community reports say the classic Add
  Account dialog (which outlook-setup.cmd switches on) reads it for IMAP/POP and the simplified one does not, and
  the switch is reported to have no effect in Office 2024. The XML has no leave-on-server setting: a POP account
  made from it gets Outlook's default (removed from the server after 14 days);
- typing the settings works in every Outlook, and is the only route for the new Outlook and Outlook for Mac.
"""

from __future__ import annotations

import enum

from setup_assistant.core.clients.outlook.detect import OutlookKind
from setup_assistant.core.i18n import N_, Message
from setup_assistant.core.model import MailProtocol


class Route(enum.StrEnum):
    PRF = "prf"  # outlook.prf through outlook.exe /importprf
    XML = "xml"  # outlook-setup.cmd + autodiscover.xml, then File › Add Account in the classic dialog
    TYPED = "typed"  # type the values


def route_order(kind: OutlookKind, protocol: MailProtocol, *, has_prf: bool) -> list[Route]:
    """The routes for one Outlook, surest first; the typed route is always last and always works."""
    if kind in (OutlookKind.NEW, OutlookKind.MAC):
        return [Route.TYPED]
    prf = [Route.PRF] if has_prf else []
    if kind is OutlookKind.CLASSIC_2024:
        return [*prf, Route.TYPED]  # the switch to the classic dialog is reported not to work there
    if protocol is MailProtocol.POP3:
        return [*prf, Route.XML, Route.TYPED]  # only the .prf keeps POP mail on the server by itself
    return [Route.XML, *prf, Route.TYPED]  # IMAP: the XML route has more reports of working than an IMAP .prf


KIND_LABELS = {  # English; translated where shown (_(KIND_LABELS[kind]))
    OutlookKind.CLASSIC: N_("Classic Outlook 2016, 2019, 2021 or Microsoft 365 (Windows)"),
    OutlookKind.CLASSIC_2024: N_("Classic Outlook 2024 or Office LTSC 2024 (Windows)"),
    OutlookKind.NEW: N_("The new Outlook for Windows"),
    OutlookKind.MAC: N_("Outlook for Mac"),
}

ROUTE_TITLES = {  # English; translated where shown
    Route.PRF: N_("the profile file (outlook.prf)"),
    Route.XML: N_("the setup script and autodiscover.xml"),
    Route.TYPED: N_("type the settings"),
}


def remove_after_words(days: int | None) -> Message:
    """The POP box on Outlook's More Settings › Advanced tab, and what to do with it."""
    if days:
        return Message("set “Remove from server after” to {days} days", days=days)
    return Message("untick “Remove from server after 14 days”")


def pop_keep_steps(days: int | None) -> list[Message]:
    """The mandatory POP step after the XML or typed route: Outlook's default removes the server copy."""
    return [
        Message("In Outlook choose File › Account Settings › Account Settings…, select the account and click Change…"),
        Message(
            "Click More Settings…, open the Advanced tab, keep “Leave a copy of messages on the server” ticked and "
            "{remove}; click OK, then Next and Finish.",
            remove=remove_after_words(days),
        ),
    ]


def _required_for_pop(days: int | None) -> list[Message]:
    keep = pop_keep_steps(days)
    return [Message("Required for POP: {step}", step=_lower_first(keep[0])), keep[1]]


def _lower_first(message: Message) -> Message:
    return (
        Message("in Outlook choose File › Account Settings › Account Settings…, select the account and click Change…")
        if message.template.startswith("In Outlook choose")
        else message
    )


def install_next_steps(
    protocol: MailProtocol, days: int | None, *, prf_path: str | None, kind: OutlookKind | None
) -> list[Message]:
    """What the person does after `--install` set the registry, route by route in route_order's order (each
    next one only if the one before did not add the account), POP's keep-on-server step wherever it is needed.

    Messages: English in the JSON (`str()`), the person's language on the screen (`human()`)."""
    pop = protocol is MailProtocol.POP3
    order = route_order(kind or OutlookKind.CLASSIC, protocol, has_prf=prf_path is not None)
    steps: list[Message] = []
    for index, route in enumerate(order):
        later = bool(index)
        if route is Route.PRF:
            if pop:
                template = (
                    N_(
                        'If that did not add the account: close Outlook and run outlook.exe /importprf "{prf}"; '
                        "Outlook starts with the account and asks for your password; this keeps your POP mail on the "
                        "server, nothing else to change."
                    )
                    if later
                    else N_(
                        'Close Outlook and run outlook.exe /importprf "{prf}"; Outlook starts with the account and '
                        "asks for your password; this keeps your POP mail on the server, nothing else to change."
                    )
                )
            else:
                template = (
                    N_(
                        'If that did not add the account: close Outlook and run outlook.exe /importprf "{prf}"; '
                        "Outlook starts with the account and asks for your password."
                    )
                    if later
                    else N_(
                        'Close Outlook and run outlook.exe /importprf "{prf}"; Outlook starts with the account and '
                        "asks for your password."
                    )
                )
            steps.append(Message(template, prf=prf_path or ""))
        elif route is Route.XML:
            steps.append(
                Message(
                    "If that did not add the account: start Outlook (restart it if it was open) and choose File › Add "
                    "Account; in the Add Account dialog type your name, your address and your password twice, then "
                    "click Next and Finish."
                )
                if later
                else Message(
                    "Start Outlook (restart it if it was open) and choose File › Add Account; in the Add Account "
                    "dialog type your name, your address and your password twice, then click Next and Finish."
                )
            )
            if pop:
                steps += _required_for_pop(days)
        elif kind is OutlookKind.NEW:
            steps.append(
                Message(
                    "This computer uses the new Outlook for Windows, which does not read these files: in Outlook open "
                    "Settings › Accounts › Email accounts › Add account and type the values from the instructions page."
                )
            )
            if pop:
                steps.append(
                    Message(
                        "Required for POP: in the account's settings keep “Leave a copy of messages on the server” on "
                        "and {remove}.",
                        remove=remove_after_words(days),
                    )
                )
        else:
            steps.append(
                Message(
                    "If that did not add the account: type the settings from the instructions page (File › Add "
                    "Account, then Advanced options › Let me set up my account manually)."
                )
                if later
                else Message(
                    "Type the settings from the instructions page (File › Add Account, then Advanced options › "
                    "Let me set up my account manually)."
                )
            )
            if pop:
                steps += _required_for_pop(days)
    return steps
