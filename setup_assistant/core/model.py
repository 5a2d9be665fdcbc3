"""The engine's vocabulary: what was probed, what came of it, and what is recommended.

Every value here is plain data so that the CLI can print it as JSON, the wizard can show it and the
profile writers can build on it without knowing how it was found.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from setup_assistant.core.i18n import N_, Message

# How long a probe waits for one endpoint, and the grace a silent preferred port gets once the fallback works.
# Here rather than in probe.py so that the wizard's model can default to them without loading the probe.
DEFAULT_TIMEOUT = 10.0
DEFAULT_GRACE = 3.0

# How an untrusted-certificate detail starts when the chain is signed by a trusted root but a certificate on it
# is meant for something else (the wizard words its advice differently: no other network will help).
NOT_MEANT_FOR_MAIL = "this certificate is not meant for a mail server"
# How a timeout detail starts when the port accepted the connection but the TLS handshake never finished: not a
# port the network blocks.
HANDSHAKE_STALLED = "the server accepted the connection but did not complete the encryption handshake"


class MailProtocol(enum.StrEnum):
    IMAP = "imap"
    POP3 = "pop3"
    SMTP = "smtp"

    @property
    def label(self) -> str:
        return {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"}[self.value]

    @property
    def incoming(self) -> bool:
        return self is not MailProtocol.SMTP


class Security(enum.StrEnum):
    """How TLS is brought up: upgraded in the dialog (STARTTLS) or from the first byte (SSL)."""

    STARTTLS = "starttls"
    SSL = "ssl"

    @property
    def label(self) -> str:
        return "STARTTLS" if self is Security.STARTTLS else "SSL/TLS"


class EndpointStatus(enum.StrEnum):
    OK = "ok"
    DNS_ERROR = "dns-error"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    RESET = "reset"
    NO_STARTTLS = "no-starttls"
    BAD_GREETING = "bad-greeting"
    TLS_ERROR = "tls-error"
    UNTRUSTED_CERTIFICATE = "untrusted-certificate"
    EXPIRED_CERTIFICATE = "expired-certificate"
    HOSTNAME_MISMATCH = "hostname-mismatch"
    CANCELLED = "cancelled"

    @property
    def is_certificate_problem(self) -> bool:
        return self in (
            EndpointStatus.UNTRUSTED_CERTIFICATE,
            EndpointStatus.EXPIRED_CERTIFICATE,
            EndpointStatus.HOSTNAME_MISMATCH,
        )


class LoginStatus(enum.StrEnum):
    OK = "ok"
    REJECTED = "rejected"
    ERROR = "error"


# A port's or a login's status as a person reads it, in a table column or a list of reasons: the code itself in
# English (what English readers and scripts know), a few words in other languages. JSON keeps the codes.
_STATUS_WORDS = {
    # TRANSLATORS: the status of a server port or a login, in a table or a list: one or a few words.
    "ok": N_("ok"),
    "dns-error": N_("dns-error"),
    "timeout": N_("timeout"),
    "refused": N_("refused"),
    "reset": N_("reset"),
    "no-starttls": N_("no-starttls"),
    "bad-greeting": N_("bad-greeting"),
    "tls-error": N_("tls-error"),
    "untrusted-certificate": N_("untrusted-certificate"),
    "expired-certificate": N_("expired-certificate"),
    "hostname-mismatch": N_("hostname-mismatch"),
    "cancelled": N_("cancelled"),
    "rejected": N_("rejected"),
    "error": N_("error"),
}


def status_words(status: EndpointStatus | LoginStatus | str) -> Message | str:
    """A status as a Message (its code as data, a few words in the person's language); an unknown code as is."""
    code = str(status)
    return Message(_STATUS_WORDS[code]) if code in _STATUS_WORDS else code


@dataclass(frozen=True)
class Endpoint:
    protocol: MailProtocol
    host: str
    port: int
    security: Security

    def to_json(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "security": self.security.value}

    def describe(self) -> str:
        return f"{self.protocol.label} {self.host}:{self.port} ({self.security.label})"


@dataclass(frozen=True)
class TrustedBy:
    """Which trust anchors validate the server's chain (hostname and dates aside)."""

    mozilla: bool
    os: bool | None  # None: this platform's store could not be asked
    provider_root: bool

    def to_json(self) -> dict[str, Any]:
        return {"mozilla": self.mozilla, "os": self.os, "provider_root": self.provider_root}


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    issuer: str
    not_before: str  # ISO 8601, UTC
    not_after: str
    sha256: str  # hex, upper case with colons, as certificate viewers show it
    tls_version: str
    names: tuple[str, ...]
    trusted_by: TrustedBy
    chain_sha256: tuple[str, ...] = ()  # every certificate the server sent, leaf first
    chain_pem: tuple[str, ...] = field(default=(), repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "sha256": self.sha256,
            "tls_version": self.tls_version,
            "names": list(self.names),
            "trusted_by": self.trusted_by.to_json(),
        }


@dataclass(frozen=True)
class EndpointResult:
    endpoint: Endpoint
    status: EndpointStatus
    detail: str
    elapsed_ms: int
    certificate: CertificateFacts | None = None
    capabilities: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is EndpointStatus.OK

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "protocol": self.endpoint.protocol.value,
            **self.endpoint.to_json(),
            "status": self.status.value,
            "detail": self.detail,
            "elapsed_ms": self.elapsed_ms,
        }
        data["certificate"] = self.certificate.to_json() if self.certificate else None
        return data


@dataclass(frozen=True)
class LoginResult:
    endpoint: Endpoint
    status: LoginStatus
    detail: str
    elapsed_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "protocol": self.endpoint.protocol.value,
            "host": self.endpoint.host,
            "port": self.endpoint.port,
            "security": self.endpoint.security.value,
            "status": self.status.value,
            "detail": self.detail,
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass(frozen=True)
class Recommendation:
    """The endpoint a mail program should use per protocol; None where nothing secure worked."""

    imap: Endpoint | None
    pop3: Endpoint | None
    smtp: Endpoint | None

    def get(self, protocol: MailProtocol) -> Endpoint | None:
        value: Endpoint | None = getattr(self, protocol.value)
        return value

    def to_json(self) -> dict[str, Any]:
        return {p.value: (e.to_json() if (e := self.get(p)) else None) for p in MailProtocol}
