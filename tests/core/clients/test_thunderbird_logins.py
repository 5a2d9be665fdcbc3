"""Saving the password into a Thunderbird profile's password manager (logins.json + key4.db through NSS).

Every test uses a real NSS (Thunderbird's own libnss3 when Thunderbird is installed, else the system's) in the
helper process, and checks the result by decrypting with that profile's key database again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.address import parse_address
from setup_assistant.core.clients.thunderbird import logins
from setup_assistant.core.clients.thunderbird.logins import LOGINS_FILE, Saved, find_nss_library, save_password
from setup_assistant.core.clients.thunderbird.nss_worker import WORKER_FLAG
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.provider import Provider, load_provider
from setup_assistant.core.trust.nss import find_nss_certutil
from tests.conftest import ROOT, skip_or_fail

HOST = "npomail.electricembers.net"
ADDRESS = "jane@example.org"
PASSWORD = "Pa55-wörd never in files"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks and /proc are Unix")


@pytest.fixture(scope="module")
def provider() -> Provider:
    return load_provider()


@pytest.fixture(scope="module")
def nss() -> str:
    library = find_nss_library()
    if library is None:
        skip_or_fail("no NSS library (libnss3) on this computer: install thunderbird or libnss3")
    assert library is not None
    return library


def settings(provider: Provider, protocol: MailProtocol = MailProtocol.IMAP, address: str = ADDRESS) -> AccountSettings:
    return AccountSettings(parse_address(address), "Jane Doe", provider, protocol, tuple(provider.endpoints()), False)


def stored(profile: Path) -> list[dict[str, object]]:
    data = json.loads((profile / LOGINS_FILE).read_text(encoding="utf-8"))
    return list(data["logins"])


def holds(nss: str, profile: Path, login: dict[str, object], username: str, password: str) -> tuple[bool, bool]:
    """(username matches, password matches) as the profile's own key database decrypts the entry."""
    answer = logins._run_worker(
        {
            "library": nss,
            "profile": str(profile),
            "username": username,
            "password": password,
            "candidates": [[login["encryptedUsername"], login["encryptedPassword"]]],
            "count": 0,
        },
        30,
    )
    assert answer["status"] == "ok", answer
    same_user, same_password = answer["matches"][0]
    return bool(same_user), bool(same_password)


def files_holding(folder: Path, secret: str) -> list[Path]:
    needles = {secret.encode("utf-8"), secret.encode("utf-16-le"), json.dumps(secret).encode("ascii")}
    return [p for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


# --- storing ----------------------------------------------------------------------------------------------------


def test_a_new_profile_gets_the_entries_thunderbird_looks_for(provider: Provider, nss: str, tmp_path: Path) -> None:
    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)

    assert result.outcome is Saved.STORED and result.saved, result.message
    assert "will not ask" in result.message
    assert (tmp_path / "key4.db").is_file()  # NSS made the key database, as Thunderbird does on first start
    entries = stored(tmp_path)
    assert [e["hostname"] for e in entries] == [f"imap://{HOST}", f"smtp://{HOST}"]
    for entry in entries:
        assert entry["httpRealm"] == entry["hostname"]  # MsgIncomingServer/SmtpServer search by both
        assert entry["formSubmitURL"] is None and entry["usernameField"] == "" and entry["passwordField"] == ""
        assert entry["encType"] == 1
        assert str(entry["guid"]).startswith("{") and str(entry["guid"]).endswith("}")
        assert holds(nss, tmp_path, entry, ADDRESS, PASSWORD) == (True, True)
    assert len({e["id"] for e in entries}) == 2
    data = json.loads((tmp_path / LOGINS_FILE).read_text(encoding="utf-8"))
    assert data["nextId"] == 3 and data["version"] == 3
    if sys.platform != "win32":
        assert (tmp_path / LOGINS_FILE).stat().st_mode & 0o077 == 0


def test_pop3_uses_thunderbirds_mailbox_origin(provider: Provider, nss: str, tmp_path: Path) -> None:
    result = save_password(settings(provider, MailProtocol.POP3), PASSWORD, tmp_path, nss_library=nss)
    assert result.saved, result.message
    assert [e["hostname"] for e in stored(tmp_path)] == [f"mailbox://{HOST}", f"smtp://{HOST}"]


