"""The ``policycheck batch`` command: progress, the summary files and the exit status.

Only click, the standard library and the other batch modules are imported at module level,
so that ``policycheck --version`` stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policycheck.batch.pool import run_batch
from policycheck.batch.tasks import (
    DEFAULT_FORMATS,
    DEFAULT_TIMEOUT,
    BatchSettings,
    BatchTask,
    find_tasks,
)
from policycheck.batch.worker import INTERRUPTED, REPORTS_FOLDER, failed_entry
from policycheck.cli_options import max_file_mb_option, rules_option

if TYPE_CHECKING:
    from policycheck.report.summary import SummaryEntry

BATCH_FORMATS = ("html", "json", "markdown")


class Progress:
    """A progress bar on stderr when it is a terminal, else one line per finished file."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.errors: list[tuple[str, str]] = []
        self._bar: Any = None

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            self._bar = click.progressbar(
                length=self.total,
                label="Checking",
                file=sys.stderr,
                show_pos=True,
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
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for reports/, summary.csv and summary.html (created if missing).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(BATCH_FORMATS),
    help="Report format per file, repeatable.  [default: html, json]",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help="Files checked at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one file may take (0: no limit).",
)
@rules_option
@max_file_mb_option
def batch(paths, out_dir, formats, jobs, timeout, rules_paths, max_file_mb) -> None:
    """Check every policy in folders (PDF, DOCX, text), in parallel: a report per file in
    OUT/reports/, and OUT/summary.csv and OUT/summary.html with a row per file.

    Exit status as for check (0, 1, 2); Ctrl-C writes the summary of what finished and
    exits 2.
    """
    from policycheck.cli import load_pack_or_exit

    for rules_path in (None, *rules_paths):
        load_pack_or_exit(rules_path)  # a broken pack stops here, once, not in every worker
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
    _warn_of_earlier_reports(reports_dir)
    _exit_on_os_error(out_dir, lambda: reports_dir.mkdir(parents=True, exist_ok=True))
    entries, interrupted, seconds = _run_with_progress(tasks, settings, min(jobs, len(tasks)))
    _exit_on_os_error(out_dir, lambda: write_summary(out_dir, entries, checked_at, interrupted))
    _say_how_it_went(entries, interrupted, seconds, out_dir)
    if interrupted:
        from policycheck.processes import exit_at_once

        exit_at_once(exit_status(entries))  # the summary is written: leave without waiting
    sys.exit(exit_status(entries))


def _warn_of_earlier_reports(reports_dir: Path) -> None:
    """Say so when the output folder holds an earlier run's reports: a file checked again
    gets only this run's reports (see ``worker._remove_earlier_reports``), the others stay,
    and the summary lists only this run's files."""
    try:
        earlier = sum(1 for path in reports_dir.rglob("*") if path.is_file())
    except OSError:
        return
    if earlier:
        click.echo(
            f"policycheck: {reports_dir} already holds {earlier} report file(s) from an earlier "
            "run: a file checked again gets only this run's reports, the others are kept, and "
            "the summary lists only this run's",
            err=True,
        )


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

    counts = ", ".join(
        f"{count} {'errors' if verdict == 'error' and count > 1 else verdict}"
        for verdict, count in verdict_counts(entries)
    )
    if interrupted:
        click.echo("policycheck: interrupted; the summary lists what finished", err=True)
    files = "1 file" if len(entries) == 1 else f"{len(entries)} files"
    click.echo(f"{files} in {seconds:.1f} s: {counts}. Summary: {out_dir / 'summary.html'}")


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
