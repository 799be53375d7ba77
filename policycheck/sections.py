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
    """Nest blocks under their headings; text before the first heading gets a front section."""
    front = Section(number="", title=root_title or "(front matter)", level=0)
    roots: list[Section] = []
    stack: list[tuple[tuple, Section]] = []
    for block in blocks:
        if block.kind == "heading":
            section, key = _section_for(block)
            while stack and not _is_child(key, stack[-1][0]):
                stack.pop()
            (stack[-1][1].children if stack else roots).append(section)
            section.level = len(stack) + 1
            stack.append((key, section))
        else:
            (stack[-1][1] if stack else front).blocks.append(block)
    return ([front] if front.blocks else []) + roots


def _section_for(block: Block) -> tuple[Section, tuple]:
    parts = heading_parts(block.text)
    if parts is None:
        number, scheme, title = split_number(block.text)
        parts = HeadingParts(number, scheme or "styled", title)
    section = Section(
        number=parts.number, title=parts.title, level=0, page=block.location.page
    )
    return section, _scheme_key(parts, block.level)


def _scheme_key(parts: HeadingParts, style_level: int | None) -> tuple:
    """A key that orders headings: a lower key is an outer level."""
    if style_level is not None:
        return ("styled", style_level)
    if parts.scheme in ("dotted", "hyphen-dotted"):
        depth = len(re.findall(r"\d+", parts.number))
        return ("dotted", depth)
    return (parts.scheme, 0)


def _is_child(key: tuple, parent_key: tuple) -> bool:
    """True when a heading with ``key`` nests inside the open heading with ``parent_key``."""
    if key[0] == parent_key[0]:
        return key[1] > parent_key[1]
    if key[0] in ("dotted", "styled") and parent_key[0] in ("dotted", "styled"):
        return key[1] > parent_key[1]
    # A different scheme nests unless it is a scheme already open further up the stack;
    # the caller pops until it finds where this heading belongs.
    return _scheme_rank(key) > _scheme_rank(parent_key)


_RANKS = {"caps": 0, "styled": 1, "dotted": 2, "hyphen-dotted": 2, "letter-code": 2,
          "dashed": 3, "roman": 4, "upper": 5, "decimal": 6, "paren-lower": 7, "lower": 8}


def _scheme_rank(key: tuple) -> int:
    return _RANKS.get(key[0], 9)
