"""Usage errors as the README promises (one line on stderr, exit 2), a password never taken from (nor echoed
from) the command line, `--out ''` refused, and `sheet --out x.pdf` a real PDF."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from setup_assistant import cli

SECRET = "Hunter2-s3cret-value"


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse's own exit, as the console script would see it
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["probe"],
        ["no-such-command"],
        ["probe", "a@example.org", "--timeout", "abc"],
        ["profiles", "a@example.org"],
        ["profiles", "a@example.org", "--out", "x", "--client", "mutt"],
        ["trust", "nosuch"],
        ["sheet", "a@example.org", "--out", "x", "--protocol", "smtp"],
        ["batch"],
        ["dns", "a@example.org", "extra-word"],
        ["report", "a@example.org"],
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, stderr = run(argv, capsys, monkeypatch)
    assert code == 2 and stdout == ""
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("setup-assistant") and "usage:" not in stderr


PASSWORD_ARGUMENTS = [
    ["--password", SECRET],
    [f"--password={SECRET}"],
    ["--pass", SECRET],
    [f"--passw={SECRET}"],
    ["--pa", SECRET],
    [f"--password-stdin={SECRET}"],
    [f"--password-s={SECRET}"],
]


@pytest.mark.parametrize("command", [["probe", "a@example.org"], ["profiles", "a@example.org", "--out", "o"], []])
@pytest.mark.parametrize("password", PASSWORD_ARGUMENTS, ids=lambda a: a[0].split("=")[0])
def test_a_password_on_the_command_line_is_refused_and_never_echoed(
    command: list[str],
    password: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run([*command, *password], capsys, monkeypatch)
    assert code == 2
    assert SECRET not in stdout and SECRET not in stderr
    assert "--password-stdin" in stderr and len(stderr.splitlines()) == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["probe", "a@example.org", "--passwd", SECRET],  # not an abbreviation: unrecognised
        ["probe", "a@example.org", "--pw", SECRET],
        ["probe", "a@example.org", f"--p={SECRET}"],  # ambiguous
        ["dns", "a@example.org", SECRET],
    ],
)
def test_argparse_errors_do_not_echo_stray_values(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, stderr = run(argv, capsys, monkeypatch)
    assert code == 2
    assert SECRET not in stdout + stderr and len(stderr.splitlines()) == 1


def test_a_password_argument_is_refused_by_the_real_console_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "setup_assistant", "probe", "a@example.org", "--password", SECRET],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert SECRET not in proc.stdout + proc.stderr and "--password-stdin" in proc.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["profiles", "a@example.org", "--no-probe", "--out", ""],
        ["sheet", "a@example.org", "--no-probe", "--out", ""],
        ["batch", "people.csv", "--no-probe", "--out", "  "],
        ["report", "a@example.org", "--out", ""],
    ],
)
def test_an_empty_out_is_a_usage_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path.parent / f"{tmp_path.name}-data"))
    (tmp_path / "people.csv").write_text("email,name\na@example.org,A\n")
    code, _, stderr = run(argv, capsys, monkeypatch)
    assert code == 2 and "--out" in stderr and len(stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]  # nothing written here


def test_sheet_as_pdf_is_a_real_pdf(tmp_path: Path) -> None:
    """Before, `--out x.pdf` held HTML. Run as a separate process: Qt's application object stays out of pytest."""
    out = tmp_path / "jane.pdf"
    env = {**os.environ, "SETUP_ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("DISPLAY", None)  # works without a desktop too
    env.pop("WAYLAND_DISPLAY", None)
    argv = ["sheet", "jane@example.org", "--name", "Jane Doe", "--out", str(out), "--no-probe"]
    proc = subprocess.run(
        [sys.executable, "-m", "setup_assistant", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in data and b"<html" not in data.lower()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_a_usage_error_quoting_a_file_name_stays_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = str(tmp_path / "people\n\x1b[2Jforged.csv")
    code, _, stderr = run(["batch", name, "--out", str(tmp_path / "out"), "--no-probe"], capsys, monkeypatch)
    assert code == 2 and len(stderr.splitlines()) == 1 and "\x1b" not in stderr
    assert "people\\n\\x1b[2Jforged.csv: no such file" in stderr


def test_sheet_as_pdf_without_qt_says_how_to_get_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from setup_assistant.commands import sheet

    def no_qt() -> None:
        raise ImportError("libEGL.so.1: cannot open shared object file")

    monkeypatch.setattr(sheet, "_qt_application", no_qt)
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "jane.pdf"
    code, _, stderr = run(["sheet", "jane@example.org", "--out", str(out), "--no-probe"], capsys, monkeypatch)
    assert code == 2 and len(stderr.splitlines()) == 1
    assert "--out FILE.html" in stderr and "print it to PDF" in stderr
    assert not out.exists()
