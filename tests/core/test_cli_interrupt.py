"""Ctrl-C stops a running check at once: a volunteer never waits out the timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import hostile
from tests.servers.hostile import HostileServer
from tests.servers.provider_file import PORT_NAMES, provider_toml

ROOT = Path(__file__).resolve().parents[2]


def _default_sigint() -> None:
    """In the child before exec: Ctrl-C's default action, as a person's terminal gives it, however pytest started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
@pytest.mark.parametrize("command", [["probe"], ["profiles", "--out", "{out}"]])
@pytest.mark.parametrize("started", ["foreground", "background"])
def test_ctrl_c_cancels_within_a_second(tmp_path: Path, command: list[str], started: str) -> None:
    """Also when pytest runs as a background job, which starts with SIGINT ignored (children inherit that)."""
    server = HostileServer(hostile.silent)
    previous = signal.getsignal(signal.SIGINT)
    if started == "background":
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # what `pytest &` or a CI runner may hand down
    try:
        provider = tmp_path / "silent.toml"
        silent = {name: server.port for names in PORT_NAMES.values() for name in names}
        provider.write_text(provider_toml(silent, host="127.0.0.1", name="Silent"), encoding="utf-8")
        args = [a.replace("{out}", str(tmp_path / "out")) for a in command]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "setup_assistant",
                *args[:1],
                "jane@example.org",
                *args[1:],
                "--provider",
                str(provider),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_sigint,
        )
        signal.signal(signal.SIGINT, previous)
        time.sleep(1.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
        elapsed = time.monotonic() - started
    finally:
        signal.signal(signal.SIGINT, previous)
        server.close()
    assert elapsed < 3.0, (elapsed, err)
    assert proc.returncode == 1
    assert "cancel" in err.lower()
    assert "Traceback" not in err
