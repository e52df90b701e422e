"""The question set in tests/questions, asked over HTTP and checked as tools/botprobe.py checks.

In-scope accuracy must stay at or above 97%, and every out-of-scope question must be declined.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.fake_channel import ChatClient, FakeChannel
from tools import botprobe

QUESTIONS = Path(__file__).resolve().parent / "questions"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "eval" / "sample.json"


def _cases() -> list[dict[str, Any]]:
    return [case for path in sorted(QUESTIONS.glob("*.json")) for case in json.loads(path.read_text())]


async def run_cases(client: Any, channel: FakeChannel, cases: list[dict[str, Any]]) -> dict[str, Counter]:
    totals: dict[str, Counter] = {}
    failures = []
    for case in cases:
        chat = ChatClient(client, channel)
        ok = True
        for turn in case.get("turns") or [case]:
            text = botprobe.said(await chat.send(turn.get("say")))
            problems = botprobe.check(text, turn)
            if problems:
                ok = False
                failures.append(f"{case['id']} {turn.get('say')!r}: {problems}")
        totals.setdefault(case.get("cat", ""), Counter())["ok" if ok else "failed"] += 1
    totals["_failures"] = Counter(failures)
    return totals


async def test_question_set_accuracy(client: Any, channel: FakeChannel) -> None:
    totals = await run_cases(client, channel, _cases())
    failures = list(totals.pop("_failures"))
    in_scope = [c for cat, c in totals.items() if cat != "out-of-scope"]
    passed = sum(c["ok"] for c in in_scope)
    total = sum(c["ok"] + c["failed"] for c in in_scope)
    assert total >= 250
    assert passed / total >= 0.97, failures
    out_of_scope = totals["out-of-scope"]
    assert out_of_scope["failed"] == 0 and out_of_scope["ok"] >= 30, failures


async def test_shared_sample_conversations(client: Any, channel: FakeChannel) -> None:
    sample = json.loads(SAMPLE.read_text())
    totals = await run_cases(client, channel, sample)
    failures = list(totals.pop("_failures"))
    assert not failures
