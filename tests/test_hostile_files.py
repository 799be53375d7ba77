"""Every bad file an agency might upload gets one clear refusal or a report, fast."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import bad_files
import pytest
from click.testing import CliRunner
from docx_fixtures import build_docx, para

from policycheck.cli import main
from policycheck.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    NeedsOCR,
    PolicyCheckError,
    UnreadableDocument,
    UnsupportedFileType,
)
from policycheck.readers import ReadOptions, read_document

# Each refusal, as fast as a user expects an answer about a file of a few MB.
MAX_SECONDS = 2.0
LARGEST_MANUAL = "IL_LaGrangePD_Lexipol_Policy_Manual_2020-09.pdf"  # 762 pages
MAX_PEAK_BYTES = 2**30
REFUSALS = {
    "empty": (UnreadableDocument, r"^the file is empty$"),
    "random_bytes": (UnsupportedFileType, r"^not a PDF, Word \(\.docx\) or text file$"),
    "text_named_pdf": (
        UnreadableDocument,
        r"^named \.pdf but holds plain text, not a PDF .* rename it \.txt$",
    ),
    "text_with_pdf_header": (
        UnreadableDocument,
        r"^not a PDF: it starts with a PDF header but holds plain text$",
    ),
    "damaged_pdf": (
        UnreadableDocument,
        r"^damaged PDF: pdfium cannot open it; open it in a "
        r"PDF viewer and save or print it to a new PDF$",
    ),
    "truncated_pdf": (
        UnreadableDocument,
        r"^truncated PDF: .*%%EOF.* cut short .* get a complete copy$",
    ),
    "truncated_plain_pdf": (
        UnreadableDocument,
        r"^truncated PDF: .*%%EOF.* cut short .* get a complete copy$",
    ),
    "broken_pages_pdf": (
        UnreadableDocument,
        r"^damaged PDF: no page could be read; open it in "
        r"a PDF viewer and save or print it to a new PDF$",
    ),
    "user_password_pdf": (EncryptedDocument, r"^encrypted: provide an unlocked copy$"),
    "image_only_pdf": (NeedsOCR, r"no page has a text layer; it needs OCR"),
    "zip_bomb_docx": (
        DocumentTooLarge,
        r"^the zip would expand to 300\.0 MiB uncompressed, over the limit of "
        r"200\.0 MiB \(raise it with --max-docx-mb\)$",
    ),
    "billion_laughs_docx": (
        UnreadableDocument,
        r"^refused word/document\.xml: it declares a "
        r"DOCTYPE.*entity-expansion",
    ),
    "external_entity_docx": (
        UnreadableDocument,
        r"^refused word/document\.xml: it declares a "
        r"DOCTYPE.*external-entity",
    ),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Every bad and odd file, written once for the module into one folder, by kind."""
    return bad_files.write_all(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def bad_dir(written) -> Path:
    """The folder holding them."""
    return next(iter(written.values())).parent


def _refusal(path: Path, options: ReadOptions | None = None) -> PolicyCheckError:
    started = time.perf_counter()
    with pytest.raises(PolicyCheckError) as refused:
        read_document(path, options)
    assert time.perf_counter() - started < MAX_SECONDS
    return refused.value


def test_every_refused_kind_has_an_expected_refusal():
    assert set(REFUSALS) == set(bad_files.BAD_FILES)


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_bad_file_is_refused_with_its_own_error_and_a_clear_message(kind, written):
    error_class, message = REFUSALS[kind]
    error = _refusal(written[kind])
    assert type(error) is error_class
    assert re.search(message, str(error)), str(error)


def test_external_entity_is_never_read(written):
    secret = Path(bad_files.SECRET_FILE)
    error = _refusal(written["external_entity_docx"])
    if secret.is_file() and secret.read_text().strip():
        assert secret.read_text().strip() not in str(error)


def test_owner_password_only_pdf_is_read(written):
    document = read_document(written["owner_password_pdf"])
    assert document.kind == "pdf" and document.pages == 2
    assert "shall not use a chokehold" in _all_text(document)
    assert document.warnings == []


def test_pdf_pdfium_repairs_is_read_with_a_warning(written):
    document = read_document(written["repairable_pdf"])
    assert "shall not use a chokehold" in _all_text(document)
    assert document.warnings == [
        "the PDF's cross-reference table is damaged and pdfium "
        "rebuilt it: check the report against the original"
    ]


def test_pdf_without_end_marker_that_pdfium_opens_is_read_with_a_warning(tmp_path):
    data = (bad_files.SAMPLES / "total_ban.pdf").read_bytes()
    end = data.rindex(b"%%EOF")
    path = bad_files._write(tmp_path / "cut.pdf", data[:end])
    document = read_document(path)
    assert document.warnings == [
        "the PDF has no end marker (%%EOF) and may be truncated: "
        "pages or text at the end may be missing"
    ]


def test_word_file_named_pdf_is_read_as_docx_with_a_warning(written):
    document = read_document(written["docx_named_pdf"])
    assert document.kind == "docx"
    assert document.warnings == ["named .pdf but the content is docx; read as docx"]


def test_pdf_named_docx_is_read_as_pdf_with_a_warning(written):
    document = read_document(written["pdf_named_docx"])
    assert document.kind == "pdf"
    assert document.warnings == ["named .docx but the content is pdf; read as pdf"]


def test_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = bad_files.write_oversized(tmp_path)
    monkeypatch.setattr(Path, "read_bytes", _forbidden_read)
    error = _refusal(path, ReadOptions(max_file_bytes=2**20))
    assert type(error) is DocumentTooLarge
    assert str(error) == "2.0 MB is over the 1 MB limit (raise it with --max-file-mb)"


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ({"max_docx_uncompressed": 2**14}, r"uncompressed, over the limit of 16\.0 KiB"),
        ({"max_docx_members": 3}, r"over the limit of 3 \(raise it with --max-docx-members\)$"),
    ],
)
def test_docx_limits_are_configurable(tmp_path, limit, message):
    path = bad_files.write_stored_docx(tmp_path)
    assert read_document(path).kind == "docx"
    error = _refusal(path, ReadOptions(**limit))
    assert type(error) is DocumentTooLarge
    assert re.search(message, str(error)), str(error)


