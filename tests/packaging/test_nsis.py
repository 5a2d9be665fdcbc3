"""The Windows installer script compiles with makensis (it runs on Linux too) against a real bundle's layout."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.packaging.conftest import Bundle, load_installer_module

build = load_installer_module("installer_build", "build.py")
app_icons = load_installer_module("installer_app_icons", "app_icons.py")


def makensis_or_skip() -> str:
    found = build.find_makensis()
    if found is None:
        skip_or_fail("makensis is not installed (apt-get install nsis; Windows: choco install nsis)")
    return found


def script_required_defines() -> set[str]:
    text = build.NSIS_SCRIPT.read_text(encoding="utf-8")
    found = re.search(r"^!ifndef (.+)$", text, re.MULTILINE)
    assert found, "the script no longer checks its defines"
    return {name.strip() for name in found.group(1).split("|")}


def test_build_passes_every_define_the_script_requires(tmp_path: Path) -> None:
    command = build.makensis_command(tmp_path, tmp_path / "out.exe", tmp_path / "icon.ico")
    passed = {arg[2:].split("=", 1)[0] for arg in command if arg[1:2] == "D"}
    assert script_required_defines() <= passed


def test_script_refuses_to_compile_without_the_defines(tmp_path: Path) -> None:
    makensis = makensis_or_skip()
    proc = subprocess.run([makensis, "-V2", str(build.NSIS_SCRIPT)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "installer/build.py" in proc.stdout + proc.stderr


@pytest.mark.slow
def test_installer_compiles_against_the_bundle(bundle: Bundle, tmp_path: Path) -> None:
    makensis = makensis_or_skip()
    icon, _ = app_icons.write_icons(tmp_path / "icons")
    out = tmp_path / "setup-assistant-setup.exe"
    # Stored, not compressed: the same script in seconds; -WX (in the command) makes any warning an error.
    command = build.makensis_command(bundle.root, out, icon, makensis=makensis, store_only=True)
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = out.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data
    bundling = load_installer_module("installer_bundling", "bundling.py")
    assert len(data) > bundling.bundle_size(bundle.root)  # every file of the bundle went in
