"""Bad input over HTTP: every request gets a clear status or reply, never a 500, never a traceback,
and an open check is never lost or corrupted by it."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

import bot.teams_bot as teams_bot
from bot.state import state_key
from bot.storage import MemoryStorage
from cards.render import Button, Choice, card_buttons, choice_card, escape_markdown
from tests.fake_channel import ChatClient, FakeChannel, activity, cards, said

JSON = {"Content-Type": "application/json"}
MAX_BODY = 256 * 1024  # Settings.max_body_bytes default, what the conftest app runs with
TRACEBACK = re.compile(r"Traceback|File \"|\.py\", line|Error\(", re.IGNORECASE)
# What any StageCoach card may contain; a type from user input would be an injection.
CARD_ELEMENT_TYPES = {
    "AdaptiveCard", "TextBlock", "RichTextBlock", "TextRun", "FactSet", "ColumnSet", "Column", "Container",
    "ActionSet", "Action.Submit", "Action.Execute", "Image", "messageBack",
}  # fmt: skip


async def post_raw(client: TestClient, data: bytes | Any, headers: dict[str, str] | None = None) -> tuple[int, str]:
    response = await client.post("/api/messages", data=data, headers=JSON if headers is None else headers)
    text = await response.text()
    assert (response.status != 500 and response.status < 500) or response.status == 503, (response.status, text)
    assert not TRACEBACK.search(text), text
    return response.status, text


def body_bytes(channel: FakeChannel, **extra: Any) -> bytes:
    body = activity(channel, "conv-bad", text="probability at Proof")
    body.update(extra)
    return json.dumps(body).encode()


def without(channel: FakeChannel, *path: str) -> bytes:
    body = activity(channel, "conv-bad", text="probability at Proof")
    node = body
    for name in path[:-1]:
        node = node[name]
    node.pop(path[-1])
    return json.dumps(body).encode()


async def check_state(storage: MemoryStorage, chat: ChatClient) -> dict[str, Any] | None:
    key = state_key("msteams", chat.conversation_id, chat.user_id)
    item = (await storage.read([key])).get(key)
    return item["state"] if item else None


def progress(state: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """Where a check stands: what an input must never change unless it is an answer."""
    check = (state or {}).get("check")
    return (check["id"], check["step"], tuple(check["answers"])) if check else None


def asked_step(replies: list[dict[str, Any]]) -> int | None:
    """The checkpoint (0-based) the replies ask, read from the answer buttons' data."""
    steps = {a["data"]["step"] for c in cards(replies) for a in card_buttons(c) if _is_answer(a)}
    assert len(steps) <= 1, steps
    return steps.pop() if steps else None


def _is_answer(action: dict[str, Any]) -> bool:
    return isinstance(action.get("data"), dict) and action["data"].get("action") == "check.answer"


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def assert_cards_are_ours(replies: list[dict[str, Any]], hostile: str) -> None:
    """Every card is a well-formed StageCoach card: JSON that round-trips, only element types we
    render, and none of the hostile text's structure (its keys, URLs, scripts) anywhere in it."""
    for card in cards(replies):
        assert json.loads(json.dumps(card, ensure_ascii=False)) == card
        types = {value for key, value in walk(card) if key == "type"}
        assert types <= CARD_ELEMENT_TYPES, types - CARD_ELEMENT_TYPES
        text = json.dumps(card, ensure_ascii=False)
        for marker in ("evil.example", "<script", "onerror", "Action.OpenUrl", "INJECTED"):
            assert marker not in text or marker not in hostile, marker
    assert not TRACEBACK.search(said(replies))


@pytest.fixture
async def checking(chat: ChatClient, storage: MemoryStorage) -> AsyncIterator[tuple[ChatClient, tuple[Any, ...]]]:
    """A user with a check open at checkpoint 1, and where it stands."""
    replies = await chat.send("qualify proof")
    assert asked_step(replies) == 0
    before = progress(await check_state(storage, chat))
    assert before is not None
    yield chat, before


