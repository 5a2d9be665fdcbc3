"""The parts that only Windows or macOS have, tried for real on those systems (.github/workflows/tests.yml).

Each test runs only on its own system and skips elsewhere; the Windows and macOS jobs set
SETUP_ASSISTANT_PLATFORM_TESTS=required, and then the first test proves they really ran there. Every command is in
its read-only form (listing, finding): nothing here can make Windows or macOS ask a person to click.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from pathlib import Path

import pytest

from setup_assistant.core.provider import load_provider

REQUIRED = os.environ.get("SETUP_ASSISTANT_PLATFORM_TESTS") == "required"

windows_only = pytest.mark.skipif(sys.platform != "win32", reason="needs Windows (runs in tests.yml on windows-latest)")
macos_only = pytest.mark.skipif(sys.platform != "darwin", reason="needs macOS (runs in tests.yml on macos-latest)")


def test_the_platform_job_really_is_on_its_platform() -> None:
    """The workflow's switch means something only where it is set: then this is Windows or macOS."""
    if REQUIRED:
        assert sys.platform in ("win32", "darwin")


@windows_only
def test_outlook_registry_adapter_against_the_real_registry() -> None:
    import winreg

    from setup_assistant.core.clients.outlook.registry import (
        RegistryKind,
        RegistryValue,
        WindowsRegistry,
        apply_registry,
        restore_registry,
    )

    key = rf"Software\NPOMail Setup Assistant tests\{uuid.uuid4()}\AutoDiscover"
    registry = WindowsRegistry()
    values = [
        RegistryValue(key, "example.org", RegistryKind.SZ, r"C:\Users\Jane\autodiscover.xml"),
        RegistryValue(key, "Expanded", RegistryKind.EXPAND_SZ, r"%LOCALAPPDATA%\x.xml"),
        RegistryValue(key, "PreferLocalXML", RegistryKind.DWORD, 1),
    ]
    try:
        assert registry.read(key, "example.org") is None
        change = apply_registry(values, registry)
        assert change.changed
        assert [registry.read(v.key, v.name) for v in values] == values
        assert not apply_registry(values, registry).changed  # a second run changes nothing
        restore_registry(change, registry)
        assert [registry.read(v.key, v.name) for v in values] == [None, None, None]
    finally:
        parts = key.split("\\")
        for depth in range(len(parts), 1, -1):  # the throwaway keys, deepest first (a key with subkeys stays)
            with contextlib.suppress(OSError):
                winreg.DeleteKey(winreg.HKEY_CURRENT_USER, "\\".join(parts[:depth]))


@windows_only
def test_windows_user_root_store_can_be_read() -> None:
    from setup_assistant.core.trust.windows import WindowsUserRootStore

    state = WindowsUserRootStore().status(load_provider().root)
    assert state.present is not None, state.message  # read: present or not, never "cannot be read"


@macos_only
def test_macos_login_keychain_can_be_read() -> None:
    from setup_assistant.core.trust.macos import MacLoginKeychain

    state = MacLoginKeychain().status(load_provider().root)
    assert state.present is not None, state.message


@pytest.mark.skipif(sys.platform not in ("win32", "darwin"), reason="the Windows and macOS profile folders")
def test_thunderbird_profiles_are_found_where_this_system_keeps_them(tmp_path: Path, monkeypatch) -> None:
    from setup_assistant.core.clients.thunderbird.writer import find_profiles

    if sys.platform == "win32":
        monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
        root = tmp_path / "AppData" / "Roaming" / "Thunderbird"
    else:
        monkeypatch.setenv("HOME", str(tmp_path))
        root = tmp_path / "Library" / "Thunderbird"
    profile = root / "Profiles" / "abcd.default-release"
    profile.mkdir(parents=True)
    (root / "profiles.ini").write_text(
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/abcd.default-release\nDefault=1\n",
        encoding="utf-8",
    )
    found = find_profiles(home=None if sys.platform == "win32" else tmp_path)
    assert [p.path.resolve() for p in found] == [profile.resolve()]
