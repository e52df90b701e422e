"""Insights in a SQLite file of their own, next to the state database (by default data/insights.db).

As bot/storage/sqlite.py: the stdlib sqlite3 runs on one worker thread, so the event loop never waits
on the disk; WAL mode lets `make report` read while the bot writes.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from bot.insights.base import FeedbackRecord, InsightsError, InsightsStore, QuestionRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS insight_questions (
    at REAL NOT NULL,          -- unix seconds
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    confidence REAL,
    activity_id TEXT           -- the answer's activity id, which feedback refers to
);
CREATE INDEX IF NOT EXISTS insight_questions_at ON insight_questions (at);
CREATE INDEX IF NOT EXISTS insight_questions_activity ON insight_questions (activity_id);
CREATE TABLE IF NOT EXISTS insight_feedback (
    at REAL NOT NULL,
    reaction TEXT NOT NULL,
    feedback TEXT NOT NULL,
    question TEXT,
    kind TEXT
);
CREATE INDEX IF NOT EXISTS insight_feedback_at ON insight_feedback (at);
"""
_QUESTION_COLUMNS = "at, question, kind, outcome, confidence, activity_id"
_FEEDBACK_COLUMNS = "at, reaction, feedback, question, kind"

T = TypeVar("T")


class SqliteInsightsStore(InsightsStore):
    def __init__(self, path: str | PathLike[str], *, busy_timeout_seconds: float = 5.0) -> None:
        self.path = Path(path)
        self._busy_timeout_seconds = busy_timeout_seconds
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-insights")
        self._connection: sqlite3.Connection | None = None  # touched only on the worker thread
        self._closed = False

    async def add_question(self, record: QuestionRecord) -> None:
        row = (record.at, record.question, record.kind, record.outcome, record.confidence, record.activity_id)
        await self._run(self._execute, f"INSERT INTO insight_questions ({_QUESTION_COLUMNS}) VALUES (?,?,?,?,?,?)", row)

    async def add_questions(self, records: Sequence[QuestionRecord]) -> None:
        rows = [(r.at, r.question, r.kind, r.outcome, r.confidence, r.activity_id) for r in records]
        await self._run(
            self._execute_many, f"INSERT INTO insight_questions ({_QUESTION_COLUMNS}) VALUES (?,?,?,?,?,?)", rows
        )

    async def add_feedback(self, record: FeedbackRecord) -> None:
        row = (record.at, record.reaction, record.feedback, record.question, record.kind)
        await self._run(self._execute, f"INSERT INTO insight_feedback ({_FEEDBACK_COLUMNS}) VALUES (?,?,?,?,?)", row)

    async def find_answer(self, activity_id: str) -> QuestionRecord | None:
        rows = await self._run(
            self._select,
            f"SELECT {_QUESTION_COLUMNS} FROM insight_questions WHERE activity_id = ? ORDER BY at DESC LIMIT 1",
            (activity_id,),
        )
        return QuestionRecord(*rows[0]) if rows else None

    async def questions(self, since: float, until: float | None = None) -> list[QuestionRecord]:
        rows = await self._run(
            self._select,
            f"SELECT {_QUESTION_COLUMNS} FROM insight_questions WHERE at >= ? AND at < ? ORDER BY at",
            (since, _end(until)),
        )
        return [QuestionRecord(*row) for row in rows]

    async def feedback(self, since: float, until: float | None = None) -> list[FeedbackRecord]:
        rows = await self._run(
            self._select,
            f"SELECT {_FEEDBACK_COLUMNS} FROM insight_feedback WHERE at >= ? AND at < ? ORDER BY at",
            (since, _end(until)),
        )
        return [FeedbackRecord(*row) for row in rows]

    async def purge(self, before: float) -> None:
        await self._run(self._purge_sync, before)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._close_sync)
        finally:
            self._executor.shutdown(wait=False)

    async def _run(self, operation: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise InsightsError(f"SqliteInsightsStore({self.path}) is closed")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(operation, *args))
        except (sqlite3.Error, OSError) as exc:
            raise InsightsError(f"SQLite insights store {self.path} failed: {exc}") from exc

    # Everything below runs on the worker thread.

    def _execute(self, sql: str, row: tuple[Any, ...]) -> None:
        self._open().execute(sql, row)

    def _execute_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        connection = self._open()
        with connection:  # one transaction: one commit for the batch
            connection.execute("BEGIN")
            connection.executemany(sql, rows)

    def _select(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self._open().execute(sql, args).fetchall()

    def _purge_sync(self, before: float) -> None:
        connection = self._open()
        with connection:
            connection.execute("DELETE FROM insight_questions WHERE at < ?", (before,))
            connection.execute("DELETE FROM insight_feedback WHERE at < ?", (before,))

    def _close_sync(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: each INSERT commits on its own.
            connection = sqlite3.connect(self.path, timeout=self._busy_timeout_seconds, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                # Insights are counts for the owners, not a user's state: in WAL mode NORMAL skips the
                # fsync per question (survives a crash of the bot; a power cut may lose the last few).
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(_SCHEMA)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection


def _end(until: float | None) -> float:
    return float("inf") if until is None else until
