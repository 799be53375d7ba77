"""Read a PDF into a Document with pypdfium2's text layer.

pypdfium2 (installed with pdfplumber) extracts text about 37 times faster than pdfplumber and
keeps reading order well on the corpus; the layout work pdfplumber would add (tables, columns)
is left to the structure issue, where it must earn its cost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from policycheck.document import Document
from policycheck.errors import EncryptedDocument, NeedsOCR, UnreadableDocument
from policycheck.readers import looks_like_text
from policycheck.readers.lines import Line, group_lines
from policycheck.readers.pdf_layout import PageLine, body_lines, read_page_lines
from policycheck.readers.pdf_workers import can_read_in_workers, read_in_workers
from policycheck.readers.words import preload_word_lists
from policycheck.sections import build_sections

log = logging.getLogger(__name__)

# A page with fewer characters than this has no usable text layer (a scan).
MIN_PAGE_CHARS = 20
# The end of a file searched for its %%EOF marker and last startxref; writers may add a
# little trailing junk after them.
END_MARKER_WINDOW = 4096

_NOT_A_TITLE = re.compile(r"\bpage \d|\d+ of \d+|:\s*$", re.IGNORECASE)
_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})")
_XREF_START = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")


def read_pdf(
    data: bytes,
    source: str,
    sha256: str,
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> Document:
    """Read PDF bytes into a Document; refuse encrypted and text-less files.

    A long file is read by up to ``workers`` processes, and this one runs ``meanwhile``
    while they do (see ``pdf_workers``).
    """
    pdf = _open(data)
    try:
        title = _metadata_title(pdf)
        count = len(pdf)
        if can_read_in_workers(count, workers):
            preload_word_lists()
            assemble = partial(_assemble, source=source, sha256=sha256, title=title)
            return read_in_workers(data, count, workers, _page_lines, assemble, meanwhile)
        pages = [_page_lines(pdf, index) for index in range(count)]
    finally:
        pdf.close()
    return _assemble(data, pages, source, sha256, title)


def _assemble(
    data: bytes, pages: list[list[PageLine]], source: str, sha256: str, title: str
) -> Document:
    """The document from its pages' lines: body text, blocks, sections and warnings."""
    unreadable = [
        number
        for number, lines in enumerate(pages, start=1)
        if sum(len(line.text) for line in lines) < MIN_PAGE_CHARS
    ]
    if len(unreadable) == len(pages):
        raise _no_text_error(data)
    lines = body_lines(pages)
    title = title or _largest_line(pages[0] if pages else []) or _first_line(lines)
    document = Document(
        source=source,
        sha256=sha256,
        kind="pdf",
        pages=len(pages),
        sections=build_sections(group_lines(lines)),
        title=title,
        unreadable_pages=unreadable,
    )
    if unreadable:
        document.warnings.append(f"{len(unreadable)} page(s) have no text layer and were not read")
    document.warnings.extend(_damage_warnings(data))
    return document


def _open(data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with pdfium; a file with only an owner password opens like any other."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(data, exc) from exc


def _open_error(data: bytes, exc: pdfium.PdfiumError) -> UnreadableDocument:
    """The refusal a user can act on, from pdfium's load error code."""
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD or (code is None and "password" in str(exc).lower()):
        return EncryptedDocument("encrypted: provide an unlocked copy")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedDocument(
            "encrypted with a security scheme pdfium cannot read: provide an unlocked copy"
        )
    if code == pdfium_c.FPDF_ERR_SUCCESS:
        return UnreadableDocument("the PDF has no pages")
    # PDF objects mark a PDF, even one written without compression, whose bytes are all text.
    if b"endobj" in data and not _has_end_marker(data):
        return UnreadableDocument(
            "truncated PDF: it stops before its end marker (%%EOF), as a "
            "download cut short does; get a complete copy"
        )
    if looks_like_text(data) and b"endobj" not in data:
        return UnreadableDocument("not a PDF: it starts with a PDF header but holds plain text")
    return UnreadableDocument(
        "damaged PDF: pdfium cannot open it; open it in a PDF viewer and "
        "save or print it to a new PDF"
    )


def _no_text_error(data: bytes) -> UnreadableDocument:
    """No page gave text: a damaged file if it shows damage, else a scan that needs OCR."""
    if _damage_warnings(data) or _has_unloadable_page(data):
        return UnreadableDocument(
            "damaged PDF: no page could be read; open it in a PDF viewer "
            "and save or print it to a new PDF"
        )
    return NeedsOCR("no page has a text layer; it needs OCR before it can be checked")


def _has_unloadable_page(data: bytes) -> bool:
    """True when pdfium cannot load some page at all: a broken page object, not a scan."""
    pdf = _open(data)
    try:
        for index in range(len(pdf)):
            try:
                pdf[index].close()
            except pdfium.PdfiumError:
                return True
        return False
    finally:
        pdf.close()


def _has_end_marker(data: bytes) -> bool:
    """True when an %%EOF marker ends the file, as it ends every complete PDF."""
    return b"%%EOF" in data[-END_MARKER_WINDOW:]


def _damage_warnings(data: bytes) -> list[str]:
    """Signs of damage pdfium repaired while opening: the text read may be incomplete."""
    if not _has_end_marker(data):
        return [
            "the PDF has no end marker (%%EOF) and may be truncated: pages or text at the "
            "end may be missing"
        ]
    if not _xref_offset_is_sound(data):
        return [
            "the PDF's cross-reference table is damaged and pdfium rebuilt it: check the "
            "report against the original"
        ]
    return []


def _xref_offset_is_sound(data: bytes) -> bool:
    """True when the last startxref points at a cross-reference table or stream."""
    tail = data[-END_MARKER_WINDOW:]
    found = list(_STARTXREF.finditer(tail))
    if not found:
        return False
    offset = int(found[-1].group(1)) + max(data.find(b"%PDF-"), 0)
    return _XREF_START.match(data, offset) is not None


def _page_lines(pdf: pdfium.PdfDocument, index: int) -> list[PageLine]:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        # A damaged page object: the page counts as unreadable, the others are still read.
        log.info("page %d: could not be loaded (%s)", index + 1, exc)
        return []
    try:
        textpage = page.get_textpage()
        try:
            return read_page_lines(textpage, index + 1, page.get_height())
        finally:
            textpage.close()
    except pdfium.PdfiumError as exc:
        # The report counts the page as unreadable; a log warning would not name the file.
        log.info("page %d: no text could be read (%s)", index + 1, exc)
        return []
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
    # Codes such as "K" or "SO20-28" name a file, not a policy.
    return title if len([w for w in title.split() if w.isalpha()]) >= 2 else ""


def _largest_line(page: list[PageLine]) -> str:
    """The first page's line in the largest type that reads as a title."""
    candidates = [
        line
        for line in page
        if 2 <= len([w for w in line.text.split() if w.isalpha()]) <= 15
        and not _NOT_A_TITLE.search(line.text)
    ]
    if not candidates:
        return ""
    largest = max(line.size for line in candidates)
    return next(line.text for line in candidates if line.size == largest)


def _first_line(lines: list[Line]) -> str:
    """A title from the first lines: words, not a page number, date or form label."""
    for line in lines[:15]:
        words = [word for word in line.text.split() if word.isalpha()]
        if 2 <= len(words) <= 15 and not _NOT_A_TITLE.search(line.text):
            return line.text.strip()
    return ""