# --- the envelope ----------------------------------------------------------------------------------


async def test_malformed_json_is_400(client: TestClient, channel: FakeChannel) -> None:
    for data in (b'{"type": "message",', b"{'type': 'message'}", b"not json", b'{"a": 1} trailing', b"\xff\xfe{"):
        status, text = await post_raw(client, data)
        assert status == 400 and "JSON" in text
    assert channel.requests == 0


async def test_json_that_is_not_an_object_is_400(client: TestClient) -> None:
    for data in (b"[]", b'"message"', b"42", b"null", b"true", b"[{}]"):
        status, text = await post_raw(client, data)
        assert status == 400 and "JSON object" in text


async def test_json_nested_too_deep_is_400(client: TestClient, channel: FakeChannel) -> None:
    assert (await post_raw(client, b"[" * 100_000))[0] == 400
    deep_value = body_bytes(channel)[:-1] + b', "value": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert (await post_raw(client, deep_value))[0] == 400


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/jsonp", "json"],
)
async def test_wrong_content_type_is_415(client: TestClient, channel: FakeChannel, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {"Content-Type": ""}
    status, text = await post_raw(client, body_bytes(channel), headers)
    assert status == 415 and "Content-Type" in text
    assert channel.requests == 0


async def test_json_with_a_charset_is_fine(client: TestClient, channel: FakeChannel) -> None:
    status, _ = await post_raw(client, body_bytes(channel), {"Content-Type": "application/json; charset=utf-8"})
    assert status == 201 and "60%" in said(channel.take("conv-bad"))


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t"])
async def test_empty_body_is_400(client: TestClient, data: bytes) -> None:
    status, text = await post_raw(client, data)
    assert status == 400 and "empty" in text


async def test_body_over_the_limit_is_413(client: TestClient, channel: FakeChannel) -> None:
    too_big = body_bytes(channel, value={"padding": "x" * MAX_BODY})
    status, text = await post_raw(client, too_big)
    assert status == 413 and str(MAX_BODY) in text
    assert channel.requests == 0


async def test_body_over_the_limit_without_content_length_is_413(client: TestClient, channel: FakeChannel) -> None:
    too_big = body_bytes(channel, value={"padding": "x" * MAX_BODY})
    status, _ = await post_raw(client, chunked(too_big))
    assert status == 413 and channel.requests == 0


def chunked(data: bytes, size: int = 1000) -> Any:
    """A body sent in pieces with Transfer-Encoding: chunked, as a slow network delivers it."""

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start : start + size]
            await asyncio.sleep(0)

    return pieces()


async def test_a_body_arriving_in_pieces_is_read_whole(client: TestClient, channel: FakeChannel) -> None:
    """Regression: the handler read once and got only what had arrived so far (then "not valid JSON")."""
    data = body_bytes(channel, value=None, channelData={"padding": "y" * 50_000})
    status, _ = await post_raw(client, chunked(data))
    assert status == 201 and "60%" in said(channel.take("conv-bad"))


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (("type",), "type"),
        (("conversation",), "conversation"),
        (("conversation", "id"), "conversation.id"),
        (("serviceUrl",), "serviceUrl"),
        (("from",), "from"),
        (("from", "id"), "from.id"),
    ],
)
async def test_missing_required_fields_are_400_naming_the_field(
    client: TestClient, channel: FakeChannel, path: tuple[str, ...], named: str
) -> None:
    status, text = await post_raw(client, without(channel, *path))
    assert status == 400 and named in text
    assert channel.requests == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"type": 7},
        {"type": ""},
        {"conversation": {"id": 5}},
        {"conversation": {"id": ["c"]}},
        {"conversation": {"id": "   "}},
        {"conversation": "conv"},
        {"from": {"id": {"nested": 1}}},
        {"from": "user"},
        {"serviceUrl": "ftp://files.example.com/"},
        {"serviceUrl": "http://"},
        {"serviceUrl": "javascript:alert(1)"},
        {"serviceUrl": "http://[::1"},
        {"serviceUrl": 443},
        {"text": 42},
        {"text": ["who owns Realize Value?"]},
        {"channelId": {"id": "msteams"}},
        {"timestamp": "yesterday-ish"},
        {"attachments": "not a list"},
        {"entities": "not a list"},
        {"recipient": "bot"},
        {"membersAdded": "everyone"},
    ],
    ids=lambda e: json.dumps(e)[:40],
)
async def test_ill_typed_fields_are_400(client: TestClient, channel: FakeChannel, extra: dict[str, Any]) -> None:
    status, text = await post_raw(client, body_bytes(channel, **extra))
    assert status == 400 and json.loads(text)["error"]
    assert channel.requests == 0


