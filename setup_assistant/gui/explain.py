"""Turns an AccountCheck into plain sentences for the person: what works, what is used instead and why,
and what to do next. The technical detail stays in the "Details" table for the help desk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from setup_assistant.core.i18n import Message, human
from setup_assistant.core.model import (
    HANDSHAKE_STALLED,
    NOT_MEANT_FOR_MAIL,
    EndpointResult,
    EndpointStatus,
    LoginStatus,
    MailProtocol,
)
from setup_assistant.core.visible_text import visible
from setup_assistant.gui.icons import Status

if TYPE_CHECKING:
    from setup_assistant.core.probing.account_check import AccountCheck


@dataclass(frozen=True)
class Finding:
    level: Status
    text: str


class Outcome(enum.Enum):
    WORKS = "works"
    WORKS_WITH_CHANGES = "works-with-changes"
    WRONG_PASSWORD = "wrong-password"
    LOGIN_FAILED = "login-failed"
    NO_CONNECTION = "no-connection"
    CERTIFICATE = "certificate"
    PARTLY_BLOCKED = "partly-blocked"
    STOPPED = "stopped"


_NETWORK_FAILURES = {EndpointStatus.TIMEOUT, EndpointStatus.REFUSED, EndpointStatus.RESET, EndpointStatus.DNS_ERROR}


def what(protocol: MailProtocol) -> str:
    """What a protocol is for, in the person's words."""
    return {
        MailProtocol.IMAP: QCoreApplication.translate("Explain", "receiving mail (IMAP)"),
        MailProtocol.POP3: QCoreApplication.translate("Explain", "receiving mail (POP)"),
        MailProtocol.SMTP: QCoreApplication.translate("Explain", "sending mail"),
    }[protocol]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_text(status: EndpointStatus) -> str:
    """A short status for the live rows; the icon beside it carries the same meaning."""
    return {
        EndpointStatus.OK: QCoreApplication.translate("Explain", "Works, encrypted"),
        EndpointStatus.DNS_ERROR: QCoreApplication.translate("Explain", "Server name not found"),
        EndpointStatus.TIMEOUT: QCoreApplication.translate("Explain", "No answer (blocked?)"),
        EndpointStatus.REFUSED: QCoreApplication.translate("Explain", "Connection refused"),
        EndpointStatus.RESET: QCoreApplication.translate("Explain", "Connection cut off"),
        EndpointStatus.NO_STARTTLS: QCoreApplication.translate("Explain", "No encryption offered"),
        EndpointStatus.BAD_GREETING: QCoreApplication.translate("Explain", "Not a mail server"),
        EndpointStatus.TLS_ERROR: QCoreApplication.translate("Explain", "Encryption failed"),
        EndpointStatus.UNTRUSTED_CERTIFICATE: QCoreApplication.translate("Explain", "Certificate not trusted"),
        EndpointStatus.EXPIRED_CERTIFICATE: QCoreApplication.translate("Explain", "Certificate expired"),
        EndpointStatus.HOSTNAME_MISMATCH: QCoreApplication.translate("Explain", "Certificate for another server"),
        EndpointStatus.CANCELLED: QCoreApplication.translate("Explain", "Stopped"),
    }[status]


def status_level(status: EndpointStatus) -> Status:
    if status is EndpointStatus.OK:
        return Status.OK
    if status is EndpointStatus.CANCELLED:
        return Status.STOPPED
    return Status.ERROR


def login_text(status: LoginStatus) -> str:
    return {
        LoginStatus.OK: QCoreApplication.translate("Explain", "Password accepted"),
        LoginStatus.REJECTED: QCoreApplication.translate("Explain", "Password not accepted"),
        LoginStatus.ERROR: QCoreApplication.translate("Explain", "Could not sign in"),
    }[status]


