"""Classic Outlook for Windows (2016 to Microsoft 365): Autodiscover XML, the registry values that make
Outlook read it, and a .prf profile file as the second route.

Outlook gets the SSL ports (993/995/465) the guide recommends for it, and STARTTLS only where SSL is
blocked. Every Autodiscover element is spelled out because Outlook's defaults are wrong for this host:
an absent <SPA> means SPA on, an absent <LoginName> means the part before the @. The registry values
live under HKCU only, so no administrator is needed, and the undo file removes exactly what setup adds.
"""

from __future__ import annotations

import codecs
import enum
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Protocol

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.profile_files import check_profile_text, check_text, write_atomic

AUTODISCOVER_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"

OUTLOOK_KEY = r"Software\Microsoft\Office\16.0\Outlook"  # 16.0 = Outlook 2016, 2019, 2021, 2024 and 365
AUTODISCOVER_KEY = OUTLOOK_KEY + r"\AutoDiscover"
SETUP_KEY = OUTLOOK_KEY + r"\Setup"

AUTODISCOVER_FILE = "autodiscover.xml"
SETUP_REG_FILE = "outlook-setup.reg"
UNDO_REG_FILE = "outlook-undo.reg"
PRF_FILE = "outlook.prf"

# Where an exported autodiscover.xml goes on a Windows computer this assistant does not run on: a fixed
# path, because a .reg file cannot name another person's profile folder.
EXPORT_XML_ROOT = r"C:\Users\Public\Documents\NPOMail Setup Assistant\outlook"

REG_HEADER = "Windows Registry Editor Version 5.00"


class RegistryError(Exception):
    """The registry could not be read or changed; nothing this call changed is left behind."""


def outlook_endpoints(settings: AccountSettings) -> tuple[Endpoint, Endpoint]:
    """Incoming and outgoing endpoint for Outlook: SSL first, STARTTLS only if SSL did not work."""
    return settings.incoming(ssl_first=True), settings.outgoing(ssl_first=True)


def export_xml_folder(settings: AccountSettings) -> str:
    """The per-domain folder for an exported autodiscover.xml (Outlook reads one file per mail domain)."""
    return str(PureWindowsPath(EXPORT_XML_ROOT) / settings.address.ascii_domain)


# --- Autodiscover (POX) ---------------------------------------------------------------------------------


def autodiscover_xml(settings: AccountSettings) -> bytes:
    """The POX Autodiscover response Outlook reads from the local file."""
    check_profile_text(settings)
    incoming, outgoing = outlook_endpoints(settings)
    # Plain tags with literal xmlns attributes give exactly the documented shape (a default namespace on
    # Autodiscover, another on Response) instead of ElementTree's ns0:/ns1: prefixes.
    root = ET.Element("Autodiscover", {"xmlns": AUTODISCOVER_NS})
    response = ET.SubElement(root, "Response", {"xmlns": OUTLOOK_RESPONSE_NS})
    if settings.display_name:
        user = ET.SubElement(response, "User")
        ET.SubElement(user, "DisplayName").text = settings.display_name
    account = ET.SubElement(response, "Account")
    ET.SubElement(account, "AccountType").text = "email"
    ET.SubElement(account, "Action").text = "settings"
    _protocol(account, incoming, settings.username)
    _protocol(account, outgoing, settings.username)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _protocol(account: ET.Element, endpoint: Endpoint, username: str) -> None:
    smtp = endpoint.protocol is MailProtocol.SMTP
    element = ET.SubElement(account, "Protocol")
    fields = [
        ("Type", endpoint.protocol.label),
        ("Server", endpoint.host),
        ("Port", str(endpoint.port)),
        ("LoginName", username),
        ("DomainRequired", "off"),
        ("SPA", "off"),
        # SSL stays on even for STARTTLS: Outlook 2010+ follows <Encryption>, and an old Outlook that only
        # reads <SSL> then fails to connect instead of falling back to an unencrypted connection.
        ("SSL", "on"),
        ("Encryption", "SSL" if endpoint.security is Security.SSL else "TLS"),
        ("AuthRequired", "on"),
    ]
    if smtp:
        fields += [("UsePOPAuth", "on"), ("SMTPLast", "off")]
    for tag, text in fields:
        ET.SubElement(element, tag).text = text


