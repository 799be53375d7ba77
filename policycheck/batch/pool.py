"""Running a batch's files in a process pool that survives hung and crashed workers.

The parent keeps at most one file per worker in flight, so it knows when each started: a
worker that outlives the limit by ``PARENT_GRACE_SECONDS`` (stuck in native code) or dies is
recorded as an error row, the pool is rebuilt, and the batch goes on.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policycheck.batch.early import EarlyRead, start_early_read
from policycheck.batch.tasks import BatchSettings, BatchTask
from policycheck.batch.worker import check_task, failed_entry, init_pool_worker, prepare_worker
from policycheck.processes import stop_pool

if TYPE_CHECKING:  # imported where used: the pool alone costs 50 ms at start-up
    from concurrent.futures import Future, ProcessPoolExecutor

# How much longer than its own time limit the parent waits for a worker before killing the
# pool: the worker's alarm should have fired long before, unless it is stuck in native code.
PARENT_GRACE_SECONDS = 30.0
# How often the parent looks whether the early read is done, while workers are busy.
EARLY_POLL_SECONDS = 0.05
WORKER_CRASHED = "the worker process checking this file crashed (the file may be hostile)"


@dataclass(frozen=True)
class _Running:
    task: BatchTask
    deadline: float
    alone: bool


class PoolRunner:
    """Run ``work`` on each task in a process pool, at most one task per worker at a time.

    A task whose worker dies is re-run alone, so that the one that crashes the worker is
    known; it then gets ``on_failure``'s row. A task still running ``deadline`` seconds after
    it was sent gets a row saying so, and the pool is killed and rebuilt; the other tasks that
    were running are sent again.
    """

    def __init__(
        self,
        work: Callable,
        jobs: int,
        deadline: float,
        on_failure: Callable[[BatchTask, str], Any],
        initializer: Callable | None = None,
        initargs: tuple = (),
    ) -> None:
        self.work, self.jobs, self.deadline = work, jobs, deadline
        self.on_failure = on_failure
        self.initializer, self.initargs = initializer, initargs
        self._queue: deque[BatchTask] = deque()
        self._suspects: deque[BatchTask] = deque()
        self._running: dict[Future, _Running] = {}

    def run(
        self,
        tasks: Iterable[BatchTask],
        on_result: Callable[[Any], None],
        early: EarlyRead | None = None,
    ) -> None:
        """Run every task, calling ``on_result`` with each result or failure row as it comes.

        An ``early`` read's task joins the front of the queue when its document arrives.
        """
        from concurrent.futures import FIRST_COMPLETED, wait

        self._queue = deque(tasks)
        pool = self._new_pool()
        try:
            while self._queue or self._suspects or self._running or early is not None:
                early = self._take_early(early, on_result)
                self._submit_more(pool)
                done, _ = wait(
                    list(self._running),
                    timeout=self._wait_seconds(early),
                    return_when=FIRST_COMPLETED,
                )
                broken = self._collect(done, on_result)
                overdue = self._fail_overdue(on_result)
                if broken or overdue:
                    self._send_again(broken)
                    stop_pool(pool)
                    pool = self._new_pool()
        except BaseException:
            if early is not None:
                early.stop()
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)

    def _take_early(
        self, early: EarlyRead | None, on_result: Callable[[Any], None]
    ) -> EarlyRead | None:
        """Queue the early read's task first once its document is in, or hand on its failure
        row; the read still pending, or None. With nothing else to do, wait for it a little."""
        if early is None:
            return None
        idle = not (self._queue or self._suspects or self._running)
        outcome = early.poll(EARLY_POLL_SECONDS if idle else 0.0)
        if outcome is None:
            return early
        if isinstance(outcome, BatchTask):
            self._queue.appendleft(outcome)
        else:
            on_result(outcome)
        return None

    def _new_pool(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.jobs, initializer=self.initializer, initargs=self.initargs
        )

    def _submit_more(self, pool: ProcessPoolExecutor) -> None:
        """Fill idle workers; a suspect runs alone, once everything else has finished."""
        if any(running.alone for running in self._running.values()):
            return
        if self._suspects:
            if not self._running:
                self._submit(pool, self._suspects.popleft(), alone=True)
            return
        while self._queue and len(self._running) < self.jobs:
            self._submit(pool, self._queue.popleft(), alone=False)

    def _submit(self, pool: ProcessPoolExecutor, task: BatchTask, alone: bool) -> None:
        future = pool.submit(self.work, task)
        self._running[future] = _Running(task, time.monotonic() + self.deadline, alone)

    def _wait_seconds(self, early: EarlyRead | None) -> float | None:
        if not self._running:
            return 0
        soonest = min(running.deadline for running in self._running.values())
        if early is not None:  # look at the early read again soon
            soonest = min(soonest, time.monotonic() + EARLY_POLL_SECONDS)
        return max(0.05, soonest - time.monotonic()) if soonest != float("inf") else None

    def _collect(self, done: set[Future], on_result: Callable[[Any], None]) -> bool:
        """Hand on finished results; True if the pool broke (a worker died)."""
        from concurrent.futures.process import BrokenProcessPool

        broken = False
        for future in done:
            running = self._running.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                if running.alone:
                    on_result(self.on_failure(running.task, WORKER_CRASHED))
                else:
                    self._suspects.append(running.task)
                continue
            except Exception as exc:  # the task or its result could not cross processes
                result = self.on_failure(running.task, f"internal error ({exc!r})")
            on_result(result)
        return broken

    def _fail_overdue(self, on_result: Callable[[Any], None]) -> bool:
        """A failure row for each task past its deadline; True if there was one."""
        now = time.monotonic()
        overdue = [f for f, running in self._running.items() if running.deadline <= now]
        for future in overdue:
            running = self._running.pop(future)
            message = (
                f"stopped: no result after {self.deadline:g} s; its worker was killed "
                "(raise the limit with --timeout)"
            )
            on_result(self.on_failure(running.task, message))
        return bool(overdue)

    def _send_again(self, broken: bool) -> None:
        """Tasks cut short by a pool restart: suspects if a worker died, else sent first."""
        tasks = [running.task for running in self._running.values()]
        self._running.clear()
        if broken:
            self._suspects.extend(tasks)
        else:
            self._queue.extendleft(reversed(tasks))


def run_batch(
    tasks: list[BatchTask], settings: BatchSettings, jobs: int, on_result: Callable[[Any], None]
) -> None:
    """Check every task, in this process with one job, else in a pool of ``jobs`` workers."""
    if jobs <= 1:
        prepare_worker(settings)
        for task in tasks:
            on_result(check_task(task))
        return
    ordered = largest_first(tasks)
    early = start_early_read(ordered[0], settings, jobs, PARENT_GRACE_SECONDS)
    if early is not None:
        ordered.pop(0)
    # Prepared once here, workers forked from this process start ready instead of each
    # spending most of a second loading spaCy; the early reader uses that second.
    try:
        prepare_worker(settings)
    except BaseException:
        if early is not None:
            early.stop()
        raise
    deadline = settings.timeout + PARENT_GRACE_SECONDS if settings.timeout else float("inf")
    runner = PoolRunner(
        check_task,
        jobs,
        deadline,
        on_failure=lambda task, message: failed_entry(task, message, settings),
        initializer=init_pool_worker,
        initargs=(settings, os.getpid()),
    )
    runner.run(ordered, on_result, early)


def largest_first(tasks: list[BatchTask]) -> list[BatchTask]:
    """Start the biggest files first, so a long manual does not finish last alone."""

    def size(task: BatchTask) -> int:
        try:
            return Path(task.path).stat().st_size
        except OSError:
            return 0

    return sorted(tasks, key=size, reverse=True)
