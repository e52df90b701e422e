"""The HTTP edge: POST /api/messages and GET /healthz on aiohttp.

We do not use CloudAdapter.process: in botbuilder 4.17.1 it serialises invoke bodies a second time,
so any dict body (and every deliveryMode "expectReplies" response) becomes HTTP 500 (upstream issue
#2156). Here the request is validated first (content type, size, JSON, required fields), handed to
CloudAdapter.process_activity, and the InvokeResponse body is serialised exactly once.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.serialization import Model

log = logging.getLogger("stagecoach.http")

REQUIRED_FIELDS = ("type", "serviceUrl", "conversation", "from")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def validate_activity_json(body: Any) -> str | None:
    """Why this body is not an activity we can answer, or None when it is."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (a Bot Framework activity)"
    for name in REQUIRED_FIELDS:
        if not body.get(name):
            return f"the activity has no {name!r}"
    if not isinstance(body["type"], str):
        return "'type' must be a string"
    if not isinstance(body["conversation"], dict) or not body["conversation"].get("id"):
        return "'conversation.id' is missing"
    if not isinstance(body["from"], dict) or not body["from"].get("id"):
        return "'from.id' is missing"
    if not isinstance(body["serviceUrl"], str) or not body["serviceUrl"].startswith(("http://", "https://")):
        return "'serviceUrl' must be an http(s) URL"
    for name in ("text", "channelId", "id", "name", "replyToId", "locale"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"{name!r} must be a string"
    return None


def serialize_body(body: Any) -> Any:
    """An InvokeResponse body as JSON-able data: msrest models serialised once, plain data as it is."""
    if isinstance(body, Model):
        return body.serialize()
    if isinstance(body, list):
        return [serialize_body(b) for b in body]
    return body


def messages_handler(adapter: CloudAdapter, bot: Bot, max_body_bytes: int) -> Any:
    async def messages(request: web.Request) -> web.Response:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _error(415, "Content-Type must be application/json")
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _error(413, f"the body is over {max_body_bytes} bytes")
        try:
            raw = await request.content.read(max_body_bytes + 1)
        except (ValueError, ConnectionError):
            return _error(400, "the body could not be read")
        if len(raw) > max_body_bytes:
            return _error(413, f"the body is over {max_body_bytes} bytes")
        if not raw.strip():
            return _error(400, "the body is empty")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "the body is not valid JSON")
        problem = validate_activity_json(body)
        if problem:
            return _error(400, problem)
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises several types for ill-typed fields
            return _error(400, "the body is not a valid Bot Framework activity")
        auth_header = request.headers.get("Authorization", "")
        try:
            response: InvokeResponse | None = await adapter.process_activity(auth_header, activity, bot.on_turn)
        except PermissionError:
            return _error(401, "unauthorized")
        except Exception:  # failures outside the turn (e.g. auth metadata unreachable): fail closed
            log.exception("request failed before the turn could run")
            return _error(503, "temporarily unavailable")
        if response is None:
            return web.Response(status=200 if activity.type == "invoke" else 201)
        payload = serialize_body(response.body)
        if payload is None:
            return web.Response(status=response.status or 200)
        return web.json_response(payload, status=response.status or 200)

    return messages
