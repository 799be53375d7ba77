"""Measure verdicts against a labels file: a confusion matrix per rule, false passes first.

The labels file maps each file name to, per principle, the list of verdicts a careful
reviewer accepts (the first is the likeliest), as in ``shared/corpus/labels.yaml``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policycheck.errors import PolicyCheckError
from policycheck.report.model import COMPLIANT, VERDICT_ORDER
from policycheck.rules.pack import RulePack

log = logging.getLogger(__name__)

# Label keys for rule ids whose last part differs from the key labels use.
LABEL_KEYS = {"legal-adherence": "legal"}


def label_key(rule_id: str) -> str:
    """The labels-file key for a rule: ``eo13929.legal-adherence`` is ``legal``."""
    short = rule_id.rsplit(".", 1)[-1]
    return LABEL_KEYS.get(short, short)


@dataclass
class Miss:
    """A verdict outside the accepted ones; a false pass is a compliant nobody accepts."""

    file: str
    rule: str
    verdict: str
    accepted: list[str]

    @property
    def false_pass(self) -> bool:
        """True for the worst error: compliant where the labels do not accept it."""
        return self.verdict == COMPLIANT


@dataclass
class Evaluation:
    """Per rule, counts of (likeliest label, verdict), and every miss."""

    matrices: dict[str, Counter] = field(default_factory=dict)
    within: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def load_labels(path: Path) -> dict:
    """Read a labels file, refusing one that is not a mapping of file names."""
    try:
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyCheckError(f"labels file cannot be read: {exc}") from exc
    if not isinstance(labels, dict):
        raise PolicyCheckError("labels file must map file names to their labels")
    return labels


def evaluate_folder(labels_path: Path, folder: Path, pack: RulePack) -> Evaluation:
    """Check every labelled file found in ``folder`` and compare its verdicts with the labels."""
    from policycheck.readers import read_document
    from policycheck.rules.engine import Checker

    labels = load_labels(labels_path)
    checker = Checker(pack)
    evaluation = Evaluation()
    for name, expected in sorted(labels.items()):
        path = folder / name
        if not isinstance(expected, dict):
            continue
        if not path.is_file():
            evaluation.missing.append(name)
            continue
        try:
            report = checker.check(read_document(path))
        except PolicyCheckError as exc:
            evaluation.errors[name] = str(exc)
            continue
        _score(evaluation, name, expected, report.findings)
    evaluation.misses.sort(key=lambda miss: (not miss.false_pass, miss.rule, miss.file))
    return evaluation


def _score(evaluation: Evaluation, name: str, expected: dict, findings) -> None:
    for finding in findings:
        accepted = expected.get(label_key(finding.rule))
        if not accepted:
            continue
        accepted = [accepted] if isinstance(accepted, str) else list(accepted)
        matrix = evaluation.matrices.setdefault(finding.rule, Counter())
        matrix[(accepted[0], finding.verdict)] += 1
        evaluation.totals[finding.rule] += 1
        if finding.verdict in accepted:
            evaluation.within[finding.rule] += 1
        else:
            evaluation.misses.append(Miss(name, finding.rule, finding.verdict, accepted))


def render_evaluation(evaluation: Evaluation) -> str:
    """Plain text: false passes and other misses first, then a matrix per rule."""
    lines = [_miss_line(miss) for miss in evaluation.misses]
    lines += [f"ERROR {name}: {message}" for name, message in evaluation.errors.items()]
    lines += [f"MISSING {name}: labelled but not in the folder" for name in evaluation.missing]
    for rule, matrix in evaluation.matrices.items():
        within, total = evaluation.within[rule], evaluation.totals[rule]
        false_passes = sum(1 for m in evaluation.misses if m.rule == rule and m.false_pass)
        noun = "false pass" if false_passes == 1 else "false passes"
        lines += ["", f"{rule}: {within}/{total} within labels, {false_passes} {noun}"]
        lines += _matrix_lines(matrix)
    return "\n".join(lines).strip()


def _miss_line(miss: Miss) -> str:
    kind = "FALSE PASS" if miss.false_pass else "MISS"
    return f"{kind} {miss.rule} {miss.file}: {miss.verdict} (accepted: {', '.join(miss.accepted)})"


def _matrix_lines(matrix: Counter) -> list[str]:
    width = max(len(v) for v in VERDICT_ORDER) + 2
    header = "label \\ verdict".ljust(width + 2) + "".join(v.ljust(width) for v in VERDICT_ORDER)
    rows = [
        f"  {label.ljust(width)}"
        + "".join(str(matrix[(label, v)]).ljust(width) for v in VERDICT_ORDER)
        for label in VERDICT_ORDER
    ]
    return [header, *rows]
