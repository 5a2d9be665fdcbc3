"""The probe in Spanish (issue 16): every detail a person reads, from real failing servers, is Spanish in the
table, the progress lines and the login lines, while the data (JSON, `str()` of a detail) stays the same English.

The servers are real: closed ports on 127.0.0.1, a name that does not resolve, the hostile servers of
tests/servers/hostile.py and the real Dovecot with a wrong password.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from setup_assistant.core.i18n import Message, PluralMessage, human
from setup_assistant.core.model import Endpoint, EndpointStatus, LoginStatus, MailProtocol, Security
from setup_assistant.core.probing.connection import ConnectWatch
from setup_assistant.core.probing.probe import _secret_forms, probe_endpoint, scrub
from tests.cli_runner import run_cli as run
from tests.core.probing.test_probe_hostile import Certs
from tests.english_leaks import english_lines
from tests.servers import hostile
from tests.servers.hostile import HostileServer
from tests.servers.provider_file import provider_toml

USER = "jane.doe@example.org"
PORT_KEYS = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return Certs(tmp_path_factory.mktemp("spanish-certs"))


@pytest.fixture(scope="module")
def purpose(tmp_path_factory: pytest.TempPathFactory) -> hostile.PurposeChains:
    return hostile.PurposeChains(tmp_path_factory.mktemp("spanish-purpose"))


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


def _without_timings(text: str) -> str:
    """The JSON without what differs between two runs anyway: timings, and when a resetting server's reset came
    (during the connect or while waiting for its greeting: the same status, a different English sentence)."""
    text = re.sub(r'"elapsed_ms": \d+', '"elapsed_ms": 0', text)
    return re.sub(r'"status": "reset",(\s*)"detail": "[^"]*"', r'"status": "reset",\1"detail": "…"', text)


def probe_both_ways(
    provider: Path, capsys: Any, monkeypatch: Any, *extra: str, stdin: str = ""
) -> tuple[str, str, dict[str, Any]]:
    """`probe` in Spanish (table and progress lines), and --json in English and Spanish, which must be the same.

    Returns the Spanish output, its progress lines and the parsed JSON."""
    argv = ["probe", USER, "--provider", str(provider), "--timeout", "1.5", "--grace", "0.5", *extra]
    code, out, err = run(["--lang", "es", *argv], capsys, monkeypatch, stdin)
    assert code == 1, out + err
    code_en, json_en, _ = run(["--lang", "en", *argv, "--json"], capsys, monkeypatch, stdin)
    code_es, json_es, _ = run(["--lang", "es", *argv, "--json"], capsys, monkeypatch, stdin)
    assert code_en == code_es == 1
    assert _without_timings(json_en) == _without_timings(json_es)  # data never changes with the language
    return out, err, json.loads(json_en)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _table_row(out: str, port: int, security: str, protocol: str = r"\w+") -> str:
    """The table's row for one port: "  IMAP  1234  STARTTLS  conexión rechazada  3  el servidor …"."""
    pattern = rf"\s+{protocol}\s+{port}\s+{re.escape(security)}\s"
    rows = [line for line in out.splitlines() if re.match(pattern, line)]
    assert len(rows) == 1, (port, security, out)
    return rows[0]


def test_refused_ports_read_in_spanish_and_the_json_stays_english(tmp_path: Path, capsys, monkeypatch) -> None:
    port = _closed_port()
    provider = tmp_path / "closed.toml"
    provider.write_text(provider_toml(dict.fromkeys(PORT_KEYS, port), host="127.0.0.1"), encoding="utf-8")
    out, err, data = probe_both_ways(provider, capsys, monkeypatch)
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    row = _table_row(out, port, "STARTTLS", "IMAP")
    assert re.search(r"STARTTLS\s+conexión rechazada\s+\d+\s", row), row  # Spanish words, not the code "refused"
    assert f"el servidor rechazó la conexión en el puerto {port}" in out
    assert f"  … IMAP 127.0.0.1:{port} (STARTTLS): conexión rechazada" in err.splitlines()
    assert "estado" in out and "refused" not in out + err
    assert {e["status"] for e in data["endpoints"]} == {"refused"}
    assert data["endpoints"][0]["detail"] == f"the server refused the connection on port {port}"


def test_english_output_keeps_the_status_codes(tmp_path: Path, capsys, monkeypatch) -> None:
    port = _closed_port()
    provider = tmp_path / "closed.toml"
    provider.write_text(provider_toml(dict.fromkeys(PORT_KEYS, port), host="127.0.0.1"), encoding="utf-8")
    code, out, err = run(["probe", USER, "--provider", str(provider), "--lang", "en"], capsys, monkeypatch)
    assert code == 1
    assert _table_row(out, port, "SSL/TLS", "SMTP").split()[3] == "refused"
    assert f"  … SMTP 127.0.0.1:{port} (SSL/TLS): refused" in err.splitlines()
    assert f"the server refused the connection on port {port}" in out


def test_a_name_that_does_not_resolve_reads_in_spanish(tmp_path: Path, capsys, monkeypatch) -> None:
    provider = tmp_path / "nowhere.toml"
    provider.write_text(provider_toml({}, host="no-such-host.invalid"), encoding="utf-8")
    out, err, data = probe_both_ways(provider, capsys, monkeypatch)
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    assert {e["status"] for e in data["endpoints"]} == {"dns-error"}
    assert "  … IMAP no-such-host.invalid:1 (STARTTLS): error de DNS" in err.splitlines()
    english = data["endpoints"][0]["detail"]
    spanish = {  # the resolver either says the name is unknown, or (no DNS server here) does not answer
        "the name no-such-host.invalid does not resolve (Name or service not known)": (
            "no se encontró el nombre no-such-host.invalid (nombre o servicio desconocido)"
        ),
        "the name no-such-host.invalid could not be looked up (DNS did not answer)": (
            "no se pudo buscar el nombre no-such-host.invalid (el DNS no respondió)"
        ),
        "the name no-such-host.invalid could not be looked up in time (no DNS server answered)": (
            "no se pudo buscar el nombre no-such-host.invalid a tiempo (ningún servidor DNS respondió)"
        ),
    }
    if english in spanish:
        assert spanish[english] in out
    else:  # another resolver's words: still the Spanish sentence around them
        assert "no se encontró el nombre no-such-host.invalid (" in out, english
    assert "No se pudo llegar a ninguno de los servidores de Test Mail" in out


def test_hostile_servers_read_in_spanish(certs: Certs, serve, tmp_path: Path, capsys, monkeypatch) -> None:
    """No STARTTLS, an expired, an untrusted and a wrong-host certificate, garbage and a reset: every detail and
    status in Spanish, the JSON the same in both languages."""
    ports = {
        "imap": serve(hostile.starttls_server("imap", certs.good, offer=False)).port,
        "imaps": serve(hostile.ssl_server("imap", certs.expired)).port,
        "pop3": serve(hostile.garbage).port,
        "pop3s": serve(hostile.ssl_server("pop3", certs.unknown_ca)).port,
        "submission": serve(hostile.reset).port,
        "submissions": serve(hostile.ssl_server("smtp", certs.wrong_host)).port,
    }
    provider = tmp_path / "hostile.toml"
    provider.write_text(
        provider_toml(ports, ca_path=certs.ca_path, ca_sha256=certs.ca_sha, name="Hostile"), encoding="utf-8"
    )
    out, err, data = probe_both_ways(provider, capsys, monkeypatch)
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    statuses = {(e["protocol"], e["security"]): e["status"] for e in data["endpoints"]}
    assert statuses == {
        ("imap", "starttls"): "no-starttls",
        ("imap", "ssl"): "expired-certificate",
        ("pop3", "starttls"): "bad-greeting",
        ("pop3", "ssl"): "untrusted-certificate",
        ("smtp", "starttls"): "reset",
        ("smtp", "ssl"): "hostname-mismatch",
    }
    no_starttls = _table_row(out, ports["imap"], "STARTTLS")
    assert no_starttls.split()[3:5] == ["sin", "STARTTLS"]
    assert no_starttls.endswith(
        f"el servidor del puerto {ports['imap']} no ofrece STARTTLS, así que no se puede usar de forma segura"
    )
    assert "  certificado vencido  " in _table_row(out, ports["imaps"], "SSL/TLS")
    assert "el certificado del servidor venció el " in out
    assert "esto no parece un servidor POP3 (respondió: 'HTTP/1.1 400 Bad Request')" in out
    assert "el certificado no es de confianza: lo emitió '" in out
    # The resetting server's reset may come during the connect or while the greeting is awaited: either, in Spanish.
    assert any(
        said in out
        for said in (
            "el servidor cerró la conexión mientras se esperaba el saludo SMTP",
            "el servidor cortó la conexión mientras se esperaba el saludo SMTP",
            f"la conexión con el puerto {ports['submission']} se cortó",
        )
    ), out
    assert "el certificado es para wrong.example, no para localhost" in out
    assert "  … IMAP localhost:{} (STARTTLS): sin STARTTLS".format(ports["imap"]) in err.splitlines()


def test_certificates_meant_for_something_else_read_in_spanish(
    purpose: hostile.PurposeChains, serve, tmp_path: Path, capsys, monkeypatch
) -> None:
    """The six chains a mail program refuses for their purpose, one on each port, with the plural of the path
    length in Spanish."""
    ports: dict[str, int] = {}
    for key, case in zip(PORT_KEYS, hostile.PurposeChains.CASES, strict=True):
        protocol = {"imap": "imap", "pop3": "pop3", "subm": "smtp"}[key[:4]]
        context = purpose.contexts[case]
        starttls = key in ("imap", "pop3", "submission")
        behaviour = hostile.starttls_server(protocol, context) if starttls else hostile.ssl_server(protocol, context)
        ports[key] = serve(behaviour).port
    provider = tmp_path / "purpose.toml"
    provider.write_text(
        provider_toml(ports, ca_path=purpose.root_path, ca_sha256=purpose.root_sha256, name="Purpose"),
        encoding="utf-8",
    )
    out, err, data = probe_both_ways(provider, capsys, monkeypatch)
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    assert {e["status"] for e in data["endpoints"]} == {"untrusted-certificate"}
    assert all(e["detail"].startswith("this certificate is not meant for a mail server: ") for e in data["endpoints"])
    lead = "este certificado no está hecho para un servidor de correo: "
    assert out.count(lead) == 6, out
    assert lead + "solo fue emitido para autenticación de clientes" in out
    assert lead + "solo fue emitido para firma de programas" in out
    assert lead + "es el certificado de una autoridad de certificación, no el de un servidor" in out
    assert (
        lead + "'Intermediate Without keyCertSign' no puede avalar el certificado de un servidor de correo "
        "(el uso de su clave no le permite firmar certificados)"
    ) in out
    assert (
        lead + "'Intermediate That Is No CA' no puede avalar el certificado de un servidor de correo "
        "(no es una autoridad de certificación)"
    ) in out
    assert (
        lead + "'Intermediate With pathLen 0' no puede avalar el certificado de un servidor de correo "
        "(permite 0 certificados intermedios debajo de él, no 1)"
    ) in out
    english = {e["detail"] for e in data["endpoints"]}
    assert (
        "this certificate is not meant for a mail server: 'Intermediate With pathLen 0' may not vouch for a mail "
        "server's certificate (it allows 0 intermediate certificates below it, not 1)"
    ) in english


