"""Load: 200 conversations at once, 10 turns each, against the real app on loopback with SQLite state.

Half the conversations ask knowledge questions (phrases from tests/questions/knowledge.json), half run
a checkpoint check (start, answers typed or clicked, questions in between, summary). Every reply must
say exactly what the same script says when run alone through the dialog logic, every question its
expected phrases, and every check must end with the right summary counts and stored state.
Run with -s to see throughput and latency.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from app import create_app
from bot.config import Settings
from bot.state import state_key
from bot.storage import SqliteStorage
from bot.teams_bot import reply_activity
from dialogs.router import TurnInput, handle_turn
from knowledge.index import KnowledgeIndex
from tests.fake_channel import FakeChannel, activity, cards, said

pytestmark = pytest.mark.slow

CONVERSATIONS = 200
TURNS = 10
TIME_LIMIT_SECONDS = 120
ANSWER_WORDS = {"yes": "yes", "no": "no", "unsure": "not sure"}
QUESTION_FILE = Path(__file__).parent / "questions" / "knowledge.json"


@dataclass(frozen=True)
class Step:
    text: str | None = None  # typed
    click: str | None = None  # the answer button pressed on the last card ("yes" / "no" / "unsure")
    question: dict[str, Any] | None = None  # the question-set entry when this step asks one


@dataclass
class Script:
    conversation_id: str
    steps: list[Step]
    stage: str | None = None  # for a check: the MSSP stage and the answers given, in order
    answers: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)  # what each turn says, from the reference run


# --- the reference: the same script through the pure dialog logic, one turn at a time ----------------


def rendered(result_replies: list[Any]) -> list[dict[str, Any]]:
    return [reply_activity(r).serialize() for r in result_replies]


def answer_button(replies: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    for card in cards(replies):
        for button in _buttons(card):
            data = button.get("data")
            if isinstance(data, dict) and data.get("action") == "check.answer" and data.get("answer") == answer:
                return data
    raise AssertionError(f"no {answer!r} button in {said(replies)[:200]!r}")


def _buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    from cards.render import card_buttons

    return card_buttons(card)


def run_reference(ix: KnowledgeIndex, script: Script) -> list[list[dict[str, Any]]]:
    """The replies of each turn."""
    state: dict[str, Any] | None = None
    last: list[dict[str, Any]] = []
    out: list[list[dict[str, Any]]] = []
    for step in script.steps:
        turn = TurnInput(text=step.text) if step.click is None else TurnInput(value=answer_button(last, step.click))
        result = handle_turn(ix, state, turn)
        state = json.loads(json.dumps(result.state))  # as storage gives it back
        last = rendered(result.replies)
        out.append(last)
    return out


def answer_of(replies: list[dict[str, Any]]) -> str:
    """The answer to a question: the first reply (in a check, the open checkpoint is asked again after it)."""
    return said(replies[:1])


def meets(text: str, question: dict[str, Any]) -> bool:
    """The question set's expectations: every 'all' phrase, one of each 'any' group, no 'none' phrase."""
    return (
        all(p in text for p in question["all"])
        and all(any(p in text for p in group) for group in question["any"])
        and not any(p in text for p in question["none"])
    )


def answered_alone(ix: KnowledgeIndex) -> list[dict[str, Any]]:
    """Questions the bot answers as the question set expects when asked on their own: the load test
    checks that concurrency changes nothing, not the accuracy (tests/test_question_set.py does)."""
    questions = json.loads(QUESTION_FILE.read_text())
    return [q for q in questions if meets(answer_of(run_reference(ix, Script("alone", [Step(q["say"])]))[0]), q)]


def knowledge_script(rng: random.Random, pool: list[dict[str, Any]]) -> Script:
    questions = rng.sample(pool, TURNS)
    return Script("load-k-" + uuid.uuid4().hex[:8], [Step(q["say"], question=q) for q in questions])


def check_script(rng: random.Random, ix: KnowledgeIndex, pool: list[dict[str, Any]]) -> Script:
    """qualify <stage>, one answer per checkpoint (typed or clicked), questions in between, to 10 turns."""
    stage = rng.choice([s for s in ix.kb.mssp_stages if len(s.checkpoints) <= TURNS - 2])
    answers = [rng.choice(list(ANSWER_WORDS)) for _ in stage.checkpoints]
    steps = [Step(f"qualify {stage.name}")]
    asides = rng.sample(pool, TURNS - 1 - len(answers))
    slots = sorted(rng.sample(range(TURNS - 1), len(asides)))  # where, among the turns after the start
    answer_iter, aside_iter = iter(answers), iter(asides)
    for position in range(TURNS - 1):
        if position in slots:
            q = next(aside_iter)
            steps.append(Step(q["say"], question=q))
        else:
            answer = next(answer_iter)
            steps.append(Step(click=answer) if rng.random() < 0.5 else Step(ANSWER_WORDS[answer]))
    return Script("load-c-" + uuid.uuid4().hex[:8], steps, stage=stage.id, answers=answers)


