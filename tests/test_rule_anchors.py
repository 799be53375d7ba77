"""The anchors of each shipped rule: a block is read only if it holds one, so every text a
rule's patterns match must hold one, or the rule never sees it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycheck.rules import load_pack


def _patterns_and_anchors():
    for rule in load_pack().rules:
        config = rule.config
        if rule.kind == "restriction":
            terms = config["terms"]
            tables = (terms["groups"], terms.get("descriptions", {}))
            anchors = terms.get("anchors", [])
        else:
            tables = ({name: spec["patterns"] for name, spec in config["components"].items()},)
            anchors = config.get("anchors", [])
        for table in tables:
            for group, patterns in table.items():
                for pattern in patterns:
                    yield pytest.param(
                        pattern, tuple(anchors), id=f"{rule.id}:{group}:{pattern[:40]}"
                    )


@pytest.mark.parametrize(("pattern", "anchors"), list(_patterns_and_anchors()))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_every_text_a_pattern_matches_holds_an_anchor(pattern, anchors, data):
    compiled = re.compile(pattern, re.IGNORECASE)
    text = data.draw(st.from_regex(compiled, fullmatch=True))
    match = compiled.search(text)
    if match:
        assert any(anchor in match.group(0).lower() for anchor in anchors), match.group(0)
