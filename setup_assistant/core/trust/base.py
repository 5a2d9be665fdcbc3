"""The one small interface every certificate store sits behind, and the command runner they share.

Adapters only know how to look for, add and take out one certificate; whether it is needed is decided
elsewhere (needs.py). Commands run through an injectable runner so the Windows and macOS adapters can be
tested anywhere with a fake that checks the exact command line.
"""

from __future__ import annotations

import enum
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.i18n import Message, reason
from setup_assistant.core.provider import PinnedRoot


class Outcome(enum.StrEnum):
    INSTALLED = "installed"
    ALREADY_PRESENT = "already-present"
    NOT_NEEDED = "not-needed"
    REMOVED = "removed"
    ABSENT = "absent"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class ActionResult:
    outcome: Outcome
    message: str  # a Message: English as data, the person's language where shown


@dataclass(frozen=True)
class StoreState:
    present: bool | None  # None: the store could not be read
    message: str


class TrustStore(Protocol):
    """A place that can hold the root: look, add (idempotently), take out exactly what was added."""

    def status(self, root: PinnedRoot) -> StoreState: ...

    def install(self, root: PinnedRoot) -> ActionResult: ...

    def remove(self, root: PinnedRoot) -> ActionResult: ...


class PinMismatch(ValueError):
    """The root in hand is not the pinned one: nothing may be installed."""


def verify_pin(root: PinnedRoot) -> None:
    """Checks again, right before any store is touched, that the bytes are the pinned certificate."""
    actual = hashlib.sha256(root.der).hexdigest()
    if actual != root.sha256.lower():
        raise PinMismatch(
            Message(
                "{file}: the certificate's SHA-256 is {actual}, but {pinned} is pinned; refusing to install it",
                file=root.path,
                actual=actual,
                pinned=root.sha256,
            )
        )
    try:
        from_pem = x509.load_pem_x509_certificate(root.pem).public_bytes(Encoding.DER)
    except ValueError:
        raise PinMismatch(Message("{file}: the PEM copy of the pinned root cannot be read", file=root.path)) from None
    if from_pem != root.der or root.certificate.public_bytes(Encoding.DER) != root.der:
        raise PinMismatch(
            Message("{file}: the PEM and DER copies of the pinned root differ; refusing to install it", file=root.path)
        )


def sha1_hex(root: PinnedRoot) -> str:
    """Upper-case SHA-1 thumbprint: what Windows and the macOS keychain use to name a certificate."""
    return hashlib.sha1(root.der, usedforsecurity=False).hexdigest().upper()


def common_name(root: PinnedRoot) -> str:
    return _name_attribute(root, x509.NameOID.COMMON_NAME)


def short_name(root: PinnedRoot) -> str:
    """What people call the root: its common name, else its organization, else the start of its hash."""
    return common_name(root) or _name_attribute(root, x509.NameOID.ORGANIZATION_NAME) or root.sha256[:16]


def _name_attribute(root: PinnedRoot, oid: x509.ObjectIdentifier) -> str:
    values = root.certificate.subject.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        if isinstance(self.stderr, Message) and not self.stdout.strip():
            return self.stderr  # our own sentence (a command that did not finish): kept whole, translated where shown
        return f"{self.stdout}\n{self.stderr}".strip()


# argv, timeout in seconds -> result. A command that cannot be started raises OSError.
Runner = Callable[[Sequence[str], float], CommandResult]

COMMAND_TIMEOUT = 60.0
# Commands that show an OS dialog wait for a person, so they get much longer.
DIALOG_TIMEOUT = 600.0


def run_command(argv: Sequence[str], timeout: float) -> CommandResult:
    """Runs a tool without a terminal to prompt on, so it fails instead of waiting for a typed password."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            start_new_session=os.name == "posix",
            check=False,
        )
    except subprocess.TimeoutExpired:
        # Like a tool's own output, but a sentence of ours: in the person's language where it is shown.
        late = Message("{program} did not finish within {seconds} s", program=argv[0], seconds=format(timeout, "g"))
        return CommandResult(-1, "", late)
    return CommandResult(done.returncode, done.stdout or "", done.stderr or "")


@contextmanager
def root_file(root: PinnedRoot, *, der: bool = False) -> Iterator[Path]:
    """The pinned root written to a private temporary file for a tool that wants a path."""
    with tempfile.TemporaryDirectory(prefix="setup-assistant-root-") as tmp:
        path = Path(tmp) / ("root.cer" if der else "root.pem")
        path.write_bytes(root.der if der else root.pem)
        yield path


def error_text(exc: BaseException) -> str:
    """An error's sentence: the Message it was raised with (translated where shown), else its English text."""
    return reason(exc)


def first_line(text: str) -> str:
    """The first line that says something; a sentence of ours (a Message, one line) as it is, still translatable."""
    if isinstance(text, Message) and "\n" not in text:
        return text
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""