def test_stalled_handshakes_read_in_spanish(certs: Certs, serve, tmp_path: Path, capsys, monkeypatch) -> None:
    ports = {}
    for key in PORT_KEYS:
        protocol = {"imap": "imap", "pop3": "pop3", "subm": "smtp"}[key[:4]]
        starttls = key in ("imap", "pop3", "submission")
        ports[key] = serve(hostile.stalled_handshake(protocol, starttls=starttls)).port
    provider = tmp_path / "stalled.toml"
    provider.write_text(provider_toml(ports, ca_path=certs.ca_path, ca_sha256=certs.ca_sha), encoding="utf-8")
    out, err, data = probe_both_ways(provider, capsys, monkeypatch)
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    assert {e["status"] for e in data["endpoints"]} == {"timeout"}
    assert out.count("el servidor aceptó la conexión, pero no completó a tiempo la negociación del cifrado (TLS)") == 6
    assert f"  … IMAP localhost:{ports['imaps']} (SSL/TLS): sin respuesta a tiempo" in err.splitlines()


@pytest.mark.servers
def test_a_wrong_password_on_the_real_dovecot_reads_in_spanish(mail_servers, capsys, monkeypatch) -> None:
    wrong = "not-the-Password-7"
    out, err, data = probe_both_ways(
        mail_servers.provider_path, capsys, monkeypatch, "--password-stdin", stdin=wrong + "\n"
    )
    assert english_lines(out) == [] and english_lines(err) == [], out + err
    assert [login["status"] for login in data["logins"]] == ["rejected"] * 3
    imap = mail_servers.ports["imap"]
    assert (
        f"  IMAP {imap} (STARTTLS): no aceptado: el servidor rechazó la dirección o la contraseña "
        "(NO [AUTHENTICATIONFAILED]); revise la dirección y la contraseña; el administrador de correo de su "
        "organización puede restablecer una contraseña olvidada"
    ) in out.splitlines()
    assert data["logins"][0]["detail"] == (
        "the server rejected the address or password (NO [AUTHENTICATIONFAILED]); check the address and password; "
        "your postmaster can reset a forgotten password"
    )
    starttls_row = _table_row(out, imap, "STARTTLS")
    assert re.search(r"STARTTLS\s+funciona\s+\d+\s", starttls_row), starttls_row
    assert starttls_row.endswith(
        "STARTTLS funciona; el certificado es válido (solo con el certificado raíz del proveedor instalado)"
    )
    assert wrong not in out + err + json.dumps(data)


# --- the sentences the CLI cannot easily provoke, from the real code paths ----------------------------------


def _spanish(text: str) -> str:
    i18n.set_language("es")
    try:
        return human(text)
    finally:
        i18n.set_language("en")


def test_a_port_given_up_while_the_other_one_answered_reads_in_spanish(certs: Certs, serve) -> None:
    """The connect limit set from the fallback's round trip, run out (a limit of 0 s: at the first look)."""
    server = serve(hostile.silent)
    watch = ConnectWatch()
    why = Message("while port {port} of the same server answered in {ms} ms", port=993, ms="12")
    watch.set_limit(0.0, why)
    endpoint = Endpoint(MailProtocol.IMAP, "127.0.0.1", server.port, Security.STARTTLS)
    result = probe_endpoint(endpoint, certs.pinned, timeout=2, watch=watch)
    assert result.status is EndpointStatus.TIMEOUT
    assert result.detail == (
        f"port {server.port} did not answer the connection within 0.0 s, while port 993 of the same server "
        "answered in 12 ms; a firewall on this network probably blocks it"
    )
    assert _spanish(result.detail) == (
        f"el puerto {server.port} no respondió a la conexión en 0.0 s, mientras que el puerto 993 del mismo "
        "servidor respondió en 12 ms; probablemente un firewall de esta red lo bloquea"
    )


def test_a_silent_port_after_the_grace_reads_in_spanish(certs: Certs, serve) -> None:
    server = serve(hostile.silent)
    graced = threading.Event()
    graced.set()
    endpoint = Endpoint(MailProtocol.IMAP, "127.0.0.1", server.port, Security.STARTTLS)
    result = probe_endpoint(endpoint, certs.pinned, timeout=0.5, graced=graced)
    assert result.status is EndpointStatus.TIMEOUT
    assert result.detail == (
        f"port {server.port} did not answer within the grace period after the other port worked; a firewall on "
        "this network probably blocks it"
    )
    assert _spanish(result.detail) == (
        f"el puerto {server.port} no respondió en el tiempo de gracia después de que funcionara el otro puerto; "
        "probablemente un firewall de esta red lo bloquea"
    )


