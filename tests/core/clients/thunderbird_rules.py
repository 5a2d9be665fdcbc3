"""Thunderbird 153's own rules for a config-v1.1.xml, ported to Python so tests can apply them to our files.

Ported from Thunderbird 153 ESR (Debian's thunderbird 1:153.8.0esr, `omni.ja`):
- `modules/accountcreation/AccountConfig.sys.mjs`: the defaults every new account starts from
  (`createNewIncoming`, `createNewOutgoing`, the identity's `%REALNAME%`/`%EMAILADDRESS%`) and
  `AccountConfig.replaceVariables` (`%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`, `%REALNAME%`, filled
  into every incoming server, the first outgoing server, the identity and the display name; outgoing
  alternatives are left alone, as in Thunderbird);
- `modules/accountcreation/readFromXML.sys.mjs`: which elements are read. For POP it reads only
  `leaveMessagesOnServer`, `daysToLeaveMessagesOnServer` and `downloadOnBiff`; `deleteByAgeFromServer` and
  `deleteOnServerWhenLocalDelete` keep their defaults (true).
Only what the assistant's files use is ported (no OAuth2, Exchange, EWS or input fields).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SOCKET_TYPES = {"plain": 0, "SSL": 3, "STARTTLS": 2}  # nsMsgSocketType
AUTH_METHODS = {"password-cleartext": 3, "plain": 3, "password-encrypted": 4, "secure": 4}  # nsMsgAuthMethod


@dataclass
class Server:
    """createNewIncoming() / createNewOutgoing(), the fields that matter here, with Thunderbird's defaults."""

    type: str | None = None
    hostname: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None
    socket_type: int = -1
    auth: int = 0
    # POP3 only (AccountConfig.sys.mjs defaults)
    leave_messages_on_server: bool = True
    days_to_leave_messages_on_server: int = 14
    delete_by_age_from_server: bool = True
    delete_on_server_when_local_delete: bool = True
    download_on_biff: bool = True


@dataclass
class AccountConfig:
    incoming: Server = field(default_factory=Server)
    incoming_alternatives: list[Server] = field(default_factory=list)
    outgoing: Server = field(default_factory=Server)
    outgoing_alternatives: list[Server] = field(default_factory=list)
    realname: str = "%REALNAME%"
    email_address: str = "%EMAILADDRESS%"
    display_name: str | None = None
    domains: list[str] = field(default_factory=list)


def _boolean(text: str) -> bool:
    if text == "true":
        return True
    if text == "false":
        return False
    raise ValueError(f"boolean-error: {text!r}")


def _first_supported(values: list[str], mapping: dict[str, int]) -> int:
    for value in values:
        if value in mapping:
            return mapping[value]  # "take first that we support"
    raise ValueError(f"none of {values} is supported")


def read_from_xml(data: bytes) -> AccountConfig:
    """readFromXML(): the <clientConfig> as Thunderbird reads it."""
    root = ET.fromstring(data)
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        raise ValueError("no-email-provider-error")
    config = AccountConfig()
    config.display_name = provider.findtext("displayName") or provider.get("id")
    config.domains = [d.text or "" for d in provider.findall("domain")]
    for element in provider.findall("incomingServer"):
        server = Server(type=element.get("type"))
        server.hostname = element.findtext("hostname")
        port = element.findtext("port")
        server.port = int(port) if port is not None else None
        server.username = element.findtext("username")  # "may be a %VARIABLE%"
        server.password = element.findtext("password")
        server.socket_type = _first_supported([s.text or "" for s in element.findall("socketType")], SOCKET_TYPES)
        server.auth = _first_supported([a.text or "" for a in element.findall("authentication")], AUTH_METHODS)
        pop3 = element.find("pop3")
        if server.type == "pop3" and pop3 is not None:
            if (leave := pop3.findtext("leaveMessagesOnServer")) is not None:
                server.leave_messages_on_server = _boolean(leave)
            if (days := pop3.findtext("daysToLeaveMessagesOnServer")) is not None:
                server.days_to_leave_messages_on_server = int(days)
            if (biff := pop3.findtext("downloadOnBiff")) is not None:
                server.download_on_biff = _boolean(biff)
        if config.incoming.hostname is None:
            config.incoming = server
        else:
            config.incoming_alternatives.append(server)
    for element in provider.findall("outgoingServer"):
        if element.get("type") != "smtp":
            continue
        server = Server(type="smtp", hostname=element.findtext("hostname"), port=int(element.findtext("port") or 0))
        server.socket_type = _first_supported([s.text or "" for s in element.findall("socketType")], SOCKET_TYPES)
        server.auth = _first_supported([a.text or "" for a in element.findall("authentication")], AUTH_METHODS)
        server.username = element.findtext("username")
        server.password = element.findtext("password")
        if config.outgoing.hostname is None:
            config.outgoing = server
        else:
            config.outgoing_alternatives.append(server)
    if config.incoming.hostname is None or config.outgoing.hostname is None:
        raise ValueError("need an incoming and an outgoing server")
    return config


def _replace(text: str | None, values: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name, value in values.items():
        text = text.replace(f"%{name}%", value)
    return text


def replace_variables(config: AccountConfig, realname: str, email: str, password: str | None = None) -> None:
    """AccountConfig.replaceVariables(): what Thunderbird does with the address the person typed."""
    local, sep, domain = email.partition("@")
    if not sep or "@" in domain or not local or not domain or not realname:
        raise ValueError("email address not in expected format / empty name")
    values = {"EMAILADDRESS": email, "EMAILLOCALPART": local, "EMAILDOMAIN": domain, "REALNAME": realname}
    for server in [config.incoming, config.outgoing, *config.incoming_alternatives]:
        if password:
            server.password = password
        server.username = _replace(server.username, values)
        if server.hostname:
            server.hostname = _replace(server.hostname, values)
    config.realname = _replace(config.realname, values) or ""
    config.email_address = _replace(config.email_address, values) or ""
    config.display_name = _replace(config.display_name, values)
