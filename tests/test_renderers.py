"""Tests for the report renderers: terminal, JSON, Markdown, HTML and CSV."""

from __future__ import annotations

import csv
import io
import json
import re

from policycheck import __version__
from policycheck.document import Block, Document, Location, Section
from policycheck.report.csvout import CSV_FIELDS, csv_row, render_csv, rule_column
from policycheck.report.html import render_html
from policycheck.report.jsonout import error_json, render_json, render_json_items
from policycheck.report.markdown import render_markdown
from policycheck.report.model import (
    COMPLIANT,
    NEEDS_REVIEW,
    NONCOMPLIANT,
    VERDICT_WORDS,
    Evidence,
    Finding,
    PackInfo,
    Report,
)
from policycheck.report.terminal import render_terminal, shorten_quote

SHA = "3f2a9b0c1d2e" + "4" * 52
CHOKEHOLD_TEXT = "Officers shall not use a choke hold unless deadly force is authorized by law."
INJECTED_TEXT = "Use of a <b>neck restraint</b> is governed by state & local law."
LEGAL_TEXT = "Members shall comply with all applicable federal, state and local laws."
CHOKEHOLD_NOTE = "The exception swallows the prohibition; ask the agency to remove it."
ANSI = re.compile(r"\x1b\[")
REMOTE = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(|https?://""", re.IGNORECASE
)


def make_report(
    source: str = "agencies/springfield-pd.pdf",
    kind: str = "pdf",
    pages: int | None = 12,
    legal_verdict: str = COMPLIANT,
) -> Report:
    """A two-finding report built by hand: a noncompliant chokehold rule and a legal rule."""
    chokeholds = Section(
        "300.4.2",
        "CHOKEHOLDS",
        3,
        blocks=[Block(CHOKEHOLD_TEXT, location=Location(page=4))],
        page=4,
    )
    force = Section("300.4", "USE OF FORCE", 2, children=[chokeholds], page=3)
    policy = Section("300", "Use of Force Policy", 1, children=[force], page=1)
    legal = Section(
        "2", "Legal authority", 1, blocks=[Block(LEGAL_TEXT, location=Location(paragraph=12))]
    )
    document = Document(
        source=source,
        sha256=SHA,
        kind=kind,
        pages=pages,
        sections=[policy, legal],
        title="Springfield Police Department Policy Manual",
        unreadable_pages=[7],
        warnings=["Page 9 has text in an image; it was not read."],
    )
    chokehold = Finding(
        rule="eo13929.chokehold",
        title="Prohibition of choke holds",
        verdict=NONCOMPLIANT,
        explanation="The policy allows choke holds outside deadly-force situations.",
        evidence=(
            Evidence(
                text=CHOKEHOLD_TEXT,
                section="300.4.2 CHOKEHOLDS",
                page=4,
                paragraph=57,
                role="exception",
                matched=("choke hold", "unless deadly force"),
            ),
            Evidence(
                text=INJECTED_TEXT,
                section="300.4.2 CHOKEHOLDS",
                page=4,
                paragraph=58,
                role="prohibition",
                matched=("neck restraint",),
            ),
        ),
        notes=(CHOKEHOLD_NOTE,),
        citation="EO 13929 § 3(b)(ii)",
    )
    adherence = Finding(
        rule="eo13929.legal-adherence",
        title="Adherence to applicable law",
        verdict=legal_verdict,
        explanation="The policy requires officers to follow federal, state and local law.",
        evidence=(
            Evidence(
                text=LEGAL_TEXT,
                section="2 Legal authority",
                page=None,
                paragraph=12,
                role="requirement",
                matched=("applicable federal, state and local laws",),
            ),
        ),
        citation="EO 13929 § 3(b)(i)",
    )
    return Report(
        document=document,
        pack=PackInfo(id="eo13929", version="1.0.0", title="Executive Order 13929"),
        findings=[chokehold, adherence],
        checked_at="2025-03-14T10:30:00Z",
    )


# JSON


TOP_KEYS = {
    "schema", "tool", "pack", "packs", "document", "verdict", "findings",
    "checked_at", "unreadable_pages", "warnings",
}  # fmt: skip
FINDING_KEYS = {"rule", "title", "verdict", "explanation", "notes", "citation", "evidence"}
EVIDENCE_KEYS = {"text", "section", "page", "paragraph", "role", "matched"}


