"""Write the files agencies really upload when things go wrong, at test time, into a folder.

Each ``write_*`` function writes one bad file into ``folder`` and returns its path; nothing
here is checked in. ``BAD_FILES`` maps each kind's name to its writer.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx_fixtures import build_docx, para, repack, with_zero_member

SAMPLES = Path(__file__).resolve().parents[1] / "sample_policies"
GOOD_PDF = SAMPLES / "total_ban.pdf"
GOOD_DOCX = SAMPLES / "total_ban.docx"
POLICY_TEXT = (
    "300.1 Use of Force\n\nOfficers shall not use a chokehold or carotid restraint unless "
    "deadly force is authorized by law.\n"
)
ZIP_BOMB_MIB = 300
# Nine levels of ten: 10**9 "lol"s if a parser expanded them.
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">\n' for n in range(1, 10)
    )
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
SECRET_FILE = "/etc/hostname"
EXTERNAL_ENTITY = (
    f'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{SECRET_FILE}">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_PAGE_OBJECT = re.compile(rb"\d+ 0 obj\s*<<\s*/Type /Page\b.*?endobj", re.DOTALL)


def write_empty(folder: Path) -> Path:
    """A zero-byte upload."""
    return _write(folder / "empty.pdf", b"")


def write_random_bytes(folder: Path) -> Path:
    """Noise with no format at all, named as a Word file."""
    noise = random.Random(13929).randbytes(8192)
    return _write(folder / "random_bytes.docx", noise)


def write_text_named_pdf(folder: Path) -> Path:
    """Plain text renamed .pdf, as a web page or an error message saved for a download is."""
    return _write(folder / "text_named.pdf", POLICY_TEXT.encode())


def write_text_with_pdf_header(folder: Path) -> Path:
    """Text that starts like a PDF and is nothing more."""
    return _write(folder / "fake_header.pdf", b"%PDF-1.7\n" + POLICY_TEXT.encode())


def write_damaged_pdf(folder: Path) -> Path:
    """A PDF header followed by random bytes."""
    noise = random.Random(6).randbytes(16384)
    return _write(folder / "damaged.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + noise)


def write_truncated_pdf(folder: Path) -> Path:
    """The first half of a real PDF: a download cut short."""
    data = GOOD_PDF.read_bytes()
    return _write(folder / "truncated.pdf", data[: len(data) // 2])


def write_truncated_plain_pdf(folder: Path) -> Path:
    """The first half of an uncompressed PDF: every byte of it is plain ASCII."""
    data = _uncompressed_pdf()
    assert data.isascii()
    return _write(folder / "truncated_plain.pdf", data[: len(data) // 2])


def write_repairable_pdf(folder: Path) -> Path:
    """A real PDF whose cross-reference offset points at the wrong place; pdfium repairs it."""
    data = _resaved_pdf()
    match = list(_STARTXREF.finditer(data))[-1]
    wrong = str(int(match.group(1)) // 2).rjust(len(match.group(1)), "0").encode()
    return _write(folder / "repairable.pdf", data[: match.start(1)] + wrong + data[match.end(1) :])


def write_broken_pages_pdf(folder: Path) -> Path:
    """A real PDF whose page objects were overwritten: it opens, but no page loads."""
    data = bytearray(_resaved_pdf())
    for page in _PAGE_OBJECT.finditer(data):
        data[page.start() : page.end()] = b" " * (page.end() - page.start())
    return _write(folder / "broken_pages.pdf", bytes(data))


def write_user_password_pdf(folder: Path) -> Path:
    """A PDF that will not open without its user password."""
    return _write(folder / "user_password.pdf", _encrypted_pdf(user="open-sesame"))


def write_owner_password_pdf(folder: Path) -> Path:
    """A PDF restricted by an owner password only: anyone can open and read it."""
    return _write(folder / "owner_password.pdf", _encrypted_pdf(user=""))


def write_image_only_pdf(folder: Path) -> Path:
    """A scan: one page holding one picture and no text layer."""
    pdf = pdfium.PdfDocument.new()
    try:
        _add_image_page(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    finally:
        pdf.close()
    return _write(folder / "scan.pdf", buffer.getvalue())


def write_docx_named_pdf(folder: Path) -> Path:
    """A Word file renamed .pdf."""
    return _write(folder / "word_named.pdf", GOOD_DOCX.read_bytes())


def write_pdf_named_docx(folder: Path) -> Path:
    """A PDF renamed .docx."""
    return _write(folder / "pdf_named.docx", GOOD_PDF.read_bytes())


def write_zip_bomb_docx(folder: Path) -> Path:
    """A small Word file with a member that would inflate to hundreds of MiB of zeros."""
    bomb = with_zero_member(
        build_docx(para("Officers shall intervene.")), "word/media/image1.bin", ZIP_BOMB_MIB
    )
    return _write(folder / "zip_bomb.docx", bomb)


def write_billion_laughs_docx(folder: Path) -> Path:
    """A Word file whose body declares nested entities that would expand to gigabytes."""
    return _write(folder / "billion_laughs.docx", build_docx(document=BILLION_LAUGHS))


def write_external_entity_docx(folder: Path) -> Path:
    """A Word file whose body pulls in a local file through an external entity."""
    return _write(folder / "external_entity.docx", build_docx(document=EXTERNAL_ENTITY))


def write_oversized(folder: Path, size: int = 2 * 2**20) -> Path:
    """A text file of ``size`` bytes, to meet a lowered --max-file-mb."""
    line = POLICY_TEXT.encode()
    return _write(folder / "oversized.txt", (line * (size // len(line) + 1))[:size])


def write_stored_docx(folder: Path) -> Path:
    """A good Word file stored without compression, to meet lowered DOCX limits."""
    return _write(folder / "stored.docx", repack(GOOD_DOCX.read_bytes(), 0))


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "empty": write_empty,
    "random_bytes": write_random_bytes,
    "text_named_pdf": write_text_named_pdf,
    "text_with_pdf_header": write_text_with_pdf_header,
    "damaged_pdf": write_damaged_pdf,
    "truncated_pdf": write_truncated_pdf,
    "truncated_plain_pdf": write_truncated_plain_pdf,
    "broken_pages_pdf": write_broken_pages_pdf,
    "user_password_pdf": write_user_password_pdf,
    "image_only_pdf": write_image_only_pdf,
    "zip_bomb_docx": write_zip_bomb_docx,
    "billion_laughs_docx": write_billion_laughs_docx,
    "external_entity_docx": write_external_entity_docx,
}
"""The kinds that must be refused: each writer's file fails with a PolicyCheckError."""

