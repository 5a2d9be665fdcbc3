"""`install` puts the root only where the probe showed it is needed; an unreachable server needs --offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from setup_assistant.core.model import TrustedBy
from setup_assistant.core.provider import Provider, load_provider
from setup_assistant.core.trust import Outcome, ServerTrust, ServerVerdict, install_root, plan_places
from tests.conftest import skip_or_fail


@pytest.fixture(autouse=True)
def need_certutil() -> None:
    if shutil.which("certutil") is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")


@pytest.fixture
def provider() -> Provider:
    return load_provider()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "tb" / "a1.default-release"
    path.mkdir(parents=True)
    return path


def reached(*trusted_by: TrustedBy) -> ServerTrust:
    verdict = ServerVerdict.PINNED_ROOT if any(t.provider_root for t in trusted_by) else ServerVerdict.OTHER_ROOT
    return ServerTrust(verdict, trusted_by, 6, "probed")


UNREACHABLE = ServerTrust(ServerVerdict.UNREACHABLE, (), 6, "the server could not be reached (timeout)")


def nothing_written(home: Path, profile: Path) -> bool:
    return not (home / ".pki").exists() and list(profile.iterdir()) == []


def test_installed_where_the_chain_leads_to_the_pin_and_nothing_trusts_it(
    provider: Provider, home: Path, profile: Path
) -> None:
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[profile])
    report = install_root(provider, plan, reached(TrustedBy(mozilla=False, os=False, provider_root=True)))
    assert [r.outcome for r in report.places] == [Outcome.INSTALLED, Outcome.INSTALLED] and report.ok
    assert not report.notes


def test_nothing_where_the_place_already_trusts_the_server(provider: Provider, home: Path, profile: Path) -> None:
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[profile])
    report = install_root(provider, plan, reached(TrustedBy(mozilla=True, os=True, provider_root=True)))
    assert [r.outcome for r in report.places] == [Outcome.NOT_NEEDED, Outcome.NOT_NEEDED] and report.ok
    assert nothing_written(home, profile)


def test_nothing_when_the_chain_leads_to_another_root(provider: Provider, home: Path, profile: Path) -> None:
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[profile])
    report = install_root(provider, plan, reached(TrustedBy(mozilla=False, os=False, provider_root=False)))
    assert [r.outcome for r in report.places] == [None, None] and not report.ok
    assert nothing_written(home, profile)


def test_an_unreachable_server_installs_nothing_unless_asked(provider: Provider, home: Path, profile: Path) -> None:
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[profile])
    report = install_root(provider, plan, UNREACHABLE)
    assert [r.outcome for r in report.places] == [None, None] and not report.ok
    assert nothing_written(home, profile)
    assert report.summary().startswith("Nothing was installed: the server could not be reached")
    assert "--offline" in report.summary()
    assert all("could not be checked" in r.message for r in report.places)


def test_offline_installs_and_says_what_the_root_is_now_trusted_for(
    provider: Provider, home: Path, profile: Path
) -> None:
    plan = plan_places(provider, platform="linux", home=home, thunderbird_profiles=[profile])
    report = install_root(provider, plan, UNREACHABLE, offline=True)
    assert [r.outcome for r in report.places] == [Outcome.INSTALLED, Outcome.INSTALLED] and report.ok
    warning = report.notes[0]
    assert provider.root is not None and provider.root.subject in warning
    assert "not only for mail" in warning and "~/.pki/nssdb" in warning and "web site" in warning
    assert "--offline" in report.summary()
    assert report.to_json()["notes"][0] == warning
