"""The connector clients' shared aiohttp transport (bot/sdk_patches/transport.py): every outbound call goes through
it, carries the token of the credentials the SDK's authentication produced (none without an app id),
fails the way bot/retry.py reads (status on HttpOperationError.response, ClientRequestError for a
connector that cannot be reached), within bounded time, and the app closes it on cleanup."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    MicrosoftAppCredentials,
)
from msrest.exceptions import ClientRequestError, HttpOperationError
from msrest.universal_http.async_requests import AsyncBasicRequestsHTTPSender

import app as app_module
from app import create_app
from bot.adapter import StageCoachAdapter, create_adapter
from bot.config import Settings
from bot.retry import is_connector_outage, parse_retry_after, retry_after_header, status_of
from bot.sdk_patches.connector_factory import ReusingBotFrameworkAuthentication
from bot.sdk_patches.transport import ConnectorTransport, use_shared_transport
from bot.storage import MemoryStorage
from tests.fake_channel import ChatClient, FakeChannel, activity
from tests.fake_credentials import FakeCredentialsFactory

APP_ID = "00000000-0000-4000-8000-0000000000bb"


@dataclass
class HeaderRecordingChannel(FakeChannel):
    """FakeChannel that also keeps the User-Agent header of every request it gets (and, as every
    FakeChannel does, the Authorization header)."""

    user_agents: list[str] = field(default_factory=list)

    async def _handle(self, request: web.Request) -> web.Response:
        self.user_agents.append(request.headers.get("User-Agent", ""))
        return await super()._handle(request)


@pytest.fixture
async def recording() -> AsyncIterator[HeaderRecordingChannel]:
    fake = await HeaderRecordingChannel().start()
    yield fake
    await fake.close()


@pytest.fixture(autouse=True)
def no_requests_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any call still going through msrest's `requests` transport fails the test."""

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("sent through msrest's requests transport")

    monkeypatch.setattr(AsyncBasicRequestsHTTPSender, "send", refuse)


# --- authentication: the SDK's credentials sign every call ---------------------------------------


def bot_claims() -> ClaimsIdentity:
    return ClaimsIdentity(
        {AuthenticationConstants.AUDIENCE_CLAIM: APP_ID, AuthenticationConstants.APP_ID_CLAIM: APP_ID}, True
    )


def message(service_url: str) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="incoming-1",
        text="hello",
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id="conversation-1"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="bot"),
    )


async def run_turns(adapter: StageCoachAdapter, inner: Any, service_url: str, turns: int = 2) -> None:
    """Turns as the HTTP edge runs them: authenticated by the SDK, then processed; two replies each."""

    async def logic(context: TurnContext) -> None:
        await context.send_activity("first")
        await context.send_activity("second")

    for _ in range(turns):
        result = AuthenticateRequestResult()
        result.claims_identity = bot_claims()
        result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        result.connector_factory = inner.create_connector_factory(result.claims_identity)
        await adapter.process_activity(result, message(service_url), logic)


async def test_with_an_app_id_every_call_carries_a_token_fetched_off_the_event_loop(
    recording: HeaderRecordingChannel,
) -> None:
    credentials = FakeCredentialsFactory(APP_ID)
    inner = ConfigurationBotFrameworkAuthentication(Settings(APP_ID=APP_ID), credentials_factory=credentials)
    adapter = StageCoachAdapter(inner)
    try:
        await run_turns(adapter, inner, recording.url)
    finally:
        await adapter.close()
    assert recording.authorizations == ["Bearer token-1", "Bearer token-2", "Bearer token-3", "Bearer token-4"]
    assert len(recording.posted["conversation-1"]) == 4
    # One credentials object, the one the SDK's connector factory made, asked for a token per call,
    # never on the event loop's thread (msal may fetch one over blocking HTTP).
    [issued] = credentials.issued
    assert issued.tokens_issued == 4
    assert threading.get_ident() not in issued.threads


