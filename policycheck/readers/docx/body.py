"""The body walker: paragraphs and tables in reading order, as Word shows them, into blocks.

Generated list numbers, text boxes, content controls and tracked changes are read the way
Word shows them: insertions accepted, deletions dropped, text boxes where they are anchored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from policycheck.document import Block, Location
from policycheck.readers.docx._wordml import (
    W_PPR,
    W_RPR,
    W_VAL,
    child_int,
    child_val,
    clean_text,
    num_pr,
    toggle,
    w_tag,
    warn_once,
)
from policycheck.readers.docx.numbering import Label, Numbering
from policycheck.readers.docx.styles import Styles

SHORT_HEADING_WORDS = 12
TABLE_CELL_SEPARATOR = " | "

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W_P, W_TBL, W_TR, W_TC, W_R = w_tag("p"), w_tag("tbl"), w_tag("tr"), w_tag("tc"), w_tag("r")
W_TCPR, W_TRPR, W_TXBX_CONTENT = w_tag("tcPr"), w_tag("trPr"), w_tag("txbxContent")
MC_ALTERNATE = f"{{{_MC}}}AlternateContent"
MC_CHOICE = f"{{{_MC}}}Choice"
MC_FALLBACK = f"{{{_MC}}}Fallback"
_BLOCK_TAGS = frozenset({W_P, W_TBL})
_TEXT_TAGS = frozenset({w_tag("t"), f"{{{_MATH}}}t"})
_SPACE_TAGS = frozenset({w_tag("tab"), w_tag("ptab"), w_tag("br"), w_tag("cr")})
# Tracked changes: deleted and moved-away content is not in the document Word shows.
_DROPPED_CHANGES = frozenset({w_tag("del"), w_tag("moveFrom")})
_KEPT_CHANGES = frozenset({w_tag("ins"), w_tag("moveTo")})
# Property elements are never walked for content. Only w:t and m:t are read as text, so
# w:delText, w:instrText (field codes) and w:softHyphen never reach the output.
_NOT_TEXT = frozenset(
    {
        W_PPR,
        W_RPR,
        W_TCPR,
        W_TRPR,
        w_tag("tblPr"),
        w_tag("tblGrid"),
        w_tag("tblPrEx"),
        w_tag("sdtPr"),
        w_tag("sdtEndPr"),
        w_tag("sectPr"),
        w_tag("customXmlPr"),
    }
)


@dataclass
class _Collected:
    """A paragraph's text pieces, each with the run that holds it, and its text boxes."""

    pieces: list[tuple[str, etree._Element | None]] = field(default_factory=list)
    boxes: list[etree._Element] = field(default_factory=list)


@dataclass(frozen=True)
class _Paragraph:
    text: str  # the paragraph's own text, without its generated number
    label: Label | None
    style_id: str | None
    p_pr: etree._Element | None
    runs: tuple[etree._Element | None, ...]  # the runs that carry visible text
    boxes: tuple[etree._Element, ...]

    @property
    def full_text(self) -> str:
        """The text as Word shows it, generated number first."""
        if self.label is None:
            return self.text
        return f"{self.label.text}{self.label.separator}{self.text}".strip()


