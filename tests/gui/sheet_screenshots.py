"""Screenshots of the instruction pages (instructions.html) as a browser shows them, for the docs.

    python -m tests.gui.sheet_screenshots --out docs/screenshots/sheets

Renders each page with headless Chromium (Debian: `chromium`), then trims the empty bottom with Qt. The pages are
the core's, for NPOMail's settings as the guide gives them (not probed), in the cases worth seeing, in English
(`NAME.png`) and in every other language the app speaks (`NAME-es.png`), side by side in the folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from setup_assistant.core import i18n
from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients import instructions
from setup_assistant.core.clients.outlook.detect import OutlookFound, OutlookKind
from setup_assistant.core.helpdesk.settings_sheet import settings_sheet
from setup_assistant.core.model import MailProtocol
from tests.core.clients.profile_support import settings

WIDTH, HEIGHT = 900, 6000
XML_FOLDER = r"C:\Users\Public\Documents\NPOMail Setup Assistant\outlook\example.org"


def _outlook(found: OutlookFound | None) -> Callable[[AccountSettings], bytes]:
    return lambda s: instructions.outlook_sheet(s, xml_folder=XML_FOLDER, has_prf=True, found=found)


CASES: list[tuple[str, MailProtocol, Callable[[AccountSettings], bytes]]] = [
    ("outlook-pop", MailProtocol.POP3, _outlook(None)),
    (
        "outlook-imap-microsoft-365",
        MailProtocol.IMAP,
        _outlook(OutlookFound(OutlookKind.CLASSIC, "Microsoft 365", "16.0.17928.20156")),
    ),
    (
        "outlook-imap-2024",
        MailProtocol.IMAP,
        _outlook(OutlookFound(OutlookKind.CLASSIC_2024, "Office 2024", "16.0.17932.20000")),
    ),
    ("outlook-new-outlook", MailProtocol.IMAP, _outlook(OutlookFound(OutlookKind.NEW))),
    ("thunderbird-pop", MailProtocol.POP3, instructions.thunderbird_sheet),
    (
        "apple-mail-pop",
        MailProtocol.POP3,
        lambda s: instructions.apple_mail_sheet(s, profile_name="jane.mobileconfig", signed=False),
    ),
    ("settings-sheet-pop", MailProtocol.POP3, lambda s: settings_sheet(s)),
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def _trim(png: Path) -> None:
    """Cuts the page's empty bottom (the window is taller than any page)."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(png))
    white = QColor("white").rgb()
    bottom = image.height() - 1
    while bottom > 0 and all(image.pixel(x, bottom) == white for x in range(0, image.width(), 7)):
        bottom -= 1
    image.copy(0, 0, image.width(), min(image.height(), bottom + 40)).save(str(png))


def render(out: Path, languages: tuple[str, ...] = i18n.SUPPORTED) -> list[Path]:
    browser = chromium()
    if browser is None:
        raise SystemExit("headless Chromium is needed (Debian: apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="sa-sheets-") as work:
        for language in languages:
            for name, protocol, make in CASES:
                i18n.set_language(language)
                suffix = "" if language == "en" else f"-{language}"
                page = Path(work) / f"{name}{suffix}.html"
                page.write_bytes(make(settings(protocol=protocol)))
                png = out / f"{name}{suffix}.png"
                command = [
                    browser,
                    "--headless",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    f"--window-size={WIDTH},{HEIGHT}",
                ]
                if hasattr(os, "geteuid") and os.geteuid() == 0:
                    command.append("--no-sandbox")
                command += [f"--user-data-dir={Path(work) / 'chromium'}", f"--screenshot={png}", page.as_uri()]
                subprocess.run(command, check=True, capture_output=True, timeout=120)
                _trim(png)
                written.append(png)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    for path in render(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
