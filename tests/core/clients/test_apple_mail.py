"""The Apple Mail profile parsed back with plistlib and checked against Apple's own schema files."""

from __future__ import annotations

import dataclasses
import datetime
import plistlib
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from setup_assistant.core.clients import apple_mail
from setup_assistant.core.model import MailProtocol, Security
from setup_assistant.core.profile_files import ProfileInputError
from setup_assistant.core.provider import load_provider
from tests.core.clients.profile_support import HOST, npomail, settings

# Copies of apple/device-management's payload schemas (MIT; see LICENSE.txt and SOURCE.txt there).
SCHEMA_DIR = Path(__file__).resolve().parent / "apple-schema"

# CommonPayloadKeys.yaml and TopLevel.yaml (apple/device-management), as tabulated in the reference (A1).
COMMON_KEYS = {
    "PayloadType": (str, True),
    "PayloadVersion": (int, True),
    "PayloadIdentifier": (str, True),
    "PayloadUUID": (str, True),
    "PayloadDisplayName": (str, False),
    "PayloadDescription": (str, False),
    "PayloadOrganization": (str, False),
}
TOP_LEVEL_KEYS = {
    **COMMON_KEYS,
    "PayloadContent": (list, True),
    "PayloadScope": (str, False),
    "PayloadRemovalDisallowed": (bool, False),
}
YAML_TYPES = {"<string>": str, "<integer>": int, "<boolean>": bool, "<data>": bytes, "<array>": list}

IMAP, POP3, SMTP = MailProtocol.IMAP, MailProtocol.POP3, MailProtocol.SMTP
SSL, STARTTLS = Security.SSL, Security.STARTTLS


def schema(payload_type: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SCHEMA_DIR / f"{payload_type}.yaml").read_text(encoding="utf-8"))
    return data


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def check_against_schema(payload: dict[str, Any]) -> None:
    """Every key known to Apple's schema for macOS, the right type, an allowed value; required keys present."""
    spec = schema(payload["PayloadType"])
    assert spec["payload"]["payloadtype"] == payload["PayloadType"]
    macos = spec["payload"]["supportedOS"]["macOS"]
    assert macos["allowmanualinstall"] is True
    keys = {k["key"]: k for k in spec["payloadkeys"]}
    for name, (kind, required) in COMMON_KEYS.items():
        if required:
            assert name in payload, f"missing common key {name}"
        if name in payload:
            assert _is(payload[name], kind), f"{name} must be {kind.__name__}"
    assert payload["PayloadVersion"] == 1
    for name, value in payload.items():
        if name in COMMON_KEYS and name not in keys:
            continue
        assert name in keys, f"{name} is not a key of {payload['PayloadType']}"
        key = keys[name]
        assert key.get("supportedOS", {}).get("macOS", {}).get("introduced") != "n/a", f"{name} is not for macOS"
        assert _is(value, YAML_TYPES[key["type"]]), f"{name}: {value!r} is not {key['type']}"
        if "rangelist" in key:
            assert value in key["rangelist"], f"{name}: {value!r} not in {key['rangelist']}"
        if "format" in key:
            assert re.fullmatch(key["format"], value)
    for name, key in keys.items():
        if key.get("presence") == "required":
            assert name in payload, f"required key {name} missing"


def load(data: bytes) -> dict[str, Any]:
    profile: dict[str, Any] = plistlib.loads(data)
    assert set(profile) <= set(TOP_LEVEL_KEYS), set(profile) - set(TOP_LEVEL_KEYS)
    for name, (kind, required) in TOP_LEVEL_KEYS.items():
        assert (name in profile) or not required, name
        if name in profile:
            assert _is(profile[name], kind), name
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    assert profile["PayloadScope"] == "User"
    for payload in profile["PayloadContent"]:
        check_against_schema(payload)
    return profile


def mail(profile: dict[str, Any]) -> dict[str, Any]:
    (payload,) = [p for p in profile["PayloadContent"] if p["PayloadType"] == "com.apple.mail.managed"]
    return payload


def test_mail_payload_field_by_field() -> None:
    profile = load(apple_mail.mobileconfig_bytes(settings()))
    payload = mail(profile)
    expected = {
        "EmailAccountType": "EmailTypeIMAP",
        "EmailAccountName": "Jane Doe",
        "EmailAddress": "jane.doe@example.org",
        "IncomingMailServerHostName": HOST,
        "IncomingMailServerPortNumber": 993,
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "IncomingMailServerUsername": "jane.doe@example.org",
        "OutgoingMailServerHostName": HOST,
        "OutgoingMailServerPortNumber": 465,
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerUsername": "jane.doe@example.org",
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    assert {k: payload[k] for k in expected} == expected
    assert "IncomingPassword" not in payload and "OutgoingPassword" not in payload
    assert payload["PayloadIdentifier"].startswith(profile["PayloadIdentifier"] + ".")


def test_pop_and_no_account_name_without_a_name() -> None:
    payload = mail(load(apple_mail.mobileconfig_bytes(settings(name=None, protocol=POP3))))
    assert payload["EmailAccountType"] == "EmailTypePOP"
    assert payload["IncomingMailServerPortNumber"] == 995
    assert "EmailAccountName" not in payload


def test_starttls_ports_only_when_ssl_is_blocked() -> None:
    s = settings(working=[(IMAP, STARTTLS), (SMTP, SSL), (SMTP, STARTTLS)])
    payload = mail(load(apple_mail.mobileconfig_bytes(s)))
    assert payload["IncomingMailServerPortNumber"] == 143 and payload["IncomingMailServerUseSSL"] is True
    assert payload["OutgoingMailServerPortNumber"] == 465


def test_root_payload_carries_the_pinned_root() -> None:
    provider = npomail()
    assert provider.root is not None
    profile = load(apple_mail.mobileconfig_bytes(settings()))
    (root,) = [p for p in profile["PayloadContent"] if p["PayloadType"] == "com.apple.security.root"]
    assert root["PayloadContent"] == provider.root.der
    assert x509.load_der_x509_certificate(root["PayloadContent"]).subject == provider.root.certificate.subject


def test_no_root_payload_without_a_pinned_root(tmp_path: Path) -> None:
    text = npomail().source.read_text(encoding="utf-8")
    bare = tmp_path / "bare.toml"
    bare.write_text(text[: text.index("[trust]")], encoding="utf-8")
    profile = load(apple_mail.mobileconfig_bytes(settings(provider=load_provider(bare))))
    assert [p["PayloadType"] for p in profile["PayloadContent"]] == ["com.apple.mail.managed"]


def test_identifiers_derive_from_the_address() -> None:
    first = apple_mail.mobileconfig_bytes(settings())
    assert apple_mail.mobileconfig_bytes(settings()) == first  # reinstalling replaces: same ids, same bytes
    same_mailbox = load(apple_mail.mobileconfig_bytes(settings("Jane.Doe@Example.org")))
    other = load(apple_mail.mobileconfig_bytes(settings("bob@example.org")))
    profile = load(first)
    uuids = [profile["PayloadUUID"], *(p["PayloadUUID"] for p in profile["PayloadContent"])]
    assert len(set(uuids)) == len(uuids)
    for value in uuids:
        assert str(uuid.UUID(value)).upper() == value
    assert same_mailbox["PayloadIdentifier"] == profile["PayloadIdentifier"]
    assert same_mailbox["PayloadUUID"] == profile["PayloadUUID"]
    assert other["PayloadIdentifier"] != profile["PayloadIdentifier"]
    assert re.fullmatch(r"[A-Za-z0-9.-]+", profile["PayloadIdentifier"])


HOSTILE = [
    ("o'neil&co+x@bücher.example", '<b>"O\'Brien" & Co</b>'),
    ("zoë@例え.テスト", "Zoë 山田 ☃ \u202eevil"),
    ("ü" * 40 + "@" + ".".join(["d" * 60] * 2) + ".org", "N" * 200),  # over the file-name budget
]


@pytest.mark.parametrize(("address", "name"), HOSTILE)
def test_hostile_input_round_trips(address: str, name: str, tmp_path: Path) -> None:
    s = settings(address, name)
    path = apple_mail.write_mobileconfig(s, tmp_path)
    assert path.parent == tmp_path and len(path.name.encode()) < 255
    payload = mail(load(path.read_bytes()))
    assert payload["EmailAccountName"] == name
    assert payload["EmailAddress"] == payload["IncomingMailServerUsername"] == s.address.address


@pytest.mark.parametrize("name", ["Jane\nDoe", "bell\x07", "\ufffe", "N" * 201])
def test_unusable_names_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ProfileInputError):
        apple_mail.write_mobileconfig(dataclasses.replace(settings(), display_name=name), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_file_name_cannot_escape_the_folder(tmp_path: Path) -> None:
    s = settings("a/b@example.org")
    path = apple_mail.write_mobileconfig(s, tmp_path)
    assert path.parent == tmp_path
    assert "/" not in path.name and "\\" not in path.name


def test_password_only_when_asked_and_then_private(tmp_path: Path) -> None:
    secret = 'p"a\\ss wörd'
    plain = apple_mail.write_mobileconfig(settings(), tmp_path / "plain")
    assert secret.encode() not in plain.read_bytes()
    with_password = apple_mail.write_mobileconfig(settings(password=secret), tmp_path / "asked")
    payload = mail(load(with_password.read_bytes()))
    assert payload["IncomingPassword"] == payload["OutgoingPassword"] == secret
    assert with_password.stat().st_mode & 0o077 == 0


def _signer(tmp_path: Path) -> tuple[Path, Path, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Profile Signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "signer.pem", tmp_path / "signer.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file, key


def test_signed_profile_embeds_the_plist_and_the_signer(tmp_path: Path) -> None:
    cert_file, key_file, _ = _signer(tmp_path)
    signer = apple_mail.load_signer(cert_file, key_file)
    signed = apple_mail.mobileconfig_bytes(settings(), signer)
    unsigned = apple_mail.mobileconfig_bytes(settings())
    assert unsigned in signed  # attached signature: the profile itself is inside
    certs = pkcs7.load_der_pkcs7_certificates(signed)
    assert [c.subject for c in certs] == [signer.certificate.subject]
    openssl = shutil.which("openssl")
    if openssl:
        out = tmp_path / "content.plist"
        proc = subprocess.run(
            [openssl, "cms", "-verify", "-inform", "DER", "-noverify", "-binary", "-out", str(out)],
            input=signed,
            capture_output=True,
            timeout=30,
        )
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes() == unsigned


def test_signing_refuses_mismatched_or_encrypted_keys(tmp_path: Path) -> None:
    cert_file, key_file, key = _signer(tmp_path)
    other = tmp_path / "other.key"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(apple_mail.SigningError, match="not the key"):
        apple_mail.load_signer(cert_file, other)
    locked = tmp_path / "locked.key"
    locked.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    with pytest.raises(apple_mail.SigningError, match="encrypted"):
        apple_mail.load_signer(cert_file, locked)
    with pytest.raises(apple_mail.SigningError, match="not a PEM certificate"):
        apple_mail.load_signer(key_file, key_file)


def test_what_macos_shows_when_the_profile_is_opened_is_in_the_persons_language() -> None:
    """System Settings shows the profile's name and descriptions before installing it: a Spanish reader gets
    Spanish, and everything macOS acts on (identifiers, UUIDs, servers) is the same in every language."""
    from setup_assistant.core import i18n

    saved = i18n._language
    try:
        i18n.set_language("en")
        english = load(apple_mail.mobileconfig_bytes(settings()))
        i18n.set_language("es")
        spanish = load(apple_mail.mobileconfig_bytes(settings()))
    finally:
        i18n._language = saved
    address = settings().address.address
    assert english["PayloadDisplayName"] == f"NPOMail mail: {address}"
    assert spanish["PayloadDisplayName"] == f"Correo de NPOMail: {address}"
    assert spanish["PayloadDescription"].startswith(f"Configura {address} en Apple Mail para NPOMail e instala")
    shown = ("PayloadDisplayName", "PayloadDescription")
    for en_part, es_part in zip(english["PayloadContent"], spanish["PayloadContent"], strict=True):
        assert {k: v for k, v in en_part.items() if k not in shown} == {
            k: v for k, v in es_part.items() if k not in shown
        }
    root = next(p for p in spanish["PayloadContent"] if p["PayloadType"] == "com.apple.security.root")
    assert root["PayloadDescription"].startswith("El certificado raíz")
