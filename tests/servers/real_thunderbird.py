"""The real Thunderbird, headless, against the test Dovecot: does a profile log in without asking anything?

Reusable for any test that wants Thunderbird's own verdict on a profile this assistant wrote ("the account
logs in", "after a repair the same account key still logs in", "the stored password is used"):

    trust_ca(profile_dir, mail_servers.ca_path)        # Thunderbird trusts only its profile's cert9.db on Linux
    run = run_thunderbird(profile_dir, mail_servers.server, user="jane.doe@example.org", seconds=60)
    assert run.logged_in, run.log

How it decides: Dovecot logs every successful login (`imap-login: Login: user=<…>`); a line for that user
that appears while Thunderbird runs means Thunderbird logged in, which it can only do headless with a
password it found in the profile (a password prompt cannot be answered, so it never logs in). Thunderbird
fetches IMAP at start-up (biff on accounts with login_at_startup); POP3 is not fetched headless, so only
IMAP accounts can be proven this way. `connected` tells that Thunderbird did reach the server (TLS and all)
even when it did not log in, so a negative result is not just "Thunderbird never got there".

`passwords_thunderbird_finds(profile_dir)` asks Thunderbird itself (started offline, through Marionette) whether
it has each incoming and outgoing server's password without prompting: that covers POP3 and SMTP as well.

Thunderbird runs with a private HOME, no display, no crash reporter, no updates or telemetry (a marked block in
the profile's `user.js`, which Thunderbird also copies into prefs.js on exit) and a hard time limit; it is stopped
(SIGTERM to its process group, then SIGKILL) as soon as the login is seen, so prefs.js is saved as on a normal
quit and `prefs_after` shows what Thunderbird made of the profile.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from setup_assistant.core.clients.thunderbird.prefs import PrefsFile, PrefsSyntaxError
from tests.servers.dovecot import DovecotServer, free_port

# Debian's wrapper script (/usr/bin/thunderbird) only adds profile migrations; the program itself is beside NSS.
_BINARIES = ("/usr/lib/thunderbird/thunderbird", "/usr/lib/thunderbird-esr/thunderbird-esr")
CERTUTIL = shutil.which("certutil")
QUIT_SECONDS = 20.0  # for Thunderbird to save its prefs and exit once it has agreed to quit
MARIONETTE_SECONDS = 5.0  # for Marionette to answer a command

# Prefs for an unattended run: nothing on first start but the accounts' own start-up work.
HARNESS_PREFS: dict[str, bool | int | str] = {
    "mail.shell.checkDefaultClient": False,
    "mail.rights.version": 1,
    "mail.provider.suppress_dialog_on_startup": True,
    "mailnews.start_page.enabled": False,
    "mail.spotlight.firstRunDone": True,
    "mail.winsearch.firstRunDone": True,
    "app.update.enabled": False,
    "app.update.auto": False,
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "extensions.update.enabled": False,
    "services.settings.server": "data:,#remote-settings-disabled",
    "security.OCSP.enabled": 0,
    "network.connectivity-service.enabled": False,
    "network.captive-portal-service.enabled": False,
}


def thunderbird_binary() -> str | None:
    for path in _BINARIES:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return shutil.which("thunderbird") or shutil.which("thunderbird-esr")


def missing_reason() -> str | None:
    """Why the real-Thunderbird tests cannot run here, or None."""
    if thunderbird_binary() is None:
        return "thunderbird is not installed (apt-get install thunderbird)"
    if CERTUTIL is None:
        return "NSS certutil is not installed (apt-get install libnss3-tools)"
    return None


@dataclass
class ThunderbirdRun:
    logged_in: bool  # Dovecot logged a successful IMAP login of the user while Thunderbird ran
    connected: bool  # Thunderbird opened at least one IMAP connection (with or without logging in)
    logins: list[str]  # Dovecot's log lines of those logins
    log: str  # Dovecot's log during the run, then Thunderbird's own output: for assertion messages
    prefs_after: PrefsFile | None  # the profile's prefs.js after Thunderbird quit (None if unreadable)
    returncode: int | None
    seconds: float  # until the login was seen, or the whole run
    timed_out: bool  # the time limit ended the run (expected when nothing logs in)
    quit_cleanly: bool  # Thunderbird quit normally when asked (so prefs.js is as Thunderbird saves it)


def trust_ca(profile_dir: Path, ca_pem: Path, nickname: str = "Setup Assistant Test CA") -> None:
    """Puts the throwaway test CA into the profile's cert9.db as a CA for servers (creating the database if needed).

    Thunderbird on Linux trusts only its profile's database (security.enterprise_roots works only on Windows and
    macOS). Run it while Thunderbird is not running; an existing key4.db is used as it is.
    """
    if CERTUTIL is None:
        raise RuntimeError("certutil is missing")
    database = f"sql:{profile_dir}"
    if not (profile_dir / "cert9.db").exists():
        subprocess.run(
            [CERTUTIL, "-N", "--empty-password", "-d", database], check=True, capture_output=True, timeout=30
        )
    subprocess.run(
        [CERTUTIL, "-A", "-d", database, "-n", nickname, "-t", "C,,", "-i", str(ca_pem)],
        check=True,
        capture_output=True,
        timeout=30,
    )


HARNESS_BEGIN = "// --- setup-assistant test harness (tests/servers/real_thunderbird.py) ---\n"
HARNESS_END = "// --- end of the test harness's prefs ---\n"


def write_harness_prefs(profile_dir: Path, marionette_port: int) -> Path:
    """Puts HARNESS_PREFS into the profile's user.js, between markers; whatever else user.js holds is kept."""
    path = profile_dir / "user.js"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    if HARNESS_BEGIN in text and HARNESS_END in text:
        before, _, rest = text.partition(HARNESS_BEGIN)
        text = before + rest.partition(HARNESS_END)[2]
    lines = [HARNESS_BEGIN]
    for name, value in {**HARNESS_PREFS, "marionette.port": marionette_port}.items():
        literal = json.dumps(value)  # true/false, numbers and strings are written as in JavaScript
        lines.append(f'user_pref("{name}", {literal});\n')
    lines.append(HARNESS_END)
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(lines), encoding="utf-8")
    return path


