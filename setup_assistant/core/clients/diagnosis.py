"""What is wrong with a mail account a person already has, in the guide's words, and what each setting should be.

Program-neutral: each program's reader (thunderbird/reader.py, outlook/reader.py) turns its own settings into a
FoundAccount, and `diagnose` compares it with what a probe found works (AccountSettings.working; without a probe,
the provider's published endpoints) and with the provider's guide. A Finding carries the typed value a fix writes
(`target`); each program's fixer decides where that value lives in its own files.

Severities: **breaks** (mail cannot work like this), **risky** (works, but loses mail or sends the password
unencrypted), **advice** (worth knowing; never changed without the person doing it).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.i18n import N_, Message
from setup_assistant.core.model import Endpoint, MailProtocol, Security

# The guide's own words, quoted where a finding needs a reason (seed/npomail-users-guide.txt).
# Messages: English in the JSON (a str), the person's language on the screen (`human()`).
GUIDE_SPA = Message('The guide says "secure password auth: OFF" and "Do not enable Secure Password Authentication".')
GUIDE_AUTH = Message(
    'The guide: "To send or receive messages with POP or IMAP client software you must use authentication"; '
    'outgoing: "username & password: (same as incoming connection)".'
)
GUIDE_USERNAME = Message('The guide: "username: username@your-domain.org (ie. your full email address)".')
GUIDE_TLS = Message('The guide: "We highly recommend simply choosing TLS as the security option for each protocol".')
GUIDE_POP = Message(
    'The guide: with POP "all messages in the Inbox are downloaded and deleted from the server each time you '
    'connect. This makes POP + Webmail not very compatible."'
)
_SIDE = {"incoming": Message("incoming"), "outgoing": Message("outgoing")}


class Severity(enum.StrEnum):
    BREAKS = "breaks"
    RISKY = "risky"
    ADVICE = "advice"


SEVERITY_WORDS = {  # what a person reads for each severity (the value stays in the JSON)
    Severity.BREAKS: N_("BREAKS"),
    Severity.RISKY: N_("RISKY"),
    Severity.ADVICE: N_("ADVICE"),
}


class Auth(enum.StrEnum):
    """How a program proves the password, reduced to what matters for NPOMail."""

    PASSWORD = "password"  # the normal password, inside TLS: what NPOMail checks
    ENCRYPTED = "encrypted"  # "secure password authentication": SPA/NTLM, CRAM-MD5, Kerberos
    NONE = "none"  # no login at all
    OTHER = "other"  # OAuth2, client certificates: nothing NPOMail offers


AUTH_LABEL = {
    Auth.PASSWORD: Message("normal password"),
    Auth.ENCRYPTED: Message("encrypted password (secure password authentication)"),
    Auth.NONE: Message("no authentication"),
    Auth.OTHER: Message("another method"),
}
_NOT_SET = Message("not set")
_NONE = Message("none")
_NORMAL_PASSWORD = Message("normal password, inside the encrypted connection")
NO_SECURITY = "none"


@dataclass(frozen=True)
class ServerSetting:
    """One server as the program has it. `security` is "none", "starttls" or "ssl"."""

    protocol: MailProtocol
    host: str | None
    port: int | None
    security: str
    auth: Auth
    auth_detail: str  # the program's own value, e.g. "authMethod 4"
    username: str | None


@dataclass(frozen=True)
class PopSetting:
    leave_on_server: bool
    delete_after_days: int | None  # None: never removed by age


@dataclass(frozen=True)
class Finding:
    """One wrong or noteworthy setting: human words first, the technical value beside them."""

    setting: str  # e.g. "incoming.auth"
    found: str
    expected: str
    severity: Severity
    message: str
    target: Any = field(default=None, compare=False)  # what a fix writes; None: reported, never changed

    @property
    def fixable(self) -> bool:
        return self.target is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "setting": self.setting,
            "found": self.found,
            "expected": self.expected,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class FoundAccount:
    """An account for the address in one program's settings, and what is wrong with it."""

    program: str  # Client value: "thunderbird", "outlook", "apple-mail"
    profile: str  # the program's profile (folder or Outlook profile name)
    account: str  # the program's own key: "account3", the registry subkey "00000002"
    incoming: ServerSetting
    outgoing: ServerSetting | None  # None: no outgoing server at all
    identity_address: str | None
    pop: PopSetting | None = None
    location: str = ""  # the file or registry key, for a volunteer
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """Right enough to use: nothing that breaks mail or puts it at risk (advice may remain)."""
        return not any(f.severity is not Severity.ADVICE for f in self.findings)

    @property
    def fixable(self) -> list[Finding]:
        return [f for f in self.findings if f.fixable]

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "profile": self.profile,
            "account": self.account,
            "location": self.location,
            "ok": self.ok,
            "findings": [f.to_json() for f in self.findings],
        }


