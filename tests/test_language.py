"""The language step: normalisation and sentences that respect legal citations."""

from __future__ import annotations

from policycheck.language import normalise, split_sentences


def test_normalise_quotes_dashes_ligatures_and_spaces():
    assert normalise("“Choke‑hold”\u00a0–  ﬁrst") == '"Choke-hold" - first'


def test_sentences_do_not_split_case_names():
    [sentences] = list(split_sentences(["See Graham v. Connor, 490 U.S. 386. Next one."]))
    assert [s.text for s in sentences] == ["See Graham v. Connor, 490 U.S. 386.", "Next one."]


def test_lemmas_are_lowercase_lookups():
    [sentences] = list(split_sentences(["Chokeholds are prohibited."]))
    assert sentences[0].lemmas[:3] == ("chokeholds", "be", "prohibit")
