"""MicrosoftAppType=UserAssignedMSI and SingleTenant: the bot starts, authenticates, and replies.

The user-assigned identity's token comes from a fake App Service identity endpoint on 127.0.0.1
(tests/fake_identity.py); the guard there fails any test that tries the instance metadata address.
Inbound tokens are signed by the tests against a local OpenID/JWKS endpoint, as in test_auth.py.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msal
import pytest
from botframework.connector.auth import ManagedIdentityAppCredentials, MicrosoftAppCredentials
from cryptography.hazmat.primitives.asymmetric import rsa

import app as app_module
from bot.config import ConfigError, Settings, load_settings
from bot.credentials import ManagedIdentityTokenError
from tests.fake_channel import FakeChannel, said
from tests.fake_identity import FakeIdentityEndpoint, InstanceMetadataGuard
from tests.test_auth import (
    ANSWER,
    APP_ID,
    OpenIdEndpoint,
    SecuredBot,
    claims,
    openid,  # noqa: F401  (fixture)
    question,
    signing_key,  # noqa: F401  (fixture)
    start_bot,
    token,
)

TENANT_ID = "72f988bf-0000-4000-8000-stagecoach00"
BOT_FRAMEWORK_RESOURCE = "https://api.botframework.com"


@pytest.fixture(autouse=True)
def fresh_token_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK keeps managed-identity tokens in one cache per process: start each test without any."""
    monkeypatch.setattr(ManagedIdentityAppCredentials, "global_token_cache", msal.TokenCache())


@pytest.fixture
async def identity(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeIdentityEndpoint]:
    endpoint = await FakeIdentityEndpoint(tenant_id=TENANT_ID).start()
    endpoint.use_in(monkeypatch)
    yield endpoint
    await endpoint.close()


def msi_environment(openid_endpoint: OpenIdEndpoint, **extra: str) -> dict[str, str]:
    return {
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppType": "UserAssignedMSI",
        "MicrosoftAppTenantId": TENANT_ID,
        "BOTFRAMEWORK_OPENID_METADATA_URL": openid_endpoint.metadata_url,
        "STATE_STORE": "memory",
        **extra,
    }


@pytest.fixture
async def msi_bot(
    openid: OpenIdEndpoint,  # noqa: F811
    channel: FakeChannel,
    identity: FakeIdentityEndpoint,
) -> AsyncIterator[SecuredBot]:
    bot = await start_bot(load_settings(msi_environment(openid), env_file=None), channel)
    yield bot
    await bot.client.close()


async def test_user_assigned_msi_replies_with_a_token_from_the_identity_endpoint(
    msi_bot: SecuredBot,
    channel: FakeChannel,
    identity: FakeIdentityEndpoint,
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
) -> None:
    replies = []
    for _ in range(2):
        body = question(channel)
        status, _ = await msi_bot.post(body, "Bearer " + token(signing_key, claims(channel)))
        assert status == 201
        replies.append(said(channel.take(body["conversation"]["id"])))
    assert all(ANSWER in reply for reply in replies)
    # One token, for the Bot Framework, for our identity (client id = app id), asked for once and reused.
    assert identity.requests == [{"api-version": "2019-08-01", "resource": BOT_FRAMEWORK_RESOURCE, "client_id": APP_ID}]
    issued = identity.token_for(BOT_FRAMEWORK_RESOURCE, APP_ID).split(".")[1]
    assert channel.authorizations and all(
        header is not None and header.startswith("Bearer ") and header.split(".")[1] == issued
        for header in channel.authorizations
    )
    assert identity.refused == 0


async def test_user_assigned_msi_still_refuses_an_unauthenticated_request(
    msi_bot: SecuredBot, channel: FakeChannel, identity: FakeIdentityEndpoint
) -> None:
    body = question(channel)
    assert (await msi_bot.post(body, None))[0] == 401
    assert channel.requests == 0 and identity.requests == []


async def test_identity_endpoint_down_sends_nothing_and_logs_why(
    msi_bot: SecuredBot,
    channel: FakeChannel,
    identity: FakeIdentityEndpoint,
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    identity.fail_with = 500
    body = question(channel)
    with caplog.at_level(logging.ERROR, logger="stagecoach.error"):
        status, seconds = await msi_bot.post(body, "Bearer " + token(signing_key, claims(channel)))
    # As with any reply that cannot be sent: the request was valid and is acknowledged, the log says why.
    assert status == 201 and seconds < 10
    assert identity.requests and channel.requests == 0
    failures = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], ManagedIdentityTokenError)]
    assert failures and "identity down" in str(failures[0].exc_info[1])  # type: ignore[index]


