"""Where the first page's start-up time goes, phase by phase, next to a bare PySide6 wizard (the floor).

    python benchmarks/startup.py [--runs 9] [--profile] [--python EXE]

Each run is a fresh process, offscreen, with a throwaway home. The child stamps CLOCK_MONOTONIC (shared by all
processes on Linux) at each phase, so the parent can split exec-to-first-paint into: interpreter (exec until
this script's first line), Qt imports, the app's own imports, QApplication, the first page's construction
(provider file, settings, the wizard with its first page), and first paint (show until the first Paint event
has been handled). `--profile` also prints a cProfile of the app's construction phase, and the slowest imports
(python -X importtime). From source: the frozen bundle's totals are in benchmarks/bundle.py. Prints figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("interpreter", "Qt imports", "app imports", "QApplication", "first page built", "first paint")


def child(kind: str, profile: bool) -> None:
    stamps = {"start": time.monotonic()}
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage

    stamps["Qt imports"] = time.monotonic()
    if kind == "app":
        from PySide6.QtCore import QSettings

        from setup_assistant.core.provider import load_provider
        from setup_assistant.gui.app import APPLICATION, ORGANIZATION, _install_translations
        from setup_assistant.gui.icons import app_icon
        from setup_assistant.gui.model import WizardModel
        from setup_assistant.gui.secrets import PasswordStore
        from setup_assistant.gui.services import Services
        from setup_assistant.gui.wizard import MailWizard
    stamps["app imports"] = time.monotonic()
    app = QApplication(sys.argv[:1])
    stamps["QApplication"] = time.monotonic()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if kind == "app":
        # What setup_assistant.gui.app.run_wizard does before show().
        app.setApplicationName(APPLICATION)
        app.setOrganizationName(ORGANIZATION)
        app.setWindowIcon(app_icon())
        _install_translations(app)
        provider = load_provider(None)
        services = Services(
            settings=QSettings(ORGANIZATION, APPLICATION),
            passwords=PasswordStore(f"NPOMail Setup Assistant: {provider.id}"),
        )
        wizard: QWizard = MailWizard(WizardModel(provider), services, defer_pages=True)
    else:
        wizard = QWizard()
        wizard.setWindowTitle("Floor")
        page = QWizardPage()
        page.setTitle("A bare PySide6 window")
        QVBoxLayout(page).addWidget(QLabel("Nothing but Qt."))
        wizard.addPage(page)
    if profiler is not None:
        profiler.disable()
    stamps["first page built"] = time.monotonic()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first paint" not in stamps:
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            stamps["first paint"] = time.monotonic()
            app.quit()

    paint = FirstPaint()
    wizard.installEventFilter(paint)
    wizard.show()
    app.exec()
    print(json.dumps(stamps), flush=True)
    if profiler is not None:
        import pstats

        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    os._exit(0)  # the timing is done; tearing Qt down is not part of it


def run_once(python: str, kind: str, env: dict[str, str], profile: bool = False) -> dict[str, float]:
    spawned = time.monotonic()
    proc = subprocess.run(
        [python, __file__, "--child", kind, *(["--profile"] if profile else [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    stamps = json.loads(proc.stdout.splitlines()[-1])
    if profile:
        print(proc.stderr)
    order = ["start", *PHASES[1:]]
    phases = {"interpreter": stamps["start"] - spawned}
    for before, after in itertools.pairwise(order):
        phases[after] = stamps[after] - stamps[before]
    phases["total"] = stamps["first paint"] - spawned
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="profile the first page's construction; imports")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--child", choices=("app", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile)
        return 0
    home = Path(tempfile.mkdtemp(prefix="sa-startup-"))
    # Bytecode cached (in a folder of its own), as in an installed app, even where PYTHONDONTWRITEBYTECODE is set.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")})
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    runs: dict[str, list[dict[str, float]]] = {"app": [], "floor": []}
    run_once(args.python, "app", env)
    run_once(args.python, "floor", env)
    for _ in range(args.runs):
        for kind in ("app", "floor"):  # alternating, so background load hits both alike
            runs[kind].append(run_once(args.python, kind, env))
    print(f"runs: {args.runs} (median ms), from source, offscreen, {os.cpu_count()} CPUs")
    print(f"{'phase':20} {'app':>8} {'floor':>8} {'app-floor':>10}")
    for phase in (*PHASES, "total"):
        app_ms = statistics.median(r[phase] for r in runs["app"]) * 1000
        floor_ms = statistics.median(r[phase] for r in runs["floor"]) * 1000
        print(f"{phase:20} {app_ms:8.1f} {floor_ms:8.1f} {app_ms - floor_ms:10.1f}")
    app_total = statistics.median(r["total"] for r in runs["app"])
    floor_total = statistics.median(r["total"] for r in runs["floor"])
    print(f"ratio app/floor: {app_total / floor_total:.2f}x")
    if args.profile:
        run_once(args.python, "app", env, profile=True)
        proc = subprocess.run(
            [args.python, "-X", "importtime", "-c", "import setup_assistant.gui.app"],
            env={**env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        rows = []
        for line in proc.stderr.splitlines()[1:]:
            _self, cumulative, name = line.split("|")
            if not name.startswith("  ") or (name.startswith("   ") and not name.startswith("    ")):
                rows.append((int(cumulative), name.rstrip()))
        print("slowest imports of setup_assistant.gui.app (cumulative us, top level and one below):")
        for cumulative, name in sorted(rows, reverse=True)[:20]:
            print(f"  {cumulative:8d} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
