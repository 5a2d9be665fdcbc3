"""Provider files for the test servers: one writer for every test, benchmark and screenshot run."""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The six ports of a provider file, named as the Dovecot listeners are: (STARTTLS, SSL) per protocol.
PORT_NAMES = {"imap": ("imap", "imaps"), "pop3": ("pop3", "pop3s"), "smtp": ("submission", "submissions")}


def write_ca(ca: Any, path: Path) -> str:
    """Writes a trustme CA's certificate as PEM and returns its pin (SHA-256 of the DER, lower-case hex)."""
    ca.cert_pem.write_to_path(str(path))
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode("ascii"))).hexdigest()


def provider_toml(
    ports: Mapping[str, int],
    *,
    host: str = "localhost",
    ca_path: Path | None = None,
    ca_sha256: str | None = None,
    provider_id: str = "test",
    name: str = "Test Mail",
    organization: str = "Test Co-op",
) -> str:
    """A provider file with the given ports (missing ones are port 1, which nothing listens on)."""
    lines = [
        "[provider]",
        f"id = {_quoted(provider_id)}",
        f"name = {_quoted(name)}",
        f"organization = {_quoted(organization)}",
        'webmail = "http://mail.{domain}"',
        'prefer = "starttls"',
    ]
    for protocol, (starttls, tls) in PORT_NAMES.items():
        lines += [
            "",
            f"[servers.{protocol}]",
            f"host = {_quoted(host)}",
            f"starttls_port = {ports.get(starttls, 1)}",
            f"ssl_port = {ports.get(tls, 1)}",
        ]
    if ca_path is not None and ca_sha256 is not None:
        lines += ["", "[trust]", f"root_certificate = {_quoted(str(ca_path))}", f"root_sha256 = {_quoted(ca_sha256)}"]
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    """A TOML basic string; JSON's escapes are TOML's, so Windows paths' backslashes survive."""
    return json.dumps(value, ensure_ascii=False)
