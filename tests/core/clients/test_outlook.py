"""Outlook files parsed back field by field, and the registry adapter's apply/undo round trip."""

from __future__ import annotations

import codecs
import configparser
import dataclasses
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from setup_assistant.core.clients.outlook import registry as outlook_registry
from setup_assistant.core.clients.outlook import writer as outlook
from setup_assistant.core.clients.outlook.registry import MemoryRegistry, RegistryError, RegistryKind, RegistryValue
from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY, SETUP_KEY
from setup_assistant.core.model import MailProtocol, Security
from setup_assistant.core.profile_files import ProfileInputError
from tests.core.clients.profile_support import HOST, decode_reg, parse_reg, settings

A = "{http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006}"
R = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
XML_PATH = r"C:\Users\Jane\AppData\Local\NPOMail Setup Assistant\outlook\example.org\autodiscover.xml"

# The element list of the reference (apple-outlook.md B1), in its order.
INCOMING_ELEMENTS = [
    "Type",
    "Server",
    "Port",
    "LoginName",
    "DomainRequired",
    "SPA",
    "SSL",
    "Encryption",
    "AuthRequired",
]
SMTP_ELEMENTS = [*INCOMING_ELEMENTS, "UsePOPAuth", "SMTPLast"]

IMAP, POP3, SMTP = MailProtocol.IMAP, MailProtocol.POP3, MailProtocol.SMTP
SSL, STARTTLS = Security.SSL, Security.STARTTLS


