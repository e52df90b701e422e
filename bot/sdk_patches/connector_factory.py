"""Connector clients reused across turns, and no UserTokenClient unless one is really used.

A stock CloudAdapter (botbuilder 4.17.1), on every turn, asks the authentication for a new
ConnectorFactory, which builds a new ConnectorClient (new credentials, new msrest pipeline and a new
requests.Session, so a new TCP connection to the channel), and builds a UserTokenClient that
StageCoach never uses (no OAuth sign-in). Each of those builds an msrest Configuration whose
ClientRetryPolicy fills its retry-status list with an O(n^2) comprehension: about 4 ms of CPU each,
some 12 ms per turn before any bot logic runs.

ReusingBotFrameworkAuthentication wraps the real BotFrameworkAuthentication. Authentication itself
is untouched: every request is still validated by the wrapped object, and the first client for a
(service URL, audience, app id) is still built by the wrapped ConnectorFactory from the credentials
of that authentication result, so with an app id the token is still attached to every outbound
call (the credentials fetch and refresh it per request; msal caches it). Only the client is kept.

Each pooled client sends through the pool's ConnectorTransport (bot/sdk_patches/transport.py): one aiohttp
session for the whole app instead of msrest's `requests` transport in a thread pool, with the
client's own credentials still signing every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

from bot.sdk_patches.activity_codec import FastDeserializer, FastSerializer
from bot.sdk_patches.transport import ConnectorTransport, use_shared_transport

# Teams uses a few regional service URLs; without authentication the URL is whatever a request
# says, so the pool is bounded (least recently used first out).
MAX_CLIENTS = 64

ClientKey = tuple[str, str | None, str | None]  # (service URL, audience, app id)


def app_id_of(claims_identity: ClaimsIdentity | None) -> str | None:
    """The bot's app id as the SDK reads it: the audience claim, else the appid claim (emulator)."""
    if claims_identity is None:
        return None
    app_id = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
    if app_id is None:
        app_id = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return app_id


def with_fast_serializer(client: ConnectorClient) -> ConnectorClient:
    """client, its operations writing request bodies and reading responses with bot/sdk_patches/activity_codec.py
    (the same JSON and models as msrest's, at a fraction of the cost)."""
    stock_serializer, stock_deserializer = client._serialize, client._deserialize
    serializer = FastSerializer(stock_serializer.dependencies)
    serializer.client_side_validation = stock_serializer.client_side_validation
    serializer.key_transformer = stock_serializer.key_transformer
    deserializer = FastDeserializer(stock_deserializer.dependencies)
    client._serialize, client._deserialize = serializer, deserializer
    for operations in (client.conversations, client.attachments):
        operations._serialize, operations._deserialize = serializer, deserializer
    return client


class ConnectorClientPool:
    """ConnectorClients by (service URL, audience, app id), built once each, at most max_clients kept."""

    def __init__(self, max_clients: int = MAX_CLIENTS, transport: ConnectorTransport | None = None) -> None:
        self.max_clients = max_clients
        # None: clients keep the SDK's own transport (the pool's unit tests use stand-in clients).
        self.transport = transport
        self._clients: OrderedDict[ClientKey, ConnectorClient] = OrderedDict()
        self.created = 0  # how many clients were built: what the tests and the benchmark look at

    def __len__(self) -> int:
        return len(self._clients)

    async def get(self, key: ClientKey, build: Callable[[], Awaitable[ConnectorClient]]) -> ConnectorClient:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = with_fast_serializer(await build())
        if self.transport is not None:
            client = use_shared_transport(client, self.transport)
        self.created += 1
        # Two first turns for one key may both build; the first one stored is the one kept.
        client = self._clients.setdefault(key, client)
        self._clients.move_to_end(key)
        while len(self._clients) > self.max_clients:
            # Not closed: a turn in flight may still hold it; it is released when no longer referenced.
            self._clients.popitem(last=False)
        return client


class ReusingConnectorFactory(ConnectorFactory):
    """The ConnectorFactory of one authenticated request, handing out the pool's clients."""

    def __init__(self, inner: ConnectorFactory, app_id: str | None, pool: ConnectorClientPool) -> None:
        self.inner = inner
        self.app_id = app_id
        self.pool = pool

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience, self.app_id)
        return await self.pool.get(key, lambda: self.inner.create(service_url, audience))


class LazyUserTokenClient(UserTokenClient):
    """Stands in for the UserTokenClient the adapter puts on every turn; builds the real one on first use."""

    def __init__(self, build: Callable[[], Awaitable[UserTokenClient]]) -> None:
        self._build = build
        self._client: UserTokenClient | None = None

    @property
    def built(self) -> bool:
        return self._client is not None

    async def _real(self) -> UserTokenClient:
        if self._client is None:
            self._client = await self._build()
        return self._client

    async def get_user_token(self, user_id: str, connection_name: str, channel_id: str, magic_code: str) -> Any:
        return await (await self._real()).get_user_token(user_id, connection_name, channel_id, magic_code)

    async def get_sign_in_resource(self, connection_name: str, activity: Activity, final_redirect: str) -> Any:
        return await (await self._real()).get_sign_in_resource(connection_name, activity, final_redirect)

    async def sign_out_user(self, user_id: str, connection_name: str, channel_id: str) -> Any:
        return await (await self._real()).sign_out_user(user_id, connection_name, channel_id)

    async def get_token_status(self, user_id: str, channel_id: str, include_filter: str) -> Any:
        return await (await self._real()).get_token_status(user_id, channel_id, include_filter)

    async def get_aad_tokens(
        self, user_id: str, connection_name: str, resource_urls: list[str], channel_id: str
    ) -> Any:
        return await (await self._real()).get_aad_tokens(user_id, connection_name, resource_urls, channel_id)

    async def exchange_token(self, user_id: str, connection_name: str, channel_id: str, exchange_request: Any) -> Any:
        return await (await self._real()).exchange_token(user_id, connection_name, channel_id, exchange_request)


class ReusingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """A BotFrameworkAuthentication whose connector factories share one client pool.

    Everything else, above all the validation of inbound requests, is the wrapped object's.
    """

    def __init__(self, inner: BotFrameworkAuthentication, pool: ConnectorClientPool | None = None) -> None:
        self.inner = inner
        self.pool = pool or ConnectorClientPool(transport=ConnectorTransport())

    async def close(self) -> None:
        """Close the pool's shared HTTP session (app cleanup); clients still held fail from then on."""
        if self.pool.transport is not None:
            await self.pool.transport.close()

    def _reusing(self, factory: ConnectorFactory, claims_identity: ClaimsIdentity | None) -> ConnectorFactory:
        if isinstance(factory, ReusingConnectorFactory):
            return factory
        return ReusingConnectorFactory(factory, app_id_of(claims_identity), self.pool)

    def reuse_clients(self, result: AuthenticateRequestResult) -> AuthenticateRequestResult:
        """result, its connector factory (if any) handing out the pool's clients."""
        if result.connector_factory is not None:
            result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        return self.reuse_clients(await self.inner.authenticate_request(activity, auth_header))

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        # Proactive messages and create_conversation come this way.
        return self._reusing(self.inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return LazyUserTokenClient(lambda: self.inner.create_user_token_client(claims_identity))

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)
