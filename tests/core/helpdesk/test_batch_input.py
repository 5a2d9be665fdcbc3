"""What `batch` is handed: bounded input (files, pipes, standard input, never /dev/zero into memory), a
summary.csv no spreadsheet runs as formulas, and one person per mailbox (not per Unicode case fold)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from setup_assistant.core.address import parse_address
from setup_assistant.core.helpdesk import batch
from setup_assistant.core.provider import load_provider
from tests.core.helpdesk.test_batch import run, summary_rows, write_csv


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


# --- Input size and kind -----------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_without_reading_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run(["batch", "/dev/zero", "--out", str(out), "--no-probe"], capsys)
    assert code == 2 and stdout == "" and not out.exists()
    assert stderr.startswith("setup-assistant: /dev/zero: ") and len(stderr.splitlines()) == 1


def test_a_file_over_10_mb_is_refused_and_one_under_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = "someone@example.org,Some One\n"
    big = tmp_path / "big.csv"
    big.write_text("email,name\n" + line * (batch.MAX_FILE_BYTES // len(line) + 1))
    code, stdout, stderr = run(["batch", str(big), "--out", str(tmp_path / "out"), "--no-probe"], capsys)
    assert code == 2 and stdout == ""
    assert "too large for a list of people (more than 10 MB)" in stderr and len(stderr.splitlines()) == 1
    assert batch.MAX_FILE_BYTES == 10_000_000

    # 6 MB of people is read (the old limit was 5 MB).
    header = b"email,name\n"
    body = b"\n" * (6_000_000 - len(header) - 30) + b"a@example.org,A\n"
    people = batch.read_people(write_csv(tmp_path / "six.csv", (header + body).decode()), load_provider())
    assert [p.email for p in people.people] == ["a@example.org"]


def test_an_endless_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    """A FIFO fed forever: the read stops after 10 MB with a clear refusal, memory stays bounded."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    fifo = tmp_path / "people.csv"
    os.mkfifo(fifo)
    written = [0]
    stop = threading.Event()

    def feed() -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(b"email,name\n")
                while not stop.is_set():
                    fh.write(b"x" * 65536)
                    written[0] += 65536
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(batch.BatchFileError, match=r"too large for a list of people \(more than 10 MB\)"):
            batch.read_people(fifo, load_provider())
    finally:
        stop.set()
        writer.join(10)
    assert not writer.is_alive()
    assert written[0] < 2 * batch.MAX_FILE_BYTES


def test_standard_input_is_read_with_a_dash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "setup_assistant", "batch", "-", "--out", str(out), "--no-probe"],
        input=b"email,name\njane@example.org,Jane\n",
        capture_output=True,
        timeout=120,
        env={**os.environ, "SETUP_ASSISTANT_DATA_DIR": str(tmp_path / "data")},
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "jane@example.org" / "settings-sheet.html").is_file()


def test_standard_input_has_the_same_bound(tmp_path: Path) -> None:
    stream = io.BytesIO(b"email,name\n" + b"x" * batch.MAX_FILE_BYTES)
    with pytest.raises(batch.BatchFileError, match=r"^standard input: too large"):
        batch.read_people(None, load_provider(), stream=stream)
    assert stream.tell() <= batch.MAX_FILE_BYTES + 1


# --- summary.csv in a spreadsheet ----------------------------------------------------------------------

HOSTILE = 'email,name\nann@example.org,"Ann;=HYPERLINK(""http://evil"")"\nbo@example.org,"Bo,@SUM(1)"\n'
HOSTILE += 'cy@example.org,"-2+3"\ndi@example.org,"Di\t=1"\n'


def _cells_for(text: str, delimiter: str) -> list[str]:
    """Every cell a spreadsheet guessing `delimiter` would see."""
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_no_cell_is_a_formula_whatever_separator_the_spreadsheet_guesses(
    delimiter: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = write_csv(tmp_path / "people.csv", HOSTILE)
    out = tmp_path / "out"
    code, _, _ = run(["batch", str(people), "--out", str(out), "--no-probe"], capsys)
    assert code == 0
    text = (out / "summary.csv").read_bytes().decode("utf-8-sig")
    for cell in _cells_for(text, delimiter):
        assert cell.lstrip(' "')[:1] not in ("=", "+", "-", "@", "\t", "\r"), (delimiter, cell)
    names = {r["email"]: r["name"] for r in summary_rows(out)}
    assert names == {
        "ann@example.org": 'Ann;\'=HYPERLINK("http://evil")',
        "bo@example.org": "Bo,'@SUM(1)",
        "cy@example.org": "'-2+3",
        "di@example.org": "Di =1",  # a tab in a name is a space in the name, and a space is no separator
    }


def test_every_text_cell_is_quoted() -> None:
    row = batch.RowResult(7, "a@example.org", "A; B", "imap", batch.RowStatus.DONE, "a@example.org", "wrote x, y")
    lines = batch.summary_text([row]).splitlines()
    assert lines[0] == '"line","email","name","protocol","status","folder","detail"'
    assert lines[1] == '7,"a@example.org","A; B","imap","done","a@example.org","wrote x, y"'


# --- Who is the same person ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("straße@example.org", "strasse@example.org", False),
        ("STRASSE@example.org", "strasse@example.org", True),
        ("Ärger@example.org", "ärger@example.org", False),  # non-ASCII case is the server's business
        ("jane@EXAMPLE.org", "Jane@example.ORG", True),
        ("jane@bücher.example", "jane@xn--bcher-kva.example", True),
        ("jane@BÜCHER.example", "jane@bücher.example", True),
        ("ﬁle@example.org", "file@example.org", False),
    ],
)
def test_same_person_only_for_the_same_mailbox(first: str, second: str, same: bool) -> None:
    key = batch.same_person_key
    assert (key(parse_address(first)) == key(parse_address(second))) is same


def test_strasse_and_strasse_with_sharp_s_are_two_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = write_csv(
        tmp_path / "p.csv", "email,name\nstraße@example.org,Eins\nstrasse@example.org,Zwei\nSTRASSE@example.org,Drei\n"
    )
    out = tmp_path / "out"
    code, _, stderr = run(["batch", str(people), "--out", str(out), "--no-probe"], capsys)
    assert code == 1
    assert (
        stderr.splitlines()[-1]
        == "line 4: STRASSE@example.org: repeats the address on line 3 (addresses are not case-sensitive)"
    )
    assert [(r["email"], r["status"]) for r in summary_rows(out)] == [
        ("straße@example.org", "done"),
        ("strasse@example.org", "done"),
        ("STRASSE@example.org", "skipped"),
    ]
