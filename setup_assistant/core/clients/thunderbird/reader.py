"""Finding the Thunderbird accounts a person already has for an address, in every profile, as Thunderbird reads them.

An account matches when one of its identities sends as the address, or its server logs in with the full address,
or with the short local part on a server that is plausibly this domain's (the provider's host, a host under the
address's domain, or an identity in the domain); on any host, so an old server name is found too. Defaults for
prefs that are absent are Thunderbird 153's own (defaults/pref/mailnews.js: authMethod 3, socketType 0,
leave_on_server false, delete_by_age_from_server false, num_days_to_leave_on_server 7; an incoming port that is
not set is the protocol's default for the socket type, MsgIncomingServer.port; an outgoing port 0 is 465 with
SSL and 587 otherwise, SmtpClient.sys.mjs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from setup_assistant.core.address import EmailAddress
from setup_assistant.core.clients.diagnosis import NO_SECURITY, Auth, FoundAccount, PopSetting, ServerSetting
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile, PrefsSyntaxError
from setup_assistant.core.clients.thunderbird.writer import find_profiles
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.provider import Provider

PROGRAM = "thunderbird"
# nsMsgSocketType: 0 plain, 1 trySTARTTLS (removed in 132 and migrated to 2 at start-up), 2 STARTTLS, 3 SSL.
SOCKET_SECURITY = {0: NO_SECURITY, 1: "starttls", 2: "starttls", 3: "ssl"}
# nsMsgAuthMethod (MailNewsTypes2.idl).
AUTH_METHODS = {
    1: ("no authentication", Auth.NONE),
    2: ("password, old method", Auth.PASSWORD),
    3: ("normal password", Auth.PASSWORD),
    4: ("encrypted password", Auth.ENCRYPTED),
    5: ("Kerberos / GSSAPI", Auth.ENCRYPTED),
    6: ("NTLM", Auth.ENCRYPTED),
    7: ("TLS certificate", Auth.OTHER),
    8: ("secure authentication", Auth.ENCRYPTED),
    9: ("any method", Auth.OTHER),
    10: ("OAuth2", Auth.OTHER),
}
DEFAULT_PORTS = {
    (MailProtocol.IMAP, False): 143,
    (MailProtocol.IMAP, True): 993,
    (MailProtocol.POP3, False): 110,
    (MailProtocol.POP3, True): 995,
}


@dataclass(frozen=True)
class AccountKeys:
    """Where one account's parts live in prefs.js."""

    account: str
    server: str
    identity: str | None
    smtp: str | None  # the outgoing server the identity uses (its own, else the default)
    smtp_is_identitys: bool  # the identity names it (False: the default server is used)


def split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _auth(method: int | None) -> tuple[Auth, str]:
    value = 3 if method is None else method
    label, kind = AUTH_METHODS.get(value, (f"method {value}", Auth.OTHER))
    # The common ones say themselves in AUTH_LABEL; the rarer ones keep Thunderbird's own name beside the number.
    return kind, f"authMethod {value}" if value in (1, 3, 4) else f"authMethod {value}: {label}"


def incoming_setting(prefs: PrefsFile, server: str) -> ServerSetting:
    base = f"mail.server.{server}."
    protocol = MailProtocol.POP3 if prefs.get_str(base + "type") == "pop3" else MailProtocol.IMAP
    socket = prefs.get_int(base + "socketType") or 0
    port = prefs.get_int(base + "port")
    if port is None or port <= 1:
        port = DEFAULT_PORTS[(protocol, socket == 3)]
    auth, detail = _auth(prefs.get_int(base + "authMethod"))
    return ServerSetting(
        protocol,
        prefs.get_str(base + "hostname"),
        port,
        SOCKET_SECURITY.get(socket, NO_SECURITY),
        auth,
        detail,
        prefs.get_str(base + "userName"),
    )


def outgoing_setting(prefs: PrefsFile, smtp: str) -> ServerSetting:
    base = f"mail.smtpserver.{smtp}."
    socket = prefs.get_int(base + "try_ssl") or 0
    port = prefs.get_int(base + "port") or (465 if socket == 3 else 587)
    auth, detail = _auth(prefs.get_int(base + "authMethod"))
    return ServerSetting(
        MailProtocol.SMTP,
        prefs.get_str(base + "hostname"),
        port,
        SOCKET_SECURITY.get(socket, NO_SECURITY),
        auth,
        detail,
        prefs.get_str(base + "username"),
    )


