"""Provider files: the shipped NPOMail settings match the guide; broken files name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from setup_assistant.core.model import MailProtocol, Security
from setup_assistant.core.provider import ProviderError, load_provider
from setup_assistant.core.resources import default_provider_file, resources_dir


def test_shipped_provider_is_the_guide() -> None:
    provider = load_provider()
    assert provider.id == "npomail"
    assert provider.name == "NPOMail" and provider.organization == "Electric Embers"
    assert provider.prefer is Security.STARTTLS
    expected = {MailProtocol.IMAP: (143, 993), MailProtocol.POP3: (110, 995), MailProtocol.SMTP: (587, 465)}
    for protocol, (starttls, ssl) in expected.items():
        server = provider.server(protocol)
        assert server.host == "npomail.electricembers.net"
        assert (server.starttls_port, server.ssl_port) == (starttls, ssl)
    assert provider.webmail_url("your-domain.org") == "http://mail.your-domain.org"
    assert provider.group_address("your-domain.org") == "all@your-domain.org"
    assert provider.root is not None and "ISRG Root X1" in provider.root.subject
    assert [e.security for e in provider.endpoints()[:2]] == [Security.STARTTLS, Security.SSL]


def test_resources_found_from_source() -> None:
    assert (resources_dir() / "providers" / "npomail.toml") == default_provider_file()


GOOD = Path(default_provider_file()).read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    # the relative root path must still resolve from the temp folder
    root = default_provider_file().parent.parent / "certs" / "isrg-root-x1.pem"
    path.write_text(text.replace('"../certs/isrg-root-x1.pem"', f'"{root}"'), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (
            lambda t: t.replace('host = "npomail.electricembers.net"\nstarttls_port = 143', "starttls_port = 143"),
            "servers.imap.host",
        ),
        (lambda t: t.replace("ssl_port = 995", 'ssl_port = "995"'), "servers.pop3.ssl_port"),
        (lambda t: t.replace("ssl_port = 465", "ssl_port = 70000"), "servers.smtp.ssl_port"),
        (lambda t: t.replace('prefer = "starttls"', 'prefer = "plain"'), "provider.prefer"),
        (lambda t: t.replace('name = "NPOMail"\n', ""), "provider.name"),
        (lambda t: t.replace("[servers.smtp]", "[servers.smtpx]"), "servers.smtp"),
        (lambda t: t + "\n[[broken", "not valid TOML"),
        (lambda t: t.replace("96bcec06", "00bcec06"), "trust.root_sha256"),
        (lambda t: t.replace('root_sha256 = "96bcec06', 'root_sha256 = "zz'), "trust.root_sha256"),
    ],
)
def test_broken_provider_files_name_file_and_key(tmp_path: Path, edit, needle: str) -> None:
    path = _write(tmp_path, edit(GOOD))
    with pytest.raises(ProviderError) as info:
        load_provider(path)
    assert str(path) in str(info.value)
    assert needle in str(info.value)


def test_root_that_does_not_match_its_pin_is_refused(tmp_path: Path) -> None:
    import trustme

    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    text = GOOD.replace('"../certs/isrg-root-x1.pem"', f'"{other}"')
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProviderError, match="does not match its pin"):
        load_provider(path)


def test_missing_root_file_and_non_certificate(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(GOOD.replace('"../certs/isrg-root-x1.pem"', '"missing.pem"'), encoding="utf-8")
    with pytest.raises(ProviderError, match=r"trust\.root_certificate"):
        load_provider(path)
    (tmp_path / "junk.pem").write_text("hello")
    path.write_text(GOOD.replace('"../certs/isrg-root-x1.pem"', '"junk.pem"'), encoding="utf-8")
    with pytest.raises(ProviderError, match="not a certificate"):
        load_provider(path)


def test_missing_file() -> None:
    with pytest.raises(ProviderError, match="no such provider file"):
        load_provider("/nonexistent/x.toml")
