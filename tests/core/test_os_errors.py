"""A failed file operation is said in plain words and the person's language, from the real OSError."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core import atomic, i18n
from setup_assistant.core.os_errors import os_failure, os_reason
from tests.english_leaks import english_lines


def _raised(action) -> OSError:  # type: ignore[no-untyped-def]
    with pytest.raises(OSError) as info:
        action()
    return info.value


def test_the_usual_failures_in_plain_words_and_in_spanish(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    missing = _raised(lambda: (tmp_path / "nope" / "x").read_text())
    not_a_folder = _raised(lambda: (tmp_path / "file" / "x").write_text("y"))
    a_folder = _raised(lambda: (tmp_path / "folder").write_text("y"))
    i18n.set_language("en")
    assert [os_reason(e) for e in (missing, not_a_folder, a_folder)] == [
        "no such file or folder",
        "a file is in the way where a folder should be",
        "a folder is in the way where a file should be",
    ]
    assert os_failure(a_folder) == f"{tmp_path / 'folder'}: a folder is in the way where a file should be"
    i18n.set_language("es")
    assert i18n.human(os_failure(a_folder)) == f"{tmp_path / 'folder'}: hay una carpeta donde debería haber un archivo"
    assert i18n.human(os_reason(missing)) == "no existe ese archivo o carpeta"


def test_an_unusual_failure_keeps_the_systems_words_and_a_rename_names_the_real_file() -> None:
    odd = OSError(95, "Operation not supported")
    assert os_reason(odd) == "Operation not supported"
    renamed = FileNotFoundError(2, "No such file or directory", "/p/.prefs.js.tmp", None, "/p/prefs.js")
    assert os_failure(renamed) == "/p/prefs.js: no such file or folder"
    assert os_reason(ValueError("plain")) == "plain"


def test_an_ownership_refusal_is_a_sentence_in_the_persons_language(tmp_path: Path) -> None:
    error = atomic.OwnershipError(
        1,
        i18n.Message(
            "{path} could not be given back to {owner} (not permitted); nothing was written",
            path=tmp_path / "prefs.js",
            owner="ana:ana",
        ),
    )
    assert (
        str(error) == f"{tmp_path / 'prefs.js'} could not be given back to ana:ana (not permitted); nothing was written"
    )
    i18n.set_language("es")
    assert i18n.human(os_reason(error)).startswith(f"no se pudo devolver {tmp_path / 'prefs.js'} a ana:ana")


def test_the_cli_says_why_a_file_could_not_be_written_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SETUP_ASSISTANT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    (tmp_path / "a-file").write_text("x")
    for argv, why in (
        (
            ["sheet", "ana@example.org", "--no-probe", "--out", str(tmp_path / "a-file" / "sheet.html")],
            "ya hay algo con ese nombre",
        ),
        (
            ["profiles", "ana@example.org", "--no-probe", "--out", str(tmp_path / "a-file" / "files")],
            "hay un archivo donde debería haber una carpeta",
        ),
    ):
        try:
            code = cli.main(["--lang", "es", *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        err = capsys.readouterr().err
        assert code != 0 and f"no se puede crear la carpeta ({why})" in err, err
        assert english_lines(err) == [], err
