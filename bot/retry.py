"""When and how long to retry a call the Bot Connector refused for now (429 throttling, 5xx).

The policy is small pure functions (status of an error, Retry-After, next delay) so it is tested
without a network; call_with_retry is the one loop that applies it. Bounds: at most 3 attempts per
call and 5 s of waiting per turn, shared by all its calls (card update and replies), because the
user is waiting and the channel holds the inbound request open (Teams gives up after about 15 s).
A Retry-After that does not fit the budget is honoured by giving up, not by retrying early.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from msrest.exceptions import ClientRequestError

log = logging.getLogger("stagecoach.retry")
T = TypeVar("T")

# Statuses that say "not now" rather than "never": 501 Not Implemented and 505 never get better.
_PERMANENT_5XX = frozenset({501, 505})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    max_total_delay_seconds: float = 5.0
    base_delay_seconds: float = 0.25  # first backoff without Retry-After; doubles each time


DEFAULT_POLICY = RetryPolicy()
TURN_RETRY_BUDGET = "stagecoach.retry_budget"  # TurnContext.turn_state key


@dataclass
class RetryBudget:
    """Seconds one turn has already waited on retries; its connector calls share the policy's total."""

    waited: float = 0.0


def status_of(error: BaseException) -> int | None:
    """The HTTP status behind a connector error: msrest's HttpOperationError (and the connector's
    ErrorResponseException) carry the response, a requests.Response (.status_code) or aiohttp's (.status)."""
    response = getattr(error, "response", None)
    for attribute in ("status_code", "status"):
        value = getattr(response, attribute, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def retry_after_header(error: BaseException) -> str | None:
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        value = headers.get("Retry-After")
    except (AttributeError, TypeError):
        return None
    return value if isinstance(value, str) else None


def is_retryable_status(status: int | None) -> bool:
    return status is not None and (status == 429 or (500 <= status <= 599 and status not in _PERMANENT_5XX))


def is_connector_outage(error: BaseException) -> bool:
    """The connector is throttling, failing or unreachable: telling the user through it is futile too."""
    return is_retryable_status(status_of(error)) or isinstance(error, ClientRequestError)


def leave_status_retries_to_us(connector_client: Any) -> None:
    """Turn off the transport's own retries on HTTP status. msrest configures urllib3 to retry PUT (not
    POST: urllib3 2 ignores msrest's method_whitelist) on 5xx, and on 429/503 with a Retry-After, up to
    3 times, sleeping whatever Retry-After says, uncapped; then it reports a RetryError without the
    status. The bounds here must be the only ones. Retries of failed connects (nothing sent) remain."""
    policy = getattr(getattr(getattr(connector_client, "config", None), "retry_policy", None), "policy", None)
    if policy is not None and hasattr(policy, "status_forcelist"):
        policy.status_forcelist = frozenset()
        policy.respect_retry_after_header = False


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP-date); None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT; parsedate gives naive for "-0000"
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, policy: RetryPolicy, jitter: float) -> float:
    """Exponential backoff after the given failed attempt (1-based), scaled by jitter in [0, 1) into
    [50%, 100%] so that many conversations throttled at once do not retry in step."""
    return policy.base_delay_seconds * 2 ** (attempt - 1) * (0.5 + 0.5 * jitter)


def next_delay(
    attempt: int,
    status: int | None,
    retry_after: float | None,
    waited: float,
    policy: RetryPolicy = DEFAULT_POLICY,
    jitter: float = 0.0,
) -> float | None:
    """Seconds to wait before the next attempt after `attempt` failed with `status`; None to give up."""
    if not is_retryable_status(status) or attempt >= policy.max_attempts:
        return None
    delay = retry_after if retry_after is not None else backoff_delay(attempt, policy, jitter)
    if waited + delay > policy.max_total_delay_seconds:
        return None
    return delay


async def call_with_retry(
    operation: Callable[[], Awaitable[T]],
    *,
    what: str,
    budget: RetryBudget | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    jitter: Callable[[], float] = random.random,
) -> T:
    """operation(), retried while the policy and the budget allow; the last error is raised as it came."""
    budget = budget or RetryBudget()
    attempt = 1
    while True:
        try:
            return await operation()
        except Exception as error:
            status = status_of(error)
            retry_after = parse_retry_after(retry_after_header(error), datetime.now(UTC))
            delay = next_delay(attempt, status, retry_after, budget.waited, policy, jitter())
            if delay is None:
                if is_retryable_status(status):
                    log.warning("%s failed with %s after %d attempt(s); giving up", what, status, attempt)
                raise
            log.warning(
                "%s got %s; retrying in %.2f s (attempt %d of %d)",
                what,
                status,
                delay,
                attempt + 1,
                policy.max_attempts,
            )
            await sleep(delay)
            budget.waited += delay
            attempt += 1


async def send_or_log(operation: Callable[[], Awaitable[T]], *, what: str) -> T | None:
    """operation() once; a failure is logged and None returned. For what nobody waits for or acts on."""
    try:
        return await operation()
    except Exception as error:
        log.info("%s not sent: %s %s", what, type(error).__name__, status_of(error) or "")
        return None
