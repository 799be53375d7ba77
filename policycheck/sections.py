"""Recognise section headings and build the section tree that readers hand to the rules.

Shared by every reader: a reader marks blocks it knows are headings (``kind="heading"``);
for PDF and text, :func:`heading_parts` decides from the words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from policycheck.document import Block, Section
from policycheck.manuals import group_manual_policies

MAX_HEADING_WORDS = 12
# A lettered paragraph's run-in title ("B. Calls Involving More than One Officer. A ...").
MAX_RUN_IN_WORDS = 8
MAX_TERM_WORDS = 5

# Order matters: the first scheme whose pattern matches names the heading's numbering.
_NUMBER_PATTERNS = (
    ("hyphen-dotted", re.compile(r"^(?P<num>\d{2,4}(?:\.\d+)+\s*-\s*\d+(?:\.\d+)*)\s+(?=\S)")),
    ("dotted", re.compile(r"^(?P<num>(?:[A-Z]{1,3}(?=\d))?\d{1,4}(?:\.\d{1,4})+)\.?\s+(?=\S)")),
    ("letter-code", re.compile(r"^(?P<num>[A-Z]{1,2}-\d{1,3})\s+(?=\S)")),
    ("hyphen-chain", re.compile(r"^(?P<num>\d{1,3}(?:-\d{1,3}){2,})\s+(?=\S)")),
    ("dashed", re.compile(r"^(?P<num>\d{1,3}-\d{1,3})\s+(?=\S)")),
    ("roman", re.compile(r"^(?P<num>(?=[IVXL])[IVXL]{1,6}\.)\s+(?=\S)")),
    ("upper", re.compile(r"^(?P<num>[A-Z]\.)\s+(?=\S)")),
    ("decimal", re.compile(r"^(?P<num>\d{1,3}\.)(?:\s+|(?=[A-Z][a-z]))(?=\S)")),
    ("paren-lower", re.compile(r"^(?P<num>\([a-z]{1,3}\))\s+(?=\S)")),
    ("lower", re.compile(r"^(?P<num>[a-z]\.)\s+(?=\S)")),
)
# What every pattern above needs at the start: a digit in the first word, an opening
# parenthesis, or a short first word ending in a full stop. Most lines of a policy have none,
# and one test is cheaper than ten.
_MAY_BE_NUMBERED = re.compile(r"\(|\S{0,7}\.\s|\S*\d")
# Schemes that stand for sections even when their title is long; the others are often list
# items, so only a short title-like line counts as a heading for them.
_SECTION_SCHEMES = {"hyphen-dotted", "dotted", "letter-code", "hyphen-chain"}
# Schemes whose numbers nest by how many parts they have: 2-52 holds 2-52-4.
_DEPTH_SCHEMES = {
    "hyphen-dotted": "dotted",
    "dotted": "dotted",
    "hyphen-chain": "dashed",
    "dashed": "dashed",
}
# A numbered line in capitals up to this long is a heading ("1. POLICY", "2. NECK HOLDS").
CAPS_ITEM_WORDS = 6
_LIST_SCHEMES = {"decimal", "paren-lower", "lower"}
# Short words a title leaves in lower case ("Use of Force"); a title never ends with one.
TITLE_SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or per the to with vs v than be".split()
)
_SMALL_WORDS = TITLE_SMALL_WORDS
# A contents or index line: a title, a leader of dots (spaced or not), a page number.
_TOC_LEADER = re.compile(r"(?:\s\.|\.\s?\.)[\s.]*\d+\s*$")


@dataclass(frozen=True)
class HeadingParts:
    """A heading split into its number, its numbering scheme and its title."""

    number: str
    scheme: str
    title: str


def is_contents_line(text: str) -> bool:
    """True for a table-of-contents or index line: "Use of Force ........ 39"."""
    # Such a line ends with its page number; testing that first spares most lines the search.
    return text.rstrip()[-1:].isdigit() and bool(_TOC_LEADER.search(text))


@lru_cache(maxsize=8192)
def split_number(text: str) -> tuple[str, str, str]:
    """Split a leading section or list number off ``text``: (number, scheme, rest)."""
    if not _MAY_BE_NUMBERED.match(text):
        return "", "", text.strip()
    for scheme, pattern in _NUMBER_PATTERNS:
        match = pattern.match(text)
        if match:
            return match.group("num"), scheme, text[match.end() :].strip()
    return "", "", text.strip()


@lru_cache(maxsize=8192)
def heading_parts(line: str) -> HeadingParts | None:
    """Return the heading's parts if ``line`` reads as a section heading, else None."""
    text = " ".join(line.split())
    if not text or len(text) > 140 or is_contents_line(text):
        return None
    number, scheme, title = split_number(text)
    if number and scheme in _SECTION_SCHEMES and (not title or _is_title(title, strict=False)):
        # "1.3.10 1.3.11 4.1.2" is a list of standards cited, not a numbered title.
        return HeadingParts(number, scheme, title) if _has_words(title) or not title else None
    if number and scheme not in _LIST_SCHEMES and title and _is_title(title, strict=True):
        return HeadingParts(number, scheme, title)
    # "1. POLICY" in a plain-text policy: a list item is a sentence, not a short capitals line.
    if scheme == "decimal" and _is_caps_title(title) and len(title.split()) <= CAPS_ITEM_WORDS:
        return HeadingParts(number, scheme, title)
    if not number and _is_caps_title(title):
        return HeadingParts("", "caps", title)
    return None


