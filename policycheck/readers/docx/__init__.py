"""Read a Word (.docx) file's body into blocks, after refusing zip bombs and hostile XML.

The package is checked from its zip central directory before anything is decompressed, and
every XML part is refused outright if it declares a DOCTYPE: Word never writes one, and
refusing it stops entity-expansion ("billion laughs") and external-entity tricks. The parts
are then read with lxml directly (not python-docx) so that generated list numbers, text boxes,
content controls and tracked changes can be read the way Word shows them.

The steps, in order: ``package`` (zip and XML safety), ``styles``, ``numbering``, ``body``
(the walker that makes the blocks), and ``reader``, which runs them.
"""

from policycheck.readers.docx.body import SHORT_HEADING_WORDS, TABLE_CELL_SEPARATOR
from policycheck.readers.docx.numbering import BULLET
from policycheck.readers.docx.package import (
    CORE_PART,
    DOCUMENT_PART,
    NUMBERING_PART,
    RATIO_FLOOR,
    STYLES_PART,
    DocxLimits,
)
from policycheck.readers.docx.reader import DocxContent, read_docx_blocks

__all__ = [
    "BULLET",
    "CORE_PART",
    "DOCUMENT_PART",
    "NUMBERING_PART",
    "RATIO_FLOOR",
    "SHORT_HEADING_WORDS",
    "STYLES_PART",
    "TABLE_CELL_SEPARATOR",
    "DocxContent",
    "DocxLimits",
    "read_docx_blocks",
]
