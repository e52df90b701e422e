"""The Bot Framework adapter StageCoach runs on: CloudAdapter with our error handler and middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.config import USER_ASSIGNED_MSI, Settings
from bot.connector_factory import ReusingBotFrameworkAuthentication
from bot.credentials import ManagedIdentityCredentialsFactory
from bot.errors import on_turn_error
from bot.retry import TURN_RETRY_BUDGET, RetryBudget, call_with_retry, leave_status_retries_to_us, send_or_log
from bot.typing_indicator import TypingIndicator


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


class StageCoachAdapter(CloudAdapter):
    """CloudAdapter as botbuilder 4.17.1 ships it; the HTTP edge is bot/http.py, not CloudAdapter.process."""

    def __init__(self, bot_framework_authentication: BotFrameworkAuthentication) -> None:
        # Reuse connector clients across turns and build no UserTokenClient StageCoach would not use:
        # the stock adapter spends ~12 ms of CPU per turn building them (see bot/connector_factory.py).
        if not isinstance(bot_framework_authentication, ReusingBotFrameworkAuthentication):
            bot_framework_authentication = ReusingBotFrameworkAuthentication(bot_framework_authentication)
        super().__init__(bot_framework_authentication)

    def _create_turn_context(self, activity: Activity, *args: Any, **kwargs: Any) -> TurnContext:
        stock = super()._create_turn_context(activity, *args, **kwargs)
        context = StageCoachTurnContext(self, activity)
        context.turn_state.update(stock.turn_state)  # the identity, connector client, callback ... the SDK set
        return context

    async def close(self) -> None:
        """Release the connector clients' shared HTTP session; the app calls this on cleanup."""
        if isinstance(self.bot_framework_authentication, ReusingBotFrameworkAuthentication):
            await self.bot_framework_authentication.close()

    async def process_activity(
        self,
        auth_header_or_authenticate_request_result: str | AuthenticateRequestResult,
        activity: Activity,
        logic: Callable[[TurnContext], Awaitable],
    ) -> InvokeResponse | None:
        # A request authenticated elsewhere (not through self.bot_framework_authentication) still
        # gets its connector client from the shared pool.
        result = auth_header_or_authenticate_request_result
        if isinstance(result, AuthenticateRequestResult) and isinstance(
            self.bot_framework_authentication, ReusingBotFrameworkAuthentication
        ):
            self.bot_framework_authentication.reuse_clients(result)
        return await super().process_activity(result, activity, logic)

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        """Each activity is sent, and retried on 429/5xx, on its own: a retry never repeats one that
        was already delivered. Typing indicators are sent once, never retried (a late one is only
        noise, and while the connector throttles it would compete with the replies), and a failed one
        is logged here: the typing middleware has nobody to report it to."""
        if not activities:
            return await super().send_activities(context, activities)  # raises as the SDK does
        leave_status_retries_to_us(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))
        budget = context.turn_state.setdefault(TURN_RETRY_BUDGET, RetryBudget())
        send = super().send_activities
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type == ActivityTypes.typing:
                sent = await send_or_log(partial(send, context, [activity]), what="typing indicator")
                responses.extend(sent or [ResourceResponse()])
                continue
            responses.extend(
                await call_with_retry(partial(send, context, [activity]), what="send reply", budget=budget)
            )
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        leave_status_retries_to_us(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))
        budget = context.turn_state.setdefault(TURN_RETRY_BUDGET, RetryBudget())
        update = super().update_activity
        return await call_with_retry(partial(update, context, activity), what="update card", budget=budget)


def create_adapter(settings: Settings) -> StageCoachAdapter:
    # None: the SDK's own choice from APP_TYPE (password credentials, multi- or single-tenant).
    managed_identity = (
        ManagedIdentityCredentialsFactory(settings.APP_ID) if settings.APP_TYPE == USER_ASSIGNED_MSI else None
    )
    adapter = StageCoachAdapter(ConfigurationBotFrameworkAuthentication(settings, credentials_factory=managed_identity))
    adapter.on_turn_error = on_turn_error
    adapter.use(TypingIndicator(delay=0.5, period=2.0))
    return adapter
