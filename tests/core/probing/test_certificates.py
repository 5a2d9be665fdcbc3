"""Certificate classification on hand-built chains: the status names the one real problem."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from setup_assistant.core.model import EndpointStatus
from setup_assistant.core.probing.certificates import verify_chain
from setup_assistant.core.provider import load_provider

NOW = dt.datetime.now(dt.UTC)
DAY = dt.timedelta(days=1)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_cert(
    subject: str,
    issuer: str,
    key,
    issuer_key,
    *,
    ca: bool,
    names=(),
    key_usage: bool | x509.KeyUsage = True,
    eku: list[x509.ObjectIdentifier] | None = None,
    path_length: int | None = None,
    not_before=NOW - DAY,
    not_after=NOW + 30 * DAY,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
    if isinstance(key_usage, x509.KeyUsage):
        builder = builder.add_extension(key_usage, critical=True)
    elif ca and key_usage:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def key():
    return ec.generate_private_key(ec.SECP256R1())


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def pinned_root(tmp_path: Path, root: x509.Certificate):
    pem = tmp_path / "root.pem"
    pem.write_bytes(root.public_bytes(Encoding.PEM))
    sha = hashlib.sha256(der(root)).hexdigest()
    text = Path(load_provider().source).read_text(encoding="utf-8")
    text = text.replace('"../certs/isrg-root-x1.pem"', f'"{pem}"').replace(
        "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6", sha
    )
    path = tmp_path / "provider.toml"
    path.write_text(text, encoding="utf-8")
    return load_provider(path).root


def test_own_root_without_key_usage_is_trusted(tmp_path: Path) -> None:
    """A root made by a stock `openssl req -x509` has no keyUsage; OpenSSL, NSS and the OSes accept it."""
    root_key, leaf_key = key(), key()
    root = make_cert("Own Root", "Own Root", root_key, root_key, ca=True, key_usage=False)
    leaf = make_cert("mail", "Own Root", leaf_key, root_key, ca=False, names=["mail.example.org"])
    verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.OK, verdict.detail
    assert verdict.facts is not None and verdict.facts.trusted_by.provider_root


def test_wildcard_first_name_is_fine(tmp_path: Path) -> None:
    root_key, leaf_key = key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    leaf = make_cert("wild", "Root", leaf_key, root_key, ca=False, names=["*.example.org", "example.org"])
    verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.OK, verdict.detail


def test_wildcard_for_another_domain_is_a_hostname_mismatch(tmp_path: Path) -> None:
    root_key, leaf_key = key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    leaf = make_cert("wild", "Root", leaf_key, root_key, ca=False, names=["*.other.org"])
    verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.HOSTNAME_MISMATCH
    assert "*.other.org" in verdict.detail


def test_expired_intermediate_is_expired_not_untrusted(tmp_path: Path) -> None:
    root_key, mid_key, leaf_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True, not_before=NOW - 900 * DAY, not_after=NOW + 900 * DAY)
    mid = make_cert("Mid", "Root", mid_key, root_key, ca=True, not_before=NOW - 400 * DAY, not_after=NOW - 2 * DAY)
    leaf = make_cert(
        "mail",
        "Mid",
        leaf_key,
        mid_key,
        ca=False,
        names=["mail.example.org"],
        not_before=NOW - 10 * DAY,
        not_after=NOW + 30 * DAY,
    )
    verdict = verify_chain([der(leaf), der(mid)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.EXPIRED_CERTIFICATE, verdict.detail
    assert "Mid" in verdict.detail
    assert verdict.facts is not None and verdict.facts.trusted_by.provider_root


def test_an_extra_expired_certificate_off_the_path_does_not_matter(tmp_path: Path) -> None:
    root_key, leaf_key, old_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    leaf = make_cert("mail", "Root", leaf_key, root_key, ca=False, names=["mail.example.org"])
    stale = make_cert(
        "Old cross-sign",
        "Old cross-sign",
        old_key,
        old_key,
        ca=True,
        not_before=NOW - 900 * DAY,
        not_after=NOW - 100 * DAY,
    )
    verdict = verify_chain([der(leaf), der(stale)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.OK, verdict.detail


def test_a_leaf_that_is_not_valid_yet_says_check_the_clock(tmp_path: Path) -> None:
    root_key, leaf_key = key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True, not_before=NOW - DAY, not_after=NOW + 900 * DAY)
    leaf = make_cert(
        "mail",
        "Root",
        leaf_key,
        root_key,
        ca=False,
        names=["mail.example.org"],
        not_before=NOW + 10 * DAY,
        not_after=NOW + 90 * DAY,
    )
    verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.EXPIRED_CERTIFICATE
    assert "clock" in verdict.detail


def test_a_leaf_posing_as_a_ca_cannot_issue(tmp_path: Path) -> None:
    root_key, fake_key, leaf_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    not_a_ca = make_cert("Fake", "Root", fake_key, root_key, ca=False, names=["fake.example.org"])
    leaf = make_cert("mail", "Fake", leaf_key, fake_key, ca=False, names=["mail.example.org"])
    verdict = verify_chain([der(leaf), der(not_a_ca)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.UNTRUSTED_CERTIFICATE


@pytest.mark.parametrize("chain", [[], [b"not a certificate"]])
def test_no_or_garbage_certificate_is_a_tls_error(chain: list[bytes]) -> None:
    assert verify_chain(chain, "mail.example.org", "TLSv1.3", None).status is EndpointStatus.TLS_ERROR


# --- what the certificate is for: a trusted signature is not enough ---------------------------------

SERVER, CLIENT = ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH


def usage(*, sign: bool = False, encipher: bool = False, agree: bool = False, cert_sign: bool = False):
    return x509.KeyUsage(sign, False, encipher, False, agree, cert_sign, cert_sign, False, False)


def _leaf_verdict(tmp_path: Path, **leaf_kw):
    root_key, leaf_key = key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    kw = {"ca": False, "names": ["mail.example.org"], **leaf_kw}
    leaf = make_cert("mail", "Root", leaf_key, root_key, **kw)
    return verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))


@pytest.mark.parametrize(
    ("leaf_kw", "why"),
    [
        ({"eku": [CLIENT]}, "client authentication only"),
        ({"eku": [ExtendedKeyUsageOID.CODE_SIGNING]}, "code signing only"),
        (
            {"eku": [ExtendedKeyUsageOID.EMAIL_PROTECTION, CLIENT]},
            "signing and encrypting email, client authentication",
        ),
        ({"ca": True}, "certificate authority's certificate"),
        ({"key_usage": usage(cert_sign=True)}, "key usage"),
        ({"key_usage": usage(encipher=True)}, "digitalSignature or keyAgreement"),  # an EC key cannot encipher
    ],
)
def test_a_trusted_certificate_meant_for_something_else_is_refused(tmp_path: Path, leaf_kw, why: str) -> None:
    verdict = _leaf_verdict(tmp_path, **leaf_kw)
    assert verdict.status is EndpointStatus.UNTRUSTED_CERTIFICATE, verdict.detail
    assert "not meant for a mail server" in verdict.detail and why in verdict.detail
    assert verdict.facts is not None and not verdict.facts.trusted_by.provider_root


@pytest.mark.parametrize(
    "leaf_kw",
    [
        {"eku": [SERVER]},
        {"eku": [SERVER, CLIENT]},
        {"eku": [ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE]},
        {"key_usage": usage(sign=True)},
        {"key_usage": usage(agree=True)},
        {"key_usage": usage(sign=True, encipher=True), "eku": [SERVER]},
    ],
)
def test_a_certificate_fit_for_a_server_stays_ok(tmp_path: Path, leaf_kw) -> None:
    assert _leaf_verdict(tmp_path, **leaf_kw).status is EndpointStatus.OK


def test_an_rsa_server_key_may_encipher_instead_of_sign(tmp_path: Path) -> None:
    root_key, leaf_key = key(), rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    pinned = pinned_root(tmp_path, root)
    for ku, status in (
        (usage(encipher=True), EndpointStatus.OK),
        (usage(agree=True), EndpointStatus.UNTRUSTED_CERTIFICATE),
    ):
        leaf = make_cert("mail", "Root", leaf_key, root_key, ca=False, names=["mail.example.org"], key_usage=ku)
        verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned)
        assert verdict.status is status, verdict.detail


@pytest.mark.parametrize(
    ("mid_kw", "why"),
    [
        ({"ca": True, "key_usage": usage(sign=True)}, "may not vouch for a mail server's certificate (its key usage"),
        ({"ca": True, "eku": [CLIENT]}, "may only vouch for client authentication"),
        ({"ca": False}, "not a certificate authority"),
    ],
)
def test_an_intermediate_that_may_not_issue_is_refused(tmp_path: Path, mid_kw, why: str) -> None:
    root_key, mid_key, leaf_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    mid = make_cert("Mid", "Root", mid_key, root_key, **mid_kw)
    leaf = make_cert("mail", "Mid", leaf_key, mid_key, ca=False, names=["mail.example.org"])
    verdict = verify_chain([der(leaf), der(mid)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.UNTRUSTED_CERTIFICATE, verdict.detail
    assert "'Mid'" in verdict.detail and why in verdict.detail


def test_a_path_length_limit_is_respected(tmp_path: Path) -> None:
    root_key, mid_key, leaf_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True, path_length=0)
    mid = make_cert("Mid", "Root", mid_key, root_key, ca=True)
    leaf = make_cert("mail", "Mid", leaf_key, mid_key, ca=False, names=["mail.example.org"])
    pinned = pinned_root(tmp_path, root)
    verdict = verify_chain([der(leaf), der(mid)], "mail.example.org", "TLSv1.3", pinned)
    assert verdict.status is EndpointStatus.UNTRUSTED_CERTIFICATE, verdict.detail
    assert "'Root'" in verdict.detail and "0 intermediate certificates below it, not 1" in verdict.detail
    direct = make_cert("mail", "Root", leaf_key, root_key, ca=False, names=["mail.example.org"])
    assert verify_chain([der(direct)], "mail.example.org", "TLSv1.3", pinned).status is EndpointStatus.OK


def test_a_stranger_s_certificate_is_reported_as_a_stranger_s_whatever_its_purpose(tmp_path: Path) -> None:
    root_key, evil_key, leaf_key = key(), key(), key()
    root = make_cert("Root", "Root", root_key, root_key, ca=True)
    leaf = make_cert("mail", "Evil", leaf_key, evil_key, ca=False, names=["mail.example.org"], eku=[CLIENT])
    verdict = verify_chain([der(leaf)], "mail.example.org", "TLSv1.3", pinned_root(tmp_path, root))
    assert verdict.status is EndpointStatus.UNTRUSTED_CERTIFICATE
    assert "issued by 'Evil'" in verdict.detail
