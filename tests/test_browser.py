"""The HTML report and the batch summary as a reviewer sees them, in headless Chromium.

Uses Debian's ``chromium`` driven by Playwright (no browser download). Where either is
missing the tests skip, except in CI (``CI`` set), where that is a failure. With
``POLICYCHECK_SCREENSHOT_DIR`` set, a sample policy's report is also written there as
``report.png`` (the README's picture: a sample, so that no agency's words are in the repo).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from policycheck.cli import main

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1000, "height": 1200}
DETROIT = "MI_DetroitPD_304.2_Use_of_Force.pdf"


def in_ci() -> bool:
    """True where CI says so (``CI=true``), where a missing browser is a failure."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_browser() -> str:
    """Why the browser test cannot run here, or "" if it can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    return ""


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, started once for the module."""
    reason = missing_browser()
    if reason and in_ci():
        pytest.fail(f"CI must run the browser tests: {reason}")
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open a local HTML file; yields (page, problems) where problems collects errors."""
    pages = []

    def opener(path: Path):
        page = browser.new_page(viewport=VIEWPORT)
        problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "assert")
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.goto(path.resolve().as_uri())
        pages.append(page)
        return page, problems

    yield opener
    for page in pages:
        page.close()


def html_report(source: Path, target: Path) -> Path:
    """The HTML report of one policy, written by the CLI as a user would."""
    result = CliRunner().invoke(main, ["check", "-f", "html", "-o", str(target), str(source)])
    assert result.exit_code in (0, 1), result.output
    return target


def screenshot(page, path: Path, copy_as: str = "") -> None:
    """Save what the window shows; also copy it to POLICYCHECK_SCREENSHOT_DIR when set."""
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    folder = os.environ.get("POLICYCHECK_SCREENSHOT_DIR")
    if folder and copy_as:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / copy_as)


def test_sample_report_shows_verdict_cards_and_evidence(open_page, tmp_path):
    report = html_report(SAMPLES / "deadly_force_exception.pdf", tmp_path / "report.html")
    page, problems = open_page(report)

    cards = page.locator(".card")
    assert cards.count() == 2
    for index in range(2):
        assert cards.nth(index).is_visible()
        assert cards.nth(index).locator(".badge").is_visible()
    assert page.locator(".overall").is_visible()
    quote = page.locator(".evidence blockquote").first
    assert quote.is_visible() and "chokehold" in quote.inner_text()
    assert page.locator(".evidence figcaption").first.is_visible()
    screenshot(page, tmp_path / "sample-report.png", copy_as="report.png")
    assert problems == []


def test_detroit_report_shows_the_chokehold_card_with_page_4_evidence(
    open_page, corpus_dir, tmp_path
):
    report = html_report(corpus_dir / "policies" / DETROIT, tmp_path / "detroit.html")
    page, problems = open_page(report)

    card = page.locator(".card", has_text="Prohibition of choke holds")
    assert card.is_visible()
    assert card.locator(".badge").inner_text() == "COMPLIANT"
    evidence = card.locator(".evidence", has_text="p. 4").first
    assert evidence.is_visible()
    assert evidence.locator("mark").first.is_visible()
    screenshot(page, tmp_path / "detroit-report.png")
    assert problems == []


def batch_summary(paths: list[Path], out: Path) -> Path:
    """Run `policycheck batch` over paths with HTML reports; the summary's path."""
    args = ["batch", *map(str, paths), "--out", str(out), "-f", "html", "--jobs", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    return out / "summary.html"


def check_summary(open_page, summary: Path, rows: int, tmp_path: Path) -> None:
    """Every row visible, error rows with their error, and each link opens a report."""
    page, problems = open_page(summary)

    table_rows = page.locator("tbody tr")
    assert table_rows.count() == rows
    for index in range(rows):
        assert table_rows.nth(index).is_visible()
    error = page.locator("tr.row-error").first
    assert error.is_visible() and "ERROR" in error.inner_text()
    links = page.locator("tbody th a")
    assert links.count() == rows - 2
    for href in links.evaluate_all("links => links.map(link => link.href)"):
        assert Path(unquote(urlparse(href).path)).is_file(), href
    screenshot(page, tmp_path / "summary.png")

    links.first.click()
    page.wait_for_load_state()
    assert page.locator(".card").first.is_visible()
    assert problems == []


def broken_files(folder: Path) -> Path:
    """A damaged PDF and an empty Word file."""
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 50)
    (folder / "empty.docx").write_bytes(b"")
    return folder


def test_batch_summary_of_samples_links_every_report(open_page, tmp_path):
    samples = [SAMPLES / "total_ban.pdf", SAMPLES / "narrow_ban.pdf"]
    summary = batch_summary([*samples, broken_files(tmp_path / "broken")], tmp_path / "out")
    check_summary(open_page, summary, 4, tmp_path)


def test_batch_summary_of_the_corpus_shows_all_thirty(open_page, corpus_dir, tmp_path):
    paths = [corpus_dir / "policies", broken_files(tmp_path / "broken")]
    summary = batch_summary(paths, tmp_path / "out")
    check_summary(open_page, summary, 30, tmp_path)
