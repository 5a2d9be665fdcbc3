"""The wizard's first page comes up without loading what only later pages need (issue 6: start-up budget).

A fresh interpreter starts the wizard offscreen, quits at the first painted page (SETUP_ASSISTANT_EXIT_ON_SHOWN)
and prints every module it loaded. The probe, the profile writers, the trust stores, keyring, dnspython,
cryptography and plistlib must not be among them: a top-level import of any of them on the way to the first
page (in the GUI or in the core modules it uses) makes this test fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from setup_assistant.gui.startup_probe import ENV_VAR, REPORT_PREFIX

ROOT = Path(__file__).resolve().parents[2]
MODULES_MARK = "loaded modules: "

# Imports nothing but the wizard's entry point and patches nothing: what it loads is what the app loads.
SCRIPT = f"""
import json, sys
from setup_assistant.gui.app import run_wizard
code = run_wizard(None)
print({MODULES_MARK!r} + json.dumps(sorted(sys.modules)), flush=True)
sys.exit(code)
"""

# Each name also stands for its submodules.
NOT_AT_START = (
    "keyring",
    "dns",
    "cryptography",  # so neither cryptography.x509 nor ...serialization.pkcs7
    "plistlib",
    "setup_assistant.core.probing.probe",
    "setup_assistant.core.probing.account_check",
    "setup_assistant.core.probing.certificates",
    "setup_assistant.core.probing.connection",
    "setup_assistant.core.clients.profiles",
    "setup_assistant.core.clients.apple_mail",
    "setup_assistant.core.clients.thunderbird.writer",
    "setup_assistant.core.clients.outlook.writer",
    "setup_assistant.core.clients.instructions",
    "setup_assistant.core.helpdesk.settings_sheet",
    "setup_assistant.core.history",
    "setup_assistant.core.trust",
    "setup_assistant.core.helpdesk.dns_checks",
    "setup_assistant.core.helpdesk.report",
    "setup_assistant.cli",
    "setup_assistant.commands",
)

# What the first page does need: proof that the wizard really got there in this run.
NEEDED = ("PySide6.QtWidgets", "setup_assistant.gui.pages.address", "setup_assistant.core.provider")


def _first_page_modules(tmp_path: Path) -> list[str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(
        {
            ENV_VAR: "1",
            "QT_QPA_PLATFORM": "offscreen",
            "SETUP_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "PYTHONPATH": str(ROOT),
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr  # 1: the wizard was left early (by the hook), as designed
    lines = done.stdout.splitlines()
    assert any(line.startswith(REPORT_PREFIX) and "AddressPage" in line for line in lines), done.stdout
    listed = [line.removeprefix(MODULES_MARK) for line in lines if line.startswith(MODULES_MARK)]
    assert len(listed) == 1, done.stdout
    modules: list[str] = json.loads(listed[0])
    return modules


def _loaded(modules: list[str], name: str) -> list[str]:
    return [m for m in modules if m == name or m.startswith(name + ".")]


def test_first_page_loads_only_what_it_needs(tmp_path: Path) -> None:
    modules = _first_page_modules(tmp_path)
    for name in NEEDED:
        assert _loaded(modules, name), f"{name} was not loaded: the wizard did not reach its first page"
    too_early = {name: _loaded(modules, name) for name in NOT_AT_START if _loaded(modules, name)}
    assert not too_early, f"loaded before the first page needs them: {too_early}"
