"""write_profiles (export vs. install, per client) and `setup-assistant profiles` against the real servers."""

from __future__ import annotations

import json
import plistlib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from setup_assistant.core.clients import profiles
from setup_assistant.core.clients.outlook import writer as outlook
from setup_assistant.core.clients.outlook.registry import MemoryRegistry, RegistryKind, RegistryValue
from setup_assistant.core.clients.outlook.writer import AUTODISCOVER_KEY
from setup_assistant.core.clients.profiles import Client, write_profiles
from setup_assistant.core.model import MailProtocol, Security
from tests.cli_runner import run_cli as run
from tests.core.clients.profile_support import all_bytes, parse_reg, settings
from tests.servers.dovecot import free_port

R = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
OTHER = RegistryValue(AUTODISCOVER_KEY, "other.org", RegistryKind.SZ, r"C:\other.xml")

EXPECTED_FILES = {
    "thunderbird/config-v1.1.xml",
    "thunderbird/instructions.html",
    "outlook/autodiscover.xml",
    "outlook/outlook-setup.cmd",
    "outlook/outlook-undo.reg",
    "outlook/outlook.prf",
    "outlook/instructions.html",
    "apple-mail/jane.doe@example.org.mobileconfig",
    "apple-mail/instructions.html",
}


def relative(paths: list[Path], root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in paths}


class Recorder:
    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, command: Any) -> None:
        self.commands.append(list(command))


def test_plain_export_writes_every_file_and_touches_nothing(tmp_path: Path) -> None:
    registry, opener, home = MemoryRegistry([OTHER]), Recorder(), tmp_path / "home"
    tb_profile = home / ".thunderbird" / "abc.default"
    tb_profile.mkdir(parents=True)
    out = tmp_path / "out"
    outcome = write_profiles(
        settings(), out, platform="win32", registry=registry, opener=opener, home=home, app_data=tmp_path / "app"
    )
    assert outcome.ok, outcome.errors
    assert relative(outcome.files, out) == EXPECTED_FILES
    assert {p for p in out.rglob("*") if p.is_file()} == set(outcome.files)
    assert registry.values() == [OTHER] and opener.commands == []
    assert list(tb_profile.iterdir()) == [] and not (tmp_path / "app").exists()
    assert all(c.installed is None and c.skipped is None for c in outcome.clients)
    assert outcome.warnings == ()
    data = json.loads(json.dumps(outcome.to_json()))
    assert data["ok"] and [c["client"] for c in data["clients"]] == ["thunderbird", "outlook", "apple-mail"]


def test_only_the_clients_asked_for(tmp_path: Path) -> None:
    outcome = write_profiles(settings(), tmp_path, [Client.APPLE_MAIL, Client.APPLE_MAIL])
    assert [c.client for c in outcome.clients] == [Client.APPLE_MAIL]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["apple-mail"]


def test_install_on_windows_copies_the_xml_then_sets_the_registry(tmp_path: Path) -> None:
    registry, app = MemoryRegistry([OTHER]), tmp_path / "app"
    out = tmp_path / "out"
    outcome = write_profiles(
        settings(), out, [Client.OUTLOOK], install=True, platform="win32", registry=registry, app_data=app
    )
    (result,) = outcome.clients
    assert result.error is None and result.installed and "registry set" in result.installed
    local_xml = app / "outlook" / "example.org" / "autodiscover.xml"
    assert local_xml.read_bytes() == (out / "outlook" / "autodiscover.xml").read_bytes()
    assert registry.read(AUTODISCOVER_KEY, "example.org") == RegistryValue(
        AUTODISCOVER_KEY, "example.org", RegistryKind.SZ, str(local_xml)
    )
    assert registry.read(AUTODISCOVER_KEY, "other.org") == OTHER
    # The exported setup script copies the XML into the same per-user folder (%LOCALAPPDATA%\<this app>).
    script = (out / "outlook" / "outlook-setup.cmd").read_text(encoding="ascii")
    assert r'set "TARGET=%LOCALAPPDATA%\NPOMail Setup Assistant\outlook\example.org"' in script
    restore = app / "outlook" / "example.org" / profiles.RESTORE_REG_FILE
    first_restore = restore.read_bytes()
    assert all(v is None for _, _, v in parse_reg(first_restore))

    again = write_profiles(
        settings(), out, [Client.OUTLOOK], install=True, platform="win32", registry=registry, app_data=app
    )
    assert again.clients[0].installed and "already set" in again.clients[0].installed
    assert restore.read_bytes() == first_restore  # the backup of the original state is kept


