"""Findings, verdicts and the renderers that turn them into reports."""

from policycheck.report.model import (
    VERDICT_ORDER,
    Evidence,
    Finding,
    PackInfo,
    Report,
    worst_verdict,
)

__all__ = ["VERDICT_ORDER", "Evidence", "Finding", "PackInfo", "Report", "worst_verdict"]
