"""Read a Word package into its body blocks, title and warnings: the steps in order."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import etree

from policycheck.document import Block
from policycheck.errors import UnreadableDocument
from policycheck.readers.docx._wordml import clean_text, w_tag
from policycheck.readers.docx.body import BodyReader
from policycheck.readers.docx.numbering import Numbering
from policycheck.readers.docx.package import (
    CORE_PART,
    DOCUMENT_PART,
    NUMBERING_PART,
    STYLES_PART,
    DocxLimits,
    Package,
)
from policycheck.readers.docx.styles import Styles

log = logging.getLogger(__name__)

_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_DC = "http://purl.org/dc/elements/1.1/"


@dataclass(frozen=True)
class DocxContent:
    """The body blocks of a Word document in order, its title and what could not be read."""

    blocks: list[Block]
    title: str
    warnings: list[str]


def read_docx_blocks(data: bytes, source: str, limits: DocxLimits | None = None) -> DocxContent:
    """Read a .docx file's body into blocks; refuse oversized, damaged or hostile packages."""
    warnings: list[str] = []
    with Package(data, limits or DocxLimits()) as package:
        document = package.xml(DOCUMENT_PART)
        styles = Styles.from_root(package.optional_xml(STYLES_PART, warnings))
        numbering_root = package.optional_xml(NUMBERING_PART, warnings)
        core_root = package.optional_xml(CORE_PART, warnings)
    body = _document_body(document)
    reader = BodyReader(styles, Numbering.from_root(numbering_root, styles, warnings), warnings)
    try:
        reader.read(body)
    except RecursionError as exc:
        # The parser caps nesting at 256 elements, which the walk stays well within; this is
        # a backstop should a parser without that cap ever be used.
        raise UnreadableDocument("the document is nested too deeply to read") from exc
    title = reader.title or _core_title(core_root)
    log.debug("%s: %d blocks from the Word body", source, len(reader.blocks))
    return DocxContent(blocks=reader.blocks, title=title, warnings=warnings)


def _document_body(root: etree._Element) -> etree._Element:
    if root.tag == f"{{{_STRICT_W}}}document":
        raise UnreadableDocument(
            "Strict Open XML Word documents are not supported; save it as a regular .docx"
        )
    body = root.find(w_tag("body")) if root.tag == w_tag("document") else None
    if body is None:
        raise UnreadableDocument(f"not a Word document: {DOCUMENT_PART} has no document body")
    return body


def _core_title(root: etree._Element | None) -> str:
    title = root.find(f"{{{_DC}}}title") if root is not None else None
    return clean_text(title.text or "") if title is not None else ""
