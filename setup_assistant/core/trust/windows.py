"""Windows: the current user's Trusted Root store, changed with Microsoft's certutil (no admin rights).

Windows shows its own confirmation dialog for adding and for deleting a root; a "No" there makes certutil
fail with ERROR_CANCELLED, which is the person's choice and reported as "cancelled", not as an error.
Outlook reads this store, and so does Thunderbird with security.enterprise_roots.enabled.
"""

from __future__ import annotations

import os
from pathlib import Path

from setup_assistant.core.i18n import Message
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.provider import PinnedRoot
from setup_assistant.core.trust.base import (
    COMMAND_TIMEOUT,
    DIALOG_TIMEOUT,
    ActionResult,
    CommandResult,
    Outcome,
    Runner,
    StoreState,
    first_line,
    root_file,
    run_command,
    sha1_hex,
)

ERROR_CANCELLED = 0x800704C7  # HRESULT_FROM_WIN32(ERROR_CANCELLED): "No" in Windows' dialog
CRYPT_E_NOT_FOUND = 0x80092004
STORE = "Root"


def default_certutil() -> str:
    """Microsoft's certutil by full path, so an NSS certutil earlier on PATH is never picked up."""
    return str(Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32" / "certutil.exe")


def _code(done: CommandResult) -> int:
    return done.returncode & 0xFFFFFFFF  # certutil exits with the HRESULT; signed or not depending on the caller


def _is_cancel(done: CommandResult) -> bool:
    return _code(done) == ERROR_CANCELLED or "ERROR_CANCELLED" in done.output or "800704c7" in done.output.lower()


def _is_not_found(done: CommandResult) -> bool:
    return _code(done) == CRYPT_E_NOT_FOUND or "CRYPT_E_NOT_FOUND" in done.output


class WindowsUserRootStore:
    label: str = Message("Windows: your Trusted Root Certification Authorities")

    def __init__(self, *, runner: Runner = run_command, certutil: str | None = None) -> None:
        self.runner = runner
        self.certutil = certutil or default_certutil()

    def _run(self, args: list[str], timeout: float) -> CommandResult | str:
        try:
            return self.runner([self.certutil, *args], timeout)
        except OSError as exc:
            return Message("{program} could not be started ({why})", program=self.certutil, why=os_reason(exc))

    def status(self, root: PinnedRoot) -> StoreState:
        thumbprint = sha1_hex(root)
        done = self._run(["-user", "-store", STORE, thumbprint], COMMAND_TIMEOUT)
        if isinstance(done, str):
            return StoreState(None, done)
        if done.returncode == 0:
            shown = done.output.replace(" ", "").lower()
            if thumbprint.lower() in shown:
                return StoreState(
                    True, Message("in your Trusted Root store (SHA-1 {thumbprint})", thumbprint=thumbprint)
                )
            return StoreState(False, Message("not in your Trusted Root store"))
        if _is_not_found(done):
            return StoreState(False, Message("not in your Trusted Root store"))
        return StoreState(None, Message("your Trusted Root store cannot be read: {why}", why=first_line(done.output)))

    def install(self, root: PinnedRoot) -> ActionResult:
        before = self.status(root)
        if before.present:
            return ActionResult(Outcome.ALREADY_PRESENT, before.message)
        with root_file(root, der=True) as path:
            done = self._run(["-user", "-addstore", STORE, str(path)], DIALOG_TIMEOUT)
        if isinstance(done, str):
            return ActionResult(Outcome.FAILED, done)
        if done.returncode != 0:
            if _is_cancel(done):
                return ActionResult(
                    Outcome.CANCELLED, Message("you answered No in Windows' security warning; nothing was added")
                )
            return ActionResult(
                Outcome.FAILED, Message("Windows did not add the root: {why}", why=first_line(done.output))
            )
        after = self.status(root)
        if not after.present:
            return ActionResult(
                Outcome.FAILED,
                Message("certutil reported success but the root is not there: {why}", why=after.message),
            )
        return ActionResult(
            Outcome.INSTALLED, Message("added to your Trusted Root store (no administrator rights needed)")
        )

    def remove(self, root: PinnedRoot) -> ActionResult:
        before = self.status(root)
        if before.present is None:
            return ActionResult(Outcome.FAILED, before.message)
        if not before.present:
            return ActionResult(Outcome.ABSENT, before.message)
        done = self._run(["-user", "-delstore", STORE, sha1_hex(root)], DIALOG_TIMEOUT)
        if isinstance(done, str):
            return ActionResult(Outcome.FAILED, done)
        if done.returncode != 0:
            if _is_cancel(done):
                return ActionResult(
                    Outcome.CANCELLED, Message("you answered No in Windows' security warning; the root stays")
                )
            return ActionResult(
                Outcome.FAILED, Message("Windows did not remove the root: {why}", why=first_line(done.output))
            )
        after = self.status(root)
        if after.present:
            return ActionResult(
                Outcome.FAILED,
                Message(
                    "the root is still trusted: it is also in the computer-wide store, which needs an administrator"
                ),
            )
        return ActionResult(Outcome.REMOVED, Message("removed from your Trusted Root store"))