def _why_not(result: EndpointResult | None) -> str:
    """Why the preferred port was not used, as the start of a sentence."""
    if result is None:
        return QCoreApplication.translate("Explain", "Port {port} could not be checked").format(port="?")
    port = result.endpoint.port
    status = result.status
    if status is EndpointStatus.TIMEOUT and result.detail.startswith(HANDSHAKE_STALLED):
        return QCoreApplication.translate(
            "Explain", "The server on port {port} accepted the connection but did not set up encryption"
        ).format(port=port)
    if status is EndpointStatus.TIMEOUT:
        return QCoreApplication.translate("Explain", "Your network blocks port {port}").format(port=port)
    if status in (EndpointStatus.REFUSED, EndpointStatus.RESET):
        return QCoreApplication.translate("Explain", "Port {port} refuses connections on this network").format(
            port=port
        )
    if status is EndpointStatus.NO_STARTTLS:
        return QCoreApplication.translate(
            "Explain", "The server on port {port} did not offer encryption (something on this network may remove it)"
        ).format(port=port)
    if status.is_certificate_problem:
        return QCoreApplication.translate("Explain", "The certificate on port {port} could not be verified").format(
            port=port
        )
    if status is EndpointStatus.DNS_ERROR:
        return QCoreApplication.translate("Explain", "The server name could not be looked up for port {port}").format(
            port=port
        )
    return QCoreApplication.translate("Explain", "Port {port} did not work").format(port=port)


def _certificate_finding(results: list[EndpointResult]) -> Finding | None:
    bad = [r for r in results if r.status.is_certificate_problem]
    if not bad:
        return None
    first = bad[0]
    if first.status is EndpointStatus.EXPIRED_CERTIFICATE:
        text = QCoreApplication.translate(
            "Explain",
            "The server's certificate is out of date ({detail}). If this computer's date and time are wrong, "
            "correct them and check again; otherwise tell your help desk.",
        ).format(detail=visible(human(first.detail)))
    elif first.status is EndpointStatus.HOSTNAME_MISMATCH:
        text = QCoreApplication.translate(
            "Explain",
            "The server answered with a certificate for a different server ({detail}). Something on this "
            "network may be intercepting mail. Do not use this network for email; try another one or ask your "
            "help desk.",
        ).format(detail=visible(human(first.detail)))
    elif first.detail.startswith(NOT_MEANT_FOR_MAIL):  # matched on the English, which is the data
        text = QCoreApplication.translate(
            "Explain",
            "The server's certificate is signed by a trusted authority but is not meant for a mail server "
            "({detail}). Mail programs refuse it, so the assistant did not send your password. Tell your help "
            "desk: the provider has to fix the certificate.",
        ).format(detail=visible(_not_meant_reason(first.detail)))
    else:
        text = QCoreApplication.translate(
            "Explain",
            "The server's certificate is not vouched for by anyone this computer trusts, not even by the "
            "provider's own certificate authority. Something on this network may be intercepting mail (this "
            "happens on some hotel and public Wi-Fi). Try another network, or ask your help desk.",
        )
    return Finding(Status.ERROR, text)


def _not_meant_reason(detail: str) -> str:
    """The reason alone of a "not meant for a mail server" detail, in the person's language."""
    if isinstance(detail, Message) and "reason" in detail.params:
        return human(detail.params["reason"])
    return detail[len(NOT_MEANT_FOR_MAIL) + 2 :]


def _ports_tried(results: list[EndpointResult]) -> str:
    """ "ports 143 and 993 (receiving mail (IMAP)), …": every port the check tried, grouped by what it is for."""
    groups = []
    for proto in MailProtocol:
        ports = [str(r.endpoint.port) for r in results if r.endpoint.protocol is proto]
        if ports:
            groups.append(
                QCoreApplication.translate("Explain", "{ports} for {what}").format(
                    ports=QCoreApplication.translate("Explain", " and ").join(ports), what=what(proto)
                )
            )
    return "; ".join(groups)


