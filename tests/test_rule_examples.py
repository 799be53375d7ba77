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
