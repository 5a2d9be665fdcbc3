"""The real Thunderbird (headless) on profiles this assistant wrote, against the test Dovecot over TLS.

`setup-assistant profiles --install --save-password` must leave a profile that Thunderbird opens and logs in
with, asking nothing; without --save-password the same profile must not log in (Thunderbird would ask), which
also shows that this test can fail.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from setup_assistant import cli
from tests.conftest import MailServers, skip_or_fail
from tests.servers import real_thunderbird
from tests.servers.real_thunderbird import run_thunderbird, trust_ca

USER = "jane.doe@example.org"
LOGIN_SECONDS = 60.0  # a stored password logs in within ~2 s here; the limit is for a busy CI machine
NO_LOGIN_SECONDS = 15.0  # several times what a login takes: long enough to tell "never" from "not yet"

pytestmark = pytest.mark.servers


@pytest.fixture
def thunderbird_ready() -> None:
    reason = real_thunderbird.missing_reason()
    if reason:
        skip_or_fail(reason)


def profiles_cli(
    mail_servers: MailServers, profile: Path, out: Path, monkeypatch: pytest.MonkeyPatch, *extra: str, stdin: str = ""
) -> int:
    """`setup-assistant profiles` for the test servers, writing the account into `profile` (JSON on stdout)."""
    args = ["profiles", USER, "--out", str(out), "--provider", str(mail_servers.provider_path)]
    args += ["--client", "thunderbird", "--thunderbird-profile", str(profile), "--json", *extra]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(args)


def new_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir()
    return profile


def test_a_profile_written_with_the_password_logs_in_with_no_prompt(
    thunderbird_ready: None,
    mail_servers: MailServers,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = new_profile(tmp_path)
    password = mail_servers.users[USER]
    out = tmp_path / "out"
    code = profiles_cli(
        mail_servers, profile, out, monkeypatch, "--password-stdin", "--save-password", stdin=password + "\n"
    )
    output = capsys.readouterr()
    assert code == 0, output.err
    (client,) = json.loads(output.out)["profiles"]["clients"]
    assert client["password"]["saved"] is True and client["password"]["outcome"] == "stored"
    assert (profile / "key4.db").is_file()  # made by the assistant (NSS), not by Thunderbird
    trust_ca(profile, mail_servers.ca_path)

    run = run_thunderbird(profile, mail_servers.server, user=USER, seconds=LOGIN_SECONDS)

    assert run.logged_in, run.log
    assert "TLS" in run.logins[0]
    assert run.quit_cleanly, run.log
    assert run.prefs_after is not None
    assert run.prefs_after.get_str("mail.server.server1.userName") == USER  # Thunderbird kept the account
    # Sending too: Thunderbird's own lookup finds the password for the outgoing server as well.
    assert real_thunderbird.passwords_thunderbird_finds(profile) == {
        ("imap", "localhost", USER): True,
        ("smtp", "localhost", USER): True,
    }


def test_without_the_stored_password_thunderbird_does_not_log_in(
    thunderbird_ready: None,
    mail_servers: MailServers,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = new_profile(tmp_path)
    password = mail_servers.users[USER]
    code = profiles_cli(mail_servers, profile, tmp_path / "out", monkeypatch, "--password-stdin", stdin=password + "\n")
    assert code == 0, capsys.readouterr().err
    assert not (profile / "logins.json").exists()
    trust_ca(profile, mail_servers.ca_path)

    run = run_thunderbird(profile, mail_servers.server, user=USER, seconds=NO_LOGIN_SECONDS)

    assert not run.logged_in, run.log
    assert run.connected, run.log  # it reached the server over TLS and then had no password to give
    assert run.timed_out
    assert real_thunderbird.passwords_thunderbird_finds(profile) == {
        ("imap", "localhost", USER): False,
        ("smtp", "localhost", USER): False,
    }


@pytest.mark.parametrize("save", [True, False])
def test_pop3_and_smtp_passwords_are_where_thunderbird_looks(
    save: bool,
    thunderbird_ready: None,
    mail_servers: MailServers,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Headless Thunderbird never fetches POP3 by itself, so its own lookup is asked instead (offline)."""
    profile = new_profile(tmp_path)
    extra = ["--protocol", "pop3", "--password-stdin", *(["--save-password"] if save else [])]
    code = profiles_cli(
        mail_servers, profile, tmp_path / "out", monkeypatch, *extra, stdin=mail_servers.users[USER] + "\n"
    )
    assert code == 0, capsys.readouterr().err

    found = real_thunderbird.passwords_thunderbird_finds(profile)

    assert found == {("pop3", "localhost", USER): save, ("smtp", "localhost", USER): save}


def test_the_harness_keeps_a_profiles_own_user_js(tmp_path: Path) -> None:
    from setup_assistant.core.clients.thunderbird.prefs import PrefsFile

    own = 'user_pref("mail.accountmanager.accounts", "account1");'
    (tmp_path / "user.js").write_text(own, encoding="utf-8")
    real_thunderbird.write_harness_prefs(tmp_path, 1234)
    real_thunderbird.write_harness_prefs(tmp_path, 5678)  # a second run replaces only its own block
    text = (tmp_path / "user.js").read_text(encoding="utf-8")
    assert text.startswith(own + "\n") and text.count(real_thunderbird.HARNESS_BEGIN) == 1
    prefs = PrefsFile(text.encode())
    assert prefs.get_int("marionette.port") == 5678
    assert prefs.get_bool("mail.shell.checkDefaultClient") is False
    assert prefs.get_str("mail.accountmanager.accounts") == "account1"
