"""The Windows and macOS stores with a fake command runner: exact command lines, cancel, already there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from setup_assistant.core.clients.thunderbird.writer import enterprise_roots_enabled
from setup_assistant.core.model import TrustedBy
from setup_assistant.core.provider import PinnedRoot, Provider, load_provider
from setup_assistant.core.trust import (
    CommandResult,
    Need,
    Outcome,
    PlaceKind,
    ServerTrust,
    ServerVerdict,
    install_root,
    plan_places,
    remove_root,
    trust_status,
)
from setup_assistant.core.trust.base import DIALOG_TIMEOUT
from setup_assistant.core.trust.macos import MacLoginKeychain
from setup_assistant.core.trust.windows import WindowsUserRootStore

CERTUTIL = r"C:\Windows\System32\certutil.exe"
SECURITY = "/usr/bin/security"
ISRG_SHA1 = "CABD2A79A1076A31F21D253635CB039D4329A5E8"
ISRG_SHA256 = "96BCEC06264976F37460779ACF28C5A7CFE8A3C0AAE11A8FFCEE05C0BDDF08C6"
KEYCHAIN = "/Users/jane/Library/Keychains/login.keychain-db"


@dataclass(frozen=True)
class FileWith:
    """Stands for an argument that must name a file holding exactly these bytes when the command runs."""

    data: bytes


@dataclass
class Step:
    argv: list[str | FileWith]
    result: CommandResult
    dialog: bool = False  # the command shows an OS dialog, so it must get the long timeout


def ok(stdout: str = "") -> CommandResult:
    return CommandResult(0, stdout, "")


def fail(code: int, text: str = "") -> CommandResult:
    return CommandResult(code, "", text)


@dataclass
class FakeRunner:
    steps: list[Step]
    calls: list[list[str]] = field(default_factory=list)

    def __call__(self, argv: Sequence[str], timeout: float) -> CommandResult:
        self.calls.append(list(argv))
        assert self.steps, f"unexpected command: {list(argv)}"
        step = self.steps.pop(0)
        assert len(argv) == len(step.argv), f"{list(argv)} != {step.argv}"
        for got, want in zip(argv, step.argv, strict=True):
            if isinstance(want, FileWith):
                assert Path(got).read_bytes() == want.data
            else:
                assert got == want, f"{list(argv)} != {step.argv}"
        assert (timeout >= DIALOG_TIMEOUT) == step.dialog
        return step.result

    def finished(self) -> None:
        assert self.steps == [], f"commands never run: {[s.argv for s in self.steps]}"


@pytest.fixture(scope="module")
def provider() -> Provider:
    return load_provider()


@pytest.fixture(scope="module")
def root(provider: Provider) -> PinnedRoot:
    assert provider.root is not None
    return provider.root


# --- Windows -------------------------------------------------------------------------------------------

NOT_FOUND = fail(0x80092004, "CertUtil: -store command FAILED: 0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)")
FOUND = ok(f"Root\n================ Certificate 0 ================\nCert Hash(sha1): {ISRG_SHA1.lower()}\n")
FOUND_SPACED = ok("Cert Hash(sha1): ca bd 2a 79 a1 07 6a 31 f2 1d 25 36 35 cb 03 9d 43 29 a5 e8\n")


def win_query() -> list[str | FileWith]:
    return [CERTUTIL, "-user", "-store", "Root", ISRG_SHA1]


def win_add(root: PinnedRoot) -> list[str | FileWith]:
    return [CERTUTIL, "-user", "-addstore", "Root", FileWith(root.der)]


def win_delete() -> list[str | FileWith]:
    return [CERTUTIL, "-user", "-delstore", "Root", ISRG_SHA1]


def windows(*steps: Step) -> tuple[WindowsUserRootStore, FakeRunner]:
    runner = FakeRunner(list(steps))
    return WindowsUserRootStore(runner=runner, certutil=CERTUTIL), runner


def test_windows_install_adds_to_the_current_users_root_store(root: PinnedRoot) -> None:
    store, runner = windows(
        Step(win_query(), NOT_FOUND), Step(win_add(root), ok(), dialog=True), Step(win_query(), FOUND)
    )
    result = store.install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    runner.finished()


def test_windows_already_there_runs_no_dialog(root: PinnedRoot) -> None:
    store, runner = windows(Step(win_query(), FOUND_SPACED))
    assert store.install(root).outcome is Outcome.ALREADY_PRESENT
    runner.finished()


@pytest.mark.parametrize("code", [0x800704C7, -2147023673])  # unsigned and signed forms of ERROR_CANCELLED
def test_windows_no_in_the_dialog_is_cancelled(root: PinnedRoot, code: int) -> None:
    store, runner = windows(
        Step(win_query(), NOT_FOUND),
        Step(win_add(root), fail(code, "CertUtil: -addstore command FAILED: 0x800704c7 (WIN32: 1223)"), dialog=True),
    )
    result = store.install(root)
    assert result.outcome is Outcome.CANCELLED
    assert "No" in result.message
    runner.finished()


def test_windows_other_failure_is_failed(root: PinnedRoot) -> None:
    store, runner = windows(
        Step(win_query(), NOT_FOUND),
        Step(win_add(root), fail(0x80070005, "CertUtil: -addstore command FAILED: 0x80070005 (E_ACCESSDENIED)"), True),
    )
    result = store.install(root)
    assert result.outcome is Outcome.FAILED and "E_ACCESSDENIED" in result.message
    runner.finished()


def test_windows_status_and_unreadable_store(root: PinnedRoot) -> None:
    store, runner = windows(Step(win_query(), FOUND), Step(win_query(), NOT_FOUND), Step(win_query(), fail(1, "x")))
    assert store.status(root).present is True
    assert store.status(root).present is False
    assert store.status(root).present is None
    runner.finished()


def test_windows_remove_deletes_by_thumbprint_only(root: PinnedRoot) -> None:
    store, runner = windows(
        Step(win_query(), FOUND), Step(win_delete(), ok(), dialog=True), Step(win_query(), NOT_FOUND)
    )
    assert store.remove(root).outcome is Outcome.REMOVED
    runner.finished()
    store, runner = windows(Step(win_query(), NOT_FOUND))
    assert store.remove(root).outcome is Outcome.ABSENT
    runner.finished()
    store, runner = windows(Step(win_query(), FOUND), Step(win_delete(), fail(0x800704C7), dialog=True))
    assert store.remove(root).outcome is Outcome.CANCELLED
    runner.finished()


def test_windows_missing_certutil_is_a_failure_not_a_crash(root: PinnedRoot) -> None:
    def missing(argv: Sequence[str], timeout: float) -> CommandResult:
        raise FileNotFoundError(2, "No such file or directory")

    store = WindowsUserRootStore(runner=missing, certutil=CERTUTIL)
    assert store.status(root).present is None
    assert store.install(root).outcome is Outcome.FAILED


# --- macOS ---------------------------------------------------------------------------------------------

LOGIN = Step([SECURITY, "login-keychain"], ok(f'    "{KEYCHAIN}"\n'))
IN_KEYCHAIN = ok(
    f'SHA-256 hash: {ISRG_SHA256}\nSHA-1 hash: {ISRG_SHA1}\nkeychain: "{KEYCHAIN}"\n'
    'attributes:\n    "labl"<blob>="ISRG Root X1"\n'
)
OTHER_CERT = ok("SHA-256 hash: 00112233\nSHA-1 hash: 4455\n")
NOT_IN_KEYCHAIN = fail(
    44, "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain."
)


def mac_find() -> list[str | FileWith]:
    return [SECURITY, "find-certificate", "-a", "-Z", "-c", "ISRG Root X1", KEYCHAIN]


def mac_verify(root: PinnedRoot) -> list[str | FileWith]:
    return [SECURITY, "verify-cert", "-l", "-L", "-q", "-c", FileWith(root.pem)]


def mac_add(root: PinnedRoot) -> list[str | FileWith]:
    return [SECURITY, "add-trusted-cert", "-r", "trustRoot", "-k", KEYCHAIN, FileWith(root.pem)]


def mac(*steps: Step, home: Path | None = None) -> tuple[MacLoginKeychain, FakeRunner]:
    runner = FakeRunner(list(steps))
    return MacLoginKeychain(runner=runner, home=home or Path("/Users/jane")), runner


def test_macos_install_trusts_in_the_login_keychain(root: PinnedRoot) -> None:
    store, runner = mac(
        LOGIN,
        Step(mac_find(), NOT_IN_KEYCHAIN),
        Step(mac_add(root), ok(), dialog=True),
        Step(mac_find(), IN_KEYCHAIN),
        Step(mac_verify(root), ok()),
    )
    result = store.install(root)
    assert result.outcome is Outcome.INSTALLED, result.message
    runner.finished()


def test_macos_already_trusted(root: PinnedRoot) -> None:
    store, runner = mac(LOGIN, Step(mac_find(), IN_KEYCHAIN), Step(mac_verify(root), ok()))
    assert store.install(root).outcome is Outcome.ALREADY_PRESENT
    runner.finished()


def test_macos_in_keychain_but_untrusted_gets_trust(root: PinnedRoot) -> None:
    store, runner = mac(
        LOGIN,
        Step(mac_find(), IN_KEYCHAIN),
        Step(mac_verify(root), fail(1, "Cert Verify Result: CSSMERR_TP_NOT_TRUSTED")),
        Step(mac_add(root), ok(), dialog=True),
        Step(mac_find(), IN_KEYCHAIN),
        Step(mac_verify(root), ok()),
    )
    assert store.install(root).outcome is Outcome.INSTALLED
    runner.finished()


def test_macos_another_certificate_with_the_same_name_is_not_ours(root: PinnedRoot) -> None:
    store, runner = mac(LOGIN, Step(mac_find(), OTHER_CERT))
    assert store.status(root).present is False
    runner.finished()


def test_macos_cancelled_password_prompt(root: PinnedRoot) -> None:
    cancelled = fail(1, "SecTrustSettingsSetTrustSettings: The authorization was canceled by the user.")
    store, runner = mac(LOGIN, Step(mac_find(), NOT_IN_KEYCHAIN), Step(mac_add(root), cancelled, dialog=True))
    result = store.install(root)
    assert result.outcome is Outcome.CANCELLED and "cancelled" in result.message
    runner.finished()


def test_macos_no_user_interaction_possible_is_a_failure(root: PinnedRoot) -> None:
    denied = fail(
        1, "SecTrustSettingsSetTrustSettings: The authorization was denied since no user interaction was possible."
    )
    store, runner = mac(LOGIN, Step(mac_find(), NOT_IN_KEYCHAIN), Step(mac_add(root), denied, dialog=True))
    result = store.install(root)
    assert result.outcome is Outcome.FAILED and "logged-in desktop" in result.message
    runner.finished()


def test_macos_falls_back_to_the_usual_login_keychain(root: PinnedRoot, tmp_path: Path) -> None:
    usual = str(tmp_path / "Library" / "Keychains" / "login.keychain-db")
    store, runner = mac(
        Step([SECURITY, "login-keychain"], fail(1, "no default")),
        Step([SECURITY, "find-certificate", "-a", "-Z", "-c", "ISRG Root X1", usual], NOT_IN_KEYCHAIN),
        home=tmp_path,
    )
    assert store.status(root).present is False
    runner.finished()


def test_macos_remove_takes_out_trust_then_the_certificate_by_hash(root: PinnedRoot) -> None:
    store, runner = mac(
        LOGIN,
        Step(mac_find(), IN_KEYCHAIN),
        Step([SECURITY, "remove-trusted-cert", FileWith(root.pem)], ok(), dialog=True),
        Step([SECURITY, "delete-certificate", "-Z", ISRG_SHA1, KEYCHAIN], ok()),
    )
    assert store.remove(root).outcome is Outcome.REMOVED
    runner.finished()
    store, runner = mac(LOGIN, Step(mac_find(), NOT_IN_KEYCHAIN))
    assert store.remove(root).outcome is Outcome.ABSENT
    runner.finished()
    store, runner = mac(
        LOGIN,
        Step(mac_find(), IN_KEYCHAIN),
        Step(
            [SECURITY, "remove-trusted-cert", FileWith(root.pem)],
            fail(1, "The authorization was cancelled by the user."),
            dialog=True,
        ),
    )
    assert store.remove(root).outcome is Outcome.CANCELLED
    runner.finished()


# --- the whole install on Windows and macOS, with Thunderbird through the OS store -------------------


def server(trusted_by: TrustedBy) -> ServerTrust:
    verdict = ServerVerdict.PINNED_ROOT if trusted_by.provider_root else ServerVerdict.OTHER_ROOT
    return ServerTrust(verdict, (trusted_by,), 1, "test")


def test_windows_install_and_cancel_through_the_report(provider: Provider, tmp_path: Path) -> None:
    root = provider.root
    assert root is not None
    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    # Mozilla does not trust the chain, the OS does: Outlook is fine, Thunderbird (enterprise roots) is not.
    needs_it = server(TrustedBy(mozilla=False, os=True, provider_root=True))
    # install_root looks first (to decide), then the store looks again before it adds.
    runner = FakeRunner(
        [
            Step(win_query(), NOT_FOUND),
            Step(win_query(), NOT_FOUND),
            Step(win_add(root), ok(), dialog=True),
            Step(win_query(), FOUND),
        ]
    )
    plan = plan_places(provider, platform="win32", home=tmp_path, thunderbird_profiles=[profile], runner=runner)
    assert [p.kind for p in plan.places] == [PlaceKind.OS_STORE, PlaceKind.THUNDERBIRD_VIA_OS_STORE]
    assert isinstance(plan.places[0].store, WindowsUserRootStore)
    plan.places[0].store.certutil = CERTUTIL
    report = install_root(provider, plan, needs_it)
    runner.finished()
    assert [r.outcome for r in report.places] == [Outcome.INSTALLED, Outcome.INSTALLED]
    assert "security.enterprise_roots.enabled" in report.places[1].message
    assert report.ok
    assert enterprise_roots_enabled(profile)  # Thunderbird now reads the OS store's copy

    runner.steps = [
        Step(win_query(), NOT_FOUND),
        Step(win_query(), NOT_FOUND),
        Step(win_add(root), fail(0x800704C7), dialog=True),
    ]
    report = install_root(provider, plan, needs_it)
    runner.finished()
    assert [r.outcome for r in report.places] == [Outcome.CANCELLED, Outcome.CANCELLED]
    assert not report.ok
    assert "Cancelled for" in report.summary()

    runner.steps = [Step(win_query(), FOUND), Step(win_delete(), ok(), dialog=True), Step(win_query(), NOT_FOUND)]
    report = remove_root(provider, plan)
    runner.finished()
    assert [r.outcome for r in report.places] == [Outcome.REMOVED, Outcome.REMOVED] and report.ok


def test_root_in_the_os_store_is_not_enough_for_thunderbird_without_the_pref(
    provider: Provider, tmp_path: Path
) -> None:
    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    other = b'user_pref("mail.account.lastKey", 2);\n'
    (profile / "prefs.js").write_bytes(other)
    needs_it = server(TrustedBy(mozilla=False, os=True, provider_root=True))
    runner = FakeRunner([Step(win_query(), FOUND)])
    plan = plan_places(provider, platform="win32", home=tmp_path, thunderbird_profiles=[profile], runner=runner)
    plan.places[0].store.certutil = CERTUTIL
    status = trust_status(provider, plan, needs_it)
    runner.finished()
    assert [r.present for r in status.places] == [True, False]
    assert "is off" in status.places[1].message and not status.ok

    runner.steps = [Step(win_query(), FOUND), Step(win_query(), FOUND)]  # look, and look again before adding
    report = install_root(provider, plan, needs_it)
    runner.finished()
    assert [r.outcome for r in report.places] == [Outcome.ALREADY_PRESENT, Outcome.INSTALLED]
    assert report.ok
    assert enterprise_roots_enabled(profile)
    data = (profile / "prefs.js").read_bytes()
    assert data.startswith(other)  # every other line kept
    assert list(profile.glob("prefs.js.setup-assistant-*.bak"))  # and backed up

    runner.steps = [Step(win_query(), FOUND)]
    again = trust_status(provider, plan, needs_it)
    assert [r.present for r in again.places] == [True, True] and again.ok


def test_nothing_is_installed_when_everyone_already_trusts_the_server(provider: Provider, tmp_path: Path) -> None:
    runner = FakeRunner([LOGIN, Step(mac_find(), NOT_IN_KEYCHAIN)])
    plan = plan_places(provider, platform="darwin", home=tmp_path, thunderbird_profiles=[], runner=runner)
    assert isinstance(plan.places[0].store, MacLoginKeychain)
    plan.places[0].store.security = SECURITY
    report = install_root(provider, plan, server(TrustedBy(mozilla=True, os=True, provider_root=True)))
    runner.finished()  # looked, but no add-trusted-cert
    assert [r.outcome for r in report.places] == [Outcome.NOT_NEEDED]
    assert report.ok and "already trusts the server" in report.summary()


def test_a_chain_to_another_root_installs_nothing(provider: Provider, tmp_path: Path) -> None:
    runner = FakeRunner([LOGIN, Step(mac_find(), NOT_IN_KEYCHAIN)])
    plan = plan_places(provider, platform="darwin", home=tmp_path, thunderbird_profiles=[], runner=runner)
    report = install_root(provider, plan, server(TrustedBy(mozilla=False, os=False, provider_root=False)))
    runner.finished()  # status only
    assert [r.outcome for r in report.places] == [None]
    assert not report.ok
    assert "changed its certificate authority" in report.summary()
    runner.steps = [Step(mac_find(), NOT_IN_KEYCHAIN)]
    status = trust_status(provider, plan, server(TrustedBy(mozilla=False, os=False, provider_root=False)))
    runner.finished()
    assert status.places[0].need is Need.OTHER_ROOT and not status.ok


def test_remove_leaves_a_copy_this_assistant_did_not_add(provider: Provider, tmp_path: Path) -> None:
    """The Windows and macOS stores carry no name tag: only a recorded install is ever taken out."""
    runner = FakeRunner([])  # no certutil call at all
    plan = plan_places(provider, platform="win32", home=tmp_path, thunderbird_profiles=[], runner=runner)
    plan.places[0].store.certutil = CERTUTIL
    report = remove_root(provider, plan)
    runner.finished()
    assert [r.outcome for r in report.places] == [Outcome.ABSENT]
    assert "no record" in report.places[0].message


def test_status_reports_thunderbirds_default_when_the_pref_is_absent(provider: Provider, tmp_path: Path) -> None:
    """Thunderbird 153 defaults security.enterprise_roots.enabled to true and drops the user_pref: absent is on."""
    profile = tmp_path / "abcd.default-release"
    profile.mkdir()
    other = b'user_pref("mail.account.lastKey", 2);\n'
    (profile / "prefs.js").write_bytes(other)
    (profile / "compatibility.ini").write_text(
        "[Compatibility]\nLastVersion=153.8.0_20261120213735/20261120213735\n"
        f"LastPlatformDir={tmp_path / 'no-such-install'}\nLastAppDir={tmp_path / 'no-such-install'}\n"
    )
    needs_it = server(TrustedBy(mozilla=False, os=True, provider_root=True))
    runner = FakeRunner([Step(win_query(), FOUND)])
    plan = plan_places(provider, platform="win32", home=tmp_path, thunderbird_profiles=[profile], runner=runner)
    plan.places[0].store.certutil = CERTUTIL
    status = trust_status(provider, plan, needs_it)
    runner.finished()
    assert [r.present for r in status.places] == [True, True]
    assert "is on" in status.places[1].message and status.ok

    runner.steps = [Step(win_query(), FOUND), Step(win_query(), FOUND)]
    report = install_root(provider, plan, needs_it)
    runner.finished()
    assert report.ok
    assert (profile / "prefs.js").read_bytes() == other  # nothing to do: nothing written
    assert not list(profile.glob("prefs.js.setup-assistant-*.bak"))
