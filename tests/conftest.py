"""Shared fixtures: the knowledge base, a fake channel, and the real app over HTTP with memory storage."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.config import Settings
from bot.storage import MemoryStorage
from knowledge.index import KnowledgeIndex, build_index
from knowledge.loader import default_knowledge
from knowledge.model import KnowledgeBase
from tests.fake_channel import ChatClient, FakeChannel
from tests.fake_identity import instance_metadata_guard  # noqa: F401  (autouse: never 169.254.169.254)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge()


@pytest.fixture(scope="session")
def ix(kb: KnowledgeBase) -> KnowledgeIndex:
    return build_index(kb)


@pytest.fixture
async def channel() -> AsyncIterator[FakeChannel]:
    fake = await FakeChannel().start()
    yield fake
    await fake.close()


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
async def client(storage: MemoryStorage) -> AsyncIterator[Any]:
    app = create_app(Settings(), storage=storage)
    test_client = TestClient(TestServer(app, host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()


@pytest.fixture
def chat(client: Any, channel: FakeChannel) -> ChatClient:
    return ChatClient(client, channel)