# --- Registry values and .reg files --------------------------------------------------------------------


class RegistryKind(enum.StrEnum):
    SZ = "REG_SZ"
    EXPAND_SZ = "REG_EXPAND_SZ"
    DWORD = "REG_DWORD"


@dataclass(frozen=True)
class RegistryValue:
    key: str  # below HKEY_CURRENT_USER
    name: str
    kind: RegistryKind
    data: str | int


def registry_values(settings: AccountSettings, xml_path: str) -> tuple[RegistryValue, ...]:
    """The HKCU values that make classic Outlook use the local autodiscover.xml for this domain."""
    check_text(xml_path, "path of autodiscover.xml")
    if not (PureWindowsPath(xml_path).is_absolute() or Path(xml_path).is_absolute()):
        raise ValueError(f"the path of autodiscover.xml must be a full Windows path, not {xml_path!r}")
    domains = dict.fromkeys((settings.address.domain, settings.address.ascii_domain))
    values = [RegistryValue(AUTODISCOVER_KEY, domain, RegistryKind.SZ, xml_path) for domain in domains]
    values += [
        RegistryValue(AUTODISCOVER_KEY, "PreferLocalXML", RegistryKind.DWORD, 1),
        RegistryValue(AUTODISCOVER_KEY, "ExcludeExplicitO365Endpoint", RegistryKind.DWORD, 1),
        RegistryValue(SETUP_KEY, "DisableOffice365SimplifiedAccountCreation", RegistryKind.DWORD, 1),
    ]
    return tuple(values)


def setup_reg(values: Sequence[RegistryValue]) -> bytes:
    """A regedit file that sets the values."""
    return _reg_file([(v.key, v.name, v) for v in values])


def undo_reg(values: Sequence[RegistryValue], previous: Sequence[RegistryValue | None] | None = None) -> bytes:
    """A regedit file that removes the values, or puts back what was there before when that is known."""
    before = list(previous) if previous is not None else [None] * len(values)
    return _reg_file([(v.key, v.name, old) for v, old in zip(values, before, strict=True)])


def _reg_file(entries: Iterable[tuple[str, str, RegistryValue | None]]) -> bytes:
    """regedit's own export format: UTF-16 LE with a BOM, CRLF line ends, a blank line after each key."""
    grouped: dict[str, list[str]] = {}
    for key, name, value in entries:
        data = "-" if value is None else _reg_data(value)
        grouped.setdefault(key, []).append(f"{_reg_string(name)}={data}")
    lines = [REG_HEADER, ""]
    for key, assignments in grouped.items():
        lines += [f"[HKEY_CURRENT_USER\\{key}]", *assignments, ""]
    return codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def _reg_string(text: str) -> str:
    if any(c in text for c in "\r\n\x00"):
        raise ValueError("a registry string in a .reg file cannot contain a line break")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reg_data(value: RegistryValue) -> str:
    if value.kind is RegistryKind.DWORD:
        if not isinstance(value.data, int) or not 0 <= value.data <= 0xFFFFFFFF:
            raise ValueError(f"{value.name}: a REG_DWORD must be a number from 0 to 4294967295")
        return f"dword:{value.data:08x}"
    if not isinstance(value.data, str):
        raise ValueError(f"{value.name}: a {value.kind.value} value must be text")
    if value.kind is RegistryKind.EXPAND_SZ:
        raw = (value.data + "\x00").encode("utf-16-le")
        return "hex(2):" + ",".join(f"{b:02x}" for b in raw)
    return _reg_string(value.data)


# --- Registry adapter ----------------------------------------------------------------------------------


class Registry(Protocol):
    """HKEY_CURRENT_USER, as far as this assistant needs it."""

    def read(self, key: str, name: str) -> RegistryValue | None: ...

    def write(self, value: RegistryValue) -> None: ...

    def delete(self, key: str, name: str) -> None: ...


