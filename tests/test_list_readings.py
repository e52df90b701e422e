"""knowledge/list_readings.py: each list reading on its own shape, and None on the shapes of the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from knowledge import list_readings as lr
from knowledge.features import extract_features
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex


def read(ix: KnowledgeIndex, reading: Callable[..., Any], text: str) -> Any:
    return reading(extract_features(text, ix), ix)


@pytest.mark.parametrize(
    ("reading", "text", "kind", "slots"),
    [
        (lr.all_but, "all mssp stages except close with their probability", "compare", {"type": "mssp_stage"}),
        (lr.stages_in_band, "stages between 10% and 40%", "compare", {"ids": ["qualify", "develop", "solution"]}),
        (lr.position_across_the_document, "last verifiable outcome in mssp", "mssp.outcome", {"mssp_stage": "support"}),
        (
            lr.position_across_the_document,
            "the 3rd checkpoint in mssp",
            "mssp.item",
            {"mssp_stage": "prospect", "field": "checkpoint", "position": 2},
        ),
        (
            lr.position_across_the_document,
            "the last exit criteria in mcem",
            "mcem.exit",
            {"mcem_stage": "manage-optimize"},
        ),
    ],
)
def test_a_reading_gives_its_frame(
    ix: KnowledgeIndex, reading: Callable[..., Any], text: str, kind: str, slots: dict[str, Any]
) -> None:
    frame = read(ix, reading, text)
    assert isinstance(frame, Frame) and frame.kind == kind, frame
    for slot, value in slots.items():
        assert frame.slots.get(slot) == value, (slot, frame.slots)


@pytest.mark.parametrize(
    ("reading", "text"),
    [
        (lr.all_but, "what are the mssp stages"),
        (lr.position_across_the_document, "objectives of the first 3 mssp stages"),  # a position among stages
        (lr.position_across_the_document, "the first checkpoint of proof"),  # a stage named: its own list
        (lr.stages_in_band, "more than 3 checkpoints"),  # a count of lines, no probability
    ],
)
def test_a_reading_leaves_other_shapes_alone(ix: KnowledgeIndex, reading: Callable[..., Any], text: str) -> None:
    assert read(ix, reading, text) is None


def test_stages_named_by_their_probabilities_are_compared(ix: KnowledgeIndex) -> None:
    said = extract_features("40% vs 60% - what's the VO for each", ix)
    assert lr.stages_compared_by_probability(said, ix) == ("mssp_stage", ["solution", "proof"])
    # "NA" and a probability no stage has name no single stage
    assert lr.stages_compared_by_probability(extract_features("30% vs 60%", ix), ix) is None
