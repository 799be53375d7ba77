"""The DOCX reader: body text and structure as Word shows it, and hostile packages refused."""

from __future__ import annotations

import struct
import time
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx_fixtures import (
    build_docx,
    cell,
    document_xml,
    level,
    lexipol_levels,
    numbered_heading_styles,
    numbering_xml,
    para,
    paragraph_style,
    python_docx_bytes,
    repack,
    run,
    styles_xml,
    table,
    text_box,
    with_zero_member,
    zip_members,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycheck.errors import DocumentTooLarge, PolicyCheckError, UnreadableDocument
from policycheck.readers.docx import DocxContent, DocxLimits, read_docx_blocks

HEADING_STYLES = numbered_heading_styles()
SECTION_NUMBERING = numbering_xml(
    {
        1: lexipol_levels(),
    },
    {1: 1},
)
# Abstract 2: "1." then "(a)"; num 2 and 3 share it, num 4 restarts it at 1.
LIST_NUMBERING = numbering_xml(
    {2: [level(0, "decimal", "%1."), level(1, "lowerLetter", "(%2)")]},
    {2: 2, 3: 2, 4: 2},
    start_overrides={4: {0: 1}},
)
INTRO = "The following holds are prohibited except where deadly force is authorized:"


def read(data: bytes, limits: DocxLimits | None = None) -> DocxContent:
    return read_docx_blocks(data, "test.docx", limits)


def texts(data: bytes) -> list[str]:
    return [block.text for block in read(data).blocks]


# --- body order and tables ----------------------------------------------------------------


def test_paragraphs_and_tables_keep_document_order_and_running_index():
    document = docx.Document()
    document.add_paragraph("Officers shall use only the force that is reasonable.")
    rows = document.add_table(rows=2, cols=2)
    for r, values in enumerate([("Technique", "Status"), ("Chokehold", "Prohibited")]):
        for c, value in enumerate(values):
            rows.cell(r, c).text = value
    document.add_paragraph("Each use of force shall be reported.")
    blocks = read(python_docx_bytes(document)).blocks
    assert [(b.text, b.kind) for b in blocks] == [
        ("Officers shall use only the force that is reasonable.", "paragraph"),
        ("Chokehold | Prohibited", "table_row"),
        ("Each use of force shall be reported.", "paragraph"),
    ]
    assert [b.location.paragraph for b in blocks] == [0, 1, 2]
    assert all(b.location.page is None for b in blocks)


def test_each_table_row_carries_the_header_row_as_lead_in():
    data = build_docx(
        table(
            [
                ["Technique", "Status"],
                ["Chokehold", "Prohibited"],
                ["Carotid restraint", "Deadly force only"],
            ]
        )
    )
    blocks = read(data).blocks
    assert [(b.kind, b.text, b.lead_in) for b in blocks] == [
        ("table_row", "Chokehold | Prohibited", "Technique | Status"),
        ("table_row", "Carotid restraint | Deadly force only", "Technique | Status"),
    ]


def test_a_single_row_table_is_kept_as_data():
    assert texts(build_docx(table([["Policy 300", "Use of Force"]]))) == [
        "Policy 300 | Use of Force"
    ]


def test_merged_cells_are_not_repeated():
    document = docx.Document()
    grid = document.add_table(rows=3, cols=3)
    for r, values in enumerate(
        [
            ("Category", "Technique", "Notes"),
            ("Prohibited", "Chokehold", "Never"),
            ("", "Carotid hold", "Unless deadly force"),
        ]
    ):
        for c, value in enumerate(values):
            grid.cell(r, c).text = value
    grid.cell(1, 0).merge(grid.cell(2, 0))  # vertical merge down the first column
    grid.cell(0, 1).merge(grid.cell(0, 2))  # horizontal merge across the header
    blocks = read(python_docx_bytes(document)).blocks
    assert [b.text for b in blocks] == [
        "Prohibited | Chokehold | Never",
        "Carotid hold | Unless deadly force",
    ]
    assert blocks[0].lead_in == "Category | Technique Notes"


def test_text_left_in_a_merge_continuation_cell_is_not_read():
    # Word shows only the cell where a vertical merge starts, whatever the others hold.
    continued = "<w:tc><w:tcPr><w:vMerge/></w:tcPr>" + para("Prohibited") + "</w:tc>"
    started = '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + para("Prohibited") + "</w:tc>"
    rows = (
        "<w:tr>" + cell(para("Category")) + cell(para("Technique")) + "</w:tr>"
        "<w:tr>" + started + cell(para("Chokehold")) + "</w:tr>"
        "<w:tr>" + continued + cell(para("Carotid hold")) + "</w:tr>"
    )
    assert texts(build_docx(f"<w:tbl>{rows}</w:tbl>")) == ["Prohibited | Chokehold", "Carotid hold"]


def test_nested_table_is_flattened_into_its_cell():
    inner = table([["Chokehold", "Prohibited"], ["Carotid", "Restricted"]])
    outer = (
        "<w:tbl>"
        + "<w:tr>"
        + cell(para("Holds"))
        + cell(para("Rules"))
        + "</w:tr>"
        + "<w:tr>"
        + cell(para("Neck restraints"))
        + cell(para("See:") + inner)
        + "</w:tr></w:tbl>"
    )
    blocks = read(build_docx(outer)).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("table_row", "Neck restraints | See: Chokehold | Prohibited Carotid | Restricted")
    ]


