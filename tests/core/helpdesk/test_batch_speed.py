"""Batch at office scale: people written side by side, and a progress line on a terminal (and only there)."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from setup_assistant.commands.batch import ProgressLine
from setup_assistant.core.helpdesk import batch
from setup_assistant.core.provider import load_provider
from tests.conftest import ROOT


def people_csv(path: Path, count: int) -> Path:
    lines = ["email,name", *(f"person{i}@example.org,Person {i}" for i in range(count))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_people_are_written_side_by_side(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two people's writes must overlap: one after the other, the barrier below would never be passed."""
    provider = load_provider()
    people = batch.read_people(people_csv(tmp_path / "p.csv", 6), provider)
    barrier = threading.Barrier(2, timeout=5)
    real = batch._write_person

    def write_person(*args: object) -> batch.RowResult:
        person = args[1]
        assert isinstance(person, batch.Person)
        if person.line <= 3:
            barrier.wait()  # the first two people wait for each other
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "_write_person", write_person)
    seen: list[int] = []
    outcome = batch.run_batch(provider, people, tmp_path / "out", probe=False, progress=lambda r: seen.append(r.line))
    assert [r.line for r in outcome.results] == [2, 3, 4, 5, 6, 7]  # the summary keeps the file's order
    assert sorted(seen) == [2, 3, 4, 5, 6, 7]  # progress once per person
    assert all(r.done for r in outcome.results)
    assert (tmp_path / "out" / "person5@example.org" / "settings-sheet.html").is_file()


def test_a_cancel_during_the_batch_leaves_the_rest_undone(tmp_path: Path) -> None:
    provider = load_provider()
    people = batch.read_people(people_csv(tmp_path / "p.csv", 40), provider)
    cancel = threading.Event()
    outcome = batch.run_batch(
        provider, people, tmp_path / "out", probe=False, cancel=cancel, progress=lambda r: cancel.set()
    )
    undone = [r for r in outcome.results if r.detail == "not done: cancelled"]
    assert undone and len(undone) < 40
    assert not any((tmp_path / "out" / r.email).exists() for r in undone)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_redraws_in_place_and_clears() -> None:
    screen = Terminal()
    line = ProgressLine(1000, screen)
    for done in range(1, 1001):
        line.update(done)
    text = screen.getvalue()
    assert text.startswith("\r1 of 1000 people done")
    assert text.endswith("\r1000 of 1000 people done")  # the last one is always drawn
    assert text.count("\r") < 100  # at most ten a second, not a thousand redraws
    line.clear()
    assert screen.getvalue().endswith("\r" + " " * len("1000 of 1000 people done") + "\r")
    piped = io.StringIO()
    quiet = ProgressLine(1000, piped)
    quiet.update(1000)
    quiet.clear()
    assert piped.getvalue() == ""  # a pipe or a log file gets no progress line


def test_the_cli_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    people = people_csv(tmp_path / "p.csv", 12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "setup_assistant", "batch", str(people), "--no-probe", "--client", "thunderbird"]
    piped = subprocess.run([*command, "--out", str(tmp_path / "a")], capture_output=True, text=True, env=env)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*command, "--out", str(tmp_path / "b")], stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(60) == 0
    os.close(master)
    assert b"12 of 12 people done" in seen
    last = seen.rsplit(b"done", 1)[1]
    assert last.replace(b" ", b"") == b"\r\r"  # cleared (with spaces) before the program ended
