"""`setup-assistant trust` in Spanish against the real test servers and real NSS databases: every line a person
reads is Spanish (the place messages from certutil, the server's detail, the notes, the result column), and the
JSON a program reads is byte for byte the same in both languages."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from tests.conftest import MailServers, skip_or_fail
from tests.english_leaks import english_lines
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.servers

NICK = "Test Mail root (Setup Assistant Test CA)"
SERVER_ES = (
    "Servidor: la cadena de certificados del servidor lleva a la raíz del proveedor; los certificados raíz de "
    "Mozilla no confían en ella, el almacén de esta computadora no confía en ella."
)


@pytest.fixture(autouse=True)
def temp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Never the real home: ~/.pki/nssdb lives in a temporary one; the language is put back afterwards."""
    if shutil.which("certutil") is None:
        skip_or_fail("NSS certutil is not installed (apt-get install libnss3-tools)")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    saved = i18n._language
    yield home
    i18n._language = saved


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profiles" / "q1w2e3.default-release"
    path.mkdir(parents=True)
    (path / "prefs.js").write_text("// Mozilla User Preferences\n", encoding="utf-8")
    return path


def trust(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = cli.main(["--lang", language, "trust", *args, "--timeout", "5"])
    out = capsys.readouterr()
    return code, out.out, out.err


def spanish(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    code, out, err = trust(capsys, monkeypatch, "es", *args)
    assert english_lines(out + err) == [], out + err
    return code, out + err


def test_status_install_and_remove_read_spanish(
    mail_servers: MailServers,
    profile: Path,
    temp_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ["--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile)]
    tb, nssdb = profile.resolve(), temp_home / ".pki" / "nssdb"

    code, text = spanish(capsys, monkeypatch, "status", *args)
    assert code == 1
    assert SERVER_ES in text
    assert (
        f"usada por Thunderbird: todavía no hay una base de datos de certificados en {tb} (la instalación la crea)"
        in text
    )
    assert "Falta la raíz del proveedor en: el perfil de Thunderbird q1w2e3.default-release, su base de datos" in text

    code, text = spanish(capsys, monkeypatch, "install", *args)
    assert code == 0
    assert f"usada por Thunderbird: se agregó a {tb} como '{NICK}' (de confianza para servidores)" in text
    assert f"se agregó a {nssdb} como '{NICK}' (de confianza para servidores)" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("el perfil de Thunderbird q1w2e3"))
    assert row.split()[-3:] == ["sí", "sí", "instalada"]
    assert "Instalada en: el perfil de Thunderbird q1w2e3.default-release, su base de datos" in text

    code, text = spanish(capsys, monkeypatch, "install", *args)
    assert code == 0
    assert f"usada por Thunderbird: está como '{NICK}' (de confianza para servidores)" in text
    assert "ya estaba" in text

    code, text = spanish(capsys, monkeypatch, "remove", *args)
    assert code == 0
    assert f"usada por Thunderbird: se quitó '{NICK}' de {tb}" in text
    assert "Se quitó de: el perfil de Thunderbird q1w2e3.default-release" in text

    code, text = spanish(capsys, monkeypatch, "remove", *args)
    assert code == 0
    assert f"usada por Thunderbird: la raíz de este asistente no está en {tb}" in text
    assert "no estaba" in text


def test_an_unreachable_server_offline_and_a_locked_profile_read_spanish(
    mail_servers: MailServers,
    profile: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed = free_port()
    names = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")
    unreachable = mail_servers.provider_file(tmp_path, **dict.fromkeys(names, closed))
    args = ["--provider", str(unreachable), "--thunderbird-profile", str(profile)]

    code, text = spanish(capsys, monkeypatch, "install", *args)
    assert code == 1
    assert "Servidor: no se pudo llegar al servidor para comprobar su certificado (conexión rechazada)." in text
    assert (
        "no se instaló: no se pudo llegar al servidor para comprobar su certificado (conexión rechazada), así" in text
    )

    code, text = spanish(capsys, monkeypatch, "install", *args, "--offline")
    assert code == 0
    assert "Nota: Se instaló sin comprobar el servidor (--offline): ahora se confía en" in text
    assert "(Thunderbird, para el correo y para las páginas web que abre)" in text
    assert "(Chromium, Chrome y los demás programas que leen ~/.pki/nssdb)" in text
    spanish(capsys, monkeypatch, "remove", *args)

    # Thunderbird's `lock` link naming another computer: the profile is in use there.
    (profile / "lock").symlink_to("203.0.113.7:+4242")
    code, text = spanish(
        capsys,
        monkeypatch,
        "install",
        "--provider",
        str(mail_servers.provider_path),
        "--thunderbird-profile",
        str(profile),
    )
    assert code == 1
    assert f"Thunderbird está usando el perfil {profile.resolve()}; cierre Thunderbird y vuelva a intentarlo" in text
    assert "No se pudo instalar en: el perfil de Thunderbird q1w2e3.default-release." in text


def test_the_json_is_the_same_in_english_and_spanish(
    mail_servers: MailServers,
    profile: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ["--provider", str(mail_servers.provider_path), "--thunderbird-profile", str(profile), "--json"]
    # Install creates the databases; from then on each step starts from the same state in both languages.
    trust(capsys, monkeypatch, "en", "install", *args)
    trust(capsys, monkeypatch, "en", "remove", *args)

    def both(action: str, undo: str | None) -> None:
        code_en, json_en, _ = trust(capsys, monkeypatch, "en", action, *args)
        if undo:
            trust(capsys, monkeypatch, "en", undo, *args)
        code_es, json_es, _ = trust(capsys, monkeypatch, "es", action, *args)
        assert (code_en, json_en) == (code_es, json_es), action
        assert '"message": "' in json_es and "certificados" not in json_es

    both("status", None)
    both("install", "remove")  # the root is installed afterwards
    both("status", None)
    both("remove", "install")

    closed = free_port()
    names = ("imap", "imaps", "pop3", "pop3s", "submission", "submissions")
    unreachable = mail_servers.provider_file(tmp_path, **dict.fromkeys(names, closed))
    unreachable_args = ["--provider", str(unreachable), "--thunderbird-profile", str(profile), "--json"]
    _, json_en, _ = trust(capsys, monkeypatch, "en", "install", *unreachable_args)
    _, json_es, _ = trust(capsys, monkeypatch, "es", "install", *unreachable_args)
    assert json_en == json_es and '"verdict": "unreachable"' in json_es
    # The same steps without --json: the person reads the messages the JSON keeps in English.
    _, text, _ = trust(capsys, monkeypatch, "es", "install", *unreachable_args[:-1])
    assert "no se instaló: no se pudo llegar al servidor para comprobar su certificado" in text
    assert '"not installed: the server could not be reached to check its certificate' in json_es
