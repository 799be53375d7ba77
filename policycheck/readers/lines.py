"""Group the lines of a page-oriented text (PDF, plain text) into headings, paragraphs and items.

Line breaks in a PDF are where the page ran out of width, not where a thought ended, so
lines are joined into one block until a heading, a list marker or a blank line starts anew.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policycheck.document import Block, Location
from policycheck.readers.pdf_tables import (
    COLUMN_SLACK,
    HEADER_CELL_WORDS,
    MIN_TABLE_LINES,
    TABLE_LOOKAHEAD,
    rebuild_rows,
)
from policycheck.readers.words import join_broken_word
from policycheck.sections import TITLE_SMALL_WORDS, heading_parts, is_contents_line, split_number

# Bullets as printed, including the Symbol and Wingdings glyphs Word maps into the private
# use area (U+F0B7 and kin) when it writes a PDF.
_BULLET = re.compile(r"^[•▪◦●■□➢·\uf000-\uf0ff]\s*(?=\S)|^[-*>]\s+|^o\s+(?=[A-Z])")
_LEAD_IN_END = re.compile(r":\s*$")
_INLINE_ITEM = re.compile(r"\s{2,}(?=\([a-z0-9]{1,3}\)\s)")
# Words that join the halves of a wrapped title: a title does not end with the first kind,
# nor start with the second.
_NEVER_LAST = TITLE_SMALL_WORDS - {"per", "vs", "v", "than", "be"}
_NEVER_FIRST = {"and", "as", "at", "by", "for", "from", "into", "of", "or", "to", "with"}
MAX_TITLE_CHARS = 140
WRAPPED_TITLE_CHARS = 60
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s*$")


@dataclass(frozen=True)
class Line:
    """One line of text and the page it is on (None for plain text)."""

    text: str
    page: int | None
    blank_before: bool = False
    heading: bool = False  # the reader saw a heading's type (larger or bold, short)
    small: bool = False  # set smaller than the body (a form label, a note): never a heading
    larger: bool = False  # set larger than the body: a title even mid-sentence
    cells: tuple[tuple[float, str], ...] = ()  # a PDF table line's cells (left, text)
    table: str = ""  # "header" or "row" once table lines are rebuilt


@dataclass
class _OpenBlock:
    kind: str
    parts: list[str]
    page: int | None
    index: int
    lead_in: str | None
    page_starts: list[tuple[int, int]]


def group_lines(lines: list[Line]) -> list[Block]:
    """Turn lines into blocks: headings alone, list items with their lead-in, paragraphs."""
    blocks: list[Block] = []
    current: _OpenBlock | None = None
    lead_in: _LeadIn = _NO_LEAD_IN
    header: str | None = None
    for line in _split_inline_items(rebuild_tables(lines)):
        text = line.text.strip()
        if not text:
            continue
        if line.table:
            if current is not None:
                blocks.append(_close(current))
                current = None
            if line.table == "header":
                header = text
            else:
                blocks.append(_table_row(text, line.page, len(blocks), header))
            continue
        typeset = line.heading and not is_contents_line(text)
        kind = "heading" if typeset else _line_kind(text, line.small)
        if kind == "heading" and current is not None and _runs_on(current, line):
            kind = "paragraph"
        if current is None or _starts_new_block(kind, line, current):
            if current is not None:
                blocks.append(_close(current))
                lead_in = _next_lead_in(blocks[-1], lead_in)
            if kind == "list_item" and lead_in.owner and split_number(text)[1] == lead_in.owner:
                lead_in = _NO_LEAD_IN  # "2." after "1. ... as follows:" is out of its scope
            current = _open(
                kind, text, line.page, len(blocks), lead_in.text if kind == "list_item" else None
            )
        else:
            _extend(current, text, line.page)
    if current is not None:
        blocks.append(_close(current))
    return blocks


def rebuild_tables(lines: list[Line]) -> list[Line]:
    """Runs of PDF lines with cells become a header line and one line per rebuilt row."""
    rebuilt: list[Line] = []
    index = 0
    while index < len(lines):
        end = _table_end(lines, index)
        if _is_table(lines[index:end]):
            rebuilt.extend(_table_lines(lines[index:end]))
            index = end
        else:
            rebuilt.append(lines[index])
            index += 1
    return rebuilt


def _is_table(run: list[Line]) -> bool:
    """Lines of cells make a table only when their cells line up in the header's columns:
    justified prose has wide gaps too, but at no fixed place."""
    multi = list(dict.fromkeys(line.cells for line in run if len(line.cells) >= 2))
    if len(multi) < MIN_TABLE_LINES or not _looks_like_header(multi[0]):
        return False
    if all(split_number(cells[0][1] + " x")[2] == "x" for cells in multi):
        return False  # "1." in one column and its text in the next: a list, hanging indent
    starts = [left for left, _ in multi[0]]
    aligned = [
        cells
        for cells in multi[1:]
        if all(any(abs(left - start) <= COLUMN_SLACK for start in starts) for left, _ in cells)
    ]
    return len(aligned) >= MIN_TABLE_LINES - 1 and len(aligned) >= 0.8 * (len(multi) - 1)


def _looks_like_header(cells: tuple[tuple[float, str], ...]) -> bool:
    """A header row names its columns: short cells, each starting with a capital. The lines
    of a two-column page start mid-sentence and run long."""
    return all(len(text.split()) <= HEADER_CELL_WORDS and text[:1].isupper() for _, text in cells)


def _table_end(lines: list[Line], start: int) -> int:
    """Where a table that opens at ``start`` ends: it runs on through lines of two cells or
    more, and through a one-cell line (a cell's wrapped text) that such a line follows."""
    if len(lines[start].cells) < 2:
        return start + 1
    end = start + 1
    page = lines[start].page
    inner_columns = [left for left, _ in lines[start].cells[1:]]
    while end < len(lines) and lines[end].cells and lines[end].page == page:
        ahead = lines[end : end + TABLE_LOOKAHEAD]
        in_column = any(
            abs(lines[end].cells[0][0] - left) <= COLUMN_SLACK for left in inner_columns
        )
        if not in_column and not any(len(line.cells) >= 2 for line in ahead):
            break
        end += 1
    return end


def _table_lines(run: list[Line]) -> list[Line]:
    # pdfium reads a table cell by cell, so one printed line shows up once per cell: keep
    # each printed line once, where it first appears.
    unique = list(dict.fromkeys(line.cells for line in run))
    header = run[0]
    rows = rebuild_rows(unique[0], unique[1:])
    head = " | ".join(text for _, text in unique[0])
    made = [Line(text=head, page=header.page, table="header")]
    return made + [Line(text=row.text, page=header.page, table="row") for row in rows]


def _table_row(text: str, page: int | None, index: int, header: str | None) -> Block:
    location = Location(page=page, paragraph=index)
    return Block(text=text, kind="table_row", location=location, lead_in=header)


def _split_inline_items(lines: list[Line]) -> list[Line]:
    """Items a text file runs together on one line, set apart by two spaces ("... situation.
    (a) An employee shall ...  (b) Non-force alternatives ..."), each on a line of its own."""
    split: list[Line] = []
    for line in lines:
        parts = _INLINE_ITEM.split(line.text)
        if len(parts) == 1:
            split.append(line)  # nearly every line: no copy
            continue
        split.append(replace(line, text=parts[0]))
        split.extend(Line(text=part, page=line.page) for part in parts[1:])
    return split


def _line_kind(text: str, small: bool = False) -> str:
    if not small and heading_parts(text) is not None:
        return "heading"
    number, scheme, rest = split_number(text)
    if number and scheme in ("upper", "roman") and rest[:1].islower():
        return "paragraph"  # "A. above": a reference to "section 401.03 A." that wrapped
    if number or _BULLET.match(text):
        return "list_item"
    return "paragraph"


def _starts_new_block(kind: str, line: Line, current: _OpenBlock) -> bool:
    if current.kind == "list_item" and _is_bare_marker(current.parts) and kind != "heading":
        return False  # "1." alone on its line: its text is on the next line
    if current.kind == "heading" and kind == "heading" and _continues_heading(current.parts, line):
        return False
    if kind in ("heading", "list_item") or current.kind == "heading" or line.blank_before:
        return True
    if _LEAD_IN_END.search(current.parts[-1]):
        return True
    # A list item ends with its sentence: a capitalised line after it is new text (often the
    # next definition), and must not be read in the scope of the list's lead-in.
    return (
        current.kind == "list_item"
        and bool(_SENTENCE_END.search(current.parts[-1]))
        and line.text.lstrip()[:1].isupper()
    )


def _runs_on(current: _OpenBlock, line: Line) -> bool:
    """A line set as a heading in the middle of a sentence is emphasis ("shall complete a"
    then a bold form name), not a title: the line before it broke off at a small word."""
    if (
        not line.heading
        or line.blank_before
        or line.larger
        or current.kind == "heading"
        or split_number(line.text)[0]
    ):
        return False
    previous = current.parts[-1].rstrip()
    return previous.endswith(",") or previous.split()[-1] in _NEVER_LAST


def _continues_heading(parts: list[str], line: Line) -> bool:
    """A title that wrapped: "VII. INVESTIGATING AND REPORTING THE USE" then "OF FORCE NOT
    INVOLVING A FIREARM". The second line has no number, is set like the first, and one of
    them breaks at a small word that cannot end or start a title."""
    previous, text = parts[-1], line.text.strip()
    if line.blank_before or len(parts) > 2 or split_number(text)[0] or _BULLET.match(text):
        return False
    if previous.isupper() != text.isupper() or len(previous) + len(text) > MAX_TITLE_CHARS:
        return False
    last, first = previous.split()[-1].lower(), text.split()[0].lower()
    if first in _NEVER_FIRST or last in _NEVER_LAST or previous[-1] in ",-–":
        return True
    # A title that filled its line ran on to the next.
    return len(parts) == 1 and len(previous) >= WRAPPED_TITLE_CHARS


def _is_bare_marker(parts: list[str]) -> bool:
    if len(parts) != 1:
        return False
    number, _, rest = split_number(parts[0] + " x")
    return bool(number) and rest == "x" or bool(_BULLET.fullmatch(parts[0] + " "))


def _open(kind: str, text: str, page: int | None, index: int, lead_in: str | None) -> _OpenBlock:
    return _OpenBlock(kind, [text], page, index, lead_in, [])


def _extend(block: _OpenBlock, text: str, page: int | None) -> None:
    if page is not None and block.page is not None and page != _last_page(block):
        block.page_starts.append((_length(block) + 1, page))
    previous = block.parts[-1]
    if previous.endswith("-") and previous[-2:-1].isalpha() and text[0].islower():
        joined = join_broken_word(previous[:-1], text)
        block.parts[-1] = previous[:-1]
        # A leading NUL marks "join without a space"; the hyphen stays when it belongs.
        block.parts.append("\x00" + joined[len(previous) - 1 :])
    else:
        block.parts.append(text)


def _last_page(block: _OpenBlock) -> int | None:
    return block.page_starts[-1][1] if block.page_starts else block.page


def _length(block: _OpenBlock) -> int:
    return len(_joined(block.parts))


def _joined(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        text += part[1:] if part.startswith("\x00") else " " + part
    return text


def _close(block: _OpenBlock) -> Block:
    text = _BULLET.sub("• ", _joined(block.parts), count=1)
    location = Location(page=block.page, paragraph=block.index)
    return Block(
        text=text,
        kind=block.kind,
        location=location,
        lead_in=block.lead_in,
        page_starts=tuple(block.page_starts),
    )


@dataclass(frozen=True)
class _LeadIn:
    """A sentence that introduces the items after it, and the numbering scheme of the item
    that ends with it ("1. ... as follows:"), whose next sibling ends its scope."""

    text: str | None
    owner: str = ""


_NO_LEAD_IN = _LeadIn(None)


def _next_lead_in(block: Block, lead_in: _LeadIn) -> _LeadIn:
    """The lead-in that governs the items after ``block``."""
    if block.kind == "heading":
        return _NO_LEAD_IN
    if _LEAD_IN_END.search(block.text):
        owner = split_number(block.text)[1] if block.kind == "list_item" else ""
        return _LeadIn(_last_sentence(block.text), owner)
    if block.kind == "list_item":
        return lead_in
    return _NO_LEAD_IN


def _last_sentence(text: str) -> str:
    pieces = re.split(r"(?<=[.;])\s+(?=[A-Z(])", text)
    return pieces[-1].strip()
