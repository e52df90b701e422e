"""`make report` (tools/report.py) on SQLite and on Azurite: read from the store the bot's settings name,
with unanswered questions grouped by similarity, disliked answers with their feedback, counts per kind."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import INSIGHTS_KEY, create_app
from bot.config import load_settings
from bot.insights import FeedbackRecord, QuestionRecord, create_insights_store
from tests.azurite import AzuriteServer, azurite  # noqa: F401
from tests.fake_channel import ChatClient, FakeChannel, activity
from tools import report

NOW = time.time()
DAY = 86400.0
BACKENDS = ["sqlite", pytest.param("azureblob", marks=pytest.mark.azurite)]


@pytest.fixture(params=BACKENDS)
def environ(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The bot's settings for a store of this kind; the report reads them as the bot does."""
    if request.param == "sqlite":
        return {"STATE_STORE": f"sqlite:///{tmp_path}/state.db"}
    server: AzuriteServer = request.getfixturevalue("azurite")
    return {
        "STATE_STORE": f"azureblob://state-{uuid.uuid4().hex[:12]}",
        "AZURE_STORAGE_CONNECTION_STRING": server.connection_string,
    }


async def fill(environ: dict[str, str], questions: list[QuestionRecord], feedback: list[FeedbackRecord]) -> None:
    settings = load_settings(environ, env_file=None)
    store = create_insights_store(settings.insights, settings.state_store, settings.azure_connection_string)
    assert store is not None
    async with store:
        for q in questions:
            await store.add_question(q)
        for f in feedback:
            await store.add_feedback(f)


async def run_report(capsys: pytest.CaptureFixture[str], environ: dict[str, str], *args: str) -> str:
    assert await report.run(list(args), environ=environ) == 0
    return capsys.readouterr().out


def asked(at: float, text: str, outcome: str, kind: str = "unknown", confidence: float = 0.0) -> QuestionRecord:
    return QuestionRecord(at, text, kind, outcome, confidence, None)


QUESTIONS = [
    asked(NOW - 3600, "what's the weather tomorrow?", "declined"),
    asked(NOW - 3000, "What is the weather tomorrow", "declined"),
    asked(NOW - 2000, "whats the weather like tomorrow?", "declined"),
    asked(NOW - 1000, "How do I book travel?", "declined"),
    asked(NOW - 900, "chekpoints for qualfy", "did_you_mean", "did_you_mean", 0.42),
    asked(NOW - 800, "Checkpoints for Qualify", "answered", "mssp.checkpoints", 0.95),
    asked(NOW - 700, "Who owns Listen & Consult?", "answered", "mcem.owner", 0.9),
    asked(NOW - 40 * DAY, "an old question outside the period", "declined"),
]
FEEDBACK = [
    FeedbackRecord(
        NOW - 600, "dislike", "It should also say who signs off", "Checkpoints for Qualify", "mssp.checkpoints"
    ),
    FeedbackRecord(NOW - 500, "like", "", "Who owns Listen & Consult?", "mcem.owner"),
    FeedbackRecord(NOW - 40 * DAY, "dislike", "too old to show", None, None),
]


async def test_the_json_report(environ: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    await fill(environ, QUESTIONS, FEEDBACK)

    data = json.loads(await run_report(capsys, environ, "--json"))

    assert data["questions"] == 7
    assert data["outcomes"] == {"declined": 4, "answered": 2, "did_you_mean": 1}
    top = data["unanswered"]["top"]
    assert data["unanswered"]["count"] == 5
    assert [(g["question"], g["count"]) for g in top] == [
        ("what's the weather tomorrow?", 3),
        ("chekpoints for qualfy", 1),
        ("How do I book travel?", 1),
    ]
    assert top[0]["examples"] == [
        "what's the weather tomorrow?",
        "What is the weather tomorrow",
        "whats the weather like tomorrow?",
    ]
    assert data["feedback"]["like"] == 1 and data["feedback"]["dislike"] == 1
    [disliked] = data["feedback"]["disliked"]
    assert (disliked["question"], disliked["kind"], disliked["feedback"]) == (
        "Checkpoints for Qualify",
        "mssp.checkpoints",
        "It should also say who signs off",
    )
    assert {row["kind"]: row["questions"] for row in data["kinds"]} == {
        "unknown": 4,
        "did_you_mean": 1,
        "mssp.checkpoints": 1,
        "mcem.owner": 1,
    }
    assert data["store"].endswith(("state-insights.db", "-insights"))


async def test_the_text_report_and_a_longer_period(environ: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    await fill(environ, QUESTIONS, FEEDBACK)

    text = await run_report(capsys, environ)
    longer = await run_report(capsys, environ, "--days", "60")

    assert '3 x  "what\'s the weather tomorrow?"' in text
    assert "feedback: 'It should also say who signs off'" in text
    assert "mssp.checkpoints" in text
    assert "an old question outside the period" not in text and "too old to show" not in text
    assert "an old question outside the period" in longer and "too old to show" in longer


async def test_insights_off_is_said_plainly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert await report.run([], environ={"INSIGHTS": "off", "STATE_STORE": f"sqlite:///{tmp_path}/s.db"}) == 2
    assert "insights are off" in capsys.readouterr().err


async def test_an_empty_store_reports_none(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = await run_report(capsys, {"STATE_STORE": f"sqlite:///{tmp_path}/state.db"})
    assert "0 questions: none recorded" in text and "(none)" in text


@pytest.fixture
async def bot(environ: dict[str, str]) -> AsyncIterator[TestClient]:
    """The real app, with its stores made from the same settings the report reads."""
    client = TestClient(TestServer(create_app(load_settings(environ, env_file=None)), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


async def test_a_declined_question_and_a_thumbs_down_reach_the_report(
    bot: TestClient, channel: FakeChannel, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    chat = ChatClient(bot, channel)
    await chat.send("what's the weather tomorrow?")
    recorder = bot.server.app[INSIGHTS_KEY]
    await recorder.flush()
    assert recorder.store is not None
    [question] = await recorder.store.questions(0)
    value: dict[str, Any] = {"actionName": "feedback", "actionValue": {"reaction": "dislike", "feedback": "Useless"}}
    invoke = activity(
        channel, chat.conversation_id, chat.user_id, type="invoke", name="message/submitAction", value=value,
        replyToId=question.activity_id,
    )  # fmt: skip
    response = await bot.post("/api/messages", json=invoke)
    assert response.status == 200
    await recorder.flush()

    data = json.loads(await run_report(capsys, environ, "--json"))

    assert data["unanswered"]["top"][0]["question"] == "what's the weather tomorrow?"
    assert data["feedback"]["disliked"][0]["question"] == "what's the weather tomorrow?"
    assert data["feedback"]["disliked"][0]["feedback"] == "Useless"
