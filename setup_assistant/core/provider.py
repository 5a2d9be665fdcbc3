"""Provider settings as data: a TOML file per provider, validated before anything uses it.

A broken provider file is the volunteer's problem to fix, so every error names the file and the key.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.resources import default_provider_file

_MAX_PROVIDER_BYTES = 1 << 20


class ProviderError(ValueError):
    """The provider file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ServerSettings:
    protocol: MailProtocol
    host: str
    starttls_port: int
    ssl_port: int

    def endpoint(self, security: Security) -> Endpoint:
        port = self.starttls_port if security is Security.STARTTLS else self.ssl_port
        return Endpoint(self.protocol, self.host, port, security)


@dataclass(frozen=True)
class PinnedRoot:
    path: Path
    sha256: str  # lower-case hex of the DER encoding
    pem: bytes
    der: bytes
    certificate: x509.Certificate

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        """Upper-case colon-separated SHA-256, as the OS certificate dialogs show it."""
        return ":".join(f"{b:02X}" for b in bytes.fromhex(self.sha256))


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    organization: str
    webmail_template: str
    prefer: Security
    servers: dict[MailProtocol, ServerSettings]
    root: PinnedRoot | None
    source: Path
    extra: dict[str, Any]

    def server(self, protocol: MailProtocol) -> ServerSettings:
        return self.servers[protocol]

    def webmail_url(self, domain: str) -> str:
        return self.webmail_template.replace("{domain}", domain)

    def group_address(self, domain: str) -> str | None:
        template = self.extra.get("group_address")
        return template.replace("{domain}", domain) if isinstance(template, str) else None

    @property
    def fallback(self) -> Security:
        return Security.SSL if self.prefer is Security.STARTTLS else Security.STARTTLS

    def endpoints(self) -> list[Endpoint]:
        """Every endpoint to probe: per protocol, the preferred security first."""
        return [s.endpoint(sec) for s in self.servers.values() for sec in (self.prefer, self.fallback)]

    def preferred(self, protocol: MailProtocol) -> Endpoint:
        return self.servers[protocol].endpoint(self.prefer)


def _require(table: dict[str, Any], key: str, kind: type, where: str, source: Path) -> Any:
    if key not in table:
        raise ProviderError(f"{source}: missing key '{where}{key}'")
    value = table[key]
    if kind is int and isinstance(value, bool):
        raise ProviderError(f"{source}: key '{where}{key}' must be a whole number")
    if not isinstance(value, kind):
        raise ProviderError(f"{source}: key '{where}{key}' must be a {_kind_name(kind)}")
    if isinstance(value, str) and not value.strip():
        raise ProviderError(f"{source}: key '{where}{key}' is empty")
    return value


def _kind_name(kind: type) -> str:
    return {str: "string", int: "whole number", dict: "table"}.get(kind, kind.__name__)


def _port(table: dict[str, Any], key: str, where: str, source: Path) -> int:
    value: int = _require(table, key, int, where, source)
    if not 1 <= value <= 65535:
        raise ProviderError(f"{source}: key '{where}{key}' must be a port from 1 to 65535, not {value}")
    return value


def _load_root(trust: dict[str, Any], source: Path) -> PinnedRoot:
    rel: str = _require(trust, "root_certificate", str, "trust.", source)
    pinned: str = _require(trust, "root_sha256", str, "trust.", source)
    pinned = pinned.replace(":", "").strip().lower()
    if len(pinned) != 64 or any(c not in "0123456789abcdef" for c in pinned):
        raise ProviderError(f"{source}: key 'trust.root_sha256' must be 64 hex digits (a SHA-256)")
    path = Path(rel) if Path(rel).is_absolute() else (source.parent / rel)
    try:
        if not path.is_file():
            raise ProviderError(f"{source}: key 'trust.root_certificate': {path} is not a file")
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_PROVIDER_BYTES + 1)
        if len(raw) > _MAX_PROVIDER_BYTES:
            raise ProviderError(f"{source}: key 'trust.root_certificate': {path} is too large to be a certificate")
    except OSError as exc:
        raise ProviderError(
            f"{source}: key 'trust.root_certificate': cannot read {path} ({exc.strerror or exc})"
        ) from None
    try:
        cert = x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw else x509.load_der_x509_certificate(raw)
    except ValueError:
        raise ProviderError(
            f"{source}: key 'trust.root_certificate': {path} is not a certificate (PEM or DER)"
        ) from None
    der = cert.public_bytes(Encoding.DER)
    actual = hashlib.sha256(der).hexdigest()
    if actual != pinned:
        raise ProviderError(
            f"{source}: key 'trust.root_sha256': {path} does not match its pin "
            f"(file has SHA-256 {actual}, pinned {pinned}); refusing to use it"
        )
    return PinnedRoot(
        path=path.resolve(), sha256=actual, pem=cert.public_bytes(Encoding.PEM), der=der, certificate=cert
    )


def load_provider(path: str | Path | None = None) -> Provider:
    """Loads and validates a provider file; the shipped NPOMail file when no path is given."""
    source = Path(path) if path is not None else default_provider_file()
    try:
        if source.exists() and not source.is_file():
            raise ProviderError(f"{source}: not a regular file")
        with open(source, "rb") as fh:
            raw = fh.read(_MAX_PROVIDER_BYTES + 1)
        if len(raw) > _MAX_PROVIDER_BYTES:
            raise ProviderError(f"{source}: too large to be a provider file")
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ProviderError(f"{source}: no such provider file") from None
    except OSError as exc:
        raise ProviderError(f"{source}: cannot read the provider file ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProviderError(f"{source}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ProviderError(f"{source}: not valid TOML (not UTF-8 text)") from None

    info: dict[str, Any] = _require(data, "provider", dict, "", source)
    servers_table: dict[str, Any] = _require(data, "servers", dict, "", source)
    pid: str = _require(info, "id", str, "provider.", source)
    name: str = _require(info, "name", str, "provider.", source)
    organization = info.get("organization", name)
    if not isinstance(organization, str):
        raise ProviderError(f"{source}: key 'provider.organization' must be a string")
    webmail: str = _require(info, "webmail", str, "provider.", source)
    prefer_raw = info.get("prefer", "starttls")
    try:
        prefer = Security(prefer_raw)
    except ValueError:
        raise ProviderError(f'{source}: key \'provider.prefer\' must be "starttls" or "ssl"') from None

    servers: dict[MailProtocol, ServerSettings] = {}
    for protocol in MailProtocol:
        where = f"servers.{protocol.value}."
        table: dict[str, Any] = _require(servers_table, protocol.value, dict, "servers.", source)
        host: str = _require(table, "host", str, where, source).strip()
        if any(c.isspace() for c in host) or "/" in host:
            raise ProviderError(f"{source}: key '{where}host' is not a host name: {host!r}")
        servers[protocol] = ServerSettings(
            protocol,
            host,
            _port(table, "starttls_port", where, source),
            _port(table, "ssl_port", where, source),
        )

    root = None
    if "trust" in data:
        trust = data["trust"]
        if not isinstance(trust, dict):
            raise ProviderError(f"{source}: key 'trust' must be a table")
        root = _load_root(trust, source)

    extra = {k: v for k, v in info.items() if k not in {"id", "name", "organization", "webmail", "prefer"}}
    return Provider(pid, name, organization, webmail, prefer, servers, root, source.resolve(), extra)
