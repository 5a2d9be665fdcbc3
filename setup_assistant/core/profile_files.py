"""Writing mail-client files safely: checked text in, whole files out, never a half-written file.

Every writer funnels the person's name and address through `check_profile_text` first, so a name that
XML, plists, INI or .reg files cannot carry is refused with a sentence instead of producing a broken file.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from setup_assistant.core import atomic
from setup_assistant.core.account import AccountSettings
from setup_assistant.core.i18n import N_, Message

MAX_NAME_LENGTH = 200  # longer than any real name; a pasted paragraph is a mistake, not a name
_FILE_NAME_BYTES = 180  # well under the 255-byte limit of every file system, with room for a suffix
_UNSAFE_IN_FILE_NAMES = set('<>:"/\\|?*')


class ProfileInputError(ValueError):
    """The name or address cannot go into a mail program's file: raised with a Message (str() English, human()
    the person's language)."""


def check_text(value: str, what: str, max_length: int | None = None) -> str:
    """Refuses text no XML/plist/INI file can hold faithfully: control characters, surrogates, noncharacters."""
    if max_length is not None and len(value) > max_length:
        raise ProfileInputError(
            Message(
                "The {what} is too long ({length} characters; at most {most}).",
                what=Message(what),
                length=len(value),
                most=max_length,
            )
        )
    for char in value:
        code = ord(char)
        category = unicodedata.category(char)
        if category == "Cc":
            raise ProfileInputError(
                Message(
                    "The {what} contains a line break or control character; please type it again.", what=Message(what)
                )
            )
        if category == "Cs" or code in (0xFFFE, 0xFFFF) or 0xFDD0 <= code <= 0xFDEF:
            raise ProfileInputError(
                Message("The {what} contains a character that is not text; please type it again.", what=Message(what))
            )
    return value


def check_profile_text(settings: AccountSettings) -> None:
    """Checks everything personal a profile file will carry (the password only when it is to be written)."""
    check_text(settings.address.address, N_("email address"))
    if settings.display_name is not None:
        check_text(settings.display_name, N_("name"), MAX_NAME_LENGTH)
    if settings.password is not None:
        check_text(settings.password, N_("password"))


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


def _existing_ancestor(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


@contextmanager
def keeping_owners(folder: Path) -> Iterator[None]:
    """Around a tool that writes into a profile folder on its own (NSS certutil): files it replaces keep their
    owner, group and mode; files and folders it creates get the owner and group of the folder (or of the
    nearest existing folder above it), with the mode the tool chose (NSS makes its databases 0600).

    Raises atomic.OwnershipError before the tool runs when this process could not give them back.
    """
    if os.name != "posix":
        yield
        return
    base = _existing_ancestor(folder)
    base_st = os.stat(base)
    folder_owner = atomic.Ownership(base_st.st_uid, base_st.st_gid, stat.S_IMODE(base_st.st_mode))
    before: dict[str, atomic.Ownership] = {}
    if folder.is_dir():
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                before[entry.name] = atomic.Ownership(st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))
    for owner in {folder_owner, *before.values()}:
        atomic.check_ownership(folder, atomic.Ownership(owner.uid, owner.gid, 0))
    try:
        yield
    finally:
        _give_back(folder, base, folder_owner, before)


def _give_back(folder: Path, base: Path, owner: atomic.Ownership, before: dict[str, atomic.Ownership]) -> None:
    created = folder
    while created != base and created.is_dir():  # folders made on the way (say ~/.pki/nssdb)
        os.chown(created, owner.uid, owner.gid, follow_symlinks=False)
        created = created.parent
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        st = entry.stat(follow_symlinks=False)
        old = before.get(entry.name)
        uid, gid = (old.uid, old.gid) if old else (owner.uid, owner.gid)
        if (st.st_uid, st.st_gid) != (uid, gid):
            os.chown(entry.path, uid, gid, follow_symlinks=False)
        if old is not None and stat.S_IMODE(st.st_mode) != old.mode:
            os.chmod(entry.path, old.mode)