def test_install_elsewhere_says_what_it_did_not_apply(tmp_path: Path) -> None:
    opener = Recorder()
    outcome = write_profiles(
        settings(), tmp_path / "out", install=True, platform="linux", opener=opener, home=tmp_path / "empty-home"
    )
    skipped = {c.client: c.skipped for c in outcome.clients}
    assert skipped[Client.OUTLOOK] and "Windows" in skipped[Client.OUTLOOK]
    assert skipped[Client.APPLE_MAIL] and "macOS" in skipped[Client.APPLE_MAIL]
    assert skipped[Client.THUNDERBIRD] and "no Thunderbird profile" in skipped[Client.THUNDERBIRD]
    assert outcome.ok and opener.commands == []


def test_install_on_macos_opens_the_profile_for_approval(tmp_path: Path) -> None:
    opener = Recorder()
    outcome = write_profiles(settings(), tmp_path, [Client.APPLE_MAIL], install=True, platform="darwin", opener=opener)
    profile = tmp_path / "apple-mail" / "jane.doe@example.org.mobileconfig"
    assert opener.commands == [["open", str(profile)], ["open", profiles.MACOS_PROFILES_PANE]]
    assert outcome.clients[0].installed and "System Settings" in outcome.clients[0].installed


def test_a_failing_opener_is_reported_and_the_file_kept(tmp_path: Path) -> None:
    def broken(command: Any) -> None:
        raise FileNotFoundError(2, "No such file or directory", "open")

    outcome = write_profiles(settings(), tmp_path, [Client.APPLE_MAIL], install=True, platform="darwin", opener=broken)
    (result,) = outcome.clients
    assert result.error and "could not open" in result.error and not outcome.ok
    assert result.files and all(p.exists() for p in result.files)


def test_named_thunderbird_profile_gets_the_account(tmp_path: Path) -> None:
    profile = tmp_path / "fresh-profile"
    profile.mkdir()
    outcome = write_profiles(settings(), tmp_path / "out", [Client.THUNDERBIRD], thunderbird_profile=profile)
    (result,) = outcome.clients
    assert result.error is None and result.installed
    assert "jane.doe@example.org" in (profile / "prefs.js").read_text(encoding="utf-8")


def test_one_client_failing_does_not_stop_the_others(tmp_path: Path) -> None:
    no_smtp = settings(working=[(MailProtocol.IMAP, Security.SSL)])
    outcome = write_profiles(no_smtp, tmp_path)
    assert not outcome.ok and len(outcome.errors) == 3
    assert all("SMTP" in e for e in outcome.errors)
    assert not any(tmp_path.rglob("*.mobileconfig"))


def test_no_file_holds_the_password_unless_asked(tmp_path: Path) -> None:
    secret = "correct horse battery staple"
    plain = write_profiles(settings(), tmp_path / "plain")
    assert plain.warnings == ()
    for data in all_bytes(tmp_path / "plain").values():
        assert secret.encode() not in data and secret.encode("utf-16-le") not in data
    asked = write_profiles(settings(password=secret), tmp_path / "asked")
    (warning,) = asked.warnings
    assert "jane.doe@example.org.mobileconfig" in warning and "outlook" not in warning


