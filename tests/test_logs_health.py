"""Observability: one structured log line per turn, without the user's words unless LOG_MESSAGE_TEXT
is on; /healthz says whether the state storage answers."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.config import Settings, load_settings
from bot.logging_setup import JsonFormatter
from bot.state import key_hash, state_key
from bot.storage import MemoryStorage, SqliteStorage, StorageUnavailableError
from tests.fake_channel import ChatClient, FakeChannel, button, said

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


class FailingStorage(MemoryStorage):
    """MemoryStorage that can be told to refuse writes (a full volume) or reads too (storage down)."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_writes = False
        self.fail_reads = False

    async def read(self, keys: Any) -> dict[str, dict[str, Any]]:
        if self.fail_reads:
            raise StorageUnavailableError("reads refused (test)")
        return await super().read(keys)

    async def write(self, changes: Any) -> None:
        if self.fail_writes:
            raise StorageUnavailableError("database or disk is full (test)")
        await super().write(changes)


async def test_healthz_is_503_while_storage_refuses_writes_and_200_when_it_takes_them_again() -> None:
    storage = FailingStorage()
    client = await start(Settings(), storage)
    try:
        assert (await client.get("/healthz")).status == 200
        storage.fail_writes = True
        response = await client.get("/healthz")
        assert response.status == 503 and await response.json() == {"status": "unavailable", "storage": "down"}
        storage.fail_writes = False
        assert (await client.get("/healthz")).status == 200
        assert await storage.read(["x"]) == {} and not storage._items  # the probe item is deleted
    finally:
        await client.close()


async def test_questions_are_answered_while_state_cannot_be_saved_and_the_check_waits(channel: FakeChannel) -> None:
    storage = FailingStorage()
    client = await start(Settings(), storage)
    chat = ChatClient(client, channel)
    try:
        replies = await chat.send("qualify proof")
        storage.fail_writes = True
        assert "CSU" in said(await chat.send("who owns Realize Value?"))  # a question needs no saved state
        question = await chat.send("what is the probability at Qualify?")
        assert "10%" in said(question) and "Checkpoint 1 of" in str(question)  # answered, the check re-asked
        answer = said(await chat.click(button(replies, "Yes, met")))
        assert "couldn't save this step" in answer and "Checkpoint 2" not in answer
        storage.fail_reads = True  # down altogether: still answered
        assert "CSU" in said(await chat.send("who owns Realize Value?"))
        assert "couldn't save this step" in said(await chat.send("yes"))
        storage.fail_writes = storage.fail_reads = False
        assert "Checkpoint 2 of" in str(await chat.click(button(replies, "Yes, met")))  # the check carries on
    finally:
        await client.close()


@pytest.fixture
def small_volume(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs of its own (a volume that can really fill up); skipped where mounting is not allowed."""
    mount_point = tmp_path / "volume"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(volume: Path) -> Path:
    """Write a ballast file until the volume is full; deleting it gives the space back."""
    ballast = volume / "ballast"
    with ballast.open("wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
    return ballast


async def test_sqlite_on_a_full_volume_healthz_503_questions_answered_then_200_when_space_returns(
    small_volume: Path, channel: FakeChannel
) -> None:
    storage = SqliteStorage(small_volume / "state.db")
    client = await start(Settings(), storage)
    chat = ChatClient(client, channel)
    try:
        replies = await chat.send("qualify proof")
        assert (await client.get("/healthz")).status == 200
        ballast = fill(small_volume)
        assert (await client.get("/healthz")).status == 503
        for _ in range(3):
            assert "CSU" in said(await chat.send("who owns Realize Value?"))
        assert "couldn't save this step" in said(await chat.click(button(replies, "Yes, met")))
        ballast.unlink()
        assert (await client.get("/healthz")).status == 200
        assert "Checkpoint 2 of" in str(await chat.click(button(replies, "Yes, met")))
    finally:
        await client.close()


@pytest.mark.parametrize("text", ["a\u2028b", "a\x85b", "a\u2029b", "a\nb\r\nc", "x\x0b\x0c\x1c\x1d\x1e"])
def test_a_log_record_is_one_line_whatever_the_text(text: str) -> None:
    record = logging.LogRecord("stagecoach.turn", logging.INFO, __file__, 1, "turn %s", (text,), None)
    record.text = text
    line = JsonFormatter().format(record)
    assert len(line.splitlines()) == 1, line
    parsed = json.loads(line)
    assert parsed["msg"] == f"turn {text}" and parsed["text"] == text


MALFORMED_HTTP = {
    "not http": b"GARBAGE\r\n\r\n",
    "header too long": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 20000 + b"\r\n\r\n",
    "bad chunk": b"POST /api/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/json\r\n\r\nzz\r\n",
    "negative length": b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "nul and line separator in the path": b"GET /\x00\xe2\x80\xa8 HTTP/1.1\r\n\r\n",
    "gzip that is not": b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Encoding: gzip\r\nContent-Length: 5\r\n\r\nabcde",
    "deflate that is not": b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
}


async def test_malformed_http_is_a_400_and_never_an_error_in_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert client.server.port is not None
    statuses = {}
    for name, request in MALFORMED_HTTP.items():
        reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
        writer.write(request)
        await writer.drain()
        statuses[name] = (await asyncio.wait_for(reader.read(200), 5))[:12]
        writer.close()
    assert all(status.endswith(b" 400") for status in statuses.values()), statuses
    assert not [(r.name, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]
    assert all(not r.exc_info for r in caplog.records if r.name == "aiohttp.server")
