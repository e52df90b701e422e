"""bot/typing_indicator.py: typing while a message turn is slow, nothing after it, nothing left behind."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

import pytest
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse

from bot.typing_indicator import TypingIndicator

DELAY, PERIOD = 0.05, 0.03


class RecordingAdapter(BotAdapter):
    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.sent: list[Activity] = []
        self.fail = fail

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        self.sent.extend(activities)
        if self.fail:
            raise ConnectionError("channel down")
        return [ResourceResponse(id=str(len(self.sent)))]

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError

    def typing_sent(self) -> int:
        return sum(1 for a in self.sent if a.type == ActivityTypes.typing)


def _context(adapter: BotAdapter, kind: str = ActivityTypes.message) -> TurnContext:
    activity = Activity(
        type=kind,
        id="1",
        text="hello",
        channel_id="msteams",
        service_url="https://smba.example/",
        conversation=ConversationAccount(id="c"),
        from_property=ChannelAccount(id="user"),
        recipient=ChannelAccount(id="bot"),
    )
    return TurnContext(adapter, activity)


def _turn_taking(seconds: float) -> Any:
    async def logic() -> None:
        await asyncio.sleep(seconds)

    return logic


async def test_a_slow_turn_shows_typing_until_it_ends_and_not_after() -> None:
    adapter = RecordingAdapter()
    await TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter), _turn_taking(DELAY + 3 * PERIOD + 0.01))
    sent = adapter.typing_sent()
    assert 2 <= sent <= 5
    typing = adapter.sent[0]
    assert typing.conversation.id == "c" and typing.recipient.id == "user" and typing.from_property.id == "bot"
    await asyncio.sleep(DELAY + 3 * PERIOD)
    assert adapter.typing_sent() == sent


async def test_a_quick_turn_shows_no_typing_and_leaves_no_task_behind() -> None:
    adapter = RecordingAdapter()
    before = len(asyncio.all_tasks())
    await TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter), _turn_taking(0))
    assert len(asyncio.all_tasks()) == before
    await asyncio.sleep(DELAY + PERIOD)
    assert adapter.sent == []


@pytest.mark.parametrize("kind", [ActivityTypes.invoke, ActivityTypes.conversation_update, ActivityTypes.event])
async def test_only_message_turns_show_typing(kind: str) -> None:
    adapter = RecordingAdapter()
    await TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter, kind), _turn_taking(DELAY + PERIOD))
    assert adapter.sent == []


async def test_typing_stops_when_the_turn_fails() -> None:
    adapter = RecordingAdapter()

    async def failing() -> None:
        await asyncio.sleep(DELAY + PERIOD)
        raise RuntimeError("bot bug")

    with pytest.raises(RuntimeError):
        await TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter), failing)
    sent = adapter.typing_sent()
    assert sent >= 1
    await asyncio.sleep(DELAY + 2 * PERIOD)
    assert adapter.typing_sent() == sent


async def test_a_failing_typing_send_neither_stops_typing_nor_fails_the_turn() -> None:
    adapter = RecordingAdapter(fail=True)
    await TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter), _turn_taking(DELAY + 2 * PERIOD + 0.01))
    assert adapter.typing_sent() >= 2


async def test_cancelling_the_turn_cancels_it_and_its_typing() -> None:
    adapter = RecordingAdapter()
    turn = asyncio.create_task(TypingIndicator(DELAY, PERIOD).on_turn(_context(adapter), _turn_taking(10)))
    await asyncio.sleep(DELAY + PERIOD)
    turn.cancel()
    with pytest.raises(asyncio.CancelledError):
        await turn
    sent = adapter.typing_sent()
    await asyncio.sleep(DELAY + 2 * PERIOD)
    assert adapter.typing_sent() == sent


async def test_a_finished_turn_is_freed_at_once_not_by_the_garbage_collector() -> None:
    # The SDK's ShowTypingMiddleware kept every turn's context in a reference cycle.
    adapter = RecordingAdapter()
    context = _context(adapter)
    gone = weakref.ref(context)
    gc.disable()
    try:
        await TypingIndicator(DELAY, PERIOD).on_turn(context, _turn_taking(0))
        del context
        assert gone() is None
    finally:
        gc.enable()


def test_bad_timings_are_refused() -> None:
    with pytest.raises(ValueError):
        TypingIndicator(delay=-1)
    with pytest.raises(ValueError):
        TypingIndicator(period=0)