def _environment(home: Path) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home / "tmp"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "MOZ_HEADLESS": "1",
        "MOZ_CRASHREPORTER_DISABLE": "1",
        "MOZ_CRASHREPORTER_NO_REPORT": "1",
        "MOZ_DISABLE_AUTO_SAFE_MODE": "1",
        "MOZ_NO_REMOTE": "1",
        "MOZ_DISABLE_CONTENT_SANDBOX": "1",  # containers often lack the user namespaces the sandbox wants
        "MOZ_DISABLE_GMP_SANDBOX": "1",
        "MOZ_DISABLE_RDD_SANDBOX": "1",
        "MOZ_DISABLE_SOCKET_PROCESS_SANDBOX": "1",
        "MOZ_DISABLE_UTILITY_SANDBOX": "1",
    }
    for sub in ("tmp", ".config", ".cache", ".local/share", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(home / "run", 0o700)
    return env


def _login_lines(text: str, user: str | None) -> list[str]:
    pattern = re.compile(r"imap-login: (?:Info: )?Login: user=<([^>]*)>")
    found = []
    for line in text.splitlines():
        match = pattern.search(line)
        if match and (user is None or match.group(1) == user):
            found.append(line)
    return found


class MarionetteError(Exception):
    pass


class Marionette:
    """A minimal client for Thunderbird's Marionette (the length-prefixed JSON protocol, version 3)."""

    def __init__(self, port: int, timeout: float = MARIONETTE_SECONDS) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.settimeout(timeout)  # a modal prompt (a password asked for) keeps it from answering
        self.next_id = 1
        self._receive()  # {"applicationType": "gecko", "marionetteProtocol": 3}
        self.command("WebDriver:NewSession", {})

    @classmethod
    def connect(cls, port: int, deadline: float) -> Marionette:
        """Waits (until the monotonic `deadline`) for Thunderbird to open its Marionette port."""
        while True:
            try:
                return cls(port)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _receive(self) -> Any:
        head = b""
        while not head.endswith(b":"):
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("Marionette closed the connection")
            head += chunk
        size = int(head[:-1])
        body = b""
        while len(body) < size:
            chunk = self.sock.recv(size - len(body))
            if not chunk:
                raise ConnectionError("Marionette closed the connection")
            body += chunk
        return json.loads(body)

    def command(self, name: str, params: dict[str, Any]) -> Any:
        message_id, self.next_id = self.next_id, self.next_id + 1
        data = json.dumps([0, message_id, name, params]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        reply = self._receive()
        if not (isinstance(reply, list) and len(reply) == 4 and reply[1] == message_id):
            raise MarionetteError(f"unexpected reply to {name}: {reply!r}")
        if reply[2] is not None:
            raise MarionetteError(f"{name} failed: {reply[2]}")
        return reply[3]

    def close(self) -> None:
        self.sock.close()


def _marionette_quit(port: int) -> bool:
    """Asks Thunderbird to quit the normal way (Marionette's Quit command), so it saves prefs.js and its state."""
    try:
        client = Marionette(port)
        try:
            client.command("Marionette:Quit", {"flags": ["eAttemptQuit"]})
        finally:
            client.close()
    except (OSError, ValueError, MarionetteError):
        return False
    return True


def _stop(process: subprocess.Popen[bytes], marionette_port: int) -> bool:
    """Quits Thunderbird as a person would; SIGTERM, then SIGKILL to its process group if that fails. True: quit."""
    clean = False
    if process.poll() is None and _marionette_quit(marionette_port):
        try:
            process.wait(QUIT_SECONDS)
            clean = process.returncode == 0
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # helper processes left behind
    return clean


def run_thunderbird(
    profile_dir: Path,
    dovecot: DovecotServer,
    *,
    user: str | None = None,
    seconds: float = 60.0,
    stop_when_logged_in: bool = True,
) -> ThunderbirdRun:
    """Starts `thunderbird --headless --profile DIR --no-remote` and watches Dovecot's log for `user`'s IMAP login.

    Ends as soon as the login appears (unless stop_when_logged_in is False) or after `seconds`, whichever is
    first. The profile must not be in use; the caller trusts the test CA in it first (trust_ca).
    """
    binary = thunderbird_binary()
    if binary is None:
        raise RuntimeError("thunderbird is not installed")
    marionette_port = free_port()
    write_harness_prefs(profile_dir, marionette_port)
    log_path = dovecot.workdir / "log" / "dovecot.log"
    offset = log_path.stat().st_size if log_path.exists() else 0
    home = Path(tempfile.mkdtemp(prefix="sa-thunderbird-home-"))
    output = home / "thunderbird-output.txt"
    started = time.monotonic()
    logins: list[str] = []
    timed_out = False
    try:
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [binary, "--headless", "--profile", str(profile_dir), "--no-remote", "--marionette"],
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=_environment(home),
                cwd=home,
                start_new_session=True,
            )
            try:
                while True:
                    logins = _login_lines(_read_from(log_path, offset), user)
                    if logins and stop_when_logged_in:
                        break
                    if process.poll() is not None:
                        break
                    if time.monotonic() - started > seconds:
                        timed_out = True
                        break
                    time.sleep(0.2)
                elapsed = time.monotonic() - started
            finally:
                quit_cleanly = _stop(process, marionette_port)
        dovecot_log = _read_from(log_path, offset)
        settle = time.monotonic() + 3  # Dovecot logs a stopped Thunderbird's disconnections just after
        while "imap-login:" not in dovecot_log and time.monotonic() < settle:
            time.sleep(0.1)
            dovecot_log = _read_from(log_path, offset)
        logins = _login_lines(dovecot_log, user)
        thunderbird_output = output.read_text(errors="replace")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return ThunderbirdRun(
        logged_in=bool(logins),
        connected="imap-login:" in dovecot_log,
        logins=logins,
        log=f"--- dovecot ---\n{dovecot_log}\n--- thunderbird ---\n{thunderbird_output}",
        prefs_after=_prefs(profile_dir / "prefs.js"),
        returncode=process.returncode,
        seconds=elapsed,
        timed_out=timed_out,
        quit_cleanly=quit_cleanly,
    )


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _prefs(path: Path) -> PrefsFile | None:
    try:
        return PrefsFile(path.read_bytes())
    except (OSError, PrefsSyntaxError):
        return None


# Thunderbird's own answer to "would you have to ask for this server's password?", for every server it has:
# MsgIncomingServer.passwordPromptRequired (IMAP, POP3) and SmtpServer._getPasswordWithoutUI, the lookups it
# makes before it shows a password prompt.
_PASSWORD_QUERY = """
return (async () => {
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const found = [];
  for (const server of MailServices.accounts.allServers) {
    if (server.type == "imap" || server.type == "pop3") {
      found.push([server.type, server.hostName ?? server.hostname, server.username, !server.passwordPromptRequired]);
    }
  }
  for (const server of MailServices.outgoingServer.servers) {
    const smtp = server.wrappedJSObject;
    if (smtp && smtp._getPasswordWithoutUI) {
      found.push(["smtp", server.serverURI.host, server.username, !!(await smtp._getPasswordWithoutUI())]);
    }
  }
  return found;
})();
"""


def passwords_thunderbird_finds(profile_dir: Path, seconds: float = 60.0) -> dict[tuple[str, str, str], bool]:
    """For each incoming and outgoing server of the profile: does Thunderbird have its password without asking?

    Keys are (type, host, username), type "imap", "pop3" or "smtp". Thunderbird is started offline (it connects
    nowhere, so it asks nothing and needs no server) with Marionette's system access, asked through its own
    account code, and quit normally. This proves the saved password for POP3 and SMTP too, which a headless
    Thunderbird never uses on its own.
    """
    binary = thunderbird_binary()
    if binary is None:
        raise RuntimeError("thunderbird is not installed")
    port = free_port()
    write_harness_prefs(profile_dir, port)
    home = Path(tempfile.mkdtemp(prefix="sa-thunderbird-home-"))
    command = [binary, "--headless", "--profile", str(profile_dir), "--no-remote", "--marionette"]
    command += ["-remote-allow-system-access", "-offline"]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_environment(home),
            cwd=home,
            start_new_session=True,
        )
        try:
            client = Marionette.connect(port, time.monotonic() + seconds)
            try:
                client.command("Marionette:SetContext", {"value": "chrome"})
                rows = client.command("WebDriver:ExecuteScript", {"script": _PASSWORD_QUERY, "args": []})["value"]
            finally:
                client.close()
        finally:
            _stop(process, port)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {(str(kind), str(host), str(user)): bool(found) for kind, host, user, found in rows}
