"""The password, typed once: put into a Thunderbird profile's own password manager, only when the person asks.

Thunderbird looks for a mail server's password in the profile's `logins.json` before it asks
(MsgIncomingServer._getPasswordWithoutUI, SmtpServer, MsgAsyncPrompter in Thunderbird 153): an entry whose
`hostname` and `httpRealm` are both the server's origin (`imap://HOST`, `mailbox://HOST` for POP3,
`smtp://HOST`) and whose username is the account's. Username and password are encrypted with the profile's
`key4.db` by NSS SDR; that is done by Thunderbird's own NSS library in a child process (`nss_worker.py`).

The rules: only while Thunderbird is not running (its profile lock is held meanwhile); never when the profile
has a primary password (the person is told Thunderbird will ask once); an entry already there for this
server and username is updated, never duplicated; every other login is kept as it was; the old file is backed
up and the new one replaces it in one step, readable by its owner only. The password goes nowhere else: not
to a file of ours, not to a log, not onto a command line.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import enum
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.thunderbird.nss_worker import WORKER_FLAG
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile, PrefsSyntaxError
from setup_assistant.core.clients.thunderbird.writer import ThunderbirdRunning, _write_backup, hold_profile
from setup_assistant.core.clients.windows_apps import registered_paths
from setup_assistant.core.i18n import Message, reason
from setup_assistant.core.model import Endpoint, MailProtocol
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.profile_files import write_atomic

LOGINS_FILE = "logins.json"
ORIGIN_SCHEME = {MailProtocol.IMAP: "imap", MailProtocol.POP3: "mailbox", MailProtocol.SMTP: "smtp"}
ENCTYPE_SDR = 1  # nsILoginManagerCrypto.ENCTYPE_SDR
REMEMBER_PREF = "signon.rememberSignons"  # Settings › Privacy & Security › "Remember passwords"
LOGINS_DATA_VERSION = 3  # LoginStore.sys.mjs kDataVersion
WORKER_TIMEOUT = 30.0  # seconds; opening a key database and a few encryptions take well under one
_URI_SAFE = "!~*'()"  # with quote()'s own safe set, exactly what JavaScript's encodeURIComponent keeps
_ONE_AT_A_TIME = threading.Lock()  # fcntl locks do not exclude threads of one process: this does


class Saved(enum.StrEnum):
    STORED = "stored"  # written: Thunderbird will not ask
    UNCHANGED = "unchanged"  # Thunderbird already had exactly this password
    PRIMARY_PASSWORD = "primary-password"  # the profile's password manager is locked; nothing written
    RUNNING = "running"  # Thunderbird has the profile open; nothing written
    NOT_REMEMBERING = "not-remembering"  # the person told Thunderbird not to remember passwords; nothing written
    UNAVAILABLE = "unavailable"  # Thunderbird's security library was not found; nothing written
    FAILED = "failed"  # something else; nothing written


@dataclass(frozen=True)
class PasswordSave:
    outcome: Saved
    message: str  # a sentence for the person: a Message (English as data, translated where shown)
    profile: Path
    origins: tuple[str, ...] = ()
    backup: Path | None = None  # the old logins.json, when one existed and was changed

    @property
    def saved(self) -> bool:
        """Thunderbird has the password now (it will not ask)."""
        return self.outcome in (Saved.STORED, Saved.UNCHANGED)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "saved": self.saved,
            "message": self.message,
            "profile": str(self.profile),
            "origins": list(self.origins),
            "backup": str(self.backup) if self.backup else None,
        }


def login_origin(endpoint: Endpoint) -> str:
    """The origin (and realm) Thunderbird files this server's password under: scheme://host, no user, no port."""
    host = f"[{endpoint.host}]" if ":" in endpoint.host else endpoint.host
    if endpoint.protocol is MailProtocol.SMTP:
        return f"smtp://{host}"  # SmtpServer._getServerURISpec: the host as it is
    return f"{ORIGIN_SCHEME[endpoint.protocol]}://{quote(host, safe=_URI_SAFE + '[]:')}"


# --- finding Thunderbird's NSS --------------------------------------------------------------------------------


