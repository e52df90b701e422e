"""Outbound retry: the policy as pure functions, the loop with a fake clock, and the real adapter
against a fake connector that answers 429 / 5xx."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.streams import StreamReader
from aiohttp.test_utils import TestClient, make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st
from msrest.exceptions import ClientRequestError

from bot.retry import (
    DEFAULT_POLICY,
    RetryPolicy,
    backoff_delay,
    call_with_retry,
    is_connector_outage,
    is_retryable_status,
    next_delay,
    parse_retry_after,
    retry_after_header,
    send_or_log,
    status_of,
)
from bot.state import state_key
from bot.storage import MemoryStorage
from tests.fake_channel import ChatClient, Failure, FakeChannel, button, cards, said

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


class ConnectorError(Exception):
    """Shaped like msrest's HttpOperationError: the HTTP response rides along as .response."""

    def __init__(self, status: int, retry_after: str | None = None, *, aiohttp_style: bool = False) -> None:
        super().__init__(f"HTTP {status}")
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        attribute = "status" if aiohttp_style else "status_code"
        self.response = SimpleNamespace(headers=headers, **{attribute: status})


# --- the policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("2", 2.0), (" 3 ", 3.0), ("0", 0.0), ("1.5", 1.5), ("120", 120.0), (None, None), ("", None), ("soon", None)],
)
def test_retry_after_in_seconds(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "-inf", "1e999"])
def test_retry_after_that_is_not_a_wait_is_ignored(value: str) -> None:
    assert parse_retry_after(value, NOW) is None


def test_retry_after_as_an_http_date() -> None:
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=4), usegmt=True), NOW) == 4.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000", NOW) == 0.0  # naive date, long past


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 599])
def test_throttling_and_server_errors_are_retried(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [None, 200, 201, 400, 401, 403, 404, 409, 413, 501, 505])
def test_client_errors_and_permanent_server_errors_are_not(status: int | None) -> None:
    assert not is_retryable_status(status)


def test_status_and_retry_after_are_read_from_either_kind_of_response() -> None:
    assert status_of(ConnectorError(503)) == 503
    assert status_of(ConnectorError(429, aiohttp_style=True)) == 429
    assert status_of(ValueError("no response")) is None
    assert retry_after_header(ConnectorError(429, "7")) == "7"
    assert retry_after_header(ConnectorError(429)) is None
    assert retry_after_header(ValueError()) is None


def test_connector_outage_means_throttled_failing_or_unreachable() -> None:
    assert is_connector_outage(ConnectorError(503))
    assert is_connector_outage(ClientRequestError("connection refused"))
    assert not is_connector_outage(ConnectorError(400))
    assert not is_connector_outage(KeyError("bug"))


def test_backoff_doubles_and_jitter_stays_within_half_to_full() -> None:
    policy = RetryPolicy(base_delay_seconds=0.25)
    assert backoff_delay(1, policy, 0.0) == 0.125 and backoff_delay(1, policy, 0.999) < 0.25
    assert backoff_delay(2, policy, 0.0) == 0.25 and backoff_delay(3, policy, 0.0) == 0.5


def test_next_delay_honours_retry_after_within_the_budget() -> None:
    assert next_delay(1, 429, 2.0, waited=0.0) == 2.0
    assert next_delay(2, 429, 2.0, waited=2.0) == 2.0
    assert next_delay(1, 429, 4.0, waited=2.0) is None  # 6 s in all: over the 5 s budget
    assert next_delay(1, 429, 30.0, waited=0.0) is None  # honoured by not retrying early
    assert next_delay(1, 503, None, waited=0.0, jitter=0.0) == DEFAULT_POLICY.base_delay_seconds / 2


def test_next_delay_stops_after_the_last_attempt_and_on_permanent_errors() -> None:
    assert next_delay(DEFAULT_POLICY.max_attempts, 503, 0.0, waited=0.0) is None
    assert next_delay(1, 400, 0.0, waited=0.0) is None
    assert next_delay(1, None, None, waited=0.0) is None