def test_the_guard_catches_a_credential_that_falls_back_to_instance_metadata(
    monkeypatch: pytest.MonkeyPatch, instance_metadata_guard: InstanceMetadataGuard
) -> None:
    """Without IDENTITY_ENDPOINT the SDK's credentials go to 169.254.169.254: the guard must see it."""
    from tests.fake_identity import IDENTITY_SOURCE_VARIABLES

    for name in IDENTITY_SOURCE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    credentials = ManagedIdentityAppCredentials(str(uuid.uuid4()), BOT_FRAMEWORK_RESOURCE)
    with pytest.raises(Exception):  # noqa: B017  (msal wraps the refusal in its own errors)
        credentials.get_access_token()
    assert [host for host, _ in instance_metadata_guard.attempts] == ["169.254.169.254"]
    instance_metadata_guard.attempts.clear()  # seen and expected here; any other test fails on it


# --- SingleTenant ----------------------------------------------------------------------------------


async def test_single_tenant_replies_with_credentials_for_its_own_tenant(
    monkeypatch: pytest.MonkeyPatch,
    openid: OpenIdEndpoint,  # noqa: F811
    channel: FakeChannel,
    signing_key: rsa.RSAPrivateKey,  # noqa: F811
) -> None:
    authorities: list[str] = []

    def fake_token(self: MicrosoftAppCredentials, force_refresh: bool = False) -> str:
        authorities.append(self.oauth_endpoint)  # where msal would ask for the token
        return "single-tenant-token"

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", fake_token)
    settings = load_settings(
        {
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppType": "singletenant",
            "MicrosoftAppTenantId": TENANT_ID,
            "BOTFRAMEWORK_OPENID_METADATA_URL": openid.metadata_url,
        },
        env_file=None,
    )
    assert settings.APP_TYPE == "SingleTenant"
    bot = await start_bot(settings, channel)
    try:
        body = question(channel)
        assert (await bot.post(body, "Bearer " + token(signing_key, claims(channel))))[0] == 201
        assert ANSWER in said(channel.take(body["conversation"]["id"]))
        assert (await bot.post(question(channel), None))[0] == 401
    finally:
        await bot.client.close()
    assert authorities and all(authority.endswith("/" + TENANT_ID) for authority in authorities)
    assert set(channel.authorizations) == {"Bearer single-tenant-token"}


# --- settings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": TENANT_ID}, "MicrosoftAppId"),
        ({"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppId": APP_ID}, "MicrosoftAppTenantId"),
        (
            {"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": APP_ID, "MicrosoftAppTenantId": TENANT_ID},
            "MicrosoftAppPassword",
        ),
        ({"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s"}, "TenantId"),
    ],
)
def test_an_app_type_without_what_it_needs_is_a_clear_config_error(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigError, match=f"MicrosoftAppType=.*needs.*{missing}"):
        load_settings(env, env_file=None)


def test_an_unknown_app_type_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="MultiTenant, SingleTenant, UserAssignedMSI"):
        load_settings({"MicrosoftAppType": "ManagedIdentity", "MicrosoftAppId": APP_ID}, env_file=None)


@pytest.mark.parametrize("spelling", ["UserAssignedMSI", "userassignedmsi", "UserAssignedMsi"])
def test_app_type_spellings_are_normalised(spelling: str) -> None:
    env = {"MicrosoftAppType": spelling, "MicrosoftAppId": APP_ID, "MicrosoftAppTenantId": TENANT_ID}
    assert load_settings(env, env_file=None).APP_TYPE == "UserAssignedMSI"


def test_storage_account_url_must_be_https() -> None:
    with pytest.raises(ConfigError, match="AZURE_STORAGE_ACCOUNT_URL must be an https://"):
        load_settings({"AZURE_STORAGE_ACCOUNT_URL": "http://127.0.0.1:10000/devstoreaccount1"}, env_file=None)


def test_main_serves_on_all_interfaces_with_a_managed_identity(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    identity: FakeIdentityEndpoint,
    openid: OpenIdEndpoint,  # noqa: F811
) -> None:
    """What App Service runs: `python app.py` with HOST=0.0.0.0 and the identity's settings."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    served: list[dict[str, Any]] = []
    for name, value in msi_environment(openid, HOST="0.0.0.0", PORT="8000").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ALLOW_UNAUTHENTICATED_PUBLIC", raising=False)
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    # The server itself is not started (nothing may listen on 0.0.0.0 in a test): what main asks it for is.
    monkeypatch.setattr(app_module, "run", lambda application, host, port: served.append({"host": host, "port": port}))
    assert app_module.main() == 0
    assert served == [{"host": "0.0.0.0", "port": 8000}]


def test_main_refuses_to_start_with_an_incomplete_managed_identity(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppType", "UserAssignedMSI")
    monkeypatch.delenv("MicrosoftAppTenantId", raising=False)
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    monkeypatch.setattr(app_module, "run", lambda *a, **kw: pytest.fail("must not serve"))
    assert app_module.main() == 2
    assert "needs MicrosoftAppTenantId" in capsys.readouterr().err


def test_settings_default_to_multi_tenant_for_local_use() -> None:
    assert Settings().APP_TYPE == "MultiTenant"
    assert load_settings({}, env_file=None).APP_TYPE == "MultiTenant"
