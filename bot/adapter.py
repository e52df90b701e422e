"""The Bot Framework adapter StageCoach runs on: CloudAdapter with our error handler and middleware."""

from __future__ import annotations

from botbuilder.core import ShowTypingMiddleware
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.config import Settings
from bot.errors import on_turn_error


class StageCoachAdapter(CloudAdapter):
    """CloudAdapter as botbuilder 4.17.1 ships it; the HTTP edge is bot/http.py, not CloudAdapter.process."""


def create_adapter(settings: Settings) -> StageCoachAdapter:
    adapter = StageCoachAdapter(ConfigurationBotFrameworkAuthentication(settings))
    adapter.on_turn_error = on_turn_error
    adapter.use(ShowTypingMiddleware(delay=0.5, period=2.0))
    return adapter
