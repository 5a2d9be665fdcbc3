"""A home folder with Thunderbird in it, as Thunderbird leaves it: one default profile, found through profiles.ini."""

from __future__ import annotations

from pathlib import Path


def thunderbird_profile(home: Path, folder: str = "abcd1234.default-release") -> Path:
    """Makes `home`/.thunderbird with one default profile named `folder` (empty, as a new Thunderbird's); returns it."""
    root = home / ".thunderbird"
    profile = root / folder
    profile.mkdir(parents=True)
    (root / "profiles.ini").write_text(
        f"[Profile0]\nName=default-release\nIsRelative=1\nPath={folder}\nDefault=1\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n",
        encoding="utf-8",
    )
    return profile