async def test_microsoft_app_credentials_sign_proactive_calls_through_the_shared_transport(
    recording: HeaderRecordingChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK's own credentials class (token from msal, stubbed here) and the proactive path."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "from-msal")
    auth = ReusingBotFrameworkAuthentication(
        ConfigurationBotFrameworkAuthentication(Settings(APP_ID=APP_ID, APP_PASSWORD="secret"))
    )
    try:
        client = await auth.create_connector_factory(bot_claims()).create(recording.url, None)
        assert isinstance(client.config.credentials, MicrosoftAppCredentials)
        assert isinstance(client.config.pipeline._sender, ConnectorTransport)
        await client.conversations.send_to_conversation("conversation-1", MessageFactory.text("proactive"))
    finally:
        await auth.close()
    assert recording.authorizations == ["Bearer from-msal"]
    assert "Microsoft-BotFramework/3.1" in recording.user_agents[0]  # the SDK's user agent policy still runs


async def test_without_an_app_id_no_authorization_header_is_sent(
    recording: HeaderRecordingChannel, client: TestClient
) -> None:
    chat = ChatClient(client, recording)
    assert "60%" in await chat.say("probability at Proof")
    assert "Checkpoint 1 of 4" in await chat.say("qualify proof")
    assert recording.requests >= 2 and recording.authorizations == [None] * recording.requests


def test_clients_with_other_kinds_of_credentials_keep_the_sdks_transport() -> None:
    class OtherCredentials:
        def signed_session(self, session: Any = None) -> Any:
            return session

    client = ConnectorClient(OtherCredentials(), base_url="http://127.0.0.1:9/")
    stock = client.config.pipeline
    assert use_shared_transport(client, ConnectorTransport()).config.pipeline is stock


# --- failures as bot/retry.py reads them ------------------------------------------------------------


async def connector_client(url: str, transport: ConnectorTransport) -> ConnectorClient:
    return use_shared_transport(ConnectorClient(MicrosoftAppCredentials.empty(), base_url=url), transport)


async def test_a_429_raises_with_its_status_and_retry_after(channel: FakeChannel) -> None:
    transport = ConnectorTransport()
    try:
        client = await connector_client(channel.url, transport)
        channel.fail_next(429, retry_after="2")
        with pytest.raises(HttpOperationError) as raised:
            await client.conversations.send_to_conversation("c", MessageFactory.text("hi"))
        channel.fail_next(503)
        with pytest.raises(HttpOperationError) as raised_5xx:
            await client.conversations.reply_to_activity("c", "a1", MessageFactory.text("hi"))
        # ...and the connector, back, gets the next one.
        sent = await client.conversations.send_to_conversation("c", MessageFactory.text("again"))
    finally:
        await transport.close()
    assert raised.value.response.status_code == 429 and status_of(raised.value) == 429
    assert parse_retry_after(retry_after_header(raised.value), datetime.now(UTC)) == 2.0
    assert status_of(raised_5xx.value) == 503 and is_connector_outage(raised_5xx.value)
    assert sent.id and channel.posted["c"][-1]["text"] == "again"


async def test_an_unreachable_connector_fails_fast_with_client_request_error() -> None:
    transport = ConnectorTransport()
    try:
        client = await connector_client("http://127.0.0.1:9/", transport)  # nothing listens on port 9
        started = time.perf_counter()
        with pytest.raises(ClientRequestError) as raised:
            await client.conversations.send_to_conversation("c", MessageFactory.text("hi"))
    finally:
        await transport.close()
    assert time.perf_counter() - started < 1
    assert is_connector_outage(raised.value) and status_of(raised.value) is None


async def test_a_connect_that_hangs_gives_up_at_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch, channel: FakeChannel
) -> None:
    import aiohttp

    async def hang(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(3600)

    monkeypatch.setattr(aiohttp.TCPConnector, "_create_connection", hang)
    transport = ConnectorTransport(connect_timeout=0.3)
    try:
        client = await connector_client(channel.url, transport)
        started = time.perf_counter()
        with pytest.raises(ClientRequestError):
            await client.conversations.send_to_conversation("c", MessageFactory.text("hi"))
    finally:
        await transport.close()
    assert 0.25 < time.perf_counter() - started < 2
    assert channel.requests == 0


async def test_a_connector_that_never_answers_times_out() -> None:
    answered = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)
        answered.set()
        return web.Response()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stall)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    transport = ConnectorTransport(total_timeout=0.5)
    try:
        client = await connector_client(str(server.make_url("/")), transport)
        started = time.perf_counter()
        with pytest.raises(ClientRequestError):
            await client.conversations.send_to_conversation("c", MessageFactory.text("hi"))
        assert 0.4 < time.perf_counter() - started < 2
    finally:
        await transport.close()
        await server.close()


async def test_the_event_loop_keeps_running_while_a_reply_is_in_flight() -> None:
    """A slow connector delays only its own call: nothing blocks the loop meanwhile."""
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"id": "x"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", slow)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    transport = ConnectorTransport()
    try:
        client = await connector_client(str(server.make_url("/")), transport)
        send = asyncio.create_task(client.conversations.send_to_conversation("c", MessageFactory.text("hi")))
        ticks = 0
        for _ in range(20):
            await asyncio.sleep(0.01)
            ticks += 1
        assert not send.done() and ticks == 20
        release.set()
        assert (await send).id == "x"
    finally:
        await transport.close()
        await server.close()


# --- one session for the app, closed with it ---------------------------------------------------------


