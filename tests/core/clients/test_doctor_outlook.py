"""Outlook doctor and repair against a fake registry laid out as classic Outlook lays out a mail profile:
IMAP and POP accounts with SPA on, no SSL and port 25, diagnosed, repaired, and put back by the restore file."""

from __future__ import annotations

from pathlib import Path

import pytest

from setup_assistant.core.clients.diagnosis import Auth, Severity
from setup_assistant.core.clients.outlook import fixer, reader
from setup_assistant.core.clients.outlook.registry import (
    MemoryRegistry,
    RegistryError,
    RegistryKind,
    RegistryValue,
    apply_reg,
    parse_reg,
    setup_reg,
)
from tests.core.clients.profile_support import HOST, settings

ADDRESS = "jane.doe@example.org"
PROFILES = r"Software\Microsoft\Office\16.0\Outlook\Profiles"
ACCOUNTS = rf"{PROFILES}\Outlook\9375CFF0413111d3B88A00104B2A6676"
IMAP_KEY, POP_KEY, OTHER_KEY = rf"{ACCOUNTS}\00000002", rf"{ACCOUNTS}\00000003", rf"{ACCOUNTS}\00000004"
WORK_KEY = rf"{PROFILES}\Work\9375CFF0413111d3B88A00104B2A6676\00000002"


def text(key: str, name: str, value: str) -> RegistryValue:
    """Outlook's strings: UTF-16LE REG_BINARY with a closing NUL."""
    return RegistryValue(key, name, RegistryKind.BINARY, (value + "\x00").encode("utf-16-le"))


def dword(key: str, name: str, value: int) -> RegistryValue:
    return RegistryValue(key, name, RegistryKind.DWORD, value)


def outlook_profile() -> MemoryRegistry:
    """A classic Outlook profile as Outlook writes it: an account list, IMAP and POP accounts, other sections."""
    values = [
        # the profile's other sections (address book, store, preferences): never touched
        RegistryValue(
            rf"{PROFILES}\Outlook\0a0d020000000000c000000000000046", "000b0415", RegistryKind.BINARY, b"\x01\x00"
        ),
        RegistryValue(rf"{ACCOUNTS}", "NextAccountID", RegistryKind.DWORD, 5),
        RegistryValue(rf"{ACCOUNTS}\00000001", "clsid", RegistryKind.SZ, "{ED475419-B0D6-11D2-8C3B-00104B2A6676}"),
        # IMAP, set up years ago: SPA on, no SSL, short username, SMTP on 25 without authentication
        RegistryValue(IMAP_KEY, "clsid", RegistryKind.SZ, "{ED475412-B0D6-11D2-8C3B-00104B2A6676}"),
        text(IMAP_KEY, "Account Name", "Jane (work)"),
        text(IMAP_KEY, "Display Name", "Jane Doe"),
        text(IMAP_KEY, "Email", ADDRESS),
        text(IMAP_KEY, "IMAP Server", "mail.example.org"),
        text(IMAP_KEY, "IMAP User", "jane.doe"),
        dword(IMAP_KEY, "IMAP Port", 143),
        dword(IMAP_KEY, "IMAP Use SSL", 0),
        dword(IMAP_KEY, "IMAP Use SPA", 1),
        RegistryValue(IMAP_KEY, "IMAP Password", RegistryKind.BINARY, b"\x02" + b"\xaa" * 40),
        RegistryValue(IMAP_KEY, "IMAP Store EID", RegistryKind.BINARY, b"\x00" * 24),
        text(IMAP_KEY, "SMTP Server", "mail.example.org"),
        dword(IMAP_KEY, "SMTP Port", 25),
        dword(IMAP_KEY, "SMTP Secure Connection", 0),
        dword(IMAP_KEY, "SMTP Use Auth", 0),
        dword(IMAP_KEY, "Mini UID", 0x1234ABCD),
        # POP, same address: SPA ("Sicily") on, no SSL, mail deleted from the server
        RegistryValue(POP_KEY, "clsid", RegistryKind.SZ, "{ED475411-B0D6-11D2-8C3B-00104B2A6676}"),
        text(POP_KEY, "Account Name", ADDRESS),
        text(POP_KEY, "Email", ADDRESS),
        text(POP_KEY, "POP3 Server", HOST),
        text(POP_KEY, "POP3 User", ADDRESS),
        dword(POP_KEY, "POP3 Port", 110),
        dword(POP_KEY, "POP3 Use SSL", 0),
        dword(POP_KEY, "POP3 Use Sicily", 1),
        dword(POP_KEY, "Leave on Server", 0),
        RegistryValue(POP_KEY, "Delivery Store EntryID", RegistryKind.BINARY, b"\x00\x00\x00\x00" + b"pst" * 10),
        text(POP_KEY, "SMTP Server", HOST),
        dword(POP_KEY, "SMTP Port", 25),
        dword(POP_KEY, "SMTP Use Auth", 1),
        dword(POP_KEY, "SMTP Auth Method", 2),
        # someone else's account in the same profile
        RegistryValue(OTHER_KEY, "clsid", RegistryKind.SZ, "{ED475412-B0D6-11D2-8C3B-00104B2A6676}"),
        text(OTHER_KEY, "Email", "other@elsewhere.example"),
        text(OTHER_KEY, "IMAP Server", "imap.elsewhere.example"),
        text(OTHER_KEY, "IMAP User", "other@elsewhere.example"),
        dword(OTHER_KEY, "IMAP Use SPA", 1),
        text(OTHER_KEY, "SMTP Server", "smtp.elsewhere.example"),
        # a second mail profile with a correct account for the address
        text(WORK_KEY, "Email", ADDRESS),
        text(WORK_KEY, "IMAP Server", HOST),
        text(WORK_KEY, "IMAP User", ADDRESS),
        dword(WORK_KEY, "IMAP Port", 993),
        dword(WORK_KEY, "IMAP Use SSL", 1),
        text(WORK_KEY, "SMTP Server", HOST),
        dword(WORK_KEY, "SMTP Port", 465),
        dword(WORK_KEY, "SMTP Secure Connection", 1),
        dword(WORK_KEY, "SMTP Use Auth", 1),
    ]
    return MemoryRegistry(values)


