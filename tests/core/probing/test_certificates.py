"""Certificate classification on hand-built chains: the status names the one real problem."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

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
    key_usage: bool = True,
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
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
    if ca and key_usage:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
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