def test_json_single_report_is_one_object_with_the_contract_keys():
    data = json.loads(render_json([make_report()]))
    assert isinstance(data, dict)
    assert set(data) == TOP_KEYS
    assert data["schema"] == "policycheck.report/1"
    assert data["tool"] == {"name": "policycheck", "version": __version__}
    assert data["pack"] == {"id": "eo13929", "version": "1.0.0"}
    assert data["packs"] == [data["pack"]]
    assert data["document"] == {
        "path": "agencies/springfield-pd.pdf",
        "sha256": SHA,
        "kind": "pdf",
        "pages": 12,
        "sections": 4,
        "title": "Springfield Police Department Policy Manual",
    }
    assert data["verdict"] == "noncompliant"
    assert data["checked_at"] == "2025-03-14T10:30:00Z"
    assert data["unreadable_pages"] == [7]
    assert data["warnings"] == ["Page 9 has text in an image; it was not read."]


def test_json_findings_and_evidence_have_the_contract_keys_and_values():
    data = json.loads(render_json([make_report()]))
    chokehold, legal = data["findings"]
    assert set(chokehold) == FINDING_KEYS
    assert chokehold["rule"] == "eo13929.chokehold"
    assert chokehold["verdict"] == "noncompliant"
    assert chokehold["notes"] == [CHOKEHOLD_NOTE]
    assert chokehold["citation"] == "EO 13929 § 3(b)(ii)"
    first = chokehold["evidence"][0]
    assert set(first) == EVIDENCE_KEYS
    assert first == {
        "text": CHOKEHOLD_TEXT,
        "section": "300.4.2 CHOKEHOLDS",
        "page": 4,
        "paragraph": 57,
        "role": "exception",
        "matched": ["choke hold", "unless deadly force"],
    }
    assert legal["verdict"] == "compliant"
    assert legal["evidence"][0]["page"] is None
    assert legal["evidence"][0]["paragraph"] == 12


def test_json_keeps_non_ascii_text_readable():
    text = render_json([make_report()])
    assert "§ 3(b)(ii)" in text
    assert "\\u00a7" not in text


def test_json_several_reports_is_an_array():
    data = json.loads(render_json([make_report(), make_report(source="b.docx", kind="docx")]))
    assert isinstance(data, list)
    assert [item["document"]["path"] for item in data] == ["agencies/springfield-pd.pdf", "b.docx"]


def test_json_error_item_has_error_in_place_of_findings():
    item = error_json("broken.pdf", "The PDF needs a password to open.")
    assert item == {
        "schema": "policycheck.report/1",
        "tool": {"name": "policycheck", "version": __version__},
        "document": {"path": "broken.pdf"},
        "error": "The PDF needs a password to open.",
    }
    mixed = json.loads(render_json_items([make_report(), item]))
    assert [("error" in entry, "findings" in entry) for entry in mixed] == [
        (False, True),
        (True, False),
    ]
    assert json.loads(render_json_items([item])) == item


# Terminal


def test_terminal_shows_header_verdicts_quotes_and_notes():
    text = render_terminal([make_report()])
    assert "agencies/springfield-pd.pdf" in text
    assert "pdf, 12 pages, 4 sections, sha256 3f2a9b0c1d2e" in text
    assert SHA not in text
    assert "NONCOMPLIANT  Prohibition of choke holds" in text
    assert VERDICT_WORDS[NONCOMPLIANT] in text
    assert "COMPLIANT     Adherence to applicable law" in text
    assert VERDICT_WORDS[COMPLIANT] in text
    assert "Why: The policy allows choke holds outside deadly-force situations." in text
    assert f'"{CHOKEHOLD_TEXT}"  — § 300.4.2 CHOKEHOLDS, p. 4' in text
    assert f'"{LEGAL_TEXT}"  — § 2 Legal authority, ¶ 12' in text
    assert f"Note: {CHOKEHOLD_NOTE}" in text
    assert "Overall: NONCOMPLIANT" in text
    assert "Unreadable pages: 7" in text
    assert "Warning: Page 9 has text in an image" in text


def test_terminal_without_color_has_no_ansi_escapes():
    assert not ANSI.search(render_terminal([make_report()], color=False))


def test_terminal_with_color_keeps_the_words():
    text = render_terminal([make_report()], color=True)
    assert ANSI.search(text)
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "NONCOMPLIANT  Prohibition of choke holds" in stripped
    assert VERDICT_WORDS[NONCOMPLIANT] in stripped


def test_terminal_shows_at_most_three_quotes():
    report = make_report()
    many = report.findings[0].evidence * 3
    report.findings[0] = Finding(**{**report.findings[0].__dict__, "evidence": many})
    text = render_terminal([report])
    assert text.count("— § 300.4.2 CHOKEHOLDS, p. 4") == 3
    assert "3 more quotes" in text


def test_terminal_summarises_several_documents():
    text = render_terminal([make_report(), make_report(source="b.txt", kind="text", pages=None)])
    assert "2 documents: 2 NONCOMPLIANT" in text
    assert "b.txt  (text, 4 sections" in text


