"""Small misbehaving servers for the fault cases, each on 127.0.0.1 with a port of its own.

Every server records what it received before TLS was up, so a test can prove that no credential
crossed a plain connection.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import socket
import ssl
import struct
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

GREETINGS = {
    "imap": b"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hostile ready\r\n",
    "pop3": b"+OK hostile ready\r\n",
    "smtp": b"220 hostile.test ESMTP\r\n",
}


class HostileServer:
    """Accepts connections and hands each to `behaviour(server, conn)` on its own thread."""

    def __init__(self, behaviour: Callable[[HostileServer, socket.socket], None], *, accept: bool = True) -> None:
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port: int = self.listener.getsockname()[1]
        self.plain_received = bytearray()
        self.tls_received = bytearray()
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread: threading.Thread | None = None
        if accept:
            self._thread = threading.Thread(target=self._serve, daemon=True)
            self._thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(20)
            self.behaviour(self, conn)
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def recv_plain(self, conn: socket.socket) -> bytes:
        data = conn.recv(4096)
        with self._lock:
            self.plain_received += data
        return data

    def recv_line_plain(self, conn: socket.socket) -> bytes:
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                break
            buf += chunk
        with self._lock:
            self.plain_received += buf
        return buf

    def record_tls(self, data: bytes) -> None:
        with self._lock:
            self.tls_received += data

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.close()


def server_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert_file), str(key_file))
    return ctx


# --- behaviours -------------------------------------------------------------------------------------


def silent(server: HostileServer, conn: socket.socket) -> None:
    """Accepts and never says a word (a half-open firewall, a tarpit)."""
    server._stop.wait(20)


def stalled_handshake(protocol: str, *, starttls: bool) -> Callable[[HostileServer, socket.socket], None]:
    """Accepts (and with STARTTLS says yes to it), reads the client's TLS hello and never answers it."""

    def run(server: HostileServer, conn: socket.socket) -> None:
        if starttls and not _plain_dialog(server, conn, protocol, offer_starttls=True, accept_starttls=True):
            return
        hello = conn.recv(4096)
        server.record_tls(hello)  # the ClientHello, so a test can see the handshake really began
        server._stop.wait(20)

    return run


