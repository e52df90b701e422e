"""One contract suite run against every state-storage backend, then backend-specific tests."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from azure.storage.blob.aio import ContainerClient
from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount
from hypothesis import given
from hypothesis import strategies as st

from bot.storage import (
    AzureBlobStorage,
    MemoryStorage,
    SqliteStorage,
    StateStorage,
    StorageConflictError,
    StorageError,
    StorageUnavailableError,
    UnreadableItemError,
    create_storage,
)
from bot.storage.azure_blob import HASHED_NAME_PREFIX, MAX_BLOB_NAME_LENGTH, blob_name_for_key
from bot.storage.sqlite import PURGE_INTERVAL_SECONDS
from tests.azurite import ACCOUNT_KEY, AzuriteError, AzuriteServer, azurite  # noqa: F401

BACKENDS = ["memory", "sqlite", pytest.param("azureblob", marks=pytest.mark.azurite)]

ODD_KEYS = [
    "msteams/conversations/19:abc@thread.tacv2/",
    "/leading/slash",
    "ünïcödé/键/🙂",
    "spaces and ?query=1&x#frag",
    "percent%2Fliteral",
    "percent/literal",  # must not collide with the encoded form above
    "trailing.dot.",
    "..",
    "back\\slash",
]


def unique_container() -> str:
    return f"state-{uuid.uuid4().hex[:16]}"


@pytest.fixture(params=BACKENDS)
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StateStorage]:
    store: StateStorage
    if request.param == "memory":
        store = MemoryStorage()
    elif request.param == "sqlite":
        store = SqliteStorage(tmp_path / "nested" / "state.db")
    else:
        # Requested lazily, so memory and sqlite runs (or -m "not azurite") never start Azurite.
        server: AzuriteServer = request.getfixturevalue("azurite")
        store = AzureBlobStorage(server.connection_string, unique_container())
    try:
        yield store
    finally:
        await store.close()


def without_etag(value: dict[str, Any]) -> dict[str, Any]:
    return {field: item for field, item in value.items() if field != "e_tag"}


async def read_one(storage: StateStorage, key: str) -> dict[str, Any]:
    return (await storage.read([key]))[key]


# The contract every backend honours.


async def test_read_of_missing_keys_returns_nothing(storage: StateStorage) -> None:
    assert await storage.read(["nope", "also-nope"]) == {}
    assert await storage.read([]) == {}


async def test_write_then_read_round_trips_with_an_etag(storage: StateStorage) -> None:
    value = {"turns": 3, "name": "Ada", "nested": {"list": [1, 2.5, None, True, "x"]}}
    await storage.write({"conv/1": value})

    stored = await read_one(storage, "conv/1")

    assert without_etag(stored) == value
    assert isinstance(stored["e_tag"], str)
    assert stored["e_tag"]


async def test_read_returns_only_existing_keys(storage: StateStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})

    found = await storage.read(["a", "missing", "b"])

    assert set(found) == {"a", "b"}
    assert found["b"]["v"] == 2


async def test_delete_removes_and_ignores_missing_keys(storage: StateStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 2}})

    await storage.delete(["a", "never-written"])
    await storage.delete({"a"})  # botbuilder's BotState passes a set

    assert set(await storage.read(["a", "b"])) == {"b"}


async def test_large_value_round_trips(storage: StateStorage) -> None:
    # 1 MB, just under aiohttp's 1 MiB threshold for its "large raw body" ResourceWarning.
    value = {"blob": "x" * 1_000_000, "tail": "é" * 1000}
    await storage.write({"big": value})

    assert without_etag(await read_one(storage, "big")) == value


async def test_unicode_and_slash_keys_round_trip_independently(storage: StateStorage) -> None:
    await storage.write({key: {"key": key} for key in ODD_KEYS})

    found = await storage.read(ODD_KEYS)

    assert {key: value["key"] for key, value in found.items()} == {key: key for key in ODD_KEYS}
    await storage.delete([ODD_KEYS[0]])
    assert set(await storage.read(ODD_KEYS)) == set(ODD_KEYS[1:])


async def test_etag_changes_on_every_write_even_with_the_same_value(storage: StateStorage) -> None:
    etags = set()
    for _ in range(3):
        await storage.write({"k": {"v": 1}})
        etags.add((await read_one(storage, "k"))["e_tag"])

    assert len(etags) == 3


async def test_write_with_the_current_etag_succeeds(storage: StateStorage) -> None:
    await storage.write({"k": {"v": 1}})
    current = await read_one(storage, "k")

    await storage.write({"k": {**current, "v": 2}})

    assert (await read_one(storage, "k"))["v"] == 2


async def test_stale_write_is_refused(storage: StateStorage) -> None:
    await storage.write({"k": {"v": 1}})
    stale = await read_one(storage, "k")
    await storage.write({"k": {**stale, "v": 2}})

    with pytest.raises(StorageConflictError) as raised:
        await storage.write({"k": {**stale, "v": 3}})

    assert raised.value.keys == ("k",)
    assert (await read_one(storage, "k"))["v"] == 2


async def test_star_or_absent_etag_overwrites_unconditionally(storage: StateStorage) -> None:
    await storage.write({"k": {"v": 1}})
    await storage.write({"k": {"v": 2, "e_tag": "*"}})
    assert (await read_one(storage, "k"))["v"] == 2

    await storage.write({"k": {"v": 3}})
    assert (await read_one(storage, "k"))["v"] == 3


async def test_create_only_write_refuses_an_existing_key(storage: StateStorage) -> None:
    await storage.write({"new": {"v": 1, "e_tag": ""}})
    assert (await read_one(storage, "new"))["v"] == 1

    with pytest.raises(StorageConflictError):
        await storage.write({"new": {"v": 2, "e_tag": ""}})

    assert (await read_one(storage, "new"))["v"] == 1


async def test_conditional_write_of_a_deleted_key_conflicts(storage: StateStorage) -> None:
    await storage.write({"k": {"v": 1}})
    read_before_delete = await read_one(storage, "k")
    await storage.delete(["k"])

    with pytest.raises(StorageConflictError):
        await storage.write({"k": read_before_delete})

    assert await storage.read(["k"]) == {}


async def test_conflict_on_one_key_still_writes_the_others(storage: StateStorage) -> None:
    await storage.write({"taken": {"v": 1}})

    with pytest.raises(StorageConflictError) as raised:
        await storage.write({"free": {"v": 1}, "taken": {"v": 2, "e_tag": ""}})

    assert raised.value.keys == ("taken",)
    assert (await read_one(storage, "free"))["v"] == 1
    assert (await read_one(storage, "taken"))["v"] == 1


async def test_concurrent_read_modify_write_with_retry_counts_exactly(storage: StateStorage) -> None:
    await storage.write({"counter": {"count": 0}})

    async def increment() -> None:
        while True:
            current = await read_one(storage, "counter")
            try:
                await storage.write({"counter": {**current, "count": current["count"] + 1}})
                return
            except StorageConflictError:
                await asyncio.sleep(0)

    await asyncio.gather(*(increment() for _ in range(20)))

    assert (await read_one(storage, "counter"))["count"] == 20


async def test_two_concurrent_stale_writers_exactly_one_wins(storage: StateStorage) -> None:
    await storage.write({"k": {"writer": None}})
    snapshot = await read_one(storage, "k")

    results = await asyncio.gather(
        storage.write({"k": {**snapshot, "writer": "first"}}),
        storage.write({"k": {**snapshot, "writer": "second"}}),
        return_exceptions=True,
    )

    conflicts = [result for result in results if isinstance(result, StorageConflictError)]
    winners = [name for name, result in zip(["first", "second"], results, strict=True) if result is None]
    assert len(conflicts) == 1
    assert len(winners) == 1
    assert (await read_one(storage, "k"))["writer"] == winners[0]


async def test_callers_dicts_are_never_mutated_or_shared(storage: StateStorage) -> None:
    value = {"list": [1], "e_tag": "*"}
    await storage.write({"k": value})
    assert value == {"list": [1], "e_tag": "*"}

    first_read = await read_one(storage, "k")
    first_read["list"].append(2)
    first_read["extra"] = True

    assert without_etag(await read_one(storage, "k")) == {"list": [1]}
    written = {"list": [1]}
    await storage.write({"k2": written})
    written["list"].append(99)
    assert (await read_one(storage, "k2"))["list"] == [1]


async def test_invalid_values_and_keys_are_rejected_before_anything_is_written(storage: StateStorage) -> None:
    with pytest.raises(TypeError):
        await storage.write({"ok": {"v": 1}, "bad": {"v": object()}})
    with pytest.raises(TypeError):
        await storage.write({"not-a-dict": ["v"]})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        await storage.write({"nan": {"v": float("nan")}})
    with pytest.raises(ValueError):
        await storage.read([""])

    assert await storage.read(["ok", "bad", "not-a-dict", "nan"]) == {}


async def damage(storage: StateStorage, key: str, raw: bytes) -> None:
    """Overwrite key's stored bytes behind the backend's back, as a disk fault or another program might."""
    if isinstance(storage, MemoryStorage):
        storage._items[key] = storage._items[key]._replace(data=raw.decode("utf-8", "replace"))
    elif isinstance(storage, SqliteStorage):
        with closing(sqlite3.connect(storage.path)) as db, db:
            db.execute("UPDATE state_items SET data = ? WHERE key = ?", (raw, key))
    else:
        await storage._container.get_blob_client(blob_name_for_key(key)).upload_blob(raw, overwrite=True)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe broken utf-8"])
async def test_an_unreadable_item_is_reported_with_an_etag_that_lets_it_be_replaced(
    storage: StateStorage, raw: bytes
) -> None:
    await storage.write({"k": {"n": 1}, "other": {"n": 2}})
    await damage(storage, "k", raw)
    with pytest.raises(UnreadableItemError) as caught:
        await storage.read(["k"])
    assert caught.value.key == "k" and caught.value.etag
    assert without_etag(await read_one(storage, "other")) == {"n": 2}
    await storage.write({"k": {"n": 3, "e_tag": caught.value.etag}})
    assert without_etag(await read_one(storage, "k")) == {"n": 3}
    with pytest.raises(StorageConflictError):  # the etag was of the damaged item, which is gone
        await storage.write({"k": {"n": 4, "e_tag": caught.value.etag}})


async def test_ping_and_close(storage: StateStorage) -> None:
    assert await storage.ping() is True

    await storage.close()
    await storage.close()  # idempotent

    assert await storage.ping() is False
    with pytest.raises(StorageError):
        await storage.read(["k"])


async def test_works_as_botbuilder_conversation_state(storage: StateStorage) -> None:
    conversation_state = ConversationState(storage)
    counter = conversation_state.create_property("counter")
    activity = Activity(
        type=ActivityTypes.message,
        channel_id="msteams",
        conversation=ConversationAccount(id="19:meeting/thread.v2"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="bot"),
        text="hi",
    )

    for expected in (1, 2):
        context = TurnContext(TestAdapter(), activity)
        await conversation_state.load(context)
        value = await counter.get(context, lambda: {"turns": 0})
        value["turns"] += 1
        await counter.set(context, value)
        await conversation_state.save_changes(context)
        assert value["turns"] == expected

    context = TurnContext(TestAdapter(), activity)
    await conversation_state.load(context)
    await conversation_state.delete(context)
    assert await storage.read([conversation_state.get_storage_key(context)]) == {}


# Backend-specific: SQLite.


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def count_rows(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT COUNT(*) FROM state_items").fetchone()[0]


async def test_sqlite_items_expire_after_ttl_and_are_purged(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "state.db"
    async with SqliteStorage(path, ttl_seconds=10, clock=clock) as store:
        await store.write({"old": {"v": 1}})
        expired_snapshot = await read_one(store, "old")
        clock.now += 5
        await store.write({"fresh": {"v": 1}})

        clock.now += 6  # "old" was last written 11 s ago, "fresh" 6 s ago
        assert set(await store.read(["old", "fresh"])) == {"fresh"}
        with pytest.raises(StorageConflictError):
            await store.write({"old": expired_snapshot})  # expired counts as missing
    assert count_rows(path) == 2  # treated as missing, not purged yet

    async with SqliteStorage(path, ttl_seconds=10, clock=clock) as reopened:
        assert await reopened.ping() is True  # opening purges
        assert count_rows(path) == 1


async def test_sqlite_create_only_may_replace_an_expired_item(tmp_path: Path) -> None:
    clock = FakeClock()
    async with SqliteStorage(tmp_path / "state.db", ttl_seconds=10, clock=clock) as store:
        await store.write({"k": {"v": 1}})
        clock.now += 11

        await store.write({"k": {"v": 2, "e_tag": ""}})

        assert (await read_one(store, "k"))["v"] == 2


async def test_sqlite_purges_at_most_every_hour(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "state.db"
    async with SqliteStorage(path, ttl_seconds=10, clock=clock) as store:
        await store.write({"a": {"v": 1}})
        clock.now += 20

        await store.read(["a"])
        assert count_rows(path) == 1  # expired, but the last purge (on open) was only 20 s ago

        clock.now += PURGE_INTERVAL_SECONDS
        await store.read(["a"])
        assert count_rows(path) == 0


async def test_sqlite_without_ttl_keeps_items(tmp_path: Path) -> None:
    clock = FakeClock()
    async with SqliteStorage(tmp_path / "state.db", ttl_seconds=None, clock=clock) as store:
        await store.write({"k": {"v": 1}})
        clock.now += 10 * 365 * 86400

        assert (await read_one(store, "k"))["v"] == 1


async def test_sqlite_file_persists_across_instances_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "state.db"
    async with SqliteStorage(path) as first:
        await first.write({"k": {"v": 1}})
        etag = (await read_one(first, "k"))["e_tag"]

    async with SqliteStorage(path) as second:
        assert await read_one(second, "k") == {"v": 1, "e_tag": etag}
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_sqlite_instances_on_one_file_see_each_others_etags(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with SqliteStorage(path) as first, SqliteStorage(path) as second:
        await first.write({"k": {"v": 1}})
        snapshot = await read_one(second, "k")
        await first.write({"k": {"v": 2}})

        with pytest.raises(StorageConflictError):
            await second.write({"k": {**snapshot, "v": 3}})


async def test_sqlite_locked_database_is_reported_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with SqliteStorage(path, busy_timeout_seconds=0.2) as store:
        await store.write({"k": {"v": 1}})
        with closing(sqlite3.connect(path, isolation_level=None)) as blocker:
            blocker.execute("BEGIN EXCLUSIVE")
            started = time.monotonic()
            with pytest.raises(StorageUnavailableError):
                await store.write({"k": {"v": 2}})
            assert time.monotonic() - started < 2
            blocker.execute("ROLLBACK")

        await store.write({"k": {"v": 3}})  # recovers once the lock is gone
        assert (await read_one(store, "k"))["v"] == 3


async def test_sqlite_unopenable_path_is_unavailable_and_ping_is_false(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    async with SqliteStorage(not_a_directory / "state.db") as store:
        assert await store.ping() is False
        with pytest.raises(StorageUnavailableError):
            await store.read(["k"])


def test_sqlite_rejects_a_non_positive_ttl(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        SqliteStorage(tmp_path / "state.db", ttl_seconds=0)


# Backend-specific: the factory.


async def test_factory_builds_each_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert isinstance(create_storage("memory"), MemoryStorage)

    relative = create_storage("sqlite:///data/state.db", ttl_seconds=60)
    absolute = create_storage(f"sqlite:///{tmp_path}/abs/state.db")
    azure = create_storage(" azureblob://bot-state ", azure_connection_string="UseDevelopmentStorage=true")

    assert isinstance(relative, SqliteStorage)
    assert relative.path == tmp_path / "data" / "state.db"
    assert relative.ttl_seconds == 60
    assert isinstance(absolute, SqliteStorage)
    assert absolute.path == tmp_path / "abs" / "state.db"
    assert isinstance(azure, AzureBlobStorage)
    assert azure.container_name == "bot-state"
    for store in (relative, absolute, azure):
        await store.close()


@pytest.mark.parametrize(
    "setting",
    [
        "",
        "redis://localhost",
        "Memory",
        "sqlite://relative.db",
        "sqlite:///",
        "sqlite:///data/",
        "azureblob://",
        "azureblob://Bad_Name",
        "azureblob://a",
    ],
)
def test_factory_rejects_bad_settings_naming_state_store(setting: str) -> None:
    with pytest.raises(ValueError, match=r"STATE_STORE.*accepted forms.*memory.*sqlite:///.*azureblob://"):
        create_storage(setting, azure_connection_string="UseDevelopmentStorage=true")


def test_factory_requires_the_azure_connection_string() -> None:
    with pytest.raises(ValueError, match="AZURE_STORAGE_CONNECTION_STRING"):
        create_storage("azureblob://bot-state")


def test_factory_rejects_a_malformed_connection_string() -> None:
    with pytest.raises(ValueError, match="connection string"):
        create_storage("azureblob://bot-state", azure_connection_string="garbage")


# Backend-specific: Azure Blob.


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400))
def test_blob_names_are_flat_bounded_and_reversible(key: str) -> None:
    name = blob_name_for_key(key)

    assert len(name) <= MAX_BLOB_NAME_LENGTH
    if name.startswith(HASHED_NAME_PREFIX):
        assert len(key) * 12 > MAX_BLOB_NAME_LENGTH  # only keys whose encoding is too long
    else:
        assert "/" not in name
        assert not name.endswith(".")
        assert unquote(name) == key  # reversible, so distinct keys never share a blob


def test_very_long_keys_get_hashed_names() -> None:
    long_key = "k/" * 1000
    assert blob_name_for_key(long_key).startswith(HASHED_NAME_PREFIX)
    assert blob_name_for_key(long_key) != blob_name_for_key(long_key + "x")


@pytest.mark.azurite
async def test_azure_keys_map_to_flat_blobs_and_long_keys_work(azurite: AzuriteServer) -> None:  # noqa: F811
    container = unique_container()
    long_key = "conversation/" + "x" * 2000
    async with AzureBlobStorage(azurite.connection_string, container) as store:
        await store.write({"a/b/c.": {"v": 1}, long_key: {"v": 2}})

        async with ContainerClient.from_connection_string(azurite.connection_string, container) as client:
            names = sorted([blob.name async for blob in client.list_blobs()])

        assert names[0] == "a%2Fb%2Fc%2E"
        assert names[1].startswith(HASHED_NAME_PREFIX)
        assert (await read_one(store, long_key))["v"] == 2


@pytest.mark.azurite
async def test_azure_recreates_a_container_deleted_behind_its_back(azurite: AzuriteServer) -> None:  # noqa: F811
    container = unique_container()
    async with AzureBlobStorage(azurite.connection_string, container) as store:
        await store.write({"k": {"v": 1}})
        snapshot = await read_one(store, "k")
        async with ContainerClient.from_connection_string(azurite.connection_string, container) as client:
            await client.delete_container()

        assert await store.read(["k"]) == {}
        with pytest.raises(StorageConflictError):
            await store.write({"k": snapshot})
        await store.write({"k": {"v": 2}})
        assert (await read_one(store, "k"))["v"] == 2


@pytest.mark.azurite
async def test_azure_outage_is_reported_quickly_and_recovers(azurite: AzuriteServer) -> None:  # noqa: F811
    async with AzureBlobStorage(azurite.connection_string, unique_container()) as store:
        await store.write({"k": {"v": 1}})
        azurite.stop()
        try:
            started = time.monotonic()
            assert await store.ping() is False
            with pytest.raises(StorageUnavailableError):
                await store.write({"k": {"v": 2}})
            with pytest.raises(StorageUnavailableError):
                await store.read(["k"])
            assert time.monotonic() - started < 5
        finally:
            azurite.start()

        assert await store.ping() is True
        assert (await read_one(store, "k"))["v"] == 1  # the data directory survived the restart
        await store.write({"k": {"v": 3}})
        assert (await read_one(store, "k"))["v"] == 3


@pytest.mark.azurite
async def test_azure_hung_service_times_out_within_the_bounds(azurite: AzuriteServer) -> None:  # noqa: F811
    async with AzureBlobStorage(
        azurite.connection_string, unique_container(), operation_timeout_seconds=1.0, ping_timeout_seconds=0.5
    ) as store:
        await store.write({"k": {"v": 1}})
        azurite.pause()
        try:
            started = time.monotonic()
            assert await store.ping() is False
            assert time.monotonic() - started < 1
            with pytest.raises(StorageUnavailableError, match="did not answer"):
                await store.read(["k"])
            assert time.monotonic() - started < 2
        finally:
            azurite.resume()

        assert await store.ping() is True


@pytest.mark.azurite
async def test_azure_wrong_account_key_is_a_storage_error_not_an_sdk_error(azurite: AzuriteServer) -> None:  # noqa: F811
    wrong_key = "A" * 86 + "=="
    connection_string = azurite.connection_string.replace(ACCOUNT_KEY, wrong_key)
    async with AzureBlobStorage(connection_string, unique_container()) as store:
        assert await store.ping() is False
        with pytest.raises(StorageError, match="HTTP 403") as raised:
            await store.write({"k": {"v": 1}})
        assert type(raised.value) is StorageError


def test_missing_azurite_binary_says_how_to_install_it(tmp_path: Path) -> None:
    server = AzuriteServer(tmp_path, binary=tmp_path / "no-such-azurite-blob")

    with pytest.raises(AzuriteError, match=r"npm ci --prefix tools/node"):
        server.start()
