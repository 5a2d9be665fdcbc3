"""The wizard as its own process for the AT-SPI test: `python -m tests.gui.atspi_wizard PROVIDER FOLDER`.

Injected services as in tests/gui/conftest.py (settings, home and a password store in FOLDER, never the real
user's); everything else is the real wizard on the platform given by QT_QPA_PLATFORM (xcb under Xvfb).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from setup_assistant.core.provider import load_provider
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.wizard import MailWizard
from tests.gui.memory_keyring import MemoryKeyring

APPLICATION = "setup-assistant-atspi-test"


def main(provider: str, folder: str) -> int:
    app = QApplication([sys.argv[0]])
    app.setApplicationName(APPLICATION)
    base = Path(folder)
    (base / "home").mkdir(parents=True, exist_ok=True)
    services = Services(
        settings=QSettings(str(base / "settings.ini"), QSettings.Format.IniFormat),
        passwords=PasswordStore("AT-SPI test mail", backend=MemoryKeyring()),
        platform="linux",
        home=base / "home",
        app_data=base / "app-data",
        documents=base / "documents",
    )
    wizard = MailWizard(WizardModel(load_provider(provider)), services)
    wizard.show()
    wizard.activateWindow()  # Xvfb has no window manager to give the new window the keyboard focus
    print("shown", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
