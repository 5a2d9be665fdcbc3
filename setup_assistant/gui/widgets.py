"""Small widgets the pages share: wrapped text, a status line with an icon, a Details expander, a scroll body."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSize, QStandardPaths, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from setup_assistant.core.visible_text import visible
from setup_assistant.gui.icons import Status, status_icon
from setup_assistant.gui.lazy_qt import Qt, set_enum


def text_label(text: str = "", *, rich: bool = False, selectable: bool = False) -> QLabel:
    """A label that wraps, so translations and large fonts never get cut off."""
    label = QLabel(text)
    label.setWordWrap(True)
    # By key names: the first page is drawn before PySide6 builds its Qt namespace (see lazy_qt).
    set_enum(label, "textFormat", "RichText" if rich else "PlainText")
    if rich:
        label.setOpenExternalLinks(True)
        set_enum(label, "textInteractionFlags", "TextBrowserInteraction")
    elif selectable:
        set_enum(label, "textInteractionFlags", "TextSelectableByMouse")
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows server text as it is: Qt renders a tooltip that looks like HTML as rich text
    (links, images, layout), so the text is escaped inside a paragraph of our own; control characters are
    shown as escapes."""
    return "<p style='white-space:pre-wrap'>" + html.escape(visible(text)) + "</p>"


def top_aligned(widget: QWidget) -> QVBoxLayout:
    """`widget` at the top of a column (a row's AlignTop without needing the Qt namespace, see lazy_qt)."""
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    column.addStretch(1)
    return column


def status_word(status: Status) -> str:
    """The icon's meaning in words: status icons always have text too."""
    return {
        Status.OK: QCoreApplication.translate("Status", "OK"),
        Status.ERROR: QCoreApplication.translate("Status", "Problem"),
        Status.WARNING: QCoreApplication.translate("Status", "Note"),
        Status.PENDING: QCoreApplication.translate("Status", "Waiting"),
        Status.STOPPED: QCoreApplication.translate("Status", "Stopped"),
        Status.INFO: QCoreApplication.translate("Status", "Information"),
    }[status]


