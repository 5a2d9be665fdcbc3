"""Writing mail-client files safely: checked text in, whole files out, never a half-written file.

Every writer funnels the person's name and address through `check_profile_text` first, so a name that
XML, plists, INI or .reg files cannot carry is refused with a sentence instead of producing a broken file.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from setup_assistant.core import atomic
from setup_assistant.core.account import AccountSettings

MAX_NAME_LENGTH = 200  # longer than any real name; a pasted paragraph is a mistake, not a name
_FILE_NAME_BYTES = 180  # well under the 255-byte limit of every file system, with room for a suffix
_UNSAFE_IN_FILE_NAMES = set('<>:"/\\|?*')


class ProfileInputError(ValueError):
    """The name or address cannot go into a mail program's file; str() is a sentence for the person."""


def check_text(value: str, what: str, max_length: int | None = None) -> str:
    """Refuses text no XML/plist/INI file can hold faithfully: control characters, surrogates, noncharacters."""
    if max_length is not None and len(value) > max_length:
        raise ProfileInputError(f"The {what} is too long ({len(value)} characters; at most {max_length}).")
    for char in value:
        code = ord(char)
        category = unicodedata.category(char)
        if category == "Cc":
            raise ProfileInputError(f"The {what} contains a line break or control character; please type it again.")
        if category == "Cs" or code in (0xFFFE, 0xFFFF) or 0xFDD0 <= code <= 0xFDEF:
            raise ProfileInputError(f"The {what} contains a character that is not text; please type it again.")
    return value


def check_profile_text(settings: AccountSettings) -> None:
    """Checks everything personal a profile file will carry (the password only when it is to be written)."""
    check_text(settings.address.address, "email address")
    if settings.display_name is not None:
        check_text(settings.display_name, "name", MAX_NAME_LENGTH)
    if settings.password is not None:
        check_text(settings.password, "password")


def safe_file_stem(text: str) -> str:
    """A file name made from an address: no path separators or characters Windows forbids, bounded length."""
    cleaned = "".join("_" if c in _UNSAFE_IN_FILE_NAMES or ord(c) < 32 else c for c in text).strip(" .")
    cleaned = cleaned or "account"
    if len(cleaned.encode("utf-8")) > _FILE_NAME_BYTES:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        encoded = cleaned.encode("utf-8")[: _FILE_NAME_BYTES - 13]
        cleaned = encoded.decode("utf-8", errors="ignore") + "-" + digest
    return cleaned


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> Path:
    """Writes a whole file or nothing; owner-only when it holds a password, else readable like any export."""
    atomic.write_atomic(path, data, mode=0o600 if private else 0o644)
    return path


def write_in_profile(path: Path, data: bytes, *, new_mode: int | None = None) -> Path:
    """Replaces (or creates) a file inside a mail program's profile, whole or not at all, keeping the owner,
    group and mode of the file it replaces; a new file gets the profile folder's owner and group, with
    `new_mode` or a normal file's mode there. Raises atomic.OwnershipError, writing nothing, when this
    process may not give the file to its owner (say, run by another user who is not an administrator)."""
    atomic.write_atomic(path, data, owner=atomic.ownership_for(path, new_mode=new_mode))
    return path
