"""Text from the network is data: the CLI's human output shows control characters as escapes, its JSON keeps the
server's text exactly, and the report escapes markup. The server here puts a clear-screen, a right-to-left
override, a C1 escape and a link into its certificate's names."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from setup_assistant.cli import main
from setup_assistant.core.visible_text import visible, visible_lines
from tests.servers import hostile
from tests.servers.hostile import NASTY_CN, NASTY_ORG, HostileServer
from tests.servers.provider_file import provider_toml

RAW = ("\x1b", "\u202e", "\x9b")  # none of these may reach a terminal as they are
SHOWN_CN = "<b>mail</b>\\u001b[2J\\u202egro.live\\u009b31m"
# The subject as RFC 4514 writes it (most specific first, "<" and ">" escaped), as the assistant reports it.
SUBJECT = x509.Name(
    [x509.NameAttribute(NameOID.ORGANIZATION_NAME, NASTY_ORG), x509.NameAttribute(NameOID.COMMON_NAME, NASTY_CN)]
).rfc4514_string()


def test_visible_escapes_controls_and_bidi_and_nothing_else() -> None:
    assert visible("a\x1b[2Jb\u202ec\x9b\x00\x7f\u2066\n") == "a\\u001b[2Jb\\u202ec\\u009b\\u0000\\u007f\\u2066\\u000a"
    assert visible_lines("one\x1b\ntwo\r\n") == "one\\u001b\ntwo\\u000d\n"
    text = "Grüße, 日本語, émoji 📫, <b>tags</b> & a \\ backslash"
    assert visible(text) == text


@pytest.fixture(scope="module")
def nasty_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A provider whose SSL ports serve the nasty certificate (its STARTTLS ports are closed)."""
    directory = tmp_path_factory.mktemp("nasty")
    context = hostile.nasty_names_context(directory)
    servers = {
        key: HostileServer(hostile.ssl_server(protocol, context))
        for key, protocol in (("imaps", "imap"), ("pop3s", "pop3"), ("submissions", "smtp"))
    }
    path = directory / "provider.toml"
    path.write_text(provider_toml({k: s.port for k, s in servers.items()}), encoding="utf-8")
    yield path
    for server in servers.values():
        server.close()


def _probe(provider: Path, *extra: str) -> list[str]:
    return ["probe", "jane@example.org", "--provider", str(provider), "--timeout", "3", "--grace", "0.5", *extra]


def test_the_cli_table_shows_control_characters_as_escapes(nasty_provider: Path, capsys) -> None:
    assert main(_probe(nasty_provider)) == 1
    out, err = capsys.readouterr()
    for raw in RAW:
        assert raw not in out and raw not in err
    assert f"certificate {visible(SUBJECT)} until" in out  # the subject, visibly escaped
    assert "\\u001b[2J\\u202egro.live\\u009b31m" in out
    assert f"issued by '{SHOWN_CN}'" in out  # the untrusted detail names the issuer, escaped too


def test_the_cli_json_keeps_the_server_text_exactly(nasty_provider: Path, capsys) -> None:
    assert main(_probe(nasty_provider, "--json")) == 1
    out, _err = capsys.readouterr()
    for raw in RAW:
        assert raw not in out  # escaped the JSON way, which is also safe on a terminal
    data = json.loads(out)
    imaps = next(e for e in data["endpoints"] if e["security"] == "ssl" and e["protocol"] == "imap")
    assert imaps["status"] == "untrusted-certificate"
    assert imaps["certificate"]["subject"] == SUBJECT
    assert f"issued by '{NASTY_CN}'" in imaps["detail"]


def test_the_report_shows_server_markup_as_text(nasty_provider: Path, tmp_path: Path, monkeypatch) -> None:
    import dns.resolver

    from setup_assistant.core.address import parse_address
    from setup_assistant.core.helpdesk.report import report_from_check
    from setup_assistant.core.probing.account_check import check_account
    from setup_assistant.core.provider import load_provider
    from tests.core.helpdesk.test_report import Page

    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    check = check_account(load_provider(nasty_provider), parse_address("jane@example.org"), timeout=3, grace=0.5)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = ["127.0.0.1"], 9
    page_bytes = report_from_check(check, resolver=resolver, dns_timeout=0.5).to_html()
    page = Page(page_bytes)
    assert "a" not in page.tags  # the link is not a link
    assert SUBJECT in page.text  # but its text is there, as text
    assert html.escape(SUBJECT, quote=False) in page_bytes.decode()