@settings(max_examples=300, deadline=None)
@given(
    statuses=st.lists(st.sampled_from([429, 500, 502, 503, 504, 400, 404, 501]), min_size=1, max_size=10),
    retry_afters=st.lists(st.one_of(st.none(), st.floats(0, 100), st.text(max_size=8)), min_size=10, max_size=10),
    jitter=st.floats(0, 0.999),
)
def test_any_failure_sequence_stays_within_three_attempts_and_five_seconds(
    statuses: list[int], retry_afters: list[Any], jitter: float
) -> None:
    waited, attempt = 0.0, 1
    for status, retry_after in zip(statuses, retry_afters, strict=False):
        seconds = parse_retry_after(retry_after if isinstance(retry_after, str) else None, NOW)
        if isinstance(retry_after, float):
            seconds = retry_after
        delay = next_delay(attempt, status, seconds, waited, DEFAULT_POLICY, jitter)
        if delay is None:
            break
        assert delay >= 0
        waited += delay
        attempt += 1
    assert attempt <= DEFAULT_POLICY.max_attempts
    assert waited <= DEFAULT_POLICY.max_total_delay_seconds


# --- the loop, with a fake clock ---------------------------------------------------------------


class Flaky:
    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


async def run_with_fake_sleep(operation: Flaky) -> tuple[Any, list[float]]:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    try:
        result: Any = await call_with_retry(operation, what="test", sleep=sleep, jitter=lambda: 0.0)
    except Exception as error:
        result = error
    return result, sleeps


async def test_loop_retries_until_it_succeeds() -> None:
    operation = Flaky(ConnectorError(503), ConnectorError(429, "1"))
    result, sleeps = await run_with_fake_sleep(operation)
    assert result == "sent" and operation.calls == 3 and sleeps == [0.125, 1.0]


async def test_loop_gives_up_after_three_attempts_with_the_last_error() -> None:
    last = ConnectorError(502)
    operation = Flaky(ConnectorError(500), ConnectorError(503), last, ConnectorError(500))
    result, sleeps = await run_with_fake_sleep(operation)
    assert result is last and operation.calls == 3 and len(sleeps) == 2


async def test_loop_does_not_retry_what_will_not_get_better() -> None:
    for error in (ConnectorError(403), ConnectorError(429, "3600"), KeyError("a bug"), ClientRequestError("down")):
        operation = Flaky(error)
        result, sleeps = await run_with_fake_sleep(operation)
        assert result is error and operation.calls == 1 and sleeps == []


async def test_send_or_log_swallows_and_logs_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="stagecoach.retry")
    assert await send_or_log(Flaky(), what="typing indicator") == "sent"
    assert await send_or_log(Flaky(ConnectorError(503)), what="typing indicator") is None
    assert [r.getMessage() for r in caplog.records] == ["typing indicator not sent: ConnectorError 503"]


# --- the adapter against a fake connector ---------------------------------------------------------


class MessageFailingChannel(FakeChannel):
    """FakeChannel whose injected failures hit only messages. The typing indicator (bot/typing_indicator.py)
    sends a typing activity when a turn takes over 0.5 s, as retrying turns do; that would take a failure meant for
    a reply or not, depending on timing. Typing is answered (and counted) apart, then the request
    goes through FakeChannel's own handling on a copy of the body already read."""

    def __init__(self) -> None:
        super().__init__()
        self.typing_seen = 0
        self.deliver_first = 0  # messages let through before the held-back failures apply
        self.held_back: list[Failure] = []

    def fail_after(self, delivered: int, status: int, times: int = 1) -> None:
        self.deliver_first = delivered
        self.held_back = [Failure(status) for _ in range(times)]

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("type") == "typing":
            self.typing_seen += 1
            return web.json_response({"id": "typing"})
        if self.held_back:
            if self.deliver_first == 0:
                self.failures.extend(self.held_back)
                self.held_back = []
            else:
                self.deliver_first -= 1
        # The body is consumed: hand FakeChannel a request whose payload is the same bytes again.
        payload = StreamReader(request.protocol, 2**16, loop=asyncio.get_running_loop())
        payload.feed_data(raw)
        payload.feed_eof()
        replay = make_mocked_request(request.method, request.path_qs, headers=request.headers, payload=payload)
        return await super()._handle(replay)


@pytest.fixture
async def channel() -> AsyncIterator[FakeChannel]:
    fake = await MessageFailingChannel().start()
    yield fake
    await fake.close()


