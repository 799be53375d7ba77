"""The bundled sample policies, DOCX and PDF alike, get the verdicts in expected.yaml."""

from __future__ import annotations

import pytest
import yaml
from conftest import SAMPLES

from policycheck.readers import read_document

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))
RULE_LABELS = {"eo13929.chokehold": "chokehold", "eo13929.legal-adherence": "legal"}


def test_there_are_at_least_eight_samples_in_both_formats():
    assert len(EXPECTED) >= 8
    for name in EXPECTED:
        assert (SAMPLES / f"{name}.docx").is_file(), name
        assert (SAMPLES / f"{name}.pdf").is_file(), name


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_verdicts(checker, name, suffix):
    report = checker.check(read_document(SAMPLES / f"{name}{suffix}"))
    verdicts = {RULE_LABELS[f.rule]: f.verdict for f in report.findings}
    expected = {key: EXPECTED[name][key] for key in ("chokehold", "legal")}
    expected.update(EXPECTED[name].get(suffix.lstrip("."), {}))
    assert verdicts == expected
