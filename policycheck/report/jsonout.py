"""The JSON report: one object per document, following the ``policycheck.report/1`` schema."""

from __future__ import annotations

import json
from typing import Any

from policycheck import __version__
from policycheck.report.model import Evidence, Finding, Report

SCHEMA = "policycheck.report/1"
TOOL_NAME = "policycheck"


def tool_info() -> dict[str, str]:
    """The tool's name and version, as every JSON item carries them."""
    return {"name": TOOL_NAME, "version": __version__}


def report_json(report: Report) -> dict[str, Any]:
    """One report as a JSON-ready dict, keys in schema order."""
    document = report.document
    return {
        "schema": SCHEMA,
        "tool": tool_info(),
        "pack": {"id": report.pack.id, "version": report.pack.version},
        "packs": [{"id": pack.id, "version": pack.version} for pack in report.packs],
        "document": {
            "path": document.source,
            "sha256": document.sha256,
            "kind": document.kind,
            "pages": document.pages,
            "sections": document.section_count,
            "title": document.title,
        },
        "verdict": report.verdict,
        "findings": [_finding_json(finding) for finding in report.findings],
        "checked_at": report.checked_at,
        "unreadable_pages": list(document.unreadable_pages),
        "warnings": list(document.warnings),
    }


def error_json(path: str, message: str) -> dict[str, Any]:
    """The JSON item for a file that could not be read: an ``error`` in place of findings."""
    return {"schema": SCHEMA, "tool": tool_info(), "document": {"path": path}, "error": message}


def render_json(reports: list[Report]) -> str:
    """The reports as JSON: one object for one report, an array for several."""
    return render_json_items(list(reports))


def render_json_items(items: list[Report | dict[str, Any]]) -> str:
    """Reports and error items (from ``error_json``) as JSON: an object for one, else an array."""
    data = [report_json(item) if isinstance(item, Report) else item for item in items]
    payload: Any = data[0] if len(data) == 1 else data
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    """One finding, keys in schema order."""
    return {
        "rule": finding.rule,
        "title": finding.title,
        "verdict": finding.verdict,
        "explanation": finding.explanation,
        "notes": list(finding.notes),
        "citation": finding.citation,
        "evidence": [_evidence_json(evidence) for evidence in finding.evidence],
    }


def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    """One quote, keys in schema order."""
    return {
        "text": evidence.text,
        "section": evidence.section,
        "page": evidence.page,
        "paragraph": evidence.paragraph,
        "role": evidence.role,
        "matched": list(evidence.matched),
    }
