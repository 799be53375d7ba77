"""Run a rule pack over a document: one finding per rule, gathered into a report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from policycheck.document import Block, Document, Location, Section
from policycheck.report.model import Finding, PackInfo, Report
from policycheck.rules.pack import Example, Rule, RulePack
from policycheck.rules.passages import one_reading
from policycheck.rules.restriction import RestrictionRule
from policycheck.rules.statement import StatementRule

log = logging.getLogger(__name__)

KIND_CLASSES = {"restriction": RestrictionRule, "statement": StatementRule}


def compile_rule(rule: Rule) -> RestrictionRule | StatementRule:
    """The engine object that implements a rule's kind."""
    return KIND_CLASSES[rule.kind](rule)


@dataclass
class Checker:
    """Packs compiled once, ready to check any number of documents.

    The first pack is the report's main one; packs added with ``--rules`` follow it.
    """

    pack: RulePack
    extra_packs: tuple[RulePack, ...] = ()

    def __post_init__(self) -> None:
        packs = (self.pack, *self.extra_packs)
        self.compiled = [compile_rule(rule) for pack in packs for rule in pack.rules]

    def check(self, document: Document) -> Report:
        """Check one document against every rule of every pack."""
        with one_reading(document):
            findings = [self._judge(compiled, document) for compiled in self.compiled]
        return Report(
            document=document,
            pack=_pack_info(self.pack),
            findings=findings,
            checked_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            extra_packs=tuple(_pack_info(pack) for pack in self.extra_packs),
        )

    @staticmethod
    def _judge(compiled: RestrictionRule | StatementRule, document: Document) -> Finding:
        log.debug("%s: judging %s", document.source, compiled.rule.id)
        return compiled.judge_document(document)


def _pack_info(pack: RulePack) -> PackInfo:
    return PackInfo(id=pack.id, version=pack.version, title=pack.title)


def example_document(example: Example) -> Document:
    """A one-section document holding an example sentence, with its lead-in if it has one."""
    kind = "list_item" if example.lead_in else "paragraph"
    block = Block(
        text=example.text, kind=kind, location=Location(paragraph=0), lead_in=example.lead_in
    )
    section = Section(number="", title=example.section or "Example", level=1, blocks=[block])
    return Document(source="<example>", sha256="", kind="text", pages=None, sections=[section])


def run_example(rule: Rule, example: Example) -> Finding:
    """The finding a rule gives on one of its own examples."""
    return compile_rule(rule).judge_document(example_document(example))
