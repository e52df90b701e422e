"""bot/teams_bot.py: the activities StageCoach builds from the router's replies."""

from __future__ import annotations

import copy

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, Attachment

from bot.teams_bot import MAX_MESSAGE_CHARS, message_text, reply_activity
from cards.render import CARD_CONTENT_TYPE
from dialogs.router import Reply
from dialogs.welcome import welcome_card


def test_a_card_reply_is_the_activity_message_factory_would_build() -> None:
    card = welcome_card()
    expected = MessageFactory.attachment(Attachment(content_type=CARD_CONTENT_TYPE, content=card))
    expected.text, expected.summary = "Hello", "Hello"
    assert reply_activity(Reply("Hello", card)).serialize() == expected.serialize()


def test_a_text_reply_is_plain_text() -> None:
    assert reply_activity(Reply("Hello")).serialize() == MessageFactory.text("Hello").serialize()


def test_the_sdks_deep_copy_of_a_reply_shares_only_the_card_content() -> None:
    card = welcome_card()
    reply = reply_activity(Reply("Hello", card))
    copied = copy.deepcopy(reply)
    assert type(copied) is Activity
    assert copied.serialize() == reply.serialize()
    assert copied.attachments is not reply.attachments and copied.attachments[0] is not reply.attachments[0]
    assert copied.attachments[0].content is card
    copied.text = "changed"
    copied.attachments.append(Attachment(content_type="text/plain", content="x"))
    assert reply.text == "Hello" and len(reply.attachments) == 1


def mention_activity(text: str, *entities: dict[str, object]) -> Activity:
    return Activity.deserialize(
        {"type": "message", "text": text, "recipient": {"id": "bot", "name": "StageCoach"}, "entities": list(entities)}
    )


def test_message_text_removes_mentions_and_reads_names_literally() -> None:
    bot = {"type": "mention", "text": "<at>Stage.Coach (bot)</at>", "mentioned": {"id": "bot"}}
    other = {"type": "mention", "text": "<at>Jane</at>", "mentioned": {"id": "jane"}}
    assert message_text(mention_activity("<at>Stage.Coach (bot)</at> who owns <at>Jane</at> Qualify?", bot, other)) == (
        "who owns   Qualify?"
    )
    # The SDK used the name as a regex: "." would have eaten any character.
    assert message_text(mention_activity("StageXCoach (bot) hi", bot)) == "StageXCoach (bot) hi"
    assert message_text(mention_activity("<AT>StageCoach</At>hello")) == "hello"


def test_message_text_is_cut_before_mentions_are_looked_at() -> None:
    text = message_text(mention_activity("  " + "<at>" * 60_000 + "</at>  "))
    assert text is not None and len(text) <= MAX_MESSAGE_CHARS
    long_name = {"type": "mention", "text": "<at>" + "x" * 300 + "</at>", "mentioned": {"id": "bot"}}
    assert message_text(mention_activity("<at>" + "x" * 300 + "</at>hi", long_name)) == "hi"
