"""SQLite storage: one local file, for a single bot instance or a few processes on one host.

The stdlib ``sqlite3`` runs on one dedicated worker thread, so the event loop never blocks and
each operation (a whole transaction) runs without interleaving with the other operations of this
instance. Other processes and instances on the same file are handled by WAL mode, ``BEGIN
IMMEDIATE`` and the busy timeout; the etag checks are done inside the SQL statements.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from bot.storage.base import (
    PreparedWrite,
    StateStorage,
    StorageError,
    StorageUnavailableError,
    WriteCondition,
    closed_error,
    decode_item,
    new_etag,
    prepare_writes,
    raise_for_conflicts,
    validate_keys,
)

DEFAULT_TTL_SECONDS = 30 * 86400
PURGE_INTERVAL_SECONDS = 3600.0
# Well under SQLite's limit on bound parameters in one statement.
_KEYS_PER_SELECT = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state_items (
    key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    data TEXT NOT NULL,        -- JSON object, without the e_tag
    updated_at REAL NOT NULL   -- unix seconds of the last write
);
CREATE INDEX IF NOT EXISTS state_items_updated_at ON state_items (updated_at);
"""

_UPSERT = """
INSERT INTO state_items (key, etag, data, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
    etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at
"""
# An expired row counts as missing, so create-only may replace it.
_INSERT_IF_MISSING = _UPSERT + " WHERE state_items.updated_at <= ?"
_UPDATE_IF_MATCH = """
UPDATE state_items SET etag = ?, data = ?, updated_at = ?
WHERE key = ? AND etag = ? AND updated_at > ?
"""

T = TypeVar("T")


class SqliteStorage(StateStorage):
    """State in one SQLite table; items not written for ``ttl_seconds`` are treated as missing and purged.

    ``ttl_seconds=None`` keeps items forever. ``clock`` (unix seconds) exists so tests can move time.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        ttl_seconds: float | None = DEFAULT_TTL_SECONDS,
        *,
        busy_timeout_seconds: float = 5.0,
        ping_timeout_seconds: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if ttl_seconds is not None and ttl_seconds <= 0:
            raise ValueError(f"ttl_seconds must be positive or None, got {ttl_seconds!r}")
        self.path = Path(path)
        self.ttl_seconds = ttl_seconds
        self._busy_timeout_seconds = busy_timeout_seconds
        self._ping_timeout_seconds = ping_timeout_seconds
        self._clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-state")
        # Touched only on the worker thread.
        self._connection: sqlite3.Connection | None = None
        self._last_purge_at: float | None = None
        self._closed = False

    async def read(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        key_list = validate_keys(keys)
        if not key_list:
            return {}
        return await self._run(self._read_sync, key_list)

    async def write(self, changes: Mapping[str, Any]) -> None:
        writes = prepare_writes(changes)
        if not writes:
            return
        raise_for_conflicts(await self._run(self._write_sync, writes))

    async def delete(self, keys: Iterable[str]) -> None:
        key_list = validate_keys(keys)
        if key_list:
            await self._run(self._delete_sync, key_list)

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(self._ping_timeout_seconds):
                await self._run(self._ping_sync)
        except Exception:  # readiness probe: any failure just means "not ready"
            return False
        return True

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            # Queued after any pending operation, which therefore still completes.
            await loop.run_in_executor(self._executor, self._close_sync)
        finally:
            self._executor.shutdown(wait=False)

    async def _run(self, operation: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise closed_error(f"SqliteStorage({self.path})")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, functools.partial(operation, *args))
        except sqlite3.OperationalError as exc:  # locked, busy, I/O error, cannot open
            raise StorageUnavailableError(f"SQLite state store {self.path} is unavailable: {exc}") from exc
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite state store {self.path} failed: {exc}") from exc
        except OSError as exc:  # creating the parent directory
            raise StorageUnavailableError(f"SQLite state store {self.path} is unavailable: {exc}") from exc

    # Everything below runs on the worker thread.

    def _read_sync(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        connection = self._open_connection()
        now = self._clock()
        self._purge_if_due(connection, now)
        found: dict[str, dict[str, Any]] = {}
        unique_keys = list(dict.fromkeys(keys))
        for start in range(0, len(unique_keys), _KEYS_PER_SELECT):
            chunk = unique_keys[start : start + _KEYS_PER_SELECT]
            placeholders = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT key, etag, data FROM state_items WHERE key IN ({placeholders}) AND updated_at > ?",
                [*chunk, self._expiry_cutoff(now)],
            )
            for key, etag, data in rows:
                found[key] = decode_item(key, data, etag)
        return found

    def _write_sync(self, writes: list[PreparedWrite]) -> list[str]:
        connection = self._open_connection()
        now = self._clock()
        self._purge_if_due(connection, now)
        conflicting_keys: list[str] = []
        with _immediate_transaction(connection):
            for change in writes:
                if not self._apply_write(connection, change, now):
                    conflicting_keys.append(change.key)
        return conflicting_keys

    def _apply_write(self, connection: sqlite3.Connection, change: PreparedWrite, now: float) -> bool:
        """Write one key; False when its etag condition does not hold."""
        etag = new_etag()
        cutoff = self._expiry_cutoff(now)
        if change.condition is WriteCondition.ANY:
            connection.execute(_UPSERT, (change.key, etag, change.data, now))
            return True
        if change.condition is WriteCondition.CREATE_ONLY:
            cursor = connection.execute(_INSERT_IF_MISSING, (change.key, etag, change.data, now, cutoff))
        else:
            cursor = connection.execute(
                _UPDATE_IF_MATCH, (etag, change.data, now, change.key, change.expected_etag, cutoff)
            )
        return cursor.rowcount == 1

    def _delete_sync(self, keys: list[str]) -> None:
        connection = self._open_connection()
        with _immediate_transaction(connection):
            connection.executemany("DELETE FROM state_items WHERE key = ?", [(key,) for key in keys])

    def _ping_sync(self) -> None:
        self._open_connection().execute("SELECT 1 FROM state_items LIMIT 1").fetchall()

    def _close_sync(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open_connection(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; writes use explicit BEGIN IMMEDIATE.
        connection = sqlite3.connect(self.path, timeout=self._busy_timeout_seconds, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last few turns.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            self._purge(connection, self._clock())
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _purge_if_due(self, connection: sqlite3.Connection, now: float) -> None:
        if self._last_purge_at is None or now - self._last_purge_at >= PURGE_INTERVAL_SECONDS:
            self._purge(connection, now)

    def _purge(self, connection: sqlite3.Connection, now: float) -> None:
        if self.ttl_seconds is not None:
            connection.execute("DELETE FROM state_items WHERE updated_at <= ?", (self._expiry_cutoff(now),))
        self._last_purge_at = now

    def _expiry_cutoff(self, now: float) -> float:
        """Rows last written at or before this time are expired."""
        return float("-inf") if self.ttl_seconds is None else now - self.ttl_seconds


@contextmanager
def _immediate_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so the busy timeout applies instead of a
    # deadlock-prone lock upgrade halfway through the transaction.
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            # Keep the original error; a failed rollback leaves nothing more to undo.
            with suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise
