"""Understanding in process: raw question text -> Answer (and -> Adaptive Card), over the whole question set.

Each question is timed on its own with perf_counter_ns. Follow-up turns get the previous answer's
context, as the router gives it. The typo corrector's cache is emptied before every pass, so every
pass reads each question as if for the first time (the cache would otherwise hide the corrector's cost).
"""

from __future__ import annotations

import contextlib
import gc
import json
import time
from dataclasses import dataclass
from pathlib import Path

from bench.stats import percentile
from cards.render import CardTooLarge, answer_card
from knowledge.answers import Answer
from knowledge.index import KnowledgeIndex
from knowledge.kinds import answer_question as answer_frame
from knowledge.understand import Frame, understand

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "tests" / "questions"


@dataclass(frozen=True)
class Conversation:
    """The "say" lines of one question-set case; follow-up cases have several."""

    case_id: str
    says: tuple[str, ...]


@dataclass(frozen=True)
class UnderstandingResult:
    label: str
    questions: int
    per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    oversized_cards: int = 0


def load_question_set(directory: Path = QUESTIONS_DIR) -> list[Conversation]:
    conversations = []
    for path in sorted(directory.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            turns = case.get("turns") or [case]
            conversations.append(Conversation(case["id"], tuple(t["say"] for t in turns)))
    return conversations


def answer_question(ix: KnowledgeIndex, text: str, context: Frame | None) -> Answer:
    """understand + answer, as the router does it."""
    return answer_frame(ix, understand(text, ix, context))


def _one_pass(ix: KnowledgeIndex, conversations: list[Conversation], with_card: bool) -> tuple[list[float], int]:
    timings: list[float] = []
    oversized = 0
    ix._corrections.clear()  # every pass reads the questions as new ones
    for conversation in conversations:
        context: Frame | None = None
        for text in conversation.says:
            started = time.perf_counter_ns()
            result = answer_question(ix, text, context)
            if with_card:
                try:
                    answer_card(result)
                except CardTooLarge:  # an answer that lists a whole (grown) knowledge base
                    oversized += 1
            timings.append((time.perf_counter_ns() - started) / 1e6)
            context = result.context or context
    return timings, oversized


def measure(
    ix: KnowledgeIndex, conversations: list[Conversation], label: str, with_card: bool, passes: int = 5
) -> UnderstandingResult:
    _one_pass(ix, conversations, with_card)  # warm-up: imports, template compilation, regex caches
    timings: list[float] = []
    oversized = 0
    gc.collect()
    for _ in range(passes):
        pass_timings, oversized = _one_pass(ix, conversations, with_card)
        timings.extend(pass_timings)
    total_seconds = sum(timings) / 1000
    return UnderstandingResult(
        label=label,
        questions=len(timings) // passes,
        per_second=len(timings) / total_seconds,
        p50_ms=percentile(timings, 50),
        p99_ms=percentile(timings, 99),
        max_ms=max(timings),
        oversized_cards=oversized,
    )


def slowest(ix: KnowledgeIndex, conversations: list[Conversation], n: int = 10) -> list[tuple[float, str]]:
    """The n slowest questions (ms, text): where to look when a percentile moves."""
    ix._corrections.clear()
    found = []
    for conversation in conversations:
        context: Frame | None = None
        for text in conversation.says:
            started = time.perf_counter_ns()
            result = answer_question(ix, text, context)
            with contextlib.suppress(CardTooLarge):
                answer_card(result)
            found.append(((time.perf_counter_ns() - started) / 1e6, text))
            context = result.context or context
    return sorted(found, reverse=True)[:n]
