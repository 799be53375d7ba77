"""A long PDF read by worker processes gives the document a one-process read gives."""

from __future__ import annotations

import gc
import io
import os
from pathlib import Path

import pypdf
import pytest

from policycheck.errors import UnreadableDocument
from policycheck.memory import collector_paused
from policycheck.readers import ReadOptions, read_document
from policycheck.readers.pdf_workers import (
    PARALLEL_MIN_PAGES,
    can_read_in_workers,
    read_in_workers,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_policies"


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """Every sample policy, over and over, until the file is long enough for workers."""
    writer = pypdf.PdfWriter()
    samples = sorted(SAMPLES.glob("*.pdf"))
    while len(writer.pages) < PARALLEL_MIN_PAGES + 10:
        for sample in samples:
            writer.append(str(sample))
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path_factory.mktemp("long") / "manual.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def test_workers_read_the_same_document_as_one_process(long_pdf):
    pages = len(pypdf.PdfReader(str(long_pdf)).pages)
    assert can_read_in_workers(pages, 2), "the worker path must be the one under test"
    calls = []
    alone = read_document(long_pdf)
    shared = read_document(long_pdf, ReadOptions(page_workers=2, meanwhile=lambda: calls.append(1)))
    assert calls == [1], "the caller's work runs once while the workers read"
    assert shared == alone
    assert shared.pages == pages and shared.section_count > 50


def test_a_short_file_is_read_in_this_process():
    assert not can_read_in_workers(PARALLEL_MIN_PAGES - 1, 8)
    assert not can_read_in_workers(500, 1)


def test_a_worker_that_dies_fails_the_file_not_the_run(long_pdf):
    def crash(pdf, index):
        os._exit(7)  # as pdfium would on a page that crashes it

    data = long_pdf.read_bytes()
    with pytest.raises(UnreadableDocument, match="process died"):
        read_in_workers(data, 80, 2, crash, lambda data, pages: None)


def test_the_collector_is_paused_for_a_file_and_restored_after_a_failure():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("a file that fails")
    assert gc.isenabled()
