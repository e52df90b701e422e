"""Test doubles for the Bot Framework channel, in the spirit of httpx's MockTransport.

FakeChannel is a real HTTP server on 127.0.0.1 that stands in for the channel's serviceUrl: it records
every activity the bot posts or updates, and can be told to fail the next requests (429, 5xx).
ChatClient sends activities to the bot's /api/messages as Teams would and returns what came back.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from cards.render import card_buttons

_ACTIVITY_PATH = re.compile(r"/v3/conversations/([^/]+)/activities(?:/([^/]+))?$")


@dataclass
class Failure:
    status: int
    retry_after: str | None = None


@dataclass
class FakeChannel:
    posted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updated: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    requests: int = 0
    authorizations: list[str | None] = field(default_factory=list)  # each request's Authorization header
    server: TestServer | None = None
    _ids: itertools.count = field(default_factory=itertools.count)

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def start(self) -> FakeChannel:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server:
            await self.server.close()

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        self.failures.extend(Failure(status, retry_after) for _ in range(times))

    def take(self, conversation_id: str) -> list[dict[str, Any]]:
        return self.posted.pop(conversation_id, [])

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.authorizations.append(request.headers.get("Authorization"))
        if self.failures:
            failure = self.failures.pop(0)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            return web.json_response({"error": {"code": "Throttled"}}, status=failure.status, headers=headers)
        match = _ACTIVITY_PATH.search(request.path)
        body: Any = {}
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                body = {}
        if match and isinstance(body, dict):
            conversation = match.group(1)
            if request.method == "PUT":
                self.updated.setdefault(conversation, []).append(body)
            elif request.method == "POST":
                self.posted.setdefault(conversation, []).append(body)
        return web.json_response({"id": f"activity-{next(self._ids)}"})


def activity(
    channel: FakeChannel,
    conversation_id: str,
    user_id: str = "user-1",
    text: str | None = None,
    value: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Teams message activity as the channel sends it."""
    body: dict[str, Any] = {
        "type": "message",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": channel.url,
        "from": {"id": user_id, "name": "Test User", "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, user_id))},
        "recipient": {"id": "bot", "name": "StageCoach"},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "locale": "en-US",
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    body.update(extra)
    return body


def said(activities: list[dict[str, Any]]) -> str:
    """Everything the bot said in these activities: text and card text, buttons left out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("actions", "selectAction"):
                    continue
                if isinstance(v, str) and k in ("text", "title", "value", "label"):
                    parts.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for a in activities:
        if a.get("type") != "message":
            continue
        if a.get("text"):
            parts.append(a["text"])
        for att in a.get("attachments") or []:
            walk(att.get("content"))
    return "\n".join(parts)


def cards(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        att["content"]
        for a in activities
        for att in a.get("attachments") or []
        if att.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]


def actions(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every card button's data, in order (rows in a card's body included)."""
    return [a.get("data") for c in cards(activities) for a in card_buttons(c)]


def button(activities: list[dict[str, Any]], title: str) -> dict[str, Any]:
    for c in cards(activities):
        for a in card_buttons(c):
            if a.get("title") == title:
                return a["data"]
    raise AssertionError(f"no button {title!r} in {json.dumps(cards(activities))[:500]}")


class ChatClient:
    """One user in one conversation, talking to the bot over HTTP."""

    def __init__(self, client: Any, channel: FakeChannel, conversation_id: str | None = None, user_id: str = "u1"):
        self.client = client
        self.channel = channel
        self.conversation_id = conversation_id or "conv-" + uuid.uuid4().hex[:10]
        self.user_id = user_id
        self.last_status = 0

    async def send(self, text: str | None = None, value: Any = None, **extra: Any) -> list[dict[str, Any]]:
        body = activity(self.channel, self.conversation_id, self.user_id, text, value, **extra)
        response = await self.client.post("/api/messages", json=body)
        self.last_status = response.status
        assert response.status < 500, await response.text()
        return self.channel.take(self.conversation_id)

    async def say(self, text: str) -> str:
        return said(await self.send(text))

    async def click(self, data: dict[str, Any], reply_to_id: str | None = None) -> list[dict[str, Any]]:
        extra = {"replyToId": reply_to_id} if reply_to_id else {}
        return await self.send(None, data, **extra)
