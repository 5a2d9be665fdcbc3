"""The probe against misbehaving servers: one exact status each, within the timeouts, no credential in clear."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from setup_assistant.core.model import Endpoint, EndpointStatus, LoginStatus, MailProtocol, Security
from setup_assistant.core.probing.probe import check_login, probe_endpoint, probe_provider
from setup_assistant.core.provider import PinnedRoot, Provider, load_provider
from tests.servers import hostile
from tests.servers.hostile import HostileServer
from tests.servers.provider_file import provider_toml, write_ca

PASSWORD = "s3cret-Pa55word-never-in-clear"
USER = "jane.doe@example.org"


class Certs:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.ca = trustme.CA(organization_name="Hostile Test Provider CA")
        self.ca_path = directory / "ca.pem"
        self.ca_sha = write_ca(self.ca, self.ca_path)
        now = dt.datetime.now(dt.UTC)
        self.good = self._context("good", self.ca.issue_cert("localhost", "127.0.0.1"))
        self.expired = self._context(
            "expired",
            self.ca.issue_cert(
                "localhost", not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=2)
            ),
        )
        self.wrong_host = self._context("wrong", self.ca.issue_cert("wrong.example"))
        self.unknown_ca = self._context("unknown", trustme.CA(organization_name="Evil CA").issue_cert("localhost"))

    def _context(self, name: str, leaf: trustme.LeafCert) -> object:
        cert = self.dir / f"{name}.crt"
        key = self.dir / f"{name}.key"
        cert.write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        return hostile.server_context(cert, key)

    def provider(self, ports: dict[str, int], path: Path | None = None) -> Provider:
        text = provider_toml(ports, ca_path=self.ca_path, ca_sha256=self.ca_sha, provider_id="hostile", name="Hostile")
        path = path or self.dir / "provider.toml"
        path.write_text(text, encoding="utf-8")
        return load_provider(path)

    @property
    def pinned(self) -> PinnedRoot:
        root = self.provider({}, self.dir / "pinned.toml").root
        assert root is not None
        return root


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return Certs(tmp_path_factory.mktemp("hostile-certs"))


@pytest.fixture
def serve() -> Iterator[Callable[..., HostileServer]]:
    servers: list[HostileServer] = []

    def start(behaviour: Callable[..., None], **kw: bool) -> HostileServer:
        server = HostileServer(behaviour, **kw)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _probe(server: HostileServer, protocol: str, security: str, certs: Certs, timeout: float = 2.0):
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security(security))
    return probe_endpoint(endpoint, certs.pinned, timeout=timeout)


PROTOCOLS = ["imap", "pop3", "smtp"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_good_servers_are_ok_in_both_securities(protocol, certs, serve) -> None:
    for security, behaviour in (
        ("starttls", hostile.starttls_server(protocol, certs.good)),
        ("ssl", hostile.ssl_server(protocol, certs.good)),
    ):
        result = _probe(serve(behaviour), protocol, security, certs)
        assert result.status is EndpointStatus.OK, result.detail
        assert result.certificate is not None
        assert result.certificate.trusted_by.provider_root is True
        assert result.certificate.trusted_by.mozilla is False


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_silent_server_times_out_within_the_timeout(protocol, security, certs, serve) -> None:
    started = time.monotonic()
    result = _probe(serve(hostile.silent), protocol, security, certs, timeout=0.8)
    assert result.status is EndpointStatus.TIMEOUT
    assert time.monotonic() - started < 2.0
    if security == "starttls":
        assert "did not answer" in result.detail
    else:  # the connection was accepted and the TLS hello sent: whoever stalls, the port is not blocked
        assert "did not complete the encryption handshake" in result.detail


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_stalled_tls_handshake_is_not_called_a_firewall(protocol, security, certs, serve) -> None:
    server = serve(hostile.stalled_handshake(protocol, starttls=security == "starttls"))
    started = time.monotonic()
    result = _probe(server, protocol, security, certs, timeout=0.8)
    assert time.monotonic() - started < 2.0
    assert result.status is EndpointStatus.TIMEOUT
    assert result.detail == (
        "the server accepted the connection but did not complete the encryption handshake (TLS) in time"
    )
    assert bytes(server.tls_received)[:1] == b"\x16"  # a TLS handshake record: the hello went out
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security(security))
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=0.8)
    assert login.status is LoginStatus.ERROR and "encryption handshake" in login.detail
    assert PASSWORD.encode() not in bytes(server.plain_received) + bytes(server.tls_received)


def test_a_port_that_never_accepts_is_a_timeout(certs, serve) -> None:
    server = serve(hostile.silent, accept=False)
    result = _probe(server, "imap", "starttls", certs, timeout=0.8)
    assert result.status is EndpointStatus.TIMEOUT


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_reset_is_reset(security, certs, serve) -> None:
    result = _probe(serve(hostile.reset), "imap", security, certs)
    assert result.status in (EndpointStatus.RESET, EndpointStatus.TLS_ERROR)
    if security == "starttls":
        assert result.status is EndpointStatus.RESET


def test_closed_port_is_refused(certs) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = Endpoint(MailProtocol.IMAP, "127.0.0.1", port, Security.STARTTLS)
    result = probe_endpoint(endpoint, certs.pinned, timeout=2)
    assert result.status is EndpointStatus.REFUSED
    assert str(port) in result.detail


def test_unresolvable_host_is_a_dns_error(certs) -> None:
    endpoint = Endpoint(MailProtocol.IMAP, "no-such-host.invalid", 143, Security.STARTTLS)
    result = probe_endpoint(endpoint, certs.pinned, timeout=3)
    assert result.status is EndpointStatus.DNS_ERROR
    assert "no-such-host.invalid" in result.detail


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_garbage_greeting_is_bad_greeting(protocol, certs, serve) -> None:
    result = _probe(serve(hostile.garbage), protocol, "starttls", certs)
    assert result.status is EndpointStatus.BAD_GREETING
    assert "HTTP/1.1 400" in result.detail


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_plaintext_on_the_ssl_port_is_a_tls_error(protocol, certs, serve) -> None:
    result = _probe(serve(hostile.plain_greeting_on_ssl_port(protocol)), protocol, "ssl", certs)
    assert result.status is EndpointStatus.TLS_ERROR


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_missing_starttls_is_no_starttls(protocol, certs, serve) -> None:
    result = _probe(serve(hostile.starttls_server(protocol, certs.good, offer=False)), protocol, "starttls", certs)
    assert result.status is EndpointStatus.NO_STARTTLS


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_refused_starttls_is_no_starttls(protocol, certs, serve) -> None:
    result = _probe(serve(hostile.starttls_server(protocol, certs.good, accept=False)), protocol, "starttls", certs)
    assert result.status is EndpointStatus.NO_STARTTLS


@pytest.mark.parametrize(
    ("which", "status"),
    [
        ("expired", EndpointStatus.EXPIRED_CERTIFICATE),
        ("wrong_host", EndpointStatus.HOSTNAME_MISMATCH),
        ("unknown_ca", EndpointStatus.UNTRUSTED_CERTIFICATE),
    ],
)
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_bad_certificates_get_their_own_status_and_nothing_is_sent(which, status, security, certs, serve) -> None:
    context = getattr(certs, which)
    behaviour = (
        hostile.starttls_server("imap", context) if security == "starttls" else hostile.ssl_server("imap", context)
    )
    server = serve(behaviour)
    result = _probe(server, "imap", security, certs)
    assert result.status is status, result.detail
    assert result.certificate is not None  # the facts of a bad certificate are still shown
    assert len(result.certificate.sha256) == 95
    # A login attempt on such a server never gets as far as sending anything over TLS.
    endpoint = Endpoint(MailProtocol.IMAP, "localhost", server.port, Security(security))
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=2)
    assert login.status is LoginStatus.ERROR
    time.sleep(0.1)
    assert bytes(server.tls_received) == b""
    assert PASSWORD.encode() not in bytes(server.plain_received)


@pytest.fixture(scope="module")
def purpose(tmp_path_factory: pytest.TempPathFactory) -> hostile.PurposeChains:
    return hostile.PurposeChains(tmp_path_factory.mktemp("purpose-certs"))


def _purpose_pin(purpose: hostile.PurposeChains) -> PinnedRoot:
    path = purpose.dir / "purpose.toml"
    path.write_text(
        provider_toml({}, ca_path=purpose.root_path, ca_sha256=purpose.root_sha256, provider_id="purpose"),
        encoding="utf-8",
    )
    root = load_provider(path).root
    assert root is not None
    return root


@pytest.mark.parametrize("security", ["starttls", "ssl"])
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_chain_fit_for_a_server_under_the_purpose_root_works(protocol, security, purpose, serve) -> None:
    """The control for the cases below: the same root and intermediate, a serverAuth leaf, logs in."""
    context = purpose.contexts["good"]
    behaviour = (
        hostile.starttls_server(protocol, context) if security == "starttls" else hostile.ssl_server(protocol, context)
    )
    endpoint = Endpoint(MailProtocol(protocol), "localhost", serve(behaviour).port, Security(security))
    pinned = _purpose_pin(purpose)
    result = probe_endpoint(endpoint, pinned, timeout=3)
    assert result.status is EndpointStatus.OK, result.detail
    assert check_login(endpoint, USER, PASSWORD, pinned, timeout=3).status is LoginStatus.OK


@pytest.mark.parametrize("security", ["starttls", "ssl"])
@pytest.mark.parametrize("case", hostile.PurposeChains.CASES)
def test_a_certificate_meant_for_something_else_gets_no_password(case, security, purpose, serve) -> None:
    """Trusted signatures, wrong purpose: untrusted-certificate with the reason, and no login attempted."""
    context = purpose.contexts[case]
    for protocol in PROTOCOLS:
        behaviour = (
            hostile.starttls_server(protocol, context)
            if security == "starttls"
            else hostile.ssl_server(protocol, context)
        )
        server = serve(behaviour)
        endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security(security))
        pinned = _purpose_pin(purpose)
        result = probe_endpoint(endpoint, pinned, timeout=3)
        assert result.status is EndpointStatus.UNTRUSTED_CERTIFICATE, (protocol, result.detail)
        assert result.detail.startswith("this certificate is not meant for a mail server: "), result.detail
        assert result.certificate is not None and not result.certificate.trusted_by.provider_root
        login = check_login(endpoint, USER, PASSWORD, pinned, timeout=3)
        assert login.status is LoginStatus.ERROR and "not attempted" in login.detail, login.detail
        time.sleep(0.05)
        assert bytes(server.tls_received) == b"", protocol  # not a single command inside TLS, let alone AUTH
        assert PASSWORD.encode() not in bytes(server.plain_received)
        assert USER.encode() not in bytes(server.plain_received)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_starttls_stripping_never_gets_the_password(protocol, certs, serve) -> None:
    """A server that says yes to STARTTLS but keeps talking in the clear gets a TLS error, not a password."""
    server = serve(hostile.starttls_server(protocol, None))
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security.STARTTLS)
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=2)
    assert login.status is LoginStatus.ERROR
    assert PASSWORD.encode() not in bytes(server.plain_received)
    assert USER.encode() not in bytes(server.plain_received)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_no_starttls_server_never_gets_the_password(protocol, certs, serve) -> None:
    server = serve(hostile.starttls_server(protocol, certs.good, offer=False))
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security.STARTTLS)
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=2)
    assert login.status is LoginStatus.ERROR
    assert PASSWORD.encode() not in bytes(server.plain_received)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_good_login_sends_the_password_only_inside_tls(protocol, security, certs, serve) -> None:
    behaviour = (
        hostile.starttls_server(protocol, certs.good)
        if security == "starttls"
        else hostile.ssl_server(protocol, certs.good)
    )
    server = serve(behaviour)
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security(security))
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=3)
    assert login.status is LoginStatus.OK, login.detail
    time.sleep(0.1)
    plain = bytes(server.plain_received)
    assert PASSWORD.encode() not in plain
    assert b"AUTH" not in plain.upper().replace(b"AUTH=PLAIN", b"")  # no auth command before TLS
    inside = bytes(server.tls_received)
    # The credential went over TLS (in PLAIN/USER-PASS form), never CRAM-MD5 or NTLM.
    assert b"CRAM" not in inside.upper() and b"NTLM" not in inside.upper()
    assert inside  # something was really said inside TLS


def test_cancel_stops_a_probe_within_a_fraction_of_a_second(certs, serve) -> None:
    server = serve(hostile.silent)
    ports = {k: server.port for k in ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")}
    provider = certs.provider(ports, certs.dir / "cancel.toml")
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = probe_provider(provider, timeout=10, cancel=cancel)
    assert time.monotonic() - started < 1.0
    assert result.cancelled
    assert all(r.status is EndpointStatus.CANCELLED for r in result.endpoints)


def test_probe_runs_in_parallel(certs, serve) -> None:
    """Six endpoints that each take 0.6 s finish together in about 0.6 s, not 3.6 s."""
    ports = {}
    for key, protocol, security in (
        ("imap", "imap", "starttls"),
        ("imaps", "imap", "ssl"),
        ("pop3", "pop3", "starttls"),
        ("pop3s", "pop3", "ssl"),
        ("submission", "smtp", "starttls"),
        ("submissions", "smtp", "ssl"),
    ):
        inner = (
            hostile.starttls_server(protocol, certs.good)
            if security == "starttls"
            else hostile.ssl_server(protocol, certs.good)
        )
        ports[key] = serve(hostile.delayed(inner, 0.6)).port
    provider = certs.provider(ports, certs.dir / "parallel.toml")
    seen: list[str] = []
    result = probe_provider(provider, timeout=5, progress=lambda r: seen.append(r.endpoint.describe()))
    assert all(r.ok for r in result.endpoints), [r.detail for r in result.endpoints]
    assert len(seen) == 6  # progress reported once per endpoint as it finished
    assert result.elapsed_ms < 2000


def test_blackholed_preferred_port_costs_the_grace_not_the_timeout(certs, serve) -> None:
    blackhole = serve(hostile.silent)
    ports = {
        "imap": blackhole.port,
        "imaps": serve(hostile.ssl_server("imap", certs.good)).port,
        "pop3": blackhole.port,
        "pop3s": serve(hostile.ssl_server("pop3", certs.good)).port,
        "submission": blackhole.port,
        "submissions": serve(hostile.ssl_server("smtp", certs.good)).port,
    }
    provider = certs.provider(ports, certs.dir / "grace.toml")
    started = time.monotonic()
    result = probe_provider(provider, timeout=8, grace=0.7)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0  # the 0.7 s grace, not the 8 s timeout
    for protocol in MailProtocol:
        rec = result.recommended.get(protocol)
        assert rec is not None and rec.security is Security.SSL
        preferred = result.result_for(provider.preferred(protocol))
        assert preferred is not None and preferred.status is EndpointStatus.TIMEOUT
        assert "grace" in preferred.detail
    assert result.outlook.smtp is not None and result.outlook.smtp.security is Security.SSL


def test_nothing_secure_means_no_recommendation(certs, serve) -> None:
    no_tls = {
        k: serve(hostile.starttls_server(p, certs.good, offer=False)).port
        for k, p in (("imap", "imap"), ("pop3", "pop3"), ("submission", "smtp"))
    }
    plain = {
        k: serve(hostile.plain_greeting_on_ssl_port(p)).port
        for k, p in (("imaps", "imap"), ("pop3s", "pop3"), ("submissions", "smtp"))
    }
    provider = certs.provider({**no_tls, **plain}, certs.dir / "insecure.toml")
    result = probe_provider(provider, timeout=3)
    assert result.recommended.imap is None and result.recommended.smtp is None
    assert not result.secure_setup_exists


@pytest.mark.parametrize("protocol", ["imap", "smtp"])
def test_a_password_echoed_back_by_the_server_is_never_shown(protocol, certs, serve) -> None:
    import base64

    server = serve(hostile.ssl_server(protocol, certs.good, echo_reject=True))
    endpoint = Endpoint(MailProtocol(protocol), "localhost", server.port, Security.SSL)
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=3)
    assert login.status is LoginStatus.REJECTED, login.detail
    assert "you sent" not in login.detail  # the server's text after a login is never kept, only its status
    token = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    assert PASSWORD not in login.detail and token not in login.detail


ECHOED = 'Kx9"Vq\\Zt4<Wm>&ö%Rj'  # quotes, a backslash, markup, non-ASCII: every escaping has work to do


def test_a_password_echoed_cut_short_upper_cased_or_escaped_reaches_no_output(certs, serve, tmp_path, monkeypatch):
    """Only the status of a login reply is kept (NO [AUTHENTICATIONFAILED], -ERR [AUTH], 535 5.7.8), never its
    text: no form of the password a server echoes reaches the results, the JSON or the report."""
    import dns.resolver

    from setup_assistant.core.address import parse_address
    from setup_assistant.core.helpdesk.report import report_from_check
    from setup_assistant.core.probing.account_check import check_account

    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ports = {
        key: serve(hostile.ssl_server(protocol, certs.good, mangle=True)).port
        for key, protocol in (("imaps", "imap"), ("pop3s", "pop3"), ("submissions", "smtp"))
    }
    provider = certs.provider(ports, tmp_path / "echo.toml")
    check = check_account(provider, parse_address(USER), ECHOED, timeout=3, grace=0.5)
    details = {login.endpoint.protocol.value: login.detail for login in check.logins}
    assert [login.status for login in check.logins] == [LoginStatus.REJECTED] * 3, details
    assert details == {
        "imap": "the server rejected the address or password (NO [AUTHENTICATIONFAILED]); check the address and "
        "password; your postmaster can reset a forgotten password",
        "pop3": "the server rejected the address or password (-ERR [AUTH]); check the address and password; "
        "your postmaster can reset a forgotten password",
        "smtp": "the server rejected the address or password (535 5.7.8); check the address and password; "
        "your postmaster can reset a forgotten password",
    }
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = 9  # nothing answers: the DNS part says so quickly
    report = report_from_check(check, resolver=resolver, dns_timeout=0.5)
    outputs = [json.dumps(check.to_json(), ensure_ascii=False), report.json_text(), report.to_html().decode("utf-8")]
    import html

    outputs.append(html.unescape(outputs[-1]))
    forms = [ECHOED, *hostile.mangled_echoes(ECHOED)]
    for text in outputs:
        assert hostile.ECHO_MARKER not in text
        for form in forms:
            assert form not in text and json.dumps(form)[1:-1] not in text, form


def test_an_untagged_line_before_the_continuation_is_not_a_login(certs, serve) -> None:
    """A server without SASL-IR that says '* OK [ALERT]' before '+' must not turn a refusal into 'ok'."""

    def run(server: HostileServer, conn) -> None:
        with certs.good.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
            buf = b""
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    return
                buf += chunk
                while b"\n" in buf:
                    line, _, buf = buf.partition(b"\n")
                    words = line.strip().split(b" ")
                    if len(words) > 1 and words[1].upper() == b"CAPABILITY":
                        tls.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + words[0] + b" OK done\r\n")
                    elif len(words) > 1 and words[1].upper() == b"AUTHENTICATE":
                        tag = words[0]
                        tls.sendall(b"* OK [ALERT] System maintenance tonight\r\n+ \r\n")
                    elif len(words) == 1 and words[0]:  # the base64 token
                        tls.sendall(tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
                    else:
                        tls.sendall(words[0] + b" OK\r\n")

    server = serve(run)
    endpoint = Endpoint(MailProtocol.IMAP, "localhost", server.port, Security.SSL)
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=3)
    assert login.status is LoginStatus.REJECTED, login.detail


def test_an_endless_reply_is_a_bad_greeting_not_a_firewall(certs, serve) -> None:
    def flood(server: HostileServer, conn) -> None:
        conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] flood\r\n")
        conn.recv(100)
        try:
            while True:
                conn.sendall(b"* X\r\n" * 1000)
        except OSError:
            return

    result = _probe(serve(flood), "imap", "starttls", certs, timeout=5)
    assert result.status is EndpointStatus.BAD_GREETING
    assert "endless" in result.detail


def test_a_server_that_goes_quiet_mid_dialog_is_not_called_a_firewall(certs, serve) -> None:
    def quiet(server: HostileServer, conn) -> None:
        conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hello\r\n")
        server._stop.wait(10)

    result = _probe(serve(quiet), "imap", "starttls", certs, timeout=0.8)
    assert result.status is EndpointStatus.TIMEOUT
    assert "stopped answering" in result.detail and "firewall" not in result.detail


def test_a_dns_lookup_that_never_returns_is_a_dns_error_not_a_timeout(certs, monkeypatch) -> None:
    import socket

    def hung(*args, **kwargs):
        time.sleep(5)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hung)
    endpoint = Endpoint(MailProtocol.IMAP, "mail.example.org", 143, Security.STARTTLS)
    started = time.monotonic()
    result = probe_endpoint(endpoint, certs.pinned, timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert result.status is EndpointStatus.DNS_ERROR
    assert "mail.example.org" in result.detail and "DNS" in result.detail


def test_an_unreadable_reply_to_a_login_is_not_quoted(certs, serve) -> None:
    """A reply that is not SMTP at all, sent right after the credential, is not shown either: it may be an echo."""

    def run(server: HostileServer, conn) -> None:
        with certs.good.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(b"220 hostile.test ESMTP\r\n")
            while line := tls.recv(4096):
                if line.upper().startswith(b"EHLO"):
                    tls.sendall(b"250-hostile.test\r\n250 AUTH PLAIN\r\n")
                elif line.upper().startswith(b"AUTH"):
                    tls.sendall(b"OOPS " + line.strip().upper() + b" " + PASSWORD[:9].encode() + b"\r\n")
                    return

    endpoint = Endpoint(MailProtocol.SMTP, "localhost", serve(run).port, Security.SSL)
    login = check_login(endpoint, USER, PASSWORD, certs.pinned, timeout=3)
    assert login.status is LoginStatus.ERROR
    assert login.detail == "the login did not complete: the server's reply could not be understood while logging in"
