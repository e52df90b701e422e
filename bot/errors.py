"""What happens when a turn fails: the user is told briefly, the log gets the details and an id."""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from botbuilder.core import TurnContext
from botbuilder.schema import ActivityTypes

from bot.retry import is_connector_outage, status_of
from bot.storage import StorageError

log = logging.getLogger("stagecoach.error")


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    correlation_id = secrets.token_hex(4)
    if is_connector_outage(error):
        # The channel's endpoint is throttling, failing or unreachable: not a bug of ours, so no
        # traceback. The replies were already retried against this connector; an apology through it
        # would fail the same way and hold the channel's request open for another round of retries.
        log.warning(
            "replies not delivered",
            extra={
                "correlation_id": correlation_id,
                "error_type": type(error).__name__,
                "status": status_of(error),
                "service_host": urlsplit(context.activity.service_url or "").hostname,
            },
        )
        return
    log.error(
        "turn failed",
        exc_info=(type(error), error, error.__traceback__),
        extra={"correlation_id": correlation_id, "error_type": type(error).__name__},
    )
    if context.activity.type not in (ActivityTypes.message, ActivityTypes.invoke):
        return
    if isinstance(error, StorageError):
        text = (
            "I'm temporarily unavailable and couldn't save this step. Your earlier answers are kept: "
            f"please try again in a moment. (ref {correlation_id})"
        )
    else:
        text = (
            "Sorry, something went wrong on my side, so I didn't record that. Your check is where it was: "
            f"please try again. (ref {correlation_id})"
        )
    try:
        await context.send_activity(text)
    except Exception:  # the channel itself may be what failed; the log already has the details
        log.warning("could not tell the user about the failure", extra={"correlation_id": correlation_id})
