"""`policycheck batch`: rows for every file, errors recorded, reports linked, time limits kept."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES

from policycheck.batch import (
    INTERRUPTED,
    WORKER_CRASHED,
    BatchTask,
    PoolRunner,
    find_tasks,
    time_limit,
)
from policycheck.cli import main
from policycheck.errors import CheckTimedOut

BROKEN_PDF = b"%PDF-1.7\n" + b"\x00\xff" * 50


@pytest.fixture
def submissions(tmp_path: Path) -> Path:
    """Two sample policies, a damaged PDF and an empty Word file, in nested folders."""
    folder = tmp_path / "submissions"
    (folder / "agency").mkdir(parents=True)
    shutil.copy(SAMPLES / "total_ban.pdf", folder / "agency" / "total_ban.pdf")
    shutil.copy(SAMPLES / "narrow_ban.pdf", folder / "narrow_ban.pdf")
    (folder / "broken.pdf").write_bytes(BROKEN_PDF)
    (folder / "empty.docx").write_bytes(b"")
    return folder


def run_batch(*args: str) -> tuple[int, str]:
    """Run `policycheck batch` through CliRunner; its exit code and output."""
    result = CliRunner().invoke(main, ["batch", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def read_rows(out: Path) -> dict[str, dict[str, str]]:
    """summary.csv as rows keyed by the file's name."""
    with open(out / "summary.csv", newline="", encoding="utf-8") as stream:
        return {Path(row["file"]).name: row for row in csv.DictReader(stream)}


def summary_links(out: Path) -> set[str]:
    """Every href in summary.html."""
    return set(re.findall(r'href="([^"]+)"', (out / "summary.html").read_text("utf-8")))


def test_every_file_gets_a_row_and_errors_do_not_stop_the_batch(submissions, tmp_path):
    out = tmp_path / "out"
    code, output = run_batch(str(submissions), "--out", str(out), "--jobs", "1")

    assert code == 2, output
    rows = read_rows(out)
    assert set(rows) == {"total_ban.pdf", "narrow_ban.pdf", "broken.pdf", "empty.docx"}
    assert rows["total_ban.pdf"]["verdict"] == "compliant"
    assert rows["narrow_ban.pdf"]["chokehold"] == "noncompliant"
    assert "damaged PDF" in rows["broken.pdf"]["error"]
    assert rows["empty.docx"]["error"] == "the file is empty"
    assert len(rows["broken.pdf"]["sha256"]) == 64
    assert (out / "reports" / "agency" / "total_ban.pdf.html").is_file()
    assert (out / "reports" / "narrow_ban.pdf.json").is_file()
    assert "4 files" in output


def test_summary_links_every_report_written(submissions, tmp_path):
    out = tmp_path / "out"
    run_batch(str(submissions), "--out", str(out), "--jobs", "1", "-f", "html", "-f", "markdown")

    written = {path.relative_to(out).as_posix() for path in (out / "reports").rglob("*.*")}
    assert written == {
        "reports/agency/total_ban.pdf.html",
        "reports/agency/total_ban.pdf.md",
        "reports/narrow_ban.pdf.html",
        "reports/narrow_ban.pdf.md",
    }
    assert summary_links(out) == written
    page = (out / "summary.html").read_text("utf-8")
    assert "the file is empty" in page and "<script" not in page
    assert "NONCOMPLIANT" in page and "Does not meet the principle" in page


def test_two_jobs_give_the_same_rows_as_one(submissions, tmp_path):
    run_batch(str(submissions), "--out", str(tmp_path / "one"), "--jobs", "1")
    code, output = run_batch(str(submissions), "--out", str(tmp_path / "two"), "--jobs", "2")

    assert code == 2, output
    assert read_rows(tmp_path / "two") == read_rows(tmp_path / "one")


def test_same_file_name_in_two_folders_gives_two_reports(tmp_path):
    for agency, wording in (("north", "shall not use"), ("south", "may use")):
        (tmp_path / "in" / agency).mkdir(parents=True)
        text = f"Officers {wording} chokeholds.\n"
        (tmp_path / "in" / agency / "policy.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run_batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1", "-f", "json")

    north = (out / "reports" / "north" / "policy.txt.json").read_text("utf-8")
    south = (out / "reports" / "south" / "policy.txt.json").read_text("utf-8")
    assert "shall not use" in north and "may use" in south


def test_output_folder_inside_the_input_is_not_checked(tmp_path):
    (tmp_path / "policy.txt").write_text("Officers shall not use chokeholds.\n", "utf-8")
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "old.md").write_text("An old report.\n", "utf-8")

    assert [task.name for task in find_tasks([tmp_path], exclude=out)] == ["policy.txt"]


def test_an_old_word_file_gets_a_row_saying_what_to_send_instead(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES / "total_ban.pdf", tmp_path / "in" / "policy.pdf")
    (tmp_path / "in" / "letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    code, output = run_batch(str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1")

    assert code == 2, output
    rows = read_rows(tmp_path / "out")
    assert rows["policy.pdf"]["verdict"] == "compliant"
    assert (
        "old Word (.doc)" in rows["letter.doc"]["error"] and ".docx" in rows["letter.doc"]["error"]
    )


