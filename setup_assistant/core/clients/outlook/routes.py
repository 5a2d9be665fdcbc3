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


KIND_LABELS = {
    OutlookKind.CLASSIC: "Classic Outlook 2016, 2019, 2021 or Microsoft 365 (Windows)",
    OutlookKind.CLASSIC_2024: "Classic Outlook 2024 or Office LTSC 2024 (Windows)",
    OutlookKind.NEW: "The new Outlook for Windows",
    OutlookKind.MAC: "Outlook for Mac",
}

ROUTE_TITLES = {
    Route.PRF: "the profile file (outlook.prf)",
    Route.XML: "the setup script and autodiscover.xml",
    Route.TYPED: "type the settings",
}


def remove_after_words(days: int | None) -> str:
    """The POP box on Outlook's More Settings › Advanced tab, and what to do with it."""
    if days:
        return f"set “Remove from server after” to {days} days"
    return "untick “Remove from server after 14 days”"


def pop_keep_steps(days: int | None) -> list[str]:
    """The mandatory POP step after the XML or typed route: Outlook's default removes the server copy."""
    return [
        "In Outlook choose File › Account Settings › Account Settings…, select the account and click Change…",
        "Click More Settings…, open the Advanced tab, keep “Leave a copy of messages on the server” ticked and "
        + remove_after_words(days)
        + "; click OK, then Next and Finish.",
    ]


def install_next_steps(
    protocol: MailProtocol, days: int | None, *, prf_path: str | None, kind: OutlookKind | None
) -> list[str]:
    """What the person does after `--install` set the registry, route by route in route_order's order (each
    next one only if the one before did not add the account), POP's keep-on-server step wherever it is needed."""
    pop = protocol is MailProtocol.POP3
    order = route_order(kind or OutlookKind.CLASSIC, protocol, has_prf=prf_path is not None)
    steps: list[str] = []
    for index, route in enumerate(order):
        lead = "If that did not add the account: " if index else ""
        if route is Route.PRF:
            steps.append(
                f'{lead}close Outlook and run outlook.exe /importprf "{prf_path}"; Outlook starts with the account '
                "and asks for your password"
                + ("; this keeps your POP mail on the server, nothing else to change." if pop else ".")
            )
        elif route is Route.XML:
            steps.append(
                f"{lead}start Outlook (restart it if it was open) and choose File › Add Account; in the Add Account "
                "dialog type your name, your address and your password twice, then click Next and Finish."
            )
            if pop:
                keep = pop_keep_steps(days)
                steps += [f"Required for POP: {keep[0][0].lower()}{keep[0][1:]}", keep[1]]
        elif kind is OutlookKind.NEW:
            steps.append(
                "This computer uses the new Outlook for Windows, which does not read these files: in Outlook open "
                "Settings › Accounts › Email accounts › Add account and type the values from the instructions page."
            )
            if pop:
                steps.append(
                    "Required for POP: in the account's settings keep “Leave a copy of messages on the server” on "
                    f"and {remove_after_words(days)}."
                )
        else:
            steps.append(
                f"{lead}type the settings from the instructions page (File › Add Account, then Advanced options › "
                "Let me set up my account manually)."
            )
            if pop:
                keep = pop_keep_steps(days)
                steps += [f"Required for POP: {keep[0][0].lower()}{keep[0][1:]}", keep[1]]
    return [step[0].upper() + step[1:] for step in steps]
