"""Classic Outlook for Windows (2016 to Microsoft 365): Autodiscover XML, the registry values that make
Outlook read it, and a .prf profile file as the second route.

Outlook gets the SSL ports (993/995/465) the guide recommends for it, and STARTTLS only where SSL is
blocked. Every Autodiscover element is spelled out because Outlook's defaults are wrong for this host:
an absent <SPA> means SPA on, an absent <LoginName> means the part before the @. The registry values
live under HKCU only, so no administrator is needed.

Exported files never point Outlook at a folder other users of that computer can write (another user could
swap the XML): `outlook-setup.cmd`, run by the person, copies autodiscover.xml into their own
%LOCALAPPDATA% and writes that concrete path into the registry (Microsoft documents the domain value only
as a plain string, REG_SZ, so an unexpanded %LOCALAPPDATA% there cannot be relied on). The exported undo
file removes only the domain's own value: it cannot know whether IT had set the three shared switches
before, so the instructions say how to remove those. `--install` keeps an exact restore file instead.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from setup_assistant.core.account import AccountSettings
from setup_assistant.core.clients.outlook.registry import RegistryKind, RegistryValue, undo_reg
from setup_assistant.core.i18n import N_, Message, _
from setup_assistant.core.model import Endpoint, MailProtocol, Security
from setup_assistant.core.profile_files import ProfileInputError, check_profile_text, check_text, write_atomic

AUTODISCOVER_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"

OUTLOOK_KEY = r"Software\Microsoft\Office\16.0\Outlook"  # 16.0 = Outlook 2016, 2019, 2021, 2024 and 365
AUTODISCOVER_KEY = OUTLOOK_KEY + r"\AutoDiscover"
SETUP_KEY = OUTLOOK_KEY + r"\Setup"

AUTODISCOVER_FILE = "autodiscover.xml"
SETUP_SCRIPT_FILE = "outlook-setup.cmd"
UNDO_REG_FILE = "outlook-undo.reg"
PRF_FILE = "outlook.prf"

# Where outlook-setup.cmd puts autodiscover.xml on the person's computer: their own %LOCALAPPDATA% (this
# app's folder there, as --install uses), which other users of that computer cannot write. Windows expands
# %LOCALAPPDATA% when the script runs, so the registry gets the concrete path.
EXPORT_XML_ROOT = r"%LOCALAPPDATA%\NPOMail Setup Assistant\outlook"

# Switches that every local-XML account on the computer shares (and IT may have set already).
SHARED_SWITCHES = (
    RegistryValue(AUTODISCOVER_KEY, "PreferLocalXML", RegistryKind.DWORD, 1),
    RegistryValue(AUTODISCOVER_KEY, "ExcludeExplicitO365Endpoint", RegistryKind.DWORD, 1),
    RegistryValue(SETUP_KEY, "DisableOffice365SimplifiedAccountCreation", RegistryKind.DWORD, 1),
)


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


# --- Registry values --------------------------------------------------------------------------------


def registry_values(settings: AccountSettings, xml_path: str) -> tuple[RegistryValue, ...]:
    """The HKCU values that make classic Outlook use the local autodiscover.xml for this domain."""
    check_text(xml_path, N_("path of autodiscover.xml"))
    if not (PureWindowsPath(xml_path).is_absolute() or Path(xml_path).is_absolute()):
        raise ValueError(f"the path of autodiscover.xml must be a full Windows path, not {xml_path!r}")
    values = [RegistryValue(AUTODISCOVER_KEY, domain, RegistryKind.SZ, xml_path) for domain in domain_names(settings)]
    return (*values, *SHARED_SWITCHES)


def domain_names(settings: AccountSettings) -> tuple[str, ...]:
    """The value names Outlook looks up: the domain as typed and, for an IDN, its ASCII form."""
    return tuple(dict.fromkeys((settings.address.domain, settings.address.ascii_domain)))


def export_undo_reg(settings: AccountSettings) -> bytes:
    """Removes only the domain's own value(s): an exported file cannot know whether the shared switches were
    there before, and removing IT's own settings would break other accounts."""
    return undo_reg([RegistryValue(AUTODISCOVER_KEY, name, RegistryKind.SZ, "") for name in domain_names(settings)])


# --- outlook-setup.cmd ----------------------------------------------------------------------------------

# Nothing cmd.exe could read as syntax may reach the script (a checked domain never has these anyway).
_CMD_SYNTAX = re.compile(r'[\s"%!^&|<>()\\/]')


# What a translated message may hold in the script: letters of any language, digits, spaces and plain
# punctuation. Anything cmd.exe could read as syntax (% ! ^ & | < > quotes, and parentheses inside the
# `if` block) is not allowed; such a translation falls back to the English, which has none.
_CMD_SAFE_ECHO = re.compile(r"[\w .,;:¿?¡'’«»“”-]*")
_CMD_SAFE_REM = re.compile(r"[\w .,;:¿?¡'’«»“”()-]*")


def _cmd_line(command: str, message: str, **values: str) -> str:
    """`echo` or `rem` with a message in the person's language (English when the translation is unsafe)."""
    safe = _CMD_SAFE_REM if command == "rem" else _CMD_SAFE_ECHO
    translated = _(message)
    shape = re.sub(r"\{\w+\}", "", translated)
    text = (
        translated
        if safe.fullmatch(shape) and set(re.findall(r"\{\w+\}", translated)) == set(re.findall(r"\{\w+\}", message))
        else message
    )
    return f"{command} {text.format(**values)}"


