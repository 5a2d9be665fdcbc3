"""A Thunderbird profile that appears after the check ("start Thunderbird once and come back") still gets the
certificate it needs, and the Done page only says "All set" when that is true (issue 12).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from setup_assistant.core.clients import Client
from setup_assistant.gui.flow import PageId
from tests.thunderbird_home import thunderbird_profile as _make_profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


def _to_programs_then_start_thunderbird(driver, services, mail_servers) -> Path:
    driver.run_check(USER, mail_servers.users[USER])
    driver.next(PageId.RESULT)
    driver.next(PageId.PROGRAMS)  # no Thunderbird yet: nothing needs the certificate, its page is skipped
    programs = driver.wizard.programs_page
    assert not programs.here.isEnabled()
    assert "start it once and come back" in programs.notes[Client.THUNDERBIRD].label.text()
    profile = _make_profile(services.home)  # the person starts Thunderbird once, then comes back
    driver.wizard.back()
    driver.next(PageId.PROGRAMS)
    assert programs.here.isChecked() and programs.boxes[Client.THUNDERBIRD].isChecked()
    for client in (Client.OUTLOOK, Client.APPLE_MAIL):
        assert not programs.boxes[client].isChecked()
    return profile


def _texts(layout) -> list[str]:
    return [
        w.label.text()
        for i in range(layout.count())
        if (w := layout.itemAt(i).widget()) is not None and hasattr(w, "label")
    ]


def test_a_profile_made_after_the_check_is_offered_the_certificate_before_writing(
    make_wizard, mail_servers, services, qtbot
) -> None:
    driver = make_wizard(mail_servers.provider_path)
    profile = _to_programs_then_start_thunderbird(driver, services, mail_servers)
    programs = driver.wizard.programs_page
    qtbot.mouseClick(driver.next_button(), Qt.MouseButton.LeftButton)  # "Set up"
    qtbot.waitUntil(lambda: programs._question_pending, timeout=30_000)
    assert driver.page == PageId.PROGRAMS
    assert not (profile / "prefs.js").exists(), "nothing is written before the certificate question is answered"
    assert any("needs the" in t and "certificate" in t for t in _texts(programs.messages))
    assert not driver.next_button().isEnabled()
    assert "Install the certificate first" in programs.hint.label.text()
    assert programs.install_certificate.isDefault()  # the recommended action is what Enter does
    qtbot.keyClick(driver.wizard.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=30_000)
    assert (profile / "cert9.db").exists()
    assert USER in (profile / "prefs.js").read_text(encoding="utf-8")
    done = driver.wizard.done_page
    assert done.title() == "All set"
    assert any("certificate is installed" in item.text for item in driver.wizard.model.done)


def test_setting_up_without_the_certificate_is_not_called_all_set(make_wizard, mail_servers, services, qtbot) -> None:
    driver = make_wizard(mail_servers.provider_path)
    profile = _to_programs_then_start_thunderbird(driver, services, mail_servers)
    programs = driver.wizard.programs_page
    qtbot.mouseClick(driver.next_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: programs._question_pending, timeout=30_000)
    skip = programs.skip_certificate
    qtbot.mouseClick(skip, Qt.MouseButton.LeftButton, pos=QPoint(skip.width() // 2, skip.height() // 2))
    qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=30_000)
    assert USER in (profile / "prefs.js").read_text(encoding="utf-8")
    assert not (profile / "cert9.db").exists()
    done = driver.wizard.done_page
    assert done.title() != "All set"
    assert "Thunderbird will ask you to accept the server's certificate" in done.subTitle()


def test_enter_on_the_certificate_page_installs_it_then_means_next(make_wizard, mail_servers, services, qtbot) -> None:
    profile = _make_profile(services.home)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, mail_servers.users[USER])
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)
    certificate = driver.wizard.certificate_page
    assert certificate.install.isDefault() and not driver.next_button().isDefault()
    qtbot.keyClick(driver.wizard.focusWidget() or driver.wizard, Qt.Key.Key_Return)
    assert driver.page == PageId.CERTIFICATE, "Enter skipped the recommended install"
    qtbot.waitUntil(lambda: not certificate.running, timeout=30_000)
    assert (profile / "cert9.db").exists()
    assert driver.next_button().isDefault()
    qtbot.keyClick(driver.wizard.focusWidget() or driver.wizard, Qt.Key.Key_Return)
    assert driver.page == PageId.PROGRAMS


def test_a_certificate_declined_on_its_page_is_not_asked_again_but_named_on_done(
    make_wizard, mail_servers, services, qtbot
) -> None:
    profile = _make_profile(services.home)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, mail_servers.users[USER])
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)
    qtbot.mouseClick(driver.next_button(), Qt.MouseButton.LeftButton)  # continue without it
    assert driver.page == PageId.PROGRAMS
    qtbot.mouseClick(driver.next_button(), Qt.MouseButton.LeftButton)  # "Set up": no second question
    qtbot.waitUntil(lambda: driver.page == PageId.DONE, timeout=30_000)
    assert USER in (profile / "prefs.js").read_text(encoding="utf-8")
    done = driver.wizard.done_page
    assert done.title() == "Set up: accept the certificate once"
    assert "Thunderbird will ask you to accept" in done.subTitle()
