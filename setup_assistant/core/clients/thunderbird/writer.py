"""Thunderbird: an autoconfig file to hand out, and the account written straight into a profile.

The profile route edits prefs.js the way Thunderbird's own account wizard would leave it
(mail/components/accountcreation/modules/CreateInBackend.sys.mjs), appending new keys and changing only
the few list and counter prefs that must change. It never runs while Thunderbird holds the profile,
keeps a backup, and replaces the file in one step. The password is never written: prefs.js cannot hold
it, and Thunderbird asks for it on first connect and keeps it in its own password store.
"""

from __future__ import annotations

import configparser
import errno
import hashlib
import ipaddress
import os
import re
import socket
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from setup_assistant.core import atomic
from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.thunderbird import app_defaults
from setup_assistant.core.clients.thunderbird.app_defaults import ENTERPRISE_ROOTS_PREF as ENTERPRISE_ROOTS_PREF
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile, PrefsSyntaxError, PrefValue, parse_prefs
from setup_assistant.core.file_lock import LockBusy, exclusive
from setup_assistant.core.history import data_dir
from setup_assistant.core.i18n import Message, reason
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.os_errors import os_reason
from setup_assistant.core.profile_files import write_atomic, write_in_profile
from setup_assistant.core.provider import Provider

AUTOCONFIG_FILE = "config-v1.1.xml"
SOCKET_TYPE = {Security.STARTTLS: 2, Security.SSL: 3}  # nsMsgSocketType: alwaysSTARTTLS, SSL
AUTOCONFIG_SOCKET = {Security.STARTTLS: "STARTTLS", Security.SSL: "SSL"}
AUTH_PASSWORD_CLEARTEXT = 3  # nsMsgAuthMethod.passwordCleartext: "Normal password", inside TLS
CHECK_EVERY_MINUTES = 10  # what the account wizard sets (AccountConfig checkInterval)
# An autoconfig file cannot switch off Thunderbird's "delete from the server after N days" (the wizard
# always turns it on, 14 days by default), so when nobody chose a number of days it says a century.
POP_KEEP_DAYS_WHEN_NOT_CHOSEN = 36500
# The file goes into Thunderbird's `isp/` folder (or onto an autoconfig server), where it serves every address of
# the domain: the username is Thunderbird's placeholder for the address typed in (AccountConfig.replaceVariables),
# never one person's address. The file names no person, so %REALNAME% has no place to go.
AUTOCONFIG_USERNAME = "%EMAILADDRESS%"
_NOT_DEFAULT_TYPES = frozenset({"none", "rss", "im"})  # Local Folders, feeds, chat: canBeDefaultServer false
_NEW_FILE_NEWLINE = b"\r\n" if sys.platform == "win32" else b"\n"  # NS_LINEBREAK
_URI_SAFE = "!~*'()"  # with quote()'s own safe set, exactly what JavaScript's encodeURIComponent keeps
PREFS_MODE = 0o600  # what Thunderbird gives a prefs.js it creates (Preferences.cpp writes it 0600)
# How long a run waits for another run of this assistant that is writing the same profile (they take
# milliseconds; a run that still holds it after this is stuck, and the person is told so).
PROFILE_LOCK_WAIT = 30.0


class ProfileWriteError(Exception):
    """The account could not be written into the profile: raised with a Message, so str() is the English sentence
    (logs, JSON) and i18n.human(exc) the person's."""


class ThunderbirdRunning(ProfileWriteError):
    """Thunderbird has the profile open (its lock is held), so prefs.js must not be touched."""


@dataclass(frozen=True)
class ThunderbirdProfile:
    name: str
    path: Path
    is_default: bool


@dataclass(frozen=True)
class ThunderbirdInstall:
    profile: Path
    changed: bool  # False when the account was already there
    backup: Path | None  # copy of the old prefs.js, when one existed and was changed
    account_key: str | None  # e.g. "account3"
    message: str  # a Message: English as data, the person's language where shown
    added: bool = False  # a new account was added (Thunderbird will ask for its password on first connect)


# --- autoconfig -------------------------------------------------------------------------------------


def _provider_label(provider: Provider) -> str:
    if provider.organization and provider.organization != provider.name:
        return f"{provider.name} ({provider.organization})"
    return provider.name


