"""Property-based tests: understanding and answers, the dialog router with any stored state and any
button data, and the HTTP endpoint with any activity JSON. Example counts are modest (the file runs
in seconds); the strategies lean towards the bot's own vocabulary so the deep paths get exercised."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app import create_app
from bot.config import Settings
from bot.storage import MemoryStorage
from cards.render import MAX_CARD_BYTES, answer_card
from dialogs import checkpoint as ck
from dialogs.router import TurnInput, handle_turn
from knowledge.index import build_index
from knowledge.kinds import answer_question
from knowledge.loader import default_knowledge
from knowledge.understand import Frame, understand
from tests.fake_channel import FakeChannel, activity

MAX_CALL_SECONDS = 0.050
IX = build_index(default_knowledge())  # module level: hypothesis tests cannot take function-scoped fixtures
QUESTIONS = [q["say"] for q in json.loads((Path(__file__).parent / "questions" / "knowledge.json").read_text())]
# What users type in a check: answers, commands, "qualify ..."; whole phrases, as the lexicon has them.
DIALOG_PHRASES = sorted(
    {p for phrases in IX.kb.lexicon.answers.values() for p in phrases}
    | {p for phrases in IX.kb.lexicon.commands.values() for p in phrases}
    | set(IX.kb.lexicon.check_start)
    | {"switch", "continue", "keep going", "qualify proof", "qualify close"}
)
VOCABULARY = sorted({w.strip("?.,!") for q in QUESTIONS for w in q.split()} | set(DIALOG_PHRASES))


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in n draws. (integers(0, n - 1) == 0 would be far likelier: hypothesis favours 0.)"""
    return draw(st.integers(0, n - 1)) == n // 2


# --- strategies --------------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
domain_text = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14).map(" ".join)
user_text = st.one_of(
    st.sampled_from(QUESTIONS),
    st.sampled_from(DIALOG_PHRASES),
    domain_text,
    st.text(max_size=80),
    st.tuples(domain_text, st.text(max_size=30), domain_text).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=400, max_size=700),  # around the 500-char cap
)
stage_ids = st.sampled_from(
    [s.id for s in IX.kb.mssp_stages] + [s.id for s in IX.kb.mcem_stages] + ["no-such-stage", ""]
)
kinds = st.sampled_from(["mssp", "mcem", "other", None])
actions = st.sampled_from(
    ["ask", "check.start", "check.pick", "check.switch", "check.continue", "check.answer", "check.back",
     "check.cancel", "check.restart", "check.explode", ""]
)  # fmt: skip


@st.composite
def checks(draw: st.DrawFn) -> Any:
    """Stored checks: mostly real ones at any step, some subtly corrupt, some garbage."""
    kind = draw(st.sampled_from(["mssp", "mcem"]))
    stages = IX.kb.mssp_stages if kind == "mssp" else IX.kb.mcem_stages
    stage = draw(st.sampled_from([s.id for s in stages]))
    check = ck.new_check(IX.kb, kind, stage)
    n = len(check["answers"])
    check["step"] = draw(st.integers(0, n))
    check["answers"] = [draw(st.sampled_from([*ck.ANSWERS])) for _ in range(check["step"])] + [None] * (
        n - check["step"]
    )
    check["misses"] = draw(st.integers(0, 5))
    corrupt = draw(st.sampled_from(["none", "none", "field", "misses", "garbage"]))
    if corrupt == "field":
        check[draw(st.sampled_from(["id", "kind", "stage", "step", "answers", "misses"]))] = draw(json_values)
    elif corrupt == "misses":  # the one field the router reads but the consistency check does not cover
        check["misses"] = draw(json_values)
    elif corrupt == "garbage":
        return draw(json_values)
    return check


