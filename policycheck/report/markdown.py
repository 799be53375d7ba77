"""The Markdown report: the HTML report's content, for review systems that take Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from policycheck import __version__
from policycheck.document import Section
from policycheck.report.model import Evidence, Failure, Finding, Report
from policycheck.report.terminal import (
    collapse_space,
    display_title,
    file_name,
    highlight_parts,
    location_text,
    plural,
    verdict_token,
    verdict_words,
)

# Characters that Markdown (CommonMark and GitHub tables) would read as markup.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>#|~&])")
# At the start of a line these begin a list, a rule or a heading underline.
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BULLET_START = re.compile(r"^([-+=])(?=[\s=+-]|$)")

SIGN_OFF_ITEMS = ("Reviewer name", "Decision", "Date", "Signature")


def md_escape(text: str) -> str:
    """Text on one line with everything Markdown could read as markup escaped."""
    text = _INLINE_MARKUP.sub(r"\\\1", collapse_space(text))
    text = _LIST_START.sub(r"\1\\\2", text)
    return _BULLET_START.sub(r"\\\1", text)


def render_markdown(reports: list[Report], failures: Sequence[Failure] = ()) -> str:
    """A Markdown report of every document, with a sign-off block for each; the ``failures``
    (files that could not be checked, with why) are listed in its summary."""
    blocks = []
    if len(reports) > 1 or failures:
        blocks.append(_summary_block(reports, failures))
    blocks.extend(_document_block(report) for report in reports)
    if not reports:
        blocks.append("No documents were checked.")
    return "\n\n---\n\n".join(blocks) + "\n"


def _summary_block(reports: list[Report], failures: Sequence[Failure]) -> str:
    """A table of every document and its overall verdict, or why it has none."""
    lines = [
        f"# Policy check summary: {plural(len(reports) + len(failures), 'document')}",
        "",
        "| File | Verdict |",
        "|---|---|",
    ]
    lines.extend(
        f"| {md_escape(report.document.source)} | {_verdict_label(report.verdict)} |"
        for report in reports
    )
    lines.extend(
        f"| {md_escape(failure.path)} | **NOT CHECKED** — {md_escape(failure.message)} |"
        for failure in failures
    )
    return "\n".join(lines)


def _verdict_label(verdict: str) -> str:
    """``**NONCOMPLIANT** — Does not meet the principle``."""
    return f"**{verdict_token(verdict)}** — {md_escape(verdict_words(verdict))}"


def _document_block(report: Report) -> str:
    """Everything about one document, in reading order."""
    parts = [
        f"# Policy check: {md_escape(display_title(report))}",
        _overall_line(report),
        _facts_table(report),
        _reader_problems(report),
        "## Findings",
        *(_finding_block(finding) for finding in report.findings),
        _sign_off_block(),
        _outline_block(report),
    ]
    return "\n\n".join(part for part in parts if part)


def _overall_line(report: Report) -> str:
    """The overall verdict, said as the worst of the findings."""
    count = len(report.findings)
    basis = f"worst of {plural(count, 'finding')}" if count else "no rule produced a finding"
    return f"**Overall:** {_verdict_label(report.verdict)} ({basis})"


def _facts_table(report: Report) -> str:
    """File, hash, size, date and versions, as a two-column table."""
    document = report.document
    pack = report.pack
    pack_name = f"{pack.id} {pack.version}" + (f" ({pack.title})" if pack.title else "")
    rows = [
        ("File", md_escape(file_name(report))),
        ("SHA-256", f"`{document.sha256}`"),
        ("Kind", md_escape(document.kind)),
        ("Pages", "—" if document.pages is None else str(document.pages)),
        ("Sections", str(document.section_count)),
        ("Checked", md_escape(report.checked_at) or "not recorded"),
        ("Tool", f"policycheck {__version__}"),
        ("Rule pack", md_escape(pack_name)),
    ]
    lines = ["| Field | Value |", "|---|---|"]
    lines.extend(f"| {name} | {value} |" for name, value in rows)
    return "\n".join(lines)


def _reader_problems(report: Report) -> str:
    """Unreadable pages and reader warnings, which limit what the check saw."""
    document = report.document
    lines = []
    if document.unreadable_pages:
        pages = ", ".join(str(page) for page in document.unreadable_pages)
        lines.append(f"- **Unreadable pages:** {pages} (not checked; read them yourself)")
    lines.extend(f"- **Warning:** {md_escape(warning)}" for warning in document.warnings)
    if not lines:
        return ""
    return "\n".join(["## Reading problems", "", *lines])


def _finding_block(finding: Finding) -> str:
    """One finding: verdict, why, the quotes, and notes for the reviewer."""
    parts = [
        f"### {verdict_token(finding.verdict)} — {md_escape(finding.title)}",
        f"**{md_escape(verdict_words(finding.verdict))}.** {md_escape(finding.explanation)}",
    ]
    if finding.citation:
        parts.append(f"*Principle:* {md_escape(finding.citation)}")
    if finding.evidence:
        parts.append("#### Evidence")
        parts.extend(_evidence_quote(evidence) for evidence in finding.evidence)
    else:
        parts.append("*No sentences were quoted for this finding.*")
    if finding.notes:
        notes = "\n".join(f"- {md_escape(note)}" for note in finding.notes)
        parts.append(f"#### Notes for the reviewer\n\n{notes}")
    return "\n\n".join(parts)


def _evidence_quote(evidence: Evidence) -> str:
    """A blockquote of the sentence, matched terms in bold, then its section and page."""
    source = location_text(evidence)
    if evidence.role:
        source += f" · {evidence.role}"
    return f"> “{_highlighted(evidence)}”\n>\n> — {md_escape(source)}"


def _highlighted(evidence: Evidence) -> str:
    """The evidence text escaped, with each matched term in bold."""
    pieces = []
    for piece, hit in highlight_parts(collapse_space(evidence.text), evidence.matched):
        if hit and piece.strip():
            # Emphasis must not start or end on a space, so keep the spaces outside it.
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            pieces.append(f"{lead}**{md_escape(piece)}**{trail}")
        else:
            pieces.append(_escape_keep_spaces(piece))
    return "".join(pieces)


def _escape_keep_spaces(piece: str) -> str:
    """A piece of a sentence escaped without trimming or line-start escapes."""
    return _INLINE_MARKUP.sub(r"\\\1", piece)


def _sign_off_block() -> str:
    """A blank table for the reviewer to fill in."""
    lines = ["## Reviewer sign-off", "", "| Item | Entry |", "|---|---|"]
    lines.extend(f"| {item} | |" for item in SIGN_OFF_ITEMS)
    return "\n".join(lines)


def _outline_block(report: Report) -> str:
    """The document's sections as a nested list, each with its page."""
    lines = [
        _outline_line(section, depth)
        for top in report.document.sections
        for section, depth in _with_depth(top, 0)
    ]
    if not lines:
        return "## Document outline\n\n*The reader found no sections.*"
    return "\n".join(["## Document outline", "", *lines])


def _with_depth(section: Section, depth: int) -> list[tuple[Section, int]]:
    """A section and everything below it, each with its nesting depth."""
    found = [(section, depth)]
    for child in section.children:
        found.extend(_with_depth(child, depth + 1))
    return found


def _outline_line(section: Section, depth: int) -> str:
    """One list item: the section label and its page."""
    label = md_escape(section.label) or "*(untitled section)*"
    page = f" — p. {section.page}" if section.page is not None else ""
    return f"{'  ' * depth}- {label}{page}"
