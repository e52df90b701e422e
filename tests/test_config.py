"""Settings: names as in the Bot Framework samples, .env support, clear errors for wrong values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_are_local_and_unauthenticated() -> None:
    settings = load_settings({}, None)
    assert settings.host == "127.0.0.1" and settings.port == 3978 and not settings.authenticated
    assert settings.state_store == "sqlite:///data/state.db" and settings.state_ttl_seconds == 30 * 86400


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nMicrosoftAppId="abc"\nPORT=4000\n', encoding="utf-8")
    settings = load_settings({"PORT": "5000"}, env_file)
    assert settings.APP_ID == "abc" and settings.port == 5000


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "http"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"STATE_TTL_DAYS": "0"}, "STATE_TTL_DAYS must be 1 or more"),
        ({"MAX_BODY_BYTES": "-5"}, "MAX_BODY_BYTES must be 1 or more"),
        ({"HOST": "0.0.0.0"}, "ALLOW_UNAUTHENTICATED_PUBLIC"),
    ],
)
def test_wrong_settings_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ, None)


def test_wrong_state_store_stops_start_up() -> None:
    from app import create_app

    with pytest.raises(ValueError, match="STATE_STORE"):
        create_app(load_settings({"STATE_STORE": "redis://x"}, None))
