"""Which Outlook this computer has, so the sheet and the wizard show the route for that one first.

Read through a small adapter (the real winreg on Windows, an in-memory one in tests), like registry.py:
- classic Outlook (Click-to-Run: Microsoft 365, 2019, 2021, 2024): `HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\
  Configuration` `VersionToReport` (e.g. 16.0.17928.20156) and `ProductReleaseIds` (e.g. O365ProPlusRetail,
  ProPlus2024Volume, Outlook2021Retail); an MSI install (2016) only through App Paths `OUTLOOK.EXE` and that file's
  version;
- "new Outlook for Windows" is the Store package Microsoft.OutlookForWindows (its per-user registration under
  `HKCU\\Software\\Classes\\Local Settings\\...\\AppModel\\Repository\\Packages`, or App Paths `olk.exe`); a person who
  switched classic Outlook's "New Outlook" toggle on has `UseNewOutlook`=1 under `...\\Outlook\\Preferences`
  (community-documented, used by migration tools);
- Outlook for Mac: `/Applications/Microsoft Outlook.app`.
"""

from __future__ import annotations

import enum
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from setup_assistant.core.clients.windows_apps import APP_PATHS
from setup_assistant.core.i18n import Message

HKLM, HKCU = "HKLM", "HKCU"
C2R_CONFIGURATION = r"SOFTWARE\Microsoft\Office\ClickToRun\Configuration"
APPX_PACKAGES = (
    r"Software\Classes\Local Settings\Software\Microsoft\Windows\CurrentVersion\AppModel\Repository\Packages"
)
NEW_OUTLOOK_PACKAGE = "Microsoft.OutlookForWindows_"
OUTLOOK_PREFERENCES = r"Software\Microsoft\Office\16.0\Outlook\Preferences"
MAC_OUTLOOK_APP = "/Applications/Microsoft Outlook.app"


class OutlookKind(enum.StrEnum):
    CLASSIC = "classic"  # classic Outlook 2016, 2019, 2021, Microsoft 365: the .reg switch gives the classic dialog
    CLASSIC_2024 = "classic-2024"  # Outlook 2024 / LTSC 2024: the switch is reported to have no effect
    NEW = "new"  # new Outlook for Windows
    MAC = "mac"  # Outlook for Mac


@dataclass(frozen=True)
class OutlookFound:
    kind: OutlookKind
    product: str | None = None  # "Microsoft 365", "Office 2024", …
    version: str | None = None  # "16.0.17928.20156"
    new_outlook_too: bool = False  # the new Outlook is installed beside classic

    def describe(self) -> str:
        """For the sheet and the wizard: which Outlook was found (English as a str, `.human()` translated)."""
        if self.kind is OutlookKind.NEW:
            return Message("the new Outlook for Windows")
        if self.kind is OutlookKind.MAC:
            return Message("Outlook for Mac")
        version = Message("version {version}", version=self.version) if self.version else None
        details = [x for x in (self.product, version) if x]
        if len(details) == 2:
            text = Message("classic Outlook ({product}, {version})", product=details[0], version=details[1])
        elif details:
            text = Message("classic Outlook ({details})", details=details[0])
        else:
            text = Message("classic Outlook")
        if self.new_outlook_too:
            return Message("{outlook} and the new Outlook for Windows", outlook=text)
        return text


class MachineReader(Protocol):
    """What detection reads: registry values and subkeys, a file's version, whether a path exists."""

    def value(self, hive: str, key: str, name: str) -> str | int | None: ...

    def subkeys(self, hive: str, key: str) -> list[str]: ...

    def file_version(self, path: str) -> str | None: ...

    def exists(self, path: str) -> bool: ...


class MemoryMachine:
    """A computer described in a test: {(hive, key, name): value}, file versions, existing paths."""

    def __init__(
        self,
        values: dict[tuple[str, str, str], str | int] | None = None,
        file_versions: dict[str, str] | None = None,
        paths: tuple[str, ...] = (),
    ) -> None:
        self._values = {(h, k.lower(), n.lower()): v for (h, k, n), v in (values or {}).items()}
        self._keys = [(h, k) for h, k, _ in (values or {})]
        self._versions = dict(file_versions or {})
        self._paths = set(paths)

    def value(self, hive: str, key: str, name: str) -> str | int | None:
        return self._values.get((hive, key.lower(), name.lower()))

    def subkeys(self, hive: str, key: str) -> list[str]:
        prefix = key.lower() + "\\"
        found = {k[len(prefix) :].split("\\")[0] for h, k in self._keys if h == hive and k.lower().startswith(prefix)}
        return sorted(found)

    def file_version(self, path: str) -> str | None:
        return self._versions.get(path)

    def exists(self, path: str) -> bool:
        return path in self._paths