async def test_the_app_shares_one_session_and_closes_it_on_cleanup(
    monkeypatch: pytest.MonkeyPatch, recording: HeaderRecordingChannel
) -> None:
    adapters: list[StageCoachAdapter] = []

    def capture(settings: Settings) -> StageCoachAdapter:
        adapters.append(create_adapter(settings))
        return adapters[-1]

    monkeypatch.setattr(app_module, "create_adapter", capture)
    test_client = TestClient(TestServer(create_app(Settings(), storage=MemoryStorage()), host="127.0.0.1"))
    await test_client.start_server()
    other = await FakeChannel().start()
    try:
        for fake in (recording, other):  # two service URLs: two clients, one session
            assert "60%" in await ChatClient(test_client, fake).say("probability at Proof")
        auth = adapters[0].bot_framework_authentication
        assert isinstance(auth, ReusingBotFrameworkAuthentication)
        transport = auth.pool.transport
        assert transport is not None and auth.pool.created == 2
        session = transport._session
        assert session is not None and not session.closed
    finally:
        await test_client.close()
        await other.close()
    assert session.closed
    with pytest.raises(ClientRequestError):  # a late send after shutdown fails instead of leaking a session
        transport.session()


# --- one service URL that hangs does not hold up the others ------------------------------------------


class HangingEndpoint:
    """A serviceUrl on 127.0.0.1 that accepts connections, reads what is sent and never answers."""

    def __init__(self) -> None:
        self.connections: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> HangingEndpoint:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections.append(writer)
            while await reader.read(65536):
                pass

        self.server = await asyncio.start_server(hold, "127.0.0.1", 0)
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/"

    async def close(self) -> None:
        for writer in self.connections:
            writer.transport.abort()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_150_turns_hanging_on_one_service_url_do_not_delay_another_service_urls_replies(
    client: TestClient, channel: FakeChannel, caplog: pytest.LogCaptureFixture
) -> None:
    import aiohttp

    caplog.set_level(logging.INFO)
    hanging = await HangingEndpoint().start()
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    posts: list[asyncio.Task[Any]] = []
    try:
        for i in range(150):
            body = activity(channel, f"conv-hung-{i}", text="probability at Proof", serviceUrl=hanging.url)
            posts.append(asyncio.create_task(session.post(str(client.make_url("/api/messages")), json=body)))
        deadline = time.monotonic() + 10
        while len(hanging.connections) < 100 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(hanging.connections) >= 100  # the hung host holds its connections

        started = time.perf_counter()
        chats = [ChatClient(client, channel, conversation_id=f"conv-ok-{i}") for i in range(10)]
        answers = await asyncio.gather(*(chat.say("probability at Proof") for chat in chats))
        seconds = time.perf_counter() - started
        assert all("60%" in answer for answer in answers), answers
        assert seconds < 2.0, seconds
        assert all(not post.done() for post in posts)  # the hung turns are still waiting meanwhile
    finally:
        await hanging.close()  # the hung turns' sends fail now instead of at their timeouts
        statuses = [response.status for response in await asyncio.wait_for(asyncio.gather(*posts), 30)]
        await session.close()
    assert statuses == [201] * 150
    undelivered = [r for r in caplog.records if r.getMessage() == "replies not delivered"]
    assert len(undelivered) == 150 and all(r.levelname == "WARNING" for r in undelivered)


def test_connections_are_limited_per_host_and_the_pool_wait_is_bounded_separately() -> None:
    transport = ConnectorTransport(max_connections_per_host=2, pool_wait_timeout=0.2, connect_timeout=5)
    assert transport.slots.semaphore("http://127.0.0.1:1/a") is transport.slots.semaphore("http://127.0.0.1:1/b")
    assert transport.slots.semaphore("http://127.0.0.1:1/") is not transport.slots.semaphore("http://127.0.0.1:2/")


async def test_a_reply_that_waits_too_long_for_a_connection_fails_as_an_outage() -> None:
    hanging = await HangingEndpoint().start()
    transport = ConnectorTransport(max_connections_per_host=1, pool_wait_timeout=0.3, total_timeout=30)
    try:
        client = await connector_client(hanging.url, transport)
        first = asyncio.create_task(client.conversations.send_to_conversation("c", MessageFactory.text("1")))
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        with pytest.raises(ClientRequestError) as raised:
            await client.conversations.send_to_conversation("c", MessageFactory.text("2"))
        assert 0.25 < time.perf_counter() - started < 2 and is_connector_outage(raised.value)
        assert "PoolWaitTimeout" in str(raised.value) and not first.done()
    finally:
        await hanging.close()
        await transport.close()
    with pytest.raises(ClientRequestError):
        await first


async def test_a_turns_sends_are_cut_off_at_its_send_deadline(
    client: TestClient, channel: FakeChannel, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.adapter

    monkeypatch.setattr(bot.adapter, "TURN_SEND_SECONDS", 0.5)
    caplog.set_level(logging.INFO)
    hanging = await HangingEndpoint().start()
    try:
        body = activity(channel, "conv-deadline", text="probability at Proof", serviceUrl=hanging.url)
        started = time.perf_counter()
        response = await client.post("/api/messages", json=body)
        assert response.status == 201 and 0.4 < time.perf_counter() - started < 3
    finally:
        await hanging.close()
    (record,) = [r for r in caplog.records if r.getMessage() == "replies not delivered"]
    assert record.error_type == "ClientRequestError" and record.service_host == "127.0.0.1"
