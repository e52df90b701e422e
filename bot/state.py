"""Per-user conversation state: read, run the pure turn logic, write back with optimistic concurrency.

Each user has their own state in each conversation, so two sellers in one channel never share a check.
Turns for one key are serialised in this process; across processes the storage's etag decides, and
the loser re-runs its turn on the fresh state (a double-click answers once, never twice or lost).

The stored item is {"state": ..., "activity_ids": [...]}: beside the state, the ids of the last
MAX_ACTIVITY_IDS activities that changed it. Channels redeliver an activity when a turn is slow; one
whose id is listed was applied already, so it is acknowledged and not applied again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from bot.storage import StateStorage, StorageConflictError, UnreadableItemError

T = TypeVar("T")
log = logging.getLogger("stagecoach.state")
MAX_ATTEMPTS = 4
MAX_ACTIVITY_IDS = 20  # redeliveries come within seconds; 20 turns back is plenty
MAX_STORED_ID_CHARS = 128  # longer ids are stored as a hash


class AlreadyApplied(Exception):
    """This activity (same id) already changed this conversation's state: a redelivery."""


@dataclass
class StoredConversation:
    state: dict[str, Any] | None
    etag: str  # "" means "not stored yet" (a create-only write)
    activity_ids: list[str] = field(default_factory=list)  # oldest first

    def item(self, state: dict[str, Any] | None, activity_ids: list[str]) -> dict[str, Any]:
        """The storage item replacing this one (conditional on its etag)."""
        item: dict[str, Any] = {"state": state, "e_tag": self.etag}
        if activity_ids:
            item["activity_ids"] = activity_ids[-MAX_ACTIVITY_IDS:]
        return item


def stored_activity_id(activity_id: str | None) -> str | None:
    """How an activity id is kept (None: the activity has no id, so it cannot be recognised again)."""
    if not activity_id:
        return None
    if len(activity_id) <= MAX_STORED_ID_CHARS:
        return activity_id
    return "sha256:" + hashlib.sha256(activity_id.encode("utf-8", "replace")).hexdigest()


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
        """(state, etag); etag "" means "not stored yet" (a create-only write)."""
        stored = await self.read_item(key)
        return stored.state, stored.etag

    async def read_item(self, key: str) -> StoredConversation:
        """The stored state, its etag and the ids of the activities applied last.

        A stored item that cannot be read at all counts as no state, with its etag: the turn starts
        afresh and its write replaces the item (unless another writer got there first). Refusing every
        turn instead would lock the user out until the item expires.
        """
        try:
            items = await self.storage.read([key])
        except UnreadableItemError as error:
            log.error("stored state unreadable, starting afresh", extra={"conversation": key_hash(key)})
            return StoredConversation(None, error.etag)
        item = items.get(key)
        if not item:
            return StoredConversation(None, "")
        state = item.get("state")
        ids = item.get("activity_ids")
        return StoredConversation(
            state if isinstance(state, dict) else None,
            str(item.get("e_tag") or ""),
            [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else [],
        )

    async def write(self, key: str, state: dict[str, Any], etag: str) -> None:
        await self.storage.write({key: {"state": state, "e_tag": etag}})

    async def update(
        self,
        key: str,
        turn: Callable[[dict[str, Any] | None], tuple[dict[str, Any], T]],
        activity_id: str | None = None,
    ) -> T:
        """Run turn(state) -> (new state, result) and store the new state; retried on a write conflict.

        Raises AlreadyApplied, without running the turn, when activity_id is among the ids stored with
        the state. The id is stored with a turn that changes the state (one that changes nothing
        needs no protection from being run twice).
        """
        stored_id = stored_activity_id(activity_id)
        async with self._lock(key):
            for attempt in range(MAX_ATTEMPTS):
                stored = await self.read_item(key)
                if stored_id is not None and stored_id in stored.activity_ids:
                    raise AlreadyApplied(activity_id)
                new_state, result = turn(stored.state)
                try:
                    if new_state != stored.state:
                        ids = [*stored.activity_ids, stored_id] if stored_id else stored.activity_ids
                        await self.storage.write({key: stored.item(new_state, ids)})
                    return result
                except StorageConflictError:
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
                    await asyncio.sleep(0.01 * (attempt + 1))
            raise AssertionError("unreachable")

    async def restore(
        self, key: str, state: dict[str, Any] | None, written: dict[str, Any], activity_id: str | None = None
    ) -> bool:
        """Put back the state from before a turn whose replies could not be sent; True if it was put back.

        Only while the stored state is still the one that turn wrote (``written``): once a later turn,
        here or on another instance, has built on it and told its user so, rolling back would silently
        drop that turn's answer. The write is conditional on the etag just read, for the same reason.
        The turn's activity id goes too, so that the channel's redelivery of it is applied.
        """
        if _as_stored(written) == _as_stored(state):
            return False  # the turn changed nothing
        stored_id = stored_activity_id(activity_id)
        async with self._lock(key):
            current = await self.read_item(key)
            if not current.etag or _as_stored(current.state) != _as_stored(written):
                return False
            try:
                # A null state rather than a delete: delete cannot be made conditional on the etag.
                await self.storage.write(
                    {key: current.item(state, [i for i in current.activity_ids if i != stored_id])}
                )
            except StorageConflictError:
                return False  # another instance wrote in between: its turn stands
        return True


def _as_stored(state: Any) -> Any:
    """state as it reads back from storage (tuples become lists), so the two compare equal."""
    return json.loads(json.dumps(state))
