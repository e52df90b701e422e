"""bot/state.py: idempotent turns. A redelivered activity (same id) is acknowledged and not applied again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from bot.state import MAX_ACTIVITY_IDS, AlreadyApplied, ConversationStates, state_key, stored_activity_id
from bot.storage import MemoryStorage
from tests.fake_channel import ChatClient, FakeChannel, activity, button

KEY = state_key("msteams", "conv", "user")


def count_turn(state: dict[str, Any] | None) -> tuple[dict[str, Any], int]:
    n = (state or {}).get("n", 0) + 1
    return {"n": n}, n


async def test_an_activity_applied_once_is_refused_the_second_time() -> None:
    states = ConversationStates(MemoryStorage())
    assert await states.update(KEY, count_turn, activity_id="a1") == 1
    with pytest.raises(AlreadyApplied):
        await states.update(KEY, count_turn, activity_id="a1")
    assert await states.update(KEY, count_turn, activity_id="a2") == 2
    assert await states.update(KEY, count_turn) == 3  # no id: nothing to recognise it by
    assert (await states.read(KEY))[0] == {"n": 3}


async def test_the_ids_kept_are_bounded_and_long_ids_are_hashed() -> None:
    storage = MemoryStorage()
    states = ConversationStates(storage)
    for i in range(MAX_ACTIVITY_IDS + 5):
        await states.update(KEY, count_turn, activity_id=f"id-{i}")
    stored = await states.read_item(KEY)
    assert stored.activity_ids == [f"id-{i}" for i in range(5, MAX_ACTIVITY_IDS + 5)]
    long_id = "x" * 10_000
    await states.update(KEY, count_turn, activity_id=long_id)
    assert (await states.read_item(KEY)).activity_ids[-1] == stored_activity_id(long_id)
    assert len(stored_activity_id(long_id) or "") < 100
    with pytest.raises(AlreadyApplied):
        await states.update(KEY, count_turn, activity_id=long_id)


async def test_a_turn_that_changes_nothing_keeps_no_id_and_a_restored_turn_may_be_applied_again() -> None:
    states = ConversationStates(MemoryStorage())
    await states.update(KEY, count_turn, activity_id="a1")
    await states.update(KEY, lambda s: (s or {}, None), activity_id="noop")
    assert (await states.read_item(KEY)).activity_ids == ["a1"]
    await states.update(KEY, count_turn, activity_id="a2")  # its replies could not be sent: restored
    assert await states.restore(KEY, {"n": 1}, written={"n": 2}, activity_id="a2")
    stored = await states.read_item(KEY)
    assert stored.state == {"n": 1} and stored.activity_ids == ["a1"]
    assert await states.update(KEY, count_turn, activity_id="a2") == 2  # the redelivery is applied


async def test_stored_ids_of_another_shape_are_ignored() -> None:
    storage = MemoryStorage()
    await storage.write({KEY: {"state": {"n": 5}, "activity_ids": "a1"}})
    states = ConversationStates(storage)
    assert await states.update(KEY, count_turn, activity_id="a1") == 6


# --- over HTTP, as a channel redelivers -------------------------------------------------------------


async def check_answers(storage: MemoryStorage, chat: ChatClient) -> list[Any]:
    key = state_key("msteams", chat.conversation_id, chat.user_id)
    return (await storage.read([key]))[key]["state"]["check"]["answers"]


@pytest.mark.parametrize("together", [False, True], ids=["one after another", "all at once"])
async def test_an_answer_redelivered_three_times_during_a_check_is_recorded_once(
    client: Any, chat: ChatClient, channel: FakeChannel, storage: MemoryStorage, together: bool
) -> None:
    first = await chat.send("qualify proof")
    yes = activity(channel, chat.conversation_id, chat.user_id, None, button(first, "Yes, met"))
    posts = [client.post("/api/messages", json=yes) for _ in range(3)]
    if together:
        responses = await asyncio.gather(*posts)
    else:
        responses = [await post for post in posts]
    assert [r.status for r in responses] == [201, 201, 201]  # every delivery acknowledged
    replies = channel.take(chat.conversation_id)
    asked = [a for a in replies if "Checkpoint 2 of" in str(a)]
    assert len(asked) == 1, [str(a)[:200] for a in replies]
    assert [a for a in await check_answers(storage, chat) if a is not None] == ["yes"]
    # The next answer (a new activity) is applied as usual: checkpoint 3 is asked, none skipped.
    second = await chat.send(None, button(replies, "Yes, met"))
    assert "Checkpoint 3 of" in str(second)


async def test_a_redelivered_card_action_invoke_is_acknowledged(
    client: Any, chat: ChatClient, channel: FakeChannel, storage: MemoryStorage
) -> None:
    first = await chat.send("qualify proof")
    invoke = activity(
        channel, chat.conversation_id, chat.user_id, None, None, type="invoke", name="adaptiveCard/action"
    )
    invoke["value"] = {"action": {"type": "Action.Execute", "verb": "answer", "data": button(first, "Yes, met")}}
    invoke["id"] = uuid.uuid4().hex
    statuses = []
    for _ in range(2):
        response = await client.post("/api/messages", json=invoke)
        statuses.append(response.status)
    assert statuses == [200, 200]
    assert [a for a in await check_answers(storage, chat) if a is not None] == ["yes"]