def test_no_password_lands_in_any_file_in_the_clear(
    provider: Provider, nss: str, tmp_path: Path, _private_app_data: Path
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    assert save_password(settings(provider), PASSWORD, profile, nss_library=nss).saved
    assert save_password(settings(provider), PASSWORD + "2", profile, nss_library=nss).saved  # and a backup
    assert len(list(profile.glob("logins.json.setup-assistant-*.bak"))) == 1
    assert files_holding(profile, PASSWORD) == []
    assert files_holding(_private_app_data, PASSWORD) == []
    assert files_holding(tmp_path, PASSWORD) == []


def test_a_second_run_changes_nothing(provider: Provider, nss: str, tmp_path: Path) -> None:
    assert save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss).outcome is Saved.STORED
    before = (tmp_path / LOGINS_FILE).read_bytes()

    again = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)

    assert again.outcome is Saved.UNCHANGED and again.saved
    assert (tmp_path / LOGINS_FILE).read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_new_password_updates_the_entry_instead_of_adding_one(provider: Provider, nss: str, tmp_path: Path) -> None:
    save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)
    old_bytes = (tmp_path / LOGINS_FILE).read_bytes()
    old = {e["hostname"]: e for e in stored(tmp_path)}

    result = save_password(settings(provider), "a new password", tmp_path, nss_library=nss)

    assert result.outcome is Saved.STORED, result.message
    entries = stored(tmp_path)
    assert len(entries) == 2
    for entry in entries:
        before = old[entry["hostname"]]
        assert (entry["id"], entry["guid"], entry["encryptedUsername"]) == (
            before["id"],
            before["guid"],
            before["encryptedUsername"],
        )
        assert entry["syncCounter"] == int(before["syncCounter"]) + 1  # type: ignore[call-overload]
        assert holds(nss, tmp_path, entry, ADDRESS, "a new password") == (True, True)
    assert result.backup is not None and result.backup.read_bytes() == old_bytes


def test_other_logins_and_fields_are_kept(provider: Provider, nss: str, tmp_path: Path) -> None:
    # Another person's password for the same server, stored by Thunderbird in this profile first.
    save_password(settings(provider, address="bob@example.org"), "bob's password", tmp_path, nss_library=nss)
    data = json.loads((tmp_path / LOGINS_FILE).read_text(encoding="utf-8"))
    foreign = {
        "id": 40,
        "hostname": "https://example.com",
        "httpRealm": None,
        "formSubmitURL": "https://example.com",
        "usernameField": "user",
        "passwordField": "pass",
        "encryptedUsername": "MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECAAAAAAAAAAABAgAAAAAAAAAAA==",
        "encryptedPassword": "MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECAAAAAAAAAAABAgAAAAAAAAAAA==",
        "guid": "{00000000-0000-4000-8000-000000000000}",
        "encType": 1,
        "timeCreated": 1,
        "timeLastUsed": 2,
        "timePasswordChanged": 3,
        "timesUsed": 9,
        "syncCounter": 0,
        "everSynced": True,
        "encryptedUnknownFields": None,
        "somethingNewer": {"kept": True},
    }
    data["logins"].append(foreign)
    data["somethingElse"] = [1, 2]
    (tmp_path / LOGINS_FILE).write_text(json.dumps(data), encoding="utf-8")
    before = json.loads((tmp_path / LOGINS_FILE).read_text(encoding="utf-8"))["logins"]

    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)

    assert result.outcome is Saved.STORED, result.message
    after = json.loads((tmp_path / LOGINS_FILE).read_text(encoding="utf-8"))
    assert after["somethingElse"] == [1, 2]
    assert after["logins"][: len(before)] == before  # every earlier entry exactly as it was
    new = after["logins"][len(before) :]
    assert [e["hostname"] for e in new] == [f"imap://{HOST}", f"smtp://{HOST}"]
    assert all(e["id"] > 40 for e in new) and after["nextId"] > max(e["id"] for e in new)
    for entry in new:
        assert holds(nss, tmp_path, entry, ADDRESS, PASSWORD) == (True, True)
    for entry in before[:2]:
        assert holds(nss, tmp_path, entry, "bob@example.org", "bob's password") == (True, True)


# --- refusing ---------------------------------------------------------------------------------------------------


