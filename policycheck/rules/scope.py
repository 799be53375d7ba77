"""How far a sentence's ban reaches: its main clause, the conditions around it, and any word
that may narrow it.

A careful reviewer passes "Officers shall not use a chokehold on any person" but not "...on a
person who is handcuffed", "...during training" or "While on duty, ...". Rather than list every
narrowing phrase, a ban is clean only when every word around it is one a plain, total ban
uses (the rule pack lists them); any other word sends the sentence to a reviewer.
"""

from __future__ import annotations

import re

_LEADING_CONDITION = re.compile(
    r"^\W*(?P<condition>(when|whenever|where|while|during|if|unless|absent|except|"
    r"in (situations|circumstances|cases))\b[^,]*),\s*",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(unless|except|where|when|whenever|while|during|if|other than|provided|"
    r"in (situations|circumstances|cases) (where|when|in which))\b",
    re.IGNORECASE,
)
# Conditions that open an exception; the rule judges those as exceptions, not as scope.
_EXCEPTION_OPENERS = re.compile(r"^(unless|except|other than|provided)\b", re.IGNORECASE)
# "The Rockford Police Department", "the Sheriff's Office": who bans, not what is banned.
_AGENCY = re.compile(
    r"\b(?i:the )?([A-Z][\w.'&-]*\s){1,4}(?i:police|sheriff'?s?|county|city|village|town|"
    r"state|department|office|division|bureau|agency)\b(?i: (department|office|division))?",
)
_CITATION = re.compile(r"\([^)]*\d[^)]*\)|§+\s*[\w.-]+")
_LIST_MARKER = re.compile(r"^\W*(\(?[a-z0-9]{1,4}[.)])\s+", re.IGNORECASE)


def main_clause(text: str) -> str:
    """The sentence without its conditions: a leading 'When ...,' and anything from
    'unless', 'except', 'where' or 'when' on, where a negation is about something else."""
    lead = _LEADING_CONDITION.match(text)
    if lead:
        text = text[lead.end() :]
    condition = _CONDITION.search(text)
    return text[: condition.start()] if condition else text


def scope_conditions(text: str) -> list[str]:
    """Conditions that limit when a ban applies ("When a subject is compliant, ...",
    "... while on duty"), leaving out the exceptions that 'unless' or 'except' open."""
    found = []
    lead = _LEADING_CONDITION.match(text)
    if lead and not _EXCEPTION_OPENERS.match(lead.group("condition")):
        found.append(lead.group("condition"))
    rest = text[lead.end() :] if lead else text
    trailing = _CONDITION.search(rest)
    if trailing and not _EXCEPTION_OPENERS.match(rest[trailing.start() :]):
        found.append(rest[trailing.start() :].strip())
    return found


def residual_words(
    clause: str, terms: list[re.Pattern[str]], phrases: re.Pattern[str], words: frozenset[str]
) -> list[str]:
    """Words of a ban's main clause that a plain, total ban does not use."""
    text = _LIST_MARKER.sub(" ", clause)
    text = _AGENCY.sub(" ", text)
    text = _CITATION.sub(" ", text)
    for pattern in terms:
        text = pattern.sub(" ", text)
    text = phrases.sub(" ", text)
    return [word for word in re.findall(r"[a-z]{2,}", text.lower()) if word not in words]
