"""Page 4: the check in plain words, what to do about it, IMAP or POP, and the technical table on request."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from setup_assistant.core.i18n import human
from setup_assistant.core.model import LoginResult, LoginStatus, MailProtocol
from setup_assistant.core.visible_text import visible
from setup_assistant.gui.explain import Outcome, assess, headline, login_text, status_level, status_text
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.icons import Status, status_icon
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.report_saver import ReportSaver
from setup_assistant.gui.secrets import PasswordStore, PasswordStoreError
from setup_assistant.gui.widgets import (
    Expander,
    StatusLine,
    ask_save_path,
    clear_layout,
    fingerprint_lines,
    keep_place,
    plain_tooltip,
    scroll_body,
    seconds_text,
    status_word,
    text_label,
)

if TYPE_CHECKING:
    from setup_assistant.core.probing.account_check import AccountCheck
    from setup_assistant.gui.jobs import JobRunner


def _yes_no(value: bool | None) -> str:
    if value is None:
        return QCoreApplication.translate("ResultPage", "unknown")
    return QCoreApplication.translate("ResultPage", "yes") if value else QCoreApplication.translate("ResultPage", "no")


def report_file_name(address: str) -> str:
    return "mail-check-" + re.sub(r"[^A-Za-z0-9@._+-]", "_", address) + ".html"


class ResultPage(QWizardPage):
    store_done = Signal()  # "Remember my password" has been acted on (on the pool)

    def __init__(self, model: WizardModel, passwords: PasswordStore, jobs: JobRunner | None = None) -> None:
        super().__init__()
        self.model = model
        self.passwords = passwords
        self.jobs = jobs
        self.outcome: Outcome | None = None
        self.setTitle(self.tr("What the check found"))
        layout = scroll_body(self)

        self.headline = StatusLine(Status.PENDING, "", icon_size=32)
        font = QFont(self.headline.label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.label.setFont(font)
        self.headline.align()
        layout.addWidget(self.headline)

        self.findings = QVBoxLayout()
        layout.addLayout(self.findings)

        actions = QHBoxLayout()
        self.retype = QPushButton(self.tr("Type the &password again"))
        self.retype.clicked.connect(self.go_to_password)
        self.again = QPushButton(self.tr("Check &again"))
        self.again.clicked.connect(self.check_again)
        actions.addWidget(self.retype)
        actions.addWidget(self.again)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addSpacing(8)

        # When nothing could be reached: the files and the sheet can still be prepared, clearly marked untested.
        self.untested = QCheckBox(
            self.tr("C&ontinue anyway with {provider}'s published settings (not tested)").format(
                provider=model.provider.name
            )
        )
        self.untested_why = text_label(
            self.tr(
                "For example to save the files and the settings sheet for a computer on another network. They are "
                "marked “not tested” on the next pages, and nothing is set up on this computer unless you confirm "
                "it there."
            )
        )
        self.untested_why.setContentsMargins(24, 0, 0, 6)
        self.untested.setAccessibleDescription(self.untested_why.text())
        self.untested.toggled.connect(self._untested_toggled)
        layout.addWidget(self.untested)
        layout.addWidget(self.untested_why)

        self.choice = QGroupBox(self.tr("How should your mail program receive mail?"))
        self.imap = QRadioButton(self.tr("&IMAP (recommended)"))
        self.imap_why = text_label(
            self.tr(
                "Your mail stays on the server, so webmail, your phone and your other computers all show the same "
                "mail and folders."
            )
        )
        self.pop = QRadioButton(self.tr("P&OP"))
        self.pop_why = text_label(
            self.tr(
                "Downloads your mail to this computer. The guide warns that POP and webmail do not go well together: "
                "by default POP deletes mail from the server, so webmail and your other devices no longer see it. "
                "The assistant sets Thunderbird up to leave your mail on the server; Apple Mail and Outlook need one "
                "setting changed by hand, shown at the end. With POP you cannot see the Spam and Virus folders in "
                "your mail program, only in webmail."
            )
        )
        for why in (self.imap_why, self.pop_why):
            why.setContentsMargins(24, 0, 0, 6)
        self.imap.setAccessibleDescription(self.imap_why.text())
        self.pop.setAccessibleDescription(self.pop_why.text())
        self.group = QButtonGroup(self)
        self.group.addButton(self.imap)
        self.group.addButton(self.pop)
        box = QVBoxLayout(self.choice)
        box.addWidget(self.imap)
        box.addWidget(self.imap_why)
        box.addWidget(self.pop)
        box.addWidget(self.pop_why)
        layout.addWidget(self.choice)
        self.imap.toggled.connect(self._protocol_changed)

        self.remembered = StatusLine(Status.INFO, "", icon_size=16)
        self.remembered.setVisible(False)
        keep_place(self.remembered)  # it appears a moment later: what is below must not jump then
        layout.addWidget(self.remembered)

        self.table = QTableWidget(0, 6)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control instead of cell to cell
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Connection"),
                self.tr("Port"),
                self.tr("Security"),
                self.tr("Result"),
                self.tr("Time"),
                self.tr("Details"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Technical details of every connection"))
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the page scrolls instead
        self.certificates = text_label(selectable=True)
        self.save_button = QPushButton(self.tr("Save a &report for the help desk…"))
        self.save_button.setAccessibleDescription(
            self.tr("Saves these details as a file; it never contains your password.")
        )
        self.save_button.clicked.connect(self.save_report_dialog)
        self.saved = text_label(selectable=True)
        details = QWidget()
        dl = QVBoxLayout(details)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.table)
        dl.addWidget(self.certificates)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        dl.addLayout(row)
        dl.addWidget(self.saved)
        self.reporter = ReportSaver(self.jobs, self.saved, self.save_button, self)
        self.details = Expander(self.tr("Details for the help desk"), details)
        layout.addWidget(self.details)
        layout.addStretch(1)

    # --- filling ----------------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        check = self._check()
        self.setSubTitle(self.tr("for {address}").format(address=check.address.address))
        self.model.untested = False  # a new check: only an explicit choice on this page makes it untested
        self.untested.blockSignals(True)
        self.untested.setChecked(False)
        self.untested.blockSignals(False)
        self._set_protocols()
        self.saved.clear()
        self._fill_details(check)
        self._remember(check)
        self._explain()

    def _set_protocols(self) -> None:
        usable = self.model.protocol_usable
        self.imap.setEnabled(usable[MailProtocol.IMAP])
        self.pop.setEnabled(usable[MailProtocol.POP3])
        if not usable[self.model.protocol]:
            other = MailProtocol.POP3 if self.model.protocol is MailProtocol.IMAP else MailProtocol.IMAP
            if usable[other]:
                self.model.protocol = other
        (self.imap if self.model.protocol is MailProtocol.IMAP else self.pop).setChecked(True)

    def _untested_toggled(self, on: bool) -> None:
        self.model.untested = on
        self._set_protocols()
        self._explain()

    def _check(self) -> AccountCheck:
        if self.model.check is None:
            raise ValueError("the result page needs a finished check")
        return self.model.check

    def _explain(self) -> None:
        check = self._check()
        outcome, findings = assess(check, self.model.protocol)
        self.outcome = outcome
        level, text = headline(outcome)
        self.headline.set(level, text)
        clear_layout(self.findings)
        for finding in findings:
            self.findings.addWidget(StatusLine(finding.level, finding.text))
        offer_untested = outcome in (Outcome.NO_CONNECTION, Outcome.PARTLY_BLOCKED)
        # Where "continue untested" is offered, its tick box explains itself; nothing above it may change when
        # it is ticked (the box would move under the pointer).
        if not self.model.can_set_up and outcome is not Outcome.STOPPED and not offer_untested:
            self.findings.addWidget(
                StatusLine(
                    Status.INFO,
                    self.tr(
                        "Until this works, the assistant cannot set up your mail program. Save a report for the "
                        "help desk (under Details) if you need help."
                    ),
                )
            )
        self.untested.setVisible(offer_untested)
        self.untested_why.setVisible(offer_untested)
        self.retype.setVisible(outcome is Outcome.WRONG_PASSWORD)
        self.again.setVisible(outcome is not Outcome.WORKS and outcome is not Outcome.WORKS_WITH_CHANGES)
        self.choice.setVisible(any(self.model.protocol_usable.values()))
        self.completeChanged.emit()

    def _fill_details(self, check: AccountCheck) -> None:
        rows: list[tuple[str, str, str, Status, str, str, str]] = []
        for r in check.probe.endpoints:
            e = r.endpoint
            rows.append(
                (
                    f"{e.protocol.label} {e.host}",
                    str(e.port),
                    e.security.label,
                    status_level(r.status),
                    status_text(r.status),
                    seconds_text(r.elapsed_ms),
                    human(r.detail),  # a Message: the person's language
                )
            )
        rows.extend(self._login_row(login) for login in check.logins)
        self.table.setRowCount(len(rows))
        for i, (name, port, security, level, result, elapsed, detail) in enumerate(rows):
            values = [name, port, security, result, elapsed, visible(detail)]  # the detail is the server's
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 3:
                    item.setIcon(status_icon(level))
                    item.setToolTip(status_word(level))
                if col == 5:
                    item.setToolTip(plain_tooltip(detail))
                self.table.setItem(i, col, item)
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        scrollbar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(height + scrollbar)  # every row in view; a long detail may scroll sideways
        certs = {r.certificate.sha256: r.certificate for r in check.probe.endpoints if r.certificate}
        lines = []
        for facts in certs.values():
            t = facts.trusted_by
            lines.append(
                self.tr(
                    "Certificate: {subject}\nIssued by: {issuer}\nValid until: {until} ({tls})\nSHA-256:\n{sha}\n"
                    "Trusted by Mozilla (Thunderbird): {mozilla} · this computer: {os} · the provider's root: {root}"
                ).format(
                    subject=visible(facts.subject),  # the server chose these: plain text (the label's
                    issuer=visible(facts.issuer),  # format), control characters shown as escapes
                    until=facts.not_after[:10],
                    tls=facts.tls_version,
                    sha=fingerprint_lines(facts.sha256),
                    mozilla=_yes_no(t.mozilla),
                    os=_yes_no(t.os),
                    root=_yes_no(t.provider_root),
                )
            )
        self.certificates.setText("\n\n".join(lines))
        self.certificates.setVisible(bool(lines))

    def _login_row(self, login: LoginResult) -> tuple[str, str, str, Status, str, str, str]:
        e = login.endpoint
        return (
            self.tr("Sign-in {protocol}").format(protocol=e.protocol.label),
            str(e.port),
            e.security.label,
            Status.OK if login.status is LoginStatus.OK else Status.ERROR,
            login_text(login.status),
            seconds_text(login.elapsed_ms),
            human(login.detail),
        )

    def _remember(self, check: AccountCheck) -> None:
        """Acts on "Remember my password" once the password is known to work; unticked forgets an old one.

        The password store may ask to be unlocked, so it is asked on the pool, never on the GUI thread.
        """
        self.remembered.setVisible(False)
        username = check.address.username
        passwords = self.passwords
        if self.model.remember_password:
            if not check.logins_ok:
                return
            password = self.model.password

            def save(_report: object) -> object:
                try:
                    return passwords.save(username, password)
                except PasswordStoreError as exc:
                    return exc

            self._in_store(save, self._saved)
        else:

            def forget(_report: object) -> bool:
                if passwords.where() is not None and passwords.load(username) is not None:
                    passwords.delete(username)
                    return True
                return False

            self._in_store(forget, self._forgotten)

    def _in_store(self, work: Callable[[object], object], done: Callable[[object], None]) -> None:
        if self.jobs is None:
            done(work(None))
            return
        self.jobs.start(work, on_result=done, on_error=lambda exc: done(PasswordStoreError(str(exc))))

    def _saved(self, result: object) -> None:
        if isinstance(result, Exception):
            self.model.password_saved_in = None
            self.remembered.set(Status.WARNING, str(result))
        else:
            self.model.password_saved_in = str(result)
            self.remembered.set(Status.INFO, self.tr("Your password is now kept in {where}.").format(where=result))
        self.remembered.setVisible(True)
        self.store_done.emit()

    def _forgotten(self, removed: object) -> None:
        if removed is True:
            self.model.password_saved_in = None
            self.remembered.set(Status.INFO, self.tr("The password remembered earlier was removed from this computer."))
            self.remembered.setVisible(True)
        self.store_done.emit()

    # --- actions ----------------------------------------------------------------------------------------------

    def _protocol_changed(self) -> None:
        self.model.protocol = MailProtocol.IMAP if self.imap.isChecked() else MailProtocol.POP3
        if self.model.check is not None:
            self._explain()

    def isComplete(self) -> bool:
        return self.model.can_set_up

    def spoken_summary(self) -> str:
        """The verdict and what it means, as one text to announce when the page opens (the focus is elsewhere)."""
        lines = [self.headline.accessibleName()]
        for i in range(self.findings.count()):
            item = self.findings.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None and not widget.isHidden():
                lines.append(widget.accessibleName())
        return " ".join(lines)

    def recommended_action(self) -> QPushButton | None:
        """The button a person most likely wants when it is not Next: retyping a rejected password, or checking
        again when nothing could be set up. The wizard makes it the default (Enter) and focuses it."""
        if self.outcome is Outcome.WRONG_PASSWORD:
            return self.retype
        if not self.isComplete() and not self.again.isHidden():
            return self.again
        return None

    def go_to_password(self) -> None:
        wizard = self.wizard()
        while wizard is not None and wizard.currentId() > PageId.PASSWORD:
            wizard.back()

    def check_again(self) -> None:
        wizard = self.wizard()
        if wizard is None:
            return
        wizard.back()
        page = wizard.currentPage()
        restart = getattr(page, "start", None)
        if callable(restart):
            restart()

    def save_report_dialog(self) -> None:
        check = self._check()
        path = ask_save_path(
            self,
            self.tr("Save a report for the help desk"),
            report_file_name(check.address.address),
            self.tr("Report (*.html)"),
        )
        if path is None:
            return
        self.save_report_to(path)

    def save_report_to(self, target: Path) -> None:
        """Saves target (.html) and the JSON beside it on the pool; `reporter.saved` fires when done."""
        self.reporter.save(self._check(), target)
