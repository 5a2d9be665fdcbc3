"""Page 5 (only when needed): install the provider's pinned root where the mail programs look for it.

The operating system may ask for confirmation (Windows) or the login password (macOS); saying no there is a
choice, not an error, and the person can continue without the certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWizard, QWizardPage

from setup_assistant.core.i18n import human
from setup_assistant.gui.icons import Status
from setup_assistant.gui.jobs import JobRunner, Report
from setup_assistant.gui.model import DoneItem, WizardModel
from setup_assistant.gui.services import Services
from setup_assistant.gui.widgets import StatusLine, clear_layout, fingerprint_lines, scroll_body, text_label

if TYPE_CHECKING:  # cryptography and the trust stores are loaded when this page is first shown
    from cryptography import x509

    from setup_assistant.core import trust
    from setup_assistant.core.trust import Outcome, TrustReport


def _friendly_name(certificate: x509.Certificate) -> str:
    """ "ISRG Root X1 (Internet Security Research Group)" rather than a distinguished name."""
    from cryptography.x509.oid import NameOID

    subject = certificate.subject

    def first(oid: x509.ObjectIdentifier) -> str:
        values = subject.get_attributes_for_oid(oid)
        value = values[0].value if values else ""
        return value if isinstance(value, str) else value.decode("utf-8", "replace")

    name, org = first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
    if name and org and org not in name:
        return f"{name} ({org})"
    return name or org or subject.rfc4514_string()


def _level(outcome: Outcome | None) -> Status:
    from setup_assistant.core.trust import Outcome

    if outcome in (Outcome.INSTALLED, Outcome.ALREADY_PRESENT):
        return Status.OK
    if outcome is Outcome.FAILED:
        return Status.ERROR
    if outcome is Outcome.CANCELLED:
        return Status.STOPPED
    return Status.INFO


class CertificatePage(QWizardPage):
    def __init__(self, model: WizardModel, services: Services, jobs: JobRunner) -> None:
        super().__init__()
        self.model = model
        self.services = services
        self.jobs = jobs
        self._running = False
        self._in_flight = False
        self._generation = 0
        provider = model.provider
        self.setTitle(self.tr("Trust the {provider} certificate").format(provider=provider.name))
        self.setSubTitle(self.tr("So that your mail programs do not warn about the server every time."))
        layout = scroll_body(self)
        layout.addWidget(
            text_label(
                self.tr(
                    "The mail server proves who it is with a certificate. Yours is vouched for by a root certificate "
                    "that your mail programs do not know yet, so they would show a warning. The guide recommends "
                    "installing this root certificate. The assistant has checked that its copy is the genuine one: "
                    "its fingerprint matches the one built into the assistant."
                )
            )
        )
        self.fingerprint = text_label(selectable=True)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setAccessibleName(self.tr("Certificate fingerprint"))
        layout.addWidget(self.fingerprint)
        layout.addSpacing(6)
        layout.addWidget(text_label(self.tr("It will be installed here:")))
        self.places = QVBoxLayout()
        layout.addLayout(self.places)
        self.os_note = text_label()
        layout.addWidget(self.os_note)
        row = QHBoxLayout()
        self.install = QPushButton(self.tr("&Install the certificate"))
        self.install.setAccessibleDescription(
            self.tr("Installs the provider's root certificate for your mail programs.")
        )
        self.install.clicked.connect(self.start_install)
        row.addWidget(self.install)
        row.addStretch(1)
        layout.addLayout(row)
        self.results = QVBoxLayout()
        layout.addLayout(self.results)
        layout.addStretch(1)
        layout.addWidget(
            text_label(
                self.tr(
                    "You can also continue without it: your mail program will then ask you to accept the "
                    "certificate itself. If you are only saving files for another computer, skip this: the "
                    "Apple Mail profile carries the certificate, and the instructions explain the rest."
                )
            )
        )

    def initializePage(self) -> None:
        from setup_assistant.core import trust

        root = self.model.provider.root
        if root is not None:
            self.fingerprint.setText(
                self.tr("Certificate: {name}\nSHA-256 fingerprint:\n{fingerprint}").format(
                    name=_friendly_name(root.certificate), fingerprint=fingerprint_lines(root.fingerprint)
                )
            )
        clear_layout(self.places)
        clear_layout(self.results)
        report = self.model.trust_report
        self.model.certificate_offered = []
        if report is not None:
            for place in report.places:
                if place.need is trust.Need.NEEDED and place.present is not True:
                    self.model.certificate_offered.append(place.place.key)
                    self.places.addWidget(
                        text_label(
                            self.tr("• {place}, for {programs}").format(
                                place=human(place.place.label),
                                programs=", ".join(human(p) for p in place.place.programs),
                            )
                        )
                    )
        platform = self.services.platform
        if platform == "win32":
            note = self.tr("Windows will ask you to confirm that you want to install it: choose “Yes”.")
        elif platform == "darwin":
            note = self.tr("macOS will ask for your login password, to add the certificate to your keychain.")
        else:
            note = self.tr("Thunderbird must be closed while the certificate is installed.")
        self.os_note.setText(note)
        self.install.setEnabled(True)
        self.install.setFocus()

    def cleanupPage(self) -> None:
        self._generation += 1  # an install still running finishes, but its report belongs to no page now
        self._running = False

    def isComplete(self) -> bool:
        return not self._running

    @property
    def running(self) -> bool:
        return self._running

    def start_install(self) -> None:
        if self._in_flight:
            # Back was pressed while the last run was still working: it cannot be taken back halfway, so a
            # second run waits until it has ended (never two writers on one profile or certificate store).
            clear_layout(self.results)
            self.results.addWidget(
                StatusLine(Status.PENDING, self.tr("Still finishing what was started before; try again in a moment."))
            )
            return
        check = self.model.check
        if check is None or self._running:
            return
        from setup_assistant.core import trust

        provider = self.model.provider
        services = self.services
        probe = check.probe
        self._generation += 1
        generation = self._generation

        def work(_report: Report) -> TrustReport | None:
            plan = services.trust_plan(provider)
            if plan is None:
                return None
            return trust.install_root(provider, plan, trust.server_trust(probe))

        self._running = True
        self.install.setEnabled(False)
        clear_layout(self.results)
        self.results.addWidget(StatusLine(Status.PENDING, self.tr("Installing…")))
        self.completeChanged.emit()
        self._in_flight = True
        self.jobs.start(
            work,
            on_result=lambda report: self._installed(generation, report),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _installed(self, generation: int, report: object) -> None:
        self._in_flight = False  # the work has ended, whether or not this page still wants its result
        if generation != self._generation:
            return
        from setup_assistant.core.trust import Outcome, TrustReport

        self._running = False
        self.install.setEnabled(True)
        clear_layout(self.results)
        self.model.certificate_done = []
        if not isinstance(report, TrustReport):
            self.results.addWidget(StatusLine(Status.INFO, self.tr("There is nothing to install on this computer.")))
        else:
            for place in report.places:
                self.results.addWidget(StatusLine(_level(place.outcome), self._place_text(place)))
                if place.outcome in (Outcome.INSTALLED, Outcome.ALREADY_PRESENT):
                    self.model.certificate_done.append(
                        DoneItem(
                            self.tr("The certificate is installed in {place}.").format(place=human(place.place.label)),
                            place.place.path,
                        )
                    )
            if report.ok:
                self.install.setEnabled(False)
                self.install.setDefault(False)
                wizard = self.wizard()
                if wizard is not None:  # done: Enter means Next again
                    wizard.setOption(QWizard.WizardOption.NoDefaultButton, False)
                    wizard.button(QWizard.WizardButton.NextButton).setFocus()
            else:
                self.install.setText(self.tr("Try &again"))
        self.completeChanged.emit()

    def _place_text(self, place: trust.PlaceReport) -> str:
        from setup_assistant.core.trust import Outcome

        label = human(place.place.label)
        if place.outcome is Outcome.INSTALLED:
            return self.tr("Installed in {place}.").format(place=label)
        if place.outcome is Outcome.ALREADY_PRESENT:
            return self.tr("Already in {place}.").format(place=label)
        if place.outcome is Outcome.NOT_NEEDED:
            return self.tr("Not needed in {place}.").format(place=label)
        if place.outcome is Outcome.CANCELLED:
            return self.tr(
                "Not installed in {place}, because you said no. That is fine: you can continue, and your mail "
                "program will ask about the certificate itself."
            ).format(place=label)
        return self.tr("Could not install it in {place}: {why}").format(place=label, why=human(place.message))

    def _failed(self, generation: int, exc: object) -> None:
        self._in_flight = False  # the work has ended, whether or not this page still wants its result
        if generation != self._generation:
            return
        self._running = False
        self.install.setEnabled(True)
        self.install.setText(self.tr("Try &again"))
        clear_layout(self.results)
        self.results.addWidget(
            StatusLine(
                Status.ERROR, self.tr("The certificate could not be installed: {error}").format(error=human(exc))
            )
        )
        self.completeChanged.emit()