class StatusLine(QWidget):
    """An icon and a sentence; the icon's meaning is also in the accessible name, for screen readers."""

    def __init__(self, status: Status, text: str, *, icon_size: int = 20, rich: bool = False) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.icon_size = icon_size
        self.icon = QLabel()
        set_enum(self.icon, "alignment", "AlignLeft|AlignTop")
        self.label = text_label(text, rich=rich)
        set_enum(self.label, "alignment", "AlignLeft|AlignTop")
        layout.addLayout(top_aligned(self.icon))
        layout.addWidget(self.label, 1)
        self.set(status, text)

    def align(self) -> None:
        """Centres the icon on the first line of text (call again after changing the label's font)."""
        line = self.label.fontMetrics().height()
        size = self.icon_size
        self.label.setContentsMargins(0, max(0, (size - line) // 2), 0, 0)
        self.icon.setContentsMargins(0, max(0, (line - size) // 2), 0, 0)
        self.icon.setFixedSize(QSize(size, max(size, line)))

    def set(self, status: Status, text: str) -> None:
        size = self.icon_size
        self.status = status
        self.icon.setPixmap(status_icon(status).pixmap(QSize(size, size), self.devicePixelRatioF()))
        self.label.setText(text)
        self.align()
        word = status_word(status)
        self.icon.setAccessibleName(word)
        self.setAccessibleName(f"{word}: {text}")


def announce(widget: QWidget, text: str) -> None:
    """Has a screen reader say `text` without moving the focus (AT-SPI's Announcement, UIA's Notification).

    Polite: it waits for what is being spoken (for example the button that just got the focus).
    """
    try:
        from PySide6.QtGui import QAccessibleAnnouncementEvent
    except ImportError:  # Qt before 6.8: only the status line's changed name (NameChanged) reaches a screen reader
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def spoken_start(text: str) -> str:
    """`text` to go after a colon in a spoken sentence: "Works, encrypted" -> "works, encrypted" (acronyms stay)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def row_sentence(what: str, result: str, elapsed: str = "") -> str:
    """One table row as a screen reader should say it: "Receiving mail (IMAP), port 143, STARTTLS: works,
    encrypted, 73 ms" (the result column's icon is in the words too)."""
    if elapsed:
        return QCoreApplication.translate("Status", "{what}: {result}, {time}").format(
            what=what, result=spoken_start(result), time=elapsed
        )
    return QCoreApplication.translate("Status", "{what}: {result}").format(what=what, result=spoken_start(result))


class Expander(QWidget):
    """A "Details" button with an arrow that shows or hides its content; keyboard: Space toggles it."""

    def __init__(self, title: str, content: QWidget) -> None:
        super().__init__()
        self.button = QToolButton()
        self.button.setText(title)
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAutoRaise(True)
        self.button.setAccessibleName(title)
        self.button.toggled.connect(self._toggled)
        self.content = content
        self.content.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.content)

    def _toggled(self, shown: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.content.setVisible(shown)
        if shown:  # bring what was just opened into view once the layout has made room for it
            QTimer.singleShot(0, self._reveal)

    def _reveal(self) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.content, 0, 0)


def scroll_body(page: QWidget) -> QVBoxLayout:
    """Gives a page a frameless scroll area and returns the layout to fill, so nothing is cut off when small."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    set_enum(area, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")  # no Qt namespace on the first page (lazy_qt)
    # A Tab stop only while there is something to scroll (arrow keys then scroll it); never a nameless one.
    set_enum(area, "focusPolicy", "NoFocus")
    area.setAccessibleName(QCoreApplication.translate("Status", "Page"))

    def scrollable(_low: int, high: int) -> None:
        set_enum(area, "focusPolicy", "StrongFocus" if high > 0 else "NoFocus")
        more = QCoreApplication.translate("Status", "More of this page is below: the arrow keys scroll it.")
        area.setAccessibleDescription(more if high > 0 else "")

    area.verticalScrollBar().rangeChanged.connect(scrollable)
    inner = QWidget()
    # Wrapped labels report their height at the narrowest width as a minimum; ignoring it lets the scroll
    # area use the height for the real width (heightForWidth), so a scroll bar appears only when needed.
    inner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
    area.setWidget(inner)
    outer.addWidget(area)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 0, 6, 0)
    return layout


def fingerprint_lines(fingerprint: str, per_line: int = 16) -> str:
    """A long "AB:CD:…" fingerprint as lines of `per_line` bytes: one unbreakable word would not fit the page."""
    pairs = [p for p in fingerprint.replace(" ", "").split(":") if p]
    if len(pairs) <= 1:  # plain hex without colons
        text = fingerprint.replace(":", "").upper()
        pairs = [text[i : i + 2] for i in range(0, len(text), 2)]
    return "\n".join(":".join(pairs[i : i + per_line]) for i in range(0, len(pairs), per_line))


def path_field(path: object) -> QLineEdit:
    """A file or folder path the person can select and copy whole; a long one scrolls instead of being cut off."""
    field = QLineEdit(str(path))
    field.setReadOnly(True)
    field.setFrame(False)
    field.setCursorPosition(0)
    field.setAccessibleName(QCoreApplication.translate("Status", "Path"))
    # The window's own colours, from the palette: a high-contrast theme keeps its text/background pair.
    field.setStyleSheet("QLineEdit { background: palette(window); color: palette(window-text); }")
    return field


def keep_place(widget: QWidget, lines: int = 1) -> None:
    """Keeps a status line's space while it is hidden or short, so nothing below moves when it appears."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    widget.setMinimumHeight(lines * widget.fontMetrics().lineSpacing())


def reserved(widget: QWidget, lines: int = 1) -> QWidget:
    """`widget` in a holder that keeps its room while it is hidden (a hidden form row would collapse)."""
    keep_place(widget, lines)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    return holder


def seconds_text(ms: int) -> str:
    """A duration in the person's locale: "85 ms" below a second, else like "2.4 s"."""
    if ms < 1000:
        return QCoreApplication.translate("Status", "{ms} ms").format(ms=QLocale().toString(ms))
    return QCoreApplication.translate("Status", "{seconds} s").format(seconds=QLocale().toString(ms / 1000, "f", 1))


def documents_folder() -> Path:
    """The person's Documents folder, or their home when there is none (never the working directory)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def start_folder(wanted: Path | None = None) -> Path:
    """Where a file dialog opens: `wanted` or its nearest existing parent, else Documents or home.

    A dialog given a folder that does not exist opens in the working directory (System32 for a Start-menu launch).
    """
    if wanted is not None and wanted.is_absolute():
        for folder in (wanted, *wanted.parents):
            if folder.is_dir() and folder != Path(folder.anchor):
                return folder
    return documents_folder()


def ask_save_path(parent: QWidget, title: str, file_name: str, file_filter: str) -> Path | None:
    """The platform's Save dialog, starting in Documents (or home); None when the person cancels."""
    folder = documents_folder()
    chosen, selected = QFileDialog.getSaveFileName(parent, title, str(folder / file_name), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if not path.suffix:  # some dialogs do not add the extension of the chosen filter (e.g. "PDF (*.pdf)")
        match = re.search(r"\*(\.[A-Za-z0-9]+)", selected or file_filter)
        if match:
            path = path.with_suffix(match.group(1))
    return path


def clear_layout(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()  # deleteLater waits for the event loop; until then it must not be drawn
            widget.deleteLater()
