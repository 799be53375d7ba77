"""`policycheck eval` and added rule packs, as a rule author uses them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import SAMPLES

from policycheck.cli import main

INTERVENE_PACK = {
    "pack.yaml": {
        "id": "county",
        "version": "0.2",
        "title": "County best practice",
        "source": "Board",
        "rules": ["intervene.yaml"],
    },
    "intervene.yaml": {
        "id": "county.intervene",
        "kind": "statement",
        "title": "Duty to intervene",
        "principle": "Officers must intervene in excessive force.",
        "citation": "Board 4",
        "components": {"duty": {"label": "a duty to intervene", "patterns": [r"\bintervene\b"]}},
        "required": ["duty"],
        "messages": {
            "compliant": "States {found}.",
            "needs_review": "Only {found}.",
            "noncompliant": "No duty to intervene.",
        },
        "examples": [{"text": "Officers shall intervene.", "verdict": "compliant"}],
    },
}


def _write_pack(folder: Path) -> Path:
    for name, content in INTERVENE_PACK.items():
        (folder / name).write_text(yaml.safe_dump(content), encoding="utf-8")
    return folder


def _labels(tmp_path: Path, entries: dict) -> Path:
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


def test_eval_lists_false_passes_first_and_exits_one(tmp_path):
    labels = _labels(
        tmp_path,
        {
            "total_ban.pdf": {"chokehold": ["noncompliant"], "legal": ["compliant"]},
            "narrow_ban.pdf": {"chokehold": ["needs_review"], "legal": ["compliant"]},
            "absent.pdf": {"chokehold": ["compliant"]},
        },
    )
    result = CliRunner().invoke(main, ["eval", str(labels), str(SAMPLES)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("FALSE PASS eo13929.chokehold total_ban.pdf")
    assert lines[1].startswith("MISS eo13929.chokehold narrow_ban.pdf: noncompliant")
    assert "eo13929.chokehold: 0/2 within labels, 1 false pass" in result.output


def test_eval_all_within_exits_zero(tmp_path):
    labels = _labels(tmp_path, {"hedged.docx": {"chokehold": ["needs_review"]}})
    result = CliRunner().invoke(main, ["eval", str(labels), str(SAMPLES)])
    assert result.exit_code == 0
    assert "1/1 within labels, 0 false passes" in result.output


def test_added_pack_adds_findings_and_names_itself(tmp_path):
    pack = _write_pack(tmp_path)
    result = CliRunner().invoke(
        main, ["check", "-f", "json", "--rules", str(pack), str(SAMPLES / "total_ban.pdf")]
    )
    data = json.loads(result.output)
    rules = [finding["rule"] for finding in data["findings"]]
    assert rules == ["eo13929.chokehold", "eo13929.legal-adherence", "county.intervene"]
    assert data["pack"]["id"] == "eo13929"
    assert {"id": "county", "version": "0.2"} in data["packs"]


def test_rules_test_reports_a_failing_example(tmp_path):
    pack = _write_pack(tmp_path)
    rule = yaml.safe_load((pack / "intervene.yaml").read_text(encoding="utf-8"))
    rule["examples"].append({"text": "Officers may watch.", "verdict": "compliant"})
    (pack / "intervene.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(pack)])
    assert result.exit_code == 1
    assert "'Officers may watch.'" in result.output
    assert "expected compliant, got noncompliant" in result.output
    assert "1 passed, 1 failed" in result.output


def test_eval_names_labelled_files_missing_from_the_folder(tmp_path):
    labels = _labels(
        tmp_path,
        {
            "hedged.docx": {"chokehold": ["needs_review"]},
            "gone.pdf": {"chokehold": ["compliant"]},
        },
    )
    result = CliRunner().invoke(main, ["eval", str(labels), str(SAMPLES)])
    assert result.exit_code == 1
    assert "MISSING gone.pdf" in result.output
    assert "1/1 within labels, 0 false passes" in result.output


def test_eval_on_a_folder_with_none_of_the_files_is_an_error(tmp_path):
    labels = _labels(tmp_path, {"gone.pdf": {"chokehold": ["compliant"]}})
    result = CliRunner().invoke(main, ["eval", str(labels), str(tmp_path)])
    assert result.exit_code == 2
    assert "none of the files" in result.stderr
