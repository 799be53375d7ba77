"""The report data: what each rule found in one document, and the verdict it leads to."""

from __future__ import annotations

from dataclasses import dataclass, field

from policycheck.document import Document

COMPLIANT = "compliant"
NEEDS_REVIEW = "needs_review"
NONCOMPLIANT = "noncompliant"

# Worst last: the overall verdict of a report is the worst of its findings.
VERDICT_ORDER = (COMPLIANT, NEEDS_REVIEW, NONCOMPLIANT)

VERDICT_WORDS = {
    COMPLIANT: "Meets the principle",
    NEEDS_REVIEW: "Needs a reviewer's reading",
    NONCOMPLIANT: "Does not meet the principle",
}


def worst_verdict(verdicts: list[str]) -> str:
    """The worst verdict of several; an empty list is ``needs_review``, never a pass."""
    if not verdicts:
        return NEEDS_REVIEW
    return max(verdicts, key=VERDICT_ORDER.index)


@dataclass(frozen=True)
class Evidence:
    """A sentence that bears on a finding, with where to find it and the role it played.

    ``matched`` holds the exact substrings of ``text`` that the rule matched (terms, cues),
    so renderers can highlight them.
    """

    text: str
    section: str
    page: int | None
    paragraph: int | None
    role: str
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one document, the plain-words reason, and its evidence."""

    rule: str
    title: str
    verdict: str
    explanation: str
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()
    citation: str = ""


@dataclass(frozen=True)
class Failure:
    """A file that could not be checked, and why, as a report of several files lists it."""

    path: str
    message: str


@dataclass(frozen=True)
class PackInfo:
    """The rule pack a report was checked against."""

    id: str
    version: str
    title: str = ""


@dataclass
class Report:
    """Everything a renderer needs about one checked document."""

    document: Document
    pack: PackInfo
    findings: list[Finding] = field(default_factory=list)
    checked_at: str = ""
    # Packs added to the first with `--rules`; their findings follow its own.
    extra_packs: tuple[PackInfo, ...] = ()

    @property
    def packs(self) -> tuple[PackInfo, ...]:
        """Every pack the document was checked against, the main one first."""
        return (self.pack, *self.extra_packs)

    @property
    def verdict(self) -> str:
        """The worst verdict among the findings."""
        return worst_verdict([finding.verdict for finding in self.findings])
