"""The real Thunderbird (Debian's package), headless, against the test Dovecot: a profile with a broken account for
the test address cannot log in; after `repair --yes` the same account key logs in over TLS, and nothing else in the
profile changed.

Self-contained on purpose (a small headless harness and a logins.json writer below); the same steps are being
made reusable as tests/servers/real_thunderbird.py (issue 12), which this can switch to once merged. How it knows
Thunderbird logged in: Dovecot logs each successful login (`imap-login: Login: user=<…>, …, TLS`), and headless
Thunderbird can only log in with the password saved in the profile (logins.json, encrypted with the profile's
key4.db exactly as Thunderbird's login manager does: PK11SDR_Encrypt, base64), since a prompt cannot be answered.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from setup_assistant import cli
from setup_assistant.core.clients.thunderbird.prefs import PrefsFile
from tests.conftest import skip_or_fail

ADDRESS = "jane.doe@example.org"
TB_DIR = Path("/usr/lib/thunderbird")
CERTUTIL = shutil.which("certutil")

# Nothing on start-up but the accounts' own work (no first-run pages, updates, telemetry, default-client check).
QUIET_PREFS = {
    "mail.shell.checkDefaultClient": False,
    "mail.rights.version": 1,
    "mail.provider.suppress_dialog_on_startup": True,
    "mailnews.start_page.enabled": False,
    "app.update.enabled": False,
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "extensions.update.enabled": False,
    "services.settings.server": "data:,#remote-settings-disabled",
    "security.OCSP.enabled": 0,
    "network.connectivity-service.enabled": False,
}


def _missing() -> str | None:
    if not (TB_DIR / "thunderbird").is_file():
        return "thunderbird is not installed (apt-get install thunderbird)"
    if CERTUTIL is None:
        return "NSS certutil is not installed (apt-get install libnss3-tools)"
    return None


# --- the profile's own password store and certificate trust ------------------------------------------------------

_ENCRYPT_CHILD = r"""
import base64, ctypes, json, sys
from pathlib import Path
req = json.loads(sys.stdin.read())
lib = Path(req["lib"])
for name in ("mozglue", "nspr4", "plc4", "plds4", "mozsqlite3", "nssutil3"):
    if (lib / f"lib{name}.so").is_file():
        ctypes.CDLL(str(lib / f"lib{name}.so"), mode=ctypes.RTLD_GLOBAL)
nss = ctypes.CDLL(str(lib / "libnss3.so"), mode=ctypes.RTLD_GLOBAL)
class Item(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint), ("data", ctypes.POINTER(ctypes.c_ubyte)), ("len", ctypes.c_uint)]
nss.NSS_Initialize.argtypes = [ctypes.c_char_p] * 4 + [ctypes.c_uint32]
nss.PK11_GetInternalKeySlot.restype = ctypes.c_void_p
nss.PK11_NeedUserInit.argtypes = [ctypes.c_void_p]
nss.PK11_InitPin.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
nss.PK11_CheckUserPassword.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
nss.PK11SDR_Encrypt.argtypes = [ctypes.POINTER(Item)] * 3 + [ctypes.c_void_p]
assert nss.NSS_Initialize(("sql:" + req["profile"]).encode(), b"", b"", b"secmod.db", 0x4 | 0x10) == 0
slot = nss.PK11_GetInternalKeySlot()
if nss.PK11_NeedUserInit(slot):
    assert nss.PK11_InitPin(slot, None, b"") == 0
else:
    nss.PK11_CheckUserPassword(slot, b"")
out = []
for text in req["texts"]:
    data = text.encode()
    buf = ctypes.create_string_buffer(data, len(data))
    src = Item(0, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ubyte)), len(data))
    key, res = Item(0, None, 0), Item(0, None, 0)
    assert nss.PK11SDR_Encrypt(ctypes.byref(key), ctypes.byref(src), ctypes.byref(res), None) == 0
    out.append(base64.b64encode(ctypes.string_at(res.data, res.len)).decode())
nss.NSS_Shutdown()
print(json.dumps(out))
"""


def trust_ca(profile: Path, ca_pem: Path) -> None:
    """Thunderbird on Linux trusts only its profile's cert9.db: put the throwaway test CA there."""
    assert CERTUTIL is not None
    database = f"sql:{profile}"
    subprocess.run([CERTUTIL, "-N", "--empty-password", "-d", database], check=True, capture_output=True, timeout=30)
    subprocess.run(
        [CERTUTIL, "-A", "-d", database, "-n", "Test CA", "-t", "C,,", "-i", str(ca_pem)],
        check=True,
        capture_output=True,
        timeout=30,
    )


