"""Which mail programs this computer has, and how to start them: used to tick the right boxes.

Plain Python (no Qt) so it can move to the core if the CLI ever needs it. Thunderbird is found through its
profiles (the core's finder), classic Outlook through Windows' App Paths registration, Apple Mail by being
on macOS.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from setup_assistant.core.clients import Client
from setup_assistant.core.clients.windows_apps import registered_paths

if TYPE_CHECKING:
    from setup_assistant.core.clients.thunderbird import writer as thunderbird


@dataclass(frozen=True)
class Detected:
    client: Client
    present: bool
    profiles: tuple[thunderbird.ThunderbirdProfile, ...] = ()  # Thunderbird only, default first
    start: tuple[str, ...] = ()  # a command that starts the program, when known


def _app_path(exe: str) -> str | None:
    """The registered path of a Windows program (App Paths), the user's own registration first."""
    paths = registered_paths(exe)
    return paths[0] if paths else None


def _thunderbird_command(platform: str) -> tuple[str, ...]:
    if platform == "win32":
        exe = _app_path("thunderbird.exe")
        return (exe,) if exe else ()
    if platform == "darwin":
        return ("open", "-a", "Thunderbird") if Path("/Applications/Thunderbird.app").exists() else ()
    for name in ("thunderbird", "thunderbird-esr"):
        found = shutil.which(name)
        if found:
            return (found,)
    flatpak = shutil.which("flatpak")
    if flatpak and Path("/var/lib/flatpak/app/org.mozilla.Thunderbird").exists():
        return (flatpak, "run", "org.mozilla.Thunderbird")
    return ()


def detect(platform: str, home: Path | None = None) -> dict[Client, Detected]:
    from setup_assistant.core.clients.thunderbird import writer as thunderbird

    try:
        profiles = tuple(thunderbird.find_profiles(home, platform))
    except Exception:  # an unreadable profiles.ini only means "not detected"
        profiles = ()
    start = _thunderbird_command(platform) if home is None else ()
    outlook = _app_path("OUTLOOK.EXE") if platform == "win32" else None
    return {
        Client.THUNDERBIRD: Detected(Client.THUNDERBIRD, bool(profiles), profiles, start),
        Client.OUTLOOK: Detected(Client.OUTLOOK, outlook is not None, (), (outlook,) if outlook else ()),
        Client.APPLE_MAIL: Detected(
            Client.APPLE_MAIL, platform == "darwin", (), ("open", "-a", "Mail") if platform == "darwin" else ()
        ),
    }
