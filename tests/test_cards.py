"""Card rendering: valid JSON whatever the text, escaping, size limit, version; what cards say aloud
(speak, the message summary) and their button titles, for every card of the corpus."""

from __future__ import annotations

import json

import pytest

from bot.teams_bot import card_update, reply_activity
from cards.render import (
    MAX_CARD_BYTES,
    Button,
    CardTooLarge,
    Choice,
    answer_card,
    answer_speech,
    card_buttons,
    card_text,
    choice_card,
    escape_markdown,
    plain_text,
    render,
    sentence,
    spoken_list,
)
from cards.titles import MAX_TITLE, button_title, question_title, sibling_titles
from dialogs.router import Reply
from knowledge.answers import Answer, Item, Section
from tools.e2e.card_corpus import card_names, representative_cards

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
    # A long label is shown "**label:** value", both escaped: the text reads as it was.
    assert plain_text(card["body"][2]["text"]) == f"{text}: {text}"
    action = card["actions"][0]
    assert action["data"]["question"] == text and action["data"]["msteams"]["displayText"] == text
    assert len(action["title"]) <= MAX_TITLE
    json.loads(json.dumps(card))


def test_list_items_from_users_are_markdown_escaped() -> None:
    answer = Answer("test", "t", "h", sections=(Section("S", (Item("**bold** [x](y)"),)),))
    block = answer_card(answer)["body"][3]["text"]
    assert "\\*\\*bold\\*\\*" in block and "\\[x\\]" in block
    assert escape_markdown("a_b*c") == "a\\_b\\*c"


def test_cards_set_version_15_and_speak() -> None:
    card = choice_card(Choice("T", "Pick one", (Button("A", {"action": "x"}), Button("Q", question="q?"))))
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert card["speak"] == "Pick one."
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


# --- what a card says aloud -------------------------------------------------------------------


def is_complete_sentence(text: str) -> bool:
    start = text.lstrip("\u201c\"'")[:1]
    return len(text) >= 12 and (start.isupper() or start.isdigit()) and text.rstrip("\u201d")[-1:] in (".", "?", "!")


def test_sentence_ends_a_summary_properly() -> None:
    assert sentence("The stages:") == "The stages."
    assert sentence("The CSA: \u201cKeep RAID logs\u201d") == "The CSA: \u201cKeep RAID logs\u201d."
    assert sentence("Did you mean \u201cA?\u201d") == "Did you mean \u201cA?\u201d"


@pytest.mark.parametrize("name", card_names())
def test_every_card_and_message_has_a_complete_summary(name: str) -> None:
    """speak, the message summary (notifications, screen readers) and a card update's summary."""
    card = representative_cards()[name]
    assert is_complete_sentence(card["speak"]), card["speak"]
    assert not card["speak"].rstrip(".").endswith(":"), card["speak"]
    assert reply_activity(Reply(card=card)).summary == card["speak"]
    assert card_update("activity-1", card).summary == card["speak"]


def test_list_answers_say_their_items() -> None:
    cards = representative_cards()
    probability = cards["answer-mssp.probability_all"]["speak"]
    assert probability.startswith("The probability at each of the ") and probability.endswith(".")
    assert "stages: Demand Generation" in probability and "Prospect 0%" in probability
    answer = Answer("x.list", "T", "Three things:", sections=(Section("S", (Item("a"), Item("b"), Item("c"))),))
    assert answer_speech(answer) == "Three things: a, b and c."
    facts = Answer("x.facts", "T", "Two facts:", facts=(("One", "1"), ("Two", "a longer value than that")))
    assert answer_speech(facts) == "Two facts: One 1 and Two, a longer value than that."
    assert spoken_list([str(i) for i in range(9)]) == "0, 1, 2, 3, 4 and 4 more"
    per_thing = Answer("x.each", "T", "Side by side:", sections=(Section("A", (Item("a1."),)), Section("B", ())))
    assert answer_speech(per_thing) == "Side by side: A and B."


def test_did_you_mean_names_its_suggestions() -> None:
    assert "\u201cWhat does the AE do?\u201d" in representative_cards()["answer-did_you_mean"]["speak"]
    two = Answer("did_you_mean", "Did you mean ...?", "Did you mean one of these?", suggestions=("A b?", "C d"))
    assert answer_speech(two) == "I'm not sure what you mean. Did you mean \u201cA b?\u201d or \u201cC d\u201d?"


