"""`policycheck batch`: check every policy in folders in parallel; a report per file, a summary.

Each worker process compiles the rule packs and loads spaCy once (the pool's initializer),
then checks one file at a time under a time limit (``SIGALRM``). The parent keeps at most one
file per worker in flight, so it knows when each started: a worker that outlives the limit by
``PARENT_GRACE_SECONDS`` (stuck in native code) or dies is recorded as an error row, the pool
is rebuilt, and the batch goes on. Only click and the standard library are imported at module
level, so that ``policycheck --version`` stays fast.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported where used: the pool alone costs 50 ms at start-up
    from concurrent.futures import Future, ProcessPoolExecutor

    from policycheck.report.model import Report
    from policycheck.report.summary import SummaryEntry
    from policycheck.rules import Checker

log = logging.getLogger(__name__)

BATCH_FORMATS = ("html", "json", "markdown")
DEFAULT_FORMATS = ("html", "json")
REPORT_SUFFIXES = {"html": ".html", "json": ".json", "markdown": ".md"}
REPORTS_FOLDER = "reports"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_FILE_MB = 50.0
# How much longer than its own time limit the parent waits for a worker before killing the
# pool: the worker's alarm should have fired long before, unless it is stuck in native code.
PARENT_GRACE_SECONDS = 30.0
INTERRUPTED = "not checked: interrupted"
WORKER_CRASHED = "the worker process checking this file crashed (the file may be hostile)"

# The checker a worker process built once, and the settings it checks with.
_worker: dict[str, Any] = {}


@dataclass(frozen=True)
class BatchTask:
    """One file to check: its path as found, and its path relative to the input root."""

    path: Path
    name: str


@dataclass(frozen=True)
class BatchSettings:
    """What every worker needs to check a file and write its reports."""

    out_dir: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    timeout: float = DEFAULT_TIMEOUT
    rules_paths: tuple[str, ...] = ()
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 2**20)


# Finding the files.


def find_tasks(paths: Iterable[Path], exclude: Path | None = None) -> list[BatchTask]:
    """Every policy file named or found below folders, each named relative to a common root.

    Naming reports after the path below the root keeps two ``policy.pdf`` in different
    folders apart. Files below ``exclude`` (the output folder) are not searched for.
    """
    paths = list(paths)
    root = _common_root(paths)
    files = _policy_files(paths, exclude)
    return [BatchTask(path=file, name=_relative_name(file, root)) for file in files]


def _common_root(paths: list[Path]) -> str:
    """The deepest folder holding every folder named and the folder of every file named."""
    folders = [os.path.abspath(p if p.is_dir() else p.parent) for p in paths]
    return os.path.commonpath(folders) if folders else os.getcwd()


def _policy_files(paths: list[Path], exclude: Path | None) -> list[Path]:
    """Files named, plus policy files below folders named, once each, in a stable order."""
    from policycheck.cli import _is_policy_file

    excluded = os.path.abspath(exclude) if exclude else None
    seen: set[str] = set()
    files: list[Path] = []
    for path in paths:
        found = [path]
        if path.is_dir():
            found = sorted(file for file in path.rglob("*") if _is_policy_file(file))
            if not found:
                log.warning("%s: no PDF, DOCX, text or Markdown files in this folder", path)
        for file in found:
            absolute = os.path.abspath(file)
            if absolute in seen or (path.is_dir() and _is_below(absolute, excluded)):
                continue
            seen.add(absolute)
            files.append(file)
    return files


def _is_below(path: str, folder: str | None) -> bool:
    return folder is not None and os.path.commonpath([path, folder]) == folder


def _relative_name(file: Path, root: str) -> str:
    return Path(os.path.relpath(os.path.abspath(file), root)).as_posix()


# Checking one file, in a worker process (or in this one with --jobs 1).


def build_checker(rules_paths: tuple[str, ...] = ()) -> Checker:
    """The EO 13929 pack plus any added packs, compiled once."""
    from policycheck.rules import Checker, load_pack

    extra = tuple(load_pack(path) for path in rules_paths)
    return Checker(load_pack(None), extra)


def prepare_worker(settings: BatchSettings) -> None:
    """Compile the packs and load the language pipeline once for this process."""
    from policycheck.language import pipeline

    _worker["checker"] = build_checker(settings.rules_paths)
    _worker["settings"] = settings
    pipeline()


def init_pool_worker(settings: BatchSettings) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle. A forked worker inherits the
    parent's compiled packs and language pipeline; a spawned one builds its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "checker" not in _worker:
        prepare_worker(settings)


def check_task(task: BatchTask) -> SummaryEntry:
    """Check one file under the time limit and write its reports; a failure is an error row."""
    settings: BatchSettings = _worker["settings"]
    started = time.monotonic()
    try:
        with time_limit(settings.timeout):
            entry = _check_and_write(task, _worker["checker"], settings)
    except Exception as exc:  # one bad file must never stop the batch
        log.debug("%s failed", task.path, exc_info=True)
        entry = failed_entry(task, _error_message(exc), settings)
    return replace(entry, seconds=round(time.monotonic() - started, 2))


def _check_and_write(task: BatchTask, checker: Checker, settings: BatchSettings) -> SummaryEntry:
    from policycheck.readers import ReadOptions, read_document
    from policycheck.report.csvout import csv_row, rule_column
    from policycheck.report.summary import SummaryEntry

    document = read_document(task.path, ReadOptions(max_file_bytes=settings.max_file_bytes))
    report = checker.check(document)
    rendered = {fmt: _render(fmt, report) for fmt in settings.formats}
    return SummaryEntry(
        name=task.name,
        row=csv_row(report),
        title=document.title.strip(),
        reports=_write_reports(task, rendered, settings),
        rule_titles=tuple((rule_column(f.rule), f.title) for f in report.findings),
    )


def _render(fmt: str, report: Report) -> str:
    from policycheck.report import html, jsonout, markdown

    renderers = {"html": html.render_html, "json": jsonout.render_json,
                 "markdown": markdown.render_markdown}
    return renderers[fmt]([report])


def _write_reports(
    task: BatchTask, rendered: dict[str, str], settings: BatchSettings
) -> dict[str, str]:
    """Write each rendered report as OUT/reports/<name>.<suffix>; the paths, OUT-relative."""
    written = {}
    for fmt, text in rendered.items():
        relative = f"{REPORTS_FOLDER}/{task.name}{REPORT_SUFFIXES[fmt]}"
        target = settings.out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[fmt] = relative
    return written


def failed_entry(
    task: BatchTask, message: str, settings: BatchSettings | None = None
) -> SummaryEntry:
    """The row of a file that has no verdict, with its SHA-256 and a JSON error report."""
    from policycheck.report.csvout import csv_row
    from policycheck.report.jsonout import error_json, render_json_items
    from policycheck.report.summary import SummaryEntry

    item = error_json(str(task.path), message)
    row = csv_row(item)
    reports = {}
    if message != INTERRUPTED:
        row["sha256"] = file_sha256(task.path)
    if settings and "json" in settings.formats and message != INTERRUPTED:
        try:
            reports = _write_reports(task, {"json": render_json_items([item])}, settings)
        except OSError as exc:
            log.warning("%s: cannot write its error report: %s", task.path, exc)
    return SummaryEntry(name=task.name, row=row, reports=reports)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, or "" if it cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(2**20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _error_message(exc: Exception) -> str:
    from policycheck.errors import PolicyCheckError

    if isinstance(exc, PolicyCheckError):
        return str(exc)
    return (f"internal error ({type(exc).__name__}: {exc}); run 'policycheck check --debug' "
            "on this file for the traceback")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``CheckTimedOut`` inside the block if it runs longer than ``seconds``.

    Uses ``SIGALRM``, so it works in a process's main thread on POSIX; elsewhere, or with
    ``seconds`` 0, the block runs without a limit. Python code is stopped between bytecodes;
    native code stuck without returning is the parent's guard to stop.
    """
    if seconds <= 0 or not _can_use_alarm():
        yield
        return
    from policycheck.errors import CheckTimedOut

    def on_alarm(signum: int, frame: Any) -> None:
        raise CheckTimedOut(f"the check took longer than the {seconds:g} s limit "
                            "(raise it with --timeout)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_use_alarm() -> bool:
    on_main_thread = threading.current_thread() is threading.main_thread()
    return hasattr(signal, "setitimer") and on_main_thread


# Running many files: a process pool that survives hung and crashed workers.


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

    def __init__(self, work: Callable, jobs: int, deadline: float,
                 on_failure: Callable[[BatchTask, str], Any],
                 initializer: Callable | None = None, initargs: tuple = ()) -> None:
        self.work, self.jobs, self.deadline = work, jobs, deadline
        self.on_failure = on_failure
        self.initializer, self.initargs = initializer, initargs
        self._queue: deque[BatchTask] = deque()
        self._suspects: deque[BatchTask] = deque()
        self._running: dict[Future, _Running] = {}

    def run(self, tasks: Iterable[BatchTask], on_result: Callable[[Any], None]) -> None:
        """Run every task, calling ``on_result`` with each result or failure row as it comes."""
        from concurrent.futures import FIRST_COMPLETED, wait

        self._queue = deque(tasks)
        pool = self._new_pool()
        try:
            while self._queue or self._suspects or self._running:
                self._submit_more(pool)
                done, _ = wait(list(self._running), timeout=self._wait_seconds(),
                               return_when=FIRST_COMPLETED)
                broken = self._collect(done, on_result)
                overdue = self._fail_overdue(on_result)
                if broken or overdue:
                    self._send_again(broken)
                    stop_pool(pool)
                    pool = self._new_pool()
        except BaseException:
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.jobs, initializer=self.initializer,
                                   initargs=self.initargs)

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

    def _wait_seconds(self) -> float | None:
        if not self._running:
            return 0
        soonest = min(running.deadline for running in self._running.values())
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
            message = (f"stopped: no result after {self.deadline:g} s; its worker was killed "
                       "(raise the limit with --timeout)")
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


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers now, without waiting for what they are doing."""
    kill_workers = getattr(pool, "kill_workers", None)  # Python 3.14 and later
    if kill_workers is not None:
        kill_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)


def run_batch(tasks: list[BatchTask], settings: BatchSettings, jobs: int,
              on_result: Callable[[Any], None]) -> None:
    """Check every task, in this process with one job, else in a pool of ``jobs`` workers."""
    if jobs <= 1:
        prepare_worker(settings)
        for task in tasks:
            on_result(check_task(task))
        return
    # Prepared once here, workers forked from this process start ready instead of each
    # spending most of a second loading spaCy.
    prepare_worker(settings)
    deadline = settings.timeout + PARENT_GRACE_SECONDS if settings.timeout else float("inf")
    runner = PoolRunner(check_task, jobs, deadline,
                        on_failure=lambda task, message: failed_entry(task, message, settings),
                        initializer=init_pool_worker, initargs=(settings,))
    runner.run(largest_first(tasks), on_result)


def largest_first(tasks: list[BatchTask]) -> list[BatchTask]:
    """Start the biggest files first, so a long manual does not finish last alone."""
    def size(task: BatchTask) -> int:
        try:
            return Path(task.path).stat().st_size
        except OSError:
            return 0

    return sorted(tasks, key=size, reverse=True)


# The command.


class Progress:
    """A progress bar on stderr when it is a terminal, else one line per finished file."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.errors: list[tuple[str, str]] = []
        self._bar: Any = None

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            self._bar = click.progressbar(
                length=self.total, label="Checking", file=sys.stderr, show_pos=True,
                item_show_func=lambda entry: entry.name if entry else None,
            ).__enter__()
        return self

    def update(self, entry: SummaryEntry) -> None:
        """Count one finished file; its error is shown now or, under a bar, at the end."""
        self.done += 1
        if entry.error:
            self.errors.append((str(entry.row["file"]), entry.error))
        if self._bar is not None:
            self._bar.update(1, entry)
            return
        outcome = f"ERROR {entry.error}" if entry.error else entry.verdict.upper()
        click.echo(f"[{self.done}/{self.total}] {entry.name}: {outcome}", err=True)

    def __exit__(self, *exc_info: Any) -> None:
        if self._bar is None:
            return
        self._bar.__exit__(*exc_info)
        for path, message in self.errors:
            click.echo(f"policycheck: {path}: {message}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for reports/, summary.csv and summary.html (created if missing).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(BATCH_FORMATS),
              help="Report format per file, repeatable.  [default: html, json]")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="the number of cores", help="Files checked at once.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds one file may take (0: no limit).")