def snapshot(registry: MemoryRegistry) -> dict[tuple[str, str], RegistryValue]:
    return {(v.key.lower(), v.name.lower()): v for v in registry.values()}


def never_running() -> bool:
    return False


def test_outlook_accounts_are_found_in_every_profile() -> None:
    found = reader.find_accounts(outlook_profile(), settings().address)
    assert [(a.profile, a.account, a.incoming.protocol.value) for a in found] == [
        ("Outlook", "00000002", "imap"),
        ("Outlook", "00000003", "pop3"),
        ("Work", "00000002", "imap"),
    ]
    imap = found[0]
    assert (imap.incoming.host, imap.incoming.username, imap.incoming.security) == (
        "mail.example.org",
        "jane.doe",
        "none",
    )
    assert imap.incoming.auth is Auth.ENCRYPTED and imap.incoming.auth_detail == "IMAP Use SPA = 1"
    assert imap.outgoing is not None and (imap.outgoing.port, imap.outgoing.auth) == (25, Auth.NONE)
    assert imap.location.startswith("HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook")
    pop = found[1]
    assert pop.incoming.auth_detail == "POP3 Use Sicily = 1" and pop.pop is not None and not pop.pop.leave_on_server
    assert pop.outgoing is not None and pop.outgoing.auth is Auth.OTHER  # "log on to incoming before sending"