def _security_label(security: str) -> str:
    if security == NO_SECURITY:
        return Message("no encryption")
    return Security(security).label


def describe(endpoint: Endpoint) -> str:
    return f"{endpoint.host}:{endpoint.port} {endpoint.security.label}"


def target_endpoint(server: ServerSetting, settings: AccountSettings, ssl_first: bool) -> Endpoint | None:
    """The working endpoint this server should use, changing as little as possible; None if nothing secure works.

    Already working: itself. Else, for a program that does SSL best (ssl_first), the best; for the others one on
    the same port (so "no encryption on 143" becomes STARTTLS on 143), else one with the same encryption, else
    the best.
    """
    candidates = settings.ordered(server.protocol, ssl_first)
    if not candidates:
        return None
    host = (server.host or "").casefold()
    for endpoint in candidates:
        if endpoint.host.casefold() == host and endpoint.port == server.port and endpoint.security == server.security:
            return endpoint
    if ssl_first:
        return candidates[0]
    for endpoint in candidates:
        if endpoint.port == server.port:
            return endpoint
    for endpoint in candidates:
        if endpoint.security == server.security:
            return endpoint
    return candidates[0]


def _server_findings(
    where: str, server: ServerSetting, settings: AccountSettings, ssl_first: bool, label: str
) -> list[Finding]:
    findings: list[Finding] = []
    side = _SIDE.get(label, label)
    target = target_endpoint(server, settings, ssl_first)
    if target is None:
        findings.append(
            Finding(
                f"{where}.server",
                f"{server.host}:{server.port}",
                Message("a secure {protocol} connection", protocol=server.protocol.label),
                Severity.ADVICE,
                Message(
                    "No secure {protocol} connection to {provider} worked from here, so the assistant cannot tell "
                    "what this should be; check the network and run the check again.",
                    protocol=server.protocol.label,
                    provider=settings.provider.name,
                ),
            )
        )
    else:
        if (server.host or "").casefold() != target.host.casefold():
            findings.append(
                Finding(
                    f"{where}.host",
                    server.host or _NOT_SET,
                    target.host,
                    Severity.BREAKS,
                    Message(
                        "The {side} server name is {host}, not {provider}'s server {target} (an old server name, or "
                        "a guess of the mail program).",
                        side=side,
                        host=server.host or Message("missing"),
                        provider=settings.provider.name,
                        target=target.host,
                    ),
                    target.host,
                )
            )
        if server.security != target.security.value:
            if server.security == NO_SECURITY:
                severity = Severity.RISKY
                message = Message(
                    "The {side} connection is not encrypted: your password and mail cross the network readable by "
                    "anyone on the way. {guide}",
                    side=side,
                    guide=GUIDE_TLS,
                )
            else:
                severity = Severity.BREAKS
                message = Message(
                    "{security} does not work on port {port}. {guide}",
                    security=_security_label(server.security),
                    port=server.port,
                    guide=GUIDE_TLS,
                )
            findings.append(
                Finding(
                    f"{where}.security",
                    _security_label(server.security),
                    target.security.label,
                    severity,
                    message,
                    target.security,
                )
            )
        if server.port != target.port:
            if server.protocol is MailProtocol.SMTP and server.port == 25:
                message = Message(
                    "Port 25 is for mail between servers; internet providers often block it, and it is not where "
                    '{provider} takes mail from people. The guide: "server port: 587" (465 with SSL).',
                    provider=settings.provider.name,
                )
            else:
                message = Message(
                    "With {security} the {side} port is {port}, not {found}.",
                    security=target.security.label,
                    side=side,
                    port=target.port,
                    found=server.port,
                )
            findings.append(
                Finding(
                    f"{where}.port",
                    str(server.port) if server.port is not None else _NOT_SET,
                    str(target.port),
                    Severity.BREAKS,
                    message,
                    target.port,
                )
            )

    if server.auth is Auth.ENCRYPTED:
        findings.append(
            Finding(
                f"{where}.auth",
                Message("{auth} ({detail})", auth=AUTH_LABEL[server.auth], detail=server.auth_detail),
                _NORMAL_PASSWORD,
                Severity.BREAKS,
                Message(
                    "The {side} server is asked for an encrypted-password login it does not offer, so the login "
                    "fails. {guide}",
                    side=side,
                    guide=GUIDE_SPA,
                ),
                Auth.PASSWORD,
            )
        )
    elif server.auth is not Auth.PASSWORD:
        findings.append(
            Finding(
                f"{where}.auth",
                Message("{auth} ({detail})", auth=AUTH_LABEL[server.auth], detail=server.auth_detail),
                _NORMAL_PASSWORD,
                Severity.BREAKS,
                Message(
                    "Without your address and password the {side} server refuses it. {guide}",
                    side=side,
                    guide=GUIDE_AUTH,
                ),
                Auth.PASSWORD,
            )
        )

    expected_user = settings.username
    user = server.username or ""
    if user.casefold() != expected_user.casefold():
        if user.casefold() == settings.address.short_username.casefold():
            why = Message("the short username is only for webmail; mail programs log in with the full address.")
        elif not user:
            why = Message("no username is set.")
        else:
            why = Message("that is not this address.")
        findings.append(
            Finding(
                f"{where}.username",
                user or _NOT_SET,
                expected_user,
                Severity.BREAKS,
                Message(
                    "The {side} login is {user}: {why} {guide}",
                    side=side,
                    user=user or Message("empty"),
                    why=why,
                    guide=GUIDE_USERNAME,
                ),
                expected_user,
            )
        )
    return findings