class MemoryRegistry:
    """An in-memory HKCU for tests; key and value names are case-insensitive, as in Windows."""

    def __init__(self, values: Iterable[RegistryValue] = ()) -> None:
        self._values: dict[tuple[str, str], RegistryValue] = {}
        for value in values:
            self.write(value)

    @staticmethod
    def _slot(key: str, name: str) -> tuple[str, str]:
        return key.lower(), name.lower()

    def read(self, key: str, name: str) -> RegistryValue | None:
        return self._values.get(self._slot(key, name))

    def write(self, value: RegistryValue) -> None:
        self._values[self._slot(value.key, value.name)] = value

    def delete(self, key: str, name: str) -> None:
        self._values.pop(self._slot(key, name), None)

    def values(self) -> list[RegistryValue]:
        return list(self._values.values())


class WindowsRegistry:
    """The real HKEY_CURRENT_USER through winreg: no administrator rights needed."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise RegistryError("the Windows registry exists only on Windows")

    def read(self, key: str, name: str) -> RegistryValue | None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                    data, kind = winreg.QueryValueEx(handle, name)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise RegistryError(f"cannot read HKCU\\{key}\\{name}: {exc.strerror or exc}") from None
            kinds = {
                winreg.REG_SZ: RegistryKind.SZ,
                winreg.REG_EXPAND_SZ: RegistryKind.EXPAND_SZ,
                winreg.REG_DWORD: RegistryKind.DWORD,
            }
            if kind not in kinds:
                raise RegistryError(f"HKCU\\{key}\\{name} holds a kind of value this assistant does not change")
            return RegistryValue(key, name, kinds[kind], data)
        raise RegistryError("the Windows registry exists only on Windows")

    def write(self, value: RegistryValue) -> None:
        if sys.platform == "win32":
            import winreg

            kinds = {
                RegistryKind.SZ: winreg.REG_SZ,
                RegistryKind.EXPAND_SZ: winreg.REG_EXPAND_SZ,
                RegistryKind.DWORD: winreg.REG_DWORD,
            }
            try:
                with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, value.key, 0, winreg.KEY_SET_VALUE) as handle:
                    winreg.SetValueEx(handle, value.name, 0, kinds[value.kind], value.data)
            except OSError as exc:
                raise RegistryError(f"cannot write HKCU\\{value.key}\\{value.name}: {exc.strerror or exc}") from None
            return
        raise RegistryError("the Windows registry exists only on Windows")

    def delete(self, key: str, name: str) -> None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                    winreg.DeleteValue(handle, name)
            except FileNotFoundError:
                return
            except OSError as exc:
                raise RegistryError(f"cannot remove HKCU\\{key}\\{name}: {exc.strerror or exc}") from None
            return
        raise RegistryError("the Windows registry exists only on Windows")


@dataclass(frozen=True)
class RegistryChange:
    """What apply_registry set, and what each value held before (None: it did not exist)."""

    values: tuple[RegistryValue, ...]
    previous: tuple[RegistryValue | None, ...]

    @property
    def changed(self) -> bool:
        return any(old != new for new, old in zip(self.values, self.previous, strict=True))

    def restore_reg(self) -> bytes:
        """A .reg file that puts every value back as it was before."""
        return undo_reg(self.values, self.previous)


def apply_registry(values: Sequence[RegistryValue], registry: Registry) -> RegistryChange:
    """Sets the values; all or nothing: on a failure, what this call changed is put back."""
    previous = tuple(registry.read(v.key, v.name) for v in values)  # reads first: a refusal changes nothing
    done: list[tuple[RegistryValue, RegistryValue | None]] = []
    try:
        for value, old in zip(values, previous, strict=True):
            if old != value:
                registry.write(value)
                done.append((value, old))
    except RegistryError:
        for value, old in reversed(done):
            _put_back(registry, value, old)
        raise
    return RegistryChange(tuple(values), previous)


def restore_registry(change: RegistryChange, registry: Registry) -> None:
    """Undoes apply_registry: each value as it was before."""
    for value, old in zip(change.values, change.previous, strict=True):
        _put_back(registry, value, old)


def _put_back(registry: Registry, value: RegistryValue, old: RegistryValue | None) -> None:
    if old is None:
        registry.delete(value.key, value.name)
    else:
        registry.write(old)


# --- .prf profile file ---------------------------------------------------------------------------------

# Section 7 of a .prf: Microsoft's fixed property mappings, as the Office Customization Tool writes them.
_PRF_MAPPING = {
    MailProtocol.IMAP: (
        "IMAP_I_Mail",
        [
            "AccountType=IMAP",
            "AccountName=PT_UNICODE,0x0002",
            "DisplayName=PT_UNICODE,0x000B",
            "EmailAddress=PT_UNICODE,0x000C",
            "IMAPServer=PT_UNICODE,0x0100",
            "IMAPUserName=PT_UNICODE,0x0101",
            "IMAPUseSPA=PT_LONG,0x0108",
            "Organization=PT_UNICODE,0x0107",
            "ReplyEmailAddress=PT_UNICODE,0x0103",
            "IMAPPort=PT_LONG,0x0104",
            "IMAPUseSSL=PT_LONG,0x0105",
            "SMTPServer=PT_UNICODE,0x0200",
            "SMTPUseAuth=PT_LONG,0x0203",
            "SMTPAuthMethod=PT_LONG,0x0208",
            "SMTPUserName=PT_UNICODE,0x0204",
            "SMTPUseSPA=PT_LONG,0x0207",
            "ConnectionType=PT_LONG,0x000F",
            "ConnectionOID=PT_UNICODE,0x0010",
            "SMTPPort=PT_LONG,0x0201",
            "SMTPSecureConnection=PT_LONG,0x020A",
            "ServerTimeOut=PT_LONG,0x0209",
            "CheckNewImap=PT_LONG,0x1100",
            "RootFolder=PT_UNICODE,0x1101",
        ],
    ),
    MailProtocol.POP3: (
        "I_Mail",
        [
            "AccountType=POP3",
            "AccountName=PT_UNICODE,0x0002",
            "DisplayName=PT_UNICODE,0x000B",
            "EmailAddress=PT_UNICODE,0x000C",
            "POP3Server=PT_UNICODE,0x0100",
            "POP3UserName=PT_UNICODE,0x0101",
            "POP3UseSPA=PT_LONG,0x0108",
            "Organization=PT_UNICODE,0x0107",
            "ReplyEmailAddress=PT_UNICODE,0x0103",
            "POP3Port=PT_LONG,0x0104",
            "POP3UseSSL=PT_LONG,0x0105",
            "SMTPServer=PT_UNICODE,0x0200",
            "SMTPUseAuth=PT_LONG,0x0203",
            "SMTPAuthMethod=PT_LONG,0x0208",
            "SMTPUserName=PT_UNICODE,0x0204",
            "SMTPUseSPA=PT_LONG,0x0207",
            "ConnectionType=PT_LONG,0x000F",
            "ConnectionOID=PT_UNICODE,0x0010",
            "SMTPPort=PT_LONG,0x0201",
            "SMTPSecureConnection=PT_LONG,0x020A",
            "ServerTimeOut=PT_LONG,0x0209",
            "LeaveOnServer=PT_LONG,0x1000",
        ],
    ),
}

SMTP_SECURE_SSL, SMTP_SECURE_STARTTLS = 1, 2  # ENCRYPT_CONN_SSL / ENCRYPT_CONN_TLS
SMTP_AUTH_SAME_AS_INCOMING = 0  # SMTPAuthMethod SAME_AS_POP
LEAVE_ON_SERVER, REMOVE_AFTER_DAYS = 0x1, 0x2  # LeaveOnServer flags; the number of days goes in the high word


def prf_supported(settings: AccountSettings) -> bool:
    """A .prf can only say "SSL" for incoming mail (STARTTLS there is undocumented), so it needs SSL to work."""
    incoming, _ = outlook_endpoints(settings)
    return incoming.security is Security.SSL


def leave_on_server_flags(settings: AccountSettings) -> int:
    """POP always leaves mail on the server; removal after N days only if the person chose N."""
    days = settings.pop_delete_after_days
    if days is None:
        return LEAVE_ON_SERVER
    if days > 0xFFFF:
        raise ValueError("days before deletion must be at most 65535")
    return (days << 16) | LEAVE_ON_SERVER | REMOVE_AFTER_DAYS


def prf_text(settings: AccountSettings, profile_name: str) -> str:
    """A profile file for `outlook.exe /importprf` that adds the account to the default Outlook profile."""
    check_profile_text(settings)
    check_text(profile_name, "Outlook profile name")
    if not prf_supported(settings):
        raise ValueError("a .prf file can only set up incoming mail over SSL, and SSL did not work")
    incoming, outgoing = outlook_endpoints(settings)
    imap = settings.protocol is MailProtocol.IMAP
    section, mapping = _PRF_MAPPING[settings.protocol]
    prefix = "IMAP" if imap else "POP3"
    account = [
        "UniqueService=No",
        f"AccountName={settings.address.address}",
        *([f"DisplayName={settings.display_name}"] if settings.display_name else []),
        f"EmailAddress={settings.address.address}",
        f"{prefix}Server={incoming.host}",
        f"{prefix}UserName={settings.username}",
        f"{prefix}UseSPA=0",
        f"{prefix}Port={incoming.port}",
        f"{prefix}UseSSL=1",
        f"SMTPServer={outgoing.host}",
        "SMTPUseAuth=1",
        f"SMTPAuthMethod={SMTP_AUTH_SAME_AS_INCOMING}",
        f"SMTPUserName={settings.username}",
        "SMTPUseSPA=0",
        f"SMTPPort={outgoing.port}",
        f"SMTPSecureConnection={SMTP_SECURE_SSL if outgoing.security is Security.SSL else SMTP_SECURE_STARTTLS}",
        "ServerTimeOut=60",
    ]
    if not imap:
        account.append(f"LeaveOnServer=0x{leave_on_server_flags(settings):x}")
    lines = [
        "; Outlook profile file written by the NPOMail Setup Assistant.",
        '; Use it with Outlook closed: outlook.exe /importprf "<full path of this file>"',
        "; No password is stored here: Outlook asks for it the first time it connects.",
        "",
        "[General]",
        "Custom=1",
        f"ProfileName={profile_name}",
        "DefaultProfile=Yes",
        # Append keeps every other account of the existing profile; Outlook keeps a "Backup Of" copy.
        "OverwriteProfile=Append",
        "ModifyDefaultProfileIfPresent=TRUE",
        "",
        "[Service List]",
        "",
        "[Internet Account List]",
        f"Account1={section}",
        "",
        "[Account1]",
        *account,
        "",
        f"[{section}]",
        *mapping,
        "",
    ]
    return "\r\n".join(lines)


def prf_bytes(text: str) -> bytes:
    """Plain ASCII, as Microsoft's own samples, unless a name needs Unicode: then UTF-16 LE with a BOM."""
    if text.isascii():
        return text.encode("ascii")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