async def timed(chat: ChatClient, text: str) -> tuple[str, float]:
    started = time.perf_counter()
    replies = await chat.send(text)
    return said(replies), time.perf_counter() - started


async def stored_check(storage: MemoryStorage, chat: ChatClient) -> dict[str, Any] | None:
    key = state_key("msteams", chat.conversation_id, chat.user_id)
    item = (await storage.read([key])).get(key)
    return item["state"]["check"] if item else None


async def test_a_429_is_retried_after_retry_after(chat: ChatClient, channel: FakeChannel) -> None:
    channel.fail_next(429, times=1, retry_after="1")
    text, seconds = await timed(chat, "probability at Proof")
    assert "60%" in text
    assert channel.requests == 2  # refused once, delivered once
    assert 1.0 <= seconds < 2.5


async def test_5xx_twice_is_delivered_on_the_third_attempt(chat: ChatClient, channel: FakeChannel) -> None:
    channel.fail_next(503, times=1)
    channel.fail_next(502, times=1)
    text, seconds = await timed(chat, "probability at Proof")
    assert "60%" in text and channel.requests == 3 and seconds < 2


async def test_only_the_failed_reply_is_sent_again(chat: ChatClient, channel: MessageFailingChannel) -> None:
    """Starting a check sends two replies; the second is refused once. The first must not arrive twice."""
    channel.fail_after(1, 503)
    replies = await chat.send("qualify proof")
    assert [said([r]).count("Let's check your opportunity") for r in replies] == [1, 0]
    assert len(cards(replies)) == 1 and channel.requests == 3


@pytest.fixture
def error_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING)
    return caplog


async def test_a_connector_that_stays_down_fails_the_turn_cleanly_and_keeps_the_dialog(
    client: TestClient, chat: ChatClient, channel: FakeChannel, storage: MemoryStorage, error_log: Any
) -> None:
    await chat.send("qualify proof")
    before = await stored_check(storage, chat)
    assert before is not None and before["step"] == 0

    channel.requests = 0
    channel.fail_next(503, times=10)
    text, seconds = await timed(chat, "yes")
    assert chat.last_status < 500 and text == ""
    assert seconds < 6  # 3 attempts, at most 5 s of waiting
    assert channel.requests == 3  # no 4th attempt, and no apology into a connector that is down
    assert await stored_check(storage, chat) == before  # the answer was not half-taken
    failures = [r for r in error_log.records if r.name == "stagecoach.error"]
    assert failures and failures[0].getMessage() == "replies not delivered" and failures[0].status == 503
    assert failures[0].levelname == "WARNING" and not failures[0].exc_info  # the channel's outage, not our bug
    assert any("giving up" in r.getMessage() for r in error_log.records if r.name == "stagecoach.retry")

    channel.failures.clear()
    assert (await client.get("/healthz")).status == 200
    text, _ = await timed(chat, "yes")  # the same answer again, now that the connector is back
    assert "Checkpoint 2 of 4" in text
    after = await stored_check(storage, chat)
    assert after is not None and after["step"] == 1 and after["answers"][0] == "yes"


async def test_a_long_retry_after_is_not_waited_for(chat: ChatClient, channel: FakeChannel) -> None:
    channel.fail_next(429, times=1, retry_after="120")
    text, seconds = await timed(chat, "probability at Proof")
    assert text == "" and seconds < 1 and channel.requests == 1


async def test_a_refused_reply_is_not_retried_but_the_user_is_told(chat: ChatClient, channel: FakeChannel) -> None:
    channel.fail_next(400, times=1)
    text, _ = await timed(chat, "probability at Proof")
    assert channel.requests == 2  # the reply once (400 will not get better), then the apology
    assert "something went wrong" in text and "(ref " in text


async def test_card_update_is_retried(client: TestClient, chat: ChatClient, channel: FakeChannel) -> None:
    yes = button(await chat.send("qualify proof"), "Yes, met")
    channel.fail_next(503, times=1)  # the PUT that replaces the clicked card comes first
    await chat.click(yes, reply_to_id="activity-1")
    updated = channel.updated.get(chat.conversation_id, [])
    assert len(updated) == 1 and updated[0]["id"] == "activity-1"
    assert "Yes" in said([{"type": "message", **updated[0]}])
