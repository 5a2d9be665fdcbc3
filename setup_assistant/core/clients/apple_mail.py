"""Apple Mail on macOS: one configuration profile (.mobileconfig) with the mail account and, when the
provider pins a root certificate, that root.

Only keys from Apple's schema (apple/device-management, com.apple.mail.managed and
com.apple.security.root) plus the common payload keys. Identifiers and UUIDs are derived from the
address, so installing the profile again replaces the account instead of adding a second one.
Apple has a single "use SSL" switch, so the profile takes the SSL ports and STARTTLS only where SSL is blocked.
"""

from __future__ import annotations

import plistlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.i18n import Message, _
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.profile_files import check_profile_text, safe_file_stem, write_atomic

if TYPE_CHECKING:  # cryptography's signing machinery is loaded only by the code that signs or loads a signer
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

PROFILE_ID_PREFIX = "org.npomail.setup-assistant"
# Fixed namespace for uuid5: the same address always gives the same UUIDs, on every computer.
_UUID_NAMESPACE = uuid.UUID("5b0b7f5e-3c1e-5a56-9d0a-6f1c2a7e4b11")

ACCOUNT_TYPES = {MailProtocol.IMAP: "EmailTypeIMAP", MailProtocol.POP3: "EmailTypePOP"}
AUTH_PASSWORD = "EmailAuthPassword"  # the password inside TLS; never NTLM/CRAM-MD5 ("SPA off")


class SigningError(ValueError):
    """The signing certificate or key cannot be used; str() says which and why."""


@dataclass(frozen=True)
class ProfileSigner:
    """A certificate and its private key for signing profiles (macOS then shows the signer as verified)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()


def load_signer(certificate_file: Path, key_file: Path) -> ProfileSigner:
    """Loads a PEM certificate (optionally followed by its intermediates) and its unencrypted PEM key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    try:
        cert_data = certificate_file.read_bytes()
        key_data = key_file.read_bytes()
    except OSError as exc:
        raise SigningError(Message("cannot read {file}: {reason}", file=exc.filename, reason=os_reason(exc))) from None
    try:
        certificates = x509.load_pem_x509_certificates(cert_data)
    except ValueError:
        raise SigningError(Message("{file} is not a PEM certificate", file=certificate_file)) from None
    try:
        key = serialization.load_pem_private_key(key_data, password=None)
    except TypeError:
        raise SigningError(Message("{file} is encrypted; give the key without a passphrase", file=key_file)) from None
    except ValueError:
        raise SigningError(Message("{file} is not a PEM private key", file=key_file)) from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(Message("{file}: only RSA and EC keys can sign profiles", file=key_file))
    signer_cert, *chain = certificates
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if signer_cert.public_key().public_bytes(serialization.Encoding.DER, public) != key.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise SigningError(
            Message(
                "{key} is not the key of the certificate in {certificate}", key=key_file, certificate=certificate_file
            )
        )
    return ProfileSigner(signer_cert, key, tuple(chain))


def _identity(settings: AccountSettings) -> str:
    # Lower-cased: Jane@… and jane@… are the same mailbox, so their profiles must replace each other.
    return f"{settings.provider.id}\n{settings.address.address.lower()}"


def profile_uuid(settings: AccountSettings, role: str) -> str:
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{_identity(settings)}\n{role}")).upper()


def profile_identifier(settings: AccountSettings) -> str:
    provider = re.sub(r"[^A-Za-z0-9-]+", "-", settings.provider.id).strip("-") or "provider"
    return f"{PROFILE_ID_PREFIX}.{provider}.{profile_uuid(settings, 'profile').lower()}"


