"""Page 3: the probe and the sign-in checks, live, off the GUI thread, with a Stop that really stops them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from setup_assistant.core.i18n import human
from setup_assistant.core.model import Endpoint, EndpointResult, LoginResult, LoginStatus, MailProtocol
from setup_assistant.gui.explain import assess, headline, login_text, status_level, status_text, what
from setup_assistant.gui.icons import Status, status_icon
from setup_assistant.gui.jobs import JobRunner, Report
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.widgets import (
    StatusLine,
    announce,
    keep_place,
    plain_tooltip,
    row_sentence,
    seconds_text,
    status_word,
)

if TYPE_CHECKING:  # the probe and the trust checks are loaded when the first check starts
    from setup_assistant.core.probing.account_check import AccountCheck
    from setup_assistant.core.probing.probe import ProbeResult
    from setup_assistant.core.provider import Provider
    from setup_assistant.core.trust import TrustReport

    TrustStatus = Callable[[Provider, ProbeResult], TrustReport | None]

COL_WHAT, COL_RESULT, COL_TIME = 0, 1, 2
SPOKEN_WHAT = Qt.ItemDataRole.UserRole + 1  # a row's first column as spoken: "Sending mail, port 587, STARTTLS"
TICK_MS = 200
REUSE_SECONDS = 600.0  # a check older than this is done again in full: the network may have changed
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Checked:
    check: AccountCheck
    trust_report: TrustReport | None


class CheckingPage(QWizardPage):
    def __init__(self, model: WizardModel, jobs: JobRunner, trust_status: TrustStatus | None = None) -> None:
        super().__init__()
        self.model = model
        self.jobs = jobs
        self.trust_status = trust_status
        self.setTitle(self.tr("Checking your account"))
        self.setSubTitle(
            self.tr(
                "The assistant tries every way to reach the {provider} servers at once. This takes a few seconds."
            ).format(provider=model.provider.name)
        )
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Connection"), self.tr("Result"), self.tr("Time")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setAccessibleName(self.tr("Connection checks"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TIME, QHeaderView.ResizeMode.ResizeToContents)

        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Progress of the checks"))
        self.summary = StatusLine(Status.PENDING, "")
        keep_place(self.summary, lines=2)  # "Checking… 3 s" and the two-line verdict take the same room
        self.button = QPushButton()
        self.button.clicked.connect(self._button_clicked)

        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.bar)
        layout.addLayout(bottom)

        self._generation = 0
        self._running = False
        self._last: _Checked | None = None  # the last finished check, whose connections a retyped password reuses
        self._last_at = 0.0
        self._cancel: threading.Event | None = None
        self._started = 0.0
        self._rows: dict[Endpoint, QTreeWidgetItem] = {}
        self._login_rows: dict[MailProtocol, QTreeWidgetItem] = {}
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_elapsed)

    # --- life cycle -------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def initializePage(self) -> None:
        self.start(reuse_connections=True)

    def cleanupPage(self) -> None:
        self.stop(forget=True)

    def _reusable(self) -> _Checked | None:
        """The last check's connections, when only the password can have changed since (and not long ago)."""
        last = self._last
        check = self.model.check
        if last is None or check is not last.check or check.probe.cancelled:
            return None
        if check.address != self.model.address or time.monotonic() - self._last_at > REUSE_SECONDS:
            return None
        return last

    def start(self, *, reuse_connections: bool = False) -> None:
        """Starts a fresh check; a previous one still winding down is cancelled and its results ignored.

        With reuse_connections, a check of the same address that just finished keeps its connections and
        only the logins are tried again (after a mistyped password, nobody waits for a slow port twice).
        """
        self.stop(forget=True)
        previous = self._reusable() if reuse_connections else None
        self.model.check = None
        self.model.trust_report = None
        self._generation += 1
        generation = self._generation
        cancel = threading.Event()
        self._cancel = cancel
        self._fill_rows(previous.check if previous is not None else None)
        self._running = True
        self._started = time.monotonic()
        self._tick.start()
        self._set_button(stop=True)
        self.button.setFocus()  # Space stops; Back and Cancel stay one Tab away
        self.summary.set(Status.PENDING, self.tr("Checking…"))
        self.completeChanged.emit()

        provider = self.model.provider
        address = self.model.require_address()
        password = self.model.password or None
        timeout, grace = self.model.timeout, self.model.grace
        trust_status = self.trust_status

        if previous is not None:
            known = previous

            def again(report: Report) -> _Checked:
                from setup_assistant.core.probing.account_check import recheck_logins  # not on the GUI thread

                check = recheck_logins(known.check, password, timeout=timeout, cancel=cancel, login_progress=report)
                return _Checked(check, known.trust_report)

            self.summary.set(Status.PENDING, self.tr("Checking the password (the connections are known)…"))
            self.jobs.start(
                again,
                on_progress=lambda item: self._progress(generation, item),
                on_result=lambda check: self._finished(generation, check),
                on_error=lambda exc: self._failed(generation, exc),
            )
            return

        def work(report: Report) -> _Checked:
            from setup_assistant.core.probing.account_check import check_account  # not on the GUI thread

            check = check_account(
                provider,
                address,
                password,
                timeout=timeout,
                grace=grace,
                cancel=cancel,
                progress=report,
                login_progress=report,
            )
            trust_report = None
            if trust_status is not None and not check.probe.cancelled and check.probe.secure_setup_exists:
                try:
                    trust_report = trust_status(provider, check.probe)
                except Exception as exc:  # the certificate page is then skipped; the check itself stands
                    log.warning("the trust status could not be read: %s: %s", type(exc).__name__, exc)
            return _Checked(check, trust_report)

        self.jobs.start(
            work,
            on_progress=lambda item: self._progress(generation, item),
            on_result=lambda check: self._finished(generation, check),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def stop(self, *, forget: bool = False) -> None:
        """Tells the core to stop (it does within about 0.1 s). With forget, the run's results are ignored."""
        if self._cancel is not None:
            self._cancel.set()
        if forget:
            self._generation += 1
            self._running = False
            self._tick.stop()
        elif self._running:
            self.summary.set(Status.PENDING, self.tr("Stopping…"))
            self.button.setEnabled(False)

    def cancel_all(self) -> None:
        self.stop(forget=True)

    def isComplete(self) -> bool:
        check = self.model.check
        return not self._running and check is not None and not check.probe.cancelled

    # --- rows -------------------------------------------------------------------------------------------------

    def _fill_rows(self, known: AccountCheck | None = None) -> None:
        """One row per connection and per sign-in; with `known`, the connections show that check's results."""
        self.tree.clear()
        self._rows.clear()
        self._login_rows.clear()
        provider = self.model.provider
        for endpoint in provider.endpoints():
            item = QTreeWidgetItem(
                [
                    self.tr("{what} · port {port} · {security}").format(
                        what=_capital(what(endpoint.protocol)), port=endpoint.port, security=endpoint.security.label
                    ),
                    "",
                    "",
                ]
            )
            spoken = self.tr("{what}, port {port}, {security}").format(
                what=_capital(what(endpoint.protocol)), port=endpoint.port, security=endpoint.security.label
            )
            item.setData(COL_WHAT, SPOKEN_WHAT, spoken)
            result = known.probe.result_for(endpoint) if known is not None else None
            if result is not None:
                self._set_row(
                    item, status_level(result.status), status_text(result.status), _seconds(result.elapsed_ms)
                )
                item.setToolTip(COL_RESULT, plain_tooltip(human(result.detail)))
            else:
                self._set_row(item, Status.PENDING, self.tr("Checking…"), "")
            self.tree.addTopLevelItem(item)
            self._rows[endpoint] = item
        with_password = bool(self.model.password)
        for protocol in MailProtocol:
            item = QTreeWidgetItem([self.tr("Sign-in for {what}").format(what=what(protocol)), "", ""])
            item.setData(COL_WHAT, SPOKEN_WHAT, item.text(COL_WHAT))
            if with_password:
                self._set_row(item, Status.PENDING, self.tr("Waiting"), "")
            else:
                self._set_row(item, Status.INFO, self.tr("Not tested (no password)"), "")
            self.tree.addTopLevelItem(item)
            self._login_rows[protocol] = item
        connections = 0 if known is not None else len(self._rows)
        rec = known.probe.recommended if known is not None else None
        logins = sum(1 for p in MailProtocol if rec.get(p)) if rec is not None else len(self._login_rows)
        self.bar.setRange(0, max(1, connections + (logins if with_password else 0)))
        self.bar.setValue(0)

    def _set_row(self, item: QTreeWidgetItem, status: Status, text: str, elapsed: str) -> None:
        item.setIcon(COL_RESULT, status_icon(status))
        item.setText(COL_RESULT, text)
        item.setText(COL_TIME, elapsed)
        item.setData(COL_RESULT, Qt.ItemDataRole.UserRole, status.value)
        # The icon's meaning is in the words: a waiting row says "Checking…", a stopped one "Stopped".
        item.setData(COL_RESULT, Qt.ItemDataRole.AccessibleTextRole, text or status_word(status))
        item.setData(COL_TIME, Qt.ItemDataRole.AccessibleTextRole, elapsed or self.tr("no time yet"))
        # A screen reader on a row (the first cell has the focus) hears the whole row as one sentence.
        spoken = str(item.data(COL_WHAT, SPOKEN_WHAT) or item.text(COL_WHAT))
        item.setData(
            COL_WHAT, Qt.ItemDataRole.AccessibleTextRole, row_sentence(spoken, text or status_word(status), elapsed)
        )
        item.setTextAlignment(COL_TIME, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def row_status(self, key: Endpoint | MailProtocol) -> str:
        """The status shown on a row (for tests and accessibility tools)."""
        item = self._rows[key] if isinstance(key, Endpoint) else self._login_rows[key]
        return str(item.data(COL_RESULT, Qt.ItemDataRole.UserRole))

    def _progress(self, generation: int, item: object) -> None:
        if generation != self._generation:
            return
        if isinstance(item, EndpointResult):
            row = self._rows.get(item.endpoint)
            if row is not None:
                self._set_row(row, status_level(item.status), status_text(item.status), _seconds(item.elapsed_ms))
                row.setToolTip(COL_RESULT, plain_tooltip(human(item.detail)))
        elif isinstance(item, LoginResult):
            row = self._login_rows.get(item.endpoint.protocol)
            if row is not None:
                level = Status.OK if item.status is LoginStatus.OK else Status.ERROR
                row.setText(
                    COL_WHAT,
                    self.tr("Sign-in for {what} · port {port}").format(
                        what=what(item.endpoint.protocol), port=item.endpoint.port
                    ),
                )
                row.setData(
                    COL_WHAT,
                    SPOKEN_WHAT,
                    self.tr("Sign-in for {what}, port {port}").format(
                        what=what(item.endpoint.protocol), port=item.endpoint.port
                    ),
                )
                self._set_row(row, level, login_text(item.status), _seconds(item.elapsed_ms))
                row.setToolTip(COL_RESULT, plain_tooltip(human(item.detail)))
        self.bar.setValue(min(self.bar.maximum(), self.bar.value() + 1))  # one step per finished connection
        self._show_elapsed()

    def _finished(self, generation: int, checked: object) -> None:
        if generation != self._generation or not isinstance(checked, _Checked):
            return
        self._end_run()
        check = checked.check
        self.model.check = check
        self.model.trust_report = checked.trust_report
        if self._last is None or check.probe is not self._last.check.probe:
            self._last_at = time.monotonic()  # the connections' age counts from their own probe
        self._last = checked
        for endpoint, row in self._rows.items():
            result = check.probe.result_for(endpoint)
            if result is not None:
                self._set_row(row, status_level(result.status), status_text(result.status), _seconds(result.elapsed_ms))
                row.setToolTip(COL_RESULT, plain_tooltip(human(result.detail)))
        tested = {login.endpoint.protocol for login in check.logins}
        for protocol, row in self._login_rows.items():
            if protocol in tested or not check.password_given:
                continue
            if check.probe.cancelled:
                self._set_row(row, Status.STOPPED, self.tr("Stopped"), "")
            else:
                self._set_row(row, Status.INFO, self.tr("Not tested (no secure connection)"), "")
        self.bar.setValue(self.bar.maximum())
        outcome, _findings = assess(check, self.model.protocol)
        level, text = headline(outcome)
        if not check.probe.cancelled:
            text += " " + self.tr("Press Next to see what this means.")
        self.summary.set(level, text)
        self.completeChanged.emit()
        wizard = self.wizard()
        if self.isComplete() and wizard is not None:
            wizard.button(QWizard.WizardButton.NextButton).setFocus()
        announce(self.summary, self.summary.accessibleName())  # after the focus moved: said after "Next"

    def _failed(self, generation: int, exc: object) -> None:
        if generation != self._generation:
            return
        self._end_run()
        self.summary.set(
            Status.ERROR,
            self.tr(
                "The check failed unexpectedly ({error}). Press “Check again”; if it keeps failing, ask your help desk."
            ).format(error=f"{type(exc).__name__}: {exc}"),
        )
        self.completeChanged.emit()
        announce(self.summary, self.summary.accessibleName())

    def _end_run(self) -> None:
        self._running = False
        self._tick.stop()
        self._set_button(stop=False)

    # --- controls ---------------------------------------------------------------------------------------------

    def _set_button(self, *, stop: bool) -> None:
        self.button.setEnabled(True)
        if stop:
            self.button.setText(self.tr("&Stop"))
            self.button.setAccessibleDescription(self.tr("Stops the checks now."))
        else:
            self.button.setText(self.tr("Check &again"))
            self.button.setAccessibleDescription(self.tr("Runs all the checks again."))

    def _button_clicked(self) -> None:
        if self._running:
            self.stop()
        else:
            self.start()

    def waiting_for(self) -> list[Endpoint]:
        """The connections that have not answered yet (their rows still say "Checking…")."""
        return [e for e, row in self._rows.items() if row.data(COL_RESULT, Qt.ItemDataRole.UserRole) == "pending"]

    def _show_elapsed(self) -> None:
        """An honest line while a slow port is waited for: which ports, how long so far, and for how long at most."""
        if not (self._running and self.button.isEnabled()):
            return
        seconds = int(time.monotonic() - self._started)
        if seconds < 1:
            return  # most checks are over by then: "Checking…" is enough
        waiting = self.waiting_for()
        if waiting:
            ports = sorted({e.port for e in waiting})
            # Once another port for the same purpose works, a silent one only gets the short grace (the probe's
            # rule); otherwise it may take the whole timeout.
            ok = {e.protocol for e, row in self._rows.items() if row.data(COL_RESULT, Qt.ItemDataRole.UserRole) == "ok"}
            graced = all(e.protocol in ok for e in waiting)
            limit = self.model.grace if graced else self.model.timeout
            text = self.tr("Waiting for port {ports} to answer… {seconds} s (it is given up to {limit} s)").format(
                ports=self.tr(", ").join(str(p) for p in ports),
                seconds=seconds,
                limit=f"{limit:g}" if graced else int(limit),
            )
        else:
            text = self.tr("Checking the password… {seconds} s").format(seconds=seconds)
        self.summary.set(Status.PENDING, text)


def _seconds(ms: int) -> str:
    return seconds_text(ms)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
