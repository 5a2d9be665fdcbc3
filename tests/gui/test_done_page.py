"""The Done page's buttons: a failure to open says so and shows the path; Save dialogs start in Documents or home,
never in the working directory (issue 12).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLineEdit

from setup_assistant.core.provider import load_provider
from setup_assistant.gui.model import DoneItem, WizardModel
from setup_assistant.gui.pages.done import DonePage


@pytest.fixture
def done_page(qtbot, tmp_path):
    def make(*items: DoneItem) -> DonePage:
        model = WizardModel(load_provider(None), address_text="jane.doe@example.org", save_only=True)
        model.done = list(items)
        page = DonePage(model)
        qtbot.addWidget(page)
        page.resize(600, 500)
        page.initializePage()
        page.show()
        return page

    return make


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() // 2))


def test_open_failures_say_so_and_show_the_path(done_page, qtbot, tmp_path, monkeypatch) -> None:
    instructions = tmp_path / "a folder with a long name" / "thunderbird" / "instructions.html"
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))  # no program for .html
    page = done_page(
        DoneItem("Thunderbird: files and instructions saved.", instructions, "Open the instructions"),
        DoneItem("Thunderbird: your account was added.", None, "Start &Thunderbird", ("/nonexistent/thunderbird",)),
    )
    paths = [f.text() for f in page.findChildren(QLineEdit)]
    assert str(instructions) in paths  # shown whole, selectable and copyable
    field = next(f for f in page.findChildren(QLineEdit) if f.text() == str(instructions))
    assert field.isReadOnly() and field.isVisible()

    open_instructions, start_thunderbird = page.open_buttons
    assert not any(f.isVisible() for f in page.open_failures)
    _click(qtbot, open_instructions)
    assert page.open_failures[0].isVisible()
    assert "could not open it" in page.open_failures[0].label.text()
    _click(qtbot, start_thunderbird)  # a program that is not there: QProcess cannot start it
    assert page.open_failures[1].isVisible()
    assert "Thunderbird could not be started" in page.open_failures[1].label.text()


@pytest.mark.parametrize("has_documents", [True, False])
def test_save_dialogs_start_in_documents_or_home_never_the_working_directory(
    done_page, qtbot, tmp_path, monkeypatch, has_documents
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    if has_documents:
        (home / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    asked: list[str] = []

    def dialog(_parent, _title, start, _filter):
        asked.append(start)
        return "", ""  # the person cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    page = done_page()
    _click(qtbot, page.sheet_button)
    expected = home / "Documents" if has_documents else home
    assert [Path(a).parent for a in asked] == [expected]
    assert not page.saved.text()


def test_the_folder_dialog_starts_at_the_nearest_existing_folder(tmp_path, monkeypatch) -> None:
    from setup_assistant.gui.widgets import start_folder

    monkeypatch.chdir(tmp_path)
    (tmp_path / "Documents").mkdir()
    assert start_folder(tmp_path / "Documents" / "NPOMail setup for jane") == tmp_path / "Documents"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert start_folder(Path("relative/folder")) == tmp_path / "home"  # never the working directory
