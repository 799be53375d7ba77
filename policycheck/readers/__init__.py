"""Turn one file into a Document: sniff the type from its bytes, read it, build sections."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policycheck.document import Document
from policycheck.errors import DocumentTooLarge, UnreadableDocument, UnsupportedFileType

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 50 * 2**20
DEFAULT_MAX_DOCX_UNCOMPRESSED = 200 * 2**20
DEFAULT_MAX_DOCX_RATIO = 200.0
DEFAULT_MAX_DOCX_MEMBERS = 2000
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
# Text named as one of these is most often an error page saved in place of a download.
BINARY_SUFFIXES = {".pdf": "a PDF", ".docx": "a Word document"}
# The main part's name, found in the zip's local headers and directory without parsing them:
# parsing a hostile directory is the DOCX reader's job, after its size checks.
_WORD_MAIN_PART = re.compile(rb"word/document\.xml", re.IGNORECASE)


@dataclass(frozen=True)
class ReadOptions:
    """Limits a reader enforces before it trusts a file, and the help it may use.

    The ``max_docx_*`` limits are checked from a Word file's zip directory before anything
    is decompressed: total uncompressed bytes, expansion ratio of a member, member count.
    ``page_workers`` processes may read a long PDF's pages; this process then runs
    ``meanwhile`` while they work (work the caller needs done anyway, such as loading the
    language pipeline). When no workers are used, ``meanwhile`` is not called.
    """

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_docx_uncompressed: int = DEFAULT_MAX_DOCX_UNCOMPRESSED
    max_docx_ratio: float = DEFAULT_MAX_DOCX_RATIO
    max_docx_members: int = DEFAULT_MAX_DOCX_MEMBERS
    page_workers: int = 1
    meanwhile: Callable[[], object] | None = None


# Formats a submission may come in that are not read, by their first bytes, and what to
# send instead.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or other Office 97-2003 file"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_OPEN_DOCUMENT = re.compile(rb"mimetypeapplication/vnd\.oasis\.opendocument")
SEND_INSTEAD = "save or export it as PDF (with a text layer) or .docx and check that"


def sniff_kind(data: bytes) -> str:
    """Say what the bytes are: ``pdf``, ``docx`` or ``text``; raise if none of them."""
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    for magic, what in _OTHER_FORMATS:
        if data.lstrip()[: len(magic)] == magic:
            raise UnsupportedFileType(f"{what}, which is not read: {SEND_INSTEAD}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a byte-order mark, as Windows Notepad saves "Unicode"
    if looks_like_text(data):
        return "text"
    raise UnsupportedFileType("not a PDF, Word (.docx) or text file")


def _sniff_zip(data: bytes) -> str:
    if _WORD_MAIN_PART.search(data):
        return "docx"
    if _OPEN_DOCUMENT.search(data[:200]):
        raise UnsupportedFileType(f"an OpenDocument file, which is not read: {SEND_INSTEAD}")
    raise UnsupportedFileType("a zip file, but not a Word document (no word/document.xml)")


def looks_like_text(data: bytes) -> bool:
    """True for UTF-8 (or Latin-1 without control bytes) text with no NUL bytes."""
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample's end is still text.
        if exc.start < len(sample) - 4:
            text = sample.decode("latin-1")
        else:
            text = sample[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def read_document(path: str | Path, options: ReadOptions | None = None) -> Document:
    """Read a policy file of any supported kind into a Document."""
    options = options or ReadOptions()
    path = Path(path)
    data = _read_bytes(path, options)
    kind = sniff_kind(data)
    _refuse_disguised_text(path, kind)
    document = _read_kind(kind, data, str(path), options)
    _note_suffix_mismatch(document, path, kind)
    return document


def _read_bytes(path: Path, options: ReadOptions) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnreadableDocument("not a regular file")
        if size > options.max_file_bytes:
            raise DocumentTooLarge(
                f"{size / 2**20:.1f} MB is over the {options.max_file_bytes / 2**20:.0f} MB limit"
                " (raise it with --max-file-mb)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(exc.strerror or str(exc)) from exc


def _refuse_disguised_text(path: Path, kind: str) -> None:
    """Refuse text named .pdf or .docx: type follows content, but this is rarely a policy."""
    expected = BINARY_SUFFIXES.get(path.suffix.lower())
    if kind == "text" and expected:
        raise UnreadableDocument(
            f"named {path.suffix} but holds plain text, not {expected} (perhaps an error page "
            "saved in place of a download); if it is the policy, rename it .txt"
        )


def _read_kind(kind: str, data: bytes, source: str, options: ReadOptions) -> Document:
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "pdf":
        from policycheck.readers.pdf import read_pdf

        return read_pdf(data, source, sha256, options.page_workers, options.meanwhile)
    if kind == "docx":
        return _read_docx(data, source, sha256, options)
    from policycheck.readers.text import read_text

    return read_text(data, source, sha256)


def _read_docx(data: bytes, source: str, sha256: str, options: ReadOptions) -> Document:
    from policycheck.readers.docx import DocxLimits, read_docx_blocks
    from policycheck.sections import build_sections

    limits = DocxLimits(
        max_uncompressed=options.max_docx_uncompressed,
        max_ratio=options.max_docx_ratio,
        max_members=options.max_docx_members,
    )
    content = read_docx_blocks(data, source, limits)
    # The title paragraph (level 0) names the document; it is not a section of it.
    blocks = [block for block in content.blocks if block.level != 0]
    return Document(
        source=source,
        sha256=sha256,
        kind="docx",
        pages=None,
        sections=build_sections(blocks),
        title=content.title,
        warnings=list(content.warnings),
    )


def _note_suffix_mismatch(document: Document, path: Path, kind: str) -> None:
    suffix = path.suffix.lower()
    expected = {"pdf": {".pdf"}, "docx": {".docx"}, "text": TEXT_SUFFIXES}[kind]
    if suffix and suffix not in expected:
        document.warnings.append(f"named {suffix} but the content is {kind}; read as {kind}")
        log.info("%s: suffix %s but content is %s", path, suffix, kind)
