"""bot/teams_bot.py: the activities StageCoach builds from the router's replies."""

from __future__ import annotations

import copy

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, Attachment

from bot.teams_bot import reply_activity, welcome_card
from cards.render import CARD_CONTENT_TYPE
from dialogs.router import Reply


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