def summary_is_right(text: str, answers: list[str]) -> bool:
    met, missing, unsure = (answers.count(a) for a in ("yes", "no", "unsure"))
    found = re.search(r"(\d+) of (\d+) checkpoints? met", text)
    return (
        found is not None
        and (int(found.group(1)), int(found.group(2))) == (met, len(answers))
        and (not missing or f"{missing} missing" in text)
        and (not unsure or f"{unsure} not sure" in text)
    )


def build_scripts(ix: KnowledgeIndex) -> list[Script]:
    rng = random.Random(20261122)
    pool = answered_alone(ix)
    assert len(pool) >= 50, f"only {len(pool)} questions answered as expected alone"
    scripts: list[Script] = []
    while len(scripts) < CONVERSATIONS:
        script = knowledge_script(rng, pool) if len(scripts) % 2 == 0 else check_script(rng, ix, pool)
        reference = run_reference(ix, script)
        script.expected = [said(replies) for replies in reference]
        # In a check an aside may read as an answer or a command and derail it, in the reference too:
        # keep only scripts whose asides are answered and whose check ends where the answers say.
        asides_answered = all(
            meets(answer_of(replies), step.question)
            for step, replies in zip(script.steps, reference, strict=True)
            if step.question
        )
        if not asides_answered or (
            script.stage and not any(summary_is_right(text, script.answers) for text in script.expected)
        ):
            continue
        scripts.append(script)
    return scripts


# --- the run -------------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    turns: int = 0


@pytest.fixture
async def bot_url(tmp_path: Path, channel: FakeChannel) -> AsyncIterator[tuple[str, SqliteStorage]]:
    storage = SqliteStorage(tmp_path / "state.db")
    server = TestServer(create_app(Settings(), storage=storage), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("/api/messages")), storage
    await server.close()


async def converse(
    session: aiohttp.ClientSession, url: str, channel: FakeChannel, script: Script, results: Results
) -> None:
    try:
        await _converse(session, url, channel, script, results)
    except Exception as error:  # counted, so one broken conversation does not hide the others' results
        results.errors.append(f"{script.conversation_id}: {type(error).__name__}: {error}")


async def _converse(
    session: aiohttp.ClientSession, url: str, channel: FakeChannel, script: Script, results: Results
) -> None:
    last: list[dict[str, Any]] = []
    for number, step in enumerate(script.steps):
        value = answer_button(last, step.click) if step.click else None
        body = activity(channel, script.conversation_id, "user-" + script.conversation_id, text=step.text, value=value)
        started = time.perf_counter()
        async with session.post(url, json=body) as response:
            await response.read()
            status = response.status
        results.latencies.append(time.perf_counter() - started)
        results.turns += 1
        # Only messages: turns over 0.5 s also get a typing activity (bot/typing_indicator.py).
        last = [a for a in channel.take(script.conversation_id) if a.get("type") == "message"]
        text = said(last)
        where = f"{script.conversation_id} turn {number + 1}"
        if status != 201:
            results.errors.append(f"{where}: HTTP {status}")
        elif text != script.expected[number]:
            results.errors.append(f"{where}: said {text[:120]!r}, alone it says {script.expected[number][:120]!r}")
        elif step.question and not meets(answer_of(last), step.question):
            results.errors.append(f"{where}: {step.question['id']} misses its expected phrases")


async def test_200_conversations_at_once_10_turns_each(
    bot_url: tuple[str, SqliteStorage], channel: FakeChannel, ix: KnowledgeIndex
) -> None:
    url, storage = bot_url
    scripts = build_scripts(ix)
    results = Results()
    connector = aiohttp.TCPConnector(limit=0)  # every conversation has its own connection, all at once
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        async with asyncio.timeout(TIME_LIMIT_SECONDS):
            await asyncio.gather(*(converse(session, url, channel, s, results) for s in scripts))
        wall = time.perf_counter() - started

    checks = [s for s in scripts if s.stage]
    for script in checks:
        key = state_key("msteams", script.conversation_id, "user-" + script.conversation_id)
        state = (await storage.read([key]))[key]["state"]
        if state["check"] is not None or state["last_check"] != {"kind": "mssp", "stage": script.stage}:
            results.errors.append(f"{script.conversation_id}: ended in {state['check']!r} / {state['last_check']!r}")

    latencies = sorted(results.latencies)
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"\nload: {len(scripts)} conversations x {TURNS} turns ({len(checks)} checkpoint checks), "
        f"{results.turns} turns in {wall:.1f} s = {results.turns / wall:.0f} turns/s; latency "
        f"p50 {quantiles[49] * 1000:.0f} ms, p90 {quantiles[89] * 1000:.0f} ms, "
        f"p99 {quantiles[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; errors {len(results.errors)}"
    )
    assert results.errors == [], results.errors[:10]
    assert results.turns == CONVERSATIONS * TURNS
    assert len(checks) == CONVERSATIONS // 2
