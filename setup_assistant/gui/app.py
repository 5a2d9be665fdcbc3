"""Starts the wizard: `setup-assistant` with no command, or `setup-assistant --provider FILE`."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from setup_assistant.core.i18n import human
from setup_assistant.core.provider import ProviderError, load_provider
from setup_assistant.gui.icons import app_icon
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.startup_probe import exit_when_shown
from setup_assistant.gui.translations import install, remembered
from setup_assistant.gui.wizard import MailWizard

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
ORGANIZATION = "NPOMail Setup Assistant"
APPLICATION = "setup-assistant"


def _install_translations(app: QCoreApplication, settings: QSettings, language: str | None) -> str:
    """Qt's own strings (Back, Next, Cancel) and ours in the chosen language: `--lang`, else the one picked on
    the first page last time, else the system's (i18n.system_language: Windows display language, macOS
    preferred languages, LANG), never QLocale's formats locale. Returns the language in use."""
    return install(app, language or remembered(settings))


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An error in a slot would otherwise vanish (Qt prints it to a console the windowed app does not have)."""
    logging.getLogger("setup_assistant.gui").error("uncaught %s", kind.__name__, exc_info=(kind, exc, tb))


def _start_log() -> None:
    from setup_assistant.core import logs

    logs.start_logging(program="wizard")


def run_wizard(provider_path: str | None, language: str | None = None) -> int:
    """Shows the wizard; 0 when the person finished it, 1 when they closed it early, 2 for a bad provider file.

    `language` is `--lang`'s; None means the remembered choice, else the system's."""
    sys.excepthook = _log_uncaught
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(app_icon())
    settings = QSettings(ORGANIZATION, APPLICATION)
    _install_translations(app, settings, language)
    try:
        provider = load_provider(provider_path)
    except ProviderError as exc:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "Setup Assistant"), human(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the file's own words: never read as markup or a link
        box.exec()
        return EXIT_USAGE
    services = Services(
        settings=settings,
        # A fixed, untranslated service name: a change of language must not lose a remembered password.
        passwords=PasswordStore(f"NPOMail Setup Assistant: {provider.id}"),
    )
    wizard = MailWizard(WizardModel(provider), services, defer_pages=True)
    exit_when_shown(wizard)  # only with SETUP_ASSISTANT_EXIT_ON_SHOWN set (bundle smoke test, start-up benchmark)
    # The log starts once the first page is painted: its handler loads socket and opens a file, neither of which
    # the first paint may wait for (tests/gui/test_startup_first_page.py).
    wizard.after_first_paint.append(_start_log)
    wizard.show()
    app.exec()
    return EXIT_OK if wizard.result() == MailWizard.DialogCode.Accepted else EXIT_PROBLEM
