"""Table rows in a PDF: cells found from the gaps between text runs on one line, rows rebuilt
with their header so that a rule reads "Chokehold | Prohibited | Except where deadly force is
authorized" under "Force option | Status | Conditions", not one run-on paragraph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policycheck.readers.pdf_chars import PageChars

# Runs of text on one line further apart than this (points) are separate table cells.
CELL_GAP = 18.0
# A line's cells are found among the runs whose top is this close to the line's (points).
SAME_LINE = 2
# A cell belongs to the column whose header starts no further right than this past it.
COLUMN_SLACK = 12.0
# A table has a header and at least two rows of cells lined up under it.
MIN_TABLE_LINES = 3
# A header cell names a column in a few words.
HEADER_CELL_WORDS = 4
# A one-cell line stays in a table when a line of cells comes within this many lines.
TABLE_LOOKAHEAD = 3

Cells = tuple[tuple[float, str], ...]


def line_cells(chars: PageChars, clean: Callable[[str], str]) -> dict[int, Cells]:
    """For each printed line (its top rounded to a point), its cells by position; a line of
    prose is one cell, a table row two or more."""
    runs: dict[int, list[tuple[float, float, float, float]]] = {}
    for box in chars.rects():
        runs.setdefault(round(box[3]), []).append(box)
    grouped = {top: _groups(sorted(boxes)) for top, boxes in runs.items()}
    if sum(len(groups) >= 2 for groups in grouped.values()) < MIN_TABLE_LINES:
        return {}  # too few lines of cells for a table: reading each run's text is wasted
    found = {}
    for top, groups in grouped.items():
        cells = _cells(chars, groups, clean)
        if cells:
            found[top] = cells
    return found


def _groups(boxes: list) -> list[list[tuple[float, float, float, float]]]:
    """Runs of one line, grouped into cells wherever the gap between them is wide."""
    groups: list[list[tuple[float, float, float, float]]] = []
    for box in boxes:
        if groups and box[0] - groups[-1][-1][2] < CELL_GAP:
            groups[-1].append(box)
        else:
            groups.append([box])
    return groups


def _cells(chars: PageChars, groups: list, clean: Callable[[str], str]) -> Cells:
    cells = []
    for group in groups:
        left, bottom = group[0][0], min(box[1] for box in group)
        right, top = group[-1][2], max(box[3] for box in group)
        text = clean(chars.text_in(left, bottom, right, top))
        if text:
            cells.append((left, text))
    return tuple(cells)


def cells_at(found: dict[int, Cells], top_points: float) -> Cells:
    """The cells of the line whose top is at ``top_points``, or none."""
    for offset in sorted(range(-SAME_LINE, SAME_LINE + 1), key=abs):
        cells = found.get(round(top_points) + offset)
        if cells:
            return cells
    return ()


@dataclass
class TableRow:
    """A row rebuilt from one or more lines: one text per header column."""

    columns: list[str]

    @property
    def text(self) -> str:
        """The row as reports quote it, cells set apart by bars."""
        return " | ".join(cell for cell in self.columns if cell)


def rebuild_rows(header: Cells, lines: list[Cells]) -> list[TableRow]:
    """Rows under ``header``: a line with a cell in every column starts a row; a line with
    fewer cells carries on the cells of the row above (text wrapped inside its cells)."""
    starts = [left for left, _ in header]
    rows: list[TableRow] = []
    for cells in lines:
        if len(cells) >= len(header) or not rows:
            rows.append(TableRow([""] * len(header)))
        row = rows[-1]
        for left, text in cells:
            column = _column(starts, left)
            row.columns[column] = f"{row.columns[column]} {text}".strip()
    return rows


def _column(starts: list[float], left: float) -> int:
    column = 0
    for index, start in enumerate(starts):
        if start <= left + COLUMN_SLACK:
            column = index
    return column
