"""The printable settings sheet: the guide's table with the person's values, webmail and the next steps, never
the password; and `setup-assistant sheet` against the real servers."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from setup_assistant.cli import main
from setup_assistant.core import history
from setup_assistant.core.account import NoSecureEndpoint
from setup_assistant.core.helpdesk.settings_sheet import settings_sheet
from setup_assistant.core.model import MailProtocol, Security
from tests.core.clients.profile_support import HOST, settings
from tests.servers.dovecot import free_port

IMAP, POP3, SMTP = MailProtocol.IMAP, MailProtocol.POP3, MailProtocol.SMTP
STARTTLS, SSL = Security.STARTTLS, Security.SSL
EVERYTHING = [(p, s) for p in (IMAP, POP3, SMTP) for s in (STARTTLS, SSL)]


class Sheet(HTMLParser):
    """The sheet read back: table rows as [label, value] (group titles as [title]), text, <code> runs."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.rows: list[list[str]] = []
        self.codes: list[str] = []
        self.text = ""
        self.tags: set[str] = set()
        self.feed(data.decode("utf-8"))
        self.close()
        assert not self.stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.rows[-1].append("")
        elif tag == "code":
            self.codes.append("")
        if tag != "meta":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        if "style" in self.stack:
            return
        if "th" in self.stack or "td" in self.stack:
            self.rows[-1][-1] += data
        if self.stack and self.stack[-1] == "code":
            self.codes[-1] += data
        self.text += data

    def value(self, label: str) -> str:
        found = [r[1] for r in self.rows if len(r) == 2 and r[0] == label]
        assert len(found) == 1, f"{label}: {found}"
        return found[0]

    @property
    def labels(self) -> list[str]:
        return [r[0] for r in self.rows]


def sheet(**kwargs: Any) -> Sheet:
    return Sheet(settings_sheet(settings(**kwargs), date=dt.date(2025, 3, 14)))


def test_the_guides_table_filled_in_with_what_worked() -> None:
    page = sheet(working=EVERYTHING)
    assert page.labels == [
        "You",
        "Email address",
        "Your name",
        "Incoming mail (IMAP)",
        "Account type",
        "Incoming mail server",
        "Incoming port",
        "Incoming connection security",
        "Username",
        "Password",
        "Secure password authentication",
        "Outgoing mail (SMTP)",
        "Outgoing mail server (SMTP)",
        "Outgoing port",
        "Outgoing connection security",
        "Outgoing username and password",
        "Other settings that also worked",
        "Incoming (IMAP)",
        "Outgoing (SMTP)",
    ]
    assert page.value("Email address") == "jane.doe@example.org"
    assert page.value("Your name") == "Jane Doe"
    assert page.value("Account type") == "IMAP"
    assert page.value("Incoming mail server") == HOST
    assert page.value("Incoming port") == "143"
    assert page.value("Incoming connection security").startswith("STARTTLS")
    assert page.value("Username") == "jane.doe@example.org (your full email address)"
    assert page.value("Password") == "********"
    assert page.value("Secure password authentication").startswith("OFF")
    assert page.value("Outgoing mail server (SMTP)") == HOST
    assert page.value("Outgoing port") == "587"
    assert page.value("Outgoing connection security").startswith("STARTTLS")
    assert page.value("Incoming (IMAP)") == "port 993 with SSL/TLS (“SSL” in the guide)"
    assert page.value("Outgoing (SMTP)") == "port 465 with SSL/TLS (“SSL” in the guide)"
    assert "IMAP 143 (STARTTLS), IMAP 993 (SSL/TLS)" in page.text
    assert "prepared 2025-03-14" in page.text


def test_webmail_and_the_next_steps_from_the_guide() -> None:
    page = sheet(working=EVERYTHING)
    assert "http://mail.example.org" in page.text
    assert "jane.doe" in page.codes  # the short username, for webmail
    assert "short username" in page.text
    assert "Options → Change Password" in page.text
    assert "postmaster" in page.text
    assert "Options → Forwarding and Vacation Message" in page.text and "not both" in page.text
    assert "Spam and Virus" in page.text and "14 days" in page.text and "POP programs never" in page.text
    assert "all@example.org" in page.codes and "only when you send from webmail" in page.text
    assert (
        not page.tags
        - {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "strong", "code"}
        - {
            "table",
            "tr",
            "th",
            "td",
            "ul",
            "li",
        }
    )


