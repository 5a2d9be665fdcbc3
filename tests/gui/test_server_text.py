"""The wizard shows what a server chose as plain text: a certificate whose names carry a clear-screen, a
right-to-left override and a link shows up as those characters' escapes and as the link's text, never as markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from setup_assistant.core.model import EndpointStatus, MailProtocol, Security
from setup_assistant.gui.flow import PageId
from setup_assistant.gui.pages.checking import COL_RESULT
from tests.servers import hostile
from tests.servers.hostile import HostileServer
from tests.servers.provider_file import provider_toml

RAW = ("\x1b", "\u202e", "\x9b")


@pytest.fixture
def nasty_provider(tmp_path: Path) -> Iterator[Path]:
    context = hostile.nasty_names_context(tmp_path)
    servers = {
        key: HostileServer(hostile.ssl_server(protocol, context))
        for key, protocol in (("imaps", "imap"), ("pop3s", "pop3"), ("submissions", "smtp"))
    }
    path = tmp_path / "provider.toml"
    path.write_text(provider_toml({k: s.port for k, s in servers.items()}), encoding="utf-8")
    yield path
    for server in servers.values():
        server.close()


def _is_escaped_markup(tip: str) -> bool:
    """A tooltip that Qt will show as the server's literal text: our own paragraph, the text escaped inside."""
    return tip.startswith("<p ") and "<b>" not in tip and "&lt;b&gt;mail&lt;/b&gt;" in tip


def test_the_wizard_shows_server_text_as_plain_text(make_wizard, nasty_provider: Path) -> None:
    driver = make_wizard(nasty_provider)
    driver.run_check("jane@example.org", "a password")
    checking = driver.wizard.checking_page
    imaps = next(
        e
        for e in driver.wizard.model.provider.endpoints()
        if e.protocol is MailProtocol.IMAP and e.security is Security.SSL
    )
    tip = checking._rows[imaps].toolTip(COL_RESULT)
    assert checking.row_status(imaps) == "error"
    assert "issued by" in tip and _is_escaped_markup(tip) and not any(raw in tip for raw in RAW)

    driver.next(PageId.RESULT)
    result = driver.wizard.result_page
    check = driver.wizard.model.check
    assert check is not None and check.probe.result_for(imaps).status is EndpointStatus.UNTRUSTED_CERTIFICATE

    label = result.certificates
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert "mail\\</b\\>\\u001b[2J\\u202egro.live\\u009b31m" in label.text()
    assert "<a href='https://evil.example/'" in label.text().replace("\\<", "<").replace("\\>", ">")  # as text
    assert not any(raw in label.text() for raw in RAW)

    table = result.table
    details = [table.item(row, 5) for row in range(table.rowCount())]
    assert any("issued by '<b>mail</b>\\u001b[2J" in item.text() for item in details)
    for item in details:
        assert not any(raw in item.text() for raw in RAW)
    tips = [item.toolTip() for item in details if "issued by" in item.toolTip()]
    assert tips and all(_is_escaped_markup(tip) for tip in tips)

    for i in range(result.findings.count()):
        widget = result.findings.itemAt(i).widget()
        if widget is not None:
            assert widget.label.textFormat() is Qt.TextFormat.PlainText
            assert not any(raw in widget.label.text() for raw in RAW)
