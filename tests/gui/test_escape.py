"""Escape (or Cancel, or the window's close button) midway asks first, stops a check at once, and never leaves a
write half done (issue 12).
"""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from setup_assistant.core.clients import Client
from setup_assistant.gui.flow import PageId

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


def _answer(driver, key: Qt.Key | None = None, button: str | None = None) -> list[str]:
    """Answers the question that Escape raises, as a person would: a key, or a click on the named button."""
    seen: list[str] = []

    def act() -> None:
        box = driver.wizard.close_question
        if box is None:
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        if key is not None:
            QTest.keyClick(box, key)
        else:
            target = next(b for b in box.buttons() if b.text().replace("&", "") == button)
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, act)
    return seen


def test_escape_during_a_check_asks_and_stops_it_at_once(make_wizard, mail_servers, blackhole, tmp_path, qtbot):
    provider = mail_servers.provider_file(tmp_path, imap=blackhole(), pop3=blackhole(), submission=blackhole())
    driver = make_wizard(provider, timeout=30.0)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    driver.next(PageId.CHECKING)
    qtbot.wait(300)
    checking = driver.wizard.checking_page
    assert checking.running

    seen = _answer(driver, key=Qt.Key.Key_Escape)  # Escape in the question: keep going
    QTest.keyClick(driver.wizard, Qt.Key.Key_Escape)
    assert seen and "A check is running" in seen[0]
    assert driver.wizard.isVisible() and checking.running, "Escape closed the wizard without asking"

    seen = _answer(driver, button="Close")
    started = time.monotonic()
    QTest.keyClick(driver.wizard, Qt.Key.Key_Escape)
    assert seen
    assert time.monotonic() - started < 2.5  # the probe stops in 0.1 s; closing waits for it
    assert driver.wizard.jobs.wait(0), "the pool is idle right after closing"
    assert not driver.wizard.isVisible()


def test_escape_during_a_write_lets_it_finish(make_wizard, mail_servers, tmp_path, qtbot, monkeypatch) -> None:
    from setup_assistant.core.clients import profiles

    real = profiles.write_profiles
    started = threading.Event()
    finished: list[bool] = []

    def slow_write(*args, **kwargs):
        started.set()
        time.sleep(1.0)
        outcome = real(*args, **kwargs)
        finished.append(True)
        return outcome

    monkeypatch.setattr(profiles, "write_profiles", slow_write)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, mail_servers.users[USER])
    driver.next(PageId.RESULT)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    box = programs.boxes[Client.THUNDERBIRD]
    if not box.isChecked():
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    out = tmp_path / "files"
    programs.folder.setFocus()
    qtbot.keyClick(programs.folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(programs.folder, str(out))
    next_button = driver.wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # "Save files": the (slow) write starts
    qtbot.waitUntil(started.is_set, timeout=5000)
    seen = _answer(driver, button="Close")
    QTest.keyClick(driver.wizard, Qt.Key.Key_Escape)
    assert seen and "being written" in seen[0]
    assert finished == [True], "the wizard closed in the middle of writing"
    assert (out / "thunderbird" / "config-v1.1.xml").is_file()
    assert not driver.wizard.isVisible()


def test_escape_on_the_first_page_closes_without_asking(make_wizard, qtbot) -> None:
    driver = make_wizard(None)
    QTest.keyClick(driver.wizard, Qt.Key.Key_Escape)
    assert not driver.wizard.isVisible()


def test_a_slow_port_shows_progress_and_what_is_waited_for(make_wizard, mail_servers, blackhole, tmp_path, qtbot):
    silent = (blackhole(), blackhole())
    provider = mail_servers.provider_file(tmp_path, imap=silent[0], imaps=silent[1])
    driver = make_wizard(provider, timeout=20.0)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    driver.next(PageId.CHECKING)
    checking = driver.wizard.checking_page
    qtbot.waitUntil(lambda: len(checking.waiting_for()) == 2, timeout=10_000)
    assert checking.bar.value() == 4, "every finished connection moves the bar"
    qtbot.waitUntil(lambda: "Waiting for port" in checking.summary.label.text(), timeout=3000)
    line = checking.summary.label.text()
    assert f"{min(silent)}, {max(silent)}" in line and "up to 20 s" in line
    qtbot.mouseClick(checking.button, Qt.MouseButton.LeftButton)  # Stop
    qtbot.waitUntil(lambda: not checking.running, timeout=3000)
