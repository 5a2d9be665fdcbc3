"""Names, version and identifiers of the packaged app, read from the source so the spec, the installers and
the workflows never disagree with the app they package."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_FILE = ROOT / "resources" / "providers" / "npomail.toml"

FOLDER_NAME = "setup-assistant"  # the onedir folder, also the Windows install folder's base name
GUI_NAME = "setup-assistant"  # windowed wizard
CLI_NAME = "setup-assistant-cli"  # console CLI (Windows needs a console executable for it)
PUBLISHER = "NPOMail Setup Assistant developers"
# Reverse-DNS of the provider (electricembers.coop); set SETUP_ASSISTANT_BUNDLE_ID to sign under another team's id.
DEFAULT_BUNDLE_ID = "coop.electricembers.npomail.setup-assistant"
# Used only when no wheel says otherwise (see minimum_macos); Qt 6.8+ supports macOS 12 and newer.
FALLBACK_MINIMUM_MACOS = "12.0"


def version() -> str:
    """setup_assistant.__version__, read as text so a build never imports the app."""
    text = (ROOT / "setup_assistant" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not found:
        raise RuntimeError("setup_assistant/__init__.py has no __version__")
    return found.group(1)


def numeric_version(text: str | None = None) -> str:
    """The release numbers as four dotted numbers (Windows VIProductVersion wants exactly that): 1.2rc1 -> 1.2.0.0."""
    found = re.match(r"v?(\d+(?:\.\d+)*)", (text or version()).strip())
    if not found:
        raise ValueError(f"not a version: {text!r}")
    numbers = [int(n) for n in found.group(1).split(".")][:4]
    return ".".join(str(n) for n in [*numbers, 0, 0, 0, 0][:4])


def provider() -> dict[str, str]:
    with PROVIDER_FILE.open("rb") as handle:
        section = tomllib.load(handle)["provider"]
    return {"name": str(section["name"]), "organization": str(section.get("organization", ""))}


def app_name() -> str:
    """What people see: the Start-menu entry, the .app, the installer's title."""
    return f"{provider()['name']} Setup Assistant"


def bundle_id() -> str:
    return os.environ.get("SETUP_ASSISTANT_BUNDLE_ID", "").strip() or DEFAULT_BUNDLE_ID


def macos_versions_in_wheel_tags(wheel_text: str) -> list[tuple[int, int]]:
    """The macOS versions in a dist-info WHEEL file's `Tag: ...-macosx_13_0_universal2` lines."""
    return [(int(major), int(minor)) for major, minor in re.findall(r"macosx_(\d+)_(\d+)_", wheel_text)]


def minimum_macos(distributions: tuple[str, ...] = ("PySide6_Essentials", "shiboken6", "cryptography")) -> str:
    """The oldest macOS every bundled wheel supports: the highest minimum among their tags (LSMinimumSystemVersion)."""
    found: list[tuple[int, int]] = []
    for name in distributions:
        try:
            text = metadata.distribution(name).read_text("WHEEL") or ""
        except metadata.PackageNotFoundError:
            continue
        found.extend(macos_versions_in_wheel_tags(text))
    if not found:
        return FALLBACK_MINIMUM_MACOS
    major, minor = max(found)
    return f"{major}.{minor}"