def protocols(xml: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(xml)
    assert root.tag == f"{A}Autodiscover"
    response = root.find(f"{R}Response")
    assert response is not None
    account = response.find(f"{R}Account")
    assert account is not None
    assert account.findtext(f"{R}AccountType") == "email"
    assert account.findtext(f"{R}Action") == "settings"
    found = []
    for element in account.findall(f"{R}Protocol"):
        tags = [child.tag.removeprefix(R) for child in element]
        expected = SMTP_ELEMENTS if element.findtext(f"{R}Type") == "SMTP" else INCOMING_ELEMENTS
        assert tags == expected
        found.append({child.tag.removeprefix(R): child.text or "" for child in element})
    return found


def test_autodiscover_spells_out_every_element_with_ssl_ports() -> None:
    xml = outlook.autodiscover_xml(settings())
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    imap, smtp = protocols(xml)
    common = {
        "Server": HOST,
        "LoginName": "jane.doe@example.org",
        "DomainRequired": "off",
        "SPA": "off",
        "SSL": "on",
        "Encryption": "SSL",
        "AuthRequired": "on",
    }
    assert imap == {"Type": "IMAP", "Port": "993", **common}
    assert smtp == {"Type": "SMTP", "Port": "465", **common, "UsePOPAuth": "on", "SMTPLast": "off"}
    user = ET.fromstring(xml).find(f"{R}Response/{R}User")
    assert user is not None and user.findtext(f"{R}DisplayName") == "Jane Doe"


def test_autodiscover_pop3_and_no_user_without_a_name() -> None:
    xml = outlook.autodiscover_xml(settings(name=None, protocol=POP3))
    pop, smtp = protocols(xml)
    assert (pop["Type"], pop["Port"], pop["Encryption"]) == ("POP3", "995", "SSL")
    assert smtp["Port"] == "465"
    assert ET.fromstring(xml).find(f"{R}Response/{R}User") is None


def test_starttls_only_where_ssl_is_blocked_and_never_ssl_off() -> None:
    s = settings(working=[(IMAP, STARTTLS), (SMTP, SSL), (SMTP, STARTTLS)])
    imap, smtp = protocols(outlook.autodiscover_xml(s))
    assert (imap["Port"], imap["Encryption"], imap["SSL"]) == ("143", "TLS", "on")
    assert (smtp["Port"], smtp["Encryption"]) == ("465", "SSL")


def test_setup_reg_is_regedit_format_with_escaped_paths() -> None:
    values = outlook.registry_values(settings(), XML_PATH)
    data = outlook_registry.setup_reg(values)
    text = decode_reg(data)
    assert text.startswith("Windows Registry Editor Version 5.00\r\n\r\n")
    assert text.endswith("\r\n\r\n")
    assert '"example.org"="C:\\\\Users\\\\Jane\\\\AppData' in text
    entries = parse_reg(data)
    assert [(k, n, v) for k, n, v in entries] == [(v.key, v.name, v) for v in values]
    by_name = {n: v for _, n, v in entries}
    assert by_name["example.org"] == RegistryValue(AUTODISCOVER_KEY, "example.org", RegistryKind.SZ, XML_PATH)
    for name in ("PreferLocalXML", "ExcludeExplicitO365Endpoint"):
        assert by_name[name] == RegistryValue(AUTODISCOVER_KEY, name, RegistryKind.DWORD, 1)
    assert by_name["DisableOffice365SimplifiedAccountCreation"] == RegistryValue(
        SETUP_KEY, "DisableOffice365SimplifiedAccountCreation", RegistryKind.DWORD, 1
    )
    assert AUTODISCOVER_KEY == r"Software\Microsoft\Office\16.0\Outlook\AutoDiscover"


def test_undo_reg_removes_exactly_the_setup_values() -> None:
    values = outlook.registry_values(settings(), XML_PATH)
    setup = [(k, n) for k, n, _ in parse_reg(outlook_registry.setup_reg(values))]
    undo = parse_reg(outlook_registry.undo_reg(values))
    assert [(k, n) for k, n, _ in undo] == setup
    assert all(v is None for _, _, v in undo)
    assert '"PreferLocalXML"=-' in decode_reg(outlook_registry.undo_reg(values))


def test_international_domain_gets_both_spellings() -> None:
    values = outlook.registry_values(settings("anna@bücher.example"), XML_PATH)
    names = [v.name for v in values if v.kind is RegistryKind.SZ]
    assert names == ["bücher.example", "xn--bcher-kva.example"]
    assert [n for _, n, _ in parse_reg(outlook_registry.setup_reg(values))][:2] == names


def test_reg_strings_round_trip_quotes_and_backslashes() -> None:
    tricky = RegistryValue(r"Software\Test", 'a "quoted" \\ name', RegistryKind.SZ, 'C:\\x\\"y"\\')
    expand = RegistryValue(r"Software\Test", "expand", RegistryKind.EXPAND_SZ, r"%LOCALAPPDATA%\ü")
    assert [v for _, _, v in parse_reg(outlook_registry.setup_reg([tricky, expand]))] == [tricky, expand]
    with pytest.raises(ValueError):
        outlook_registry.setup_reg([RegistryValue("K", "n", RegistryKind.SZ, "two\nlines")])


def test_registry_values_need_a_full_windows_path() -> None:
    with pytest.raises(ValueError, match="full Windows path"):
        outlook.registry_values(settings(), "autodiscover.xml")
    with pytest.raises(ProfileInputError):
        outlook.registry_values(settings(), "C:\\a\nb.xml")


def _unrelated() -> list[RegistryValue]:
    return [
        RegistryValue(AUTODISCOVER_KEY, "other.org", RegistryKind.SZ, r"C:\other.xml"),
        RegistryValue(AUTODISCOVER_KEY, "PreferLocalXML", RegistryKind.DWORD, 0),  # someone's earlier choice
        RegistryValue(r"Software\Microsoft\Office\16.0\Outlook\Profiles", "Default", RegistryKind.SZ, "Outlook"),
    ]


def test_fake_registry_apply_and_restore_round_trip() -> None:
    registry = MemoryRegistry(_unrelated())
    before = registry.values()
    values = outlook.registry_values(settings(), XML_PATH)
    change = outlook_registry.apply_registry(values, registry)
    assert change.changed
    for value in values:
        assert registry.read(value.key, value.name) == value
    assert registry.read(AUTODISCOVER_KEY, "other.org") == before[0]
    # Windows' names are case-insensitive: the fake honours that too.
    assert registry.read(AUTODISCOVER_KEY.upper(), "preferlocalxml") == values[1]

    again = outlook_registry.apply_registry(values, registry)
    assert not again.changed

    outlook_registry.restore_registry(change, registry)
    assert sorted(registry.values(), key=repr) == sorted(before, key=repr)


def test_restore_reg_file_puts_back_the_old_values() -> None:
    registry = MemoryRegistry(_unrelated())
    before = sorted(registry.values(), key=repr)
    change = outlook_registry.apply_registry(outlook.registry_values(settings(), XML_PATH), registry)
    for key, name, value in parse_reg(change.restore_reg()):
        if value is None:
            registry.delete(key, name)
        else:
            registry.write(value)
    assert sorted(registry.values(), key=repr) == before


def test_setup_and_undo_reg_files_applied_to_the_fake_registry() -> None:
    registry = MemoryRegistry(_unrelated()[::2])  # no PreferLocalXML before
    before = sorted(registry.values(), key=repr)
    values = outlook.registry_values(settings(), XML_PATH)
    for data in (outlook_registry.setup_reg(values), outlook_registry.undo_reg(values)):
        for key, name, value in parse_reg(data):
            if value is None:
                registry.delete(key, name)
            else:
                registry.write(value)
        if data == outlook_registry.setup_reg(values):
            assert all(registry.read(v.key, v.name) == v for v in values)
    assert sorted(registry.values(), key=repr) == before


class _FailingRegistry(MemoryRegistry):
    def __init__(self, values: list[RegistryValue], fail_on: str) -> None:
        self.fail_on = ""
        super().__init__(values)
        self.fail_on = fail_on

    def write(self, value: RegistryValue) -> None:
        if value.name == self.fail_on:
            raise RegistryError("access denied")
        super().write(value)


def test_a_failed_apply_puts_back_what_it_changed() -> None:
    registry = _FailingRegistry(_unrelated(), fail_on="ExcludeExplicitO365Endpoint")
    before = sorted(registry.values(), key=repr)
    with pytest.raises(RegistryError):
        outlook_registry.apply_registry(outlook.registry_values(settings(), XML_PATH), registry)
    assert sorted(registry.values(), key=repr) == before


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal off Windows")
def test_real_registry_refuses_off_windows() -> None:
    with pytest.raises(RegistryError, match="only on Windows"):
        outlook_registry.WindowsRegistry()


def _prf(data: bytes) -> configparser.RawConfigParser:
    text = data[2:].decode("utf-16-le") if data.startswith(codecs.BOM_UTF16_LE) else data.decode("ascii")
    assert "\n" not in text.replace("\r\n", "")
    parser = configparser.RawConfigParser(comment_prefixes=(";",), strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_prf_imap_fields() -> None:
    data = outlook.prf_bytes(outlook.prf_text(settings(), "NPOMail"))
    assert data.isascii()
    prf = _prf(data)
    assert dict(prf["General"]) == {
        "Custom": "1",
        "ProfileName": "NPOMail",
        "DefaultProfile": "Yes",
        "OverwriteProfile": "Append",
        "ModifyDefaultProfileIfPresent": "TRUE",
    }
    assert prf["Internet Account List"]["Account1"] == "IMAP_I_Mail"
    account = prf["Account1"]
    expected = {
        "AccountName": "jane.doe@example.org",
        "DisplayName": "Jane Doe",
        "EmailAddress": "jane.doe@example.org",
        "IMAPServer": HOST,
        "IMAPUserName": "jane.doe@example.org",
        "IMAPUseSPA": "0",
        "IMAPPort": "993",
        "IMAPUseSSL": "1",
        "SMTPServer": HOST,
        "SMTPUseAuth": "1",
        "SMTPAuthMethod": "0",
        "SMTPUserName": "jane.doe@example.org",
        "SMTPUseSPA": "0",
        "SMTPPort": "465",
        "SMTPSecureConnection": "1",
    }
    assert {k: account[k] for k in expected} == expected
    assert "LeaveOnServer" not in account
    assert prf["IMAP_I_Mail"]["IMAPUseSSL"] == "PT_LONG,0x0105"
    assert all(k in prf["IMAP_I_Mail"] for k in account if k != "UniqueService")  # every key has a mapping


def test_prf_pop_leaves_mail_on_the_server() -> None:
    never = _prf(outlook.prf_bytes(outlook.prf_text(settings(protocol=POP3), "NPOMail")))
    assert never["Internet Account List"]["Account1"] == "I_Mail"
    account = never["Account1"]
    assert (account["POP3Port"], account["POP3UseSSL"], account["POP3UseSPA"]) == ("995", "1", "0")
    assert account["LeaveOnServer"] == "0x1"
    chosen = _prf(outlook.prf_bytes(outlook.prf_text(settings(protocol=POP3, pop_days=30), "NPOMail")))
    assert int(chosen["Account1"]["LeaveOnServer"], 16) == (30 << 16) | 0x3
    assert all(k in chosen["I_Mail"] for k in chosen["Account1"] if k != "UniqueService")


def test_prf_smtp_starttls_and_no_prf_when_incoming_ssl_is_blocked(tmp_path: Path) -> None:
    smtp_starttls = settings(working=[(IMAP, SSL), (SMTP, STARTTLS)])
    account = _prf(outlook.prf_bytes(outlook.prf_text(smtp_starttls, "NPOMail")))["Account1"]
    assert (account["SMTPPort"], account["SMTPSecureConnection"]) == ("587", "2")

    imap_starttls = settings(working=[(IMAP, STARTTLS), (SMTP, SSL)])
    assert not outlook.prf_supported(imap_starttls)
    (tmp_path / "outlook.prf").write_text("stale")
    written = outlook.write_outlook_files(
        imap_starttls, tmp_path, xml_target=r"C:\x\autodiscover.xml", profile_name="NPOMail"
    )
    assert written.prf is None and not (tmp_path / "outlook.prf").exists()


def test_prf_with_a_non_ascii_name_is_utf16() -> None:
    data = outlook.prf_bytes(outlook.prf_text(settings("zoë@bücher.example", "Zoë Ünal"), "NPOMail"))
    assert data.startswith(codecs.BOM_UTF16_LE)
    account = _prf(data)["Account1"]
    assert (account["DisplayName"], account["EmailAddress"]) == ("Zoë Ünal", "zoë@bücher.example")


HOSTILE_NAMES = ['<b>"O\'Brien" & Co</b>', "Zoë 山田 ☃ \u202eevil", "N" * 200, "a;b=c [section]"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_survive_every_outlook_format(name: str, tmp_path: Path) -> None:
    s = settings("o'neil&co+x@bücher.example", name)
    written = outlook.write_outlook_files(s, tmp_path, xml_target=r"C:\Data\x\autodiscover.xml", profile_name="NPOMail")
    xml = written.autodiscover.read_bytes()
    root = ET.fromstring(xml)
    assert root.findtext(f"{R}Response/{R}User/{R}DisplayName") == name
    assert all(p["LoginName"] == "o'neil&co+x@bücher.example" for p in protocols(xml))
    assert written.prf is not None
    account = _prf(written.prf.read_bytes())["Account1"]
    assert account["DisplayName"] == name
    assert account["EmailAddress"] == "o'neil&co+x@bücher.example"
    assert parse_reg(written.undo_reg.read_bytes())
    assert written.setup_script.read_bytes().startswith(b"@echo off\r\n")


@pytest.mark.parametrize("name", ["Jane\nDoe", "Jane\x00", "tab\there", "\ud800", "N" * 201])
def test_names_no_file_can_carry_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ProfileInputError):
        # replace(): the settings builders already fold whitespace; writers must refuse on their own too
        s = dataclasses.replace(settings(), display_name=name)
        outlook.write_outlook_files(s, tmp_path, xml_target=r"C:\x\autodiscover.xml", profile_name="P")
    assert list(tmp_path.iterdir()) == []


def test_files_hold_no_password_unless_asked(tmp_path: Path) -> None:
    secret = "correct horse battery staple"
    written = outlook.write_outlook_files(
        settings(password=secret), tmp_path, xml_target=r"C:\x\autodiscover.xml", profile_name="P"
    )
    # Outlook's formats have no place for a password at all, even when one is given.
    for path in written.paths:
        data = path.read_bytes()
        assert secret.encode() not in data and secret.encode("utf-16-le") not in data