def reset(server: HostileServer, conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def garbage(server: HostileServer, conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    server._stop.wait(2)


def plain_greeting_on_ssl_port(protocol: str) -> Callable[[HostileServer, socket.socket], None]:
    """A server that speaks in the clear where TLS is expected from the first byte."""

    def run(server: HostileServer, conn: socket.socket) -> None:
        conn.sendall(GREETINGS[protocol])
        while server.recv_plain(conn):
            pass

    return run


def _plain_dialog(
    server: HostileServer, conn: socket.socket, protocol: str, *, offer_starttls: bool, accept_starttls: bool
) -> bool:
    """Speaks the protocol in the clear; returns True when the client asked for STARTTLS and got it."""
    if protocol == "imap":
        greeting = GREETINGS["imap"] if offer_starttls else b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"
        conn.sendall(greeting)
    else:
        conn.sendall(GREETINGS[protocol])
    while True:
        line = server.recv_line_plain(conn)
        if not line:
            return False
        words = line.strip().split(b" ")
        if protocol == "imap":
            tag = words[0]
            cmd = words[1].upper() if len(words) > 1 else b""
            if cmd == b"CAPABILITY":
                caps = b"IMAP4rev1 AUTH=PLAIN" + (b" STARTTLS" if offer_starttls else b"")
                conn.sendall(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
            elif cmd == b"STARTTLS":
                if accept_starttls:
                    conn.sendall(tag + b" OK begin TLS\r\n")
                    return True
                conn.sendall(tag + b" NO not now\r\n")
            elif cmd == b"LOGOUT":
                conn.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
                return False
            else:
                conn.sendall(tag + b" OK whatever you say\r\n")
        elif protocol == "pop3":
            cmd = words[0].upper()
            if cmd == b"CAPA":
                conn.sendall(b"+OK\r\nUSER\r\n" + (b"STLS\r\n" if offer_starttls else b"") + b".\r\n")
            elif cmd == b"STLS":
                if accept_starttls:
                    conn.sendall(b"+OK begin TLS\r\n")
                    return True
                conn.sendall(b"-ERR not now\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"+OK bye\r\n")
                return False
            else:
                conn.sendall(b"+OK\r\n")
        else:
            cmd = words[0].upper()
            if cmd in (b"EHLO", b"HELO"):
                conn.sendall(
                    b"250-hostile.test\r\n250-AUTH PLAIN LOGIN\r\n"
                    + (b"250-STARTTLS\r\n" if offer_starttls else b"")
                    + b"250 8BITMIME\r\n"
                )
            elif cmd == b"STARTTLS":
                if accept_starttls:
                    conn.sendall(b"220 go ahead\r\n")
                    return True
                conn.sendall(b"454 TLS not available\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return False
            elif cmd == b"AUTH":
                conn.sendall(b"235 welcome, whoever you are\r\n")
            else:
                conn.sendall(b"250 ok\r\n")


ECHO_MARKER = "ECHO-MARKER"


def mangled_echoes(password: str) -> list[str]:
    """The forms in which a careless server echoes a password: cut short, upper-cased, escaped."""
    return [
        password[: max(4, len(password) // 2)],
        password.upper(),
        urllib.parse.quote(password, safe=""),
        json.dumps(password)[1:-1],
        password.replace("\\", "\\\\").replace('"', '\\"'),
    ]


def _password_in(command: bytes) -> str:
    """The password in a PLAIN token, a PASS command or a LOGIN command, as the server sees it."""
    words = command.strip().split(b" ")
    if words[0].upper() == b"PASS":
        return command.strip()[5:].decode("utf-8", "replace")
    token = words[-1]
    with contextlib.suppress(ValueError):
        return base64.b64decode(token, validate=True).split(b"\0")[-1].decode("utf-8", "replace")
    return token.decode("utf-8", "replace")


def _mangled_reply(command: bytes) -> bytes:
    return (ECHO_MARKER + " " + " ".join(mangled_echoes(_password_in(command)))).encode("utf-8")


def _tls_dialog(
    server: HostileServer, tls: ssl.SSLSocket, protocol: str, echo_reject: bool = False, mangle: bool = False
) -> None:
    """After TLS: a server that accepts any login (and records what it got), or with echo_reject refuses
    it and echoes the whole command back, password included, as some broken servers do; with mangle it
    echoes the password cut short, upper-cased and escaped instead."""

    def readline() -> bytes:
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = tls.recv(1)
            if not chunk:
                break
            buf += chunk
        server.record_tls(buf)
        return buf

    while True:
        line = readline()
        if not line:
            return
        words = line.strip().split(b" ")
        if protocol == "imap":
            tag, cmd = words[0], (words[1].upper() if len(words) > 1 else b"")
            if cmd == b"CAPABILITY":
                tls.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n" + tag + b" OK done\r\n")
            elif cmd == b"LOGOUT":
                tls.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
                return
            elif echo_reject and cmd in (b"AUTHENTICATE", b"LOGIN"):
                tls.sendall(tag + b" NO [AUTHENTICATIONFAILED] you sent: " + line.strip() + b"\r\n")
            elif mangle and cmd in (b"AUTHENTICATE", b"LOGIN"):
                tls.sendall(tag + b" NO [AUTHENTICATIONFAILED] " + _mangled_reply(line) + b"\r\n")
            else:
                tls.sendall(tag + b" OK fine\r\n")
        elif protocol == "pop3":
            cmd = words[0].upper()
            if cmd == b"CAPA":
                tls.sendall(b"+OK\r\nUSER\r\n.\r\n")
            elif cmd == b"QUIT":
                tls.sendall(b"+OK bye\r\n")
                return
            elif mangle and cmd in (b"PASS", b"AUTH"):
                tls.sendall(b"-ERR [AUTH] " + _mangled_reply(line) + b"\r\n")
            else:
                tls.sendall(b"+OK\r\n")
        else:
            cmd = words[0].upper()
            if cmd == b"EHLO":
                tls.sendall(b"250-hostile.test\r\n250 AUTH PLAIN LOGIN\r\n")
            elif cmd == b"AUTH" and mangle:
                tls.sendall(b"535 5.7.8 " + _mangled_reply(line) + b"\r\n")
            elif cmd == b"AUTH":
                tls.sendall(b"535 5.7.8 you sent: " + line.strip() + b"\r\n" if echo_reject else b"235 ok\r\n")
            elif cmd == b"QUIT":
                tls.sendall(b"221 bye\r\n")
                return
            else:
                tls.sendall(b"250 ok\r\n")


def starttls_server(
    protocol: str, context: ssl.SSLContext | None, *, offer: bool = True, accept: bool = True
) -> Callable[[HostileServer, socket.socket], None]:
    """STARTTLS dialog; with context None the server 'accepts' STARTTLS and then keeps talking in the clear."""

    def run(server: HostileServer, conn: socket.socket) -> None:
        if not _plain_dialog(server, conn, protocol, offer_starttls=offer, accept_starttls=accept):
            return
        if context is None:
            # A stripping attacker: pretends TLS started, keeps reading in the clear.
            conn.sendall(GREETINGS[protocol])
            while server.recv_plain(conn):
                pass
            return
        with context.wrap_socket(conn, server_side=True) as tls:
            _tls_dialog(server, tls, protocol)

    return run


def ssl_server(
    protocol: str, context: ssl.SSLContext, *, echo_reject: bool = False, mangle: bool = False
) -> Callable[[HostileServer, socket.socket], None]:
    def run(server: HostileServer, conn: socket.socket) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(GREETINGS[protocol])
            _tls_dialog(server, tls, protocol, echo_reject, mangle)

    return run


def delayed(
    behaviour: Callable[[HostileServer, socket.socket], None],
    delay: float,
) -> Callable[[HostileServer, socket.socket], None]:
    """A behaviour that starts only after `delay` seconds (for the parallelism tests)."""

    def run(server: HostileServer, conn: socket.socket) -> None:
        if server._stop.wait(delay):
            return
        behaviour(server, conn)

    return run


# --- certificates meant for something else ----------------------------------------------------------


class PurposeChains:
    """A private root and, under it, chains whose signatures are all good but whose certificates are not meant
    for a mail server: each one a mail program refuses, and so must the assistant, before any login.

    trustme issues only well-formed server certificates, so these are built with cryptography directly.
    """

    CASES = (
        "client_auth_only",  # leaf's extended key usage: clientAuth only
        "code_signing_only",  # leaf's extended key usage: codeSigning only
        "ca_as_leaf",  # a CA certificate (basicConstraints CA:true) presented as the server's
        "intermediate_without_cert_sign",  # an intermediate whose key usage lacks keyCertSign
        "intermediate_not_a_ca",  # an intermediate with basicConstraints CA:false
        "path_length_exceeded",  # an intermediate with pathLen 0 that has another CA below it
    )

    def __init__(self, directory: Path) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        self.dir = directory
        now = dt.datetime.now(dt.UTC)
        names = x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        )

        def usage(*, sign: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
            return x509.KeyUsage(sign, False, False, False, False, cert_sign, cert_sign, False, False)

        def make(
            cn: str,
            issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
            *,
            ca: bool,
            key_usage: x509.KeyUsage,
            eku: list[x509.ObjectIdentifier] | None = None,
            path_length: int | None = None,
            leaf: bool = False,
        ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
            key = ec.generate_private_key(ec.SECP256R1())
            subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
            issuer_cert, issuer_key = issuer if issuer else (None, key)
            builder = (
                x509.CertificateBuilder()
                .subject_name(subject)
                .issuer_name(issuer_cert.subject if issuer_cert else subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
                .add_extension(key_usage, critical=True)
            )
            if eku is not None:
                builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
            if leaf:
                builder = builder.add_extension(names, critical=False)
            return builder.sign(issuer_key, hashes.SHA256()), key

        ca_usage = usage(cert_sign=True)
        server_usage = usage(sign=True)
        root = make("Purpose Test Root", None, ca=True, key_usage=ca_usage)
        mid = make("Purpose Test Intermediate", root, ca=True, key_usage=ca_usage)
        no_sign = make("Intermediate Without keyCertSign", root, ca=True, key_usage=usage(sign=True))
        not_ca = make("Intermediate That Is No CA", root, ca=False, key_usage=ca_usage)
        limited = make("Intermediate With pathLen 0", root, ca=True, key_usage=ca_usage, path_length=0)
        below = make("Intermediate Below pathLen 0", limited, ca=True, key_usage=ca_usage)

        def leaf(
            issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey], eku: list[x509.ObjectIdentifier] | None = None
        ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
            return make("localhost", issuer, ca=False, key_usage=server_usage, eku=eku, leaf=True)

        chains = {
            "good": [leaf(mid, eku=[ExtendedKeyUsageOID.SERVER_AUTH]), mid],
            "client_auth_only": [leaf(mid, eku=[ExtendedKeyUsageOID.CLIENT_AUTH]), mid],
            "code_signing_only": [leaf(mid, eku=[ExtendedKeyUsageOID.CODE_SIGNING]), mid],
            "ca_as_leaf": [make("localhost", mid, ca=True, key_usage=ca_usage, leaf=True), mid],
            "intermediate_without_cert_sign": [leaf(no_sign), no_sign],
            "intermediate_not_a_ca": [leaf(not_ca), not_ca],
            "path_length_exceeded": [leaf(below), below, limited],
        }
        self.root_path = directory / "purpose-root.pem"
        self.root_path.write_bytes(root[0].public_bytes(Encoding.PEM))
        self.root_sha256 = hashlib.sha256(root[0].public_bytes(Encoding.DER)).hexdigest()
        self.contexts: dict[str, ssl.SSLContext] = {}
        for case, chain in chains.items():
            cert_file, key_file = directory / f"purpose-{case}.crt", directory / f"purpose-{case}.key"
            cert_file.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c, _k in chain))
            key_file.write_bytes(chain[0][1].private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
            self.contexts[case] = server_context(cert_file, key_file)


# --- a certificate whose names are a terminal escape and markup --------------------------------------

# A terminal clear-screen, a right-to-left override, a C1 escape and a link: what a server may put into its
# certificate's common name and organization.
NASTY_CN = "<b>mail</b>\x1b[2J\u202egro.live\x9b31m"
NASTY_ORG = "<a href='https://evil.example/'>click</a>"


def nasty_names_context(directory: Path) -> ssl.SSLContext:
    """A self-signed certificate for localhost whose subject and issuer carry NASTY_CN and NASTY_ORG."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, NASTY_ORG), x509.NameAttribute(NameOID.COMMON_NAME, NASTY_CN)]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "nasty.crt", directory / "nasty.key"
    cert_file.write_bytes(cert.public_bytes(Encoding.PEM))
    key_file.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return server_context(cert_file, key_file)