def test_outlook_findings() -> None:
    accounts = fixer.diagnose_registry(outlook_profile(), settings())
    by_key = {(a.profile, a.account): {f.setting: f.severity for f in a.findings} for a in accounts}
    assert by_key[("Outlook", "00000002")] == {
        "incoming.host": Severity.BREAKS,
        "incoming.security": Severity.RISKY,
        "incoming.port": Severity.BREAKS,  # SSL first for Outlook: 993
        "incoming.auth": Severity.BREAKS,
        "incoming.username": Severity.BREAKS,
        "outgoing.host": Severity.BREAKS,
        "outgoing.security": Severity.RISKY,
        "outgoing.port": Severity.BREAKS,
        "outgoing.auth": Severity.BREAKS,
        "outgoing.username": Severity.BREAKS,
        "duplicate": Severity.ADVICE,
    }
    assert by_key[("Outlook", "00000003")] == {
        "incoming.security": Severity.RISKY,
        "incoming.port": Severity.BREAKS,
        "incoming.auth": Severity.BREAKS,
        "outgoing.security": Severity.RISKY,
        "outgoing.port": Severity.BREAKS,
        "outgoing.auth": Severity.BREAKS,
        "pop.leave_on_server": Severity.RISKY,
        "duplicate": Severity.ADVICE,
    }
    assert by_key[("Work", "00000002")] == {}  # a correct account has no finding


def test_outlook_repair_in_place_then_nothing_more(tmp_path: Path) -> None:
    registry = outlook_profile()
    before = snapshot(registry)
    result = fixer.repair_registry(registry, settings(), tmp_path, is_running=never_running)
    assert result.restore_file is not None and result.restore_file.parent == tmp_path
    assert all({f.setting for f in a.findings} <= {"duplicate"} for a in result.accounts)

    def get(key: str, name: str) -> object:
        value = registry.read(key, name)
        assert value is not None, name
        return reader.decode_string(value) if value.kind is RegistryKind.BINARY else value.data

    assert (get(IMAP_KEY, "IMAP Server"), get(IMAP_KEY, "IMAP User")) == (HOST, ADDRESS)
    assert (get(IMAP_KEY, "IMAP Port"), get(IMAP_KEY, "IMAP Use SSL"), get(IMAP_KEY, "IMAP Use SPA")) == (993, 1, 0)
    assert (get(IMAP_KEY, "SMTP Server"), get(IMAP_KEY, "SMTP Port"), get(IMAP_KEY, "SMTP Secure Connection")) == (
        HOST,
        465,
        1,
    )
    assert get(IMAP_KEY, "SMTP Use Auth") == 1
    assert (get(POP_KEY, "POP3 Use Sicily"), get(POP_KEY, "Leave on Server"), get(POP_KEY, "SMTP Auth Method")) == (
        0,
        1,
        0,
    )
    assert registry.read(POP_KEY, "POP3 Use SPA") is None  # only the name Outlook used is written
    after = snapshot(registry)
    changed = {k for k in after if after[k] != before.get(k)}
    assert {key for key, _ in changed} == {IMAP_KEY.lower(), POP_KEY.lower()}  # nothing else, nothing removed
    assert set(before) <= set(after)
    for name in ("imap password", "imap store eid", "mini uid", "clsid", "account name"):
        assert after[(IMAP_KEY.lower(), name)] == before[(IMAP_KEY.lower(), name)]

    again = fixer.repair_registry(registry, settings(), tmp_path, is_running=never_running)
    assert again.changes == () and again.restore_file is None
    assert [p.name for p in tmp_path.iterdir()] == [result.restore_file.name]


def test_outlook_restore_file_puts_every_value_back(tmp_path: Path) -> None:
    registry = outlook_profile()
    before = snapshot(registry)
    result = fixer.repair_registry(registry, settings(), tmp_path, is_running=never_running)
    assert result.restore_file is not None
    data = result.restore_file.read_bytes()
    assert data.startswith(b"\xff\xfe") and "hex:".encode("utf-16-le") in data  # regedit's format, binary strings
    apply_reg(data, registry)
    assert snapshot(registry) == before


def test_outlook_repair_is_refused_while_outlook_runs(tmp_path: Path) -> None:
    registry = outlook_profile()
    before = snapshot(registry)
    with pytest.raises(fixer.OutlookRunning, match="close Outlook"):
        fixer.repair_registry(registry, settings(), tmp_path, is_running=lambda: True)
    assert snapshot(registry) == before and list(tmp_path.iterdir()) == []


