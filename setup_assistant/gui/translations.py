"""The wizard's language: Qt's own catalog (`qtbase_<lang>`: Back, Next, Cancel, file dialogs) and ours
(`setup_assistant_<lang>.qm`), for the one language `i18n.current_language()` names, so that the wizard and the
core's gettext messages always agree. Switching installs the new pair and removes the old one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator

from setup_assistant.core import i18n

SETTING = "language"  # the choice made on the first page, remembered for the next start
_installed: list[QTranslator] = []


def remembered(settings: QSettings) -> str | None:
    """The language chosen on the first page last time, if it is one the app still speaks."""
    return i18n.normalize(str(settings.value(SETTING, "") or ""))


def install(app: QCoreApplication, language: str | None) -> str:
    """Makes `language` (None: the system's) the language of the core and the wizard; returns the one in use."""
    code = i18n.set_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    if code == i18n.DEFAULT:  # the source texts are English, Qt's too
        return code
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt)
    ours = QTranslator(app)
    catalog = i18n.qt_catalog(code)
    if catalog is not None and ours.load(str(catalog)):
        _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
    return code
