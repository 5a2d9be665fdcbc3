"""Thunderbird: autoconfig parsed back field by field, prefs.js edited in place safely, profiles found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from setup_assistant.core.account import AccountSettings, NoSecureEndpoint, settings_without_probe
from setup_assistant.core.address import parse_address
from setup_assistant.core.clients.thunderbird import writer as thunderbird
from setup_assistant.core.clients.thunderbird.prefs import (
    HEADER_LINES,
    PrefsFile,
    PrefsSyntaxError,
    PrefValue,
    format_pref,
    format_value,
    parse_prefs,
)
from setup_assistant.core.clients.thunderbird.writer import (
    AUTOCONFIG_FILE,
    ProfileWriteError,
    ThunderbirdProfile,
    ThunderbirdRunning,
    build_autoconfig,
    find_profiles,
    hold_profile,
    install_account,
    write_autoconfig,
)
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.provider import Provider, load_provider
from tests.core.clients import thunderbird_rules

DATA = Path(__file__).parent / "data" / "thunderbird"
TWO_ACCOUNTS = DATA / "prefs-two-accounts.js"
HOST = "npomail.electricembers.net"
PASSWORD = "Pa55-w0rd-never-in-files"


@pytest.fixture(scope="module")
def provider() -> Provider:
    return load_provider()


def settings(
    provider: Provider,
    address: str = "jane@example.org",
    *,
    name: str | None = "Jane Doe",
    protocol: MailProtocol = MailProtocol.IMAP,
    days: int | None = None,
    working: tuple[Endpoint, ...] | None = None,
    password: str | None = None,
) -> AccountSettings:
    """AccountSettings built directly, so names keep characters the CLI's cleaning would fold."""
    return AccountSettings(
        parse_address(address),
        name,
        provider,
        protocol,
        tuple(provider.endpoints()) if working is None else working,
        working is not None,
        days,
        password,
    )


def ssl_only(provider: Provider) -> tuple[Endpoint, ...]:
    return tuple(e for e in provider.endpoints() if e.security is Security.SSL)


def prefs_of(profile: Path) -> dict[str, PrefValue]:
    return {s.name: s.value for s in parse_prefs((profile / "prefs.js").read_bytes())}


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file() and not p.is_symlink()}


def two_account_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "abcd1234.default-release"
    profile.mkdir()
    shutil.copyfile(TWO_ACCOUNTS, profile / "prefs.js")
    return profile


# --- autoconfig ---------------------------------------------------------------------------------------


def _servers(root: ET.Element, tag: str) -> list[tuple[str, str, int, str, str, str]]:
    found = []
    for server in root.iter(tag):
        found.append(
            (
                server.get("type", ""),
                server.findtext("hostname", ""),
                int(server.findtext("port", "0")),
                server.findtext("socketType", ""),
                server.findtext("username", ""),
                server.findtext("authentication", ""),
            )
        )
    return found


def test_autoconfig_parsed_back_field_by_field(provider: Provider, tmp_path: Path) -> None:
    path = write_autoconfig(settings_without_probe(provider, parse_address("jane@example.org")), tmp_path / "tb")
    assert path == tmp_path / "tb" / AUTOCONFIG_FILE
    raw = path.read_bytes()
    assert raw.startswith(b"<?xml") and not raw.startswith(b"\xef\xbb\xbf")
    assert path.stat().st_mode & 0o777 == 0o644
    root = ET.fromstring(raw)
    assert root.tag == "clientConfig" and root.get("version") == "1.1"
    email_provider = root.find("emailProvider")
    assert email_provider is not None and email_provider.get("id") == HOST
    assert [d.text for d in email_provider.findall("domain")] == ["example.org"]
    assert email_provider.findtext("displayName") == "NPOMail (Electric Embers)"
    assert email_provider.findtext("displayShortName") == "NPOMail"
    user, auth = "%EMAILADDRESS%", "password-cleartext"  # the isp/ file serves every address of the domain
    assert _servers(root, "incomingServer") == [
        ("imap", HOST, 143, "STARTTLS", user, auth),
        ("imap", HOST, 993, "SSL", user, auth),
        ("pop3", HOST, 110, "STARTTLS", user, auth),
        ("pop3", HOST, 995, "SSL", user, auth),
    ]
    assert _servers(root, "outgoingServer") == [
        ("smtp", HOST, 587, "STARTTLS", user, auth),
        ("smtp", HOST, 465, "SSL", user, auth),
    ]
    for server in root.iter("incomingServer"):
        pop3 = server.find("pop3")
        if server.get("type") == "pop3":
            assert pop3 is not None
            assert pop3.findtext("leaveMessagesOnServer") == "true"
            assert pop3.findtext("downloadOnBiff") == "true"
            # Thunderbird always deletes by age for XML configs; nobody chose a number, so: a century
            assert int(pop3.findtext("daysToLeaveMessagesOnServer", "0")) >= 36500
        else:
            assert pop3 is None
    texts = [el.text for el in root.iter()] + [v for el in root.iter() for v in el.attrib.values()]
    assert "plain" not in texts
    assert root.find(".//password") is None


