"""Lines of a PDF page with where they sit and how they are set, from pypdfium2's text layer.

Geometry answers what the text alone cannot: a line in the top or bottom margin that recurs
on many pages is a running header or footer; a wider gap than usual between lines ends a
paragraph; a short line set larger or bold than the body is a heading.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from policycheck.readers.lines import Line
from policycheck.readers.words import join_broken_word, repair_words

# A line whose top is in the outer MARGIN_SHARE of the page height is in the margin.
MARGIN_SHARE = 0.09
# Text repeated at the same height on this many pages (or on every page of a shorter file)
# is a running header or footer, wherever the page sets it: header blocks often fill the
# top fifth of a page, well below the margin.
RUNNING_MIN_PAGES = 3
# Heights within one bucket (1/50 of the page, about 16 points on Letter) count as the same.
HEIGHT_BUCKETS = 50
PARAGRAPH_GAP = 1.6
HEADING_SIZE_RATIO = 1.18
MAX_HEADING_WORDS = 12

_SOFT_BREAK = "\ufffe"
_LETTER_SPACED = re.compile(r"\b(?:[A-Za-z] ){3,}[A-Za-z]\b")
_PAGE_NUMBER = re.compile(
    r"^(page\s*)?[-–]?\s*\d+\s*[-–]?(\s*(of|/)\s*\d+)?$|^page \d+$", re.IGNORECASE
)
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass(frozen=True)
class PageLine:
    """One line of a page: its text, page, vertical place (0 top, 1 bottom) and type size."""

    text: str
    page: int
    top: float
    size: float
    bold: bool
    gap: float = 0.0  # space above the line, in points, from the line before on its page


def read_page_lines(textpage: pdfium.PdfTextPage, page: int, height: float) -> list[PageLine]:
    """Split a page's text into lines and measure each at its first character."""
    text = textpage.get_text_range()
    aligned = len(text) == textpage.count_chars()
    lines: list[PageLine] = []
    offset, previous_top = 0, None
    for raw in text.split("\r\n"):
        start = offset + (len(raw) - len(raw.lstrip()))
        offset += len(raw) + 2
        cleaned = clean_line(raw)
        if not cleaned:
            continue
        top, size, bold = _measure(textpage, start, height) if aligned else (0.5, 0.0, False)
        gap = (top - previous_top) * height if previous_top is not None else 0.0
        lines.append(PageLine(cleaned, page, top, size, bold, gap))
        previous_top = top
    return lines


def _measure(textpage: pdfium.PdfTextPage, index: int, height: float) -> tuple[float, float, bool]:
    try:
        _, _, _, top = textpage.get_charbox(index)
    except (pdfium.PdfiumError, IndexError, ValueError):
        return 0.5, 0.0, False
    size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, index))
    return 1.0 - top / height if height else 0.5, size, _is_bold(textpage, index)


def _is_bold(textpage: pdfium.PdfTextPage, index: int) -> bool:
    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), ctypes.byref(flags))
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    return weight >= 600 or bool(_BOLD_NAME.search(name.value.decode("latin-1")))


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
    running = running_keys(pages)
    body_size = _body_size(pages)
    lines: list[Line] = []
    for page_lines in pages:
        spacing = _line_spacing(page_lines)
        for line in page_lines:
            if _is_running(line, running):
                continue
            lines.append(Line(
                text=line.text, page=line.page,
                blank_before=spacing > 0 and line.gap > PARAGRAPH_GAP * spacing,
                heading=_looks_like_heading(line, body_size),
            ))
    return lines


def running_keys(pages: list[list[PageLine]]) -> set[tuple[str, int]]:
    """Lines (digits aside) that recur at the same height on enough pages to be running."""
    counts: Counter[tuple[str, int]] = Counter()
    for page_lines in pages:
        keys = {key for line in page_lines for key in _height_keys(line)}
        counts.update(keys)
    needed = min(RUNNING_MIN_PAGES, len(pages)) if len(pages) > 1 else 2
    return {key for key, count in counts.items() if count >= needed}


def _is_running(line: PageLine, running: set[tuple[str, int]]) -> bool:
    if _running_key(line) in running:
        return True
    in_margin = line.top < MARGIN_SHARE or line.top > 1 - MARGIN_SHARE
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _running_key(line: PageLine) -> tuple[str, int]:
    return re.sub(r"\d+", "#", line.text.lower()), round(line.top * HEIGHT_BUCKETS)


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
    words = line.text.split()
    if not words or len(words) > MAX_HEADING_WORDS or line.text[-1] in ".,;":
        return False
    larger = body_size > 0 and line.size >= body_size * HEADING_SIZE_RATIO
    return larger or (line.bold and len(words) <= 8 and line.text[0].isupper())
