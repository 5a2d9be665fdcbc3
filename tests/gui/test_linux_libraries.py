"""On a bare Linux system the wizard names the Debian packages to install instead of Qt's misleading abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant.gui.linux_libraries import XCB_LIBRARIES, missing_packages, missing_reason, uses_xcb

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb libraries are a Linux matter")
def test_a_missing_library_prints_the_apt_get_line_before_qt_starts(tmp_path: Path) -> None:
    # A broken copy first on the search path makes this one library unloadable, as on a system without it.
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":99", LD_LIBRARY_PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "setup_assistant"], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 2, proc.stderr
    assert "sudo apt-get install libxcb-cursor0\n" in proc.stderr
    assert "is needed" not in proc.stderr and "Traceback" not in proc.stderr  # Qt never got to say its line


def test_the_library_dlopen_names_is_the_one_reported() -> None:
    """libxcb-cursor fails because libxcb itself is missing: install libxcb1, not the already present cursor."""

    def load(soname: str) -> object:
        if soname in ("libxcb.so.1", "libxcb-cursor.so.0", "libX11-xcb.so.1"):
            raise OSError("libxcb.so.1: cannot open shared object file: No such file or directory")
        return object()

    assert missing_packages(load) == ["libxcb1"]
    assert missing_packages(lambda _name: object()) == []
    reason = missing_reason({"DISPLAY": ":0"}, load) if sys.platform.startswith("linux") else None
    if reason is not None:
        assert "sudo apt-get install libxcb1" in reason


def test_only_when_qt_will_use_x11() -> None:
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "darwin")
    assert not uses_xcb({}, "linux")


def test_the_readme_run_command_lists_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = [p for p in XCB_LIBRARIES.values() if p not in readme]
    assert not listed, f"README's run command does not name {listed}"
