"""The ceiling: a bare aiohttp endpoint that reads the activity and posts one reply of a given size.

`python -m bench.bare PORT REPLY_BYTES`. No authentication, state, understanding or cards: what is
left is the HTTP work every bot on aiohttp must do (parse the activity, post one reply, answer 201).
"""

from __future__ import annotations

import json
import sys

import aiohttp
from aiohttp import web

SESSION = web.AppKey("session", aiohttp.ClientSession)
REPLY_BYTES = web.AppKey("reply_bytes", int)


def reply_for(activity: dict, size: int) -> bytes:
    """A message reply to activity, padded to size bytes of JSON."""
    reply = {
        "type": "message",
        "from": activity.get("recipient"),
        "recipient": activity.get("from"),
        "conversation": activity.get("conversation"),
        "replyToId": activity.get("id"),
        "text": "",
    }
    body = json.dumps(reply).encode()
    reply["text"] = "x" * max(0, size - len(body))
    return json.dumps(reply).encode()


async def messages(request: web.Request) -> web.Response:
    activity = json.loads(await request.read())
    url = f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{activity['conversation']['id']}/activities"
    body = reply_for(activity, request.app[REPLY_BYTES])
    async with request.app[SESSION].post(url, data=body, headers={"Content-Type": "application/json"}) as response:
        await response.read()
    return web.Response(status=201)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def make_app(reply_bytes: int) -> web.Application:
    app = web.Application()
    app[REPLY_BYTES] = reply_bytes

    async def session(app: web.Application):  # one pooled client session, as any sane bot would keep
        app[SESSION] = aiohttp.ClientSession()
        yield
        await app[SESSION].close()

    app.cleanup_ctx.append(session)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    web.run_app(make_app(int(sys.argv[2])), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
