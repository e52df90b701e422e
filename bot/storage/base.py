"""Shared contract of the conversation-state backends: errors, etag rules and JSON encoding.

Every backend implements botbuilder's ``Storage`` with the same semantics:

* ``read(keys)`` returns only the keys that exist; each value is a fresh dict whose ``"e_tag"``
  is the item's current etag (a new value after every write).
* ``write(changes)`` decides per key from the value's ``"e_tag"``: absent, ``None`` or ``"*"``
  overwrites unconditionally, ``""`` creates only if the key is missing, any other string
  overwrites only if it equals the stored etag. Keys are independent (atomic per key, not
  across keys): every key is attempted, then one ``StorageConflictError`` names the keys
  that lost. Values must be JSON objects; a bad key or value raises ``TypeError`` or
  ``ValueError`` before anything is written. The caller's dicts are never modified.
* ``delete(keys)`` ignores keys that do not exist.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any, Self

from botbuilder.core import Storage

ETAG_FIELD = "e_tag"
ANY_ETAG = "*"
CREATE_ONLY_ETAG = ""


class StorageError(Exception):
    """Base class of every error raised by the state storage backends."""


class UnreadableItemError(StorageError):
    """A stored item that is not a JSON object (damaged, or written by something else). Its etag is
    kept, so that a write conditional on it can replace the item without racing another writer."""

    def __init__(self, key: str, etag: str, problem: str) -> None:
        super().__init__(f"stored state for key {key!r} {problem}")
        self.key = key
        self.etag = etag


class StorageConflictError(StorageError):
    """A write lost the optimistic-concurrency check (stale etag, or create-only on an existing key)."""

    def __init__(self, message: str, *, keys: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.keys: tuple[str, ...] = tuple(keys)

    @classmethod
    def for_keys(cls, keys: Iterable[str]) -> StorageConflictError:
        conflicting = tuple(keys)
        listed = ", ".join(repr(key) for key in conflicting)
        return cls(f"etag conflict (changed or deleted since read, or created already): {listed}", keys=conflicting)


class StorageUnavailableError(StorageError):
    """The backend could not be reached or did not answer in time; retry later.

    After a timed-out ``write`` the outcome is unknown (the service may still apply it); an
    etag-conditional retry then fails with ``StorageConflictError`` if it was applied.
    """


class StateStorage(Storage, ABC):
    """A botbuilder ``Storage`` that can also report readiness and release its resources."""

    @abstractmethod
    async def read(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]: ...

    @abstractmethod
    async def write(self, changes: Mapping[str, Any]) -> None: ...

    @abstractmethod
    async def delete(self, keys: Iterable[str]) -> None: ...

    @abstractmethod
    async def ping(self) -> bool:
        """True when the backend answers within a short timeout; never raises."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections; idempotent. Later operations raise ``StorageError``."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class WriteCondition(Enum):
    ANY = "any"
    CREATE_ONLY = "create_only"
    IF_MATCH = "if_match"


@dataclass(frozen=True, slots=True)
class PreparedWrite:
    """One key of a ``write`` call, validated and serialized before any backend work starts."""

    key: str
    data: str  # JSON text of the value without its "e_tag"
    condition: WriteCondition
    expected_etag: str | None  # set only for WriteCondition.IF_MATCH


def new_etag() -> str:
    return uuid.uuid4().hex


def validate_keys(keys: Iterable[str]) -> list[str]:
    # botbuilder passes a set to delete(), so accept any iterable but reject a bare string,
    # which would otherwise be read as one key per character.
    if isinstance(keys, str | bytes):
        raise TypeError("keys must be an iterable of strings, not a single string")
    key_list = list(keys)
    for key in key_list:
        if not isinstance(key, str) or not key:
            raise ValueError(f"storage keys must be non-empty strings, got {key!r}")
        if not key.isascii():
            _check_encodable(key)
    return key_list


def _check_encodable(key: str) -> None:
    # Lone surrogates cannot be stored by SQLite or put in a blob name; refuse them everywhere alike.
    try:
        key.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"storage key {key!r} is not valid Unicode text") from exc


def prepare_writes(changes: Mapping[str, Any]) -> list[PreparedWrite]:
    """Validate and serialize every change up front, so a bad value means nothing is written."""
    if changes is None:
        raise TypeError("changes must be a mapping of key to dict, not None")
    validate_keys(changes.keys())
    return [_prepare_write(key, value) for key, value in changes.items()]


def _prepare_write(key: str, value: Any) -> PreparedWrite:
    if not isinstance(value, Mapping):
        raise TypeError(f"state for key {key!r} must be a dict, got {type(value).__name__}")
    etag = value.get(ETAG_FIELD)
    if etag is not None and not isinstance(etag, str):
        raise TypeError(f"e_tag for key {key!r} must be a string, got {type(etag).__name__}")
    payload = {field: item for field, item in value.items() if field != ETAG_FIELD}
    data = encode_json(key, payload)
    if etag is None or etag == ANY_ETAG:
        return PreparedWrite(key, data, WriteCondition.ANY, None)
    if etag == CREATE_ONLY_ETAG:
        return PreparedWrite(key, data, WriteCondition.CREATE_ONLY, None)
    return PreparedWrite(key, data, WriteCondition.IF_MATCH, etag)


def encode_json(key: str, payload: Mapping[str, Any]) -> str:
    try:
        # allow_nan=False: NaN/Infinity are not JSON, and other readers of the store would choke.
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"state for key {key!r} is not JSON-serializable: {exc}") from exc


def decode_item(key: str, data: str | bytes, etag: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError as exc:  # UnicodeDecodeError included
        raise UnreadableItemError(key, etag, "is not valid JSON") from exc
    if not isinstance(value, dict):
        raise UnreadableItemError(key, etag, "is not a JSON object")
    value[ETAG_FIELD] = etag
    return value


def raise_for_conflicts(conflicting_keys: list[str]) -> None:
    if conflicting_keys:
        raise StorageConflictError.for_keys(conflicting_keys)


def closed_error(backend: str) -> StorageError:
    return StorageError(f"{backend} is closed")