async def test_get_is_not_allowed(client: TestClient) -> None:
    assert (await client.get("/api/messages")).status == 405


# --- the text ----------------------------------------------------------------------------------------

HOSTILE_TEXTS = {
    "control characters": "who owns\x00 Realize\x07 Value\x1b[31m?\r\n\t\x7f\x08",
    "emoji": "who owns Realize Value? 🚀👩🏽‍💻🇺🇸",
    "only emoji": "🚀🔥" * 40,
    "right-to-left": "מי אחראי על Realize Value? \u202eeulaV ezilaeR\u202c مرحبا بالعالم",
    "markdown": "**who owns** _Realize Value_? [click](https://evil.example) # heading `code` > quote | a |",
    "html": "<b>who owns</b> <script>alert(1)</script> Realize Value <img src=x onerror=alert(1)> &amp; &lt;at&gt;",
    "json breaking": '"}]}, {"type": "Action.OpenUrl", "url": "https://evil.example", "title": "INJECTED"} \\ \\" '
    "{{ 7*7 }} {% raw %} ${x} \n\n\"'",
    "question with json characters": 'who owns "Realize Value"? \\ {"a": [1]} \' ;-- }}',
    "combining marks": "w̷h̸o̵ ̶o̷w̸n̵s̶ Realize Value",
    "lone surrogate": "who owns Realize Value \ud800",
    "zero width": "\u200b\u200c\u200d\ufeff",
    "at tags": "<at>StageCoach</at><at></at><at>who owns Realize Value?",
}


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
async def test_hostile_text_is_answered_safely(chat: ChatClient, name: str) -> None:
    text = HOSTILE_TEXTS[name]
    replies = await chat.send(text)
    assert chat.last_status == 201
    assert replies and said(replies).strip()
    assert_cards_are_ours(replies, text)
    if "Realize Value" in text and name not in ("markdown", "right-to-left"):
        assert "CSU" in said(replies), said(replies)[:300]  # the question is still understood


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
async def test_hostile_text_in_a_check_keeps_the_check(
    checking: tuple[ChatClient, tuple[Any, ...]], storage: MemoryStorage, name: str
) -> None:
    chat, before = checking
    replies = await chat.send(HOSTILE_TEXTS[name])
    assert chat.last_status == 201
    assert_cards_are_ours(replies, HOSTILE_TEXTS[name])
    assert progress(await check_state(storage, chat)) == before
    assert asked_step(await chat.send("yes")) == 1  # and the check carries on


async def test_a_100000_character_message_is_declined_quickly(chat: ChatClient, storage: MemoryStorage) -> None:
    for text in ("x" * 100_000, "who owns Realize Value? " * 4200, "a " * 50_000):
        started = time.perf_counter()
        replies = await chat.send(text)
        seconds = time.perf_counter() - started
        assert chat.last_status == 201 and seconds < 1.0, seconds
        assert "too long" in said(replies)
    assert await check_state(storage, chat) is None or progress(await check_state(storage, chat)) is None


async def test_a_long_message_with_the_question_at_the_end_after_spaces(chat: ChatClient) -> None:
    replies = await chat.send(" " * 100_000 + "who owns Realize Value?")
    assert "CSU" in said(replies)