def _add_server(parent: ET.Element, tag: str, endpoint: Endpoint, settings: AccountSettings) -> None:
    server = ET.SubElement(parent, tag, {"type": endpoint.protocol.value})
    ET.SubElement(server, "hostname").text = endpoint.host
    ET.SubElement(server, "port").text = str(endpoint.port)
    ET.SubElement(server, "socketType").text = AUTOCONFIG_SOCKET[endpoint.security]
    ET.SubElement(server, "username").text = AUTOCONFIG_USERNAME
    ET.SubElement(server, "authentication").text = "password-cleartext"
    if settings.password is not None:  # only when the person asked for it to be in the file
        ET.SubElement(server, "password").text = settings.password
    if endpoint.protocol is MailProtocol.POP3:
        pop3 = ET.SubElement(server, "pop3")
        ET.SubElement(pop3, "leaveMessagesOnServer").text = "true"
        days = settings.pop_delete_after_days or POP_KEEP_DAYS_WHEN_NOT_CHOSEN
        ET.SubElement(pop3, "daysToLeaveMessagesOnServer").text = str(days)
        ET.SubElement(pop3, "downloadOnBiff").text = "true"


def build_autoconfig(settings: AccountSettings) -> ET.Element:
    """The <clientConfig> for this person: chosen protocol first, best endpoint first, the rest alternatives.

    The other incoming protocol follows as alternatives, so Thunderbird's dialog can still offer the
    IMAP/POP3 choice; Thunderbird for Android reads only the IMAP entries and skips POP3 ones.
    Raises NoSecureEndpoint when nothing secure worked for the chosen protocol or for SMTP.
    """
    settings.incoming()
    settings.outgoing()
    other = MailProtocol.POP3 if settings.protocol is MailProtocol.IMAP else MailProtocol.IMAP
    provider = settings.provider
    root = ET.Element("clientConfig", {"version": "1.1"})
    email_provider = ET.SubElement(root, "emailProvider", {"id": provider.server(settings.protocol).host.lower()})
    ET.SubElement(email_provider, "domain").text = settings.address.ascii_domain
    ET.SubElement(email_provider, "displayName").text = _provider_label(provider)
    ET.SubElement(email_provider, "displayShortName").text = provider.name
    for endpoint in [*settings.ordered(settings.protocol), *settings.ordered(other)]:
        _add_server(email_provider, "incomingServer", endpoint, settings)
    for endpoint in settings.ordered(MailProtocol.SMTP):
        _add_server(email_provider, "outgoingServer", endpoint, settings)
    return root


def write_autoconfig(settings: AccountSettings, out_dir: Path) -> Path:
    """Writes out_dir/config-v1.1.xml (UTF-8, no BOM) in one step; private if it carries the password."""
    root = build_autoconfig(settings)
    ET.indent(root, space="  ")
    data = ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
    return write_atomic(Path(out_dir) / AUTOCONFIG_FILE, data, private=settings.password is not None)


# --- finding profiles -------------------------------------------------------------------------------


def _profile_roots(home: Path | None, platform: str) -> list[Path]:
    explicit = home is not None
    base = home if home is not None else Path.home()
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        roaming = Path(appdata) if appdata and not explicit else base / "AppData" / "Roaming"
        return [roaming / "Thunderbird"]
    if platform == "darwin":
        return [base / "Library" / "Thunderbird"]
    xdg = os.environ.get("XDG_CONFIG_HOME")
    config = Path(xdg) if xdg and not explicit else base / ".config"
    return [
        base / ".thunderbird",
        config / "thunderbird",  # XDG layout of newer toolkit builds
        base / ".var" / "app" / "org.mozilla.Thunderbird" / ".thunderbird",  # Flatpak
        base / "snap" / "thunderbird" / "common" / ".thunderbird",  # Snap
    ]