def test_docx_ratio_limit_is_configurable(tmp_path):
    path = bad_files.write_zip_bomb_docx(tmp_path)
    error = _refusal(path, ReadOptions(max_docx_uncompressed=2**30, max_docx_ratio=10))
    assert type(error) is DocumentTooLarge
    assert re.search(r"image1\.bin expands \d+ times .* over the limit of 10 times", str(error))


def test_zip_with_a_huge_directory_is_refused_before_it_is_parsed(tmp_path):
    members = {f"word/media/{n}.txt": b"" for n in range(5000)}
    data = build_docx(para("Text."), extra=members)
    path = bad_files._write(tmp_path / "many.docx", data)
    error = _refusal(path)
    assert type(error) is DocumentTooLarge and "members" in str(error)


@pytest.mark.parametrize(
    "line",
    [
        "# a" + " " * 20000 + "x",  # took minutes: the heading pattern backtracked cubically
        "[" * 200000,
        "[a](" * 50000,
    ],
    ids=["spaces-in-heading", "open-brackets", "open-links"],
)
def test_long_markdown_lines_are_read_in_linear_time(tmp_path, line):
    path = bad_files._write(tmp_path / "long.md", f"{line}\n\nOfficers shall report.\n".encode())
    started = time.perf_counter()
    read_document(path)
    assert time.perf_counter() - started < MAX_SECONDS


def test_markdown_heading_keeps_a_hash_that_is_not_a_closing_sequence(tmp_path):
    path = bad_files._write(tmp_path / "h.md", b"# Rule C# ##\n\n## Scope #\n\nText.\n")
    assert [s.label for s in read_document(path).walk()] == ["Rule C#", "Scope"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_refusals_leave_no_file_open(written):
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        for path in written.values():
            try:
                read_document(path)
            except PolicyCheckError:
                pass
    assert len(os.listdir("/proc/self/fd")) <= before


# --- the command line ------------------------------------------------------------------------


def _check_folder(folder: Path, *options: str):
    good = bad_files._write(folder / "good.pdf", bad_files.GOOD_PDF.read_bytes())
    result = CliRunner().invoke(main, ["check", "--format", "json", *options, str(folder)])
    return result, good


def test_cli_names_each_bad_file_once_and_still_reports_the_good_ones(bad_dir, written):
    result, good = _check_folder(bad_dir)
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    error_lines = result.stderr.splitlines()
    assert len(error_lines) == len(bad_files.BAD_FILES)
    for kind in bad_files.BAD_FILES:
        path = written[kind]
        naming = [line for line in error_lines if line.startswith(f"policycheck: {path}: ")]
        assert len(naming) == 1, (kind, error_lines)
        assert "internal error" not in naming[0]
    items = {item["document"]["path"]: item for item in json.loads(result.stdout)}
    assert items[str(good)]["verdict"] == "compliant"
    for kind in bad_files.ODD_BUT_READABLE:
        assert "verdict" in items[str(written[kind])], kind
    assert {path for path, item in items.items() if "error" in item} == {
        str(written[kind]) for kind in bad_files.BAD_FILES
    }


def test_cli_debug_shows_the_traceback(tmp_path):
    bad_files.write_user_password_pdf(tmp_path)
    result, _ = _check_folder(tmp_path, "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "EncryptedDocument" in result.stderr


def test_cli_docx_limit_flags_reach_the_reader(tmp_path):
    path = bad_files.write_stored_docx(tmp_path)
    result = CliRunner().invoke(main, ["check", "--max-docx-members", "3", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"policycheck: {path}: the zip has ")


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory is read with resource")
def test_largest_manual_is_checked_in_under_a_gibibyte(corpus_dir):
    import resource

    manual = corpus_dir / "policies" / LARGEST_MANUAL
    checked = subprocess.run(
        [sys.executable, "-m", "policycheck", "check", "-f", "json", str(manual)],
        capture_output=True,
        check=False,
    )
    assert checked.returncode in (0, 1), checked.stderr
    # The largest peak of any child this process has waited for: at worst an overestimate.
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in bytes on macOS, else KiB
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit < MAX_PEAK_BYTES


def _all_text(document) -> str:
    return "\n".join(block.text for section in document.walk() for block in section.blocks)


def _forbidden_read(self):
    raise AssertionError("an oversized file was read")
