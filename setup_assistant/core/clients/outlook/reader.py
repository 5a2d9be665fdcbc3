"""Finding classic Outlook's IMAP and POP accounts for an address in the registry, through the Registry adapter.

Classic Outlook keeps each internet account of a mail profile under
`HKCU\\Software\\Microsoft\\Office\\<version>\\Outlook\\Profiles\\<profile>\\9375CFF0413111d3B88A00104B2A6676\\<8 hex>`.
Microsoft documents the Account Management API's properties (office-developer-client-docs,
docs/outlook/auxiliary/*.md: property tags and meanings), not the registry value names that store them, so each
name below was checked against admin and forensic scripts that read real profiles, and each meaning against the
property it stores:

Sources: [M] Metasploit `post/windows/gather/credentials/outlook`; [F] FabriqBackUper's `outlook_pop` backup
script ("value names verified against an actual registry dump"); [OE] Outlook Express's account property table.

- "Account Name" = PROP_ACCT_NAME [M]; "Email" = PROP_ACCT_USER_EMAIL_ADDR [M, F]
- "IMAP Server"/"POP3 Server" = PROP_INET_SERVER; "IMAP User"/"POP3 User" = PROP_INET_USER [M, F]
- "IMAP Port"/"POP3 Port" = PROP_INET_PORT, absent means 143/110 [M, F]
- "IMAP Use SSL"/"POP3 Use SSL" = PROP_INET_SSL, "a zero value means do not use SSL" [M, F]
- "IMAP Use SPA"/"POP3 Use SPA" [M] and "POP3 Use Sicily" [F, OE] = PROP_INET_USE_SPA
- "SMTP Server" = PROP_SMTP_SERVER; "SMTP Port" = PROP_SMTP_PORT, absent means 25 [M, F]
- "SMTP Secure Connection" = PROP_SMTP_SECURE_CONNECTION: ENCRYPT_CONN_NO_SECURITY 0, _SSL 1, _TLS 2, _AUTO 3
  [F, OE]; the older "SMTP Use SSL" [M]
- "SMTP Use Auth" = PROP_SMTP_USE_AUTH, "a zero value means do not use authentication" [M, F]
- "SMTP Auth Method" = PROP_SMTP_AUTH_METHOD: SMTP_AUTH_SAME_AS_POP 0, _USER_PASS 1, _RECEIVE_BEFORE_SEND 2 [M, F];
  "SMTP User" = PROP_SMTP_USER [M, F]
- "SMTP Use Sicily" [OE] = PROP_SMTP_USE_SPA ("SMTP Use SPA" is read too, by analogy only)
- "Leave on Server" = PROP_POP_LEAVE_ON_SERVER: LEAVE_ON_SERVER 0x1, REMOVE_AFTER 0x2, REMOVE_ON_NUKE 0x4,
  days in the high 16 bits (GET_REMOVE_AFTER_DAYS) [F]

Strings are UTF-16LE REG_BINARY values ending in a NUL (how both scripts decode them); numbers are DWORDs.
Not verified (no Windows here, and Microsoft does not say): which of the two SPA names a given Outlook build writes
(both are read, and a fix clears whichever exists), and whether an incoming "Use SSL" of 2 means STARTTLS as
ENCRYPT_CONN_TLS does for SMTP (read so; a fix writes 1, SSL, the guide's advice for Outlook, whenever SSL works).
"""

from __future__ import annotations

from dataclasses import dataclass

from setup_assistant.core.address import EmailAddress
from setup_assistant.core.clients.diagnosis import NO_SECURITY, Auth, FoundAccount, PopSetting, ServerSetting
from setup_assistant.core.clients.outlook.registry import Registry, RegistryKind, RegistryValue
from setup_assistant.core.model import MailProtocol

PROGRAM = "outlook"
INTERNET_ACCOUNTS = "9375CFF0413111d3B88A00104B2A6676"
OUTLOOK_VERSIONS = ("16.0", "15.0")  # 16.0: 2016 to Microsoft 365; 15.0: 2013
LEAVE_ON_SERVER, REMOVE_AFTER, REMOVE_ON_NUKE = 0x1, 0x2, 0x4
ENCRYPT_NONE, ENCRYPT_SSL, ENCRYPT_TLS, ENCRYPT_AUTO = 0, 1, 2, 3
SMTP_AUTH_SAME_AS_INCOMING, SMTP_AUTH_USER_PASS, SMTP_AUTH_RECEIVE_BEFORE_SEND = 0, 1, 2
DEFAULT_PORTS = {MailProtocol.IMAP: 143, MailProtocol.POP3: 110, MailProtocol.SMTP: 25}
PREFIX = {MailProtocol.IMAP: "IMAP", MailProtocol.POP3: "POP3", MailProtocol.SMTP: "SMTP"}


def profiles_key(version: str) -> str:
    return rf"Software\Microsoft\Office\{version}\Outlook\Profiles"


def spa_names(protocol: MailProtocol) -> tuple[str, str]:
    prefix = PREFIX[protocol]
    return f"{prefix} Use SPA", f"{prefix} Use Sicily"


def decode_string(value: RegistryValue | None) -> str | None:
    """A REG_BINARY UTF-16LE string up to its NUL (or a plain REG_SZ, which some tools write)."""
    if value is None:
        return None
    if isinstance(value.data, bytes):
        return value.data.decode("utf-16-le", errors="replace").split("\x00", 1)[0]
    return str(value.data)


