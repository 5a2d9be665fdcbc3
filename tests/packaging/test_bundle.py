"""Smoke test of the frozen bundle: the CLI and the wizard run from it, with everything they import lazily.

Everything here runs the PyInstaller build (tests/packaging/conftest.py), never the source tree.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from setup_assistant import __version__
from setup_assistant.commands import COMMAND_MODULES
from setup_assistant.gui.startup_probe import ENV_VAR, REPORT_PREFIX
from tests.packaging.conftest import ROOT, Bundle, bundle_env, load_installer_module

pytestmark = pytest.mark.slow

metadata = load_installer_module("installer_metadata", "metadata.py")

# Imported inside functions or by name, so only the bundle's own archive can show they were collected.
LAZY_MODULES = [
    "setup_assistant.gui.app",
    *(f"setup_assistant.commands.{name}" for name in COMMAND_MODULES),
    "dns.resolver",
    "dns.rdtypes.ANY.MX",
    "dns.rdtypes.IN.SRV",
    "dns.rdtypes.IN.A",
    "dns.rdtypes.IN.AAAA",
    "email_validator",
    "idna",
    "certifi",
    "platformdirs",
    "cryptography.x509.verification",
    "cryptography.hazmat.primitives.serialization.pkcs7",
    "truststore._api",
    "keyring",
    "keyring.backends.chainer",
]
PLATFORM_MODULES = {
    "linux": ["keyring.backends.SecretService", "secretstorage", "jeepney", "truststore._openssl"],
    "win32": ["keyring.backends.Windows", "win32ctypes.pywin32.win32cred", "truststore._windows"],
    "darwin": ["keyring.backends.macOS", "keyring.backends.macOS.api", "truststore._macos"],
}


def run(
    bundle: Bundle, program: str, *args: str, home: Path, stdin: str | None = None, timeout: float = 120, **env: str
):
    return subprocess.run(
        [str(bundle.exe(program)), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        cwd=home,  # not the source tree, so nothing can be found there by accident
        env=bundle_env(home, **env),
    )


def test_cli_version(bundle: Bundle, tmp_path: Path) -> None:
    proc = run(bundle, "setup-assistant-cli", "--version", home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"setup-assistant {__version__}"


def test_cli_speaks_spanish_from_the_bundled_catalog(bundle: Bundle, tmp_path: Path) -> None:
    """The gettext catalog is found inside the bundle (core/resources.py), by --lang and by LANG alike."""
    proc = run(bundle, "setup-assistant-cli", "--lang", "es", "probe", "jane@", home=tmp_path)
    assert proc.returncode == 2 and "No hay nada después de la @" in proc.stderr, proc.stderr
    proc = run(
        bundle, "setup-assistant-cli", "probe", "jane@", home=tmp_path, LANG="es_MX.UTF-8", LC_ALL="", LC_MESSAGES=""
    )
    assert proc.returncode == 2 and "No hay nada después de la @" in proc.stderr, proc.stderr


def test_cli_version_verbose_reports_what_went_into_the_bundle(bundle: Bundle, tmp_path: Path) -> None:
    proc = run(bundle, "setup-assistant-cli", "--version", "--verbose", home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"NPOMail Setup Assistant {__version__}" in out
    assert "frozen bundle: yes (facts recorded at build time)" in out
    assert re.search(r"commit: [0-9a-f]{40}|commit: unknown", out)
    assert re.search(r"PySide6: 6\.\d+\.\d+; Qt: 6\.\d+\.\d+", out), out  # Qt's own version, read at build
    for package in ("pyside6-essentials", "cryptography", "keyring", "dnspython", "certifi", "pyinstaller"):
        assert f"    {package} " in out, package


@pytest.mark.servers
def test_cli_probe_json_against_the_dovecot_servers(bundle: Bundle, mail_servers, tmp_path: Path) -> None:
    user, password = next(iter(mail_servers.users.items()))
    proc = run(
        bundle,
        "setup-assistant-cli",
        "probe",
        user,
        "--provider",
        str(mail_servers.provider_path),
        "--password-stdin",
        "--json",
        stdin=password + "\n",
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["ok"] is True and data["email"] == user
    assert [e["status"] for e in data["endpoints"]] == ["ok"] * 6, data["endpoints"]
    for endpoint in data["endpoints"]:
        assert endpoint["certificate"]["trusted_by"]["provider_root"] is True
    assert [login["status"] for login in data["logins"]] == ["ok"] * 3
    assert password not in proc.stdout + proc.stderr
    assert data["recommended"]["imap"]["port"] == mail_servers.ports["imap"]


@pytest.mark.servers
def test_cli_saves_the_password_into_thunderbird_through_its_own_helper(
    bundle: Bundle, mail_servers, tmp_path: Path
) -> None:
    """The frozen programs are their own NSS helper (--thunderbird-nss-worker): no Python beside them."""
    from setup_assistant.core.clients.thunderbird.logins import find_nss_library

    if find_nss_library() is None:
        pytest.skip("no NSS library (libnss3) on this computer")
    user, password = next(iter(mail_servers.users.items()))
    profile = tmp_path / "profile"
    profile.mkdir()
    proc = run(
        bundle,
        "setup-assistant-cli",
        "profiles",
        user,
        "--out",
        str(tmp_path / "out"),
        "--provider",
        str(mail_servers.provider_path),
        "--client",
        "thunderbird",
        "--thunderbird-profile",
        str(profile),
        "--password-stdin",
        "--save-password",
        "--json",
        stdin=password + "\n",
        home=tmp_path / "home",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (client,) = json.loads(proc.stdout)["profiles"]["clients"]
    assert client["password"]["outcome"] == "stored", client
    logins = json.loads((profile / "logins.json").read_text(encoding="utf-8"))["logins"]
    assert [entry["hostname"] for entry in logins] == ["imap://localhost", "smtp://localhost"]
    assert password not in proc.stdout + proc.stderr


@pytest.mark.parametrize("program", ["setup-assistant", "setup-assistant-cli"])
def test_both_programs_answer_as_the_nss_helper(bundle: Bundle, program: str, tmp_path: Path) -> None:
    proc = run(bundle, program, "--thunderbird-nss-worker", stdin="[]", home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert (answer["status"], answer["message"]) == ("error", "the request is not a JSON object")


class LocalTlsServers:
    """Six well-behaved IMAP/POP3/SMTP servers (STARTTLS and SSL) under a throwaway CA, on any OS."""

    def __init__(self, directory: Path) -> None:
        import trustme

        from tests.servers import hostile
        from tests.servers.provider_file import provider_toml, write_ca

        ca = trustme.CA(organization_name="Bundle Smoke Test CA")
        ca_path = directory / "ca.pem"
        sha = write_ca(ca, ca_path)
        leaf = ca.issue_cert("localhost", "127.0.0.1", not_after=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
        cert, key = directory / "leaf.crt", directory / "leaf.key"
        cert.write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        context = hostile.server_context(cert, key)
        self.servers = {}
        for name, protocol, security in (
            ("imap", "imap", "starttls"),
            ("imaps", "imap", "ssl"),
            ("pop3", "pop3", "starttls"),
            ("pop3s", "pop3", "ssl"),
            ("submission", "smtp", "starttls"),
            ("submissions", "smtp", "ssl"),
        ):
            behaviour = (
                hostile.starttls_server(protocol, context)
                if security == "starttls"
                else hostile.ssl_server(protocol, context)
            )
            self.servers[name] = hostile.HostileServer(behaviour)
        ports = {name: server.port for name, server in self.servers.items()}
        self.provider_path = directory / "provider.toml"
        text = provider_toml(ports, ca_path=ca_path, ca_sha256=sha, provider_id="smoke", name="Smoke Test Mail")
        self.provider_path.write_text(text, encoding="utf-8")

    def close(self) -> None:
        for server in self.servers.values():
            server.close()


@pytest.fixture
def local_tls_servers(tmp_path: Path) -> Iterator[LocalTlsServers]:
    servers = LocalTlsServers(tmp_path)
    yield servers
    servers.close()


def test_cli_probe_json_against_local_tls_servers(bundle: Bundle, local_tls_servers: LocalTlsServers, tmp_path: Path):
    """The same check without Dovecot, so it also runs on the Windows and macOS CI runners."""
    proc = run(
        bundle,
        "setup-assistant-cli",
        "probe",
        "jane@example.org",
        "--provider",
        str(local_tls_servers.provider_path),
        "--password-stdin",
        "--json",
        "--timeout",
        "10",
        stdin="any-password\n",
        home=tmp_path / "home",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert [e["status"] for e in data["endpoints"]] == ["ok"] * 6, data["endpoints"]
    for endpoint in data["endpoints"]:
        trusted = endpoint["certificate"]["trusted_by"]
        assert trusted["provider_root"] is True and trusted["mozilla"] is False
    assert [login["status"] for login in data["logins"]] == ["ok"] * 3


def test_cli_dns_with_the_shipped_provider_file(bundle: Bundle, tmp_path: Path) -> None:
    """dnspython loads its record types by name at run time; the default provider comes from the bundle."""
    from tests.servers.dns_server import FAKE_NPOMAIL_ADDRESS, NPOMAIL_DOMAIN, DnsServer, example_zone

    with DnsServer(example_zone()) as server:
        proc = run(
            bundle,
            "setup-assistant-cli",
            "dns",
            f"jane@{NPOMAIL_DOMAIN}",
            "--nameserver",
            f"127.0.0.1:{server.port}",
            "--json",
            home=tmp_path,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["ok"] is True
    by_check = {c["check"]: c for c in data["checks"]}
    assert by_check["mx"]["records"] == ["10 mx1.electricembers.net"]
    assert by_check["provider-host"]["records"] == [FAKE_NPOMAIL_ADDRESS]
    shipped = Path(data["provider"]["file"]).resolve()
    assert shipped.parts[-4:] == ("setup_assistant", "_resources", "providers", "npomail.toml")
    assert any(shipped.is_relative_to(c.resolve()) for c in bundle.contents), shipped
    assert not shipped.is_relative_to(ROOT)


def test_gui_reaches_its_first_page_offscreen_and_exits(bundle: Bundle, tmp_path: Path) -> None:
    # A report file rather than stdout: the windowed Windows executable has no stdout.
    report = tmp_path / "first-page.txt"
    proc = run(bundle, "setup-assistant", home=tmp_path / "home", timeout=60, **{ENV_VAR: str(report)})
    assert "Traceback" not in proc.stderr, proc.stderr
    assert report.is_file(), f"no first page (exit {proc.returncode}): {proc.stderr[-3000:]}"
    line = report.read_text(encoding="utf-8").strip()
    assert line.startswith(REPORT_PREFIX)
    assert metadata.provider()["name"] in line  # the shipped provider file was found and shown
    assert proc.returncode == 1  # run_wizard: 1 = closed before the person finished


def _archive_modules(exe: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    package = CArchiveReader(str(exe))
    name = next(n for n in package.toc if n.endswith(".pyz"))
    return set(package.open_embedded_archive(name).toc)


@pytest.mark.parametrize("program", ["setup-assistant", "setup-assistant-cli"])
def test_lazily_imported_modules_are_bundled(bundle: Bundle, program: str) -> None:
    modules = _archive_modules(bundle.exe(program))
    wanted = LAZY_MODULES + PLATFORM_MODULES.get(sys.platform, [])
    assert [m for m in wanted if m not in modules] == []


def test_bundled_metadata_and_data_for_lazy_imports(bundle: Bundle) -> None:
    names = {p.relative_to(c).as_posix() for c in bundle.contents for p in c.rglob("*") if p.is_file()}
    # keyring finds its backends through entry points, which live in the package metadata.
    assert any(n.startswith("keyring-") and n.endswith(".dist-info/entry_points.txt") for n in names)
    assert "certifi/cacert.pem" in names
    assert any(n.startswith("cryptography/hazmat/bindings/_rust") for n in names)
    assert "setup_assistant/_resources/providers/npomail.toml" in names
    assert "setup_assistant/_resources/icons/logo-64.png" in names
    assert "setup_assistant/_resources/i18n/es/LC_MESSAGES/setup_assistant.mo" in names


def test_bundle_leaves_out_what_the_app_does_not_use(bundle: Bundle) -> None:
    names = {p.relative_to(c).as_posix() for c in bundle.contents for p in c.rglob("*") if p.is_file()}
    plugins = sorted(n.split("PySide6/Qt/plugins/", 1)[1] for n in names if "PySide6/Qt/plugins/" in n)
    allowed_dirs = {"platforms", "styles", "platforminputcontexts"}
    assert {p.split("/")[0] for p in plugins} <= allowed_dirs, plugins
    assert any("offscreen" in p for p in plugins)
    translations = [n for n in names if "PySide6/Qt/translations/" in n]
    assert all(n.rsplit("/", 1)[1].startswith("qtbase_") for n in translations), translations
    unwanted = ("Qt6Network", "QtNetwork", "Qt6Qml", "QtQml", "Qt6Svg", "QtSvg", "Qt6Pdf", "libgtk-3", "opengl32sw")
    assert [n for n in names if any(u in n.rsplit("/", 1)[-1] for u in unwanted)] == []


# Bytes of the onedir folder (or .app). Linux is measured (133 MB; the bare PySide6 floor is 112 MB); Windows
# and macOS (universal2 wheels, so every library twice) are generous guesses that still catch a stray Qt module.
SIZE_BUDGET = {"linux": 150e6, "win32": 200e6, "darwin": 350e6}


def test_bundle_size_budget(bundle: Bundle) -> None:
    bundling = load_installer_module("installer_bundling", "bundling.py")
    size = bundling.bundle_size(bundle.root)
    assert size < SIZE_BUDGET[sys.platform], f"{size / 1e6:.1f} MB"