def test_an_unexpected_failure_reads_in_spanish_with_the_error_as_it_was(certs: Certs, serve, monkeypatch) -> None:
    from setup_assistant.core.probing import probe

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(probe, "verify_chain", broken)
    server = serve(hostile.ssl_server("imap", certs.good))
    endpoint = Endpoint(MailProtocol.IMAP, "localhost", server.port, Security.SSL)
    result = probe_endpoint(endpoint, certs.pinned, timeout=2)
    assert result.status is EndpointStatus.TLS_ERROR
    assert result.detail == "unexpected failure: ZeroDivisionError: division by zero"
    assert _spanish(result.detail) == "falla inesperada: ZeroDivisionError: division by zero"


# --- scrub: a Message stays a Message, and the password appears in no form and no language -------------------

PASSWORD = "hunter2-Secret"


def _every_form_absent(text: str) -> None:
    shown = [str(text), human(text), _spanish(text)]
    for form in _secret_forms(USER, PASSWORD):
        for one in shown:
            assert form not in one, (form, one)


def test_scrub_keeps_a_message_translatable_and_removes_the_password_from_its_server_text() -> None:
    import base64

    token = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    inner = Message("the server refused the session: {reply}", reply=f"-ERR no {PASSWORD} or {token} here")
    detail = Message("the login did not complete: {problem}", problem=inner)
    cleaned = scrub(detail, USER, PASSWORD)
    assert isinstance(cleaned, Message)
    assert cleaned == "the login did not complete: the server refused the session: -ERR no ******** or ******** here"
    assert _spanish(cleaned) == (
        "el inicio de sesión no se completó: el servidor rechazó la sesión: -ERR no ******** or ******** here"
    )
    _every_form_absent(cleaned)


def test_scrub_keeps_a_plural_message_a_plural_message() -> None:
    plural = PluralMessage(
        "it allows {n} intermediate certificate below it, not {below}",
        "it allows {n} intermediate certificates below it, not {below}",
        1,
        n=1,
        below=PASSWORD,
    )
    cleaned = scrub(plural, USER, PASSWORD)
    assert isinstance(cleaned, PluralMessage)
    assert cleaned == "it allows 1 intermediate certificate below it, not ********"
    assert _spanish(cleaned) == "permite 1 certificado intermedio debajo de él, no ********"


@pytest.mark.parametrize("password", ["servidor", "server", "rechaz"])
def test_a_password_that_is_one_of_the_sentences_own_words_is_not_shown_in_any_language(password: str) -> None:
    """When the password is a word of the sentence itself (English or Spanish), the sentence is not kept as a
    Message: its English, every form of the password replaced, is what remains."""
    detail = Message("the server refused the session: {reply}", reply="-ERR go away")
    cleaned = scrub(detail, USER, password)
    for shown in (str(cleaned), human(cleaned), _spanish(cleaned)):
        assert password not in shown, shown
    assert not isinstance(cleaned, Message)


def test_scrub_leaves_a_message_without_the_password_as_it_is() -> None:
    detail = Message("the server refused the session: {reply}", reply="-ERR go away")
    assert scrub(detail, USER, PASSWORD) is detail


def test_login_status_words_follow_the_language() -> None:
    assert cli.status_word(LoginStatus.REJECTED) == "rejected"
    i18n.set_language("es")
    try:
        assert cli.status_word(LoginStatus.REJECTED) == "no aceptado"
        assert {cli.status_word(s) for s in EndpointStatus}.isdisjoint({s.value for s in EndpointStatus} - {"error"})
    finally:
        i18n.set_language("en")
    assert [cli.status_word(s) for s in EndpointStatus] == [s.value for s in EndpointStatus]
