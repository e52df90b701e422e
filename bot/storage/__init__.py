"""Conversation-state storage behind botbuilder's ``Storage`` interface (memory, SQLite, Azure Blob)."""

from __future__ import annotations

from bot.storage.azure_blob import AzureBlobStorage
from bot.storage.base import (
    StateStorage,
    StorageConflictError,
    StorageError,
    StorageUnavailableError,
    UnreadableItemError,
)
from bot.storage.factory import (
    AZURE_CONNECTION_STRING_SETTING,
    DEFAULT_STATE_STORE,
    STATE_STORE_SETTING,
    create_storage,
)
from bot.storage.memory import MemoryStorage
from bot.storage.sqlite import DEFAULT_TTL_SECONDS, SqliteStorage

__all__ = [
    "AZURE_CONNECTION_STRING_SETTING",
    "DEFAULT_STATE_STORE",
    "DEFAULT_TTL_SECONDS",
    "STATE_STORE_SETTING",
    "AzureBlobStorage",
    "MemoryStorage",
    "SqliteStorage",
    "StateStorage",
    "StorageConflictError",
    "StorageError",
    "StorageUnavailableError",
    "UnreadableItemError",
    "create_storage",
]
