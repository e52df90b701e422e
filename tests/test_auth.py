"""Authentication at the HTTP edge, against a local OpenID metadata + JWKS endpoint and real RS256 tokens.

With MicrosoftAppId set, a request is processed only with a token the Bot Framework SDK accepts:
issuer https://api.botframework.com, audience = our app id, signed by a key the metadata publishes,
that key endorsed for the activity's channel, not expired, and the serviceurl claim = the activity's.
Every refused request is asserted to have had no effect: no turn logged, no state, nothing sent.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

import app as app_module
from app import create_app
from bot.config import ConfigError, Settings, load_settings
from bot.state import state_key
from bot.storage import MemoryStorage
from tests.fake_channel import FakeChannel, activity, said

APP_ID = "5f2c3f6e-0000-4000-8000-stagecoach01"
ISSUER = "https://api.botframework.com"
KID = "stagecoach-test-key"
HMAC_SECRET = "a shared secret instead of a key pair"
QUESTION = "probability at Proof"
ANSWER = "60%"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return new_rsa_key()


@pytest.fixture(scope="module")
def stranger_key() -> rsa.RSAPrivateKey:
    return new_rsa_key()


@dataclass
class OpenIdEndpoint:
    """OpenID metadata and a JWKS with one key, endorsed for msteams, as login.botframework.com serves them."""

    key: rsa.RSAPrivateKey
    hits: list[str] = field(default_factory=list)
    server: TestServer | None = None
    # The SDK caches metadata per URL for the whole process: a unique path keeps tests apart.
    prefix: str = field(default_factory=lambda: "/" + uuid.uuid4().hex)

    @property
    def metadata_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url(self.prefix + "/.well-known/openidconfiguration"))

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "use": "sig", "endorsements": ["msteams", "emulator"]}]}

    async def start(self) -> OpenIdEndpoint:
        async def metadata(request: web.Request) -> web.Response:
            self.hits.append("metadata")
            keys_url = str(request.url.with_path(self.prefix + "/keys"))
            return web.json_response(
                {"issuer": ISSUER, "jwks_uri": keys_url, "id_token_signing_alg_values_supported": ["RS256"]}
            )

        async def keys(_: web.Request) -> web.Response:
            self.hits.append("keys")
            return web.json_response(self.jwks())

        application = web.Application()
        application.router.add_get(self.prefix + "/.well-known/openidconfiguration", metadata)
        application.router.add_get(self.prefix + "/keys", keys)
        self.server = TestServer(application, host="127.0.0.1")
        await self.server.start_server()
        return self


def claims(channel: FakeChannel, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": APP_ID,
        "iat": now - 60,
        "nbf": now - 60,
        "exp": now + 3600,
        "serviceurl": channel.url,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def token(key: rsa.RSAPrivateKey, payload: dict[str, Any], kid: str | None = KID, algorithm: str = "RS256") -> str:
    headers = {"kid": kid} if kid else {}
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


@pytest.fixture
def outbound_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replies need an AAD token for the connector; the cloud is out of reach, and not what is tested here."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "outbound")


@pytest.fixture
async def openid(signing_key: rsa.RSAPrivateKey) -> AsyncIterator[OpenIdEndpoint]:
    endpoint = await OpenIdEndpoint(signing_key).start()
    yield endpoint
    assert endpoint.server is not None
    await endpoint.server.close()


@dataclass
class SecuredBot:
    client: TestClient
    storage: MemoryStorage
    channel: FakeChannel

    async def post(self, body: dict[str, Any], authorization: str | None) -> tuple[int, float]:
        headers = {"Authorization": authorization} if authorization is not None else {}
        started = time.perf_counter()
        response = await self.client.post("/api/messages", json=body, headers=headers)
        await response.read()
        return response.status, time.perf_counter() - started

    async def stored_state(self, body: dict[str, Any]) -> dict[str, Any]:
        key = state_key(body["channelId"], body["conversation"]["id"], body["from"]["id"])
        return await self.storage.read([key])


def secured_settings(metadata_url: str) -> Settings:
    return Settings(APP_ID=APP_ID, APP_PASSWORD="secret", openid_metadata_url=metadata_url)


async def start_bot(settings: Settings, channel: FakeChannel) -> SecuredBot:
    storage = MemoryStorage()
    client = TestClient(TestServer(create_app(settings, storage=storage), host="127.0.0.1"))
    await client.start_server()
    return SecuredBot(client, storage, channel)


@pytest.fixture
async def secured(openid: OpenIdEndpoint, channel: FakeChannel, outbound_token: None) -> AsyncIterator[SecuredBot]:
    bot = await start_bot(
        Settings(APP_ID=APP_ID, APP_PASSWORD="secret", openid_metadata_url=openid.metadata_url), channel
    )
    yield bot
    await bot.client.close()


@pytest.fixture
def turn_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger="stagecoach.turn"):
        yield caplog


def turns_logged(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.name == "stagecoach.turn")


def question(channel: FakeChannel, **extra: Any) -> dict[str, Any]:
    return activity(channel, "conv-" + uuid.uuid4().hex[:8], text=QUESTION, **extra)


async def test_a_valid_token_is_accepted_and_answered(
    secured: SecuredBot, channel: FakeChannel, signing_key: rsa.RSAPrivateKey, openid: OpenIdEndpoint
) -> None:
    body = question(channel)
    status, _ = await secured.post(body, "Bearer " + token(signing_key, claims(channel)))
    assert status == 201
    assert ANSWER in said(channel.take(body["conversation"]["id"]))
    assert openid.hits == ["metadata", "keys"]  # the key really came from our endpoint


def _bad_tokens(channel: FakeChannel, good: rsa.RSAPrivateKey, stranger: rsa.RSAPrivateKey) -> dict[str, str | None]:
    hour_ago = int(time.time()) - 3600  # the SDK allows 5 minutes of clock skew
    return {
        "no header": None,
        "empty header": "",
        "not bearer": "Basic " + token(good, claims(channel)),
        "bearer without token": "Bearer ",
        "three parts": "Bearer a b",
        "garbage token": "Bearer not.a.jwt",
        "random base64": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl",
        "alg none": "Bearer " + jwt.encode(claims(channel), "", algorithm="none", headers={"kid": KID}),
        "alg none without kid": "Bearer " + jwt.encode(claims(channel), "", algorithm="none"),
        "hs256 with public key as secret": "Bearer "
        + jwt.encode(
            claims(channel), "a-shared-secret-of-at-least-32-bytes!!", algorithm="HS256", headers={"kid": KID}
        ),
        "unknown key and kid": "Bearer " + token(stranger, claims(channel), kid="someone-elses-key"),
        "unknown key, our kid": "Bearer " + token(stranger, claims(channel)),
        "no kid": "Bearer " + token(good, claims(channel), kid=None),
        "expired": "Bearer " + token(good, claims(channel, iat=hour_ago - 3600, nbf=hour_ago - 3600, exp=hour_ago)),
        "not yet valid": "Bearer " + token(good, claims(channel, nbf=int(time.time()) + 3600)),
        "wrong audience": "Bearer " + token(good, claims(channel, aud="another-bots-app-id")),
        "no audience": "Bearer " + token(good, claims(channel, aud=None)),
        "wrong issuer": "Bearer " + token(good, claims(channel, iss="https://evil.example.com")),
        "no issuer": "Bearer " + token(good, claims(channel, iss=None)),
        "token for another serviceUrl": "Bearer "
        + token(good, claims(channel, serviceurl="https://elsewhere.example/")),
        "no serviceurl claim": "Bearer " + token(good, claims(channel, serviceurl=None)),
        "no expiry": "Bearer " + token(good, claims(channel, exp=None)),
        "emulator token": "Bearer " + token(good, emulator_claims()),
        "tampered payload": "Bearer "
        + _tampered(token(good, claims(channel, aud="another-bots-app-id")), claims(channel)),
    }


EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"


def emulator_claims() -> dict[str, Any]:
    """What the Bot Framework Emulator's token says: an Azure AD issuer, our app id, no serviceurl claim."""
    now = int(time.time())
    return {"iss": EMULATOR_ISSUER, "aud": APP_ID, "appid": APP_ID, "ver": "1.0", "iat": now - 60, "exp": now + 3600}


