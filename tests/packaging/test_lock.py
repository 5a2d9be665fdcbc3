"""The bundle's lock file: complete, hashed, universal, and enforced by the one build command."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from tests.packaging.conftest import INSTALLER, ROOT

sys.path.insert(0, str(INSTALLER))
import lock


def test_every_dependency_of_the_app_and_the_build_is_locked_with_hashes() -> None:
    pins = {pin.name: pin for pin in lock.read_pins()}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["build"]]
    for requirement in wanted:
        name = lock.normalize(requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip())
        assert name in pins, f"{name} is not in requirements/bundle.txt: run the uv command in installer/lock.py"
    text = lock.LOCK_FILE.read_text(encoding="utf-8")
    assert "--universal" in text.splitlines()[1], "one lock for Windows, macOS and Linux"
    # The platform-only packages are there, each under its marker.
    assert pins["pywin32-ctypes"].marker == "sys_platform == 'win32'"
    assert pins["macholib"].marker == "sys_platform == 'darwin'"


def test_a_lock_without_hashes_is_refused(tmp_path) -> None:
    bare = tmp_path / "bundle.txt"
    bare.write_text("certifi==2024.1.1\nidna==3.7\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hashes"):
        lock.read_pins(bare)


def test_a_different_installed_version_is_a_mismatch() -> None:
    good = lock.Pin("pytest", __import__("pytest").__version__, None)
    other_platform = lock.Pin("pefile", "1.0", "sys_platform == 'nonexistent-os'")
    wrong = lock.Pin("pytest", "0.0.1", None)
    missing = lock.Pin("surely-not-installed-package", "1.0", None)
    assert lock.mismatches([good, other_platform]) == []
    problems = lock.mismatches([wrong, missing])
    assert "pytest is " in problems[0] and "0.0.1" in problems[0]
    assert "surely-not-installed-package 1.0 is not installed" in problems[1]


def test_the_build_command_refuses_an_environment_that_is_not_the_locked_one(tmp_path) -> None:
    fake = tmp_path / "bundle.txt"
    fake.write_text("pytest==0.0.1 \\\n    --hash=sha256:" + "0" * 64 + "\n", encoding="utf-8")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import build, lock, pathlib; "
        "lock.LOCK_FILE = pathlib.Path(sys.argv[2]); sys.exit(build.main(['--dist', sys.argv[3], '--no-installer']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(INSTALLER), str(fake), str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "not the locked one" in done.stderr and "pytest is" in done.stderr
    assert not (tmp_path / "dist").exists(), "nothing was built"
