"""Repairing Thunderbird accounts in place: only the wrong values change, the account keeps its key, folders,
local mail, filters and identities, and nothing is removed or re-created.

Same safety as the writer: refused while Thunderbird has the profile open (hold_profile), the old prefs.js kept
as a backup, the new one written in one step, and a second repair changes nothing and writes no backup.

Changing a server's host name or username changes the URIs Thunderbird files everything under. Thunderbird's own
account settings then rewrite those URIs (MsgIncomingServer.sys.mjs `migrateServerUris`: the identities'
fcc/draft/archive/stationery folders, every server's spamActionTargetAccount/Folder, and every filter's target
folder); this does the same in prefs.js and in each msgFilterRules.dat, so Sent, Drafts, Templates and filters
keep pointing at the same folders. The local folder (`directory-rel`) is kept, so local mail stays where it is.
A saved password is filed under the old server name: Thunderbird asks for it once.

An outgoing server that other accounts also use is not changed under them: this account gets its own corrected
copy instead (a new outgoing server, the only thing a repair ever adds).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from setup_assistant.core import atomic
from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.diagnosis import (
    Change,
    Finding,
    FoundAccount,
    diagnose,
    mark_duplicates,
    target_endpoint,
)
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile, PrefsSyntaxError, PrefValue, parse_prefs
from setup_assistant.core.clients.thunderbird.reader import AccountKeys, locate, read_account, split_list
from setup_assistant.core.clients.thunderbird.writer import (
    AUTH_PASSWORD_CLEARTEXT,
    SOCKET_TYPE,
    ProfileWriteError,
    _fresh_key,
    _read_prefs,
    _server_uri,
    _write_backup,
    hold_profile,
)
from setup_assistant.core.i18n import Message, reason
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.os_errors import os_reason

FILTER_FILE = "msgFilterRules.dat"
_IDENTITY_FOLDERS = ("fcc_folder", "draft_folder", "archive_folder", "stationery_folder")
_SPAM_TARGETS = ("spamActionTargetAccount", "spamActionTargetFolder")


@dataclass(frozen=True)
class ThunderbirdRepair:
    profile: Path
    accounts: tuple[FoundAccount, ...]  # as they are now (after the repair, if one was made)
    changes: tuple[Change, ...]
    backups: tuple[Path, ...]  # prefs.js and any filter file, as they were; empty when nothing changed


def diagnose_profile(profile_dir: Path, settings: AccountSettings) -> list[FoundAccount]:
    """The accounts for the address in one profile, with their findings (duplicates marked)."""
    profile_dir = Path(profile_dir)
    prefs = _load(profile_dir, _read_prefs(profile_dir / "prefs.js"))
    return _diagnosed(prefs, profile_dir, settings)


def _diagnosed(prefs: PrefsFile, profile_dir: Path, settings: AccountSettings) -> list[FoundAccount]:
    location = str(profile_dir / "prefs.js")
    accounts = [
        diagnose(read_account(prefs, keys, str(profile_dir), location), settings)
        for keys in locate(prefs, settings.address, settings.provider)
    ]
    return mark_duplicates(accounts)


def _load(profile_dir: Path, data: bytes | None) -> PrefsFile:
    if data is None:
        return PrefsFile.new()
    try:
        return PrefsFile(data)
    except PrefsSyntaxError as exc:
        raise ProfileWriteError(
            Message(
                "{file} cannot be read safely ({why}); nothing was changed. Starting and quitting Thunderbird once "
                "rewrites the file; then try again.",
                file=profile_dir / "prefs.js",
                why=reason(exc),
            )
        ) from None


def repair_profile(profile_dir: Path, settings: AccountSettings) -> ThunderbirdRepair:
    """Fixes every fixable finding of every account for the address in this profile, in place.

    Raises ThunderbirdRunning while Thunderbird has the profile, ProfileWriteError when it cannot be done safely
    (nothing is changed then).
    """
    profile_dir = Path(profile_dir)
    if not profile_dir.is_dir():
        raise ProfileWriteError(Message("There is no Thunderbird profile folder at {folder}.", folder=profile_dir))
    prefs_path = profile_dir / "prefs.js"
    with hold_profile(profile_dir):
        original = _read_prefs(prefs_path)
        prefs = _load(profile_dir, original)
        before = _diagnosed(prefs, profile_dir, settings)
        keys = {k.account: k for k in locate(prefs, settings.address, settings.provider)}
        changes: list[Change] = []
        renames: list[tuple[str, str]] = []
        for account in before:
            if account.fixable:
                changes += _fix_account(prefs, keys[account.account], account, settings, renames)
        if not prefs.changed:
            return ThunderbirdRepair(profile_dir, tuple(before), (), ())
        _refuse_overridden(profile_dir, prefs)
        for old_uri, new_uri in renames:
            _migrate_prefs(prefs, old_uri, new_uri)
        filter_edits = _filter_edits(profile_dir, prefs, renames)
        backups: list[Path] = []
        written: list[tuple[Path, bytes]] = []  # filter files already replaced, to put back if a later step fails
        try:
            for path, old, new in filter_edits:
                backups.append(_backup(path, old))
                _replace_keeping_owner(path, new)
                written.append((path, old))
            if original is not None:
                backups.insert(0, _backup(prefs_path, original))
            _replace_keeping_owner(prefs_path, prefs.to_bytes())
        except OSError as exc:
            for path, old in reversed(written):
                with contextlib.suppress(OSError):
                    _replace_keeping_owner(path, old)
            raise ProfileWriteError(
                Message(
                    "Could not write {file} ({why}); the old settings are unchanged.",
                    file=exc.filename or prefs_path,
                    why=os_reason(exc),
                )
            ) from None
        after = _diagnosed(_load(profile_dir, prefs_path.read_bytes()), profile_dir, settings)
    return ThunderbirdRepair(profile_dir, tuple(after), tuple(changes), tuple(backups))


def _replace_keeping_owner(path: Path, data: bytes) -> None:
    """Atomic replace; the file keeps its mode (atomic.write_atomic) and, where we may set it, its owner: a
    volunteer running this as an administrator must not leave the person's prefs.js owned by root."""
    try:
        before = path.stat()
    except FileNotFoundError:
        before = None
    atomic.write_atomic(path, data)
    if before is not None:
        _give_to(path, before)


