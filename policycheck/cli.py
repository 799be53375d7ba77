"""The command line: `policycheck check`, `outline` and `rules`. Only this module prints.

Exit status, like a linter: 0 every document compliant; 1 some finding noncompliant or
needs_review; 2 a file could not be read or the command was misused.
"""

from __future__ import annotations

import atexit
import gc
import logging
import sys
import traceback
from pathlib import Path

import click

from policycheck import __version__
from policycheck.cli_options import max_file_mb_option, rules_option

log = logging.getLogger("policycheck")

EXIT_COMPLIANT, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("terminal", "json", "markdown", "html", "csv")
POLICY_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
# Document types a submission may hold that cannot be read: found in a folder, each gets an
# error saying what to send instead, rather than being left out unseen.
UNREAD_SUFFIXES = {
    ".doc", ".rtf", ".odt", ".wpd", ".pages", ".xps", ".tif", ".tiff", ".jpg", ".jpeg", ".png"
}  # fmt: skip
# Notes that sit beside policies in a folder and are not policies themselves (as text only:
# a PDF or Word file is read whatever its name).
NOT_POLICIES = {"readme", "license", "licence", "changelog", "contributing"}
# How many skipped files a warning names before it only counts them.
SKIPPED_NAMED = 5


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="policycheck")
@click.option("-v", "--verbose", count=True, help="More log detail on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Check law-enforcement use-of-force policies against EO 13929 and other rule packs."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # spaCy prints its own log lines through its own handler; passed on, each came twice.
    logging.getLogger("spacy").propagate = False
    # At exit Python runs one last full collection over everything still alive: after a
    # 700-page manual, half a second spent walking objects the system frees anyway. Frozen
    # objects are left out of it; atexit functions run before it.
    atexit.register(gc.freeze)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="terminal",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@rules_option
@max_file_mb_option
@click.option(
    "--max-docx-mb",
    type=click.FloatRange(min=0.001),
    default=200.0,
    show_default=True,
    help="Refuse Word files that would expand beyond this.",
)
@click.option(
    "--max-docx-ratio",
    type=click.FloatRange(min=1),
    default=200.0,
    show_default=True,
    help="Refuse Word files with a part over 1 MiB compressed more than this.",
)
@click.option(
    "--max-docx-members",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Refuse Word files with more parts than this.",
)
@click.option("--color/--no-color", default=None, help="Colour the terminal report.")
@click.option("--debug", is_flag=True, help="Show tracebacks for files that fail.")
def check(
    paths,
    fmt,
    output,
    rules_paths,
    max_file_mb,
    max_docx_mb,
    max_docx_ratio,
    max_docx_members,
    color,
    debug,
) -> None:
    """Check policy files (PDF, DOCX, text) or folders of them; one report per file."""
    from policycheck.language import pipeline
    from policycheck.readers import ReadOptions
    from policycheck.readers.pdf_workers import available_cpus
    from policycheck.rules import Checker

    files = _expand(paths)
    added = tuple(load_pack_or_exit(path) for path in rules_paths)
    checker = Checker(load_pack_or_exit(None), added)
    options = ReadOptions(
        max_file_bytes=int(max_file_mb * 2**20),
        max_docx_uncompressed=int(max_docx_mb * 2**20),
        max_docx_ratio=max_docx_ratio,
        max_docx_members=max_docx_members,
        page_workers=available_cpus(),
        meanwhile=pipeline,  # the rules need it next; load it while a worker assembles a PDF
    )
    try:
        items = _check_all(files, checker, options, debug)
    except KeyboardInterrupt:
        from policycheck.processes import exit_at_once

        click.echo("interrupted: no report written", err=True)
        exit_at_once(EXIT_ERROR)
    _write(_render(items, fmt, _use_color(color, output)), output)
    sys.exit(_exit_status(items))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--debug", is_flag=True, help="Show the traceback if the file fails.")
def outline(path: Path, debug: bool) -> None:
    """Print the section tree of a policy with the page each section starts on."""
    from policycheck.readers import read_document

    document = _read_or_exit(lambda: read_document(path), path, debug)
    for section in document.walk():
        page = f"  p. {section.page}" if section.page else ""
        click.echo(f"{'  ' * (section.level - 1)}{section.label}{page}")


@main.command("eval")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def evaluate(labels: Path, folder: Path) -> None:
    """Compare verdicts on FOLDER's files with a labels file; false passes first."""
    from policycheck.evaluation import evaluate_folder, render_evaluation

    try:
        evaluation = evaluate_folder(labels, folder, load_pack_or_exit(None))
    except Exception as exc:
        _error_item(labels, exc, debug=False)
        sys.exit(EXIT_ERROR)
    if not evaluation.matrices:
        click.echo(f"policycheck: {folder}: none of the files in {labels} is here", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(render_evaluation(evaluation))
    incomplete = evaluation.misses or evaluation.missing or evaluation.errors
    sys.exit(EXIT_FINDINGS if incomplete else EXIT_COMPLIANT)


@main.group()
def rules() -> None:
    """List, show and test rule packs."""


@rules.command("list")
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False))
def rules_list(rules_path) -> None:
    """List the rules of a pack (EO 13929 by default)."""
    pack = load_pack_or_exit(rules_path)
    click.echo(f"{pack.id} {pack.version}: {pack.title}")
    for rule in pack.rules:
        click.echo(f"  {rule.id:<28} {rule.kind:<12} {rule.title}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False))
def rules_show(rule_id: str, rules_path) -> None:
    """Show one rule: its principle, citation, kind and examples."""
    pack = load_pack_or_exit(rules_path)
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        raise click.UsageError(f"no rule '{rule_id}' in {pack.id}; see 'policycheck rules list'")
    click.echo(f"{rule.id} ({rule.kind}): {rule.title}\n\n{rule.principle}\n\n{rule.citation}")
    click.echo(f"\nSource: {rule.source}\n{len(rule.examples)} examples:")
    for example in rule.examples:
        click.echo(f"  [{example.verdict}] {example.text}")


@rules.command("test")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
def rules_test(path) -> None:
    """Run every rule's examples; report each failure with sentence, expected and actual."""
    from policycheck.rules import run_example

    pack = load_pack_or_exit(path)
    failures = total = 0
    for rule in pack.rules:
        for example in rule.examples:
            total += 1
            finding = run_example(rule, example)
            if finding.verdict != example.verdict:
                failures += 1
                click.echo(
                    f"FAIL {rule.id}: {example.text!r}\n     expected "
                    f"{example.verdict}, got {finding.verdict}: {finding.explanation}"
                )
    click.echo(f"{total - failures} passed, {failures} failed")
    sys.exit(EXIT_FINDINGS if failures else EXIT_COMPLIANT)


def load_pack_or_exit(path):
    """Load a rule pack (None: EO 13929); a broken one ends the run with exit status 2."""
    from policycheck.errors import PolicyCheckError
    from policycheck.rules import load_pack

    try:
        return load_pack(path)
    except PolicyCheckError as exc:
        click.echo(f"policycheck: rule pack: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files named, plus every policy file found below folders named, in a stable order."""
    files: list[Path] = []
    for path in paths:
        files.extend(policy_files_below(path) if path.is_dir() else [path])
    if not files:
        raise click.UsageError("no policy files to check")
    return files


def policy_files_below(folder: Path, exclude: Path | None = None) -> list[Path]:
    """The files below a folder to check, in a stable order, leaving out the ``exclude``
    folder; the other files are named in a warning, so that none is left out unseen."""
    excluded = exclude.resolve() if exclude else None
    found, skipped = [], []
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or path.is_dir():
            continue
        if excluded and path.resolve().is_relative_to(excluded):
            continue
        # A broken link, a pipe or a socket is named with the skipped files too.
        (found if path.is_file() and is_policy_file(path) else skipped).append(path)
    if skipped:
        names = ", ".join(str(path) for path in skipped[:SKIPPED_NAMED])
        more = f" and {len(skipped) - SKIPPED_NAMED} more" if len(skipped) > SKIPPED_NAMED else ""
        log.warning("%s: not checked, not policy files: %s%s", folder, names, more)
    if not found:
        log.warning("%s: no PDF, DOCX, text or Markdown files in this folder", folder)
    return found


def is_policy_file(path: Path) -> bool:
    """Whether a file found in a folder is one to check: PDF, DOCX, text or Markdown (not a
    README-like note), or a document type that cannot be read, to be reported as such."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES and path.stem.lower() in NOT_POLICIES:
        return False
    return suffix in POLICY_SUFFIXES or suffix in UNREAD_SUFFIXES


def _check_all(files, checker, options, debug) -> list:
    from policycheck.memory import collector_paused
    from policycheck.readers import read_document

    items: list = []
    show_progress = len(files) > 1 and sys.stderr.isatty()
    for index, path in enumerate(files, start=1):
        if show_progress:
            click.echo(f"[{index}/{len(files)}] {path}", err=True)
        try:
            with collector_paused():
                items.append(checker.check(read_document(path, options)))
        except Exception as exc:  # one bad file must never hide the others
            items.append(_error_item(path, exc, debug))
    return items


def _error_item(path: Path, exc: Exception, debug: bool) -> dict:
    from policycheck.errors import PolicyCheckError
    from policycheck.report.jsonout import error_json

    if isinstance(exc, PolicyCheckError):
        message = str(exc)
    else:
        message = f"internal error ({type(exc).__name__}: {exc}); rerun with --debug"
    click.echo(f"policycheck: {path}: {message}", err=True)
    if debug:
        click.echo("".join(traceback.format_exception(exc)), err=True)
    return error_json(str(path), message)


def _read_or_exit(read, path: Path, debug: bool):
    try:
        return read()
    except Exception as exc:
        _error_item(path, exc, debug)
        sys.exit(EXIT_ERROR)


def _render(items: list, fmt: str, color: bool) -> str:
    from policycheck.report import csvout, html, jsonout, markdown, terminal
    from policycheck.report.model import Failure

    reports = [item for item in items if not isinstance(item, dict)]
    # Error items: the files a filed report must still name, with why they have no verdict.
    failures = [
        Failure(item["document"]["path"], item["error"]) for item in items if isinstance(item, dict)
    ]
    if fmt == "json":
        return jsonout.render_json_items(items)
    if fmt == "csv":
        return csvout.render_csv(items)
    if fmt == "markdown":
        return markdown.render_markdown(reports, failures)
    if fmt == "html":
        return html.render_html(reports, failures)
    if not reports and len(failures) <= 1:
        return ""  # nothing, or one file that failed: its line on stderr says it all
    return terminal.render_terminal(reports, color=color, failures=failures)


def _use_color(color: bool | None, output: Path | None) -> bool:
    if color is not None:
        return color
    return output is None and sys.stdout.isatty()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        if text:  # nothing was checked: the errors are on stderr, stdout stays empty
            click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"policycheck: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    log.info("report written to %s", output)


def _exit_status(items: list) -> int:
    if any(isinstance(item, dict) for item in items):
        return EXIT_ERROR
    if all(item.verdict == "compliant" for item in items):
        return EXIT_COMPLIANT
    return EXIT_FINDINGS


from policycheck.batch import batch  # noqa: E402  (registered last; imports nothing heavy)

main.add_command(batch)
