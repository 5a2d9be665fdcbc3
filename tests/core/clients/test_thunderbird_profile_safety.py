"""The profile stays its owner's, runs at once lose nothing, and new keys keep clear of user.js.

Run as root (as the test servers are), so that a profile can belong to another user as it does when a help
desk runs the assistant with more rights than the person it sets up.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from setup_assistant.core.address import parse_address
from setup_assistant.core.clients.thunderbird.prefs import PrefValue, parse_prefs
from setup_assistant.core.clients.thunderbird.writer import ProfileWriteError, install_account
from setup_assistant.core.provider import load_provider
from tests.conftest import ROOT, skip_or_fail
from tests.core.clients.profile_support import settings

TWO_ACCOUNTS = Path(__file__).parent / "data" / "thunderbird" / "prefs-two-accounts.js"
NOBODY = 65534  # Debian's nobody:nogroup; any uid and gid other than ours would do
OTHER = 54321  # a user that exists nowhere, as on a computer whose accounts are managed elsewhere

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="owners and modes are POSIX")


@pytest.fixture
def as_root() -> None:
    if sys.platform == "win32":
        pytest.skip("owners and modes are POSIX")
    if os.geteuid() != 0:
        skip_or_fail("giving a file to another user needs root (the test servers need it too)")


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder every user can reach (pytest's own tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="setup-assistant-owner-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def prefs_of(profile: Path) -> dict[str, PrefValue]:
    return {s.name: s.value for s in parse_prefs((profile / "prefs.js").read_bytes())}


def owner(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)


def listing(directory: Path) -> dict[str, tuple[bytes, tuple[int, int, int]]]:
    return {p.name: (p.read_bytes(), owner(p)) for p in sorted(directory.iterdir()) if p.is_file()}


# --- owner, group and mode ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_prefs_js_and_its_backup_keep_the_owner_group_and_mode(as_root: None, tmp_path: Path, mode: int) -> None:
    profile = tmp_path / "abcd.default-release"
    profile.mkdir(mode=0o700)
    shutil.copyfile(TWO_ACCOUNTS, profile / "prefs.js")
    os.chown(profile, NOBODY, NOBODY)
    os.chown(profile / "prefs.js", NOBODY, NOBODY)
    (profile / "prefs.js").chmod(mode)
    result = install_account(settings(), profile)
    assert result.changed and result.backup is not None
    assert owner(profile / "prefs.js") == (NOBODY, NOBODY, mode)
    assert owner(result.backup) == (NOBODY, NOBODY, mode)
    assert "mail.account.account3.server" in prefs_of(profile)
    assert not [p for p in profile.iterdir() if p.name.endswith(".tmp")]


def test_a_new_prefs_js_belongs_to_the_profile_folders_owner(as_root: None, tmp_path: Path) -> None:
    profile = tmp_path / "new.default"
    profile.mkdir(mode=0o750)
    os.chown(profile, OTHER, NOBODY)
    assert install_account(settings(), profile).changed
    assert owner(profile / "prefs.js") == (OTHER, NOBODY, 0o600)  # as Thunderbird itself creates prefs.js


def _install_as_nobody(profile: str, results: object) -> None:
    """A forked child (modules already loaded: the Python here may live where nobody cannot read) that
    drops to nobody:nogroup and then tries the install."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    try:
        install_account(settings(), Path(profile))
    except ProfileWriteError as exc:
        results.put(str(exc))  # type: ignore[attr-defined]
        return
    results.put("written")  # type: ignore[attr-defined]


@posix_only
def test_where_the_owner_cannot_be_kept_nothing_is_written(as_root: None, shared_tmp: Path) -> None:
    """Another user who may write into the folder, but not give files away: refused, with the reason."""
    import fcntl  # noqa: F401  # loaded before the fork, like everything the child needs
    import grp  # noqa: F401
    import pwd  # noqa: F401

    profile = shared_tmp / "shared.default"
    profile.mkdir()
    shutil.copyfile(TWO_ACCOUNTS, profile / "prefs.js")
    profile.chmod(0o777)
    (profile / "prefs.js").chmod(0o666)
    os.chown(profile, OTHER, OTHER)
    os.chown(profile / "prefs.js", OTHER, OTHER)
    before = listing(profile)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_install_as_nobody, args=(str(profile), results))
    child.start()
    message = results.get(timeout=60)
    child.join(60)
    assert "belongs to 54321:54321" in message and "nothing was written" in message, message
    assert "run it as 54321" in message
    assert listing(profile) == before


