"""Cut a document into the sentences rules read, each with the context that scopes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from policycheck.document import Block, Document, Section
from policycheck.language import normalise, split_sentences


@dataclass(frozen=True)
class Passage:
    """A sentence with its scope: lead-in, the next sentence of its paragraph, its section.

    ``paragraph`` is 1-based, as a reviewer counts. The last sentence of a paragraph also
    carries the first sentence of the paragraph after it in the same section
    (``next_paragraph``): a ban is often taken back in a paragraph of its own.
    """

    text: str
    section: str
    section_title: str
    page: int | None
    paragraph: int | None
    kind: str
    lead_in: str | None = None
    next_text: str | None = None
    next_paragraph: str | None = None


@dataclass(frozen=True)
class Trigger:
    """What makes a block worth a rule's reading: one of the anchor words (a cheap substring
    test, lower case), then the rule's own pattern. No anchors means the pattern alone."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()

    def matches(self, text: str, lowered: str | None = None) -> bool:
        """True when the text may bear on the rule (``lowered``: the text in lower case, when
        the caller has it already)."""
        if self.anchors and not self.anchored(lowered if lowered is not None else text.lower()):
            return False
        return self.pattern.search(text) is not None

    def anchored(self, lowered: str) -> bool:
        """True when the lower-case text holds an anchor (or the trigger has none)."""
        return not self.anchors or any(anchor in lowered for anchor in self.anchors)


@dataclass(frozen=True)
class ReadBlock:
    """A block as rules read it: normalised once per document, and in lower case for anchors."""

    section: Section
    label: str
    block: Block
    text: str
    lowered: str


def read_blocks(document: Document) -> list[ReadBlock]:
    """Every block of the document in order, normalised (once per check: see ``one_reading``)."""
    held = _held.get(id(document))
    if held is not None and held[0] is document:
        return held[1]
    return [
        ReadBlock(section, label, block, text, text.lower())
        for section, label in sections_with_labels(document)
        for block in section.blocks
        for text in (normalise(block.text),)
    ]


@contextmanager
def one_reading(document: Document) -> Iterator[None]:
    """Within the block, every rule reads the document's blocks normalised once: each rule
    reads the whole document, and normalising a 700-page manual's blocks once per rule would
    cost a tenth of a second more. The blocks are let go when the block ends."""
    _held[id(document)] = (document, read_blocks(document))
    try:
        yield
    finally:
        _held.pop(id(document), None)


# Documents being checked, by id, with their normalised blocks.
_held: dict[int, tuple[Document, list[ReadBlock]]] = {}


def candidate_blocks(document: Document, trigger: Trigger) -> list[tuple[ReadBlock, str | None]]:
    """Blocks whose text or lead-in the trigger matches, each with the normalised text of the
    block after it in the same section (None at a section's end).

    Only these go through the language pipeline, which keeps a 700-page manual fast.
    """
    blocks = read_blocks(document)
    return [
        (read, _following_text(blocks, index))
        for index, read in enumerate(blocks)
        if trigger.matches(read.text, read.lowered)
        or (read.block.lead_in and trigger.matches(read.block.lead_in))
    ]


def _following_text(blocks: list[ReadBlock], index: int) -> str | None:
    """The text of the first block after this one's list (or after it, if it is in none),
    in the same section: a paragraph after a list speaks of the whole list."""
    here = blocks[index]
    after = index + 1
    lead_in = here.block.lead_in
    while lead_in and after < len(blocks) and blocks[after].block.lead_in == lead_in:
        after += 1
    if after >= len(blocks) or blocks[after].section is not here.section:
        return None
    return blocks[after].text


def sections_with_labels(document: Document) -> list[tuple[Section, str]]:
    """Every section with the label evidence cites: in a manual, the policy comes first
    ("Policy 300 Use of Force > 300.3.7 RESPIRATORY RESTRAINTS")."""
    labelled = []
    for top in document.sections:
        for section in top.walk():
            label = section.label
            if section is not top and top.number.startswith("Policy "):
                label = f"{top.label} > {label}"
            labelled.append((section, label))
    return labelled


def block_passages(section: Section, label: str, block: Block, text: str) -> list[Passage]:
    """The sentences of one block, for a rule that reads blocks one at a time."""
    [sentences] = list(split_sentences([text]))
    return _block_passages(section, label, block, sentences)


def passages_for(document: Document, trigger: Trigger) -> list[Passage]:
    """Every sentence of a block that may bear on a rule, in document order."""
    blocks = candidate_blocks(document, trigger)
    sentences = split_sentences(read.text for read, _ in blocks)
    openings = iter(list(_first_sentences([following for _, following in blocks if following])))
    passages: list[Passage] = []
    for (read, following), block_sentences in zip(blocks, sentences):
        opening = next(openings) if following else None
        passages.extend(
            _block_passages(read.section, read.label, read.block, block_sentences, opening)
        )
    return passages


def _first_sentences(texts: list[str]) -> Iterator[str | None]:
    """The first sentence of each text, in order."""
    for sentences in split_sentences(texts):
        yield sentences[0].text if sentences else None


def _block_passages(
    section: Section,
    label: str,
    block: Block,
    sentences: list,
    next_paragraph: str | None = None,
) -> list[Passage]:
    paragraph = block.location.paragraph
    last = len(sentences) - 1
    lead_in = normalise(block.lead_in) if block.lead_in else None
    return [
        Passage(
            text=sentence.text,
            section=label,
            section_title=section.title,
            page=block.page_at(sentence.start),
            paragraph=None if paragraph is None else paragraph + 1,
            kind=block.kind,
            lead_in=lead_in,
            next_text=sentences[index + 1].text if index < last else None,
            next_paragraph=next_paragraph if index == last else None,
        )
        for index, sentence in enumerate(sentences)
    ]
