"""Plain-text report for the terminal, plus the quoting helpers the other renderers share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from policycheck.report.model import (
    COMPLIANT,
    NEEDS_REVIEW,
    NONCOMPLIANT,
    VERDICT_ORDER,
    VERDICT_WORDS,
    Evidence,
    Failure,
    Finding,
    Report,
)

QUOTE_LIMIT = 300
MAX_QUOTES = 3
ELLIPSIS = "…"

_COLORS = {COMPLIANT: "green", NEEDS_REVIEW: "yellow", NONCOMPLIANT: "red"}
# Pad tokens to one width so finding titles line up under each other.
_TOKEN_WIDTH = max(len(verdict) for verdict in VERDICT_ORDER)
_SPACE = re.compile(r"\s+")
# Control characters left in a document's text could drive the terminal (escape sequences).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# Shared helpers: the markdown and HTML renderers import these too, so that every format
# cites a quote and highlights its terms the same way.


def verdict_token(verdict: str) -> str:
    """The verdict as an upper-case token, e.g. ``NONCOMPLIANT``."""
    return verdict.upper()


def verdict_words(verdict: str) -> str:
    """The verdict in plain words; an unknown verdict falls back to its token."""
    return VERDICT_WORDS.get(verdict, verdict_token(verdict))


def file_name(report: Report) -> str:
    """The last part of the document's path, as a reviewer would name the file."""
    return Path(report.document.source).name or report.document.source


def display_title(report: Report) -> str:
    """The document's own title, or its file name when the reader found none."""
    return report.document.title.strip() or file_name(report)


def plural(count: int, noun: str) -> str:
    """``1 page``, ``2 pages``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def collapse_space(text: str) -> str:
    """Text with every run of whitespace, line breaks included, made one space."""
    return _SPACE.sub(" ", text).strip()


def location_text(evidence: Evidence) -> str:
    """Where a quote sits, as a reviewer cites it: ``§ 300.4 Title, p. 4`` or ``§ 2, ¶ 12``."""
    parts = []
    # Some policies number sections "§ 300.4"; avoid printing "§ § 300.4".
    section = evidence.section.strip().lstrip("§").strip()
    if section:
        parts.append(f"§ {section}")
    if evidence.page is not None:
        parts.append(f"p. {evidence.page}")
    elif evidence.paragraph is not None:
        parts.append(f"¶ {evidence.paragraph}")
    return ", ".join(parts) or "location not recorded"


def match_spans(text: str, matched: Iterable[str]) -> list[tuple[int, int]]:
    """Where the matched terms occur in text, in order, with overlapping spans merged."""
    spans: list[tuple[int, int]] = []
    for term in {term for term in matched if term.strip()}:
        # Case-insensitive so a term the rule lower-cased still finds "Chokehold".
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        spans.extend(found.span() for found in pattern.finditer(text))
    return _merge_spans(sorted(spans))


def highlight_parts(text: str, matched: Iterable[str]) -> list[tuple[str, bool]]:
    """Text cut into (piece, is_match) pairs, so a renderer can mark matches and escape all."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in match_spans(text, matched):
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def shorten_quote(text: str, matched: Iterable[str], limit: int = QUOTE_LIMIT) -> str:
    """The quote on one line, cut to ``limit`` characters around its matched terms with "…"."""
    text = collapse_space(text)
    if len(text) <= limit:
        return text
    matched = tuple(matched)
    # With no matched terms, keep the opening of the sentence.
    spans = match_spans(text, matched) or [(0, 0)]
    windows = _fit_windows(spans, len(text), limit)
    windows = [_snap_to_words(text, window, spans) for window in windows]
    return _join_windows(text, windows)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _shown_length(windows: list[tuple[int, int]]) -> int:
    """Characters the joined windows take, counting an ellipsis at each cut and between."""
    return sum(end - start for start, end in windows) + 3 * (len(windows) - 1) + 2


def _fit_windows(spans: list[tuple[int, int]], size: int, limit: int) -> list[tuple[int, int]]:
    """Windows around the spans, with as much context as fits in ``limit``."""
    kept = list(spans)
    while kept:
        for context in range(limit, -1, -5):
            windows = _merge_spans(
                [(max(0, start - context), min(size, end + context)) for start, end in kept]
            )
            if _shown_length(windows) <= limit:
                return windows
        # Too many matches to show them all: drop the last ones rather than overrun.
        kept.pop()
    start = spans[0][0]
    return [(start, min(size, start + limit - 2))]


def _snap_to_words(
    text: str, window: tuple[int, int], spans: list[tuple[int, int]]
) -> tuple[int, int]:
    """The window moved inward to whole words, never cutting into a matched term."""
    start, end = window
    inside = [span for span in spans if start <= span[0] and span[1] <= end]
    first_match = inside[0][0] if inside else end
    last_match = inside[-1][1] if inside else start
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first_match)
        if space != -1:
            start = space + 1
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", last_match, end)
        if space != -1:
            end = space
    return start, end


def _join_windows(text: str, windows: list[tuple[int, int]]) -> str:
    """The window texts joined by "…", with "…" where the sentence was cut at either end."""
    shown = f" {ELLIPSIS} ".join(text[start:end].strip() for start, end in windows)
    if windows[0][0] > 0:
        shown = ELLIPSIS + shown
    if windows[-1][1] < len(text):
        shown += ELLIPSIS
    return shown


