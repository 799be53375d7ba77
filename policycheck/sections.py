"""Recognise section headings and build the section tree that readers hand to the rules.

Shared by every reader: a reader marks blocks it knows are headings (``kind="heading"``);
for PDF and text, :func:`heading_parts` decides from the words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycheck.document import Block, Section

MAX_HEADING_WORDS = 12

# Order matters: the first scheme whose pattern matches names the heading's numbering.
_NUMBER_PATTERNS = (
    ("hyphen-dotted", re.compile(r"^(?P<num>\d{2,4}(?:\.\d+)+\s*-\s*\d+(?:\.\d+)*)\s+(?=\S)")),
    ("dotted", re.compile(r"^(?P<num>\d{1,4}(?:\.\d{1,4})+)\.?\s+(?=\S)")),
    ("letter-code", re.compile(r"^(?P<num>[A-Z]{1,2}-\d{1,3})\s+(?=\S)")),
    ("dashed", re.compile(r"^(?P<num>\d{1,3}-\d{1,3})\s+(?=\S)")),
    ("roman", re.compile(r"^(?P<num>(?=[IVXL])[IVXL]{1,6}\.)\s+(?=\S)")),
    ("upper", re.compile(r"^(?P<num>[A-Z]\.)\s+(?=\S)")),
    ("decimal", re.compile(r"^(?P<num>\d{1,3}\.)\s+(?=\S)")),
    ("paren-lower", re.compile(r"^(?P<num>\([a-z]{1,3}\))\s+(?=\S)")),
    ("lower", re.compile(r"^(?P<num>[a-z]\.)\s+(?=\S)")),
)
# Schemes that stand for sections even when their title is long; the others are often list
# items, so only a short title-like line counts as a heading for them.
_SECTION_SCHEMES = {"hyphen-dotted", "dotted", "letter-code"}
_LIST_SCHEMES = {"decimal", "paren-lower", "lower"}
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to",
                "with", "from", "into", "per", "vs", "v"}
_TOC_LEADER = re.compile(r"(\.\s?){4,}\s*\d+\s*$|\s\d+\s*$")


@dataclass(frozen=True)
class HeadingParts:
    """A heading split into its number, its numbering scheme and its title."""

    number: str
    scheme: str
    title: str


def split_number(text: str) -> tuple[str, str, str]:
    """Split a leading section or list number off ``text``: (number, scheme, rest)."""
    for scheme, pattern in _NUMBER_PATTERNS:
        match = pattern.match(text)
        if match:
            return match.group("num"), scheme, text[match.end():].strip()
    return "", "", text.strip()


def heading_parts(line: str) -> HeadingParts | None:
    """Return the heading's parts if ``line`` reads as a section heading, else None."""
    text = " ".join(line.split())
    if not text or len(text) > 140 or _TOC_LEADER.search(text) and "...." in text:
        return None
    number, scheme, title = split_number(text)
    if number and scheme in _SECTION_SCHEMES and (not title or _is_title(title, strict=False)):
        return HeadingParts(number, scheme, title)
    if number and scheme not in _LIST_SCHEMES and title and _is_title(title, strict=True):
        return HeadingParts(number, scheme, title)
    if not number and _is_caps_title(title):
        return HeadingParts("", "caps", title)
    return None


def _is_title(title: str, strict: bool) -> bool:
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS or title[-1] in ".;,:":
        return False
    if not title[0].isupper() and not title[0].isdigit():
        return False
    if not strict or _is_caps_title(title):
        return True
    lettered = [w for w in words if any(ch.isalpha() for ch in w)]
    capitalised = [w for w in lettered if w[0].isupper() or w.lower() in _SMALL_WORDS]
    return len(capitalised) == len(lettered)


def _is_caps_title(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    words = title.split()
    # Citations such as "ILCS 720 5/7-5" are capitals too, but mostly digits and marks.
    return (
        len(letters) >= 4
        and len(letters) >= 0.6 * len(title.replace(" ", ""))
        and len(words) <= MAX_HEADING_WORDS
        and all(ch.isupper() for ch in letters)
        and title[-1] not in ".,;"
    )


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
    for block in blocks:
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
    sections = ([front] if front.blocks else []) + roots
    return group_manual_policies(sections)


@dataclass
class _Open:
    key: tuple
    section: Section


def _heading_for(block: Block, stack: list[_Open]) -> tuple[Section, tuple] | None:
    if block.kind == "heading":
        return _section_for(block, stack)
    if block.kind == "list_item":
        return _item_continuing_sections(block, stack)
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


def _item_continuing_sections(block: Block, stack: list[_Open]) -> tuple[Section, tuple] | None:
    """A lettered item that follows an open heading's letter ("B. Firing" then "C. Officers
    shall not ...") is that heading's next sibling, not an item inside it."""
    number, scheme, rest = split_number(block.text)
    if not number or scheme not in ("upper", "roman", "decimal"):
        return None
    for entry in reversed(stack):
        if entry.key == (scheme, 0) and _successor(entry.section.number, scheme) == number:
            title = _short_title(rest)
            section = Section(number=number, title=title, level=0, page=block.location.page)
            return section, (scheme, 0)
    return None


def _successor(number: str, scheme: str) -> str:
    core = number.rstrip(".")
    if scheme == "upper" and len(core) == 1 and core < "Z":
        return chr(ord(core) + 1) + "."
    if scheme == "decimal" and core.isdigit():
        return f"{int(core) + 1}."
    if scheme == "roman":
        return _to_roman(_from_roman(core) + 1) + "."
    return ""


_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90),
          ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _from_roman(text: str) -> int:
    value, rest = 0, text.upper()
    for letters, amount in _ROMAN:
        while rest.startswith(letters):
            value, rest = value + amount, rest[len(letters):]
    return value if not rest else -10