@posix_only
def test_a_group_the_user_is_not_in_is_refused_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without root: a file of our own, but in a group we cannot hand it to."""
    from setup_assistant.core import atomic

    monkeypatch.setattr(os, "geteuid", lambda: 1)
    monkeypatch.setattr(os, "getegid", lambda: 1)
    monkeypatch.setattr(os, "getgroups", lambda: [1, 2])
    assert atomic.ownership_problem(tmp_path / "prefs.js", atomic.Ownership(1, 2, 0o600)) is None
    problem = atomic.ownership_problem(tmp_path / "prefs.js", atomic.Ownership(1, NOBODY, 0o600))
    assert problem is not None and "group nogroup" in problem and "nothing was written" in problem


# --- two runs at once ---------------------------------------------------------------------------------


def _install_one(profile: str, address: str, start: object, results: object) -> None:
    """One of several processes released together: adds its own account to the same profile."""
    provider = load_provider()
    from setup_assistant.core.account import settings_without_probe

    account = settings_without_probe(provider, parse_address(address), display_name=None)
    start.wait()  # type: ignore[attr-defined]
    try:
        install_account(account, Path(profile))
        results.put((address, "ok"))  # type: ignore[attr-defined]
    except ProfileWriteError as exc:
        results.put((address, str(exc)))  # type: ignore[attr-defined]


@posix_only
def test_runs_at_once_into_a_new_profile_keep_every_account(tmp_path: Path) -> None:
    """A new profile has no Thunderbird lock file yet: real processes started together, many rounds."""
    context = multiprocessing.get_context("fork")
    workers, rounds = 4, 8
    for round_number in range(rounds):
        profile = tmp_path / f"round{round_number}"
        profile.mkdir()
        start, results = context.Event(), context.Queue()
        addresses = [f"person{w}@example{round_number}.org" for w in range(workers)]
        processes = [context.Process(target=_install_one, args=(str(profile), a, start, results)) for a in addresses]
        for process in processes:
            process.start()
        start.set()
        for process in processes:
            process.join(60)
            assert process.exitcode == 0
        outcomes = dict(results.get(timeout=10) for _ in addresses)
        prefs = prefs_of(profile)
        emails = {v for k, v in prefs.items() if k.endswith(".useremail")}
        accounts = str(prefs["mail.accountmanager.accounts"]).split(",")
        for address in addresses:
            # every run either added its account or said clearly that it did not: never silently lost
            if outcomes[address] == "ok":
                assert address in emails, f"round {round_number}: {address} was reported added but is missing"
            else:
                assert "Another run of this assistant" in outcomes[address]
        assert len(accounts) == len(emails) == sum(o == "ok" for o in outcomes.values())
        assert len(set(accounts)) == len(accounts)


def test_the_cli_twice_at_once_into_one_profile(tmp_path: Path) -> None:
    """Two `profiles --install` commands started together: both accounts end up in the profile."""
    profile = tmp_path / "profile"
    profile.mkdir()
    commands = [
        [
            sys.executable,
            "-m",
            "setup_assistant",
            "profiles",
            address,
            "--out",
            str(tmp_path / address),
            "--client",
            "thunderbird",
            "--no-probe",
            "--thunderbird-profile",
            str(profile),
        ]
        for address in ("ann@example.org", "bob@example.org")
    ]
    running = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, out.decode() + err.decode()
    emails = {v for k, v in prefs_of(profile).items() if k.endswith(".useremail")}
    assert emails == {"ann@example.org", "bob@example.org"}


# --- user.js ------------------------------------------------------------------------------------------


def test_new_keys_avoid_the_keys_user_js_uses(tmp_path: Path) -> None:
    """Thunderbird applies user.js over prefs.js at every start: a key it sets would overwrite the account."""
    profile = tmp_path / "p"
    profile.mkdir()
    shutil.copyfile(TWO_ACCOUNTS, profile / "prefs.js")
    (profile / "user.js").write_text(
        'user_pref("mail.account.account3.server", "server7");\n'
        'user_pref("mail.server.server7.hostname", "managed.example.org");\n'
        'user_pref("mail.identity.id4.useremail", "it@example.org");\n'
        "// smtp9 is reserved by IT\n"
        'user_pref("mail.smtpserver.smtp6.hostname", "relay.example.org");\n',
        encoding="utf-8",
    )
    result = install_account(settings(), profile)
    prefs = prefs_of(profile)
    account = result.account_key
    assert account is not None and int(account.removeprefix("account")) > 3
    server = str(prefs[f"mail.account.{account}.server"])
    identity = str(prefs[f"mail.account.{account}.identities"])
    smtp = str(prefs[f"mail.identity.{identity}.smtpServer"])
    assert int(server.removeprefix("server")) > 7
    assert int(identity.removeprefix("id")) > 4
    assert int(smtp.removeprefix("smtp")) > 9
    assert prefs["mail.account.lastKey"] == int(account.removeprefix("account"))


@posix_only
def test_a_folder_that_cannot_be_locked_falls_back_to_a_lock_of_our_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network file systems refuse flock on a folder: runs then still exclude each other (threads here)."""
    import errno
    import threading

    from setup_assistant.core import file_lock
    from setup_assistant.core.account import settings_without_probe

    real_open = file_lock._open

    def no_folder_locks(path: Path) -> int:
        if path.is_dir():
            raise OSError(errno.ENOTSUP, "Operation not supported", str(path))
        return real_open(path)

    monkeypatch.setattr(file_lock, "_open", no_folder_locks)
    provider = load_provider()
    for round_number in range(5):
        profile = tmp_path / f"share{round_number}"
        profile.mkdir()
        addresses = [f"p{w}@example.org" for w in range(4)]
        start = threading.Barrier(len(addresses))
        errors: list[BaseException] = []

        def install(
            address: str,
            profile: Path = profile,
            start: threading.Barrier = start,
            errors: list[BaseException] = errors,
        ) -> None:
            start.wait()
            try:
                install_account(settings_without_probe(provider, parse_address(address), display_name=None), profile)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=install, args=(a,)) for a in addresses]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        emails = {v for k, v in prefs_of(profile).items() if k.endswith(".useremail")}
        assert emails == set(addresses)
    assert list((Path(os.environ["SETUP_ASSISTANT_DATA_DIR"]) / "locks").glob("*.lock"))
