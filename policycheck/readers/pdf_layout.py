"""Lines of a PDF page with where they sit and how they are set, from pypdfium2's text layer.

Geometry answers what the text alone cannot: a line in the top or bottom margin that recurs
on many pages is a running header or footer; a wider gap than usual between lines ends a
paragraph; a short line set larger or bold than the body is a heading.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium

from policycheck.readers.lines import Line
from policycheck.readers.pdf_chars import PageChars
from policycheck.readers.pdf_tables import cells_at, line_cells
from policycheck.readers.words import join_broken_word, repair_words
from policycheck.sections import split_number

# A line whose top is in the outer MARGIN_SHARE of the page height is in the margin.
MARGIN_SHARE = 0.09
# Text repeated at the same height on this many pages (or on every page of a shorter file)
# is a running header or footer.
RUNNING_MIN_PAGES = 3
# Heights within one bucket (1/50 of the page, about 16 points on Letter) count as the same.
HEIGHT_BUCKETS = 50
# Running lines are looked for from each edge of the page this far in: header blocks often
# fill the top fifth of a page, well below the margin.
HEADER_ZONE = 0.3
FOOTER_ZONE = 0.2
PARAGRAPH_GAP = 1.6
HEADING_SIZE_RATIO = 1.18
# Type this much smaller than the body is a form label or a note, never a heading.
SMALL_TYPE_RATIO = 0.8
MAX_HEADING_WORDS = 12
MIN_HEADING_LETTERS = 3
# A bold line longer than this is a bold sentence, not a title.
MAX_BOLD_HEADING_WORDS = 10

_SOFT_BREAK = "\ufffe"
_LETTER_SPACED = re.compile(r"\b(?:[A-Za-z] ){3,}[A-Za-z]\b")
_PAGE_NUMBER = re.compile(
    r"^(page\s*)?[-–]?\s*\d+\s*[-–]?(\s*(of|/)\s*\d+)?$|^page \d+$", re.IGNORECASE
)
# Page numbers and page references all hold a digit; most lines have none.
_DIGIT = re.compile(r"\d")
# A page reference inside a running line: "Page 2 of 14", "Use of Force - 4", "- 3 -".
_PAGE_LABEL = re.compile(
    r"\bpage\s*\d+"  # "Page 2"
    r"|\b\d+\s*of\s*\d+\s*$"  # "2 of 14"
    r"|\s[-–]\s*\d+\s*[-–]?$",  # "Use of Force - 4", "- 3 -"
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageLine:
    """One line of a page: its text, page, vertical place (0 top, 1 bottom) and type size."""

    text: str
    page: int
    top: float
    size: float
    bold: bool
    gap: float = 0.0  # space above the line, in points, from the line before on its page
    cells: tuple[tuple[float, str], ...] = ()  # table cells (left, text) when it has two+


def read_page_lines(textpage: pdfium.PdfTextPage, page: int, height: float) -> list[PageLine]:
    """Split a page's text into lines and measure each at its first character."""
    text = textpage.get_text_range()
    chars = PageChars(textpage)
    aligned = len(text) == textpage.count_chars()
    tables = line_cells(chars, clean_line) if aligned else {}
    lines: list[PageLine] = []
    offset, previous_top = 0, None
    for raw in text.split("\r\n"):
        start = offset + (len(raw) - len(raw.lstrip()))
        end = offset + len(raw.rstrip()) - 1
        offset += len(raw) + 2
        cleaned = clean_line(raw)
        if not cleaned:
            continue
        # Only a short line can be a heading, so only a short line's weight is worth reading.
        short = len(cleaned.split()) <= MAX_HEADING_WORDS
        top, size, bold = _measure(chars, start, height, short) if aligned else (0.5, 0.0, False)
        # A line is bold only to its end: a bold term that opens a sentence is no title.
        bold = bold and end > start and chars.is_bold(end)
        gap = (top - previous_top) * height if previous_top is not None else 0.0
        cells = cells_at(tables, (1.0 - top) * height) if tables else ()
        lines.append(PageLine(cleaned, page, top, size, bold, gap, cells))
        previous_top = top
    return lines


def _measure(chars: PageChars, index: int, height: float, weigh: bool) -> tuple[float, float, bool]:
    top = chars.top(index)
    if top is None:
        return 0.5, 0.0, False
    size = chars.type_size(index)
    bold = weigh and chars.is_bold(index)
    return 1.0 - top / height if height else 0.5, size, bold


def clean_line(raw: str) -> str:
    """Normalise one printed line and repair what extraction broke in its words."""
    text = unicodedata.normalize("NFKC", raw).replace("\u00a0", " ").replace("\u00ad", "\ufffe")
    while _SOFT_BREAK in text:
        left, right = text.split(_SOFT_BREAK, 1)
        text = join_broken_word(left, right, soft=True)
    text = _LETTER_SPACED.sub(lambda match: match.group(0).replace(" ", ""), text)
    return repair_words(" ".join(text.split()))


def body_lines(pages: list[list[PageLine]]) -> list[Line]:
    """Drop running headers, footers and page numbers; mark paragraph gaps and headings."""
    running = RunningLines(pages)
    body_size = _body_size(pages)
    lines: list[Line] = []
    for page_lines in pages:
        spacing = _line_spacing(page_lines)
        ordered = _reading_order(page_lines)
        dropped = running.on_page(ordered)
        for index, line in enumerate(ordered):
            if index in dropped:
                continue
            lines.append(
                Line(
                    text=line.text,
                    page=line.page,
                    blank_before=spacing > 0 and line.gap > PARAGRAPH_GAP * spacing,
                    heading=_looks_like_heading(line, body_size),
                    small=0 < line.size < body_size * SMALL_TYPE_RATIO,
                    larger=body_size > 0 and line.size >= body_size * HEADING_SIZE_RATIO,
                    cells=line.cells,
                )
            )
    return lines


