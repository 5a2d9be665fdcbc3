"""Windows' App Paths, read through a stand-in winreg with the real module's calls (the real one runs in
tests.yml on windows-latest through the wizard's detection)."""

from __future__ import annotations

import sys
import types

import pytest

from setup_assistant.core.clients.windows_apps import APP_PATHS, registered_paths


def _fake_winreg(values: dict[tuple[int, int], str]) -> types.ModuleType:
    module = types.ModuleType("winreg")
    module.HKEY_CURRENT_USER, module.HKEY_LOCAL_MACHINE = 1, 2  # type: ignore[attr-defined]
    module.KEY_READ, module.KEY_WOW64_64KEY, module.KEY_WOW64_32KEY = 0x20019, 0x100, 0x200  # type: ignore[attr-defined]
    opened: list[str] = []

    class Handle:
        def __init__(self, where: tuple[int, int]) -> None:
            self.where = where

        def __enter__(self) -> Handle:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    def open_key(hive: int, key: str, reserved: int, access: int) -> Handle:
        opened.append(key)
        where = (hive, access & 0x300)
        if where not in values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return Handle(where)

    module.OpenKey = open_key  # type: ignore[attr-defined]
    module.QueryValueEx = lambda handle, name: (values[handle.where], 1)  # type: ignore[attr-defined]
    module.opened = opened  # type: ignore[attr-defined]
    return module


def test_the_users_own_registration_first_then_the_machines_in_both_views(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _fake_winreg({(2, 0x200): r'"C:\Program Files (x86)\Mozilla Thunderbird\thunderbird.exe"', (1, 0x100): "  "})
    fake_user = _fake_winreg(
        {
            (1, 0x100): r"C:\Users\ana\AppData\Local\Thunderbird\thunderbird.exe",
            **{(2, 0x200): r'"C:\Program Files (x86)\Mozilla Thunderbird\thunderbird.exe"'},
        }
    )
    monkeypatch.setitem(sys.modules, "winreg", fake)
    assert registered_paths("thunderbird.exe") == [r"C:\Program Files (x86)\Mozilla Thunderbird\thunderbird.exe"]
    assert set(fake.opened) == {rf"{APP_PATHS}\thunderbird.exe"}  # a blank value is not a path
    monkeypatch.setitem(sys.modules, "winreg", fake_user)
    assert registered_paths("thunderbird.exe") == [
        r"C:\Users\ana\AppData\Local\Thunderbird\thunderbird.exe",
        r"C:\Program Files (x86)\Mozilla Thunderbird\thunderbird.exe",
    ]


def test_nothing_without_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "winreg", None)  # import winreg raises ImportError, as on Linux and macOS
    assert registered_paths("OUTLOOK.EXE") == []
