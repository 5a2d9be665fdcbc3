"""Certificate verification against the three anchors that matter to a mail program.

Mozilla's roots (certifi) are what Thunderbird trusts; the operating system's store is what Outlook and
Apple Mail trust; the provider's pinned root is what this app can install. The chain is checked against
each so a volunteer sees who trusts the server, and the status names the one real problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import ipaddress
import ssl
import sys
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import DNSName, IPAddress
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from setup_assistant.core.i18n import Listing, Message, PluralMessage
from setup_assistant.core.model import CertificateFacts, EndpointStatus, TrustedBy
from setup_assistant.core.provider import PinnedRoot

_LINUX_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
)


def fingerprint(der: bytes) -> str:
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def mozilla_roots() -> tuple[x509.Certificate, ...]:
    with _CACHE_LOCK:
        return _mozilla_roots()


def linux_system_roots() -> tuple[x509.Certificate, ...] | None:
    with _CACHE_LOCK:
        return _linux_system_roots()


_CACHE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _mozilla_roots() -> tuple[x509.Certificate, ...]:
    return _load_pems(Path(certifi.where()).read_bytes())


@lru_cache(maxsize=1)
def _linux_system_roots() -> tuple[x509.Certificate, ...] | None:
    paths = [ssl.get_default_verify_paths().cafile or "", *_LINUX_BUNDLES]
    for path in paths:
        if path and Path(path).is_file():
            try:
                return _load_pems(Path(path).read_bytes())
            except ValueError:
                continue
    return None


def peer_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """Every certificate the server sent, leaf first (DER)."""
    sslobj = getattr(tls, "_sslobj", None)
    getter = getattr(sslobj, "get_unverified_chain", None)
    if getter is not None:
        chain = getter() or []
        return [c.public_bytes(2) for c in chain]  # 2 = _ssl.ENCODING_DER
    leaf = tls.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def _subject_for(name: str) -> DNSName | IPAddress:
    try:
        return IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return DNSName(name.rstrip(".").lower())


def _names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [
        *san.get_values_for_type(x509.DNSName),
        *(str(i) for i in san.get_values_for_type(x509.IPAddress)),
    ]


def _valid_at(cert: x509.Certificate, when: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= when <= cert.not_valid_after_utc


# --- what a certificate is for ---------------------------------------------------------------------
# Who signed a certificate is half the question; the other half is what it was issued for. Mail programs
# (NSS for Thunderbird, the OS for Outlook and Apple Mail, OpenSSL's `-purpose sslserver`) refuse a server
# whose certificate is meant for something else, so the assistant must never log in to one. The same rules
# serve the verifier (as ExtensionPolicy validators, which raise) and the human detail (which names them).

_PURPOSES = {
    ExtendedKeyUsageOID.SERVER_AUTH: Message("TLS servers"),
    ExtendedKeyUsageOID.CLIENT_AUTH: Message("client authentication"),
    ExtendedKeyUsageOID.CODE_SIGNING: Message("code signing"),
    ExtendedKeyUsageOID.EMAIL_PROTECTION: Message("signing and encrypting email"),
    ExtendedKeyUsageOID.TIME_STAMPING: Message("time stamping"),
    ExtendedKeyUsageOID.OCSP_SIGNING: Message("signing revocation answers"),
}
_SERVER_EKUS = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)


class _NotForThis(ValueError):
    """Raised by a policy validator: the certificate is not meant for this use (the message says why)."""


def _purpose_names(eku: x509.ExtendedKeyUsage) -> str:
    names = list(dict.fromkeys(_PURPOSES.get(oid, oid.dotted_string) for oid in eku))
    return Listing(names) if names else Message("nothing")


def _server_eku_problem(eku: x509.ExtendedKeyUsage) -> Message | None:
    if any(oid in _SERVER_EKUS for oid in eku):
        return None
    return Message("it is issued for {purposes} only", purposes=_purpose_names(eku))


def _server_key_usage_problem(cert: x509.Certificate, usage: x509.KeyUsage) -> Message | None:
    """A TLS server signs its handshake, or (RSA) decrypts the key, or (EC) agrees on one: one of these suffices,
    as NSS and OpenSSL accept."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        fits, needs = usage.digital_signature or usage.key_encipherment, "digitalSignature or keyEncipherment"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        fits, needs = usage.digital_signature or usage.key_agreement, "digitalSignature or keyAgreement"
    else:
        fits, needs = usage.digital_signature, "digitalSignature"
    return (
        None
        if fits
        else Message("its key usage does not allow what a TLS server does with its key ({needs})", needs=needs)
    )