@click.option("--rules", "rules_paths", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="Add a rule pack folder to the EO 13929 check (repeatable).")
@click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=DEFAULT_MAX_FILE_MB,
              show_default=True, help="Refuse files larger than this.")
def batch(paths, out_dir, formats, jobs, timeout, rules_paths, max_file_mb) -> None:
    """Check every policy in folders (PDF, DOCX, text), in parallel: a report per file in
    OUT/reports/, and OUT/summary.csv and OUT/summary.html with a row per file.

    Exit status as for check (0, 1, 2); Ctrl-C writes the summary of what finished and
    exits 2.
    """
    from policycheck.cli import _load_pack

    for rules_path in (None, *rules_paths):
        _load_pack(rules_path)  # a broken pack stops here, once, not in every worker
    tasks = find_tasks(paths, exclude=out_dir)
    if not tasks:
        raise click.UsageError("no policy files to check")
    settings = BatchSettings(
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats or DEFAULT_FORMATS)),
        timeout=timeout,
        rules_paths=tuple(rules_paths),
        max_file_bytes=int(max_file_mb * 2**20),
    )
    checked_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    reports_dir = out_dir / REPORTS_FOLDER
    _exit_on_os_error(out_dir, lambda: reports_dir.mkdir(parents=True, exist_ok=True))
    entries, interrupted, seconds = _run_with_progress(tasks, settings, min(jobs, len(tasks)))
    _exit_on_os_error(out_dir, lambda: write_summary(out_dir, entries, checked_at, interrupted))
    _say_how_it_went(entries, interrupted, seconds, out_dir)
    sys.exit(exit_status(entries))


