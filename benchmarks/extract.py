"""Bare text extraction of every page of a PDF: the baselines the benchmark compares against.

run.py starts this as a child process, the same way it starts ``policycheck check``, so both
sides pay for interpreter start and imports:

    python benchmarks/extract.py pdfplumber FILE
    python benchmarks/extract.py pypdfium2 FILE

It prints the number of pages and of characters extracted.
"""

from __future__ import annotations

import sys


def extract_pdfplumber(path: str) -> tuple[int, int]:
    """Pages and characters from pdfplumber's ``extract_text`` of every page."""
    import pdfplumber

    pages = chars = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars += len(page.extract_text() or "")
            page.close()  # drops the page's cached objects, as a long document needs
            pages += 1
    return pages, chars


def extract_pypdfium2(path: str) -> tuple[int, int]:
    """Pages and characters from pypdfium2's text page of every page."""
    import pypdfium2 as pdfium

    pages = chars = 0
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
            pages += 1
    finally:
        pdf.close()
    return pages, chars


EXTRACTORS = {"pdfplumber": extract_pdfplumber, "pypdfium2": extract_pypdfium2}


def main(argv: list[str]) -> int:
    """Extract one file with the library named; print pages and characters."""
    if len(argv) != 2 or argv[0] not in EXTRACTORS:
        print(f"usage: extract.py {{{'|'.join(EXTRACTORS)}}} FILE", file=sys.stderr)
        return 2
    pages, chars = EXTRACTORS[argv[0]](argv[1])
    print(f"{pages} pages, {chars} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
