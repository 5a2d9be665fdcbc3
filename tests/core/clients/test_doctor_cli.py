"""`doctor`, `repair` and `profiles --install` on an address that already has an account: JSON shape, exit codes,
consent, and no second account added."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from setup_assistant.commands import doctor as doctor_command
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile
from tests.cli_runner import run_cli as run
from tests.core.clients.profile_support import HOST, all_bytes
from tests.core.clients.test_doctor import broken_profile
from tests.core.clients.test_doctor_outlook import IMAP_KEY, outlook_profile

ADDRESS = "jane.doe@example.org"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_doctor_json_shape_and_exit_1_for_a_broken_account(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    snapshot = all_bytes(profile)
    code, out, _ = run(
        ["doctor", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe", "--json"], capsys, monkeypatch
    )
    assert code == 1
    data = json.loads(out)
    (account,) = data["accounts"]
    assert {k: account[k] for k in ("program", "profile", "account")} == {
        "program": "thunderbird",
        "profile": str(profile),
        "account": "account1",
    }
    assert all(set(f) == {"setting", "found", "expected", "severity", "message"} for f in account["findings"])
    assert {f["severity"] for f in account["findings"]} == {"breaks", "risky"}
    assert all_bytes(profile) == snapshot  # doctor changes nothing


def test_doctor_text_says_it_in_plain_words(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    code, out, _ = run(["doctor", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe"], capsys, monkeypatch)
    assert code == 1
    assert "Thunderbird already has this address, but 9 settings are wrong." in out
    assert "Secure Password Authentication" in out and "Port 25" in out


def test_doctor_exit_codes_for_no_account_and_usage(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run(
        ["doctor", ADDRESS, "--thunderbird-profile", str(empty), "--no-probe", "--json"], capsys, monkeypatch
    )
    assert code == 1 and json.loads(out)["accounts"] == []
    code, _, err = run(["doctor", "not an address", "--no-probe"], capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err
    code, _, err = run(
        ["doctor", ADDRESS, "--thunderbird-profile", str(tmp_path / "nope"), "--no-probe"], capsys, monkeypatch
    )
    assert code == 2 and "no such Thunderbird profile" in err


def test_repair_without_terminal_or_yes_changes_nothing(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    snapshot = all_bytes(profile)
    code, _, err = run(["repair", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe"], capsys, monkeypatch)
    assert code == 1 and "add --yes" in err and "incoming.auth" in err
    assert all_bytes(profile) == snapshot


def test_repair_asks_on_a_terminal(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    snapshot = all_bytes(profile)
    args = ["repair", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe"]
    code, _, err = run(args, capsys, monkeypatch, _Terminal("n\n"))
    assert code == 1 and "Change these settings?" in err and all_bytes(profile) == snapshot
    code, out, _ = run(args, capsys, monkeypatch, _Terminal("y\n"))
    assert code == 0 and "Changed Thunderbird account1" in out


def test_repair_yes_then_again_changes_nothing(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    args = ["repair", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe", "--yes", "--json"]
    code, out, _ = run(args, capsys, monkeypatch)
    data = json.loads(out)
    assert code == 0 and data["ok"] and len(data["changed"]) == 9 and data["accounts"][0]["findings"] == []
    assert set(data["changed"][0]) == {"program", "profile", "account", "setting", "from", "to"}
    snapshot = all_bytes(profile)
    code, out, _ = run(args, capsys, monkeypatch)
    assert code == 0 and json.loads(out)["changed"] == [] and all_bytes(profile) == snapshot


def test_repair_reaches_outlook_through_the_registry_adapter(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    registry = outlook_profile()
    monkeypatch.setattr(doctor_command, "_registry", lambda: registry)
    empty = tmp_path / "empty"
    empty.mkdir()
    base = [ADDRESS, "--thunderbird-profile", str(empty), "--no-probe", "--json"]
    code, out, _ = run(["doctor", *base], capsys, monkeypatch)
    assert code == 1 and {a["program"] for a in json.loads(out)["accounts"]} == {"outlook"}
    code, out, _ = run(["repair", *base, "--yes"], capsys, monkeypatch)
    data = json.loads(out)
    assert code == 0, data
    assert any(p.endswith(".reg") for p in data["backups"])
    value = registry.read(IMAP_KEY, "IMAP Use SPA")
    assert value is not None and value.data == 0


def test_profiles_install_repairs_instead_of_adding_a_second_account(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    profile = broken_profile(tmp_path)
    base = ["profiles", ADDRESS, "--out", str(tmp_path / "out"), "--client", "thunderbird", "--no-probe"]
    base += ["--thunderbird-profile", str(profile)]
    snapshot = (profile / "prefs.js").read_bytes()
    code, out, _ = run(base, capsys, monkeypatch)
    assert code == 1 and "9 of its settings are wrong" in out and "repair" in out
    assert (profile / "prefs.js").read_bytes() == snapshot
    code, out, _ = run([*base, "--yes"], capsys, monkeypatch)
    assert code == 0 and "Repaired jane.doe@example.org" in out
    prefs = PrefsFile((profile / "prefs.js").read_bytes())
    assert prefs.get_str("mail.accountmanager.accounts") == "account3,account1,account2"  # no account added
    assert prefs.get_str("mail.server.server1.hostname") == HOST
    code, out, _ = run([*base, "--yes"], capsys, monkeypatch)
    assert code == 0 and "already set up" in out


@pytest.mark.skipif(sys.platform == "win32", reason="Thunderbird's symlink lock is Unix")
def test_repair_while_thunderbird_runs_changes_nothing_and_says_so(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    from setup_assistant.core.clients.thunderbird.writer import _own_address

    profile = broken_profile(tmp_path)
    os.symlink(f"{_own_address()}:{os.getpid()}", profile / "lock")  # Thunderbird's own lock, as if it ran
    snapshot = all_bytes(profile)
    args = ["repair", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe", "--yes"]
    code, out, _ = run(args, capsys, monkeypatch)
    assert code == 1 and "quit Thunderbird" in out
    assert all_bytes(profile) == snapshot


def test_apple_mail_values_to_compare_on_a_mac(tmp_path: Path) -> None:
    from setup_assistant.core.clients import doctor
    from tests.core.clients.profile_support import settings

    examination = doctor.examine(settings(), thunderbird_profiles=[], platform="darwin")
    rows = {setting: (value, where) for setting, value, where in examination.apple_mail}
    assert rows["Incoming user name"][0] == ADDRESS
    assert rows["Incoming host name"] == (HOST, rows["Incoming host name"][1])
    assert "Server Settings" in rows["Incoming host name"][1]
    assert rows["Outgoing port"][0].startswith("465")  # SSL first, as the guide says for Apple Mail
    assert doctor.examine(settings(), thunderbird_profiles=[], platform="linux").apple_mail == ()
    assert "apple_mail_compare" in examination.to_json()


def test_the_apple_mail_checklist_reads_in_spanish_and_its_json_stays_english() -> None:
    from setup_assistant.core import i18n
    from setup_assistant.core.clients import doctor
    from tests.core.clients.profile_support import settings
    from tests.english_leaks import english_lines

    english = doctor.examine(settings(), thunderbird_profiles=[], platform="darwin")
    i18n.set_language("es")
    spanish = doctor.examine(settings(), thunderbird_profiles=[], platform="darwin")
    assert json.dumps(english.to_json()) == json.dumps(spanish.to_json())
    text = doctor_command._text(spanish, ADDRESS)
    assert english_lines(text) == [], text
    assert "  Puerto de salida: 465, con «Usar TLS/SSL» [Use TLS/SSL] marcado  (Mail › Configuración › Cuentas" in text
    assert "Servidor de correo saliente (SMTP) [Outgoing Mail Server (SMTP)] › Puerto [Port]" in text


def test_doctor_never_says_right_when_no_server_answered(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    from setup_assistant.core.clients import Client
    from setup_assistant.core.clients.profiles import write_profiles
    from setup_assistant.core.provider import load_provider
    from tests.core.clients.profile_support import settings
    from tests.servers.dovecot import free_port
    from tests.servers.provider_file import PORT_NAMES, provider_toml

    closed = {name: free_port() for pair in PORT_NAMES.values() for name in pair}  # nothing listens: refused
    provider_file = tmp_path / "nowhere.toml"
    provider_file.write_text(provider_toml(closed, host="127.0.0.1"), encoding="utf-8")
    profile = tmp_path / "p"
    profile.mkdir()
    made = settings(provider=load_provider(provider_file))  # an account exactly as the provider file says
    write_profiles(made, tmp_path / "out", [Client.THUNDERBIRD], thunderbird_profile=profile, record=False)
    args = ["doctor", ADDRESS, "--thunderbird-profile", str(profile), "--provider", str(provider_file)]
    code, _, _ = run([*args, "--no-probe"], capsys, monkeypatch)
    assert code == 0  # right by the provider's published settings
    code, _, err = run([*args, "--timeout", "2"], capsys, monkeypatch)
    assert code == 1 and "could not be checked against the servers" in err  # but no server confirmed anything
