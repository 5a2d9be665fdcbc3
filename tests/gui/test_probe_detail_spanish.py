"""The probe's and the login's details in a Spanish wizard (issue 16): the checking page's tooltips, the result
page's sentences and its details table read in Spanish, while the check's data stays English."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from setup_assistant.core.model import EndpointStatus, LoginStatus
from setup_assistant.gui import translations
from setup_assistant.gui.explain import Outcome
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.pages.checking import COL_RESULT
from tests.core.probing.test_probe_hostile import Certs
from tests.english_leaks import english_words
from tests.servers import hostile
from tests.servers.provider_file import provider_toml

USER = "jane.doe@example.org"
DETAIL_COLUMN = 5


@pytest.fixture(autouse=True)
def _english_afterwards(qapp) -> Iterator[None]:
    translations.install(qapp, "es")
    yield
    translations.install(qapp, "en")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _findings(result_page) -> list[str]:
    layout = result_page.findings
    return [
        w.label.text()
        for i in range(layout.count())
        if (w := layout.itemAt(i).widget()) is not None and hasattr(w, "label")
    ]


def _detail_cells(result_page) -> list[tuple[str, str]]:
    """Each row's detail text and tooltip in the result page's details table."""
    table = result_page.table
    return [
        (table.item(row, DETAIL_COLUMN).text(), table.item(row, DETAIL_COLUMN).toolTip())
        for row in range(table.rowCount())
    ]


def test_an_expired_certificate_and_refused_ports_read_in_spanish(
    make_wizard, tmp_path: Path, qtbot, tmp_path_factory: pytest.TempPathFactory
) -> None:
    certs = Certs(tmp_path_factory.mktemp("gui-spanish-certs"))
    servers = [hostile.HostileServer(hostile.ssl_server(p, certs.expired)) for p in ("imap", "pop3", "smtp")]
    closed = _closed_port()
    try:
        ports = {"imaps": servers[0].port, "pop3s": servers[1].port, "submissions": servers[2].port}
        ports.update({"imap": closed, "pop3": closed, "submission": closed})
        provider = tmp_path / "expired.toml"
        provider.write_text(provider_toml(ports, ca_path=certs.ca_path, ca_sha256=certs.ca_sha), encoding="utf-8")
        driver = make_wizard(provider)
        driver.run_check(USER, "a password")
        check = driver.wizard.model.check
        assert check is not None
        statuses = {r.status for r in check.probe.endpoints}
        assert statuses == {EndpointStatus.EXPIRED_CERTIFICATE, EndpointStatus.REFUSED}
        expired = next(r for r in check.probe.endpoints if r.status is EndpointStatus.EXPIRED_CERTIFICATE)
        assert str(expired.detail).startswith("the server's certificate expired on ")  # the data: English
        date = str(expired.detail).rsplit(" ", 1)[1]

        checking = driver.wizard.checking_page
        tooltips = {e: row.toolTip(COL_RESULT) for e, row in checking._rows.items()}
        assert f"el certificado del servidor venció el {date}" in tooltips[expired.endpoint]
        refused = next(r for r in check.probe.endpoints if r.status is EndpointStatus.REFUSED)
        assert f"el servidor rechazó la conexión en el puerto {closed}" in tooltips[refused.endpoint]
        for tooltip in tooltips.values():
            assert english_words(tooltip.replace("<p style='white-space:pre-wrap'>", "")) == [], tooltip

        driver.next(PageId.RESULT)
        result = driver.wizard.result_page
        assert result.outcome is Outcome.CERTIFICATE
        findings = _findings(result)
        assert any(f"(el certificado del servidor venció el {date})" in text for text in findings), findings
        cells = _detail_cells(result)
        assert len(cells) == 6
        for text, tooltip in cells:
            assert english_words(text) == [], text
            assert text in tooltip  # the tooltip shows the same Spanish detail
        assert f"el certificado del servidor venció el {date}" in [text for text, _ in cells]
    finally:
        for server in servers:
            server.close()


@pytest.mark.servers
def test_a_rejected_password_reads_in_spanish_in_the_details(make_wizard, mail_servers, qtbot) -> None:
    assert QCoreApplication.translate("Explain", "Password not accepted") != "Password not accepted"
    driver = make_wizard(mail_servers.provider_path)
    driver.run_check(USER, "not-the-password")
    check = driver.wizard.model.check
    assert check is not None and {login.status for login in check.logins} == {LoginStatus.REJECTED}
    assert all(str(login.detail).startswith("the server rejected the address or password") for login in check.logins)
    checking = driver.wizard.checking_page
    login_tips = [row.toolTip(COL_RESULT) for row in checking._login_rows.values()]
    assert any("el servidor rechazó la dirección o la contraseña" in tip for tip in login_tips), login_tips
    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    assert result.outcome is Outcome.WRONG_PASSWORD
    cells = _detail_cells(result)
    logins = [text for text, _ in cells if text.startswith("el servidor rechazó")]
    assert len(logins) == 3, cells
    assert logins[0].endswith(
        "; revise la dirección y la contraseña; el administrador de correo de su organización puede restablecer "
        "una contraseña olvidada"
    )
    for text, _tooltip in cells:
        assert english_words(text) == [], text


def test_a_certificate_not_meant_for_mail_gives_its_reason_in_spanish(tmp_path_factory, qapp) -> None:
    """The wizard recognises the case by the English data and shows the reason alone, translated."""
    from setup_assistant.core.model import Endpoint, MailProtocol, Security
    from setup_assistant.core.probing.probe import probe_endpoint
    from setup_assistant.core.provider import load_provider
    from setup_assistant.gui.explain import _certificate_finding

    purpose = hostile.PurposeChains(tmp_path_factory.mktemp("gui-spanish-purpose"))
    path = purpose.dir / "purpose.toml"
    path.write_text(
        provider_toml({}, ca_path=purpose.root_path, ca_sha256=purpose.root_sha256, provider_id="purpose"),
        encoding="utf-8",
    )
    server = hostile.HostileServer(hostile.ssl_server("imap", purpose.contexts["client_auth_only"]))
    try:
        endpoint = Endpoint(MailProtocol.IMAP, "localhost", server.port, Security.SSL)
        result = probe_endpoint(endpoint, load_provider(path).root, timeout=3)
    finally:
        server.close()
    assert (
        result.detail == "this certificate is not meant for a mail server: it is issued for client authentication only"
    )
    finding = _certificate_finding([result])
    assert finding is not None
    assert "(solo fue emitido para autenticación de clientes)" in finding.text, finding.text
    assert english_words(finding.text) == [], finding.text