def _give_to(path: Path, owner: os.stat_result) -> None:
    """Gives the file the owner of `owner`, where it differs and we may (only an administrator ever needs to)."""
    if not hasattr(os, "chown"):
        return
    now = path.stat()
    if (now.st_uid, now.st_gid) != (owner.st_uid, owner.st_gid):
        with contextlib.suppress(PermissionError):
            os.chown(path, owner.st_uid, owner.st_gid)


def _backup(path: Path, data: bytes) -> Path:
    """The writer's backup (never overwriting an earlier one), owned like the file it copies."""
    backup = _write_backup(path, data)
    with contextlib.suppress(OSError):
        _give_to(backup, path.stat())
    return backup


def _refuse_overridden(profile_dir: Path, prefs: PrefsFile) -> None:
    """user.js is applied over prefs.js at every start: a fix of a pref it sets would be undone."""
    try:
        statements = parse_prefs((profile_dir / "user.js").read_bytes())
    except (OSError, PrefsSyntaxError):
        return
    touched = set(prefs.changed_names())
    clash = sorted({s.name for s in statements} & touched)
    if clash:
        raise ProfileWriteError(
            Message(
                "The profile's user.js ({file}) sets {prefs} at every start, so a repair in prefs.js would be "
                "undone; change it in user.js instead. Nothing was changed.",
                file=profile_dir / "user.js",
                prefs=", ".join(clash),
            )
        )


def _set(prefs: PrefsFile, name: str, value: PrefValue) -> None:
    try:
        prefs.set(name, value)
    except ValueError as exc:
        raise ProfileWriteError(
            Message("This cannot be stored in Thunderbird's settings: {why}.", why=reason(exc))
        ) from None


def _smtp_shared(prefs: PrefsFile, smtp: str, own_identity: str | None) -> bool:
    """Whether an identity of another account sends through this outgoing server too."""
    is_default = prefs.get_str("mail.smtp.defaultserver") == smtp or (
        not prefs.get_str("mail.smtp.defaultserver") and split_list(prefs.get_str("mail.smtpservers"))[:1] == [smtp]
    )
    for account in split_list(prefs.get_str("mail.accountmanager.accounts")):
        for identity in split_list(prefs.get_str(f"mail.account.{account}.identities")):
            if identity == own_identity:
                continue
            uses = prefs.get_str(f"mail.identity.{identity}.smtpServer")
            if uses == smtp or (not uses and is_default):
                return True
    return False


def _fix_account(
    prefs: PrefsFile,
    keys: AccountKeys,
    account: FoundAccount,
    settings: AccountSettings,
    renames: list[tuple[str, str]],
) -> list[Change]:
    fixes = {f.setting: f for f in account.fixable}
    changes = [
        Change(account.program, account.profile, account.account, f.setting, f.found, f.expected)
        for f in account.fixable
    ]
    srv = f"mail.server.{keys.server}."
    incoming = account.incoming
    old_host, old_user = incoming.host or "", incoming.username or ""
    for setting, finding in fixes.items():
        where, _, what = setting.partition(".")
        if where == "incoming":
            _set_server_value(prefs, srv, what, finding, incoming=True)
        elif setting == "pop.leave_on_server":
            _set(prefs, srv + "leave_on_server", True)
    new_host = prefs.get_str(srv + "hostname") or ""
    new_user = prefs.get_str(srv + "userName") or ""
    if (new_host, new_user) != (old_host, old_user) and old_host:
        _keep_local_folder(prefs, srv, incoming.protocol, old_host)
        renames.append(
            (_server_uri(incoming.protocol, old_user, old_host), _server_uri(incoming.protocol, new_user, new_host))
        )

    outgoing_fixes = {k: v for k, v in fixes.items() if k.startswith("outgoing.")}
    if not outgoing_fixes:
        return changes
    if "outgoing.server" in outgoing_fixes or keys.smtp is None:
        wanted = outgoing_fixes.get("outgoing.server")
        if wanted is not None:
            _new_smtp(prefs, keys, wanted.target, settings)
        return changes
    smtp = keys.smtp
    if _smtp_shared(prefs, smtp, keys.identity):
        current = account.outgoing
        assert current is not None
        endpoint = target_endpoint(current, settings, ssl_first=False) or settings.outgoing()
        _new_smtp(prefs, keys, endpoint, settings)
        return changes
    out = f"mail.smtpserver.{smtp}."
    for setting, finding in outgoing_fixes.items():
        _set_server_value(prefs, out, setting.partition(".")[2], finding, incoming=False)
    return changes


