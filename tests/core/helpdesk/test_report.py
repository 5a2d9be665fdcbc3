"""The diagnostic report against the real Dovecot servers and the loopback DNS server: what it holds, that it
never holds the password, and that --redact masks the address everywhere."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from setup_assistant import __version__
from setup_assistant.cli import main
from setup_assistant.core import history
from setup_assistant.core.address import parse_address
from setup_assistant.core.helpdesk.report import build_report, mask_address, redact_data
from setup_assistant.core.provider import load_provider
from tests.servers.dns_server import TTL, DnsServer, example_zone
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.servers

ADDRESS = "jane.doe@example.org"
PLANTED = "Zebra-Quartz-9417-planted"  # a wrong password nobody could find in a report by chance
EXTERNAL = re.compile(r"\b(?:src|href)\s*=|<\s*(?:link|script|img|iframe|object|embed)\b|url\(|@import", re.I)


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    """The test zone plus example.org, whose mail goes to the test servers (host "localhost")."""
    zone = example_zone()
    zone.origins = (*zone.origins, "example.org.")
    zone.add("example.org.", "SOA", f"ns.example.org. hostmaster.example.org. 1 3600 600 86400 {TTL}")
    zone.add("example.org.", "NS", "ns.example.org.")
    zone.add("example.org.", "MX", "10 localhost.")
    zone.add("mail.example.org.", "A", "192.0.2.80")
    with DnsServer(zone) as server:
        yield server


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """History and certificate stores of a throw-away user, never the real ones."""
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()


def run_report(
    mail_servers: Any,
    dns_server: DnsServer,
    out: Path,
    *extra: str,
    password: str | None = None,
    provider: Path | None = None,
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    argv = [
        "report",
        ADDRESS,
        "--provider",
        str(provider or mail_servers.provider_path),
        "--out",
        str(out),
        "--timeout",
        "5",
        "--nameserver",
        f"127.0.0.1:{dns_server.port}",
        *extra,
    ]
    if password is not None:
        argv.append("--password-stdin")
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return main(argv)


class Page(HTMLParser):
    """The page's text (outside <style>), its tags and its table rows."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.text = ""
        self.rows: list[list[str]] = []
        self.feed(data.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self.rows[-1].append("")
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "style" in self.stack:
            return
        if self.stack and self.stack[-1] in ("th", "td") and self.rows:
            self.rows[-1][-1] += data
        self.text += data + " "

    def row(self, label: str) -> list[str]:
        return next(r for r in self.rows if r and r[0] == label)


def test_report_holds_everything_and_never_the_password(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = mail_servers.users[ADDRESS]
    written = tmp_path / "exported" / "jane.doe@example.org.mobileconfig"
    history.record_written(ADDRESS, "apple-mail", written)
    history.record_written("someone.else@example.org", "thunderbird", tmp_path / "other")
    out = tmp_path / "ticket" / "report.html"

    assert run_report(mail_servers, dns_server, out, password=password, monkeypatch=monkeypatch) == 0

    data = json.loads((tmp_path / "ticket" / "report.json").read_text(encoding="utf-8"))
    html = out.read_bytes()
    for blob in (html, json.dumps(data).encode(), (tmp_path / "ticket" / "report.json").read_bytes()):
        assert password.encode() not in blob
        assert password.replace(" ", "").encode() not in blob

    assert data["app_version"] == __version__
    assert data["os"]["system"] and data["os"]["description"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["generated_at"])
    assert data["email"] == ADDRESS and data["redacted"] is False
    assert data["password_given"] is True and data["ok"] is True
    # DNS: asked the loopback server; mail for example.org goes to the provider's host.
    assert data["dns"]["nameservers"] == [f"127.0.0.1:{dns_server.port}"]
    mx = next(c for c in data["dns"]["checks"] if c["check"] == "mx")
    assert mx["status"] == "ok" and mx["records"] == ["10 localhost"]
    webmail = next(c for c in data["dns"]["checks"] if c["check"] == "webmail")
    assert webmail["name"] == "mail.example.org" and webmail["records"] == ["192.0.2.80"]
    assert dns_server.queries_for("example.org"), "the report's DNS checks must ask the given server"
    # Every endpoint, each with its certificate facts.
    endpoints = data["servers"]["endpoints"]
    assert {(e["protocol"], e["port"]) for e in endpoints} == {
        ("imap", mail_servers.ports["imap"]),
        ("imap", mail_servers.ports["imaps"]),
        ("pop3", mail_servers.ports["pop3"]),
        ("pop3", mail_servers.ports["pop3s"]),
        ("smtp", mail_servers.ports["submission"]),
        ("smtp", mail_servers.ports["submissions"]),
    }
    assert all(e["status"] == "ok" for e in endpoints)
    fingerprints = {e["certificate"]["sha256"] for e in endpoints}
    assert len(fingerprints) == 1
    assert all(e["certificate"]["trusted_by"]["provider_root"] is True for e in endpoints)
    assert {login["status"] for login in data["logins"]} == {"ok"} and len(data["logins"]) >= 2
    # Trust: the pinned test CA, and this (throw-away) user's certificate store.
    ca_fingerprint = ":".join(re.findall("..", mail_servers.ca_sha256.upper()))
    assert data["trust"]["root"]["sha256"] == ca_fingerprint
    assert data["trust"]["server"]["verdict"] == "pinned-root"
    assert data["trust"]["places"], "the places this computer's mail programs read roots from"
    # Only this address's profiles.
    assert [(p["client"], p["path"]) for p in data["profiles_written"]] == [("apple-mail", str(written.resolve()))]

    page = Page(html)
    assert not EXTERNAL.search(html.decode()), "the report must load nothing from elsewhere"
    assert page.tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "strong", "table"} | {
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "code",
        "pre",  # the run's log lines
    }
    assert page.row("App version")[1] == __version__
    assert page.row("Operating system")[1] == data["os"]["description"]
    assert page.row("Email address")[1] == ADDRESS
    assert page.row("Logins tested")[1] == "yes"
    assert data["verdict"] in page.text
    assert page.row("Mail delivery (MX)")[2] == "ok"
    assert next(iter(fingerprints)) in page.text
    assert str(written.resolve()) in page.text
    assert "someone.else" not in page.text
    for e in endpoints:  # one row per endpoint: protocol, server, security, status
        assert any(r[:2] == [e["protocol"].upper(), f"localhost:{e['port']}"] and r[3] == "ok" for r in page.rows)
    assert page.row("Leads to the provider's pinned root")[1] == "yes"
    assert ca_fingerprint in page.text


def test_a_rejected_password_still_writes_both_files_without_it(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    assert run_report(mail_servers, dns_server, out, password=PLANTED, monkeypatch=monkeypatch) == 1
    json_file = tmp_path / "report.json"
    data = json.loads(json_file.read_text(encoding="utf-8"))
    assert {login["status"] for login in data["logins"]} == {"rejected"}
    assert data["ok"] is False and "rejected" in data["verdict"]
    for path in (out, json_file):
        blob = path.read_bytes()
        assert PLANTED.encode() not in blob and b"Zebra" not in blob
        assert PLANTED.encode("utf-16-le") not in blob


def test_a_password_that_is_also_ordinary_text_does_not_mangle_the_report(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A (wrong) password that is also the servers' name: the login details never echo it, and the rest
    # of the report still names the servers instead of showing a telltale mask wherever it occurs.
    out = tmp_path / "report.html"
    assert run_report(mail_servers, dns_server, out, password="localhost", monkeypatch=monkeypatch) == 1
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["logins"] and all("localhost" not in login["detail"] for login in data["logins"])
    assert {e["host"] for e in data["servers"]["endpoints"]} == {"localhost"}


def test_redact_masks_the_address_everywhere(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.record_written("Jane.Doe@EXAMPLE.org", "thunderbird", tmp_path / "out" / "jane.doe@example.org" / "x")
    out = tmp_path / "report.html"
    assert run_report(mail_servers, dns_server, out, "--redact", monkeypatch=monkeypatch) == 0
    json_text = (tmp_path / "report.json").read_text(encoding="utf-8")
    html_text = out.read_text(encoding="utf-8")
    data = json.loads(json_text)
    assert data["redacted"] is True and data["email"] == "j***@example.org"
    assert data["dns"]["email"] == "j***@example.org"
    assert data["profiles_written"][0]["path"].endswith("/j***@example.org/x")
    for text in (json_text, html_text):
        assert "jane.doe" not in text.lower() and "jane" not in text.lower()
        assert "j***@example.org" in text
    assert Page(out.read_bytes()).row("Email address")[1] == "j***@example.org (masked)"


def test_unreachable_servers_still_give_both_files(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = {name: free_port() for name in ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")}
    provider = mail_servers.provider_file(tmp_path, **closed)
    out = tmp_path / "r" / "diag.html"
    password = mail_servers.users[ADDRESS]
    assert run_report(mail_servers, dns_server, out, password=password, provider=provider, monkeypatch=monkeypatch) == 1
    data = json.loads((tmp_path / "r" / "diag.json").read_text(encoding="utf-8"))
    text = Page(out.read_bytes()).text
    assert "Logins tested yes" not in text.replace(":", "") and "nothing secure could be reached" in text
    assert {e["status"] for e in data["servers"]["endpoints"]} == {"refused"}
    assert data["ok"] is False and data["verdict"].startswith("None of Test Mail's servers could be reached")
    assert data["trust"]["server"]["verdict"] == "unreachable"
    assert "None of Test Mail's servers could be reached" in Page(out.read_bytes()).text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", ADDRESS, "--out", "{tmp}/report.json"], "name the HTML file"),
        (["report", "not-an-address", "--out", "{tmp}/report.html"], "no @"),
        (["report", ADDRESS, "--out", "{tmp}"], "is a folder"),
        (["report", ADDRESS, "--provider", "{tmp}/missing.toml", "--out", "{tmp}/report.html"], "no such provider"),
    ],
)
def test_usage_errors_write_nothing(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("report.*"))


def test_redact_data_masks_every_spelling_of_the_address() -> None:
    address = parse_address("Jane.Doe@bücher.example")
    data = {
        "a": "Jane.Doe@bücher.example",
        "b": ["mail for JANE.DOE@xn--bcher-kva.example", {"c": "/x/Jane.Doe@bücher.example.mobileconfig"}],
        "n": 3,
    }
    assert mask_address(address) == "J***@bücher.example"
    assert redact_data(data, address) == {
        "a": "J***@bücher.example",
        "b": ["mail for J***@bücher.example", {"c": "/x/J***@bücher.example.mobileconfig"}],
        "n": 3,
    }


def test_report_from_an_existing_check_needs_no_second_probe(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wizard already has a check: its report looks up DNS and trust, never the servers again."""
    import dns.resolver

    from setup_assistant.core.helpdesk.report import report_from_check, write_report
    from setup_assistant.core.probing import probe as probe_module
    from setup_assistant.core.probing.account_check import check_account
    from setup_assistant.core.provider import load_provider

    provider = load_provider(mail_servers.provider_path)
    password = mail_servers.users[ADDRESS]
    check = check_account(provider, parse_address(ADDRESS), password, timeout=5)

    def no_probe(*args: object, **kwargs: object) -> None:
        raise AssertionError("probed again")

    monkeypatch.setattr(probe_module, "probe_provider", no_probe)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = dns_server.port
    report = report_from_check(check, resolver=resolver, dns_timeout=3)
    html_path, json_path = write_report(report, tmp_path / "wizard-report.html")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["ok"] is True and [login["status"] for login in data["logins"]] == ["ok", "ok", "ok"]
    assert data["dns"] and data["trust"]
    for path in (html_path, json_path):
        assert password not in path.read_text(encoding="utf-8")


def test_redact_also_hides_the_home_folder_in_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "janedoe-home"
    monkeypatch.setenv("HOME", str(home))
    address = parse_address(ADDRESS)
    data = {"profiles_written": [{"path": f"{home}/.thunderbird/abc.default/prefs.js"}], "other": f"{home}x/keep"}
    redacted = redact_data(data, address)
    assert redacted["profiles_written"][0]["path"] == "~/.thunderbird/abc.default/prefs.js"
    assert redacted["other"] == f"{home}x/keep"  # only the home folder itself, not a longer name


def test_report_holds_this_runs_log_and_what_went_into_this_copy(mail_servers, tmp_path: Path) -> None:
    import logging

    from setup_assistant.core import logs

    logs.start_logging(program="test")
    try:
        logging.getLogger("setup_assistant.core.test").info("endpoint imap:143 starttls ok")
        provider = load_provider(mail_servers.provider_path)
        user, password = next(iter(mail_servers.users.items()))
        report = build_report(provider, parse_address(user), password, timeout=10, dns_timeout=1)
    finally:
        logs.stop_logging()
    data = report.to_json()
    assert any("endpoint imap:143 starttls ok" in line for line in data["log"])
    assert logs.RUN_MARKER in data["log"][0]
    assert data["build"]["app_version"] and "cryptography" in data["build"]["packages"]
    html = report.to_html().decode()
    assert "What the assistant did (its log)" in html and "endpoint imap:143 starttls ok" in html
    assert password not in html and password not in report.json_text()


def test_the_report_lists_the_accounts_found_and_their_findings(
    mail_servers: Any, dns_server: DnsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.clients.test_doctor import broken_profile

    root = tmp_path / "home" / ".thunderbird"
    profile = broken_profile(root)
    (root / "profiles.ini").write_text(f"[Profile0]\nName=default\nIsRelative=1\nPath={profile.name}\nDefault=1\n")
    out = tmp_path / "report.html"
    run_report(mail_servers, dns_server, out, monkeypatch=monkeypatch)
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    (account,) = data["mail_accounts"]["accounts"]
    assert (account["program"], account["account"]) == ("thunderbird", "account1")
    settings = {f["setting"] for f in account["findings"]}
    assert {"incoming.auth", "incoming.username", "outgoing.port"} <= settings
    page = Page(out.read_bytes())
    assert "Accounts for this address" in page.text and "Secure Password Authentication" in page.text

    run_report(mail_servers, dns_server, out, "--redact", monkeypatch=monkeypatch)
    for text in ((tmp_path / "report.json").read_text(encoding="utf-8"), out.read_text(encoding="utf-8")):
        assert "jane.doe" not in text.lower()
