"""Section headings in the numbering schemes real policies use, nested as written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycheck.document import Block
from policycheck.sections import (
    _MAY_BE_NUMBERED,
    _NUMBER_PATTERNS,
    build_sections,
    heading_parts,
    split_number,
)


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("300.3.4 CAROTID CONTROL HOLD", "300.3.4", "CAROTID CONTROL HOLD"),
        ("4.30 Use of Force", "4.30", "Use of Force"),
        ("12.545 USE OF FORCE", "12.545", "USE OF FORCE"),
        ("304.2 - 4.3 Prohibited Holds", "304.2 - 4.3", "Prohibited Holds"),
        ("E-01 Use of Force", "E-01", "Use of Force"),
        ("IV. PROCEDURES", "IV.", "PROCEDURES"),
        (
            "D. Prohibited Responses to Resistance - Chokeholds",
            "D.",
            "Prohibited Responses to Resistance - Chokeholds",
        ),
        ("DEFINITIONS", "", "DEFINITIONS"),
        ("3-1 Authority", "3-1", "Authority"),
        ("2-52-4 Use of Force Requirements", "2-52-4", "Use of Force Requirements"),
        ("PR300.4.1 LEVEL 1", "PR300.4.1", "LEVEL 1"),
        ("D. Patrol Rifles (Carbines)", "D.", "Patrol Rifles (Carbines)"),
    ],
)
def test_headings_recognised(line, number, title):
    parts = heading_parts(line)
    assert parts is not None
    assert (parts.number, parts.title) == (number, title)


@pytest.mark.parametrize(
    "line",
    [
        "1. Officers shall not use a chokehold unless deadly force is justified.",
        "(a) The carotid control hold may only be used when",
        "F. The Force Matrix is broken down into the following five levels:",
        "ILCS 720 5/7-5, ILCS 720 5/7-5.5",
        "Use of Force .......................... 39",
        "SUSPICIOUS ACTIVITY REPORTING . . 388",
        "Officers shall intervene.",
        "1.3.10 1.3.11 1.3.12 4.1.2",
        "A. Pursuant to Chapter 720 ICLS, Act 5/ Article 7, an",
        "C. Definitions. (A 1.3.2)",
        "2-52-5: Use of Force Training and",
    ],
)
def test_sentences_and_list_items_are_not_headings(line):
    assert heading_parts(line) is None


def test_sections_nest_by_numbering_depth():
    blocks = [
        Block("300.1 PURPOSE", kind="heading"),
        Block("Text one."),
        Block("300.1.1 DEFINITIONS", kind="heading"),
        Block("Text two."),
        Block("300.2 POLICY", kind="heading"),
        Block("A. General", kind="heading"),
        Block("Text three."),
    ]
    sections = build_sections(blocks)
    assert [s.label for s in sections] == ["300.1 PURPOSE", "300.2 POLICY"]
    assert [c.label for c in sections[0].children] == ["300.1.1 DEFINITIONS"]
    assert sections[1].children[0].blocks[0].text == "Text three."


def test_text_before_the_first_heading_is_kept_in_front_matter():
    sections = build_sections([Block("Issued 2020."), Block("1.0 SCOPE", kind="heading")])
    assert sections[0].title == "(front matter)"
    assert sections[0].blocks[0].text == "Issued 2020."


def _outline(sections) -> list[str]:
    return [f"{'  ' * (s.level - 1)}{s.label}" for top in sections for s in top.walk()]


def test_typeset_list_numbers_head_sections():
    blocks = [
        Block("1. Purpose", kind="heading"),
        Block("Text."),
        Block("(a) Scope", kind="heading"),
        Block("More text."),
    ]
    assert _outline(build_sections(blocks)) == ["1. Purpose", "  (a) Scope"]


def test_hyphen_chained_numbers_nest_by_their_parts():
    blocks = [
        Block("2-52 USE OF FORCE", kind="heading"),
        Block("2-52-1 Purpose", kind="heading"),
        Block("2-52-2 Policy", kind="heading"),
    ]
    assert _outline(build_sections(blocks)) == [
        "2-52 USE OF FORCE",
        "  2-52-1 Purpose",
        "  2-52-2 Policy",
    ]


def test_lettered_paragraphs_are_sections_unless_a_lead_in_introduces_them():
    blocks = [
        Block("401.04 DEADLY FORCE", kind="heading"),
        Block(
            "A. Authorization. Police personnel may use deadly force only when needed.",
            kind="list_item",
        ),
        Block("1. Justification is limited to what the officer knew.", kind="list_item"),
        Block("D. Vascular Neck Restraint. Certified officers may use it.", kind="list_item"),
        Block("The following holds are prohibited:"),
        Block("A. Chokeholds.", kind="list_item", lead_in="The following holds are prohibited:"),
    ]
    sections = build_sections(blocks)
    assert _outline(sections) == [
        "401.04 DEADLY FORCE",
        "  A. Authorization",
        "  D. Vascular Neck Restraint",
    ]
    restraint = sections[0].children[1]
    assert [b.kind for b in restraint.blocks] == ["list_item", "paragraph", "list_item"]
    assert restraint.blocks[0].text.startswith("D. Vascular Neck Restraint. Certified")


def test_letter_i_after_h_continues_the_letters():
    blocks = [
        Block("III. DEFINITIONS", kind="heading"),
        Block("H. Reasonable Belief - a belief held by a prudent person.", kind="list_item"),
        Block("I. Serious Bodily Injury - injury that risks death.", kind="list_item"),
        Block("IV. PROCEDURES", kind="heading"),
    ]
    assert _outline(build_sections(blocks)) == [
        "III. DEFINITIONS",
        "  H. Reasonable Belief",
        "  I. Serious Bodily Injury",
        "IV. PROCEDURES",
    ]


def test_a_table_of_contents_is_not_read_as_headings():
    contents = ["I. Policy", "II. Definitions", "III. Legal Considerations"]
    blocks = [Block(text, kind="heading") for text in contents] + [
        Block("I. POLICY", kind="heading"),
        Block("Text."),
        Block("II. DEFINITIONS", kind="heading"),
        Block("Text."),
        Block("III. LEGAL CONSIDERATIONS", kind="heading"),
        Block("Text."),
    ]
    sections = build_sections(blocks)
    assert _outline(sections) == [
        "(front matter)",
        "I. POLICY",
        "II. DEFINITIONS",
        "III. LEGAL CONSIDERATIONS",
    ]
    assert [b.text for b in sections[0].blocks] == contents


def test_cover_sheet_fields_are_front_matter_and_the_title_stays():
    blocks = [
        Block("Series", kind="heading"),
        Block("300 Support Services"),
        Block("Effective Date", kind="heading"),
        Block("8/6/2014"),
        Block("Reviewing Office", kind="heading"),
        Block("Chief of Police"),
        Block("USE OF FORCE", kind="heading"),
        Block("304.2 - 1 PURPOSE", kind="heading"),
        Block("To establish policy."),
    ]
    sections = build_sections(blocks)
    assert _outline(sections) == ["(front matter)", "USE OF FORCE", "  304.2 - 1 PURPOSE"]
    assert sections[0].blocks[0].text == "Series"


def test_styled_headings_are_never_demoted():
    blocks = [Block(text, kind="heading", level=1) for text in ("Purpose", "Scope", "Policy")]
    assert _outline(build_sections(blocks)) == ["Purpose", "Scope", "Policy"]


def test_unnumbered_headings_at_a_manual_end_are_siblings():
    blocks = []
    for policy in ("100", "102", "104"):
        blocks += [
            Block(f"{policy}.1 PURPOSE", kind="heading"),
            Block("Text."),
            Block(f"{policy}.2 POLICY", kind="heading"),
            Block("Text."),
        ]
    blocks += [Block(text, kind="heading") for text in ("INDEX", "ARRESTS", "BADGES")]
    labels = _outline(build_sections(blocks))
    assert labels[-3:] == ["    INDEX", "    ARRESTS", "    BADGES"]


@pytest.mark.parametrize(("scheme", "pattern"), _NUMBER_PATTERNS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_number_prefilter_never_hides_a_numbered_line(scheme, pattern, data):
    """split_number skips its numbering patterns when a cheap test says none can match; the
    test must let through every line that a numbering pattern matches."""
    text = data.draw(st.from_regex(pattern))
    assert _MAY_BE_NUMBERED.match(text), text
    assert split_number(text)[0], text