# --- headings and title --------------------------------------------------------------------


def test_heading_styles_give_heading_kind_and_level():
    document = docx.Document()
    document.add_heading("Use of Force", level=1)
    document.add_heading("Procedures", level=2)
    document.add_heading("Carotid Control Hold", level=3)
    document.add_paragraph("Officers shall not use a carotid control hold.")
    blocks = read(python_docx_bytes(document)).blocks
    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 1),
        ("heading", 2),
        ("heading", 3),
        ("paragraph", None),
    ]


def test_custom_style_based_on_a_heading_style_is_a_heading():
    styles = styles_xml(
        paragraph_style("Heading2", "heading 2"),
        paragraph_style("PolicyHeading", "Policy Heading", based_on="Heading2"),
    )
    [block] = read(build_docx(para("Definitions", style="PolicyHeading"), styles=styles)).blocks
    assert (block.kind, block.level) == ("heading", 2)


def test_outline_level_makes_a_heading():
    [block] = read(build_docx(para("Deadly Force Applications", outline=1))).blocks
    assert (block.kind, block.level) == ("heading", 2)


def test_title_paragraph_is_level_zero_and_names_the_document():
    document = docx.Document()
    document.core_properties.title = "Template title"
    document.add_heading("Use of Force Policy 300", level=0)
    document.add_paragraph("Body text.")
    content = read(python_docx_bytes(document))
    assert content.title == "Use of Force Policy 300"
    assert (content.blocks[0].kind, content.blocks[0].level) == ("heading", 0)


def test_core_properties_title_is_used_without_a_title_paragraph():
    document = docx.Document()
    document.core_properties.title = "Response to Resistance"
    document.add_paragraph("Body text.")
    assert read(python_docx_bytes(document)).title == "Response to Resistance"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (para("Prohibited Holds", bold=True), "heading"),
        (para("PROHIBITED HOLDS"), "heading"),
        (para(content=run("Prohibited ") + run("Holds", caps=True)), "paragraph"),
        (para(content=run("Prohibited Holds", caps=True)), "heading"),
        (para("Officers shall not use chokeholds.", bold=True), "paragraph"),
        (
            para(
                "Officers shall not use chokeholds or any other neck restraint unless deadly "
                "force is authorized",
                bold=True,
            ),
            "paragraph",
        ),
        (para(content=run("Prohibited ", bold=True) + run("Holds")), "paragraph"),
        (para("Prohibited Holds"), "paragraph"),
    ],
    ids=[
        "bold",
        "capitals",
        "partly-caps",
        "caps-format",
        "ends-in-period",
        "twelve-words",
        "partly-bold",
        "plain",
    ],
)
def test_short_bold_or_capital_line_is_a_heading_without_level(body, kind):
    [block] = read(build_docx(body)).blocks
    assert block.kind == kind
    assert block.level is None


