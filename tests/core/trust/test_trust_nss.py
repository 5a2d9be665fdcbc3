"""Real NSS databases (certutil from libnss3-tools) in temporary folders; the pin checked before anything."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.model import TrustedBy
from setup_assistant.core.provider import PinnedRoot, Provider, ProviderError, load_provider
from setup_assistant.core.resources import resource_path
from setup_assistant.core.trust import (
    Outcome,
    PinMismatch,
    PlaceKind,
    ServerTrust,
    ServerVerdict,
    install_root,
    nickname_for,
    plan_places,
    remove_root,
    trust_status,
)
from setup_assistant.core.trust.nss import INSTALL_HINT, NssDatabase
from tests.conftest import skip_or_fail

CERTUTIL = shutil.which("certutil")
NICK = "Test root (ISRG Root X1)"


@pytest.fixture(scope="module", autouse=True)
def need_certutil() -> None:
    if CERTUTIL is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")


@pytest.fixture(scope="module")
def root() -> PinnedRoot:
    pinned = load_provider().root
    assert pinned is not None
    return pinned


def nss_list(directory: Path) -> str:
    assert CERTUTIL is not None
    done = subprocess.run([CERTUTIL, "-L", "-d", f"sql:{directory}"], capture_output=True, text=True, check=True)
    return done.stdout


def nss_add(directory: Path, nickname: str, pem: bytes, trust: str, tmp: Path) -> None:
    assert CERTUTIL is not None
    path = tmp / f"{hashlib.sha1(nickname.encode()).hexdigest()}.pem"
    path.write_bytes(pem)
    if not (directory / "cert9.db").exists():
        subprocess.run([CERTUTIL, "-N", "--empty-password", "-d", f"sql:{directory}"], check=True)
    subprocess.run([CERTUTIL, "-A", "-n", nickname, "-t", trust, "-i", str(path), "-d", f"sql:{directory}"], check=True)


def trust_of(listing: str, nickname: str) -> str | None:
    for line in listing.splitlines():
        if line.startswith(nickname + " ") and line[len(nickname) :].strip():
            return line[len(nickname) :].strip()
    return None


def db(directory: Path, *, profile: bool = True) -> NssDatabase:
    return NssDatabase(directory, NICK, thunderbird_profile=profile, certutil=CERTUTIL)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A fresh Thunderbird-style profile folder: prefs, no certificate database yet."""
    path = tmp_path / "thunderbird" / "x1y2z3.default-release"
    path.mkdir(parents=True)
    (path / "prefs.js").write_text('user_pref("mail.shell.checkDefaultClient", false);\n', encoding="utf-8")
    return path


def test_fresh_profile_install_status_twice_remove(root: PinnedRoot, profile: Path) -> None:
    store = db(profile)
    state = store.status(root)
    assert state.present is False and "no certificate database" in state.message
    assert not (profile / "cert9.db").exists()  # looking creates nothing

    result = store.install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    assert (profile / "cert9.db").exists() and (profile / "key4.db").exists()
    assert trust_of(nss_list(profile), NICK) == "C,,"
    assert store.status(root).present is True

    again = store.install(root)
    assert again.outcome is Outcome.ALREADY_PRESENT, again.message
    assert nss_list(profile).count(NICK) == 1

    assert store.remove(root).outcome is Outcome.REMOVED
    assert trust_of(nss_list(profile), NICK) is None
    assert store.status(root).present is False
    assert store.remove(root).outcome is Outcome.ABSENT
    assert (profile / "prefs.js").read_text(encoding="utf-8").startswith("user_pref")


def test_remove_leaves_everything_else_alone(root: PinnedRoot, profile: Path, tmp_path: Path) -> None:
    other = trustme.CA(organization_name="Someone Else's CA")
    nss_add(profile, "Someone's CA", other.cert_pem.bytes(), "CT,C,", tmp_path)
    store = db(profile)
    assert store.install(root).outcome is Outcome.INSTALLED
    assert store.remove(root).outcome is Outcome.REMOVED
    listing = nss_list(profile)
    assert trust_of(listing, "Someone's CA") == "CT,C,"
    assert trust_of(listing, NICK) is None


def test_a_copy_someone_else_added_is_used_but_never_removed(root: PinnedRoot, profile: Path, tmp_path: Path) -> None:
    nss_add(profile, "My own ISRG copy", root.pem, "C,,", tmp_path)
    store = db(profile)
    assert store.status(root).present is True
    assert store.install(root).outcome is Outcome.ALREADY_PRESENT
    removed = store.remove(root)
    assert removed.outcome is Outcome.ABSENT and "My own ISRG copy" in removed.message
    assert trust_of(nss_list(profile), "My own ISRG copy") == "C,,"


def test_an_untrusted_foreign_copy_is_not_changed(root: PinnedRoot, profile: Path, tmp_path: Path) -> None:
    nss_add(profile, "Imported without trust", root.pem, ",,", tmp_path)
    store = db(profile)
    assert store.status(root).present is False
    result = store.install(root)
    assert result.outcome is Outcome.FAILED and "Imported without trust" in result.message
    assert trust_of(nss_list(profile), "Imported without trust") == ",,"


def test_our_entry_without_trust_gets_its_trust_back(root: PinnedRoot, profile: Path, tmp_path: Path) -> None:
    nss_add(profile, NICK, root.pem, ",,", tmp_path)
    result = db(profile).install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    assert trust_of(nss_list(profile), NICK) == "C,,"


