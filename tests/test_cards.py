"""Card rendering: valid JSON whatever the text, escaping, size limit, version."""

from __future__ import annotations

import json

import pytest

from cards.render import (
    MAX_CARD_BYTES,
    Button,
    CardTooLarge,
    Choice,
    answer_card,
    card_text,
    choice_card,
    escape_markdown,
    render,
)
from knowledge.answers import Answer, Item, Section

HOSTILE = [
    'quote " and backslash \\ and braces {} [] ',
    "new\nline\ttab\r\u2028\u2029",
    "emoji 😀🚀 and RTL مرحبا עברית",
    "markdown **bold** _it_ [link](http://x) # h <b>html</b> &amp;",
    '{{ jinja }} {% raw %} "},"x":"',
    "\x00\x01\x1f control",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_renders_to_valid_json_and_round_trips(text: str) -> None:
    answer = Answer(
        kind="test",
        title=text,
        headline=text,
        facts=((text, text),),
        note=text,
        source=text,
        suggestions=(text,),
    )
    card = answer_card(answer)
    assert card["body"][1]["text"] == text
    assert card["body"][2]["facts"][0] == {"title": text, "value": text}
    assert card["actions"][0]["data"]["question"] == text
    json.loads(json.dumps(card))


def test_list_items_from_users_are_markdown_escaped() -> None:
    answer = Answer("test", "t", "h", sections=(Section("S", (Item("**bold** [x](y)"),)),))
    block = answer_card(answer)["body"][3]["text"]
    assert "\\*\\*bold\\*\\*" in block and "\\[x\\]" in block
    assert escape_markdown("a_b*c") == "a\\_b\\*c"


def test_cards_set_version_15_and_speak() -> None:
    card = choice_card(Choice("T", "Pick one", (Button("A", {"action": "x"}), Button("Q", question="q?"))))
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert card["speak"] == "Pick one"
    assert card["actions"][1]["data"]["msteams"]["type"] == "messageBack"


def test_oversized_card_is_refused() -> None:
    answer = Answer("test", "t", "x" * (MAX_CARD_BYTES + 10))
    with pytest.raises(CardTooLarge):
        answer_card(answer)


def test_card_text_reads_body_facts_and_buttons() -> None:
    card = choice_card(Choice("Title", "Question?", (Button("Yes", {"a": 1}),), lines=("line",)))
    assert card_text(card) == "Title\nQuestion?\nline\n[Yes]"


def test_render_unknown_template_fails_loudly() -> None:
    from jinja2 import TemplateNotFound

    with pytest.raises(TemplateNotFound):
        render("nope.json.j2")
