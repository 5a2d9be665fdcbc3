"""An NSS certificate database (cert9.db): a Thunderbird profile's own store, or the Linux user's ~/.pki/nssdb.

Changed only with NSS `certutil` (libnss3-tools), and in a Thunderbird profile only while Thunderbird does
not have it open (the Thunderbird setup's own profile lock is held while certutil runs). The root goes in
under this assistant's nickname with trust "C,," (a CA for servers); `remove` deletes that nickname only
when it holds exactly the pinned certificate, so a copy someone else put there is never touched.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.core.atomic import OwnershipError
from setup_assistant.core.i18n import Message
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.profile_files import keeping_owners
from setup_assistant.core.provider import PinnedRoot
from setup_assistant.core.trust.base import (
    COMMAND_TIMEOUT,
    ActionResult,
    CommandResult,
    Outcome,
    Runner,
    StoreState,
    error_text,
    first_line,
    root_file,
    run_command,
)

SERVER_CA_TRUST = "C,,"
INSTALL_HINT = Message("NSS certutil is not installed (on Debian or Ubuntu: sudo apt install libnss3-tools)")
_ENTRY = re.compile(r"^(?P<nick>.*\S)\s+(?P<trust>[A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$")


def find_nss_certutil(platform: str | None = None) -> str | None:
    """NSS certutil, if installed; on Windows `certutil` is Microsoft's unrelated tool, so never there."""
    if (platform or sys.platform) == "win32":
        return None
    return shutil.which("certutil")


@dataclass(frozen=True)
class NssEntry:
    nickname: str
    trust: str

    @property
    def trusted_for_servers(self) -> bool:
        return "C" in self.trust.split(",")[0]


class NssError(Exception):
    pass


