"""Runs blocking core calls on a thread pool and brings their progress, result or error back as signals.

The core reports progress through plain callables, called from its own worker threads. A `Job` lives in the
GUI thread, so every signal it emits from another thread is queued and its slots run in the GUI thread:
pages never touch widgets from a worker, and workers never touch pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Report = Callable[[object], None]
Work = Callable[[Report], Any]


class Job(QObject):
    """One background call. Connect the signals, then hand it to `JobRunner.start`."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception; never re-raised in the GUI thread
    finished = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run_here(self) -> None:
        """Runs the work in the calling thread (a pool thread), reporting only through signals."""
        try:
            result = self._work(self.progress.emit)
        except Exception as exc:  # a worker error becomes a message on the page, never a crash
            log.error("background job failed: %s", type(exc).__name__, exc_info=exc)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self._job.run_here()


class JobRunner(QObject):
    """Owns the pool and keeps each running Job alive until its `finished` has reached the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: set[Job] = set()

    def start(
        self,
        work: Work,
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Job:
        # Parented to the runner (GUI thread): when a pool thread drops the last Python reference, the QObject
        # is not destroyed there; it is deleted with deleteLater once `finished` has reached the GUI thread.
        job = Job(work, self)
        if on_progress is not None:
            job.progress.connect(on_progress)
        if on_result is not None:
            job.succeeded.connect(on_result)
        if on_error is not None:
            job.failed.connect(on_error)
        job.finished.connect(lambda: self._ended(job))
        self._running.add(job)
        self._pool.start(_Runnable(job))
        return job

    def _ended(self, job: Job) -> None:
        self._running.discard(job)
        job.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, timeout_ms: int = 3000) -> bool:
        """Waits for the pool threads (after the work was told to stop); True when all have finished."""
        return bool(self._pool.waitForDone(timeout_ms))
