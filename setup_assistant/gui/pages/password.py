"""Page 2: the password, kept in memory only unless the person opts in to the OS password store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWizardPage

from setup_assistant.gui.capslock import CapsLockWatcher
from setup_assistant.gui.icons import Status
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.widgets import StatusLine, keep_place, reserved, scroll_body, text_label

if TYPE_CHECKING:
    from setup_assistant.gui.jobs import JobRunner


class PasswordPage(QWizardPage):
    store_checked = Signal()  # the password store has been asked (on the pool: it may show an unlock prompt)

    def __init__(self, model: WizardModel, passwords: PasswordStore, jobs: JobRunner | None = None) -> None:
        super().__init__()
        self.model = model
        self.passwords = passwords
        self.jobs = jobs
        self._generation = 0
        self.setTitle(self.tr("Your password"))

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setAccessibleDescription(self.tr("The password of your email account."))
        self.show_password = QCheckBox(self.tr("&Show password"))
        self.show_password.setAccessibleDescription(self.tr("Shows the password as plain text while you type."))
        self.caps = StatusLine(Status.WARNING, self.tr("Caps Lock seems to be on."), icon_size=16)
        self.caps.setVisible(False)
        self.watcher = CapsLockWatcher(self)
        self.password.installEventFilter(self.watcher)

        self.remember = QCheckBox(self.tr("&Remember my password on this computer"))
        self.remember.setAccessibleDescription(
            self.tr("Off by default. When on, the password is kept in this computer's password store.")
        )
        self.where = text_label()
        self.prefilled = StatusLine(Status.INFO, self.tr("Your remembered password was filled in."), icon_size=16)
        self.prefilled.setVisible(False)
        keep_place(self.prefilled)  # nor "Remember" when this appears, a moment after the page

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow("", reserved(self.caps))  # the box below must not move when the hint appears while typing
        form.addRow("", self.show_password)

        layout = scroll_body(self)  # scrolls on a small or scaled-up screen
        layout.addLayout(form)
        layout.addWidget(self.prefilled)
        layout.addSpacing(12)
        layout.addWidget(self.remember)
        layout.addWidget(self.where)
        layout.addStretch(1)
        layout.addWidget(
            text_label(
                self.tr(
                    "The password is only used to check that you can sign in. It is not written into any file, "
                    "and your mail program will ask for it once."
                )
            )
        )
        layout.addWidget(
            text_label(
                self.tr(
                    "Setting this up for someone else? Leave the password empty: the servers are still checked, "
                    "only the sign-in is not."
                )
            )
        )
        self.setTabOrder(self.password, self.show_password)
        self.setTabOrder(self.show_password, self.remember)

        self.password.textChanged.connect(self._password_changed)
        self.show_password.toggled.connect(self._show_toggled)
        self.watcher.changed.connect(self.caps.setVisible)
        self.watcher.changed.connect(self._describe_password)
        self.remember.toggled.connect(self._remember_toggled)

    def initializePage(self) -> None:
        address = self.model.require_address()
        self.setSubTitle(self.tr("for {address}").format(address=address.address))
        self.password.setFocus()
        self._generation += 1
        generation = self._generation
        username = address.username
        want_saved = not self.model.password
        passwords = self.passwords

        def ask(_report: object) -> tuple[str | None, str | None]:
            # The OS store may ask to be unlocked: never on the GUI thread, so the window keeps repainting.
            where = passwords.where()
            saved = passwords.load(username) if (where is not None and want_saved) else None
            return where, saved

        self.remember.setEnabled(False)
        self.where.setText(self.tr("Looking for this computer's password store…"))
        if self.jobs is None:
            self._store_answered(generation, ask(None))
        else:
            self.jobs.start(
                ask,
                on_result=lambda answer: self._store_answered(generation, answer),
                on_error=lambda _exc: self._store_answered(generation, (None, None)),
            )

    def returned_to(self) -> None:
        """Back here after a check (most often: the password was not accepted). Typing replaces what is there."""
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password.selectAll()

    def _store_answered(self, generation: int, answer: object) -> None:
        if generation != self._generation:
            return  # the person went back and forth meanwhile
        assert isinstance(answer, tuple)
        where, saved = answer
        if where is None:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.where.setText(
                self.tr(
                    "This computer has no password store that the assistant can use, so it cannot remember your "
                    "password. Your mail program can remember it for you."
                )
            )
        else:
            self.remember.setEnabled(True)
            self.where.setText(
                self.tr("If you tick this, the password is kept in {where}, not in a file.").format(where=where)
            )
            if saved and not self.model.password:  # never overwrite what the person typed meanwhile
                self.password.setText(saved)
                self.remember.setChecked(True)
                self.prefilled.setVisible(True)
        self.store_checked.emit()

    def _password_changed(self, text: str) -> None:
        self.model.password = text
        self.prefilled.setVisible(False)
        if not text:
            self.caps.setVisible(False)
            self._describe_password(False)

    def _describe_password(self, caps_on: bool) -> None:
        """The Caps Lock hint is also in the field's description: a screen reader in the field hears it."""
        description = self.tr("The password of your email account.")
        if caps_on:
            description += " " + self.caps.label.text()
        self.password.setAccessibleDescription(description)

    def _show_toggled(self, shown: bool) -> None:
        self.password.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _remember_toggled(self, on: bool) -> None:
        self.model.remember_password = on
