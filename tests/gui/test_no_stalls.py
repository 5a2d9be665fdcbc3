"""The window keeps answering: pages are built one per turn of the event loop, and the heavy modules a check,
the certificate stores and the profile writers need are never imported on the GUI thread (cryptography alone
takes tens of milliseconds; benchmarks/stalls.py measures the gaps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from setup_assistant.core.provider import load_provider
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.wizard import MailWizard

ROOT = Path(__file__).resolve().parents[2]
MARK = "imports on the GUI thread: "


def test_the_other_pages_are_built_one_per_turn_of_the_event_loop(qtbot, services) -> None:
    wizard = MailWizard(WizardModel(load_provider()), services, defer_pages=True)
    qtbot.addWidget(wizard)
    counts: list[int] = []
    sampler = QTimer()
    sampler.timeout.connect(lambda: counts.append(len(wizard.pageIds())))
    sampler.start(0)  # once per turn of the event loop
    wizard.show()
    qtbot.waitUntil(lambda: wizard.pages_ready and not wizard.jobs.busy, timeout=20_000)
    sampler.stop()
    assert len(wizard.pageIds()) == 7
    between = set(counts) - {1, 7}
    assert len(between) >= 3, counts  # all at once, the loop would only ever have seen 1 and then 7 pages
    wizard.done(0)


SCRIPT = f"""
import json, sys, threading, time
heavy = ("setup_assistant.core.probing", "setup_assistant.core.trust", "setup_assistant.core.clients.profiles",
         "setup_assistant.core.helpdesk.report", "cryptography")
on_gui = []
def audit(event, args):
    if event == "import" and threading.current_thread() is threading.main_thread():
        if any(args[0] == h or args[0].startswith(h + ".") for h in heavy):
            on_gui.append(args[0])
sys.addaudithook(audit)

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from setup_assistant.core.provider import load_provider
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.model import WizardModel
from setup_assistant.gui.secrets import PasswordStore
from setup_assistant.gui.services import Services
from setup_assistant.gui.wizard import MailWizard
from tests.gui.memory_keyring import MemoryKeyring

def spin_until(condition, timeout=30.0):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()

app = QApplication([])
services = Services(QSettings(sys.argv[2], QSettings.Format.IniFormat), PasswordStore("t", backend=MemoryKeyring()),
                    platform="linux", home=None)
wizard = MailWizard(WizardModel(load_provider(sys.argv[1])), services, defer_pages=True)
wizard.show()
spin_until(lambda: wizard.pages_ready and not wizard.jobs.busy)
wizard.address_page.address.setText("jane.doe@example.org")
wizard.next()
spin_until(lambda: wizard.currentId() == PageId.PASSWORD and not wizard.jobs.busy)
wizard.next()
spin_until(lambda: wizard.currentId() == PageId.CHECKING and not wizard.checking_page.running)
print({MARK!r} + json.dumps(on_gui), flush=True)
wizard.done(0)  # (close() would ask first: a check page is "midway")
"""


def test_the_check_s_modules_are_never_imported_on_the_gui_thread(tmp_path: Path) -> None:
    from tests.servers.provider_file import provider_toml

    provider = tmp_path / "closed.toml"
    provider.write_text(provider_toml({}), encoding="utf-8")  # every port is 1: refused at once
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)})
    env["SETUP_ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(provider), str(tmp_path / "settings.ini")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    assert len(lines) == 1, done.stderr[-3000:]
    assert json.loads(lines[0].removeprefix(MARK)) == []
