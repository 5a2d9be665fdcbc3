"""Bundle budgets: onedir size, compressed size and start-up to the first wizard page, next to the floor.

The floor is a bare PySide6 wizard window (benchmarks/floor_window.py) frozen and slimmed exactly like the app
(benchmarks/floor.spec, installer/bundling.py). Both are built with PyInstaller into a temporary folder (or
reused with --app/--floor), then timed from exec to the first painted page (SETUP_ASSISTANT_EXIT_ON_SHOWN=1,
offscreen), warm and, when this process may drop the page cache (root on Linux), cold. Aim: at most 1.25x.

    python benchmarks/bundle.py [--runs 7] [--no-cold] [--imports] [--app DIR --floor DIR]

`--imports` also lists the slowest imports on the way to the first page from source (python -X importtime):
the candidates for lazy imports. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "installer")]


def _load(name: str, path: Path) -> ModuleType:
    """installer/build.py by path: a plain `import build` could find PyPI's `build` or the build/ folder."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


installer_build = _load("installer_build", ROOT / "installer" / "build.py")

from bundling import bundle_size  # noqa: E402

from setup_assistant.gui.startup_probe import ENV_VAR, REPORT_PREFIX  # noqa: E402

FLOOR_SPEC = ROOT / "benchmarks" / "floor.spec"
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def executable(folder: Path, name: str) -> Path:
    return folder / (name + ".exe" if sys.platform == "win32" else name)


def run_env(home: Path) -> dict[str, str]:
    """Offscreen, the hook armed, and a throwaway home so no real settings are read or written."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        {
            ENV_VAR: "1",
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
        }
    )
    return env


def drop_page_cache() -> bool:
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def first_page(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from exec to the first-page line, seconds to exit)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    shown = time.perf_counter() - started
    proc.stdout.read()
    proc.wait(timeout=60)
    ended = time.perf_counter() - started
    if not line.startswith(REPORT_PREFIX):
        raise RuntimeError(f"{command[0]} never reported its first page (exit {proc.returncode})")
    return shown, ended


def tar_gz_size(folder: Path, scratch: Path) -> int:
    """Bytes of `tar czf` of the folder (gzip level 6, like the gzip command)."""
    target = scratch / f"{folder.name}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(folder, arcname=folder.name)
    size = target.stat().st_size
    target.unlink()
    return size


def file_sizes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
    }


def median_ms(runs: list[tuple[float, float]], pick: Callable[[tuple[float, float]], float]) -> float:
    return statistics.median(pick(r) for r in runs) * 1000


def time_both(app: list[str], floor: list[str], env: dict[str, str], runs: int, cold: bool) -> dict[str, list]:
    """Alternates app and floor so background load hits both alike; one untimed warm-up each."""
    timings: dict[str, list] = {"app": [], "floor": []}
    if not cold:
        first_page(app, env)
        first_page(floor, env)
    for _ in range(runs):
        for name, command in (("app", app), ("floor", floor)):
            if cold:
                drop_page_cache()
            timings[name].append(first_page(command, env))
    return timings


def import_report(env: dict[str, str], limit: float) -> list[str]:
    """Imports on the way to the first page from source, heaviest first (cumulative ms, depth <= 2)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "setup_assistant"],
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    rows = []
    for line in proc.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if found and int(found[1]) >= limit * 1000 and len(found[2]) // 2 <= 2:
            rows.append(f"{'  ' * (len(found[2]) // 2)}{found[3]}: {int(found[1]) / 1000:.1f} ms")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold runs (page cache dropped before each)")
    parser.add_argument("--imports", action="store_true", help="list the slowest first-page imports from source")
    parser.add_argument("--app", type=Path, help="an already built setup-assistant folder")
    parser.add_argument("--floor", type=Path, help="an already built floor folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary builds (their folder is printed)")
    args = parser.parse_args()
    if sys.platform != "linux":
        print("run this on Linux (the offscreen start-up timing and page-cache dropping are Linux-only here)")
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="sa-bundle-bench-"))
    try:
        return measure(args, scratch)
    finally:
        if args.keep:
            print(f"builds kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def measure(args: argparse.Namespace, scratch: Path) -> int:
    home = scratch / "home"
    home.mkdir()
    env = run_env(home)
    built: dict[str, float] = {}
    folders: dict[str, Path] = {}
    for name, given, spec, folder in (
        ("app", args.app, installer_build.SPEC, "setup-assistant"),
        ("floor", args.floor, FLOOR_SPEC, "floor"),
    ):
        if given:
            folders[name] = given.resolve()
            continue
        started = time.monotonic()
        folders[name] = installer_build.build_bundle(scratch / "dist", scratch / f"work-{name}", spec, folder)
        built[name] = time.monotonic() - started
    app_cmd = [str(executable(folders["app"], "setup-assistant"))]
    floor_cmd = [str(executable(folders["floor"], "floor"))]

    sizes = {name: bundle_size(folder) for name, folder in folders.items()}
    files = {name: len(file_sizes(folder)) for name, folder in folders.items()}
    packed = {name: tar_gz_size(folder, scratch) for name, folder in folders.items()}
    warm = time_both(app_cmd, floor_cmd, env, args.runs, cold=False)
    cold_ok = not args.no_cold and drop_page_cache()
    cold = time_both(app_cmd, floor_cmd, env, args.runs, cold=True) if cold_ok else None

    rows: list[tuple[str, float, float, str]] = [
        ("onedir size (MB)", sizes["app"] / 1e6, sizes["floor"] / 1e6, "{:.1f}"),
        ("files", files["app"], files["floor"], "{:.0f}"),
        ("tar.gz (MB)", packed["app"] / 1e6, packed["floor"] / 1e6, "{:.1f}"),
    ]
    for label, timings in (("warm", warm), ("cold", cold)):
        if timings is None:
            continue
        rows.append(
            (
                f"first page, {label} (ms)",
                median_ms(timings["app"], lambda r: r[0]),
                median_ms(timings["floor"], lambda r: r[0]),
                "{:.0f}",
            )
        )
        rows.append(
            (
                f"first page and exit, {label} (ms)",
                median_ms(timings["app"], lambda r: r[1]),
                median_ms(timings["floor"], lambda r: r[1]),
                "{:.0f}",
            )
        )
    print(
        f"runs: {args.runs} (median shown), offscreen; builds: "
        + (", ".join(f"{k} {v:.0f} s" for k, v in built.items()) or "reused")
    )
    if not cold_ok and not args.no_cold:
        print("cold runs skipped: dropping the page cache needs root on Linux")
    print(f"{'':34} {'app':>10} {'floor':>10} {'app/floor':>10}")
    for label, app_value, floor_value, fmt in rows:
        ratio = app_value / floor_value if floor_value else float("nan")
        print(f"{label:34} {fmt.format(app_value):>10} {fmt.format(floor_value):>10} {ratio:>9.2f}x")

    app_files, floor_files = file_sizes(folders["app"]), file_sizes(folders["floor"])
    extra = sorted(((size, path) for path, size in app_files.items() if path not in floor_files), reverse=True)
    print("largest files the floor does not have (MB):")
    for size, path in extra[:10]:
        print(f"  {size / 1e6:6.2f}  {path}")
    if args.imports:
        print("imports on the way to the first page, from source (cumulative, >= 5 ms):")
        for row in import_report(env, 5.0):
            print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
