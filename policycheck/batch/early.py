"""Read a batch's largest file while the workers' shared start-up loads.

Before a pool's workers are forked, the parent compiles the rule packs and loads spaCy once, so
that every worker inherits them: about a second in which one core would sit idle. A forked
reader uses it: it reads the largest file (a long PDF with one page-reading process per job)
and hands the document back, pickled, for a worker to check. Only reading happens there, and
only in a child process, so a file that crashes or hangs the PDF library still costs one row,
not the batch.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import signal
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from policycheck.batch.tasks import BatchSettings, BatchTask
from policycheck.batch.worker import error_message, failed_entry, read_task, time_limit
from policycheck.memory import collector_paused
from policycheck.processes import can_fork, die_with_parent

if TYPE_CHECKING:  # multiprocessing is imported where used, to keep start-up fast
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from policycheck.report.summary import SummaryEntry

log = logging.getLogger(__name__)

READER_CRASHED = "the process reading this file crashed (the file may be hostile)"
# How long a reader that has sent its result gets to exit before it is killed.
EXIT_WAIT_SECONDS = 1.0


def start_early_read(
    task: BatchTask, settings: BatchSettings, jobs: int, grace: float
) -> EarlyRead | None:
    """Start reading ``task`` early, or None where that is not safe or the system refuses
    another process (the file is then read by a worker, as any other)."""
    if jobs < 2 or not can_fork():  # nothing to overlap, or forking is not safe here
        return None
    try:
        return EarlyRead(task, settings, jobs, grace)
    except OSError as exc:
        log.warning("could not start a process to read %s early (%s)", task.path, exc)
        return None


class EarlyRead:
    """One file being read in a forked process; ``poll`` gives what came of it.

    The reader keeps the batch's time limit itself (``SIGALRM``); if it is stuck in native
    code, the parent kills it ``grace`` seconds after the limit.
    """

    def __init__(self, task: BatchTask, settings: BatchSettings, jobs: int, grace: float):
        import multiprocessing

        self.task, self.settings = task, settings
        context = multiprocessing.get_context("fork")
        self._results, sender = context.Pipe(duplex=False)
        self._process: BaseProcess = context.Process(
            target=_read_in_child,
            args=(task, settings, jobs, sender, os.getpid()),
            name="policycheck-early-reader",
        )
        self._started = time.monotonic()
        self._process.start()
        # Whatever interrupts this process (a second Ctrl-C inside ``stop``, say), the reader
        # must not outlive it: multiprocessing joins it at exit, and a reader blocked sending
        # its document to a parent that no longer reads would keep that join waiting.
        # Registered after multiprocessing's own exit handler, this one runs first.
        atexit.register(self._kill)
        sender.close()  # the child holds the only sending end: its death closes the pipe
        limit = settings.timeout
        self._waited = limit + grace
        self._deadline = self._started + self._waited if limit else float("inf")

    def poll(self, wait: float = 0.0) -> BatchTask | SummaryEntry | None:
        """The task carrying its document, or its failure row; None while it is being read
        (waiting up to ``wait`` seconds for it)."""
        wait = max(0.0, min(wait, self._deadline - time.monotonic()))
        try:
            if not self._results.poll(wait):
                return self._overdue() if time.monotonic() >= self._deadline else None
            kind, value, seconds = self._results.recv()
        except (EOFError, OSError):
            self.stop()
            return failed_entry(self.task, READER_CRASHED, self.settings)
        self._reap()
        if kind == "failed":
            return replace(value, seconds=round(seconds, 2))
        return replace(self.task, document=value, read_seconds=seconds)

    def _reap(self) -> None:
        """Let a reader that has sent its result exit by itself, then reap it."""
        self._process.join(timeout=EXIT_WAIT_SECONDS)
        self.stop()

    def stop(self) -> None:
        """End the reader now if it is still running (its page readers die with it)."""
        self._kill()
        self._process.join()
        self._results.close()
        atexit.unregister(self._kill)

    def _kill(self) -> None:
        if self._process.is_alive():
            self._process.kill()

    def _overdue(self) -> SummaryEntry:
        self.stop()
        message = (
            f"stopped: no result after {self._waited:g} s; its reading process was "
            "killed (raise the limit with --timeout)"
        )
        return failed_entry(self.task, message, self.settings)


def _read_in_child(
    task: BatchTask, settings: BatchSettings, jobs: int, sender: Connection, parent_pid: int
) -> None:
    """In the reader: read the file, then send ("document", pickle, seconds) or ("failed",
    the file's row, seconds). Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    started = time.monotonic()
    try:
        with time_limit(settings.timeout), collector_paused():
            document = read_task(task, settings, page_workers=jobs)
        result = ("document", pickle.dumps(document, pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # the file's failure is its row, as in a worker
        log.debug("%s failed", task.path, exc_info=True)
        # Made here, not in the parent: the row hashes the file, which may be gigabytes.
        result = ("failed", failed_entry(task, error_message(exc), settings))
    sender.send((*result, time.monotonic() - started))
    sender.close()
