"""The first two pages on their own: live address validation, the password page and its Caps Lock hint."""

from __future__ import annotations

import keyring.backends.fail
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from setup_assistant.core.address import validation_message
from setup_assistant.gui.capslock import infer_caps_lock
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.secrets import PasswordStore


def test_invalid_address_keeps_next_disabled_with_the_core_message(make_wizard, qtbot) -> None:
    driver = make_wizard(None)
    page = driver.wizard.address_page
    assert not driver.next_button().isEnabled()
    qtbot.keyClicks(page.address, "jane.doe")
    expected = validation_message("jane.doe")
    assert expected and "@" in expected
    qtbot.waitUntil(lambda: page.message.isVisible() and page.message.label.text() == expected)
    assert not driver.next_button().isEnabled()
    assert not page.isComplete()

    qtbot.keyClicks(page.address, "@example")
    qtbot.waitUntil(lambda: page.message.label.text() == validation_message("jane.doe@example"))
    assert not driver.next_button().isEnabled()

    qtbot.keyClicks(page.address, ".org")
    assert not page.message.isVisible()
    assert driver.next_button().isEnabled()
    qtbot.keyClick(page.address, Qt.Key.Key_Return)  # Enter advances
    assert driver.page == PageId.PASSWORD


def test_last_address_and_name_are_remembered_but_never_the_password(make_wizard, services) -> None:
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org", "Jane Doe")
    driver.next(PageId.PASSWORD)
    driver.enter_password("secret words")
    services.settings.sync()
    stored = {key: services.settings.value(key) for key in services.settings.allKeys()}
    assert stored["last/address"] == "jane.doe@example.org"
    assert stored["last/name"] == "Jane Doe"
    assert not any("secret words" in str(value) for value in stored.values())

    again = make_wizard(None)
    assert again.wizard.address_page.address.text() == "jane.doe@example.org"
    assert again.wizard.address_page.name.text() == "Jane Doe"


def _type(widget, text: str, shift: bool) -> None:
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    key = getattr(Qt.Key, f"Key_{text.upper()}") if text.isalpha() else Qt.Key.Key_1
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))


def test_caps_lock_hint_from_typed_letters(make_wizard) -> None:
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    assert not page.caps.isVisible()
    _type(page.password, "A", shift=False)  # upper case without Shift: Caps Lock is on
    assert page.caps.isVisible()
    _type(page.password, "1", shift=False)  # a digit says nothing
    assert page.caps.isVisible()
    _type(page.password, "a", shift=False)  # lower case without Shift: off
    assert not page.caps.isVisible()
    _type(page.password, "a", shift=True)  # lower case with Shift: on
    assert page.caps.isVisible()
    assert infer_caps_lock("É", shift=True) is False
    assert infer_caps_lock("-", shift=False) is None


def test_show_password_toggles_the_echo_mode(make_wizard) -> None:
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    assert page.password.echoMode() == page.password.EchoMode.Password
    page.show_password.setChecked(True)
    assert page.password.echoMode() == page.password.EchoMode.Normal
    page.show_password.setChecked(False)
    assert page.password.echoMode() == page.password.EchoMode.Password


def test_remember_is_off_by_default_and_says_where(make_wizard) -> None:
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    assert page.remember.isEnabled() and not page.remember.isChecked()
    assert "password store" in page.where.text()


def test_without_a_keyring_backend_the_option_is_disabled_and_explained(make_wizard, services) -> None:
    services.passwords = PasswordStore("x", backend=keyring.backends.fail.Keyring())
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    assert not page.remember.isEnabled() and not page.remember.isChecked()
    assert "no password store" in page.where.text()
    assert services.passwords.where() is None
    assert services.passwords.load("jane.doe@example.org") is None
    services.passwords.delete("jane.doe@example.org")  # nothing to forget, no error


def test_a_slow_password_store_never_freezes_the_window(make_wizard, services, memory_keyring, qtbot) -> None:
    """An OS store waiting for its unlock prompt is asked on the pool: the window keeps processing events."""
    import time

    from PySide6.QtCore import QElapsedTimer, QTimer

    from setup_assistant.gui.flow import PageId as Page

    class SlowKeyring(type(memory_keyring)):  # type: ignore[misc]
        def get_password(self, service: str, username: str) -> str | None:
            time.sleep(1.0)  # as long as a person takes to answer "unlock your keyring"
            return "remembered"

    services.passwords = PasswordStore("x", backend=SlowKeyring())
    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    stalls: list[int] = []
    clock = QElapsedTimer()
    clock.start()

    def tick() -> None:
        stalls.append(clock.restart())

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    driver.wizard.next()
    qtbot.waitUntil(lambda: driver.page == Page.PASSWORD, timeout=5000)
    page = driver.wizard.password_page
    assert "Looking" in page.where.text() and not page.remember.isEnabled()  # still asking, window alive
    with qtbot.waitSignal(page.store_checked, timeout=5000):
        pass
    timer.stop()
    assert max(stalls) < 400, f"the event loop stalled {max(stalls)} ms"
    assert page.password.text() == "remembered" and page.remember.isChecked()


def test_the_caps_lock_hint_does_not_move_the_box_below_it(make_wizard, qtbot) -> None:
    from PySide6.QtCore import QPoint

    driver = make_wizard(None)
    driver.enter_address("jane.doe@example.org")
    driver.next(PageId.PASSWORD)
    page = driver.wizard.password_page
    qtbot.waitUntil(lambda: page.remember.isEnabled())
    QApplication.processEvents()
    where = page.show_password.mapTo(driver.wizard, QPoint(0, 0))
    remember = page.remember.mapTo(driver.wizard, QPoint(0, 0))
    _type(page.password, "A", shift=False)  # Caps Lock on: the hint appears
    assert page.caps.isVisible()
    QApplication.processEvents()
    assert page.show_password.mapTo(driver.wizard, QPoint(0, 0)) == where, "the check box moved under the pointer"
    assert page.remember.mapTo(driver.wizard, QPoint(0, 0)) == remember
