"""The fake Bot Connector (the activity's serviceUrl): accepts replies and card updates, counts them.

`python -m bench.connector PORT`. GET /stats -> {"posts", "bytes"}; POST /stats/reset zeroes them.
"""

from __future__ import annotations

import itertools
import sys

from aiohttp import web

STATS = web.AppKey("stats", dict)


async def activity(request: web.Request) -> web.Response:
    body = await request.read()
    stats = request.app[STATS]
    stats["posts"] += 1
    stats["bytes"] += len(body)
    return web.json_response({"id": f"activity-{next(stats['ids'])}"})


async def stats(request: web.Request) -> web.Response:
    s = request.app[STATS]
    return web.json_response({"posts": s["posts"], "bytes": s["bytes"]})


async def reset(request: web.Request) -> web.Response:
    request.app[STATS].update(posts=0, bytes=0)
    return web.json_response({})


def make_app() -> web.Application:
    app = web.Application()
    app[STATS] = {"posts": 0, "bytes": 0, "ids": itertools.count()}
    app.router.add_get("/stats", stats)
    app.router.add_post("/stats/reset", reset)
    app.router.add_route("POST", "/v3/conversations/{conversation}/activities", activity)
    app.router.add_route("*", "/v3/conversations/{conversation}/activities/{activity}", activity)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