def diagnose(account: FoundAccount, settings: AccountSettings, *, ssl_first: bool = False) -> FoundAccount:
    """The account with its findings filled in (an account with nothing wrong gets none).

    ssl_first: the program is one the guide says does SSL better than TLS (Outlook, Apple Mail), so SSL is what
    a fix chooses when it has to choose; an account already on a working STARTTLS port is left alone.
    """
    findings = _server_findings("incoming", account.incoming, settings, ssl_first, "incoming")
    if account.outgoing is None:
        smtp = settings.ordered(MailProtocol.SMTP, ssl_first)
        findings.append(
            Finding(
                "outgoing.server",
                _NONE,
                describe(smtp[0]) if smtp else Message("an outgoing server"),
                Severity.BREAKS,
                Message("This account has no outgoing server, so mail cannot be sent from it."),
                smtp[0] if smtp else None,
            )
        )
    else:
        findings += _server_findings("outgoing", account.outgoing, settings, ssl_first, "outgoing")

    address = settings.address.address
    if account.identity_address is None:
        findings.append(
            Finding(
                "identity.address",
                _NONE,
                address,
                Severity.BREAKS,
                Message("The account has no sender address, so it cannot send mail."),
            )
        )
    elif account.identity_address.casefold() != address.casefold():
        findings.append(
            Finding(
                "identity.address",
                account.identity_address,
                address,
                Severity.ADVICE,
                Message(
                    "Mail sent from this account says it is from {found}, not {address}. That is right only if it is "
                    "meant to be an alias.",
                    found=account.identity_address,
                    address=address,
                ),
            )
        )

    if account.pop is not None:
        if not account.pop.leave_on_server:
            findings.append(
                Finding(
                    "pop.leave_on_server",
                    Message("off (mail is removed from the server when downloaded)"),
                    Message("on"),
                    Severity.RISKY,
                    Message(
                        "Mail is deleted from the server once this program has downloaded it, so webmail, your phone "
                        "and a second computer never see it, and it exists only on this computer. {guide}",
                        guide=GUIDE_POP,
                    ),
                    True,
                )
            )
        elif account.pop.delete_after_days is not None:
            findings.append(
                Finding(
                    "pop.delete_after_days",
                    Message("removed from the server {days} days after download", days=account.pop.delete_after_days),
                    Message("kept on the server"),
                    Severity.ADVICE,
                    Message(
                        "Mail is removed from the server {days} days after this program downloads it; webmail and "
                        "your other devices no longer see it after that. Change it in the account settings if that is "
                        "not what you want.",
                        days=account.pop.delete_after_days,
                    ),
                )
            )
    return replace(account, findings=tuple(findings))


