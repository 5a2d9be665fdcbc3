"""Every page at the wizard's default size: no text is wider than what is shown of it (issue 12)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from setup_assistant.gui.flow import PageId
from tests.gui.fit import cut_off_texts
from tests.thunderbird_home import thunderbird_profile as _profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


class Walk:
    def __init__(self, driver) -> None:
        self.driver = driver
        self.problems: list[str] = []

    def look(self, what: str) -> None:
        wizard = self.driver.wizard
        QApplication.processEvents()
        page = wizard.currentPage()
        self.problems += [f"{what}: {p}" for p in cut_off_texts(page, wizard)]


def _retype(qtbot, field, text: str) -> None:
    """Ctrl+A, then type: what a person does to replace a field's text."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    assert field.text() == text


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def test_every_page_fits_at_the_default_size(make_wizard, mail_servers, services, tmp_path, qtbot) -> None:
    _profile(services.home)
    driver = make_wizard(mail_servers.provider_path)
    wizard = driver.wizard
    size = wizard.size()
    walk = Walk(driver)
    page = wizard.address_page
    qtbot.keyClicks(page.address, "jane.doe@example")
    page.show_message()
    walk.look("address, invalid")
    driver.enter_address(USER)
    walk.look("address")
    driver.next(PageId.PASSWORD)
    walk.look("password")
    qtbot.keyClicks(wizard.password_page.password, "not the password")
    driver.next(PageId.CHECKING)
    walk.look("checking, running")
    driver.wait_check()
    walk.look("checking, done")
    driver.next(PageId.RESULT)
    walk.look("result, wrong password")
    wizard.result_page.details.button.click()
    walk.look("result, details")
    _click(qtbot, wizard.result_page.retype)
    _retype(qtbot, wizard.password_page.password, mail_servers.users[USER])
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    walk.look("result, works")
    driver.next(PageId.CERTIFICATE)
    walk.look("certificate")
    driver.next(PageId.PROGRAMS)
    walk.look("programs")
    for box in wizard.programs_page.boxes.values():
        if box.isChecked():
            _click(qtbot, box)
    walk.look("programs, nothing ticked")
    _click(qtbot, wizard.programs_page.boxes[next(iter(wizard.programs_page.boxes))])
    _click(qtbot, wizard.programs_page.save_only)
    _retype(qtbot, wizard.programs_page.folder, str(tmp_path / "files"))
    driver.next(PageId.DONE)
    walk.look("done")
    assert wizard.size() == size, "the window grew to make room: the default size is too small for a page"

    closed = []
    for _ in range(6):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed.append(s.getsockname()[1])
    names = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")
    provider = mail_servers.provider_file(tmp_path, **dict(zip(names, closed, strict=True)))
    driver = make_wizard(provider)
    walk.driver = driver
    driver.run_check(USER, "")
    driver.next(PageId.RESULT)
    walk.look("result, nothing reachable")
    _click(qtbot, driver.wizard.result_page.untested)
    walk.look("result, untested")
    driver.next(PageId.PROGRAMS)
    _click(qtbot, driver.wizard.programs_page.here)
    walk.look("programs, untested")
    assert not walk.problems, "text cut off at the default size:\n" + "\n".join(walk.problems)


def test_ticking_a_program_never_moves_the_others(make_wizard, mail_servers, services, qtbot) -> None:
    from setup_assistant.core.clients import Client

    _profile(services.home)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, "")
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    outlook = programs.boxes[Client.OUTLOOK]
    QApplication.processEvents()
    where = outlook.mapTo(driver.wizard, QPoint(0, 0))
    for widget in (programs.boxes[Client.THUNDERBIRD], programs.save_only, programs.boxes[Client.THUNDERBIRD]):
        _click(qtbot, widget)
        QApplication.processEvents()
        assert outlook.mapTo(driver.wizard, QPoint(0, 0)) == where, "a check box moved under the pointer"


def test_every_page_fits_at_200_percent_on_a_full_hd_screen(mail_servers, tmp_path) -> None:
    """QT_SCALE_FACTOR=2 on 1920×1080 leaves 960×540: the window and every text on every page must still fit."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "fullhd", "x": 0, "y": 0, "width": 1920, "height": 1080, "dpr": 1}]}),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "2",
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "PYTHONPATH": str(root),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "tests.gui.screenshots", "--out", str(tmp_path / "shots"), "--check-fit"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "shots" / "5-certificate.png").is_file()
