"""bot/adapter.py: what StageCoachAdapter changes about a turn beyond the SDK's CloudAdapter."""

from __future__ import annotations

import gc
from collections import Counter
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ResourceResponse

from bot.sdk_patches.turn_context import StageCoachTurnContext
from tests.fake_channel import ChatClient

TURN_TYPES = {"TurnContext", "StageCoachTurnContext", "Activity", "Attachment", "ChannelAccount"}


async def test_a_turn_leaves_nothing_for_the_garbage_collector(chat: ChatClient) -> None:
    # Freed by reference counting as soon as it is over, not by the collector's full passes (which took
    # 15-40 ms each under load while every turn left its context, activities and card in a cycle).
    await chat.say("warm up: who owns realize value?")  # first-use caches, the connector client
    gc.collect()
    gc.disable()
    try:
        reply = await chat.say("who owns realize value?")
        await chat.say("check stage 1")
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = Counter(type(o).__name__ for o in gc.garbage if type(o).__name__ in TURN_TYPES)
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()
    assert "CSU" in reply
    assert left == Counter()


class _Adapter:
    """Just what TurnContext.send_activities needs from an adapter."""

    def __init__(self) -> None:
        self.sent: list[Activity] = []

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        self.sent += activities
        return [ResourceResponse(id="1") for _ in activities]


def _context(adapter: Any) -> StageCoachTurnContext:
    activity = Activity(
        type="message",
        id="1",
        conversation=ConversationAccount(id="c"),
        from_property=ChannelAccount(id="u"),
        recipient=ChannelAccount(id="bot"),
    )
    return StageCoachTurnContext(adapter, activity)


async def test_send_handlers_registered_on_the_context_still_run() -> None:
    adapter = _Adapter()
    context = _context(adapter)
    seen: list[str] = []

    async def handler(ctx: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        seen.extend(a.text for a in activities)
        return await next_send()

    context.on_send_activities(handler)
    await context.send_activity("hello")
    assert seen == ["hello"] and [a.text for a in adapter.sent] == ["hello"]


async def test_without_handlers_a_reply_is_sent_as_the_sdk_sends_it() -> None:
    adapter = _Adapter()
    response = await _context(adapter).send_activity("hello")
    assert response.id == "1"
    sent = adapter.sent[0]
    assert (sent.text, sent.conversation.id, sent.recipient.id, sent.reply_to_id) == ("hello", "c", "u", "1")
