"""`batch --jobs 2` reads its largest file while the workers' start-up loads; the file's row is
the one a worker would give, and a reader that fails, crashes or hangs costs one row."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from test_batch import read_rows

import policycheck.batch.early as early
import policycheck.batch.pool as pool
from policycheck.batch.worker import MIN_SECONDS_LEFT, _time_left, time_limit
from policycheck.cli import main
from policycheck.errors import CheckTimedOut

LONG = "manual.pdf"


@pytest.fixture
def folder(tmp_path: Path, long_pdf: Path) -> Path:
    """A long manual (the largest file) and three sample policies."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(long_pdf, folder / LONG)
    for name in ("total_ban.pdf", "narrow_ban.docx", "hedged.pdf"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture
def early_reads(monkeypatch) -> list[str]:
    """The names of the files the batch read early, recorded as each reader starts."""
    started: list[str] = []

    class Recorded(early.EarlyRead):
        def __init__(self, task, *args):
            started.append(task.name)
            super().__init__(task, *args)

    monkeypatch.setattr(early, "EarlyRead", Recorded)
    return started


def batch(folder: Path, out: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", str(folder), "--out", str(out), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_the_largest_file_read_early_gets_the_row_a_worker_gives(folder, tmp_path, early_reads):
    batch(folder, tmp_path / "one", "--jobs", "1", "-f", "json")
    code, output = batch(folder, tmp_path / "two", "--jobs", "2", "-f", "json")

    assert early_reads == [LONG], "the path under test must be the early reader's"
    assert code == 1, output
    rows = read_rows(tmp_path / "two")
    assert rows == read_rows(tmp_path / "one")
    assert rows[LONG]["verdict"] and not rows[LONG]["error"]
    assert report(tmp_path / "two") == report(tmp_path / "one")


def report(out: Path) -> dict:
    """The long file's JSON report, without the time it was checked at."""
    item = json.loads((out / "reports" / f"{LONG}.json").read_text("utf-8"))
    item.pop("checked_at")
    return item


def test_a_file_the_reader_cannot_read_is_an_error_row(folder, tmp_path, early_reads):
    # The largest file, so it is the one read early.
    (folder / LONG).write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 2**20)
    code, output = batch(folder, tmp_path / "out", "--jobs", "2", "-f", "json")

    assert early_reads == [LONG]
    assert code == 2, output
    rows = read_rows(tmp_path / "out")
    assert "damaged PDF" in rows[LONG]["error"]
    assert len(rows[LONG]["sha256"]) == 64
    assert rows["total_ban.pdf"]["verdict"] == "compliant"
    assert (tmp_path / "out" / "reports" / f"{LONG}.json").is_file()


def _crash(task, settings, page_workers=1):
    os._exit(3)


def test_a_reader_that_crashes_is_an_error_row_and_the_batch_goes_on(
    folder, tmp_path, early_reads, monkeypatch
):
    monkeypatch.setattr(early, "read_task", _crash)  # the forked reader inherits the patch
    code, output = batch(folder, tmp_path / "out", "--jobs", "2", "-f", "json")

    assert early_reads == [LONG]
    assert code == 2, output
    rows = read_rows(tmp_path / "out")
    assert rows[LONG]["error"] == early.READER_CRASHED
    assert rows["total_ban.pdf"]["verdict"] == "compliant"
    assert rows["hedged.pdf"]["verdict"] and rows["narrow_ban.docx"]["verdict"]


def _hang(task, settings, page_workers=1):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as native code stuck would
    time.sleep(60)


def test_a_reader_stuck_past_the_limit_is_killed_and_the_batch_goes_on(
    folder, tmp_path, early_reads, monkeypatch
):
    monkeypatch.setattr(early, "read_task", _hang)
    monkeypatch.setattr(pool, "PARENT_GRACE_SECONDS", 0.5)
    started = time.monotonic()
    code, output = batch(folder, tmp_path / "out", "--jobs", "2", "--timeout", "1")

    assert time.monotonic() - started < 30
    assert early_reads == [LONG]
    assert code == 2, output
    rows = read_rows(tmp_path / "out")
    assert rows[LONG]["error"].startswith("stopped: no result after 1.5 s")  # limit + grace
    assert rows["total_ban.pdf"]["verdict"] == "compliant"


def test_a_refused_fork_leaves_the_file_to_a_worker(folder, tmp_path, monkeypatch):
    def refuse(*args):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(early, "EarlyRead", refuse)
    code, output = batch(folder, tmp_path / "out", "--jobs", "2", "-f", "json")

    assert code == 1, output
    rows = read_rows(tmp_path / "out")
    assert len(rows) == 4 and not any(row["error"] for row in rows.values())
    assert rows[LONG]["verdict"]


def test_one_job_reads_nothing_early(folder, tmp_path, early_reads):
    batch(folder, tmp_path / "out", "--jobs", "1", "-f", "json")
    assert early_reads == []


@pytest.mark.parametrize(
    ("limit", "spent", "left"),
    [(0, 5.0, 0.0), (120, 20.0, 100.0), (1.3, 1.4, MIN_SECONDS_LEFT), (0.2, 0.0, 0.2)],
)
def test_a_file_read_early_keeps_what_is_left_of_its_limit(limit, spent, left):
    assert _time_left(limit, spent) == pytest.approx(left)


def test_the_limit_a_row_names_is_the_one_the_user_set():
    with pytest.raises(CheckTimedOut, match=r"longer than the 6 s limit"), time_limit(0.05, 6):
        time.sleep(1)


ABANDONED = """
import sys, time
from pathlib import Path
import policycheck.batch.early as early
from policycheck.batch.tasks import BatchSettings, BatchTask

def stuck(task, settings, page_workers=1):
    time.sleep(60)

early.read_task = stuck
settings = BatchSettings(out_dir=Path(sys.argv[1]), timeout=0)
reader = early.EarlyRead(BatchTask(Path(sys.argv[1]), "x"), settings, 2, 30)
print(reader._process.pid, flush=True)
sys.exit(0)  # as a second Ctrl-C inside stop() would leave it: the reader never stopped
"""


def test_a_reader_left_running_does_not_keep_the_batch_from_exiting(tmp_path):
    script = tmp_path / "abandon.py"
    script.write_text(ABANDONED, encoding="utf-8")
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=30
    )
    assert process.returncode == 0, process.stderr
    assert time.monotonic() - started < 20
    reader = int(process.stdout.split()[0])
    assert not Path(f"/proc/{reader}").exists() or "Z" in _state(reader)


def _state(pid: int) -> str:
    """The process's state letter from /proc (a zombie is "Z")."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
