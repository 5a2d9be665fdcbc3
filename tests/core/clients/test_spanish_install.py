"""`profiles --install`, `doctor` and `repair` in Spanish, on real Thunderbird profiles in a temporary home:
the install lines, the saved-password lines, a refused or declined install and every repair line are Spanish;
the JSON is byte for byte the same in both languages."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from setup_assistant.core.clients.thunderbird.logins import find_nss_library
from tests.conftest import MailServers, skip_or_fail
from tests.core.clients.test_doctor import broken_profile
from tests.english_leaks import english_lines

ADDRESS = "jane.doe@example.org"
USER = "bob+test@example.org"  # a test server user (its password has quotes, a backslash and a space)


@pytest.fixture(autouse=True)
def temp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home with one Thunderbird profile, found the way --install finds it (profiles.ini)."""
    home = tmp_path / "home"
    (home / ".thunderbird" / "a1b2.default-release").mkdir(parents=True)
    (home / ".thunderbird" / "profiles.ini").write_text(
        "[General]\nStartWithLastProfile=1\nVersion=2\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=a1b2.default-release\nDefault=1\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    saved = i18n._language
    yield home
    i18n._language = saved


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(["--lang", language, *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def spanish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str]:
    code, out, err = run(capsys, monkeypatch, "es", *args, stdin=stdin)
    assert english_lines(out + err) == [], out + err
    assert "Traceback" not in out + err
    return code, out + err


@pytest.mark.servers
def test_profiles_install_and_the_saved_password_read_spanish(
    mail_servers: MailServers, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if find_nss_library() is None:
        skip_or_fail("no NSS library (libnss3) on this computer: install thunderbird or libnss3")
    password = mail_servers.users[USER]
    common = ["profiles", USER, "--provider", str(mail_servers.provider_path), "--install", "--client", "thunderbird"]

    code, text = spanish(capsys, monkeypatch, *common, "--out", str(tmp_path / "a"))
    assert code == 0
    assert (
        f"Thunderbird: Se agregó {USER} al perfil de Thunderbird a1b2.default-release; Thunderbird va a pedir la "
        "contraseña la primera vez que se conecte." in text
    )

    keep = [*common, "--out", str(tmp_path / "b"), "--password-stdin", "--save-password"]
    code, text = spanish(capsys, monkeypatch, *keep, stdin=password + "\n")
    assert code == 0, text  # the account was there already: the password is kept all the same
    assert f"Thunderbird: {USER} ya está configurada en el perfil de Thunderbird a1b2.default-release; no se" in text
    assert (
        f"Thunderbird: Thunderbird tiene la contraseña de {USER} (en el administrador de contraseñas del perfil "
        "a1b2.default-release); no la va a pedir." in text
    )
    code, text = spanish(capsys, monkeypatch, *keep, stdin=password + "\n")
    assert code == 0
    assert f"Thunderbird ya tiene la contraseña de {USER} en el perfil a1b2.default-release; no se cambió nada." in text

    code, text = spanish(capsys, monkeypatch, *keep, stdin="not the password\n")
    assert code == 1
    assert "la contraseña no se guardó: el servidor no aceptó la contraseña, así que no se guardó" in text
    assert password not in text


@pytest.mark.servers
def test_a_profile_set_not_to_remember_passwords_says_so_in_spanish(
    mail_servers: MailServers,
    temp_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if find_nss_library() is None:
        skip_or_fail("no NSS library (libnss3) on this computer: install thunderbird or libnss3")
    profile = temp_home / ".thunderbird" / "a1b2.default-release"
    (profile / "user.js").write_text('user_pref("signon.rememberSignons", false);\n', encoding="utf-8")
    args = ["profiles", USER, "--provider", str(mail_servers.provider_path), "--out", str(tmp_path / "o")]
    args += ["--client", "thunderbird", "--install", "--password-stdin", "--save-password"]
    code, text = spanish(capsys, monkeypatch, *args, stdin=mail_servers.users[USER] + "\n")
    assert code == 1
    assert (
        "Thunderbird: la contraseña no se guardó: Thunderbird está configurado para no recordar contraseñas en este "
        "perfil, así que el asistente no la guardó ahí" in text
    )


def test_an_existing_wrong_account_declined_repaired_and_locked_reads_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = broken_profile(tmp_path / "p")
    args = ["profiles", ADDRESS, "--out", str(tmp_path / "o"), "--no-probe", "--client", "thunderbird"]
    args += ["--thunderbird-profile", str(profile)]

    code, text = spanish(capsys, monkeypatch, *args)  # no terminal to ask on: declined, nothing changed
    assert code == 1
    assert (
        f"Thunderbird: FALLÓ: Thunderbird ya tiene {ADDRESS}, pero 9 de sus datos están mal; no se cambió nada y no "
        f"se agregó una segunda cuenta. Ejecute `setup-assistant repair {ADDRESS}` (o agregue --yes) para "
        "corregirlos." in text
    )
    assert "Thunderbird account1: incoming.security: sin cifrado → STARTTLS" in text

    (profile / "lock").symlink_to("203.0.113.7:+4242")  # open in Thunderbird on another computer
    code, text = spanish(capsys, monkeypatch, *args, "--yes")
    assert code == 1
    assert f"Thunderbird: FALLÓ: Thunderbird está usando el perfil {profile}; cierre Thunderbird y vuelva" in text
    (profile / "lock").unlink()

    code, text = spanish(capsys, monkeypatch, *args, "--yes")
    assert code == 0
    assert f"Thunderbird: Se reparó {ADDRESS} en el perfil de Thunderbird {profile.name} (account1), sin crear" in text
    assert "incoming.auth: contraseña cifrada (autenticación de contraseña segura) (authMethod 4) → contraseña" in text


def test_doctor_and_repair_read_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = broken_profile(tmp_path)
    args = [ADDRESS, "--thunderbird-profile", str(profile), "--no-probe"]
    code, text = spanish(capsys, monkeypatch, "doctor", *args)
    assert code == 1 and "Thunderbird ya tiene esta dirección, pero 9 datos están mal." in text

    code, text = spanish(capsys, monkeypatch, "repair", *args)
    assert code == 1
    assert "No se cambió nada (no hay una terminal donde preguntar; agregue --yes)." in text
    assert "  Thunderbird account1: outgoing.username: sin definir → jane.doe@example.org" in text

    code, text = spanish(capsys, monkeypatch, "repair", *args, "--yes")
    assert code == 0
    assert "Cambiado en Thunderbird account1: outgoing.auth: sin autenticación (authMethod 1) → contraseña" in text
    code, text = spanish(capsys, monkeypatch, "repair", *args, "--yes")
    assert code == 0 and "No hay nada que cambiar." in text

    (profile / "prefs.js").write_text('user_pref("mail.accountmanager.accounts", "account1"', encoding="utf-8")
    code, text = spanish(capsys, monkeypatch, "doctor", *args)
    assert code == 1
    assert f"No se pudo comprobar: Perfil de Thunderbird {profile}: No se puede leer {profile / 'prefs.js'} de" in text


def _without_backup_times(text: str) -> str:
    return re.sub(r"setup-assistant-\d{8}-\d{6}(-\d+)?\.bak", "setup-assistant-X.bak", text)


def test_the_json_is_the_same_in_english_and_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    profile = broken_profile(folder)
    install = ["profiles", ADDRESS, "--out", str(tmp_path / "o"), "--no-probe", "--client", "thunderbird"]
    install += ["--thunderbird-profile", str(profile), "--json"]
    repair = ["repair", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe", "--json"]
    outputs: dict[str, list[str]] = {}
    for language in ("en", "es"):
        shutil.rmtree(folder)
        broken_profile(folder)
        outputs[language] = [
            run(capsys, monkeypatch, language, *install)[1],  # declined: nothing changes
            run(capsys, monkeypatch, language, *repair)[1],  # no terminal: nothing changes
            _without_backup_times(run(capsys, monkeypatch, language, *repair, "--yes")[1]),
            run(capsys, monkeypatch, language, *install, "--yes")[1],
        ]
    assert outputs["en"] == outputs["es"]
    declined = json.loads(outputs["es"][0])["profiles"]["clients"][0]["error"]
    assert declined.startswith(f"Thunderbird already has {ADDRESS}, but 9 of its settings are wrong")
    assert json.loads(outputs["es"][2])["changed"][0]["to"]
    # The same results without --json: the person reads them in Spanish.
    shutil.rmtree(folder)
    broken_profile(folder)
    _, text, _ = run(capsys, monkeypatch, "es", *install[:-1])
    assert f"Thunderbird: FALLÓ: Thunderbird ya tiene {ADDRESS}, pero 9 de sus datos están mal" in text


def test_a_name_that_cannot_go_into_a_file_is_refused_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        "profiles",
        ADDRESS,
        "--out",
        str(tmp_path / "o"),
        "--no-probe",
        "--name",
        "Jane\aDoe",
    ]  # a bell: no file can hold it
    code, text = spanish(capsys, monkeypatch, *args)
    assert code == 2
    assert "Este dato (el nombre) tiene un salto de línea o un carácter de control; escríbalo de nuevo." in text
    assert not (tmp_path / "o").exists()