def test_the_warning_names_the_files_even_when_the_password_is_escaped_in_them(tmp_path: Path) -> None:
    """XML and plists write < & > as entities, so the warning cannot rely on finding the raw bytes."""
    outcome = write_profiles(settings(password="Pa$$<&>word"), tmp_path)
    (warning,) = outcome.warnings
    assert "config-v1.1.xml" in warning and ".mobileconfig" in warning


# --- The CLI against the real test servers ----------------------------------------------------------------


@pytest.mark.servers
def test_cli_writes_all_three_clients_after_a_real_probe(mail_servers, tmp_path, capsys, monkeypatch) -> None:
    user, password = "jane.doe@example.org", mail_servers.users["jane.doe@example.org"]
    out = tmp_path / "out"
    args = ["profiles", user, "--out", str(out), "--provider", str(mail_servers.provider_path), "--password-stdin"]
    code, stdout, stderr = run([*args, "--name", "Jane Doe", "--json"], capsys, monkeypatch, password + "\n")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["check"]["ok"] and {login["status"] for login in data["check"]["logins"]} == {"ok"}
    assert relative([Path(f) for c in data["profiles"]["clients"] for f in c["files"]], out) == EXPECTED_FILES
    assert password not in stdout and password not in stderr
    for data_bytes in all_bytes(out).values():
        assert password.encode() not in data_bytes

    ports = mail_servers.ports
    tb = ET.parse(out / "thunderbird" / "config-v1.1.xml").getroot()
    first_in = tb.find("emailProvider/incomingServer")
    assert first_in is not None and first_in.findtext("port") == str(ports["imap"])  # the provider prefers STARTTLS
    xml = ET.parse(out / "outlook" / "autodiscover.xml").getroot()
    assert [p.findtext(f"{R}Port") for p in xml.iter(f"{R}Protocol")] == [
        str(ports["imaps"]),
        str(ports["submissions"]),
    ]
    profile = plistlib.loads((out / "apple-mail" / f"{user}.mobileconfig").read_bytes())
    mail = profile["PayloadContent"][0]
    assert (mail["IncomingMailServerHostName"], mail["IncomingMailServerPortNumber"]) == (
        mail_servers.server.host,
        ports["imaps"],
    )
    assert mail["EmailAccountName"] == "Jane Doe"


@pytest.mark.servers
def test_cli_blocked_starttls_puts_ssl_first_everywhere(mail_servers, tmp_path, capsys, monkeypatch) -> None:
    closed = free_port()  # nothing listens: connections are refused at once
    provider = mail_servers.provider_file(tmp_path, imap=closed, pop3=closed, submission=closed)
    out = tmp_path / "out"
    code, stdout, stderr = run(
        ["profiles", "jane.doe@example.org", "--out", str(out), "--provider", str(provider)], capsys, monkeypatch
    )
    assert code == 0, stderr
    assert str(out / "thunderbird" / "config-v1.1.xml") in stdout
    ports = mail_servers.ports
    tb = ET.parse(out / "thunderbird" / "config-v1.1.xml").getroot()
    incoming = tb.findall("emailProvider/incomingServer")
    outgoing = tb.findall("emailProvider/outgoingServer")
    assert (incoming[0].findtext("socketType"), incoming[0].findtext("port")) == ("SSL", str(ports["imaps"]))
    assert (outgoing[0].findtext("socketType"), outgoing[0].findtext("port")) == ("SSL", str(ports["submissions"]))
    assert str(closed) not in (out / "thunderbird" / "config-v1.1.xml").read_text(encoding="utf-8")