# The terminal renderer.


def terminal_safe(text: str) -> str:
    """Text on one line with any control character shown as "\ufffd" rather than obeyed."""
    return _CONTROL.sub("\ufffd", collapse_space(text))


def render_terminal(
    reports: list[Report], color: bool = False, failures: Sequence[Failure] = ()
) -> str:
    """A plain-text report of every document, with verdicts in words and tokens; the
    ``failures`` (files that could not be checked, with why) are listed after them."""
    blocks = [_document_block(report, color) for report in reports]
    if not reports:
        blocks.append("No documents were checked.")
    if failures:
        blocks.append(
            "\n".join(
                f"NOT CHECKED   {terminal_safe(failure.path)}: {terminal_safe(failure.message)}"
                for failure in failures
            )
        )
    if len(reports) + len(failures) > 1:
        blocks.append(_summary_line(reports, color, len(failures)))
    return "\n\n".join(blocks) + "\n"


def _styled_token(verdict: str, color: bool, width: int = 0) -> str:
    """The verdict token, padded, and coloured when asked; the word is always there."""
    token = verdict_token(verdict).ljust(width)
    if not color:
        return token
    # Pad before styling: escape codes would otherwise count towards the width.
    return click.style(token, fg=_COLORS.get(verdict), bold=True)


def _document_block(report: Report, color: bool) -> str:
    """Everything the terminal shows about one document."""
    lines = [_header_line(report), _pack_line(report)]
    lines.extend(_reader_problem_lines(report))
    for finding in report.findings:
        lines.append("")
        lines.extend(_finding_lines(finding, color))
    lines.append("")
    lines.append(_overall_line(report, color))
    return "\n".join(lines)


def _header_line(report: Report) -> str:
    """File, kind, pages, sections and the start of the SHA-256."""
    document = report.document
    facts = [terminal_safe(document.kind)]
    if document.pages is not None:
        facts.append(plural(document.pages, "page"))
    facts.append(plural(document.section_count, "section"))
    facts.append(f"sha256 {document.sha256[:12]}")
    return f"{terminal_safe(document.source)}  ({', '.join(facts)})"


def _pack_line(report: Report) -> str:
    """Which rule pack the document was checked against, and when."""
    name = report.pack.id + " " + report.pack.version
    if report.pack.title:
        name += f" ({report.pack.title})"
    for extra in report.extra_packs:
        name += f" + {extra.id} {extra.version}"
    when = f" on {report.checked_at}" if report.checked_at else ""
    return terminal_safe(f"Checked against {name}{when}")


def _reader_problem_lines(report: Report) -> list[str]:
    """Pages the reader could not read and its warnings, which limit what the check saw."""
    document = report.document
    lines = []
    if document.unreadable_pages:
        pages = ", ".join(str(page) for page in document.unreadable_pages)
        lines.append(f"Unreadable pages: {pages} (not checked; read them yourself)")
    lines.extend(f"Warning: {terminal_safe(warning)}" for warning in document.warnings)
    return lines


def _finding_lines(finding: Finding, color: bool) -> list[str]:
    """One finding: verdict and title, why, up to three quotes, and notes."""
    token = _styled_token(finding.verdict, color, _TOKEN_WIDTH)
    title = terminal_safe(finding.title)
    lines = [f"{token}  {title} — {terminal_safe(verdict_words(finding.verdict))}"]
    lines.append(f"  Why: {terminal_safe(finding.explanation)}")
    if finding.citation:
        lines.append(f"  Principle: {terminal_safe(finding.citation)}")
    lines.extend(_quote_line(evidence, color) for evidence in finding.evidence[:MAX_QUOTES])
    hidden = len(finding.evidence) - MAX_QUOTES
    if hidden > 0:
        lines.append(f"  ({plural(hidden, 'more quote')} in the HTML, Markdown and JSON reports)")
    lines.extend(f"  Note: {terminal_safe(note)}" for note in finding.notes)
    return lines


def _quote_line(evidence: Evidence, color: bool) -> str:
    """A quote, shortened if long, with its section and page."""
    quote = shorten_quote(terminal_safe(evidence.text), evidence.matched)
    if color:
        quote = "".join(
            click.style(piece, bold=True) if hit else piece
            for piece, hit in highlight_parts(quote, evidence.matched)
        )
    return f'  "{quote}"  — {terminal_safe(location_text(evidence))}'


def _overall_line(report: Report, color: bool) -> str:
    """The document's overall verdict, the worst of its findings."""
    verdict = report.verdict
    count = len(report.findings)
    basis = f"worst of {plural(count, 'finding')}" if count else "no rule produced a finding"
    token = _styled_token(verdict, color)
    return f"Overall: {token} — {terminal_safe(verdict_words(verdict))} ({basis})"


def _summary_line(reports: list[Report], color: bool, not_checked: int = 0) -> str:
    """How many documents got each verdict, worst first, and how many none."""
    counts = {verdict: 0 for verdict in reversed(VERDICT_ORDER)}
    for report in reports:
        counts[report.verdict] = counts.get(report.verdict, 0) + 1
    parts = [
        f"{count} {_styled_token(verdict, color)}" for verdict, count in counts.items() if count
    ]
    if not_checked:
        parts.append(f"{not_checked} NOT CHECKED")
    return f"{plural(len(reports) + not_checked, 'document')}: {', '.join(parts)}"