class NssDatabase:
    """One NSS database directory; `thunderbird_profile` makes changes wait for Thunderbird to close."""

    def __init__(
        self,
        directory: Path,
        nickname: str,
        *,
        thunderbird_profile: bool,
        certutil: str | None,
        runner: Runner = run_command,
        platform: str | None = None,
    ) -> None:
        self.directory = directory
        self.nickname = nickname
        self.thunderbird_profile = thunderbird_profile
        self.certutil = certutil
        self.runner = runner
        self.platform = platform or sys.platform

    # -- reading -------------------------------------------------------------------------------------

    @property
    def _db(self) -> str:
        return f"sql:{self.directory}"

    def _has_database(self) -> bool:
        return (self.directory / "cert9.db").is_file()

    def _has_legacy_database(self) -> bool:
        return (self.directory / "cert8.db").is_file() or (self.directory / "key3.db").is_file()

    def _run(self, *args: str) -> CommandResult:
        if self.certutil is None:
            raise NssError(INSTALL_HINT)
        try:
            return self.runner([self.certutil, *args], COMMAND_TIMEOUT)
        except OSError as exc:
            raise NssError(
                Message("{program} could not be started ({why})", program=self.certutil, why=os_reason(exc))
            ) from None

    def entries(self) -> list[NssEntry]:
        done = self._run("-L", "-d", self._db)
        if done.returncode != 0:
            raise NssError(
                Message(
                    "the certificate database in {folder} cannot be read: {why}",
                    folder=self.directory,
                    why=first_line(done.output),
                )
            )
        found = []
        for line in done.stdout.splitlines():
            match = _ENTRY.match(line)
            if match and not line.startswith("Certificate Nickname"):
                found.append(NssEntry(match["nick"], match["trust"]))
        return found

    def certificates(self, nickname: str) -> list[bytes]:
        """Every certificate under a nickname (DER); several can share one."""
        done = self._run("-L", "-d", self._db, "-n", nickname, "-a")
        if done.returncode != 0:
            return []
        try:
            certs = x509.load_pem_x509_certificates(done.stdout.encode("ascii", "replace"))
        except ValueError:
            return []
        return [c.public_bytes(Encoding.DER) for c in certs]

    def holding(self, root: PinnedRoot) -> list[NssEntry]:
        """The entries that hold the pinned certificate, this assistant's nickname first."""
        entries = sorted(self.entries(), key=lambda e: e.nickname != self.nickname)
        return [e for e in entries if root.der in self.certificates(e.nickname)]

    def status(self, root: PinnedRoot) -> StoreState:
        if self.certutil is None:
            return StoreState(None, INSTALL_HINT)
        if not self._has_database():
            return StoreState(
                False, Message("no certificate database in {folder} yet (install creates it)", folder=self.directory)
            )
        try:
            holding = self.holding(root)
        except NssError as exc:
            return StoreState(None, error_text(exc))
        return _describe(holding)

    # -- changing ------------------------------------------------------------------------------------

    def _refusal(self) -> str | None:
        if self.certutil is None:
            return INSTALL_HINT
        if self.thunderbird_profile and not self.directory.is_dir():
            return Message("the Thunderbird profile folder {folder} does not exist", folder=self.directory)
        return None

    @contextmanager
    def _held(self) -> Iterator[None]:
        """In a Thunderbird profile: refuses while Thunderbird has it open, and keeps it from starting meanwhile."""
        if not self.thunderbird_profile:
            yield
            return
        from setup_assistant.core.clients.thunderbird.writer import hold_profile

        with hold_profile(self.directory, self.platform):
            yield

    def install(self, root: PinnedRoot) -> ActionResult:
        refusal = self._refusal()
        if refusal:
            return ActionResult(Outcome.FAILED, refusal)
        from setup_assistant.core.clients.thunderbird.writer import ProfileWriteError, ThunderbirdRunning

        try:
            with self._held(), keeping_owners(self.directory):
                return self._install(root)
        except (NssError, ThunderbirdRunning, ProfileWriteError, OwnershipError) as exc:
            return ActionResult(Outcome.FAILED, error_text(exc))

    def _install(self, root: PinnedRoot) -> ActionResult:
        if not self._has_database():
            if self._has_legacy_database():
                return ActionResult(
                    Outcome.FAILED,
                    Message(
                        "{folder} still has an old-format certificate database (cert8.db); start and close "
                        "Thunderbird once so it upgrades it, then try again",
                        folder=self.directory,
                    ),
                )
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            done = self._run("-N", "--empty-password", "-d", self._db)
            if done.returncode != 0:
                raise NssError(
                    Message(
                        "could not create a certificate database in {folder}: {why}",
                        folder=self.directory,
                        why=first_line(done.output),
                    )
                )
        holding = self.holding(root)
        if any(e.trusted_for_servers for e in holding):
            return ActionResult(Outcome.ALREADY_PRESENT, _describe(holding).message)
        foreign = [e for e in holding if e.nickname != self.nickname]
        if foreign:
            return ActionResult(
                Outcome.FAILED,
                Message(
                    "the root is already in this database as '{nickname}' but not trusted for servers; it was not "
                    "added by this assistant, so it is left as it is (trust it in Thunderbird's certificate "
                    "manager: Authorities, Edit Trust)",
                    nickname=foreign[0].nickname,
                ),
            )
        ours_existed = bool(holding)
        with tempfile.TemporaryDirectory(prefix="setup-assistant-nss-") as tmp:
            no_password = Path(tmp) / "empty-password"
            no_password.write_bytes(b"")
            with root_file(root) as pem:
                if ours_existed:
                    args = ["-M", "-n", self.nickname, "-t", SERVER_CA_TRUST]
                else:
                    args = ["-A", "-n", self.nickname, "-t", SERVER_CA_TRUST, "-i", str(pem)]
                done = self._run(*args, "-d", self._db, "-f", str(no_password))
        if done.returncode != 0:
            if not ours_existed and self.certificates(self.nickname):
                self._run("-D", "-n", self.nickname, "-d", self._db)  # no half-added, untrusted entry left
            return ActionResult(Outcome.FAILED, self._why(done))
        after = self.holding(root)
        if not any(e.nickname == self.nickname and e.trusted_for_servers for e in after):
            return ActionResult(
                Outcome.FAILED,
                Message("certutil reported success but {folder} does not trust the root", folder=self.directory),
            )
        return ActionResult(
            Outcome.INSTALLED,
            Message(
                "added to {folder} as '{nickname}' (trusted for servers)", folder=self.directory, nickname=self.nickname
            ),
        )

    def _why(self, done: CommandResult) -> str:
        if "SEC_ERROR_BAD_PASSWORD" in done.output:
            return Message(
                "the certificate database in {folder} is protected by a primary password; import the root in "
                "Thunderbird's certificate manager instead (Authorities, Import)",
                folder=self.directory,
            )
        why = first_line(done.output)
        if not why:
            return Message("certutil could not add the root to {folder}: no reason given", folder=self.directory)
        return Message("certutil could not add the root to {folder}: {why}", folder=self.directory, why=why)

    def remove(self, root: PinnedRoot) -> ActionResult:
        refusal = self._refusal()
        if refusal:
            return ActionResult(Outcome.FAILED, refusal)
        if not self._has_database():
            return ActionResult(
                Outcome.ABSENT, Message("there is no certificate database in {folder}", folder=self.directory)
            )
        from setup_assistant.core.clients.thunderbird.writer import ProfileWriteError, ThunderbirdRunning

        try:
            with self._held(), keeping_owners(self.directory):
                return self._remove(root)
        except (NssError, ThunderbirdRunning, ProfileWriteError, OwnershipError) as exc:
            return ActionResult(Outcome.FAILED, error_text(exc))

    def _remove(self, root: PinnedRoot) -> ActionResult:
        ours = self.certificates(self.nickname)
        if root.der not in ours:
            others = [e for e in self.holding(root) if e.nickname != self.nickname]
            if others:
                return ActionResult(
                    Outcome.ABSENT,
                    Message(
                        "this assistant's root is not in {folder}; the copy named '{nickname}' was not added by "
                        "this assistant and stays",
                        folder=self.directory,
                        nickname=others[0].nickname,
                    ),
                )
            return ActionResult(
                Outcome.ABSENT, Message("this assistant's root is not in {folder}", folder=self.directory)
            )
        if len(ours) > 1:
            return ActionResult(
                Outcome.FAILED,
                Message(
                    "several certificates share the name '{nickname}' in {folder}; remove the right one by hand in "
                    "the certificate manager",
                    nickname=self.nickname,
                    folder=self.directory,
                ),
            )
        done = self._run("-D", "-n", self.nickname, "-d", self._db)
        if done.returncode != 0 or root.der in self.certificates(self.nickname):
            return ActionResult(
                Outcome.FAILED,
                Message(
                    "certutil could not remove the root from {folder}: {why}",
                    folder=self.directory,
                    why=first_line(done.output),
                ),
            )
        return ActionResult(
            Outcome.REMOVED,
            Message("removed '{nickname}' from {folder}", nickname=self.nickname, folder=self.directory),
        )


def _describe(holding: list[NssEntry]) -> StoreState:
    trusted = [e for e in holding if e.trusted_for_servers]
    if trusted:
        return StoreState(True, Message("present as '{nickname}' (trusted for servers)", nickname=trusted[0].nickname))
    if holding:
        return StoreState(
            False, Message("present as '{nickname}' but not trusted for servers", nickname=holding[0].nickname)
        )
    return StoreState(False, Message("not in the database"))