def test_bold_paragraph_style_counts_as_bold():
    styles = styles_xml(paragraph_style("Strong", "Strong Line", bold=True))
    [block] = read(build_docx(para("Reporting Requirements", style="Strong"), styles=styles)).blocks
    assert block.kind == "heading"


# --- generated numbers ---------------------------------------------------------------------


def test_heading_numbers_are_rebuilt_from_numbering_and_restart_below_a_new_level():
    body = (
        para("Use of Force", style="Heading1")
        + "".join(para(title, style="Heading2") for title in ("Purpose", "Policy", "Procedures"))
        + "".join(para(f"Hold {n}", style="Heading3") for n in (1, 2, 3))
        + para("Carotid Control Hold", style="Heading3")
        + para("Reporting", style="Heading2")
        + para("Supervisor Review", style="Heading3")
    )
    blocks = read(build_docx(body, styles=HEADING_STYLES, numbering=SECTION_NUMBERING)).blocks
    assert [b.text for b in blocks] == [
        "300 Use of Force",
        "300.1 Purpose",
        "300.2 Policy",
        "300.3 Procedures",
        "300.3.1 Hold 1",
        "300.3.2 Hold 2",
        "300.3.3 Hold 3",
        "300.3.4 Carotid Control Hold",
        "300.4 Reporting",
        "300.4.1 Supervisor Review",
    ]
    assert [b.level for b in blocks] == [1, 2, 2, 2, 3, 3, 3, 3, 2, 3]


def test_lettered_items_restart_after_a_higher_level():
    body = (
        para("Deadly force is authorized when:", num=(2, 0))
        + para("the officer faces an imminent threat;", num=(2, 1))
        + para("no lesser option is available.", num=(2, 1))
        + para("Warning shots are prohibited.", num=(2, 0))
        + para("No exception applies.", num=(2, 1))
    )
    assert texts(build_docx(body, numbering=LIST_NUMBERING)) == [
        "1. Deadly force is authorized when:",
        "(a) the officer faces an imminent threat;",
        "(b) no lesser option is available.",
        "2. Warning shots are prohibited.",
        "(a) No exception applies.",
    ]


def test_start_override_restarts_a_list_and_a_plain_instance_continues_it():
    body = (
        para("First.", num=(2, 0))
        + para("Second.", num=(2, 0))
        + para("Continued.", num=(3, 0))
        + para("Restarted.", num=(4, 0))
        + para("Next.", num=(4, 0))
    )
    assert texts(build_docx(body, numbering=LIST_NUMBERING)) == [
        "1. First.",
        "2. Second.",
        "3. Continued.",
        "1. Restarted.",
        "2. Next.",
    ]


def test_level_that_never_restarts_keeps_counting():
    numbering = numbering_xml(
        {5: [level(0, "decimal", "%1)"), level(1, "lowerRoman", "%2)", restart=0)]}, {5: 5}
    )
    body = "".join(
        para(text, num=(5, ilvl))
        for text, ilvl in [("One", 0), ("a", 1), ("b", 1), ("Two", 0), ("c", 1)]
    )
    assert texts(build_docx(body, numbering=numbering)) == [
        "1) One",
        "i) a",
        "ii) b",
        "2) Two",
        "iii) c",
    ]


