"""ruff (lint + format) and mypy (strict on core/) are part of the test run, so CI enforces them."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    if shutil.which(name) is None and not (Path(sys.executable).parent / name).exists():
        pytest.fail(f"{name} is not installed (it is in the [test] extra)")
    return [sys.executable, "-m", name]


def test_ruff_lint() -> None:
    proc = subprocess.run(
        [*_tool("ruff"), "check", "setup_assistant", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = subprocess.run(
        [*_tool("ruff"), "format", "--check", "setup_assistant", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_core() -> None:
    proc = subprocess.run([*_tool("mypy"), "setup_assistant"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_core_never_imports_qt() -> None:
    offenders = []
    for path in (ROOT / "setup_assistant" / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt6", "PyQt5") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# The core's floors, lowest first: a module may import its own floor and the ones below, never one above.
CORE_FLOORS = ("", "probing", "clients", "trust", "helpdesk")


def _floor(module: str) -> int | None:
    """The floor of a setup_assistant.core module name, or None for anything outside the core."""
    parts = module.split(".")
    if parts[:2] != ["setup_assistant", "core"]:
        return None
    room = parts[2] if len(parts) > 2 and parts[2] in CORE_FLOORS else ""
    return CORE_FLOORS.index(room)


def test_core_floors_never_import_upwards() -> None:
    offenders = []
    core = ROOT / "setup_assistant" / "core"
    for path in core.rglob("*.py"):
        relative = path.relative_to(ROOT).with_suffix("")
        own = _floor(".".join(relative.parts))
        assert own is not None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("setup_"):
                targets = [node.value]  # importlib.import_module("setup_assistant.core....")
            for target in targets:
                floor = _floor(target)
                if floor is not None and floor > own:
                    offenders.append(f"{relative}: {target}")
    assert offenders == [], "a lower floor of the core imports a higher one"


def test_pre_commit_runs_the_same_checks_as_the_suite() -> None:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    assert entries["ruff-format"] == "python -m ruff format"
    assert entries["ruff-lint"].startswith("python -m ruff check")
    assert entries["mypy"] == "python -m mypy setup_assistant"  # pyproject.toml makes core strict, as in the suite