def setup_script(settings: AccountSettings) -> bytes:
    """outlook-setup.cmd: copies autodiscover.xml into the person's own %LOCALAPPDATA% and points Outlook at
    that concrete path (REG_SZ, as Microsoft documents the value), plus the three shared switches.

    %LOCALAPPDATA% and the script's own folder are read before delayed expansion is turned on and used as
    !VAR! afterwards, so no character in a user or folder name is ever parsed as cmd syntax.
    """
    check_profile_text(settings)
    names = domain_names(settings)
    for name in names:
        if not name or _CMD_SYNTAX.search(name):
            raise ProfileInputError(
                Message("The domain {name} cannot be written into Outlook's setup script.", name=repr(name))
            )
    folder = export_xml_folder(settings)
    unicode = not all(name.isascii() for name in names)
    reg_adds = [
        f'reg add "HKCU\\{AUTODISCOVER_KEY}" /v "{name}" /t REG_SZ /d "!TARGET!\\{AUTODISCOVER_FILE}" /f >nul '
        "|| goto failed"
        for name in names
    ]
    reg_adds += [
        f'reg add "HKCU\\{v.key}" /v "{v.name}" /t REG_DWORD /d {_dword(v)} /f >nul || goto failed'
        for v in SHARED_SWITCHES
    ]
    domain = settings.address.ascii_domain
    lines = [
        "@echo off",
        _cmd_line("rem", N_("Sets up classic Outlook for {domain} (NPOMail Setup Assistant)."), domain=domain),
        _cmd_line(
            "rem", N_("Copies {file} from this folder into your own {folder}"), file=AUTODISCOVER_FILE, folder=folder
        ),
        _cmd_line("rem", N_("(other users of this computer cannot change it) and tells Outlook to read it there.")),
        _cmd_line("rem", N_("Only your own settings (HKEY_CURRENT_USER) change; no administrator is needed.")),
        "setlocal DisableDelayedExpansion",
        "if not defined LOCALAPPDATA goto failed",
        f'set "SOURCE=%~dp0{AUTODISCOVER_FILE}"',
        f'set "TARGET={folder}"',
        "setlocal EnableDelayedExpansion",
        'if not exist "!SOURCE!" (',
        "  " + _cmd_line("echo", N_("{file} must be in the same folder as this file."), file=AUTODISCOVER_FILE),
        "  goto failed",
        ")",
        'if not exist "!TARGET!\\" mkdir "!TARGET!"',
        'if not exist "!TARGET!\\" goto failed',
        f'copy /Y "!SOURCE!" "!TARGET!\\{AUTODISCOVER_FILE}" >nul || goto failed',
        *reg_adds,
        _cmd_line(
            "echo",
            N_("Done: Outlook reads {file} for {domain}."),
            file=f'"!TARGET!\\{AUTODISCOVER_FILE}"',
            domain=domain,
        ),
        _cmd_line("echo", N_("Now start Outlook and add your account with File, Add Account.")),
        "pause",
        "exit /b 0",
        ":failed",
        _cmd_line(
            "echo", N_("The setup did not finish; see the message above. instructions.html says how to undo it.")
        ),
        "pause",
        "exit /b 1",
    ]
    if not unicode and not all(line.isascii() for line in lines):
        unicode = True
    if unicode:
        lines.insert(1, "chcp 65001 >nul")  # the text below is UTF-8; cmd reads on in that code page
    text = "\r\n".join(lines) + "\r\n"
    return text.encode("utf-8" if unicode else "ascii")


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
    check_text(profile_name, N_("Outlook profile name"))
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
    setup_script: Path
    undo_reg: Path
    prf: Path | None  # None when SSL is blocked for incoming mail
    xml_target: (
        str  # where the setup script puts autodiscover.xml (%LOCALAPPDATA%\...) or, on install, this computer's copy
    )

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.autodiscover, self.setup_script, self.undo_reg, self.prf) if p is not None]


def export_xml_target(settings: AccountSettings) -> str:
    """Where outlook-setup.cmd puts autodiscover.xml, as the instructions name it."""
    return str(PureWindowsPath(export_xml_folder(settings)) / AUTODISCOVER_FILE)


def write_outlook_files(
    settings: AccountSettings, out_dir: Path, *, profile_name: str, xml_target: str | None = None
) -> OutlookFiles:
    """Writes autodiscover.xml, outlook-setup.cmd, outlook-undo.reg and outlook.prf.

    `xml_target` is only recorded (an install's own copy on this computer); the files always use the
    person's own %LOCALAPPDATA%.
    """
    check_profile_text(settings)
    xml = autodiscover_xml(settings)
    setup, undo = setup_script(settings), export_undo_reg(settings)
    prf = prf_bytes(prf_text(settings, profile_name)) if prf_supported(settings) else None
    autodiscover_path = write_atomic(out_dir / AUTODISCOVER_FILE, xml)
    setup_path = write_atomic(out_dir / SETUP_SCRIPT_FILE, setup)
    undo_path = write_atomic(out_dir / UNDO_REG_FILE, undo)
    prf_path = None
    if prf is not None:
        prf_path = write_atomic(out_dir / PRF_FILE, prf)
    else:
        (out_dir / PRF_FILE).unlink(missing_ok=True)  # an older one would carry settings that no longer work
    (out_dir / "outlook-setup.reg").unlink(missing_ok=True)  # an older export's, pointing at a shared folder
    target = xml_target if xml_target is not None else export_xml_target(settings)
    return OutlookFiles(autodiscover_path, setup_path, undo_path, prf_path, target)


def _dword(value: RegistryValue) -> int:
    if not isinstance(value.data, int):
        raise ValueError(f"{value.name}: a REG_DWORD must be a number")
    return value.data
