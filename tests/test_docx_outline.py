"""Golden outlines for Word files built at test time, one point of the DOCX reader in each part.

No agency DOCX was found for the corpus, so these documents stand in for one: body order with
a table, table rows under their header row, section and list numbers Word generates from its
numbering definitions ("300.3.4", "(a)"), headings from style, outline level, bold and
capitals, text boxes and content controls kept, tracked insertions kept and deletions dropped,
and comments, headers and footers kept out of the body.
"""

from __future__ import annotations

import docx
import pytest
from click.testing import CliRunner
from docx_fixtures import (
    build_docx,
    level,
    lexipol_levels,
    numbered_heading_styles,
    numbering_xml,
    para,
    python_docx_bytes,
    run,
    table,
    text_box,
)

from policycheck.cli import main
from policycheck.readers import read_document

STYLES = numbered_heading_styles()
# Headings number 300, 300.1, 300.1.1 from their styles; list 2 letters its items "(a)".
NUMBERING = numbering_xml(
    {
        1: lexipol_levels(),
        2: [level(0, "lowerLetter", "(%1)")],
    },
    {1: 1, 2: 2},
)
LEAD_IN = "The carotid control hold is prohibited except where deadly force is authorized:"
HEADER_ROW = "Term | Meaning"

GENERATED_OUTLINE = """\
300 Use of Force
  300.1 Purpose and Scope
  300.2 Policy
  300.3 Procedures
    300.3.1 Verbal Warnings
    300.3.2 Pain Compliance
    300.3.3 Batons
    300.3.4 Carotid Control Hold
  Deadly Force Applications
    Reporting Requirements
    MEDICAL CONSIDERATIONS
"""
GENERATED_BLOCKS = {
    "300 Use of Force": [],
    "300.1 Purpose and Scope": [
        ("paragraph", "This policy applies to all sworn members.", None),
        ("table_row", "Chokehold | Pressure on the throat", HEADER_ROW),
        ("table_row", "Carotid hold | Pressure on the sides of the neck", HEADER_ROW),
    ],
    "300.2 Policy": [("paragraph", "Officers shall use only reasonable force.", None)],
    "300.3 Procedures": [],
    "300.3.1 Verbal Warnings": [],
    "300.3.2 Pain Compliance": [],
    "300.3.3 Batons": [],
    "300.3.4 Carotid Control Hold": [
        ("paragraph", LEAD_IN, None),
        ("list_item", "(a) when the officer faces an imminent threat of death;", LEAD_IN),
        ("list_item", "(b) when no lesser option is available.", LEAD_IN),
    ],
    "Deadly Force Applications": [
        ("paragraph", "Officers shall request medical aid after any use of deadly force.", None)
    ],
    "Reporting Requirements": [
        ("paragraph", "Every use of force is reported to a supervisor.", None)
    ],
    "MEDICAL CONSIDERATIONS": [("paragraph", "Medical aid is requested for anyone injured.", None)],
}

STYLED_OUTLINE = """\
Purpose
Procedures
  Neck Restraints
"""
STYLED_BLOCKS = {
    "Purpose": [("paragraph", "Officers use only the force that is reasonable.", None)],
    "Procedures": [
        ("table_row", "Chokehold | Prohibited", "Technique | Status"),
        ("paragraph", "Each use of force is reported.", None),
    ],
    "Neck Restraints": [("paragraph", "Officers shall not use a chokehold.", None)],
}


def _tracked(inserted: str, deleted: str) -> str:
    return (
        '<w:ins w:id="1" w:author="Chief">' + run(inserted) + "</w:ins>"
        f'<w:del w:id="2" w:author="Chief"><w:r><w:delText>{deleted}</w:delText></w:r>'
        "</w:del>"
    )


def generated_numbers_docx() -> bytes:
    """Numbered heading styles, a list, outline-level, bold and capital headings, a content
    control, a table, a text box and tracked changes, written as Word writes them."""
    control = (
        '<w:sdt><w:sdtPr><w:alias w:val="Scope"/></w:sdtPr><w:sdtContent>'
        + para("This policy applies to all sworn members.")
        + "</w:sdtContent></w:sdt>"
    )
    procedures = "".join(
        para(title, style="Heading3") for title in ("Verbal Warnings", "Pain Compliance", "Batons")
    )
    body = (
        para("Use of Force", style="Heading1")
        + para("Purpose and Scope", style="Heading2")
        + control
        + table(
            [
                ["Term", "Meaning"],
                ["Chokehold", "Pressure on the throat"],
                ["Carotid hold", "Pressure on the sides of the neck"],
            ]
        )
        + para("Policy", style="Heading2")
        + para(
            content=run("Officers ") + _tracked("shall", "may") + run(" use only reasonable force.")
        )
        + para("Procedures", style="Heading2")
        + procedures
        + para("Carotid Control Hold", style="Heading3")
        + para(LEAD_IN)
        + para("when the officer faces an imminent threat of death;", num=(2, 0))
        + para("when no lesser option is available.", num=(2, 0))
        + para("Deadly Force Applications", outline=1)
        + text_box(para("Officers shall request medical aid after any use of deadly force."))
        + para("Reporting Requirements", bold=True)
        + para("Every use of force is reported to a supervisor.")
        + para("MEDICAL CONSIDERATIONS")
        + para("Medical aid is requested for anyone injured.")
    )
    return build_docx(body, styles=STYLES, numbering=NUMBERING)


def styled_docx() -> bytes:
    """Word's own heading styles, a table between paragraphs, a running header and footer
    and a comment, saved by python-docx."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "HEADER Springfield Police Manual"
    section.footer.paragraphs[0].text = "FOOTER Page 1"
    document.add_heading("Purpose", level=1)
    purpose = document.add_paragraph("Officers use only the force that is reasonable.")
    document.add_comment(purpose.runs[0], text="COMMENT check with counsel", author="Lt. Ray")
    document.add_heading("Procedures", level=1)
    rows = document.add_table(rows=2, cols=2)
    for r, values in enumerate([("Technique", "Status"), ("Chokehold", "Prohibited")]):
        for c, value in enumerate(values):
            rows.cell(r, c).text = value
    document.add_paragraph("Each use of force is reported.")
    document.add_heading("Neck Restraints", level=2)
    document.add_paragraph("Officers shall not use a chokehold.")
    return python_docx_bytes(document)


BUILDERS = {"generated": generated_numbers_docx, "styled": styled_docx}
EXPECTED = {
    "generated": (GENERATED_OUTLINE, GENERATED_BLOCKS),
    "styled": (STYLED_OUTLINE, STYLED_BLOCKS),
}


@pytest.fixture(params=sorted(BUILDERS))
def built(request, tmp_path):
    path = tmp_path / f"{request.param}.docx"
    path.write_bytes(BUILDERS[request.param]())
    return request.param, path


def test_outline_is_the_golden(built):
    name, path = built
    result = CliRunner().invoke(main, ["outline", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED[name][0]


def test_each_section_holds_its_blocks_in_body_order(built):
    name, path = built
    document = read_document(path)
    blocks = {
        section.label: [(b.kind, b.text, b.lead_in) for b in section.blocks]
        for section in document.walk()
    }
    assert blocks == EXPECTED[name][1]


def test_deleted_text_comments_headers_and_footers_stay_out(built):
    _, path = built
    text = " ".join(b.text for s in read_document(path).walk() for b in s.blocks)
    for absent in ("may", "COMMENT", "HEADER", "FOOTER"):
        assert absent not in text.split()