# --- Files ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlookFiles:
    autodiscover: Path
    setup_reg: Path
    undo_reg: Path
    prf: Path | None  # None when SSL is blocked for incoming mail
    xml_target: str  # where setup_reg expects autodiscover.xml on the Windows computer
    values: tuple[RegistryValue, ...]

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.autodiscover, self.setup_reg, self.undo_reg, self.prf) if p is not None]


def write_outlook_files(
    settings: AccountSettings, out_dir: Path, *, xml_target: str, profile_name: str
) -> OutlookFiles:
    """Writes autodiscover.xml, the setup/undo .reg pair (pointing at xml_target) and outlook.prf."""
    check_profile_text(settings)
    values = registry_values(settings, xml_target)
    xml = autodiscover_xml(settings)
    setup, undo = setup_reg(values), undo_reg(values)
    prf = prf_bytes(prf_text(settings, profile_name)) if prf_supported(settings) else None
    autodiscover_path = write_atomic(out_dir / AUTODISCOVER_FILE, xml)
    setup_path = write_atomic(out_dir / SETUP_REG_FILE, setup)
    undo_path = write_atomic(out_dir / UNDO_REG_FILE, undo)
    prf_path = None
    if prf is not None:
        prf_path = write_atomic(out_dir / PRF_FILE, prf)
    else:
        (out_dir / PRF_FILE).unlink(missing_ok=True)  # an older one would carry settings that no longer work
    return OutlookFiles(autodiscover_path, setup_path, undo_path, prf_path, xml_target, values)