def test_empty_numbered_paragraph_takes_its_number_but_a_deleted_one_does_not():
    deleted = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>'
        '<w:rPr><w:del w:id="1" w:author="Chief"/></w:rPr></w:pPr><w:del w:id="2" '
        'w:author="Chief"><w:r><w:delText>Withdrawn.</w:delText></w:r></w:del></w:p>'
    )
    body = deleted + para("First.", num=(2, 0)) + para("", num=(2, 0)) + para("Third.", num=(2, 0))
    # Word shows a blank "2." line for the empty paragraph; the deleted one is gone.
    assert texts(build_docx(body, numbering=LIST_NUMBERING)) == ["1. First.", "3. Third."]


@pytest.mark.parametrize(
    ("fmt", "start", "expected"),
    [
        ("decimal", 4, "4."),
        ("lowerLetter", 4, "d."),
        ("upperLetter", 4, "D."),
        ("lowerRoman", 4, "iv."),
        ("upperRoman", 14, "XIV."),
        ("lowerLetter", 27, "aa."),
        ("decimalZero", 7, "07."),
    ],
)
def test_number_formats(fmt, start, expected):
    numbering = numbering_xml({6: [level(0, fmt, "%1.", start=start)]}, {6: 6})
    assert texts(build_docx(para("Item", num=(6, 0)), numbering=numbering)) == [f"{expected} Item"]


def test_bullets_and_numbers_from_word_list_styles():
    document = docx.Document()
    document.add_paragraph("Chokeholds", style="List Bullet")
    document.add_paragraph("", style="List Bullet").add_run("CAROTID HOLDS").bold = True
    document.add_paragraph("Report the use of force.", style="List Number")
    document.add_paragraph("Request medical aid.", style="List Number")
    blocks = read(python_docx_bytes(document)).blocks
    assert [b.text for b in blocks] == [
        "\u2022 Chokeholds",
        "\u2022 CAROTID HOLDS",
        "1. Report the use of force.",
        "2. Request medical aid.",
    ]
    # A short bold item is still a list item: bullets never start a section.
    assert {b.kind for b in blocks} == {"list_item"}


def test_numbered_paragraph_that_is_not_a_heading_is_a_list_item_with_its_lead_in():
    body = (
        para(INTRO)
        + para("Chokeholds.", num=(2, 1))
        + para("Carotid holds.", num=(2, 1))
        + para("Officers shall report any use of force to a supervisor as follows:")
        + para("in writing.", num=(4, 0))
    )
    blocks = read(build_docx(body, numbering=LIST_NUMBERING)).blocks
    assert [(b.kind, b.text, b.lead_in) for b in blocks] == [
        ("paragraph", INTRO, None),
        ("list_item", "(a) Chokeholds.", INTRO),
        ("list_item", "(b) Carotid holds.", INTRO),
        ("paragraph", "Officers shall report any use of force to a supervisor as follows:", None),
        (
            "list_item",
            "1. in writing.",
            "Officers shall report any use of force to a supervisor as follows:",
        ),
    ]


def test_undefined_numbering_keeps_the_text_and_warns():
    content = read(build_docx(para("Officers shall intervene.", num=(9, 0))))
    assert [b.text for b in content.blocks] == ["Officers shall intervene."]
    assert any("numbering 9" in warning for warning in content.warnings)


def test_garbage_numbering_values_do_not_stop_reading():
    numbering = numbering_xml(
        {
            7: [
                '<w:lvl w:ilvl="zero"><w:start w:val="x"/></w:lvl>',
                '<w:lvl w:ilvl="1"><w:start w:val="99999999999999999999"/>'
                '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2%9%1)"/></w:lvl>',
            ]
        },
        {7: 7},
    )
    body = para("Kept.", num=(7, 0)) + para("Also kept.", num=(7, 1))
    assert texts(build_docx(body, numbering=numbering)) == [
        "Kept.",
        "99999999999999999999) Also kept.",
    ]


# --- text boxes, content controls, tracked changes ------------------------------------------


