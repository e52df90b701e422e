"""tools/localhost.py: the child-process helpers the tests, tools and benchmarks share."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.config import load_settings
from tools.localhost import BOT_SETTINGS, environment_without_bot_settings, free_port, http_status


def test_a_developers_bot_settings_reach_no_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-000000000001")
    monkeypatch.setenv("STATE_STORE", "azureblob://theirs")
    monkeypatch.setenv("UNRELATED", "kept")
    env_file = tmp_path / ".env"  # as a child started in a developer's checkout would find it
    env_file.write_text("MicrosoftAppId=from-dot-env\nLOG_MESSAGE_TEXT=true\nHOST=0.0.0.0\n")
    env = environment_without_bot_settings()
    assert env["UNRELATED"] == "kept"
    assert all(env[name] == "" for name in BOT_SETTINGS)
    settings = load_settings(env, env_file)
    assert not settings.authenticated and not settings.log_message_text
    assert settings.host == "127.0.0.1" and settings.state_store.startswith("sqlite")


def test_free_port_is_free_on_loopback() -> None:
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_http_status_of_nothing_listening_is_none() -> None:
    assert http_status(f"http://127.0.0.1:{free_port()}/healthz", timeout=0.5) is None