def encode_string(key: str, name: str, text: str) -> RegistryValue:
    return RegistryValue(key, name, RegistryKind.BINARY, (text + "\x00").encode("utf-16-le"))


def _dword(registry: Registry, key: str, name: str) -> int | None:
    value = registry.read(key, name)
    return value.data if value is not None and isinstance(value.data, int) else None


@dataclass(frozen=True)
class OutlookAccountKey:
    version: str
    profile: str
    subkey: str
    protocol: MailProtocol

    @property
    def key(self) -> str:
        return rf"{profiles_key(self.version)}\{self.profile}\{INTERNET_ACCOUNTS}\{self.subkey}"


def _security(code: int | None, port: int) -> str:
    if not code:
        return NO_SECURITY
    if code == ENCRYPT_TLS:
        return "starttls"
    if code == ENCRYPT_AUTO:  # Outlook picks; on the SSL ports that is SSL
        return "ssl" if port in (993, 995, 465) else "starttls"
    return "ssl"


def _spa_on(registry: Registry, key: str, protocol: MailProtocol) -> str | None:
    for name in spa_names(protocol):
        if _dword(registry, key, name):
            return f"{name} = 1"
    return None


def read_account(registry: Registry, where: OutlookAccountKey) -> FoundAccount:
    key, protocol = where.key, where.protocol
    prefix = PREFIX[protocol]
    port = _dword(registry, key, f"{prefix} Port") or DEFAULT_PORTS[protocol]
    ssl = _dword(registry, key, f"{prefix} Use SSL")
    spa = _spa_on(registry, key, protocol)
    user = decode_string(registry.read(key, f"{prefix} User"))
    incoming = ServerSetting(
        protocol,
        decode_string(registry.read(key, f"{prefix} Server")),
        port,
        _security(ssl, port),
        Auth.ENCRYPTED if spa else Auth.PASSWORD,
        spa or f"{prefix} Use SPA off",
        user,
    )
    smtp_server = decode_string(registry.read(key, "SMTP Server"))
    outgoing = None
    if smtp_server is not None:
        smtp_port = _dword(registry, key, "SMTP Port") or DEFAULT_PORTS[MailProtocol.SMTP]
        secure = _dword(registry, key, "SMTP Secure Connection")
        if secure is None:
            secure = ENCRYPT_SSL if _dword(registry, key, "SMTP Use SSL") else ENCRYPT_NONE
        use_auth = _dword(registry, key, "SMTP Use Auth")
        method = _dword(registry, key, "SMTP Auth Method") or SMTP_AUTH_SAME_AS_INCOMING
        smtp_spa = _spa_on(registry, key, MailProtocol.SMTP)
        if not use_auth:
            auth, detail = Auth.NONE, "SMTP Use Auth = 0"
        elif method == SMTP_AUTH_RECEIVE_BEFORE_SEND:
            auth, detail = Auth.OTHER, "SMTP Auth Method = 2 (log on to incoming mail server before sending)"
        elif smtp_spa:
            auth, detail = Auth.ENCRYPTED, smtp_spa
        else:
            auth, detail = Auth.PASSWORD, f"SMTP Auth Method = {method}"
        smtp_user = decode_string(registry.read(key, "SMTP User")) if method == SMTP_AUTH_USER_PASS else user
        outgoing = ServerSetting(
            MailProtocol.SMTP, smtp_server, smtp_port, _security(secure, smtp_port), auth, detail, smtp_user
        )
    pop = None
    if protocol is MailProtocol.POP3:
        flags = _dword(registry, key, "Leave on Server") or 0
        leave = bool(flags & LEAVE_ON_SERVER)
        pop = PopSetting(leave, (flags >> 16) if leave and flags & REMOVE_AFTER else None)
    return FoundAccount(
        PROGRAM,
        where.profile,
        where.subkey,
        incoming,
        outgoing,
        decode_string(registry.read(key, "Email")),
        pop,
        "HKEY_CURRENT_USER\\" + key,
    )


def locate(registry: Registry, address: EmailAddress) -> list[OutlookAccountKey]:
    """Every IMAP/POP account in every Outlook mail profile whose address or username is this address's."""
    wanted = address.address.casefold()
    short = address.short_username.casefold()
    domain = address.domain.casefold()
    found: list[OutlookAccountKey] = []
    for version in OUTLOOK_VERSIONS:
        for profile in registry.subkeys(profiles_key(version)):
            accounts = rf"{profiles_key(version)}\{profile}\{INTERNET_ACCOUNTS}"
            for subkey in registry.subkeys(accounts):
                key = rf"{accounts}\{subkey}"
                for protocol in (MailProtocol.IMAP, MailProtocol.POP3):
                    prefix = PREFIX[protocol]
                    host = decode_string(registry.read(key, f"{prefix} Server"))
                    if host is None:
                        continue
                    email = (decode_string(registry.read(key, "Email")) or "").casefold()
                    user = (decode_string(registry.read(key, f"{prefix} User")) or "").casefold()
                    in_domain = email.rpartition("@")[2] == domain or host.casefold().endswith(domain)
                    if email == wanted or user == wanted or (user == short and in_domain):
                        found.append(OutlookAccountKey(version, profile, subkey, protocol))
                    break
    return found


def find_accounts(registry: Registry, address: EmailAddress) -> list[FoundAccount]:
    return [read_account(registry, where) for where in locate(registry, address)]
