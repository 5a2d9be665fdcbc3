"""An exclusive lock between processes (and threads), held by the operating system, never a sleep-and-hope.

POSIX: flock(2) on an open file or folder; the lock belongs to that open file, so two threads that each open
the path exclude each other too, and it vanishes when the process dies. Windows: msvcrt.locking on the first
byte of a lock file. A lock that stays busy past its timeout raises LockBusy with the caller's sentence.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_POLL = 0.02  # seconds between two tries of a non-blocking lock while waiting for its holder to finish


class LockBusy(Exception):
    """Someone else held the lock for longer than we were prepared to wait; str() is a sentence."""


def _open(path: Path) -> int:
    if path.is_dir():
        return os.open(path, os.O_RDONLY)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def exclusive(path: Path, *, timeout: float, busy: str) -> Iterator[None]:
    """Holds an exclusive lock on `path` (a folder, POSIX only, or a lock file created if missing).

    Waits up to `timeout` seconds for another holder; raises LockBusy(busy) after that, OSError when the
    path cannot be opened at all.
    """
    fd = _open(path)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockBusy(busy)
            time.sleep(_POLL)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
