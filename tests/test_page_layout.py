"""Page lines into blocks: running text by place, titles by type, and the lines that only look
like titles. Each case is cut down from a corpus page that went wrong."""

from __future__ import annotations

from policycheck.readers.lines import Line, group_lines
from policycheck.readers.pdf_layout import PageLine, _reading_order, body_lines


def kinds_and_texts(lines: list[Line]) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in group_lines(lines)]


# --- running headers and footers -----------------------------------------------------------


def _manual_page(page: int, first_heading: str) -> list[PageLine]:
    return [
        PageLine("La Grange Police Department", page, 0.03, 15.0, False),
        PageLine("Policy Manual", page, 0.05, 9.0, False, gap=14.0),
        PageLine(first_heading, page, 0.18, 11.0, True, gap=100.0),
        PageLine("Definitions related to this policy include:", page, 0.21, 11.0, False, gap=14.0),
        PageLine(f"Use of Force - {page}", page, 0.95, 9.0, False, gap=500.0),
    ]


def test_header_block_goes_but_a_policys_first_heading_at_the_same_height_stays():
    pages = [_manual_page(n, f"{298 + 2 * n}.1 PURPOSE AND SCOPE") for n in range(1, 6)]
    texts = [line.text for line in body_lines(pages)]
    assert texts[:2] == ["300.1 PURPOSE AND SCOPE", "Definitions related to this policy include:"]
    assert len(texts) == 10


def test_a_numbered_heading_repeated_on_a_few_pages_is_not_running():
    pages = [
        [
            PageLine("Chicago Police Department", n, 0.05, 10.0, False),
            PageLine("I. PURPOSE", n, 0.23, 10.0, True, gap=100.0),
        ]
        if n % 4 == 1
        else [PageLine(f"Text of page {n}.", n, 0.3, 10.0, False)]
        for n in range(1, 13)
    ]
    assert [line.text for line in body_lines(pages)].count("I. PURPOSE") == 3


def test_a_masthead_written_after_the_body_is_read_first():
    page = [
        PageLine("Officers shall intervene.", 1, 0.3, 12.0, False),
        PageLine("GENERAL ORDER", 1, 0.06, 26.0, True),
    ]
    assert [line.text for line in _reading_order(page)] == [
        "GENERAL ORDER",
        "Officers shall intervene.",
    ]


def test_the_top_of_a_second_column_keeps_its_place():
    page = [
        PageLine("column one, top", 1, 0.078, 10.0, False),
        PageLine("column one, end", 1, 0.9, 10.0, False),
        PageLine("E. column two, top", 1, 0.075, 10.0, False),
        PageLine("column two, end", 1, 0.5, 10.0, False),
    ]
    assert _reading_order(page) == page


# --- what is a title -------------------------------------------------------------------------


def test_a_title_that_wrapped_is_one_heading():
    lines = [
        Line("VII. INVESTIGATING AND REPORTING THE USE", 7),
        Line("OF FORCE NOT INVOLVING A FIREARM", 7),
        Line("A. Officers shall notify a supervisor.", 7),
    ]
    assert kinds_and_texts(lines)[0] == (
        "heading",
        "VII. INVESTIGATING AND REPORTING THE USE OF FORCE NOT INVOLVING A FIREARM",
    )


def test_a_bold_name_inside_a_sentence_is_not_a_heading():
    lines = [
        Line("B. An On-Duty Supervisor shall be notified and complete a", 11),
        Line("Response to Resistance - Supervisor's Investigation", 11, heading=True),
        Line("Report whenever an officer uses force.", 11),
    ]
    assert [kind for kind, _ in kinds_and_texts(lines)] == ["list_item"]


def test_a_larger_title_after_an_unfinished_line_is_still_a_title():
    lines = [Line("Policy", 1), Line("Use of Force", 1, heading=True, larger=True)]
    assert kinds_and_texts(lines) == [("paragraph", "Policy"), ("heading", "Use of Force")]


def test_small_type_is_never_a_heading():
    lines = [Line("ISSUE DATE:", 1, small=True), Line("JUL 1, 1993", 1)]
    assert [kind for kind, _ in kinds_and_texts(lines)] == ["paragraph", "paragraph"]


def test_a_wrapped_reference_to_a_lettered_section_is_not_an_item():
    lines = [
        Line("Officers certified as in Section 401.03", 5),
        Line("A. above are permitted to use an approved ECW.", 5),
    ]
    assert kinds_and_texts(lines) == [
        (
            "paragraph",
            "Officers certified as in Section 401.03 A. above are permitted to use an approved"
            " ECW.",
        )
    ]


def test_contents_lines_set_in_bold_are_not_headings():
    lines = [Line("Chapter 1 - Law Enforcement Role ............ 9", 8, heading=True)]
    assert [kind for kind, _ in kinds_and_texts(lines)] == ["paragraph"]


# --- items and their lead-in -----------------------------------------------------------------


def test_items_run_together_on_one_text_line_are_split():
    lines = [
        Line(
            "2. Force shall be the least that is needed.  (a) Employees begin with the "
            "lowest force.  (e) Both the carotid hold and choke hold are prohibited.",
            None,
        )
    ]
    assert [text for _, text in kinds_and_texts(lines)] == [
        "2. Force shall be the least that is needed.",
        "(a) Employees begin with the lowest force.",
        "(e) Both the carotid hold and choke hold are prohibited.",
    ]


def test_a_lead_in_ends_at_the_next_item_of_the_item_that_gave_it():
    lines = [
        Line("1. Force is authorized for these objectives:", None),
        Line("(a) self defense;", None),
        Line("2. Force shall be the least that is needed.", None),
        Line("(b) Chokeholds are prohibited.", None),
    ]
    blocks = group_lines(lines)
    assert blocks[1].lead_in == "Force is authorized for these objectives:"
    assert blocks[2].lead_in is None and blocks[3].lead_in is None
