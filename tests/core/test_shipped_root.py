"""The shipped npomail root is certifi's ISRG Root X1, byte for byte, and the provider file pins its hash."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.provider import load_provider
from setup_assistant.core.resources import resource_path

SHIPPED = resource_path("certs", "isrg-root-x1.pem")
PROVIDER = resource_path("providers", "npomail.toml")


def certifi_block(label: str) -> bytes:
    """The PEM block that follows `# Label: "<label>"` in certifi's bundle, with its final newline."""
    text = Path(certifi.where()).read_bytes()
    match = re.search(
        rb'^# Label: "' + re.escape(label.encode()) + rb'"\n(?:#[^\n]*\n)*(-----BEGIN CERTIFICATE-----\n.*?'
        rb"-----END CERTIFICATE-----\n)",
        text,
        re.DOTALL | re.MULTILINE,
    )
    assert match, f"certifi's bundle has no certificate labelled {label!r}"
    return match.group(1)


def test_shipped_root_is_byte_identical_to_certifis_isrg_root_x1() -> None:
    block = certifi_block("ISRG Root X1")
    assert SHIPPED.read_bytes() == block
    cert = x509.load_pem_x509_certificate(block)
    assert cert.subject.rfc4514_string() == "CN=ISRG Root X1,O=Internet Security Research Group,C=US"


def test_provider_file_pins_the_shipped_roots_sha256() -> None:
    with open(PROVIDER, "rb") as fh:
        trust = tomllib.load(fh)["trust"]
    assert (PROVIDER.parent / trust["root_certificate"]).resolve() == SHIPPED.resolve()
    der = x509.load_pem_x509_certificate(SHIPPED.read_bytes()).public_bytes(Encoding.DER)
    assert hashlib.sha256(der).hexdigest() == trust["root_sha256"].replace(":", "").lower()
    root = load_provider().root
    assert root is not None and root.der == der
