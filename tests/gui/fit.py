"""What a person sees of each text on a wizard page: a text wider than its visible part is cut off.

Checks every visible label and button on the current page: the longest line (a wrapping label: its longest word,
which cannot wrap) must fit in the part of the widget that its scroll area and the window really show.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QCheckBox, QLabel, QRadioButton, QWidget

SLACK = 2  # pixels of rounding


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (label.textFormat() == Qt.TextFormat.AutoText and "<" in text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _needed(widget: QWidget) -> int:
    metrics = widget.fontMetrics()
    if isinstance(widget, QLabel):
        text = _plain(widget)
        if widget.buddy() is not None:  # "&Name:" shows as "Name:"
            text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        lines = text.splitlines() or [""]
        pieces = [w for line in lines for w in re.split(r"[ \u2009]", line)] if widget.wordWrap() else lines
        margins = widget.contentsMargins()
        extra = margins.left() + margins.right() + 2 * widget.margin() + max(0, widget.indent())
        return max(metrics.horizontalAdvance(p) for p in pieces) + extra
    assert isinstance(widget, QAbstractButton)
    text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    extra = 24 if isinstance(widget, QCheckBox | QRadioButton) else 12
    return metrics.horizontalAdvance(text) + extra


def _shown(widget: QWidget, window: QWidget) -> QRect:
    """The widget's rectangle in window coordinates, cut to what each scroll area and the window show."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            view = parent.viewport()
            rect = rect.intersected(QRect(view.mapTo(window, view.rect().topLeft()), view.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def cut_off_texts(page: QWidget, window: QWidget) -> list[str]:
    """Every visible text on `page` that is wider than what is shown of it (empty when all fit)."""
    problems = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel) and (not widget.text() or (widget.pixmap() and not widget.pixmap().isNull())):
            continue
        if isinstance(widget, QAbstractButton) and not widget.text():
            continue
        shown = _shown(widget, window)
        if shown.height() <= 0:
            continue  # scrolled out of view vertically: the person scrolls to it
        needed = _needed(widget)
        if needed > shown.width() + SLACK:
            text = _plain(widget) if isinstance(widget, QLabel) else widget.text()
            problems.append(f"{type(widget).__name__} needs {needed}px, shows {shown.width()}px: {text[:70]!r}")
    return problems