def test_autoconfig_pop3_first_with_chosen_days(provider: Provider) -> None:
    root = build_autoconfig(settings(provider, protocol=MailProtocol.POP3, days=30))
    types = [s[0] for s in _servers(root, "incomingServer")]
    assert types == ["pop3", "pop3", "imap", "imap"]
    assert {p.findtext("daysToLeaveMessagesOnServer") for p in root.iter("pop3")} == {"30"}


def test_autoconfig_ssl_only_when_starttls_blocked(provider: Provider) -> None:
    root = build_autoconfig(settings(provider, working=ssl_only(provider)))
    assert [(s[0], s[2], s[3]) for s in _servers(root, "incomingServer")] == [
        ("imap", 993, "SSL"),
        ("pop3", 995, "SSL"),
    ]
    assert [(s[2], s[3]) for s in _servers(root, "outgoingServer")] == [(465, "SSL")]


def test_autoconfig_refuses_without_secure_endpoint(provider: Provider, tmp_path: Path) -> None:
    no_smtp = tuple(e for e in provider.endpoints() if e.protocol is not MailProtocol.SMTP)
    with pytest.raises(NoSecureEndpoint):
        write_autoconfig(settings(provider, working=no_smtp), tmp_path)
    assert not (tmp_path / AUTOCONFIG_FILE).exists()


def test_autoconfig_password_only_when_asked(provider: Provider, tmp_path: Path) -> None:
    plain = write_autoconfig(settings(provider), tmp_path / "a")
    assert PASSWORD.encode() not in plain.read_bytes()
    asked = write_autoconfig(settings(provider, password=PASSWORD), tmp_path / "b")
    assert {p.text for p in ET.parse(asked).getroot().iter("password")} == {PASSWORD}
    assert asked.stat().st_mode & 0o777 == 0o600


def test_autoconfig_hostile_address_is_well_formed(provider: Provider) -> None:
    parsed = parse_address("o'brien+x&y{z}@bücher.example")  # <, > and " are not allowed in addresses
    data = ET.tostring(build_autoconfig(settings(provider, parsed.address)))
    root = ET.fromstring(data)
    assert root.findtext("emailProvider/domain") == "xn--bcher-kva.example"
    config = thunderbird_rules.read_from_xml(data)
    thunderbird_rules.replace_variables(config, "O'Brien", parsed.address)
    assert {s.username for s in [config.incoming, *config.incoming_alternatives]} == {parsed.address}


def test_autoconfig_gives_every_address_of_the_domain_its_own_username(provider: Provider, tmp_path: Path) -> None:
    """The sheet puts the file in Thunderbird's isp/ folder: Thunderbird's own substitution, for two people."""
    data = write_autoconfig(settings(provider, "jane@example.org"), tmp_path).read_bytes()
    assert b"jane" not in data
    for name, address in [("Jane Doe", "jane@example.org"), ("Sam Smith", "sam@example.org")]:
        config = thunderbird_rules.read_from_xml(data)
        thunderbird_rules.replace_variables(config, name, address)
        assert config.incoming.username == address and config.outgoing.username == address
        assert {s.username for s in config.incoming_alternatives} == {address}
        assert (config.realname, config.email_address) == (name, address)
        assert config.incoming.hostname == HOST and config.incoming.socket_type == 2  # STARTTLS first


def test_autoconfig_pop3_keeps_until_i_delete_them_on(provider: Provider) -> None:
    """Why the sheet tells POP users of the isp/ route to untick "Until I delete them": the format cannot."""
    data = ET.tostring(build_autoconfig(settings(provider, protocol=MailProtocol.POP3)))
    config = thunderbird_rules.read_from_xml(data)
    assert config.incoming.type == "pop3"
    assert config.incoming.leave_messages_on_server is True
    assert config.incoming.delete_on_server_when_local_delete is True  # Thunderbird's default, not ours
    assert config.incoming.delete_by_age_from_server is True
    assert config.incoming.days_to_leave_messages_on_server >= 36500


# --- prefs.js parser and writer -----------------------------------------------------------------------

