"""The language step: normalise text and split it into sentences with lemmas.

The spaCy pipelines are blank English: a sentencizer for splitting, and the lookup
lemmatizer, whose tables come from spacy-lookups-data, for lemmas. Nothing is downloaded at
run time; each pipeline is built once per process, when first used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

MAX_TEXT_CHARS = 50 * 2**20

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u00ad": "",
        "\ufffe": "",
        "\u200b": "",
    }
)
_SPACES = re.compile(r"\s+")
# spaCy's sentencizer splits after "v." in case names and "No." in citations; glue them back.
_NO_SPLIT_AFTER = re.compile(
    r"(\bv|\bvs|\bNo|\bSec|\bart|\bU\.S|\bi\.e|\be\.g|\bSubd)\.$"
    r"|^\(?[A-Za-z0-9]{1,4}[.)]$"  # a list marker alone ("1.", "(a)") starts its item
)


def normalise(text: str) -> str:
    """Straight quotes, plain hyphens, expanded ligatures and single spaces."""
    if not text.isascii():  # ASCII text has nothing to fold or translate
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a block: its text and its offsets in the block."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def pipeline():
    """The sentence pipeline, built once per process: blank English and a sentencizer.

    The lookup lemmatizer is not in it: no rule reads lemmas (the patterns match inflections
    themselves), and loading its tables costs a tenth of a second on every check.
    """
    import spacy  # imported here so that `policycheck --version` stays fast

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    # The default cap of a million characters guards the parser and tagger this pipeline does
    # not have; a run-together text file can hold one paragraph longer than that.
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


@lru_cache(maxsize=1)
def lemma_pipeline():
    """Blank English with the lookup lemmatizer, built on first use."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


def split_sentences(texts: Iterable[str]) -> Iterator[list[Sentence]]:
    """For each text, its sentences in order (texts are expected normalised)."""
    for doc in pipeline().pipe(texts, batch_size=64):
        sentences = [
            Sentence(text=span.text.strip(), start=span.start_char, end=span.end_char)
            for span in doc.sents
            if span.text.strip()
        ]
        yield _merge_false_splits(sentences, doc.text)


def lemmas(text: str) -> tuple[str, ...]:
    """The lowercase lookup lemmas of a text ("Chokeholds are prohibited" gives
    "chokeholds", "be", "prohibit"), for rules and tools that match on word stems."""
    return tuple(token.lemma_.lower() for token in lemma_pipeline()(text))


def _merge_false_splits(sentences: list[Sentence], text: str) -> list[Sentence]:
    merged: list[Sentence] = []
    for sentence in sentences:
        if merged and (_NO_SPLIT_AFTER.search(merged[-1].text) or sentence.text[:1].islower()):
            previous = merged.pop()
            sentence = Sentence(
                text=text[previous.start : sentence.end].strip(),
                start=previous.start,
                end=sentence.end,
            )
        merged.append(sentence)
    return merged