def _read_ini(path: Path) -> configparser.RawConfigParser | None:
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    parser = configparser.RawConfigParser(strict=False, delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # Mozilla's keys are case-sensitive
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error:
        return None
    return parser


def _resolve(root: Path, value: str, is_relative: str | None) -> Path:
    path = Path(value)
    relative = is_relative == "1" or (is_relative is None and not path.is_absolute())
    return root / path if relative else path


def _path_key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _profiles_in(root: Path) -> list[tuple[int, ThunderbirdProfile]]:
    """Profiles of one Thunderbird data folder, ranked: 0 an install's default, 1 Default=1, 2 the rest."""
    profiles_ini = _read_ini(root / "profiles.ini")
    installs_ini = _read_ini(root / "installs.ini")
    install_defaults: list[Path] = []
    for parser, only_install_sections in ((installs_ini, False), (profiles_ini, True)):
        if parser is None:
            continue
        for section in parser.sections():
            if only_install_sections and not section.startswith("Install"):
                continue
            value = parser.get(section, "Default", fallback="").strip()
            if value:
                install_defaults.append(_resolve(root, value, None))
    install_keys = {_path_key(p) for p in install_defaults}

    found: list[tuple[int, str, Path]] = []
    if profiles_ini is not None:
        for section in profiles_ini.sections():
            if not re.fullmatch(r"Profile\d+", section):
                continue
            value = profiles_ini.get(section, "Path", fallback="").strip()
            if not value:
                continue
            path = _resolve(root, value, profiles_ini.get(section, "IsRelative", fallback=None))
            name = profiles_ini.get(section, "Name", fallback="").strip() or path.name
            if _path_key(path) in install_keys:
                rank = 0
            elif profiles_ini.get(section, "Default", fallback="").strip() == "1":
                rank = 1
            else:
                rank = 2
            found.append((rank, name, path))
    listed = {_path_key(path) for _, _, path in found}
    for path in install_defaults:
        if _path_key(path) not in listed:
            found.append((0, path.name, path))
            listed.add(_path_key(path))

    found = [item for item in found if item[2].is_dir()]
    has_install_default = any(rank == 0 for rank, _, _ in found)
    return [
        (rank, ThunderbirdProfile(name, path, rank == 0 or (rank == 1 and not has_install_default)))
        for rank, name, path in found
    ]


def find_profiles(home: Path | None = None, platform: str | None = None) -> list[ThunderbirdProfile]:
    """Thunderbird profiles on this computer, the one Thunderbird starts with first.

    Reads profiles.ini and installs.ini in %APPDATA%\\Thunderbird (Windows), ~/Library/Thunderbird
    (macOS) or ~/.thunderbird, ~/.config/thunderbird, the Flatpak and the Snap folders (Linux and other
    Unix). Since Thunderbird 68 an installation's own default (installs.ini) wins over profiles.ini's
    Default=1. Folders that do not exist are left out.
    """
    ranked: list[tuple[int, ThunderbirdProfile]] = []
    seen: set[str] = set()
    for root in _profile_roots(home, platform or sys.platform):
        for rank, profile in _profiles_in(root):
            key = _path_key(profile.path)
            if key not in seen:
                seen.add(key)
                ranked.append((rank, profile))
    ranked.sort(key=lambda item: (not item[1].is_default, item[0]))
    return [profile for _, profile in ranked]


# --- the profile lock -------------------------------------------------------------------------------


def _running_error(profile_dir: Path) -> ThunderbirdRunning:
    return ThunderbirdRunning(
        Message(
            "Thunderbird is using the profile {profile}; quit Thunderbird, then try again (nothing was changed).",
            profile=profile_dir,
        )
    )


def _own_address() -> ipaddress.IPv4Address:
    """This computer's address as Thunderbird writes it into its lock link (host name lookup, else loopback)."""
    try:
        return ipaddress.IPv4Address(socket.gethostbyname(socket.gethostname()))
    except (OSError, ValueError):
        return ipaddress.IPv4Address("127.0.0.1")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else
    return True


def _symlink_lock_live(link: Path, have_fcntl_lock: bool) -> bool:
    """Mirrors nsProfileLock::IsSymlinkStaleLock: the `lock` link reads "ADDRESS:+PID" or "ADDRESS:PID".

    Stale (so not in use) when the writer also took the fcntl lock and we now hold it, or when it names
    this computer and its process is gone; a lock from another computer always counts as in use.
    """
    try:
        target = os.readlink(link)
    except OSError:
        return False
    address_text, colon, pid_text = target.partition(":")
    if not colon:
        return False
    try:
        address = ipaddress.IPv4Address(address_text)
    except ValueError:
        return False
    if pid_text.startswith("+"):
        if have_fcntl_lock:
            return False
        pid_text = pid_text[1:]
    if not pid_text.isdigit() or int(pid_text) == 0:
        return False
    if address != _own_address():
        return True
    return _pid_alive(int(pid_text))


def _windows_lock_held(lock_file: Path) -> bool:
    """Thunderbird keeps parent.lock open without sharing; opening it then fails with a sharing violation."""
    try:
        fd = os.open(lock_file, os.O_RDWR)
    except FileNotFoundError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    os.close(fd)
    return False


@contextmanager
def hold_profile(profile_dir: Path, platform: str | None = None) -> Iterator[None]:
    """Refuses with ThunderbirdRunning while Thunderbird has the profile; on Unix holds its lock meanwhile.

    Unix and macOS: Thunderbird holds an fcntl lock on `.parentlock` (we take the same lock, so it cannot
    start while we write) and, on Linux, a `lock` symlink. Windows: `parent.lock` opened exclusively.
    """
    platform = platform or sys.platform
    if platform.startswith("win"):
        if _windows_lock_held(profile_dir / "parent.lock"):
            raise _running_error(profile_dir)
        with _assistant_lock(profile_dir, profile_dir / "parent.lock"):
            yield
        return
    with _assistant_lock(profile_dir, profile_dir):
        fd = _take_fcntl_lock(profile_dir / ".parentlock", profile_dir)
        try:
            if _symlink_lock_live(profile_dir / "lock", have_fcntl_lock=fd is not None):
                raise _running_error(profile_dir)
            yield
        finally:
            if fd is not None:
                os.close(fd)


@contextmanager
def _assistant_lock(profile_dir: Path, lock_path: Path) -> Iterator[None]:
    """One run of this assistant at a time per profile, whatever user it runs as: a new profile has no
    Thunderbird lock file yet, and two runs that each read the old prefs.js would drop each other's account.

    POSIX: flock on the profile folder itself (no new file in the profile). Windows: a byte lock on
    parent.lock, the file Thunderbird itself opens exclusively while it runs.
    """
    busy = Message(
        "Another run of this assistant is still changing the profile {profile}; try again when it has finished "
        "(nothing was changed).",
        profile=profile_dir,
    )
    held = ExitStack()
    try:
        try:
            held.enter_context(exclusive(lock_path, timeout=PROFILE_LOCK_WAIT, busy=busy))
        except PermissionError:
            if lock_path.name == "parent.lock":  # Windows: Thunderbird opened it without sharing meanwhile
                raise _running_error(profile_dir) from None
            raise
        except OSError:
            # A file system that cannot lock this folder (some network shares): runs of this user still
            # exclude each other through a lock file in this app's own folder, named after the profile.
            held.enter_context(exclusive(_fallback_lock(profile_dir), timeout=PROFILE_LOCK_WAIT, busy=busy))
    except LockBusy:
        raise ProfileWriteError(busy) from None
    except OSError as exc:
        raise ProfileWriteError(
            Message(
                "The profile {profile} could not be locked ({why}); nothing was changed.",
                profile=profile_dir,
                why=os_reason(exc),
            )
        ) from None
    with held:
        yield


def _fallback_lock(profile_dir: Path) -> Path:
    folder = data_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (hashlib.sha256(_path_key(profile_dir).encode("utf-8")).hexdigest()[:32] + ".lock")


def _take_fcntl_lock(lock_file: Path, profile_dir: Path) -> int | None:
    if sys.platform == "win32":
        return None
    import fcntl

    try:
        fd = os.open(lock_file, os.O_RDWR)
    except OSError:
        return None  # no lock file yet (or unreadable): the symlink check decides
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            raise _running_error(profile_dir) from None
        return None
    return fd


# --- prefs.js ---------------------------------------------------------------------------------------


def _split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _same(a: str | None, b: str) -> bool:
    return a is not None and a.casefold() == b.casefold()


def _server_uri(protocol: MailProtocol, username: str, host: str) -> str:
    """Thunderbird's serverURI: the local store type, then the escaped username and host."""
    store = "imap" if protocol is MailProtocol.IMAP else "mailbox"
    return f"{store}://{quote(username, safe=_URI_SAFE)}@{quote(host, safe=_URI_SAFE)}"


def _existing_account(prefs: PrefsFile, incoming: Endpoint, username: str) -> str | None:
    """The account that already reads this mailbox (same type, host and username), if any."""
    for account in _split_list(prefs.get_str("mail.accountmanager.accounts")):
        server = prefs.get_str(f"mail.account.{account}.server")
        if not server:
            continue
        base = f"mail.server.{server}."
        if prefs.get_str(base + "type") != incoming.protocol.value:
            continue
        hosts = (prefs.get_str(base + "hostname"), prefs.get_str(base + "realhostname"))
        users = (prefs.get_str(base + "userName"), prefs.get_str(base + "realuserName"))
        if any(_same(h, incoming.host) for h in hosts) and any(_same(u, username) for u in users):
            return account
    return None


_KEY_PATTERNS = {
    "account": re.compile(r"mail\.account\.account(\d+)\."),
    "id": re.compile(r"mail\.identity\.id(\d+)\."),
    "server": re.compile(r"mail\.server\.server(\d+)\."),
    "smtp": re.compile(r"mail\.smtpserver\.smtp(\d+)\."),
}
_KEY_LIST_PREFS = re.compile(
    r"mail\.accountmanager\.(accounts|defaultaccount)|mail\.account\.[^.]+\.(server|identities)"
    r"|mail\.smtpservers|mail\.smtp\.defaultserver|mail\.identity\.[^.]+\.smtpServer"
)


def _keys_in_user_js(profile_dir: Path) -> dict[str, set[int]]:
    """Every accountN/idN/serverN/smtpN that user.js mentions anywhere (names, values, even a broken line).

    Thunderbird applies user.js over prefs.js at every start, so a new account under a key that user.js
    sets would be overwritten; a key merely mentioned is avoided too, which costs nothing.
    """
    try:
        text = (profile_dir / "user.js").read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return {kind: set() for kind in _KEY_PATTERNS}
    return {
        kind: {int(n) for n in re.findall(rf"(?<![A-Za-z0-9_]){kind}(\d+)(?![0-9])", text)} for kind in _KEY_PATTERNS
    }


def _fresh_key(prefs: PrefsFile, kind: str, at_least: int = 0, reserved: Iterable[int] = ()) -> str:
    """kindN above every N in use anywhere: in pref names, in the prefs that list keys, and in `reserved`
    (the keys user.js uses)."""
    used = [at_least, *reserved]
    token = re.compile(rf"{kind}(\d+)")
    for name in prefs.names():
        if match := _KEY_PATTERNS[kind].match(name):
            used.append(int(match.group(1)))
        if _KEY_LIST_PREFS.fullmatch(name):
            for item in _split_list(prefs.get_str(name)):
                if match := token.fullmatch(item):
                    used.append(int(match.group(1)))
    return f"{kind}{max(used) + 1}"


def _can_be_default(prefs: PrefsFile, account: str | None, accounts: list[str]) -> bool:
    if not account or account not in accounts:
        return False
    server = prefs.get_str(f"mail.account.{account}.server")
    kind = prefs.get_str(f"mail.server.{server}.type") if server else None
    return kind is not None and kind not in _NOT_DEFAULT_TYPES


def _effective_default(prefs: PrefsFile, accounts: list[str]) -> str | None:
    """The account Thunderbird treats as default: the pref if usable, else the first account that can be."""
    preferred = prefs.get_str("mail.accountmanager.defaultaccount")
    for account in [preferred, *accounts]:
        if _can_be_default(prefs, account, accounts):
            return account
    return None


def _has_default_smtp(prefs: PrefsFile) -> bool:
    """As Thunderbird sees it: the pref, else the first listed server; it only counts with a host name."""
    listed = _split_list(prefs.get_str("mail.smtpservers"))
    default = prefs.get_str("mail.smtp.defaultserver") or (listed[0] if listed else None)
    return bool(default and prefs.get_str(f"mail.smtpserver.{default}.hostname"))


def _matching_smtp(prefs: PrefsFile, outgoing: Endpoint, username: str) -> str | None:
    """An outgoing server that already says exactly this (Thunderbird reuses those too)."""
    for key in _split_list(prefs.get_str("mail.smtpservers")):
        base = f"mail.smtpserver.{key}."
        if (
            prefs.get_str(base + "type") in (None, "smtp")
            and _same(prefs.get_str(base + "hostname"), outgoing.host)
            and prefs.get_int(base + "port") == outgoing.port
            and _same(prefs.get_str(base + "username"), username)
            and (prefs.get_int(base + "try_ssl") or 0) == SOCKET_TYPE[outgoing.security]
            and (prefs.get_int(base + "authMethod") or AUTH_PASSWORD_CLEARTEXT) == AUTH_PASSWORD_CLEARTEXT
        ):
            return key
    return None


def _reply_style(prefs: PrefsFile, accounts: list[str]) -> dict[str, PrefValue]:
    """The wizard puts replies on top, unless a valid default identity says otherwise (copied from it)."""
    default = _effective_default(prefs, accounts)
    if default is not None:
        identities = _split_list(prefs.get_str(f"mail.account.{default}.identities"))
        if identities and prefs.get_bool(f"mail.identity.{identities[0]}.valid") is not False:
            copied: dict[str, PrefValue] = {}
            for pref in ("reply_on_top", "sig_bottom"):
                value = prefs.get(f"mail.identity.{identities[0]}.{pref}")
                if value is not None:
                    copied[pref] = value
            return copied
    return {"reply_on_top": 1}


def _add_account(
    prefs: PrefsFile,
    settings: AccountSettings,
    incoming: Endpoint,
    outgoing: Endpoint,
    reserved: dict[str, set[int]] | None = None,
    *,
    enterprise_roots: bool,
) -> str:
    reserved = reserved or {}
    accounts = _split_list(prefs.get_str("mail.accountmanager.accounts"))
    last_key = prefs.get_int("mail.account.lastKey") or 0
    account = _fresh_key(prefs, "account", last_key, reserved.get("account", ()))
    identity = _fresh_key(prefs, "id", reserved=reserved.get("id", ()))
    server = _fresh_key(prefs, "server", reserved=reserved.get("server", ()))
    username = settings.username
    reply_style = _reply_style(prefs, accounts)

    names = {prefs.get_str(f"mail.server.{prefs.get_str(f'mail.account.{a}.server')}.name") for a in accounts}
    pretty_name = username if username not in names else f"{username} ({incoming.protocol.label})"
    srv = f"mail.server.{server}."
    values: dict[str, PrefValue] = {
        srv + "type": incoming.protocol.value,
        srv + "hostname": incoming.host,
        srv + "port": incoming.port,
        srv + "socketType": SOCKET_TYPE[incoming.security],
        srv + "authMethod": AUTH_PASSWORD_CLEARTEXT,
        srv + "userName": username,
        srv + "name": pretty_name,
        srv + "login_at_startup": True,
        srv + "check_new_mail": True,
        srv + "check_time": CHECK_EVERY_MINUTES,
    }
    if incoming.protocol is MailProtocol.POP3:
        days = settings.pop_delete_after_days
        values[srv + "leave_on_server"] = True  # the guide: POP must leave mail for webmail and other devices
        values[srv + "download_on_biff"] = True
        values[srv + "delete_by_age_from_server"] = days is not None
        # "Until I delete them": off always. Deleting by age is the only removal the person chose; with this on,
        # every local delete would also remove the server copy at once.
        values[srv + "delete_mail_left_on_server"] = False
        if days is not None:
            values[srv + "num_days_to_leave_on_server"] = days

    smtp_list = _split_list(prefs.get_str("mail.smtpservers"))
    smtp = _matching_smtp(prefs, outgoing, username)
    if smtp is None:
        smtp = _fresh_key(prefs, "smtp", reserved=reserved.get("smtp", ()))
        out = f"mail.smtpserver.{smtp}."
        values |= {
            out + "type": "smtp",
            out + "hostname": outgoing.host,
            out + "port": outgoing.port,
            out + "try_ssl": SOCKET_TYPE[outgoing.security],
            out + "authMethod": AUTH_PASSWORD_CLEARTEXT,
            out + "username": username,
            out + "description": _provider_label(settings.provider),
        }
        smtp_list.append(smtp)
        values["mail.smtpservers"] = ",".join(smtp_list)
    if not _has_default_smtp(prefs):
        values["mail.smtp.defaultserver"] = smtp

    ident = f"mail.identity.{identity}."
    folders = _server_uri(incoming.protocol, username, incoming.host)
    values |= {
        ident + "useremail": settings.address.address,
        ident + "valid": True,
        ident + "smtpServer": smtp,
        ident + "fcc_folder": folders + "/Sent",
        ident + "draft_folder": folders + "/Drafts",
        ident + "stationery_folder": folders + "/Templates",
        ident + "archive_folder": folders + "/Archives",
        ident + "fcc_folder_picker_mode": "0",
        ident + "drafts_folder_picker_mode": "0",
        ident + "tmpl_folder_picker_mode": "0",
        ident + "archives_folder_picker_mode": "0",
    }
    values |= {ident + pref: value for pref, value in reply_style.items()}
    if settings.display_name:
        values[ident + "fullName"] = settings.display_name

    values |= {
        f"mail.account.{account}.server": server,
        f"mail.account.{account}.identities": identity,
        "mail.accountmanager.accounts": ",".join([*accounts, account]),
        "mail.account.lastKey": int(account.removeprefix("account")),
    }
    if enterprise_roots:  # Windows/macOS: trust roots from the system store (only where that is not the default)
        values[ENTERPRISE_ROOTS_PREF] = True
    if _effective_default(prefs, accounts) is None:
        values["mail.accountmanager.defaultaccount"] = account

    try:
        for name, value in values.items():
            prefs.set(name, value)
    except ValueError as exc:
        raise ProfileWriteError(
            Message("This cannot be stored in Thunderbird's settings: {why}.", why=reason(exc))
        ) from None
    return account


def _refuse_managed_account_list(profile_dir: Path) -> None:
    """user.js is re-applied at every start; if it fixes the account list, an added account would vanish."""
    try:
        statements = parse_prefs((profile_dir / "user.js").read_bytes())
    except (OSError, PrefsSyntaxError):
        return
    if any(s.name == "mail.accountmanager.accounts" for s in statements):
        raise ProfileWriteError(
            Message(
                "The profile's user.js ({file}) fixes the list of accounts, so an account added here would "
                "disappear at the next start; add it in Thunderbird or in user.js instead.",
                file=profile_dir / "user.js",
            )
        )


def _read_prefs(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ProfileWriteError(
            Message("Cannot read {file} ({why}); nothing was changed.", file=path, why=os_reason(exc))
        ) from None


def _write_backup(prefs_path: Path, data: bytes) -> Path:
    """The old prefs.js, byte for byte, under a new name; never overwrites an earlier backup."""
    owner = atomic.ownership_for(prefs_path)  # the backup holds the same settings: same owner and mode
    atomic.check_ownership(prefs_path, owner)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        suffix = "" if attempt == 1 else f"-{attempt}"
        backup = prefs_path.with_name(f"{prefs_path.name}.setup-assistant-{stamp}{suffix}.bak")
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                if owner is not None:
                    atomic.apply_ownership(fh.fileno(), backup, owner)
                os.fsync(fh.fileno())
        except BaseException:
            backup.unlink(missing_ok=True)
            raise
        return backup
    raise FileExistsError(errno.EEXIST, "too many backups this second", str(prefs_path))


def _save_prefs(prefs_path: Path, original: bytes | None, prefs: PrefsFile) -> Path | None:
    """Backs up the old prefs.js and writes the new one atomically; the backup's path, if there was a file."""
    backup: Path | None = None
    try:
        if original is not None:
            backup = _write_backup(prefs_path, original)
        write_in_profile(prefs_path, prefs.to_bytes(), new_mode=PREFS_MODE)
    except OSError as exc:
        if backup is not None:
            backup.unlink(missing_ok=True)
        if isinstance(exc, atomic.OwnershipError):
            raise ProfileWriteError(
                Message("Thunderbird's settings were not changed: {why}.", why=reason(exc))
            ) from None
        raise ProfileWriteError(
            Message(
                "Could not write {file} ({why}); the old settings are unchanged.",
                file=prefs_path,
                why=os_reason(exc),
            )
        ) from None
    return backup


def _explicit_enterprise_roots(profile_dir: Path, prefs: PrefsFile | None = None) -> bool | None:
    """The value user.js or prefs.js sets (user.js wins, as in Thunderbird); None when neither sets it."""
    for name in ("user.js", "prefs.js"):
        try:
            if name == "prefs.js" and prefs is not None:
                value = prefs.get_bool(ENTERPRISE_ROOTS_PREF)
            else:
                data = _read_prefs(Path(profile_dir) / name)
                value = PrefsFile(data).get_bool(ENTERPRISE_ROOTS_PREF) if data else None
        except (ProfileWriteError, PrefsSyntaxError):
            value = None
        if value is not None:
            return value
    return None


def enterprise_roots_default(profile_dir: Path) -> bool | None:
    """The default of the Thunderbird that last ran this profile (True since 120); None if never run."""
    value = app_defaults.pref_default(Path(profile_dir), ENTERPRISE_ROOTS_PREF)
    return value if isinstance(value, bool) else None


def enterprise_roots_enabled(profile_dir: Path, prefs: PrefsFile | None = None) -> bool:
    """Whether Thunderbird in this profile trusts the OS's roots: the value set, else the application's default.

    An absent pref is not "off": Thunderbird drops a user_pref equal to its default when it saves prefs.js.
    Unknown (a profile Thunderbird never opened) counts as off, so the pref gets written once.
    """
    explicit = _explicit_enterprise_roots(Path(profile_dir), prefs)
    if explicit is not None:
        return explicit
    return enterprise_roots_default(profile_dir) is True


def _enterprise_roots_to_write(profile_dir: Path, prefs: PrefsFile) -> bool:
    """Whether prefs.js needs the pref: not when user.js decides it (it wins at every start), nor when it is
    already on, set or by default."""
    try:
        data = _read_prefs(profile_dir / "user.js")
        in_user_js = PrefsFile(data).get_bool(ENTERPRISE_ROOTS_PREF) if data else None
    except (ProfileWriteError, PrefsSyntaxError):
        in_user_js = None
    if in_user_js is not None:
        return False
    return not enterprise_roots_enabled(profile_dir, prefs)


def enable_enterprise_roots(profile_dir: Path) -> bool:
    """Turns on security.enterprise_roots.enabled (backup, atomic, refused while running); False if already on.

    "Already on" includes the application's default: then nothing is written and no backup is left.
    """
    profile_dir = Path(profile_dir)
    if not profile_dir.is_dir():
        raise ProfileWriteError(Message("There is no Thunderbird profile folder at {folder}.", folder=profile_dir))
    prefs_path = profile_dir / "prefs.js"
    with hold_profile(profile_dir):
        original = _read_prefs(prefs_path)
        try:
            prefs = PrefsFile(original) if original else PrefsFile.new(_NEW_FILE_NEWLINE)
        except PrefsSyntaxError as exc:
            raise ProfileWriteError(
                Message("{file} cannot be read safely ({why}); nothing was changed.", file=prefs_path, why=reason(exc))
            ) from None
        if not _enterprise_roots_to_write(profile_dir, prefs):
            return False
        prefs.set(ENTERPRISE_ROOTS_PREF, True)
        _save_prefs(prefs_path, original, prefs)
        return True


def install_account(settings: AccountSettings, profile_dir: Path) -> ThunderbirdInstall:
    """Adds the account to a Thunderbird profile's prefs.js, or changes nothing if it is already there.

    Uses the recommended endpoints (provider preference first, so SSL when STARTTLS was blocked).
    Raises NoSecureEndpoint before touching anything if no secure endpoint worked, ThunderbirdRunning
    while Thunderbird has the profile open, ProfileWriteError for anything else.
    """
    incoming = settings.incoming()
    outgoing = settings.outgoing()
    profile_dir = Path(profile_dir)
    if not profile_dir.is_dir():
        raise ProfileWriteError(Message("There is no Thunderbird profile folder at {folder}.", folder=profile_dir))
    address = settings.address.address
    prefs_path = profile_dir / "prefs.js"
    with hold_profile(profile_dir):
        _refuse_managed_account_list(profile_dir)
        original = _read_prefs(prefs_path)
        try:
            prefs = PrefsFile(original) if original else PrefsFile.new(_NEW_FILE_NEWLINE)
        except PrefsSyntaxError as exc:
            raise ProfileWriteError(
                Message(
                    "{file} contains something this assistant cannot read safely ({why}); nothing was changed. "
                    "Starting and quitting Thunderbird once rewrites the file; then try again.",
                    file=prefs_path,
                    why=reason(exc),
                )
            ) from None

        roots_needed = _enterprise_roots_to_write(profile_dir, prefs)
        existing = _existing_account(prefs, incoming, settings.username)
        if existing is not None:
            if roots_needed:
                # An account set up by hand (or by an older run) still needs the OS roots to be trusted.
                prefs.set(ENTERPRISE_ROOTS_PREF, True)
                backup = _save_prefs(prefs_path, original, prefs)
                return ThunderbirdInstall(
                    profile_dir,
                    True,
                    backup,
                    existing,
                    Message(
                        "{address} is already set up in the Thunderbird profile {profile}; only {pref} was turned "
                        "on so it trusts this computer's certificates.",
                        address=address,
                        profile=profile_dir.name,
                        pref=ENTERPRISE_ROOTS_PREF,
                    ),
                )
            return ThunderbirdInstall(
                profile_dir,
                False,
                None,
                existing,
                Message(
                    "{address} is already set up in the Thunderbird profile {profile}; nothing was changed.",
                    address=address,
                    profile=profile_dir.name,
                ),
            )

        account = _add_account(
            prefs, settings, incoming, outgoing, _keys_in_user_js(profile_dir), enterprise_roots=roots_needed
        )
        backup = _save_prefs(prefs_path, original, prefs)
    return ThunderbirdInstall(
        profile_dir,
        True,
        backup,
        account,
        Message(
            "Added {address} to the Thunderbird profile {profile}; Thunderbird will ask for the password the first "
            "time it connects.",
            address=address,
            profile=profile_dir.name,
        ),
        added=True,
    )
