"""Where Windows says a program is installed: its App Paths registration, the place installers record it.

Read in both registry views (a 32-bit Thunderbird on 64-bit Windows registers in the 32-bit one), the user's own
registration first. Nothing here on other systems.
"""

from __future__ import annotations

APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths"


def registered_paths(exe: str) -> list[str]:
    """Every path registered for `exe` ("thunderbird.exe"), HKCU before HKLM, 64-bit view before 32-bit."""
    try:
        import winreg
    except ImportError:
        return []
    key = rf"{APP_PATHS}\{exe}"
    found: list[str] = []
    for hive in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):  # type: ignore[attr-defined,unused-ignore]
        for view in (winreg.KEY_WOW64_64KEY, winreg.KEY_WOW64_32KEY):  # type: ignore[attr-defined,unused-ignore]
            try:
                with winreg.OpenKey(hive, key, 0, winreg.KEY_READ | view) as handle:  # type: ignore[attr-defined,unused-ignore]
                    value, _kind = winreg.QueryValueEx(handle, "")  # type: ignore[attr-defined,unused-ignore]
            except OSError:
                continue
            if isinstance(value, str) and value.strip():
                found.append(value.strip().strip('"'))
    return found
