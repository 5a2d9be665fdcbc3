"""macOS: the login keychain with trust in the user domain (no admin rights), through `security`.

Setting user-domain trust asks for the person's own password; cancelling that prompt is reported as
"cancelled". Apple Mail and Outlook read this trust, and so does Thunderbird with
security.enterprise_roots.enabled. The certificate is named by its hash, so `remove` deletes only it.
"""

from __future__ import annotations

import re
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
    common_name,
    first_line,
    root_file,
    run_command,
    sha1_hex,
)

SECURITY = "/usr/bin/security"
_HASH = re.compile(r"SHA-(?:1|256) hash:\s*([0-9A-Fa-f]+)")


def _is_cancel(done: CommandResult) -> bool:
    text = done.output.lower()
    return "cancel" in text or "-60006" in text


class MacLoginKeychain:
    label: str = Message("macOS: your login keychain")

    def __init__(self, *, runner: Runner = run_command, home: Path | None = None, security: str = SECURITY) -> None:
        self.runner = runner
        self.home = home or Path.home()
        self.security = security
        self._keychain: str | None = None

    def _run(self, args: list[str], timeout: float = COMMAND_TIMEOUT) -> CommandResult | str:
        try:
            return self.runner([self.security, *args], timeout)
        except OSError as exc:
            return Message("{program} could not be started ({why})", program=self.security, why=os_reason(exc))

    def keychain(self) -> str:
        """The login keychain as macOS names it; the usual path if it cannot be asked."""
        if self._keychain is None:
            done = self._run(["login-keychain"])
            path = ""
            if isinstance(done, CommandResult) and done.returncode == 0:
                path = done.stdout.strip().strip('"').strip()
            self._keychain = path or str(self.home / "Library" / "Keychains" / "login.keychain-db")
        return self._keychain

    def _in_keychain(self, root: PinnedRoot) -> bool | str:
        name = common_name(root)
        args = ["find-certificate", "-a", "-Z", *(["-c", name] if name else []), self.keychain()]
        done = self._run(args)
        if isinstance(done, str):
            return done
        if done.returncode != 0:
            if "could not be found" in done.output or done.returncode == 44:
                return False
            return Message("the login keychain cannot be read: {why}", why=first_line(done.output))
        hashes = {h.upper() for h in _HASH.findall(done.stdout)}
        return root.sha256.upper() in hashes or sha1_hex(root) in hashes

    def _trusted(self, root: PinnedRoot) -> bool | str:
        with root_file(root) as pem:
            done = self._run(["verify-cert", "-l", "-L", "-q", "-c", str(pem)])
        if isinstance(done, str):
            return done
        return done.returncode == 0

    def status(self, root: PinnedRoot) -> StoreState:
        in_keychain = self._in_keychain(root)
        if isinstance(in_keychain, str):
            return StoreState(None, in_keychain)
        if not in_keychain:
            return StoreState(False, Message("not in your login keychain"))
        trusted = self._trusted(root)
        if isinstance(trusted, str):
            return StoreState(None, trusted)
        if not trusted:
            return StoreState(False, Message("in your login keychain but not trusted"))
        return StoreState(True, Message("in your login keychain and trusted"))

    def install(self, root: PinnedRoot) -> ActionResult:
        before = self.status(root)
        if before.present:
            return ActionResult(Outcome.ALREADY_PRESENT, before.message)
        with root_file(root) as pem:
            done = self._run(["add-trusted-cert", "-r", "trustRoot", "-k", self.keychain(), str(pem)], DIALOG_TIMEOUT)
        if isinstance(done, str):
            return ActionResult(Outcome.FAILED, done)
        if done.returncode != 0:
            if "no user interaction was possible" in done.output:
                return ActionResult(
                    Outcome.FAILED,
                    Message(
                        "macOS must ask for your password to trust the root, which it cannot do in this session; "
                        "run this from your own logged-in desktop"
                    ),
                )
            if _is_cancel(done):
                return ActionResult(
                    Outcome.CANCELLED, Message("you cancelled macOS' password prompt; nothing was trusted")
                )
            return ActionResult(
                Outcome.FAILED, Message("macOS did not trust the root: {why}", why=first_line(done.output))
            )
        after = self.status(root)
        if not after.present:
            return ActionResult(Outcome.FAILED, Message("security reported success but {why}", why=after.message))
        return ActionResult(
            Outcome.INSTALLED, Message("added to your login keychain and trusted for you (no admin rights)")
        )

    def remove(self, root: PinnedRoot) -> ActionResult:
        in_keychain = self._in_keychain(root)
        if isinstance(in_keychain, str):
            return ActionResult(Outcome.FAILED, in_keychain)
        if not in_keychain:
            return ActionResult(Outcome.ABSENT, Message("not in your login keychain"))
        with root_file(root) as pem:
            done = self._run(["remove-trusted-cert", str(pem)], DIALOG_TIMEOUT)
        if isinstance(done, str):
            return ActionResult(Outcome.FAILED, done)
        if done.returncode != 0:
            if _is_cancel(done):
                return ActionResult(Outcome.CANCELLED, Message("you cancelled macOS' password prompt; the root stays"))
            if "could not be found" not in done.output:  # no trust settings left is fine: delete the certificate
                return ActionResult(
                    Outcome.FAILED, Message("macOS did not remove the trust: {why}", why=first_line(done.output))
                )
        deleted = self._run(["delete-certificate", "-Z", sha1_hex(root), self.keychain()])
        if isinstance(deleted, str):
            return ActionResult(Outcome.FAILED, deleted)
        if deleted.returncode != 0:
            return ActionResult(
                Outcome.FAILED, Message("macOS did not delete the root: {why}", why=first_line(deleted.output))
            )
        return ActionResult(Outcome.REMOVED, Message("removed from your login keychain, with its trust"))
