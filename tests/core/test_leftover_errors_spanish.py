"""The last errors that were English only, read in Spanish: a helper command that never finishes, Outlook open
during a repair, a restore file that cannot be written, `report --out x.json`. Each is English as data (str) and
the person's language where it is shown."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import pytest

from setup_assistant import cli
from setup_assistant.core import i18n
from setup_assistant.core.clients import doctor
from setup_assistant.core.clients.outlook import fixer
from setup_assistant.core.i18n import human
from setup_assistant.core.trust.base import first_line, run_command
from setup_assistant.core.trust.nss import NssDatabase, NssError
from tests.core.clients.profile_support import settings
from tests.core.clients.test_doctor_outlook import outlook_profile
from tests.english_leaks import english_lines


def _never_finishes(folder: Path) -> Path:
    """A stand-in for a tool that hangs (certutil waiting on a locked database): it sleeps, as itself."""
    script = folder / "certutil"
    script.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the tool")
def test_a_helper_command_that_does_not_finish_reads_spanish(tmp_path: Path) -> None:
    tool = _never_finishes(tmp_path)
    done = run_command([str(tool)], 0.5)
    assert done.returncode == -1
    assert str(first_line(done.output)) == f"{tool} did not finish within 0.5 s"
    i18n.set_language("es")
    assert human(first_line(done.output)) == f"{tool} no terminó en 0.5 s"

    # Through the NSS wrapper, as `trust status` shows it for a Thunderbird profile.
    database = tmp_path / "profile"
    database.mkdir()
    nss = NssDatabase(
        database,
        "Test root",
        thunderbird_profile=True,
        certutil=str(tool),
        runner=lambda argv, _timeout: run_command(argv, 0.5),
    )
    with pytest.raises(NssError) as raised:
        nss.entries()
    assert str(raised.value) == (
        f"the certificate database in {database} cannot be read: {tool} did not finish within 0.5 s"
    )
    shown = human(raised.value)
    assert shown == f"no se puede leer la base de datos de certificados de {database}: {tool} no terminó en 0.5 s"
    assert english_lines(shown) == []


def _repair(tmp_path: Path, **kwargs: object) -> doctor.Repair:
    return doctor.repair(
        settings(),
        tmp_path / "restore",
        thunderbird_profiles=[],
        registry=outlook_profile(),
        platform="linux",
        home=tmp_path,
        **kwargs,  # type: ignore[arg-type]
    )


def test_outlook_open_during_a_repair_reads_spanish(tmp_path: Path) -> None:
    i18n.set_language("es")
    result = _repair(tmp_path, outlook_running=lambda: True)
    assert [str(e) for e in result.errors] == [
        "Outlook: Outlook is open; close Outlook, then try again (nothing was changed)."
    ]
    assert [human(e) for e in result.errors] == [
        "Outlook: Outlook está abierto; cierre Outlook y vuelva a intentarlo (no se cambió nada)."
    ]


def test_a_restore_file_that_cannot_be_written_reads_spanish(tmp_path: Path) -> None:
    """The restore folder's place is taken by a file: the repair stops before any change, in plain words."""
    (tmp_path / "restore").write_text("in the way", encoding="utf-8")
    i18n.set_language("es")
    result = _repair(tmp_path, outlook_running=lambda: False)
    assert not result.changes and len(result.errors) == 1
    assert str(result.errors[0]) == f"Outlook: {tmp_path / 'restore'}: something with that name is already there"
    shown = human(result.errors[0])
    assert shown == f"Outlook: {tmp_path / 'restore'}: ya hay algo con ese nombre"
    assert english_lines(shown) == []


def test_too_many_restore_files_in_one_second_reads_spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 12, 2, 11, 30, 0)

    class _Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> _Frozen:  # type: ignore[override]
            return cls.fromtimestamp(moment.timestamp())

    monkeypatch.setattr(fixer, "datetime", _Frozen)
    folder = tmp_path / "restore"
    folder.mkdir()
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        suffix = "" if attempt == 1 else f"-{attempt}"
        (folder / f"outlook-repair-restore-{stamp}{suffix}.reg").write_bytes(b"")
    i18n.set_language("es")
    result = _repair(tmp_path, outlook_running=lambda: False)
    assert [str(e) for e in result.errors] == [f"Outlook: too many restore files this second in {folder}"]
    shown = human(result.errors[0])
    assert shown == f"Outlook: demasiados archivos para deshacer los cambios en este mismo segundo en {folder}"
    assert english_lines(shown) == []


def test_report_out_naming_the_json_reads_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    target = tmp_path / "report.json"
    args = ["report", "a@example.org", "--out", str(target), "--nameserver", "127.0.0.1:1"]
    assert cli.main(["--lang", "es", *args]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err == (
        f"setup-assistant: {target}: indique el nombre del archivo HTML (como report.html); el JSON se escribe a su "
        "lado\n"
    )
    assert english_lines(err) == []
    assert cli.main(["--lang", "en", *args]) == cli.EXIT_USAGE
    assert capsys.readouterr().err == (
        f"setup-assistant: {target}: name the HTML file (like report.html); the JSON is written beside it\n"
    )
    assert not target.exists()