def default_smtp(prefs: PrefsFile) -> str | None:
    listed = split_list(prefs.get_str("mail.smtpservers"))
    default = prefs.get_str("mail.smtp.defaultserver") or (listed[0] if listed else None)
    return default if default and prefs.get_str(f"mail.smtpserver.{default}.hostname") else None


def _pop(prefs: PrefsFile, server: str) -> PopSetting:
    base = f"mail.server.{server}."
    leave = prefs.get_bool(base + "leave_on_server") is True
    by_age = prefs.get_bool(base + "delete_by_age_from_server") is True
    days = prefs.get_int(base + "num_days_to_leave_on_server")
    return PopSetting(leave, (days if days is not None else 7) if leave and by_age else None)


def _domain_of(address: str | None) -> str:
    return (address or "").rpartition("@")[2].casefold()


def locate(prefs: PrefsFile, address: EmailAddress, provider: Provider) -> list[AccountKeys]:
    """Every mail account in these prefs that is for the address (see the module's note for the rules)."""
    wanted = address.address.casefold()
    short = address.short_username.casefold()
    domain = address.domain.casefold()
    provider_hosts = {s.host.casefold() for s in provider.servers.values()}
    found: list[AccountKeys] = []
    for account in split_list(prefs.get_str("mail.accountmanager.accounts")):
        server = prefs.get_str(f"mail.account.{account}.server")
        if not server or prefs.get_str(f"mail.server.{server}.type") not in ("imap", "pop3"):
            continue
        identities = split_list(prefs.get_str(f"mail.account.{account}.identities"))
        emails = {i: (prefs.get_str(f"mail.identity.{i}.useremail") or "") for i in identities}
        user = (prefs.get_str(f"mail.server.{server}.userName") or "").casefold()
        host = (prefs.get_str(f"mail.server.{server}.hostname") or "").casefold()
        by_identity = [i for i in identities if emails[i].casefold() == wanted]
        domain_host = host in provider_hosts or host == domain or host.endswith("." + domain)
        in_domain = any(_domain_of(e) == domain for e in emails.values())
        if not (by_identity or user == wanted or (user == short and (domain_host or in_domain))):
            continue
        identity = by_identity[0] if by_identity else (identities[0] if identities else None)
        own_smtp = prefs.get_str(f"mail.identity.{identity}.smtpServer") if identity else None
        if own_smtp and prefs.get_str(f"mail.smtpserver.{own_smtp}.hostname"):
            found.append(AccountKeys(account, server, identity, own_smtp, True))
        else:
            found.append(AccountKeys(account, server, identity, default_smtp(prefs), False))
    return found


def read_account(prefs: PrefsFile, keys: AccountKeys, profile: str, location: str) -> FoundAccount:
    """The account as Thunderbird uses it, not yet diagnosed."""
    incoming = incoming_setting(prefs, keys.server)
    return FoundAccount(
        PROGRAM,
        profile,
        keys.account,
        incoming,
        outgoing_setting(prefs, keys.smtp) if keys.smtp else None,
        prefs.get_str(f"mail.identity.{keys.identity}.useremail") if keys.identity else None,
        _pop(prefs, keys.server) if incoming.protocol is MailProtocol.POP3 else None,
        location,
    )


def read_prefs(profile_dir: Path) -> PrefsFile | None:
    """The profile's prefs.js, or None when there is none (or it cannot be read safely)."""
    try:
        data = (Path(profile_dir) / "prefs.js").read_bytes()
    except OSError:
        return None
    try:
        return PrefsFile(data)
    except PrefsSyntaxError:
        return None


def accounts_in_profile(profile_dir: Path, address: EmailAddress, provider: Provider) -> list[FoundAccount]:
    prefs = read_prefs(profile_dir)
    if prefs is None:
        return []
    location = str(Path(profile_dir) / "prefs.js")
    return [read_account(prefs, keys, str(profile_dir), location) for keys in locate(prefs, address, provider)]


def find_accounts(
    address: EmailAddress,
    provider: Provider,
    profiles: list[Path] | None = None,
    home: Path | None = None,
    platform: str | None = None,
) -> list[FoundAccount]:
    """Accounts for the address in the given profiles, or in every Thunderbird profile on this computer."""
    dirs = profiles if profiles is not None else [p.path for p in find_profiles(home, platform)]
    found: list[FoundAccount] = []
    for profile_dir in dirs:
        found += accounts_in_profile(profile_dir, address, provider)
    return found
