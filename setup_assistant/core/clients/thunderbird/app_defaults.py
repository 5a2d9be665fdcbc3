"""What a pref means when a profile does not set it: the default of the Thunderbird that last ran the profile.

Thunderbird drops a `user_pref` from prefs.js when it equals the application's default, so an absent pref is
not "off": it is whatever that Thunderbird ships. The profile's `compatibility.ini` names the Thunderbird that
last opened it (`LastVersion`, `LastPlatformDir`, `LastAppDir`); its text defaults are `greprefs.js` and
`defaults/pref/*.js` inside `omni.ja`, then `defaults/pref/*.js` (and Debian's `defaults/syspref`) on disk, the
later file winning. A pref found in none of them is compiled into the program (StaticPrefList), so only the
version can tell; `COMPILED_IN_DEFAULTS` holds the few this assistant needs.
"""

from __future__ import annotations

import configparser
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from setup_assistant.core.clients.thunderbird.prefs import PrefsSyntaxError, PrefValue, parse_prefs

ENTERPRISE_ROOTS_PREF = "security.enterprise_roots.enabled"

# Compiled-in defaults by the first major version that has them: (since_version, value), newest first.
# security.enterprise_roots.enabled: on by default since the Gecko 120 platform change (SUMO "Automatically
# trust third-party root certificates": "Starting with version 120 … enabled by default"); Thunderbird 153
# has no text default for it and drops `user_pref(..., true)` on save, keeping `false` (measured with
# Debian's thunderbird 153 in tests/core/clients/test_real_thunderbird.py).
COMPILED_IN_DEFAULTS: dict[str, tuple[tuple[int, PrefValue], ...]] = {
    ENTERPRISE_ROOTS_PREF: ((120, True), (0, False)),
}

_MAX_DEFAULTS_FILE = 4 * 1024 * 1024  # greprefs.js is ~90 kB; anything far larger is not a prefs file


@dataclass(frozen=True)
class LastRun:
    """The Thunderbird that last ran a profile, from its compatibility.ini."""

    version: str  # e.g. "153.8.0"
    major: int | None
    app_dirs: tuple[Path, ...]  # LastPlatformDir, then LastAppDir (duplicates removed)


def last_run(profile_dir: Path) -> LastRun | None:
    """None when the profile has never been opened by Thunderbird (or the file is unreadable)."""
    try:
        text = (Path(profile_dir) / "compatibility.ini").read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    if not parser.has_section("Compatibility"):
        return None
    raw = parser.get("Compatibility", "LastVersion", fallback="").strip()
    version = raw.split("_", 1)[0]  # "153.8.0_20261120213735/20261120213735"
    match = re.match(r"(\d+)", version)
    dirs = [parser.get("Compatibility", key, fallback="").strip() for key in ("LastPlatformDir", "LastAppDir")]
    app_dirs = tuple(Path(d) for d in dict.fromkeys(d for d in dirs if d))
    return LastRun(version, int(match.group(1)) if match else None, app_dirs)


def _text_defaults(app_dir: Path) -> Iterator[bytes]:
    """The default-pref files of one installation, in the order Thunderbird reads them."""
    omni = app_dir / "omni.ja"
    try:
        with zipfile.ZipFile(omni) as archive:
            names = archive.namelist()
            ordered = [
                "greprefs.js",
                *sorted(n for n in names if n.startswith("defaults/pref/") and n.endswith(".js") and n.count("/") == 2),
            ]
            for name in ordered:
                if name in names and archive.getinfo(name).file_size <= _MAX_DEFAULTS_FILE:
                    yield archive.read(name)
    except (OSError, zipfile.BadZipFile, KeyError):
        pass
    for folder in ("defaults/pref", "defaults/syspref"):
        try:
            files = sorted(p for p in (app_dir / folder).glob("*.js") if p.is_file())
        except OSError:
            continue
        for path in files:
            try:
                if path.stat().st_size <= _MAX_DEFAULTS_FILE:
                    yield path.read_bytes()
            except OSError:
                continue


def text_default(app_dirs: tuple[Path, ...], name: str) -> PrefValue | None:
    """The value the installation's default files give a pref, the last one read winning."""
    value: PrefValue | None = None
    for app_dir in app_dirs:
        for data in _text_defaults(app_dir):
            try:
                statements = parse_prefs(data)
            except PrefsSyntaxError:
                continue  # Thunderbird skips a broken statement; one bad file must not hide the others
            for statement in statements:
                if statement.name == name:
                    value = statement.value
    return value


def compiled_in_default(name: str, major: int | None) -> PrefValue | None:
    if major is None:
        return None
    for since, value in COMPILED_IN_DEFAULTS.get(name, ()):
        if major >= since:
            return value
    return None


def pref_default(profile_dir: Path, name: str) -> PrefValue | None:
    """The default that applies in this profile, or None when it cannot be known (never run, unknown pref)."""
    run = last_run(profile_dir)
    if run is None:
        return None
    found = text_default(run.app_dirs, name)
    if found is not None:
        return found
    return compiled_in_default(name, run.major)
