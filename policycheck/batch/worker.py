"""Checking one file of a batch, in a worker process (or in this one with --jobs 1).

A worker compiles the rule packs and loads spaCy once, then checks one file at a time under a
time limit (``SIGALRM``) and writes its reports. The readers, rules and renderers are
imported inside the functions that use them, so that ``policycheck --version`` stays fast.
"""

from __future__ import annotations

import logging
import pickle
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policycheck.batch.tasks import BatchSettings, BatchTask
from policycheck.memory import collector_paused
from policycheck.processes import die_with_parent

if TYPE_CHECKING:
    from policycheck.document import Document
    from policycheck.report.model import Report
    from policycheck.report.summary import SummaryEntry
    from policycheck.rules import Checker

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {"html": ".html", "json": ".json", "markdown": ".md"}
REPORTS_FOLDER = "reports"
INTERRUPTED = "not checked: interrupted"
# The shortest alarm set: a zero would mean no limit at all.
MIN_SECONDS_LEFT = 0.001

# The checker a worker process built once, and the settings it checks with.
_worker: dict[str, Any] = {}


def build_checker(rules_paths: tuple[str, ...] = ()) -> Checker:
    """The EO 13929 pack plus any added packs, compiled once."""
    from policycheck.rules import Checker, load_pack

    extra = tuple(load_pack(path) for path in rules_paths)
    return Checker(load_pack(None), extra)


def prepare_worker(settings: BatchSettings) -> None:
    """Compile the packs, load the language pipeline and word lists and compile the report
    templates once for this process: workers forked from it share them instead of each
    loading its own."""
    from policycheck.language import pipeline
    from policycheck.readers.words import preload_word_lists

    # Everything loaded here lives as long as the process: collections meanwhile find nothing.
    with collector_paused():
        _worker["checker"] = build_checker(settings.rules_paths)
        _worker["settings"] = settings
        pipeline()
        preload_word_lists()
        if "html" in settings.formats:
            from policycheck.report.html import preload_templates

            preload_templates()


def init_pool_worker(settings: BatchSettings, parent_pid: int) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle, and the worker dies with it. A
    forked worker inherits the parent's compiled packs and language pipeline; a spawned one
    builds its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    if "checker" not in _worker:
        prepare_worker(settings)


def check_task(task: BatchTask) -> SummaryEntry:
    """Check one file under the time limit and write its reports; a failure is an error row."""
    settings: BatchSettings = _worker["settings"]
    started = time.monotonic()
    try:
        left = _time_left(settings.timeout, task.read_seconds)
        with time_limit(left, settings.timeout), collector_paused():
            entry = _check_and_write(task, _worker["checker"], settings)
    except Exception as exc:  # one bad file must never stop the batch
        log.debug("%s failed", task.path, exc_info=True)
        entry = failed_entry(task, error_message(exc), settings)
    seconds = task.read_seconds + time.monotonic() - started
    return replace(entry, seconds=round(seconds, 2))


def _time_left(limit: float, spent: float) -> float:
    """What is left of a file's time limit (0: none) after ``spent`` seconds of reading it
    ahead; a file read ahead that used it all is stopped at once, as it would have been had
    one process read and checked it."""
    if not limit:
        return 0.0
    return max(limit - spent, MIN_SECONDS_LEFT)


def read_task(task: BatchTask, settings: BatchSettings, page_workers: int = 1) -> Document:
    """The task's document: the one read ahead for it (see ``batch.early``), else read now
    with the batch's size limit."""
    if task.document is not None:
        return pickle.loads(task.document)  # pickled by this program's own reader
    from policycheck.readers import ReadOptions, read_document

    options = ReadOptions(max_file_bytes=settings.max_file_bytes, page_workers=page_workers)
    return read_document(task.path, options)


def _check_and_write(task: BatchTask, checker: Checker, settings: BatchSettings) -> SummaryEntry:
    from policycheck.report.csvout import csv_row, rule_column
    from policycheck.report.summary import SummaryEntry

    document = read_task(task, settings)
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

    renderers = {
        "html": html.render_html,
        "json": jsonout.render_json,
        "markdown": markdown.render_markdown,
    }
    return renderers[fmt]([report])


def _write_reports(
    task: BatchTask, rendered: dict[str, str], settings: BatchSettings
) -> dict[str, str]:
    """Write each rendered report as OUT/reports/<name>.<suffix>; the paths, OUT-relative."""
    _remove_earlier_reports(task, settings, keep=set(rendered))
    written = {}
    for fmt, text in rendered.items():
        relative = f"{REPORTS_FOLDER}/{task.name}{REPORT_SUFFIXES[fmt]}"
        target = settings.out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[fmt] = relative
    return written


def _remove_earlier_reports(task: BatchTask, settings: BatchSettings, keep: set[str]) -> None:
    """Remove the reports an earlier run into the same folder wrote for this file in formats
    this run does not write: an old COMPLIANT page must not stand beside today's error."""
    for fmt, suffix in REPORT_SUFFIXES.items():
        if fmt not in keep:
            (settings.out_dir / REPORTS_FOLDER / f"{task.name}{suffix}").unlink(missing_ok=True)


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
    if settings and message != INTERRUPTED:
        rendered = {"json": render_json_items([item])} if "json" in settings.formats else {}
        try:
            reports = _write_reports(task, rendered, settings)
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


def error_message(exc: Exception) -> str:
    """A file's failure as its row says it."""
    from policycheck.errors import PolicyCheckError

    if isinstance(exc, PolicyCheckError):
        return str(exc)
    return (
        f"internal error ({type(exc).__name__}: {exc}); run 'policycheck check --debug' "
        "on this file for the traceback"
    )


@contextmanager
def time_limit(seconds: float, limit: float | None = None) -> Iterator[None]:
    """Raise ``CheckTimedOut`` inside the block if it runs longer than ``seconds``, naming
    the file's whole ``limit`` (``seconds`` when not given: the block may have only what an
    earlier step left of it).

    Uses ``SIGALRM``, so it works in a process's main thread on POSIX; elsewhere, or with
    ``seconds`` 0, the block runs without a limit. Python code is stopped between bytecodes;
    native code stuck without returning is the parent's guard to stop.
    """
    if seconds <= 0 or not _can_use_alarm():
        yield
        return
    from policycheck.errors import CheckTimedOut

    shown = limit if limit is not None else seconds

    def on_alarm(signum: int, frame: Any) -> None:
        raise CheckTimedOut(
            f"the check took longer than the {shown:g} s limit (raise it with --timeout)"
        )

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
