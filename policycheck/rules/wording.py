"""Say in plain words which wording decided a finding: a short quote and where it stands."""

from __future__ import annotations

from policycheck.report.model import Evidence

QUOTE_WORDS = 24


def where(evidence: Evidence) -> str:
    """'§ 300.4.2 CHOKEHOLDS, p. 4', or the paragraph where a file has no pages."""
    place = f"§ {evidence.section}" if evidence.section else ""
    if evidence.page is not None:
        spot = f"p. {evidence.page}"
    elif evidence.paragraph is not None:
        spot = f"¶ {evidence.paragraph}"
    else:
        spot = ""
    return ", ".join(part for part in (place, spot) if part)


def short_quote(evidence: Evidence, limit: int = QUOTE_WORDS) -> str:
    """The evidence sentence cut to about ``limit`` words, kept around its first match."""
    words = evidence.text.split()
    if len(words) <= limit:
        return " ".join(words)
    first = next((m for m in evidence.matched if m), "")
    position = evidence.text.find(first) if first else 0
    start_word = len(evidence.text[: max(position, 0)].split())
    start = max(0, min(start_word - limit // 3, len(words) - limit))
    text = " ".join(words[start : start + limit])
    return ("... " if start else "") + text + (" ..." if start + limit < len(words) else "")


def decided_by(evidence: Evidence) -> str:
    """' Decided by: "..." (§ 4.1, p. 2).' for the end of an explanation."""
    return f' Decided by: "{short_quote(evidence)}" ({where(evidence)}).'
