"""What a real Thunderbird (Debian's 153) does with what the assistant writes: one start, then what it read and
what it saved. Each route that makes a POP account: the prefs.js route (--install) and the config-v1.1.xml file in
Thunderbird's own isp/ folder (driven through Thunderbird's own account-creation modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from setup_assistant.core.clients.thunderbird import app_defaults
from setup_assistant.core.clients.thunderbird import writer as thunderbird
from setup_assistant.core.model import MailProtocol
from setup_assistant.core.provider import Provider, load_provider
from tests.core.clients import real_thunderbird
from tests.core.clients.test_thunderbird import backups, prefs_of, settings

HOST = "npomail.electricembers.net"


@pytest.fixture(scope="module")
def provider() -> Provider:
    real_thunderbird.require_thunderbird()
    return load_provider()


def test_isp_file_gives_a_second_address_its_own_username(provider: Provider, tmp_path: Path) -> None:
    """The sheet's volunteer route: config-v1.1.xml written for Jane, used by Thunderbird for Sam."""
    jane = settings(provider, "jane@example.org", protocol=MailProtocol.POP3)
    data = thunderbird.write_autoconfig(jane, tmp_path / "files").read_bytes()
    profile = tmp_path / "profile"
    profile.mkdir()
    found = real_thunderbird.report(profile, tmp_path, email="sam@example.org", isp={"example.org.xml": data})
    (account,) = found["accounts"]  # type: ignore[misc]
    assert account["username"] == "sam@example.org" and account["email"] == "sam@example.org"
    assert account["smtp"] == {"hostname": HOST, "username": "sam@example.org"}
    assert (account["type"], account["port"], account["socketType"], account["authMethod"]) == ("pop3", 110, 2, 3)
    # POP by this route: mail is left on the server, but "Until I delete them" keeps Thunderbird's default (on),
    # which is why the sheet tells the person to untick it.
    assert account["leaveMessagesOnServer"] is True
    assert account["deleteMailLeftOnServer"] is True
    assert account["numDaysToLeaveOnServer"] >= 36500
    saved = prefs_of(profile)
    assert saved["mail.server.server1.userName"] == "sam@example.org"
    assert saved["mail.server.server1.delete_mail_left_on_server"] is True


@pytest.mark.parametrize("days", [None, 30])
def test_install_route_pop_keeps_mail_as_chosen_after_a_real_start(
    provider: Provider, tmp_path: Path, days: int | None
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    thunderbird.install_account(settings(provider, protocol=MailProtocol.POP3, days=days), profile)
    found = real_thunderbird.report(profile, tmp_path)
    (account,) = found["accounts"]  # type: ignore[misc]
    assert account["username"] == "jane@example.org" and account["type"] == "pop3"
    assert account["leaveMessagesOnServer"] is True
    assert account["deleteMailLeftOnServer"] is False  # "Until I delete them" off, also with age-based deletion
    assert account["deleteByAgeFromServer"] is (days is not None)
    if days is not None:
        assert account["numDaysToLeaveOnServer"] == days
    saved = prefs_of(profile)  # and what Thunderbird saved keeps it
    assert saved["mail.server.server1.delete_mail_left_on_server"] is False
    assert saved["mail.server.server1.leave_on_server"] is True


def test_second_install_after_a_real_start_writes_nothing(provider: Provider, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    first = thunderbird.install_account(settings(provider), profile)
    assert first.changed and thunderbird.ENTERPRISE_ROOTS_PREF in prefs_of(profile)  # never run: default unknown
    found = real_thunderbird.report(profile, tmp_path)
    assert found["enterpriseRoots"] is True  # Thunderbird's effective value
    assert thunderbird.ENTERPRISE_ROOTS_PREF not in prefs_of(profile)  # dropped: it equals 153's default
    # Thunderbird 153 has no text default for it: the default is compiled in, known by the version.
    run = app_defaults.last_run(profile)
    assert run is not None and run.major is not None and run.major >= 120
    assert app_defaults.text_default(run.app_dirs, thunderbird.ENTERPRISE_ROOTS_PREF) is None
    assert thunderbird.enterprise_roots_enabled(profile)

    before, saved = (profile / "prefs.js").read_bytes(), backups(profile)
    again = thunderbird.install_account(settings(provider), profile)
    assert not again.changed and again.backup is None
    assert (profile / "prefs.js").read_bytes() == before and backups(profile) == saved
    assert thunderbird.enable_enterprise_roots(profile) is False
    assert (profile / "prefs.js").read_bytes() == before and backups(profile) == saved


def test_thunderbird_keeps_an_explicit_false(provider: Provider, tmp_path: Path) -> None:
    """The other half of the rule: a value that differs from the default stays in prefs.js."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "prefs.js").write_text(f'user_pref("{thunderbird.ENTERPRISE_ROOTS_PREF}", false);\n')
    found = real_thunderbird.report(profile, tmp_path)
    assert found["enterpriseRoots"] is False
    assert prefs_of(profile)[thunderbird.ENTERPRISE_ROOTS_PREF] is False
    assert not thunderbird.enterprise_roots_enabled(profile)
