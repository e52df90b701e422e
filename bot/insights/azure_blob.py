"""Insights in Azure Blob Storage: one small JSON blob per record, for bots whose state is in Azure.

Names sort by time (questions/<milliseconds>-<uuid>.json, feedback/...), so a period is read by listing
one prefix; answers/<activity id>.json holds the question an answer was sent for, which is how a
thumbs up/down finds it. Retention: purge() deletes what is older (a lifecycle rule can do it too).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

from azure.core.exceptions import AzureError, ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import ContentSettings
from azure.storage.blob.aio import ContainerClient

from bot.insights.base import FeedbackRecord, InsightsError, InsightsStore, QuestionRecord, in_period
from bot.storage.azure_blob import blob_name_for_key, validate_container_name

QUESTIONS = "questions/"
FEEDBACK = "feedback/"
ANSWERS = "answers/"
_JSON_CONTENT = ContentSettings(content_type="application/json; charset=utf-8")
_MAX_CONCURRENCY = 16

T = TypeVar("T")


def record_blob_name(prefix: str, at: float) -> str:
    return f"{prefix}{round(at * 1000):015d}-{uuid.uuid4().hex}.json"


def blob_time(name: str) -> float | None:
    """The record time a record blob's name carries (None for a name this store did not write)."""
    if not name.startswith((QUESTIONS, FEEDBACK)):
        return None
    stamp = name.rsplit("/", 1)[-1].split("-", 1)[0]
    return int(stamp) / 1000 if stamp.isdigit() else None


class AzureBlobInsightsStore(InsightsStore):
    def __init__(self, connection_string: str, container: str, *, timeout_seconds: float = 10.0) -> None:
        self.container_name = validate_container_name(container)
        self._timeout_seconds = timeout_seconds
        try:
            self._container = ContainerClient.from_connection_string(
                connection_string, container, connection_timeout=2, read_timeout=timeout_seconds
            )
        except ValueError as exc:
            raise ValueError(f"invalid Azure Storage connection string: {exc}") from exc
        self._container_ready = False

    async def add_question(self, record: QuestionRecord) -> None:
        data = json.dumps(record.to_json(), ensure_ascii=False)
        async with self._errors("write"):
            await self._upload(record_blob_name(QUESTIONS, record.at), data)
            if record.activity_id:
                await self._upload(ANSWERS + blob_name_for_key(record.activity_id) + ".json", data)

    async def add_feedback(self, record: FeedbackRecord) -> None:
        async with self._errors("write"):
            await self._upload(record_blob_name(FEEDBACK, record.at), json.dumps(record.to_json(), ensure_ascii=False))

    async def find_answer(self, activity_id: str) -> QuestionRecord | None:
        async with self._errors("read"):
            data = await self._download(ANSWERS + blob_name_for_key(activity_id) + ".json")
        return None if data is None else QuestionRecord.from_json(data)

    async def questions(self, since: float, until: float | None = None) -> list[QuestionRecord]:
        found = [QuestionRecord.from_json(d) for d in await self._read_period(QUESTIONS, since, until)]
        return sorted((q for q in found if in_period(q.at, since, until)), key=lambda q: q.at)

    async def feedback(self, since: float, until: float | None = None) -> list[FeedbackRecord]:
        found = [FeedbackRecord.from_json(d) for d in await self._read_period(FEEDBACK, since, until)]
        return sorted((f for f in found if in_period(f.at, since, until)), key=lambda f: f.at)

    async def purge(self, before: float) -> None:
        async with self._errors("purge"):
            old = [name for name, at in await self._list("") if at < before]
            await _bounded(old, self._delete)

    async def close(self) -> None:
        await self._container.close()

    async def _read_period(self, prefix: str, since: float, until: float | None) -> list[dict[str, Any]]:
        async with self._errors("read"):
            # Names carry the time in whole milliseconds: a second's slack, then the records' own times decide.
            slack_until = None if until is None else until + 1
            names = [name for name, at in await self._list(prefix) if in_period(at, since - 1, slack_until)]
            found = await _bounded(sorted(names), self._download)
        return [d for d in found if d is not None]

    async def _list(self, prefix: str) -> list[tuple[str, float]]:
        """(name, record time) of every blob under prefix; answers/ blobs are dated by their last write."""
        try:
            found = []
            async for blob in self._container.list_blobs(name_starts_with=prefix):
                at = blob_time(blob.name)
                found.append((blob.name, blob.last_modified.timestamp() if at is None else at))
            return found
        except ResourceNotFoundError:  # no container yet: nothing recorded
            return []

    async def _upload(self, name: str, data: str) -> None:
        if not self._container_ready:
            with suppress(ResourceExistsError):
                await self._container.create_container()
            self._container_ready = True
        await self._container.upload_blob(name, data.encode("utf-8"), overwrite=True, content_settings=_JSON_CONTENT)

    async def _download(self, name: str) -> dict[str, Any] | None:
        try:
            downloader = await self._container.download_blob(name)
            value = json.loads(await downloader.readall())
        except ResourceNotFoundError:  # no such blob, or no container yet
            return None
        except ValueError:  # not JSON: not ours, skip it
            return None
        return value if isinstance(value, dict) else None

    async def _delete(self, name: str) -> None:
        with suppress(ResourceNotFoundError):
            await self._container.delete_blob(name)

    @asynccontextmanager
    async def _errors(self, action: str) -> AsyncIterator[None]:
        where = f"Azure Blob insights container {self.container_name!r}"
        try:
            async with asyncio.timeout(self._timeout_seconds):
                yield
        except TimeoutError as exc:
            raise InsightsError(f"{where} did not answer a {action} within {self._timeout_seconds:g} s") from exc
        except (AzureError, KeyError, TypeError) as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InsightsError(f"{where} failed a {action}: {reason}") from exc


async def _bounded(items: list[str], operation: Callable[[str], Awaitable[T]]) -> list[T]:
    semaphore = asyncio.Semaphore(_MAX_CONCURRENCY)

    async def one(item: str) -> T:
        async with semaphore:
            return await operation(item)

    return list(await asyncio.gather(*(one(i) for i in items)))
