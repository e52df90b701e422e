"""Per-user conversation state: read, run the pure turn logic, write back with optimistic concurrency.

Each user has their own state in each conversation, so two sellers in one channel never share a check.
Turns for one key are serialised in this process; across processes the storage's etag decides, and
the loser re-runs its turn on the fresh state (a double-click answers once, never twice or lost).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from bot.storage import StateStorage, StorageConflictError, UnreadableItemError

T = TypeVar("T")
log = logging.getLogger("stagecoach.state")
MAX_ATTEMPTS = 4


def state_key(channel_id: str, conversation_id: str, user_id: str) -> str:
    """Storage key for one user in one conversation; ids are quoted so no id can escape its slot."""
    parts = (
        quote(channel_id or "-", safe=""),
        quote(conversation_id or "-", safe=""),
        quote(user_id or "-", safe=""),
    )
    return "{}/conversations/{}/users/{}".format(*parts)


def key_hash(key: str) -> str:
    """A short stable id for logs: which conversation, without saying whose."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class ConversationStates:
    def __init__(self, storage: StateStorage) -> None:
        self.storage = storage
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            if len(self._locks) > 10_000:  # drop idle locks; a lock in use is referenced by its waiter
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def read(self, key: str) -> tuple[dict[str, Any] | None, str]:
        """(state, etag); etag "" means "not stored yet" (a create-only write).

        A stored item that cannot be read at all counts as no state, with its etag: the turn starts
        afresh and its write replaces the item (unless another writer got there first). Refusing every
        turn instead would lock the user out until the item expires.
        """
        try:
            items = await self.storage.read([key])
        except UnreadableItemError as error:
            log.error("stored state unreadable, starting afresh", extra={"conversation": key_hash(key)})
            return None, error.etag
        item = items.get(key)
        if not item:
            return None, ""
        return item.get("state"), str(item.get("e_tag") or "")

    async def write(self, key: str, state: dict[str, Any], etag: str) -> None:
        await self.storage.write({key: {"state": state, "e_tag": etag}})

    async def update(self, key: str, turn: Callable[[dict[str, Any] | None], tuple[dict[str, Any], T]]) -> T:
        """Run turn(state) -> (new state, result) and store the new state; retried on a write conflict."""
        async with self._lock(key):
            for attempt in range(MAX_ATTEMPTS):
                state, etag = await self.read(key)
                new_state, result = turn(state)
                try:
                    if new_state != state:
                        await self.write(key, new_state, etag)
                    return result
                except StorageConflictError:
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
                    await asyncio.sleep(0.01 * (attempt + 1))
            raise AssertionError("unreachable")

    async def restore(self, key: str, state: dict[str, Any] | None, written: dict[str, Any]) -> bool:
        """Put back the state from before a turn whose replies could not be sent; True if it was put back.

        Only while the stored state is still the one that turn wrote (``written``): once a later turn,
        here or on another instance, has built on it and told its user so, rolling back would silently
        drop that turn's answer. The write is conditional on the etag just read, for the same reason.
        """
        if _as_stored(written) == _as_stored(state):
            return False  # the turn changed nothing
        async with self._lock(key):
            current, etag = await self.read(key)
            if not etag or _as_stored(current) != _as_stored(written):
                return False
            try:
                # A null state rather than a delete: delete cannot be made conditional on the etag.
                await self.storage.write({key: {"state": state, "e_tag": etag}})
            except StorageConflictError:
                return False  # another instance wrote in between: its turn stands
        return True


def _as_stored(state: Any) -> Any:
    """state as it reads back from storage (tuples become lists), so the two compare equal."""
    return json.loads(json.dumps(state))