def _leaf_problem(cert: x509.Certificate) -> Message | None:
    """Why this certificate is not fit to identify a TLS server, or None."""
    ext = cert.extensions
    with contextlib.suppress(x509.ExtensionNotFound):
        if ext.get_extension_for_class(x509.BasicConstraints).value.ca:
            return Message("it is a certificate authority's certificate, not a server's")
    with contextlib.suppress(x509.ExtensionNotFound):
        problem = _server_eku_problem(ext.get_extension_for_class(x509.ExtendedKeyUsage).value)
        if problem:
            return problem
    with contextlib.suppress(x509.ExtensionNotFound):
        return _server_key_usage_problem(cert, ext.get_extension_for_class(x509.KeyUsage).value)
    return None


def _ca_problem(cert: x509.Certificate, below: int | None) -> Message | None:
    """Why this certificate may not vouch for a TLS server's certificate, or None.

    `below` is how many intermediate CAs stand between it and the leaf (for the path length), if known.
    """
    ext = cert.extensions
    try:
        constraints = ext.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return Message("it is not a certificate authority (no basic constraints)")
    if not constraints.ca:
        return Message("it is not a certificate authority")
    if below is not None and constraints.path_length is not None and below > constraints.path_length:
        allowed = constraints.path_length
        return PluralMessage(
            "it allows {n} intermediate certificate below it, not {below}",
            "it allows {n} intermediate certificates below it, not {below}",
            allowed,
            n=allowed,
            below=below,
        )
    with contextlib.suppress(x509.ExtensionNotFound):
        if not ext.get_extension_for_class(x509.KeyUsage).value.key_cert_sign:
            return Message("its key usage does not allow it to sign certificates")
    with contextlib.suppress(x509.ExtensionNotFound):
        eku = ext.get_extension_for_class(x509.ExtendedKeyUsage).value
        if _server_eku_problem(eku):
            return Message("it may only vouch for {purposes}", purposes=_purpose_names(eku))
    return None


def _check_leaf_constraints(_policy: Policy, _cert: x509.Certificate, value: x509.BasicConstraints | None) -> None:
    if value is not None and value.ca:
        raise _NotForThis("a CA certificate used as a server's")


def _check_leaf_eku(_policy: Policy, _cert: x509.Certificate, value: x509.ExtendedKeyUsage | None) -> None:
    if value is not None and (problem := _server_eku_problem(value)):
        raise _NotForThis(problem)


def _check_leaf_key_usage(_policy: Policy, cert: x509.Certificate, value: x509.KeyUsage | None) -> None:
    if value is not None and (problem := _server_key_usage_problem(cert, value)):
        raise _NotForThis(problem)


def _check_ca_constraints(_policy: Policy, _cert: x509.Certificate, value: x509.BasicConstraints) -> None:
    # The verifier itself enforces cA and the path length too; stated here so the rule is in one place.
    if not value.ca:
        raise _NotForThis("not a certificate authority")


def _check_ca_key_usage(_policy: Policy, _cert: x509.Certificate, value: x509.KeyUsage | None) -> None:
    if value is not None and not value.key_cert_sign:
        raise _NotForThis("may not sign certificates")


def _check_ca_eku(_policy: Policy, _cert: x509.Certificate, value: x509.ExtendedKeyUsage | None) -> None:
    if value is not None and _server_eku_problem(value):
        raise _NotForThis("may not vouch for TLS servers")


