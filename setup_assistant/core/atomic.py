"""Atomic file writes: a crash mid-write leaves the old file (or none), never half a file.

Files inside someone's mail profile also keep their owner, group and mode (`Ownership`): the assistant may
run with more rights than the profile's owner (an administrator, sudo, a help desk's elevated shell), and a
prefs.js that its owner cannot read makes Thunderbird start with no accounts.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from setup_assistant.core.i18n import Message

_POSIX = os.name == "posix"


class OwnershipError(OSError):
    """The owner, group or mode of a file cannot be kept, so nothing was written; str() is a sentence."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


@dataclass(frozen=True)
class Ownership:
    """Who a file belongs to and its permission bits (POSIX; Windows files inherit their folder's ACL)."""

    uid: int
    gid: int
    mode: int

    def describe(self) -> str:
        return f"{_user_name(self.uid)}:{_group_name(self.gid)}"


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def normal_file_mode(folder_mode: int) -> int:
    """The mode of an ordinary file in a folder with `folder_mode`: its read/write bits, no execute bits."""
    return stat.S_IMODE(folder_mode) & 0o666


def ownership_for(path: Path, *, new_mode: int | None = None) -> Ownership | None:
    """What a file written at `path` must keep: the existing file's owner, group and mode; for a new file the
    folder's owner and group with `new_mode` (default: a normal file's mode there). None on Windows."""
    if not _POSIX:
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        folder = os.stat(path.parent)
        mode = new_mode if new_mode is not None else normal_file_mode(folder.st_mode)
        return Ownership(folder.st_uid, folder.st_gid, mode)
    return Ownership(st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))


def ownership_problem(path: Path, owner: Ownership) -> str | None:
    """Why this process cannot give `path` that owner and group (a sentence), or None when it can.

    Only root may give a file to another user; anyone may hand their own file to a group they belong to.
    """
    if not _POSIX or os.geteuid() == 0:
        return None
    if owner.uid != os.geteuid():
        return Message(
            "{path} belongs to {owner}, and this assistant runs as {user}, which cannot write a file owned by someone "
            "else; nothing was written (run it as {owner_user})",
            path=path,
            owner=owner.describe(),
            user=_user_name(os.geteuid()),
            owner_user=_user_name(owner.uid),
        )
    if owner.gid != os.getegid() and owner.gid not in os.getgroups():
        return Message(
            "{path} belongs to the group {group}, which this assistant's user is not in, so the file could not keep "
            "its group; nothing was written",
            path=path,
            group=_group_name(owner.gid),
        )
    return None


def check_ownership(path: Path, owner: Ownership | None) -> None:
    """Raises OwnershipError (before anything is written) when `owner` cannot be kept for `path`."""
    if owner is None:
        return
    problem = ownership_problem(path, owner)
    if problem:
        raise OwnershipError(errno.EPERM, problem, str(path))


def apply_ownership(fd: int, path: Path, owner: Ownership) -> None:
    """Gives an open file `owner`'s owner, group and mode (owner first: chown clears set-id bits)."""
    st = os.fstat(fd)
    try:
        if (st.st_uid, st.st_gid) != (owner.uid, owner.gid):
            os.fchown(fd, owner.uid, owner.gid)
        os.fchmod(fd, owner.mode)
    except PermissionError:
        raise OwnershipError(
            errno.EPERM,
            Message(
                "{path} could not be given back to {owner} (not permitted); nothing was written",
                path=path,
                owner=owner.describe(),
            ),
            str(path),
        ) from None


def write_atomic(path: Path, data: bytes, *, mode: int | None = None, owner: Ownership | None = None) -> None:
    """Writes `data` to a temp file beside `path`, flushes it to disk and renames it over `path`.

    With `owner`, the new file gets that owner, group and mode before it replaces anything; when that is not
    permitted, OwnershipError is raised and `path` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    check_ownership(path, owner)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if owner is not None and _POSIX:
                apply_ownership(fh.fileno(), path, owner)
            os.fsync(fh.fileno())
        if owner is None and mode is not None:
            os.chmod(tmp, mode)
        elif owner is None and path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8", mode: int | None = None) -> None:
    write_atomic(path, text.encode(encoding), mode=mode)