def test_a_primary_password_is_never_unlocked_and_thunderbird_will_ask(
    provider: Provider, nss: str, tmp_path: Path
) -> None:
    certutil = find_nss_certutil()
    if certutil is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    assert certutil is not None
    secret = tmp_path / "primary.txt"
    secret.write_text("the primary password\n", encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run([certutil, "-N", "-d", f"sql:{profile}", "-f", str(secret)], check=True, capture_output=True)
    listing = sorted(p.name for p in profile.iterdir())

    result = save_password(settings(provider), PASSWORD, profile, nss_library=nss)

    assert result.outcome is Saved.PRIMARY_PASSWORD and not result.saved
    assert "primary password" in result.message and "will ask for the password once" in result.message
    assert not (profile / LOGINS_FILE).exists()
    assert sorted(p.name for p in profile.iterdir()) == listing  # no file of ours (NSS itself opened the databases)


@posix_only
def test_a_running_thunderbird_is_refused_and_nothing_changes(provider: Provider, nss: str, tmp_path: Path) -> None:
    save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)
    before = (tmp_path / LOGINS_FILE).read_bytes()
    (tmp_path / ".parentlock").write_bytes(b"")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
            str(tmp_path / ".parentlock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = save_password(settings(provider), "another password", tmp_path, nss_library=nss)
        assert result.outcome is Saved.RUNNING and not result.saved
        assert "Thunderbird is open" in result.message and "will ask" in result.message
        assert (tmp_path / LOGINS_FILE).read_bytes() == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


def test_an_unreadable_logins_file_is_left_alone(provider: Provider, nss: str, tmp_path: Path) -> None:
    (tmp_path / LOGINS_FILE).write_bytes(b'{"logins": [ broken')
    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)
    assert result.outcome is Saved.FAILED and "can read safely" in result.message
    assert (tmp_path / LOGINS_FILE).read_bytes() == b'{"logins": [ broken'


def test_without_thunderbirds_library_nothing_is_written(
    provider: Provider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logins, "find_nss_library", lambda platform=None, home=None: None)
    result = save_password(settings(provider), PASSWORD, tmp_path)
    assert result.outcome is Saved.UNAVAILABLE and "will ask" in result.message
    assert list(tmp_path.iterdir()) == []


def test_a_library_that_cannot_load_is_a_sentence(provider: Provider, tmp_path: Path) -> None:
    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=str(tmp_path / "libnss3.so"))
    assert result.outcome is Saved.FAILED and "could not be loaded" in result.message
    assert not (tmp_path / LOGINS_FILE).exists()


def test_a_helper_that_hangs_is_stopped(
    provider: Provider, nss: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logins, "_worker_command", lambda: [sys.executable, "-c", "import time; time.sleep(30)"])
    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss, timeout=1)
    assert result.outcome is Saved.FAILED and "did not answer within 1 seconds" in result.message
    assert not (tmp_path / LOGINS_FILE).exists()


# --- NSS stays out of this process ------------------------------------------------------------------------------