def _windows_thunderbird_folders() -> list[Path]:
    folders = [Path(path).parent for path in registered_paths("thunderbird.exe")]
    for variable in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "LOCALAPPDATA"):
        base = os.environ.get(variable)
        if base:
            folders.append(Path(base) / "Mozilla Thunderbird")
    return folders


def _thunderbird_folders(platform: str, home: Path | None) -> list[Path]:
    if platform == "win32":
        return _windows_thunderbird_folders()
    if platform == "darwin":
        apps = [Path("/Applications"), (home or Path.home()) / "Applications"]
        return [a / name / "Contents" / "MacOS" for a in apps for name in ("Thunderbird.app", "Thunderbird ESR.app")]
    folders = []
    for name in ("thunderbird", "thunderbird-esr"):
        found = shutil.which(name)
        if found:
            folders.append(Path(found).resolve().parent)  # a tarball install links straight to the binary
    for base in ("/usr/lib", "/usr/lib64", "/usr/local/lib", "/opt"):
        folders += [Path(base) / "thunderbird", Path(base) / "thunderbird-esr"]
    return folders


def find_nss_library(platform: str | None = None, home: Path | None = None) -> str | None:
    """Thunderbird's own libnss3 (a path), else on Linux the system's (a library name); None when there is none.

    Thunderbird's own copy first: it is the one that wrote the profile's key4.db, and Mozilla's builds ship it
    beside the program (nss3.dll, libnss3.dylib, libnss3.so).
    """
    platform = platform or sys.platform
    name = {"win32": "nss3.dll", "darwin": "libnss3.dylib"}.get(platform, "libnss3.so")
    for folder in _thunderbird_folders(platform, home):
        candidate = folder / name
        if candidate.is_file():
            return str(candidate)
    if platform.startswith("linux"):
        return ctypes.util.find_library("nss3")  # a distribution's Thunderbird may use the system NSS
    return None


# --- the child process ----------------------------------------------------------------------------------------


_CODE_ROOT = Path(__file__).resolve().parents[4]  # the folder that holds the setup_assistant package


def _worker_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the frozen builds' entry scripts answer to the flag
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "setup_assistant.core.clients.thunderbird.nss_worker"]


class _WorkerError(Exception):
    pass


