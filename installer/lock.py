"""The bundle's lock file: every package the installers contain, pinned with hashes (requirements/bundle.txt).

Made with `uv pip compile pyproject.toml --extra build --universal --generate-hashes --python-version 3.11
-o requirements/bundle.txt` (one file for Windows, macOS and Linux: platform-only packages carry markers), installed
on a build machine with `pip install --require-hashes -r requirements/bundle.txt` (pip refuses any file whose hash
differs), and checked by build.py before PyInstaller runs: a build from whatever pip resolved that day is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = ROOT / "requirements" / "bundle.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?\s*$")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path | None = None) -> list[Pin]:
    """The `name==version ; marker` lines; a lock without hashes is not a lock."""
    path = path or LOCK_FILE
    text = path.read_text(encoding="utf-8")
    pins = [Pin(normalize(m[1]), m[2], m[3]) for m in (_PIN.match(line) for line in text.splitlines()) if m]
    if not pins:
        raise ValueError(f"{path}: no pinned packages")
    if text.count("--hash=sha256:") < len(pins):
        raise ValueError(f"{path}: every package needs its hashes (uv pip compile --generate-hashes)")
    return pins


def applies(pin: Pin) -> bool:
    if not pin.marker:
        return True
    from packaging.markers import Marker  # PyInstaller's own dependency: always there in a build environment

    return Marker(pin.marker).evaluate()


def mismatches(pins: list[Pin]) -> list[str]:
    """What the running environment has that differs from the lock (empty: it is the locked environment)."""
    problems = []
    for pin in pins:
        if not applies(pin):
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{pin.name} {pin.version} is not installed")
            continue
        if installed != pin.version:
            problems.append(f"{pin.name} is {installed}, the lock says {pin.version}")
    return problems


def describe(path: Path | None = None) -> str:
    """The lock's name and digest, as the bundle records it."""
    path = path or LOCK_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{path.relative_to(ROOT).as_posix()} (sha256 {digest})"
