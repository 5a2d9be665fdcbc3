"""Why a file operation failed, in plain words and the person's language.

The system's own words ("Is a directory", "Errno 30") are jargon and always English; the usual failures of
writing and reading a person's files are said plainly here, as a Message (English as data, translated where
shown). Any other failure keeps the system's text. Network failures have their own words (probing/connection).
"""

from __future__ import annotations

import errno

from setup_assistant.core.i18n import N_, Message, reason

_PLAIN: dict[int, str] = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EEXIST: N_("something with that name is already there"),
    errno.ENOTDIR: N_("a file is in the way where a folder should be"),
    errno.EISDIR: N_("a folder is in the way where a file should be"),
    errno.ENAMETOOLONG: N_("the name is too long for the disk"),
    errno.ENOTEMPTY: N_("the folder is not empty"),
    errno.EBUSY: N_("it is in use by another program"),
    errno.EIO: N_("the disk could not be read or written"),
    errno.EMFILE: N_("too many files are open"),
    errno.ELOOP: N_("too many symbolic links"),
}
if hasattr(errno, "EDQUOT"):
    _PLAIN[errno.EDQUOT] = N_("the disk quota is used up")


def os_reason(exc: BaseException) -> str:
    """The reason an OSError gives, as a Message when it is a usual one (or was raised with one), else the
    system's own text; any other exception's sentence (the Message it was raised with, else its text)."""
    if isinstance(exc, OSError):
        if isinstance(exc.strerror, Message):  # raised with a sentence of ours (atomic.OwnershipError)
            return exc.strerror
        known = _PLAIN.get(exc.errno) if exc.errno is not None else None
        if known:
            return Message(known)
        if exc.strerror:
            return str(exc.strerror)
    return reason(exc) or type(exc).__name__


def os_failure(exc: BaseException) -> str:
    """`<file>: <reason>` for an OSError that names its file (a failed rename names the file being written,
    not the temporary one), else the reason alone."""
    reason = os_reason(exc)
    file = (exc.filename2 or exc.filename) if isinstance(exc, OSError) else None
    return Message("{file}: {reason}", file=file, reason=reason) if file else reason