def _exit_on_os_error(out_dir: Path, action: Callable[[], Any]) -> None:
    """Run an action on the output folder; if the system refuses, say so and exit 2."""
    from policycheck.cli import EXIT_ERROR

    try:
        action()
    except OSError as exc:
        click.echo(f"policycheck: cannot write to {out_dir}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)


def _run_with_progress(tasks: list[BatchTask], settings: BatchSettings, jobs: int):
    """Every task's entry in task order, whether Ctrl-C stopped the batch, and its seconds."""
    finished: dict[str, Any] = {}
    started = time.monotonic()
    interrupted = False
    with Progress(len(tasks)) as progress:

        def on_result(entry: Any) -> None:
            finished[entry.name] = entry
            progress.update(entry)

        try:
            run_batch(tasks, settings, jobs, on_result)
        except KeyboardInterrupt:
            interrupted = True
    entries = [finished.get(task.name) or failed_entry(task, INTERRUPTED) for task in tasks]
    return entries, interrupted, time.monotonic() - started


def _say_how_it_went(
    entries: list[SummaryEntry], interrupted: bool, seconds: float, out_dir: Path
) -> None:
    """One line on stdout: how many files got each verdict, and where the summary is."""
    from policycheck.report.summary import verdict_counts

    counts = ", ".join(f"{count} {'errors' if verdict == 'error' and count > 1 else verdict}"
                       for verdict, count in verdict_counts(entries))
    if interrupted:
        click.echo("policycheck: interrupted; the summary lists what finished", err=True)
    files = "1 file" if len(entries) == 1 else f"{len(entries)} files"
    click.echo(f"{files} in {seconds:.1f} s: {counts}. "
               f"Summary: {out_dir / 'summary.html'}")


def exit_status(entries: list[SummaryEntry]) -> int:
    """As for check: 2 if any file has an error, else 0 if all are compliant, else 1."""
    from policycheck.cli import EXIT_COMPLIANT, EXIT_ERROR, EXIT_FINDINGS

    if any(entry.error for entry in entries):
        return EXIT_ERROR
    compliant = all(entry.verdict == "compliant" for entry in entries)
    return EXIT_COMPLIANT if compliant else EXIT_FINDINGS


def write_summary(
    out_dir: Path, entries: list[SummaryEntry], checked_at: str, interrupted: bool
) -> None:
    """Write OUT/summary.csv and OUT/summary.html, each whole or not at all."""
    from policycheck.report.summary import render_summary_csv, render_summary_html

    _write_whole(out_dir / "summary.csv", render_summary_csv(entries))
    _write_whole(out_dir / "summary.html", render_summary_html(entries, checked_at, interrupted))


def _write_whole(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
