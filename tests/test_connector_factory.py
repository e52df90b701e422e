"""Connector clients are built once per (service URL, audience, app id) and reused; no UserTokenClient is built.

A stock CloudAdapter builds a new ConnectorClient and an unused UserTokenClient on every turn (~12 ms
of CPU). These tests drive the real app over HTTP and count what gets built, and check that with an
app id the outbound calls still carry the token of the credentials the authentication produced.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
)
from msrest.serialization import Deserializer, Serializer

import app as app_module
from app import create_app
from bot.adapter import StageCoachAdapter, create_adapter
from bot.config import Settings
from bot.sdk_patches.connector_factory import (
    ConnectorClientPool,
    LazyUserTokenClient,
    ReusingBotFrameworkAuthentication,
)
from bot.storage import MemoryStorage
from tests.fake_channel import ChatClient, FakeChannel
from tests.fake_credentials import FakeCredentialsFactory

APP_ID = "00000000-0000-4000-8000-0000000000aa"


@dataclass
class Built:
    adapter: StageCoachAdapter | None = None
    user_token_clients: int = 0

    @property
    def auth(self) -> ReusingBotFrameworkAuthentication:
        assert self.adapter is not None
        auth = self.adapter.bot_framework_authentication
        assert isinstance(auth, ReusingBotFrameworkAuthentication)
        return auth


@pytest.fixture
async def app_client(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Any, Built]]:
    """The real app over HTTP, with its adapter at hand and UserTokenClient builds counted."""
    built = Built()

    def capture(settings: Settings) -> StageCoachAdapter:
        adapter = create_adapter(settings)
        built.adapter = adapter
        inner = built.auth.inner
        real = inner.create_user_token_client

        async def counting(claims_identity: ClaimsIdentity) -> Any:
            built.user_token_clients += 1
            return await real(claims_identity)

        monkeypatch.setattr(inner, "create_user_token_client", counting)
        return adapter

    monkeypatch.setattr(app_module, "create_adapter", capture)
    client = TestClient(TestServer(create_app(Settings(), storage=MemoryStorage()), host="127.0.0.1"))
    await client.start_server()
    yield client, built
    await client.close()


async def test_one_client_serves_every_turn_for_a_service_url(
    app_client: tuple[Any, Built], channel: FakeChannel
) -> None:
    client, built = app_client
    first, second = ChatClient(client, channel), ChatClient(client, channel, user_id="u2")
    assert "CSU" in await first.say("who owns Realize Value?")
    assert "60%" in await second.say("probability at Proof")
    assert "STU" in await first.say("and Inspire & Design?")
    assert built.auth.pool.created == 1 and len(built.auth.pool) == 1
    assert built.user_token_clients == 0  # StageCoach has no sign-in: none is ever built


async def test_each_service_url_gets_its_own_client(app_client: tuple[Any, Built]) -> None:
    client, built = app_client
    channels = [await FakeChannel().start(), await FakeChannel().start()]
    try:
        for _ in range(2):
            for fake in channels:
                chat = ChatClient(client, fake, conversation_id="same-conversation-id")
                assert "80%" in await chat.say("probability at Close")
        assert built.auth.pool.created == 2 and len(built.auth.pool) == 2
        # Each channel got exactly its own replies.
        assert all(fake.requests == 2 for fake in channels)
    finally:
        for fake in channels:
            await fake.close()


async def test_a_started_check_carries_on_across_turns(chat: ChatClient) -> None:
    """A dialog (state + several replies per turn) works end to end on the shared client."""
    await chat.say("qualify")
    assert "Checkpoint 1 of 4" in await chat.say("Proof")
    assert "Checkpoint 2 of 4" in await chat.say("yes")


# --- the app-id path: authentication and credentials are still the SDK's ------------------------


@dataclass
class RecordingConnector:
    """A connector that records the Authorization header of every call."""

    authorizations: list[str | None] = field(default_factory=list)
    server: TestServer | None = None

    async def start(self) -> RecordingConnector:
        async def record(request: web.Request) -> web.Response:
            self.authorizations.append(request.headers.get("Authorization"))
            await request.read()
            return web.json_response({"id": f"a{len(self.authorizations)}"})

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", record)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))


@pytest.fixture
async def recording() -> AsyncIterator[RecordingConnector]:
    connector = await RecordingConnector().start()
    yield connector
    assert connector.server is not None
    await connector.server.close()


def bot_claims() -> ClaimsIdentity:
    """What a valid channel token for this bot says: its app id as the audience."""
    return ClaimsIdentity(
        {AuthenticationConstants.AUDIENCE_CLAIM: APP_ID, AuthenticationConstants.APP_ID_CLAIM: APP_ID}, True
    )


def message(service_url: str, text: str = "hello") -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="incoming-1",
        text=text,
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id="conversation-1"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="bot"),
    )


async def test_with_an_app_id_every_call_carries_the_authenticated_credentials_token(
    recording: RecordingConnector,
) -> None:
    credentials = FakeCredentialsFactory(APP_ID)
    inner = ConfigurationBotFrameworkAuthentication(Settings(APP_ID=APP_ID), credentials_factory=credentials)
    adapter = StageCoachAdapter(inner)
    seen: list[Any] = []

    async def logic(context: TurnContext) -> None:
        seen.append(context.turn_state[adapter.USER_TOKEN_CLIENT_KEY])
        await context.send_activity("first")
        await context.send_activity("second")

    for _ in range(2):  # two turns, as the HTTP edge runs them: authenticated, then processed
        result = AuthenticateRequestResult()
        result.claims_identity = bot_claims()
        result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        result.connector_factory = inner.create_connector_factory(result.claims_identity)
        await adapter.process_activity(result, message(recording.url), logic)

    # The credentials were made once, for our app id and the channel audience, and a token was
    # fetched for, and attached to, every call (the credentials refresh it when it expires).
    assert credentials.requests == [(APP_ID, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)]
    assert recording.authorizations == ["Bearer token-1", "Bearer token-2", "Bearer token-3", "Bearer token-4"]
    assert isinstance(adapter.bot_framework_authentication, ReusingBotFrameworkAuthentication)
    assert adapter.bot_framework_authentication.pool.created == 1
    assert all(isinstance(c, LazyUserTokenClient) and not c.built for c in seen)


async def test_proactive_connector_factories_share_the_pool_and_keep_the_credentials(
    recording: RecordingConnector,
) -> None:
    credentials = FakeCredentialsFactory(APP_ID)
    auth = ReusingBotFrameworkAuthentication(
        ConfigurationBotFrameworkAuthentication(Settings(APP_ID=APP_ID), credentials_factory=credentials)
    )
    first = await auth.create_connector_factory(bot_claims()).create(recording.url, None)
    again = await auth.create_connector_factory(bot_claims()).create(recording.url, None)
    assert first is again and auth.pool.created == 1
    await first.conversations.send_to_conversation("conversation-1", MessageFactory.text("proactive"))
    assert recording.authorizations == ["Bearer token-1"]


async def test_an_unknown_app_id_is_still_refused() -> None:
    credentials = FakeCredentialsFactory(APP_ID)
    auth = ReusingBotFrameworkAuthentication(
        ConfigurationBotFrameworkAuthentication(Settings(APP_ID=APP_ID), credentials_factory=credentials)
    )
    stranger = ClaimsIdentity({AuthenticationConstants.AUDIENCE_CLAIM: "someone-else"}, True)
    with pytest.raises(PermissionError):
        await auth.create_connector_factory(stranger).create("http://127.0.0.1:9/", None)
    assert auth.pool.created == 0 and len(auth.pool) == 0


# --- the pool and the lazy UserTokenClient ------------------------------------------------------------


async def test_the_pool_keeps_the_most_recently_used_clients() -> None:
    pool = ConnectorClientPool(max_clients=2)
    made: list[str] = []

    def builder(name: str) -> Callable[[], Any]:
        async def build() -> Any:
            made.append(name)
            return _StubClient()

        return build

    a = await pool.get(("a", None, None), builder("a"))
    await pool.get(("b", None, None), builder("b"))
    assert await pool.get(("a", None, None), builder("a")) is a  # a is now the most recent
    await pool.get(("c", None, None), builder("c"))  # evicts b
    await pool.get(("a", None, None), builder("a"))
    await pool.get(("b", None, None), builder("b"))
    assert made == ["a", "b", "c", "b"] and len(pool) == 2


class _StubClient:
    """Just enough of a ConnectorClient for the pool to fit its serializer."""

    def __init__(self) -> None:
        self._serialize = Serializer({})
        self._deserialize = Deserializer({})
        self.conversations = type("Ops", (), {"_serialize": None, "_deserialize": None})()
        self.attachments = type("Ops", (), {"_serialize": None, "_deserialize": None})()


async def test_the_user_token_client_is_built_on_first_use_only() -> None:
    calls: list[tuple[Any, ...]] = []

    class RealClient:
        async def get_token_status(self, user_id: str, channel_id: str, include_filter: str) -> list[str]:
            calls.append((user_id, channel_id, include_filter))
            return ["status"]

    builds = 0

    async def build() -> Any:
        nonlocal builds
        builds += 1
        return RealClient()

    lazy = LazyUserTokenClient(build)
    assert builds == 0 and not lazy.built
    assert await lazy.get_token_status("u", "msteams", "") == ["status"]
    assert await lazy.get_token_status("u", "msteams", "x") == ["status"]
    assert builds == 1 and lazy.built and calls == [("u", "msteams", ""), ("u", "msteams", "x")]
