"""`--lang` on the command line: Spanish for people, the same JSON for programs, and the system's language
by default."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from tests.cli_runner import run_cli as run
from tests.core.clients.test_doctor import broken_profile
from tests.servers.provider_file import provider_toml

ADDRESS = "jane.doe@example.org"


def _refusing_provider(tmp_path: Path) -> Path:
    """Every port is 1 on 127.0.0.1: refused at once, so a probe finishes quickly with the same statuses."""
    path = tmp_path / "refusing.toml"
    path.write_text(provider_toml({}, host="127.0.0.1", name="Test Mail"), encoding="utf-8")
    return path


def _without_timings(text: str) -> str:
    return re.sub(r'"elapsed_ms": \d+', '"elapsed_ms": 0', text)


def test_probe_json_is_the_same_in_every_language(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    provider = _refusing_provider(tmp_path)
    argv = ["probe", ADDRESS, "--provider", str(provider), "--json", "--timeout", "2", "--quiet"]
    code_en, out_en, _ = run([*argv, "--lang", "en"], capsys, monkeypatch)
    code_es, out_es, _ = run(["--lang", "es", *argv], capsys, monkeypatch)
    assert code_en == code_es == 1
    assert _without_timings(out_en) == _without_timings(out_es)  # only the measured times may differ
    assert json.loads(out_es)["verdict"].startswith("None of Test Mail's servers could be reached")


def test_probe_table_and_verdict_are_spanish_with_lang_es(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    provider = _refusing_provider(tmp_path)
    code, out, _ = run(
        ["probe", ADDRESS, "--provider", str(provider), "--timeout", "2", "--quiet", "--lang=es"], capsys, monkeypatch
    )
    assert code == 1
    assert f"Servidores de Test Mail para {ADDRESS}:" in out
    assert "No se pudo llegar a ninguno de los servidores de Test Mail (ningún puerto respondió)" in out
    assert "protocolo" in out and "None of" not in out


def test_profiles_json_is_the_same_and_the_pages_follow_the_language(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    out_dir = tmp_path / "files"
    argv = ["profiles", ADDRESS, "--out", str(out_dir), "--no-probe", "--protocol", "pop3", "--json"]
    _, out_en, _ = run([*argv, "--lang", "en"], capsys, monkeypatch)
    page_en = (out_dir / "thunderbird" / "instructions.html").read_text(encoding="utf-8")
    _, out_es, _ = run([*argv, "--lang", "es"], capsys, monkeypatch)
    page_es = (out_dir / "thunderbird" / "instructions.html").read_text(encoding="utf-8")
    assert out_en == out_es
    assert "Leave messages on server" in page_en and '<html lang="en">' in page_en
    assert "Dejar los mensajes en el servidor" in page_es and '<html lang="es">' in page_es
    assert "Hasta que los borre" in page_es and "Until I delete them" not in page_es


def test_doctor_json_is_the_same_and_its_text_is_spanish(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    profile = broken_profile(tmp_path)
    argv = ["doctor", ADDRESS, "--thunderbird-profile", str(profile), "--no-probe"]
    _, json_en, _ = run([*argv, "--json", "--lang", "en"], capsys, monkeypatch)
    _, json_es, _ = run([*argv, "--json", "--lang", "es"], capsys, monkeypatch)
    assert json_en == json_es
    messages = [f["message"] for a in json.loads(json_es)["accounts"] for f in a["findings"]]
    assert messages and all(m.isascii() or "“" in m or "’" in m for m in messages)  # English data
    _, text_es, _ = run([*argv, "--lang", "es"], capsys, monkeypatch)
    assert "Thunderbird ya tiene esta dirección, pero" in text_es
    assert "The guide" not in text_es and "La guía" in text_es


def test_lang_can_stand_anywhere_and_a_wrong_one_is_a_usage_error(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["probe", "jane@", "--lang", "es"], capsys, monkeypatch)
    assert code == 2 and "No hay nada después de la @" in err
    code, _, err = run(["--lang", "fr", "probe", ADDRESS], capsys, monkeypatch)
    assert code == 2 and "--lang fr" in err and "en, es" in err
    code, _, err = run(["probe", ADDRESS, "--lang"], capsys, monkeypatch)
    assert code == 2 and "--lang" in err
    code, _, err = run(["probe", "--", "--lang"], capsys, monkeypatch)  # after --, a word like any other
    assert code == 2 and "'--lang'" in err


def test_without_lang_the_cli_follows_lang_on_linux(capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("LANG", "es_AR.UTF-8")
    code, _, err = run(["probe", "jane@"], capsys, monkeypatch)
    assert code == 2 and "No hay nada después de la @" in err
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, _, err = run(["probe", "jane@"], capsys, monkeypatch)
    assert code == 2 and "There is nothing after the @" in err


def test_help_is_spanish(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(["--lang", "es", "profiles", "--help"], capsys, monkeypatch)
    assert code == 0 and "escribir también la contraseña" in out


def test_the_wizard_is_told_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI reads current_language() when it starts: --lang must be set before the wizard opens, and is
    handed on so that it wins over the language remembered from the first page's choice (None: no --lang)."""
    seen: list[tuple[str, str | None]] = []

    def fake_run_gui(provider: str | None, language: str | None = None) -> int:
        seen.append((i18n.current_language(), language))
        return 0

    monkeypatch.setattr(cli, "_run_gui", fake_run_gui)
    assert cli.main(["--lang", "es"]) == 0
    assert cli.main(["--lang=en"]) == 0
    assert cli.main(["--verbose", "--lang", "es"]) == 0
    assert cli.main([]) == 0
    assert seen[:3] == [("es", "es"), ("en", "en"), ("es", "es")] and seen[3][1] is None


