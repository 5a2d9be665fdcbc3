"""The password, typed once: "Remember my password" also puts it into the Thunderbird profile the wizard sets up.

Driven as a person would (clicks on the page's own widgets), against the real Dovecot; the profile the wizard
wrote is then opened by the real Thunderbird, headless, which must log in without asking.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from setup_assistant.core.clients.profiles import Client
from setup_assistant.core.clients.thunderbird.logins import LOGINS_FILE, find_nss_library
from setup_assistant.gui.flow import PageId
from tests.conftest import skip_or_fail
from tests.servers import real_thunderbird
from tests.thunderbird_home import thunderbird_profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


def set_up_thunderbird(driver, password: str, *, remember: bool) -> None:
    """Address, password (ticking "Remember" or not), check, certificate, Thunderbird here, Set up: to Done."""
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    driver.enter_password(password)
    assert page.remember.isEnabled()
    if remember:
        page.remember.setFocus()  # as a person tabbing to it
        driver.qtbot.keyClick(page.remember, Qt.Key.Key_Space)
    assert page.remember.isChecked() is remember
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)  # the test CA is not a Mozilla root: the profile needs it
    cert = driver.wizard.certificate_page
    driver.qtbot.mouseClick(cert.install, Qt.MouseButton.LeftButton)
    driver.qtbot.waitUntil(lambda: not cert.running, timeout=30_000)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    assert programs.here.isChecked() and programs.boxes[Client.THUNDERBIRD].isChecked()
    driver.qtbot.mouseClick(driver.next_button(), Qt.MouseButton.LeftButton)  # "Set up"
    driver.qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=60_000)


def done_page_text(driver) -> str:
    return "\n".join(label.text() for label in driver.wizard.done_page.findChildren(QLabel) if label.isVisible())


def test_remember_puts_the_password_in_thunderbird_which_then_logs_in_with_no_prompt(
    make_wizard, mail_servers, services
) -> None:
    if find_nss_library() is None:
        skip_or_fail("no NSS library (libnss3) on this computer: install thunderbird or libnss3")
    reason = real_thunderbird.missing_reason()
    if reason:
        skip_or_fail(reason)
    profile = thunderbird_profile(services.home)
    password = mail_servers.users[USER]
    driver = make_wizard(mail_servers.provider_path)

    set_up_thunderbird(driver, password, remember=True)

    shown = done_page_text(driver)
    assert "Thunderbird: your account and your password were added; it will not ask for it." in shown
    assert "Your password: Thunderbird has it and will not ask for it." in shown
    hosts = [entry["hostname"] for entry in json.loads((profile / LOGINS_FILE).read_text(encoding="utf-8"))["logins"]]
    assert hosts == ["imap://localhost", "smtp://localhost"]
    for path in profile.rglob("*"):
        assert not path.is_file() or password.encode() not in path.read_bytes(), path

    # The wizard also put the test CA into the profile: nothing else is needed for Thunderbird to connect.
    run = real_thunderbird.run_thunderbird(profile, mail_servers.server, user=USER, seconds=60)
    assert run.logged_in, run.log


def test_without_the_tick_thunderbird_gets_no_password_and_will_ask(
    make_wizard, mail_servers, services, memory_keyring
) -> None:
    profile = thunderbird_profile(services.home)
    driver = make_wizard(mail_servers.provider_path)

    set_up_thunderbird(driver, mail_servers.users[USER], remember=False)

    assert not (profile / LOGINS_FILE).exists()
    shown = done_page_text(driver)
    assert "Thunderbird: your account was added. Thunderbird asks for the password once." in shown
    assert "Your password:" not in shown
    assert memory_keyring.items == {}


def test_the_done_line_names_who_has_the_password_and_who_will_ask(make_wizard, tmp_path: Path) -> None:
    from setup_assistant.core.clients.profiles import ClientOutcome, ProfilesOutcome
    from setup_assistant.core.clients.thunderbird.logins import PasswordSave, Saved

    page = make_wizard(None).wizard.programs_page
    page.model.remember_password = True
    saved = PasswordSave(Saved.STORED, "stored", tmp_path)
    refused = PasswordSave(Saved.PRIMARY_PASSWORD, "primary password, so Thunderbird will ask", tmp_path)

    def line(*clients: ClientOutcome) -> str | None:
        item = page._password_item(ProfilesOutcome(tmp_path, clients))
        return None if item is None else item.text

    thunderbird = ClientOutcome(Client.THUNDERBIRD, installed="added", password=saved)
    outlook = ClientOutcome(Client.OUTLOOK, installed="registry set")
    assert line(thunderbird, outlook) == "Your password: Thunderbird has it; Outlook will ask for it once."
    assert line(thunderbird) == "Your password: Thunderbird has it and will not ask for it."
    assert line(ClientOutcome(Client.THUNDERBIRD, installed="added", password=refused), outlook) == (
        "Your password: Thunderbird and Outlook will ask for it once."
    )
    assert line(ClientOutcome(Client.APPLE_MAIL, files=(tmp_path,))) is None  # nothing set up here
    page.model.remember_password = False
    assert line(thunderbird, outlook) is None
