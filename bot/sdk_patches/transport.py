"""The outbound HTTP transport of pooled connector clients: one aiohttp ClientSession for the app.

The SDK's aio ConnectorClient sends through msrest's `requests` transport in the default thread pool
(a thread hand-off and `requests`' per-request setup: about 1.06 ms of CPU per reply vs 0.39 ms this
way). `use_shared_transport` gives a client built by the SDK a pipeline with the same policies (user
agent, raw deserializer, HTTP logger) ending in a ConnectorTransport instead.

Authentication: the credentials are the ones the SDK's ConnectorFactory built from the authenticated
request; BearerTokenPolicy asks them for a token on every request, as the SDK's credentials policy
does (`AppCredentials.signed_session`), and sends no Authorization header when they say not to (no
app id: local mode). Only AppCredentials (or no credentials) are handled: a client with any other
kind keeps the SDK's transport.

Failures look as they did to bot/retry.py and bot/errors.py: an HTTP error status reaches the
operation, which raises msrest's HttpOperationError whose `.response` has `.status_code` and
`.headers`; a connection failure or a timeout raises msrest's ClientRequestError. There are no
retries here (urllib3's status retries were already turned off; bot/retry.py owns the policy), and
no redirects are followed, so the token is never sent anywhere but the service URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AppCredentials
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict

# Teams holds the inbound request open for about 15 s and bot/retry.py waits at most 5 s per turn:
# one reply that takes longer than that is not worth waiting for. Connecting gets 5 s, so a
# connector that is unreachable fails the turn quickly.
CONNECT_TIMEOUT_SECONDS = 5.0
TOTAL_TIMEOUT_SECONDS = 15.0
# Connections are limited per service URL host, so one channel endpoint that hangs holds at most its
# own connections and never delays another's replies (one shared pool of 100 did: 150 hung turns
# left every other host waiting for a connection). A reply waits at most POOL_WAIT_SECONDS for one
# of its host's connections, separately from the connect timeout.
MAX_CONNECTIONS_PER_HOST = 100  # the bench's 100 conversations on one host never wait for one
MAX_CONNECTIONS = 1000  # all hosts together: well under the process's open-file limit
POOL_WAIT_SECONDS = 5.0
MAX_HOSTS_TRACKED = 1000


@dataclass(frozen=True)
class ReceivedResponse:
    """What HttpOperationError keeps as `.response`: shaped like requests.Response where
    bot/retry.py reads it (`status_code`, `headers` with a case-insensitive `get`)."""

    status_code: int
    reason: str | None
    headers: CIMultiDict[str]
    content: bytes


class ConnectorResponse(AsyncClientResponse):
    """msrest's view of a response whose body was read in full before the connection went back to the pool."""

    def __init__(self, request: ClientRequest, received: ReceivedResponse) -> None:
        super().__init__(request, received)
        self.status_code = received.status_code
        self.headers = received.headers
        self.reason = received.reason
        self._content = received.content

    def body(self) -> bytes:
        return self._content

    def stream_download(
        self, chunk_size: int | None = None, callback: Callable[..., Any] | None = None
    ) -> AsyncIterator[bytes]:
        # Only attachment downloads stream; the body is already in memory, so hand it out in chunks.
        size = chunk_size or 10 * 1024
        content = self._content

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(content), size):
                chunk = content[start : start + size]
                if callback is not None:
                    callback(chunk, self)
                yield chunk

        return chunks()


def request_body(request: ClientRequest) -> bytes | None:
    """The body msrest prepared (JSON text for every connector operation), as bytes."""
    if request.files:
        # Form uploads: no connector operation StageCoach calls sends one.
        raise ClientRequestError("form-data requests are not supported by the connector transport")
    data = request.data
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    raise ClientRequestError(f"unsupported request body type {type(data).__name__}")


class PoolWaitTimeout(Exception):
    """Every connection to the service URL's host stayed busy for the whole pool wait."""


class HostSlots:
    """At most per_host requests in flight to one host (scheme, host, port); the next waits at most
    wait_timeout for one to finish."""

    def __init__(self, per_host: int, wait_timeout: float) -> None:
        self.per_host = per_host
        self.wait_timeout = wait_timeout
        self._hosts: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    def semaphore(self, url: str) -> asyncio.Semaphore:
        parts = urlsplit(url)
        host = (parts.scheme, parts.hostname or "", parts.port)
        semaphore = self._hosts.get(host)
        if semaphore is None:
            if len(self._hosts) >= MAX_HOSTS_TRACKED:  # drop idle hosts; a busy one is kept
                self._hosts = {h: s for h, s in self._hosts.items() if s._value < self.per_host}
            semaphore = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return semaphore

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        semaphore = self.semaphore(url)
        try:
            async with asyncio.timeout(self.wait_timeout):
                await semaphore.acquire()
        except TimeoutError:
            raise PoolWaitTimeout(
                f"no free connection to {urlsplit(url).hostname} within {self.wait_timeout} s"
            ) from None
        try:
            yield
        finally:
            semaphore.release()


