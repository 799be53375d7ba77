"""A long PDF read by worker processes gives the document a one-process read gives."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
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


def _slow_page(log_path: Path):
    """A page reader that notes its process and page, then takes a while."""

    def read(pdf, index):
        with log_path.open("a") as log:
            log.write(f"{os.getpid()} {index}\n")
        time.sleep(0.2)
        return []

    return read


def test_ctrl_c_stops_the_workers_instead_of_reading_every_page(long_pdf, tmp_path):
    log_path = tmp_path / "pages.log"

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            read_in_workers(long_pdf.read_bytes(), 80, 2, _slow_page(log_path), lambda d, p: None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    read = [line.split() for line in log_path.read_text().splitlines()]
    assert len(read) < 40, "the queued pages were read after Ctrl-C"
    assert not any(_running(int(pid)) for pid, _ in read), "a worker outlived Ctrl-C"


def test_workers_die_with_a_killed_parent(long_pdf, tmp_path):
    """A parent killed outright (SIGKILL, the out-of-memory killer) leaves no workers."""
    log_path = tmp_path / "pages.log"
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from policycheck.readers.pdf_workers import read_in_workers\n"
        "def read(pdf, index):\n"
        "    with open(sys.argv[2], 'a') as log:\n"
        "        log.write(f'{os.getpid()} {index}\\n')\n"
        "    time.sleep(0.2)\n"
        "    return []\n"
        "read_in_workers(Path(sys.argv[1]).read_bytes(), 80, 2, read, lambda d, p: None)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script), str(long_pdf), str(log_path)])
    workers = _wait_for_workers(log_path, parent)
    parent.kill()
    parent.wait()
    assert _all_gone(workers), "workers outlived their parent"


def _wait_for_workers(log_path: Path, parent: subprocess.Popen) -> set[int]:
    for _ in range(200):
        if log_path.exists():
            pids = {int(line.split()[0]) for line in log_path.read_text().splitlines()}
            if len(pids) == 2:
                return pids
        assert parent.poll() is None, "the parent ended before its workers started"
        time.sleep(0.05)
    raise AssertionError("the workers never started")


def _all_gone(pids: set[int]) -> bool:
    """True once every process has ended (a zombie nobody reaps has ended too)."""
    for _ in range(100):
        if all(not _running(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]
