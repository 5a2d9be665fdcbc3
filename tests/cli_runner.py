"""`setup-assistant ARGS` run in this process as the console script runs it, for the CLI tests."""

from __future__ import annotations

import io
from typing import IO

import pytest

from setup_assistant import cli


def run_cli(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch | None = None,
    stdin: str | IO[str] | None = "",
) -> tuple[int, str, str]:
    """The exit code (argparse's own errors exit 2, as from the console), stdout and stderr. With `monkeypatch`,
    standard input is `stdin` (text, or a stream); an empty one by default, so nothing waits for a keyboard."""
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or "") if not hasattr(stdin, "read") else stdin)
    try:
        code = cli.main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