def _tampered(signed: str, payload: dict[str, Any]) -> str:
    """A genuine header and signature on a payload rewritten by someone without the key."""
    header, _, signature = signed.split(".")
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_every_request_without_a_valid_token_is_refused_unprocessed(
    secured: SecuredBot,
    channel: FakeChannel,
    signing_key: rsa.RSAPrivateKey,
    stranger_key: rsa.RSAPrivateKey,
    turn_log: pytest.LogCaptureFixture,
) -> None:
    bad = _bad_tokens(channel, signing_key, stranger_key)
    results: dict[str, int] = {}
    for name, authorization in bad.items():
        body = question(channel)
        status, seconds = await secured.post(body, authorization)
        results[name] = status
        assert seconds < 2, name
        assert await secured.stored_state(body) == {}, name
    assert results == dict.fromkeys(bad, 401)
    assert channel.requests == 0 and channel.posted == {}
    assert turns_logged(turn_log) == 0
    assert not [r.getMessage() for r in turn_log.records if r.levelno >= logging.WARNING]  # anyone's requests


async def test_a_card_submit_or_invoke_without_a_token_is_refused_too(
    secured: SecuredBot, channel: FakeChannel, turn_log: pytest.LogCaptureFixture
) -> None:
    submit = activity(channel, "conv-submit", value={"action": "check.start", "kind": "mssp", "stage": "proof"})
    invoke = activity(
        channel,
        "conv-invoke",
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "go", "data": {"action": "check.pick"}}},
    )
    update = activity(channel, "conv-update", type="conversationUpdate", membersAdded=[{"id": "bot"}])
    for body in (submit, invoke, update):
        assert (await secured.post(body, None))[0] == 401
    assert channel.requests == 0 and turns_logged(turn_log) == 0


