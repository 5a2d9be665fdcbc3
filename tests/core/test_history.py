from __future__ import annotations

import os
from pathlib import Path

import pytest

from setup_assistant.core import atomic
from setup_assistant.core.history import load_history, record_written, written_for


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_records_are_kept_per_address_without_duplicates(tmp_path: Path) -> None:
    record_written("Jane@example.org", "thunderbird", tmp_path / "a.xml")
    record_written("jane@example.org", "thunderbird", tmp_path / "a.xml", installed=True)
    record_written("bob@example.org", "outlook", tmp_path / "b.xml")
    jane = written_for("JANE@example.org")
    assert len(jane) == 1 and jane[0].installed and jane[0].client == "thunderbird"
    assert len(load_history()) == 2


def test_a_corrupt_history_file_is_ignored(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "written-profiles.json").write_text("{not json")
    assert load_history() == []
    record_written("a@example.org", "outlook", Path("x"))
    assert len(load_history()) == 1


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "prefs.js"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic.write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["prefs.js"]


def _record_many(data_dir: str, worker: int, count: int, start: object) -> None:
    """One of several processes: waits for the common start, then records its own entries one by one."""
    os.environ["SETUP_ASSISTANT_DATA_DIR"] = data_dir
    start.wait()  # type: ignore[attr-defined]
    for index in range(count):
        record_written(f"w{worker}-{index}@example.org", "thunderbird", Path(f"/profiles/{worker}/{index}"))
        if index % 3 == 0:
            from setup_assistant.core.history import record_root_installed

            record_root_installed(f"place-{worker}-{index}", "ab" * 32)


def test_runs_at_once_never_lose_each_others_entries(data_dir: Path) -> None:
    """Real processes released together, many rounds: every entry of every one of them is in the record."""
    import multiprocessing

    from setup_assistant.core.history import root_installed_here

    context = multiprocessing.get_context("spawn")
    workers, count = 6, 25
    for round_number in range(3):
        start = context.Event()
        processes = [
            context.Process(target=_record_many, args=(str(data_dir / str(round_number)), w, count, start))
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        start.set()
        for process in processes:
            process.join(60)
            assert process.exitcode == 0
        os.environ["SETUP_ASSISTANT_DATA_DIR"] = str(data_dir / str(round_number))
        addresses = {e.address for e in load_history()}
        assert addresses == {f"w{w}-{i}@example.org" for w in range(workers) for i in range(count)}
        assert all(root_installed_here(f"place-{w}-{i}", "ab" * 32) for w in range(workers) for i in range(0, count, 3))
