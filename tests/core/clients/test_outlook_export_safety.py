"""Exported Outlook files point only at the person's own folder, and the exported undo removes only the domain.

The setup script cannot run here (no cmd.exe), so it is read the way cmd.exe would run it: its `reg add`
lines applied to the in-memory registry with %LOCALAPPDATA% expanded, and its quoting checked line by line.
"""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import pytest

from setup_assistant.core.clients import instructions
from setup_assistant.core.clients.outlook import writer as outlook
from setup_assistant.core.clients.outlook.registry import MemoryRegistry, RegistryKind, RegistryValue
from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY, SETUP_KEY
from setup_assistant.core.clients.profiles import Client, write_profiles
from tests.core.clients.profile_support import parse_reg, settings

LOCALAPPDATA = r"C:\Users\Jane & Co!\AppData\Local"
_REG_ADD = re.compile(
    r'reg add "HKCU\\(?P<key>[^"]+)" /v "(?P<name>[^"]+)" /t (?P<kind>\w+) /d (?P<data>"[^"]*"|\d+) /f'
)
SWITCHES = {"PreferLocalXML", "ExcludeExplicitO365Endpoint", "DisableOffice365SimplifiedAccountCreation"}


def run_script(script: str, registry: MemoryRegistry) -> str:
    """Applies the script's registry writes as cmd.exe would; returns the folder it copies the XML to."""
    target = re.search(r'^set "TARGET=(.*)"\r?$', script, re.M)
    assert target is not None
    folder = target.group(1).replace("%LOCALAPPDATA%", LOCALAPPDATA)
    for match in _REG_ADD.finditer(script):
        data_text = match["data"].strip('"').replace("!TARGET!", folder)
        kind = RegistryKind(f"REG_{match['kind'].removeprefix('REG_')}")
        data: str | int = int(data_text) if kind is RegistryKind.DWORD else data_text
        registry.write(RegistryValue(match["key"], match["name"], kind, data))
    return folder


def exported(tmp_path: Path, address: str = "jane.doe@example.org") -> Path:
    outcome = write_profiles(settings(address), tmp_path, [Client.OUTLOOK], platform="win32", record=False)
    assert outcome.ok, outcome.errors
    return tmp_path / "outlook"


def test_no_exported_file_points_at_a_folder_other_users_can_write(tmp_path: Path) -> None:
    out = exported(tmp_path)
    names = {p.name for p in out.iterdir()}
    assert "outlook-setup.reg" not in names and "outlook-setup.cmd" in names
    for path in out.iterdir():
        data = path.read_bytes()
        text = data.decode("utf-16") if path.suffix == ".reg" else data.decode("utf-8")
        assert "Public" not in text and "ProgramData" not in text, path.name
    registry = MemoryRegistry()
    folder = run_script((out / "outlook-setup.cmd").read_text(encoding="ascii"), registry)
    assert folder == rf"{LOCALAPPDATA}\NPOMail Setup Assistant\outlook\example.org"
    value = registry.read(AUTODISCOVER_KEY, "example.org")
    # Microsoft documents the domain value as a plain string: the script writes the expanded, concrete path.
    assert value == RegistryValue(AUTODISCOVER_KEY, "example.org", RegistryKind.SZ, rf"{folder}\autodiscover.xml")
    assert {v.name for v in registry.values()} == {"example.org", *SWITCHES}


def test_the_script_copies_the_xml_before_pointing_outlook_at_it_and_quotes_everything(tmp_path: Path) -> None:
    script = (exported(tmp_path) / "outlook-setup.cmd").read_bytes()
    assert b"\n" not in script.replace(b"\r\n", b"")  # CRLF, as cmd.exe expects
    lines = script.decode("ascii").split("\r\n")
    delayed = lines.index("setlocal EnableDelayedExpansion")
    # Paths from the environment (a user name may hold & or !) are read before delayed expansion is on and
    # only ever used as !VAR! inside quotes afterwards, so cmd.exe never parses them as syntax.
    assert lines.index('set "SOURCE=%~dp0autodiscover.xml"') < delayed
    assert all("%" not in line for line in lines[delayed:]), "a %VAR% after delayed expansion is turned on"
    assert all(line.count("!TARGET!") == line.count('"!TARGET!') for line in lines)
    copy = next(i for i, line in enumerate(lines) if line.startswith("copy /Y"))
    first_reg = next(i for i, line in enumerate(lines) if line.startswith("reg add"))
    assert copy < first_reg
    assert all(line.endswith("|| goto failed") for line in lines if line.startswith(("copy", "reg add")))


def test_an_international_domain_gets_both_names_in_utf8(tmp_path: Path) -> None:
    script = (exported(tmp_path, "zoë@bücher.example") / "outlook-setup.cmd").read_bytes().decode("utf-8")
    assert script.split("\r\n")[1] == "chcp 65001 >nul"
    registry = MemoryRegistry()
    folder = run_script(script, registry)
    assert folder.endswith(r"\outlook\xn--bcher-kva.example")
    for name in ("bücher.example", "xn--bcher-kva.example"):
        value = registry.read(AUTODISCOVER_KEY, name)
        assert value is not None and value.data == rf"{folder}\autodiscover.xml"


