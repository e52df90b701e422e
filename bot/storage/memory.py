"""In-process storage for unit tests, with exactly the semantics of the persistent backends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from bot.storage.base import (
    StateStorage,
    WriteCondition,
    closed_error,
    decode_item,
    new_etag,
    prepare_writes,
    raise_for_conflicts,
    validate_keys,
)


class _StoredItem(NamedTuple):
    etag: str
    data: str  # JSON text: storing text gives deep copies and the same type rules as the other backends


class MemoryStorage(StateStorage):
    def __init__(self) -> None:
        self._items: dict[str, _StoredItem] = {}
        self._closed = False

    async def read(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        self._check_open()
        found: dict[str, dict[str, Any]] = {}
        for key in validate_keys(keys):
            item = self._items.get(key)
            if item is not None:
                found[key] = decode_item(key, item.data, item.etag)
        return found

    async def write(self, changes: Mapping[str, Any]) -> None:
        self._check_open()
        # No await below: each write runs to completion without interleaving, so it is atomic.
        conflicting_keys: list[str] = []
        for change in prepare_writes(changes):
            current = self._items.get(change.key)
            if change.condition is WriteCondition.CREATE_ONLY and current is not None:
                conflicting_keys.append(change.key)
                continue
            if change.condition is WriteCondition.IF_MATCH and (
                current is None or current.etag != change.expected_etag
            ):
                conflicting_keys.append(change.key)
                continue
            self._items[change.key] = _StoredItem(new_etag(), change.data)
        raise_for_conflicts(conflicting_keys)

    async def delete(self, keys: Iterable[str]) -> None:
        self._check_open()
        for key in validate_keys(keys):
            self._items.pop(key, None)

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise closed_error("MemoryStorage")