def _set_server_value(prefs: PrefsFile, base: str, what: str, finding: Finding, *, incoming: bool) -> None:
    target = finding.target
    if what == "host":
        _set(prefs, base + "hostname", str(target))
    elif what == "port":
        _set(prefs, base + "port", int(target))
    elif what == "security":
        _set(prefs, base + ("socketType" if incoming else "try_ssl"), SOCKET_TYPE[Security(target)])
    elif what == "auth":
        _set(prefs, base + "authMethod", AUTH_PASSWORD_CLEARTEXT)
    elif what == "username":
        _set(prefs, base + ("userName" if incoming else "username"), str(target))


def _new_smtp(prefs: PrefsFile, keys: AccountKeys, endpoint: Endpoint, settings: AccountSettings) -> None:
    """A corrected outgoing server for this account alone, and its identity pointed at it."""
    if keys.identity is None:
        raise ProfileWriteError(
            Message("{account} has no identity to give an outgoing server; nothing was changed.", account=keys.account)
        )
    smtp = _fresh_key(prefs, "smtp")
    out = f"mail.smtpserver.{smtp}."
    for name, value in (
        ("type", "smtp"),
        ("hostname", endpoint.host),
        ("port", endpoint.port),
        ("try_ssl", SOCKET_TYPE[endpoint.security]),
        ("authMethod", AUTH_PASSWORD_CLEARTEXT),
        ("username", settings.username),
        ("description", settings.provider.name),
    ):
        _set(prefs, out + name, value)
    _set(prefs, "mail.smtpservers", ",".join([*split_list(prefs.get_str("mail.smtpservers")), smtp]))
    _set(prefs, f"mail.identity.{keys.identity}.smtpServer", smtp)


def _keep_local_folder(prefs: PrefsFile, srv: str, protocol: MailProtocol, old_host: str) -> None:
    """Pins the local mail folder before the host changes (Thunderbird would otherwise make a new, empty one)."""
    if prefs.get_str(srv + "directory-rel") or prefs.get_str(srv + "directory"):
        return
    store = "ImapMail" if protocol is MailProtocol.IMAP else "Mail"
    _set(prefs, srv + "directory-rel", f"[ProfD]{store}/{old_host}")


def _migrate_prefs(prefs: PrefsFile, old_uri: str, new_uri: str) -> None:
    """migrateIdentities + migrateSpamActions, as Thunderbird does when a host or username changes."""
    for name in prefs.names():
        if (name.startswith("mail.identity.") and name.rpartition(".")[2] in _IDENTITY_FOLDERS) or (
            name.startswith("mail.server.") and name.rpartition(".")[2] in _SPAM_TARGETS
        ):
            value = prefs.get_str(name)
            if value is not None and _under(value, old_uri):
                _set(prefs, name, new_uri + value[len(old_uri) :])


def _under(uri: str, server_uri: str) -> bool:
    return uri == server_uri or uri.startswith(server_uri + "/")


def _server_dirs(profile_dir: Path, prefs: PrefsFile) -> list[Path]:
    dirs: list[Path] = []
    for name in prefs.names():
        if name.startswith("mail.server.") and name.endswith(".directory-rel"):
            value = prefs.get_str(name) or ""
            if value.startswith("[ProfD]"):
                dirs.append(profile_dir / value[len("[ProfD]") :])
        elif name.startswith("mail.server.") and name.endswith(".directory"):
            dirs.append(Path(prefs.get_str(name) or ""))
    return list(dict.fromkeys(d for d in dirs if str(d)))


def _filter_edits(
    profile_dir: Path, prefs: PrefsFile, renames: list[tuple[str, str]]
) -> list[tuple[Path, bytes, bytes]]:
    """migrateFilters: every filter action that targets a renamed server's folder, in every server's filter file."""
    if not renames:
        return []
    edits: list[tuple[Path, bytes, bytes]] = []
    for folder in _server_dirs(profile_dir, prefs):
        path = folder / FILTER_FILE
        try:
            old = path.read_bytes()
        except OSError:
            continue
        lines = old.split(b"\n")
        for i, line in enumerate(lines):
            if not line.startswith(b'actionValue="'):
                continue
            for old_uri, new_uri in renames:
                prefix = b'actionValue="' + old_uri.encode()
                rest = line[len(prefix) :]
                if line.startswith(prefix) and rest[:1] in (b"/", b'"'):
                    lines[i] = b'actionValue="' + new_uri.encode() + rest
                    break
        new = b"\n".join(lines)
        if new != old:
            edits.append((path, old, new))
    return edits
