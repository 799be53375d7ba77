"""The language step: normalisation and sentences that respect legal citations."""

from __future__ import annotations

from policycheck.language import lemmas, normalise, split_sentences


def test_normalise_quotes_dashes_ligatures_and_spaces():
    assert normalise("“Choke‑hold”\u00a0–  ﬁrst") == '"Choke-hold" - first'


def test_sentences_do_not_split_case_names():
    [sentences] = list(split_sentences(["See Graham v. Connor, 490 U.S. 386. Next one."]))
    assert [s.text for s in sentences] == ["See Graham v. Connor, 490 U.S. 386.", "Next one."]


def test_lemmas_are_lowercase_lookups():
    assert lemmas("Chokeholds are prohibited.")[:3] == ("chokeholds", "be", "prohibit")


def test_list_marker_stays_with_its_item():
    [sentences] = list(split_sentences(["1. Carotid submission hold; 2. All other chokeholds."]))
    assert sentences[0].text.startswith("1. Carotid")
