"""Starts the wizard: `setup-assistant` with no command, or `setup-assistant --provider FILE`."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from setup_assistant.core.provider import ProviderError, load_provider
from setup_assistant.core.resources import resource_path
from setup_assistant.gui.icons import app_icon
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.startup_probe import exit_when_shown
from setup_assistant.gui.wizard import MailWizard

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
ORGANIZATION = "NPOMail Setup Assistant"
APPLICATION = "setup-assistant"


def _install_translations(app: QCoreApplication) -> None:
    """Qt's own strings (Back, Next, Cancel) and, when shipped, ours, in the person's language."""
    locale = QLocale()
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    ours = QTranslator(app)
    folder = resource_path("i18n")
    if folder.is_dir() and ours.load(locale, "setup_assistant", "_", str(folder)):
        app.installTranslator(ours)


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An error in a slot would otherwise vanish (Qt prints it to a console the windowed app does not have)."""
    logging.getLogger("setup_assistant.gui").error("uncaught %s", kind.__name__, exc_info=(kind, exc, tb))


def _start_log() -> None:
    from setup_assistant.core import logs

    logs.start_logging(program="wizard")


def run_wizard(provider_path: str | None) -> int:
    """Shows the wizard; 0 when the person finished it, 1 when they closed it early, 2 for a bad provider file."""
    sys.excepthook = _log_uncaught
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(app_icon())
    _install_translations(app)
    try:
        provider = load_provider(provider_path)
    except ProviderError as exc:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "Setup Assistant"), str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the file's own words: never read as markup or a link
        box.exec()
        return EXIT_USAGE
    services = Services(
        settings=QSettings(ORGANIZATION, APPLICATION),
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
