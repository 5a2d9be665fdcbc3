"""Who is to blame when IMAP LOGIN cannot carry the credentials: the address (an internationalised username)
or the password, never the password for the address's characters."""

from __future__ import annotations

from types import SimpleNamespace

from setup_assistant.core.address import parse_address
from setup_assistant.core.model import LoginStatus
from setup_assistant.core.probing.dialogs import ImapDialog


class ScriptedConnection:
    """Just enough of LineConnection: records what is sent, answers every tagged command with OK."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.deadline = SimpleNamespace(extend=lambda seconds: None)

    def send_line(self, line: str, *, secret: bool = False) -> None:
        self.sent.append(line)

    def read_line(self, what: str) -> str:
        return self.sent[-1].split(" ", 1)[0] + " OK done"


def login_only_dialog() -> tuple[ImapDialog, ScriptedConnection]:
    conn = ScriptedConnection()
    dialog = ImapDialog(conn)  # type: ignore[arg-type]
    dialog.capabilities = ["IMAP4rev1"]  # no AUTH=PLAIN: only LOGIN with quoted (7-bit) strings
    return dialog, conn


def test_a_unicode_domain_is_not_blamed_on_the_password() -> None:
    dialog, conn = login_only_dialog()
    outcome = dialog.login(parse_address("jane@bücher.example").username, "plain-ascii-password")
    assert outcome.status is LoginStatus.ERROR
    assert "password" not in outcome.detail
    assert "non-ASCII" in outcome.detail and "username" in outcome.detail
    assert conn.sent == []  # nothing was sent that the server could not read


def test_a_non_ascii_password_is_blamed_on_the_password() -> None:
    dialog, conn = login_only_dialog()
    outcome = dialog.login("jane@example.org", "pässwörd")
    assert outcome.status is LoginStatus.ERROR
    assert "password's characters" in outcome.detail and "address" not in outcome.detail
    assert conn.sent == []


def test_a_domain_typed_in_punycode_logs_in_as_typed() -> None:
    dialog, conn = login_only_dialog()
    outcome = dialog.login(parse_address("jane@xn--bcher-kva.example").username, "plain-ascii-password")
    assert outcome.status is LoginStatus.OK, outcome.detail
    assert conn.sent == ['sa1 LOGIN "jane@xn--bcher-kva.example" "plain-ascii-password"']
