"""The `statement` kind: required language must be present, component by component."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from policycheck.document import Document
from policycheck.report.model import COMPLIANT, NEEDS_REVIEW, NONCOMPLIANT, Evidence, Finding
from policycheck.rules.pack import Rule
from policycheck.rules.passages import Passage, Trigger, block_passages, read_blocks
from policycheck.rules.wording import where

EVIDENCE_PER_COMPONENT = 2
# A negation earlier in the clause turns a disavowal round ("may never disregard state law").
_NEGATED_BEFORE = re.compile(r"\b(no|never|not|nobody|none|neither|nor)\b[^.;,:]*$", re.IGNORECASE)
MAX_DISAVOWALS_QUOTED = 3


@dataclass(frozen=True)
class Component:
    """One element of the required statement and the patterns that find it."""

    name: str
    label: str
    pattern: re.Pattern[str]
    satisfies: tuple[str, ...]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class Disavowal(NamedTuple):
    """A sentence that disavows a law it names, and the words that do."""

    passage: Passage
    matched: str


class Hit(NamedTuple):
    """A sentence that states a level of law, the words that did, and how many levels the
    component that matched them states at once."""

    passage: Passage
    matched: str
    levels: int


def _strongest_first(hits: list[Hit]) -> list[Hit]:
    """A level's hits with those that state several levels at once ("all applicable federal,
    state and local laws") before single citations, each kind in document order: the policy's
    own statement of adherence is the evidence a reviewer wants quoted first, not a statute
    number in a letter bound into the manual."""
    return sorted(hits, key=lambda hit: -hit.levels)


class StatementRule:
    """Compiled components of one statement rule, and the judgement built on them."""

    def __init__(self, rule: Rule):
        self.rule = rule
        config = rule.config
        self.components = [
            Component(
                name=name,
                label=spec["label"],
                pattern=_compile(spec["patterns"]),
                satisfies=tuple(spec.get("satisfies", [name])),
            )
            for name, spec in config["components"].items()
        ]
        self.required = tuple(config["required"])
        self.exclude = _compile(config.get("exclude", [r"(?!x)x"]))
        self.disavowal = _compile(config.get("disavowal", [r"(?!x)x"]))
        self.trigger = Trigger(
            _compile([p for spec in config["components"].values() for p in spec["patterns"]]),
            tuple(word.lower() for word in config.get("anchors", [])),
        )
        self.labels = {c.name: c.label for c in self.components}

    def judge(self, passages: list[Passage]) -> Finding:
        """The rule's finding: which levels of law the document states, and which it lacks;
        a sentence that disavows a law decides it alone."""
        found: dict[str, list[Hit]] = {}
        disavowals: list[Disavowal] = []
        for passage in passages:
            self._note_components(passage, found)
            disavowals.extend(self._disavowals(passage))
        return self._disavowal_finding(disavowals) or self._finding(found)

    def judge_document(self, document: Document) -> Finding:
        """As ``judge``, splitting into sentences only the blocks that can still add
        evidence: once a level of law has its quotes, more mentions of it change nothing,
        and a manual cites its statutes hundreds of times. Once every level has its quotes,
        the rest of the document is not searched at all."""
        disavowals = self._document_disavowals(document)
        if disavowals:
            return self._disavowal_finding(disavowals)
        found: dict[str, list[Hit]] = {}
        for read in read_blocks(document):
            wanted = self._wanted(found)
            if not wanted:
                break
            # A component's match is the trigger's too, so this is the trigger's test.
            lead_in = read.block.lead_in
            if not self.trigger.anchored(read.lowered) and not (
                lead_in and self.trigger.matches(lead_in)
            ):
                continue
            if not any(component.pattern.search(read.text) for component in wanted):
                continue
            for passage in block_passages(read.section, read.label, read.block, read.text):
                self._note_components(passage, found)
        return self._finding(found)

    def _document_disavowals(self, document: Document) -> list[Disavowal]:
        """Every sentence that disavows a law, wherever it stands: one is enough to fail the
        rule, so the search for them does not stop when the levels of law are found."""
        disavowals: list[Disavowal] = []
        for read in read_blocks(document):
            if self.trigger.anchored(read.lowered) and self.disavowal.search(read.text):
                for passage in block_passages(read.section, read.label, read.block, read.text):
                    disavowals.extend(self._disavowals(passage))
        return disavowals

    def _disavowals(self, passage: Passage) -> list[Disavowal]:
        """The passage as a disavowal of a law it names, or nothing."""
        disavowal = self.disavowal.search(passage.text)
        if not disavowal or _NEGATED_BEFORE.search(passage.text[: disavowal.start()]):
            return []  # "No officer is exempt from state law" adheres to it
        if not any(c.pattern.search(passage.text) for c in self.components):
            return []
        return [Disavowal(passage, disavowal.group(0))]

    def _disavowal_finding(self, disavowals: list[Disavowal]) -> Finding | None:
        """Noncompliant, quoting the sentences that disavow the law; None if there are none."""
        if not disavowals:
            return None
        first = disavowals[0]
        message = self.rule.config["messages"]["noncompliant_disavowal"].format(
            quote=first.passage.text, place=_place(first.passage)
        )
        evidence = tuple(
            Evidence(
                text=hit.passage.text,
                section=hit.passage.section,
                page=hit.passage.page,
                paragraph=hit.passage.paragraph,
                role="disavowal",
                matched=(hit.matched,),
            )
            for hit in disavowals[:MAX_DISAVOWALS_QUOTED]
        )
        return Finding(
            rule=self.rule.id,
            title=self.rule.title,
            verdict=NONCOMPLIANT,
            explanation=" ".join(message.split()),
            evidence=evidence,
            citation=self.rule.citation,
        )

    def _wanted(self, found: dict[str, list[Hit]]) -> list[Component]:
        """The components whose next match would still be quoted: for some level it states,
        fewer than EVIDENCE_PER_COMPONENT hits as strong (stating as many levels) are in hand.
        Quotes go strongest first, so a weaker hit never displaces one already found."""
        return [
            component
            for component in self.components
            if any(
                sum(hit.levels >= len(component.satisfies) for hit in found.get(level, ()))
                < EVIDENCE_PER_COMPONENT
                for level in component.satisfies
            )
        ]

    def _note_components(self, passage: Passage, found: dict[str, list]) -> None:
        if self.exclude.search(passage.text):
            return
        for component in self.components:
            match = component.pattern.search(passage.text)
            if match:
                hit = Hit(passage, match.group(0), len(component.satisfies))
                for level in component.satisfies:
                    found.setdefault(level, []).append(hit)

    def _finding(self, found: dict[str, list[Hit]]) -> Finding:
        found = {level: _strongest_first(hits) for level, hits in found.items()}
        present = [name for name in self.required if name in found]
        missing = [name for name in self.required if name not in found]
        extra = [name for name in found if name not in self.required]
        if not present and not extra:
            verdict, key = NONCOMPLIANT, "noncompliant"
        elif missing:
            verdict, key = NEEDS_REVIEW, "needs_review"
        else:
            verdict, key = COMPLIANT, "compliant"
        message = self.rule.config["messages"][key].format(
            found=self._join(present + extra), missing=self._join(missing)
        )
        evidence = self._evidence(found)
        return Finding(
            rule=self.rule.id,
            title=self.rule.title,
            verdict=verdict,
            explanation=" ".join(message.split()) + self._deciding(found),
            evidence=evidence,
            citation=self.rule.citation,
        )

    def _deciding(self, found: dict[str, list[Hit]]) -> str:
        """Name the words that showed each level of law, and where they stand."""
        shown = []
        for level, hits in found.items():
            passage, matched = hits[0].passage, hits[0].matched
            shown.append(f'{self._short_label(level)} ("{matched}", {_place(passage)})')
        return f" Found: {'; '.join(shown)}." if shown else ""

    def _short_label(self, level: str) -> str:
        return self.labels.get(level, level).split(" (")[0]

    def _join(self, names: list[str]) -> str:
        labels = [self._level_label(name) for name in names]
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def _level_label(self, name: str) -> str:
        return self.labels.get(name, name)

    def _evidence(self, found: dict[str, list[Hit]]) -> tuple[Evidence, ...]:
        evidence: list[Evidence] = []
        seen: set[tuple] = set()
        for level, hits in found.items():
            for passage, matched, _ in hits[:EVIDENCE_PER_COMPONENT]:
                key = (passage.text, passage.page, passage.paragraph)
                if key in seen:
                    continue
                seen.add(key)
                evidence.append(
                    Evidence(
                        text=passage.text,
                        section=passage.section,
                        page=passage.page,
                        paragraph=passage.paragraph,
                        role=level,
                        matched=(matched,),
                    )
                )
        return tuple(evidence)


def _place(passage: Passage) -> str:
    """Where a passage stands, as findings name it ("§ 300.2, p. 4")."""
    return where(Evidence(passage.text, passage.section, passage.page, passage.paragraph, ""))
