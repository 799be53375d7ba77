"""Word's generated list numbers: numbering.xml's definitions and the counters that run them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from policycheck.readers.docx._wordml import (
    child_int,
    child_val,
    clean_text,
    to_int,
    toggle,
    w_tag,
    warn_once,
)
from policycheck.readers.docx.package import NUMBERING_PART
from policycheck.readers.docx.styles import Styles

BULLET = "\u2022"

_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
# Letters repeat after z (aa, bb, ...); past this a counter is surely garbage, and spelling it
# out would only let a hostile start value build a huge string.
_MAX_LETTER_VALUE = 26 * 30


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # 1-based level whose use restarts this one; 0 never
    legal: bool = False  # w:isLgl: every placeholder in decimal
    separator: str = " "
    style_id: str | None = None


@dataclass(frozen=True)
class _Abstract:
    abstract_id: str
    levels: dict[int, _Level]
    style_link: str | None  # w:numStyleLink: the real definition hangs off a style


@dataclass(frozen=True)
class _Num:
    abstract_id: str
    levels: dict[int, _Level] = field(default_factory=dict)  # whole-level overrides
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level

    @property
    def overrides(self) -> bool:
        """True when this instance restarts or redefines levels of its abstract list."""
        return bool(self.levels or self.starts)


@dataclass(frozen=True)
class Label:
    """A generated list number, e.g. "300.3.4", "(a)" or a bullet."""

    text: str
    separator: str
    bullet: bool


def _parse_level(element: etree._Element) -> _Level:
    suffix = child_val(element, "suff")
    start = child_int(element, "start")
    return _Level(
        start=0 if start is None else start,  # the schema's default when w:start is absent
        fmt=child_val(element, "numFmt") or "decimal",
        text=child_val(element, "lvlText") or "",
        restart=child_int(element, "lvlRestart"),
        legal=toggle(element, "isLgl") or False,
        separator="" if suffix == "nothing" else " ",
        style_id=child_val(element, "pStyle"),
    )


def _parse_levels(parent: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for element in parent.findall(w_tag("lvl")):
        ilvl = to_int(element.get(w_tag("ilvl")))
        if ilvl is not None:
            levels[ilvl] = _parse_level(element)
    return levels


def _parse_abstract(element: etree._Element) -> _Abstract:
    return _Abstract(
        abstract_id=element.get(w_tag("abstractNumId")) or "",
        levels=_parse_levels(element),
        style_link=child_val(element, "numStyleLink"),
    )


def _parse_num(element: etree._Element) -> _Num:
    levels: dict[int, _Level] = {}
    starts: dict[int, int] = {}
    for override in element.findall(w_tag("lvlOverride")):
        ilvl = to_int(override.get(w_tag("ilvl")))
        if ilvl is None:
            continue
        level = override.find(w_tag("lvl"))
        if level is not None:
            levels[ilvl] = _parse_level(level)
        start = child_int(override, "startOverride")
        if start is not None:
            starts[ilvl] = start
    return _Num(abstract_id=child_val(element, "abstractNumId") or "", levels=levels, starts=starts)


# A list's counter key, its effective levels and its w:startOverride values.
_Resolved = tuple[tuple[str, str], dict[int, _Level], dict[int, int]]


class Numbering:
    """numbering.xml, plus the running counters that turn it into Word's list numbers."""

    MAX_STYLE_LINKS = 4

    def __init__(
        self,
        abstracts: dict[str, _Abstract],
        nums: dict[str, _Num],
        styles: Styles,
        warnings: list[str],
    ) -> None:
        self._abstracts = abstracts
        self._nums = nums
        self._styles = styles
        self._warnings = warnings
        self._counters: dict[tuple[str, str], dict[int, int]] = {}

    @classmethod
    def from_root(
        cls, root: etree._Element | None, styles: Styles, warnings: list[str]
    ) -> Numbering:
        """Read numbering.xml (or nothing, when the package has none)."""
        abstracts: dict[str, _Abstract] = {}
        nums: dict[str, _Num] = {}
        if root is not None:
            for element in root.findall(w_tag("abstractNum")):
                abstract = _parse_abstract(element)
                abstracts[abstract.abstract_id] = abstract
            for element in root.findall(w_tag("num")):
                nums[element.get(w_tag("numId")) or ""] = _parse_num(element)
        return cls(abstracts, nums, styles, warnings)

    def level_for_style(self, num_id: str, style_id: str | None) -> int | None:
        """The level a list links to the style with w:pStyle, if any."""
        resolved = self._resolve(num_id)
        if resolved is None or style_id is None:
            return None
        return next(
            (ilvl for ilvl, level in sorted(resolved[1].items()) if level.style_id == style_id),
            None,
        )

    def next_label(self, num_id: str, ilvl: int) -> Label | None:
        """Advance the list's counters for a paragraph at ``ilvl`` and return its number."""
        resolved = self._resolve(num_id)
        if resolved is None:
            warn_once(
                self._warnings,
                f"list numbering {num_id} is not defined in "
                f"{NUMBERING_PART}; its numbers are missing",
            )
            return None
        key, levels, starts = resolved
        level = levels.get(ilvl)
        if level is None:
            return None
        values = self._advance(key, levels, starts, ilvl)
        if level.fmt == "bullet":
            return Label(BULLET, " ", bullet=True)
        text = self._expand(level, levels, starts, values)
        return Label(text, level.separator, bullet=False) if text else None

    def _resolve(self, num_id: str) -> _Resolved | None:
        num = self._nums.get(num_id)
        abstract = self._abstract_of(num) if num is not None else None
        if num is None or abstract is None:
            return None
        # Word continues one list across every w:num of the same abstract definition unless
        # a w:num overrides levels; such an instance counts on its own.
        key = ("num", num_id) if num.overrides else ("abstract", abstract.abstract_id)
        return key, {**abstract.levels, **num.levels}, num.starts

    def _abstract_of(self, num: _Num) -> _Abstract | None:
        abstract = self._abstracts.get(num.abstract_id)
        for _ in range(self.MAX_STYLE_LINKS):
            if abstract is None or abstract.style_link is None:
                break
            linked_num_id = self._styles.numbering(abstract.style_link)[0]
            linked = self._nums.get(linked_num_id) if linked_num_id else None
            target = self._abstracts.get(linked.abstract_id) if linked else None
            if target is None or target is abstract:
                break
            abstract = target
        return abstract

    def _advance(
        self, key: tuple[str, str], levels: dict[int, _Level], starts: dict[int, int], ilvl: int
    ) -> dict[int, int]:
        values = self._counters.setdefault(key, {})
        values[ilvl] = values[ilvl] + 1 if ilvl in values else _start(levels, starts, ilvl)
        for deeper in [other for other in values if other > ilvl]:
            if _restarts_after(levels.get(deeper), ilvl):
                del values[deeper]
        return values

    def _expand(
        self,
        level: _Level,
        levels: dict[int, _Level],
        starts: dict[int, int],
        values: dict[int, int],
    ) -> str:
        """Fill the level text's %1..%9 with each level's current number in its format."""

        def number(match: re.Match[str]) -> str:
            ilvl = int(match.group(1)) - 1
            shown = levels.get(ilvl)
            if shown is None:
                return ""
            value = values.get(ilvl, _start(levels, starts, ilvl))
            return self._format(value, "decimal" if level.legal else shown.fmt)

        return clean_text(_PLACEHOLDER.sub(number, level.text))

    def _format(self, value: int, fmt: str) -> str:
        formatted = _format_number(value, fmt)
        if formatted is None:
            warn_once(self._warnings, f"list numbers in format {fmt!r} are shown as decimal")
            return str(value)
        return formatted


def _start(levels: dict[int, _Level], starts: dict[int, int], ilvl: int) -> int:
    level = levels.get(ilvl)
    return starts.get(ilvl, level.start if level is not None else 1)


def _restarts_after(level: _Level | None, used: int) -> bool:
    """Whether a deeper level restarts when level ``used`` (0-based) advances."""
    restart = level.restart if level is not None else None
    if restart is None:
        return True
    return restart != 0 and used < restart


def _format_number(value: int, fmt: str) -> str | None:
    """A counter in a Word number format, or None for a format not supported here."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("none", "bullet"):
        return ""
    return None


def _letters(value: int) -> str:
    if not 0 < value <= _MAX_LETTER_VALUE:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    parts = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        parts.append(numeral * count)
    return "".join(parts)