@posix_only
def test_each_profile_gets_its_own_keys_and_nss_never_loads_here(provider: Provider, nss: str, tmp_path: Path) -> None:
    """NSS is process-global: a second profile in one process would silently reuse the first one's key4.db."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert save_password(settings(provider), PASSWORD, first, nss_library=nss).saved
    assert save_password(settings(provider), PASSWORD, second, nss_library=nss).saved

    for own, other in ((first, second), (second, first)):
        for entry in stored(own):
            assert holds(nss, own, entry, ADDRESS, PASSWORD) == (True, True)
            assert holds(nss, other, entry, ADDRESS, PASSWORD) == (False, False)  # another profile's key
    maps = Path(f"/proc/{os.getpid()}/maps")
    if maps.exists():
        assert "libnss3" not in maps.read_text()


def test_the_frozen_entry_scripts_answer_to_the_worker_flag() -> None:
    for name in ("entry_gui.py", "entry_cli.py"):
        text = (ROOT / "installer" / name).read_text(encoding="utf-8")
        assert WORKER_FLAG in text or "nss_worker import WORKER_FLAG" in text, name


def test_the_worker_command_runs_the_worker_module() -> None:
    command = logins._worker_command()
    assert command[0] == sys.executable and command[-1].endswith("nss_worker")
    done = subprocess.run(command, input=b"[]", capture_output=True, timeout=60, check=False)
    assert json.loads(done.stdout) == {
        "status": "error",
        "message": "the request is not a JSON object",
        "template": "the request is not a JSON object",  # the assistant shows it in the person's language
        "params": {},
    }


# --- write_profiles and `setup-assistant profiles --save-password` -----------------------------------------------


def test_write_profiles_saves_the_password_only_when_given_one(provider: Provider, nss: str, tmp_path: Path) -> None:
    from setup_assistant.core.clients.profiles import Client, write_profiles

    plain, keeping = tmp_path / "plain", tmp_path / "keeping"
    plain.mkdir()
    keeping.mkdir()
    without = write_profiles(settings(provider), tmp_path / "a", [Client.THUNDERBIRD], thunderbird_profile=plain)
    (result,) = without.clients
    assert result.password is None and "will ask for the password" in str(result.installed)
    assert not (plain / LOGINS_FILE).exists() and not (plain / "key4.db").exists()  # as before: untouched

    outcome = write_profiles(
        settings(provider),
        tmp_path / "b",
        [Client.THUNDERBIRD],
        thunderbird_profile=keeping,
        thunderbird_password=PASSWORD,
    )
    (result,) = outcome.clients
    assert result.password is not None and result.password.saved, result.password
    assert "will ask" not in str(result.installed)
    assert result.to_json()["password"]["outcome"] == "stored"
    assert PASSWORD not in json.dumps(outcome.to_json())
    assert files_holding(tmp_path, PASSWORD) == []


def cli_run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str = ""
) -> tuple[int, str, str]:
    import io

    from setup_assistant import cli

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--save-password", "--install"], "--password-stdin"),
        (["--save-password", "--password-stdin"], "--install or --thunderbird-profile"),
        (["--save-password", "--password-stdin", "--install", "--client", "outlook"], "thunderbird client"),
        (["--save-password", "--password-stdin", "--install", "--no-probe"], "--no-probe"),
    ],
)
def test_save_password_is_an_explicit_request_with_its_conditions(
    extra: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    code, _, stderr = cli_run(["profiles", ADDRESS, "--out", str(out), *extra], capsys, monkeypatch, PASSWORD + "\n")
    assert code == 2 and needle in stderr and "Traceback" not in stderr
    assert not out.exists()


@pytest.mark.servers
def test_a_rejected_password_is_not_saved(
    mail_servers, nss: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    args = [
        "profiles",
        "jane.doe@example.org",
        "--out",
        str(tmp_path / "out"),
        "--provider",
        str(mail_servers.provider_path),
    ]
    args += ["--client", "thunderbird", "--thunderbird-profile", str(profile), "--password-stdin", "--save-password"]
    code, stdout, stderr = cli_run(args, capsys, monkeypatch, "not the password\n")
    assert code == 1
    assert "password not saved" in stdout and "did not accept" in stdout
    assert not (profile / LOGINS_FILE).exists()
    assert "not the password" not in stdout + stderr


@pytest.mark.servers
def test_the_cli_says_when_thunderbird_has_the_password(
    mail_servers, nss: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = "bob+test@example.org"  # the test user whose password has quotes, a backslash and a space
    password = mail_servers.users[user]
    profile = tmp_path / "profile"
    profile.mkdir()
    args = ["profiles", user, "--out", str(tmp_path / "out"), "--provider", str(mail_servers.provider_path)]
    args += ["--client", "thunderbird", "--thunderbird-profile", str(profile), "--password-stdin", "--save-password"]
    code, stdout, stderr = cli_run(args, capsys, monkeypatch, password + "\n")
    assert code == 0, stdout + stderr
    assert "it will not ask for it" in stdout and "will ask for the password" not in stdout
    for entry in stored(profile):
        assert holds(nss, profile, entry, user, password) == (True, True)
    assert password not in stdout + stderr
    assert files_holding(tmp_path, password) == []


@pytest.mark.parametrize("where", ["prefs.js", "user.js"])
def test_thunderbird_set_not_to_remember_passwords_is_respected(
    where: str, provider: Provider, nss: str, tmp_path: Path
) -> None:
    (tmp_path / where).write_text('user_pref("signon.rememberSignons", false);\n', encoding="utf-8")
    result = save_password(settings(provider), PASSWORD, tmp_path, nss_library=nss)
    assert result.outcome is Saved.NOT_REMEMBERING and not result.saved
    assert "not to remember passwords" in result.message and "will ask" in result.message
    assert sorted(p.name for p in tmp_path.iterdir()) == [where]


def test_a_relative_profile_folder_works(
    provider: Provider, nss: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rel").mkdir()
    monkeypatch.chdir(tmp_path)
    assert save_password(settings(provider), PASSWORD, Path("rel"), nss_library=nss).saved
    assert (tmp_path / "rel" / "key4.db").is_file() and (tmp_path / "rel" / LOGINS_FILE).is_file()


def test_the_system_nss_fallback_writes_what_thunderbirds_own_nss_reads(
    provider: Provider, nss: str, tmp_path: Path
) -> None:
    """A distribution's Thunderbird may use the system's libnss3: both must agree on key4.db and the entries."""
    import ctypes.util

    system = ctypes.util.find_library("nss3")
    if system is None or not Path(nss).is_absolute():
        pytest.skip("needs both Thunderbird's own libnss3 and the system's")
    assert save_password(settings(provider), PASSWORD, tmp_path, nss_library=system).saved
    for entry in stored(tmp_path):
        assert holds(nss, tmp_path, entry, ADDRESS, PASSWORD) == (True, True)
