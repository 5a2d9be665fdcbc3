"""No network, or the server cannot be reached: the files and the sheet can still be prepared, marked untested,
and nothing goes into this computer's mail programs unless the person confirms it (issue 12).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from setup_assistant.core.clients import Client
from setup_assistant.gui.explain import Outcome
from setup_assistant.gui.flow import PageId
from tests.thunderbird_home import thunderbird_profile as _thunderbird_profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"
NAMES = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")


def _closed_provider(mail_servers, tmp_path: Path) -> tuple[Path, list[int]]:
    closed = []
    for _ in NAMES:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed.append(s.getsockname()[1])
    return mail_servers.provider_file(tmp_path, **dict(zip(NAMES, closed, strict=True))), closed


def _texts(layout) -> list[str]:
    return [
        w.label.text()
        for i in range(layout.count())
        if (w := layout.itemAt(i).widget()) is not None and hasattr(w, "label")
    ]


def _click(qtbot, widget) -> None:
    """A click on the box or the circle itself (a check box's row may be wider than what it reacts to)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def _to_programs_untested(driver, provider: Path, qtbot) -> None:
    driver.run_check(USER, "the password")
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.NO_CONNECTION
    assert not driver.next_button().isEnabled()
    assert result.untested.isVisible()
    _click(qtbot, result.untested)  # "Continue anyway with the published settings (not tested)"
    assert driver.next_button().isEnabled()
    driver.next(PageId.PROGRAMS)  # no certificate page: nothing was checked


def test_nothing_reachable_explains_and_saves_untested_files_and_the_sheet(
    make_wizard, mail_servers, services, tmp_path, qtbot
) -> None:
    profile = _thunderbird_profile(services.home)
    provider, closed = _closed_provider(mail_servers, tmp_path)
    driver = make_wizard(provider)
    driver.run_check(USER, "the password")
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    what, to_check = _texts(result.findings)[:2]
    assert f"ports {closed[0]} and {closed[1]} for receiving mail (IMAP)" in what  # what was tried
    assert "refused" in what
    assert "connected to the internet" in to_check and "VPN" in to_check  # what to check
    assert not driver.next_button().isEnabled()
    driver.wizard.back()
    driver.wizard.back()
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.wizard.checking_page.button.setFocus()
    driver.next(PageId.RESULT)

    assert result.untested.isVisible() and not result.untested.isChecked()
    where = result.untested.mapTo(driver.wizard, QPoint(0, 0))
    _click(qtbot, result.untested)
    qtbot.wait(50)
    assert result.untested.mapTo(driver.wizard, QPoint(0, 0)) == where, "the tick box moved under the pointer"
    assert "not tested" in result.untested_why.text()
    driver.next(PageId.PROGRAMS)
    programs = driver.wizard.programs_page
    assert programs.here.isEnabled() and programs.save_only.isChecked()  # untested: saving is the default
    for client in (Client.OUTLOOK, Client.APPLE_MAIL, Client.THUNDERBIRD):
        if programs.boxes[client].isChecked():
            _click(qtbot, programs.boxes[client])
    assert not driver.next_button().isEnabled()
    assert programs.hint.isVisible() and "Tick at least one program" in programs.hint.label.text()
    _click(qtbot, programs.boxes[Client.THUNDERBIRD])
    assert not programs.hint.isVisible()

    _click(qtbot, programs.here)  # set up here: only after confirming
    assert programs.confirm_untested.isVisible()
    assert not driver.next_button().isEnabled()
    assert "not tested" in programs.hint.label.text()
    _click(qtbot, programs.save_only)

    out = tmp_path / "for-jane"
    qtbot.keyClick(programs.folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(programs.folder, str(out))
    driver.next(PageId.DONE)
    autoconfig = (out / "thunderbird" / "config-v1.1.xml").read_text(encoding="utf-8")
    assert f"<port>{closed[0]}</port>" in autoconfig  # the provider's published settings
    assert not (profile / "prefs.js").exists(), "nothing was set up on this computer"
    done = driver.wizard.done_page
    assert done.title() == "Files saved (not tested)"
    assert "All set" not in done.title() and "ready to use" not in done.subTitle()
    assert any(t.startswith("Not tested") for t in _texts(done.done_box))
    sheet = tmp_path / "sheet.html"
    done.save_sheet_to(sheet)
    assert str(closed[0]) in sheet.read_text(encoding="utf-8")


def test_setting_up_here_untested_needs_a_confirmation_and_says_not_tested(
    make_wizard, mail_servers, services, tmp_path, qtbot
) -> None:
    profile = _thunderbird_profile(services.home)
    provider, _closed = _closed_provider(mail_servers, tmp_path)
    driver = make_wizard(provider)
    _to_programs_untested(driver, provider, qtbot)
    programs = driver.wizard.programs_page
    _click(qtbot, programs.here)
    assert programs.boxes[Client.THUNDERBIRD].isChecked()
    assert not driver.next_button().isEnabled()
    _click(qtbot, programs.confirm_untested)
    assert driver.next_button().isEnabled()
    driver.next(PageId.DONE)
    assert USER in (profile / "prefs.js").read_text(encoding="utf-8")
    done = driver.wizard.done_page
    assert done.title() == "Set up, not tested"
    assert any(t.startswith("Not tested") for t in _texts(done.done_box))


def test_set_up_without_a_password_is_not_called_tested(make_wizard, mail_servers, services, qtbot) -> None:
    profile = _thunderbird_profile(services.home)
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, "")  # setting up for someone else: no password typed
    driver.next(PageId.RESULT)
    driver.next(PageId.CERTIFICATE)
    certificate = driver.wizard.certificate_page
    _click(qtbot, certificate.install)
    qtbot.waitUntil(lambda: not certificate.running, timeout=30_000)
    driver.next(PageId.PROGRAMS)
    assert driver.wizard.programs_page.here.isChecked()
    driver.next(PageId.DONE)
    assert USER in (profile / "prefs.js").read_text(encoding="utf-8")
    done = driver.wizard.done_page
    assert done.title() == "Set up" and "the password was not" in done.subTitle()
