"""The pinned root is read without cryptography at load time, with the same result and the same refusals.

The provider loader computes the pin from the DER itself (base64 + hashlib) and parses the certificate only
when something looks into it; whatever that reader is unsure about goes to cryptography's parser.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.provider import PinnedRoot, ProviderError, load_provider
from setup_assistant.core.resources import default_provider_file

SHIPPED_ROOT = default_provider_file().parent.parent / "certs" / "isrg-root-x1.pem"
GOOD = default_provider_file().read_text(encoding="utf-8")


def _provider(tmp_path: Path, certificate: bytes, pin: str, name: str = "root.pem") -> Path:
    (tmp_path / name).write_bytes(certificate)
    text = GOOD.replace('"../certs/isrg-root-x1.pem"', f'"{name}"')
    text = re.sub(r'root_sha256 = "[^"]*"', f'root_sha256 = "{pin}"', text)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _pin(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _certificates() -> list[x509.Certificate]:
    ca = trustme.CA()
    leaf = ca.issue_cert("mail.example.org").cert_chain_pems[0].bytes()
    return [
        x509.load_pem_x509_certificate(SHIPPED_ROOT.read_bytes()),
        x509.load_pem_x509_certificate(ca.cert_pem.bytes()),
        x509.load_pem_x509_certificate(leaf),
    ]


@pytest.mark.parametrize("encoding", [Encoding.PEM, Encoding.DER])
def test_same_root_as_cryptography_reads_it(tmp_path: Path, encoding: Encoding) -> None:
    for i, cert in enumerate(_certificates()):
        der = cert.public_bytes(Encoding.DER)
        folder = tmp_path / str(i)
        folder.mkdir()
        root = load_provider(_provider(folder, cert.public_bytes(encoding), _pin(der))).root
        assert root is not None
        assert "certificate" not in root.__dict__  # not parsed yet
        assert root.der == der
        assert root.pem == cert.public_bytes(Encoding.PEM)
        assert root.sha256 == _pin(der)
        assert root.certificate == cert and root.certificate is root.certificate  # parsed once, on first use
        assert root.subject == cert.subject.rfc4514_string()


def test_shipped_root_is_not_parsed_at_load() -> None:
    root = load_provider().root
    assert root is not None and "certificate" not in root.__dict__
    assert "ISRG Root X1" in root.subject
    assert root.fingerprint.startswith("96:BC:EC:06")


def test_files_the_plain_reader_is_unsure_about_go_to_cryptography(tmp_path: Path) -> None:
    cert = _certificates()[1]
    pem, der = cert.public_bytes(Encoding.PEM), cert.public_bytes(Encoding.DER)
    other = _certificates()[0].public_bytes(Encoding.PEM)
    for i, content in enumerate([b"Bag Attributes: the CA\n" + pem, pem + other]):  # text before; two blocks
        folder = tmp_path / str(i)
        folder.mkdir()
        root = load_provider(_provider(folder, content, _pin(der))).root
        assert root is not None and root.der == der and root.pem == pem and root.certificate == cert


def test_a_root_passed_in_parsed_is_kept() -> None:
    cert = _certificates()[1]
    der = cert.public_bytes(Encoding.DER)
    root = PinnedRoot(Path("x.pem"), _pin(der), cert.public_bytes(Encoding.PEM), der, cert)
    assert root.certificate is cert
    assert root == PinnedRoot(Path("x.pem"), _pin(der), cert.public_bytes(Encoding.PEM), der)


def _pem_block(body: bytes) -> bytes:
    return b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(body) + b"-----END CERTIFICATE-----\n"


SHIPPED_DER = x509.load_pem_x509_certificate(SHIPPED_ROOT.read_bytes()).public_bytes(Encoding.DER)
NOT_CERTIFICATES = {
    "der-sequence": b"\x30\x03\x02\x01\x00",  # DER, but not a certificate
    "pem-of-a-sequence": _pem_block(b"\x30\x03\x02\x01\x00"),
    "trailing-byte": SHIPPED_DER + b"\x00",
    "truncated": SHIPPED_DER[:-1],
    "non-minimal-length": SHIPPED_DER[:1] + b"\x84\x00\x00" + SHIPPED_DER[2:],
    "not-base64": _pem_block(SHIPPED_DER).replace(b"M", b"!", 1),
    "text": b"hello",
}


@pytest.mark.parametrize("kind", NOT_CERTIFICATES)
def test_not_a_certificate_is_refused_as_one_even_when_pinned(tmp_path: Path, kind: str) -> None:
    content = NOT_CERTIFICATES[kind]
    for pin in (_pin(content), "00" * 32):  # the file's own hash pinned, and a pin it fails
        path = _provider(tmp_path, content, pin)
        with pytest.raises(ProviderError, match="is not a certificate") as info:
            load_provider(path)
        assert str(path) in str(info.value) and "trust.root_certificate" in str(info.value)


def test_a_certificate_failing_its_pin_is_refused_for_the_pin(tmp_path: Path) -> None:
    cert = _certificates()[1]
    for encoding in (Encoding.PEM, Encoding.DER):
        with pytest.raises(ProviderError, match=r"trust\.root_sha256.*does not match its pin"):
            load_provider(_provider(tmp_path, cert.public_bytes(encoding), "ab" * 32))


def test_certificate_shaped_bytes_are_parsed_when_they_fail_their_pin_and_when_first_used(tmp_path: Path) -> None:
    """Shaped like a certificate, with an impossible date inside: refused as not a certificate when it fails its
    pin. Pinned by its own hash it loads, and the deferred parse reports it on first use of `certificate`."""
    broken = SHIPPED_DER.replace(b"150604110438Z", b"15XX04110438Z")
    assert broken != SHIPPED_DER
    with pytest.raises(ProviderError, match="is not a certificate"):
        load_provider(_provider(tmp_path, broken, "00" * 32))
    root = load_provider(_provider(tmp_path, broken, _pin(broken))).root
    assert root is not None and root.der == broken
    with pytest.raises(ValueError):
        _ = root.certificate
