"""Everything a person can read in the Spanish wizard is Spanish: not only the wizard's own texts (the .ts), but
what the core says and the wizard shows (server details, certificate places, findings, the next steps), on the
paths real people take: a mistyped password, a server that cannot be reached, and the whole way to Done.

Reads what a sighted person and a screen reader get alike: label and button texts, tooltips, table cells,
accessible names and descriptions, on every page visited.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QTableWidget,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)

from setup_assistant.core.clients import Client
from setup_assistant.gui import translations
from setup_assistant.gui.flow import PageId
from tests.english_leaks import english_lines
from tests.gui.test_layout_fits import _profile
from tests.gui.test_no_network import _closed_provider

pytestmark = pytest.mark.servers

USER = "jane.doe@example.org"
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture(autouse=True)
def _spanish(qapp) -> Iterator[None]:
    translations.install(qapp, "es")
    yield
    translations.install(qapp, "en")


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text))


def readable_texts(root: QWidget) -> list[str]:
    """What can be read on `root` now: visible texts, tooltips, table cells, accessible names and descriptions."""
    widgets = [root, *root.findChildren(QWidget)]
    out: list[str] = []
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel):
            out.append(_plain(widget.text()))
        elif isinstance(widget, QAbstractButton):
            out.append(widget.text().replace("&", ""))
        out += [_plain(widget.toolTip()), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QTreeWidget):
            items = QTreeWidgetItemIterator(widget)
            while items.value():
                item = items.value()
                for column in range(widget.columnCount()):
                    spoken = item.data(column, Qt.ItemDataRole.AccessibleTextRole)  # a screen reader's row
                    out += [item.text(column), _plain(item.toolTip(column)), spoken if isinstance(spoken, str) else ""]
                items += 1
        if isinstance(widget, QTableWidget):
            headers = [widget.horizontalHeaderItem(c) for c in range(widget.columnCount())]
            out += [h.text() for h in headers if h is not None]
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    cell = widget.item(row, column)
                    if cell is not None:
                        out += [cell.text(), _plain(cell.toolTip())]
    return [t for t in out if t and t.strip()]


class Reader:
    def __init__(self, wizard) -> None:
        self.wizard = wizard
        self.leaks: list[str] = []

    def look(self, where: str) -> None:
        page = self.wizard.currentPage()
        texts = [page.title(), _plain(page.subTitle()), *readable_texts(page)]
        self.leaks += [f"{where}: {line.strip()}" for t in texts for line in english_lines(t)]


def test_a_mistyped_password_then_the_whole_way_to_done_reads_in_spanish(
    make_wizard, mail_servers, services, tmp_path, qtbot
) -> None:
    _profile(services.home)  # a Thunderbird profile: the certificate page and the saved password are shown
    driver = make_wizard(mail_servers.provider_path)
    wizard, reader = driver.wizard, Reader(driver.wizard)
    driver.run_check(USER, "not the password")
    reader.look("checking, wrong password")
    driver.next(PageId.RESULT)
    reader.look("result, wrong password")
    wizard.result_page.retype.click()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.PASSWORD)
    driver.enter_password(mail_servers.users[USER])
    driver.next(PageId.CHECKING)
    driver.wait_check()
    reader.look("checking, works")
    driver.next(PageId.RESULT)
    wizard.result_page.details.button.click()
    reader.look("result, details")
    driver.next(PageId.CERTIFICATE)
    reader.look("certificate")
    driver.next(PageId.PROGRAMS)
    reader.look("programs")
    driver.next(PageId.DONE)
    qtbot.waitUntil(lambda: not wizard.jobs.busy, timeout=30_000)
    reader.look("done")
    assert not reader.leaks, "English in the Spanish wizard:\n" + "\n".join(reader.leaks)


def test_a_server_that_cannot_be_reached_reads_in_spanish(make_wizard, mail_servers, services, tmp_path, qtbot) -> None:
    provider, _closed = _closed_provider(mail_servers, tmp_path)
    driver = make_wizard(provider)
    wizard, reader = driver.wizard, Reader(driver.wizard)
    driver.run_check(USER, "the password")
    reader.look("checking, refused")
    driver.next(PageId.RESULT)
    wizard.result_page.details.button.click()
    reader.look("result, nothing reachable")
    wizard.result_page.untested.click()
    driver.next(PageId.PROGRAMS)
    reader.look("programs, untested, nothing ticked")
    wizard.programs_page.boxes[Client.THUNDERBIRD].click()
    wizard.programs_page.folder.setText(str(tmp_path / "files"))
    reader.look("programs, untested")
    driver.next(PageId.DONE)
    reader.look("done, untested")
    assert not reader.leaks, "English in the Spanish wizard:\n" + "\n".join(reader.leaks)
