"""The engine and the `probe` command against the real Dovecot test servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant.core.address import parse_address
from setup_assistant.core.model import EndpointStatus, LoginStatus, MailProtocol, Security
from setup_assistant.core.probing.account_check import check_account
from setup_assistant.core.provider import load_provider

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, stdin: str | None = None, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "setup_assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def test_every_endpoint_is_ok_and_logins_work(mail_servers) -> None:
    provider = load_provider(mail_servers.provider_path)
    user, password = next(iter(mail_servers.users.items()))
    check = check_account(provider, parse_address(user), password, timeout=10)
    assert [r.status for r in check.probe.endpoints] == [EndpointStatus.OK] * 6, [
        r.detail for r in check.probe.endpoints
    ]
    for result in check.probe.endpoints:
        facts = result.certificate
        assert facts is not None
        assert facts.trusted_by.provider_root and not facts.trusted_by.mozilla
        assert facts.tls_version in ("TLSv1.2", "TLSv1.3")
    assert [login.status for login in check.logins] == [LoginStatus.OK] * 3
    rec = check.probe.recommended
    assert rec.imap is not None and rec.imap.security is Security.STARTTLS
    assert rec.imap.port == mail_servers.ports["imap"]
    assert rec.smtp is not None and rec.smtp.port == mail_servers.ports["submission"]
    outlook = check.probe.outlook
    assert outlook.imap is not None and outlook.imap.port == mail_servers.ports["imaps"]
    assert outlook.smtp is not None and outlook.smtp.port == mail_servers.ports["submissions"]
    assert check.ok


def test_password_with_quotes_backslash_and_non_ascii(mail_servers) -> None:
    provider = load_provider(mail_servers.provider_path)
    check = check_account(provider, parse_address("bob+test@example.org"), 'p"a\\ss wörd', timeout=10)
    assert [login.status for login in check.logins] == [LoginStatus.OK] * 3, [r.detail for r in check.logins]


def test_probe_json_against_real_servers(mail_servers) -> None:
    user, password = next(iter(mail_servers.users.items()))
    proc = run_cli(
        "probe",
        user,
        "--provider",
        str(mail_servers.provider_path),
        "--password-stdin",
        "--json",
        stdin=password + "\n",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["email"] == user
    assert {e["protocol"] for e in data["endpoints"]} == {"imap", "pop3", "smtp"}
    for endpoint in data["endpoints"]:
        assert endpoint["status"] == "ok"
        assert endpoint["security"] in ("starttls", "ssl")
        assert endpoint["certificate"]["trusted_by"] == {"mozilla": False, "os": False, "provider_root": True}
        assert isinstance(endpoint["elapsed_ms"], int)
    assert [login["status"] for login in data["logins"]] == ["ok", "ok", "ok"]
    assert data["recommended"]["imap"] == {
        "host": "localhost",
        "port": mail_servers.ports["imap"],
        "security": "starttls",
    }
    assert data["recommended"]["outlook"]["smtp"]["security"] == "ssl"
    assert password not in proc.stdout and password not in proc.stderr


def test_wrong_password_is_rejected_with_exit_1(mail_servers) -> None:
    user = next(iter(mail_servers.users))
    proc = run_cli(
        "probe",
        user,
        "--provider",
        str(mail_servers.provider_path),
        "--password-stdin",
        "--json",
        stdin="not the password\n",
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert {login["status"] for login in data["logins"]} == {"rejected"}
    assert "postmaster" in data["logins"][0]["detail"]
    assert "postmaster" in data["verdict"]
    assert "not the password" not in proc.stdout


def test_readable_table_and_verdict(mail_servers) -> None:
    proc = run_cli("probe", "jane.doe@example.org", "--provider", str(mail_servers.provider_path), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Secure setup found" in proc.stdout
    assert "STARTTLS" in proc.stdout and "SSL/TLS" in proc.stdout


def test_blocked_starttls_ports_make_ssl_the_recommendation(mail_servers, tmp_path) -> None:
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(0)  # accepts nothing: connections hang like a firewalled port
    port = blackhole.getsockname()[1]
    try:
        path = mail_servers.provider_file(tmp_path, imap=port, pop3=port, submission=port)
        proc = run_cli("probe", "jane.doe@example.org", "--provider", str(path), "--json", "--grace", "1")
    finally:
        blackhole.close()
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["recommended"]["imap"]["security"] == "ssl"
    assert data["recommended"]["smtp"]["port"] == mail_servers.ports["submissions"]
    statuses = {(e["protocol"], e["security"]): e["status"] for e in data["endpoints"]}
    assert statuses[("imap", "starttls")] == "timeout"
    assert statuses[("imap", "ssl")] == "ok"
    assert data["elapsed_ms"] < 5000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["probe", "not-an-address"], "no @"),
        (["probe", "jane@localhost"], "no dot"),
        (["probe", ""], "type your email"),
        (["probe", "a@b.org", "--provider", "/nonexistent/provider.toml"], "no such provider file"),
        (["probe", "a@b.org", "--timeout", "soon"], "not a number"),
        (["probe"], "required"),
        (["no-such-command"], "invalid choice"),
    ],
)
def test_bad_input_is_exit_2_with_a_human_message(args, needle) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_provider_file_names_the_file_and_key(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[provider]\nid = "x"\nname = "X"\nwebmail = "http://mail.{domain}"\n[servers.imap]\nhost = "h"\n')
    proc = run_cli("probe", "a@b.org", "--provider", str(bad))
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "servers.imap.starttls_port" in proc.stderr


def test_password_stdin_empty_is_usage_error(mail_servers) -> None:
    proc = run_cli("probe", "a@b.org", "--provider", str(mail_servers.provider_path), "--password-stdin", stdin="")
    assert proc.returncode == 2
    assert "no password" in proc.stderr


def test_version() -> None:
    from setup_assistant import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


def test_incoming_protocols_are_named_lower_case(mail_servers) -> None:
    provider = load_provider(mail_servers.provider_path)
    assert [p.value for p in MailProtocol] == ["imap", "pop3", "smtp"]
    assert provider.preferred(MailProtocol.POP3).port == mail_servers.ports["pop3"]


def test_nothing_reachable_says_check_the_network(tmp_path) -> None:
    from tests.servers.dovecot import free_port
    from tests.servers.provider_file import PORT_NAMES, provider_toml

    closed = {name: free_port() for names in PORT_NAMES.values() for name in names}  # nothing listens there
    path = tmp_path / "closed.toml"
    path.write_text(provider_toml(closed, host="127.0.0.1", name="Closed Mail"), encoding="utf-8")
    proc = run_cli("probe", "jane@example.org", "--provider", str(path), "--quiet", "--timeout", "3")
    assert proc.returncode == 1
    assert "None of Closed Mail's servers could be reached (no port answered)" in proc.stdout
    assert "network connection" in proc.stdout
    assert "setup-assistant profiles ADDRESS --out DIR --no-probe" in proc.stdout  # how to prepare files anyway

    for command, extra in (
        ("profiles", ["--out", str(tmp_path / "files")]),
        ("sheet", ["--out", str(tmp_path / "s.html")]),
    ):
        proc = run_cli(command, "jane@example.org", *extra, "--provider", str(path), "--timeout", "3")
        assert proc.returncode == 1
        assert f"run the same `{command}` command again with --no-probe" in proc.stdout + proc.stderr