TRICKY_PREFS = (
    b"# a hash comment\r\n"
    b'user_pref("s.double", "a\\"b\\\\c\\nd\\re");\r\n'
    b"user_pref('s.single', 'it\\'s \"fine\"');\n"
    b'/* block\n comment */ user_pref("s.hex", "\\x41\\x7e");\n'
    b'user_pref("s.unicode", "\\u00e9\\ud83d\\ude00");\n'
    b'user_pref("s.raw", "R\xc3\xa9n\xc3\xa9e <&>");  // trailing comment\n'
    b'user_pref("i.neg", -5);\nuser_pref("i.pos", +7);\nuser_pref("i.max", 2147483647);\n'
    b'user_pref("i.min", - 2147483648);\n'
    b'user_pref("b.t", true);\nuser_pref("b.f",false);\n'
    b'pref("p.default", 1, locked);\nsticky_pref("p.sticky", "x");\n'
    b'user_pref("dup", 1);\nuser_pref("dup", 2);\n'
)


def test_parse_prefs_reads_what_mozilla_accepts() -> None:
    values = {s.name: s.value for s in parse_prefs(TRICKY_PREFS)}
    assert values == {
        "s.double": 'a"b\\c\nd\re',
        "s.single": 'it\'s "fine"',
        "s.hex": "A~",
        "s.unicode": "é😀",
        "s.raw": "Rénée <&>",
        "i.neg": -5,
        "i.pos": 7,
        "i.max": 2147483647,
        "i.min": -2147483648,
        "b.t": True,
        "b.f": False,
        "p.default": 1,
        "p.sticky": "x",
        "dup": 2,
    }
    assert isinstance(values["b.t"], bool) and not isinstance(values["i.pos"], bool)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (b'\nuser_pref("a", "unterminated);\n', 2),
        (b'user_pref("a", "tab \\t escape");', 1),
        (b'user_pref("a", "\\x00");', 1),
        (b'user_pref("a", "\\ud83d");', 1),
        (b'\n\nuser_pref("a", 2147483648);', 3),
        (b'user_pref("a", 1)\nuser_pref("b", 2);', 2),
        (b'user_prefs("a", 1);', 1),
        (b'user_pref("a", 12abc);', 1),
        (b'user_pref("a", 1); /* open', 1),
        (b'user_pref("a", 1);\n\xef\xbb\xbf', 2),
    ],
)
def test_parse_prefs_refuses_broken_files(text: bytes, line: int) -> None:
    with pytest.raises(PrefsSyntaxError) as caught:
        parse_prefs(text)
    assert caught.value.line == line


