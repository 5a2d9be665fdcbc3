"""The help desk's log: what the assistant tried, what each endpoint answered, what it wrote where, every error.

One small rotating file in the per-user log folder (platformdirs), so a volunteer can ask a staff member for it.
What goes in is chosen where it is logged (statuses and paths, never a server's free text, never the content of an
authentication exchange); the secret filter is the last line of defence: every password the assistant is handed is
registered with `hide_secret`, and any log record that would contain one is rewritten before it is written.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import TextIO

import platformdirs

from setup_assistant import APP_NAME, __version__

LOG_FILE_NAME = "setup-assistant.log"
MAX_BYTES = 150_000  # two files of this size at most: "a few hundred kilobytes"
BACKUP_COUNT = 1
ROOT_LOGGER = "setup_assistant"
RUN_MARKER = "--- run started"
HIDDEN = "[hidden]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_secrets: set[str] = set()
_lock = threading.Lock()
_file_handler: logging.Handler | None = None
_stream_handler: logging.Handler | None = None


def log_dir() -> Path:
    """Where the log lives (override with SETUP_ASSISTANT_LOG_DIR, e.g. in tests)."""
    override = os.environ.get("SETUP_ASSISTANT_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def hide_secret(secret: str | None) -> None:
    """Registers a password (and its common encodings) so that no log line can ever carry it."""
    if not secret:
        return
    import base64

    forms = {secret, repr(secret)[1:-1]}
    for text in (secret, f"\0{secret}"):
        forms.add(base64.b64encode(text.encode("utf-8")).decode("ascii"))
    with _lock:
        _secrets.update(f for f in forms if len(f) >= 1)


def forget_secrets() -> None:
    with _lock:
        _secrets.clear()


def scrub(text: str) -> str:
    """The text with every registered secret replaced; longest first so that no part of one survives."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


class SecretFilter(logging.Filter):
    """Rewrites a record whose message, arguments or traceback would contain a registered secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def start_logging(*, verbose: TextIO | None = None, program: str = "setup-assistant") -> Path | None:
    """Attaches the rotating file (and, with `verbose`, a stream) to the app's loggers; returns the file's path.

    Never fails the real work: a log folder that cannot be made means no file, not an error. Calling it again
    (a test, the wizard after the CLI's parse) replaces the handlers instead of doubling every line.
    """
    global _file_handler, _stream_handler
    stop_logging()
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    path: Path | None = log_file()
    # Here, not at import: logging.handlers loads socket, which the wizard's first paint must not wait for.
    from logging import handlers

    handler: logging.Handler
    try:
        log_file().parent.mkdir(parents=True, exist_ok=True)
        handler = handlers.RotatingFileHandler(
            log_file(), maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(SecretFilter())
    logger.addHandler(handler)
    _file_handler = handler
    if verbose is not None:
        stream = logging.StreamHandler(verbose)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.addFilter(SecretFilter())
        logger.addHandler(stream)
        _stream_handler = stream
    platform = f"{sys.platform}, Python {sys.version.split()[0]}"
    logger.info("%s %s (pid %d): %s %s on %s", RUN_MARKER, program, os.getpid(), APP_NAME, __version__, platform)
    return path


def stop_logging() -> None:
    """Detaches and closes the handlers (tests; the end of a run)."""
    global _file_handler, _stream_handler
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in (_file_handler, _stream_handler):
        if handler is not None:
            logger.removeHandler(handler)
            handler.close()
    _file_handler = _stream_handler = None


def _all_lines(path: Path) -> list[str]:
    lines: list[str] = []
    for candidate in (path.with_name(path.name + ".1"), path):
        try:
            lines += candidate.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return lines


def run_lines(path: Path | None = None, *, pid: int | None = None, limit: int = 400) -> list[str]:
    """This run's lines (the lines since this process's run marker), or the last run's when this one has none.

    For the help-desk report: what the assistant did just before the report was asked for.
    """
    if _file_handler is not None:
        _file_handler.flush()
    lines = _all_lines(path or log_file())
    own = f"(pid {os.getpid() if pid is None else pid})"
    starts = [i for i, line in enumerate(lines) if RUN_MARKER in line]
    mine = [i for i in starts if own in lines[i]]
    if mine:
        chosen = lines[mine[-1] :]
    elif starts:
        chosen = lines[starts[-1] :]
    else:
        chosen = lines
    return [scrub(line) for line in chosen[-limit:]]


def log_exception(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """An unexpected error with its traceback, for the help desk (the person sees one human line)."""
    logger.error("%s: %s", what, type(exc).__name__, exc_info=(type(exc), exc, exc.__traceback__))
