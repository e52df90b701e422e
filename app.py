"""StageCoach: the aiohttp app. `python app.py` serves POST /api/messages and GET /healthz on $PORT."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

from aiohttp import web

from bot import sdk_patches
from bot.adapter import create_adapter
from bot.config import ConfigError, Settings, load_settings
from bot.health import StorageProbe
from bot.http import messages_handler
from bot.insights import InsightsRecorder, InsightsStore, MemoryInsightsStore, create_insights_store
from bot.logging_setup import configure_logging, quiet_client_errors
from bot.server import run
from bot.state import ConversationStates
from bot.storage import StateStorage, create_storage
from bot.teams_bot import StageCoachBot
from knowledge.index import build_index
from knowledge.loader import KnowledgeError, default_knowledge

log = logging.getLogger("stagecoach")

STORAGE_KEY = web.AppKey("storage", StateStorage)
INSIGHTS_KEY = web.AppKey("insights", InsightsRecorder)
STORAGE_PROBE_KEY = web.AppKey("storage_probe", StorageProbe)


def create_app(
    settings: Settings, storage: StateStorage | None = None, insights: InsightsStore | None = None
) -> web.Application:
    """The whole bot as an aiohttp application.

    Tests pass their own storage; insights then stay in memory unless they pass an insights store too
    (or INSIGHTS names one), so a test never writes next to the default state database."""
    sdk_patches.install()  # raises SdkVersionError on other SDK versions than the patches were written for
    quiet_client_errors()  # a client's malformed HTTP is logged at INFO, not as our ERROR
    index = build_index(default_knowledge())
    if insights is None:
        if storage is not None and settings.insights == "on":
            insights = MemoryInsightsStore()  # "next to the state store", and that store is an object
        else:
            insights = create_insights_store(settings.insights, settings.state_store, settings.azure_connection_string)
    storage = storage or create_storage(
        settings.state_store,
        settings.azure_connection_string,
        ttl_seconds=settings.state_ttl_seconds,
        azure_account_url=settings.azure_account_url,
        azure_client_id=settings.azure_client_id,
    )
    adapter = create_adapter(settings)
    recorder = InsightsRecorder(insights, retention_seconds=settings.insights_retention_seconds)
    bot = StageCoachBot(index, ConversationStates(storage), log_text=settings.log_message_text, insights=recorder)

    app = web.Application(client_max_size=settings.max_body_bytes + 1024)
    app[STORAGE_KEY] = storage
    app[INSIGHTS_KEY] = recorder
    app[STORAGE_PROBE_KEY] = StorageProbe(storage)
    app.router.add_post(
        "/api/messages", messages_handler(adapter, bot, settings.max_body_bytes, settings.token_policy())
    )
    app.router.add_get("/healthz", healthz)

    async def close_storage(_: web.Application) -> None:
        await storage.close()

    async def close_adapter(_: web.Application) -> None:
        await adapter.close()  # the outbound HTTP session the connector clients share

    async def close_insights(_: web.Application) -> None:
        await recorder.close()  # writes what is still queued (briefly), then closes the store

    app.on_cleanup.append(close_insights)
    app.on_cleanup.append(close_storage)
    app.on_cleanup.append(close_adapter)
    return app


async def healthz(request: web.Request) -> web.Response:
    ready = await request.app[STORAGE_PROBE_KEY].ready()
    body: dict[str, Any] = {"status": "ok" if ready else "unavailable", "storage": "ok" if ready else "down"}
    return web.json_response(body, status=200 if ready else 503)


def main() -> int:
    configure_logging()
    try:
        settings = load_settings()
        app = create_app(settings)
    except (ConfigError, KnowledgeError, ValueError, sdk_patches.SdkVersionError) as error:
        log.error("cannot start: %s", error)
        print(f"StageCoach cannot start: {error}", file=sys.stderr)
        return 2
    if not settings.authenticated:
        log.warning("MicrosoftAppId is empty: requests are NOT authenticated (local use only)")
        if settings.host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("listening on %s without authentication (ALLOW_UNAUTHENTICATED_PUBLIC)", settings.host)
    log.info("StageCoach listening", extra={"host": settings.host, "port": settings.port})
    # The knowledge index and the imported SDK are ~1M objects that live as long as the process: without
    # this every full collection walks them all again (~40 ms each, the worst pauses under load).
    gc.freeze()
    run(app, settings.host, settings.port)  # aiohttp's server with read timeouts and a connection bound
    return 0


if __name__ == "__main__":
    sys.exit(main())
