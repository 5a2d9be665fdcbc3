"""A private Dovecot serving IMAP, POP3 and SMTP submission, each with STARTTLS and implicit TLS.

Dovecot's own submission service is a real SMTP submission server (EHLO, STARTTLS, AUTH through
Dovecot's SASL). It needs a relay for outgoing mail, which `SmtpSink` provides on loopback.
The master starts as root and drops privileges to the `mail` user, as it would in production.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from tests.servers.provider_file import provider_toml

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

USERS = {
    "jane.doe@example.org": "correct horse battery staple",
    "bob+test@example.org": 'p"a\\ss wörd',
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def missing_reason() -> str | None:
    if not Path(DOVECOT).exists():
        return "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d dovecot-submissiond)"
    if os.geteuid() != 0:
        return "the Dovecot test server must start as root (it drops to the mail user)"
    for name in ("imap-login", "pop3-login", "submission-login"):
        if not Path("/usr/lib/dovecot", name).exists():
            return f"dovecot's {name} is missing (apt-get install dovecot-imapd dovecot-pop3d dovecot-submissiond)"
    try:
        pwd.getpwnam("dovenull")
        pwd.getpwnam("mail")
    except KeyError:
        return "the dovenull/mail users are missing (install dovecot-core)"
    return None


class SmtpSink:
    """The relay behind Dovecot's submission service: accepts mail on loopback and drops it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        with conn, conn.makefile("rwb") as f:
            try:
                f.write(b"220 sink.test ESMTP\r\n")
                f.flush()
                data_mode = False
                for raw in f:
                    line = raw.rstrip(b"\r\n").upper()
                    if data_mode:
                        if line == b".":
                            data_mode = False
                            f.write(b"250 queued\r\n")
                    elif line.startswith((b"EHLO", b"LHLO")):
                        f.write(b"250-sink.test\r\n250-8BITMIME\r\n250 PIPELINING\r\n")
                    elif line.startswith(b"DATA"):
                        data_mode = True
                        f.write(b"354 go ahead\r\n")
                    elif line.startswith(b"QUIT"):
                        f.write(b"221 bye\r\n")
                        f.flush()
                        return
                    else:
                        f.write(b"250 ok\r\n")
                    f.flush()
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self.server.close()


@dataclass
class DovecotServer:
    ca: trustme.CA
    host: str = "localhost"
    extra_names: tuple[str, ...] = ()  # more names in the certificate (the benchmark's emulated far host)
    ports: dict[str, int] = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sa-dovecot-")))
    process: subprocess.Popen[bytes] | None = None
    sink: SmtpSink | None = None

    def start(self) -> DovecotServer:
        for name in ("imap", "imaps", "pop3", "pop3s", "submission", "submissions"):
            self.ports.setdefault(name, free_port())
        self.sink = SmtpSink()
        root = self.workdir
        os.chmod(root, 0o755)
        mail = pwd.getpwnam("mail")
        cert = self.ca.issue_cert(self.host, *self.extra_names, "127.0.0.1")
        cert.private_key_pem.write_to_path(str(root / "server.key"))
        cert.cert_chain_pems[0].write_to_path(str(root / "server.crt"))
        with open(root / "server.crt", "ab") as fh:
            for pem in cert.cert_chain_pems[1:]:
                fh.write(pem.bytes())
        os.chmod(root / "server.key", 0o600)
        home = root / "home"
        home.mkdir()
        os.chown(home, mail.pw_uid, mail.pw_gid)
        lines = [f"{user}:{{PLAIN}}{pw}:{mail.pw_uid}:{mail.pw_gid}::{home}/{user}\n" for user, pw in USERS.items()]
        (root / "users").write_text("".join(lines), encoding="utf-8")
        (root / "log").mkdir()
        config = f"""
instance_name = sa-test-{os.getpid()}-{id(self)}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log/dovecot.log
info_log_path = {root}/log/dovecot.log
protocols = imap pop3 submission
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/server.crt
ssl_key = <{root}/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_username_chars =
auth_verbose = yes
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = {mail.pw_uid}
mail_privileged_group = mail
default_login_user = dovenull
default_internal_user = dovecot
hostname = {self.host}
submission_relay_host = 127.0.0.1
submission_relay_port = {self.sink.port}
submission_relay_trusted = yes
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.ports["imap"]}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ports["imaps"]}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {self.ports["pop3"]}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {self.ports["pop3s"]}
    ssl = yes
  }}
}}
service submission-login {{
  inet_listener submission {{
    address = 127.0.0.1
    port = {self.ports["submission"]}
  }}
  inet_listener submissions {{
    address = 127.0.0.1
    port = {self.ports["submissions"]}
    ssl = yes
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
        conf = root / "dovecot.conf"
        conf.write_text(config, encoding="utf-8")
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                out = self.process.stdout.read().decode(errors="replace") if self.process.stdout else ""
                raise RuntimeError(f"dovecot exited: {out}\n{self.log()}")
            if all(_port_open(p) for p in self.ports.values()):
                return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not open its ports in time\n{self.log()}")

    def log(self) -> str:
        path = self.workdir / "log" / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.sink is not None:
            self.sink.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def provider_toml(self, ca_path: Path, ca_sha256: str, *, ports: dict[str, int] | None = None) -> str:
        return provider_toml({**self.ports, **(ports or {})}, host=self.host, ca_path=ca_path, ca_sha256=ca_sha256)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
