"""Fuzz every reader with mutated real files: only the product's own errors may escape.

Each test reads mutated bytes of real seed files through ``read_document`` and accepts a
Document or a ``PolicyCheckError``; any other exception, or an example slower than
``DEADLINE``, fails. The normal run is short; set POLICYCHECK_FUZZ_EXAMPLES for a long one:

    POLICYCHECK_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_readers.py --hypothesis-show-statistics
"""

from __future__ import annotations

import faulthandler
import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from conftest import SAMPLES
from docx_fixtures import zip_members
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from policycheck.errors import PolicyCheckError
from policycheck.readers import read_document

FUZZ_EXAMPLES = int(os.environ.get("POLICYCHECK_FUZZ_EXAMPLES", "150"))
DEADLINE = timedelta(seconds=5)
# A hang inside pdfium or lxml cannot be interrupted from Python; the watchdog ends the run
# with every thread's traceback instead of leaving CI waiting.
WATCHDOG_SECONDS = 120
MAX_CHUNK = 4096
TEXT_SEED = """# 300 Use of Force

## 300.1 Purpose

This policy provides guidelines on the **reasonable** use of force \\(see 300.4\\).

1. Officers shall de-escalate where feasible.
2. Officers shall not use a chokehold unless deadly force is authorized:
   (a) carotid restraints;
   (b) any hold that restricts breathing.

| Technique | Status |
|---|---|
| Chokehold | Prohibited |
| Carotid restraint | Prohibited except where deadly force is authorized |

> Officers shall comply with the U.S. Constitution and all applicable laws.
"""
# Tokens of the formats read, spliced in so that mutations reach past the first syntax check.
TOKENS = [
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"R",
    b"/Length 999999999",
    b"/Filter /FlateDecode",
    b"/Type /Page",
    b"/Kids [",
    b"/Count -1",
    b"xref\n0 1\n",
    b"trailer",
    b"startxref\n0\n",
    b"%%EOF",
    b"/Encrypt",
    b"0 0 obj",
    b"<w:p>",
    b"</w:p>",
    b"<w:t>",
    b"<w:tbl>",
    b"<w:numPr>",
    b"&amp;",
    b"<!--",
    b"]]>",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\r\n",
    b"# ",
    b"| ",
    b"\\",
    b"\x1b",
]


def _resaved_pdf(path: Path) -> bytes:
    """A sample rewritten by pypdf: another writer's objects and cross-reference table."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# Seeds by name, so that a failing example prints the seed's name, not its bytes.
PDF_SEEDS = {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.pdf"))}
PDF_SEEDS["total_ban.pdf resaved by pypdf"] = _resaved_pdf(SAMPLES / "total_ban.pdf")
DOCX_SEEDS = {path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*.docx"))}
DOCX_PART_SEEDS = {path.name: _docx_parts(path) for path in sorted(SAMPLES.glob("*.docx"))}
TEXT_SEEDS = {"TEXT_SEED": TEXT_SEED.encode(), "README.md": (SAMPLES / "README.md").read_bytes()}

_POSITION = st.integers(min_value=0, max_value=2**31)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), _POSITION, st.integers(0, 7)),
    st.tuples(st.just("truncate"), _POSITION),
    st.tuples(st.just("duplicate"), _POSITION, st.integers(1, MAX_CHUNK), _POSITION),
    st.tuples(st.just("delete"), _POSITION, st.integers(1, MAX_CHUNK)),
    st.tuples(st.just("insert"), _POSITION, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), _POSITION, st.sampled_from(TOKENS)),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=8)
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _flip(data: bytearray, position: int, bit: int) -> None:
    data[position % len(data)] ^= 1 << bit


def _truncate(data: bytearray, position: int) -> None:
    del data[position % len(data) :]


def _duplicate(data: bytearray, start: int, length: int, target: int) -> None:
    start, target = start % len(data), target % (len(data) + 1)
    data[target:target] = data[start : start + length]


def _delete(data: bytearray, start: int, length: int) -> None:
    start %= len(data)
    del data[start : start + length]


def _insert(data: bytearray, position: int, chunk: bytes) -> None:
    position %= len(data) + 1
    data[position:position] = chunk


MUTATORS = {
    "flip": _flip,
    "truncate": _truncate,
    "duplicate": _duplicate,
    "delete": _delete,
    "insert": _insert,
}


def mutate(seed: bytes, mutations: list[tuple]) -> bytes:
    """The seed with each mutation applied in turn; an emptied file stays empty."""
    data = bytearray(seed)
    for name, *args in mutations:
        if not data:
            break
        MUTATORS[name](data, *args)
    return bytes(data)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@contextmanager
def _watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def _read_or_refuse(path: Path, data: bytes) -> None:
    """Read the bytes from a file: a Document or a PolicyCheckError, nothing else."""
    path.write_bytes(data)
    with _watchdog():
        try:
            document = read_document(path)
        except PolicyCheckError as exc:
            event(f"refused: {type(exc).__name__}")
            return
    event("read")
    assert all(isinstance(block.text, str) for s in document.walk() for block in s.blocks)


@FUZZ_SETTINGS
@given(seed=st.sampled_from(sorted(PDF_SEEDS)), mutations=MUTATIONS)
def test_pdf_reader_on_mutated_pdfs(fuzz_dir, seed, mutations):
    _read_or_refuse(fuzz_dir / "policy.pdf", mutate(PDF_SEEDS[seed], mutations))


@FUZZ_SETTINGS
@given(seed=st.sampled_from(sorted(DOCX_SEEDS)), mutations=MUTATIONS)
def test_docx_reader_on_mutated_packages(fuzz_dir, seed, mutations):
    _read_or_refuse(fuzz_dir / "policy.docx", mutate(DOCX_SEEDS[seed], mutations))


@FUZZ_SETTINGS
@given(seed=st.sampled_from(sorted(DOCX_PART_SEEDS)), data=st.data())
def test_docx_reader_on_mutated_parts_in_sound_packages(fuzz_dir, seed, data):
    """Parts mutated inside a package with correct checksums, so the XML parser sees them."""
    parts = DOCX_PART_SEEDS[seed]
    name = data.draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
    mutated = dict(parts, **{name: mutate(parts[name], data.draw(MUTATIONS))})
    _read_or_refuse(fuzz_dir / "policy.docx", zip_members(mutated))


@FUZZ_SETTINGS
@given(seed=st.sampled_from(sorted(TEXT_SEEDS)), mutations=MUTATIONS)
def test_text_reader_on_mutated_text(fuzz_dir, seed, mutations):
    _read_or_refuse(fuzz_dir / "policy.md", mutate(TEXT_SEEDS[seed], mutations))


def test_mutations_change_the_bytes_as_named():
    seed = b"0123456789"
    assert mutate(seed, [("flip", 0, 0)]) == b"1123456789"
    assert mutate(seed, [("truncate", 4)]) == b"0123"
    assert mutate(seed, [("duplicate", 0, 2, 10)]) == b"012345678901"
    assert mutate(seed, [("delete", 8, 5)]) == b"01234567"
    assert mutate(seed, [("insert", 1, b"ab"), ("truncate", 0)]) == b""