def test_user_text_in_a_card_is_json_escaped_and_markdown_inert() -> None:
    """Render level: whatever text reaches a card stays a string, exactly, or markdown-escaped."""
    hostile = HOSTILE_TEXTS["json breaking"] + HOSTILE_TEXTS["markdown"] + HOSTILE_TEXTS["html"]
    card = choice_card(
        Choice(title=hostile, text=hostile, lines=(hostile,), buttons=(Button(hostile, question=hostile),))
    )
    assert json.loads(json.dumps(card)) == card
    strings = [value for _, value in walk(card) if isinstance(value, str)]
    assert strings.count(hostile) >= 3  # title, text, line and button title: exact strings, not structure
    assert [b["data"]["question"] for b in card_buttons(card)] == [hostile]
    assert {value for key, value in walk(card) if key == "type"} <= CARD_ELEMENT_TYPES
    assert escape_markdown("**a** [b](c)") == r"\*\*a\*\* \[b\](c)"


# --- card submits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        ["check.answer"],
        "yes",
        42,
        True,
        {"no_action": 1},
        {"action": None},
        {"action": 7},
        {"action": "check.explode"},
        {"action": "ask"},
        {"action": "ask", "question": 5},
        {"action": "check.start", "kind": "mssp", "stage": "no-such-stage"},
        {"action": "check.start", "kind": {"x": 1}, "stage": ["proof"]},
    ],
    ids=lambda v: json.dumps(v)[:40],
)
async def test_a_submit_of_the_wrong_shape_is_declined_clearly(
    checking: tuple[ChatClient, tuple[Any, ...]], storage: MemoryStorage, value: Any
) -> None:
    chat, before = checking
    replies = await chat.click(value)
    assert chat.last_status == 201
    text = said(replies)
    assert "couldn't read" in text or "don't know that stage" in text or "I didn't get" in text, text
    assert progress(await check_state(storage, chat)) == before
    assert asked_step(replies) in (0, None)  # the open checkpoint is asked again, not a new one


@pytest.mark.parametrize(
    "change",
    [
        {"step": "0"},
        {"step": None},
        {"step": 99},
        {"step": -1},
        {"answer": "maybe"},
        {"answer": None},
        {"answer": ["yes"]},
        {"check": None},
        {"check": "someone-elses-check"},
    ],
    ids=lambda c: json.dumps(c),
)
async def test_an_answer_submit_with_bad_fields_changes_nothing(
    checking: tuple[ChatClient, tuple[Any, ...]], storage: MemoryStorage, change: dict[str, Any]
) -> None:
    chat, before = checking
    good = {"action": "check.answer", "check": before[0], "step": 0, "answer": "yes"}
    replies = await chat.click({**good, **change})
    assert chat.last_status == 201 and said(replies).strip()
    assert progress(await check_state(storage, chat)) == before
    assert asked_step(await chat.click(good)) == 1  # the real button still works afterwards


async def test_a_submit_for_a_check_that_no_longer_exists(
    checking: tuple[ChatClient, tuple[Any, ...]], storage: MemoryStorage
) -> None:
    chat, before = checking
    old_yes = {"action": "check.answer", "check": before[0], "step": 0, "answer": "yes"}
    assert "Check stopped" in said(await chat.send("cancel"))
    text = said(await chat.click(old_yes))
    assert "no longer open" in text
    state = await check_state(storage, chat)
    assert state is not None and state["check"] is None and state["last_check"] is None
    # With another check open, the old card still cannot answer it.
    await chat.send("qualify close")
    reopened = progress(await check_state(storage, chat))
    assert "no longer open" in said(await chat.click(old_yes))
    assert progress(await check_state(storage, chat)) == reopened


# --- a turn that fails -------------------------------------------------------------------------------


@pytest.fixture
def error_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def correlation_ids(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.correlation_id for r in caplog.records if r.name == "stagecoach.error" and hasattr(r, "correlation_id")]


