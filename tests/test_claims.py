"""knowledge/claims.py: the claim a yes/no question makes, as the list answers/composed.py judges."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge import claims
from knowledge.features import extract_features
from knowledge.index import KnowledgeIndex


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("is there a stage after support", ["stage_beside", "mssp", "support", 1]),
        ("is there a stage before listen and consult in mcem", ["stage_beside", "mcem", "listen-consult", -1]),
        ("is there a negotiate stage in mssp?", ["stage_exists", "mssp", None]),
        ("mssp has a negotiate stage between proof and close right?", ["stage_exists", "mssp", None]),
    ],
)
def test_the_claim_read(ix: KnowledgeIndex, text: str, claim: list[Any]) -> None:
    assert claims.claim_in(extract_features(text, ix), ix) == claim


def test_the_other_buyer_named_is_a_contrast(ix: KnowledgeIndex) -> None:
    said = extract_features("in develop do we propose the eval plan to the sponsor?", ix)
    read = claims.contrasted(said, claims.claim_asked(said, ix), ix)
    assert read is not None and read[0] == "line_contrast" and read[2:] == ["sponsor", "power"]
    assert "power" in ix.graph.facts[read[1]].text


def test_the_same_buyer_is_no_contrast(ix: KnowledgeIndex) -> None:
    said = extract_features("in develop do we propose the eval plan to power?", ix)
    read = claims.contrasted(said, claims.claim_asked(said, ix), ix)
    assert read is not None and read[0] == "line"
