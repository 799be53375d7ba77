"""Shared fixtures: the repository's folders and the owners' corpus (skipped when absent)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_policies"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real agency policies in ../shared/corpus; tests using it skip where it is absent."""
    if not (CORPUS / "labels.yaml").is_file():
        pytest.skip("../shared/corpus is not present on this machine")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_labels(corpus_dir: Path) -> dict:
    """The verdicts a careful reviewer accepts for each corpus file."""
    return yaml.safe_load((corpus_dir / "labels.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def checker():
    """The EO 13929 pack, compiled once for the whole session."""
    from policycheck.rules import Checker, load_pack

    return Checker(load_pack())


@pytest.fixture(scope="session")
def long_pdf(tmp_path_factory) -> Path:
    """Every sample policy, over and over, until the file is long enough for page workers."""
    import pypdf

    from policycheck.readers.pdf_workers import PARALLEL_MIN_PAGES

    writer = pypdf.PdfWriter()
    samples = sorted(SAMPLES.glob("*.pdf"))
    while len(writer.pages) < PARALLEL_MIN_PAGES + 10:
        for sample in samples:
            writer.append(str(sample))
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path_factory.mktemp("long") / "manual.pdf"
    path.write_bytes(buffer.getvalue())
    return path