class ConnectorTransport(AsyncHTTPSender):
    """The msrest pipeline's last step: one aiohttp ClientSession (pooled, keep-alive connections)
    shared by every pooled connector client, made on first use and closed with the app."""

    def __init__(
        self,
        *,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        total_timeout: float = TOTAL_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        max_connections_per_host: int = MAX_CONNECTIONS_PER_HOST,
        pool_wait_timeout: float = POOL_WAIT_SECONDS,
    ) -> None:
        # aiohttp's "connect" includes waiting for a pooled connection; ours never waits there (its
        # per-host limit is never reached: HostSlots admits no more), so it bounds the connect alone.
        self.timeout = aiohttp.ClientTimeout(total=total_timeout, connect=connect_timeout, sock_connect=connect_timeout)
        self.max_connections = max_connections
        self.slots = HostSlots(max_connections_per_host, pool_wait_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def __aenter__(self) -> ConnectorTransport:
        # A pipeline used as a context manager must not close the shared session on exit.
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        return None

    def session(self) -> aiohttp.ClientSession:
        """The shared session, made in the running event loop (aiohttp binds a session to it)."""
        if self._closed:
            raise ClientRequestError("the connector transport is closed (the app is shutting down)")
        session, loop = self._session, asyncio.get_running_loop()
        if session is None or session.closed or self._loop is not loop:
            # The last case is only for tests that run one app on several event loops.
            connector = aiohttp.TCPConnector(
                limit=self.max_connections, limit_per_host=self.slots.per_host, ttl_dns_cache=300
            )
            session = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
            self._session, self._loop = session, loop
        return session

    async def send(self, request: Request, **kwargs: Any) -> Response:
        http_request: ClientRequest = request.http_request
        try:
            async with (
                self.slots.slot(http_request.url),
                self.session().request(
                    http_request.method,
                    http_request.url,
                    headers=dict(http_request.headers),
                    data=request_body(http_request),
                    allow_redirects=False,
                ) as response,
            ):
                received = ReceivedResponse(
                    response.status, response.reason, CIMultiDict(response.headers), await response.read()
                )
        except (aiohttp.ClientError, TimeoutError, PoolWaitTimeout) as error:
            # What msrest's requests transport raises for a connect failure or a timeout too.
            raise ClientRequestError(f"Error occurred in request: {type(error).__name__}: {error}") from error
        return Response(request, ConnectorResponse(http_request, received))

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None


class BearerTokenPolicy(AsyncHTTPPolicy):
    """Authorization: Bearer <token> from the client's AppCredentials on every request, as the SDK's
    AsyncRequestsCredentialsPolicy does through `signed_session`; none when the credentials say so."""

    def __init__(self, credentials: AppCredentials) -> None:
        super().__init__()
        self.credentials = credentials

    async def send(self, request: Request, **kwargs: Any) -> Response:
        # The same test signed_session makes: no app id (local mode) or the anonymous skill id: no token.
        if self.credentials._should_set_token(None):
            # msal answers from its cache, but fetches a new token from Azure AD over blocking HTTP
            # when it is due: never on the event loop.
            token = await asyncio.to_thread(self.credentials.get_access_token)
            request.http_request.headers["Authorization"] = f"Bearer {token}"
        assert self.next is not None  # the pipeline links every policy to the next one
        return await self.next.send(request, **kwargs)


def use_shared_transport(client: ConnectorClient, transport: ConnectorTransport) -> ConnectorClient:
    """client, sending through transport (same policies as the SDK's pipeline) if its credentials
    are AppCredentials or none; otherwise unchanged."""
    config = client.config
    credentials = config.credentials
    if credentials is not None and not isinstance(credentials, AppCredentials):
        return client
    policies: list[Any] = [config.user_agent_policy]
    if credentials is not None:
        policies.append(BearerTokenPolicy(credentials))
    policies += [RawDeserializer(), config.http_logger_policy]
    # Operations send through client._client, whose config is client.config.
    config.pipeline = AsyncPipeline(policies, transport)
    return client