def test_long_quote_is_shortened_around_the_matched_term():
    text = " ".join(["Lorem ipsum dolor sit amet."] * 20)
    text += " Officers shall never use a carotid restraint. " + text
    shown = shorten_quote(text, ["carotid restraint"])
    assert len(shown) <= 300
    assert "carotid restraint" in shown
    assert shown.startswith("…") and shown.endswith("…")


def test_long_quote_keeps_distant_matches_with_an_ellipsis_between():
    filler = " ".join(["Lorem ipsum dolor sit amet."] * 20)
    text = f"A choke hold {filler} is permitted."
    shown = shorten_quote(text, ["choke hold", "permitted"])
    assert len(shown) <= 300
    assert "choke hold" in shown and "permitted" in shown
    assert " … " in shown


def test_short_quote_is_unchanged():
    assert shorten_quote(CHOKEHOLD_TEXT, ["choke hold"]) == CHOKEHOLD_TEXT


# Markdown


def test_markdown_has_verdicts_evidence_notes_signoff_and_outline():
    text = render_markdown([make_report()])
    assert "**NONCOMPLIANT** — Does not meet the principle" in text
    assert "### NONCOMPLIANT — Prohibition of choke holds" in text
    assert VERDICT_WORDS[COMPLIANT] in text
    assert "> “Officers shall not use a **choke hold** **unless deadly force**" in text
    assert "> — § 300.4.2 CHOKEHOLDS, p. 4" in text
    assert "> — § 2 Legal authority, ¶ 12" in text
    assert CHOKEHOLD_NOTE in text
    assert "## Reviewer sign-off" in text
    for item in ("Reviewer name", "Decision", "Date", "Signature"):
        assert f"| {item} | |" in text
    assert "- 300 Use of Force Policy — p. 1\n  - 300.4 USE OF FORCE — p. 3\n" in text
    assert "    - 300.4.2 CHOKEHOLDS — p. 4" in text
    assert "**Unreadable pages:** 7" in text


def test_markdown_escapes_markup_in_policy_text():
    text = render_markdown([make_report()])
    assert "\\<b\\>" in text
    assert "<b>" not in text


# HTML


def test_html_is_self_contained():
    page = render_html([make_report()])
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not REMOTE.search(page)
    assert "<style>" in page


def test_html_marks_matched_terms_and_escapes_policy_text():
    page = render_html([make_report()])
    assert "<mark>choke hold</mark>" in page
    assert "&lt;b&gt;<mark>neck restraint</mark>&lt;/b&gt;" in page
    assert "state &amp; local law" in page
    assert "<b>" not in page


def test_html_escapes_markup_inside_a_matched_term():
    report = make_report()
    evidence = Evidence("x <i>y</i> z", "1", 1, None, "cue", matched=("<i>y",))
    report.findings[0] = Finding("r.x", "T", NONCOMPLIANT, "E", evidence=(evidence,))
    page = render_html([report])
    assert "x <mark>&lt;i&gt;y</mark>&lt;/i&gt; z" in page


def test_html_has_header_cards_signoff_outline_and_print_styles():
    page = render_html([make_report()])
    assert "Springfield Police Department Policy Manual" in page
    assert "springfield-pd.pdf" in page
    assert SHA in page
    assert "2025-03-14T10:30:00Z" in page
    assert f"policycheck {__version__}" in page
    assert "eo13929 1.0.0" in page
    assert page.index("Overall:") < page.index("Prohibition of choke holds")
    assert 'class="card verdict-noncompliant"' in page
    assert 'class="card verdict-compliant"' in page
    assert ">NONCOMPLIANT</span>" in page
    assert VERDICT_WORDS[NONCOMPLIANT] in page
    assert "§ 300.4.2 CHOKEHOLDS, p. 4" in page
    assert "§ 2 Legal authority, ¶ 12" in page
    assert CHOKEHOLD_NOTE in page
    for item in ("Reviewer name", "Decision", "Date", "Signature"):
        assert f'<th scope="row">{item}</th>' in page
    assert "<details" in page and "<details open" not in page
    assert "300.4.2 CHOKEHOLDS" in page[page.index("<details") :]
    assert "@media print" in page
    assert "size: letter" in page and "margin: 0.75in" in page
    assert "break-inside: avoid" in page


def test_each_verdict_has_a_distinct_border_style():
    page = render_html([make_report()])
    styles = {
        verdict: re.search(rf"\.verdict-{verdict} {{ border: \S+ (\w+)", page).group(1)
        for verdict in (COMPLIANT, NEEDS_REVIEW, NONCOMPLIANT)
    }
    assert len(set(styles.values())) == 3


