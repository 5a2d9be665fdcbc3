"""What a profile writer needs to know about one person's account, whichever mail program it serves.

Built from a probe (only the endpoints that really worked) or, with --no-probe, from the provider's
settings as the guide gives them. Writers then pick the order they need: Thunderbird follows the
provider's preference (STARTTLS first), Outlook and Apple Mail take SSL first, as the guide says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from setup_assistant.core.address import EmailAddress
from setup_assistant.core.i18n import Message
from setup_assistant.core.model import Endpoint, EndpointResult, MailProtocol, Security
from setup_assistant.core.provider import Provider


class NoSecureEndpoint(ValueError):
    """Nothing secure worked for a protocol the profile needs; args[0] is an i18n.Message (English as str())."""


@dataclass(frozen=True)
class AccountSettings:
    address: EmailAddress
    display_name: str | None
    provider: Provider
    protocol: MailProtocol = MailProtocol.IMAP  # incoming: IMAP (recommended) or POP3
    working: tuple[Endpoint, ...] = ()  # endpoints known to work, every one over TLS
    probed: bool = False
    pop_delete_after_days: int | None = None  # POP always leaves mail on the server; deletion only if chosen
    password: str | None = None  # only when the person explicitly asked for it to be written into a file

    def __post_init__(self) -> None:
        if self.protocol is MailProtocol.SMTP:
            raise ValueError("the incoming protocol must be IMAP or POP3")
        if self.pop_delete_after_days is not None and self.pop_delete_after_days < 1:
            raise ValueError("days before deletion must be at least 1")

    @property
    def username(self) -> str:
        return self.address.username

    def ordered(self, protocol: MailProtocol, ssl_first: bool = False) -> list[Endpoint]:
        """Working endpoints for a protocol, best first."""
        first = Security.SSL if ssl_first else self.provider.prefer
        candidates = [e for e in self.working if e.protocol is protocol]
        return sorted(candidates, key=lambda e: 0 if e.security is first else 1)

    def best(self, protocol: MailProtocol, ssl_first: bool = False) -> Endpoint:
        endpoints = self.ordered(protocol, ssl_first)
        if not endpoints:
            raise NoSecureEndpoint(
                Message("no secure {protocol} connection worked, so no profile can use it", protocol=protocol.label)
            )
        return endpoints[0]

    def incoming(self, ssl_first: bool = False) -> Endpoint:
        return self.best(self.protocol, ssl_first)

    def outgoing(self, ssl_first: bool = False) -> Endpoint:
        return self.best(MailProtocol.SMTP, ssl_first)


def settings_from_probe(
    provider: Provider,
    address: EmailAddress,
    results: Iterable[EndpointResult],
    *,
    display_name: str | None = None,
    protocol: MailProtocol = MailProtocol.IMAP,
    pop_delete_after_days: int | None = None,
    password: str | None = None,
) -> AccountSettings:
    working = tuple(r.endpoint for r in results if r.ok)
    return AccountSettings(
        address, _clean_name(display_name), provider, protocol, working, True, pop_delete_after_days, password
    )


def settings_without_probe(
    provider: Provider,
    address: EmailAddress,
    *,
    display_name: str | None = None,
    protocol: MailProtocol = MailProtocol.IMAP,
    pop_delete_after_days: int | None = None,
    password: str | None = None,
) -> AccountSettings:
    return AccountSettings(
        address,
        _clean_name(display_name),
        provider,
        protocol,
        tuple(provider.endpoints()),
        False,
        pop_delete_after_days,
        password,
    )


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.split())
    return name or None
