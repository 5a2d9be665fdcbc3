"""One check of a person's account: probe, recommendation, logins and a verdict, as plain data."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Any

from setup_assistant import __version__
from setup_assistant.core import logs
from setup_assistant.core.address import EmailAddress
from setup_assistant.core.i18n import Message
from setup_assistant.core.model import EndpointStatus, LoginResult, LoginStatus, MailProtocol
from setup_assistant.core.probing.probe import (
    DEFAULT_GRACE,
    DEFAULT_TIMEOUT,
    LoginProgressCallback,
    ProbeResult,
    ProgressCallback,
    check_logins,
    login_endpoints,
    probe_provider,
)
from setup_assistant.core.provider import Provider

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountCheck:
    address: EmailAddress
    provider: Provider
    probe: ProbeResult
    logins: tuple[LoginResult, ...]
    password_given: bool

    @property
    def logins_ok(self) -> bool:
        return bool(self.logins) and all(r.status is LoginStatus.OK for r in self.logins)

    @property
    def login_rejected(self) -> bool:
        return any(r.status is LoginStatus.REJECTED for r in self.logins)

    @property
    def ok(self) -> bool:
        if self.probe.cancelled or not self.probe.secure_setup_exists:
            return False
        return self.logins_ok if self.password_given else True

    def verdict(self) -> str:
        """One line for a volunteer: what works, or the first thing to fix (English; `.human()` translates)."""
        if self.probe.cancelled:
            return Message("Cancelled before the check finished.")
        rec = self.probe.recommended
        if not self.probe.secure_setup_exists:
            unreachable = {
                EndpointStatus.DNS_ERROR,
                EndpointStatus.TIMEOUT,
                EndpointStatus.REFUSED,
                EndpointStatus.RESET,
            }
            statuses = {r.status for r in self.probe.endpoints}
            if statuses <= unreachable:
                why = (
                    Message("the server name could not be looked up")
                    if statuses == {EndpointStatus.DNS_ERROR}
                    else Message("no port answered")
                )
                return Message(
                    "None of {provider}'s servers could be reached ({why}): check this computer's network connection, "
                    "then try again.",
                    provider=self.provider.name,
                    why=why,
                )
            if rec.imap is None and rec.pop3 is None and rec.smtp is None:
                return Message(
                    "No secure connection works for incoming mail (IMAP/POP3) and outgoing mail (SMTP); see the "
                    "details above."
                )
            if rec.smtp is None:
                return Message("No secure connection works for outgoing mail (SMTP); see the details above.")
            return Message("No secure connection works for incoming mail (IMAP/POP3); see the details above.")
        if self.login_rejected:
            return Message(
                "The server rejected the address or password. Check them; your postmaster can reset a forgotten "
                "password."
            )
        if self.password_given and not self.logins_ok:
            return Message("The servers can be reached securely, but a login could not be completed; try again later.")
        parts = ", ".join(f"{p.label} {e.port} ({e.security.label})" for p in MailProtocol if (e := rec.get(p)))
        if self.password_given:
            return Message("Secure setup found: {ports} and the logins work.", ports=parts)
        return Message("Secure setup found: {ports} (no password given, logins not tested).", ports=parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "app_version": __version__,
            "email": self.address.address,
            "provider": {
                "id": self.provider.id,
                "name": self.provider.name,
                "file": str(self.provider.source),
            },
            "ok": self.ok,
            "verdict": self.verdict(),
            "elapsed_ms": self.probe.elapsed_ms,
            "endpoints": [r.to_json() for r in self.probe.endpoints],
            "logins": [r.to_json() for r in self.logins],
            "recommended": {**self.probe.recommended.to_json(), "outlook": self.probe.outlook.to_json()},
        }


def check_account(
    provider: Provider,
    address: EmailAddress,
    password: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    grace: float = DEFAULT_GRACE,
    cancel: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    login_progress: LoginProgressCallback | None = None,
) -> AccountCheck:
    """Probes the provider and, with a password, tests the login on each recommended endpoint."""
    logs.hide_secret(password)  # whatever goes wrong below, the help desk's log never shows it
    probe = probe_provider(provider, timeout=timeout, grace=grace, cancel=cancel, progress=progress)
    logins: tuple[LoginResult, ...] = ()
    if password and not probe.cancelled:
        logins = check_logins(
            login_endpoints(probe.recommended),
            address.username,
            password,
            provider.root,
            timeout=timeout,
            cancel=cancel,
            progress=login_progress,
        )
    _log_check(probe, logins)
    return AccountCheck(address, provider, probe, logins, password_given=bool(password))


def _log_check(probe: ProbeResult, logins: tuple[LoginResult, ...], *, again: bool = False) -> None:
    """Statuses only, for the help desk's log: never a server's own words (they can carry anything)."""
    if again:
        _log.info("the logins tried again with another password, on the connections that just worked")
    for result in probe.endpoints if not again else ():
        e = result.endpoint
        _log.info("endpoint %s %s:%d %s: %s (%d ms)", e.protocol.value, e.host, e.port, e.security.value,
                  result.status.value, result.elapsed_ms)  # fmt: skip
    for login in logins:
        e = login.endpoint
        _log.info("login %s %s:%d %s: %s", e.protocol.value, e.host, e.port, e.security.value, login.status.value)
    if probe.cancelled:
        _log.info("the check was cancelled")


def recheck_logins(
    previous: AccountCheck,
    password: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cancel: threading.Event | None = None,
    login_progress: LoginProgressCallback | None = None,
) -> AccountCheck:
    """Another password for the same servers: only the logins are tried again, on the endpoints that just worked.

    A person who mistyped the password should not wait out a slow or blocked port a second time.
    """
    probe = previous.probe
    if probe.cancelled:
        raise ValueError("a cancelled check has no known connections to reuse")
    logs.hide_secret(password)
    logins: tuple[LoginResult, ...] = ()
    if password:
        logins = check_logins(
            login_endpoints(probe.recommended),
            previous.address.username,
            password,
            previous.provider.root,
            timeout=timeout,
            cancel=cancel,
            progress=login_progress,
        )
    if cancel is not None and cancel.is_set():
        probe = replace(probe, cancelled=True)  # stopped halfway: the next check starts from the beginning
    _log_check(probe, logins, again=True)
    return AccountCheck(previous.address, previous.provider, probe, logins, password_given=bool(password))