class BodyReader:
    """Walks the document body in order and turns it into blocks."""

    def __init__(self, styles: Styles, numbering: Numbering, warnings: list[str]) -> None:
        self.blocks: list[Block] = []
        self.title = ""
        self._styles = styles
        self._numbering = numbering
        self._warnings = warnings
        self._lead_in: str | None = None

    def read(self, container: etree._Element) -> None:
        """Read the paragraphs and tables of a body, text box or content control in order."""
        for item in self._items(container, _BLOCK_TAGS):
            if item.tag == W_P:
                self._read_paragraph(item)
            else:
                self._read_table(item)

    def _items(self, parent: etree._Element, wanted: frozenset[str]) -> Iterator[etree._Element]:
        """The ``wanted`` elements under parent, looking through wrappers such as w:sdt."""
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue  # comments and processing instructions
            if tag in wanted:
                if not self._row_deleted(child):
                    yield child
            elif tag in _DROPPED_CHANGES:
                self._note_tracked_change()
            elif tag == MC_ALTERNATE:
                for branch in _chosen_alternative(child):
                    yield from self._items(branch, wanted)
            elif tag == w_tag("altChunk"):
                warn_once(self._warnings, "content imported with altChunk was not read")
            else:
                yield from self._items(child, wanted)

    def _row_deleted(self, element: etree._Element) -> bool:
        if element.tag != W_TR or element.find(f"{W_TRPR}/{w_tag('del')}") is None:
            return False
        self._note_tracked_change()
        return True

    def _note_tracked_change(self) -> None:
        warn_once(
            self._warnings,
            "the document has tracked changes: read with insertions accepted and deletions dropped",
        )

    def _read_paragraph(self, element: etree._Element) -> None:
        paragraph = self._paragraph(element)
        if paragraph.text:
            self._emit_paragraph(paragraph)
        # Text boxes anchored in the paragraph are read where they are anchored.
        for box in paragraph.boxes:
            self.read(box)

    def _paragraph(self, element: etree._Element) -> _Paragraph:
        p_pr = element.find(W_PPR)
        style_id = self._styles.paragraph_style(p_pr)
        collected = _Collected()
        self._collect(element, None, collected)
        text = clean_text("".join(piece for piece, _ in collected.pieces))
        runs = tuple(run for piece, run in collected.pieces if piece.strip())
        # An empty paragraph still takes a number in Word, unless its mark was deleted.
        label = None if not text and self._mark_deleted(p_pr) else self._label(p_pr, style_id)
        return _Paragraph(text, label, style_id, p_pr, runs, tuple(collected.boxes))

    def _collect(self, parent: etree._Element, run: etree._Element | None, out: _Collected) -> None:
        """Gather visible text in order; text boxes are kept aside to be read as blocks."""
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag in _TEXT_TAGS:
                out.pieces.append((child.text or "", run))
            elif tag in _SPACE_TAGS:
                out.pieces.append((" ", run))
            elif tag == w_tag("noBreakHyphen"):
                out.pieces.append(("-", run))
            elif tag == W_TXBX_CONTENT:
                out.boxes.append(child)
            else:
                self._collect_inside(child, run, out)

    def _collect_inside(
        self, child: etree._Element, run: etree._Element | None, out: _Collected
    ) -> None:
        tag = child.tag
        if tag in _DROPPED_CHANGES:
            self._note_tracked_change()
        elif tag == MC_ALTERNATE:
            for branch in _chosen_alternative(child):
                self._collect(branch, run, out)
        else:
            if tag in _KEPT_CHANGES:
                self._note_tracked_change()
            self._collect(child, child if tag == W_R else run, out)

    def _mark_deleted(self, p_pr: etree._Element | None) -> bool:
        deleted = p_pr is not None and p_pr.find(f"{W_RPR}/{w_tag('del')}") is not None
        if deleted:
            self._note_tracked_change()
        return deleted

    def _label(self, p_pr: etree._Element | None, style_id: str | None) -> Label | None:
        num_id, ilvl = num_pr(p_pr)
        style_num_id, style_ilvl = self._styles.numbering(style_id)
        num_id = num_id if num_id is not None else style_num_id
        if num_id is None or num_id == "0":  # numId 0 switches inherited numbering off
            return None
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None:
            ilvl = self._numbering.level_for_style(num_id, style_id) or 0
        return self._numbering.next_label(num_id, ilvl)

    def _emit_paragraph(self, paragraph: _Paragraph) -> None:
        is_heading, level = self._heading(paragraph)
        text = paragraph.full_text
        if is_heading:
            kind = "heading"
            if level == 0 and not self.title:
                self.title = text
        else:
            kind = "paragraph" if paragraph.label is None else "list_item"
        if kind == "list_item":
            self._add(text, kind, lead_in=self._lead_in)
        else:
            self._lead_in = text
            self._add(text, kind, level=level)

    def _add(
        self, text: str, kind: str, lead_in: str | None = None, level: int | None = None
    ) -> None:
        location = Location(paragraph=len(self.blocks))
        self.blocks.append(Block(text, kind, location, lead_in=lead_in, level=level))

    def _heading(self, paragraph: _Paragraph) -> tuple[bool, int | None]:
        """Whether the paragraph is a heading, and its level when its style or outline says."""
        level = self._styles.heading_level(paragraph.style_id)
        if level is not None:
            return True, level
        outline = child_int(paragraph.p_pr, "outlineLvl")
        if outline is None:
            outline = self._styles.outline(paragraph.style_id)
        if outline is not None and 0 <= outline <= 8:  # 9 is Word's "body text"
            return True, outline + 1
        if paragraph.label is not None and paragraph.label.bullet:
            return False, None
        return self._looks_like_heading(paragraph), None

    def _looks_like_heading(self, paragraph: _Paragraph) -> bool:
        """A short line, wholly bold or in capitals, that does not end a sentence."""
        text = paragraph.text
        if text.endswith(".") or len(text.split()) >= SHORT_HEADING_WORDS:
            return False
        return (
            _is_all_caps(text)
            or self._all_runs(paragraph, "bold")
            or self._all_runs(paragraph, "caps")
        )

    def _all_runs(self, paragraph: _Paragraph, flag: str) -> bool:
        runs = paragraph.runs
        return bool(runs) and all(self._run_flag(run, flag, paragraph.style_id) for run in runs)

    def _run_flag(self, run: etree._Element | None, flag: str, style_id: str | None) -> bool:
        """Bold or caps as Word resolves it: the run, its character style, the paragraph's."""
        r_pr = run.find(W_RPR) if run is not None else None
        direct = toggle(r_pr, "b" if flag == "bold" else flag)
        if direct is not None:
            return direct
        for value in (
            self._styles.flag(child_val(r_pr, "rStyle"), flag),
            self._styles.flag(style_id, flag),
        ):
            if value is not None:
                return value
        return False

    def _read_table(self, table: etree._Element) -> None:
        rows = self._table_rows(table)
        if not rows:
            return
        # The first row is taken as the header; a lone row is data without one.
        header = TABLE_CELL_SEPARATOR.join(rows[0]) if len(rows) > 1 else None
        for cells in rows[1:] or rows:
            self._add(TABLE_CELL_SEPARATOR.join(cells), "table_row", lead_in=header)

    def _table_rows(self, table: etree._Element) -> list[list[str]]:
        rows = [self._row_cells(row) for row in self._items(table, frozenset({W_TR}))]
        return [cells for cells in rows if cells]

    def _row_cells(self, row: etree._Element) -> list[str]:
        cells = []
        for cell in self._items(row, frozenset({W_TC})):
            if _merge_continuation(cell):
                continue  # the merged cell's text was read where the merge starts
            text = self._container_text(cell)
            if text:
                cells.append(text)
        return cells

    def _container_text(self, container: etree._Element) -> str:
        """A cell's or nested text box's content as one line: nested tables flattened."""
        parts: list[str] = []
        for item in self._items(container, _BLOCK_TAGS):
            if item.tag == W_P:
                paragraph = self._paragraph(item)
                parts.append(paragraph.full_text)
                parts.extend(self._container_text(box) for box in paragraph.boxes)
            else:
                parts.extend(TABLE_CELL_SEPARATOR.join(cells) for cells in self._table_rows(item))
        return " ".join(part for part in parts if part)


def _merge_continuation(cell: etree._Element) -> bool:
    """True for a cell that continues a vertical (or legacy horizontal) merge."""
    tc_pr = cell.find(W_TCPR)
    if tc_pr is None:
        return False
    for tag in ("vMerge", "hMerge"):
        merge = tc_pr.find(w_tag(tag))
        if merge is not None and merge.get(W_VAL, "continue") != "restart":
            return True
    return False


def _is_all_caps(text: str) -> bool:
    # Equal to its upper case but not its lower case: it has letters, all of them capitals.
    return text == text.upper() and text != text.lower()


def _chosen_alternative(alternate: etree._Element) -> list[etree._Element]:
    """The one branch of mc:AlternateContent to read: both hold the same content."""
    for tag in (MC_CHOICE, MC_FALLBACK):
        branch = alternate.find(tag)
        if branch is not None:
            return [branch]
    return []
