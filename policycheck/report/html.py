"""The HTML report: one self-contained page a reviewer can read, print and file."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from policycheck import __version__
from policycheck.document import Document, Section
from policycheck.report.markdown import SIGN_OFF_ITEMS
from policycheck.report.model import Failure, Report
from policycheck.report.terminal import (
    display_title,
    file_name,
    highlight_parts,
    location_text,
    plural,
    verdict_token,
    verdict_words,
)

# Deeper sections are drawn at this indent; a deeper tree is almost always a misread one.
OUTLINE_MAX_INDENT = 12
# An outline longer than this is printed to its top level only (a policy has tens of
# sections; a 700-page manual thousands, some sixty printed pages).
PRINT_OUTLINE_MAX = 150


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The Jinja2 environment; autoescape on, so every policy string is escaped."""
    environment = Environment(
        loader=PackageLoader("policycheck.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        display_title=display_title,
        file_name=file_name,
        highlight_parts=highlight_parts,
        location_text=location_text,
        outline_entries=outline_entries,
        summary_columns=summary_columns,
        finding_verdicts=finding_verdicts,
        plural=plural,
        verdict_token=verdict_token,
        verdict_words=verdict_words,
    )
    return environment


def template(name: str) -> Template:
    """A template of the report package, with the shared quoting and verdict helpers."""
    return _environment().get_template(name)


def preload_templates() -> None:
    """Compile every template now (Jinja2 compiles each on first use), so that processes
    forked next share the compiled code."""
    for name in _environment().list_templates():
        template(name)


def render_html(reports: list[Report], failures: Sequence[Failure] = ()) -> str:
    """One self-contained HTML5 page (inline CSS, no scripts) reporting every document; the
    ``failures`` (files that could not be checked, with why) are listed in its summary."""
    return template("report.html.j2").render(
        reports=list(reports),
        failures=list(failures),
        page_title=_page_title(reports, failures),
        tool_version=__version__,
        sign_off_items=SIGN_OFF_ITEMS,
        print_outline_max=PRINT_OUTLINE_MAX,
    )


def summary_columns(reports: list[Report]) -> list[tuple[str, str]]:
    """(rule id, title) of every rule any report has a finding for, in first-seen order: the
    summary's columns, one per principle."""
    columns: dict[str, str] = {}
    for report in reports:
        for finding in report.findings:
            columns.setdefault(finding.rule, finding.title)
    return list(columns.items())


def finding_verdicts(report: Report) -> dict[str, str]:
    """Each rule's verdict on the report's document."""
    return {finding.rule: finding.verdict for finding in report.findings}


def outline_entries(document: Document) -> list[tuple[Section, int]]:
    """Every section with its indent, in reading order, walked without recursion.

    The outline is drawn flat, indented by depth, so that a tree nested hundreds deep (a
    reader that puts each heading inside the one before) cannot exhaust the stack as a
    recursive template would.
    """
    entries: list[tuple[Section, int]] = []
    stack = [(section, 0) for section in reversed(document.sections)]
    while stack:
        section, depth = stack.pop()
        entries.append((section, min(depth, OUTLINE_MAX_INDENT)))
        stack.extend((child, depth + 1) for child in reversed(section.children))
    return entries


def _page_title(reports: list[Report], failures: Sequence[Failure]) -> str:
    """The browser tab and print header title."""
    if len(reports) == 1 and not failures:
        return f"Policy check: {display_title(reports[0])}"
    return f"Policy check: {plural(len(reports) + len(failures), 'document')}"
