"""The TurnContext StageCoach's adapter creates for each turn."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from botbuilder.core import TurnContext


class StageCoachTurnContext(TurnContext):
    """botbuilder's TurnContext, minus a reference cycle on every reply sent.

    TurnContext._emit runs the send/update/delete handlers registered on the context through a local
    function that calls itself: a closure that refers to itself, holding the context. So every turn
    that replied - its context, both activities and the card - stayed alive until the garbage
    collector's next full pass, the longest pauses under load (bench/notes.md). StageCoach registers no
    such handlers; with none, the SDK's version does nothing but run `logic`, which is what this does.
    """

    async def _emit(self, plugins: list[Any], arg: Any, logic: Awaitable[Any]) -> Any:
        if not plugins:
            return await logic
        return await super()._emit(plugins, arg, logic)
