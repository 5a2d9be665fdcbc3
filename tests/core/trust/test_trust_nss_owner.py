"""NSS databases that certutil creates or changes belong to the profile's owner, not to whoever ran the assistant."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from setup_assistant.core.provider import PinnedRoot, load_provider
from setup_assistant.core.trust import Outcome
from tests.conftest import skip_or_fail
from tests.core.trust.test_trust_nss import CERTUTIL, db, nss_list, trust_of

NOBODY = 65534
OTHER = 54321


@pytest.fixture(autouse=True)
def as_root() -> None:
    if sys.platform == "win32":
        pytest.skip("owners and modes are POSIX")
    if CERTUTIL is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    if os.geteuid() != 0:
        skip_or_fail("giving a file to another user needs root (the test servers need it too)")


@pytest.fixture(scope="module")
def root() -> PinnedRoot:
    pinned = load_provider().root
    assert pinned is not None
    return pinned


def owners(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {
        p.name: (p.stat().st_uid, p.stat().st_gid, stat.S_IMODE(p.stat().st_mode))
        for p in folder.iterdir()
        if p.is_file()
    }


def test_a_database_created_in_a_profile_belongs_to_the_profiles_owner(root: PinnedRoot, tmp_path: Path) -> None:
    profile = tmp_path / "x.default-release"
    profile.mkdir(mode=0o700)
    (profile / "prefs.js").write_text("", encoding="utf-8")
    os.chown(profile, NOBODY, NOBODY)
    os.chown(profile / "prefs.js", NOBODY, NOBODY)
    result = db(profile).install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    found = owners(profile)
    assert {"cert9.db", "key4.db", "pkcs11.txt"} <= set(found)
    assert all((uid, gid) == (NOBODY, NOBODY) for uid, gid, _ in found.values()), found
    assert all(found[name][2] & 0o077 == 0 for name in ("cert9.db", "key4.db"))  # NSS's own 0600 stays
    assert db(profile).remove(root).outcome is Outcome.REMOVED
    assert all((uid, gid) == (NOBODY, NOBODY) for uid, gid, _ in owners(profile).values())


def test_an_existing_database_keeps_its_owner_and_mode(root: PinnedRoot, tmp_path: Path) -> None:
    profile = tmp_path / "y.default"
    profile.mkdir()
    db(profile).install(root)
    db(profile).remove(root)  # an NSS database made earlier, by Thunderbird say
    for path in profile.iterdir():
        os.chown(path, OTHER, NOBODY)
        path.chmod(0o640)
    os.chown(profile, OTHER, NOBODY)
    before = owners(profile)
    assert db(profile).install(root).outcome is Outcome.INSTALLED
    assert trust_of(nss_list(profile), "Test root (ISRG Root X1)") == "C,,"
    after = owners(profile)
    assert {name: after[name] for name in before} == before
    assert all((uid, gid) == (OTHER, NOBODY) for uid, gid, _ in after.values())


def test_the_users_nssdb_made_by_an_administrator_belongs_to_the_user(root: PinnedRoot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chown(home, OTHER, OTHER)
    nssdb = home / ".pki" / "nssdb"
    result = db(nssdb, profile=False).install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    for folder in (home / ".pki", nssdb):
        assert (folder.stat().st_uid, folder.stat().st_gid) == (OTHER, OTHER)
    assert all((uid, gid) == (OTHER, OTHER) for uid, gid, _ in owners(nssdb).values())


def _install_as_nobody(profile: str, results: object) -> None:
    """A forked child (modules already loaded) that drops to nobody:nogroup and then tries the install."""
    import os as child_os

    from setup_assistant.core.provider import load_provider as load

    pinned = load().root
    child_os.setgroups([])
    child_os.setgid(NOBODY)
    child_os.setuid(NOBODY)
    result = db(Path(profile)).install(pinned)  # type: ignore[arg-type]
    results.put((result.outcome.value, result.message))  # type: ignore[attr-defined]


def test_where_the_owner_cannot_be_kept_certutil_does_not_run(tmp_path: Path) -> None:
    """Another user who may write into the profile but cannot give files away: refused, nothing created."""
    import grp  # noqa: F401  # loaded before the fork, like everything the child needs
    import multiprocessing
    import pwd  # noqa: F401
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="setup-assistant-nss-owner-"))
    try:
        shared.chmod(0o755)
        profile = shared / "shared.default"
        profile.mkdir()
        profile.chmod(0o777)
        os.chown(profile, OTHER, OTHER)
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        child = context.Process(target=_install_as_nobody, args=(str(profile), results))
        child.start()
        outcome, message = results.get(timeout=60)
        child.join(60)
        assert outcome == "failed" and "belongs to 54321:54321" in message and "nothing was written" in message
        assert list(profile.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)