def test_html_several_reports_have_a_summary_with_a_column_per_principle():
    page = render_html([make_report(), make_report(source="b.docx", legal_verdict=NEEDS_REVIEW)])
    assert "Policy check: 2 documents" in page
    assert page.count('<article class="report" id="doc-') == 2
    summary = page[page.index('<section class="summary"') : page.index("</section>")]
    titles = [finding.title for finding in make_report().findings]
    assert all(f'<th scope="col">{title}</th>' in summary for title in titles)
    rows = summary.split("<tr>")[2:]
    assert 'href="#doc-1"' in rows[0] and 'href="#doc-2"' in rows[1]
    assert "badge-needs_review" in rows[1] and "badge-needs_review" not in rows[0]
    assert 'id="doc-2"' in page


# CSV


def test_csv_header_and_rows_including_an_error_row():
    items = [
        make_report(),
        make_report(source="b.txt", kind="text", pages=None, legal_verdict=NEEDS_REVIEW),
        error_json("broken.pdf", "The PDF needs a password to open."),
    ]
    text = render_csv(items)
    assert text.splitlines()[0] == ",".join(CSV_FIELDS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "file": "agencies/springfield-pd.pdf",
        "sha256": SHA,
        "pages": "12",
        "chokehold": "noncompliant",
        "legal": "compliant",
        "verdict": "noncompliant",
        "error": "",
    }
    assert rows[1]["pages"] == ""
    assert rows[1]["legal"] == "needs_review"
    assert rows[2] == {
        "file": "broken.pdf",
        "sha256": "",
        "pages": "",
        "chokehold": "",
        "legal": "",
        "verdict": "",
        "error": "The PDF needs a password to open.",
    }


def test_csv_row_and_rule_columns():
    assert rule_column("eo13929.chokehold") == "chokehold"
    assert rule_column("eo13929.legal-adherence") == "legal"
    assert rule_column("other.deescalation") == "deescalation"
    assert csv_row(make_report())["chokehold"] == "noncompliant"


def test_csv_adds_columns_for_other_rules_before_the_verdict():
    report = make_report()
    report.findings.append(Finding("other.deescalation", "De-escalation", NEEDS_REVIEW, "E"))
    header = render_csv([report]).splitlines()[0]
    assert header == "file,sha256,pages,chokehold,legal,deescalation,verdict,error"


def test_csv_neutralises_spreadsheet_formulas():
    text = render_csv([error_json('=HYPERLINK("x")', "bad")])
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["file"] == '\'=HYPERLINK("x")'


def test_markdown_escapes_list_markers_only_where_they_would_start_a_list():
    report = make_report()
    report.document.sections.append(Section("1.", "Purpose", 1, page=2))
    report.document.sections.append(Section("-", "Scope", 1))
    text = render_markdown([report])
    assert "- 1\\. Purpose — p. 2" in text
    assert "- \\- Scope" in text
    assert "  - 300.4 USE OF FORCE — p. 3" in text


def test_terminal_does_not_pass_control_characters_from_the_document():
    report = make_report()
    evidence = Evidence("Choke \x1b[2Jholds\x07 are banned.", "1", 1, None, "cue", ("holds",))
    report.findings[0] = Finding("r.x", "T", NONCOMPLIANT, "E", evidence=(evidence,))
    report.document.warnings.append("bad \x1b]0;title\x07 warning")
    text = render_terminal([report], color=False)
    assert "\x1b" not in text and "\x07" not in text
    assert "Choke \ufffd[2Jholds\ufffd are banned." in text


def test_long_quote_without_matches_keeps_its_opening():
    text = "Officers must " + "report every use of force promptly " * 20
    shown = shorten_quote(text, [])
    assert shown.startswith("Officers must report")
    assert shown.endswith("…")
    assert 250 <= len(shown) <= 300


def test_no_reports_renders_a_plain_message():
    assert "No documents were checked." in render_terminal([])
    assert "No documents were checked." in render_markdown([])
    assert "No documents were checked." in render_html([])
    assert json.loads(render_json([])) == []
    assert render_csv([]) == ",".join(CSV_FIELDS) + "\n"


def test_a_long_outline_prints_its_top_level_only(monkeypatch):
    import policycheck.report.html as html

    short = render_html([make_report()])
    assert "long-outline" not in short.split("<style>")[1].split("</style>")[1]
    monkeypatch.setattr(html, "PRINT_OUTLINE_MAX", 2)
    page = render_html([make_report()])
    body = page.split("</style>")[1]
    assert '<details class="outline long-outline">' in body
    assert body.count('class="nested"') == 2  # 300.4 and 300.4.2 below 300
    assert ".long-outline .nested { display: none; }" in page
    assert "only the top level of this outline is printed" in body
