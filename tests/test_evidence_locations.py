"""The chokehold evidence a report cites is where the corpus notes say the passage is.

The per-file notes in ../shared/corpus/README.md give the page and section of each key passage
(La Grange's two sections and Anaheim's are named in its "Reading" line; Oregon's rule has no
pages, only a section). A reviewer who follows the report's citation must land on it.
"""

from __future__ import annotations

import re

import pytest

from policycheck.readers import read_document

# file, page (None for text), section as the notes name it, words of the quoted passage
LOCATIONS = [
    (
        "IL_ArlingtonHeightsPD_GO_1.5_Response_to_Resistance.pdf",
        10,
        "D",
        "shall not use a chokehold in the performance of his or her duties",
    ),
    ("IL_UrbanaPD_Lexipol_300_Use_of_Force.pdf", 4, "300.4.2", "unless deadly force is justified"),
    (
        "IL_LaGrangePD_Lexipol_Policy_Manual_2020-09.pdf",
        54,
        "300.3.4",
        "the use of the carotid control hold is limited to those circumstances",
    ),
    (
        "IL_LaGrangePD_Lexipol_Policy_Manual_2020-09.pdf",
        55,
        "300.3.7",
        "shall not apply direct pressure to the throat",
    ),
    (
        "CA_AnaheimPD_Lexipol_300_Use_of_Force.pdf",
        3,
        "300.3.4",
        "The proper application of the carotid control hold may be effective",
    ),
    (
        "TX_ArlingtonPD_GO_401_Use_of_Force.pdf",
        9,
        "D",
        "may use either the Lateral or Unilateral Vascular Neck Restraint",
    ),
    (
        "OH_CincinnatiPD_12.545_Use_of_Force.pdf",
        1,
        "Definitions",
        "Choke holds are prohibited unless a situation arises",
    ),
    (
        "MI_DetroitPD_304.2_Use_of_Force.pdf",
        4,
        "304.2-4.3",
        "neck restraints are prohibited except where deadly force is authorized",
    ),
    (
        "TX_PlanoPD_AD_112.008_Use_of_Force.pdf",
        9,
        "J",
        "prohibited from using neck restraints unless the use of lethal force is justified",
    ),
    (
        "FL_StPetersburgPD_GO_Use_of_Force_2014.pdf",
        6,
        "C",
        "shall not, at any time, obstruct the breathing or carotid blood flow of a person",
    ),
    (
        "OR_DeptOfCorrections_OAR_291-013_Use_of_Force.md",
        None,
        "291-013-0065",
        "Both the carotid hold and choke hold are prohibited except in self-defense",
    ),
]
_NOTE_LOCATION = re.compile(r"Evidence \(p(\d+), §([^) ]+)")


def names_section(label: str, section: str) -> bool:
    """True when the cited label is that section: its number ("D." or "304.2 - 4.3 ..."), or
    for a titled section, its title. In a manual the label's last part is the section."""
    last = _closed_hyphens(label.split(" > ")[-1])
    wanted = _closed_hyphens(section)
    if any(ch.isdigit() for ch in wanted) or len(wanted) == 1:
        return last.startswith((f"{wanted} ", f"{wanted}. "))
    return wanted.casefold() in last.casefold()


def _closed_hyphens(text: str) -> str:
    return re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)


def chokehold_evidence(path, checker):
    report = checker.check(read_document(path))
    [finding] = [f for f in report.findings if f.rule.endswith(".chokehold")]
    return finding.evidence


@pytest.fixture(scope="module")
def evidence_by_file(corpus_dir, checker):
    """Each file's chokehold evidence, read once (La Grange is cited twice)."""
    cache = {}

    def evidence(name):
        if name not in cache:
            cache[name] = chokehold_evidence(corpus_dir / "policies" / name, checker)
        return cache[name]

    return evidence


@pytest.mark.parametrize(
    ("name", "page", "section", "words"),
    LOCATIONS,
    ids=[f"{name.split('_')[1]}-{section}" for name, _, section, _ in LOCATIONS],
)
def test_chokehold_evidence_is_on_the_noted_page_and_section(
    evidence_by_file, name, page, section, words
):
    cited = [(e.page, e.section, e.text) for e in evidence_by_file(name)]
    assert any(
        cited_page == page and names_section(label, section) and words in " ".join(text.split())
        for cited_page, label, text in cited
    ), cited


def test_every_noted_page_and_section_is_checked(corpus_dir):
    notes = (corpus_dir / "README.md").read_text(encoding="utf-8")
    noted = {(int(page), section) for page, section in _NOTE_LOCATION.findall(notes)}
    assert noted and noted <= {(page, section) for _, page, section, _ in LOCATIONS}


@pytest.mark.parametrize(
    ("label", "section", "expected"),
    [
        ("D. Prohibited Responses to Resistance - Chokeholds", "D", True),
        ("Policy 300 Use of Force > 300.3.7 RESPIRATORY RESTRAINTS", "300.3.7", True),
        ("304.2 - 4.3 Prohibited Holds", "304.2-4.3", True),
        ("Definitions:", "Definitions", True),
        ("300.3.4 CAROTID CONTROL HOLD", "300.3", False),
        ("DEFINITIONS", "D", False),
        ("291-013-0065 - General Provisions — Use of Force", "291-013-0065", True),
    ],
)
def test_names_section(label, section, expected):
    assert names_section(label, section) is expected
