"""Read a long PDF in worker processes while this process gets on with other work.

Pages are read independently of each other, and reading them (pdfium's text layer, then each
line's place, size and weight) is most of the time a 700-page manual takes. Forked workers
read chunks of pages in parallel; then one of them assembles the document from all the pages
(running headers, the body type size, blocks and sections need the whole file), while this
process runs the caller's ``meanwhile`` (the check loads its language pipeline there, which
would otherwise wait for the reading to end). The result is the document that reading the
pages one by one in this process gives.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pypdfium2 as pdfium

from policycheck.document import Document
from policycheck.errors import UnreadableDocument
from policycheck.memory import collector_paused
from policycheck.processes import can_fork, die_with_parent, stop_pool
from policycheck.readers.pdf_layout import PageLine

log = logging.getLogger(__name__)

# A shorter file is read in a fraction of a second: forking workers and passing its pages
# between processes would gain little.
PARALLEL_MIN_PAGES = 64
# Pages per task: small enough that the workers finish together, large enough that handing
# out tasks costs little.
CHUNK_PAGES = 16

PageReader = Callable[[pdfium.PdfDocument, int], list[PageLine]]
Assembler = Callable[[bytes, list[list[PageLine]]], Document]
LineFields = tuple  # the fields of a PageLine, in order: cheaper to pass between processes

# What a worker process inherits: the file's bytes, the document it opened, and how to read a
# page and assemble the document.
_worker: dict = {}


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system reports it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_read_in_workers(pages: int, workers: int) -> bool:
    """Whether to read this many pages in ``workers`` forked processes (where forking is
    safe: see ``can_fork``)."""
    return workers >= 2 and pages >= PARALLEL_MIN_PAGES and can_fork()


def read_in_workers(
    data: bytes,
    pages: int,
    workers: int,
    read_page: PageReader,
    assemble: Assembler,
    meanwhile: Callable[[], object] | None = None,
) -> Document:
    """The document of a ``pages``-page PDF, read by ``workers`` forked processes."""
    chunks = [(start, min(start + CHUNK_PAGES, pages)) for start in range(0, pages, CHUNK_PAGES)]
    log.debug("reading %d pages in %d worker processes", pages, workers)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_open_in_worker,
        initargs=(data, read_page, assemble, os.getpid()),
    )
    try:
        futures = [pool.submit(_read_chunk, start, stop) for start, stop in chunks]
        assembled = pool.submit(_assemble, [future.result() for future in futures])
        if meanwhile is not None:
            meanwhile()
        with collector_paused():  # unpickling makes thousands of objects at once
            document = assembled.result()
    except BrokenProcessPool as exc:
        stop_pool(pool)
        # pdfium crashed (or the system killed a worker): this file fails, not the whole run.
        raise UnreadableDocument(
            "a page-reading process died; the PDF library may have crashed on this file"
        ) from exc
    except BaseException:
        # Ctrl-C, or the file failed: the pages still queued are not wanted, and waiting for
        # them would keep the user waiting (and a second Ctrl-C would abandon the workers).
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return document


def _open_in_worker(
    data: bytes, read_page: PageReader, assemble: Assembler, parent_pid: int
) -> None:
    """Worker initializer: Ctrl-C is the parent's to handle, and the worker dies with the
    parent; open the file once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    _worker.update(pdf=pdfium.PdfDocument(data), data=data, read_page=read_page, assemble=assemble)


def _read_chunk(start: int, stop: int) -> bytes:
    """The chunk's pages as the pickle the assembling worker reads: this process passes the
    bytes on as they are instead of unpickling and pickling them again."""
    pdf, read_page = _worker["pdf"], _worker["read_page"]
    pages = [[_fields(line) for line in read_page(pdf, index)] for index in range(start, stop)]
    return pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL)


def _assemble(chunks: list[bytes]) -> Document:
    with collector_paused():
        pages = [
            [PageLine(*line) for line in page] for chunk in chunks for page in pickle.loads(chunk)
        ]
        return _worker["assemble"](_worker["data"], pages)


def _fields(line: PageLine) -> LineFields:
    return (line.text, line.page, line.top, line.size, line.bold, line.gap, line.cells)
