"""Teams' thumbs up/down and the question log, over HTTP through the real app.

Answers carry channelData.feedbackLoopEnabled (checkpoint prompts do not); each question is kept
with its text, kind, confidence and outcome (no user, tenant or conversation ids); the
message/submitAction invoke is stored with the question and kind of the answer it refers to, and a
bad one gets a 400 that says why, never a 500."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import INSIGHTS_KEY, create_app
from bot.config import Settings
from bot.feedback import BadFeedback, feedback_text
from bot.insights import InsightsStore, MemoryInsightsStore
from bot.storage import MemoryStorage
from tests.fake_channel import ChatClient, FakeChannel, activity


@pytest.fixture
def insights() -> MemoryInsightsStore:
    return MemoryInsightsStore()


@pytest.fixture
async def client(storage: MemoryStorage, insights: MemoryInsightsStore) -> AsyncIterator[TestClient]:
    test_client = TestClient(TestServer(create_app(Settings(), storage=storage, insights=insights), host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()


async def flush(client: TestClient) -> None:
    await client.server.app[INSIGHTS_KEY].flush()


def feedback_invoke(channel: FakeChannel, chat: ChatClient, reply_to_id: Any, action_value: Any) -> dict[str, Any]:
    value = {"actionName": "feedback", "actionValue": action_value}
    return activity(
        channel, chat.conversation_id, chat.user_id, type="invoke", name="message/submitAction", value=value,
        replyToId=reply_to_id,
    )  # fmt: skip


async def post(client: TestClient, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = await client.post("/api/messages", json=body)
    assert response.status < 500, await response.text()
    return response.status, await response.json()


def feedback_flags(replies: list[dict[str, Any]]) -> list[bool]:
    return [bool((r.get("channelData") or {}).get("feedbackLoopEnabled")) for r in replies]


async def test_an_answer_offers_thumbs_and_is_kept_with_its_activity_id(
    chat: ChatClient, insights: MemoryInsightsStore, client: TestClient
) -> None:
    replies = await chat.send("What are the checkpoints for Qualify?")
    await flush(client)

    assert feedback_flags(replies) == [True]
    [record] = await insights.questions(0)
    assert (record.question, record.kind, record.outcome) == (
        "What are the checkpoints for Qualify?",
        "mssp.checkpoints",
        "answered",
    )
    assert record.confidence is not None and record.confidence > 0.5
    assert record.activity_id and record.activity_id.startswith("activity-")  # the id the channel gave the answer


async def test_a_declined_question_is_kept_without_any_id_of_the_user(
    chat: ChatClient, insights: MemoryInsightsStore, client: TestClient
) -> None:
    await chat.send("what's the weather tomorrow?")
    await flush(client)

    [record] = await insights.questions(0)
    assert (record.question, record.kind, record.outcome, record.confidence) == (
        "what's the weather tomorrow?",
        "unknown",
        "declined",
        0.0,
    )
    kept = json.dumps(record.to_json())
    for private in (chat.user_id, chat.conversation_id, "aadObjectId", '"t"'):
        assert private not in kept


async def test_check_turns_are_not_questions_and_their_prompts_get_no_thumbs(
    chat: ChatClient, insights: MemoryInsightsStore, client: TestClient
) -> None:
    started = await chat.send("qualify proof")
    answered = await chat.send("yes")
    asked_during_check = await chat.send("what is the probability at Proof?")
    await flush(client)

    assert not any(feedback_flags(started)) and not any(feedback_flags(answered))
    # The answer to a question asked mid-check gets thumbs; the re-asked checkpoint after it does not.
    assert feedback_flags(asked_during_check) == [True, False]
    assert [q.question for q in await insights.questions(0)] == ["what is the probability at Proof?"]


async def test_a_suggestion_button_question_is_kept_by_its_text(
    chat: ChatClient, insights: MemoryInsightsStore, client: TestClient
) -> None:
    await chat.click({"action": "ask", "question": "Who owns Listen & Consult?"})
    await flush(client)
    assert [q.question for q in await insights.questions(0)] == ["Who owns Listen & Consult?"]


async def test_thumbs_down_is_stored_with_the_question_and_kind(
    chat: ChatClient, channel: FakeChannel, client: TestClient, insights: MemoryInsightsStore
) -> None:
    await chat.send("what's the weather tomorrow?")
    await flush(client)
    [asked] = await insights.questions(0)

    status, body = await post(
        client,
        feedback_invoke(
            channel, chat, asked.activity_id, {"reaction": "dislike", "feedback": '{"feedbackText":"Not helpful"}'}
        ),
    )
    await flush(client)

    assert status == 200 and body["statusCode"] == 200
    [kept] = await insights.feedback(0)
    assert (kept.reaction, kept.feedback, kept.question, kept.kind) == (
        "dislike",
        "Not helpful",
        "what's the weather tomorrow?",
        "unknown",
    )


async def test_feedback_on_an_unknown_answer_is_kept_without_a_question(
    chat: ChatClient, channel: FakeChannel, client: TestClient, insights: MemoryInsightsStore
) -> None:
    status, _ = await post(client, feedback_invoke(channel, chat, "no-such-answer", {"reaction": "like"}))
    await flush(client)
    assert status == 200
    assert [(f.reaction, f.question) for f in await insights.feedback(0)] == [("like", None)]


@pytest.mark.parametrize(
    ("reply_to_id", "value", "problem"),
    [
        ("a-1", {"reaction": "meh", "feedback": ""}, "'like' or 'dislike'"),
        ("a-1", "dislike", "'actionValue' must be an object"),
        ("a-1", {"reaction": "dislike", "feedback": 42}, "'actionValue.feedback' must be text"),
        ("a-1", {"reaction": "dislike", "feedback": '{"feedbackText": ["x"]}'}, "'actionValue.feedback'"),
        (None, {"reaction": "dislike"}, "'replyToId' must be the id"),
        ("x" * 300, {"reaction": "dislike"}, "'replyToId' must be the id"),
    ],
)
async def test_bad_feedback_is_a_400_that_says_why(
    chat: ChatClient,
    channel: FakeChannel,
    client: TestClient,
    insights: MemoryInsightsStore,
    reply_to_id: Any,
    value: Any,
    problem: str,
) -> None:
    status, body = await post(client, feedback_invoke(channel, chat, reply_to_id, value))
    await flush(client)
    assert status == 400
    assert body["statusCode"] == 400 and problem in body["value"]["message"]
    assert await insights.feedback(0) == []


async def test_another_submit_action_is_a_400(chat: ChatClient, channel: FakeChannel, client: TestClient) -> None:
    body = feedback_invoke(channel, chat, "a-1", {"reaction": "like"})
    body["value"]["actionName"] = "share"
    status, answer = await post(client, body)
    assert status == 400 and "only the 'feedback'" in answer["value"]["message"]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (None, ""),
        ("plain words", "plain words"),
        ('{"feedbackText": " json text "}', "json text"),
        ({"feedbackText": "object"}, "object"),
        ('"a json string"', "a json string"),
        ("{not json", "{not json"),
        ('{"feedbackText": null}', ""),
    ],
)
def test_feedback_text_in_every_shape_teams_sends(raw: Any, text: str) -> None:
    assert feedback_text(raw) == text


def test_feedback_text_refuses_other_shapes() -> None:
    with pytest.raises(BadFeedback):
        feedback_text(["a list"])


class FailingStore(MemoryInsightsStore):
    async def add_question(self, record: Any) -> None:
        raise OSError("insights disk is gone")

    async def add_feedback(self, record: Any) -> None:
        raise OSError("insights disk is gone")


@pytest.mark.parametrize("store", [FailingStore(), None], ids=["failing store", "insights off"])
async def test_turns_work_when_insights_fail_or_are_off(
    storage: MemoryStorage, channel: FakeChannel, store: InsightsStore | None
) -> None:
    settings = Settings(insights="on" if store else "off")
    client = TestClient(TestServer(create_app(settings, storage=storage, insights=store), host="127.0.0.1"))
    await client.start_server()
    try:
        chat = ChatClient(client, channel)
        replies = await chat.send("What are the checkpoints for Qualify?")
        assert chat.last_status == 201 and "Sponsor has buying vision" in json.dumps(replies)
        assert feedback_flags(replies) == [store is not None]
        status, body = await post(client, feedback_invoke(channel, chat, "activity-0", {"reaction": "dislike"}))
        assert status == 200
        if store is None:
            assert "not kept" in body["value"]
        await flush(client)
    finally:
        await client.close()
