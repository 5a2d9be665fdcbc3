"""The instruction pages: filled in for the person, honest about what the files cannot do, never markup
from input."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest

from setup_assistant.core.clients import instructions
from setup_assistant.core.model import MailProtocol, Security
from setup_assistant.core.profile_files import ProfileInputError
from tests.core.clients.profile_support import HOST, settings

VOID = {"meta", "br", "hr", "img", "link", "input"}
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ol", "li", "table", "tr", "th"}
ALLOWED_TAGS |= {"td", "code", "strong", "em"}


class Page(HTMLParser):
    """Reads a page back: its tags (checked to nest properly), its text, and its table rows."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.title = ""
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>\n")
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self.rows[-1].append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "style" in self.stack:
            return
        if self.stack and self.stack[-1] == "title":
            self.title += data
        if self.stack and self.stack[-1] in ("th", "td"):
            self.rows[-1][-1] += data
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def table(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.rows}


def test_thunderbird_sheet_uses_the_provider_preference() -> None:
    page = Page(instructions.thunderbird_sheet(settings()))
    table = page.table()
    assert table["Email address"] == "jane.doe@example.org"
    assert table["Username"].startswith("jane.doe@example.org")
    assert (table["Incoming mail server"], table["Incoming port"]) == (HOST, "143")
    assert table["Incoming connection security"] == "STARTTLS"
    assert (table["Outgoing port"], table["Authentication"]) == ("587", "Normal password")
    assert "config-v1.1.xml" in page.all_text
    assert "not tested" in page.all_text  # built without a probe


def test_outlook_sheet_says_plainly_what_the_files_cannot_set_up() -> None:
    page = Page(instructions.outlook_sheet(settings(), xml_folder=r"C:\Data\example.org", has_prf=True))
    text = page.all_text
    assert "new Outlook for Windows and Outlook for Mac cannot be set up by these files" in text
    assert r"C:\Data\example.org" in text
    assert "outlook-setup.cmd" in text and "outlook-undo.reg" in text and "/importprf" in text
    table = page.table()
    assert (table["Incoming port"], table["Incoming connection security"]) == ("993", "SSL/TLS")
    assert (table["Outgoing port"], table["Outgoing connection security"]) == ("465", "SSL/TLS")
    assert "Secure Password Authentication (SPA)” off" in table["Authentication"]


def test_outlook_sheet_without_prf_explains_why() -> None:
    s = settings(working=[(MailProtocol.IMAP, Security.STARTTLS), (MailProtocol.SMTP, Security.SSL)])
    page = Page(instructions.outlook_sheet(s, xml_folder=r"C:\x", has_prf=False))
    assert "/importprf" not in page.all_text
    assert "no profile file" in page.all_text
    assert page.table()["Incoming port"] == "143"
    assert "Tested from the computer" in page.all_text and "IMAP 143 (STARTTLS)" in page.all_text


def test_apple_sheet_names_the_root_and_outlook_for_mac() -> None:
    s = settings()
    page = Page(instructions.apple_mail_sheet(s, profile_name="jane.mobileconfig", signed=False))
    text = page.all_text
    assert s.provider.root is not None and s.provider.root.fingerprint in text
    assert "Outlook for Mac" in text and "not signed" in text
    assert page.table()["Incoming connection security"] == "Use TLS/SSL: on"


@pytest.mark.parametrize("client", ["thunderbird", "outlook", "apple-mail"])
def test_pop_sheets_say_mail_stays_on_the_server(client: str) -> None:
    for days, phrase in ((None, "never"), (7, "after 7 days")):
        s = settings(protocol=MailProtocol.POP3, pop_days=days)
        if client == "thunderbird":
            html = instructions.thunderbird_sheet(s)
        elif client == "outlook":
            html = instructions.outlook_sheet(s, xml_folder=r"C:\x", has_prf=True)
        else:
            html = instructions.apple_mail_sheet(s, profile_name="p.mobileconfig", signed=True)
        page = Page(html)
        assert "your mail stays on the server" in page.all_text
        table = page.table()
        assert table["Account type"] == "POP3"
        assert table["Leave messages on the server"] == "yes"
        assert table["Remove from the server"].startswith(phrase)


@pytest.mark.parametrize(
    "name", ['<b>"O\'Brien" & Co</b><script>alert(1)</script>', "Zoë 山田 ☃", "&amp; &lt;x&gt;", "N" * 200]
)
def test_hostile_names_are_text_not_markup(name: str) -> None:
    s = settings("o'neil&co@bücher.example", name)
    for html in (
        instructions.thunderbird_sheet(s),
        instructions.outlook_sheet(s, xml_folder=r"C:\x", has_prf=True),
        instructions.apple_mail_sheet(s, profile_name="x.mobileconfig", signed=False),
    ):
        page = Page(html)
        assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS
        assert page.table()["Your name"] == name
        assert page.table()["Email address"] == "o'neil&co@bücher.example"
        assert "o'neil&co@bücher.example" in page.title


def test_unusable_names_are_refused() -> None:
    with pytest.raises(ProfileInputError):
        instructions.thunderbird_sheet(dataclasses.replace(settings(), display_name="a\nb"))


def test_no_password_on_any_page_and_a_warning_when_one_was_written() -> None:
    secret = "correct horse battery staple"
    s = settings(password=secret)
    pages = [
        instructions.thunderbird_sheet(s),
        instructions.outlook_sheet(s, xml_folder=r"C:\x", has_prf=True),
        instructions.apple_mail_sheet(s, profile_name="x.mobileconfig", signed=False),
    ]
    assert all(secret.encode() not in html for html in pages)
    assert "contains your password" in Page(pages[2]).all_text
    assert (
        "contains your password"
        not in Page(instructions.apple_mail_sheet(settings(), profile_name="x.mobileconfig", signed=False)).all_text
    )


def _thunderbird_pop_items(days: int | None = None) -> list[str]:
    """The numbered steps of the Thunderbird sheet for a POP account."""
    import re

    html = instructions.thunderbird_sheet(settings(protocol=MailProtocol.POP3, pop_days=days)).decode()
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", html, re.S)]


def test_thunderbird_by_hand_pop_names_every_box_in_order() -> None:
    """A new POP account starts with all three boxes ticked (AccountConfig.sys.mjs); only the first may stay."""
    step = next(i for i in _thunderbird_pop_items() if "Server Settings" in i and "Leave messages on server" in i)
    leave = step.index("keep Leave messages on server ticked")
    age = step.index("untick For at most 14 days")
    until = step.index("untick Until I delete them")
    assert leave < age < until  # the order of am-server.xhtml in Thunderbird 153
    chosen = next(i for i in _thunderbird_pop_items(30) if "Server Settings" in i and "Leave messages" in i)
    assert "keep For at most ticked and set it to 30 days" in chosen and "untick Until I delete them" in chosen


def test_thunderbird_isp_route_for_pop_says_until_i_delete_them_stays_ticked() -> None:
    items = _thunderbird_pop_items()
    isp = next(i for i in items if "this route leaves" in i)
    assert "POP: this route leaves “Until I delete them” ticked" in isp
    assert "untick Until I delete them" in isp
    assert "every address at example.org" in instructions.thunderbird_sheet(settings()).decode()


def test_thunderbird_isp_step_warns_when_the_file_holds_the_password() -> None:
    page = Page(instructions.thunderbird_sheet(settings(password="s3cret-words")))
    assert "This copy holds your password" in page.all_text and "s3cret-words" not in page.all_text
    assert "It holds no password" not in page.all_text
    assert "This copy holds your password" not in Page(instructions.thunderbird_sheet(settings())).all_text