def test_text_box_text_is_kept_once_where_it_is_anchored():
    box = text_box(para("Officers shall de-escalate.") + para("Officers shall intervene."))
    anchored = box.replace("<w:p><w:r>", "<w:p>" + run("See the box:") + "<w:r>", 1)
    body = para("Before the box.") + anchored + para("After the box.")
    assert texts(build_docx(body)) == [
        "Before the box.",
        "See the box:",
        "Officers shall de-escalate.",
        "Officers shall intervene.",
        "After the box.",
    ]


def test_content_control_text_is_kept_in_place():
    inline = (
        '<w:sdt><w:sdtPr><w:alias w:val="Agency"/></w:sdtPr><w:sdtContent>'
        + run("Springfield Police Department")
        + "</w:sdtContent></w:sdt>"
    )
    block = (
        '<w:sdt><w:sdtPr><w:alias w:val="Scope"/></w:sdtPr><w:sdtContent>'
        + para("This policy applies to all sworn members.")
        + "</w:sdtContent></w:sdt>"
    )
    body = para(content=run("The ") + inline + run(" adopts this policy.")) + block
    assert texts(build_docx(body)) == [
        "The Springfield Police Department adopts this policy.",
        "This policy applies to all sworn members.",
    ]


def test_tracked_insertions_are_kept_and_deletions_dropped():
    changed = para(
        content=(
            run("Officers ")
            + '<w:ins w:id="1" w:author="Chief">'
            + run("shall not")
            + "</w:ins>"
            + '<w:del w:id="2" w:author="Chief"><w:r><w:delText>may</w:delText></w:r></w:del>'
            + '<w:moveFrom w:id="3" w:author="Chief">'
            + run(" moved away")
            + "</w:moveFrom>"
            + run(" use chokeholds.")
        )
    )
    deleted_row = (
        "<w:tbl><w:tr>" + cell(para("Hold")) + "</w:tr>"
        '<w:tr><w:trPr><w:del w:id="4" w:author="Chief"/></w:trPr>'
        + cell(para("Deleted row"))
        + "</w:tr><w:tr>"
        + cell(para("Kept row"))
        + "</w:tr></w:tbl>"
    )
    content = read(build_docx(changed + deleted_row))
    assert [b.text for b in content.blocks] == ["Officers shall not use chokeholds.", "Kept row"]
    assert any("tracked changes" in warning for warning in content.warnings)


# --- what is not body text -----------------------------------------------------------------


def test_comments_headers_and_footers_are_not_body_blocks():
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "HEADER Lexipol Policy Manual"
    section.footer.paragraphs[0].text = "FOOTER Page 1"
    body = document.add_paragraph("Officers shall intervene.")
    document.add_comment(body.runs[0], text="COMMENT check with counsel", author="Lt. Ray")
    all_text = " ".join(texts(python_docx_bytes(document)))
    assert all_text == "Officers shall intervene."


def test_footnotes_and_field_instructions_are_not_body_text():
    footnotes = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        '2006/main"><w:footnote w:id="1"><w:p><w:r><w:t>FOOTNOTE Graham v. Connor'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK '
        '"https://example.org/manual" </w:instrText></w:r><w:r><w:fldChar '
        'w:fldCharType="separate"/></w:r>'
        + run("the Policy Manual")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    body = para(
        content=run("See ") + field + '<w:r><w:footnoteReference w:id="1"/></w:r>' + run(".")
    )
    data = build_docx(body, extra={"word/footnotes.xml": footnotes})
    assert texts(data) == ["See the Policy Manual."]


def test_breaks_tabs_and_hyphens_become_plain_text_and_empty_paragraphs_are_skipped():
    document = docx.Document()
    paragraph = document.add_paragraph("Line one")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("line\ttwo   spaced")
    document.add_paragraph("")
    document.add_paragraph("   ")
    hyphens = para(
        content=(
            "<w:r><w:t>non</w:t><w:noBreakHyphen/><w:t>lethal dis</w:t>"
            "<w:softHyphen/><w:t>charge</w:t></w:r>"
        )
    )
    assert texts(python_docx_bytes(document)) == ["Line one line two spaced"]
    assert texts(build_docx(hyphens)) == ["non-lethal discharge"]


