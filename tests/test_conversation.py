"""Conversations through the real aiohttp app and CloudAdapter, with a fake channel recording replies."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.storage import MemoryStorage
from cards.titles import button_title
from tests.fake_channel import ChatClient, FakeChannel, actions, button, cards, said


async def test_owner_question_gets_unit_and_roles(chat: ChatClient) -> None:
    text = await chat.say("who owns Realize Value?")
    assert "CSU (Customer Success Unit)" in text
    assert "CSAM" in text and "CSA (Cloud Solution Architect)" in text
    assert "ATU" not in text and "STU" not in text


async def test_follow_up_uses_previous_question(chat: ChatClient) -> None:
    await chat.say("who owns Realize Value?")
    text = await chat.say("and Inspire & Design?")
    assert "STU" in text and "CSU" not in text.split("also owns")[0]


async def test_answer_card_is_adaptive_card_15_with_source(chat: ChatClient) -> None:
    replies = await chat.send("key steps in the proof stage")
    (card,) = cards(replies)
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert "Source: MSSP document" in said(replies)
    assert {"action": "check.start", "kind": "mssp", "stage": "proof"} in actions(replies)


async def test_out_of_scope_is_declined_with_examples(chat: ChatClient) -> None:
    replies = await chat.send("what's the weather tomorrow?")
    text = said(replies)
    assert "don't know" in text
    assert not any(unit in text for unit in ("CSU", "STU", "ATU", "60%"))
    assert len([a for a in actions(replies) if a.get("action") == "ask"]) >= 2


async def test_suggestion_button_asks_its_question(chat: ChatClient) -> None:
    replies = await chat.send("who owns Realize Value?")
    data = button(replies, button_title("Exit criteria for Realize Value"))
    text = said(await chat.click(data))
    assert "Outcomes met and baseline metrics in place" in text


async def test_card_submit_with_text_none_is_handled(chat: ChatClient) -> None:
    replies = await chat.send(None, {"action": "ask", "question": "probability at Close"})
    assert "80%" in said(replies)


async def test_mention_is_stripped_in_a_channel(client: Any, channel: FakeChannel) -> None:
    chat = ChatClient(client, channel)
    replies = await chat.send(
        "<at>StageCoach</at> who owns Listen & Consult?",
        entities=[{"type": "mention", "text": "<at>StageCoach</at>", "mentioned": {"id": "bot", "name": "StageCoach"}}],
        conversation={"id": chat.conversation_id, "conversationType": "channel", "tenantId": "t"},
    )
    assert "ATU" in said(replies)


async def test_welcome_card_when_the_chat_opens(client: Any, channel: FakeChannel) -> None:
    chat = ChatClient(client, channel)
    replies = await chat.send(
        None,
        type="conversationUpdate",
        membersAdded=[{"id": "u1"}, {"id": "bot"}],
    )
    assert "Welcome to StageCoach" in said(replies)


async def test_help(chat: ChatClient) -> None:
    assert "checkpoint check" in await chat.say("help")


async def test_reaction_and_typing_are_ignored_politely(chat: ChatClient) -> None:
    assert await chat.send(None, type="messageReaction", reactionsAdded=[{"type": "like"}]) == []
    assert chat.last_status < 300
    assert await chat.send(None, type="typing") == []
    assert chat.last_status < 300


async def test_expect_replies_returns_activities_in_the_body(client: Any, channel: FakeChannel) -> None:
    from tests.fake_channel import activity

    body = activity(channel, "conv-er", text="probability at Proof", deliveryMode="expectReplies")
    response = await client.post("/api/messages", json=body)
    assert response.status == 200
    data = await response.json()
    assert "60%" in said(data["activities"])


async def test_healthz(client: Any) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_an_unreadable_stored_state_starts_afresh_instead_of_locking_the_user_out(
    chat: ChatClient, storage: MemoryStorage, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.say("check the qualify stage")
    [key] = storage._items
    storage._items[key] = storage._items[key]._replace(data="{damaged")  # as a disk fault would leave it
    with caplog.at_level(logging.ERROR, logger="stagecoach.state"):
        reply = await chat.say("who owns realize value?")
    assert "CSU" in reply
    assert "stored state unreadable, starting afresh" in caplog.messages
    assert (await storage.read([key]))[key]["state"]  # replaced by this turn's state: readable again
    assert "CSU" in await chat.say("who owns realize value?")
