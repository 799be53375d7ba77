"""A choke-hold ban taken back in the paragraph after it is not a plain ban; an unrelated
paragraph after a ban takes nothing back."""

from __future__ import annotations

import pytest

from policycheck.readers.text import read_text

BAN = "Officers shall not use chokeholds."


def chokehold_finding(checker, *paragraphs: str):
    """The choke-hold finding on a one-section policy made of these paragraphs."""
    return finding_on(checker, "1. NECK RESTRAINTS\n\n" + "\n\n".join(paragraphs) + "\n")


def finding_on(checker, text: str):
    """The choke-hold finding on a policy written as plain text."""
    report = checker.check(read_text(text.encode("utf-8"), "policy.txt", ""))
    return next(f for f in report.findings if f.rule.endswith("chokehold"))


@pytest.mark.parametrize(
    ("takeback", "verdict"),
    [
        ("This prohibition does not apply when a supervisor approves.", "noncompliant"),
        ("This prohibition does not apply to SWAT officers.", "needs_review"),
        ("The foregoing shall not apply to SWAT operations.", "needs_review"),
        ("However, this restriction does not apply during civil disturbances.", "needs_review"),
        ("Tactical team members are exempt from this section.", "needs_review"),
        ("Such holds may be used on combative subjects.", "noncompliant"),
        ("This policy does not apply to off-duty employment.", "needs_review"),
        ("Note: This prohibition does not apply to SWAT operators.", "needs_review"),
        ("(a) This prohibition does not apply to SWAT operators.", "needs_review"),
        ("Notwithstanding the above, SWAT operators may employ them.", "needs_review"),
        ("The Chief may waive this section.", "needs_review"),
    ],
)
def test_a_ban_taken_back_in_the_next_paragraph_does_not_pass(checker, takeback, verdict):
    finding = chokehold_finding(checker, BAN, takeback)
    assert finding.verdict == verdict, finding.explanation
    assert takeback.rstrip(".") in finding.explanation


@pytest.mark.parametrize(
    "following",
    [
        "This prohibition does not apply when deadly force is legally justified.",
        "However, officers may use a baton to defend themselves.",
        "Officers shall document every use of force.",
        "Officers shall receive annual training on this policy.",
    ],
)
def test_a_paragraph_that_takes_nothing_back_leaves_the_ban_standing(checker, following):
    finding = chokehold_finding(checker, BAN, following)
    assert finding.verdict == "compliant", finding.explanation


def test_a_takeback_two_paragraphs_on_is_not_read_as_this_bans(checker):
    finding = chokehold_finding(
        checker, BAN, "Officers shall document every use of force.", "This rule does not apply."
    )
    assert finding.verdict == "compliant", finding.explanation


@pytest.mark.parametrize(
    "permission",
    [
        "Officers shall use a chokehold to subdue combative subjects.",
        "Chokeholds are not prohibited when the subject is violently resisting arrest.",
        "A chokehold is an option for controlling a combative subject.",
        "A chokehold, which is defined as pressure on the windpipe, may be used on resisters.",
    ],
)
def test_a_permission_in_a_later_section_fails_the_ban(checker, permission):
    text = f"1. NECK RESTRAINTS\n\n{BAN}\n\n2. CONTROL HOLDS\n\n{permission}\n"
    finding = finding_on(checker, text)
    assert finding.verdict == "noncompliant", finding.explanation


def test_a_takeback_after_a_list_of_banned_holds_covers_the_whole_list(checker):
    listed = ("Officers shall not use:", "- chokeholds;", "- baton strikes to the head.")
    finding = chokehold_finding(checker, *listed, "This prohibition does not apply to SWAT.")
    assert finding.verdict == "needs_review", finding.explanation


def test_a_list_ban_is_quoted_once_with_its_items_not_again_alone(checker):
    lead_in = "The following neck restraints are banned except where deadly force is authorized:"
    finding = chokehold_finding(checker, lead_in, "- chokeholds;", "- strangleholds.")
    quotes = [evidence.text for evidence in finding.evidence]
    assert finding.verdict == "compliant", finding.explanation
    assert len(quotes) == 1 and "strangleholds" in quotes[0], quotes
