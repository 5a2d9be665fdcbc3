"""Fixtures for the wizard: injected services (temporary settings, home and password store), and a driver."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWizard

from setup_assistant.core.provider import load_provider
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.wizard import MailWizard
from tests.gui.memory_keyring import MemoryKeyring

SERVICE = "Test Mail mail"
CHECK_TIMEOUT_MS = 30_000


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def services(tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))  # the core's written-profiles history
    home = tmp_path / "home"
    home.mkdir()
    return Services(
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        passwords=PasswordStore(SERVICE, backend=memory_keyring),
        platform="linux",
        home=home,
        app_data=tmp_path / "app-data",
        documents=tmp_path / "documents",
    )


class Driver:
    """Drives a MailWizard like a person with a keyboard."""

    def __init__(self, qtbot, wizard: MailWizard) -> None:
        self.qtbot = qtbot
        self.wizard = wizard

    @property
    def page(self) -> int:
        return self.wizard.currentId()

    def next_button(self):
        return self.wizard.button(QWizard.WizardButton.NextButton)

    def next(self, expect: PageId | None = None) -> None:
        assert self.next_button().isEnabled(), f"Next is disabled on page {PageId(self.page).name}"
        self.wizard.next()
        if expect is not None:
            self.qtbot.waitUntil(lambda: self.page == expect, timeout=CHECK_TIMEOUT_MS)
        if expect in (PageId.PASSWORD, PageId.RESULT):
            # The password store is asked on the pool (it may show an unlock prompt): wait for its answer.
            self.qtbot.waitUntil(lambda: not self.wizard.jobs.busy, timeout=CHECK_TIMEOUT_MS)

    def enter_address(self, address: str, name: str = "Jane Doe") -> None:
        page = self.wizard.address_page
        page.address.clear()
        self.qtbot.keyClicks(page.address, address)
        page.name.clear()
        self.qtbot.keyClicks(page.name, name)

    def enter_password(self, password: str) -> None:
        page = self.wizard.password_page
        page.password.clear()
        page.password.setText(password)  # keyClicks cannot type every character (the test users have some)

    def run_check(self, address: str, password: str) -> None:
        self.enter_address(address)
        self.next(PageId.PASSWORD)
        self.enter_password(password)
        self.next(PageId.CHECKING)
        self.wait_check()

    def wait_check(self) -> None:
        page = self.wizard.checking_page
        self.qtbot.waitUntil(lambda: not page.running, timeout=CHECK_TIMEOUT_MS)


@pytest.fixture
def make_wizard(qtbot, services: Services) -> Iterator:
    made: list[MailWizard] = []

    def make(provider_path: Path | str | None, **model_fields: object) -> Driver:
        model = WizardModel(load_provider(provider_path), **model_fields)  # type: ignore[arg-type]
        wizard = MailWizard(model, services)
        # pytest-qt closes it after the test: done() first, since a close midway asks "Close the assistant?"
        qtbot.addWidget(wizard, before_close_func=lambda w: w.done(0) if w.isVisible() else None)
        wizard.show()
        made.append(wizard)
        return Driver(qtbot, wizard)

    yield make
    for wizard in made:
        wizard.stop_work()


@pytest.fixture
def blackhole() -> Iterator:
    """Listening sockets on 127.0.0.1 that never accept or answer: a port a firewall silently drops."""
    sockets: list[socket.socket] = []

    def port() -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sockets.append(sock)
        return int(sock.getsockname()[1])

    yield port
    for sock in sockets:
        sock.close()
