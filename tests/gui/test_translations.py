"""Every visible string can be translated: Qt's own extractor finds it, under the context it is looked up in."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lupdate() -> str | None:
    beside = Path(sys.executable).parent / "pyside6-lupdate"
    return str(beside) if beside.exists() else shutil.which("pyside6-lupdate")


def test_pyside6_lupdate_finds_every_string_under_a_named_context(tmp_path: Path) -> None:
    tool = _lupdate()
    if tool is None:
        pytest.fail("pyside6-lupdate is missing (it ships with PySide6-Essentials)")
    sources = sorted(str(p) for p in (ROOT / "setup_assistant" / "gui").rglob("*.py"))
    ts = tmp_path / "setup_assistant_xx.ts"
    done = subprocess.run([tool, *sources, "-ts", str(ts)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    contexts = {c.findtext("name"): len(c.findall("message")) for c in ET.parse(ts).getroot().iter("context")}
    # An empty context means a helper hid the context from the extractor: such strings never get translated.
    assert "" not in contexts and None not in contexts, contexts
    for page in ("AddressPage", "PasswordPage", "CheckingPage", "ResultPage", "ProgramsPage", "DonePage"):
        assert contexts.get(page, 0) > 5, (page, contexts)
    assert contexts.get("Explain", 0) > 20 and contexts.get("Guide", 0) > 5 and contexts.get("PasswordStore", 0) > 3
