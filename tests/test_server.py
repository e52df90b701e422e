"""bot/server.py and the body deadline in bot/http.py: slow clients are cut off, connections are bounded,
and a flood of accept errors is logged once in a while, not once per error."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.server import AcceptErrorFilter, BoundedTCPSite
from tests.server_process import ServerProcess

SLOW_CUT_OFF_SECONDS = 15.0  # what the issue asks; the limits are 10 s
BODY = json.dumps({"type": "message", "text": "hi"}).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    workdir = tmp_path_factory.mktemp("server")
    process = ServerProcess(workdir, {"STATE_STORE": "memory"})
    process.start()
    yield process
    process.stop()


async def open_until_closed(port: int, first: bytes, trickle: bytes) -> tuple[float, bytes]:
    """Connect, send `first`, then one byte of `trickle` every 0.5 s: (seconds until the server
    closed the connection, what it sent)."""
    started = time.monotonic()
    received = b""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if first:
            writer.write(first)
        for byte in trickle:
            try:
                received += await asyncio.wait_for(reader.read(65536), 0.5)
                if reader.at_eof():
                    break
            except TimeoutError:
                pass
            writer.write(bytes([byte]))
            await writer.drain()
        while not reader.at_eof():  # what is left: wait for the close
            received += await reader.read(65536)
    except ConnectionError:
        pass
    finally:
        writer.close()
    return time.monotonic() - started, received


async def test_slow_connections_are_closed_within_15_seconds_while_healthz_answers(server: ServerProcess) -> None:
    headers = (
        b"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(BODY)
    )
    kinds = {
        "idle": (b"", b""),
        "slow head": (b"", headers),
        "slow body": (headers, BODY * 3),
    }
    tasks = {
        (kind, i): asyncio.create_task(open_until_closed(server.port, first, trickle))
        for kind, (first, trickle) in kinds.items()
        for i in range(30)
    }
    slowest_health = 0.0
    while not all(task.done() for task in tasks.values()):
        started = time.monotonic()
        assert await asyncio.to_thread(server.healthz) == 200
        slowest_health = max(slowest_health, time.monotonic() - started)
        await asyncio.wait(list(tasks.values()), timeout=0.5)
        assert max(time.monotonic() - started, 0) < SLOW_CUT_OFF_SECONDS + 5
    held = {key: task.result() for key, task in tasks.items()}
    for kind in kinds:
        longest = max(seconds for (k, _), (seconds, _) in held.items() if k == kind)
        assert longest < SLOW_CUT_OFF_SECONDS, (kind, longest)
    # A body too slow is told so (408); a head too slow or none at all is simply closed.
    assert all(sent.startswith(b"HTTP/1.1 408") for (k, _), (_, sent) in held.items() if k == "slow body")
    assert slowest_health < 1.0


async def test_connections_past_the_bound_are_answered_503_and_the_others_still_served(tmp_path: Path) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, keepalive_timeout=30)
    await runner.setup()
    site = BoundedTCPSite(runner, "127.0.0.1", 0, max_connections=5)
    await site.start()
    port = runner.addresses[0][1]
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
    try:
        await asyncio.sleep(0.1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert (await asyncio.wait_for(reader.read(), 5)).startswith(b"HTTP/1.1 503")
        writer.close()
        assert site.refused == 1
        held_reader, held_writer = held[0]
        held_writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await asyncio.wait_for(held_reader.read(200), 5)).startswith(b"HTTP/1.1 200")
    finally:
        for _, writer in held:
            writer.close()
        await runner.cleanup()


def test_accept_errors_are_logged_once_per_interval_with_a_count(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    handler = AcceptErrorFilter(interval=3600)
    loop = asyncio.new_event_loop()
    try:
        for _ in range(10_000):
            handler(loop, {"message": "socket.accept() out of system resource", "exception": OSError(24, "EMFILE")})
    finally:
        loop.close()
    logged = [r for r in caplog.records if r.name == "stagecoach.server"]
    assert len(logged) == 1 and handler.suppressed == 9_999
