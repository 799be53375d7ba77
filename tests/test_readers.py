"""Readers: type sniffed from bytes, text faithful, running headers gone, pages kept."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from policycheck.errors import NeedsOCR, UnreadableDocument, UnsupportedFileType
from policycheck.readers import read_document, sniff_kind
from policycheck.readers.lines import Line, group_lines
from policycheck.readers.words import _DOUBLED, join_broken_word


def _all_text(document) -> str:
    return "\n".join(block.text for section in document.walk() for block in section.blocks)


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.4\n...", "pdf"), (b"Officers shall not.\n", "text"), (b"# Policy\n", "text")],
)
def test_sniff_kind(data, kind):
    assert sniff_kind(data) == kind


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02\x03" * 100])
def test_sniff_refuses_empty_and_binary(data):
    with pytest.raises(UnreadableDocument):
        sniff_kind(data)


def test_zip_that_is_not_word_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(UnsupportedFileType):
        read_document(path)


def test_pdf_named_docx_is_read_as_pdf_with_a_warning(tmp_path):
    renamed = tmp_path / "policy.docx"
    renamed.write_bytes((SAMPLES / "total_ban.pdf").read_bytes())
    document = read_document(renamed)
    assert document.kind == "pdf"
    assert any("named .docx" in warning for warning in document.warnings)


def test_pdf_blocks_carry_pages_and_sections():
    document = read_document(SAMPLES / "deadly_force_exception.pdf")
    assert document.pages == 2
    labels = [section.label for section in document.walk()]
    assert "300.4.2 Neck Restraints and Chokeholds" in labels
    items = [b for s in document.walk() for b in s.blocks if b.kind == "list_item"]
    assert items and all("prohibited unless" in (item.lead_in or "") for item in items[:3])


def test_docx_reads_headings_and_body():
    document = read_document(SAMPLES / "total_ban.docx")
    assert document.kind == "docx"
    assert document.title
    assert "shall not use a chokehold" in _all_text(document)


def test_text_reader_handles_markdown_headings_tables_and_escapes(tmp_path):
    path = tmp_path / "rule.md"
    path.write_text(
        "# 1.0 Use of Force\n\nOfficers shall not use chokeholds \\(see below\\).\n\n"
        "| Technique | Status |\n|---|---|\n| Carotid hold | Prohibited |\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.sections[0].label == "1.0 Use of Force"
    blocks = document.sections[0].blocks
    assert blocks[0].text == "Officers shall not use chokeholds (see below)."
    assert blocks[1].kind == "table_row" and blocks[1].lead_in == "Technique | Status"


def test_image_only_pdf_needs_ocr(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(612, 792)
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    with pytest.raises(NeedsOCR):
        read_document(path)


def test_running_headers_and_page_numbers_are_removed():
    from policycheck.readers.pdf_layout import PageLine, body_lines

    topics = ["arrest", "batons", "sprays", "holds", "reports"]
    pages = [
        [
            PageLine("City Police Manual", n, 0.04, 9.0, False),
            PageLine(f"Section on {topic}.", n, 0.30, 11.0, False, gap=180.0),
            PageLine(f"Use of Force - {n}", n, 0.95, 9.0, False, gap=500.0),
            PageLine(f"{n}", n, 0.97, 9.0, False, gap=12.0),
        ]
        for n, topic in enumerate(topics, start=1)
    ]
    lines = body_lines(pages)
    assert [line.text for line in lines] == [f"Section on {t}." for t in topics]
    assert [line.page for line in lines] == [1, 2, 3, 4, 5]


def test_text_repeated_in_the_body_is_kept():
    from policycheck.readers.pdf_layout import PageLine, body_lines

    pages = [[PageLine("Officers shall intervene.", n, 0.5, 11.0, False)] for n in range(1, 5)]
    assert len(body_lines(pages)) == 4


def test_larger_short_line_is_a_heading():
    from policycheck.readers.pdf_layout import PageLine, body_lines

    page = [
        PageLine("Respiratory Restraints", 1, 0.2, 14.0, False),
        PageLine(
            "A member shall not apply pressure to the throat of a person.",
            1,
            0.23,
            11.0,
            False,
            gap=20.0,
        ),
        PageLine("It is prohibited.", 1, 0.25, 11.0, False, gap=14.0),
    ]
    lines = body_lines([page])
    assert [line.heading for line in lines] == [True, False, False]


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        ("Of ficers shall not", "Officers shall not"),
        ("SU BJECT: USE OF FORCE", "SUBJECT: USE OF FORCE"),
        ("may not us e a chokehold", "may not use a chokehold"),
        ("UUSSEE OOFF FFOORRCCEE", "USE OF FORCE"),
        ("D E T R O I T POLICE", "DETROIT POLICE"),
        ("ﬁrearm ofﬁcers", "firearm officers"),
        ("life\ufffethreatening physi\ufffecal", "life-threatening physical"),
        ("in to the car", "in to the car"),
        # Two words are never glued into one because the word list lacks one of them.
        ("force by law enforcement", "force by law enforcement"),
        ("for a person or a vehicle, see the report", "for a person or a vehicle, see the report"),
        ("to arrest or act or resist", "to arrest or act or resist"),
        ("the M.F.F. and a F.O.R.C.E. team", "the M.F.F. and a F.O.R.C.E. team"),
        (
            "to re-energize or e-mail the officer's in-car unit",
            "to re-energize or e-mail the officer's in-car unit",
        ),
        ("the SART or a nurse", "the SART or a nurse"),
        # A soft hyphen splits a word; between two longer words it is a compound's.
        ("sub\ufffeject to sig\ufffenificant un\ufffeder", "subject to significant under"),
        ("part\ufffetime well\ufffebeing", "part-time well-being"),
    ],
)
def test_words_broken_by_extraction_come_out_whole(printed, repaired):
    from policycheck.readers.pdf_layout import clean_line

    assert clean_line(printed) == repaired


def test_line_end_hyphens_rejoined_only_into_words():
    assert join_broken_word("physi", "cal force") == "physical force"
    assert join_broken_word("life", "threatening") == "life-threatening"


def test_lines_grouped_into_paragraphs_items_and_headings():
    lines = [
        Line("300.3 USE OF FORCE", 1),
        Line("The following holds are prohibited except", 1),
        Line("where deadly force is authorized:", 1),
        Line("(a) Carotid holds;", 2),
        Line("(b) Chokeholds.", 2),
    ]
    blocks = group_lines(lines)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list_item", "list_item"]
    assert blocks[1].text.endswith("except where deadly force is authorized:")
    assert (
        blocks[3].lead_in == "The following holds are prohibited except where deadly force"
        " is authorized:"
    )
    assert blocks[3].location.page == 2


def test_block_across_pages_reports_the_page_of_each_part():
    blocks = group_lines([Line("Officers shall not use", 3), Line("a chokehold.", 4)])
    block = blocks[0]
    assert block.page_at(0) == 3
    assert block.page_at(block.text.index("chokehold")) == 4


def test_utf16_text_as_notepad_saves_it_is_read(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_bytes("Officers shall not use chokeholds.\n".encode("utf-16"))
    document = read_document(path)
    assert "shall not use chokeholds" in _all_text(document)


def test_numbered_capitals_lines_are_headings_in_plain_text(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text(
        "USE OF FORCE POLICY\n\n1. POLICY\n\nOfficers follow state law.\n\n"
        "2. NECK HOLDS\n\nChokeholds are prohibited.\n",
        encoding="utf-8",
    )
    labels = [section.label for section in read_document(path).walk()]
    assert "1. POLICY" in labels and "2. NECK HOLDS" in labels


def test_a_paragraph_over_a_million_characters_is_read(tmp_path):
    from policycheck.rules import Checker, load_pack

    path = tmp_path / "long.txt"
    path.write_text("Officers shall not use a chokehold under any circumstances. " * 17000)
    report = Checker(load_pack()).check(read_document(path))
    assert report.findings[0].verdict == "compliant"


def test_pdf_table_rows_are_rebuilt_with_their_header():
    """Cells that wrap onto a second line stay in their row and column."""
    document = read_document(SAMPLES / "table_ban.pdf")
    rows = [b for s in document.walk() for b in s.blocks if b.kind == "table_row"]
    texts = [row.text for row in rows]
    assert (
        "Chokehold or other neck restraint | Prohibited | Except where deadly force is "
        "authorized" in texts
    )
    assert all(row.lead_in == "Force option | Status | Conditions" for row in rows)


def test_lists_with_hanging_numbers_are_not_tables():
    from policycheck.readers.lines import Line, rebuild_tables

    lines = [
        Line("1. Firing into crowds.", 1, cells=((72.0, "1."), (108.0, "Firing into crowds."))),
        Line("2. Warning shots.", 1, cells=((72.0, "2."), (108.0, "Warning shots."))),
        Line("3. Firing at vehicles.", 1, cells=((72.0, "3."), (108.0, "Firing at vehicles."))),
    ]
    assert rebuild_tables(lines) == lines


# Faked bold, by definition: a word of three or more doubled lower-case letters, or two or
# more doubled capitals. The reader's pattern adds a lookahead to fail fast; it must find
# exactly these.
_DOUBLED_DEFINITION = re.compile(r"\b(?:(?:([A-Z])\1){2,}|(?:([a-z])\2){3,})\b")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="AaBbOoé -.'1", max_size=40))
def test_faked_bold_pattern_finds_what_its_definition_does(text):
    def undouble(match):
        return match.group(0)[::2]

    assert _DOUBLED.sub(undouble, text) == _DOUBLED_DEFINITION.sub(undouble, text)
