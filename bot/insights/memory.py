"""Insights kept in memory: for tests, and for a bot whose state is in memory too."""

from __future__ import annotations

from bot.insights.base import FeedbackRecord, InsightsStore, QuestionRecord, in_period


class MemoryInsightsStore(InsightsStore):
    def __init__(self) -> None:
        self._questions: list[QuestionRecord] = []
        self._feedback: list[FeedbackRecord] = []

    async def add_question(self, record: QuestionRecord) -> None:
        self._questions.append(record)

    async def add_feedback(self, record: FeedbackRecord) -> None:
        self._feedback.append(record)

    async def find_answer(self, activity_id: str) -> QuestionRecord | None:
        return next((q for q in reversed(self._questions) if q.activity_id == activity_id), None)

    async def questions(self, since: float, until: float | None = None) -> list[QuestionRecord]:
        return sorted((q for q in self._questions if in_period(q.at, since, until)), key=lambda q: q.at)

    async def feedback(self, since: float, until: float | None = None) -> list[FeedbackRecord]:
        return sorted((f for f in self._feedback if in_period(f.at, since, until)), key=lambda f: f.at)

    async def purge(self, before: float) -> None:
        self._questions = [q for q in self._questions if q.at >= before]
        self._feedback = [f for f in self._feedback if f.at >= before]

    async def close(self) -> None:
        return None