def mark_duplicates(accounts: Sequence[FoundAccount]) -> list[FoundAccount]:
    """Adds an advice finding to every account that shares its program and profile with another for the address.

    Duplicates are reported, never removed: which one holds the person's folders only they can tell.
    """
    groups: dict[tuple[str, str], list[FoundAccount]] = {}
    for account in accounts:
        groups.setdefault((account.program, account.profile), []).append(account)
    out: list[FoundAccount] = []
    for account in accounts:
        same = groups[(account.program, account.profile)]
        if len(same) < 2:
            out.append(account)
            continue
        others = ", ".join(a.account for a in same if a is not account)
        finding = Finding(
            "duplicate",
            Message(
                "{n} accounts for this address ({accounts})",
                n=len(same),
                accounts=", ".join(a.account for a in same),
            ),
            Message("one account"),
            Severity.ADVICE,
            Message(
                "This profile has more than one account for the same address (also {others}): mail may be fetched "
                "twice, or sent through the wrong one. Remove the one you do not use in the mail program's account "
                "settings; this assistant never removes an account.",
                others=others,
            ),
        )
        out.append(replace(account, findings=(*account.findings, finding)))
    return out


def summary(account: FoundAccount, program_label: str) -> str:
    """One line for a person: "Thunderbird already has this address, but 3 settings are wrong"."""
    wrong = [f for f in account.findings if f.severity is not Severity.ADVICE]
    if not wrong:
        return Message("{program} already has this address, and its settings are right.", program=program_label)
    if len(wrong) == 1:
        return Message("{program} already has this address, but 1 setting is wrong.", program=program_label)
    return Message(
        "{program} already has this address, but {n} settings are wrong.", program=program_label, n=len(wrong)
    )


@dataclass(frozen=True)
class Change:
    """One value a repair changed (or, before consent, would change)."""

    program: str
    profile: str
    account: str
    setting: str
    old: str
    new: str

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "profile": self.profile,
            "account": self.account,
            "setting": self.setting,
            "from": self.old,
            "to": self.new,
        }

    def describe(self) -> str:
        """The change in one line: a Message, so its values (Messages themselves) are translated where shown."""
        return Message("{setting}: {old} → {new}", setting=self.setting, old=self.old, new=self.new)


def planned_changes(account: FoundAccount) -> list[Change]:
    """What a repair of this account would change: every finding that has a value to write."""
    return [
        Change(account.program, account.profile, account.account, f.setting, f.found, f.expected)
        for f in account.fixable
    ]
