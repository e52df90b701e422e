"""The listening server: aiohttp's, with time limits on slow clients and a bound on connections.

web.run_app as it was configured held a connection open as long as its client liked: 2,000 clients
sending a body a byte at a time held 2,000 sockets for 60 s and more, until the process ran out of
file descriptors, stopped answering /healthz and logged "socket.accept() out of system resource"
173,000 times in 40 s. Here:

* headers: a connection must deliver a complete request head within IDLE_TIMEOUT_SECONDS of opening
  (or of its previous response); aiohttp's keep-alive timer closes it otherwise, idle or not.
* body: bot/http.py reads it within BODY_TIMEOUT_SECONDS (408 otherwise).
* connections: at most max_connections at once; one more is answered 503 and closed, before any
  of its bytes are read.
* accept errors: logged at most once per ACCEPT_ERROR_LOG_SECONDS, with how many were left out.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from contextlib import suppress
from typing import Any

from aiohttp import web
from aiohttp.web_runner import GracefulExit

log = logging.getLogger("stagecoach.server")

IDLE_TIMEOUT_SECONDS = 10.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0
# After answering a request whose body was not all read (413, 408), aiohttp reads and discards the
# rest for this long before closing (its default, 10 s, doubled the time a trickling body was held).
LINGERING_SECONDS = 1.0
MAX_CONNECTIONS = 1000
ACCEPT_ERROR_LOG_SECONDS = 10.0
_FULL_RESPONSE = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def connection_limit(max_connections: int = MAX_CONNECTIONS) -> int:
    """max_connections, or fewer if the open-file limit would run out first: half of it is kept for
    outbound connections, the state store and the rest."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_connections
    return max(16, min(max_connections, soft // 2))


def raise_open_file_limit() -> None:
    """The soft open-file limit up to the hard one (1,024 is a common soft default)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < target:
        with suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(target, 65536), hard))


class _Refused(asyncio.Protocol):
    """A connection over the bound: told 503 and closed, nothing read."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(_FULL_RESPONSE)
        transport.close()


class BoundedTCPSite(web.TCPSite):
    """TCPSite whose protocol factory refuses connections past max_connections."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, *, max_connections: int, **kwargs: Any) -> None:
        super().__init__(runner, host, port, **kwargs)
        self.max_connections = max_connections
        self.refused = 0
        self._last_refusal_log = 0.0

    def protocol(self) -> asyncio.BaseProtocol:
        server = self._runner.server
        assert server is not None
        if len(server.connections) >= self.max_connections:
            self.refused += 1
            now = time.monotonic()
            if now - self._last_refusal_log >= ACCEPT_ERROR_LOG_SECONDS:
                self._last_refusal_log = now
                log.warning("connection limit reached (%d): refusing connections", self.max_connections)
            return _Refused()
        return server()

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with the runner; TCPSite.start is replaced
        self._server = await asyncio.get_running_loop().create_server(
            self.protocol, self._host, self._port, backlog=self._backlog, reuse_address=self._reuse_address
        )


class AcceptErrorFilter:
    """The loop's exception handler: "socket.accept() out of system resource" (one per failed
    accept, at full speed when out of file descriptors) is logged once per interval with a count."""

    def __init__(self, interval: float = ACCEPT_ERROR_LOG_SECONDS) -> None:
        self.interval = interval
        self.suppressed = 0
        self._last = float("-inf")

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if str(context.get("message", "")).startswith("socket.accept() out of system resource"):
            now = time.monotonic()
            if now - self._last < self.interval:
                self.suppressed += 1
                return
            self._last = now
            error = context.get("exception")
            log.error(
                "cannot accept connections: %s (%d more like this not logged)",
                type(error).__name__ if error else "out of resources",
                self.suppressed,
            )
            self.suppressed = 0
            return
        loop.default_exception_handler(context)


async def serve(app: web.Application, host: str, port: int, max_connections: int) -> None:
    """Serve app until cancelled (SIGTERM/SIGINT raise GracefulExit through the runner's handlers)."""
    runner = web.AppRunner(
        app,
        handle_signals=True,
        access_log=None,
        keepalive_timeout=IDLE_TIMEOUT_SECONDS,
        shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        lingering_time=LINGERING_SECONDS,
    )
    await runner.setup()
    try:
        await BoundedTCPSite(runner, host, port, max_connections=max_connections, backlog=256).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def run(app: web.Application, host: str, port: int) -> None:
    """web.run_app, with the limits above."""
    raise_open_file_limit()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(AcceptErrorFilter())
    task = loop.create_task(serve(app, host, port, connection_limit()))
    try:
        loop.run_until_complete(task)
    except (GracefulExit, KeyboardInterrupt):
        pass
    finally:
        if not task.done():
            task.cancel()
            with suppress(asyncio.CancelledError, GracefulExit):
                loop.run_until_complete(task)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
