"""What went into this copy of the assistant: app version, git commit, Python, PySide6/Qt and every package.

A frozen bundle carries the facts as they were at build time (`setup_assistant/build-info.json`, written by the
PyInstaller spec through `collect_build_info`); a source or wheel install reports its running environment. A help
desk reads it from `setup-assistant-cli --version --verbose` and in the diagnostic report.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from setup_assistant import __version__

BUILD_INFO_FILE = "build-info.json"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _git_commit(root: Path) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def _distributions() -> dict[str, str]:
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[re.sub(r"[-_.]+", "-", str(name)).lower()] = dist.version
    return dict(sorted(found.items()))


def _qt_version() -> str | None:
    """Qt's own version, only if Qt is already loaded (never imports it: the CLI stays Qt-free)."""
    qtcore = sys.modules.get("PySide6.QtCore")
    version = getattr(qtcore, "qVersion", None)
    return str(version()) if callable(version) else None


def collect_build_info(
    root: Path | None = None, *, commit: str | None = None, lock_file: str | None = None
) -> dict[str, Any]:
    """The facts of the running environment (what the spec freezes into a bundle)."""
    packages = _distributions()
    return {
        "app_version": __version__,
        "commit": commit or _git_commit(root or _PACKAGE_DIR.parent),
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": f"{sys.platform} {platform.machine()}",
        "pyside6": packages.get("pyside6-essentials") or packages.get("pyside6"),
        "qt": _qt_version(),
        "lock_file": lock_file,
        "packages": packages,
    }


def build_info() -> dict[str, Any]:
    """The bundle's recorded facts when frozen, else those of the running environment."""
    recorded = _PACKAGE_DIR / BUILD_INFO_FILE
    try:
        data = json.loads(recorded.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        data["frozen"] = bool(getattr(sys, "frozen", False))
        data["source"] = "recorded at build time"
        return data
    info = collect_build_info()
    info["source"] = "this running environment"
    return info


def describe(info: dict[str, Any]) -> str:
    """Readable lines for --version --verbose."""
    lines = [
        f"NPOMail Setup Assistant {info.get('app_version')}",
        f"  commit: {info.get('commit') or 'unknown'}",
        f"  Python: {info.get('python')} ({info.get('python_implementation')}) on {info.get('platform')}",
        f"  PySide6: {info.get('pyside6') or 'not installed'}; Qt: {info.get('qt') or 'same as PySide6'}",
        f"  frozen bundle: {'yes' if info.get('frozen') else 'no'} (facts {info.get('source')})",
    ]
    if info.get("lock_file"):
        lines.append(f"  built from the lock file: {info['lock_file']}")
    packages = info.get("packages") or {}
    lines.append(f"  packages ({len(packages)}):")
    lines += [f"    {name} {version}" for name, version in packages.items()]
    return "\n".join(lines)