@lru_cache(maxsize=1)
def _leaf_policy() -> ExtensionPolicy:
    # Mail servers' certificates are judged the way mail programs judge them (chain, dates, name, purpose),
    # not by every Web PKI rule of webpki_defaults_ee(): a critical SAN or a missing authority key identifier,
    # for two, are common on private mail servers and harmless; a certificate meant for something else is not.
    return (
        ExtensionPolicy.permit_all()
        .require_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
        .may_be_present(x509.BasicConstraints, Criticality.AGNOSTIC, _check_leaf_constraints)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _check_leaf_eku)
        .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, _check_leaf_key_usage)
    )


_LOAD_LOCK = threading.Lock()


def _load_pems(data: bytes) -> tuple[x509.Certificate, ...]:
    # catch_warnings is process-global: the lock keeps parallel probes from racing on it.
    with _LOAD_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few old roots carry a non-positive serial number
        return tuple(x509.load_pem_x509_certificates(data))


_STORES: dict[int, tuple[tuple[x509.Certificate, ...], Store]] = {}


def _store(anchors: tuple[x509.Certificate, ...]) -> Store:
    """Building a Store from Mozilla's ~150 roots costs milliseconds; reuse it for the same anchors."""
    with _CACHE_LOCK:
        key = hash(tuple(id(c) for c in anchors))
        cached = _STORES.get(key)
        if (
            cached is not None
            and len(cached[0]) == len(anchors)
            and all(a is b for a, b in zip(cached[0], anchors, strict=True))
        ):
            return cached[1]
        store = Store(list(anchors))
        if len(_STORES) > 16:
            _STORES.clear()
        _STORES[key] = (anchors, store)
        return store


@lru_cache(maxsize=1)
def _ca_policy() -> ExtensionPolicy:
    # Judged the way OpenSSL, NSS, Apple and Windows judge a private CA: it must be a CA (basicConstraints cA,
    # path length respected) and, where it states its key usage, allowed to sign certificates; a root made by
    # a stock `openssl req -x509` has no keyUsage at all and is fine (which webpki_defaults_ca() would refuse).
    return (
        ExtensionPolicy.permit_all()
        .require_present(x509.BasicConstraints, Criticality.AGNOSTIC, _check_ca_constraints)
        .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, _check_ca_key_usage)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _check_ca_eku)
    )


def _path(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    subject: str,
    when: dt.datetime,
) -> list[x509.Certificate] | None:
    """The validated path (leaf first, anchor last) or None."""
    if not anchors:
        return None
    try:
        verifier = (
            PolicyBuilder()
            .store(_store(tuple(anchors)))
            .time(when)
            .extension_policies(ca_policy=_ca_policy(), ee_policy=_leaf_policy())
            .build_server_verifier(_subject_for(subject))
        )
        return list(verifier.verify(leaf, intermediates))
    except (VerificationError, ValueError):
        return None


def _verifies(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    subject: str,
    when: dt.datetime,
) -> bool:
    return _path(anchors, leaf, intermediates, subject, when) is not None


def _concrete_names(names: list[str], host: str) -> list[str]:
    """Names to judge the chain with: the real host first, then the certificate's own (wildcards made concrete)."""
    out = [host]
    for name in names[:4]:
        concrete = "x" + name[1:] if name.startswith("*.") else name
        if concrete not in out:
            out.append(concrete)
    return out


def _moments(certs: list[x509.Certificate], now: dt.datetime) -> list[dt.datetime]:
    """When to judge the chain itself: now, then moments at which each certificate was still (or already) valid."""
    leaf = certs[0]
    moments = [now, leaf.not_valid_before_utc + (leaf.not_valid_after_utc - leaf.not_valid_before_utc) / 2]
    for cert in certs:
        moments.append(cert.not_valid_after_utc - dt.timedelta(seconds=1))
        moments.append(cert.not_valid_before_utc + dt.timedelta(seconds=1))
    return list(dict.fromkeys(moments))


@dataclass(frozen=True)
class _Trust:
    path: list[x509.Certificate]
    when: dt.datetime


def _chain_trust(
    anchors: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    subjects: list[str],
    moments: list[dt.datetime],
) -> _Trust | None:
    """Whether the chain leads to one of the anchors at all, whatever its dates and names say."""
    if not anchors:
        return None
    for when in moments:
        for subject in subjects:
            path = _path(anchors, leaf, intermediates, subject, when)
            if path is not None:
                return _Trust(path, when)
    return None