def save_logins(profile: Path, logins: list[tuple[str, str, str]]) -> None:
    """logins.json as Thunderbird's login manager keeps it: origin (= httpRealm), user and password SDR-encrypted."""
    texts = [t for _, user, password in logins for t in (user, password)]
    child = subprocess.run(
        [sys.executable, "-c", _ENCRYPT_CHILD],
        input=json.dumps({"lib": str(TB_DIR), "profile": str(profile), "texts": texts}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    encrypted = json.loads(child.stdout)
    now = int(time.time() * 1000)
    entries = []
    for i, (origin, _, _) in enumerate(logins):
        entries.append(
            {
                "id": i + 1,
                "hostname": origin,
                "httpRealm": origin,
                "formSubmitURL": None,
                "usernameField": "",
                "passwordField": "",
                "encryptedUsername": encrypted[2 * i],
                "encryptedPassword": encrypted[2 * i + 1],
                "guid": "{" + str(uuid.uuid4()) + "}",
                "encType": 1,
                "timeCreated": now,
                "timeLastUsed": now,
                "timePasswordChanged": now,
                "timesUsed": 1,
            }
        )
    data = {"nextId": len(entries) + 1, "logins": entries, "potentiallyVulnerablePasswords": [], "version": 3}
    (profile / "logins.json").write_text(json.dumps(data), encoding="utf-8")


# --- running Thunderbird ---------------------------------------------------------------------------------------


def run_thunderbird(profile: Path, log_path: Path, user: str, seconds: float) -> tuple[list[str], str]:
    """Starts headless Thunderbird on the profile until `user` logs in to Dovecot or `seconds` pass.

    Returns Dovecot's login lines for the user and everything Dovecot logged meanwhile. Thunderbird is stopped with
    SIGTERM (it saves prefs.js as on a normal quit), then SIGKILL to its process group.
    """
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in QUIET_PREFS.items()), encoding="utf-8"
    )
    offset = log_path.stat().st_size if log_path.exists() else 0
    home = Path(tempfile.mkdtemp(prefix="sa-tb-home-"))
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home),
        "XDG_RUNTIME_DIR": str(home),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "MOZ_HEADLESS": "1",
        "MOZ_CRASHREPORTER_DISABLE": "1",
        "MOZ_DISABLE_AUTO_SAFE_MODE": "1",
        "MOZ_DISABLE_CONTENT_SANDBOX": "1",
        "MOZ_DISABLE_GMP_SANDBOX": "1",
        "MOZ_DISABLE_RDD_SANDBOX": "1",
        "MOZ_DISABLE_SOCKET_PROCESS_SANDBOX": "1",
        "MOZ_DISABLE_UTILITY_SANDBOX": "1",
    }
    pattern = re.compile(r"imap-login: (?:Info: )?Login: user=<([^>]*)>")

    def read() -> str:
        with log_path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", errors="replace")

    def logins(text: str) -> list[str]:
        return [line for line in text.splitlines() if (m := pattern.search(line)) and m.group(1) == user]

    process = subprocess.Popen(
        [str(TB_DIR / "thunderbird"), "--headless", "--profile", str(profile), "--no-remote"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=home,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and process.poll() is None and not logins(read()):
            time.sleep(0.25)
    finally:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            if process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(wait)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(home, ignore_errors=True)
    time.sleep(0.3)
    text = read()
    return logins(text), text


# --- the test --------------------------------------------------------------------------------------------------


def broken_prefs(ports: dict[str, int]) -> str:
    """An account for the address as an old settings page would have made it: the server's IP as host name,
    no encryption, encrypted-password authentication, the short username, sending without authentication."""
    prefs = {
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.accountmanager.localfoldersserver": "server2",
        "mail.account.lastKey": 2,
        "mail.account.account1.server": "server1",
        "mail.account.account1.identities": "id1",
        "mail.account.account2.server": "server2",
        "mail.server.server1.type": "imap",
        "mail.server.server1.hostname": "127.0.0.1",
        "mail.server.server1.port": ports["imap"],
        "mail.server.server1.socketType": 0,
        "mail.server.server1.authMethod": 4,
        "mail.server.server1.userName": "jane.doe",
        "mail.server.server1.name": "Jane's work mail",
        "mail.server.server1.login_at_startup": True,
        "mail.server.server1.check_new_mail": True,
        "mail.server.server1.directory-rel": "[ProfD]ImapMail/127.0.0.1",
        "mail.server.server2.type": "none",
        "mail.server.server2.hostname": "Local Folders",
        "mail.server.server2.userName": "nobody",
        "mail.server.server2.name": "Local Folders",
        "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
        "mail.identity.id1.useremail": ADDRESS,
        "mail.identity.id1.fullName": "Jane Doe",
        "mail.identity.id1.valid": True,
        "mail.identity.id1.smtpServer": "smtp1",
        "mail.identity.id1.fcc_folder": "imap://jane.doe@127.0.0.1/Sent",
        "mail.identity.id1.htmlSigText": "Jane Doe, Treasurer",
        "mail.smtpservers": "smtp1",
        "mail.smtp.defaultserver": "smtp1",
        "mail.smtpserver.smtp1.type": "smtp",
        "mail.smtpserver.smtp1.hostname": "127.0.0.1",
        "mail.smtpserver.smtp1.port": ports["submission"],
        "mail.smtpserver.smtp1.try_ssl": 0,
        "mail.smtpserver.smtp1.authMethod": 1,
    }
    return "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())


def _files(profile: Path) -> dict[str, bytes]:
    """Every file a repair must leave alone (prefs.js and the backups aside; Thunderbird's own caches too)."""
    skip = ("prefs.js", ".bak", "user.js")
    out = {}
    for path in sorted(profile.rglob("*")):
        rel = str(path.relative_to(profile))
        if path.is_file() and not rel.endswith(skip) and "cache" not in rel.lower():
            out[rel] = path.read_bytes()
    return out


def _values(prefs: PrefsFile) -> dict[str, Any]:
    return {name: prefs.get(name) for name in prefs.names()}


@pytest.mark.servers
def test_real_thunderbird_logs_in_only_after_the_repair(mail_servers: Any, tmp_path: Path, monkeypatch: Any) -> None:
    reason = _missing()
    if reason:
        skip_or_fail(reason)
    ports, password = mail_servers.ports, mail_servers.users[ADDRESS]
    log_path = mail_servers.server.workdir / "log" / "dovecot.log"
    profile = tmp_path / "tb.default-release"
    (profile / "ImapMail" / "127.0.0.1").mkdir(parents=True)
    (profile / "ImapMail" / "127.0.0.1" / "Archive").write_bytes(b"From - Mon\nSubject: local mail\n\nkept\n")
    (profile / "prefs.js").write_text(broken_prefs(ports), encoding="utf-8")
    trust_ca(profile, mail_servers.ca_path)
    # The right password is saved for both the old and the corrected server, so only the settings differ.
    save_logins(
        profile,
        [("imap://127.0.0.1", "jane.doe", password), (f"imap://{mail_servers.server.host}", ADDRESS, password)],
    )

    logged_in, log = run_thunderbird(profile, log_path, ADDRESS, seconds=30)
    assert not logged_in, log
    assert "imap-login:" in log, "Thunderbird never reached the server, so the failure proves nothing:\n" + log

    before = PrefsFile((profile / "prefs.js").read_bytes())  # as Thunderbird saved it on quitting
    files_before = _files(profile)
    args = ["repair", ADDRESS, "--thunderbird-profile", str(profile), "--provider", str(mail_servers.provider_path)]
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr("sys.stdin", no_terminal)
        assert cli.main([*args, "--yes", "--json"]) == 0

    after = PrefsFile((profile / "prefs.js").read_bytes())
    old, new = _values(before), _values(after)
    changed = {name for name in new if old.get(name) != new[name]}
    assert changed <= {
        "mail.server.server1.hostname",
        "mail.server.server1.socketType",
        "mail.server.server1.authMethod",
        "mail.server.server1.userName",
        "mail.identity.id1.fcc_folder",
        "mail.identity.id1.draft_folder",
        "mail.identity.id1.stationery_folder",
        "mail.identity.id1.archive_folder",
        "mail.server.server1.spamActionTargetAccount",  # Thunderbird's migrateServerUris moves these too
        "mail.server.server1.spamActionTargetFolder",
        "mail.smtpserver.smtp1.hostname",
        "mail.smtpserver.smtp1.try_ssl",
        "mail.smtpserver.smtp1.authMethod",
        "mail.smtpserver.smtp1.username",
    }, changed
    assert set(old) <= set(new)  # nothing removed
    assert new["mail.server.server1.hostname"] == mail_servers.server.host
    assert new["mail.server.server1.socketType"] == 2 and new["mail.server.server1.authMethod"] == 3
    assert _files(profile) == files_before  # folders, local mail, logins, certificates: untouched

    logged_in, log = run_thunderbird(profile, log_path, ADDRESS, seconds=90)
    assert logged_in, log
    assert all("TLS" in line for line in logged_in), logged_in
    final = PrefsFile((profile / "prefs.js").read_bytes())
    assert final.get_str("mail.account.account1.server") == "server1"  # the same account key logged in
    assert final.get_str("mail.server.server1.hostname") == mail_servers.server.host
    assert (profile / "ImapMail" / "127.0.0.1" / "Archive").read_bytes().endswith(b"kept\n")