class _BrokenRegistry(MemoryRegistry):
    armed = False

    def write(self, value: RegistryValue) -> None:
        if self.armed and value.name == "SMTP Port":
            raise RegistryError("access denied")
        super().write(value)


def test_a_failed_write_changes_nothing_and_leaves_no_restore_file(tmp_path: Path) -> None:
    registry = _BrokenRegistry(outlook_profile().values())
    registry.armed = True
    before = snapshot(registry)
    with pytest.raises(RegistryError):
        fixer.repair_registry(registry, settings(), tmp_path, is_running=never_running)
    assert snapshot(registry) == before and list(tmp_path.iterdir()) == []


def test_reg_files_round_trip_every_kind() -> None:
    values = [
        text(IMAP_KEY, 'A "quoted" \\ name', "välue"),
        dword(IMAP_KEY, "n", 0xFFFFFFFF),
        RegistryValue(IMAP_KEY, "s", RegistryKind.SZ, 'C:\\x "y"'),
        RegistryValue(IMAP_KEY, "e", RegistryKind.EXPAND_SZ, "%APPDATA%\\x"),
    ]
    assert [v for _, _, v in parse_reg(setup_reg(values))] == values
    with pytest.raises(ValueError):
        parse_reg(b"REGEDIT4\r\n")


def test_memory_registry_lists_subkeys_case_insensitively() -> None:
    registry = outlook_profile()
    assert registry.subkeys(PROFILES) == ["Outlook", "Work"]
    assert registry.subkeys(ACCOUNTS.upper())[:2] == ["00000001", "00000002"]
    assert registry.subkeys(r"Software\Nothing") == []


def test_profiles_install_repairs_the_outlook_account_only_with_consent(tmp_path: Path) -> None:
    from setup_assistant.core.clients import Client
    from setup_assistant.core.clients.profiles import write_profiles

    registry = outlook_profile()
    before = snapshot(registry)
    common = {"install": True, "platform": "win32", "registry": registry, "app_data": tmp_path / "app", "record": False}
    declined = write_profiles(settings(), tmp_path / "out", [Client.OUTLOOK], repair_consent=lambda _: False, **common)
    (outcome,) = declined.clients
    assert not declined.ok and outcome.error is not None and "already has jane.doe@example.org" in outcome.error
    assert outcome.files  # the files were still written
    assert snapshot(registry) == before  # and nothing in the registry changed

    agreed = write_profiles(settings(), tmp_path / "out", [Client.OUTLOOK], repair_consent=lambda _: True, **common)
    (outcome,) = agreed.clients
    assert agreed.ok and outcome.installed is not None and outcome.installed.startswith("Repaired the Outlook accounts")
    value = registry.read(IMAP_KEY, "IMAP Use SPA")
    assert value is not None and value.data == 0


def test_a_value_that_cannot_be_restored_changes_nothing_and_says_why(tmp_path: Path) -> None:
    """Outlook's current value holds a line break (another tool wrote it): no .reg file can put it back, so the
    install must not change the registry at all, and says so in plain words (before: changed, then crashed)."""
    from setup_assistant.core import i18n
    from setup_assistant.core.clients import Client
    from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY
    from setup_assistant.core.clients.profiles import write_profiles

    registry = MemoryRegistry([RegistryValue(AUTODISCOVER_KEY, "example.org", RegistryKind.SZ, "C:\\old\nvalue.xml")])
    before = snapshot(registry)
    common = {"install": True, "platform": "win32", "registry": registry, "app_data": tmp_path / "app", "record": False}
    outcome = write_profiles(settings(), tmp_path / "out", [Client.OUTLOOK], **common)
    (client,) = outcome.clients
    assert not outcome.ok and client.error is not None
    assert "cannot be saved in a restore file" in client.error and "nothing was changed" in client.error
    assert snapshot(registry) == before
    assert not list((tmp_path / "app").rglob("*.reg"))  # no restore file for a state it cannot restore
    saved = i18n._language
    try:
        i18n.set_language("es")
        assert "no se cambió nada" in i18n.human(client.error)
    finally:
        i18n._language = saved