HOSTILE_STRINGS = [
    'Jane "JJ" Doe',
    "back\\slash \\n not a newline",
    "two\nlines\r\nand CR\r",
    "tab\there and \x01 control \x7f",
    "<script>&amp;</script>",
    "Ünïcødé 日本語 😀 \u2028 separator",
    "'single' quotes",
    "x" * 5000,
    "",
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_format_round_trips_hostile_strings(value: str) -> None:
    line = format_pref("mail.identity.id1.fullName", value)
    assert b"\n" not in line and b"\r" not in line
    [statement] = parse_prefs(line + b"\n")
    assert statement.name == "mail.identity.id1.fullName"
    assert statement.value == value


def test_format_values() -> None:
    assert format_value(True) == b"true" and format_value(False) == b"false"
    assert format_value(-7) == b"-7"
    assert format_value('a"b\\c') == b'"a\\"b\\\\c"'
    with pytest.raises(ValueError):
        format_value("nul \x00 inside")
    with pytest.raises(ValueError):
        format_value(2**31)


def test_prefs_file_edit_touches_only_the_value() -> None:
    original = b'// head\nuser_pref("a", 1);   // keep me\nuser_pref("b", "x");\nuser_pref("c", true);'
    prefs = PrefsFile(original)
    prefs.set("a", 22)
    prefs.set("b", "x")  # same value: no edit
    prefs.set("new.one", "v")
    assert prefs.changed
    assert prefs.to_bytes() == (
        b'// head\nuser_pref("a", 22);   // keep me\nuser_pref("b", "x");\nuser_pref("c", true);\n'
        b'user_pref("new.one", "v");\n'
    )
    untouched = PrefsFile(original)
    untouched.set("c", True)
    assert not untouched.changed and untouched.to_bytes() == original


# --- install_account ----------------------------------------------------------------------------------

MODIFIED = ("mail.accountmanager.accounts", "mail.account.lastKey", "mail.smtpservers")


def test_existing_profile_gains_a_third_account(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    original = (profile / "prefs.js").read_bytes()
    before = prefs_of(profile)

    result = install_account(settings(provider), profile)

    assert result.changed and result.account_key == "account3" and result.profile == profile
    assert result.backup is not None and result.backup.read_bytes() == original
    assert result.backup.name.startswith("prefs.js.setup-assistant-") and result.backup.name.endswith(".bak")
    assert "jane@example.org" in result.message

    new = (profile / "prefs.js").read_bytes()
    old_lines, new_lines = original.splitlines(keepends=True), new.splitlines(keepends=True)
    for old, line in zip(old_lines, new_lines, strict=False):
        if not any(old.startswith(f'user_pref("{name}"'.encode()) for name in MODIFIED):
            assert line == old  # every other line byte for byte, in place
    assert new.startswith(b"".join(old_lines[:12]))

    after = prefs_of(profile)
    for name, value in before.items():
        if name not in MODIFIED:
            assert after[name] == value, name
    assert after["mail.accountmanager.accounts"] == "account1,account2,account3"
    assert after["mail.account.lastKey"] == 3
    assert after["mail.smtpservers"] == "smtp1,smtp2"
    assert after["mail.accountmanager.defaultaccount"] == "account1"  # the old default stays the default
    assert after["mail.smtp.defaultserver"] == "smtp1"
    assert after["mail.account.account3.server"] == "server3"
    assert after["mail.account.account3.identities"] == "id2"
    expected = {
        "mail.server.server3.type": "imap",
        "mail.server.server3.hostname": HOST,
        "mail.server.server3.port": 143,
        "mail.server.server3.socketType": 2,
        "mail.server.server3.authMethod": 3,
        "mail.server.server3.userName": "jane@example.org",
        "mail.server.server3.name": "jane@example.org",
        "mail.server.server3.login_at_startup": True,
        "mail.server.server3.check_new_mail": True,
        "mail.server.server3.check_time": 10,
        "mail.identity.id2.useremail": "jane@example.org",
        "mail.identity.id2.fullName": "Jane Doe",
        "mail.identity.id2.valid": True,
        "mail.identity.id2.smtpServer": "smtp2",
        "mail.identity.id2.fcc_folder": f"imap://jane%40example.org@{HOST}/Sent",
        "mail.identity.id2.draft_folder": f"imap://jane%40example.org@{HOST}/Drafts",
        "mail.identity.id2.stationery_folder": f"imap://jane%40example.org@{HOST}/Templates",
        "mail.identity.id2.archive_folder": f"imap://jane%40example.org@{HOST}/Archives",
        "mail.identity.id2.fcc_folder_picker_mode": "0",
        "mail.identity.id2.reply_on_top": 0,  # copied from the default identity, as Thunderbird does
        "mail.smtpserver.smtp2.type": "smtp",
        "mail.smtpserver.smtp2.hostname": HOST,
        "mail.smtpserver.smtp2.port": 587,
        "mail.smtpserver.smtp2.try_ssl": 2,
        "mail.smtpserver.smtp2.authMethod": 3,
        "mail.smtpserver.smtp2.username": "jane@example.org",
        "security.enterprise_roots.enabled": True,
    }
    assert {k: after.get(k) for k in expected} == expected
    assert not any(k.startswith("mail.server.server3.") and "leave_on_server" in k for k in after)


def test_second_run_changes_nothing(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    first = install_account(settings(provider), profile)
    snapshot = listing(profile)
    again = install_account(settings(provider, "JANE@example.org", name="Someone Else"), profile)
    assert not again.changed and again.backup is None and again.account_key == first.account_key
    assert "already" in again.message
    assert listing(profile) == snapshot


def test_crlf_profile_stays_crlf(provider: Provider, tmp_path: Path) -> None:
    profile = tmp_path / "win"
    profile.mkdir()
    (profile / "prefs.js").write_bytes(TWO_ACCOUNTS.read_bytes().replace(b"\n", b"\r\n"))
    install_account(settings(provider), profile)
    data = (profile / "prefs.js").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert prefs_of(profile)["mail.account.lastKey"] == 3


def test_fresh_profile_without_prefs_js(provider: Provider, tmp_path: Path) -> None:
    result = install_account(settings(provider), tmp_path)
    assert result.changed and result.backup is None and result.account_key == "account1"
    data = (tmp_path / "prefs.js").read_bytes()
    assert data.startswith("\n".join(HEADER_LINES).encode() + b"\n")
    prefs = prefs_of(tmp_path)
    assert prefs["mail.accountmanager.accounts"] == "account1"
    assert prefs["mail.accountmanager.defaultaccount"] == "account1"
    assert prefs["mail.account.lastKey"] == 1
    assert prefs["mail.smtpservers"] == "smtp1" and prefs["mail.smtp.defaultserver"] == "smtp1"
    assert prefs["mail.identity.id1.smtpServer"] == "smtp1"
    assert prefs["mail.identity.id1.reply_on_top"] == 1
    assert (tmp_path / "prefs.js").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefs.js"]


def test_no_full_name_when_no_name_given(provider: Provider, tmp_path: Path) -> None:
    install_account(settings(provider, name=None), tmp_path)
    assert not any(name.endswith(".fullName") for name in prefs_of(tmp_path))


def test_local_folders_default_is_replaced(provider: Provider, tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(
        'user_pref("mail.accountmanager.accounts", "account1");\n'
        'user_pref("mail.accountmanager.defaultaccount", "account1");\n'
        'user_pref("mail.account.account1.server", "server1");\n'
        'user_pref("mail.server.server1.type", "none");\n',
        encoding="utf-8",
    )
    install_account(settings(provider), tmp_path)
    prefs = prefs_of(tmp_path)
    assert prefs["mail.accountmanager.defaultaccount"] == "account2"
    assert prefs["mail.account.lastKey"] == 2


def test_fresh_keys_avoid_leftovers(provider: Provider, tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(
        'user_pref("mail.account.lastKey", 4);\n'
        'user_pref("mail.accountmanager.accounts", "account1");\n'
        'user_pref("mail.account.account1.server", "server2");\n'
        'user_pref("mail.account.account1.identities", "id1,id3");\n'
        'user_pref("mail.server.server2.type", "imap");\n'
        'user_pref("mail.account.account5.server", "server9");\n'  # leftovers of a removed account
        'user_pref("mail.identity.id7.useremail", "gone@example.org");\n'
        'user_pref("mail.server.server9.hostname", "gone.example.org");\n'
        'user_pref("mail.smtpservers", "smtp1,smtp4");\n',
        encoding="utf-8",
    )
    result = install_account(settings(provider), tmp_path)
    prefs = prefs_of(tmp_path)
    assert result.account_key == "account6" and prefs["mail.account.lastKey"] == 6
    assert prefs["mail.account.account6.server"] == "server10"
    assert prefs["mail.account.account6.identities"] == "id8"
    assert prefs["mail.smtpservers"] == "smtp1,smtp4,smtp5"
    # Thunderbird already treats account1 (the first that can be) as the default, and so it stays
    assert "mail.accountmanager.defaultaccount" not in prefs
    assert prefs["mail.smtp.defaultserver"] == "smtp5"  # the listed ones have no host name: no usable default


def test_identical_outgoing_server_is_reused(provider: Provider, tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(
        'user_pref("mail.smtpservers", "smtp3");\n'
        'user_pref("mail.smtp.defaultserver", "smtp3");\n'
        f'user_pref("mail.smtpserver.smtp3.hostname", "{HOST}");\n'
        'user_pref("mail.smtpserver.smtp3.port", 587);\n'
        'user_pref("mail.smtpserver.smtp3.try_ssl", 2);\n'
        'user_pref("mail.smtpserver.smtp3.username", "jane@example.org");\n',
        encoding="utf-8",
    )
    install_account(settings(provider), tmp_path)
    prefs = prefs_of(tmp_path)
    assert prefs["mail.smtpservers"] == "smtp3"
    assert prefs["mail.identity.id1.smtpServer"] == "smtp3"
    assert not any(name.startswith("mail.smtpserver.smtp4.") for name in prefs)


def test_pop3_leaves_mail_on_the_server(provider: Provider, tmp_path: Path) -> None:
    install_account(settings(provider, protocol=MailProtocol.POP3), tmp_path)
    prefs = prefs_of(tmp_path)
    srv = "mail.server.server1."
    assert prefs[srv + "type"] == "pop3" and prefs[srv + "port"] == 110 and prefs[srv + "socketType"] == 2
    assert prefs[srv + "leave_on_server"] is True
    assert prefs[srv + "delete_by_age_from_server"] is False
    assert prefs[srv + "delete_mail_left_on_server"] is False
    assert prefs[srv + "download_on_biff"] is True
    assert srv + "num_days_to_leave_on_server" not in prefs
    assert prefs["mail.identity.id1.fcc_folder"] == f"mailbox://jane%40example.org@{HOST}/Sent"


def test_pop3_deletes_only_after_the_chosen_days(provider: Provider, tmp_path: Path) -> None:
    install_account(settings(provider, protocol=MailProtocol.POP3, days=30), tmp_path)
    prefs = prefs_of(tmp_path)
    srv = "mail.server.server1."
    assert prefs[srv + "leave_on_server"] is True
    assert prefs[srv + "num_days_to_leave_on_server"] == 30
    assert prefs[srv + "delete_by_age_from_server"] is True
    # Age-based deletion only: "Until I delete them" would remove the server copy at every local delete.
    assert prefs[srv + "delete_mail_left_on_server"] is False


def test_ssl_only_endpoints_give_socket_type_3(provider: Provider, tmp_path: Path) -> None:
    install_account(settings(provider, working=ssl_only(provider)), tmp_path)
    prefs = prefs_of(tmp_path)
    assert (prefs["mail.server.server1.port"], prefs["mail.server.server1.socketType"]) == (993, 3)
    assert (prefs["mail.smtpserver.smtp1.port"], prefs["mail.smtpserver.smtp1.try_ssl"]) == (465, 3)


def test_no_secure_endpoint_touches_nothing(provider: Provider, tmp_path: Path) -> None:
    no_imap = tuple(e for e in provider.endpoints() if e.protocol is not MailProtocol.IMAP)
    with pytest.raises(NoSecureEndpoint):
        install_account(settings(provider, working=no_imap), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", [*HOSTILE_STRINGS[:-2], 'Ünï <&> "q" \\ \n end', "x" * 200])
def test_hostile_names_round_trip(provider: Provider, tmp_path: Path, name: str) -> None:
    install_account(settings(provider, name=name), tmp_path)
    data = (tmp_path / "prefs.js").read_bytes()
    assert prefs_of(tmp_path)["mail.identity.id1.fullName"] == name
    [line] = [line for line in data.splitlines() if b".fullName" in line]
    assert line.endswith(b");")  # one line: newlines inside the name are escaped


def test_hostile_address_escaped_in_folder_uris(provider: Provider, tmp_path: Path) -> None:
    install_account(settings(provider, "o'brien+x&y@bücher.example"), tmp_path)
    prefs = prefs_of(tmp_path)
    assert prefs["mail.server.server1.userName"] == "o'brien+x&y@bücher.example"
    assert prefs["mail.identity.id1.fcc_folder"] == f"imap://o'brien%2Bx%26y%40b%C3%BCcher.example@{HOST}/Sent"


def test_unstorable_name_is_refused_before_writing(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    snapshot = listing(profile)
    with pytest.raises(ProfileWriteError) as caught:
        install_account(settings(provider, name="nul \x00 byte"), profile)
    assert "NUL" in str(caught.value)
    assert listing(profile) == snapshot


def test_password_never_written(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    install_account(settings(provider, password=PASSWORD), profile)
    install_account(settings(provider, "second@example.org", password=PASSWORD), profile)
    files = list(profile.iterdir())
    assert len(files) == 3  # prefs.js and two backups
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_crash_while_writing_leaves_old_prefs(provider: Provider, tmp_path: Path, monkeypatch) -> None:
    profile = two_account_profile(tmp_path)
    snapshot = listing(profile)

    def crash(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ProfileWriteError) as caught:
        install_account(settings(provider), profile)
    assert "unchanged" in str(caught.value)
    assert listing(profile) == snapshot  # old prefs.js intact, no temp file, no stray backup
    assert [p.name for p in profile.iterdir()] == ["prefs.js"]


def test_damaged_prefs_js_is_not_touched(provider: Provider, tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_bytes(b'user_pref("a", 1);\nuser_pref("broken", "no end);\n')
    snapshot = listing(tmp_path)
    with pytest.raises(ProfileWriteError) as caught:
        install_account(settings(provider), tmp_path)
    assert "line 2" in str(caught.value)
    assert listing(tmp_path) == snapshot


def test_user_js_fixing_the_account_list_is_refused(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    (profile / "user.js").write_text('user_pref("mail.accountmanager.accounts", "account1,account2");\n')
    snapshot = listing(profile)
    with pytest.raises(ProfileWriteError, match=r"user\.js"):
        install_account(settings(provider), profile)
    assert listing(profile) == snapshot


def test_missing_profile_folder(provider: Provider, tmp_path: Path) -> None:
    with pytest.raises(ProfileWriteError, match="no Thunderbird profile folder"):
        install_account(settings(provider), tmp_path / "nope")


# --- the profile lock ---------------------------------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fcntl and symlink locks are Unix")


@posix_only
def test_fcntl_locked_profile_is_refused_and_untouched(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    (profile / ".parentlock").write_bytes(b"")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
            str(profile / ".parentlock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        snapshot = listing(profile)
        with pytest.raises(ThunderbirdRunning) as caught:
            install_account(settings(provider), profile)
        assert "quit Thunderbird" in str(caught.value)
        assert listing(profile) == snapshot
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    assert install_account(settings(provider), profile).changed  # lock released: now it works


@posix_only
@pytest.mark.parametrize("remote", [False, True])
def test_symlink_lock_of_a_live_process_is_refused(provider: Provider, tmp_path: Path, remote: bool) -> None:
    profile = two_account_profile(tmp_path)
    address = "203.0.113.7" if remote else str(thunderbird._own_address())
    os.symlink(f"{address}:{os.getpid() if not remote else 1}", profile / "lock")
    snapshot = listing(profile)
    with pytest.raises(ThunderbirdRunning):
        install_account(settings(provider), profile)
    assert listing(profile) == snapshot


@posix_only
def test_stale_symlink_lock_is_ignored(provider: Provider, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(timeout=10)
    profile = two_account_profile(tmp_path)
    os.symlink(f"{thunderbird._own_address()}:{dead.pid}", profile / "lock")
    assert install_account(settings(provider), profile).changed
    assert os.path.islink(profile / "lock")  # Thunderbird's own file is left alone


@posix_only
def test_symlink_with_plus_is_stale_once_we_hold_the_fcntl_lock(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    (profile / ".parentlock").write_bytes(b"")
    os.symlink(f"{thunderbird._own_address()}:+{os.getpid()}", profile / "lock")
    assert install_account(settings(provider), profile).changed


def test_windows_parent_lock(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "parent.lock").write_bytes(b"")
    with hold_profile(tmp_path, platform="win32"):
        pass  # the file stays after Thunderbird quits; only an open handle means it runs
    real_open = os.open

    def sharing_violation(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).name == "parent.lock":
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", sharing_violation)
    with pytest.raises(ThunderbirdRunning), hold_profile(tmp_path, platform="win32"):
        pass


# --- finding profiles ---------------------------------------------------------------------------------


def _ini(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_find_profiles_windows(tmp_path: Path) -> None:
    root = tmp_path / "AppData" / "Roaming" / "Thunderbird"
    elsewhere = tmp_path / "D-drive" / "Mail Profile"
    for folder in (root / "Profiles" / "aaaa.default", root / "Profiles" / "bbbb.default-release", elsewhere):
        folder.mkdir(parents=True)
    _ini(
        root / "profiles.ini",
        "[Profile2]\nName=work\nIsRelative=0\nPath=" + str(elsewhere) + "\n\n"
        "[Profile1]\nName=default\nIsRelative=1\nPath=Profiles/aaaa.default\nDefault=1\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/bbbb.default-release\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n\n"
        "[Install8216C80C92C4E828]\nDefault=Profiles/bbbb.default-release\nLocked=1\n",
    )
    _ini(root / "installs.ini", "[8216C80C92C4E828]\nDefault=Profiles/bbbb.default-release\nLocked=1\n")
    found = find_profiles(home=tmp_path, platform="win32")
    assert found == [
        ThunderbirdProfile("default-release", root / "Profiles" / "bbbb.default-release", True),
        ThunderbirdProfile("default", root / "Profiles" / "aaaa.default", False),
        ThunderbirdProfile("work", elsewhere, False),
    ]


def test_find_profiles_macos_legacy_default(tmp_path: Path) -> None:
    root = tmp_path / "Library" / "Thunderbird"
    (root / "Profiles" / "x1.default").mkdir(parents=True)
    (root / "Profiles" / "x2.other").mkdir(parents=True)
    _ini(
        root / "profiles.ini",
        "[General]\nStartWithLastProfile=1\n\n"
        "[Profile0]\nName=other\nIsRelative=1\nPath=Profiles/x2.other\n\n"
        "[Profile1]\nName=default\nIsRelative=1\nPath=Profiles/x1.default\nDefault=1\n",
    )
    found = find_profiles(home=tmp_path, platform="darwin")
    assert [(p.name, p.is_default) for p in found] == [("default", True), ("other", False)]
    assert find_profiles(home=tmp_path, platform="linux") == []


def test_find_profiles_linux_native_flatpak_and_missing(tmp_path: Path) -> None:
    native = tmp_path / ".thunderbird"
    (native / "k9x.default-release").mkdir(parents=True)
    (native / "old.default").mkdir(parents=True)
    _ini(
        native / "profiles.ini",
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=k9x.default-release\n\n"
        "[Profile1]\nName=default\nIsRelative=1\nPath=old.default\nDefault=1\n\n"
        "[Profile2]\nName=deleted\nIsRelative=1\nPath=gone.default\n",
    )
    _ini(native / "installs.ini", "[4F96D1932A9F858E]\nDefault=k9x.default-release\nLocked=1\n")
    flatpak = tmp_path / ".var" / "app" / "org.mozilla.Thunderbird" / ".thunderbird"
    (flatpak / "fp.default-release").mkdir(parents=True)
    _ini(flatpak / "profiles.ini", "[Profile0]\nName=flatpak\nIsRelative=1\nPath=fp.default-release\nDefault=1\n")

    found = find_profiles(home=tmp_path, platform="linux")
    assert [(p.name, p.path, p.is_default) for p in found] == [
        ("default-release", native / "k9x.default-release", True),
        ("flatpak", flatpak / "fp.default-release", True),
        ("default", native / "old.default", False),
    ]


def test_find_profiles_without_thunderbird_or_with_garbage(tmp_path: Path) -> None:
    assert find_profiles(home=tmp_path, platform="linux") == []
    _ini(tmp_path / ".thunderbird" / "profiles.ini", "this is [not an ini\n=\x00\n")
    assert find_profiles(home=tmp_path, platform="linux") == []


def test_an_account_set_up_by_hand_gets_only_the_enterprise_roots_pref(provider: Provider, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    install_account(settings(provider), profile)
    prefs = profile / "prefs.js"
    without = b"".join(line for line in prefs.read_bytes().splitlines(keepends=True) if b"enterprise_roots" not in line)
    prefs.write_bytes(without)
    assert not thunderbird.enterprise_roots_enabled(profile)
    result = install_account(settings(provider), profile)
    assert result.changed and result.backup is not None and result.backup.read_bytes() == without
    assert "enterprise_roots" in result.message
    assert prefs.read_bytes().startswith(without)  # one line added, nothing else touched
    assert thunderbird.enterprise_roots_enabled(profile)
    assert not install_account(settings(provider), profile).changed
    assert thunderbird.enable_enterprise_roots(profile) is False  # already on


# --- an absent security.enterprise_roots.enabled is the installed Thunderbird's default ----------------------


def fake_thunderbird(tmp_path: Path, version: str, text_default: bool | None = None) -> Path:
    """An installation folder as compatibility.ini names it: omni.ja with greprefs.js, optionally a default."""
    import zipfile

    app = tmp_path / f"thunderbird-{version}"
    (app / "defaults" / "pref").mkdir(parents=True)
    with zipfile.ZipFile(app / "omni.ja", "w") as omni:
        omni.writestr("greprefs.js", 'pref("security.tls.version.min", 3);\n')
        omni.writestr("defaults/pref/mailnews.js", 'pref("mail.biff.play_sound", true);\n')
    if text_default is not None:
        value = "true" if text_default else "false"
        (app / "defaults" / "pref" / "vendor.js").write_text(f'pref("{thunderbird.ENTERPRISE_ROOTS_PREF}", {value});\n')
    return app


def ran_with(profile: Path, app: Path, version: str) -> None:
    """What Thunderbird writes into a profile it opened."""
    (profile / "compatibility.ini").write_text(
        f"[Compatibility]\nLastVersion={version}_20261120213735/20261120213735\nLastOSABI=Linux_x86_64-gcc3\n"
        f"LastPlatformDir={app}\nLastAppDir={app}\n"
    )


def drop_pref_like_thunderbird(profile: Path) -> None:
    prefs = profile / "prefs.js"
    kept = [line for line in prefs.read_bytes().splitlines(keepends=True) if b"enterprise_roots" not in line]
    prefs.write_bytes(b"".join(kept))


def backups(profile: Path) -> list[Path]:
    return sorted(profile.glob("prefs.js.setup-assistant-*.bak"))


def test_second_install_after_thunderbird_ran_is_a_no_op(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    install_account(settings(provider), profile)
    assert prefs_of(profile)[thunderbird.ENTERPRISE_ROOTS_PREF] is True  # never run here: the default is unknown
    # Thunderbird 153 starts, finds the pref equal to its default and drops it from prefs.js.
    ran_with(profile, fake_thunderbird(tmp_path, "153.8.0"), "153.8.0")
    drop_pref_like_thunderbird(profile)
    before, saved = (profile / "prefs.js").read_bytes(), backups(profile)
    assert thunderbird.enterprise_roots_enabled(profile)  # absent = the default, which is on in 153
    result = install_account(settings(provider), profile)
    assert not result.changed and result.backup is None
    assert (profile / "prefs.js").read_bytes() == before
    assert backups(profile) == saved  # no new backup
    assert thunderbird.enable_enterprise_roots(profile) is False
    assert backups(profile) == saved


def test_new_account_leaves_out_the_pref_where_it_is_the_default(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    ran_with(profile, fake_thunderbird(tmp_path, "153.8.0"), "153.8.0")
    install_account(settings(provider), profile)
    assert thunderbird.ENTERPRISE_ROOTS_PREF not in prefs_of(profile)


@pytest.mark.parametrize(
    ("version", "text_default", "written"),
    [
        ("115.18.0", None, True),  # before the platform turned it on
        ("153.8.0", False, True),  # an installation whose own defaults say false
        ("102.0", True, False),  # an old version whose defaults say true
    ],
)
def test_the_pref_is_written_only_where_the_default_is_off(
    provider: Provider, tmp_path: Path, version: str, text_default: bool | None, written: bool
) -> None:
    profile = two_account_profile(tmp_path)
    ran_with(profile, fake_thunderbird(tmp_path, version, text_default), version)
    assert thunderbird.enterprise_roots_enabled(profile) is not written
    install_account(settings(provider), profile)
    assert (thunderbird.ENTERPRISE_ROOTS_PREF in prefs_of(profile)) is written
    assert thunderbird.enterprise_roots_enabled(profile)


def test_user_js_decides_the_pref(provider: Provider, tmp_path: Path) -> None:
    profile = two_account_profile(tmp_path)
    (profile / "user.js").write_text(f'user_pref("{thunderbird.ENTERPRISE_ROOTS_PREF}", false);\n')
    install_account(settings(provider), profile)
    assert thunderbird.ENTERPRISE_ROOTS_PREF not in prefs_of(profile)  # prefs.js could not override user.js
    assert not thunderbird.enterprise_roots_enabled(profile)
    assert not install_account(settings(provider), profile).changed
