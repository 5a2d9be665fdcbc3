"""What this app has written on this computer, so a help-desk report can say which profiles exist.

Kept as a small JSON file in the user's data folder (platformdirs); never holds a password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs

from setup_assistant import APP_NAME as APP_NAME  # re-exported: callers name it from here
from setup_assistant.core.atomic import write_text_atomic
from setup_assistant.core.file_lock import LockBusy, exclusive

_log = logging.getLogger(__name__)

_MAX_ENTRIES = 5000
_LOCK_FILE = ".records.lock"
_LOCK_WAIT = 30.0  # seconds; a record is read, changed and written in milliseconds


def data_dir() -> Path:
    """The app's per-user folder (override with SETUP_ASSISTANT_DATA_DIR, e.g. in tests)."""
    override = os.environ.get("SETUP_ASSISTANT_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class WrittenProfile:
    address: str
    client: str  # thunderbird | outlook | apple-mail | settings-sheet | ...
    path: str
    installed: bool  # True when applied to a mail program, False for an exported file
    written_at: str


def _history_file() -> Path:
    return data_dir() / "written-profiles.json"


@contextlib.contextmanager
def _records_locked() -> Iterator[None]:
    """One writer at a time for the record files: runs at once (a whole office at a help desk, the wizard
    and the CLI) would otherwise each read the old list and the last to write would drop the others' entries."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with exclusive(folder / _LOCK_FILE, timeout=_LOCK_WAIT, busy="the record of written profiles stayed locked"):
        yield


def load_history() -> list[WrittenProfile]:
    try:
        raw = json.loads(_history_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries: list[WrittenProfile] = []
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                try:
                    entries.append(WrittenProfile(**{k: item[k] for k in WrittenProfile.__dataclass_fields__}))
                except (KeyError, TypeError):
                    continue
    return entries


def record_written(address: str, client: str, path: Path, *, installed: bool = False) -> None:
    """Adds (or refreshes) one entry; failure to record never breaks the real work."""
    _log.info("wrote %s: %s%s", client, path, " (applied to the mail program)" if installed else "")
    entry = WrittenProfile(
        address=address.lower(),
        client=client,
        path=str(Path(path).resolve()),
        installed=installed,
        written_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    with contextlib.suppress(OSError, LockBusy), _records_locked():
        key = (entry.address, entry.client, entry.path)
        entries = [e for e in load_history() if (e.address, e.client, e.path) != key]
        entries.append(entry)
        data: list[dict[str, Any]] = [asdict(e) for e in entries[-_MAX_ENTRIES:]]
        write_text_atomic(_history_file(), json.dumps(data, indent=1, ensure_ascii=False))


def written_for(address: str) -> list[WrittenProfile]:
    wanted = address.lower()
    return [e for e in load_history() if e.address == wanted]


def _roots_file() -> Path:
    return data_dir() / "installed-roots.json"


def _load_roots() -> list[dict[str, str]]:
    try:
        raw = json.loads(_roots_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def record_root_installed(place: str, sha256: str) -> None:
    """Notes that this app put the root into a store, so `remove` only ever takes out its own copy."""
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with contextlib.suppress(OSError, LockBusy), _records_locked():
        entries = [r for r in _load_roots() if (r.get("place"), r.get("sha256")) != (place, sha256)]
        entries.append({"place": place, "sha256": sha256, "at": at})
        write_text_atomic(_roots_file(), json.dumps(entries, indent=1))


def root_installed_here(place: str, sha256: str) -> bool:
    return any((r.get("place"), r.get("sha256")) == (place, sha256) for r in _load_roots())


def forget_root(place: str, sha256: str) -> None:
    with contextlib.suppress(OSError, LockBusy), _records_locked():
        entries = [r for r in _load_roots() if (r.get("place"), r.get("sha256")) != (place, sha256)]
        write_text_atomic(_roots_file(), json.dumps(entries, indent=1))