def test_an_answered_checkpoint_says_what_was_recorded() -> None:
    cards = representative_cards()
    answered = cards["check-answered"]["speak"]
    assert answered.startswith("Recorded \u201cYes, met\u201d for checkpoint 1 of 4:"), answered
    assert "Is this checkpoint met" not in answered
    assert cards["check-question-step-2"]["speak"].startswith("Checkpoint 2 of 4: ")


def test_summary_speak_names_what_is_open() -> None:
    speak = representative_cards()["summary-gaps"]["speak"]
    assert "1 of 4 checkpoints met" in speak
    assert "Missing: Sponsor has buying vision and Access to power negotiated." in speak
    assert "Not sure: Sponsor agrees to explore." in speak


# --- layout decisions made before the renderer sees the card ----------------------------------


def test_summary_lists_each_checkpoint_once_on_one_line_and_buttons_before_the_next_steps() -> None:
    card = representative_cards()["summary-gaps"]
    texts = [b.get("text", "") for b in card["body"] if b["type"] == "TextBlock"]
    for checkpoint in ("Sponsor has buying vision", "Access to power negotiated", "Sponsor agrees to explore"):
        assert sum(checkpoint in t for t in texts) == 1, checkpoint
    assert "\u274c **Missing:** Sponsor has buying vision" in texts
    kinds = [b["type"] for b in card["body"]]
    next_steps = next(i for i, t in enumerate(card["body"]) if "Next steps" in t.get("text", ""))
    assert kinds.index("ActionSet") < next_steps


def test_every_card_has_headings() -> None:
    for name, card in representative_cards().items():
        headings = [b for b in card["body"] if b.get("style") == "heading"]
        assert headings and headings[0] is card["body"][0], name
        # A list's heading is the TextBlock just above it.
        body = card["body"]
        lists = [i for i, b in enumerate(body) if str(b.get("text", "")).startswith(("- ", "1. "))]
        assert all(body[i - 1].get("style") == "heading" for i in lists), name


def test_checkpoint_card_shows_progress_in_words_and_buttons_that_say_what_they_mean() -> None:
    card = representative_cards()["check-question-step-2"]
    assert any(b.get("text") == "Checkpoint 2 of 4" for b in card["body"])
    titles = [a["title"] for a in card_buttons(card)]
    assert titles == ["Yes, met", "Not yet", "Not sure", "Previous checkpoint", "Cancel check"]


@pytest.mark.parametrize("name", card_names())
def test_every_button_title_fits_a_phone_and_asks_the_whole_question(name: str) -> None:
    for action in card_buttons(representative_cards()[name]):
        assert len(action["title"]) <= MAX_TITLE, action["title"]
        assert action["title"][0].isupper(), action["title"]
        question = action["data"].get("question")
        if question is not None:
            assert action["data"]["msteams"]["displayText"] == question
            assert action["title"] == question or action["tooltip"] == question


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What are the checkpoints for Qualify?", "Qualify checkpoints"),
        ("Who owns Realize Value?", "Realize Value owner"),
        ("Exit criteria for Realize Value", "Exit: Realize Value"),
        ("Which unit is the CSAM in?", "CSAM's unit"),
        ("What does the SSP do in Modernize?", "SSP in Modernize"),
        ("Key steps for Demand Generation", "Steps: Demand\u2026"),
        ("What does a CSA do?", "What does a CSA do?"),
        ("Re-check Listen & Consult", "Check again"),
        ("an unknown question that goes on and on", "An unknown question\u2026"),
    ],
)
def test_button_title_shortens_questions(question: str, title: str) -> None:
    assert button_title(question) == title
    assert len(button_title(question)) <= MAX_TITLE


def test_commands_offered_as_buttons_say_what_they_do() -> None:
    assert question_title("qualify") == "Check an opportunity"
    assert button_title("Qualify") == "Qualify"  # a stage's own button keeps its name


def test_a_row_of_sibling_questions_is_titled_by_what_differs() -> None:
    questions = tuple(f"Key steps for {s}" for s in ("Demand Generation", "Prospect", "Qualify"))
    assert sibling_titles(questions) == ("Demand Generation", "Prospect", "Qualify")
    roles = ("What does the AE do?", "What does the ATS do?", "What does the CSA do?")
    # The same ending: each titled on its own, never "AE do?".
    assert sibling_titles(roles) == tuple(button_title(q) for q in roles)
    assert sibling_titles(questions[:2]) == ("Steps: Demand\u2026", "Prospect key steps")