def _has_words(title: str) -> bool:
    return sum(ch.isalpha() for ch in title) >= 2


def _is_title(title: str, strict: bool) -> bool:
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS or title[-1] in ".;,:":
        return False
    if not title[0].isupper() and not title[0].isdigit():
        return False
    if not strict or _is_caps_title(title):
        return True
    if words[-1].lower() in _SMALL_WORDS:
        return False  # "A. Pursuant to Chapter 720, an": a sentence that runs on
    if any(word.endswith(".") and len(word) > 4 for word in words[:-1]):
        return False  # "Definitions. (A 1.3.2)": a run-in title and its text, not a title
    lettered = [w.strip("(\"'“‘[") for w in words if any(ch.isalpha() for ch in w)]
    capitalised = [w for w in lettered if w[:1].isupper() or w.lower() in _SMALL_WORDS]
    return len(capitalised) == len(lettered)


def _is_caps_title(title: str) -> bool:
    if not title.isupper() or title[-1] in ".,;" or len(title.split()) > MAX_HEADING_WORDS:
        return False
    # Citations such as "ILCS 720 5/7-5" are capitals too, but mostly digits and marks.
    letters = sum(ch.isalpha() for ch in title)
    return letters >= 4 and letters >= 0.6 * len(title.replace(" ", ""))


def build_sections(blocks: list[Block], root_title: str = "") -> list[Section]:
    """Nest blocks under their headings; text before the first heading gets a front section.

    A numbering scheme seen first is the outer one: a heading whose scheme is already open
    closes back to it (a sibling); a new scheme opens inside the current section. Dotted
    numbers and heading styles nest by depth. An unnumbered heading is a sibling of an
    unnumbered heading directly open, else it opens inside the current section.
    """
    front = Section(number="", title=root_title or "(front matter)", level=0)
    roots: list[Section] = []
    stack: list[_Open] = []
    for block in demote_false_headings(blocks):
        heading = _heading_for(block, stack)
        if heading is None:
            (stack[-1].section if stack else front).blocks.append(block)
            continue
        section, key = heading
        _close_to(stack, key)
        (stack[-1].section.children if stack else roots).append(section)
        section.level = len(stack) + 1
        stack.append(_Open(key, section))
        if block.kind != "heading":
            section.blocks.append(block)
    if front.blocks:
        front.page = front.blocks[0].location.page
    sections = ([front] if front.blocks else []) + roots
    return group_manual_policies(sections)


