"""The CSV summary: one row per file, a column per rule, for a reviewer's tracking sheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from policycheck.report.model import Report

CSV_FIELDS = ("file", "sha256", "pages", "chokehold", "legal", "verdict", "error")

# Short column names for rule ids whose last part is long.
_COLUMN_ALIASES = {"legal-adherence": "legal"}

# Cells starting with these run as formulas when the sheet is opened in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rule_column(rule_id: str) -> str:
    """The column for a rule: its id after the pack prefix, e.g. ``eo13929.chokehold``."""
    short = rule_id.rsplit(".", 1)[-1]
    return _COLUMN_ALIASES.get(short, short)


def csv_row(item: Report | dict[str, Any]) -> dict[str, Any]:
    """One row: a report's verdicts, or an error item's path and message."""
    row: dict[str, Any] = dict.fromkeys(CSV_FIELDS, "")
    if isinstance(item, Report):
        row.update(_report_cells(item))
    else:
        row["file"] = item.get("document", {}).get("path", "")
        row["error"] = item.get("error", "")
    return row


def render_csv(items: list[Report | dict[str, Any]]) -> str:
    """A CSV of reports and error items, header first."""
    return render_rows([csv_row(item) for item in items])


def render_rows(rows: list[dict[str, Any]]) -> str:
    """CSV text of rows made by ``csv_row``, header first, formulas neutralised."""
    buffer = io.StringIO()
    # "\n" so a caller writing in text mode on Windows does not get "\r\r\n".
    writer = csv.DictWriter(buffer, fieldnames=csv_fields(rows), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_formula(value) for key, value in row.items()})
    return buffer.getvalue()


def _report_cells(report: Report) -> dict[str, Any]:
    """The cells a report fills: file facts, a verdict per rule, the overall verdict."""
    document = report.document
    cells: dict[str, Any] = {
        "file": document.source,
        "sha256": document.sha256,
        "pages": "" if document.pages is None else document.pages,
        "verdict": report.verdict,
    }
    for finding in report.findings:
        cells[rule_column(finding.rule)] = finding.verdict
    return cells


def csv_fields(rows: list[dict[str, Any]]) -> list[str]:
    """CSV_FIELDS, with columns for any other rules placed before ``verdict``."""
    extra: list[str] = []
    for row in rows:
        extra.extend(key for key in row if key not in CSV_FIELDS and key not in extra)
    fields = list(CSV_FIELDS)
    at = fields.index("verdict")
    return fields[:at] + extra + fields[at:]


def neutralise_formula(value: Any) -> Any:
    """A text cell prefixed with ``'`` if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