def _run_worker(request: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Runs one NSS job in a fresh process; the request (with the password) goes through its stdin only."""
    frozen = getattr(sys, "frozen", False)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    try:
        done = subprocess.run(
            _worker_command(),
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            cwd=None if frozen else _CODE_ROOT,  # `-m` imports from the working folder first: our own code's
            creationflags=flags,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _WorkerError(
            Message("Thunderbird's security library did not answer within {seconds} seconds", seconds=round(timeout))
        ) from None
    except OSError as exc:
        raise _WorkerError(Message("the helper process could not be started ({why})", why=os_reason(exc))) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if not isinstance(answer, dict):
        code = done.returncode
        raise _WorkerError(Message("the helper process ended without an answer (exit code {code})", code=code))
    return answer


# --- logins.json ----------------------------------------------------------------------------------------------


def _empty_store() -> dict[str, Any]:
    """What Thunderbird's LoginStore writes for a profile without saved logins."""
    return {"nextId": 1, "logins": [], "potentiallyVulnerablePasswords": [], "version": LOGINS_DATA_VERSION}


class _Unreadable(Exception):
    pass


def _not_a_password_file(path: Path) -> Message:
    return Message("{file} is not a password file this assistant can read safely", file=path)


def _worker_failure(answer: dict[str, Any]) -> Message:
    """The helper's sentence (an English template and its values, see nss_worker.NssFailure) as a Message."""
    template, params = answer.get("template"), answer.get("params")
    if isinstance(template, str) and isinstance(params, dict):
        try:
            return Message(template, **{str(k): str(v) for k, v in params.items()})
        except (KeyError, IndexError, ValueError):
            pass
    return Message("the helper process failed: {why}", why=str(answer.get("message") or "?"))


def _read_store(path: Path) -> tuple[dict[str, Any], bytes | None]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty_store(), None
    except OSError as exc:
        raise _Unreadable(Message("{file} cannot be read ({why})", file=path, why=os_reason(exc))) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Unreadable(_not_a_password_file(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("logins", []), list):
        raise _Unreadable(_not_a_password_file(path))
    if not isinstance(data.get("nextId", 1), int):
        raise _Unreadable(_not_a_password_file(path))
    data.setdefault("logins", [])
    return data, raw


def _candidates(data: dict[str, Any], origins: list[str]) -> list[dict[str, Any]]:
    """Stored logins Thunderbird would look at for these servers (same origin and realm, not a deletion mark)."""
    found = []
    for login in data["logins"]:
        if (
            isinstance(login, dict)
            and login.get("hostname") in origins
            and login.get("httpRealm") == login.get("hostname")
            and not login.get("deleted")
        ):
            found.append(login)
    return found


def _new_login(login_id: int, origin: str, encrypted: list[str], now_ms: int) -> dict[str, Any]:
    """One entry, field for field as Thunderbird's storage-json addLogin writes a prompt's saved password."""
    return {
        "id": login_id,
        "hostname": origin,
        "httpRealm": origin,
        "formSubmitURL": None,
        "usernameField": "",
        "passwordField": "",
        "encryptedUsername": encrypted[0],
        "encryptedPassword": encrypted[1],
        "guid": "{" + str(uuid.uuid4()) + "}",
        "encType": ENCTYPE_SDR,
        "timeCreated": now_ms,
        "timeLastUsed": now_ms,
        "timePasswordChanged": now_ms,
        "timesUsed": 1,
        "syncCounter": 1,
        "everSynced": False,
        "encryptedUnknownFields": None,
    }


def _next_id(data: dict[str, Any]) -> int:
    ids = [login.get("id") for login in data["logins"] if isinstance(login, dict)]
    return max([int(data.get("nextId", 1)), *[i + 1 for i in ids if isinstance(i, int)]])


def _apply(
    data: dict[str, Any], origins: list[str], candidates: list[dict[str, Any]], answer: dict[str, Any]
) -> list[str]:
    """Changes `data` in place; the origins whose entry was added or changed."""
    matches = answer.get("matches")
    encrypted = answer.get("encrypted")
    if not isinstance(matches, list) or len(matches) != len(candidates):
        raise _WorkerError(Message("the helper process gave an answer that does not fit the question"))
    if not isinstance(encrypted, list) or len(encrypted) != len(origins):
        raise _WorkerError(Message("the helper process gave an answer that does not fit the question"))
    now_ms = int(time.time() * 1000)
    changed: list[str] = []
    for origin, fresh in zip(origins, encrypted, strict=True):
        mine = [
            (login, m) for login, m in zip(candidates, matches, strict=True) if login["hostname"] == origin and m[0]
        ]
        if not mine:
            login_id = _next_id(data)
            data["logins"].append(_new_login(login_id, origin, fresh, now_ms))
            data["nextId"] = login_id + 1
            changed.append(origin)
            continue
        for login, (_same_user, same_password) in mine:
            if same_password:
                continue
            login["encryptedPassword"] = fresh[1]  # the username stays as it was stored
            login["encType"] = ENCTYPE_SDR
            login["timePasswordChanged"] = now_ms
            if isinstance(login.get("syncCounter"), int):
                login["syncCounter"] += 1  # storage-json's modifyLogin counts a password change for Sync
            if origin not in changed:
                changed.append(origin)
    return changed


# --- saving ---------------------------------------------------------------------------------------------------


def remembers_passwords(profile_dir: Path) -> bool:
    """Thunderbird's "Remember passwords" setting (user.js wins over prefs.js, as in Thunderbird; default on)."""
    for name in ("user.js", "prefs.js"):
        try:
            value = PrefsFile((profile_dir / name).read_bytes()).get_bool(REMEMBER_PREF)
        except (OSError, PrefsSyntaxError):
            continue
        if value is not None:
            return value
    return True


def _ask_once(why: Message) -> Message:
    return Message(
        "{why}, so Thunderbird will ask for the password once (tick “Use Password Manager to remember this password”).",
        why=why,
    )


def save_password(
    settings: AccountSettings,
    password: str,
    profile_dir: Path,
    *,
    nss_library: str | None = None,
    platform: str | None = None,
    timeout: float = WORKER_TIMEOUT,
) -> PasswordSave:
    """Puts the password into the profile's password manager for the account's incoming and outgoing servers.

    Never raises for what can happen on a person's computer: the outcome says what was done, and when nothing
    was, that Thunderbird will ask once. `nss_library` names the library to use (default: Thunderbird's own).
    """
    profile_dir = Path(profile_dir)
    address = settings.address.address
    endpoints = [settings.incoming(), settings.outgoing()]
    origins = list(dict.fromkeys(login_origin(e) for e in endpoints))
    username = settings.username

    def result(outcome: Saved, message: str, backup: Path | None = None) -> PasswordSave:
        return PasswordSave(outcome, message, profile_dir, tuple(origins), backup)

    if not password:
        return result(Saved.FAILED, _ask_once(Message("No password was given")))
    if not profile_dir.is_dir():
        return result(
            Saved.FAILED, _ask_once(Message("There is no Thunderbird profile folder at {folder}", folder=profile_dir))
        )
    library = nss_library or find_nss_library(platform)
    if library is None:
        return result(Saved.UNAVAILABLE, _ask_once(Message("Thunderbird's security library (NSS) was not found here")))
    if not (profile_dir / "key4.db").exists() and (profile_dir / "key3.db").exists():
        return result(
            Saved.FAILED,
            _ask_once(Message("The profile still has an old-format key database (start Thunderbird once)")),
        )

    if not remembers_passwords(profile_dir):
        return result(
            Saved.NOT_REMEMBERING,
            Message(
                "Thunderbird is set not to remember passwords in this profile, so the assistant did not save it "
                "there; Thunderbird will ask for the password when it connects."
            ),
        )
    path = profile_dir / LOGINS_FILE
    with _ONE_AT_A_TIME:
        try:
            with hold_profile(profile_dir, platform):
                data, original = _read_store(path)
                candidates = _candidates(data, origins)
                request = {
                    "library": library,
                    "profile": str(profile_dir.absolute()),  # the helper may change its working folder
                    "username": username,
                    "password": password,
                    "candidates": [[c.get("encryptedUsername"), c.get("encryptedPassword")] for c in candidates],
                    "count": len(origins),
                }
                answer = _run_worker(request, timeout)
                status = answer.get("status")
                if status == "primary-password":
                    return result(
                        Saved.PRIMARY_PASSWORD,
                        _ask_once(
                            Message(
                                "The Thunderbird profile {profile} is protected by a primary password",
                                profile=profile_dir.name,
                            )
                        ),
                    )
                if status != "ok":
                    raise _WorkerError(_worker_failure(answer))
                changed = _apply(data, origins, candidates, answer)
                if not changed:
                    return result(
                        Saved.UNCHANGED,
                        Message(
                            "Thunderbird already has the password for {address} in the profile {profile}; nothing "
                            "was changed.",
                            address=address,
                            profile=profile_dir.name,
                        ),
                    )
                backup = _save_store(path, original, data)
        except ThunderbirdRunning:
            return result(
                Saved.RUNNING, _ask_once(Message("Thunderbird is open (quit it and run this again to save it)"))
            )
        except (_Unreadable, _WorkerError) as exc:
            return result(
                Saved.FAILED,
                _ask_once(Message("The password could not be saved in Thunderbird: {why}", why=reason(exc))),
            )
        except OSError as exc:
            return result(
                Saved.FAILED,
                _ask_once(
                    Message("{file} could not be written ({why}); it is unchanged", file=path, why=os_reason(exc))
                ),
            )
    return result(
        Saved.STORED,
        Message(
            "Thunderbird has the password for {address} (in the profile {profile}'s password manager); it will not "
            "ask for it.",
            address=address,
            profile=profile_dir.name,
        ),
        backup,
    )


def _save_store(path: Path, original: bytes | None, data: dict[str, Any]) -> Path | None:
    """Backs up the old logins.json and replaces it in one step, owner-only; compact JSON as Thunderbird writes."""
    backup = _write_backup(path, original) if original is not None else None
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_atomic(path, text.encode("utf-8"), private=True)
    except BaseException:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
        raise
    return backup
