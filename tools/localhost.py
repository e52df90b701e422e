"""What the tests, the end-to-end tools and the benchmarks need to run StageCoach and its helpers as
child processes on 127.0.0.1: a free port, the status of a GET, and an environment without the
developer's own bot settings."""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.request

# Settings a developer's shell or .env file may hold that would change what a child bot does: make it
# authenticate, store state elsewhere, listen elsewhere or log message text.
BOT_SETTINGS = (
    "HOST",
    "PORT",
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "ALLOW_UNAUTHENTICATED_PUBLIC",
    "STATE_STORE",
    "AZURE_STORAGE_CONNECTION_STRING",
    "STATE_TTL_DAYS",
    "LOG_MESSAGE_TEXT",
    "MAX_BODY_BYTES",
    "BOTFRAMEWORK_OPENID_METADATA_URL",
)

# Never through a proxy from the environment: everything asked is on 127.0.0.1.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_status(url: str, timeout: float = 1.0) -> int | None:
    """The HTTP status of a GET, or None when nothing answered in time."""
    try:
        with _DIRECT.open(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (OSError, ValueError):  # refused, reset, timed out
        return None


def environment_without_bot_settings() -> dict[str, str]:
    """This process's environment with every bot setting empty: empty, not absent, because the
    environment wins over a .env file in the child's working directory, and empty means the default."""
    env = {name: value for name, value in os.environ.items() if name not in BOT_SETTINGS}
    env.update(dict.fromkeys(BOT_SETTINGS, ""))
    return env