def _os_trusts(
    chain_der: list[bytes],
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    subjects: list[str],
    moments: list[dt.datetime],
    timeout: float = 5.0,
) -> bool | None:
    """Asks the platform's own verifier on Windows and macOS (truststore); the system bundle elsewhere."""
    if sys.platform in ("win32", "darwin"):
        return _platform_verifier(chain_der, timeout)
    roots = linux_system_roots()
    if roots is None:
        return None
    return _chain_trust(roots, leaf, intermediates, subjects, moments) is not None


def _platform_verifier(chain_der: list[bytes], timeout: float) -> bool | None:
    """The OS check may fetch revocation data over the network: bounded by a timeout on a helper thread."""
    try:
        from truststore import _api  # the platform verifier behind truststore.SSLContext
    except ImportError:
        return None
    verify = getattr(_api, "_verify_peercerts_impl", None)
    if verify is None:
        return None
    box: dict[str, bool | None] = {}

    def work() -> None:
        # A bare context: no OpenSSL default CA file, so only the OS store answers.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        try:
            verify(context, chain_der, server_hostname=None)
            box["result"] = True
        except ssl.SSLError:
            box["result"] = False
        except Exception:
            box["result"] = None

    thread = threading.Thread(target=work, name="os-trust", daemon=True)
    thread.start()
    thread.join(timeout)
    return box.get("result")


@dataclass(frozen=True)
class Verdict:
    status: EndpointStatus
    detail: str  # a Message naming the problem; empty when there is none
    facts: CertificateFacts | None


def verify_chain(
    chain_der: list[bytes],
    host: str,
    tls_version: str,
    pinned: PinnedRoot | None,
    now: dt.datetime | None = None,
) -> Verdict:
    """Classifies a server's chain: ok, untrusted, expired or for another host, with the facts."""
    if not chain_der:
        return Verdict(EndpointStatus.TLS_ERROR, Message("the server sent no certificate"), None)
    try:
        certs = [x509.load_der_x509_certificate(der) for der in chain_der]
    except ValueError:
        return Verdict(EndpointStatus.TLS_ERROR, Message("the server sent a certificate that cannot be read"), None)
    now = now or dt.datetime.now(dt.UTC)
    leaf, intermediates = certs[0], certs[1:]
    names = _names(leaf)
    # Judge the chain itself first (at a moment its certificates were valid, for a name it carries); dates
    # and the host name are judged separately below, on the validated path, so the status names the real problem.
    subjects = _concrete_names(names, host)
    moments = _moments(certs, now)
    mozilla = _chain_trust(mozilla_roots(), leaf, intermediates, subjects, moments)
    provider = (
        _chain_trust([pinned.certificate], leaf, intermediates, subjects, moments) if pinned is not None else None
    )
    os_trust = _os_trusts(chain_der, leaf, intermediates, subjects, moments)
    if os_trust and _leaf_problem(leaf):
        os_trust = False  # the OS verifiers check the purpose too; this keeps one rule whatever the platform
    trusted_by = TrustedBy(mozilla=mozilla is not None, os=os_trust, provider_root=provider is not None)

    facts = CertificateFacts(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        not_before=leaf.not_valid_before_utc.isoformat(),
        not_after=leaf.not_valid_after_utc.isoformat(),
        sha256=fingerprint(chain_der[0]),
        tls_version=tls_version,
        names=tuple(names),
        trusted_by=trusted_by,
        chain_sha256=tuple(fingerprint(d) for d in chain_der),
        chain_pem=tuple(c.public_bytes(Encoding.PEM).decode("ascii") for c in certs),
    )
    issuer = _common_name(leaf.issuer) or leaf.issuer.rfc4514_string()
    if not (mozilla or os_trust or provider):
        purpose = _purpose_problem(certs, pinned)
        if purpose:
            return Verdict(EndpointStatus.UNTRUSTED_CERTIFICATE, purpose, facts)
        if not names:
            why = Message("the certificate names no host (no subject alternative name)")
        else:
            why = Message(
                "it is issued by '{issuer}', which neither Mozilla's roots, this computer's store "
                "nor the provider's root certificate vouch for",
                issuer=issuer,
            )
        return Verdict(
            EndpointStatus.UNTRUSTED_CERTIFICATE, Message("the certificate is not trusted: {why}", why=why), facts
        )
    trust = mozilla or provider
    # The certificates that matter are those on the validated path, not extra ones the server also sent.
    path = trust.path if trust is not None else certs
    for cert in path:
        if now > cert.not_valid_after_utc:
            when = cert.not_valid_after_utc.date().isoformat()
            expired = (
                Message("the server's certificate expired on {date}", date=when)
                if cert is leaf
                else Message(
                    "the certificate of '{name}' expired on {date}", name=_common_name(cert.subject), date=when
                )
            )
            return Verdict(EndpointStatus.EXPIRED_CERTIFICATE, expired, facts)
        if now < cert.not_valid_before_utc:
            when = cert.not_valid_before_utc.date().isoformat()
            return Verdict(
                EndpointStatus.EXPIRED_CERTIFICATE,
                Message("the server's certificate is not valid until {date} (check this computer's clock)", date=when),
                facts,
            )
    anchors: list[x509.Certificate] = []
    if mozilla:
        anchors.extend(mozilla_roots())
    if provider and pinned is not None:
        anchors.append(pinned.certificate)
    if os_trust and not anchors:
        anchors.extend(linux_system_roots() or ())
    host_ok = _verifies(anchors, leaf, intermediates, host, now) if anchors else _name_matches(names, host)
    if not host_ok:
        shown = ", ".join(names[:4]) or Message("no name")
        return Verdict(
            EndpointStatus.HOSTNAME_MISMATCH,
            Message("the certificate is for {names}, not for {host}", names=shown, host=host),
            facts,
        )
    return Verdict(EndpointStatus.OK, "", facts)