def demote_false_headings(blocks: list[Block]) -> list[Block]:
    """Read as paragraphs the headings that are not sections: the entries of a table of
    contents, and the labelled fields of a cover sheet ("ISSUE DATE:", "RESCINDS:").

    Only headings guessed from type or words are judged; a heading style is the author's.
    """
    false = _contents_entries(blocks) | _cover_fields(blocks)
    return [
        replace(block, kind="paragraph") if index in false and block.level is None else block
        for index, block in enumerate(blocks)
    ]


def _contents_entries(blocks: list[Block]) -> set[int]:
    """Numbered headings in a run of MIN_CONTENTS_RUN headings with nothing between them,
    that are headed again later: "I. Policy ... VII. Investigating" listed before "I. POLICY".
    """
    headings = [index for index, block in enumerate(blocks) if block.kind == "heading"]
    keys = {index: _heading_key(blocks[index].text) for index in headings}
    last_seen = {key: index for index, key in keys.items()}
    entries: set[int] = set()
    for run in _consecutive_runs(headings):
        if len(run) < MIN_CONTENTS_RUN:
            continue
        entries.update(index for index in run if keys[index][0] and last_seen[keys[index]] > index)
    return entries


def _consecutive_runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _heading_key(text: str) -> tuple[str, str]:
    """What a contents entry shares with its heading: number and first word of the title."""
    number, _, title = split_number(" ".join(text.split()))
    return number, (title.split() or [""])[0].casefold()


def _cover_fields(blocks: list[Block]) -> set[int]:
    """The run of unnumbered headings that opens a document when each holds only a short
    value and MIN_COVER_FIELDS of them do: a form's labels, not the policy's sections.

    The heading just above a numbered heading is the document's title and ends the run.
    """
    fields: list[int] = []
    headings = [index for index, block in enumerate(blocks) if block.kind == "heading"]
    for position, index in enumerate(headings):
        following = headings[position + 1] if position + 1 < len(headings) else len(blocks)
        values = blocks[index + 1 : following]
        if split_number(blocks[index].text)[0] or any(
            _word_count(value.text) > MAX_COVER_VALUE_WORDS for value in values
        ):
            break
        if not values and following < len(blocks) and split_number(blocks[following].text)[0]:
            break
        fields.append(index)
    return set(fields) if len(fields) >= MIN_COVER_FIELDS else set()


def _word_count(text: str) -> int:
    """Words of two letters or more: "CALEA 4.1.1, 4.1.2, 4.1.3" is one."""
    return sum(1 for word in text.split() if sum(ch.isalpha() for ch in word) >= 2)


MIN_CONTENTS_RUN = 3
MIN_COVER_FIELDS = 3
MAX_COVER_VALUE_WORDS = 8


@dataclass
class _Open:
    key: tuple
    section: Section


def _heading_for(block: Block, stack: list[_Open]) -> tuple[Section, tuple] | None:
    if block.kind == "heading":
        return _section_for(block, stack)
    if block.kind == "list_item":
        return _item_as_section(block, stack)
    return None


def _section_for(block: Block, stack: list[_Open]) -> tuple[Section, tuple]:
    parts = heading_parts(block.text)
    if parts is None:
        number, scheme, title = split_number(block.text)
        parts = HeadingParts(number, scheme or "plain", title)
    section = Section(number=parts.number, title=parts.title, level=0, page=block.location.page)
    key = _scheme_key(parts, block.level)
    if key == ("roman", 0) and _continues_letters(parts.number, stack):
        key = ("upper", 0)  # "I." after "H." is the letter I, not one
    return section, key


def _continues_letters(number: str, stack: list[_Open]) -> bool:
    return any(
        entry.key == ("upper", 0) and _successor(entry.section.number, "upper") == number
        for entry in stack
    )


