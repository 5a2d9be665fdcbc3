"""The first three pages as a screen reader on Linux reads them: through AT-SPI (the platform accessibility layer
Orca uses), with the wizard on Xvfb under a private session bus and at-spi2-core's registry.

The reader is an assistive technology in miniature: it lists what is on screen, fills the fields and presses the
buttons through AT-SPI (EditableText, Action) and listens for the announcement of the finished check. Nothing
here reads Qt objects: a name Qt keeps to itself fails the test.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.gui.atspi import (
    STATE_ENABLED,
    STATE_FOCUSABLE,
    STATE_FOCUSED,
    AtspiSession,
    Node,
    Reader,
    missing_reason,
)
from tests.gui.atspi_wizard import APPLICATION

pytestmark = [pytest.mark.servers, pytest.mark.timeout(180)]

USER = "jane.doe@example.org"
ROOT = Path(__file__).resolve().parents[2]
ANNOUNCEMENT = "Announcement"
CHECK_SECONDS = 90.0  # the whole check against the local servers, on a slow or busy machine


class Screen:
    """The wizard's process and a reader; `now()` is the tree as it is at this moment."""

    def __init__(self, session: AtspiSession, provider: Path, folder: Path) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-m", "tests.gui.atspi_wizard", str(provider), str(folder)],
            cwd=ROOT,
            env=session.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        session.processes.append(self.child)
        assert self.child.stdout is not None
        if self.child.stdout.readline().strip() != b"shown":
            raise RuntimeError(f"the wizard did not start: {self.child.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        self.reader = Reader(session.a11y_address)
        try:
            from jeepney import MatchRule, message_bus

            rule = MatchRule(type="signal", interface="org.a11y.atspi.Event.Object", member=ANNOUNCEMENT)
            self.reader.connection.send_and_get_reply(message_bus.AddMatch(rule))
            self._filter = self.reader.connection.filter(rule, bufsize=100)
            self._announcements = self._filter.__enter__()  # filled while the reader talks to the bus
            # Like Orca: ask the registry for announcements, so Qt's bridge sends them; but only once the wizard is
            # registered. Qt's bridge starts by asking the registry which events are wanted (GetRegisteredEvents),
            # then subscribes to EventListenerRegistered, then registers the application (Embed), all on one
            # connection, in that order. A request that lands between the first two reaches the bridge neither
            # way, and it then never sends an announcement (under load: no page announced, about one run in
            # seven). Once the wizard is on the registry its subscription is in place, so the request reaches it.
            self.now()
            self.reader.call(
                "org.a11y.atspi.Registry",
                "/org/a11y/atspi/registry",
                "org.a11y.atspi.Registry",
                "RegisterEvent",
                "s",
                "object:announcement",
            )
        except BaseException:
            self.reader.close()
            raise

    def heard(self, until: Callable[[str], bool], timeout: float = 30.0) -> list[tuple[int, str]]:
        """The announcements (politeness, text) since the last call, waiting until one satisfies `until`."""
        heard: list[tuple[int, str]] = []
        deadline = time.monotonic() + timeout
        while True:
            while self._announcements:
                body = self._announcements.popleft().body
                heard.append((body[1], body[3][1]))
            if any(until(text) for _, text in heard):
                return heard
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no such announcement; heard {heard}")
            try:
                body = self.reader.connection.recv_until_filtered(self._announcements, timeout=min(remaining, 1)).body
                heard.append((body[1], body[3][1]))
            except TimeoutError:
                pass

    def now(self) -> Node:
        return self.reader.application(APPLICATION)

    def wait_for(self, found: Callable[[Node], bool], timeout: float = 40.0) -> Node:
        deadline = time.monotonic() + timeout
        while True:
            tree = self.now()
            if found(tree):
                return tree
            if time.monotonic() > deadline:
                raise AssertionError("never came:\n" + "\n".join(tree.spoken()))
            time.sleep(0.2)


@pytest.fixture
def screen(mail_servers, tmp_path: Path) -> Iterator[Screen]:
    reason = missing_reason()
    if reason:
        skip_or_fail(reason)
    with AtspiSession() as session:
        shown = Screen(session, mail_servers.provider_path, tmp_path)
        try:
            yield shown
        finally:
            shown.reader.close()


def _focusable(tree: Node) -> list[Node]:
    """Every control on screen that can take the focus, enabled or not (a disabled Next is read too)."""
    return [n for n in tree.walk() if n.showing and STATE_FOCUSABLE in n.states]


def _unnamed(tree: Node) -> list[str]:
    return [f"{n.role} at {n.path}" for n in _focusable(tree) if not n.name.strip()]


def _controls(tree: Node) -> set[tuple[str, str]]:
    return {(n.role, n.name) for n in _focusable(tree) if n.role != "tree item"}


def _enabled(node: Node) -> bool:
    return STATE_ENABLED in node.states


def _focused(node: Node) -> bool:
    return STATE_FOCUSED in node.states


def _has_button(name: str) -> Callable[[Node], bool]:
    def found(tree: Node) -> bool:
        try:
            tree.find("push button", name)
        except LookupError:
            return False
        return True

    return found


def test_a_screen_reader_hears_the_first_three_pages(screen: Screen, mail_servers) -> None:
    dump: list[str] = []

    # Page 1: the address.
    tree = screen.wait_for(_has_button("Next"))
    dump += ["# page 1", *tree.spoken()]
    dialog = tree.find("dialog")
    assert dialog.name == "Test Mail Setup Assistant"
    assert not _unnamed(tree), _unnamed(tree)
    assert _controls(tree) == {
        ("text", "Email address"),
        ("text", "Your name"),
        ("combo box", "English"),  # Language / Idioma: a combo box is named by its current item
        ("push button", "Next"),
        ("push button", "Cancel"),
    }
    address = tree.find("text", "Email address")
    assert address.description == "Your full email address; it is also your username."
    assert tree.find("text", "Your name").description == "Shown as the sender of your messages."
    assert tree.find("label", "Email address:")  # the visible label is there too, for browsing
    assert tree.find("graphic").name.endswith("logo")

    screen.reader.set_text(address, "jane.doe@")  # a half-typed address: the hint is in words, not only an icon
    tree = screen.wait_for(lambda t: t.find("text", "Email address").description != address.description)
    hint = tree.find("text", "Email address").description
    assert "@" in hint or "domain" in hint.lower(), hint
    screen.reader.set_text(tree.find("text", "Email address"), USER)
    tree = screen.wait_for(lambda t: _enabled(t.find("push button", "Next")))
    screen.reader.press(tree.find("push button", "Next"))

    # Page 2: the password; where the person is now is announced (the focus is in the field).
    assert screen.heard(lambda text: text.startswith("Your password"))[-1] == (1, f"Your password for {USER}")
    tree = screen.wait_for(lambda t: any(n.role == "text" and n.name == "Password" for n in t.walk()))
    tree = screen.wait_for(lambda t: _enabled(t.find("check box", "Remember my password on this computer")))
    dump += ["# page 2", *tree.spoken()]
    assert not _unnamed(tree), _unnamed(tree)
    assert _controls(tree) == {
        ("text", "Password"),
        ("check box", "Show password"),
        ("check box", "Remember my password on this computer"),
        ("push button", "Back"),
        ("push button", "Next"),
        ("push button", "Cancel"),
    }
    field = tree.find("text", "Password")
    assert field.description == "The password of your email account."
    assert "password store" in tree.find("check box", "Remember my password on this computer").description
    password = mail_servers.users[USER]
    screen.reader.set_text(field, password)
    text = screen.reader.call(field.bus_name, field.path, "org.a11y.atspi.Text", "GetText", "ii", 0, -1)[0]
    assert password not in text and len(text) == len(password)  # the reader gets bullets, never the password

    # Page 3: the check, announced when it is over.
    screen.reader.press(tree.find("push button", "Next"))
    # The check is over when its verdict is announced: the wizard announces it last, in the same turn of its event
    # loop that fills the rows, the summary and Next and moves the focus, so a tree read after it is the finished
    # page. A tree read while the check ends is torn (its reading is many calls, the wizard answers between its own
    # work): rows still "waiting" and a disabled Next beside a "Check again" that came from the finished check.
    checked = screen.heard(lambda text: text.startswith("OK: "), timeout=CHECK_SECONDS)
    tree = screen.wait_for(_has_button("Check again"))
    dump += ["# page 3", *tree.spoken()]
    assert not _unnamed(tree), _unnamed(tree)
    assert _controls(tree) == {
        ("tree", "Connection checks"),
        ("push button", "Check again"),
        ("push button", "Back"),
        ("push button", "Next"),
        ("push button", "Cancel"),
    }
    rows = [n.name for n in tree.find("tree", "Connection checks").children if n.role == "tree item"]
    connection = re.compile(
        r"(Receiving mail \((IMAP|POP)\)|Sending mail), port \d+, (STARTTLS|SSL/TLS): works, encrypted, \d+ ms"
    )
    sign_in = re.compile(
        r"Sign-in for (receiving mail \((IMAP|POP)\)|sending mail), port \d+: password accepted, \d+ ms"
    )
    first_cells = rows[0::3]
    assert len(first_cells) == 9, rows
    assert all(connection.fullmatch(r) for r in first_cells[:6]), first_cells[:6]
    assert all(sign_in.fullmatch(r) for r in first_cells[6:]), first_cells[6:]
    assert f"port {mail_servers.ports['imap']}, STARTTLS: works, encrypted" in first_cells[0]
    assert all(r == "Works, encrypted" for r in rows[1:18:3])  # the result cell: the icon's meaning in words
    summary = next(n for n in tree.walk() if n.role == "filler" and n.name.startswith("OK: "))
    assert "Press Next" in summary.name
    assert summary.find("graphic", "OK")  # the icon itself is named, too
    # The announcement: polite, the verdict in words, while the focus stays where it is (on Next).
    subtitle = "The assistant tries every way to reach the Test Mail servers at once. This takes a few seconds."
    assert checked[0] == (1, f"Checking your account {subtitle}")
    assert checked[-1] == (1, summary.name)  # ATSPI_LIVE_POLITE
    assert _focused(tree.find("push button", "Next"))

    # The result page: the verdict and its findings are said when it opens, whatever has the focus.
    screen.reader.press(tree.find("push button", "Next"))
    result = screen.heard(lambda text: text.startswith("What the check found"))[-1]
    assert result[1].startswith(f"What the check found for {USER} OK: ")
    assert "password was accepted" in result[1]
    dump += ["# page 4 is announced as", result[1]]
    print("\n".join(dump))