@pytest.mark.servers
def test_cli_wrong_password_is_exit_1_and_files_are_still_written(mail_servers, tmp_path, capsys, monkeypatch) -> None:
    out = tmp_path / "out"
    args = ["profiles", "jane.doe@example.org", "--out", str(out), "--provider", str(mail_servers.provider_path)]
    code, stdout, stderr = run(
        [*args, "--password-stdin", "--client", "outlook"], capsys, monkeypatch, "not the password\n"
    )
    assert code == 1
    assert "rejected" in stdout and "postmaster" in stdout
    assert (out / "outlook" / "autodiscover.xml").exists() and not (out / "thunderbird").exists()
    assert "not the password" not in stdout + stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["not-an-address"], "no @"),
        (["a@example.org", "--pop-delete-after-days", "3"], "--protocol pop3"),
        (["a@example.org", "--protocol", "pop3", "--pop-delete-after-days", "0"], "from 1 to 3650"),
        (["a@example.org", "--name", "Jane\x07Doe", "--no-probe"], "control character"),
        (["a@example.org", "--name", "N" * 300, "--no-probe"], "too long"),
        (["a@example.org", "--include-password"], "--password-stdin"),
        (["a@example.org", "--client", "outlook", "--thunderbird-profile", "."], "thunderbird client"),
        (["a@example.org", "--client", "mutt"], "invalid choice"),
        (["a@example.org", "--sign-cert", "x.pem"], "--sign-key"),
    ],
)
def test_cli_bad_input_is_exit_2_with_a_human_message(args, needle, tmp_path, capsys, monkeypatch) -> None:
    out = tmp_path / "out"
    code, _, stderr = run(["profiles", *args, "--out", str(out)], capsys, monkeypatch)
    assert code == 2
    assert needle in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_cli_no_probe_writes_the_published_settings(tmp_path, capsys, monkeypatch) -> None:
    code, stdout, _ = run(
        ["profiles", "jane@example.org", "--out", str(tmp_path), "--no-probe", "--client", "apple-mail"],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "not tested" in stdout
    mail = plistlib.loads((tmp_path / "apple-mail" / "jane@example.org.mobileconfig").read_bytes())["PayloadContent"][0]
    assert mail["IncomingMailServerPortNumber"] == 993 and mail["OutgoingMailServerPortNumber"] == 465
    assert outlook.AUTODISCOVER_FILE not in {p.name for p in tmp_path.rglob("*")}


def test_exported_outlook_files_on_windows_name_the_export_folder(tmp_path: Path) -> None:
    """Files saved for another computer cannot point at this user's own app folder (it does not exist there)."""
    outcome = write_profiles(settings(), tmp_path, [Client.OUTLOOK], platform="win32", app_data=tmp_path / "mine")
    assert outcome.ok
    script = (tmp_path / "outlook" / "outlook-setup.cmd").read_text(encoding="ascii")
    assert outlook.EXPORT_XML_ROOT in script
    assert str(tmp_path / "mine") not in script


def test_cli_pop_delete_after_days_sets_only_the_age_prefs(tmp_path, capsys, monkeypatch) -> None:
    """`--pop-delete-after-days N` is age-based deletion only: "Until I delete them" stays off (issue 13)."""
    from setup_assistant.core.clients.thunderbird.prefs import parse_prefs

    profile = tmp_path / "profile"
    profile.mkdir()
    args = ["profiles", "jane@example.org", "--out", str(tmp_path / "out"), "--no-probe", "--client", "thunderbird"]
    args += ["--protocol", "pop3", "--pop-delete-after-days", "30", "--thunderbird-profile", str(profile)]
    code, _, _ = run(args, capsys, monkeypatch)
    assert code == 0
    prefs = {s.name: s.value for s in parse_prefs((profile / "prefs.js").read_bytes())}
    srv = "mail.server.server1."
    assert prefs[srv + "delete_by_age_from_server"] is True and prefs[srv + "num_days_to_leave_on_server"] == 30
    assert prefs[srv + "delete_mail_left_on_server"] is False
    assert prefs[srv + "leave_on_server"] is True


def test_cli_report_numbers_what_is_left_to_do() -> None:
    from setup_assistant.commands.profiles import _report

    outcome = profiles.ProfilesOutcome(
        Path("out"),
        (profiles.ClientOutcome(Client.OUTLOOK, installed="registry set", next_steps=("Do this.", "Then that.")),),
    )
    text = _report(None, outcome)
    assert "Outlook: now, in this order:\n  1. Do this.\n  2. Then that." in text
