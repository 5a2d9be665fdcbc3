"""The files the Result and Done pages save: the help-desk report (JSON) and the printable settings sheet.

The report is `AccountCheck.to_json()`, which has no password field; the sheet is the core's
(`settings_sheet`), which never prints the password. This module only adds the PDF route, through Qt's own
text renderer, and writes every file whole or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from setup_assistant.core.atomic import write_text_atomic

if TYPE_CHECKING:
    from setup_assistant.core.account import AccountSettings
    from setup_assistant.core.account_check import AccountCheck


def report_text(check: AccountCheck) -> str:
    return json.dumps(check.to_json(), indent=2, ensure_ascii=False) + "\n"


def save_report(check: AccountCheck, path: Path) -> None:
    write_text_atomic(path, report_text(check))


def save_settings_sheet(settings: AccountSettings, path: Path) -> None:
    """HTML, or PDF when the name ends in .pdf (for printing straight away)."""
    from setup_assistant.core.settings_sheet import settings_sheet, write_settings_sheet

    if path.suffix.lower() == ".pdf":
        save_pdf(settings_sheet(settings).decode("utf-8"), path)
    else:
        write_settings_sheet(settings, path)


def save_pdf(html: str, path: Path) -> None:
    """Renders simple HTML to an A4 PDF beside `path` first, then puts it in place in one step."""
    from PySide6.QtCore import QMarginsF, QSizeF  # Qt's PDF classes: loaded only to write a PDF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(temp)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        document = QTextDocument()
        document.setHtml(html)
        document.setPageSize(QSizeF(writer.width(), writer.height()))
        document.print_(writer)
        del writer  # finishes the file
        if Path(temp).stat().st_size == 0:
            raise OSError(f"the PDF for {path} came out empty")
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
