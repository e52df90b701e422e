"""Headless Debian Chromium for the card and Playground tests, driven by Playwright, kept off the internet.

Chromium is Debian's (apt-get install chromium), not a Playwright download: never run `playwright install`.
Every request to a host other than 127.0.0.1 / localhost is aborted (and recorded in `blocked`),
and the host resolver maps every other name to nothing, so the browser cannot reach out even for
requests Playwright does not see (service workers, the browser's own fetches).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Playwright, Route, WebSocketRoute, sync_playwright

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "tools" / "node" / "node_modules"
CHROMIUM = Path(os.environ.get("STAGECOACH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
_OUTSIDE_WEBSOCKET = re.compile(r"^wss?://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/)")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found: apt-get install -y chromium"
    if not (NODE_MODULES / "adaptivecards").is_dir():
        return "tools/node/node_modules is missing: npm ci --prefix tools/node"
    return None


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Browser:
    context: BrowserContext
    blocked: list[str] = field(default_factory=list)


@contextmanager
def chromium(viewport: tuple[int, int] = (1280, 900)) -> Iterator[Browser]:
    """A fresh Chromium profile, with every outside request blocked; closed and deleted afterwards."""
    profile = tempfile.mkdtemp(prefix="stagecoach-chromium-")
    try:
        with sync_playwright() as playwright:
            browser = _launch(playwright, profile, viewport)
            try:
                yield browser
            finally:
                browser.context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _launch(playwright: Playwright, profile: str, viewport: tuple[int, int]) -> Browser:
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]},
        service_workers="block",
        locale="en-US",
        timezone_id="UTC",
    )
    browser = Browser(context)

    def guard(route: Route) -> None:
        if is_local(route.request.url):
            route.fallback()
        else:
            browser.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def close_socket(socket: WebSocketRoute) -> None:
        browser.blocked.append(socket.url)
        socket.close()

    context.route("**/*", guard)
    context.route_web_socket(_OUTSIDE_WEBSOCKET, close_socket)
    return browser