def test_only_ssl_worked_so_the_sheet_shows_the_ssl_ports() -> None:
    page = sheet(working=[(IMAP, SSL), (SMTP, SSL)])
    assert page.value("Incoming port") == "993"
    assert page.value("Incoming connection security") == "SSL/TLS (“SSL” in the guide)"
    assert page.value("Outgoing port") == "465"
    assert "Other settings that also worked" not in page.labels


def test_pop3_keeps_mail_on_the_server() -> None:
    page = sheet(protocol=POP3, working=EVERYTHING)
    assert page.value("Account type") == "POP3"
    assert page.value("Incoming port") == "110"
    assert page.value("Leave messages on the server") == "yes"
    assert page.value("Incoming (POP3)") == "port 995 with SSL/TLS (“SSL” in the guide)"
    assert "Leave messages on the server" in page.text and "never removes them" in page.text
    assert page.value("Remove from the server") == "never"
    # Every program's new POP account comes with boxes that remove mail anyway: each is named (issue 13).
    for box in ("“Until I delete them”", "“For at most 14 days”", "“Remove from server after 14 days”"):
        assert box in page.text
    assert "see them only in webmail;" in page.text


def test_never_the_password_and_never_markup_from_the_name() -> None:
    planted = "Planted-Secret-Sheet-8842"
    data = settings_sheet(settings(name='<b>O\'Brien & "Co"</b>', password=planted, working=EVERYTHING))
    assert planted.encode() not in data
    assert b"<b>" not in data
    page = Sheet(data)
    assert page.value("Password") == "********"
    assert page.value("Your name") == '<b>O\'Brien & "Co"</b>'


def test_without_a_probe_it_says_so() -> None:
    page = sheet()  # settings_without_probe: the provider's published settings
    assert "not tested" in page.text
    assert "Other published settings" in page.labels
    assert page.value("Incoming port") == "143"


def test_nothing_secure_for_the_incoming_protocol_means_no_sheet() -> None:
    with pytest.raises(NoSecureEndpoint):
        settings_sheet(settings(protocol=POP3, working=[(IMAP, SSL), (SMTP, SSL)]))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.servers
def test_cli_probes_the_real_servers_and_records_the_sheet(mail_servers: Any, tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "sheets" / "jane.html"
    argv = ["sheet", "jane.doe@example.org", "--out", str(out), "--provider", str(mail_servers.provider_path)]
    assert main([*argv, "--name", "Jane Doe", "--timeout", "5"]) == 0
    page = Sheet(out.read_bytes())
    assert page.value("Incoming mail server") == "localhost"
    assert page.value("Incoming port") == str(mail_servers.ports["imap"])
    assert page.value("Outgoing port") == str(mail_servers.ports["submission"])
    assert page.value("Incoming (IMAP)").startswith(f"port {mail_servers.ports['imaps']} ")
    assert "Spam" not in page.text  # the test provider names no spam folders
    assert [(e.client, e.path) for e in history.written_for("Jane.Doe@example.org")] == [
        ("settings-sheet", str(out.resolve()))
    ]


@pytest.mark.servers
def test_cli_writes_no_sheet_when_nothing_secure_works(
    mail_servers: Any, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = {name: free_port() for name in ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")}
    provider = mail_servers.provider_file(tmp_path, **closed)
    out = tmp_path / "sheet.html"
    assert main(["sheet", "jane.doe@example.org", "--out", str(out), "--provider", str(provider)]) == 1
    assert "no sheet was written" in capsys.readouterr().err
    assert not out.exists()


def test_cli_without_probe_and_bad_names(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sheet", "bob@example.org", "--out", str(tmp_path), "--no-probe", "--protocol", "pop3"]) == 0
    page = Sheet((tmp_path / "settings-sheet.html").read_bytes())
    assert page.value("Account type") == "POP3"
    assert page.value("Incoming mail server") == HOST
    assert main(["sheet", "bob@example.org", "--out", str(tmp_path / "x.html"), "--no-probe", "--name", "A\x1bB"]) == 2
    assert "control character" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