async def test_the_endorsement_must_name_the_activitys_channel(
    secured: SecuredBot, channel: FakeChannel, signing_key: rsa.RSAPrivateKey
) -> None:
    """Our key is endorsed for msteams and emulator only: the same valid token cannot speak for webchat."""
    good = "Bearer " + token(signing_key, claims(channel))
    assert (await secured.post(question(channel, channelId="webchat"), good))[0] == 401
    assert channel.requests == 0
    assert (await secured.post(question(channel, channelId="msteams"), good))[0] == 201


async def test_signing_keys_unreachable_fails_closed_and_fast(
    channel: FakeChannel, signing_key: rsa.RSAPrivateKey, outbound_token: None, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/{uuid.uuid4().hex}/.well-known/openidconfiguration"
    bot = await start_bot(secured_settings(url), channel)
    try:
        for _ in range(3):  # a failed fetch is not cached as success: each request checks again
            body = question(channel)
            status, seconds = await bot.post(body, "Bearer " + token(signing_key, claims(channel)))
            assert status == 503 and seconds < 2
            assert await bot.stored_state(body) == {}
        assert channel.requests == 0
    finally:
        await bot.client.close()


class SilentServer:
    """Accepts connections and reads, never answers: the worst kind of down."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            await reader.read(65536)
            await asyncio.sleep(30)
            writer.close()

        self.server = await asyncio.start_server(swallow, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/{uuid.uuid4().hex}/.well-known/openidconfiguration"

    def close(self) -> None:
        assert self.server is not None
        self.server.close()


async def test_signing_keys_hanging_times_out_without_blocking_other_requests(
    channel: FakeChannel, signing_key: rsa.RSAPrivateKey, outbound_token: None
) -> None:
    silent = SilentServer()
    url = await silent.start()
    bot = await start_bot(secured_settings(url), channel)
    try:
        body = question(channel)
        pending = asyncio.create_task(bot.post(body, "Bearer " + token(signing_key, claims(channel))))
        while silent.connections == 0 and not pending.done():
            await asyncio.sleep(0.01)
        health_started = time.perf_counter()
        health = await bot.client.get("/healthz")
        assert health.status == 200
        assert time.perf_counter() - health_started < 0.5  # the key fetch does not stall the event loop
        status, seconds = await asyncio.wait_for(pending, timeout=10)
        assert status == 503 and seconds < 3.5
        assert channel.requests == 0 and await bot.stored_state(body) == {}
    finally:
        await bot.client.close()
        silent.close()


async def test_signing_keys_endpoint_failing_is_503(
    channel: FakeChannel, signing_key: rsa.RSAPrivateKey, outbound_token: None
) -> None:
    async def broken(_: web.Request) -> web.Response:
        return web.Response(status=500, text="down for maintenance")

    application = web.Application()
    application.router.add_get("/{tail:.*}", broken)  # metadata answers 500
    server = TestServer(application, host="127.0.0.1")
    await server.start_server()
    bot = await start_bot(
        Settings(
            APP_ID=APP_ID, APP_PASSWORD="secret", openid_metadata_url=str(server.make_url(f"/{uuid.uuid4().hex}/meta"))
        ),
        channel,
    )
    try:
        status, _ = await bot.post(question(channel), "Bearer " + token(signing_key, claims(channel)))
        assert status == 503 and channel.requests == 0
    finally:
        await bot.client.close()
        await server.close()


async def test_without_an_app_id_requests_are_answered_unauthenticated(
    client: TestClient, channel: FakeChannel
) -> None:
    body = question(channel)
    response = await client.post("/api/messages", json=body)
    assert response.status == 201
    assert ANSWER in said(channel.take(body["conversation"]["id"]))


# --- HOST and authentication -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "stagecoach.example.com"])
def test_public_host_without_auth_is_refused(host: str) -> None:
    with pytest.raises(ConfigError, match="ALLOW_UNAUTHENTICATED_PUBLIC"):
        load_settings({"HOST": host}, env_file=None)


@pytest.mark.parametrize("flag", ["true", "1", "yes", "on", "TRUE"])
def test_public_host_without_auth_is_accepted_when_explicitly_allowed(flag: str) -> None:
    settings = load_settings({"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED_PUBLIC": flag}, env_file=None)
    assert settings.host == "0.0.0.0" and settings.allow_unauthenticated_public and not settings.authenticated


@pytest.mark.parametrize("flag", ["", "false", "0", "no"])
def test_public_host_flag_must_really_say_yes(flag: str) -> None:
    with pytest.raises(ConfigError):
        load_settings({"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED_PUBLIC": flag}, env_file=None)


def test_public_host_with_an_app_id_needs_no_flag() -> None:
    settings = load_settings({"HOST": "0.0.0.0", "MicrosoftAppId": APP_ID}, env_file=None)
    assert settings.authenticated and settings.host == "0.0.0.0"


@pytest.mark.parametrize("host", ["", "127.0.0.1", "localhost", "::1"])
def test_local_host_without_auth_is_fine(host: str) -> None:
    assert load_settings({"HOST": host}, env_file=None).host == (host or "127.0.0.1")


def _run_main(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> list[dict[str, Any]]:
    served: list[dict[str, Any]] = []
    for name in ("MicrosoftAppId", "HOST", "ALLOW_UNAUTHENTICATED_PUBLIC", "BOTFRAMEWORK_OPENID_METADATA_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"STATE_STORE": "memory", **env}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)  # keep caplog's handler
    monkeypatch.setattr(app_module, "run", lambda application, host, port: served.append({"host": host}))
    assert app_module.main() == 0
    return served


def test_main_warns_when_serving_publicly_without_auth(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    with caplog.at_level(logging.WARNING, logger="stagecoach"):
        served = _run_main(monkeypatch, {"HOST": "0.0.0.0", "ALLOW_UNAUTHENTICATED_PUBLIC": "true"})
    assert served[0]["host"] == "0.0.0.0"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("NOT authenticated" in w for w in warnings)
    assert any("0.0.0.0 without authentication" in w for w in warnings)


def test_main_does_not_warn_about_public_exposure_on_loopback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="stagecoach"):
        served = _run_main(monkeypatch, {})
    assert served[0]["host"] == "127.0.0.1"
    assert not any("without authentication" in r.getMessage() for r in caplog.records)


def test_main_refuses_to_start_public_without_auth(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.delenv("ALLOW_UNAUTHENTICATED_PUBLIC", raising=False)
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    monkeypatch.setattr(app_module, "run", lambda *a, **kw: pytest.fail("must not serve"))
    assert app_module.main() == 2


def test_openid_override_keeps_the_public_cloud_issuer_and_endpoints() -> None:
    """The SDK takes every endpoint from the settings once one is overridden (see bot/config.py)."""
    overridden = Settings(APP_ID=APP_ID, openid_metadata_url="http://127.0.0.1:1/meta")
    assert overridden.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER == ISSUER
    assert overridden.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE == ISSUER
    assert overridden.TO_CHANNEL_FROM_BOT_LOGIN_URL == "https://login.microsoftonline.com/"
    default = Settings(APP_ID=APP_ID)
    # Unset, the SDK picks its built-in public-cloud authentication instead of the parameterized one.
    assert default.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER is None and default.TO_CHANNEL_FROM_BOT_LOGIN_URL is None


# --- tokens the SDK alone would accept --------------------------------------------------------------


async def test_emulator_tokens_are_accepted_only_when_allowed(
    openid: OpenIdEndpoint, channel: FakeChannel, signing_key: rsa.RSAPrivateKey, outbound_token: None
) -> None:
    """Refused by default (test above); the SDK on its own accepted them, and so does ALLOW_EMULATOR_TOKENS."""
    settings = load_settings(
        {
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "secret",
            "BOTFRAMEWORK_OPENID_METADATA_URL": openid.metadata_url,
            "ALLOW_EMULATOR_TOKENS": "true",
        },
        env_file=None,
    )
    bot = await start_bot(settings, channel)
    try:
        body = question(channel)
        status, _ = await bot.post(body, "Bearer " + token(signing_key, emulator_claims()))
        assert status == 201 and ANSWER in said(channel.take(body["conversation"]["id"]))
        no_expiry = {k: v for k, v in emulator_claims().items() if k != "exp"}
        assert (await bot.post(question(channel), "Bearer " + token(signing_key, no_expiry)))[0] == 401
    finally:
        await bot.client.close()
    assert not load_settings({"MicrosoftAppId": APP_ID}, env_file=None).allow_emulator_tokens


# --- the signing keys: stale keys serve while the endpoint is down -----------------------------------


def keys_of(openid: OpenIdEndpoint) -> Any:
    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    return JwtTokenExtractor.get_open_id_metadata(openid.metadata_url)


async def test_keys_over_a_day_old_keep_working_while_the_keys_endpoint_is_down(
    secured: SecuredBot, channel: FakeChannel, signing_key: rsa.RSAPrivateKey, openid: OpenIdEndpoint
) -> None:
    good = "Bearer " + token(signing_key, claims(channel))
    assert (await secured.post(question(channel), good))[0] == 201
    assert openid.hits == ["metadata", "keys"]
    assert openid.server is not None
    metadata = keys_of(openid)
    await openid.server.close()  # the endpoint is down ...
    metadata.last_updated -= timedelta(days=2)  # ... and the cached keys are over 24 h old
    metadata.__dict__["_stagecoach_refresh"].attempted -= timedelta(days=2)

    results = await asyncio.gather(*(secured.post(question(channel), good) for _ in range(50)))
    assert [status for status, _ in results] == [201] * 50  # before: 503 for every one
    assert max(seconds for _, seconds in results) < 5
    await asyncio.sleep(0.1)
    refresh = metadata.__dict__["_stagecoach_refresh"]
    first = refresh.task
    assert first is not None and first.done() and first.exception() is not None  # one background refresh
    assert (await secured.post(question(channel), good))[0] == 201  # and no new fetch within the minute
    assert refresh.task is first


async def test_keys_are_fetched_once_for_many_concurrent_first_requests(
    secured: SecuredBot, channel: FakeChannel, signing_key: rsa.RSAPrivateKey, openid: OpenIdEndpoint
) -> None:
    good = "Bearer " + token(signing_key, claims(channel))
    results = await asyncio.gather(*(secured.post(question(channel), good) for _ in range(50)))
    assert [status for status, _ in results] == [201] * 50
    assert openid.hits == ["metadata", "keys"]


async def test_an_oversized_keys_response_is_refused_without_reading_it_all(
    channel: FakeChannel, signing_key: rsa.RSAPrivateKey, outbound_token: None
) -> None:
    async def huge(_: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(_)
        await response.write(b'{"jwks_uri": "')
        for _chunk in range(200):  # 200 MB if read to the end
            await response.write(b"x" * (1024 * 1024))
        return response

    application = web.Application()
    application.router.add_get("/{tail:.*}", huge)
    server = TestServer(application, host="127.0.0.1")
    await server.start_server()
    bot = await start_bot(secured_settings(str(server.make_url(f"/{uuid.uuid4().hex}/meta"))), channel)
    try:
        status, seconds = await bot.post(question(channel), "Bearer " + token(signing_key, claims(channel)))
        assert status == 503 and seconds < 3
    finally:
        await bot.client.close()
        await server.close()


# --- anonymous (local) mode: replies only to this machine --------------------------------------------


def test_loopback_urls() -> None:
    from bot.auth import is_loopback_url

    for url in ("http://127.0.0.1:3978/", "https://127.5.6.7/x", "http://localhost:1/", "http://[::1]:80/"):
        assert is_loopback_url(url), url
    # Strings only: nothing is ever sent to these.
    for url in (
        "https://smba.trafficmanager.net/emea/",
        "http://10.0.0.1/",
        "http://[::ffff:7f00:1",
        "http://0.0.0.0/",
    ):
        assert not is_loopback_url(url), url


async def test_without_an_app_id_a_service_url_off_this_machine_is_400(
    client: TestClient, channel: FakeChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every serviceUrl in tests is 127.0.0.1, so the fake channel's port stands for "elsewhere" here."""
    import bot.http

    elsewhere = channel.url
    monkeypatch.setattr(bot.http, "is_loopback_url", lambda url: url != elsewhere)
    body = question(channel)
    response = await client.post("/api/messages", json=body)
    assert response.status == 400 and "serviceUrl" in (await response.json())["error"]
    assert channel.requests == 0
