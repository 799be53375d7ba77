"""WordprocessingML names and the small element readers the DOCX reader's parts share."""

from __future__ import annotations

import logging
import re

from lxml import etree

log = logging.getLogger(__name__)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WHITESPACE = re.compile(r"\s+")
_FALSE_VALUES = frozenset({"0", "false", "off"})


def w_tag(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute, e.g. ``w:p``."""
    return f"{{{_W}}}{tag}"


W_VAL = w_tag("val")
W_PPR, W_RPR, W_NUMPR = w_tag("pPr"), w_tag("rPr"), w_tag("numPr")


def child_val(parent: etree._Element | None, tag: str) -> str | None:
    """The w:val of parent's child w:<tag>, or None when either is missing."""
    child = parent.find(w_tag(tag)) if parent is not None else None
    return child.get(W_VAL) if child is not None else None


def to_int(text: str | None) -> int | None:
    """The text as an integer, or None when it is missing or not a number."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def child_int(parent: etree._Element | None, tag: str) -> int | None:
    """The w:val of parent's child w:<tag> as an integer, or None."""
    return to_int(child_val(parent, tag))


def toggle(parent: etree._Element | None, tag: str) -> bool | None:
    """An on/off property such as w:b: True, False, or None when parent does not set it."""
    child = parent.find(w_tag(tag)) if parent is not None else None
    if child is None:
        return None
    return (child.get(W_VAL) or "true").lower() not in _FALSE_VALUES


def num_pr(p_pr: etree._Element | None) -> tuple[str | None, int | None]:
    """The (numId, ilvl) a paragraph or style sets; either may be None."""
    numbering = p_pr.find(W_NUMPR) if p_pr is not None else None
    if numbering is None:
        return None, None
    return child_val(numbering, "numId"), child_int(numbering, "ilvl")


def clean_text(text: str) -> str:
    """Runs of whitespace as one space, none at either end."""
    return _WHITESPACE.sub(" ", text).strip()


def warn_once(warnings: list[str], message: str) -> None:
    """Add a warning about the document, unless the same one was already given."""
    if message not in warnings:
        log.info("%s", message)
        warnings.append(message)
