"""Section headings in the numbering schemes real policies use, nested as written."""

from __future__ import annotations

import pytest

from policycheck.document import Block
from policycheck.sections import build_sections, heading_parts


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("300.3.4 CAROTID CONTROL HOLD", "300.3.4", "CAROTID CONTROL HOLD"),
        ("4.30 Use of Force", "4.30", "Use of Force"),
        ("12.545 USE OF FORCE", "12.545", "USE OF FORCE"),
        ("304.2 - 4.3 Prohibited Holds", "304.2 - 4.3", "Prohibited Holds"),
        ("E-01 Use of Force", "E-01", "Use of Force"),
        ("IV. PROCEDURES", "IV.", "PROCEDURES"),
        ("D. Prohibited Responses to Resistance - Chokeholds", "D.",
         "Prohibited Responses to Resistance - Chokeholds"),
        ("DEFINITIONS", "", "DEFINITIONS"),
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
        "Officers shall intervene.",
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
