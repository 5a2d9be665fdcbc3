"""Shared helpers for the profile-writer tests: account settings without a network, and a .reg reader."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from setup_assistant.core.account import AccountSettings, settings_without_probe
from setup_assistant.core.address import parse_address
from setup_assistant.core.clients.outlook.registry import RegistryKind, RegistryValue
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.provider import Provider, load_provider

HOST = "npomail.electricembers.net"


def npomail() -> Provider:
    return load_provider()


def settings(
    address: str = "jane.doe@example.org",
    name: str | None = "Jane Doe",
    *,
    protocol: MailProtocol = MailProtocol.IMAP,
    provider: Provider | None = None,
    working: list[tuple[MailProtocol, Security]] | None = None,
    pop_days: int | None = None,
    password: str | None = None,
) -> AccountSettings:
    """Settings as after a probe in which exactly `working` worked (default: everything)."""
    provider = provider or npomail()
    base = settings_without_probe(
        provider,
        parse_address(address),
        display_name=name,
        protocol=protocol,
        pop_delete_after_days=pop_days,
        password=password,
    )
    if working is None:
        return base
    endpoints = tuple(provider.server(p).endpoint(s) for p, s in working)
    return AccountSettings(base.address, base.display_name, provider, protocol, endpoints, True, pop_days, password)


def endpoint(protocol: MailProtocol, security: Security, provider: Provider | None = None) -> Endpoint:
    return (provider or npomail()).server(protocol).endpoint(security)


def decode_reg(data: bytes) -> str:
    """A .reg file's text, after checking regedit's encoding: UTF-16 LE with BOM, CRLF line ends only."""
    assert data.startswith(codecs.BOM_UTF16_LE), "a .reg file must start with the UTF-16 LE BOM"
    text = data[len(codecs.BOM_UTF16_LE) :].decode("utf-16-le")
    assert "\n" not in text.replace("\r\n", ""), "bare LF in a .reg file"
    assert "\r" not in text.replace("\r\n", ""), "bare CR in a .reg file"
    return text


_ASSIGNMENT = re.compile(r'^"((?:[^"\\]|\\.)*)"=(.*)$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_reg(data: bytes) -> list[tuple[str, str, RegistryValue | None]]:
    """A strict reader for the subset of regedit's format we write: (key, name, value or None for delete)."""
    lines = decode_reg(data).split("\r\n")
    assert lines[0] == "Windows Registry Editor Version 5.00"
    assert lines[1] == ""
    entries: list[tuple[str, str, RegistryValue | None]] = []
    key: str | None = None
    for line in lines[2:]:
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            full = line[1:-1]
            assert full.startswith("HKEY_CURRENT_USER\\"), f"only HKCU may be touched: {full}"
            key = full[len("HKEY_CURRENT_USER\\") :]
            continue
        match = _ASSIGNMENT.match(line)
        assert match and key is not None, f"not a value line: {line!r}"
        name, data_text = _unescape(match.group(1)), match.group(2)
        if data_text == "-":
            entries.append((key, name, None))
        elif data_text.startswith("dword:"):
            assert re.fullmatch(r"dword:[0-9a-f]{8}", data_text)
            entries.append((key, name, RegistryValue(key, name, RegistryKind.DWORD, int(data_text[6:], 16))))
        elif data_text.startswith("hex(2):"):
            raw = bytes(int(b, 16) for b in data_text[7:].split(","))
            text = raw.decode("utf-16-le")
            assert text.endswith("\x00")
            entries.append((key, name, RegistryValue(key, name, RegistryKind.EXPAND_SZ, text[:-1])))
        else:
            assert data_text.startswith('"') and data_text.endswith('"'), data_text
            inner = data_text[1:-1]
            assert re.fullmatch(r'(?:[^"\\]|\\.)*', inner), f"unescaped quote or backslash: {inner!r}"
            entries.append((key, name, RegistryValue(key, name, RegistryKind.SZ, _unescape(inner))))
    return entries


def all_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
