"""Middleware that shows "StageCoach is typing..." while a message turn takes a while.

It replaces botbuilder 4.17.1's ShowTypingMiddleware, which does the same with two costs on every
turn, slow or not: a task that sleeps for the whole delay after the turn is over, and a reference
cycle (a closure that calls itself, holding the TurnContext). Everything a turn touched - the
context, both activities, the card - then stayed alive until one of the garbage collector's full
passes, which under load took 15-40 ms each (bench/notes.md). Here one task per turn sleeps, sends
typing every `period`, and is cancelled the moment the turn ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import BotAdapter, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import ClaimsIdentity, SkillValidation

log = logging.getLogger("stagecoach.typing")


class TypingIndicator(Middleware):
    """Typing activities for a message turn: the first after `delay` seconds, then every `period`,
    until the turn ends. Bots called as skills send none (as the SDK's middleware)."""

    def __init__(self, delay: float = 0.5, period: float = 2.0) -> None:
        if delay < 0:
            raise ValueError("delay must be >= 0")
        if period <= 0:
            raise ValueError("period must be > 0")
        self.delay = delay
        self.period = period

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]) -> None:
        if context.activity.type != ActivityTypes.message or _is_skill_call(context):
            await logic()
            return
        typing = asyncio.get_running_loop().create_task(self._keep_typing(context))
        try:
            await logic()
        finally:
            typing.cancel()
            # Wait until it has stopped (a typing activity being sent is abandoned), so that nothing of
            # this turn reaches the channel after it is over. asyncio.wait, unlike awaiting the task,
            # does not raise its CancelledError, so a cancellation of this turn itself still propagates.
            await asyncio.wait([typing])

    async def _keep_typing(self, context: TurnContext) -> None:
        await asyncio.sleep(self.delay)
        reference = TurnContext.get_conversation_reference(context.activity)
        while True:
            activity = Activity(type=ActivityTypes.typing, relates_to=context.activity.relates_to)
            try:
                # Straight to the adapter, as the SDK's middleware does: not through the context's
                # send handlers, and it does not count as the turn having responded.
                await context.adapter.send_activities(
                    context, [TurnContext.apply_conversation_reference(activity, reference)]
                )
            except Exception as error:  # StageCoachAdapter logs its own failures; any other adapter's here
                log.info("typing indicator not sent: %s", type(error).__name__)
            await asyncio.sleep(self.period)


def _is_skill_call(context: TurnContext) -> bool:
    identity = context.turn_state.get(BotAdapter.BOT_IDENTITY_KEY)
    return isinstance(identity, ClaimsIdentity) and SkillValidation.is_skill_claim(identity.claims)
