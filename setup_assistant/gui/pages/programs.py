"""Page 6: which mail programs to set up, on this computer or as files for another one; the writing happens here.

All file work is the core's (`write_profiles`): atomic writes, backups, other accounts untouched, and a refusal
while Thunderbird has the profile open, which this page turns into "close Thunderbird, then try again".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from setup_assistant.core.clients import ALL_CLIENTS, Client
from setup_assistant.core.i18n import human
from setup_assistant.core.model import MailProtocol
from setup_assistant.gui.detect import Detected, detect
from setup_assistant.gui.icons import Status
from setup_assistant.gui.jobs import JobRunner, Report
from setup_assistant.gui.model import DoneItem, WizardModel
from setup_assistant.gui.services import Services
from setup_assistant.gui.widgets import (
    StatusLine,
    clear_layout,
    documents_folder,
    scroll_body,
    start_folder,
    text_label,
)

if TYPE_CHECKING:  # the profile writers are loaded when the person first presses "Set up" or "Save files"
    from setup_assistant.core.clients.doctor import Examination, Repair
    from setup_assistant.core.clients.profiles import ClientOutcome, ProfilesOutcome
    from setup_assistant.core.trust import TrustReport


@dataclass(frozen=True)
class _CertificateQuestion:
    """Nothing was written: the person is asked about the certificate first."""

    places: str
    programs: str


@dataclass(frozen=True)
class _Written:
    outcome: ProfilesOutcome
    installed: TrustReport | None  # the certificate, when the person chose to install it just now
    missing: tuple[str, ...]  # programs that will ask about the certificate (it is needed and not installed)


def _reveal(widget: QWidget) -> None:
    """Scrolls the page so that `widget` is in view."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


def _folder_name(address: str) -> str:
    # The same sanitiser as every other writer, so `report --redact` recognises the folder too.
    from setup_assistant.core.profile_files import safe_file_stem

    return safe_file_stem(address)


