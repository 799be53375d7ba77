"""Words come out whole in the text the rules see, one real file per extraction artifact.

tests/test_readers.py pins each repair on short strings; these check the same artifacts where
the corpus notes found them, through the whole reader.
"""

from __future__ import annotations

import pytest

from policycheck.readers import read_document

# artifact, file, words that must be in the text, broken forms that must not
ARTIFACTS = [
    (
        "space inside a word",
        "NC_RaleighPD_1108-1_Use_of_Force_and_Weapons.pdf",
        ["should only use a chokehold"],
        ["us e a chokehold"],
    ),
    (
        "space inside a word",
        "CA_SanDiegoPD_DP_1.04_Use_of_Force.pdf",
        ["Officers", "neck restraint"],
        ["Of ficers"],
    ),
    (
        "space inside a word",
        "LA_NewOrleansPD_Lexipol_300_Use_of_Force.pdf",
        ["Officers", "shall not use neck holds"],
        ["Of ficers"],
    ),
    (
        "letter-spaced masthead",
        "MI_DetroitPD_304.2_Use_of_Force.pdf",
        ["neck restraints are prohibited"],
        ["D E T R O I T", "M A N U A L"],
    ),
    (
        "hyphen where a line broke a word",
        "IL_BuffaloGrovePD_GO_W-03_Use_of_Force.pdf",
        ["taking a subject to the ground", "significant threat", "authorized to use"],
        ["sub-ject", "sig-nificant", "author-ized"],
    ),
    (
        "hyphen of a compound at a line break",
        "IN_IndianapolisMPD_GO_1.30_Use_of_Force.pdf",
        ["life-threatening"],
        ["lifethreatening"],
    ),
    (
        "two words glued for a missing word",
        "IL_UrbanaPD_Lexipol_300_Use_of_Force.pdf",
        ["by law enforcement personnel"],
        ["bylaw"],
    ),
    (
        "two words glued for a missing word",
        "IL_ChicagoPD_G03-02_Use_of_Force_DRAFT_TBD_series.pdf",
        [" or a "],
        [" ora ", " fora "],
    ),
]


@pytest.mark.parametrize(
    ("artifact", "name", "whole", "broken"),
    ARTIFACTS,
    ids=[f"{a}-{n.split('_')[1]}" for a, n, _, _ in ARTIFACTS],
)
def test_words_come_out_whole(corpus_dir, artifact, name, whole, broken):
    document = read_document(corpus_dir / "policies" / name)
    text = " ".join(block.text for section in document.walk() for block in section.blocks)
    assert [w for w in whole if w not in text] == [], artifact
    assert [b for b in broken if b in text] == [], artifact