async def test_a_handler_that_raises_is_reported_briefly_with_a_reference(
    checking: tuple[ChatClient, tuple[Any, ...]],
    storage: MemoryStorage,
    monkeypatch: pytest.MonkeyPatch,
    error_log: pytest.LogCaptureFixture,
) -> None:
    chat, before = checking

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /srv/app/dialogs/router.py line 42")

    monkeypatch.setattr(teams_bot, "handle_turn", broken)
    replies = await chat.send("yes")
    assert chat.last_status == 201
    text = said(replies)
    (reference,) = re.findall(r"\(ref ([0-9a-f]{8})\)", text)
    assert "secret internal detail" not in text and not TRACEBACK.search(text)
    assert len(text) < 200
    assert correlation_ids(error_log) == [reference]  # the log has the details under the same id
    assert progress(await check_state(storage, chat)) == before

    monkeypatch.undo()
    assert asked_step(await chat.send("yes")) == 1  # nothing was recorded: the answer is taken now


async def test_replies_that_fail_to_build_leave_the_state_as_it_was(
    checking: tuple[ChatClient, tuple[Any, ...]],
    storage: MemoryStorage,
    monkeypatch: pytest.MonkeyPatch,
    error_log: pytest.LogCaptureFixture,
) -> None:
    """The turn's new state is written before the replies go out: a failure then must roll it back."""
    chat, before = checking

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("cannot build reply")

    monkeypatch.setattr(teams_bot, "reply_activity", broken)
    text = said(await chat.send("yes"))
    assert "(ref " in text and len(correlation_ids(error_log)) == 1
    assert progress(await check_state(storage, chat)) == before
    monkeypatch.undo()
    assert asked_step(await chat.send("yes")) == 1


async def test_a_malformed_mention_does_not_fail_the_turn(chat: ChatClient) -> None:
    """Regression: the SDK's mention removal raised KeyError on a mention without "mentioned"."""
    for entities in (
        [{"type": "mention"}],
        [{"type": "mention", "mentioned": {"id": "bot"}}],
        [{"type": "mention", "mentioned": "x"}],
    ):
        replies = await chat.send("<at>StageCoach</at> who owns Realize Value?", entities=entities)
        assert "CSU" in said(replies), entities


async def max_healthz_seconds_while(client: TestClient, request: Any) -> tuple[Any, float]:
    """(the request's result, the slowest /healthz answer seen while it ran): a request that holds the
    event loop shows up as a slow /healthz."""
    task = asyncio.ensure_future(request)
    slowest = 0.0
    while not task.done():
        started = time.perf_counter()
        response = await client.get("/healthz")
        assert response.status == 200
        slowest = max(slowest, time.perf_counter() - started)
        await asyncio.sleep(0.005)
    return await task, slowest


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("<at>" * 60_000, None),  # 234 KB: 106 s of regex before the fix
        ("<at>StageCoach</at> " + "<at>x" * 50_000, None),
        ("who owns Realize Value?", [{"type": "mention", "text": "<at" + ">" * 30_000, "mentioned": {"id": "bot"}}]),
        ("<at>" * 30_000, [{"type": "mention", "text": "(.*)*" * 40, "mentioned": {"id": "bot", "name": "(a+)+$"}}]),
    ],
    ids=["60000 at tags", "unclosed at tags", "mention entity text of 30000 >", "regex in a mention"],
)
async def test_a_mention_bomb_is_answered_in_under_a_second_and_health_keeps_answering(
    client: TestClient, chat: ChatClient, text: str, entities: Any
) -> None:
    extra = {"entities": entities} if entities else {}
    started = time.perf_counter()
    replies, slowest_health = await max_healthz_seconds_while(client, chat.send(text, **extra))
    seconds = time.perf_counter() - started
    assert chat.last_status == 201 and said(replies).strip()
    assert seconds < 1.0, seconds
    assert slowest_health < 0.1, slowest_health