class WindowsMachine:
    """The real registry (both views) and file versions through the Windows API; read-only."""

    def value(self, hive: str, key: str, name: str) -> str | int | None:
        if sys.platform != "win32":
            return None
        import winreg

        root = winreg.HKEY_LOCAL_MACHINE if hive == HKLM else winreg.HKEY_CURRENT_USER
        for view in (winreg.KEY_WOW64_64KEY, winreg.KEY_WOW64_32KEY):
            try:
                with winreg.OpenKey(root, key, 0, winreg.KEY_READ | view) as handle:
                    data, _kind = winreg.QueryValueEx(handle, name)
            except OSError:
                continue
            if isinstance(data, (str, int)):
                return data
        return None

    def subkeys(self, hive: str, key: str) -> list[str]:
        if sys.platform != "win32":
            return []
        import winreg

        root = winreg.HKEY_LOCAL_MACHINE if hive == HKLM else winreg.HKEY_CURRENT_USER
        names: list[str] = []
        try:
            with winreg.OpenKey(root, key, 0, winreg.KEY_READ) as handle:
                index = 0
                while True:
                    try:
                        names.append(winreg.EnumKey(handle, index))
                    except OSError:
                        break
                    index += 1
        except OSError:
            return []
        return names

    def file_version(self, path: str) -> str | None:
        if sys.platform != "win32":
            return None
        import ctypes
        from ctypes import wintypes

        version = ctypes.WinDLL("version", use_last_error=True)
        size = version.GetFileVersionInfoSizeW(path, None)
        if not size:
            return None
        buffer = ctypes.create_string_buffer(size)
        if not version.GetFileVersionInfoW(path, 0, size, buffer):
            return None
        pointer, length = ctypes.c_void_p(), wintypes.UINT()
        if not version.VerQueryValueW(buffer, "\\", ctypes.byref(pointer), ctypes.byref(length)) or not length.value:
            return None
        fixed = ctypes.cast(pointer, ctypes.POINTER(wintypes.DWORD * 13)).contents  # VS_FIXEDFILEINFO
        ms, ls = fixed[2], fixed[3]  # dwFileVersionMS, dwFileVersionLS
        return f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF}"

    def exists(self, path: str) -> bool:
        return Path(path).exists()


def _product(release_ids: str) -> tuple[str | None, int | None]:
    """A readable product name and its year from ProductReleaseIds (e.g. "ProPlus2024Volume,VisioPro2024")."""
    ids = [i.strip() for i in release_ids.split(",") if i.strip()]
    if any(i.startswith("O365") or i.startswith("Microsoft365") for i in ids):
        return "Microsoft 365", None
    years = [int(m.group(1)) for i in ids if (m := re.search(r"(20\d\d)", i))]
    if years:
        year = max(years)
        return f"Office {year}", year
    return None, None


def detect_outlook(platform: str | None = None, reader: MachineReader | None = None) -> OutlookFound | None:
    """The Outlook this computer has (classic first when both are there: the files are for it); None if none."""
    platform = platform or sys.platform
    machine: MachineReader = reader if reader is not None else WindowsMachine()
    if platform == "darwin":
        return OutlookFound(OutlookKind.MAC) if machine.exists(MAC_OUTLOOK_APP) else None
    if platform != "win32":
        return None
    packages = machine.subkeys(HKCU, APPX_PACKAGES)
    new_outlook = any(k.lower().startswith(NEW_OUTLOOK_PACKAGE.lower()) for k in packages) or bool(
        machine.value(HKLM, APP_PATHS + r"\olk.exe", "") or machine.value(HKCU, APP_PATHS + r"\olk.exe", "")
    )
    exe = machine.value(HKLM, APP_PATHS + r"\OUTLOOK.EXE", "") or machine.value(HKCU, APP_PATHS + r"\OUTLOOK.EXE", "")
    if not isinstance(exe, str) or not exe.strip():
        return OutlookFound(OutlookKind.NEW) if new_outlook else None
    switched = machine.value(HKCU, OUTLOOK_PREFERENCES, "UseNewOutlook") == 1
    if switched and new_outlook:
        return OutlookFound(OutlookKind.NEW)
    release_ids = machine.value(HKLM, C2R_CONFIGURATION, "ProductReleaseIds")
    product, year = _product(release_ids) if isinstance(release_ids, str) else (None, None)
    c2r_version = machine.value(HKLM, C2R_CONFIGURATION, "VersionToReport")
    version = c2r_version if isinstance(c2r_version, str) else machine.file_version(exe.strip().strip('"'))
    if product is None and version and not isinstance(c2r_version, str):
        product = "Office 2016" if version.startswith("16.") else None  # only 2016 was ever an MSI install of 16.0
    kind = OutlookKind.CLASSIC_2024 if year is not None and year >= 2024 else OutlookKind.CLASSIC
    return OutlookFound(kind, product, version, new_outlook)
