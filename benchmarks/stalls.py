"""Does the window keep painting? A heartbeat on the GUI thread while the wizard does its work.

Run as root (the test Dovecot): `python benchmarks/stalls.py [--runs 3]`. Offscreen, the real wizard goes
through a whole setup against the test servers: the address, the password, the full check (six connections
and the sign-ins), the certificate for a Thunderbird profile, the Thunderbird profile scan, writing into the
profile, the settings sheet (HTML and PDF) and the help-desk report; then a check with the STARTTLS ports
blackholed (every SYN dropped). A 5 ms timer on the GUI thread stamps every tick; a gap between ticks is time
the window could not have painted. Prints the longest gap and the 99th percentile per phase (goal: no gap over
50 ms). Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import trustme  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from setup_assistant.core.provider import load_provider  # noqa: E402
from setup_assistant.gui.flow import PageId  # noqa: E402
from setup_assistant.gui.model import WizardModel  # noqa: E402
from setup_assistant.gui.secrets import PasswordStore  # noqa: E402
from setup_assistant.gui.services import Services  # noqa: E402
from setup_assistant.gui.wizard import MailWizard  # noqa: E402
from tests.gui.memory_keyring import MemoryKeyring  # noqa: E402
from tests.servers.dovecot import USERS, DovecotServer, missing_reason  # noqa: E402
from tests.servers.provider_file import write_ca  # noqa: E402

USER = "jane.doe@example.org"
TICK_MS = 5


class Heartbeat:
    """Stamps every tick of a 5 ms timer on the GUI thread, and which phase it fell in."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.phase_of: list[str] = []
        self.phase = "start"
        self.stopped = threading.Event()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def watch(self, late_ms: float = 30.0) -> collections.Counter[str]:
        """With --why: a thread that, while the GUI thread is late, notes where it is (its innermost frames)."""
        seen: collections.Counter[str] = collections.Counter()
        main = threading.main_thread().ident

        def run() -> None:
            while not self.stopped.is_set():
                time.sleep(0.01)
                if self.ticks and (time.monotonic() - self.ticks[-1]) * 1000 > late_ms and main is not None:
                    frame = sys._current_frames().get(main)
                    ours = []
                    while frame is not None:  # only names and numbers: no source is read from this thread
                        name = frame.f_code.co_filename
                        if "/setup_assistant/" in name or "site-packages" in name:
                            ours.append(f"{Path(name).name}:{frame.f_lineno} {frame.f_code.co_name}")
                        frame = frame.f_back
                    seen[f"[{self.phase}] {' < '.join(ours[:4])}"] += 1

        threading.Thread(target=run, daemon=True).start()
        return seen

    def _tick(self) -> None:
        self.ticks.append(time.monotonic())
        self.phase_of.append(self.phase)

    def gaps(self) -> dict[str, list[float]]:
        """Per phase, each gap between ticks beyond the timer's own interval (ms)."""
        out: dict[str, list[float]] = {}
        for i in range(1, len(self.ticks)):
            out.setdefault(self.phase_of[i], []).append((self.ticks[i] - self.ticks[i - 1]) * 1000)
        return out


