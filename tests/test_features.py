"""knowledge/features.py: what the reader finds in a message before any rule looks at it."""

import pytest

from knowledge.features import MAX_WORDS, extract_features, percents_in
from knowledge.index import KnowledgeIndex


def test_a_capitalised_everyday_word_is_a_stage_and_a_lower_case_one_is_not(ix: KnowledgeIndex) -> None:
    assert extract_features("tell me about Close", ix).entities.get("mssp_stage") == ["close"]
    f = extract_features("I need to close my laptop", ix)
    assert "mssp_stage" not in f.entities and f.rejected.get("mssp_stage") == ["close"]


def test_next_steps_ask_for_steps_not_for_the_next_stage(ix: KnowledgeIndex) -> None:
    assert not extract_features("what are the next steps in proof", ix).has("next")
    assert extract_features("what comes next after proof", ix).has("next")


@pytest.mark.parametrize(
    "text",
    ["the review happened last week", "quick one before my call: proof %?", "call with the CFO next month"],
)
def test_a_time_the_seller_mentions_is_no_order_cue(ix: KnowledgeIndex, text: str) -> None:
    assert not extract_features(text, ix).has("next", "previous", "last")


def test_how_long_a_stage_should_last_is_a_duration_not_the_last_stage(ix: KnowledgeIndex) -> None:
    f = extract_features("how many days should proof last", ix)
    assert f.has("duration") and not f.has("last")


def test_a_round_number_said_of_a_stage_is_its_probability(ix: KnowledgeIndex) -> None:
    assert extract_features("which stg is 60", ix).percents == ["60%"]
    assert extract_features("which stage is 4", ix).percents == []
    assert percents_in(["deploy", "at", "100"]) and not percents_in(["stage", "7"])


def test_unknown_words_exclude_numbers_and_ordinals(ix: KnowledgeIndex) -> None:
    f = extract_features("the 2nd stage at 60% for zorblax", ix)
    assert f.unknown == ["zorblax"]


def test_a_long_message_is_cut_to_the_word_limit(ix: KnowledgeIndex) -> None:
    assert len(extract_features("proof " * 500, ix).words) == MAX_WORDS
