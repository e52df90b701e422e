"""What the insights store keeps, and the interface every backend implements.

Kept: the text of each question the bot answered or could not answer, the kind of question it
guessed, its confidence, what became of it (outcome) and when; and each thumbs up/down with its
typed feedback and the question and kind it refers to. Never kept: user, tenant or conversation ids.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any, Self

DEFAULT_RETENTION_DAYS = 90
MAX_QUESTION_CHARS = 500
MAX_FEEDBACK_CHARS = 1000
REACTIONS = ("like", "dislike")
# Outcomes of a question that the bot did not simply answer: the report lists these.
UNANSWERED_OUTCOMES = ("partial", "declined", "did_you_mean", "clarify")


class InsightsError(Exception):
    """An insights backend failed; the bot logs it and carries on."""


@dataclass(frozen=True)
class QuestionRecord:
    at: float  # unix seconds
    question: str
    kind: str  # the kind of question the bot guessed
    outcome: str  # answered | partial | declined | did_you_mean | clarify
    confidence: float | None
    activity_id: str | None = None  # the id of the answer the bot sent, which feedback refers to

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionRecord:
        confidence = data.get("confidence")
        return cls(
            at=float(data["at"]),
            question=str(data["question"]),
            kind=str(data["kind"]),
            outcome=str(data["outcome"]),
            confidence=None if confidence is None else float(confidence),
            activity_id=data.get("activity_id"),
        )


@dataclass(frozen=True)
class FeedbackRecord:
    at: float
    reaction: str  # like | dislike
    feedback: str  # what the user typed, "" when nothing
    question: str | None  # None when the answer is unknown (older than the retention, or not recorded)
    kind: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedbackRecord:
        return cls(
            at=float(data["at"]),
            reaction=str(data["reaction"]),
            feedback=str(data.get("feedback") or ""),
            question=data.get("question"),
            kind=data.get("kind"),
        )


def question_record(
    question: str, kind: str, outcome: str, confidence: float | None, activity_id: str | None = None
) -> QuestionRecord:
    return QuestionRecord(time.time(), question.strip()[:MAX_QUESTION_CHARS], kind, outcome, confidence, activity_id)


class InsightsStore(ABC):
    """Append-only records of questions and feedback, read back by period; one interface, several backends."""

    @abstractmethod
    async def add_question(self, record: QuestionRecord) -> None: ...

    async def add_questions(self, records: Sequence[QuestionRecord]) -> None:
        """Several questions at once; a backend that can write them in one go overrides this."""
        for record in records:
            await self.add_question(record)

    @abstractmethod
    async def add_feedback(self, record: FeedbackRecord) -> None: ...

    @abstractmethod
    async def find_answer(self, activity_id: str) -> QuestionRecord | None:
        """The question whose answer was sent as this activity, if it is still kept."""

    @abstractmethod
    async def questions(self, since: float, until: float | None = None) -> list[QuestionRecord]:
        """Questions recorded at or after since (and before until), oldest first."""

    @abstractmethod
    async def feedback(self, since: float, until: float | None = None) -> list[FeedbackRecord]: ...

    @abstractmethod
    async def purge(self, before: float) -> None:
        """Delete every record made before this time (the retention)."""

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def in_period(at: float, since: float, until: float | None) -> bool:
    return at >= since and (until is None or at < until)
