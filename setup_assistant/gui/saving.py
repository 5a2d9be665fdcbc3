"""The files the Result and Done pages save: the help-desk report (HTML + JSON) and the printable settings sheet.

The report is the core's diagnostic report built from the wizard's own check (DNS and trust are looked up,
the servers are not probed again; no password in it); the sheet is the core's (`settings_sheet`), which never
prints the password. This module only adds the PDF route, through Qt's own text renderer, and writes every
file whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from setup_assistant.core.account import AccountSettings
    from setup_assistant.core.probing.account_check import AccountCheck


REPORT_DNS_TIMEOUT = 3.0


def save_report(check: AccountCheck, path: Path) -> tuple[Path, Path]:
    """Writes report.html and report.json beside it. Blocks for the DNS lookups: run it on the pool."""
    from setup_assistant.core.helpdesk.report import report_from_check, write_report

    html_path = path.with_suffix(".html")
    return write_report(report_from_check(check, dns_timeout=REPORT_DNS_TIMEOUT), html_path)


def save_settings_sheet(settings: AccountSettings, path: Path) -> None:
    """HTML, or PDF when the name ends in .pdf (for printing straight away)."""
    from setup_assistant.core.helpdesk.settings_sheet import settings_sheet, write_settings_sheet

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