def test_a_second_run_into_the_same_folder_says_earlier_reports_are_kept(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES / "total_ban.pdf", tmp_path / "in" / "policy.pdf")
    out = str(tmp_path / "out")
    _, first = run_batch(str(tmp_path / "in"), "--out", out, "--jobs", "1", "-f", "json")
    _, second = run_batch(str(tmp_path / "in"), "--out", out, "--jobs", "1", "-f", "json")

    assert "earlier run" not in first
    assert "already holds 1 report file(s) from an earlier run" in second


def test_a_file_that_now_fails_keeps_no_report_from_an_earlier_run(tmp_path):
    (tmp_path / "in").mkdir()
    policy = tmp_path / "in" / "policy.pdf"
    shutil.copy(SAMPLES / "total_ban.pdf", policy)
    out = tmp_path / "out"
    run_batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")
    assert (out / "reports" / "policy.pdf.html").is_file()

    policy.write_bytes(BROKEN_PDF)
    code, output = run_batch(str(tmp_path / "in"), "--out", str(out), "--jobs", "1")

    assert code == 2, output
    assert not (out / "reports" / "policy.pdf.html").exists()
    assert "damaged PDF" in (out / "reports" / "policy.pdf.json").read_text("utf-8")


def test_no_policy_files_is_a_usage_error(tmp_path):
    code, output = run_batch(str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2 and "no policy files" in output


def test_time_limit_stops_a_slow_call():
    started = time.monotonic()
    with pytest.raises(CheckTimedOut, match="--timeout"), time_limit(0.2):
        time.sleep(5)
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_leaves_a_quick_call_alone_and_restores_the_handler():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(2):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getsignal(signal.SIGALRM) is before


# Work for PoolRunner in worker processes: module-level so it can be sent to them.


def work_or_misbehave(task: BatchTask) -> tuple[str, str]:
    """Finish quickly, except "hang" ignores its alarm and sleeps, and "crash" kills its process."""
    if task.name == "hang":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if task.name == "crash":
        os._exit(3)
    time.sleep(0.05)
    return ("ok", task.name)


def failed(task: BatchTask, message: str) -> tuple[str, str, str]:
    return ("failed", task.name, message)


def run_pool(names: list[str], deadline: float) -> dict[str, tuple]:
    results: dict[str, tuple] = {}
    tasks = [BatchTask(Path(name), name) for name in names]
    PoolRunner(work_or_misbehave, jobs=2, deadline=deadline, on_failure=failed).run(
        tasks, lambda result: results.__setitem__(result[1], result)
    )
    return results


def test_parent_stops_a_hung_worker_and_the_batch_goes_on():
    started = time.monotonic()
    results = run_pool(["a", "hang", "b", "c", "d"], deadline=1.0)

    assert time.monotonic() - started < 10
    assert results["hang"][0] == "failed" and "no result after 1 s" in results["hang"][2]
    assert all(results[name] == ("ok", name) for name in "abcd")


def test_a_crashed_worker_is_an_error_row_and_the_batch_goes_on():
    results = run_pool(["a", "b", "crash", "c", "d", "e"], deadline=30)

    assert results["crash"] == ("failed", "crash", WORKER_CRASHED)
    assert all(results[name] == ("ok", name) for name in "abcde")


def test_ctrl_c_leaves_a_summary_of_what_finished(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        shutil.copy(SAMPLES / "total_ban.pdf", folder / f"policy{number:02}.pdf")
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "policycheck",
        "batch",
        str(folder),
        "--out",
        str(out),
        "--jobs",
        "2",
    ]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    process.stderr.readline()  # the first file finished
    process.send_signal(signal.SIGINT)
    headline, _ = process.communicate(timeout=30)

    assert process.returncode == 2
    rows = read_rows(out)
    assert len(rows) == 60
    verdicts = [row["verdict"] for row in rows.values() if row["verdict"]]
    assert verdicts and set(verdicts) == {"compliant"}
    assert INTERRUPTED in {row["error"] for row in rows.values()}
    assert "Interrupted" in (out / "summary.html").read_text("utf-8")
    unchecked = sum(row["error"] == INTERRUPTED for row in rows.values())
    assert f"{unchecked} not checked" in headline and "error" not in headline, headline
    page = (out / "summary.html").read_text("utf-8")
    assert page.count('class="badge badge-not_checked"') == unchecked + 1  # rows, and the count
    assert 'class="badge badge-error"' not in page


def test_corpus_and_two_broken_files_give_thirty_rows(corpus_dir, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "broken.pdf").write_bytes(BROKEN_PDF)
    (broken / "empty.docx").write_bytes(b"")
    out = tmp_path / "out"
    code, output = run_batch(
        str(corpus_dir / "policies"), str(broken), "--out", str(out), "--jobs", "2", "-f", "html"
    )

    assert code == 2, output
    rows = read_rows(out)
    assert len(rows) == 30
    assert [name for name, row in rows.items() if row["error"]] == ["broken.pdf", "empty.docx"]
    detroit = "MI_DetroitPD_304.2_Use_of_Force.pdf"
    assert rows[detroit]["chokehold"] == "compliant"
    assert len(summary_links(out)) == 28
