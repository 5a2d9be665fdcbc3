"""Outlook: which Outlook is installed, the routes in the order of how sure they are, the dialog each one shows,
and POP's keep-on-server step wherever a route cannot carry it (issue 13)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from setup_assistant.core.clients import instructions
from setup_assistant.core.clients.outlook import routes
from setup_assistant.core.clients.outlook.detect import (
    APP_PATHS,
    APPX_PACKAGES,
    C2R_CONFIGURATION,
    HKCU,
    HKLM,
    MAC_OUTLOOK_APP,
    OUTLOOK_PREFERENCES,
    MemoryMachine,
    OutlookFound,
    OutlookKind,
    detect_outlook,
)
from setup_assistant.core.clients.outlook.registry import MemoryRegistry
from setup_assistant.core.clients.profiles import Client, write_profiles
from setup_assistant.core.model import MailProtocol, Security
from tests.core.clients.profile_support import HOST, settings
from tests.core.clients.test_instructions import Page

OUTLOOK_EXE = r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"
NEW_PACKAGE = "Microsoft.OutlookForWindows_1.2025.1111.0_x64__8wekyb3d8bbwe"


def c2r_values(release_ids: str, version: str = "16.0.17928.20156") -> dict[tuple[str, str, str], str | int]:
    """A Click-to-Run Office as its registry shows it."""
    return {
        (HKLM, APP_PATHS + r"\OUTLOOK.EXE", ""): OUTLOOK_EXE,
        (HKLM, C2R_CONFIGURATION, "VersionToReport"): version,
        (HKLM, C2R_CONFIGURATION, "ProductReleaseIds"): release_ids,
    }


def c2r(release_ids: str) -> MemoryMachine:
    return MemoryMachine(c2r_values(release_ids))


def new_outlook_package() -> dict[tuple[str, str, str], str | int]:
    return {(HKCU, APPX_PACKAGES + "\\" + NEW_PACKAGE, "PackageID"): NEW_PACKAGE}


# --- detection -------------------------------------------------------------------------------------------


def test_detects_microsoft_365_with_its_build() -> None:
    found = detect_outlook("win32", c2r("O365ProPlusRetail,VisioProRetail"))
    assert found == OutlookFound(OutlookKind.CLASSIC, "Microsoft 365", "16.0.17928.20156")
    assert found.describe() == "classic Outlook (Microsoft 365, version 16.0.17928.20156)"


@pytest.mark.parametrize(
    ("ids", "kind", "product"),
    [
        ("ProPlus2024Volume", OutlookKind.CLASSIC_2024, "Office 2024"),
        ("Outlook2024Retail", OutlookKind.CLASSIC_2024, "Office 2024"),
        ("HomeBusiness2021Retail", OutlookKind.CLASSIC, "Office 2021"),
        ("ProPlus2019Volume", OutlookKind.CLASSIC, "Office 2019"),
    ],
)
def test_detects_the_office_year(ids: str, kind: OutlookKind, product: str) -> None:
    found = detect_outlook("win32", c2r(ids))
    assert found is not None and (found.kind, found.product) == (kind, product)


def test_detects_an_msi_outlook_2016_by_its_file_version() -> None:
    machine = MemoryMachine(
        {(HKLM, APP_PATHS + r"\OUTLOOK.EXE", ""): OUTLOOK_EXE}, file_versions={OUTLOOK_EXE: "16.0.5435.1001"}
    )
    assert detect_outlook("win32", machine) == OutlookFound(OutlookKind.CLASSIC, "Office 2016", "16.0.5435.1001")


def test_detects_the_new_outlook_alone_beside_and_switched_to() -> None:
    assert detect_outlook("win32", MemoryMachine(new_outlook_package())) == OutlookFound(OutlookKind.NEW)
    beside = MemoryMachine({**new_outlook_package(), **c2r_values("O365ProPlusRetail")})
    found = detect_outlook("win32", beside)
    assert found is not None and found.kind is OutlookKind.CLASSIC and found.new_outlook_too
    switched = MemoryMachine(
        {
            **new_outlook_package(),
            **c2r_values("O365ProPlusRetail"),
            (HKCU, OUTLOOK_PREFERENCES, "UseNewOutlook"): 1,
        }
    )
    assert detect_outlook("win32", switched) == OutlookFound(OutlookKind.NEW)


def test_nothing_found_and_other_platforms() -> None:
    assert detect_outlook("win32", MemoryMachine()) is None
    assert detect_outlook("linux", c2r("O365ProPlusRetail")) is None
    assert detect_outlook("darwin", MemoryMachine(paths=(MAC_OUTLOOK_APP,))) == OutlookFound(OutlookKind.MAC)
    assert detect_outlook("darwin", MemoryMachine()) is None


# --- route order -----------------------------------------------------------------------------------------

P, X, T = routes.Route.PRF, routes.Route.XML, routes.Route.TYPED


@pytest.mark.parametrize(
    ("kind", "protocol", "has_prf", "order"),
    [
        (OutlookKind.CLASSIC, MailProtocol.POP3, True, [P, X, T]),  # only the .prf keeps POP mail by itself
        (OutlookKind.CLASSIC, MailProtocol.POP3, False, [X, T]),
        (OutlookKind.CLASSIC, MailProtocol.IMAP, True, [X, P, T]),
        (OutlookKind.CLASSIC_2024, MailProtocol.IMAP, True, [P, T]),  # the switch is ignored there
        (OutlookKind.CLASSIC_2024, MailProtocol.POP3, False, [T]),
        (OutlookKind.NEW, MailProtocol.IMAP, True, [T]),
        (OutlookKind.MAC, MailProtocol.POP3, True, [T]),
    ],
)
def test_route_order(kind: OutlookKind, protocol: MailProtocol, has_prf: bool, order: list[routes.Route]) -> None:
    assert routes.route_order(kind, protocol, has_prf=has_prf) == order


# --- the sheet -------------------------------------------------------------------------------------------


class Sheet(Page):
    """Page plus where each h2 starts in the text and the text of each <li>."""

    def __init__(self, data: bytes) -> None:
        self.headings: list[tuple[int, str]] = []
        self.items: list[str] = []
        self._in: str | None = None
        super().__init__(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag in ("h2", "li"):
            self._in = tag
            if tag == "li":
                self.items.append("")
            else:
                self.headings.append((len(self.all_text), ""))

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if "li" in self.stack:
            self.items[-1] += data
        if self._in == "h2":
            at, text = self.headings[-1]
            self.headings[-1] = (at, text + data)

    def section(self, starts: str) -> str:
        """The text from the h2 starting with `starts` to the next h2."""
        marks = [*self.headings, (len(self.all_text), "")]
        for (at, text), (end, _) in itertools.pairwise(marks):
            if text.startswith(starts):
                return self.all_text[at:end]
        raise AssertionError(f"no section {starts!r} in {[t for _, t in self.headings]}")

    def route_headings(self) -> list[str]:
        return [t for _, t in self.headings if t.startswith("Route:")]


def outlook_page(protocol: MailProtocol = MailProtocol.IMAP, found: OutlookFound | None = None, **kw: object) -> Sheet:
    s = settings(protocol=protocol, **kw)  # type: ignore[arg-type]
    return Sheet(instructions.outlook_sheet(s, xml_folder=r"C:\x", has_prf=True, found=found))


def test_pop_recommends_the_profile_file_and_makes_unticking_a_numbered_step_of_the_xml_route() -> None:
    page = outlook_page(MailProtocol.POP3)
    assert page.route_headings()[0] == "Route: the profile file (outlook.prf)"  # the route that keeps POP mail
    assert page.route_headings()[1] == "Route: the setup script and autodiscover.xml"
    xml = page.section("Route: the setup script")
    steps = [item for item in page.items if item in xml]
    assert any("untick “Remove from server after 14 days”" in step for step in steps), steps
    assert any(step.startswith("Required for POP") for step in steps)
    typed = page.section("Route: type the settings (classic")
    assert typed.count("untick “Remove from server after 14 days”") == 2  # the classic and the simplified dialog


def test_pop_with_chosen_days_says_set_not_untick() -> None:
    page = outlook_page(MailProtocol.POP3, pop_days=30)
    assert "set “Remove from server after” to 30 days" in page.section("Route: the setup script")
    assert "untick “Remove from server after 14 days”" not in page.all_text


def test_the_xml_route_describes_the_classic_dialog_the_reg_file_switches_on() -> None:
    page = outlook_page()
    xml = page.section("Route: the setup script")
    steps = [item for item in page.items if item in xml]
    add = next(step for step in steps if "File › Add Account" in step)
    assert all(box in add for box in ("Your Name", "Email Address", "Password", "Retype Password", "Next"))
    assert "Connect" not in add  # the simplified dialog's button
    tell = xml[xml.index("If it does not take") :]
    assert "Connect" in tell  # the simplified dialog is the tell-tale that the switch did not take
    assert "Outlook 2024" in xml and "Not for Outlook 2024" in xml
    assert "Then use the next route: the profile file (outlook.prf)." in tell


def test_the_typed_route_describes_both_dialogs() -> None:
    typed = outlook_page().section("Route: type the settings (classic")
    assert "Manual setup or additional server types" in typed and "POP or IMAP" in typed  # classic dialog
    assert "Let me set up my account manually" in typed and "Connect" in typed  # simplified dialog
    assert "Outlook 2024" in typed


def test_every_route_says_which_outlook_and_what_failure_looks_like() -> None:
    page = outlook_page()
    table = {row[0]: row[1] for row in page.rows if len(row) == 2}
    assert table[routes.KIND_LABELS[OutlookKind.CLASSIC]].startswith("the setup script")
    assert (
        table[routes.KIND_LABELS[OutlookKind.CLASSIC_2024]] == "the profile file (outlook.prf) → then type the settings"
    )
    assert table[routes.KIND_LABELS[OutlookKind.NEW]] == "type the settings"
    assert table[routes.KIND_LABELS[OutlookKind.MAC]] == "type the settings"
    for heading in ("Route: the profile file", "Route: the setup script"):
        section = page.section(heading)
        assert "For classic Outlook" in section and "If it does not take" in section


def test_office_2024_found_here_gets_the_profile_file_first_and_no_xml_route() -> None:
    found = OutlookFound(OutlookKind.CLASSIC_2024, "Office 2024", "16.0.17932.20000")
    page = outlook_page(found=found)
    assert "This computer has classic Outlook (Office 2024, version 16.0.17932.20000)" in page.all_text
    assert page.route_headings() == [
        "Route: the profile file (outlook.prf)",
        "Route: type the settings (classic Outlook)",
    ]
    first_row = next(row for row in page.rows if len(row) == 2 and row[0] != "Your Outlook")
    assert first_row[0].endswith(", this computer") and "2024" in first_row[0]
    typed = page.section("Route: type the settings (classic")
    assert typed.index("With the simplified dialog") < typed.index("With the classic Add Account dialog")


def test_new_outlook_found_here_gets_the_typed_page_first_with_large_copyable_values() -> None:
    page = outlook_page(found=OutlookFound(OutlookKind.NEW))
    titles = [t for _, t in page.headings]
    typed = titles.index("The new Outlook for Windows and Outlook for Mac: type these")
    assert typed < min(titles.index(t) for t in page.route_headings())
    html = instructions.outlook_sheet(settings(), xml_folder=r"C:\x", has_prf=True).decode()
    big = re.search(r'<table class="big">(.*?)</table>', html, re.S)
    assert big is not None
    values = re.findall(r"<td><code>(.*?)</code></td>", big.group(1))
    assert values[:6] == ["jane.doe@example.org", "IMAP", HOST, "993", "SSL/TLS", "jane.doe@example.org"]
    assert "user-select: all" in html and re.search(r"table\.big td code \{ font-size: 1\.\d+em", html)


def test_typed_values_follow_what_worked() -> None:
    s = settings(working=[(MailProtocol.IMAP, Security.STARTTLS), (MailProtocol.SMTP, Security.SSL)])
    values = dict(instructions.typed_values(s, "outlook"))
    assert (values["Incoming port"], values["Incoming encryption"]) == ("143", "STARTTLS")
    assert values["Secure Password Authentication (SPA)"] == "off"


# --- --install on Windows: the numbered steps ---------------------------------------------------------------


def install(tmp_path: Path, protocol: MailProtocol, machine: MemoryMachine, days: int | None = None) -> list[str]:
    outcome = write_profiles(
        settings(protocol=protocol, pop_days=days),
        tmp_path / "out",
        [Client.OUTLOOK],
        install=True,
        platform="win32",
        registry=MemoryRegistry(),
        app_data=tmp_path / "app",
        outlook_machine=machine,
        record=False,
    )
    (result,) = outcome.clients
    assert result.installed and not result.error
    return list(result.next_steps)


def test_install_message_for_pop_has_the_profile_file_and_the_mandatory_untick_step(tmp_path: Path) -> None:
    steps = install(tmp_path, MailProtocol.POP3, c2r("O365ProPlusRetail"))
    assert steps[0].startswith("Close Outlook and run outlook.exe /importprf") and "keeps your POP mail" in steps[0]
    assert steps[1].startswith("If that did not add the account: start Outlook")
    assert steps[2].startswith("Required for POP: in Outlook choose File › Account Settings")
    assert "untick “Remove from server after 14 days”" in steps[3]
    assert steps[4].startswith("If that did not add the account: type the settings")
    assert "untick “Remove from server after 14 days”" in steps[-1]
    sheet = Sheet((tmp_path / "out" / "outlook" / "instructions.html").read_bytes())
    assert "This computer has classic Outlook (Microsoft 365" in sheet.all_text


def test_install_message_for_imap_starts_with_the_classic_dialog(tmp_path: Path) -> None:
    steps = install(tmp_path, MailProtocol.IMAP, c2r("O365ProPlusRetail"))
    assert "name, your address and your password twice" in steps[0]
    assert "/importprf" in steps[1] and "type the settings" in steps[2]
    assert not any("Remove from server" in step for step in steps)


def test_install_message_for_outlook_2024_never_relies_on_the_switch(tmp_path: Path) -> None:
    steps = install(tmp_path, MailProtocol.IMAP, c2r("ProPlus2024Volume"))
    assert steps[0].startswith("Close Outlook and run outlook.exe /importprf")
    assert len(steps) == 2 and "Let me set up my account manually" in steps[1]


def test_install_message_for_the_new_outlook_points_at_typing(tmp_path: Path) -> None:
    steps = install(tmp_path, MailProtocol.POP3, MemoryMachine(new_outlook_package()))
    assert "new Outlook" in steps[0] and "Add account" in steps[0]
    assert "untick “Remove from server after 14 days”" in steps[1]
    sheet = Sheet((tmp_path / "out" / "outlook" / "instructions.html").read_bytes())
    first = [t for _, t in sheet.headings][1]  # after "Which Outlook do you have?"
    assert first == "The new Outlook for Windows and Outlook for Mac: type these"


def test_the_sheet_written_by_install_says_what_is_already_done(tmp_path: Path) -> None:
    install(tmp_path, MailProtocol.IMAP, c2r("O365ProPlusRetail"))
    sheet = Sheet((tmp_path / "out" / "outlook" / "instructions.html").read_bytes())
    xml = sheet.section("Route: the setup script")
    assert "Already done on this computer by the assistant" in xml
    assert "double-click outlook-setup.cmd" not in xml
    exported = outlook_page().section("Route: the setup script")
    assert "double-click outlook-setup.cmd" in exported and "Already done" not in exported
