"""Every example sentence in the shipped rule packs gets the verdict its rule file states."""

from __future__ import annotations

import pytest

from policycheck.rules import load_pack, run_example

PACK = load_pack()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}:{example.text[:50]}")
    for rule in PACK.rules
    for example in rule.examples
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_gets_its_verdict(rule, example):
    finding = run_example(rule, example)
    assert finding.verdict == example.verdict, finding.explanation


def test_each_rule_has_enough_examples_of_every_verdict():
    for rule in PACK.rules:
        verdicts = [example.verdict for example in rule.examples]
        assert len(verdicts) >= 15, rule.id
        assert set(verdicts) == {"compliant", "needs_review", "noncompliant"}, rule.id


def test_noncompliant_chokehold_finding_quotes_the_wide_exception():
    rule = next(r for r in PACK.rules if r.id == "eo13929.chokehold")
    example = next(e for e in rule.examples if "resisting arrest" in e.text)
    finding = run_example(rule, example)
    assert "resisting arrest" in finding.explanation
    assert finding.evidence[0].role == "exception too wide"


def test_california_scorecard_excerpts_without_a_ban_are_never_compliant(corpus_dir):
    """A third-party label set (100 California cities, 2019): excerpts its reviewers read as
    not banning chokeholds and strangleholds must not pass. (One excerpt bans airway
    chokeholds "but not carotid restraints", which EO 13929 accepts; the "but" sends it to a
    reviewer.)"""
    import csv

    from policycheck.rules.pack import Example

    rule = next(r for r in PACK.rules if r.id == "eo13929.chokehold")
    path = corpus_dir / "external" / "CA_PoliceScorecard_2019_chokehold_labels.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["bans_chokeholds_and_strangleholds"]]
    passed = {
        row["slug"]
        for row in rows
        if row["bans_chokeholds_and_strangleholds"] == "0"
        and run_example(rule, Example(row["policy_language_excerpt"], "noncompliant")).verdict
        == "compliant"
    }
    assert passed == set()


def test_a_policys_own_statement_of_all_levels_is_quoted_before_stray_citations():
    """A manual cites statutes long before its use-of-force policy states adherence to all
    levels of law; the statement is the evidence a reviewer needs first."""
    from policycheck.document import Block, Document, Location, Section
    from policycheck.rules.engine import compile_rule

    rule = next(r for r in PACK.rules if r.id == "eo13929.legal-adherence")
    letter = Section("3.", "Denial of Request", 1, page=2)
    letter.blocks.append(
        Block(
            "The request is denied under 5 ILCS 140/7 and the Fourth Amendment.",
            location=Location(page=2),
        )
    )
    policy = Section("300.1", "Policy", 1, page=24)
    policy.blocks.append(
        Block(
            "Officers shall follow all applicable federal, state and local laws.",
            location=Location(page=24),
        )
    )
    document = Document("manual.pdf", "0" * 64, "pdf", 24, [letter, policy])
    finding = compile_rule(rule).judge_document(document)
    assert finding.verdict == "compliant"
    assert finding.evidence[0].page == 24
    assert (
        '("all applicable federal, state and local laws", § 300.1 Policy, p. 24)'
        in (finding.explanation.split("; ")[0])
    )


def test_a_check_normalises_each_block_once_and_keeps_nothing_after(monkeypatch):
    """Every rule reads the whole document; its blocks are normalised once per check, not once
    per rule, and are not held once the check is over."""
    from conftest import SAMPLES

    from policycheck.readers import read_document
    from policycheck.rules import Checker, passages

    document = read_document(SAMPLES / "total_ban.docx")
    blocks = sum(len(section.blocks) for section in document.walk())
    calls = []
    real = passages.normalise
    monkeypatch.setattr(passages, "normalise", lambda text: calls.append(text) or real(text))
    report = Checker(PACK).check(document)
    assert len(report.findings) == len(PACK.rules) >= 2
    assert len(calls) == blocks
    assert not passages._held
