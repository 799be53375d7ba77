"""Read plain text and Markdown policies: quick checks, tests, and rules published as text."""

from __future__ import annotations

import re

from policycheck.document import Block, Document, Location
from policycheck.readers.lines import Line, group_lines
from policycheck.sections import build_sections

# Patterns are written so that no long line can make them backtrack: a heading's closing
# #s are stripped in _heading_text, and a link's parts cannot hold another link's brackets.
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def decode_text(data: bytes) -> str:
    """Decode text bytes: UTF-16 with a byte-order mark, UTF-8 (with or without), else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text(data: bytes, source: str, sha256: str) -> Document:
    """Read plain text or Markdown into a Document; paragraphs are located by index."""
    text = decode_text(data)
    blocks = _text_blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = next((b.text for b in blocks if b.kind == "heading"), "")
    if not title and blocks:
        title = blocks[0].text[:120]
    return Document(
        source=source,
        sha256=sha256,
        kind="text",
        pages=None,
        sections=build_sections(blocks),
        title=title,
    )


def _text_blocks(text: str) -> list[Block]:
    """Markdown headings and tables are taken as marked; the rest is grouped like PDF lines."""
    blocks: list[Block] = []
    pending: list[Line] = []
    table_header: str | None = None
    blank = False
    for raw in text.split("\n"):
        line = _plain(raw)
        heading = _MD_HEADING.match(raw.strip())
        if heading or line.startswith("|"):
            blocks.extend(group_lines(pending))
            pending = []
        if heading:
            title = _plain(_heading_text(heading.group(2)))
            blocks.append(_heading_block(title, len(heading.group(1))))
            table_header = None
        elif line.startswith("|"):
            table_header = _table_line(line, table_header, blocks)
        else:
            table_header = None if line else table_header
            pending.append(Line(text=line, page=None, blank_before=blank))
        blank = not line
    blocks.extend(group_lines(pending))
    return _renumber(blocks)


def _plain(raw: str) -> str:
    line = raw.strip()
    line = re.sub(r"^>\s?", "", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPHASIS.sub(r"\2", line)
    return _MD_ESCAPE.sub(r"\1", line).strip()


def _heading_text(raw: str) -> str:
    """A heading's text without its optional closing #s (alone, or after a space)."""
    text = raw.strip()
    bare = text.rstrip("#")
    return bare.strip() if not bare or bare[-1].isspace() else text


def _heading_block(text: str, level: int) -> Block:
    return Block(text=text, kind="heading", level=level)


def _table_line(line: str, header: str | None, blocks: list[Block]) -> str | None:
    """Add a table row block; the first row of a table becomes the header of the rest."""
    if _MD_TABLE_RULE.match(line):
        return header
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    row = " | ".join(cell for cell in cells if cell)
    if header is None:
        return row
    blocks.append(Block(text=row, kind="table_row", lead_in=header))
    return header


def _renumber(blocks: list[Block]) -> list[Block]:
    """Give every block its paragraph index in the file, the location text reports cite."""
    return [
        Block(
            text=b.text,
            kind=b.kind,
            location=Location(paragraph=i),
            lead_in=b.lead_in,
            level=b.level,
        )
        for i, b in enumerate(blocks)
    ]
