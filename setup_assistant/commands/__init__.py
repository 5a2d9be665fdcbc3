"""CLI subcommands that live in their own modules; each exposes `register(subparsers)`.

`register` adds its parser and sets `func` (args -> exit code), raising
`setup_assistant.cli.UsageError` for bad input (exit 2).
"""

from __future__ import annotations

import importlib
from typing import Any

# Module names under setup_assistant.commands, in the order their commands appear in --help.
COMMAND_MODULES: list[str] = ["dns", "profiles", "doctor", "trust", "report", "sheet", "batch"]


def register_all(subparsers: Any) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"setup_assistant.commands.{name}").register(subparsers)
