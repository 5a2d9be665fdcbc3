"""Repairing classic Outlook's IMAP/POP accounts in place in the registry: only the wrong values change.

The account keeps its subkey, its data file and everything else under it; values are set all or nothing
(apply_registry puts back what it changed if a write fails), and a restore file (.reg, regedit's own format) with
every value as it was is written first-time only, beside this app's other Outlook files. Refused while Outlook
runs: Outlook keeps the profile in memory and may write it back when it exits. A second repair finds nothing to
change and writes nothing. Value names and meanings: see reader.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.diagnosis import Change, Finding, FoundAccount, diagnose, mark_duplicates
from setup_assistant.core.clients.outlook.reader import (
    ENCRYPT_SSL,
    ENCRYPT_TLS,
    LEAVE_ON_SERVER,
    PREFIX,
    REMOVE_AFTER,
    SMTP_AUTH_RECEIVE_BEFORE_SEND,
    SMTP_AUTH_SAME_AS_INCOMING,
    SMTP_AUTH_USER_PASS,
    OutlookAccountKey,
    encode_string,
    locate,
    read_account,
    spa_names,
)
from setup_assistant.core.clients.outlook.registry import (
    Registry,
    RegistryChange,
    RegistryError,
    RegistryKind,
    RegistryValue,
    apply_registry,
)
from setup_assistant.core.i18n import Message
from setup_assistant.core.model import MailProtocol, Security


class OutlookRunning(RegistryError):
    """Outlook is open; its accounts must not be changed under it."""


@dataclass(frozen=True)
class OutlookRepair:
    accounts: tuple[FoundAccount, ...]
    changes: tuple[Change, ...]
    restore_file: Path | None  # None when nothing changed


def diagnose_registry(registry: Registry, settings: AccountSettings) -> list[FoundAccount]:
    """Outlook's accounts for the address with their findings; SSL first, as the guide says for Outlook."""
    accounts = [
        diagnose(read_account(registry, where), settings, ssl_first=True)
        for where in locate(registry, settings.address)
    ]
    return mark_duplicates(accounts)


def outlook_running() -> bool:
    """Whether OUTLOOK.EXE runs for anyone on this Windows computer (tasklist; False elsewhere)."""
    if sys.platform != "win32":
        return False
    try:
        result = subprocess.run(
            ["tasklist", "/FI", "IMAGENAME eq OUTLOOK.EXE", "/NH", "/FO", "CSV"],
            capture_output=True,
            text=True,
            timeout=15,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "outlook.exe" in result.stdout.lower()


def _dword(key: str, name: str, value: int) -> RegistryValue:
    return RegistryValue(key, name, RegistryKind.DWORD, value)


def _values_for(registry: Registry, where: OutlookAccountKey, finding: Finding) -> list[RegistryValue]:
    """The registry values that carry one finding's fix."""
    key = where.key
    area, _, what = finding.setting.partition(".")
    if finding.setting == "pop.leave_on_server":
        old = registry.read(key, "Leave on Server")
        flags = old.data if old is not None and isinstance(old.data, int) else 0
        return [_dword(key, "Leave on Server", (flags | LEAVE_ON_SERVER) & ~REMOVE_AFTER)]
    protocol = where.protocol if area == "incoming" else MailProtocol.SMTP
    prefix = PREFIX[protocol]
    target = finding.target
    if finding.setting == "outgoing.server":  # no outgoing server at all: the whole of it
        code = ENCRYPT_SSL if target.security is Security.SSL else ENCRYPT_TLS
        return [
            encode_string(key, "SMTP Server", target.host),
            _dword(key, "SMTP Port", target.port),
            _dword(key, "SMTP Secure Connection", code),
            _dword(key, "SMTP Use Auth", 1),
        ]
    if what == "host":
        return [encode_string(key, f"{prefix} Server", str(target))]
    if what == "port":
        return [_dword(key, f"{prefix} Port", int(target))]
    if what == "security":
        code = ENCRYPT_SSL if Security(target) is Security.SSL else ENCRYPT_TLS
        if area == "incoming":
            return [_dword(key, f"{prefix} Use SSL", code)]
        values = [_dword(key, "SMTP Secure Connection", code)]
        if registry.read(key, "SMTP Use SSL") is not None:  # the older flag, where an older Outlook left it
            values.append(_dword(key, "SMTP Use SSL", 1))
        return values
    if what == "auth":
        values = [_dword(key, name, 0) for name in spa_names(protocol) if registry.read(key, name) is not None]
        if area == "outgoing":
            values.append(_dword(key, "SMTP Use Auth", 1))
            method = registry.read(key, "SMTP Auth Method")
            if method is not None and method.data == SMTP_AUTH_RECEIVE_BEFORE_SEND:
                values.append(_dword(key, "SMTP Auth Method", SMTP_AUTH_SAME_AS_INCOMING))
        return values
    if what == "username":
        if area == "incoming":
            return [encode_string(key, f"{prefix} User", str(target))]
        method = registry.read(key, "SMTP Auth Method")
        if method is not None and method.data == SMTP_AUTH_USER_PASS:
            return [encode_string(key, "SMTP User", str(target))]
        return []  # the outgoing login is the incoming one: fixed with it
    return []


def _restore_path(folder: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        suffix = "" if attempt == 1 else f"-{attempt}"
        path = folder / f"outlook-repair-restore-{stamp}{suffix}.reg"
        if not path.exists():
            return path
    raise FileExistsError(Message("too many restore files this second in {folder}", folder=folder))


def repair_registry(
    registry: Registry,
    settings: AccountSettings,
    restore_folder: Path,
    *,
    is_running: Callable[[], bool] = outlook_running,
) -> OutlookRepair:
    """Fixes every fixable finding of Outlook's accounts for the address; writes a restore file when it changes any.

    Raises OutlookRunning while Outlook is open, RegistryError (nothing changed) when a value cannot be written,
    OSError when the restore file cannot be written (then nothing is changed either: it is written first).
    """
    before = diagnose_registry(registry, settings)
    wheres = {(w.profile, w.subkey): w for w in locate(registry, settings.address)}
    values: list[RegistryValue] = []
    changes: list[Change] = []
    for account in before:
        where = wheres[(account.profile, account.account)]
        for finding in account.fixable:
            new = _values_for(registry, where, finding)
            values += new
            changes.append(
                Change(
                    account.program, account.profile, account.account, finding.setting, finding.found, finding.expected
                )
            )
    values = list({(v.key.lower(), v.name.lower()): v for v in values}.values())
    previous = [registry.read(v.key, v.name) for v in values]
    if all(old == new for old, new in zip(previous, values, strict=True)):
        return OutlookRepair(tuple(before), (), None)
    if is_running():
        raise OutlookRunning(Message("Outlook is open; close Outlook, then try again (nothing was changed)."))
    restore = _restore_path(Path(restore_folder))
    restore.parent.mkdir(parents=True, exist_ok=True)
    data = RegistryChange(tuple(values), tuple(previous)).restore_reg()
    fd = os.open(restore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        apply_registry(values, registry)
    except RegistryError:
        restore.unlink(missing_ok=True)
        raise
    return OutlookRepair(tuple(diagnose_registry(registry, settings)), tuple(changes), restore)