def test_a_primary_password_is_reported_and_nothing_half_added(root: PinnedRoot, profile: Path, tmp_path: Path) -> None:
    assert CERTUTIL is not None
    password = tmp_path / "pw"
    password.write_text("secret\n", encoding="utf-8")
    subprocess.run([CERTUTIL, "-N", "-f", str(password), "-d", f"sql:{profile}"], check=True)
    result = db(profile).install(root)
    assert result.outcome is Outcome.FAILED and "primary password" in result.message
    assert trust_of(nss_list(profile), NICK) is None


def test_legacy_database_is_left_for_thunderbird_to_upgrade(root: PinnedRoot, profile: Path) -> None:
    (profile / "cert8.db").write_bytes(b"old")
    result = db(profile).install(root)
    assert result.outcome is Outcome.FAILED and "cert8.db" in result.message
    assert not (profile / "cert9.db").exists()


@pytest.fixture
def locked_profile(profile: Path) -> Iterator[Path]:
    """Another process holds the fcntl lock on .parentlock, as a running Thunderbird does."""
    lock = profile / ".parentlock"
    lock.write_bytes(b"")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR)\n"
            "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield profile
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl profile lock")
def test_a_profile_thunderbird_has_open_is_refused(root: PinnedRoot, locked_profile: Path) -> None:
    result = db(locked_profile).install(root)
    assert result.outcome is Outcome.FAILED and "Thunderbird is using the profile" in result.message
    assert not (locked_profile / "cert9.db").exists()
    assert db(locked_profile).status(root).present is False  # looking is still fine


def test_the_users_nss_db_under_home(root: PinnedRoot, tmp_path: Path) -> None:
    provider = load_provider()
    home = tmp_path / "home"
    home.mkdir()
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[])
    assert [p.kind for p in plan.places] == [PlaceKind.USER_NSS]
    nssdb = home / ".pki" / "nssdb"
    assert plan.places[0].path == nssdb
    server = ServerTrust(ServerVerdict.PINNED_ROOT, (TrustedBy(mozilla=False, os=False, provider_root=True),), 6, "x")
    report = install_root(provider, plan, server)
    assert [r.outcome for r in report.places] == [Outcome.INSTALLED] and report.ok
    assert trust_of(nss_list(nssdb), nickname_for(provider)) == "C,,"
    assert nssdb.stat().st_mode & 0o077 == 0
    assert trust_status(provider, plan, server).ok
    assert install_root(provider, plan, server).places[0].outcome is Outcome.ALREADY_PRESENT
    assert remove_root(provider, plan).places[0].outcome is Outcome.REMOVED
    assert not trust_status(provider, plan, server).ok


def test_without_certutil_it_says_what_to_install(root: PinnedRoot, profile: Path) -> None:
    store = NssDatabase(profile, NICK, thunderbird_profile=True, certutil=None)
    assert store.status(root).present is None
    result = store.install(root)
    assert result.outcome is Outcome.FAILED and result.message == INSTALL_HINT


# --- the pin ------------------------------------------------------------------------------------------


def provider_file(directory: Path, pem: bytes, sha256: str) -> Path:
    (directory / "root.pem").write_bytes(pem)
    source = resource_path("providers", "npomail.toml").read_text(encoding="utf-8")
    head = source[: source.index("[trust]")]
    path = directory / "provider.toml"
    path.write_text(head + f'[trust]\nroot_certificate = "root.pem"\nroot_sha256 = "{sha256}"\n', encoding="utf-8")
    return path


def test_a_tampered_root_file_is_refused(root: PinnedRoot, tmp_path: Path) -> None:
    raw = bytearray(root.pem)
    raw[100] ^= 0x01  # one byte of the base64 body
    with pytest.raises(ProviderError):
        load_provider(provider_file(tmp_path, bytes(raw), root.sha256))
    der = bytearray(root.der)
    der[-5] ^= 0x01  # one byte of the signature: still a certificate, but not the pinned one
    pem = x509.load_der_x509_certificate(bytes(der)).public_bytes(Encoding.PEM)
    with pytest.raises(ProviderError, match="does not match its pin"):
        load_provider(provider_file(tmp_path, pem, root.sha256))


def test_a_wrong_pinned_hash_is_refused(root: PinnedRoot, tmp_path: Path) -> None:
    wrong = "00" + root.sha256[2:]
    with pytest.raises(ProviderError, match="refusing to use it"):
        load_provider(provider_file(tmp_path, root.pem, wrong))
    right = load_provider(provider_file(tmp_path, root.pem, root.sha256)).root
    assert right is not None and right.der == root.der


def test_install_is_impossible_with_a_root_that_does_not_match_its_pin(root: PinnedRoot, tmp_path: Path) -> None:
    provider = load_provider()
    other = trustme.CA()
    other_cert = x509.load_pem_x509_certificate(other.cert_pem.bytes())
    forged = PinnedRoot(
        path=root.path,
        sha256=root.sha256,  # the pin says ISRG Root X1 ...
        pem=other.cert_pem.bytes(),  # ... but the bytes are another CA
        der=other_cert.public_bytes(Encoding.DER),
        certificate=other_cert,
    )
    tampered = Provider(**{**provider.__dict__, "root": forged})
    home = tmp_path / "home"
    home.mkdir()
    plan = plan_places(tampered, platform="linux", home=home, thunderbird_profiles=[])
    server = ServerTrust(ServerVerdict.UNREACHABLE, (), 6, "offline")
    with pytest.raises(PinMismatch):
        install_root(tampered, plan, server)
    assert not (home / ".pki").exists()