def spin(ms: int) -> None:
    """Runs the GUI thread's event loop for `ms` (QEventLoop, not processEvents(flags, ms), which PySide6
    answers with a reference-count error after a few thousand calls)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        spin(20)


def settle(seconds: float) -> None:
    spin(int(seconds * 1000))


def make_wizard(provider_path: Path, work: Path) -> MailWizard:
    home = work / "home"
    if not home.exists():
        root = home / ".thunderbird"
        (root / "abcd1234.default-release").mkdir(parents=True)
        (root / "profiles.ini").write_text(
            "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n\n"
            "[General]\nStartWithLastProfile=1\nVersion=2\n",
            encoding="utf-8",
        )
    services = Services(
        settings=QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat),
        passwords=PasswordStore("Bench mail", backend=MemoryKeyring()),
        platform="linux",
        home=home,
        app_data=work / "app-data",
        documents=work / "documents",
    )
    wizard = MailWizard(WizardModel(load_provider(provider_path)), services, defer_pages=True)
    wizard.show()
    return wizard


def full_setup(beat: Heartbeat, provider_path: Path, work: Path, password: str) -> None:
    beat.phase = "start-up (no window yet)"
    wizard = make_wizard(provider_path, work)
    beat.phase = "first page shown, others built"
    settle(0.3)
    wizard.address_page.address.setText(USER)
    wizard.address_page.name.setText("Jane Doe")
    beat.phase = "to the password page"
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.PASSWORD and not wizard.jobs.busy)
    wizard.password_page.password.setText(password)
    beat.phase = "check"
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.CHECKING and not wizard.checking_page.running)
    beat.phase = "result page"
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.RESULT and not wizard.jobs.busy)
    settle(0.2)
    beat.phase = "certificate"
    wizard.next()
    wait_until(lambda: wizard.currentId() in (PageId.CERTIFICATE, PageId.PROGRAMS))
    if wizard.currentId() == PageId.CERTIFICATE:
        wizard.certificate_page.install.click()
        wait_until(lambda: not wizard.certificate_page.running)
        beat.phase = "Thunderbird profile scan"
        wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.PROGRAMS)
    settle(0.2)
    beat.phase = "saving into the profile"
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.DONE and not wizard.programs_page.running)
    settle(0.2)
    beat.phase = "settings sheet (HTML, PDF)"
    wizard.done_page.save_sheet_to(work / "sheet.html")
    wizard.done_page.save_sheet_to(work / "sheet.pdf")
    settle(0.2)
    beat.phase = "help-desk report"
    saved: list[object] = []
    wizard.done_page.reporter.saved.connect(saved.append)
    wizard.done_page.reporter.failed.connect(saved.append)
    wizard.done_page.save_report_to(work / "report.html")
    wait_until(lambda: bool(saved))
    settle(0.2)
    beat.phase = "closing"
    wizard.close()
    settle(0.2)


def blocked_check(beat: Heartbeat, provider_path: Path, work: Path, password: str) -> None:
    beat.phase = "start-up (no window yet)"
    wizard = make_wizard(provider_path, work)
    beat.phase = "first page shown, others built"
    settle(0.3)
    wizard.address_page.address.setText(USER)
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.PASSWORD and not wizard.jobs.busy)
    wizard.password_page.password.setText(password)
    beat.phase = "check, STARTTLS blackholed"
    wizard.next()
    wait_until(lambda: wizard.currentId() == PageId.CHECKING and not wizard.checking_page.running)
    beat.phase = "closing (blocked)"
    wizard.close()
    settle(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--why", action="store_true", help="also print where the GUI thread was when it was late")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    os.environ["SETUP_ASSISTANT_DATA_DIR"] = tempfile.mkdtemp(prefix="sa-stalls-data-")
    app = QApplication(sys.argv[:1])
    ca = trustme.CA()
    base = Path(tempfile.mkdtemp(prefix="sa-stalls-"))
    sha = write_ca(ca, base / "ca.pem")
    server = DovecotServer(ca).start()
    holes = []
    for _ in range(3):  # accept queues that are full: the kernel drops every further SYN, as a firewall does
        hole = socket.socket()
        hole.bind(("127.0.0.1", 0))
        hole.listen(0)
        holes.append((hole, socket.create_connection(hole.getsockname(), timeout=2)))
    try:
        good = base / "provider.toml"
        good.write_text(server.provider_toml(base / "ca.pem", sha), encoding="utf-8")
        blocked = base / "blocked.toml"
        ports = {k: h.getsockname()[1] for k, (h, _f) in zip(("imap", "pop3", "submission"), holes, strict=True)}
        blocked.write_text(server.provider_toml(base / "ca.pem", sha, ports=ports), encoding="utf-8")
        password = USERS[USER]
        per_phase: dict[str, list[float]] = {}
        why: collections.Counter[str] = collections.Counter()
        for run in range(args.runs):
            beat = Heartbeat()
            if args.why:
                seen = beat.watch()
            full_setup(beat, good, base / f"run-{run}", password)
            blocked_check(beat, blocked, base / f"blocked-{run}", password)
            beat.timer.stop()
            beat.stopped.set()
            if args.why:
                why.update(seen)
            for phase, gaps in beat.gaps().items():
                per_phase.setdefault(phase, []).extend(gaps)
    finally:
        server.stop()
        for hole, filler in holes:
            filler.close()
            hole.close()
    print(f"runs: {args.runs}; heartbeat every {TICK_MS} ms on the GUI thread; {os.cpu_count()} CPUs, offscreen")
    print(f"{'phase':32} {'ticks':>6} {'longest gap':>12} {'p99':>8}")
    everything: list[float] = []
    for phase, gaps in per_phase.items():
        if not phase.startswith("start-up"):  # building the first window is start-up, not a stall of one
            everything += gaps
        print(f"{phase:32} {len(gaps):6d} {max(gaps):9.1f} ms {_p99(gaps):5.1f} ms")
    print(f"{'all (window on screen)':32} {len(everything):6d} {max(everything):9.1f} ms {_p99(everything):5.1f} ms")
    if args.why:
        print("where the GUI thread was while late (10 ms samples):")
        for where, count in why.most_common(25):
            print(f"  {count:4d}  {where}")
    del app
    return 0


def _p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[98]


if __name__ == "__main__":
    sys.exit(main())