def unreachable_findings(check: AccountCheck) -> list[Finding]:
    """No server answered at all: what was tried, what happened, and what a person can check, in plain words."""
    results = list(check.probe.endpoints)
    host = check.provider.server(MailProtocol.IMAP).host
    statuses = {r.status for r in results}
    if statuses == {EndpointStatus.DNS_ERROR}:
        happened = QCoreApplication.translate(
            "Explain",
            "The mail server's name ({host}) could not be looked up, so no connection could even be tried. This "
            "computer may not be connected to the internet.",
        ).format(host=host)
    elif statuses <= {EndpointStatus.TIMEOUT}:
        happened = QCoreApplication.translate(
            "Explain", "No answer came back from {host}: something on the way silently drops the connections."
        ).format(host=host)
    else:
        happened = QCoreApplication.translate(
            "Explain", "{host} could not be reached: the connections were refused or cut off."
        ).format(host=host)
    tried = QCoreApplication.translate("Explain", "The assistant tried {host} on ports {ports}.").format(
        host=host, ports=_ports_tried(results)
    )
    check_list = QCoreApplication.translate(
        "Explain",
        "What to check: is this computer connected to the internet (can you open a web page)? A firewall, "
        "antivirus or VPN may block mail: try without the VPN, or another network such as a phone's hotspot. If "
        "web pages open, the mail server may be down for a while: press “Check again” later, or ask your help desk.",
    )
    return [Finding(Status.ERROR, happened + " " + tried), Finding(Status.INFO, check_list)]


def assess(check: AccountCheck, protocol: MailProtocol) -> tuple[Outcome, list[Finding]]:
    """The overall outcome and the sentences that explain it, most important first."""
    probe = check.probe
    provider = check.provider
    results = list(probe.endpoints)
    findings: list[Finding] = []
    if probe.cancelled:
        return Outcome.STOPPED, [
            Finding(
                Status.STOPPED,
                QCoreApplication.translate(
                    "Explain", "The check was stopped before it finished. Press “Check again” to restart it."
                ),
            )
        ]

    if not any(r.ok for r in results):
        cert = _certificate_finding(results)
        if cert is not None:
            return Outcome.CERTIFICATE, [cert]
        return Outcome.NO_CONNECTION, unreachable_findings(check)

    outcome = Outcome.WORKS
    works: list[str] = []
    for proto in (protocol, MailProtocol.SMTP):
        chosen = probe.recommended.get(proto)
        preferred = provider.preferred(proto)
        pref_result = probe.result_for(preferred)
        if chosen is None:
            fallback = provider.server(proto).endpoint(provider.fallback)
            fb_result = probe.result_for(fallback)
            outcome = Outcome.PARTLY_BLOCKED
            if any(r is not None and r.status.is_certificate_problem for r in (pref_result, fb_result)):
                cert = _certificate_finding([r for r in (pref_result, fb_result) if r is not None])
                if cert is not None:
                    findings.append(cert)
                    outcome = Outcome.CERTIFICATE
                    continue
            findings.append(
                Finding(
                    Status.ERROR,
                    QCoreApplication.translate(
                        "Explain",
                        "{What} does not work on this network: neither port {port} nor port {other} can be used "
                        "securely. Some networks (hotels, guest Wi-Fi) block email; try another network, or ask "
                        "your help desk.",
                    ).format(What=_capitalized(what(proto)), port=preferred.port, other=fallback.port),
                )
            )
        elif chosen.security is not provider.prefer:
            if outcome is Outcome.WORKS:
                outcome = Outcome.WORKS_WITH_CHANGES
            findings.append(
                Finding(
                    Status.WARNING,
                    QCoreApplication.translate(
                        "Explain", "{why}, so the secure port {port} will be used for {what} instead."
                    ).format(why=_why_not(pref_result), port=chosen.port, what=what(proto)),
                )
            )
        else:
            works.append(
                QCoreApplication.translate("Explain", "{what} on port {port}").format(
                    what=what(proto), port=chosen.port
                )
            )
    if works:
        findings.insert(
            0,
            Finding(
                Status.OK,
                QCoreApplication.translate("Explain", "Works securely: {list}.").format(
                    list=QCoreApplication.translate("Explain", " and ").join(works)
                ),
            ),
        )

    if not check.password_given:
        findings.append(
            Finding(
                Status.INFO,
                QCoreApplication.translate(
                    "Explain",
                    "The password was not tested because none was typed. The mail program will ask for it the "
                    "first time it connects.",
                ),
            )
        )
    elif check.login_rejected:
        outcome = Outcome.WRONG_PASSWORD
        reset = provider.text("password_reset") or QCoreApplication.translate("Explain", "your postmaster")
        findings.insert(
            0,
            Finding(
                Status.ERROR,
                QCoreApplication.translate(
                    "Explain",
                    "The server did not accept the password for {address}. Go back and type it again (is Caps "
                    "Lock on?). If you do not know your password, {who} can reset it for you.",
                ).format(address=check.address.address, who=reset),
            ),
        )
        if not check.address.username.isascii():  # the password may be right and the username the trouble
            findings.insert(1, Finding(Status.INFO, _non_ascii_username(check.address.address, reset)))
    elif check.logins and not check.logins_ok:
        if outcome in (Outcome.WORKS, Outcome.WORKS_WITH_CHANGES):
            outcome = Outcome.LOGIN_FAILED
        failed = next(r for r in check.logins if r.status is not LoginStatus.OK)
        if check.address.username.isascii():
            text = QCoreApplication.translate(
                "Explain",
                "The server can be reached, but signing in could not be completed ({detail}). Try again in a "
                "few minutes.",
            ).format(detail=visible(human(failed.detail)))
        else:  # waiting will not help: the server may not take this username at all
            reset = provider.text("password_reset") or QCoreApplication.translate("Explain", "your postmaster")
            text = (
                QCoreApplication.translate(
                    "Explain", "The server can be reached, but signing in could not be completed ({detail})."
                ).format(detail=visible(human(failed.detail)))
                + " "
                + _non_ascii_username(check.address.address, reset)
            )
        findings.append(Finding(Status.WARNING, text))
    elif check.logins_ok:
        findings.append(Finding(Status.OK, QCoreApplication.translate("Explain", "Your password was accepted.")))
    return outcome, findings