class ProgramsPage(QWizardPage):
    def __init__(self, model: WizardModel, services: Services, jobs: JobRunner) -> None:
        super().__init__()
        self.model = model
        self.services = services
        self.jobs = jobs
        self.detected: dict[Client, Detected] = {}
        self._running = False
        self._in_flight = False
        self._written_for: tuple[object, ...] | None = None  # what the last successful write was for
        # The person's answer about the certificate for one request: "install" or "skip" (None: not asked yet).
        self._certificate_answer: tuple[tuple[object, ...], str] | None = None
        self._question_pending = False  # the certificate question is on screen, waiting for one of its buttons
        self._generation = 0
        self.examination: Examination | None = None  # the accounts this computer already has for the address
        self.repaired: list[str] = []  # what the Fix button changed, for the Done page
        self.setTitle(self.tr("Your mail programs"))
        layout = scroll_body(self)

        box = QGroupBox(self.tr("Set up these programs"))
        form = QVBoxLayout(box)
        self.boxes: dict[Client, QCheckBox] = {}
        self.notes: dict[Client, StatusLine] = {}
        for client in ALL_CLIENTS:
            check = QCheckBox(client.label)
            note = StatusLine(Status.INFO, "", icon_size=16)
            note.setContentsMargins(24, 0, 0, 4)
            check.toggled.connect(self._changed)
            self.boxes[client] = check
            self.notes[client] = note
            form.addWidget(check)
            form.addWidget(note)
            if client is Client.THUNDERBIRD:
                self.profile = QComboBox()
                self.profile.setAccessibleName(self.tr("Thunderbird profile"))
                self.profile_row = QFormLayout()
                self.profile_row.setContentsMargins(24, 0, 0, 6)
                self.profile_row.addRow(self.tr("&Profile:"), self.profile)
                form.addLayout(self.profile_row)
        layout.addWidget(box)

        # A program that already has this address: what is wrong with its account, and a button that fixes it.
        self.existing = QVBoxLayout()
        layout.addLayout(self.existing)
        self.fix = QPushButton(self.tr("&Fix these settings"))
        self.fix.setVisible(False)
        self.fix.clicked.connect(self.start_fix)
        fix_row = QHBoxLayout()
        fix_row.addWidget(self.fix)
        fix_row.addStretch(1)
        layout.addLayout(fix_row)

        mode = QGroupBox(self.tr("Where"))
        ml = QVBoxLayout(mode)
        self.here = QRadioButton(self.tr("Set them up on this &computer"))
        self.save_only = QRadioButton(self.tr("&Just save the files (for example, to set up another computer)"))
        self.group = QButtonGroup(self)
        self.group.addButton(self.here)
        self.group.addButton(self.save_only)
        self.folder = QLineEdit()
        self.folder.setAccessibleName(self.tr("Folder for the files"))
        self.choose = QPushButton(self.tr("C&hoose…"))
        self.choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(24, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        # Untested settings (nothing could be reached) go into this computer's mail programs only when confirmed.
        self.confirm_untested = QCheckBox(
            self.tr("Set them up here &anyway, although the settings could not be tested")
        )
        self.confirm_untested.setAccessibleDescription(
            self.tr("The servers could not be reached, so the settings were not tested.")
        )
        confirm_row = QHBoxLayout()
        confirm_row.setContentsMargins(24, 0, 0, 0)
        confirm_row.addWidget(self.confirm_untested)
        ml.addWidget(self.here)
        ml.addLayout(confirm_row)
        ml.addWidget(self.save_only)
        ml.addLayout(folder_row)
        layout.addWidget(mode)
        self.here.toggled.connect(self._changed)
        self.folder.textChanged.connect(self._changed)
        self.confirm_untested.toggled.connect(self._changed)

        # Why Next is disabled, in words; its space is kept so nothing moves when it appears.
        self.hint = StatusLine(Status.INFO, "", icon_size=16)
        self.hint.setAccessibleName(self.tr("Why the button is disabled"))
        policy = self.hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.hint.setSizePolicy(policy)
        layout.addWidget(self.hint)

        self.messages = QVBoxLayout()
        layout.addLayout(self.messages)
        layout.addStretch(1)
        self.setTabOrder(self.boxes[Client.APPLE_MAIL], self.here)

    # --- filling ----------------------------------------------------------------------------------------------

    def initializePage(self) -> None:
        address = self.model.require_address()
        self.setSubTitle(self.tr("Choose what to set up for {address}.").format(address=address.address))
        self.detected = detect(self.services.platform, self.services.home)
        remembered = self.services.settings.value("last/clients")
        remembered_clients = (
            {Client(v) for v in remembered if v in {c.value for c in Client}} if isinstance(remembered, list) else None
        )
        for client, found in self.detected.items():
            box = self.boxes[client]
            if remembered_clients is not None and found.present:
                box.setChecked(client in remembered_clients)
            else:
                box.setChecked(found.present)
            self.notes[client].set(Status.OK if found.present else Status.INFO, self._note(found))
        self.profile.clear()
        for profile in self.detected[Client.THUNDERBIRD].profiles:
            label = profile.name + (self.tr(" (default)") if profile.is_default else "")
            self.profile.addItem(label, str(profile.path))
            self.profile.setItemData(self.profile.count() - 1, str(profile.path), Qt.ItemDataRole.ToolTipRole)
        if not self.folder.text():
            base = self.services.documents or documents_folder()
            self.folder.setText(
                str(
                    base
                    / self.tr("{provider} setup for {address}").format(
                        provider=self.model.provider.name, address=_folder_name(address.address)
                    )
                )
            )
        anything_here = any(d.present for d in self.detected.values())
        (self.here if anything_here and not self.model.untested else self.save_only).setChecked(True)
        self.here.setEnabled(anything_here)
        self.confirm_untested.setChecked(False)
        clear_layout(self.messages)
        self._written_for = None
        self.repaired = []
        self._examine()
        self._changed()

    # --- accounts the person already has ------------------------------------------------------------------

    def _examine(self) -> None:
        """Reads (never changes) the accounts this computer's mail programs hold for the address."""
        self.examination = None
        try:
            from setup_assistant.core.clients import doctor

            profiles = [p.path for p in self.detected[Client.THUNDERBIRD].profiles]
            self.examination = doctor.examine(
                self.model.settings(),
                thunderbird_profiles=profiles,
                platform=self.services.platform,
                home=self.services.home,
            )
        except Exception:  # a program's unreadable settings must not keep the person from setting up
            self.examination = None
        self._show_existing()

    def _show_existing(self) -> None:
        from setup_assistant.core.clients.diagnosis import Severity

        clear_layout(self.existing)
        examination = self.examination
        self.fix.setVisible(bool(examination and examination.planned))
        if examination is None:
            return
        for client in ALL_CLIENTS:
            accounts = examination.for_program(client)
            if not accounts:
                continue
            wrong = [f for a in accounts for f in a.findings if f.severity is not Severity.ADVICE]
            advice = [f for a in accounts for f in a.findings if f.severity is Severity.ADVICE]
            if wrong:
                line = StatusLine(
                    Status.WARNING,
                    self.tr("{program} already has this address, but {count} settings are wrong.").format(
                        program=client.label, count=len(wrong)
                    )
                    if len(wrong) != 1
                    else self.tr("{program} already has this address, but 1 setting is wrong.").format(
                        program=client.label
                    ),
                )
            else:
                line = StatusLine(
                    Status.OK,
                    self.tr("{program} already has this address, and its settings are right.").format(
                        program=client.label
                    ),
                )
            self.existing.addWidget(line)
            if wrong or advice:
                listing = text_label("\n".join("• " + human(f.message) for f in [*wrong, *advice]))
                listing.setContentsMargins(28, 0, 0, 6)
                listing.setAccessibleName(self.tr("What is wrong"))
                self.existing.addWidget(listing)

    def start_fix(self) -> None:
        """The person's consent: change only the wrong values, in place, with a backup (on a worker thread)."""
        from setup_assistant.core.clients import doctor
        from setup_assistant.core.clients.profiles import app_data_dir

        settings = self.model.settings()
        services = self.services
        profiles = [p.path for p in self.detected[Client.THUNDERBIRD].profiles]
        folder = (services.app_data or app_data_dir()) / "outlook"

        def work(_report: Report) -> Repair:
            return doctor.repair(
                settings, folder, thunderbird_profiles=profiles, platform=services.platform, home=services.home
            )

        self.fix.setEnabled(False)
        self._running = True
        self.completeChanged.emit()
        clear_layout(self.messages)
        self.messages.addWidget(StatusLine(Status.PENDING, self.tr("Fixing the settings…")))
        self.jobs.start(work, on_result=self._fixed, on_error=self._fix_failed)

    def _fixed(self, result: object) -> None:
        from setup_assistant.core.clients.doctor import Repair

        self._running = False
        self.fix.setEnabled(True)
        clear_layout(self.messages)
        if isinstance(result, Repair):
            self.examination = result.examination
            self.repaired += [
                f"{change.program} {change.account}: {human(change.describe())}" for change in result.changes
            ]
            for error in result.errors:
                self.messages.addWidget(StatusLine(Status.ERROR, human(error)))
            if result.changes:
                self.messages.addWidget(
                    StatusLine(Status.OK, self.tr("Fixed {count} settings.").format(count=len(result.changes)))
                )
        self._show_existing()
        self.completeChanged.emit()

    def _fix_failed(self, exc: object) -> None:
        self._running = False
        self.fix.setEnabled(True)
        clear_layout(self.messages)
        self.messages.addWidget(
            StatusLine(Status.ERROR, self.tr("Nothing was changed: {error}").format(error=human(exc)))
        )
        self.completeChanged.emit()

    def _note(self, found: Detected) -> str:
        platform = self.services.platform
        if found.client is Client.THUNDERBIRD:
            if found.profiles:
                return self.tr("Found on this computer.")
            return self.tr(
                "Not found on this computer. If you use it, start it once and come back; or just save the files."
            )
        if found.client is Client.OUTLOOK:
            if found.present:
                return self.tr("Found on this computer (classic Outlook).")
            if platform == "win32":
                return self.tr(
                    "Classic Outlook not found. For the new Outlook, the instructions show the values to type."
                )
            return self.tr(
                "The files are for classic Outlook on Windows; for Outlook for Mac the instructions show the values "
                "to type."
            )
        if found.present:
            return self.tr("Part of macOS. You will be asked to approve the profile in System Settings.")
        return self.tr("For a Mac; the profile file can be saved and opened there.")

    def _changed(self) -> None:
        if self._question_pending:  # the question was about the choices just changed
            self._question_pending = False
            clear_layout(self.messages)
        here = self.here.isChecked()
        tb = self.boxes[Client.THUNDERBIRD].isChecked()
        profiles = self.profile.count()
        # Shown whenever there is a profile to choose, enabled when it applies: a row that came and went with
        # each click moved the boxes below it under the pointer.
        self.profile.setVisible(profiles > 0)
        self.profile.setEnabled(here and tb)
        label = self.profile_row.labelForField(self.profile)
        if label is not None:
            label.setVisible(profiles > 0)
            label.setEnabled(here and tb)
        self.folder.setEnabled(not here)
        self.choose.setEnabled(not here)
        self.confirm_untested.setVisible(self.model.untested)
        self.confirm_untested.setEnabled(here)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Set &up") if here else self.tr("&Save files"))
        self._update_hint()

    def _update_hint(self) -> None:
        why = self.why_disabled()
        self.hint.set(Status.INFO, why or "")
        self.hint.setVisible(bool(why))
        self.completeChanged.emit()

    def why_disabled(self) -> str | None:
        """The reason Next cannot be pressed now, for the line under the choices; None when it can."""
        button = (self.tr("Set up") if self.here.isChecked() else self.tr("Save files")).replace("&", "")
        if not self.chosen():
            return self.tr("Tick at least one program to enable “{button}”.").format(button=button)
        if self.here.isChecked() and self.model.untested and not self.confirm_untested.isChecked():
            return self.tr(
                "The settings are not tested: tick “Set them up here anyway”, or choose “Just save the files”."
            )
        if not self.here.isChecked() and not self.folder.text().strip():
            return self.tr("Choose a folder for the files.")
        if self._question_pending:
            return self.tr("Install the certificate first, or set up without it.")
        return None

    def chosen(self) -> list[Client]:
        return [c for c, box in self.boxes.items() if box.isChecked()]

    def isComplete(self) -> bool:
        if self._running or not self.model.can_set_up:
            return False
        return self.why_disabled() is None

    def choose_folder(self) -> None:
        typed = self.folder.text().strip()
        start = start_folder(Path(typed).expanduser() if typed else self.services.documents)
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder for the files"), str(start))
        if chosen:
            self.folder.setText(chosen)

    # --- writing ----------------------------------------------------------------------------------------------

    def _request(self) -> tuple[object, ...]:
        return (tuple(self.chosen()), self.here.isChecked(), self.folder.text(), self.profile.currentData())

    def validatePage(self) -> bool:
        """Next starts the writing; the page moves on by itself once it has worked."""
        if self._written_for == self._request():
            return True
        if not self._running:
            self.start_writing()
        return False

    def start_writing(self, certificate: str | None = None) -> None:
        """Writes the chosen programs' settings; `certificate` is the person's answer to the certificate question."""
        if certificate is not None:
            self._certificate_answer = (self._request(), certificate)
            self._question_pending = False
            self._update_hint()
        if self._in_flight:
            # Back was pressed while the last run was still working: it cannot be taken back halfway, so a
            # second run waits until it has ended (never two writers on one profile or certificate store).
            clear_layout(self.messages)
            self.messages.addWidget(
                StatusLine(Status.PENDING, self.tr("Still finishing what was started before; try again in a moment."))
            )
            return
        from setup_assistant.core.clients.profiles import app_data_dir, write_profiles
        from setup_assistant.core.clients.thunderbird import writer as thunderbird

        address = self.model.require_address()
        install = self.here.isChecked()
        clients = self.chosen()
        profile_text = self.profile.currentData() if (install and Client.THUNDERBIRD in clients) else None
        profile = Path(profile_text) if profile_text else None
        chosen = Path(self.folder.text().strip()).expanduser()
        if not chosen.is_absolute():  # never the process's working folder (System32 for a Start-menu launch)
            chosen = (self.services.home or Path.home()) / chosen
        out_dir = (
            chosen
            if not install
            else (self.services.app_data or app_data_dir()) / "files" / _folder_name(address.address)
        )
        settings = self.model.settings()
        services = self.services
        # "Remember my password": Thunderbird's own password manager gets it too, when the server accepted it.
        check = self.model.check
        keep_password = (
            self.model.password
            if install and self.model.remember_password and check is not None and check.logins_ok
            else None
        )
        request = self._request()
        answer = (
            self._certificate_answer[1] if self._certificate_answer and self._certificate_answer[0] == request else None
        )
        offered = set(self.model.certificate_offered)
        check = self.model.check
        probe = check.probe if (install and check is not None and self.model.tested) else None
        provider = self.model.provider
        self._generation += 1
        generation = self._generation

        def work(_report: Report) -> _Written | _CertificateQuestion:
            if profile is not None:
                with thunderbird.hold_profile(profile, services.platform):
                    pass  # refuses with ThunderbirdRunning before anything is written
            installed: TrustReport | None = None
            missing: tuple[str, ...] = ()
            if probe is not None:
                from setup_assistant.core import trust
                from setup_assistant.gui.trust_check import trust_before_writing

                before = trust_before_writing(services, provider, probe, clients, profile)
                if before is not None and before.missing:
                    if answer is None and any(r.place.key not in offered for r in before.missing):
                        return _CertificateQuestion(before.labels(), before.programs())
                    if answer == "install":
                        installed = trust.install_root(provider, before.plan, trust.server_trust(probe))
                        left = [
                            r
                            for r in installed.places
                            if r.place in {m.place for m in before.missing} and not r.present
                        ]
                        missing = tuple(dict.fromkeys(p for r in left for p in r.place.programs))
                    else:
                        missing = tuple(dict.fromkeys(p for r in before.missing for p in r.place.programs))
            outcome = write_profiles(
                settings,
                out_dir,
                clients,
                install=install,
                thunderbird_profile=profile,
                platform=services.platform,
                app_data=services.app_data,
                opener=services.opener,
                home=services.home,
                outlook_machine=services.outlook_machine,
                thunderbird_password=keep_password,
            )
            return _Written(outcome, installed, missing)  # write_profiles has recorded it for the report

        self._running = True
        clear_layout(self.messages)
        self.messages.addWidget(StatusLine(Status.PENDING, self.tr("Writing the settings…")))
        self.completeChanged.emit()
        self.services.settings.setValue("last/clients", [c.value for c in clients])
        self._in_flight = True
        self.jobs.start(
            work,
            on_result=lambda outcome: self._written(generation, request, install, outcome),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def cleanupPage(self) -> None:
        self._generation += 1
        self._running = False

    def _failed(self, generation: int, exc: object) -> None:
        self._in_flight = False  # the work has ended, whether or not this page still wants its result
        if generation != self._generation:
            return
        self._running = False
        clear_layout(self.messages)
        from setup_assistant.core.clients.thunderbird import writer as thunderbird

        if isinstance(exc, thunderbird.ThunderbirdRunning):
            text = self.tr(
                "Thunderbird is open. Quit Thunderbird (File → Quit), then press “{button}” again. Nothing was changed."
            ).format(button=self.buttonText(QWizard.WizardButton.NextButton).replace("&", ""))
        else:
            text = self.tr("The settings could not be written: {error}").format(error=human(exc))
        self.messages.addWidget(StatusLine(Status.ERROR, text))
        self.completeChanged.emit()

    def _written(self, generation: int, request: tuple[object, ...], install: bool, result: object) -> None:
        self._in_flight = False  # the work has ended, whether or not this page still wants its result
        if generation != self._generation:
            return
        if isinstance(result, _CertificateQuestion):
            self._running = False
            self._ask_certificate(result)
            return
        if not isinstance(result, _Written):
            return
        outcome = result.outcome
        self._running = False
        self.model.certificate_missing = list(result.missing)
        if result.installed is not None:
            self.model.certificate_done = [
                *self.model.certificate_done,
                *self._certificate_items(result.installed),
            ]
        self.model.written = outcome
        self.model.clients = [c.client for c in outcome.clients]
        self.model.save_only = not install
        self.model.out_dir = outcome.out_dir
        clear_layout(self.messages)
        if not outcome.ok:
            for client in outcome.clients:
                if client.error:  # the core's sentence says what to do (e.g. quit Thunderbird, then try again)
                    text = self.tr("{program}: {error}").format(program=client.client.label, error=human(client.error))
                    if self.examination and self.examination.for_program(client.client) and self.fix.isVisible():
                        text = self.tr(
                            "{program} already has this address with wrong settings: press “Fix these settings” "
                            "above first. Nothing was changed."
                        ).format(program=client.client.label)
                    self.messages.addWidget(StatusLine(Status.ERROR, text))
            self.messages.addWidget(
                StatusLine(
                    Status.INFO,
                    self.tr(
                        "The other programs' files were written. Fix the problem and try again, or untick that program."
                    ),
                )
            )
            self.completeChanged.emit()
            return
        self.model.done = self._done_items(outcome)
        self._written_for = request
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _ask_certificate(self, question: _CertificateQuestion) -> None:
        """The chosen programs need the root where the check did not see it: install it first (recommended)?"""
        clear_layout(self.messages)
        self.messages.addWidget(
            StatusLine(
                Status.WARNING,
                self.tr(
                    "{programs} needs the {provider} certificate, which is not installed in {places} yet. Without "
                    "it, {programs} warns about the server every time. Install it first (recommended), or set up "
                    "without it and accept the certificate in the mail program."
                ).format(programs=question.programs, provider=self.model.provider.name, places=question.places),
            )
        )
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(24, 0, 0, 0)
        self.install_certificate = QPushButton(self.tr("&Install the certificate and set up"))
        self.skip_certificate = QPushButton(self.tr("Set up &without it"))
        self.install_certificate.clicked.connect(lambda: self.start_writing("install"))
        self.skip_certificate.clicked.connect(lambda: self.start_writing("skip"))
        buttons.addWidget(self.install_certificate)
        buttons.addWidget(self.skip_certificate)
        buttons.addStretch(1)
        self.messages.addWidget(row)
        self._question_pending = True
        self._update_hint()  # Next is disabled until one of the two is chosen: Enter means install
        self.install_certificate.setDefault(True)
        self.install_certificate.setFocus()
        QTimer.singleShot(0, lambda: _reveal(row))  # on a small screen the question may be below the fold

    def _certificate_items(self, report: TrustReport) -> list[DoneItem]:
        from setup_assistant.core.trust import Outcome

        return [
            DoneItem(
                self.tr("The certificate is installed in {place}.").format(place=human(r.place.label)), r.place.path
            )
            for r in report.places
            if r.outcome is Outcome.INSTALLED
        ]

    def _done_items(self, outcome: ProfilesOutcome) -> list[DoneItem]:
        items = list(self.model.certificate_done)
        if self.repaired:
            items.append(
                DoneItem(self.tr("Fixed in place: {changes}.").format(changes="; ".join(self.repaired)), note=True)
            )
        for client in outcome.clients:
            items.extend(self._client_items(client))
        password = self._password_item(outcome)
        if password is not None:
            items.append(password)
        if self.model.save_only:
            items.append(DoneItem(self.tr("All files are in this folder:"), outcome.out_dir, self.tr("Open &folder")))
        return items

    def _client_items(self, client: ClientOutcome) -> list[DoneItem]:
        label = client.client.label
        sheet = next((p for p in client.files if p.suffix == ".html"), None)
        items: list[DoneItem] = []
        found = self.detected.get(client.client)
        if client.installed:
            if client.client is Client.THUNDERBIRD:
                already = bool(self.examination and self.examination.for_program(Client.THUNDERBIRD))
                if client.password is not None and client.password.saved:
                    text = self.tr("Thunderbird: your account and your password were added; it will not ask for it.")
                elif client.password is not None:  # asked for, but refused: the core says why
                    text = self.tr("Thunderbird: your account was added. {why}").format(
                        why=human(client.password.message)
                    )
                elif already:
                    text = self.tr("Thunderbird: your account is set up. Thunderbird asks for the password once.")
                else:
                    text = self.tr("Thunderbird: your account was added. Thunderbird asks for the password once.")
                items.append(
                    DoneItem(
                        text,
                        self.profile_path(),
                        self.tr("Start &Thunderbird") if found and found.start else None,
                        found.start if found else (),
                    )
                )
            elif client.client is Client.APPLE_MAIL:
                profile = next((p for p in client.files if p.suffix == ".mobileconfig"), None)
                items.append(
                    DoneItem(
                        self.tr("Apple Mail: approve the profile in System Settings › Privacy & Security › Profiles."),
                        profile,
                        self.tr("Open the &profile again"),
                    )
                )
            else:
                items.append(
                    DoneItem(
                        self.tr("Outlook: the settings are in place. Now, in this order:"),
                        None,
                        self.tr("Start &Outlook") if found and found.start else None,
                        found.start if found else (),
                    )
                )
                # The core's steps for the Outlook found here, its surest route first (POP's step included).
                items += [
                    DoneItem(f"{n}. {human(step)}", None, note=True) for n, step in enumerate(client.next_steps, 1)
                ]
        elif client.skipped:
            items.append(
                DoneItem(self.tr("{program}: {why}").format(program=label, why=human(client.skipped)), None, note=True)
            )
        # Apple Mail's and Outlook's POP defaults delete mail from the server (after a week / 14 days), and not every
        # route can switch that off: the guide's POP warning, as one step, unless the core's steps already say it.
        pop_step_shown = bool(client.next_steps)
        if (
            self.model.protocol is MailProtocol.POP3
            and client.files
            and client.client is not Client.THUNDERBIRD
            and not pop_step_shown
        ):
            step = (
                self.tr(
                    "Apple Mail: so webmail and your other devices keep your mail, open Mail › Settings › Accounts › "
                    "Advanced and set “Remove copy from server after retrieving a message” to Never."
                )
                if client.client is Client.APPLE_MAIL
                else self.tr(
                    "Outlook: so webmail and your other devices keep your mail, import outlook.prf (it keeps mail on "
                    "the server), or after adding the account open its More Settings › Advanced, keep “Leave a copy "
                    "of messages on the server” ticked and untick “Remove from server after 14 days”."
                )
            )
            items.append(DoneItem(step, None, note=True))
        if (
            self.model.protocol is MailProtocol.POP3
            and client.client is Client.THUNDERBIRD
            and client.files
            and not client.installed
        ):
            # Added by hand or from config-v1.1.xml, a POP account keeps Thunderbird's defaults: all three ticked.
            from setup_assistant.core.clients.instructions import thunderbird_pop_boxes_text

            days = self.model.settings().pop_delete_after_days
            text = self.tr("Thunderbird, when you add the account yourself: {steps}").format(
                steps=thunderbird_pop_boxes_text(days)
            )
            items.append(DoneItem(text, None, note=True))
        if sheet is not None:
            items.append(
                DoneItem(
                    self.tr("{program}: files and instructions saved.").format(program=label),
                    sheet,
                    self.tr("Open the instructions"),
                )
            )
        return items

    def _password_item(self, outcome: ProfilesOutcome) -> DoneItem | None:
        """After "Remember my password": which programs set up here have it, and which will ask once."""
        if not self.model.remember_password or self.model.save_only:
            return None
        have = [c.client.label for c in outcome.clients if c.installed and c.password is not None and c.password.saved]
        ask = [c.client.label for c in outcome.clients if c.installed and c.client.label not in have]
        if not have and not ask:
            return None
        if have and ask:
            text = self.tr("Your password: {have} has it; {ask} will ask for it once.")
        elif have:
            text = self.tr("Your password: {have} has it and will not ask for it.")
        else:
            text = self.tr("Your password: {ask} will ask for it once.")
        return DoneItem(text.format(have=" and ".join(have), ask=" and ".join(ask)), None, note=True)

    def profile_path(self) -> Path | None:
        data = self.profile.currentData()
        return Path(data) if data else None

    @property
    def running(self) -> bool:
        return self._running
