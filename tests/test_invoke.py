"""Invoke activities (Action.Execute), deliveryMode expectReplies, and the activity types Teams sends
besides messages, all over HTTP through the real app: answered properly or ignored politely, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.state import state_key
from bot.storage import MemoryStorage
from cards.render import card_buttons
from tests.fake_channel import ChatClient, FakeChannel, actions, activity, cards, said

CARD = "application/vnd.microsoft.card.adaptive"


async def post(client: TestClient, body: dict[str, Any]) -> tuple[int, Any]:
    response = await client.post("/api/messages", json=body)
    text = await response.text()
    assert response.status < 500 or response.status == 501, text
    if text and response.content_type == "application/json":
        return response.status, await response.json()
    return response.status, text


def execute(channel: FakeChannel, chat: ChatClient, data: Any, **extra: Any) -> dict[str, Any]:
    """An Action.Execute press as Teams sends it: an invoke named adaptiveCard/action."""
    value = {"action": {"type": "Action.Execute", "verb": "checkpoint", "data": data}}
    return activity(
        channel, chat.conversation_id, chat.user_id, type="invoke", name="adaptiveCard/action", value=value, **extra
    )


def answer_buttons(replies: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["answer"]: a for a in actions(replies) if a and a.get("action") == "check.answer"}


async def stored(storage: MemoryStorage, chat: ChatClient) -> dict[str, Any] | None:
    key = state_key("msteams", chat.conversation_id, chat.user_id)
    item = (await storage.read([key])).get(key)
    return item["state"] if item else None


async def test_action_execute_answers_a_checkpoint_with_the_answered_card(
    client: TestClient, channel: FakeChannel, chat: ChatClient, storage: MemoryStorage
) -> None:
    started = await chat.send("qualify proof")
    assert "Checkpoint 1 of 4" in said(started)
    yes = answer_buttons(started)["yes"]

    status, body = await post(client, execute(channel, chat, yes))

    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == CARD
    answered = body["value"]
    assert answered["type"] == "AdaptiveCard" and answered["version"] == "1.5"
    assert "Checkpoint 1 of 4" in said([{"type": "message", "attachments": [{"content": answered}]}])
    # The answered card replaces the clicked one: it records the answer and offers no buttons to press again.
    assert not card_buttons(answered)
    assert "Yes" in said([{"type": "message", "attachments": [{"content": answered}]}])
    follow_up = channel.take(chat.conversation_id)
    assert "Checkpoint 2 of 4" in said(follow_up)
    state = await stored(storage, chat)
    assert state is not None and state["check"]["step"] == 1 and state["check"]["answers"][0] == "yes"


async def test_a_whole_check_by_action_execute_ends_in_the_right_summary(
    client: TestClient, channel: FakeChannel, chat: ChatClient, storage: MemoryStorage
) -> None:
    replies = await chat.send("qualify proof")
    for answer in ("yes", "no", "unsure", "yes"):
        status, body = await post(client, execute(channel, chat, answer_buttons(replies)[answer]))
        assert status == 200 and body["type"] == CARD
        replies = channel.take(chat.conversation_id)
    summary = said(replies)
    assert "2 of 4 checkpoints met" in summary and "1 missing" in summary and "1 not sure" in summary, summary
    state = await stored(storage, chat)
    assert state is not None and state["check"] is None
    assert state["last_check"] == {"kind": "mssp", "stage": "proof"}


async def test_the_same_action_execute_twice_is_recorded_once(
    client: TestClient, channel: FakeChannel, chat: ChatClient, storage: MemoryStorage
) -> None:
    yes = answer_buttons(await chat.send("qualify proof"))["yes"]
    first = await post(client, execute(channel, chat, yes))
    channel.take(chat.conversation_id)
    second_status, second = await post(client, execute(channel, chat, yes))
    assert first[0] == second_status == 200
    assert second["type"] != CARD or second["value"] != first[1]["value"]
    assert "already answered" in said(channel.take(chat.conversation_id))
    state = await stored(storage, chat)
    assert state is not None and state["check"]["step"] == 1


@pytest.mark.parametrize(
    "value",
    [
        None,
        {},
        [],
        "text",
        {"action": "not an object"},
        {"action": {"type": "Action.Execute"}},
        {"action": {"data": 7}},
    ],
    ids=["none", "empty", "list", "string", "action-str", "no-data", "data-int"],
)
async def test_action_execute_of_the_wrong_shape_is_answered_not_crashed(
    client: TestClient, channel: FakeChannel, chat: ChatClient, value: Any
) -> None:
    body = activity(channel, chat.conversation_id, chat.user_id, type="invoke", name="adaptiveCard/action")
    if value is not None:
        body["value"] = value
    status, response = await post(client, body)
    assert status == 200 and response["statusCode"] == 200
    assert "couldn't read that button press" in said(channel.take(chat.conversation_id))


@pytest.mark.parametrize(
    "name", ["composeExtension/query", "task/fetch", "signin/verifyState", "config/fetch", "no/such/invoke", ""]
)
async def test_unsupported_invokes_get_501_not_implemented_and_no_reply(
    client: TestClient, channel: FakeChannel, chat: ChatClient, name: str
) -> None:
    body = activity(channel, chat.conversation_id, chat.user_id, type="invoke", name=name, value={"x": 1})
    status, _ = await post(client, body)
    assert status == 501
    assert channel.take(chat.conversation_id) == []


async def test_expect_replies_carries_a_whole_dialog_turn_in_the_response(
    client: TestClient, channel: FakeChannel, chat: ChatClient, storage: MemoryStorage
) -> None:
    body = activity(channel, chat.conversation_id, chat.user_id, text="qualify proof", deliveryMode="expectReplies")
    status, data = await post(client, body)
    assert status == 200
    started = data["activities"]
    assert "Checkpoint 1 of 4" in said(started) and answer_buttons(started)

    body = activity(channel, chat.conversation_id, chat.user_id, text="yes", deliveryMode="expectReplies")
    status, data = await post(client, body)
    assert status == 200 and "Checkpoint 2 of 4" in said(data["activities"])
    assert all(c["type"] == "AdaptiveCard" for c in cards(data["activities"]))
    assert channel.requests == 0  # nothing went through the connector
    state = await stored(storage, chat)
    assert state is not None and state["check"]["answers"][:1] == ["yes"]


@pytest.mark.parametrize(
    "extra",
    [
        {"type": "conversationUpdate", "membersRemoved": [{"id": "u1"}]},
        {"type": "conversationUpdate", "membersAdded": [{"id": "someone-else"}], "conversation": None},
        {"type": "conversationUpdate", "channelData": {"eventType": "teamRenamed", "team": {"id": "t1"}}},
        {"type": "installationUpdate", "action": "add"},
        {"type": "installationUpdate", "action": "remove"},
        {"type": "installationUpdate", "action": "add-upgrade"},
        {"type": "messageReaction", "reactionsAdded": [{"type": "like"}], "replyToId": "a1"},
        {"type": "messageReaction", "reactionsRemoved": [{"type": "heart"}]},
        {"type": "typing"},
        {"type": "endOfConversation", "code": "completedSuccessfully"},
        {"type": "event", "name": "application/vnd.microsoft.meetingStart", "value": {}},
        {"type": "messageUpdate", "text": "edited", "channelData": {"eventType": "editMessage"}},
        {"type": "messageDelete", "channelData": {"eventType": "softDeleteMessage"}},
        {"type": "deleteUserData"},
        {"type": "aNewTypeFromTheFuture", "value": {"anything": [1, 2, 3]}},
    ],
    ids=lambda e: "-".join(str(v) for k, v in e.items() if k in ("type", "action") or k.startswith("members")),
)
async def test_other_activity_types_are_handled_politely(
    client: TestClient, channel: FakeChannel, chat: ChatClient, storage: MemoryStorage, extra: dict[str, Any]
) -> None:
    body = activity(channel, chat.conversation_id, chat.user_id)
    if extra.get("conversation", "") is None:
        extra = {**extra, "conversation": {"id": chat.conversation_id, "conversationType": "groupChat"}}
    body.update(extra)
    status, _ = await post(client, body)
    assert 200 <= status < 300
    assert channel.take(chat.conversation_id) == []  # nothing to say to any of these
    assert await stored(storage, chat) is None  # and no dialog state touched
    assert "60%" in await chat.say("probability at Proof")  # the conversation carries on


async def test_members_added_welcomes_the_user_once(client: TestClient, channel: FakeChannel, chat: ChatClient) -> None:
    replies = await chat.send(None, type="conversationUpdate", membersAdded=[{"id": "bot"}, {"id": chat.user_id}])
    assert chat.last_status == 201
    assert len(cards(replies)) == 1 and "Welcome to StageCoach" in said(replies)