def _reading_order(page_lines: list[PageLine]) -> list[PageLine]:
    """The page's lines as written, except that top-margin text written after all the body
    comes first: some writers emit a page's masthead last. Only the tail moves, since the
    top lines of a second column sit in the margin band too."""
    tail = len(page_lines)
    while tail > 0 and page_lines[tail - 1].top < MARGIN_SHARE:
        tail -= 1
    if tail in (0, len(page_lines)):
        return page_lines
    return sorted(page_lines[tail:], key=_top) + page_lines[:tail]


def _top(line: PageLine) -> float:
    return line.top


class RunningLines:
    """Lines that recur at the same height on enough pages to be running headers or footers.

    A line is keyed by its text (page references masked) and its height; it must recur on
    RUNNING_MIN_PAGES pages, or on every page of a shorter file.
    """

    def __init__(self, pages: list[list[PageLine]]) -> None:
        counts: Counter[tuple[str, int]] = Counter()
        for page_lines in pages:
            counts.update({key for line in page_lines for key in _height_keys(line)})
        needed = min(RUNNING_MIN_PAGES, len(pages)) if len(pages) > 1 else 2
        self.keys = {key for key, count in counts.items() if count >= needed}
        # A numbered heading repeats at one height on many pages when every part of a
        # compilation opens with "I. PURPOSE"; a running title is on most pages.
        self.common = {key for key, count in counts.items() if count >= max(needed, len(pages) / 2)}

    def is_running(self, line: PageLine) -> bool:
        """True when the line recurs as a running line does (wherever it is on the page)."""
        if _is_page_number(line):
            return True
        key = _running_key(line)
        if key not in self.keys:
            return False
        return key in self.common or _in_margin(line) or not split_number(line.text)[0]

    def on_page(self, page_lines: list[PageLine]) -> set[int]:
        """Indexes of the page's running lines: the unbroken runs of them from the top and
        the bottom edge (margin text that does not recur does not break a run). A repeated
        line below the first body line is body text ("Definitions related to this policy
        include:" opens many policies at the same height)."""
        order = sorted(range(len(page_lines)), key=lambda index: page_lines[index].top)
        dropped = {index for index, line in enumerate(page_lines) if _is_page_number(line)}
        dropped.update(self._run(page_lines, order, lambda top: top < HEADER_ZONE))
        dropped.update(self._run(page_lines, order[::-1], lambda top: top > 1 - FOOTER_ZONE))
        return dropped

    def _run(self, page_lines: list[PageLine], order: list[int], in_zone) -> set[int]:
        run: set[int] = set()
        for index in order:
            line = page_lines[index]
            if not in_zone(line.top):
                break
            if self.is_running(line):
                run.add(index)
            elif not _in_margin(line):
                break
        return run


def _in_margin(line: PageLine) -> bool:
    return line.top < MARGIN_SHARE or line.top > 1 - MARGIN_SHARE


def _is_page_number(line: PageLine) -> bool:
    return (
        _in_margin(line)
        and _DIGIT.search(line.text) is not None
        and bool(_PAGE_NUMBER.match(line.text) or _PAGE_LABEL.search(line.text))
    )


def _running_key(line: PageLine) -> tuple[str, int]:
    """The line's text, page numbers masked, and its height bucket.

    Numbers are masked in the margins, and in page references elsewhere: "300.1 PURPOSE AND
    SCOPE" and "302.1 PURPOSE AND SCOPE" open different policies at one height and are not
    one running line.
    """
    text = line.text.lower()
    numbered = _DIGIT.search(text) is not None
    if numbered and (_in_margin(line) or _PAGE_LABEL.search(text) or _PAGE_NUMBER.match(text)):
        text = re.sub(r"\d+", "#", text)
    return text, round(line.top * HEIGHT_BUCKETS)


def _height_keys(line: PageLine) -> list[tuple[str, int]]:
    """The line's key and its neighbours', so a line near a bucket edge still matches."""
    text, bucket = _running_key(line)
    return [(text, bucket - 1), (text, bucket), (text, bucket + 1)]


def _body_size(pages: list[list[PageLine]]) -> float:
    """The type size most of the text is set in, weighted by characters."""
    sizes: Counter[float] = Counter()
    for page_lines in pages:
        for line in page_lines:
            if line.size:
                sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_spacing(page_lines: list[PageLine]) -> float:
    gaps = [line.gap for line in page_lines if line.gap > 0]
    return statistics.median(gaps) if gaps else 0.0


def _looks_like_heading(line: PageLine, body_size: float) -> bool:
    larger = body_size > 0 and line.size >= body_size * HEADING_SIZE_RATIO
    if not larger and not line.bold:
        return False  # most lines: body type, not bold
    words = line.text.split()
    if not words or len(words) > MAX_HEADING_WORDS or line.text[-1] in ".,;":
        return False
    # A mark in a side column ("N/A", "6-7") is set bold too, but is not a title.
    if sum(ch.isalpha() for ch in line.text) < MIN_HEADING_LETTERS:
        return False
    starts_like_title = line.text[0].isupper() or line.text[0].isdigit()
    return larger or (line.bold and len(words) <= MAX_BOLD_HEADING_WORDS and starts_like_title)
