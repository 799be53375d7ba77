"""The command line as users drive it, through Click's CliRunner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from policycheck import __version__
from policycheck.cli import main

TOTAL_BAN = str(SAMPLES / "total_ban.pdf")
NARROW_BAN = str(SAMPLES / "narrow_ban.docx")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_compliant_policy_exits_zero_and_quotes_the_ban(runner):
    result = runner.invoke(main, ["check", TOTAL_BAN])
    assert result.exit_code == 0, result.output
    assert "COMPLIANT" in result.output
    assert "shall not use a chokehold" in result.output
    assert "p. 1" in result.output


def test_noncompliant_policy_exits_one(runner):
    result = runner.invoke(main, ["check", NARROW_BAN])
    assert result.exit_code == 1
    assert "NONCOMPLIANT" in result.output


def test_json_follows_the_contract(runner):
    result = runner.invoke(main, ["check", "--format", "json", TOTAL_BAN])
    data = json.loads(result.output)
    assert data["schema"] == "policycheck.report/1"
    assert data["tool"] == {"name": "policycheck", "version": __version__}
    assert data["pack"]["id"] == "eo13929"
    assert data["document"]["kind"] == "pdf"
    assert data["document"]["pages"] >= 1
    assert len(data["document"]["sha256"]) == 64
    assert data["verdict"] == "compliant"
    rules = [finding["rule"] for finding in data["findings"]]
    assert rules == ["eo13929.chokehold", "eo13929.legal-adherence"]
    evidence = data["findings"][0]["evidence"][0]
    assert {"text", "section", "page", "paragraph", "role"} <= set(evidence)


def test_several_files_give_one_report_each(runner):
    result = runner.invoke(main, ["check", "-f", "json", TOTAL_BAN, NARROW_BAN])
    data = json.loads(result.output)
    assert [item["verdict"] for item in data] == ["compliant", "noncompliant"]


def test_folder_is_checked_recursively(runner, tmp_path):
    nested = tmp_path / "agency" / "2024"
    nested.mkdir(parents=True)
    (nested / "policy.txt").write_text("Officers shall not use chokeholds.\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("ignored: true\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "-f", "csv", str(tmp_path)])
    rows = result.output.strip().splitlines()
    assert len(rows) == 2 and "policy.txt" in rows[1]


def test_a_folder_leaves_out_no_submission_unseen(runner, tmp_path, caplog):
    """A policy named README.pdf is checked; old Word, RTF and OpenDocument files get an error
    saying what to send instead; other files are named in a warning, not passed over."""
    shutil.copy(SAMPLES / "narrow_ban.pdf", tmp_path / "README.pdf")
    (tmp_path / "README.md").write_text("# About these files\n", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (tmp_path / "notes.rtf").write_text("{\\rtf1\\ansi Chokeholds are banned.\\par}", "ascii")
    with zipfile.ZipFile(tmp_path / "draft.odt", "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    (tmp_path / "roster.csv").write_text("name,badge\n", encoding="utf-8")

    result = runner.invoke(main, ["check", "-f", "json", str(tmp_path)])

    assert result.exit_code == 2
    items = {Path(item["document"]["path"]).name: item for item in json.loads(result.stdout)}
    assert set(items) == {"README.pdf", "old.doc", "notes.rtf", "draft.odt"}
    assert items["README.pdf"]["verdict"] == "noncompliant"
    assert "old Word (.doc)" in items["old.doc"]["error"]
    assert "RTF" in items["notes.rtf"]["error"] and "OpenDocument" in items["draft.odt"]["error"]
    assert all(".docx" in items[name]["error"] for name in ("old.doc", "notes.rtf", "draft.odt"))
    [warning] = [record.getMessage() for record in caplog.records if "not checked" in record.msg]
    assert "roster.csv" in warning and "README.md" in warning


def test_unreadable_file_is_one_line_on_stderr_and_exit_two(runner, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 50)
    result = runner.invoke(main, ["check", "-f", "json", TOTAL_BAN, str(broken)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "broken.pdf" in line]
    assert len(error_lines) == 1
    items = json.loads(result.stdout)
    assert items[0]["verdict"] == "compliant"
    assert "error" in items[1] and "findings" not in items[1]


def test_a_terminal_report_of_a_folder_names_the_files_it_could_not_check(runner, tmp_path):
    shutil.copy(SAMPLES / "total_ban.pdf", tmp_path / "policy.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 50)
    out = tmp_path / "report.txt"
    result = runner.invoke(main, ["check", "-o", str(out), str(tmp_path)])

    assert result.exit_code == 2
    report = out.read_text(encoding="utf-8")
    assert "NOT CHECKED" in report and "broken.pdf" in report and "damaged PDF" in report
    assert "2 documents: 1 COMPLIANT, 1 NOT CHECKED" in report


def test_a_folder_summary_tells_apart_two_files_of_one_name(runner, tmp_path):
    for agency in ("north", "south"):
        (tmp_path / agency).mkdir()
        shutil.copy(SAMPLES / "total_ban.pdf", tmp_path / agency / "policy.pdf")
    out = tmp_path / "report.html"
    runner.invoke(main, ["check", "-f", "html", "-o", str(out), str(tmp_path)])

    summary = out.read_text(encoding="utf-8").split("</section>")[0]
    assert "north/policy.pdf" in summary and "south/policy.pdf" in summary


def test_a_lone_unreadable_file_leaves_stdout_empty(runner, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 50)
    result = runner.invoke(main, ["check", str(broken)])
    assert result.exit_code == 2
    assert result.stdout == "" and "broken.pdf" in result.stderr


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_filed_report_names_the_files_it_could_not_check(runner, tmp_path, fmt):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 50)
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(main, ["check", "-f", fmt, "-o", str(out), TOTAL_BAN, str(broken)])

    assert result.exit_code == 2
    report = out.read_text(encoding="utf-8")
    assert "Policy check: 2 documents" in report or "summary: 2 documents" in report
    assert "broken.pdf" in report and "NOT CHECKED" in report and "damaged PDF" in report
    assert "total_ban.pdf" in report.replace("\\_", "_")  # Markdown escapes the underscore


def test_missing_file_names_the_file(runner, tmp_path):
    missing = tmp_path / "nowhere.docx"
    result = runner.invoke(main, ["check", str(missing)])
    assert result.exit_code == 2
    assert "nowhere.docx" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_output_file_is_written(runner, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    result = runner.invoke(main, ["check", "-f", fmt, "-o", str(target), TOTAL_BAN])
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "on any person under any circumstances" in text


def test_outline_lists_sections_with_pages(runner):
    result = runner.invoke(main, ["outline", str(SAMPLES / "deadly_force_exception.pdf")])
    assert result.exit_code == 0
    assert "300.4.2 Neck Restraints and Chokeholds  p. 1" in result.output


def test_rules_list_and_test(runner):
    listed = runner.invoke(main, ["rules", "list"])
    assert "eo13929.chokehold" in listed.output
    tested = runner.invoke(main, ["rules", "test"])
    assert tested.exit_code == 0, tested.output
    assert " 0 failed" in tested.output


def test_bad_rule_pack_names_file_line_and_key(runner, tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "id: mine\nversion: '1'\ntitle: Mine\nsource: me\nrules: [a.yaml]\n", encoding="utf-8"
    )
    (tmp_path / "a.yaml").write_text(
        "id: mine.a\nkind: restriction\ntitle: A\nprinciple: p\ncitation: c\n"
        "messages: {}\nterms: {}\ncues: {}\nexceptions:\n  allowed: ['(unclosed']\n"
        "  too_wide: []\nnotes: {}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["rules", "list", "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "a.yaml:10" in result.stderr and "exceptions.allowed.0" in result.stderr


def test_a_pack_missing_a_message_its_findings_need_is_refused_on_loading(runner, tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "rules" / "eo13929"
    pack = tmp_path / "mine"
    shutil.copytree(shipped, pack)
    rule = pack / "chokehold.yaml"
    text = rule.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("  needs_review_scope:")]
    rule.write_text("\n".join(kept) + "\n", encoding="utf-8")

    result = runner.invoke(main, ["rules", "test", str(pack)])
    assert result.exit_code == 2
    assert "chokehold.yaml" in result.stderr and "'needs_review_scope' text" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_exits_two_and_says_no_report_was_written(tmp_path):
    """An interrupted check is not a check with findings (1): scripts must tell them apart.
    It leaves at once, without the exit handlers that could wait on a pool cut short."""
    script = (
        "import sys\n"
        "import policycheck.cli as cli\n"
        "def interrupted(*args):\n"
        "    raise KeyboardInterrupt\n"
        "cli._check_all = interrupted\n"
        "cli.main(['check', '-o', sys.argv[2], sys.argv[1]])\n"
    )
    report = tmp_path / "report.txt"
    result = subprocess.run(
        [sys.executable, "-c", script, str(SAMPLES / "total_ban.pdf"), str(report)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "interrupted: no report written" in result.stderr
    assert not report.exists()