@st.composite
def states(draw: st.DrawFn) -> Any:
    if one_in(draw, 10):
        return draw(json_values)  # not even a dict
    state: dict[str, Any] = {
        "check": draw(st.none() | checks()),
        "pending": draw(st.none() | st.fixed_dictionaries({"kind": kinds, "stage": stage_ids}) | json_values),
        "picking": draw(st.booleans() | json_values),
        "last_check": draw(st.none() | st.fixed_dictionaries({"kind": kinds, "stage": stage_ids}) | json_scalars),
        "context": draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["mssp.probability", "mcem.owner", "role.definition", "x"]),
                    "slots": json_values,
                }
            )
            | st.builds(lambda q: understand(q, IX).frame.to_dict(), st.sampled_from(QUESTIONS))
            | json_values
        ),
    }
    extra = draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2))
    return {**extra, **state}


@st.composite
def button_values(draw: st.DrawFn, state: Any) -> Any:
    """Button data: real shapes with random fields, the open check's own id sometimes, or anything."""
    if one_in(draw, 5):
        return draw(json_values)
    check = state.get("check") if isinstance(state, dict) else None
    check_id = check.get("id") if isinstance(check, dict) else None
    return {
        "action": draw(actions),
        "check": draw(st.sampled_from([check_id, "deadbeef", None])),
        "step": draw(st.integers(-1, 12) | json_values),
        "answer": draw(st.sampled_from([*ck.ANSWERS, "maybe", None])),
        "kind": draw(kinds),
        "stage": draw(stage_ids),
        "question": draw(user_text | json_values),
    }


@st.composite
def turns(draw: st.DrawFn) -> tuple[Any, TurnInput]:
    state = draw(states())
    if draw(st.booleans()):
        turn = TurnInput(text=draw(st.none() | user_text), value=None)
    else:
        turn = TurnInput(text=draw(st.none() | st.just("") | user_text), value=draw(button_values(state)))
    return state, turn


# --- understanding, answers, cards --------------------------------------------------------------------


def understood_card(text: str, context: Frame | None) -> dict[str, Any]:
    return answer_card(answer_question(IX, understand(text, IX, context)))


def timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=user_text, context_question=st.none() | st.sampled_from(QUESTIONS))
def test_understand_answer_and_card_never_fail(text: str, context_question: str | None) -> None:
    context = understand(context_question, IX).frame if context_question else None
    understanding, seconds = timed(understand, text, IX, context)
    assert seconds < MAX_CALL_SECONDS, (seconds, text[:80])
    assert 0.0 <= understanding.confidence <= 1.0
    result, seconds = timed(answer_question, IX, understanding)
    assert seconds < MAX_CALL_SECONDS
    card, seconds = timed(answer_card, result)
    assert seconds < MAX_CALL_SECONDS
    encoded = json.dumps(card, ensure_ascii=False, allow_nan=False).encode()
    assert len(encoded) < MAX_CARD_BYTES and card["type"] == "AdaptiveCard"
    # Deterministic: the same question in the same context reads and renders the same.
    assert understand(text, IX, context) == understanding
    assert understood_card(text, context) == card


# --- the router ---------------------------------------------------------------------------------------


def assert_json_state(state: Any) -> None:
    text = json.dumps(state, allow_nan=False)
    assert json.loads(text) == json.loads(json.dumps(state))
    assert isinstance(state, dict)
    assert set(state) == {"check", "pending", "picking", "last_check", "context"}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turn=turns())
def test_router_never_fails_on_any_stored_state_and_input(turn: tuple[Any, TurnInput]) -> None:
    state, turn_input = turn
    before = json.dumps(state, sort_keys=True, default=repr)
    result, seconds = timed(handle_turn, IX, state, turn_input)
    assert seconds < MAX_CALL_SECONDS * 2
    assert json.dumps(state, sort_keys=True, default=repr) == before  # the input state is never mutated
    assert_json_state(result.state)
    assert result.replies, "every turn says something"
    for reply in result.replies:
        assert reply.text or reply.card
        if reply.card is not None:
            assert len(json.dumps(reply.card, ensure_ascii=False).encode()) < MAX_CARD_BYTES
    check = result.state["check"]
    assert check is None or ck.check_is_consistent(IX.kb, check)