# --- refused packages ----------------------------------------------------------------------


def _forbid_decompression(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a member was decompressed before the limits were checked")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_zip_bomb_is_refused_from_the_directory_without_decompressing(monkeypatch):
    bomb = with_zero_member(build_docx(para("Text.")), "word/media/image1.bin", 300)
    _forbid_decompression(monkeypatch)
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match=r"300\.0 MiB .* limit of 200\.0 MiB"):
        read(bomb)
    assert time.perf_counter() - started < 1.0


def test_member_with_a_bomb_like_ratio_is_refused(monkeypatch):
    data = with_zero_member(build_docx(para("Text.")), "word/media/image1.bin", 2)
    _forbid_decompression(monkeypatch)
    with pytest.raises(DocumentTooLarge, match=r"word/media/image1\.bin expands \d+ times"):
        read(data)


def test_limits_are_configurable():
    data = build_docx(para("Officers shall intervene."), compression=zipfile.ZIP_STORED)
    assert texts(data) == ["Officers shall intervene."]
    with pytest.raises(DocumentTooLarge, match="uncompressed"):
        read(data, DocxLimits(max_uncompressed=len(data) // 4))


def test_too_many_members_is_refused():
    extra = {f"word/media/pad{n}.txt": b"" for n in range(2001)}
    data = build_docx(para("Text."), extra=extra)
    with pytest.raises(DocumentTooLarge, match=r"\d{4} members, over the limit of 2000"):
        read(data)


def test_directory_too_big_for_the_member_limit_is_refused_before_zipfile_reads_it(monkeypatch):
    members = {f"word/{'x' * 300}{n}.xml": b"" for n in range(40)}
    data = bytearray(build_docx(para("Text."), extra=members))
    # Make the end record claim a single entry, as a crafted file would to slip past a count.
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 1, 1)

    def refuse(*args, **kwargs):
        raise AssertionError("zipfile parsed the whole directory")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    with pytest.raises(DocumentTooLarge, match="directory takes"):
        read(bytes(data), DocxLimits(max_members=10))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t w:x="&lol9;">&lol9;</w:t></w:r></w:p></w:body></w:document>'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def test_billion_laughs_doctype_is_refused_quickly():
    started = time.perf_counter()
    with pytest.raises(UnreadableDocument, match="DOCTYPE"):
        read(build_docx(document=BILLION_LAUGHS))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("part", ["document", "styles", "numbering", "core"])
def test_external_entity_is_refused_in_any_part_and_never_read(part):
    hostile = XXE.encode()
    parts = {"document": None, "styles": None, "numbering": None, "core": None, part: hostile}
    data = build_docx(
        para("Body."),
        document=parts["document"],
        styles=parts["styles"],
        numbering=parts["numbering"],
        extra={"docProps/core.xml": parts["core"]} if parts["core"] else None,
    )
    with pytest.raises(UnreadableDocument, match="DOCTYPE") as refused:
        read(data)
    assert "root:" not in str(refused.value)


def test_doctype_in_a_utf16_part_is_refused():
    with pytest.raises(UnreadableDocument, match="DOCTYPE"):
        read(
            build_docx(
                document=XXE.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16")
            )
        )


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04broken", b"plain text, not a zip"]
)
def test_bytes_that_are_not_a_zip_are_unreadable(data):
    with pytest.raises(UnreadableDocument):
        read(data)


