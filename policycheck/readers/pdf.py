"""Read a PDF into a Document with pypdfium2's text layer.

pypdfium2 (installed with pdfplumber) extracts text about 37 times faster than pdfplumber and
keeps reading order well on the corpus; the layout work pdfplumber would add (tables, columns)
is left to the structure issue, where it must earn its cost.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter

import pypdfium2 as pdfium

from policycheck.document import Document
from policycheck.errors import EncryptedDocument, NeedsOCR, UnreadableDocument
from policycheck.readers.lines import Line, group_lines
from policycheck.readers.words import join_broken_word
from policycheck.sections import build_sections

log = logging.getLogger(__name__)

# A line in the top or bottom EDGE_LINES of a page that repeats (digits aside) on at least
# RUNNING_SHARE of the pages is a running header or footer.
EDGE_LINES = 3
RUNNING_SHARE = 0.5
MIN_PAGES_FOR_RUNNING = 3
MIN_PAGE_CHARS = 20

_SOFT_BREAK = "\ufffe"
_LETTER_SPACED = re.compile(r"\b(?:[A-Za-z] ){3,}[A-Za-z]\b")
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d+(\s*(of|/)\s*\d+)?$", re.IGNORECASE)


def read_pdf(data: bytes, source: str, sha256: str) -> Document:
    """Read PDF bytes into a Document; refuse encrypted and text-less files."""
    pdf = _open(data)
    try:
        page_texts = [_page_text(pdf, index) for index in range(len(pdf))]
        title = _metadata_title(pdf)
    finally:
        pdf.close()
    unreadable = [n + 1 for n, text in enumerate(page_texts) if len(text.strip()) < MIN_PAGE_CHARS]
    if len(unreadable) == len(page_texts):
        raise NeedsOCR("no page has a text layer; it needs OCR before it can be checked")
    lines = _body_lines(page_texts)
    blocks = group_lines(lines)
    title = title or _first_line(lines)
    document = Document(
        source=source, sha256=sha256, kind="pdf", pages=len(page_texts),
        sections=build_sections(blocks), title=title, unreadable_pages=unreadable,
    )
    if unreadable:
        document.warnings.append(f"{len(unreadable)} page(s) have no text layer and were not read")
    return document


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocument("encrypted: provide an unlocked copy") from exc
        raise UnreadableDocument(f"damaged or not a PDF ({exc})") from exc


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
    except pdfium.PdfiumError as exc:
        log.warning("page %d: no text could be read (%s)", index + 1, exc)
        return ""
    finally:
        page.close()


def _metadata_title(pdf: pdfium.PdfDocument) -> str:
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()
    except (pdfium.PdfiumError, KeyError, ValueError):
        return ""
    # Word processors often leave a file name or "Microsoft Word - x.doc" as the title.
    if title.lower().endswith((".doc", ".docx", ".pdf", ".wpd")) or "Microsoft Word" in title:
        return ""
    return title


def _body_lines(page_texts: list[str]) -> list[Line]:
    pages = [_clean_lines(text) for text in page_texts]
    running = _running_lines(pages)
    lines: list[Line] = []
    for number, page_lines in enumerate(pages, start=1):
        last = len(page_lines) - 1
        for position, text in enumerate(page_lines):
            at_edge = position < EDGE_LINES or last - position < EDGE_LINES
            if at_edge and (_edge_key(text) in running or _PAGE_NUMBER.match(text.strip())):
                continue
            lines.append(Line(text=text, page=number))
    return lines


def _clean_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u00ad", _SOFT_BREAK)
    lines = []
    for raw in text.split("\n"):
        line = _rejoin_soft_breaks(raw).strip()
        line = _LETTER_SPACED.sub(lambda match: match.group(0).replace(" ", ""), line)
        if line:
            lines.append(line)
    return lines


def _rejoin_soft_breaks(line: str) -> str:
    """pdfium marks a hyphen it found at a line end; keep it only where the word needs it."""
    while _SOFT_BREAK in line:
        left, right = line.split(_SOFT_BREAK, 1)
        line = join_broken_word(left, right)
    return line


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    if len(pages) < MIN_PAGES_FOR_RUNNING:
        return set()
    counts: Counter[str] = Counter()
    for page_lines in pages:
        edges = page_lines[:EDGE_LINES] + page_lines[-EDGE_LINES:]
        counts.update({_edge_key(text) for text in edges})
    threshold = max(2, int(len(pages) * RUNNING_SHARE))
    return {key for key, count in counts.items() if count >= threshold}


def _first_line(lines: list[Line]) -> str:
    for line in lines[:10]:
        if 2 <= len(line.text.split()) <= 15:
            return line.text.strip()
    return ""
