"""A policy that disavows a law fails the legal-adherence principle, wherever the disavowal
stands, and the finding quotes it."""

from __future__ import annotations

from policycheck.readers.text import read_text

ADHERENCE = "Members shall act within all applicable federal, state and local laws."


def legal_finding(checker, *sections: str):
    """The legal-adherence finding on a policy whose numbered sections hold these texts."""
    text = "\n\n".join(
        f"{number}. PART {number}\n\n{body}" for number, body in enumerate(sections, 1)
    )
    report = checker.check(read_text(text.encode("utf-8"), "policy.txt", ""))
    return next(f for f in report.findings if f.rule.endswith("legal-adherence"))


def test_a_disavowal_after_every_level_is_found_still_fails_the_policy(checker):
    statements = [ADHERENCE] * 5 + ["Officers shall obey 42 U.S.C. 1983 and the state code."] * 5
    disavowal = "During a declared riot this policy is not governed by state law."
    finding = legal_finding(checker, *statements, disavowal)

    assert finding.verdict == "noncompliant", finding.explanation
    assert disavowal in finding.explanation
    assert [evidence.text for evidence in finding.evidence] == [disavowal]
    assert finding.evidence[0].section.startswith("11")


def test_a_law_that_overrides_the_policy_is_adherence(checker):
    finding = legal_finding(
        checker, ADHERENCE, "Where state law is stricter, state law supersedes this policy."
    )
    assert finding.verdict == "compliant", finding.explanation
