"""The plain data that flows from readers to rules: a document, its sections and blocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a block sits: 1-based PDF page, or 0-based DOCX/text paragraph index."""

    page: int | None = None
    paragraph: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Block:
    """A run of text the reader kept together: a paragraph, list item, table row or heading.

    ``lead_in`` carries the sentence that introduces a list item, or the header row of a
    table row, so that rules read the item in the scope its author wrote it in.
    ``level`` is a heading level hint from the source format (a DOCX heading style).
    ``page_starts`` lists (character offset, page) where a block runs onto a later page.
    """

    text: str
    kind: str = "paragraph"  # paragraph | heading | list_item | table_row
    location: Location = field(default_factory=Location)
    lead_in: str | None = None
    level: int | None = None
    page_starts: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page that holds character ``offset`` of a block that runs across pages."""
        page = self.location.page
        for start, later_page in self.page_starts:
            if offset >= start:
                page = later_page
        return page


@dataclass
class Section:
    """A numbered or titled part of a policy, holding its own blocks and its subsections."""

    number: str
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    page: int | None = None

    @property
    def label(self) -> str:
        """The section as a reviewer would cite it: number and title."""
        return " ".join(part for part in (self.number, self.title) if part).strip()

    def walk(self) -> Iterator[Section]:
        """This section, then every section below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    """One policy file read into sections, with what the reader could not read."""

    source: str
    sha256: str
    kind: str  # pdf | docx | text
    pages: int | None
    sections: list[Section]
    title: str = ""
    unreadable_pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """Every section in document order, depth first."""
        for section in self.sections:
            yield from section.walk()

    @property
    def section_count(self) -> int:
        """How many sections the document has, at every level."""
        return sum(1 for _ in self.walk())
