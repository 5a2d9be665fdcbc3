"""A hook for the bundle smoke test and the start-up benchmark: report the first painted page, then quit.

With `SETUP_ASSISTANT_EXIT_ON_SHOWN` set, a frozen build proves it reaches its first page with no one there to
click, and the benchmark times exec-to-first-paint from outside. The value `1` prints the report line on stdout;
any other value (except `0`) is a file to append it to, for the windowed Windows executable, which has no stdout.
Unset, `exit_when_shown` does nothing.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV_VAR = "SETUP_ASSISTANT_EXIT_ON_SHOWN"
REPORT_PREFIX = "setup-assistant: first page shown:"


def report_line(window: QWidget) -> str:
    """Names the window and, for a wizard, the page on screen, so a test can tell which page came up."""
    page = window.currentPage() if hasattr(window, "currentPage") else None
    where = f"{type(window).__name__} {window.windowTitle()!r}"
    if page is not None:
        where += f" page {type(page).__name__} {page.title()!r}"
    return f"{REPORT_PREFIX} {where}"


class _ExitOnFirstPaint(QObject):
    def __init__(self, window: QWidget, target: str) -> None:
        super().__init__(window)
        self._window = window
        self._target = target
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._fired and event.type() == QEvent.Type.Paint:
            self._fired = True
            # Report after this paint has finished, then leave every event loop (a modal exec() too) with 0.
            QTimer.singleShot(0, self._report_and_quit)
        return False

    def _report_and_quit(self) -> None:
        line = report_line(self._window)
        if self._target == "1":
            if sys.stdout is not None:
                print(line, flush=True)
        else:
            with open(self._target, "a", encoding="utf-8") as report:
                report.write(line + "\n")
        QCoreApplication.exit(0)


def exit_when_shown(window: QWidget) -> None:
    """Call once with the top-level window before it is shown; a no-op unless the variable is set."""
    target = os.environ.get(ENV_VAR, "").strip()
    if not target or target == "0":
        return
    window.installEventFilter(_ExitOnFirstPaint(window, target))
