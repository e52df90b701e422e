"""Records questions and feedback without ever holding up or failing a turn.

A turn only puts a job on a bounded queue (put_nowait: when the queue is full, the record is dropped
and a warning logged); one background task writes the jobs, each under a timeout, and logs failures.
Questions are batched: those recorded while a write is pending go out with it, in one store call.
The same task purges what is older than the retention, at most once an hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from bot.insights.base import (
    DEFAULT_RETENTION_DAYS,
    MAX_FEEDBACK_CHARS,
    FeedbackRecord,
    InsightsStore,
    QuestionRecord,
)

log = logging.getLogger("stagecoach.insights")

MAX_PENDING = 1000
WRITE_TIMEOUT_SECONDS = 5.0
PURGE_INTERVAL_SECONDS = 3600.0

Job = Callable[[], Awaitable[None]]


class InsightsRecorder:
    def __init__(
        self,
        store: InsightsStore | None,
        retention_seconds: float = DEFAULT_RETENTION_DAYS * 86400,
        *,
        max_pending: int = MAX_PENDING,
        write_timeout_seconds: float = WRITE_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.retention_seconds = retention_seconds
        self._write_timeout_seconds = write_timeout_seconds
        self._clock = clock
        self._queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=max_pending)
        self._max_pending = max_pending
        self._questions: list[QuestionRecord] = []  # waiting for their job to write them
        self._worker: asyncio.Task[None] | None = None
        self._last_purge_at: float | None = None
        self.dropped = 0

    @property
    def enabled(self) -> bool:
        return self.store is not None

    def record_question(self, record: QuestionRecord) -> None:
        """Questions wait in one batch, written by one job: a busy bot writes many per hop to the store."""
        if self.store is None:
            return
        if len(self._questions) >= self._max_pending:
            self._drop()
            return
        self._questions.append(record)
        if len(self._questions) == 1 and not self._submit(self._write_questions):
            self._questions.clear()  # its job was dropped: nothing would ever write them

    async def _write_questions(self) -> None:
        batch, self._questions = self._questions, []
        if batch and self.store is not None:
            await self.store.add_questions(batch)

    def record_feedback(self, reaction: str, feedback: str, reply_to_id: str) -> None:
        """Feedback on the answer sent as reply_to_id, stored with that answer's question and kind."""
        store = self.store
        if store is None:
            return
        at = self._clock()

        async def write() -> None:
            answer = await store.find_answer(reply_to_id)
            await store.add_feedback(
                FeedbackRecord(
                    at=at,
                    reaction=reaction,
                    feedback=feedback[:MAX_FEEDBACK_CHARS],
                    question=answer.question if answer else None,
                    kind=answer.kind if answer else None,
                )
            )

        self._submit(write)

    async def flush(self, timeout_seconds: float = 10.0) -> None:
        """Wait until every queued record is written (or has failed); for tests and shutdown."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_seconds):
                await self._queue.join()

    async def close(self) -> None:
        await self.flush(timeout_seconds=2.0)
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self.store is not None:
            await self.store.close()

    def _submit(self, job: Job) -> bool:
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            self._drop()
            return False
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work(), name="insights-writer")
        return True

    def _drop(self) -> None:
        self.dropped += 1
        log.warning("insights queue full: a record was dropped", extra={"dropped": self.dropped})

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._run(self._purge_if_due)
                await self._run(job)
            finally:
                self._queue.task_done()

    async def _run(self, job: Job) -> None:
        try:
            async with asyncio.timeout(self._write_timeout_seconds):
                await job()
        except Exception as error:  # a lost record must never become a failed turn
            log.warning("insights write failed: %s: %s", type(error).__name__, error)

    async def _purge_if_due(self) -> None:
        now = self._clock()
        if self.store is None or (
            self._last_purge_at is not None and now - self._last_purge_at < PURGE_INTERVAL_SECONDS
        ):
            return
        self._last_purge_at = now
        await self.store.purge(now - self.retention_seconds)