def _item_as_section(block: Block, stack: list[_Open]) -> tuple[Section, tuple] | None:
    """A numbered item that is a part of the policy rather than an item of a list.

    A lettered or Roman paragraph with no lead-in ("D. Vascular Neck Restraint. Police
    personnel ...") is a subsection, cited as such; so is an item that follows an open
    heading's number ("B. Firing" then "C. Officers shall not ..."). Items a lead-in
    sentence introduces stay in its scope.
    """
    number, scheme, rest = split_number(block.text)
    if not number or scheme not in ("upper", "roman", "decimal"):
        return None
    if scheme == "roman" and _continues_letters(number, stack):
        scheme = "upper"
    key = (scheme, 0)
    continues = any(
        entry.key == key and _successor(entry.section.number, scheme) == number for entry in stack
    )
    if not continues and (scheme == "decimal" or block.lead_in is not None):
        return None
    section = Section(number=number, title=_short_title(rest), level=0, page=block.location.page)
    return section, key


def _successor(number: str, scheme: str) -> str:
    core = number.rstrip(".")
    if scheme == "upper" and len(core) == 1 and core < "Z":
        return chr(ord(core) + 1) + "."
    if scheme == "decimal" and core.isdigit():
        return f"{int(core) + 1}."
    if scheme == "roman":
        return _to_roman(_from_roman(core) + 1) + "."
    return ""


_ROMAN = (
    ("M", 1000),
    ("CM", 900),
    ("D", 500),
    ("CD", 400),
    ("C", 100),
    ("XC", 90),
    ("L", 50),
    ("XL", 40),
    ("X", 10),
    ("IX", 9),
    ("V", 5),
    ("IV", 4),
    ("I", 1),
)


def _from_roman(text: str) -> int:
    value, rest = 0, text.upper()
    for letters, amount in _ROMAN:
        while rest.startswith(letters):
            value, rest = value + amount, rest[len(letters) :]
    return value if not rest else -10


def _to_roman(value: int) -> str:
    letters = ""
    for symbol, amount in _ROMAN:
        while value >= amount > 0:
            letters, value = letters + symbol, value - amount
    return letters


def _short_title(text: str) -> str:
    """A title for an item that is a section: its run-in title ("Authorization. Police
    personnel ..."), the term it defines ("Baton round - an extended range ..."), or its
    first words."""
    term = re.match(r"^([^.:;–—]{2,60}?)\s[-–—]\s", text)
    if term and len(term.group(1).split()) <= MAX_TERM_WORDS:
        return term.group(1)
    lead = re.match(r"^([^.:;–—]{2,60}?)[.:]\s", text)
    if (
        lead
        and len(lead.group(1).split()) <= MAX_RUN_IN_WORDS
        and _is_title(lead.group(1), strict=True)
    ):
        return lead.group(1)
    words = text.split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def _scheme_key(parts: HeadingParts, style_level: int | None) -> tuple:
    """Headings with equal keys are siblings; dotted and styled keys also carry a depth."""
    if style_level is not None:
        return ("styled", style_level)
    if parts.scheme in _DEPTH_SCHEMES:
        return (_DEPTH_SCHEMES[parts.scheme], len(re.findall(r"\d+", parts.number)))
    if parts.scheme in ("caps", "plain"):
        return ("plain", 0)
    return (parts.scheme, 0)


def _close_to(stack: list[_Open], key: tuple) -> None:
    """Pop the open headings that a new heading with ``key`` closes."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index].key == key:
            del stack[index:]
            return
        if key[0] == "plain":
            return  # only an unnumbered heading directly open is a sibling
    if key[0] in ("dotted", "dashed", "styled"):
        for index, entry in enumerate(stack):
            if entry.key[0] == key[0] and entry.key[1] >= key[1]:
                del stack[index:]
                return
