"""Saves the help-desk report off the GUI thread: its DNS lookups can take seconds on a bad network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from setup_assistant.core.i18n import human
from setup_assistant.core.os_errors import os_reason
from setup_assistant.gui.saving import save_report

if TYPE_CHECKING:
    from setup_assistant.core.probing.account_check import AccountCheck
    from setup_assistant.gui.jobs import JobRunner


class ReportSaver(QObject):
    saved = Signal(object)  # (html path, json path)
    failed = Signal(str)

    def __init__(self, jobs: JobRunner | None, label: QLabel, button: QPushButton, parent: QObject) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.label = label
        self.button = button

    def save(self, check: AccountCheck, path: Path) -> None:
        self.button.setEnabled(False)
        self.label.setText(self.tr("Saving the report (this also checks your domain's DNS)…"))
        if self.jobs is None:
            try:
                self._done(save_report(check, path))
            except OSError as exc:
                self._error(exc)
            return
        self.jobs.start(lambda _report: save_report(check, path), on_result=self._done, on_error=self._error)

    def _done(self, paths: object) -> None:
        self.button.setEnabled(True)
        assert isinstance(paths, tuple)
        html_path, json_path = paths
        self.label.setText(
            self.tr("Saved: {html} (and the same data in {json}). It contains no password.").format(
                html=html_path, json=Path(json_path).name
            )
        )
        self.saved.emit(paths)

    def _error(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        reason = human(os_reason(exc))
        self.label.setText(self.tr("The report could not be saved: {error}").format(error=reason))
        self.failed.emit(reason)
