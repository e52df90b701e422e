"""The channel's token signing keys, fetched without blocking the event loop and kept through outages.

botframework-connector 4.17.1 (_OpenIdMetadata) fetches them with a blocking `requests.get` and no
timeout or size limit (a 200 MB metadata response took the process from 82 MB to 403 MB), every
request that finds them over 24 h old fetches them again (50 concurrent requests made 51 fetches),
once a refresh fails every request is refused until it succeeds, and an unknown key id raises
IndexError before its "refresh on a new key" branch is reached. Here they are fetched with aiohttp,
with a deadline and a size cap, one fetch at a time; keys over 24 h old keep being used while a
refresh runs in the background, and still if it fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from botframework.connector.auth.jwt_token_extractor import _OpenIdConfig, _OpenIdMetadata
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("stagecoach.auth")

# Fetching the channel's signing keys (OpenID metadata, then JWKS), both requests together.
OPENID_METADATA_TIMEOUT_SECONDS = 2.0
MAX_METADATA_BYTES = 1024 * 1024  # each response; the real ones are a few KB
KEYS_MAX_AGE = timedelta(days=1)  # older keys are refreshed (in the background)
REFRESH_RETRY_INTERVAL = timedelta(minutes=1)  # after a failed background refresh
UNKNOWN_KEY_REFRESH_INTERVAL = timedelta(hours=1)  # a token with a key id we do not know


class OpenIdMetadataUnavailable(Exception):
    """The signing keys could not be fetched: no token can be checked, so the request is refused (503)."""


async def _read_json_capped(response: aiohttp.ClientResponse) -> Any:
    response.raise_for_status()
    if response.content_length is not None and response.content_length > MAX_METADATA_BYTES:
        raise ValueError(f"response of {response.content_length} bytes")
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_METADATA_BYTES:
            raise ValueError(f"response over {MAX_METADATA_BYTES} bytes")
    return json.loads(body)


async def fetch_signing_keys(metadata_url: str) -> list[dict[str, Any]]:
    async with asyncio.timeout(OPENID_METADATA_TIMEOUT_SECONDS), aiohttp.ClientSession() as session:
        async with session.get(metadata_url) as response:
            jwks_uri = (await _read_json_capped(response))["jwks_uri"]
        async with session.get(jwks_uri) as response:
            keys = (await _read_json_capped(response))["keys"]
    if not isinstance(keys, list):
        raise TypeError("'keys' is not a list")
    return keys


@dataclass
class _RefreshState:
    task: asyncio.Task[None] | None = None
    attempted: datetime = datetime.min


def _state(metadata: _OpenIdMetadata) -> _RefreshState:
    state = metadata.__dict__.get("_stagecoach_refresh")
    if state is None:
        state = metadata.__dict__["_stagecoach_refresh"] = _RefreshState()
    return state


async def _refresh(metadata: _OpenIdMetadata) -> None:
    """One fetch; sets keys and last_updated (the SDK's contract) only when it succeeds."""
    _state(metadata).attempted = datetime.now()
    try:
        keys = await fetch_signing_keys(metadata.url)
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
        raise OpenIdMetadataUnavailable(f"{type(error).__name__} fetching {metadata.url}") from error
    metadata.keys = keys
    metadata.last_updated = datetime.now()


def _refresh_task(metadata: _OpenIdMetadata) -> asyncio.Task[None]:
    """The fetch in flight for these keys, or a new one: never two at a time."""
    state = _state(metadata)
    task = state.task
    # A task of another event loop (tests run one app per loop; the SDK caches keys per process) is ignored.
    if task is None or task.done() or task.get_loop() is not asyncio.get_running_loop():
        task = state.task = asyncio.ensure_future(_refresh(metadata))
        task.add_done_callback(_log_failure)
    return task


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("signing keys not refreshed: %s", task.exception())


def _find(metadata: _OpenIdMetadata, key_id: str | None) -> _OpenIdConfig | None:
    """The key with this id (the SDK's _find raises IndexError for an unknown one)."""
    for key in metadata.keys or []:
        if isinstance(key, dict) and key.get("kid") == key_id:
            return _OpenIdConfig(RSAAlgorithm.from_jwk(key), key.get("endorsements", []))
    return None


async def _get_signing_key(self: _OpenIdMetadata, key_id: str | None) -> _OpenIdConfig | None:
    """_OpenIdMetadata.get: the key for key_id, or None (the token is then refused, 401).

    Without any keys the request waits for the fetch (503 if it fails). Keys over a day old are used
    while they are refreshed in the background; a failed refresh keeps them and is retried a minute
    later. A key id we do not know waits for one refresh (at most once an hour: keys roll over).
    """
    state = _state(self)
    now = datetime.now()
    if not self.keys:
        await asyncio.shield(_refresh_task(self))
    elif self.last_updated < now - KEYS_MAX_AGE and state.attempted < now - REFRESH_RETRY_INTERVAL:
        _refresh_task(self)
    key = _find(self, key_id)
    if key is None and state.attempted < now - UNKNOWN_KEY_REFRESH_INTERVAL:
        try:
            await asyncio.shield(_refresh_task(self))
        except OpenIdMetadataUnavailable:
            return None
        key = _find(self, key_id)
    return key


def install() -> None:
    """Replace the SDK's key fetching (process-wide) with the one above."""
    _OpenIdMetadata.get = _get_signing_key  # type: ignore[method-assign]
