"""Decide whether a string is an English word, to rejoin words a line break split."""

from __future__ import annotations

import gzip
import json
import logging
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
