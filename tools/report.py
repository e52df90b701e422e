"""`make report`: what sellers asked that StageCoach could not answer, and what they thought of the answers.

    python -m tools.report               # the last 30 days, as text
    python -m tools.report --days 7      # another period
    python -m tools.report --json        # for machines

It reads the insights store the bot writes to, from the same settings (.env and the environment:
INSIGHTS, STATE_STORE, AZURE_STORAGE_CONNECTION_STRING), so run it where the bot runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.config import ConfigError, load_settings
from bot.insights import (
    UNANSWERED_OUTCOMES,
    FeedbackRecord,
    InsightsError,
    QuestionRecord,
    create_insights_store,
    insights_location,
)
from knowledge.normalize import normalize

DEFAULT_DAYS = 30
DEFAULT_TOP = 20
# Two unanswered questions are one group when at least this similar (rapidfuzz token_sort_ratio,
# on normalised text), so "weather tomorrow?" and "What's the weather tomorrow" count together.
SAME_QUESTION_MIN_SIMILARITY = 75.0
MAX_EXAMPLES = 3


@dataclass
class QuestionGroup:
    question: str  # the first wording seen
    key: str  # its normalised form, which later questions are compared with
    count: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    last_at: float = 0.0

    def add(self, record: QuestionRecord) -> None:
        self.count += 1
        self.outcomes[record.outcome] += 1
        self.kinds[record.kind] += 1
        if record.question not in self.examples and len(self.examples) < MAX_EXAMPLES:
            self.examples.append(record.question)
        self.last_at = max(self.last_at, record.at)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "count": self.count,
            "outcomes": dict(self.outcomes.most_common()),
            "kinds": dict(self.kinds.most_common()),
            "examples": self.examples,
            "last_asked": _iso(self.last_at),
        }


def group_similar(records: Sequence[QuestionRecord]) -> list[QuestionGroup]:
    """Questions grouped by similar wording, the most asked first (then the most recent)."""
    groups: list[QuestionGroup] = []
    for record in records:
        key = normalize(record.question)
        best = process.extractOne(
            key, [g.key for g in groups], scorer=fuzz.token_sort_ratio, score_cutoff=SAME_QUESTION_MIN_SIMILARITY
        )
        group = groups[best[2]] if best else None
        if group is None:
            group = QuestionGroup(record.question, key)
            groups.append(group)
        group.add(record)
    return sorted(groups, key=lambda g: (-g.count, -g.last_at))


def build_report(
    questions: Sequence[QuestionRecord], feedback: Sequence[FeedbackRecord], since: float, until: float, top: int
) -> dict[str, Any]:
    unanswered = [q for q in questions if q.outcome in UNANSWERED_OUTCOMES]
    kinds: dict[str, Counter[str]] = {}
    for q in questions:
        kinds.setdefault(q.kind, Counter())[q.outcome] += 1
    disliked = [f for f in feedback if f.reaction == "dislike"]
    return {
        "period": {"from": _iso(since), "to": _iso(until), "days": round((until - since) / 86400, 2)},
        "questions": len(questions),
        "outcomes": dict(Counter(q.outcome for q in questions).most_common()),
        "unanswered": {"count": len(unanswered), "top": [g.to_json() for g in group_similar(unanswered)[:top]]},
        "feedback": {
            "like": sum(1 for f in feedback if f.reaction == "like"),
            "dislike": len(disliked),
            "disliked": [
                {"at": _iso(f.at), "question": f.question, "kind": f.kind, "feedback": f.feedback}
                for f in sorted(disliked, key=lambda f: -f.at)
            ],
        },
        "kinds": [
            {"kind": kind, "questions": sum(c.values()), "outcomes": dict(c.most_common())}
            for kind, c in sorted(kinds.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        ],
    }


def render_text(report: dict[str, Any], store: str) -> str:
    period = report["period"]
    lines = [
        f"StageCoach report, {period['from'][:16]} to {period['to'][:16]} UTC ({period['days']:g} days), from {store}",
        f"{report['questions']} question{'' if report['questions'] == 1 else 's'}: "
        + (", ".join(f"{n} {outcome}" for outcome, n in report["outcomes"].items()) or "none recorded"),
        "",
        f"Top unanswered questions ({report['unanswered']['count']}: declined, partial, did-you-mean, clarified)",
    ]
    for i, group in enumerate(report["unanswered"]["top"], 1):
        outcomes = ", ".join(f"{o} {n}" for o, n in group["outcomes"].items())
        lines.append(
            f"  {i:>2}. {group['count']:>3} x  {group['question']!r}  [{outcomes}; kind {_first(group['kinds'])}]"
        )
        lines += [f"             also: {e!r}" for e in group["examples"] if e != group["question"]]
    if not report["unanswered"]["top"]:
        lines.append("  (none)")
    fb = report["feedback"]
    lines += ["", f"Disliked answers ({fb['dislike']} thumbs down, {fb['like']} thumbs up)"]
    for item in fb["disliked"]:
        question = repr(item["question"]) if item["question"] else "(answer no longer kept)"
        said = repr(item["feedback"]) if item["feedback"] else "(no comment)"
        lines.append(f"  {item['at'][:16]}  {question}  [kind {item['kind'] or '-'}]  feedback: {said}")
    if not fb["disliked"]:
        lines.append("  (none)")
    lines += ["", "Questions per answer kind"]
    for row in report["kinds"]:
        outcomes = ", ".join(f"{o} {n}" for o, n in row["outcomes"].items())
        lines.append(f"  {row['kind']:<24} {row['questions']:>5}   ({outcomes})")
    if not report["kinds"]:
        lines.append("  (none)")
    return "\n".join(lines)


async def collect(environ: dict[str, str] | None, env_file: Path | None, days: float, top: int) -> tuple[dict, str]:
    settings = load_settings(environ, env_file)
    location = insights_location(settings.insights, settings.state_store)
    store = create_insights_store(settings.insights, settings.state_store, settings.azure_connection_string)
    if store is None or location is None:
        raise ConfigError("insights are off (INSIGHTS=off): nothing is recorded, so there is nothing to report")
    if location == "memory":
        raise ConfigError("insights are kept in memory (STATE_STORE=memory): set INSIGHTS to a store to report on")
    until = time.time()
    since = until - days * 86400
    async with store:
        questions = await store.questions(since, until)
        feedback = await store.feedback(since, until)
    return build_report(questions, feedback, since, until, top), location


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make report", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--days", type=float, default=DEFAULT_DAYS, help="the period: the last N days (default 30)")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, help="how many unanswered question groups to list")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    if args.days <= 0 or args.top < 1:
        parser.error("--days must be more than 0 and --top at least 1")
    return args


async def run(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """The command; environ replaces the process environment (tests)."""
    args = parse_args(argv)
    try:
        report, location = await collect(environ, Path(".env"), args.days, args.top)
    except (ConfigError, ValueError, InsightsError) as error:
        print(f"no report: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"store": location, **report}, indent=2, ensure_ascii=False))
    else:
        print(render_text(report, location))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return asyncio.run(run(argv))
    except BrokenPipeError:  # piped into head: the reader has all it wanted
        sys.stderr.close()
        return 0


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _first(counts: dict[str, int]) -> str:
    return next(iter(counts), "-")


if __name__ == "__main__":
    sys.exit(main())