@settings(max_examples=60, deadline=None)
@given(script=st.lists(st.one_of(user_text, st.sampled_from(["yes", "no", "not sure", "back", "cancel"])), max_size=12))
def test_a_conversation_of_any_inputs_keeps_a_consistent_state(script: list[str]) -> None:
    state: dict[str, Any] | None = None
    for text in ["qualify proof", *script]:
        result = handle_turn(IX, state, TurnInput(text=text))
        assert_json_state(result.state)
        state = json.loads(json.dumps(result.state))  # as storage gives it back


# --- the HTTP endpoint -------------------------------------------------------------------------------


class LiveApp:
    """The real app and a fake channel on one private event loop, for hypothesis's synchronous tests."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        self.channel = self.runner.run(FakeChannel().start())
        self.client = self.runner.run(self._start_client())

    @staticmethod
    async def _start_client() -> TestClient:
        client = TestClient(TestServer(create_app(Settings(), storage=MemoryStorage()), host="127.0.0.1"))
        await client.start_server()
        return client

    def post(self, body: Any) -> tuple[int, str]:
        async def send() -> tuple[int, str]:
            data = json.dumps(body, allow_nan=False).encode()
            response = await self.client.post("/api/messages", data=data, headers={"Content-Type": "application/json"})
            return response.status, await response.text()

        return self.runner.run(asyncio.wait_for(send(), timeout=10))

    def close(self) -> None:
        self.runner.run(self.client.close())
        self.runner.run(self.channel.close())
        self.runner.close()


@pytest.fixture(scope="module")
def live() -> Iterator[LiveApp]:
    app = LiveApp()
    yield app
    app.close()


ids = st.text(min_size=1, max_size=30).filter(str.strip)


@st.composite
def activities(draw: st.DrawFn, service_url: str) -> Any:
    if one_in(draw, 10):
        return draw(json_values)
    body = activity(
        SimpleNamespace(url=service_url),  # type: ignore[arg-type]  # activity() reads only .url
        draw(ids),
        draw(ids),
        text=draw(st.none() | user_text),
        value=draw(st.none() | button_values({}) | json_values),
    )
    body["serviceUrl"] = draw(st.sampled_from([service_url] * 9 + ["not a url", "http://"]))
    body["type"] = draw(
        st.sampled_from(["message"] * 12 + ["invoke", "conversationUpdate", "messageReaction", "typing", "event"])
        | st.text(min_size=1, max_size=12)
    )
    optional = {
        "name": st.sampled_from(["adaptiveCard/action", "task/fetch", ""]) | st.text(max_size=12),
        "deliveryMode": st.sampled_from(["normal", "expectReplies", "weird"]),
        "entities": st.lists(json_values, max_size=3),
        "membersAdded": st.lists(st.fixed_dictionaries({"id": st.text(max_size=5)}), max_size=3),
        "channelData": json_values,
        "replyToId": st.text(max_size=10),
        "channelId": st.sampled_from(["msteams", "webchat", "emulator"]) | st.text(max_size=8),
        "locale": st.text(max_size=8),
        "attachments": st.lists(json_values, max_size=2),
        "conversation": st.fixed_dictionaries({"id": st.text(max_size=10)}) | json_values,
        "from": st.fixed_dictionaries({"id": st.text(max_size=10)}) | json_values,
    }
    for name, strategy in optional.items():
        if one_in(draw, 8):
            body[name] = draw(strategy)
    if body["type"] == "invoke" and body.get("name") == "adaptiveCard/action" and draw(st.booleans()):
        body["value"] = {"action": {"type": "Action.Execute", "data": draw(button_values({}))}}
    if one_in(draw, 8):
        body.pop(draw(st.sampled_from(["type", "serviceUrl", "conversation", "from", "text"])), None)
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_endpoint_never_answers_500_to_any_activity(live: LiveApp, data: st.DataObject) -> None:
    body = data.draw(activities(live.channel.url))
    status, text = live.post(body)
    event(f"HTTP {status} {text[:50]}")  # pytest --hypothesis-show-statistics: most examples must reach the bot (2xx)
    assert status < 500 or (status == 501 and isinstance(body, dict) and body.get("type") == "invoke"), (status, text)
    assert "Traceback" not in text
    if status >= 400:
        assert status in (400, 501) or status == 413, status
