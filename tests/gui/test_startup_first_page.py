"""The first page is painted before anything slow: no network, no keyring, no files but the app's own and the
settings, no other page, and not even PySide6's Qt namespace (building it takes longer than a bare window).

A fresh interpreter runs the real entry point (`run_wizard`) offscreen; an application-wide event filter notes
what has happened by the wizard's first Paint event, and an audit hook notes every file Python opens and every
network call it makes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = "at first paint: "

SCRIPT = f"""
import json, os, sys
events = []
def audit(event, args):
    if event == "open" and isinstance(args[0], str):
        events.append(("open", os.path.abspath(args[0])))
    elif event.startswith("socket.") or event in ("subprocess.Popen", "os.system"):
        events.append((event, repr(args)[:200]))
sys.addaudithook(audit)

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and type(watched).__name__ == "MailWizard":
            state = {{
                "qt_namespace": "Qt" in QtCore.__dict__,
                "pages_ready": watched.pages_ready,
                "page": type(watched.currentPage()).__name__,
                "modules": sorted(sys.modules),
                "events": events,
            }}
            print({MARK!r} + json.dumps(state), flush=True)
            os._exit(0)
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
from setup_assistant.gui.app import run_wizard
run_wizard(None)
"""


def first_paint_state(tmp_path: Path) -> dict[str, object]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "SETUP_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "PYTHONPATH": str(ROOT),
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    assert done.returncode == 0 and len(lines) == 1, done.stderr[-3000:]
    state: dict[str, object] = json.loads(lines[0].removeprefix(MARK))
    return state


def test_the_first_page_is_painted_before_anything_slow(tmp_path: Path) -> None:
    state = first_paint_state(tmp_path)
    assert state["page"] == "AddressPage"
    assert state["pages_ready"] is False  # the other pages are built after the first paint
    assert state["qt_namespace"] is False  # see setup_assistant/gui/lazy_qt.py
    modules = state["modules"]
    assert isinstance(modules, list)
    heavy = ("keyring", "socket", "ssl", "_hashlib", "setup_assistant.gui.pages.password", "setup_assistant.core.trust")
    for name in heavy:  # _hashlib: OpenSSL, 4.5 MB to load (see core.provider._sha256_hex)
        assert not [m for m in modules if m == name or m.startswith(name + ".")], f"{name} loaded before the paint"
    events = state["events"]
    assert isinstance(events, list)
    network = [e for e in events if e[0] != "open"]
    assert not network, network
    own = (
        str(ROOT / "setup_assistant"),
        str(ROOT / "resources"),
        sys.base_prefix,
        sys.prefix,
        sys.exec_prefix,
        "/usr/lib",
        "/usr/share",
    )
    others = [path for kind, path in events if kind == "open" and not path.startswith(own)]
    assert not others, f"files opened before the first paint: {others}"