def test_the_instructions_say_exactly_where_the_xml_goes(tmp_path: Path) -> None:
    page = (exported(tmp_path) / "instructions.html").read_text(encoding="utf-8")
    assert r"%LOCALAPPDATA%\NPOMail Setup Assistant\outlook\example.org\autodiscover.xml" in page
    assert "other people using this computer cannot" in page


def test_the_exported_undo_removes_only_the_domains_own_value(tmp_path: Path) -> None:
    """IT's own switches (and other accounts' domains) survive setup followed by undo."""
    out = exported(tmp_path)
    it_settings = [
        RegistryValue(AUTODISCOVER_KEY, "PreferLocalXML", RegistryKind.DWORD, 1),
        RegistryValue(SETUP_KEY, "DisableOffice365SimplifiedAccountCreation", RegistryKind.DWORD, 1),
        RegistryValue(AUTODISCOVER_KEY, "other.org", RegistryKind.SZ, r"C:\other.xml"),
    ]
    registry = MemoryRegistry(it_settings)
    run_script((out / "outlook-setup.cmd").read_text(encoding="ascii"), registry)
    undo = parse_reg((out / "outlook-undo.reg").read_bytes())
    assert undo == [(AUTODISCOVER_KEY, "example.org", None)]
    for key, name, _ in undo:
        registry.delete(key, name)
    assert registry.read(AUTODISCOVER_KEY, "example.org") is None
    assert all(registry.read(v.key, v.name) == v for v in it_settings)


def test_the_instructions_say_how_to_restore_the_shared_switches() -> None:
    text = instructions.outlook_sheet(settings(), xml_folder=outlook.export_xml_folder(settings()), has_prf=True)
    page = text.decode("utf-8")
    for name in SWITCHES:
        assert name in page
    assert "If your IT had not set them before" in page
    assert 'reg delete "HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\AutoDiscover" /v PreferLocalXML /f' in (
        page.replace("&quot;", '"')
    )


def test_the_install_restore_file_stays_exact(tmp_path: Path) -> None:
    """--install knows what was there before, so its restore file puts back exactly that."""
    from setup_assistant.core.clients import profiles

    before = [
        RegistryValue(AUTODISCOVER_KEY, "PreferLocalXML", RegistryKind.DWORD, 0),
        RegistryValue(AUTODISCOVER_KEY, "example.org", RegistryKind.SZ, r"C:\old.xml"),
    ]
    registry = MemoryRegistry(before)
    app = tmp_path / "app"
    outcome = write_profiles(
        settings(), tmp_path / "out", [Client.OUTLOOK], install=True, platform="win32", registry=registry, app_data=app
    )
    assert outcome.ok, outcome.errors
    restore = parse_reg((app / "outlook" / "example.org" / profiles.RESTORE_REG_FILE).read_bytes())
    assert {(k, n): v for k, n, v in restore} == {
        (AUTODISCOVER_KEY, "example.org"): before[1],
        (AUTODISCOVER_KEY, "PreferLocalXML"): before[0],
        (AUTODISCOVER_KEY, "ExcludeExplicitO365Endpoint"): None,
        (SETUP_KEY, "DisableOffice365SimplifiedAccountCreation"): None,
    }
    assert PureWindowsPath(str(registry.read(AUTODISCOVER_KEY, "example.org").data)).name == "autodiscover.xml"  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ['exa"mple.org', "ex%PATH%.org", "a&b.org", "a!b.org"])
def test_a_domain_cmd_would_parse_is_refused(bad: str) -> None:
    import dataclasses

    s = settings()
    address = dataclasses.replace(s.address, domain=bad, ascii_domain=bad)
    with pytest.raises(ValueError, match="setup script"):
        outlook.setup_script(dataclasses.replace(s, address=address))


def test_the_script_speaks_the_persons_language_in_utf8_and_stays_parseable(tmp_path: Path) -> None:
    from setup_assistant.core import i18n

    saved = i18n._language
    try:
        i18n.set_language("es")
        script = (exported(tmp_path) / "outlook-setup.cmd").read_bytes().decode("utf-8")
    finally:
        i18n._language = saved
    lines = script.split("\r\n")
    assert lines[1] == "chcp 65001 >nul"  # before the first accented letter
    assert "echo Ahora abra Outlook y agregue su cuenta con Archivo, Agregar cuenta." in lines
    assert any(
        line.startswith('echo Listo: Outlook lee "!TARGET!\\autodiscover.xml" para example.org') for line in lines
    )
    assert not [
        line
        for line in lines
        if line.startswith(("echo", "  echo")) and re.search(r"[%!^&|<>()]", line.replace('"!TARGET!', ""))
    ]
    registry = MemoryRegistry()
    assert run_script(script, registry).endswith(r"\outlook\example.org")  # the same registry writes


def test_a_translation_cmd_could_misread_falls_back_to_the_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outlook, "_", lambda message: "¡Listo! (100% hecho) & {file}" if "Done" in message else message)
    line = outlook._cmd_line("echo", "Done: Outlook reads {file} for {domain}.", file="x.xml", domain="example.org")
    assert line == "echo Done: Outlook reads x.xml for example.org."
    monkeypatch.setattr(outlook, "_", lambda message: "Listo: {file}")  # a lost placeholder: English too
    line = outlook._cmd_line("echo", "Done: Outlook reads {file} for {domain}.", file="x.xml", domain="example.org")
    assert line == "echo Done: Outlook reads x.xml for example.org."
