"""The batch summary: one CSV row and one HTML table row per file, linking each file's reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from policycheck import __version__
from policycheck.report.csvout import render_rows
from policycheck.report.html import template
from policycheck.report.model import VERDICT_ORDER

ERROR = "error"
# Files an interrupt left unchecked: no error in them, so counted apart from errors.
NOT_CHECKED = "not checked"
# The order a reviewer reads the report links in; the first one written is the file's link.
LINK_ORDER = ("html", "markdown", "json")
LINK_LABELS = {"html": "HTML", "markdown": "Markdown", "json": "JSON"}


@dataclass(frozen=True)
class SummaryEntry:
    """One file of a batch: its CSV row, its title, and the reports written for it.

    ``row`` is the file's ``csvout.csv_row`` (file, sha256, pages, a verdict per rule,
    verdict, error). ``reports`` maps a format to the report's path relative to the batch's
    output folder, with ``/`` separators. ``rule_titles`` pairs each CSV rule column with
    the rule's title, for the HTML table's headings.
    """

    name: str
    row: dict[str, Any]
    title: str = ""
    reports: dict[str, str] = field(default_factory=dict)
    rule_titles: tuple[tuple[str, str], ...] = ()
    seconds: float | None = None

    @property
    def error(self) -> str:
        """The reason the file has no verdict, or "" when it was checked."""
        return str(self.row.get("error") or "")

    @property
    def verdict(self) -> str:
        """The overall verdict, or ``error`` for a file that has none."""
        return ERROR if self.error else str(self.row.get("verdict") or "")


def render_summary_csv(entries: list[SummaryEntry]) -> str:
    """``summary.csv``: the rows of ``check --format csv``, one per file, header first."""
    return render_rows([entry.row for entry in entries])


def render_summary_html(
    entries: list[SummaryEntry], checked_at: str = "", interrupted: bool = False
) -> str:
    """``summary.html``: a self-contained page (inline CSS, no scripts), a row per file."""
    return template("batch_summary.html.j2").render(
        entries=entries,
        columns=rule_columns(entries),
        counts=verdict_counts(entries),
        checked_at=checked_at,
        interrupted=interrupted,
        tool_version=__version__,
        links=report_links,
    )


def rule_columns(entries: list[SummaryEntry]) -> list[tuple[str, str]]:
    """Each rule column once, in the order the rules ran, with the rule's title."""
    titles: dict[str, str] = {}
    for entry in entries:
        for column, title in entry.rule_titles:
            titles.setdefault(column, title)
    return list(titles.items())


def verdict_counts(entries: list[SummaryEntry]) -> list[tuple[str, int]]:
    """How many files got each verdict, worst first, errors last; verdicts none got left out."""
    counts = Counter(NOT_CHECKED if _not_checked(entry) else entry.verdict for entry in entries)
    order = [*reversed(VERDICT_ORDER), ERROR, NOT_CHECKED]
    order += sorted(verdict for verdict in counts if verdict not in order)
    return [(verdict, counts[verdict]) for verdict in order if counts[verdict]]


def report_links(entry: SummaryEntry) -> list[tuple[str, str]]:
    """(label, href) for each report written for a file, HTML first; hrefs URL-quoted."""
    formats = [fmt for fmt in LINK_ORDER if fmt in entry.reports]
    formats += sorted(fmt for fmt in entry.reports if fmt not in LINK_ORDER)
    return [(LINK_LABELS.get(fmt, fmt), quote(entry.reports[fmt])) for fmt in formats]


def _not_checked(entry: SummaryEntry) -> bool:
    return entry.error.startswith(NOT_CHECKED)
