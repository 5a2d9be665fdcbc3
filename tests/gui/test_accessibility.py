"""A wizard a screen-reader or keyboard user can finish alone (issue 16, "Accessibility").

Every page is walked as the flow tests walk it: every control that can take the focus has a name as Qt's
accessibility layer gives it to a screen reader (labels with buddies count), the rows of the tables are read as
words, no text is smaller than the system font and no colour is hard-coded. Then the happy path and the
wrong-password path are done with key presses only: Tab, Space, Enter and typing, no mouse and no setters.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)

from setup_assistant.gui.explain import Outcome
from setup_assistant.gui.flow import PageId
from tests.gui.conftest import CHECK_TIMEOUT_MS
from tests.thunderbird_home import thunderbird_profile as _profile

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"
COLOUR = re.compile(r"#[0-9a-f]{3,8}\b|\brgba?\(|\bhsva?\(|:\s*(?!palette\()[a-z]+\s*[;}]", re.IGNORECASE)


def _name(widget: QWidget) -> str:
    """The name a screen reader gets for the widget (from Qt's accessibility interface, as AT-SPI/UIA read it)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _focusable(window: QWidget) -> list[QWidget]:
    """Visible, enabled widgets that take the focus (an empty selectable label has nothing to click on or read)."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(window)
        and w.isEnabled()
        and not (isinstance(w, QLabel) and not w.text())
    ]


def _problems(window: QWidget, what: str) -> list[str]:
    """Every focusable control without a name, item-view cell without words, small text or hard-coded colour."""
    QApplication.processEvents()
    problems = []
    system = QApplication.font().pointSizeF()
    for widget in _focusable(window):
        if not _name(widget):
            text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
            parent = widget.parentWidget()
            near = _name(parent) if parent is not None else ""
            problems.append(f"{what}: {type(widget).__name__} {text!r} in {type(parent).__name__} {near!r} has no name")
        if isinstance(widget, QAbstractItemView):
            interface = QAccessible.queryAccessibleInterface(widget)
            for i in range(interface.childCount()):
                cell = interface.child(i)
                if cell.role() in (QAccessible.Role.Cell, QAccessible.Role.TreeItem) and not cell.text(
                    QAccessible.Text.Name
                ):
                    problems.append(f"{what}: {_name(widget)!r}: cell {i} has no words")
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            size = widget.font().pointSizeF()
            fixed = widget.font().styleHint() == QFont.StyleHint.TypeWriter or widget.font().fixedPitch()
            if size < system and not fixed:
                problems.append(f"{what}: {type(widget).__name__} {_name(widget)!r} at {size} pt < {system} pt")
        if COLOUR.search(widget.styleSheet()):
            problems.append(f"{what}: {type(widget).__name__} has a fixed colour: {widget.styleSheet()!r}")
        if isinstance(widget, QLabel) and re.search(r"color\s*[:=]", widget.text(), re.IGNORECASE):
            problems.append(f"{what}: label text sets a colour: {widget.text()[:80]!r}")
    return problems


def test_every_focusable_control_on_every_page_has_a_name(make_wizard, mail_servers, services, tmp_path) -> None:
    _profile(services.home)  # a Thunderbird profile: the certificate page is shown too
    driver = make_wizard(mail_servers.provider_path)
    wizard = driver.wizard
    problems: list[str] = []
    driver.enter_address("jane.doe@example")
    wizard.address_page.show_message()
    problems += _problems(wizard, "address, invalid")
    driver.enter_address(USER)
    problems += _problems(wizard, "address")
    driver.next(PageId.PASSWORD)
    problems += _problems(wizard, "password")
    driver.enter_password("not the password")
    driver.next(PageId.CHECKING)
    problems += _problems(wizard, "checking, running")
    driver.wait_check()
    problems += _problems(wizard, "checking, done")
    driver.next(PageId.RESULT)
    assert wizard.result_page.outcome is Outcome.WRONG_PASSWORD
    wizard.result_page.details.button.click()
    problems += _problems(wizard, "result, wrong password, details")
    wizard.result_page.retype.click()
    driver.enter_password(mail_servers.users[USER])
    driver.next(PageId.CHECKING)
    driver.wait_check()
    driver.next(PageId.RESULT)
    problems += _problems(wizard, "result, works")
    driver.next(PageId.CERTIFICATE)
    problems += _problems(wizard, "certificate")
    driver.next(PageId.PROGRAMS)
    problems += _problems(wizard, "programs")
    wizard.programs_page.save_only.click()
    wizard.programs_page.folder.setText(str(tmp_path / "files"))
    driver.next(PageId.DONE)
    problems += _problems(wizard, "done")

    closed = [mail_servers.ports[n] for n in ()]  # every port closed: nothing reachable, "continue untested"
    names = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")
    import socket

    for _ in names:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed.append(s.getsockname()[1])
    driver = make_wizard(mail_servers.provider_file(tmp_path, **dict(zip(names, closed, strict=True))))
    driver.run_check(USER, "")
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.again.isDefault() and not driver.next_button().isEnabled()  # Enter: "Check again"
    result.untested.click()
    assert driver.next_button().isDefault() and not result.again.isDefault()  # continuing: Enter is Next again
    problems += _problems(driver.wizard, "result, nothing reachable")
    driver.next(PageId.PROGRAMS)
    driver.wizard.programs_page.here.click()
    problems += _problems(driver.wizard, "programs, untested")
    assert not problems, "\n".join(problems)


def test_the_caps_lock_hint_is_in_the_password_description(make_wizard, qtbot) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    driver = make_wizard(None)
    driver.enter_address(USER)
    driver.next(PageId.PASSWORD)
    field = driver.wizard.password_page.password
    plain = field.accessibleDescription()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # "A" without Shift: Caps Lock is on
        QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "A"))
    assert driver.wizard.password_page.caps.isVisibleTo(driver.wizard)
    assert "Caps Lock" in field.accessibleDescription() and plain in field.accessibleDescription()
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.accessibleDescription() == plain


def test_the_checking_rows_read_as_sentences(make_wizard, mail_servers) -> None:
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, mail_servers.users[USER])
    tree = driver.wizard.checking_page.tree
    first = tree.topLevelItem(0)
    said = first.data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert re.fullmatch(
        rf"Receiving mail \(IMAP\), port {mail_servers.ports['imap']}, STARTTLS: works, encrypted, \d+ ms", said
    ), said
    interface = QAccessible.queryAccessibleInterface(tree)
    cells = [interface.child(i).text(QAccessible.Text.Name) for i in range(interface.childCount())]
    assert said in cells  # what the accessibility layer hands on, not only the item's data
    login = tree.topLevelItem(6).data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert re.fullmatch(r"Sign-in for receiving mail \(IMAP\), port \d+: password accepted, \d+ ms", login), login


# --- keyboard only --------------------------------------------------------------------------------------------


class Keyboard:
    """A person with a keyboard: keys go to whatever has the focus, and nothing else is touched."""

    def __init__(self, qtbot, driver) -> None:
        self.qtbot = qtbot
        self.driver = driver
        self.wizard = driver.wizard
        self.wizard.activateWindow()  # what the window manager does for a new window
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.focus, key, modifier)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focus, text)

    def tab_to(self, target: QWidget, limit: int = 25) -> list[str]:
        """Tab until `target` has the focus, as a person does; fails when it is never reached. Returns the stops."""
        stops = []
        for _ in range(limit):
            if self.focus is target:
                return stops
            stops.append(_name(self.focus) or type(self.focus).__name__)
            self._visible_focus()
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(f"{_name(target)!r} never got the focus; Tab went through {stops}")

    def _visible_focus(self) -> None:
        widget = self.focus
        assert widget.isVisible() and widget.window() is self.wizard, f"{_name(widget)!r} has the focus unseen"
        assert widget.visibleRegion().boundingRect().height() > 0, f"{_name(widget)!r} is scrolled out of view"

    def cycle(self) -> list[str]:
        """The names of every Tab stop of the page, once round, from the current focus."""
        start = self.focus
        stops = []
        for _ in range(30):
            self._visible_focus()
            stops.append(_name(self.focus))
            self.key(Qt.Key.Key_Tab)
            if self.focus is start:
                return stops
        raise AssertionError(f"Tab never came back: {stops}")

    def enter(self, expect: PageId | None = None) -> None:
        self.key(Qt.Key.Key_Return)
        if expect is not None:
            self.qtbot.waitUntil(lambda: self.driver.page == expect, timeout=CHECK_TIMEOUT_MS)
            self.qtbot.waitUntil(lambda: not self.wizard.jobs.busy, timeout=CHECK_TIMEOUT_MS)


def _password_page(keys: Keyboard) -> None:
    wizard = keys.wizard
    assert keys.focus is wizard.address_page.address
    # The language box is read by its value (Qt names a combo box by its current item) after its label.
    assert keys.cycle() == ["Email address", "Your name", "English", "Cancel"]  # Next is disabled without an address
    keys.type(USER)
    assert keys.cycle() == ["Email address", "Your name", "English", "Next", "Cancel"]
    keys.key(Qt.Key.Key_Tab)
    assert keys.focus is wizard.address_page.name
    keys.type("Jane Doe")
    keys.enter(PageId.PASSWORD)  # Enter: Next, the default button
    assert keys.focus is wizard.password_page.password
    assert keys.cycle() == [
        "Password",
        "Show password",
        "Remember my password on this computer",
        "Back",
        "Next",
        "Cancel",
    ]


def test_keyboard_only_happy_path_to_saved_files(make_wizard, mail_servers, tmp_path, qtbot) -> None:
    driver = make_wizard(mail_servers.provider_path)
    wizard = driver.wizard
    keys = Keyboard(qtbot, driver)
    _password_page(keys)
    keys.type(mail_servers.users[USER])
    keys.enter(PageId.CHECKING)
    checking = wizard.checking_page
    assert keys.focus is checking.button or not checking.running  # while it runs: Stop, one key away
    driver.wait_check()
    assert keys.focus is driver.next_button()  # the check is over: Enter goes on, Space too
    keys.key(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: driver.page == PageId.RESULT)
    assert wizard.result_page.outcome is Outcome.WORKS
    keys.enter(PageId.PROGRAMS)  # Enter: Next (no certificate needed without a Thunderbird profile)

    programs = wizard.programs_page
    assert programs.save_only.isChecked()  # no mail program on this computer: saving is the choice
    stops = keys.tab_to(programs.boxes[next(iter(programs.boxes))])
    for box in programs.boxes.values():
        keys.tab_to(box)
        keys.key(Qt.Key.Key_Space)
        assert box.isChecked()
    keys.tab_to(programs.folder)
    keys.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    out = tmp_path / "for-jane"
    keys.type(str(out))
    assert programs.folder.text() == str(out), stops
    keys.enter(PageId.DONE)
    qtbot.waitUntil(lambda: not programs.running, timeout=CHECK_TIMEOUT_MS)
    assert (out / "thunderbird" / "config-v1.1.xml").is_file()
    assert (out / "outlook" / "autodiscover.xml").is_file()
    assert list((out / "apple-mail").glob("*.mobileconfig"))
    finish = wizard.button(wizard.WizardButton.FinishButton)
    assert finish.isDefault()  # Enter on the last page closes the wizard
    keys.enter()
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.result() == wizard.DialogCode.Accepted


def test_keyboard_only_wrong_password_back_to_the_password(make_wizard, mail_servers, qtbot) -> None:
    driver = make_wizard(mail_servers.provider_path)
    wizard = driver.wizard
    keys = Keyboard(qtbot, driver)
    _password_page(keys)
    keys.type("correct horse battery stapel")  # a typo
    keys.enter(PageId.CHECKING)
    driver.wait_check()
    keys.enter(PageId.RESULT)
    result = wizard.result_page
    assert result.outcome is Outcome.WRONG_PASSWORD
    assert keys.focus is result.retype and result.retype.isDefault()  # Enter retypes; it never sets up
    keys.enter(PageId.PASSWORD)
    page = wizard.password_page
    assert keys.focus is page.password and page.password.selectedText() == "correct horse battery stapel"
    keys.type(mail_servers.users[USER])  # typing replaces the selected old password
    keys.enter(PageId.CHECKING)
    driver.wait_check()
    keys.enter(PageId.RESULT)
    assert result.outcome is Outcome.WORKS
    assert driver.next_button().isDefault() and not result.retype.isDefault()
