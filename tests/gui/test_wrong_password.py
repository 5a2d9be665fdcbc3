"""A mistyped password, the most common failure, is the easiest to recover from (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from setup_assistant.core.model import MailProtocol
from setup_assistant.gui.explain import Outcome
from setup_assistant.gui.flow import PageId

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"


def _press(widget, text: str, shift: bool = False) -> None:
    """A key as a keyboard sends it: with Caps Lock on, "A" arrives without Shift."""
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    key = getattr(Qt.Key, f"Key_{text.upper()}")
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))


def test_going_back_selects_the_rejected_password_and_rechecks_only_the_logins(
    make_wizard, mail_servers, qtbot, monkeypatch
) -> None:
    from setup_assistant.core.probing import account_check

    probes: list[int] = []
    real_probe = account_check.probe_provider

    def counting_probe(*args, **kwargs):
        probes.append(1)
        return real_probe(*args, **kwargs)

    monkeypatch.setattr(account_check, "probe_provider", counting_probe)
    driver = make_wizard(mail_servers.provider_path)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    qtbot.keyClicks(page.password, "correct horse battery stapel")  # a typo
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.WRONG_PASSWORD
    assert probes == [1]

    qtbot.mouseClick(result.retype, Qt.MouseButton.LeftButton)  # "Type the password again"
    assert driver.page == PageId.PASSWORD
    assert driver.wizard.focusWidget() is page.password
    assert page.password.selectedText() == "correct horse battery stapel"  # typing replaces it

    _press(page.password, "A")  # Caps Lock on: the hint still works after coming back
    assert page.password.text() == "A"
    assert page.caps.isVisible()
    qtbot.keyClick(page.password, Qt.Key.Key_Backspace)
    _press(page.password, "c")
    assert not page.caps.isVisible()
    qtbot.keyClicks(page.password, "orrect horse battery staple")
    assert page.password.text() == mail_servers.users[USER]

    qtbot.keyClick(page.password, Qt.Key.Key_Return)  # Enter: check again
    assert driver.page == PageId.CHECKING
    checking = driver.wizard.checking_page
    provider = driver.wizard.model.provider
    assert [checking.row_status(e) for e in provider.endpoints()] == ["ok"] * 6  # known, not pending again
    driver.wait_check()
    assert probes == [1], "the ports were probed again although only the password changed"
    assert [checking.row_status(p) for p in MailProtocol] == ["ok"] * 3
    assert checking.bar.value() == checking.bar.maximum()
    driver.next(PageId.RESULT)
    assert result.outcome is Outcome.WORKS

    # "Check again" on the result page still checks everything.
    driver.wizard.back()
    qtbot.mouseClick(checking.button, Qt.MouseButton.LeftButton)
    driver.wait_check()
    assert probes == [1, 1]