def test_the_installed_command_speaks_spanish_in_a_fresh_process(tmp_path: Path) -> None:
    """From a clean interpreter, as a volunteer runs it: the catalog is found where the package is."""
    done = subprocess.run(
        [sys.executable, "-m", "setup_assistant", "sheet", "jane@", "--out", str(tmp_path / "s.html")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LANG": "es_MX.UTF-8", "SETUP_ASSISTANT_LOG_DIR": str(tmp_path)},
    )
    assert done.returncode == 2 and "No hay nada después de la @" in done.stderr, done.stderr


def _report_json(path: Path) -> dict[str, Any]:
    """The report's data without what changes from run to run anyway (the time, timings, the log lines)."""
    data = json.loads(_without_timings(path.read_text(encoding="utf-8")))
    for key in ("generated_at", "log"):
        data.pop(key)
    return data


def test_report_json_is_the_same_and_its_headings_are_spanish(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    provider = _refusing_provider(tmp_path)
    pages = {}
    for language in ("en", "es"):
        out = tmp_path / language / "report.html"
        argv = ["report", ADDRESS, "--provider", str(provider), "--out", str(out), "--timeout", "1"]
        code, stdout, _ = run([*argv, "--nameserver", "127.0.0.1:1", "--lang", language], capsys, monkeypatch)
        assert code == 1
        pages[language] = (out.read_text(encoding="utf-8"), _report_json(out.with_suffix(".json")), stdout)
    assert pages["en"][1] == pages["es"][1]
    assert pages["es"][1]["verdict"].startswith("None of Test Mail's servers could be reached")
    html_en, html_es = pages["en"][0], pages["es"][0]
    assert "<h2>Servers</h2>" in html_en and "<h2>Servidores</h2>" in html_es
    assert f"<h1>Informe de diagnóstico de {ADDRESS}</h1>" in html_es
    assert "None of Test Mail's servers could be reached" in html_es  # the body stays English for the help desk
    assert "No se pudo llegar a ninguno de los servidores de Test Mail" in pages["es"][2]  # the screen is Spanish


def test_argparse_own_words_are_spanish_and_a_mistyped_password_stays_hidden(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["--lang", "es", "probe"], capsys, monkeypatch)
    assert code == 2 and "faltan estos argumentos obligatorios: email" in err
    code, _, err = run(["--lang", "es", "profiles", ADDRESS, "--out", "x", "--client", "nope"], capsys, monkeypatch)
    assert code == 2 and "opción no válida: 'nope'" in err
    code, _, err = run(["--lang", "es", "probe", ADDRESS, "--passwd", "hunter2"], capsys, monkeypatch)
    assert code == 2 and "hunter2" not in err and "argumentos no reconocidos: --passwd y 1 palabra más" in err
    code, out, _ = run(["--lang", "es", "probe", "--help"], capsys, monkeypatch)
    assert code == 0 and out.startswith("uso: ") and "argumentos posicionales:" in out and "opciones:" in out
