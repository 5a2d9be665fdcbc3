"""Provider settings as data: a TOML file per provider, validated before anything uses it.

A broken provider file is the volunteer's problem to fix, so every error names the file and the key.

Free text a person reads (`password_reset`, the words that finish "ask ... to reset it") is written in English in
`[provider]` and may be given in other languages in `[provider.translations.<lang>]`, e.g.

    [provider.translations.es]
    password_reset = "el administrador de correo de su organización"

`Provider.text(key)` is the text in the current language (the English value when there is no translation); the
English value stays the data. Only the keys in TRANSLATABLE and the languages the app speaks are accepted.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from setup_assistant.core import i18n
from setup_assistant.core.address import invisible_character
from setup_assistant.core.i18n import N_, Message
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.resources import default_provider_file

if TYPE_CHECKING:  # cryptography's X.509 parser is loaded when the certificate is first looked into
    from cryptography import x509

_MAX_PROVIDER_BYTES = 1 << 20
# [provider] keys that are sentences or phrases for a person, and so may have [provider.translations.<lang>].
TRANSLATABLE: tuple[str, ...] = ("password_reset",)


class ProviderError(ValueError):
    """The provider file cannot be used; the message names the file and the key.

    Raised with a Message: str() is the English sentence (logs, the report's data), `i18n.human(exc)` the same
    sentence in the person's language. File paths, keys, values and the TOML parser's own words are values in it,
    never translated."""


@dataclass(frozen=True)
class ServerSettings:
    protocol: MailProtocol
    host: str
    starttls_port: int
    ssl_port: int

    def endpoint(self, security: Security) -> Endpoint:
        port = self.starttls_port if security is Security.STARTTLS else self.ssl_port
        return Endpoint(self.protocol, self.host, port, security)


@dataclass(frozen=True, init=False)
class PinnedRoot:
    path: Path
    sha256: str  # lower-case hex of the DER encoding
    pem: bytes
    der: bytes

    def __init__(
        self, path: Path, sha256: str, pem: bytes, der: bytes, certificate: x509.Certificate | None = None
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "pem", pem)
        object.__setattr__(self, "der", der)
        if certificate is not None:  # already parsed: `certificate` below then returns it as it is
            self.__dict__["certificate"] = certificate

    @cached_property
    def certificate(self) -> x509.Certificate:
        """Parsed on first use, not at load time: the wizard's first page has no need for it."""
        from cryptography import x509

        return x509.load_der_x509_certificate(self.der)

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
    # language -> key -> text, from [provider.translations.<lang>]; English is `extra` itself
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        """A free-text key (TRANSLATABLE) in the current language: its translation when the file gives one, else
        the English value; None when the file has no such key. For showing to a person, never for data."""
        english = self.extra.get(key)
        if not isinstance(english, str):
            return None
        return self.translations.get(i18n.current_language(), {}).get(key, english)

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


# One whole sentence per kind of value, so that each language can say it its own way.
_MUST_BE: dict[type, str] = {
    str: N_("{source}: key '{key}' must be a string"),
    int: N_("{source}: key '{key}' must be a whole number"),
    dict: N_("{source}: key '{key}' must be a table"),
}


def _must_be(kind: type, key: str, source: Path) -> ProviderError:
    return ProviderError(Message(_MUST_BE[kind], source=source, key=key))


def _require(table: dict[str, Any], key: str, kind: type, where: str, source: Path) -> Any:
    if key not in table:
        raise ProviderError(Message("{source}: missing key '{key}'", source=source, key=where + key))
    value = table[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise _must_be(kind, f"{where}{key}", source)
    if isinstance(value, str) and not value.strip():
        raise ProviderError(Message("{source}: key '{key}' is empty", source=source, key=where + key))
    return value


def _port(table: dict[str, Any], key: str, where: str, source: Path) -> int:
    value: int = _require(table, key, int, where, source)
    if not 1 <= value <= 65535:
        raise ProviderError(
            Message(
                "{source}: key '{key}' must be a port from 1 to 65535, not {value}",
                source=source,
                key=where + key,
                value=value,
            )
        )
    return value


def _load_root(trust: dict[str, Any], source: Path) -> PinnedRoot:
    rel: str = _require(trust, "root_certificate", str, "trust.", source)
    pinned: str = _require(trust, "root_sha256", str, "trust.", source)
    pinned = pinned.replace(":", "").strip().lower()
    if len(pinned) != 64 or any(c not in "0123456789abcdef" for c in pinned):
        raise ProviderError(
            Message("{source}: key 'trust.root_sha256' must be 64 hex digits (a SHA-256)", source=source)
        )
    path = Path(rel) if Path(rel).is_absolute() else (source.parent / rel)
    try:
        if not path.is_file():
            raise ProviderError(
                Message("{source}: key 'trust.root_certificate': {path} is not a file", source=source, path=path)
            )
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_PROVIDER_BYTES + 1)
        if len(raw) > _MAX_PROVIDER_BYTES:
            raise ProviderError(
                Message(
                    "{source}: key 'trust.root_certificate': {path} is too large to be a certificate",
                    source=source,
                    path=path,
                )
            )
    except OSError as exc:
        raise ProviderError(
            Message(
                "{source}: key 'trust.root_certificate': cannot read {path} ({reason})",
                source=source,
                path=path,
                reason=os_reason(exc),
            )
        ) from None
    certificate = None
    der = _plain_certificate_der(raw)
    if der is None:  # not one plain PEM block or DER certificate: cryptography's parser decides
        from cryptography.hazmat.primitives.serialization import Encoding

        certificate = _parse_certificate(raw)
        if certificate is None:
            raise _not_a_certificate(source, path)
        der = certificate.public_bytes(Encoding.DER)
    actual = _sha256_hex(der)
    if actual != pinned:
        if certificate is None and _parse_certificate(raw) is None:  # refused either way; give the first reason
            raise _not_a_certificate(source, path)
        raise ProviderError(
            Message(
                "{source}: key 'trust.root_sha256': {path} does not match its pin "
                "(file has SHA-256 {actual}, pinned {pinned}); refusing to use it",
                source=source,
                path=path,
                actual=actual,
                pinned=pinned,
            )
        )
    return PinnedRoot(path=path.resolve(), sha256=actual, pem=_pem(der), der=der, certificate=certificate)


def _sha256_hex(data: bytes) -> str:
    """SHA-256 without loading OpenSSL: hashlib loads libcrypto (4.5 MB) on import, a noticeable part of the
    wizard's start-up, which needs only this one digest; CPython's own SHA-256 gives the same (as `random` uses
    `_sha512`). The probe loads OpenSSL later anyway."""
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return str(sha256(data).hexdigest())


# Reading the pinned root without cryptography, whose X.509 parser costs the wizard's start-up a noticeable
# moment: a file shaped like a certificate whose SHA-256 is the pin is the certificate the provider pinned, so
# the full parse can wait until it is looked into. Anything this reader is not sure about, and any file that
# fails its pin, goes to cryptography's parser, so a file that is not a certificate is still refused as one.

_PEM_CERTIFICATE = re.compile(rb"\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*")
_SEQUENCE, _INTEGER, _BIT_STRING, _UTC_TIME, _GENERALIZED_TIME = 0x30, 0x02, 0x03, 0x17, 0x18
_VERSION, _ISSUER_UID, _SUBJECT_UID, _EXTENSIONS = 0xA0, 0x81, 0x82, 0xA3
_PEM_LINE = 64


def _plain_certificate_der(raw: bytes) -> bytes | None:
    """The DER of a file that is exactly one PEM certificate block or one DER certificate; None if unsure."""
    if b"-----BEGIN" in raw:
        match = _PEM_CERTIFICATE.fullmatch(raw)
        if match is None:
            return None
        try:
            der = base64.b64decode(b"".join(match.group(1).split()), validate=True)
        except binascii.Error:
            return None
    else:
        der = raw
    return der if _shaped_like_certificate(der) else None


def _der_element(data: bytes, offset: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at `offset`; ValueError unless strict DER."""
    if offset + 2 > end:
        raise ValueError("truncated")
    tag, first = data[offset], data[offset + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte tag")
    start = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 1 <= count <= 4 or start + count > end or data[start] == 0:
            raise ValueError("bad length")
        length = int.from_bytes(data[start : start + count], "big")
        if length < 0x80:
            raise ValueError("length not minimal")
        start += count
    if start + length > end:
        raise ValueError("truncated")
    return tag, start, start + length


def _der_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The elements that exactly fill data[start:end]."""
    children = []
    while start < end:
        child = _der_element(data, start, end)
        children.append(child)
        start = child[2]
    return children


def _shaped_like_certificate(der: bytes) -> bool:
    """X.509's outer structure: SEQUENCE { tbsCertificate, signatureAlgorithm, signature } and the fields of
    tbsCertificate in order, every length consistent, nothing after the end."""
    try:
        tag, start, end = _der_element(der, 0, len(der))
        if tag != _SEQUENCE or end != len(der):
            return False
        outer = _der_children(der, start, end)
        if [t for t, _, _ in outer] != [_SEQUENCE, _SEQUENCE, _BIT_STRING]:
            return False
        tbs = _der_children(der, outer[0][1], outer[0][2])
        tags = [t for t, _, _ in tbs]
        if tags[:1] == [_VERSION]:
            tbs, tags = tbs[1:], tags[1:]
        required = [_INTEGER, _SEQUENCE, _SEQUENCE, _SEQUENCE, _SEQUENCE, _SEQUENCE]
        if tags[: len(required)] != required:
            return False
        optional = tags[len(required) :]
        if optional != sorted(set(optional)) or not set(optional) <= {_ISSUER_UID, _SUBJECT_UID, _EXTENSIONS}:
            return False
        validity = _der_children(der, tbs[3][1], tbs[3][2])
        return len(validity) == 2 and all(t in (_UTC_TIME, _GENERALIZED_TIME) for t, _, _ in validity)
    except ValueError:
        return False


def _parse_certificate(raw: bytes) -> x509.Certificate | None:
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw else x509.load_der_x509_certificate(raw)
    except ValueError:
        return None


def _not_a_certificate(source: Path, path: Path) -> ProviderError:
    return ProviderError(
        Message(
            "{source}: key 'trust.root_certificate': {path} is not a certificate (PEM or DER)",
            source=source,
            path=path,
        )
    )


def _pem(der: bytes) -> bytes:
    """The PEM form cryptography writes: 64 base64 characters a line, a newline after the end line."""
    text = base64.b64encode(der)
    lines = [text[i : i + _PEM_LINE] for i in range(0, len(text), _PEM_LINE)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


# --- What reaches a profile: checked at load, before anything is written ------------------------------------

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_MAX_TEXT = 200
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
_MAX_SPAM_FOLDERS = 20
_MAX_PURGE_DAYS = 3650
_SAMPLE_DOMAIN = "example.org"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _code_point(code: int) -> str:
    return "U+" + format(code, "04X")


def _text(value: str, key: str, source: Path, max_length: int = _MAX_TEXT) -> str:
    """Text that goes into prefs.js, XML, plists, .reg files and pages: one line of visible characters."""
    if len(value) > max_length:
        raise ProviderError(
            Message(
                "{source}: key '{key}' is too long ({length} characters; at most {most})",
                source=source,
                key=key,
                length=len(value),
                most=max_length,
            )
        )
    for char in value:
        code = ord(char)
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            raise ProviderError(
                Message(
                    "{source}: key '{key}' contains a line break or control character ({code})",
                    source=source,
                    key=key,
                    code=_code_point(code),
                )
            )
        if code in (0xFFFE, 0xFFFF) or 0xFDD0 <= code <= 0xFDEF:
            raise ProviderError(
                Message(
                    "{source}: key '{key}' contains a character that is not text ({code})",
                    source=source,
                    key=key,
                    code=_code_point(code),
                )
            )
    invisible = invisible_character(value)
    if invisible is not None:
        raise ProviderError(
            Message(
                "{source}: key '{key}' contains an invisible character ({character})",
                source=source,
                key=key,
                character=invisible,
            )
        )
    return value


def _host(host: str, key: str, source: Path) -> str:
    """A host name (letters, digits, hyphens; an internationalised one must convert to IDNA) or an IP address."""
    _text(host, key, source, 253)
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    ascii_host = host.rstrip(".")
    if not ascii_host.isascii():
        import idna

        try:
            ascii_host = idna.encode(ascii_host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            raise _not_a_host(host, key, source) from None
    if not ascii_host or len(ascii_host) > 253 or not all(_HOST_LABEL.fullmatch(p) for p in ascii_host.split(".")):
        raise _not_a_host(host, key, source)
    return host


def _not_a_host(host: str, key: str, source: Path) -> ProviderError:
    return ProviderError(
        Message("{source}: key '{key}' is not a host name: {host}", source=source, key=key, host=repr(host))
    )


def _web_address(template: str, key: str, source: Path) -> str:
    """An http or https address ({domain} stands for the person's domain); any other scheme is refused."""
    _text(template, key, source, 2000)
    sample = template.replace("{domain}", _SAMPLE_DOMAIN)
    if any(c.isspace() for c in sample) or "{" in sample or "}" in sample:
        raise ProviderError(
            Message(
                "{source}: key '{key}' must be a web address like {example}, not {value}",
                source=source,
                key=key,
                example='"http://mail.{domain}"',
                value=repr(template),
            )
        )
    try:
        parts = urlsplit(sample)
        hostname = parts.hostname
    except ValueError:
        raise ProviderError(
            Message("{source}: key '{key}' is not a web address: {value}", source=source, key=key, value=repr(template))
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ProviderError(
            Message(
                "{source}: key '{key}' must start with http:// or https:// (not {scheme}:), "
                "so that the link opens webmail in a browser and nothing else",
                source=source,
                key=key,
                scheme=parts.scheme,
            )
            if parts.scheme
            else Message(
                "{source}: key '{key}' must start with http:// or https://, "
                "so that the link opens webmail in a browser and nothing else",
                source=source,
                key=key,
            )
        )
    if not hostname or "@" in parts.netloc:
        raise ProviderError(
            Message(
                "{source}: key '{key}' must name a web server, like {example}",
                source=source,
                key=key,
                example='"https://mail.{domain}"',
            )
        )
    _host(hostname, key, source)
    return template


def _check_extras(extra: dict[str, Any], source: Path) -> None:
    """The optional keys the app shows or writes: the right type and one line of text each."""
    for key in ("password_reset", "logo"):
        if key in extra:
            if not isinstance(extra[key], str):
                raise _must_be(str, f"provider.{key}", source)
            _text(extra[key], f"provider.{key}", source)
    if "support" in extra:
        if not isinstance(extra["support"], str):
            raise _must_be(str, "provider.support", source)
        _web_address(extra["support"], "provider.support", source)
    if "purge_days" in extra:
        days = extra["purge_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= _MAX_PURGE_DAYS:
            raise ProviderError(
                Message(
                    "{source}: key '{key}' must be a whole number of days from 1 to {most} (not {value})",
                    source=source,
                    key="provider.purge_days",
                    most=_MAX_PURGE_DAYS,
                    value=_one_line(repr(days))[:40],
                )
            )
    if "spam_folders" in extra:
        folders = extra["spam_folders"]
        if (
            not isinstance(folders, list)
            or not 0 < len(folders) <= _MAX_SPAM_FOLDERS
            or not all(isinstance(f, str) and f.strip() for f in folders)
        ):
            raise ProviderError(
                Message(
                    "{source}: key '{key}' must be a list of folder names, like {example}",
                    source=source,
                    key="provider.spam_folders",
                    example='["Spam", "Virus"]',
                )
            )
        for folder in folders:
            _text(folder, "provider.spam_folders", source)
    if "group_address" in extra:
        group = extra["group_address"]
        if not isinstance(group, str):
            raise _must_be(str, "provider.group_address", source)
        _text(group, "provider.group_address", source)
        local, _, domain = group.partition("@")
        if not local or any(c.isspace() or c in '@<>,;"' for c in local + domain) or not domain:
            raise ProviderError(
                Message(
                    "{source}: key '{key}' must be an address like {example}, not {value}",
                    source=source,
                    key="provider.group_address",
                    example='"all@{domain}"',
                    value=repr(group),
                )
            )
        _host(domain.replace("{domain}", _SAMPLE_DOMAIN), "provider.group_address", source)


def _translations(value: Any, extra: dict[str, Any], source: Path) -> dict[str, dict[str, str]]:
    """[provider.translations.<lang>]: a table per language the app speaks (not English, which is [provider]
    itself), holding only TRANSLATABLE keys that [provider] also has, each one line of text."""
    where = "provider.translations"
    if not isinstance(value, dict):
        raise ProviderError(
            Message(
                "{source}: key '{key}' must be a table, like {example}",
                source=source,
                key=where,
                example="[provider.translations.es]",
            )
        )
    others = [code for code in i18n.SUPPORTED if code != i18n.DEFAULT]
    found: dict[str, dict[str, str]] = {}
    for language, table in value.items():
        if language not in others:
            raise ProviderError(
                Message(
                    "{source}: key '{key}' is not a language this app speaks besides English "
                    "({languages}); the English text is the [provider] key itself",
                    source=source,
                    key=where + "." + language,
                    languages=", ".join(others),
                )
            )
        if not isinstance(table, dict):
            raise ProviderError(
                Message("{source}: key '{key}' must be a table of texts", source=source, key=where + "." + language)
            )
        texts: dict[str, str] = {}
        for key, text in table.items():
            name = f"{where}.{language}.{key}"
            if key not in TRANSLATABLE:
                raise ProviderError(
                    Message(
                        "{source}: key '{key}' cannot be translated (only {translatable} can)",
                        source=source,
                        key=name,
                        translatable=", ".join(TRANSLATABLE),
                    )
                )
            if key not in extra:
                raise ProviderError(
                    Message(
                        "{source}: key '{key}' translates '{english}', which the file does not set",
                        source=source,
                        key=name,
                        english="provider." + key,
                    )
                )
            if not isinstance(text, str):
                raise _must_be(str, name, source)
            if not text.strip():
                raise ProviderError(Message("{source}: key '{key}' is empty", source=source, key=name))
            texts[key] = _text(text, name, source)
        found[language] = texts
    return found


def load_provider(path: str | Path | None = None) -> Provider:
    """Loads and validates a provider file; the shipped NPOMail file when no path is given."""
    source = Path(path) if path is not None else default_provider_file()
    try:
        if source.exists() and not source.is_file():
            raise ProviderError(Message("{source}: not a regular file", source=source))
        with open(source, "rb") as fh:
            raw = fh.read(_MAX_PROVIDER_BYTES + 1)
        if len(raw) > _MAX_PROVIDER_BYTES:
            raise ProviderError(Message("{source}: too large to be a provider file", source=source))
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ProviderError(Message("{source}: no such provider file", source=source)) from None
    except OSError as exc:
        raise ProviderError(
            Message("{source}: cannot read the provider file ({reason})", source=source, reason=os_reason(exc))
        ) from None
    except tomllib.TOMLDecodeError as exc:  # the parser's own words stay as they are: a value, not translated
        raise ProviderError(
            Message("{source}: not valid TOML ({detail})", source=source, detail=_one_line(str(exc)))
        ) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ProviderError(
            Message("{source}: not valid TOML (arrays or tables nested too deeply)", source=source)
        ) from None
    except UnicodeDecodeError:
        raise ProviderError(Message("{source}: not valid TOML (not UTF-8 text)", source=source)) from None

    info: dict[str, Any] = _require(data, "provider", dict, "", source)
    servers_table: dict[str, Any] = _require(data, "servers", dict, "", source)
    pid: str = _require(info, "id", str, "provider.", source)
    if not _ID.fullmatch(pid):
        raise ProviderError(
            Message(
                "{source}: key 'provider.id' must be 1 to 64 letters, digits, '.', '_' or '-' (not {value})",
                source=source,
                value=repr(pid),
            )
        )
    name = _text(_require(info, "name", str, "provider.", source), "provider.name", source)
    organization = info.get("organization", name)
    if not isinstance(organization, str):
        raise _must_be(str, "provider.organization", source)
    _text(organization, "provider.organization", source)
    webmail = _web_address(_require(info, "webmail", str, "provider.", source), "provider.webmail", source)
    prefer_raw = info.get("prefer", "starttls")
    try:
        prefer = Security(prefer_raw)
    except ValueError:
        raise ProviderError(
            Message(
                "{source}: key 'provider.prefer' must be {starttls} or {ssl}",
                source=source,
                starttls='"starttls"',
                ssl='"ssl"',
            )
        ) from None

    servers: dict[MailProtocol, ServerSettings] = {}
    for protocol in MailProtocol:
        where = f"servers.{protocol.value}."
        table: dict[str, Any] = _require(servers_table, protocol.value, dict, "servers.", source)
        host = _host(_require(table, "host", str, where, source).strip(), f"{where}host", source)
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
            raise _must_be(dict, "trust", source)
        root = _load_root(trust, source)

    extra = {
        k: v for k, v in info.items() if k not in {"id", "name", "organization", "webmail", "prefer", "translations"}
    }
    _check_extras(extra, source)
    translations = _translations(info["translations"], extra, source) if "translations" in info else {}
    return Provider(pid, name, organization, webmail, prefer, servers, root, source.resolve(), extra, translations)
