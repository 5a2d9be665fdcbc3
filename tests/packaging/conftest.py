"""The frozen bundle, built once per test session (or taken from SETUP_ASSISTANT_BUNDLE_DIR), and how to run it.

SETUP_ASSISTANT_BUNDLE_DIR names the folder holding the two executables of an already built bundle: the
onedir folder on Windows and Linux, `<App>.app/Contents/MacOS` on macOS. The CI workflows set it, so the tests
check the very build they upload.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
BUNDLE_ENV = "SETUP_ASSISTANT_BUNDLE_DIR"
BUILD_TIMEOUT = 900


def load_installer_module(name: str, relative: str) -> ModuleType:
    """installer/ is not a package; load its scripts by path under a name of their own."""
    if name in sys.modules:
        return sys.modules[name]
    if str(INSTALLER) not in sys.path:
        sys.path.insert(0, str(INSTALLER))
    spec = importlib.util.spec_from_file_location(name, INSTALLER / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Bundle:
    programs: Path  # the folder holding setup-assistant and setup-assistant-cli

    def exe(self, name: str) -> Path:
        return self.programs / (f"{name}.exe" if sys.platform == "win32" else name)

    @property
    def contents(self) -> list[Path]:
        """Where the bundled libraries and data live: _internal/, or Frameworks/ and Resources/ in a .app."""
        if (self.programs / "_internal").is_dir():
            return [self.programs / "_internal"]
        return [p for p in (self.programs.parent / "Frameworks", self.programs.parent / "Resources") if p.is_dir()]

    @property
    def root(self) -> Path:
        """The folder an installer ships: the onedir folder, or the .app."""
        return self.programs.parent.parent if self.programs.parent.name == "Contents" else self.programs

    def files(self) -> list[Path]:
        return [p for c in self.contents for p in c.rglob("*") if p.is_file()]


def bundle_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the frozen programs: no PYTHONPATH to the source tree, a throwaway home."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONUTF8": "1",
        }
    )
    env.update(extra)
    return env


def _missing_build_tool() -> str | None:
    if importlib.util.find_spec("PyInstaller") is None:
        return 'PyInstaller is not installed (pip install -e ".[build]")'
    if sys.platform.startswith("linux"):
        for tool, package in (("ldd", "libc-bin"), ("objdump", "binutils"), ("strip", "binutils")):
            if shutil.which(tool) is None:
                return f"{tool} is missing; PyInstaller needs it on Linux (apt-get install {package})"
    return None


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    prebuilt = os.environ.get(BUNDLE_ENV, "").strip()
    if prebuilt:
        programs = Path(prebuilt).resolve()
        if not programs.is_dir():
            pytest.fail(f"{BUNDLE_ENV}={prebuilt} is not a folder", pytrace=False)
        yield Bundle(programs)
        return
    reason = _missing_build_tool()
    if reason:
        skip_or_fail(reason)
    base = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(base / "pyinstaller-config")}
    proc = subprocess.run(
        [
            sys.executable,
            str(INSTALLER / "build.py"),
            "--no-installer",
            "--unlocked",  # the test environment is not the locked one (tests/packaging/test_lock.py)
            "--dist",
            str(base / "dist"),
            "--work",
            str(base / "work"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert proc.returncode == 0, f"the bundle build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}"
    yield Bundle(base / "dist" / "setup-assistant")
