"""Where the shipped data lives: the same lookup from a source tree, a wheel and a PyInstaller bundle.

A wheel and the PyInstaller spec both place `resources/` at `setup_assistant/_resources`; a source
checkout keeps it beside the package. Nothing is ever downloaded.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "providers").is_dir():
            return candidate
    raise FileNotFoundError(f"the resources folder is missing (looked beside {_PACKAGE_DIR})")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def default_provider_file() -> Path:
    return resource_path("providers", "npomail.toml")
