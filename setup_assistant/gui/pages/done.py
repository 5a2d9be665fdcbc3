"""Page 7: what was done and where the files went, buttons to open them, and the guide's next steps."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, QWizardPage

from setup_assistant.core.i18n import human
from setup_assistant.core.os_errors import os_reason
from setup_assistant.gui.guide import next_steps
from setup_assistant.gui.icons import Status
from setup_assistant.gui.model import DoneItem, WizardModel
from setup_assistant.gui.pages.result import report_file_name
from setup_assistant.gui.report_saver import ReportSaver
from setup_assistant.gui.saving import save_settings_sheet
from setup_assistant.gui.widgets import (
    StatusLine,
    ask_save_path,
    clear_layout,
    path_field,
    scroll_body,
    text_label,
)

if TYPE_CHECKING:
    from setup_assistant.gui.jobs import JobRunner


def sheet_file_name(address: str) -> str:
    return report_file_name(address).replace("mail-check-", "email-settings-").removesuffix(".html") + ".html"


class DonePage(QWizardPage):
    def __init__(self, model: WizardModel, jobs: JobRunner | None = None) -> None:
        super().__init__()
        self.model = model
        self.jobs = jobs
        self.setTitle(self.tr("All set"))
        layout = scroll_body(self)
        self.done_box = QVBoxLayout()
        layout.addLayout(self.done_box)
        layout.addSpacing(8)
        self.next_heading = QLabel(self.tr("<b>What next</b>"))
        layout.addWidget(self.next_heading)
        self.next_steps = text_label(rich=True)
        self.next_steps.setAccessibleName(self.tr("What next"))
        layout.addWidget(self.next_steps)
        layout.addStretch(1)

        buttons = QHBoxLayout()  # outside the scroll area: always in view
        buttons.setContentsMargins(0, 6, 0, 0)
        self.sheet_button = QPushButton(self.tr("Save a &settings sheet…"))
        self.sheet_button.setAccessibleDescription(self.tr("A printable page with your settings; no password."))
        self.sheet_button.clicked.connect(self.save_sheet_dialog)
        self.report_button = QPushButton(self.tr("Save a &report for the help desk…"))
        self.report_button.setAccessibleDescription(self.tr("The check's details as a file; no password."))
        self.report_button.clicked.connect(self.save_report_dialog)
        buttons.addWidget(self.sheet_button)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        self.saved = text_label(selectable=True)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.addLayout(buttons)
        outer.addWidget(self.saved)
        self.reporter = ReportSaver(self.jobs, self.saved, self.report_button, self)
        self.open_buttons: list[QPushButton] = []
        self.open_failures: list[StatusLine] = []

    def initializePage(self) -> None:
        self.saved.clear()
        clear_layout(self.done_box)
        self.open_buttons = []
        self.open_failures = []
        title, subtitle = self.headline()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        if not self.model.tested:
            self.done_box.addWidget(
                StatusLine(
                    Status.WARNING,
                    self.tr(
                        "Not tested: the {provider} servers could not be reached from here, so these are the "
                        "provider's published settings. Once the computer is online, run the assistant again to "
                        "check them."
                    ).format(provider=self.model.provider.name),
                )
            )
        for item in self.model.done:
            self.done_box.addWidget(self._done_row(item))
        self._password_lines()
        self.next_steps.setText(self._next_steps_html())

    def headline(self) -> tuple[str, str]:
        """Title and subtitle that say what really happened: tested, not tested, or files for another computer."""
        address = self.model.require_address().address
        check = self.model.check
        if self.model.save_only:
            if self.model.tested:
                subtitle = self.tr(
                    "Nothing was set up on this computer: the files for {address} are ready for the other computer."
                ).format(address=address)
                if check is not None and check.login_rejected:
                    subtitle += " " + self.tr(
                        "The server did not accept the password typed here: check it, or ask your postmaster to "
                        "reset it."
                    )
                return self.tr("Files saved"), subtitle
            return self.tr("Files saved (not tested)"), self.tr(
                "Nothing was set up on this computer: the files for {address} use settings that could not be "
                "tested from here."
            ).format(address=address)
        if not self.model.tested:
            return self.tr("Set up, not tested"), self.tr(
                "{address} is set up with settings that could not be tested from here."
            ).format(address=address)
        if check is not None and check.login_rejected:
            return self.tr("Set up, but the password was not accepted"), self.tr(
                "{address} is set up, but the server did not accept the password: check it, or ask your "
                "postmaster to reset it."
            ).format(address=address)
        if self.model.certificate_missing:
            return self.tr("Set up: accept the certificate once"), self.tr(
                "{address} is set up, but {programs} will ask you to accept the server's certificate, because the "
                "{provider} certificate was not installed."
            ).format(
                address=address,
                programs=", ".join(human(p) for p in self.model.certificate_missing),
                provider=self.model.provider.name,
            )
        if check is not None and check.logins_ok:
            return self.tr("All set"), self.tr("Your email {address} is set up and tested.").format(address=address)
        if check is not None and not check.password_given:
            return self.tr("Set up"), self.tr(
                "{address} is set up and the servers were tested; the password was not (none was typed), so your "
                "mail program will ask for it."
            ).format(address=address)
        return self.tr("Set up, sign-in not tested"), self.tr(
            "{address} is set up and the servers answer, but signing in could not be completed during the check."
        ).format(address=address)

    def _password_lines(self) -> None:
        """Where the password is kept. One place for every such line: which programs have it and which will ask."""
        if self.model.password_saved_in:
            self.done_box.addWidget(
                StatusLine(
                    Status.INFO,
                    self.tr("Your password is kept in {where}.").format(where=self.model.password_saved_in),
                )
            )

    def _done_row(self, item: DoneItem) -> QWidget:
        row = QWidget()
        outer = QVBoxLayout(row)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(StatusLine(Status.INFO if item.note else Status.OK, item.text), 1)
        outer.addLayout(top)
        if item.path is not None:
            path = path_field(item.path)
            path.setContentsMargins(28, 0, 0, 0)
            outer.addWidget(path)
        if item.open_label:
            failure = StatusLine(Status.WARNING, "", icon_size=16)
            failure.setVisible(False)
            button = QPushButton(item.open_label)
            button.setAccessibleDescription(item.text + (f" {item.path}" if item.path else ""))
            button.clicked.connect(lambda _checked=False, it=item, f=failure: self._open_clicked(it, f))
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            outer.addWidget(failure)
            self.open_buttons.append(button)
            self.open_failures.append(failure)
        return row

    def _open_clicked(self, item: DoneItem, failure: StatusLine) -> None:
        """Opening can fail (no program for the file type, a program that will not start): say so, never silently."""
        if self.open_item(item):
            failure.setVisible(False)
            return
        if item.command:
            text = self.tr("{program} could not be started. Start it yourself from your computer's menu.").format(
                program=item.open_label.replace("&", "") if item.open_label else item.command[0]
            )
        else:
            text = self.tr(
                "This computer could not open it. Open it yourself: the path is shown above (select it to copy it)."
            )
        failure.set(Status.WARNING, text)
        failure.setVisible(True)

    def open_item(self, item: DoneItem) -> bool:
        from PySide6.QtCore import QProcess, QUrl
        from PySide6.QtGui import QDesktopServices

        if item.command:
            started = QProcess.startDetached(item.command[0], list(item.command[1:]))
            # PySide6 returns (ok, pid) here: a non-empty tuple is always true, even when nothing started.
            return bool(started[0] if isinstance(started, tuple) else started)
        if item.path is not None:
            return QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.path)))
        return False

    def _next_steps_html(self) -> str:
        address = self.model.require_address()
        parts = []
        for step in next_steps(self.model.provider, address, self.model.protocol):
            text = f"<b>{html.escape(step.title)}:</b> {html.escape(step.text)}"
            if step.link:
                link = html.escape(step.link, quote=True)
                text += f' <a href="{link}">{link}</a>'
            parts.append(f"<p>{text}</p>")
        return "".join(parts)

    # --- saving -----------------------------------------------------------------------------------------------

    def save_sheet_dialog(self) -> None:
        address = self.model.require_address().address
        path = ask_save_path(
            self, self.tr("Save a settings sheet"), sheet_file_name(address), self.tr("Web page (*.html);;PDF (*.pdf)")
        )
        if path is not None:
            self.save_sheet_to(path)

    def save_sheet_to(self, path: Path) -> None:
        try:
            save_settings_sheet(self.model.settings(), path)
        except OSError as exc:
            self.saved.setText(
                self.tr("The settings sheet could not be saved: {error}").format(error=human(os_reason(exc)))
            )
            return
        except ValueError as exc:  # a name or address that cannot go into a file (the core explains which)
            self.saved.setText(self.tr("The settings sheet could not be saved: {error}").format(error=exc))
            return
        if path.suffix.lower() == ".pdf":
            self.saved.setText(self.tr("Saved: {path}. It does not contain your password.").format(path=path))
        else:
            self.saved.setText(
                self.tr("Saved: {path}. Open it in a browser to print it; it does not contain your password.").format(
                    path=path
                )
            )

    def save_report_dialog(self) -> None:
        address = self.model.require_address().address
        path = ask_save_path(
            self, self.tr("Save a report for the help desk"), report_file_name(address), self.tr("Report (*.html)")
        )
        if path is not None:
            self.save_report_to(path)

    def save_report_to(self, path: Path) -> None:
        """Saves path (.html) and the JSON beside it on the pool; `reporter.saved` fires when done."""
        check = self.model.check
        if check is None:
            return
        self.reporter.save(check, path)
