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
