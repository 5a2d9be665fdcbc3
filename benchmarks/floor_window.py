"""The start-up floor for benchmarks/bundle.py: a bare PySide6 wizard window with one page, frozen like the app.

It reports its first paint through the app's own hook (setup_assistant.gui.startup_probe), so both are timed
the same way. Not part of the app.
"""

import sys

from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage

from setup_assistant.gui.startup_probe import exit_when_shown


def main() -> int:
    app = QApplication(sys.argv[:1])
    wizard = QWizard()
    wizard.setWindowTitle("Floor")
    page = QWizardPage()
    page.setTitle("A bare PySide6 window")
    QVBoxLayout(page).addWidget(QLabel("Nothing but Qt."))
    wizard.addPage(page)
    exit_when_shown(wizard)
    wizard.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