def _issuance_order(certs: list[x509.Certificate], anchors: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """The presented chain from the leaf up, each certificate followed by its issuer (an anchor last, if known)."""
    path = [certs[0]]
    while len(path) < 10 and path[-1].issuer != path[-1].subject:
        issuer = path[-1].issuer
        step = next((c for c in certs[1:] if c.subject == issuer and c not in path), None)
        if step is None:
            step = next((a for a in anchors if a.subject == issuer), None)
            if step is not None:
                path.append(step)
            break
        path.append(step)
    return path


def _purpose_problem(certs: list[x509.Certificate], pinned: PinnedRoot | None) -> Message | None:
    """Why a chain that leads to a trusted root is still refused: a certificate on it is meant for something else.

    Only asked after the verifier refused the chain, to name the reason; a chain from a stranger is reported as
    such instead, since that is the first thing to fix.
    """
    anchors = [*mozilla_roots(), *((pinned.certificate,) if pinned is not None else ()), *(linux_system_roots() or ())]
    path = _issuance_order(certs, anchors)
    if path[-1] not in anchors:
        return None
    try:
        problem = _leaf_problem(path[0])
        if problem:
            return not_meant_for_mail(problem)
        for index, cert in enumerate(path[1:], start=1):
            problem = _ca_problem(cert, index - 1)
            if problem:
                name = _common_name(cert.subject) or cert.subject.rfc4514_string()
                return not_meant_for_mail(
                    Message(
                        "'{name}' may not vouch for a mail server's certificate ({problem})", name=name, problem=problem
                    )
                )
    except Exception:  # an extension that cannot even be read: the plain "not trusted" says enough
        return None
    return None


def not_meant_for_mail(reason: Message) -> Message:
    """The detail of a chain signed by a trusted root but meant for something else. Its English starts with
    model.NOT_MEANT_FOR_MAIL, and its `reason` param is the reason alone (the wizard shows it in its own words)."""
    return Message("this certificate is not meant for a mail server: {reason}", reason=reason)


def _name_matches(names: list[str], host: str) -> bool:
    host = host.rstrip(".").lower()
    for name in names:
        name = name.lower()
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    if values:
        value = values[0].value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return ""


def tls_client_context() -> ssl.SSLContext:
    """A context that completes the handshake whatever the certificate, so its facts can be read.

    Verification happens in verify_chain right after; nothing is sent before it passes.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
