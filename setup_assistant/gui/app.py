"""Starts the wizard: `setup-assistant` with no command, or `setup-assistant --provider FILE`."""

from __future__ import annotations

import sys

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


def run_wizard(provider_path: str | None) -> int:
    """Shows the wizard; 0 when the person finished it, 1 when they closed it early, 2 for a bad provider file."""
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
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, QCoreApplication.translate("App", "Setup Assistant"), str(exc))
        return EXIT_USAGE
    services = Services(
        settings=QSettings(ORGANIZATION, APPLICATION),
        # A fixed, untranslated service name: a change of language must not lose a remembered password.
        passwords=PasswordStore(f"NPOMail Setup Assistant: {provider.id}"),
    )
    wizard = MailWizard(WizardModel(provider), services, defer_pages=True)
    exit_when_shown(wizard)  # only with SETUP_ASSISTANT_EXIT_ON_SHOWN set (bundle smoke test, start-up benchmark)
    wizard.show()
    app.exec()
    return EXIT_OK if wizard.result() == MailWizard.DialogCode.Accepted else EXIT_PROBLEM
