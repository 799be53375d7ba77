"""Where characters and text runs sit on a PDF page, and how they are set, from pdfium's raw API.

pypdfium2's helper methods make four ctypes numbers for every box they return; a manual has
some 30,000 lines and as many runs, each measured this way. One ``PageChars`` per text page
makes its buffers once and reuses them.
"""

from __future__ import annotations

import ctypes
import math
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# pdfium's font weight for a bold face is 700; semibold faces report 600.
BOLD_WEIGHT = 600


class PageChars:
    """The boxes, type sizes and weights of one text page's characters and runs."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.textpage = textpage
        self._raw = textpage.raw
        self._numbers = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(number) for number in self._numbers]
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_ref = ctypes.byref(self._matrix)
        self._name = ctypes.create_string_buffer(96)
        self._flags = ctypes.c_int()
        self._flags_ref = ctypes.byref(self._flags)

    def top(self, index: int) -> float | None:
        """The top of character ``index`` in points from the page's bottom, or None."""
        left, right, bottom, top = self._refs
        if not pdfium_c.FPDFText_GetCharBox(self._raw, index, left, right, bottom, top):
            return None
        return self._numbers[3].value

    def type_size(self, index: int) -> float:
        """The size the character is printed at: many writers set a 1-point font and scale it
        with the text matrix, and some mirror it with a negative size."""
        size = abs(float(pdfium_c.FPDFText_GetFontSize(self._raw, index)))
        if pdfium_c.FPDFText_GetMatrix(self._raw, index, self._matrix_ref):
            size *= math.hypot(self._matrix.c, self._matrix.d)
        return round(size, 1)

    def is_bold(self, index: int) -> bool:
        """True when the character's font is bold by weight or by name."""
        name = self._name
        pdfium_c.FPDFText_GetFontInfo(self._raw, index, name, len(name), self._flags_ref)
        weight = pdfium_c.FPDFText_GetFontWeight(self._raw, index)
        return weight >= BOLD_WEIGHT or bool(_BOLD_NAME.search(name.value.decode("latin-1")))

    def rects(self) -> list[tuple[float, float, float, float]]:
        """The page's text runs as (left, bottom, right, top), in reading order."""
        left, top, right, bottom = self._refs
        numbers = self._numbers
        count = pdfium_c.FPDFText_CountRects(self._raw, 0, -1)
        if count == -1:
            raise pdfium.PdfiumError("Failed to count rectangles.")
        boxes = []
        for index in range(count):
            if not pdfium_c.FPDFText_GetRect(self._raw, index, left, top, right, bottom):
                raise pdfium.PdfiumError("Failed to get rectangle.")
            boxes.append((numbers[0].value, numbers[3].value, numbers[2].value, numbers[1].value))
        return boxes

    def text_in(self, left: float, bottom: float, right: float, top: float) -> str:
        """The text inside a box (pypdfium2's own reader: it sizes its buffer)."""
        return self.textpage.get_text_bounded(left, bottom, right, top)
