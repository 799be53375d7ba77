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


# The lemma table lists words that inflect; these do not, and a split word must never be
# "repaired" by gluing one to its neighbour ("by law" is not "bylaw", "or a" not "ora").
FUNCTION_WORDS = frozenset("""
    a about above across after against all along also although among an and any are around as at
    away be because been before being below beneath beside besides between beyond both but by can
    cannot could did do does down during each either else for from had has have he her hers
    herself him himself his how if in into is it its itself may me might must my neither no
    nor not of off on once one only onto or other our ours out over per re shall she should
    since so some such than that the their them themselves then there these they this those
    though through throughout thru to toward towards under unless until up upon us via was we
    were what when where whether which while who whom whose why will with within without
    would yet you your
""".split())
# Endings the lemma table may lack a form for: "vesting" is "vest" + "ing".
_ENDINGS = (("s", ""), ("es", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"))


def is_word(text: str) -> bool:
    """True when ``text`` (any case) is a known English word or a regular inflection of one."""
    word = text.lower()
    words = english_words()
    if word in words or word in FUNCTION_WORDS:
        return True
    return any(
        word.endswith(ending) and len(word) > len(ending) + 2
        and word[: -len(ending)] + stem_end in words
        for ending, stem_end in _ENDINGS
    )


def join_broken_word(left: str, right: str, soft: bool = False) -> str:
    """Join two halves of a word split by a line-end hyphen; keep the hyphen if not a word.

    "physi" + "cal" gives "physical"; "use" + "of-force" gives "use-of-force". A ``soft``
    hyphen (one the layout placed, not the writer) joins when the halves make a word even if
    the first is a word too ("sub" + "ject"), or when neither half is a word ("sig" +
    "nificant"); two words it joins keep it ("life-threatening").
    """
    head = left.rsplit(None, 1)[-1] if left.strip() else ""
    tail = right.split(None, 1)[0] if right.strip() else ""
    core = (head + tail).strip(_EDGE_MARKS)
    if not head.isalpha() or not core.isalpha():
        return left + "-" + right
    if soft:
        fragments = not is_word(head) and not is_word(tail.strip(_EDGE_MARKS))
        whole = tail[:1].islower() and (is_word(core) or fragments)
    else:
        whole = is_word(core) and not is_word(head)
    return left + right if whole else left + "-" + right


_EDGE_MARKS = ".,;:()\"'“”‘’"


# Two runs of letters with a space between, neither part of an abbreviation ("E.C.W."), a
# possessive ("officer's in") or a hyphenated word ("to e-mail").
_WORD_PAIR = re.compile(
    r"(?<![\w.'’-])([A-Za-z]{1,12}) ([A-Za-z]{1,12})(?![\w.'’-]*[\w])"
)
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
    if left[-1].islower() and right[0].isupper():
        return match.group(0)  # "the M.F.F." or "policyThe": not one word split in two
    return joined
