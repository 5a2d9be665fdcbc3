"""Page 1: the person's address and name, checked live with the core's own messages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWizardPage

from setup_assistant.core import i18n
from setup_assistant.core.address import validation_message
from setup_assistant.gui.icons import Status, logo_pixmap
from setup_assistant.gui.lazy_qt import Qt, set_enum
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.widgets import StatusLine, reserved, scroll_body, text_label, top_aligned

LANGUAGES = (("en", "English"), ("es", "Español"))  # each in its own language: whoever reads it finds theirs
LOGO_SIZE = 64
VALIDATION_DELAY_MS = 500  # let the person finish typing before pointing out what is missing


def provider_logo(model: WizardModel, size: int, ratio: float) -> QPixmap:
    """The provider file's `logo` (a path beside the file) if it names a readable image, else the app's logo."""
    logo = model.provider.extra.get("logo")
    if isinstance(logo, str) and logo.strip():
        path = Path(logo) if Path(logo).is_absolute() else model.provider.source.parent / logo
        pixmap = QPixmap(str(path))
        if not pixmap.isNull():
            scaled = pixmap.scaled(
                QSize(round(size * ratio), round(size * ratio)),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            scaled.setDevicePixelRatio(ratio)
            return scaled
    return logo_pixmap(size, ratio)


class AddressPage(QWizardPage):
    language_chosen = Signal(str)  # a language code; the wizard switches to it (MailWizard.change_language)

    def __init__(self, model: WizardModel, settings: QSettings) -> None:
        super().__init__()
        self.model = model
        self.settings = settings
        provider = model.provider
        self.setTitle(self.tr("Set up your {provider} email").format(provider=provider.name))
        self.setSubTitle(
            self.tr(
                "This assistant checks your account and sets up your mail program. "
                "You only need your address and password."
            )
        )

        self.logo = QLabel()
        self.logo.setPixmap(provider_logo(model, LOGO_SIZE, self.devicePixelRatioF()))
        self.logo.setAccessibleName(self.tr("{provider} logo").format(provider=provider.name))
        intro = text_label(
            self.tr("{provider} is the email service of {organization}.").format(
                provider=provider.name, organization=provider.organization
            )
        )
        header = QHBoxLayout()
        header.addLayout(top_aligned(self.logo))
        header.addWidget(intro, 1)

        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("name@your-domain.org"))
        self.address.setAccessibleName(self.tr("Email address"))
        self.address.setAccessibleDescription(self.tr("Your full email address; it is also your username."))
        set_enum(self.address, "inputMethodHints", "ImhEmailCharactersOnly|ImhNoAutoUppercase")
        self.message = StatusLine(Status.WARNING, "", icon_size=16)
        self.message.setVisible(False)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("for example, Jane Doe"))
        self.name.setAccessibleName(self.tr("Your name"))
        self.name.setAccessibleDescription(self.tr("Shown as the sender of your messages."))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Email address:"), self.address)
        form.addRow("", reserved(self.message))  # the name field below stays put when a message appears
        form.addRow(self.tr("Your &name:"), self.name)
        form.addRow("", text_label(self.tr("People you write to see this name beside your address.")))
        # For a volunteer sitting beside someone: the label is in both languages on purpose, never translated.
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex([code for code, _ in LANGUAGES].index(i18n.current_language()))
        self.language.setAccessibleName("Language / Idioma")
        self.language.currentIndexChanged.connect(lambda i: self.language_chosen.emit(LANGUAGES[i][0]))
        form.addRow("&Language / Idioma:", self.language)

        layout = scroll_body(self)  # scrolls on a small or scaled-up screen
        layout.addLayout(header)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(
            text_label(self.tr("Your username is your full email address; the assistant uses it for you."))
        )

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATION_DELAY_MS)
        self._timer.timeout.connect(self.show_message)
        self.address.textChanged.connect(self._address_changed)
        self.address.editingFinished.connect(self.show_message)
        self.name.textChanged.connect(self._name_changed)

        self.address.setText(model.address_text or str(settings.value("last/address", "") or ""))
        self.name.setText(model.display_name or str(settings.value("last/name", "") or ""))
        self.setTabOrder(self.address, self.name)

    def initializePage(self) -> None:
        self.address.setFocus()

    def _address_changed(self, text: str) -> None:
        self.model.address_text = text
        if validation_message(text) is None:
            self.show_message()  # a valid address clears the message at once
        else:
            self.message.setVisible(False)
            self._timer.start()
        self.completeChanged.emit()

    def _name_changed(self, text: str) -> None:
        self.model.display_name = text.strip()

    def show_message(self) -> None:
        self._timer.stop()
        text = self.address.text()
        message = validation_message(text) if text.strip() else None
        self.message.setVisible(message is not None)
        if message is not None:
            self.message.set(Status.WARNING, message)
        self.address.setAccessibleDescription(message or self.tr("Your full email address; it is also your username."))

    def isComplete(self) -> bool:
        return validation_message(self.address.text()) is None

    def validatePage(self) -> bool:
        address = self.model.require_address()
        self.settings.setValue("last/address", address.address)
        self.settings.setValue("last/name", self.model.display_name)
        return True