def _non_ascii_username(address: str, who: str) -> str:
    """An internationalised address is the username: not every server accepts one, and that is not the password's
    fault."""
    return QCoreApplication.translate(
        "Explain",
        "{address} has characters outside plain ASCII, and not every mail server accepts such a username. If the "
        "password is right, ask {who} which form of the address to sign in with.",
    ).format(address=address, who=who)


def headline(outcome: Outcome) -> tuple[Status, str]:
    return {
        Outcome.WORKS: (Status.OK, QCoreApplication.translate("Explain", "Everything works.")),
        Outcome.WORKS_WITH_CHANGES: (
            Status.OK,
            QCoreApplication.translate("Explain", "Your email works, with a small change."),
        ),
        Outcome.WRONG_PASSWORD: (Status.ERROR, QCoreApplication.translate("Explain", "The password was not accepted.")),
        Outcome.LOGIN_FAILED: (
            Status.WARNING,
            QCoreApplication.translate("Explain", "The servers answer, but signing in failed."),
        ),
        Outcome.NO_CONNECTION: (
            Status.ERROR,
            QCoreApplication.translate("Explain", "The mail server could not be reached."),
        ),
        Outcome.CERTIFICATE: (
            Status.ERROR,
            QCoreApplication.translate("Explain", "The server's certificate could not be trusted."),
        ),
        Outcome.PARTLY_BLOCKED: (
            Status.ERROR,
            QCoreApplication.translate("Explain", "Part of your email is blocked on this network."),
        ),
        Outcome.STOPPED: (Status.STOPPED, QCoreApplication.translate("Explain", "The check was stopped.")),
    }[outcome]
