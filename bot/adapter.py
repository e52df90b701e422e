"""The Bot Framework adapter StageCoach runs on: CloudAdapter with our error handler and middleware."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from msrest.exceptions import ClientRequestError

from bot.config import USER_ASSIGNED_MSI, Settings
from bot.credentials import ManagedIdentityCredentialsFactory
from bot.errors import on_turn_error
from bot.retry import TURN_RETRY_BUDGET, RetryBudget, call_with_retry, leave_status_retries_to_us, send_or_log
from bot.sdk_patches.connector_factory import ReusingBotFrameworkAuthentication
from bot.sdk_patches.turn_context import StageCoachTurnContext
from bot.typing_indicator import TypingIndicator

T = TypeVar("T")
# Everything a turn sends (card update, replies, their retries) within this time of its first send:
# Teams holds the inbound request for about 15 s, and a turn waiting longer helps nobody.
TURN_SEND_SECONDS = 15.0
TURN_SEND_DEADLINE = "stagecoach.send_deadline"  # TurnContext.turn_state key: loop time


class StageCoachAdapter(CloudAdapter):
    """CloudAdapter as botbuilder 4.17.1 ships it; the HTTP edge is bot/http.py, not CloudAdapter.process."""

    def __init__(self, bot_framework_authentication: BotFrameworkAuthentication) -> None:
        # Reuse connector clients across turns and build no UserTokenClient StageCoach would not use:
        # the stock adapter spends ~12 ms of CPU per turn building them (see bot/sdk_patches/connector_factory.py).
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
            reply = call_with_retry(partial(send, context, [activity]), what="send reply", budget=budget)
            responses.extend(await within_send_deadline(context, reply))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        leave_status_retries_to_us(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))
        budget = context.turn_state.setdefault(TURN_RETRY_BUDGET, RetryBudget())
        update = super().update_activity
        call = call_with_retry(partial(update, context, activity), what="update card", budget=budget)
        return await within_send_deadline(context, call)


async def within_send_deadline(context: TurnContext, call: Awaitable[T]) -> T:
    """call, cut off at the turn's send deadline: TURN_SEND_SECONDS after its first outbound call, all
    its calls (card update, replies, retries) together. A cut-off call fails as an unreachable
    connector does (ClientRequestError), so nobody tries to apologise through that connector."""
    loop = asyncio.get_running_loop()
    deadline = context.turn_state.setdefault(TURN_SEND_DEADLINE, loop.time() + TURN_SEND_SECONDS)
    try:
        async with asyncio.timeout_at(deadline):
            return await call
    except TimeoutError:
        raise ClientRequestError(f"the turn's replies were not sent within {TURN_SEND_SECONDS:g} s") from None


def create_adapter(settings: Settings) -> StageCoachAdapter:
    # None: the SDK's own choice from APP_TYPE (password credentials, multi- or single-tenant).
    managed_identity = (
        ManagedIdentityCredentialsFactory(settings.APP_ID) if settings.APP_TYPE == USER_ASSIGNED_MSI else None
    )
    adapter = StageCoachAdapter(ConfigurationBotFrameworkAuthentication(settings, credentials_factory=managed_identity))
    adapter.on_turn_error = on_turn_error
    adapter.use(TypingIndicator(delay=0.5, period=2.0))
    return adapter
