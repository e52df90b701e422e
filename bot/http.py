"""The HTTP edge: POST /api/messages and GET /healthz on aiohttp.

We do not use CloudAdapter.process: in botbuilder 4.17.1 it serialises invoke bodies a second time,
so any dict body (and every deliveryMode "expectReplies" response) becomes HTTP 500 (upstream issue
#2156). Here the request is validated first (content type, size, JSON, required fields), authenticated
(401 for a bad token, 503 when the signing keys cannot be fetched), handed to
CloudAdapter.process_activity, and the InvokeResponse body is serialised exactly once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from botbuilder.core import Bot, InvokeResponse
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult
from msrest.serialization import Model

from bot.auth import TokenPolicy, is_loopback_url
from bot.sdk_patches.activity_codec import activity_from_json
from bot.sdk_patches.signing_keys import OpenIdMetadataUnavailable

log = logging.getLogger("stagecoach.http")

REQUIRED_FIELDS = ("type", "serviceUrl", "conversation", "from")
READ_CHUNK_BYTES = 64 * 1024
# The whole body must arrive within this; a client trickling it in holds a connection for nothing
# (the head has its own limit: bot/server.py).
BODY_TIMEOUT_SECONDS = 10.0


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _body_too_slow() -> web.Response:
    response = _error(408, f"the body did not arrive within {BODY_TIMEOUT_SECONDS:g} s")
    response.force_close()  # the rest of the body may still be on its way: no keep-alive after it
    return response


def validate_activity_json(body: Any) -> str | None:
    """Why this body is not an activity we can answer, or None when it is."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (a Bot Framework activity)"
    for name in REQUIRED_FIELDS:
        if not body.get(name):
            return f"the activity has no {name!r}"
    if not isinstance(body["type"], str):
        return "'type' must be a string"
    # Ids go into state keys and reply URLs: they must be non-empty strings, not numbers or lists.
    if not isinstance(body["conversation"], dict) or not _is_text(body["conversation"].get("id")):
        return "'conversation.id' is missing"
    if not isinstance(body["from"], dict) or not _is_text(body["from"].get("id")):
        return "'from.id' is missing"
    if not _is_http_url(body["serviceUrl"]):
        return "'serviceUrl' must be an http(s) URL"
    for name in ("text", "channelId", "id", "name", "replyToId", "locale"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"{name!r} must be a string"
    return None


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an invalid port or IPv6 literal
        return False


def serialize_body(body: Any) -> Any:
    """An InvokeResponse body as JSON-able data: msrest models serialised once, plain data as it is."""
    if isinstance(body, Model):
        return body.serialize()
    if isinstance(body, list):
        return [serialize_body(b) for b in body]
    return body


async def read_body(request: web.Request, max_bytes: int) -> bytes | None:
    """The whole body, or None when it is over max_bytes. StreamReader.read(n) returns what has
    arrived so far, not n bytes, so a body sent in several pieces must be read until EOF."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(READ_CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def authenticate(
    adapter: CloudAdapter, activity: Activity, auth_header: str | None, policy: TokenPolicy | None = None
) -> AuthenticateRequestResult | web.Response:
    """The SDK's verdict on the token, or the response refusing the request.

    policy (with an app id) refuses tokens the SDK would accept but we do not (bot/auth.py). The SDK
    signals a bad token with PermissionError, but also with IndexError (unknown key id), jwt errors
    (expired, bad signature, malformed) and plain Exception (disallowed algorithm, missing
    endorsement): everything but unreachable signing keys is a 401. Either way the turn never runs.
    Nothing here logs above WARNING: these are anyone's requests.
    """
    problem = policy.problem(auth_header) if policy else None
    if problem:
        log.info("request refused: %s", problem)
        return _error(401, "unauthorized")
    try:
        return await adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
    except OpenIdMetadataUnavailable as error:
        log.warning("request refused: cannot check tokens, signing keys unavailable (%s)", error)
        return _error(503, "temporarily unavailable")
    except Exception as error:
        log.info("request refused: %s", type(error).__name__)
        return _error(401, "unauthorized")


def messages_handler(
    adapter: CloudAdapter, bot: Bot, max_body_bytes: int, token_policy: TokenPolicy | None = None
) -> Any:
    """POST /api/messages. token_policy None: no app id, so no tokens are checked, and replies go
    only to service URLs on this machine (anyone could otherwise make the bot post anywhere)."""

    async def messages(request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "Content-Type must be application/json")
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _error(413, f"the body is over {max_body_bytes} bytes")
        try:
            async with asyncio.timeout(BODY_TIMEOUT_SECONDS):
                raw = await read_body(request, max_body_bytes)
        except TimeoutError:
            return _body_too_slow()
        except (ValueError, ConnectionError, aiohttp.ClientPayloadError, RequestPayloadError, HttpProcessingError):
            # RequestPayloadError: e.g. a Content-Encoding whose body does not decompress (was a 500).
            return _error(400, "the body could not be read")
        if raw is None:
            return _error(413, f"the body is over {max_body_bytes} bytes")
        if not raw.strip():
            return _error(400, "the body is empty")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
            return _error(400, "the body is not valid JSON")
        problem = validate_activity_json(body)
        if problem:
            return _error(400, problem)
        if token_policy is None and not is_loopback_url(body["serviceUrl"]):
            return _error(400, "without authentication (no MicrosoftAppId), 'serviceUrl' must be on this machine")
        try:
            activity = activity_from_json(body)
        except Exception:  # msrest raises several types for ill-typed fields
            return _error(400, "the body is not a valid Bot Framework activity")
        # None, not "": the SDK treats only a missing header as "no token" when auth is disabled.
        auth = await authenticate(adapter, activity, request.headers.get("Authorization") or None, token_policy)
        if isinstance(auth, web.Response):
            return auth
        try:
            response: InvokeResponse | None = await adapter.process_activity(auth, activity, bot.on_turn)
        except Exception:  # failures outside the turn (e.g. no connector client): fail closed
            log.exception("request failed outside the turn")
            return _error(503, "temporarily unavailable")
        if response is None:
            return web.Response(status=200 if activity.type == "invoke" else 201)
        payload = serialize_body(response.body)
        if payload is None:
            return web.Response(status=response.status or 200)
        return web.json_response(payload, status=response.status or 200)

    return messages