ODD_BUT_READABLE: dict[str, Callable[[Path], Path]] = {
    "repairable_pdf": write_repairable_pdf,
    "owner_password_pdf": write_owner_password_pdf,
    "docx_named_pdf": write_docx_named_pdf,
    "pdf_named_docx": write_pdf_named_docx,
}
"""The kinds that are read, each with what the report must say about it."""


def write_all(folder: Path) -> dict[str, Path]:
    """Write every bad and odd file into ``folder``; the kind's name maps to its path."""
    writers = {**BAD_FILES, **ODD_BUT_READABLE}
    return {kind: writer(folder) for kind, writer in writers.items()}


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _uncompressed_pdf() -> bytes:
    """A one-page PDF written by hand, with no compressed stream, so all of it is ASCII."""
    content = b"BT /F1 12 Tf 72 720 Td (Officers shall not use a chokehold.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return data + b"startxref\n%d\n%%%%EOF\n" % xref


def _resaved_pdf() -> bytes:
    """The good sample rewritten by pypdf with a classic cross-reference table."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(GOOD_PDF.read_bytes()))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _encrypted_pdf(user: str) -> bytes:
    """The good sample encrypted; RC4 because pypdf writes it without a crypto library."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(GOOD_PDF.read_bytes()))
    writer.encrypt(user_password=user, owner_password="chief-only", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _add_image_page(pdf: pdfium.PdfDocument) -> None:
    """A letter page with a 200x100 picture of a black bar scaled across it."""
    page = pdf.new_page(612, 792)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, 200, 100)
    bitmap.fill_rect((0, 0, 0, 255), 20, 40, 160, 20)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(100, 400))
    page.insert_obj(image)
    page.gen_content()
