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
    """English words from spacy-lookups-data: the lemma table's forms and lemmas (~67,000),
    and its index of adjectives, adverbs, nouns and verbs (~90,000), which adds the words
    that never inflect ("significant", "reasonable")."""
    try:
        table = _lookup_table("en_lemma_lookup.json.gz")
        index = _lookup_table("en_lemma_index.json.gz")
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        log.warning("English word list unavailable (%s); hyphenated words kept as printed", exc)
        return frozenset()
    indexed = (word for words in index.values() for word in words if word.isalpha())
    return frozenset(table) | frozenset(table.values()) | frozenset(indexed)


def _lookup_table(name: str) -> dict:
    with (resources.files("spacy_lookups_data") / "data" / name).open("rb") as raw:
        with gzip.open(raw) as handle:
            return json.load(handle)


# Words the lookup tables leave out because they have no lemma to look up; a split word must
# never be "repaired" by gluing one to its neighbour ("by law" is not "bylaw", "or a" "ora").
FUNCTION_WORDS = frozenset(
    """
    a about above across after against all along also although among an and any are around as at
    away be because been before being below beneath beside besides between beyond both but by can
    cannot could did do does down during each either else for from had has have he her hers
    herself him himself his how if in into is it its itself may me might must my neither no
    nor not of off on once one only onto or other our ours out over per re shall she should
    since so some such than that the their them themselves then there these they this those
    though through throughout thru to toward towards under unless until up upon us via was we
    were what when where whether which while who whom whose why will with within without
    would yet you your
""".split()
)
# Endings the lemma table may lack a form for: "vesting" is "vest" + "ing".
_ENDINGS = (("s", ""), ("es", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"))


def is_word(text: str) -> bool:
    """True when ``text`` (any case) is a known English word or a regular inflection of one."""
    return _is_lower_word(text.lower())


@lru_cache(maxsize=2**16)
def _is_lower_word(word: str) -> bool:
    if len(word) == 1:
        return word in ("a", "i")  # the list names letters too; "us e" is one word split
    words = english_words()
    if word in words or word in FUNCTION_WORDS:
        return True
    return any(
        word.endswith(ending)
        and len(word) > len(ending) + 2
        and word[: -len(ending)] + stem_end in words
        for ending, stem_end in _ENDINGS
    )


@lru_cache(maxsize=1)
def _listed_words() -> frozenset[str]:
    """The lower-case words ``is_word`` accepts without trying endings, as one set: a set
    difference finds a line's other words far faster than a test per word."""
    listed = (word for word in english_words() | FUNCTION_WORDS if len(word) > 1)
    return frozenset(listed) | {"a", "i"}


def preload_word_lists() -> None:
    """Load the word lists now, so that the processes forked next share this copy instead of
    each loading its own."""
    _listed_words()


def join_broken_word(left: str, right: str, soft: bool = False) -> str:
    """Join two halves of a word split by a line-end hyphen; keep the hyphen if not a word.

    "physi" + "cal" gives "physical"; "use" + "of-force" gives "use-of-force". A ``soft``
    hyphen (one the layout placed, not the writer) joins when the halves make a word even if
    the first is a word too ("sub" + "ject"), or when neither half is a word ("sig" +
    "nificant"); between two longer words it stays ("life-threatening", "part-time").
    """
    head = left.rsplit(None, 1)[-1] if left.strip() else ""
    tail = right.split(None, 1)[0] if right.strip() else ""
    core = (head + tail).strip(_EDGE_MARKS)
    if not head.isalpha() or not core.isalpha():
        return left + "-" + right
    if soft:
        whole = tail[:1].islower() and _soft_break_in_word(head, tail.strip(_EDGE_MARKS), core)
    else:
        whole = is_word(core) and not is_word(head)
    return left + right if whole else left + "-" + right


def _soft_break_in_word(head: str, tail: str, core: str) -> bool:
    """Whether a soft hyphen split one word: the halves make a word and one of them is not a
    word or is a short piece ("un" + "der"), or neither half is a word ("sig" + "nificant").
    Two longer words keep their hyphen ("part-time", "well-being")."""
    head_word, tail_word = is_word(head), is_word(tail)
    if not head_word and not tail_word:
        return True
    piece = not (head_word and tail_word) or min(len(head), len(tail)) <= SHORT_PIECE
    return is_word(core) and piece


# A word this short joined to another by a soft hyphen is a piece of one ("un" + "der").
SHORT_PIECE = 3
_EDGE_MARKS = ".,;:()\"'“”‘’"


# Two runs of letters with a space between, neither part of an abbreviation ("E.C.W."), a
# possessive ("officer's in") or a hyphenated word ("to e-mail").
_WORD_PAIR = re.compile(r"(?<![\w.'’-])([A-Za-z]{1,12}) ([A-Za-z]{1,12})(?![\w.'’-]*[\w])")
_LETTERS = re.compile(r"[a-z]+")
# Every letter twice: three pairs at least, or two in capitals ("OOFF"), which no word has.
# The lookahead fails most words at their first two letters, before either branch is tried.
_DOUBLED = re.compile(r"\b(?=([A-Za-z])\1)(?:(?:([A-Z])\2){2,}|(?:([a-z])\3){3,})\b")


def repair_words(text: str) -> str:
    """Undo two extraction faults: doubled letters from faked bold, and words split by a space.

    "UUSSEE" becomes "USE"; "Of ficers", "SU BJECT" and "us e" become whole words when the
    joined word is English and one part is not.
    """
    text = _DOUBLED.sub(lambda match: match.group(0)[::2], text)
    # A split leaves at least one piece that is not a word; most lines have none, and
    # checking their words is far cheaper than trying every pair.
    unlisted = set(_LETTERS.findall(text.lower())).difference(_listed_words())
    if all(_is_lower_word(token) for token in unlisted):
        return text
    return _WORD_PAIR.sub(_join_if_split, text)


def _join_if_split(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if is_word(left) and is_word(right) or not is_word(left + right):
        return match.group(0)
    if _cases_differ(left, right):
        return match.group(0)  # "the M.F.F.", "SART or", "Plan B and": two words, not one
    return left + right


def _cases_differ(left: str, right: str) -> bool:
    """Halves of one word share its case: a capital tail after lower case, a lower-case
    tail after an acronym or lone capital, or a capitalised second word is not one."""
    if left[-1].islower() and right[0].isupper():
        return True
    if left.isupper() and right.islower():
        return True
    return right[0].isupper() and not right.isupper()
