"""Word's paragraph and character styles, read from styles.xml with inheritance."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from policycheck.readers.docx._wordml import (
    W_PPR,
    W_RPR,
    child_int,
    child_val,
    num_pr,
    toggle,
    w_tag,
)

_HEADING_NAME = re.compile(r"heading\s*([1-9])")


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None
    bold: bool | None
    caps: bool | None


class Styles:
    """Paragraph and character styles, with inheritance through w:basedOn."""

    MAX_CHAIN = 32

    def __init__(self, styles: dict[str, _Style], default_paragraph: str | None) -> None:
        self._styles = styles
        self._default_paragraph = default_paragraph

    @classmethod
    def from_root(cls, root: etree._Element | None) -> Styles:
        """Read styles.xml (or nothing, when the package has none)."""
        styles: dict[str, _Style] = {}
        default = None
        for element in root.iter(w_tag("style")) if root is not None else ():
            style_id = element.get(w_tag("styleId"))
            if style_id is None:
                continue
            styles[style_id] = _parse_style(element)
            if element.get(w_tag("type")) == "paragraph" and element.get(w_tag("default")) in (
                "1",
                "true",
                "on",
            ):
                default = style_id
        return cls(styles, default)

    def paragraph_style(self, p_pr: etree._Element | None) -> str | None:
        """The paragraph's own style id, else the document's default paragraph style."""
        return child_val(p_pr, "pStyle") or self._default_paragraph

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style, then the styles it is based on; stops at a cycle."""
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < self.MAX_CHAIN:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return
            yield style
            style_id = style.based_on

    def outline(self, style_id: str | None) -> int | None:
        """The nearest w:outlineLvl up the basedOn chain, or None."""
        return next((s.outline for s in self.chain(style_id) if s.outline is not None), None)

    def flag(self, style_id: str | None, name: str) -> bool | None:
        """The nearest "bold" or "caps" setting up the basedOn chain, or None."""
        values = (style.bold if name == "bold" else style.caps for style in self.chain(style_id))
        return next((value for value in values if value is not None), None)

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for a Title style, N for a Heading N style (or one based on it), else None."""
        names = [style.name for style in self.chain(style_id)]
        if style_id and style_id not in self._styles:
            names = [style_id]  # no styles.xml: built-in ids such as "Heading2" still tell
        for name in names:
            lowered = name.strip().lower()
            if lowered == "title":
                return 0
            match = _HEADING_NAME.fullmatch(lowered)
            if match:
                return int(match.group(1))
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a paragraph inherits from its style chain."""
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None


def _parse_style(element: etree._Element) -> _Style:
    p_pr, r_pr = element.find(W_PPR), element.find(W_RPR)
    num_id, ilvl = num_pr(p_pr)
    return _Style(
        name=child_val(element, "name") or "",
        based_on=child_val(element, "basedOn"),
        num_id=num_id,
        ilvl=ilvl,
        outline=child_int(p_pr, "outlineLvl"),
        bold=toggle(r_pr, "b"),
        caps=toggle(r_pr, "caps"),
    )
