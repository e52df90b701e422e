"""Observability: one structured log line per turn, without the user's words unless LOG_MESSAGE_TEXT
is on; /healthz says whether the state storage answers."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.config import Settings, load_settings
from bot.logging_setup import JsonFormatter
from bot.state import key_hash, state_key
from bot.storage import MemoryStorage, SqliteStorage
from tests.fake_channel import ChatClient, FakeChannel, button

SECRET = "who owns Realize Value for Contoso-Secret-Deal-4711?"
TURN_FIELDS = {"conversation", "activity_type", "kind", "confidence", "latency_ms"}


def lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """Every record as the production JSON line."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records]


def turn_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [line for line in lines(caplog) if line["logger"] == "stagecoach.turn" and line["msg"] == "turn"]


async def start(settings: Settings, storage: Any) -> TestClient:
    client = TestClient(TestServer(create_app(settings, storage=storage), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def logged_chat(channel: FakeChannel, caplog: pytest.LogCaptureFixture) -> AsyncIterator[ChatClient]:
    caplog.set_level(logging.INFO)  # the production level (bot/logging_setup.py)
    client = await start(Settings(), MemoryStorage())
    yield ChatClient(client, channel, conversation_id="conv-logs", user_id="user-logs")
    await client.close()


async def test_each_turn_logs_one_json_line_with_hash_kind_confidence_latency(
    logged_chat: ChatClient, caplog: pytest.LogCaptureFixture
) -> None:
    await logged_chat.say(SECRET)
    replies = await logged_chat.send("qualify proof")
    await logged_chat.click(button(replies, "Yes, met"))

    question, start_check, answer = turn_lines(caplog)  # exactly one line per turn
    for line in (question, start_check, answer):
        assert set(line) >= TURN_FIELDS
        assert line["activity_type"] == "message" and line["latency_ms"] >= 0
        assert line["conversation"] == key_hash(state_key("msteams", "conv-logs", "user-logs"))
    assert len(question["conversation"]) == 12 and "conv-logs" not in json.dumps(question)
    assert question["kind"] == "mcem.owner" and 0.5 <= question["confidence"] <= 1
    assert start_check["kind"] == "check.start" and start_check["confidence"] is None
    assert answer["kind"] == "check.answer"


async def test_no_message_text_in_any_log_line_by_default(
    logged_chat: ChatClient, caplog: pytest.LogCaptureFixture
) -> None:
    await logged_chat.say(SECRET)
    await logged_chat.say("Contoso-Secret-Deal-4711 is at risk, what now?")
    everything = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines(caplog))
    assert len(turn_lines(caplog)) == 2
    assert "Contoso" not in everything and "Realize Value for" not in everything
    assert all("text" not in line for line in turn_lines(caplog))


async def test_message_text_is_logged_when_log_message_text_is_on(
    channel: FakeChannel, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings({"LOG_MESSAGE_TEXT": "true"}, env_file=None)
    assert settings.log_message_text
    caplog.set_level(logging.INFO)
    client = await start(settings, MemoryStorage())
    try:
        await ChatClient(client, channel).say(SECRET)
    finally:
        await client.close()
    (line,) = turn_lines(caplog)
    assert line["text"] == SECRET


async def test_healthz_is_200_when_storage_answers(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "storage": "ok"}


async def test_healthz_is_503_when_storage_ping_fails(
    client: TestClient, storage: MemoryStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down() -> bool:
        return False

    monkeypatch.setattr(storage, "ping", down)
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"status": "unavailable", "storage": "down"}
    monkeypatch.undo()
    assert (await client.get("/healthz")).status == 200  # and back when it answers again


async def test_healthz_follows_a_real_sqlite_store(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "state.db")
    client = await start(Settings(), storage)
    try:
        assert (await client.get("/healthz")).status == 200
        await storage.close()  # a store that can no longer answer
        assert (await client.get("/healthz")).status == 503
    finally:
        await client.close()