def _to_roman(value: int) -> str:
    letters = ""
    for symbol, amount in _ROMAN:
        while value >= amount > 0:
            letters, value = letters + symbol, value - amount
    return letters


def _short_title(text: str) -> str:
    """A title for an item that is a section: its lead phrase, or its first words."""
    lead = re.match(r"^([^.:;]{2,60})[.:]\s", text)
    if lead and len(lead.group(1).split()) <= 6:
        return lead.group(1)
    words = text.split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def _scheme_key(parts: HeadingParts, style_level: int | None) -> tuple:
    """Headings with equal keys are siblings; dotted and styled keys also carry a depth."""
    if style_level is not None:
        return ("styled", style_level)
    if parts.scheme in ("dotted", "hyphen-dotted"):
        return ("dotted", len(re.findall(r"\d+", parts.number)))
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
    if key[0] in ("dotted", "styled"):
        for index, entry in enumerate(stack):
            if entry.key[0] == key[0] and entry.key[1] >= key[1]:
                del stack[index:]
                return


def group_manual_policies(sections: list[Section]) -> list[Section]:
    """In a manual of many numbered policies, make each policy a top-level section.

    Lexipol-style manuals number every section of policy 300 as 300.x; a finding then names
    "Policy 300 Use of Force > 300.3.7 RESPIRATORY RESTRAINTS".
    """
    flat = [s for top in sections for s in top.walk()]
    prefixes = [_policy_prefix(s) for s in flat]
    counts = {p: prefixes.count(p) for p in set(prefixes) if p}
    if len([p for p, n in counts.items() if n >= MANUAL_MIN_SECTIONS]) < MANUAL_MIN_POLICIES:
        return sections
    return _regroup(flat, prefixes)


MANUAL_MIN_POLICIES = 3
MANUAL_MIN_SECTIONS = 2


def _policy_prefix(section: Section) -> str:
    match = re.match(r"^(\d{2,4})\.\d", section.number)
    return match.group(1) if match else ""


def _regroup(flat: list[Section], prefixes: list[str]) -> list[Section]:
    tops: list[Section] = []
    current: Section | None = None
    for index, (section, prefix) in enumerate(zip(flat, prefixes)):
        section.children = []
        if not prefix:
            if _opens_policy(prefixes, index):
                continue  # its title names the policy group that follows
            if current is None:
                tops.append(section)
            else:
                _attach(current, section)
            continue
        if current is None or current.number != f"Policy {prefix}":
            current = _policy_group(prefix, flat, prefixes, index)
            tops.append(current)
        _attach(current, section)
    _renumber_levels(tops, 1)
    return tops


def _opens_policy(prefixes: list[str], index: int) -> bool:
    following = prefixes[index + 1] if index + 1 < len(prefixes) else ""
    previous = next((p for p in reversed(prefixes[:index]) if p), "")
    return bool(following) and following != previous


def _policy_group(prefix: str, flat: list[Section], prefixes: list[str], index: int) -> Section:
    title_section = flat[index - 1] if index and not prefixes[index - 1] else None
    group = Section(
        number=f"Policy {prefix}", title=title_section.title if title_section else "",
        level=1, page=(title_section or flat[index]).page,
    )
    if title_section:
        group.blocks.extend(title_section.blocks)
    return group


def _attach(group: Section, section: Section) -> None:
    """Nest a section under the deepest open section of the group that it belongs inside."""
    parent = group
    depth = _dotted_depth(section)
    while parent.children and depth and _dotted_depth(parent.children[-1]) not in (0, None) \
            and _dotted_depth(parent.children[-1]) < depth:
        parent = parent.children[-1]
    if not depth and parent.children:
        parent = _deepest(parent)
    parent.children.append(section)


def _dotted_depth(section: Section) -> int:
    return len(re.findall(r"\d+", section.number)) if _policy_prefix(section) else 0


def _deepest(section: Section) -> Section:
    while section.children:
        section = section.children[-1]
    return section


def _renumber_levels(sections: list[Section], level: int) -> None:
    for section in sections:
        section.level = level
        _renumber_levels(section.children, level + 1)