def test_zip_without_word_document_is_not_a_word_document():
    with pytest.raises(UnreadableDocument, match="not a Word document"):
        read(zip_members({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": "<Types/>"}))


def test_unsafe_compression_method_is_refused():
    with pytest.raises(UnreadableDocument, match="compression"):
        read(build_docx(para("Text."), compression=zipfile.ZIP_BZIP2))


def test_damaged_document_xml_is_unreadable_but_damaged_styles_only_warn():
    with pytest.raises(UnreadableDocument, match="damaged"):
        read(build_docx(document="<w:document><w:body>"))
    content = read(build_docx(para("Kept."), styles="<w:styles"))
    assert [b.text for b in content.blocks] == ["Kept."]
    assert any("styles.xml" in warning for warning in content.warnings)


# --- fuzzing -------------------------------------------------------------------------------


def _small_real_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Use of Force", level=1)
    document.add_paragraph(INTRO)
    document.add_paragraph("Chokeholds", style="List Bullet")
    document.add_paragraph("Report it.", style="List Number")
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(1, 1).text = "Technique", "Prohibited"
    return python_docx_bytes(document)


SMALL_DOCX = _small_real_docx()
FUZZ_PARTS = {
    "word/document.xml": document_xml(
        para(INTRO)
        + para("Chokeholds.", num=(2, 1))
        + text_box(para("Box."))
        + table([["A", "B"], ["C", "D"]])
        + para("Heading", style="Heading2")
    ).encode(),
    "word/numbering.xml": LIST_NUMBERING.encode(),
    "word/styles.xml": HEADING_STYLES.encode(),
}
MUTATIONS = st.lists(
    st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=1)), min_size=1, max_size=8
)


def _mutate(data: bytes, mutations: list[tuple[int, bytes]]) -> bytes:
    mutated = bytearray(data)
    for position, value in mutations:
        mutated[position % len(mutated)] = value[0]
    return bytes(mutated)


def _read_or_refuse(data: bytes) -> None:
    try:
        content = read(data)
    except PolicyCheckError:
        return  # a refusal the user can act on is the acceptable failure
    assert all(block.text for block in content.blocks)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stored=st.booleans(), mutations=MUTATIONS)
def test_damaged_package_bytes_raise_only_policycheck_errors(stored, mutations):
    data = repack(SMALL_DOCX, zipfile.ZIP_STORED) if stored else SMALL_DOCX
    _read_or_refuse(_mutate(data, mutations))


XML_BYTES = st.sampled_from(list(b'0123456789<>/"=:% abw')).map(lambda b: bytes([b]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    part=st.sampled_from(sorted(FUZZ_PARTS)),
    mutations=st.lists(
        st.tuples(st.integers(min_value=0), XML_BYTES | st.binary(min_size=1, max_size=1)),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_xml_parts_raise_only_policycheck_errors(part, mutations):
    parts = dict(FUZZ_PARTS)
    parts[part] = _mutate(parts[part], mutations)
    _read_or_refuse(
        build_docx(
            document=parts["word/document.xml"],
            numbering=parts["word/numbering.xml"],
            styles=parts["word/styles.xml"],
        )
    )


def test_an_xml_part_too_large_to_parse_in_bounded_memory_is_refused():
    """A 40 MiB document.xml would cost over half a GiB to parse: refused before parsing."""
    import io
    import zipfile

    from policycheck.errors import DocumentTooLarge
    from policycheck.readers.docx import DocxLimits, read_docx_blocks

    body = b"<w:p><w:r><w:t>Officers shall not use chokeholds.</w:t></w:r></w:p>" * 20000
    xml = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", xml)
    limits = DocxLimits(max_xml_part=len(xml) - 1)
    with pytest.raises(DocumentTooLarge, match="for one part"):
        read_docx_blocks(buffer.getvalue(), "big.docx", limits)
    assert read_docx_blocks(buffer.getvalue(), "big.docx").blocks


def test_sizes_in_refusals_read_as_given():
    from policycheck.readers.docx.package import _mib

    assert [_mib(size) for size in (300 * 2**20, 2**20 // 10, 1024, 999)] == [
        "300.0 MiB",
        "0.1 MiB",
        "1.0 KiB",
        "999 bytes",
    ]
