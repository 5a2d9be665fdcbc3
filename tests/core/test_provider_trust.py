"""A provider file is a trust decision: every string that reaches a profile is checked when the file is loaded,
before anything is written; malformed structure of any depth is one line and exit 2, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core.provider import ProviderError, load_provider
from tests.core.test_provider import GOOD, _write


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


BAD = [
    # Structure: nested far deeper than any real file (a RecursionError in tomllib before).
    (GOOD + "\ndeep = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    (GOOD + "\ndeep = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    (_replace('name = "NPOMail"', "name = " + _toml("NPO\nMail")), "provider.name"),
    (_replace('name = "NPOMail"', "name = " + _toml("NPO\u2028Mail")), "provider.name"),
    (_replace('name = "NPOMail"', "name = " + _toml("NPO\u200bMail")), "invisible character"),
    (_replace('name = "NPOMail"', "name = " + _toml("N" * 300)), "too long"),
    (_replace('organization = "Electric Embers"', "organization = " + _toml("Electric\rEmbers")), "organization"),
    (_replace('id = "npomail"', 'id = "npo mail"'), "provider.id"),
    (_replace('id = "npomail"', 'id = "../../npomail"'), "provider.id"),
    (_replace('id = "npomail"', 'id = "npo\\nmail"'), "provider.id"),
    (_replace('host = "npomail.electricembers.net"', 'host = "npomail.example\\n.net"'), "servers.imap.host"),
    (_replace('host = "npomail.electricembers.net"', 'host = "npomail_example;rm -rf"'), "servers.imap.host"),
    (_replace('host = "npomail.electricembers.net"', 'host = "-bad.example"'), "servers.imap.host"),
    (_replace('host = "npomail.electricembers.net"', 'host = "a..b"'), "servers.imap.host"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "javascript:alert(1)"'), "http:// or https://"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "file:///etc/passwd"'), "http:// or https://"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "ftp://mail.{domain}"'), "http:// or https://"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "mail.{domain}"'), "http:// or https://"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "http://mail.{domain}@evil.example"'), "web server"),
    (_replace('webmail = "http://mail.{domain}"', 'webmail = "http://mail.{domain}/\\n"'), "provider.webmail"),
    (_replace('support = "https://electricembers.coop/support/"', 'support = "data:text/html,x"'), "support"),
    (_replace("purge_days = 14", "purge_days = true"), "provider.purge_days"),
    (_replace("purge_days = 14", 'purge_days = "14"'), "provider.purge_days"),
    (_replace("purge_days = 14", "purge_days = 0"), "provider.purge_days"),
    (_replace("purge_days = 14", "purge_days = 14.5"), "provider.purge_days"),
    (_replace('spam_folders = ["Spam", "Virus"]', 'spam_folders = "Spam"'), "provider.spam_folders"),
    (_replace('spam_folders = ["Spam", "Virus"]', 'spam_folders = ["Spam", 3]'), "provider.spam_folders"),
    (_replace('spam_folders = ["Spam", "Virus"]', 'spam_folders = ["Sp\\nam"]'), "provider.spam_folders"),
    (_replace('group_address = "all@{domain}"', "group_address = 7"), "provider.group_address"),
    (_replace('group_address = "all@{domain}"', 'group_address = "all at {domain}"'), "provider.group_address"),
    (_replace('group_address = "all@{domain}"', 'group_address = "all@{domain}\\n"'), "provider.group_address"),
    (
        _replace('password_reset = "your organization\'s postmaster"', 'password_reset = ["x"]'),
        "provider.password_reset",
    ),
]


@pytest.mark.parametrize(("text", "needle"), BAD, ids=range(len(BAD)))
def test_a_bad_provider_file_is_refused_at_load(tmp_path: Path, text: str, needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ProviderError) as caught:
        load_provider(path)
    message = str(caught.value)
    assert needle in message and str(path) in message
    assert "\n" not in message and "\r" not in message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('webmail = "http://mail.{domain}"', 'webmail = "HTTPS://webmail.example.net/?d={domain}"'),
        ('host = "npomail.electricembers.net"', 'host = "127.0.0.1"'),
        ('host = "npomail.electricembers.net"', 'host = "localhost"'),
        ('host = "npomail.electricembers.net"', 'host = "mail.bücher.example"'),
        ('name = "NPOMail"', 'name = "Correo Señal – Ñandú"'),
        ("purge_days = 14", "purge_days = 30"),
    ],
)
def test_real_provider_values_are_still_accepted(tmp_path: Path, old: str, new: str) -> None:
    load_provider(_write(tmp_path, _replace(old, new)))


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace('name = "NPOMail"', 'name = "NPO\\nMail"'),
        lambda t: t + "\nnested = " + "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["newline-in-name", "deep-nesting"],
)
def test_install_with_a_bad_provider_file_changes_nothing(
    edit, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a newline in the name went into prefs.js and only then failed; now nothing is touched."""
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    profile = tmp_path / "profile"
    profile.mkdir()
    before = b'user_pref("mail.accountmanager.accounts", "account1");\n'
    (profile / "prefs.js").write_bytes(before)
    provider = _write(tmp_path, edit(GOOD))
    out = tmp_path / "out"
    code = cli.main(
        [
            "profiles",
            "jane@example.org",
            "--provider",
            str(provider),
            "--out",
            str(out),
            "--no-probe",
            "--client",
            "thunderbird",
            "--install",
            "--thunderbird-profile",
            str(profile),
        ]
    )
    _, stderr = capsys.readouterr()
    assert code == 2
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr and str(provider) in stderr
    assert sorted(p.name for p in profile.iterdir()) == ["prefs.js"]
    assert (profile / "prefs.js").read_bytes() == before
    assert not out.exists()


def test_purge_days_true_never_reaches_the_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    provider = _write(tmp_path, _replace("purge_days = 14", "purge_days = true"))
    out = tmp_path / "sheet.html"
    code = cli.main(["sheet", "jane@example.org", "--provider", str(provider), "--out", str(out), "--no-probe"])
    _, stderr = capsys.readouterr()
    assert code == 2 and "provider.purge_days" in stderr
    assert not out.exists()
