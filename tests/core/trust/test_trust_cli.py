"""`setup-assistant trust` against the real test servers, whose chain validates only with the pinned test CA."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from setup_assistant.cli import main
from setup_assistant.core.resources import resource_path
from tests.conftest import MailServers, skip_or_fail
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.servers

CERTUTIL = shutil.which("certutil")
NICK = "Test Mail root (Setup Assistant Test CA)"


@pytest.fixture(autouse=True)
def temp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the real home: ~/.pki/nssdb and any Thunderbird folder live in a temporary one."""
    if CERTUTIL is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profiles" / "q1w2e3.default-release"
    path.mkdir(parents=True)
    (path / "prefs.js").write_text("// Mozilla User Preferences\n", encoding="utf-8")
    return path


def trust(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["trust", *args, "--timeout", "5"])
    out = capsys.readouterr()
    if "--json" in args and code != 2:
        return code, json.loads(out.out)
    return code, out.out + out.err


def nss_trust(directory: Path, nickname: str) -> str | None:
    assert CERTUTIL is not None
    if not (directory / "cert9.db").exists():
        return None
    listing = subprocess.run([CERTUTIL, "-L", "-d", f"sql:{directory}"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        if line.startswith(nickname + " "):
            return line[len(nickname) :].strip()
    return None


def by_kind(report: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(p for p in report["places"] if p["kind"] == kind)


def test_needed_until_installed_in_the_profile_then_trusted_there(
    mail_servers: MailServers, profile: Path, temp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile), "--json"]
    code, before = trust(capsys, "status", *common)
    assert code == 1
    assert before["server"]["verdict"] == "pinned-root"
    assert all(t == {"mozilla": False, "os": False, "provider_root": True} for t in before["server"]["trusted_by"])
    tb = by_kind(before, "thunderbird-profile")
    assert tb["path"] == str(profile.resolve())
    assert (tb["needed"], tb["present"], tb["trusted"]) == ("needed", False, False)
    assert by_kind(before, "user-nss")["needed"] == "needed"
    assert not (profile / "cert9.db").exists()

    code, installed = trust(capsys, "install", *common)
    assert code == 0, installed["summary"]
    assert [p["outcome"] for p in installed["places"]] == ["installed", "installed"]
    assert nss_trust(profile, NICK) == "C,,"
    assert nss_trust(temp_home / ".pki" / "nssdb", NICK) == "C,,"

    code, after = trust(capsys, "status", *common)
    assert code == 0
    tb = by_kind(after, "thunderbird-profile")
    assert (tb["needed"], tb["present"], tb["trusted"]) == ("needed", True, True)
    assert after["summary"] == "Every place that needs the provider's root has it."

    code, again = trust(capsys, "install", *common)
    assert code == 0 and [p["outcome"] for p in again["places"]] == ["already-present", "already-present"]

    code, removed = trust(capsys, "remove", *common)
    assert code == 0 and [p["outcome"] for p in removed["places"]] == ["removed", "removed"]
    assert nss_trust(profile, NICK) is None
    code, gone = trust(capsys, "status", *common)
    assert code == 1 and by_kind(gone, "thunderbird-profile")["present"] is False
    code, nothing = trust(capsys, "remove", *common)
    assert code == 0 and [p["outcome"] for p in nothing["places"]] == ["absent", "absent"]


def test_readable_table(mail_servers: MailServers, profile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = trust(
        capsys, "install", "--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile)
    )
    assert code == 0
    assert "Test Mail root certificate: " in text and "Setup Assistant Test CA" in text
    assert "Server: the server's certificate chain leads to the provider's root" in text
    row = next(line for line in text.splitlines() if line.strip().startswith(f"Thunderbird profile {profile.name}"))
    assert row.split()[-3:] == ["yes", "yes", "installed"]
    assert "Installed in: Thunderbird profile q1w2e3.default-release, Your NSS certificate database" in text


def test_profiles_found_under_home(
    mail_servers: MailServers, temp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tb_root = temp_home / ".thunderbird"
    (tb_root / "a1b2.default-release").mkdir(parents=True)
    (tb_root / "profiles.ini").write_text(
        "[General]\nStartWithLastProfile=1\nVersion=2\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=a1b2.default-release\nDefault=1\n",
        encoding="utf-8",
    )
    code, report = trust(capsys, "install", "--provider", str(mail_servers.provider_path), "--json")
    assert code == 0, report
    tb = by_kind(report, "thunderbird-profile")
    assert tb["path"] == str((tb_root / "a1b2.default-release").resolve()) and tb["outcome"] == "installed"
    assert nss_trust(tb_root / "a1b2.default-release", NICK) == "C,,"


def test_a_locked_profile_is_refused(
    mail_servers: MailServers, profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Thunderbird's `lock` link naming another computer: the profile is in use there.
    (profile / "lock").symlink_to("203.0.113.7:+4242")
    args = ["--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile), "--json"]
    code, report = trust(capsys, "install", *args)
    assert code == 1
    tb = by_kind(report, "thunderbird-profile")
    assert tb["outcome"] == "failed" and "Thunderbird is using the profile" in tb["message"]
    assert by_kind(report, "user-nss")["outcome"] == "installed"
    assert not (profile / "cert9.db").exists()


def test_unreachable_server_installs_nothing_without_offline(
    mail_servers: MailServers, profile: Path, tmp_path: Path, temp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = free_port()
    names = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")
    provider = mail_servers.provider_file(tmp_path, **dict.fromkeys(names, closed))
    args = ["--provider", str(provider), "--thunderbird-profile", str(profile)]
    code, report = trust(capsys, "install", *args, "--json")
    assert code == 1
    assert report["server"]["verdict"] == "unreachable"
    assert [p["outcome"] for p in report["places"]] == [None, None]
    assert report["summary"].startswith("Nothing was installed") and "--offline" in report["summary"]
    assert not (profile / "cert9.db").exists() and not (temp_home / ".pki").exists()

    code, report = trust(capsys, "install", *args, "--offline", "--json")
    assert code == 0
    assert by_kind(report, "thunderbird-profile")["outcome"] == "installed"
    assert report["summary"].startswith("Could not check the server")
    assert "not only for mail" in report["notes"][0] and "~/.pki/nssdb" in report["notes"][0]
    assert nss_trust(profile, NICK) == "C,,"
    code, text = trust(capsys, "install", *args, "--offline")
    assert code == 0 and "Warning: the server could not be checked" in text and "not only for mail" in text
    code, text = trust(capsys, "status", *args, "--offline")
    assert code == 2 and "--offline only applies" in text


def test_a_chain_to_another_root_installs_nothing(
    mail_servers: MailServers, profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isrg = resource_path("certs", "isrg-root-x1.pem")
    sha = "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6"
    provider = tmp_path / "other-root.toml"
    provider.write_text(mail_servers.server.provider_toml(isrg, sha), encoding="utf-8")  # type: ignore[attr-defined]
    code, report = trust(
        capsys, "install", "--provider", str(provider), "--thunderbird-profile", str(profile), "--json"
    )
    assert code == 1
    assert report["server"]["verdict"] == "other-root"
    assert [p["outcome"] for p in report["places"]] == [None, None]
    assert "Nothing was installed" in report["summary"]
    assert not (profile / "cert9.db").exists()


def test_a_tampered_root_file_is_a_usage_error_and_installs_nothing(
    mail_servers: MailServers, profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    der = bytearray(x509.load_pem_x509_certificate(mail_servers.ca_path.read_bytes()).public_bytes(Encoding.DER))
    der[-3] ^= 0x01  # one byte of the signature: still a readable certificate, but not the pinned one
    tampered = tmp_path / "tampered-ca.pem"
    tampered.write_bytes(x509.load_der_x509_certificate(bytes(der)).public_bytes(Encoding.PEM))
    provider = tmp_path / "tampered.toml"
    provider.write_text(
        mail_servers.server.provider_toml(tampered, mail_servers.ca_sha256),  # type: ignore[attr-defined]
        encoding="utf-8",
    )
    code, text = trust(capsys, "install", "--provider", str(provider), "--thunderbird-profile", str(profile))
    assert code == 2
    assert "does not match its pin" in text
    assert "Traceback" not in text
    assert not (profile / "cert9.db").exists()


def test_usage_errors(mail_servers: MailServers, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = trust(
        capsys, "status", "--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(tmp_path / "nope")
    )
    assert code == 2 and "no such folder" in text
    with pytest.raises(SystemExit) as exc:
        main(["trust", "frobnicate"])
    assert exc.value.code == 2
    no_trust = tmp_path / "no-trust.toml"
    source = mail_servers.provider_path.read_text(encoding="utf-8")
    no_trust.write_text(source[: source.index("[trust]")], encoding="utf-8")
    code, text = trust(capsys, "status", "--provider", str(no_trust))
    assert code == 2 and "no [trust] section" in text
