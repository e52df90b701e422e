"""One contract suite over every insights backend (memory, SQLite, Azure Blob on Azurite), then the
recorder that keeps insights writes off the turn: bounded, timed out, failures logged, never raised."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.insights import (
    AzureBlobInsightsStore,
    FeedbackRecord,
    InsightsRecorder,
    InsightsStore,
    MemoryInsightsStore,
    QuestionRecord,
    SqliteInsightsStore,
    create_insights_store,
    insights_location,
)
from tests.azurite import AzuriteServer, azurite  # noqa: F401

BACKENDS = ["memory", "sqlite", pytest.param("azureblob", marks=pytest.mark.azurite)]
NOW = time.time()
DAY = 86400.0


def unique_container() -> str:
    return f"insights-{uuid.uuid4().hex[:16]}"


def open_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest, container: str) -> InsightsStore:
    if kind == "memory":
        return MemoryInsightsStore()
    if kind == "sqlite":
        return SqliteInsightsStore(tmp_path / "nested" / "insights.db")
    server: AzuriteServer = request.getfixturevalue("azurite")
    return AzureBlobInsightsStore(server.connection_string, container)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[InsightsStore]:
    opened = open_store(request.param, tmp_path, request, unique_container())
    try:
        yield opened
    finally:
        await opened.close()


def question(
    at: float, text: str = "what's the weather?", outcome: str = "declined", **extra: object
) -> QuestionRecord:
    fields = {"kind": "unknown", "confidence": 0.0, "activity_id": None, **extra}
    return QuestionRecord(at, text, outcome=outcome, **fields)  # type: ignore[arg-type]


# The contract every backend honours.


async def test_nothing_recorded_reads_as_empty(store: InsightsStore) -> None:
    assert await store.questions(0) == []
    assert await store.feedback(0) == []
    assert await store.find_answer("activity-1") is None
    await store.purge(NOW)  # purging an empty (or not yet created) store is fine


async def test_questions_round_trip_oldest_first(store: InsightsStore) -> None:
    later = question(NOW - 10, "Checkpoints for Qualify", "answered", kind="mssp.checkpoints", confidence=0.93)
    earlier = question(NOW - 20, "ünïcödé question – 🙂?", "did_you_mean", kind="did_you_mean", confidence=0.41)
    await store.add_question(later)
    await store.add_question(earlier)

    assert await store.questions(0) == [earlier, later]


async def test_a_batch_of_questions_round_trips_and_is_found_by_activity_id(store: InsightsStore) -> None:
    batch = [question(NOW - 30 + i, f"q{i}", activity_id=f"batch-{i}") for i in range(3)]
    await store.add_questions(batch)
    await store.add_questions([])

    assert await store.questions(0) == batch
    assert await store.find_answer("batch-2") == batch[2]


async def test_a_period_is_since_inclusive_and_until_exclusive(store: InsightsStore) -> None:
    old, inside, edge = question(NOW - 40 * DAY, "old"), question(NOW - 5 * DAY, "inside"), question(NOW - DAY, "edge")
    for record in (old, inside, edge):
        await store.add_question(record)
        await store.add_feedback(FeedbackRecord(record.at, "dislike", record.question, None, None))

    assert [q.question for q in await store.questions(NOW - 30 * DAY)] == ["inside", "edge"]
    assert [q.question for q in await store.questions(NOW - 30 * DAY, until=NOW - DAY)] == ["inside"]
    assert [f.feedback for f in await store.feedback(NOW - 5 * DAY)] == ["inside", "edge"]


async def test_an_answer_is_found_by_its_activity_id(store: InsightsStore) -> None:
    answered = question(NOW, "Who owns Listen & Consult?", "answered", kind="mcem.owner", activity_id="1:abc/def.")
    await store.add_question(answered)
    await store.add_question(question(NOW, "other", activity_id="activity-2"))

    assert await store.find_answer("1:abc/def.") == answered
    assert await store.find_answer("1:abc") is None


async def test_feedback_round_trips_with_or_without_its_question(store: InsightsStore) -> None:
    known = FeedbackRecord(
        NOW - 2, "dislike", "Too long, and it missed the exit criteria", "Exit criteria?", "mcem.exit"
    )
    unknown = FeedbackRecord(NOW - 1, "like", "", None, None)
    await store.add_feedback(known)
    await store.add_feedback(unknown)

    assert await store.feedback(0) == [known, unknown]


async def test_purge_deletes_only_what_is_older(store: InsightsStore) -> None:
    await store.add_question(question(NOW - 100 * DAY, "old", activity_id="old-answer"))
    await store.add_question(question(NOW - DAY, "new", activity_id="new-answer"))
    await store.add_feedback(FeedbackRecord(NOW - 100 * DAY, "dislike", "old", None, None))
    await store.add_feedback(FeedbackRecord(NOW - DAY, "dislike", "new", None, None))

    await store.purge(NOW - 90 * DAY)

    assert [q.question for q in await store.questions(0)] == ["new"]
    assert [f.feedback for f in await store.feedback(0)] == ["new"]
    assert await store.find_answer("new-answer") is not None


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("azureblob", marks=pytest.mark.azurite)])
async def test_records_outlive_the_process(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    container = unique_container()
    async with open_store(kind, tmp_path, request, container) as first:
        await first.add_question(question(NOW, "kept", activity_id="a-1"))
    async with open_store(kind, tmp_path, request, container) as second:
        assert [q.question for q in await second.questions(0)] == ["kept"]
        assert (await second.find_answer("a-1")) is not None


# Settings: which store INSIGHTS names.


@pytest.mark.parametrize(
    ("setting", "state_store", "location"),
    [
        ("on", "sqlite:///data/state.db", "sqlite:///data/state-insights.db"),
        ("", "sqlite:////srv/bot/state.db", "sqlite:////srv/bot/state-insights.db"),
        ("on", "azureblob://stagecoach-state", "azureblob://stagecoach-state-insights"),
        ("on", "memory", "memory"),
        ("OFF", "sqlite:///data/state.db", None),
        ("sqlite:///elsewhere/insights.db", "memory", "sqlite:///elsewhere/insights.db"),
    ],
)
def test_insights_live_next_to_the_state_unless_told_otherwise(
    setting: str, state_store: str, location: str | None
) -> None:
    assert insights_location(setting, state_store) == location


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("redis://x", "unknown form"),
        ("sqlite:///", "path is missing"),
        ("azureblob://Bad_Name", "invalid Azure Blob container name"),
        ("azureblob://good-name", "AZURE_STORAGE_CONNECTION_STRING"),
    ],
)
def test_a_wrong_setting_is_named(setting: str, problem: str) -> None:
    with pytest.raises(ValueError, match="INSIGHTS") as error:
        create_insights_store(setting, "memory")
    assert problem in str(error.value)


def test_insights_off_is_no_store() -> None:
    assert create_insights_store("off", "sqlite:///data/state.db") is None


# The recorder: a turn only queues; writing happens later, bounded and timed out.


class BrokenStore(MemoryInsightsStore):
    async def add_question(self, record: QuestionRecord) -> None:
        raise OSError("disk full")


class HangingStore(MemoryInsightsStore):
    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def add_question(self, record: QuestionRecord) -> None:
        await self.release.wait()
        await super().add_question(record)


async def test_the_recorder_writes_in_the_background() -> None:
    store = MemoryInsightsStore()
    recorder = InsightsRecorder(store)
    recorder.record_question(question(NOW, "queued", activity_id="a-1"))
    assert await store.questions(0) == []  # not written during the call

    await recorder.flush()
    assert [q.question for q in await store.questions(0)] == ["queued"]
    await recorder.close()


class CountingStore(MemoryInsightsStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    async def add_questions(self, records: Sequence[QuestionRecord]) -> None:
        self.calls.append(len(records))
        await super().add_questions(records)


async def test_questions_recorded_while_a_write_waits_go_out_together() -> None:
    store = CountingStore()
    recorder = InsightsRecorder(store)
    for i in range(5):
        recorder.record_question(question(NOW + i, f"q{i}"))
    await recorder.flush()
    recorder.record_question(question(NOW + 9, "later"))
    await recorder.flush()

    assert store.calls == [5, 1]
    assert [q.question for q in await store.questions(0)] == ["q0", "q1", "q2", "q3", "q4", "later"]
    await recorder.close()


async def test_feedback_is_stored_with_the_question_and_kind_it_refers_to() -> None:
    store = MemoryInsightsStore()
    recorder = InsightsRecorder(store)
    recorder.record_question(
        question(NOW, "Exit criteria for Listen & Consult", "answered", kind="mcem.exit", activity_id="a-7")
    )
    recorder.record_feedback("dislike", "It should list the owner too", "a-7")
    recorder.record_feedback("like", "", "never-sent")
    await recorder.flush()

    assert [(f.reaction, f.feedback, f.question, f.kind) for f in await store.feedback(0)] == [
        ("dislike", "It should list the owner too", "Exit criteria for Listen & Consult", "mcem.exit"),
        ("like", "", None, None),
    ]
    await recorder.close()


async def test_a_failing_store_is_logged_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    recorder = InsightsRecorder(BrokenStore())
    with caplog.at_level(logging.WARNING, logger="stagecoach.insights"):
        recorder.record_question(question(NOW))
        await recorder.flush()
    assert "insights write failed: OSError: disk full" in caplog.text
    await recorder.close()


async def test_a_hanging_store_times_out_and_a_full_queue_drops(caplog: pytest.LogCaptureFixture) -> None:
    store = HangingStore()
    recorder = InsightsRecorder(store, max_pending=2, write_timeout_seconds=0.2)
    with caplog.at_level(logging.WARNING, logger="stagecoach.insights"):
        started = time.perf_counter()
        for i in range(5):
            recorder.record_question(question(NOW, f"q{i}"))
        assert time.perf_counter() - started < 0.5  # queuing never waits for the store
        await recorder.flush()
    assert recorder.dropped == 3
    assert "TimeoutError" in caplog.text
    store.release.set()
    recorder.record_question(question(NOW, "after"))
    await recorder.flush()
    assert [q.question for q in await store.questions(0)] == ["after"]
    await recorder.close()


async def test_old_records_are_purged_by_the_retention() -> None:
    store = MemoryInsightsStore()
    await store.add_question(question(NOW - 91 * DAY, "too old"))
    recorder = InsightsRecorder(store, retention_seconds=90 * DAY)
    recorder.record_question(question(NOW, "new"))
    await recorder.flush()
    assert [q.question for q in await store.questions(0)] == ["new"]
    await recorder.close()


async def test_a_disabled_recorder_keeps_nothing() -> None:
    recorder = InsightsRecorder(None)
    assert not recorder.enabled
    recorder.record_question(question(NOW))
    recorder.record_feedback("dislike", "x", "a-1")
    await recorder.close()