def mail_payload(settings: AccountSettings, identifier: str) -> dict[str, Any]:
    incoming, outgoing = settings.incoming(ssl_first=True), settings.outgoing(ssl_first=True)
    provider = settings.provider
    payload: dict[str, Any] = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.mail",
        "PayloadUUID": profile_uuid(settings, "mail"),
        "PayloadDisplayName": _("{provider} mail ({address})").format(
            provider=provider.name, address=settings.address.address
        ),
        "PayloadOrganization": provider.organization,
        "EmailAccountDescription": settings.address.address,
        "EmailAccountType": ACCOUNT_TYPES[settings.protocol],
        "EmailAddress": settings.address.address,
        "IncomingMailServerHostName": incoming.host,
        "IncomingMailServerPortNumber": incoming.port,
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": AUTH_PASSWORD,
        "IncomingMailServerUsername": settings.username,
        "OutgoingMailServerHostName": outgoing.host,
        "OutgoingMailServerPortNumber": outgoing.port,
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": AUTH_PASSWORD,
        "OutgoingMailServerUsername": settings.username,
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    if settings.display_name:
        payload["EmailAccountName"] = settings.display_name
    if settings.password is not None:  # only when the person asked for it; the caller warns them
        payload["IncomingPassword"] = settings.password
        payload["OutgoingPassword"] = settings.password
    return payload


def root_payload(settings: AccountSettings, identifier: str) -> dict[str, Any] | None:
    root = settings.provider.root
    if root is None:
        return None
    from cryptography.x509.oid import NameOID

    common_names = root.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    label = str(common_names[0].value) if common_names else root.subject
    return {
        "PayloadType": "com.apple.security.root",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.root",
        "PayloadUUID": profile_uuid(settings, "root"),
        "PayloadDisplayName": label,
        "PayloadDescription": _("The root certificate {provider}'s mail server certificate chains to.").format(
            provider=settings.provider.name
        ),
        "PayloadOrganization": settings.provider.organization,
        "PayloadCertificateFileName": f"{safe_file_stem(label)}.cer",
        "PayloadContent": root.der,
    }


def build_profile(settings: AccountSettings) -> dict[str, Any]:
    """The whole configuration profile as plist data."""
    check_profile_text(settings)
    identifier = profile_identifier(settings)
    provider = settings.provider
    content = [mail_payload(settings, identifier)]
    root = root_payload(settings, identifier)
    if root is not None:
        content.append(root)
    # macOS shows these when the profile is opened: in the language of the person it is written for.
    description = (
        _("Sets up {address} in Apple Mail for {provider} and installs the root certificate its mail server uses.")
        if root is not None
        else _("Sets up {address} in Apple Mail for {provider}.")
    ).format(address=settings.address.address, provider=provider.name)
    return {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": profile_uuid(settings, "profile"),
        "PayloadDisplayName": _("{provider} mail: {address}").format(
            provider=provider.name, address=settings.address.address
        ),
        "PayloadDescription": description,
        "PayloadOrganization": provider.organization,
        "PayloadScope": "User",  # the mail payload is user-channel only on macOS
        "PayloadRemovalDisallowed": False,
        "PayloadContent": content,
    }


def sign_profile(data: bytes, signer: ProfileSigner) -> bytes:
    """CMS/PKCS#7 with the profile inside (an attached signature), DER-encoded, as macOS expects."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(signer.certificate, signer.key, hashes.SHA256())
    for certificate in signer.chain:
        builder = builder.add_certificate(certificate)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])


def mobileconfig_bytes(settings: AccountSettings, signer: ProfileSigner | None = None) -> bytes:
    data = plistlib.dumps(build_profile(settings), fmt=plistlib.FMT_XML, sort_keys=True)
    return sign_profile(data, signer) if signer is not None else data


MOBILECONFIG_SUFFIX = ".mobileconfig"


def mobileconfig_name(settings: AccountSettings) -> str:
    return f"{safe_file_stem(settings.address.address)}{MOBILECONFIG_SUFFIX}"


def write_mobileconfig(settings: AccountSettings, out_dir: Path, signer: ProfileSigner | None = None) -> Path:
    """Writes <address>.mobileconfig; private (owner-only) when it carries the password."""
    data = mobileconfig_bytes(settings, signer)
    return write_atomic(out_dir / mobileconfig_name(settings), data, private=settings.password is not None)
