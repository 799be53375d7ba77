"""Decide whether a string is an English word, to rejoin words a line break split."""

from __future__ import annotations

import gzip
import json
import logging
import re
from functools import lru_cache
from importlib import resources

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Word forms and lemmas from spacy-lookups-data's English lemma table (~67,000 words)."""
    try:
        table_file = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
        with table_file.open("rb") as raw, gzip.open(raw) as handle:
            table = json.load(handle)
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        log.warning("English word list unavailable (%s); hyphenated words kept as printed", exc)
        return frozenset()
    return frozenset(table) | frozenset(table.values())


def is_word(text: str) -> bool:
    """True when ``text`` (any case) is a known English word or the plural of one."""
    word = text.lower()
    words = english_words()
    return word in words or (word.endswith("s") and word[:-1] in words)


def join_broken_word(left: str, right: str) -> str:
    """Join two halves of a word split by a line-end hyphen; keep the hyphen if not a word.

    "physi" + "cal" gives "physical"; "use" + "of-force" gives "use-of-force".
    """
    head = left.rsplit(None, 1)[-1] if left.strip() else ""
    tail = right.split(None, 1)[0] if right.strip() else ""
    core = (head + tail).strip(".,;:()\"'")
    if head.isalpha() and core.isalpha() and is_word(core) and not is_word(head):
        return left + right
    return left + "-" + right


_WORD_PAIR = re.compile(r"\b([A-Za-z]{1,12}) ([A-Za-z]{1,12})\b")
# Every letter twice: three pairs at least, or two in capitals ("OOFF"), which no word has.
_DOUBLED = re.compile(r"\b(?:(?:([A-Z])\1){2,}|(?:([a-z])\2){3,})\b")


def repair_words(text: str) -> str:
    """Undo two extraction faults: doubled letters from faked bold, and words split by a space.

    "UUSSEE" becomes "USE"; "Of ficers", "SU BJECT" and "us e" become whole words when the
    joined word is English and one part is not.
    """
    text = _DOUBLED.sub(lambda match: match.group(0)[::2], text)
    return _WORD_PAIR.sub(_join_if_split, text)


def _join_if_split(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    joined = left + right
    if not is_word(joined) or (is_word(left) and is_word(right)):
        return match.group(0)
    if len(left) > 1 and len(right) > 1 and left[-1].islower() and right[0].isupper():
        return match.group(0)  # "policyThe": a missing space, not a split word
    return joined
