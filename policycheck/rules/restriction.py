"""The `restriction` kind: a practice (choke holds) must be prohibited, with only allowed
exceptions. Each sentence that names the practice is classed; the worst class decides."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from policycheck.document import Document
from policycheck.report.model import COMPLIANT, NEEDS_REVIEW, NONCOMPLIANT, Evidence, Finding
from policycheck.rules.pack import Rule
from policycheck.rules.passages import Passage, Trigger, passages_for
from policycheck.rules.scope import main_clause, residual_words, scope_conditions
from policycheck.rules.wording import decided_by

FUZZY_MIN_SCORE = 88
FUZZY_MIN_LENGTH = 7
MAX_EVIDENCE = 6

# Roles a sentence can play, as reports name them.
PROHIBITION = "prohibition"
ALLOWED_EXCEPTION = "prohibition with allowed exception"
WIDE_EXCEPTION = "exception too wide"
UNCLEAR_EXCEPTION = "exception unclear"
QUALIFIED_BAN = "ban limited in scope"
DEADLY_ONLY = "permission limited to deadly force"
PERMISSION = "permission"
HEDGED = "hedged"
DEADLY_CLASS = "classed as deadly force"
NARROW_BAN = "narrow ban"
DEFINITION = "definition"
MENTION = "mention"

VALID_BANS = (PROHIBITION, ALLOWED_EXCEPTION, DEADLY_ONLY)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Classed:
    """What one passage says about the practice."""

    passage: Passage
    role: str
    groups: frozenset[str]
    matched: tuple[str, ...]
    exception: str = ""


class RestrictionRule:
    """Compiled patterns of one restriction rule, and the judgement built on them."""

    def __init__(self, rule: Rule):
        self.rule = rule
        config = rule.config
        terms = config["terms"]
        self.groups = {name: _compile(p) for name, p in terms["groups"].items()}
        self.descriptions = {name: _compile(p) for name, p in terms.get("descriptions", {}).items()}
        self.description_not_in = _compile(terms.get("description_not_in", [r"(?!x)x"]))
        self.required = config["terms"]["required"]
        self.fuzzy = {k.lower(): v for k, v in config["terms"].get("fuzzy", {}).items()}
        self.cues = {name: _compile(p) for name, p in config["cues"].items()}
        self.allowed = _compile(config["exceptions"]["allowed"])
        self.too_wide = _compile(config["exceptions"]["too_wide"])
        self.unclear = _compile(config["exceptions"].get("unclear", [r"(?!x)x"]))
        self.mention_sections = _compile(config.get("mention_sections", [r"(?!x)x"]))
        scope = config.get("ban_scope", {})
        words = scope.get("words", "")
        words = " ".join(words) if isinstance(words, list) else str(words)
        self.scope_words = frozenset(words.lower().split())
        self.scope_phrases = _compile(scope.get("phrases", [r"(?!x)x"]))
        self.allowed_scope = _compile(scope.get("allowed_conditions", [r"(?!x)x"]))
        self.scope_limits = _compile(scope.get("limits", [r"(?!x)x"]))
        beside = config["exceptions"].get("beside_allowed", {})
        words = beside.get("words", "")
        words = " ".join(words) if isinstance(words, list) else str(words)
        self.exception_words = frozenset(words.lower().split())
        self.exception_phrases = _compile(beside.get("phrases", [r"(?!x)x"]))
        fuzzy_words = "|".join(re.escape(word[:4]) for word in self.fuzzy)
        term_patterns = [
            p
            for table in (terms["groups"], terms.get("descriptions", {}))
            for patterns in table.values()
            for p in patterns
        ]
        self.trigger = Trigger(
            _compile(term_patterns + ([rf"\b(?:{fuzzy_words})\w*"] if fuzzy_words else [])),
            tuple(word.lower() for word in terms.get("anchors", [])),
        )

    # -- terms ---------------------------------------------------------------------------

    def find_terms(self, text: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """Which term groups a text names, and the words that named them."""
        groups, matched = set(), []
        patterns = list(self.groups.items())
        if not self.description_not_in.search(text):
            patterns += list(self.descriptions.items())
        for name, pattern in patterns:
            for match in pattern.finditer(text):
                groups.add(name)
                matched.append(match.group(0))
        for word in re.findall(rf"[A-Za-z]{{{FUZZY_MIN_LENGTH},}}", text):
            hit = process.extractOne(
                word.lower(), self.fuzzy.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE
            )
            if hit and word not in matched:
                groups.add(self.fuzzy[hit[0]])
                matched.append(word)
        return frozenset(groups), tuple(matched)

    def covers_required(self, groups: frozenset[str]) -> bool:
        """True when the groups include the practice the rule is about."""
        return self.required in groups or "general" in groups

    # -- one passage ---------------------------------------------------------------------

    def classify(self, passage: Passage) -> Classed | None:
        """Class one passage, or None if it does not name the practice."""
        groups, matched = self.find_terms(passage.text)
        scope = passage.text
        if passage.lead_in and passage.kind in ("list_item", "table_row"):
            lead_groups, lead_matched = self.find_terms(passage.lead_in)
            groups, matched = groups | lead_groups, matched + lead_matched
            scope = f"{passage.lead_in} {passage.text}"
        if not groups:
            return None
        role, exception, cues = self._role(scope, passage)
        return Classed(passage, role, groups, matched + cues, exception)

    def _role(self, text: str, passage: Passage) -> tuple[str, str, tuple[str, ...]]:
        if "ignore" in self.cues:
            text = self.cues["ignore"].sub(" ", text)
        hits = {name: pattern.search(text) for name, pattern in self.cues.items()}
        if "prohibition" in self.cues:
            hits["prohibition"] = self.cues["prohibition"].search(main_clause(text))
        cues = tuple(m.group(0) for m in hits.values() if m)
        if hits.get("hypothetical"):
            return MENTION, "", cues  # a proposal or a question bans and allows nothing
        if hits.get("negated_duty") or hits.get("negated_prohibition"):
            return PERMISSION, "", cues
        if hits.get("definition"):
            return DEFINITION, "", cues
        directive = hits.get("prohibition") or hits.get("permission") or hits.get("hedge")
        if not directive and (hits.get("term_label") or self._in_mention_section(passage)):
            return (DEFINITION if hits.get("term_label") else MENTION), "", cues
        if hits.get("prohibition"):
            return self._prohibition_role(text, passage, hits) + (cues,)
        if hits.get("permission"):
            return self._permission_role(text, hits) + (cues,)
        if hits.get("hedge"):
            return HEDGED, "", cues
        if hits.get("deadly_force_class"):
            return DEADLY_CLASS, "", cues
        return MENTION, "", cues

    def _in_mention_section(self, passage: Passage) -> bool:
        return bool(self.mention_sections.search(passage.section_title or ""))

    def _prohibition_role(self, text: str, passage: Passage, hits: dict) -> tuple[str, str]:
        if hits.get("narrow"):
            return NARROW_BAN, ""
        exception = " ".join(
            part
            for part in (self._exception_text(text, passage), self._later_permission(text))
            if part
        )
        role = self._judge_exception(exception, ALLOWED_EXCEPTION) if exception else PROHIBITION
        if role in (PROHIBITION, ALLOWED_EXCEPTION):
            limit = self._scope_limit(self._ban_clause(text, passage))
            if limit:
                return QUALIFIED_BAN, limit
        return role, exception

    def _later_permission(self, text: str) -> str:
        """A permission after the ban in the same sentence ("..., but officers may use them
        on combative subjects") is an exception to it; one inside the exception ("unless
        deadly force is justified") is the exception itself."""
        ban = self.cues["prohibition"].search(main_clause(text))
        if not ban:
            return ""
        opening = self.cues["exception_start"].search(text, ban.end())
        end = opening.start() if opening else len(text)
        later = self.cues["permission"].search(text, ban.end(), end)
        if later:
            return text[ban.end() : end].strip(" ,;")
        # "... unless deadly force is justified; officers may otherwise use them on ...":
        # a permission after the exception's own clause widens it.
        after = _clause(text[end:]) if opening else ""
        tail = text[end + len(after) :] if after else ""
        return tail.strip(" ,;") if self.cues["permission"].search(tail) else ""

    def _ban_clause(self, text: str, passage: Passage) -> str:
        """The words that carry the ban: a list item's own, unless its lead-in bans."""
        if passage.lead_in and passage.kind in ("list_item", "table_row"):
            own = self.cues["prohibition"].search(main_clause(passage.text))
            return passage.text if own else passage.lead_in
        return text

    def _scope_limit(self, clause: str) -> str:
        """What limits a ban's reach, or "" for a plain, total ban."""
        if "ignore" in self.cues:
            clause = self.cues["ignore"].sub(" ", clause)
        limit = self.scope_limits.search(clause)
        if limit:
            return limit.group(0)
        for condition in scope_conditions(clause):
            if not self.allowed_scope.search(condition):
                return condition
        terms = [*self.groups.values(), *self.descriptions.values()]
        extra = residual_words(main_clause(clause), terms, self.scope_phrases, self.scope_words)
        named = {word.lower() for term in self.find_terms(clause)[1] for word in term.split()}
        return " ".join(word for word in extra if word not in named)

    def _permission_role(self, text: str, hits: dict) -> tuple[str, str]:
        """A permission meets the rule only when its condition is deadly force being lawful."""
        if hits.get("hedged_permission"):
            return HEDGED, ""
        condition = self._exception_text(text, None) or text
        if self._judge_exception(condition, DEADLY_ONLY) == DEADLY_ONLY:
            return DEADLY_ONLY, condition
        return PERMISSION, condition

    def _exception_text(self, text: str, passage: Passage | None) -> str:
        """The words of an exception: after 'unless', 'except', 'only', in the next sentence,
        or in the next paragraph when it names the ban it takes back."""
        match = self.cues["exception_start"].search(text)
        exception = _clause(text[match.start() :]) if match else ""
        following = self._following_exception(passage) if passage else None
        if following:
            exception = f"{exception} {following}".strip()
        return exception

    def _following_exception(self, passage: Passage) -> str | None:
        if passage.next_text and self.cues["exception_sentence"].search(passage.next_text):
            return passage.next_text
        cue = self.cues.get("exception_paragraph")
        if passage.next_paragraph and cue and cue.search(passage.next_paragraph):
            return passage.next_paragraph
        return None

    def _judge_exception(self, exception: str, allowed_role: str) -> str:
        """Allowed when it names deadly force being lawful and nothing wider beside it."""
        remainder = self.allowed.sub(" ", exception)
        if self.too_wide.search(remainder):
            return WIDE_EXCEPTION
        if self.unclear.search(remainder):
            return UNCLEAR_EXCEPTION
        if remainder == exception:
            return UNCLEAR_EXCEPTION
        # "unless deadly force is justified or the subject is assaultive": whatever stands
        # beside the deadly-force condition must be words that add nothing to it.
        terms = [*self.groups.values(), *self.descriptions.values()]
        extra = residual_words(remainder, terms, self.exception_phrases, self.exception_words)
        return UNCLEAR_EXCEPTION if extra else allowed_role

    # -- the document --------------------------------------------------------------------

    def judge_document(self, document: Document) -> Finding:
        """The rule's finding over one document."""
        return self.judge(passages_for(document, self.trigger))

    def judge(self, passages: list[Passage]) -> Finding:
        """The rule's finding over every passage of one document."""
        classed = [c for c in (self.classify(p) for p in passages) if c is not None]
        return self._verdict(classed)

    def _verdict(self, classed: list[Classed]) -> Finding:
        required = [c for c in classed if self.covers_required(c.groups)]
        by_role = _group_by_role(required)
        vascular_permitted = [
            c
            for c in classed
            if c.role in (PERMISSION, UNCLEAR_EXCEPTION, WIDE_EXCEPTION)
            and not self.covers_required(c.groups)
        ]
        bans = [c for role in VALID_BANS for c in by_role.get(role, [])]
        if by_role.get(PERMISSION) or by_role.get(WIDE_EXCEPTION):
            return self._noncompliant_permitted(by_role, bans)
        if bans:
            # Carotid holds banned, or kept for deadly force, are quoted after the bans: a
            # reviewer sees how the policy treats every neck restraint.
            vascular_limited = [
                c for c in classed if c.role in VALID_BANS and not self.covers_required(c.groups)
            ]
            return self._with_bans(bans, by_role, vascular_permitted, vascular_limited)
        doubtful = [
            c
            for role in (UNCLEAR_EXCEPTION, QUALIFIED_BAN, HEDGED, DEADLY_CLASS)
            for c in by_role.get(role, [])
        ]
        if doubtful:
            return self._needs_review(doubtful)
        return self._no_ban(vascular_permitted, by_role.get(NARROW_BAN, []), classed)

    def _noncompliant_permitted(self, by_role: dict, bans: list[Classed]) -> Finding:
        wide = by_role.get(WIDE_EXCEPTION, [])
        if wide and not by_role.get(PERMISSION):
            message = self._message("noncompliant_wide_exception", exception=_quote(wide[0]))
        else:
            message = self._message("noncompliant_permitted")
        bad = by_role.get(PERMISSION, []) + wide
        notes = (self._note("conflicting"),) if bans else ()
        return self._finding(NONCOMPLIANT, message, bad + bans, notes)

    def _with_bans(
        self,
        bans: list[Classed],
        by_role: dict,
        vascular: list[Classed],
        vascular_limited: list[Classed],
    ) -> Finding:
        notes = (self._note("vascular_permitted"),) if vascular else ()
        unclear = by_role.get(UNCLEAR_EXCEPTION, []) + by_role.get(QUALIFIED_BAN, [])
        if unclear:
            message = self._doubt_message(unclear[0])
            return self._finding(NEEDS_REVIEW, message, unclear + bans, notes)
        has_exception = any(c.role != PROHIBITION for c in bans)
        exception_note = self._message("compliant_note_exception") if has_exception else ""
        message = self._message("compliant", exception_note=exception_note)
        return self._finding(COMPLIANT, message, bans + vascular + vascular_limited, notes)

    def _needs_review(self, doubtful: list[Classed]) -> Finding:
        roles = {c.role for c in doubtful}
        if roles & {UNCLEAR_EXCEPTION, QUALIFIED_BAN}:
            first = next(c for c in doubtful if c.role in (UNCLEAR_EXCEPTION, QUALIFIED_BAN))
            message = self._doubt_message(first)
        elif HEDGED in roles:
            message = self._message("needs_review_hedged")
        else:
            message = self._message("needs_review_deadly_class")
        return self._finding(NEEDS_REVIEW, message, doubtful)

    def _doubt_message(self, item: Classed) -> str:
        key = "needs_review_scope" if item.role == QUALIFIED_BAN else "needs_review_exception"
        return self._message(key, exception=_quote(item))

    def _no_ban(
        self, vascular: list[Classed], narrow: list[Classed], mentions: list[Classed]
    ) -> Finding:
        if vascular:
            return self._finding(
                NONCOMPLIANT, self._message("noncompliant_vascular_only"), vascular + mentions
            )
        if narrow:
            return self._finding(
                NONCOMPLIANT, self._message("noncompliant_narrow"), narrow + mentions
            )
        # Mentions are no ban, but a reviewer should see what the policy does say.
        message = self._message("noncompliant_silent")
        return self._finding(NONCOMPLIANT, message, mentions, decided=False)

    # -- output --------------------------------------------------------------------------

    def _message(self, key: str, **values: str) -> str:
        return " ".join(self.rule.config["messages"][key].split()).format(**values)

    def _note(self, key: str) -> str:
        return " ".join(self.rule.config["notes"][key].split())

    def _finding(
        self,
        verdict: str,
        message: str,
        classed: list[Classed],
        notes: tuple[str, ...] = (),
        decided: bool = True,
    ) -> Finding:
        groups = _group_list_items(_unique(classed))
        evidence = _without_repeats([_evidence(group) for group in groups])[:MAX_EVIDENCE]
        if evidence and decided:
            message += decided_by(evidence[0])
        return Finding(
            rule=self.rule.id,
            title=self.rule.title,
            verdict=verdict,
            explanation=message,
            evidence=evidence,
            notes=notes,
            citation=self.rule.citation,
        )


_CLAUSE_END = re.compile(r";|:|,? and (?:shall|must|will|should|may)\b|,? (?:but|however)\b")


def _clause(text: str) -> str:
    """Cut an exception at the end of its clause, so later duties are not read into it."""
    match = _CLAUSE_END.search(text)
    return text[: match.start()].strip() if match else text.strip()


def _group_by_role(classed: list[Classed]) -> dict[str, list[Classed]]:
    grouped: dict[str, list[Classed]] = {}
    for item in classed:
        grouped.setdefault(item.role, []).append(item)
    return grouped


def _unique(classed: list[Classed]) -> list[Classed]:
    seen, kept = set(), []
    for item in classed:
        key = item.passage.text
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _quote(item: Classed) -> str:
    words = item.exception.split()
    text = " ".join(words[:30]) + (" ..." if len(words) > 30 else "")
    return f'"{text}"'


def _group_list_items(classed: list[Classed]) -> list[list[Classed]]:
    """Items of one list that play one role become one quote: the lead-in once, then each
    item, as a reviewer would read them."""
    groups: list[list[Classed]] = []
    for item in classed:
        previous = groups[-1][-1] if groups else None
        if previous is not None and _same_list(previous, item):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _same_list(first: Classed, second: Classed) -> bool:
    a, b = first.passage, second.passage
    return (
        bool(a.lead_in)
        and a.kind in ("list_item", "table_row")
        and b.kind == a.kind
        and (a.lead_in, a.section, first.role) == (b.lead_in, b.section, second.role)
    )


def _without_repeats(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Leave out a quote that another quote of its section begins with: a list's lead-in on
    its own, beside the same lead-in quoted with its items."""
    return tuple(
        quote
        for quote in evidence
        if not any(
            other.section == quote.section
            and len(other.text) > len(quote.text)
            and other.text.startswith(quote.text.rstrip(": "))
            for other in evidence
        )
    )


def _evidence(group: list[Classed]) -> Evidence:
    first = group[0].passage
    texts = [item.passage.text for item in group]
    text = " ".join(texts)
    if first.lead_in and first.kind in ("list_item", "table_row"):
        text = f"{first.lead_in} ... " + " ... ".join(texts)
    matched = tuple(dict.fromkeys(m for item in group for m in item.matched if m and m in text))
    return Evidence(
        text=text,
        section=first.section,
        page=first.page,
        paragraph=first.paragraph,
        role=group[0].role,
        matched=matched,
    )
