"""Conversation state through the real server process (`python app.py`): restarts, several instances
sharing one store, concurrent turns in one conversation, a storage outage, and what is kept.

The servers post their replies to an in-process FakeChannel (the serviceUrl of each activity); replies
are told apart by their replyToId, so concurrent turns in one conversation can be checked one by one.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from app import STORAGE_KEY, create_app
from bot.config import load_settings
from bot.state import state_key
from bot.storage import SqliteStorage, create_storage
from bot.storage.sqlite import PURGE_INTERVAL_SECONDS
from dialogs import checkpoint as ck
from knowledge.model import KnowledgeBase
from tests.azurite import AzuriteServer, azurite  # noqa: F401
from tests.fake_channel import FakeChannel, actions, activity, said
from tests.server_process import ServerProcess, running_servers

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30)
START = "qualify Qualify"  # the Qualify stage has 4 checkpoints
REFUSALS = ("already answered", "no longer open", "already open")
UNAVAILABLE = ("temporarily unavailable", "answers are kept")
STATE_FIELDS = {"check", "pending", "picking", "last_check", "context"}
# 0.5 s delay, then every 2 s (bot/adapter.py): a typing loop left running would show within this.
TYPING_PERIOD_SECONDS = 2.0


# --- talking to the servers ------------------------------------------------------------------------


class Seller:
    """One user in one conversation, talking to one or more server processes over HTTP."""

    def __init__(self, http: aiohttp.ClientSession, channel: FakeChannel, user_id: str = "seller-1") -> None:
        self.http = http
        self.channel = channel
        self.conversation_id = "conv-" + uuid.uuid4().hex[:12]
        self.user_id = user_id

    @property
    def key(self) -> str:
        return state_key("msteams", self.conversation_id, self.user_id)

    async def post(self, server: ServerProcess, text: str | None = None, value: Any = None, **extra: Any) -> str:
        """Send one activity; returns its id once the server has answered the HTTP request (turn done)."""
        body = activity(self.channel, self.conversation_id, self.user_id, text, value, **extra)
        async with self.http.post(server.url + "/api/messages", json=body) as response:
            detail = await response.text()
            assert response.status < 500, f"{response.status}: {detail}\n{server.log_tail()}"
        return str(body["id"])

    def replies(self, activity_id: str, kind: str = "message") -> list[dict[str, Any]]:
        return [
            a
            for a in self.channel.posted.get(self.conversation_id, [])
            if a.get("replyToId") == activity_id and a.get("type") == kind
        ]

    async def send(self, server: ServerProcess, text: str | None = None, value: Any = None) -> list[dict[str, Any]]:
        return self.replies(await self.post(server, text, value))

    async def send_with_id(self, server: ServerProcess, activity_id: str, text: str) -> list[dict[str, Any]]:
        return self.replies(await self.post(server, text, id=activity_id))


def answer_button(replies: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    """The data of the answer button on the last checkpoint card in these replies."""
    found = [a for a in actions(replies) if a.get("action") == "check.answer" and a.get("answer") == answer]
    assert found, f"no {answer!r} button in: {said(replies)[:500]}"
    return found[-1]


def summary(kb: KnowledgeBase, answers: list[str]) -> str:
    return ck.summary_sentence(kb, {"kind": "mssp", "stage": "qualify", "answers": answers})


def refused(replies: list[dict[str, Any]]) -> bool:
    text = said(replies)
    return any(phrase in text for phrase in REFUSALS)


async def stored_item(server: ServerProcess, key: str) -> dict[str, Any] | None:
    """The item as the server's store holds it (read with the storage class, from this process)."""
    storage = create_storage(server.env["STATE_STORE"], server.env["AZURE_STORAGE_CONNECTION_STRING"] or None)
    async with storage:
        return (await storage.read([key])).get(key)


def azure_env(azurite: AzuriteServer, container: str) -> dict[str, str]:  # noqa: F811
    return {"STATE_STORE": f"azureblob://{container}", "AZURE_STORAGE_CONNECTION_STRING": azurite.connection_string}


def new_container() -> str:
    return "durability-" + uuid.uuid4().hex[:12]


class GatedChannel(FakeChannel):
    """A channel that holds the bot's replies to one activity until the replies to another have
    arrived, then refuses them (HTTP 500): a reply that fails while a later turn has already run."""

    def __init__(self, held: str, releaser: str) -> None:
        super().__init__()
        self.held, self.releaser = held, releaser
        self.holding = asyncio.Event()  # a reply to `held` is waiting at the gate
        self.released = asyncio.Event()  # a reply to `releaser` has arrived

    async def _handle(self, request: web.Request) -> web.Response:
        if request.method == "POST" and request.path.endswith("/" + self.held):
            self.holding.set()
            async with asyncio.timeout(20):
                await self.released.wait()
            self.requests += 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        response = await super()._handle(request)
        if request.method == "POST" and request.path.endswith("/" + self.releaser):
            self.released.set()
        return response


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
        yield session


@pytest.fixture(scope="module")
def sqlite_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ...]]:
    """Two server processes on one SQLite file (one host, several workers)."""
    root = tmp_path_factory.mktemp("sqlite-pair")
    env = {"STATE_STORE": f"sqlite:///{root / 'state.db'}"}
    with running_servers(ServerProcess(root, env), ServerProcess(root, env)) as servers:
        yield servers


@pytest.fixture(scope="module")
def azure_pair(
    azurite: AzuriteServer,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ServerProcess, ...]]:
    """Two server processes sharing one Azurite container (two instances behind a load balancer)."""
    root = tmp_path_factory.mktemp("azure-pair")
    env = azure_env(azurite, new_container())
    with running_servers(ServerProcess(root, env), ServerProcess(root, env)) as servers:
        yield servers


TOPOLOGIES = [
    pytest.param("sqlite", 1, id="sqlite-one-instance"),
    pytest.param("sqlite", 2, id="sqlite-two-instances"),
    pytest.param("azure", 1, id="azure-one-instance", marks=pytest.mark.azurite),
    pytest.param("azure", 2, id="azure-two-instances", marks=pytest.mark.azurite),
]


def pick_servers(request: pytest.FixtureRequest, backend: str, instances: int) -> tuple[ServerProcess, ServerProcess]:
    # Requested lazily, so `-m "not azurite"` never starts Azurite.
    pair = request.getfixturevalue("sqlite_pair" if backend == "sqlite" else "azure_pair")
    return (pair[0], pair[1]) if instances == 2 else (pair[0], pair[0])


# --- restart -------------------------------------------------------------------------------------


async def test_check_survives_a_killed_server(
    tmp_path: Path, http: aiohttp.ClientSession, channel: FakeChannel, kb: KnowledgeBase
) -> None:
    server = ServerProcess(tmp_path, {"STATE_STORE": f"sqlite:///{tmp_path / 'state.db'}"})
    seller = Seller(http, channel)
    try:
        await asyncio.to_thread(server.start)
        replies = await seller.send(server, START)
        assert "Checkpoint 1 of 4" in said(replies)
        replies = await seller.send(server, value=answer_button(replies, "yes"))
        assert "Checkpoint 2 of 4" in said(replies)
        replies = await seller.send(server, value=answer_button(replies, "no"))
        assert "Checkpoint 3 of 4" in said(replies)
        card_before_the_crash = answer_button(replies, "yes")

        killed_at = time.monotonic()
        server.kill()  # SIGKILL: no cleanup, no close of the database
        ready_after = await asyncio.to_thread(server.start)
        # Asking for the same check again shows where it stands.
        replies = await seller.send(server, START)
        recovered_after = time.monotonic() - killed_at
        assert "already open" in said(replies)
        assert "Checkpoint 3 of 4" in said(replies)

        # A card sent before the crash still works, and the earlier answers are all there.
        replies = await seller.send(server, value=card_before_the_crash)
        assert "Checkpoint 4 of 4" in said(replies)
        replies = await seller.send(server, "not sure")
        assert summary(kb, ["yes", "no", "yes", "unsure"]) in said(replies)
        assert "2 of 4 met" in said(replies)
        print(f"\nrestart: ready {ready_after:.2f} s after SIGKILL, first turn answered after {recovered_after:.2f} s")
        assert recovered_after < 15
    finally:
        server.stop()


# --- several instances ------------------------------------------------------------------------------


@pytest.mark.azurite
async def test_turns_alternating_between_two_instances_complete_the_check(
    azure_pair: tuple[ServerProcess, ...], http: aiohttp.ClientSession, channel: FakeChannel, kb: KnowledgeBase
) -> None:
    a, b = azure_pair
    seller = Seller(http, channel)
    replies = await seller.send(a, START)
    assert "Checkpoint 1 of 4" in said(replies)
    replies = await seller.send(b, value=answer_button(replies, "yes"))
    assert "Checkpoint 2 of 4" in said(replies)
    replies = await seller.send(a, value=answer_button(replies, "no"))
    assert "Checkpoint 3 of 4" in said(replies)
    stale_card = answer_button(replies, "no")
    replies = await seller.send(b, value=answer_button(replies, "unsure"))
    assert "Checkpoint 4 of 4" in said(replies)
    # The card just answered on b, clicked again on a: refused, nothing changes.
    replies = await seller.send(a, value=stale_card)
    assert "already answered" in said(replies) and "Checkpoint 4 of 4" in said(replies)
    replies = await seller.send(a, "yes")
    assert summary(kb, ["yes", "no", "unsure", "yes"]) in said(replies)
    # The summary was written by a; b sees the finished check too.
    replies = await seller.send(b, "restart")
    assert "Checkpoint 1 of 4" in said(replies)


# --- concurrent turns in one conversation --------------------------------------------------------


@pytest.mark.parametrize("same_answer", [True, False], ids=["double-click", "two-devices"])
@pytest.mark.parametrize(("backend", "instances"), TOPOLOGIES)
async def test_concurrent_turns_record_exactly_one_answer(
    request: pytest.FixtureRequest,
    backend: str,
    instances: int,
    same_answer: bool,
    http: aiohttp.ClientSession,
    channel: FakeChannel,
    kb: KnowledgeBase,
) -> None:
    first, second = pick_servers(request, backend, instances)
    seller = Seller(http, channel)

    # Two starts at once on a new conversation: one creates the check, the other finds it open.
    ids = await asyncio.gather(seller.post(first, START), seller.post(second, START))
    started = [seller.replies(i) for i in ids]
    assert sorted("already open" in said(r) for r in started) == [False, True], [said(r) for r in started]
    check_ids = {answer_button(r, "yes")["check"] for r in started}
    assert len(check_ids) == 1

    pairs = [("yes", "no"), ("no", "unsure"), ("unsure", "yes"), ("yes", "no")]
    recorded: list[str] = []
    latest = started[0]
    for step, (answer_1, answer_2) in enumerate(pairs):
        answer_2 = answer_1 if same_answer else answer_2
        clicks = [answer_button(latest, answer_1), answer_button(latest, answer_2)]
        assert all(c["step"] == step for c in clicks)
        ids = await asyncio.gather(seller.post(first, value=clicks[0]), seller.post(second, value=clicks[1]))
        results = [seller.replies(i) for i in ids]
        winners = [i for i, r in enumerate(results) if not refused(r)]
        assert len(winners) == 1, [said(r) for r in results]
        (winner,) = winners
        recorded.append(clicks[winner]["answer"])
        latest = results[winner]
        loser = results[1 - winner]
        if step < len(pairs) - 1:
            assert f"Checkpoint {step + 2} of 4" in said(latest)
            assert "already answered" in said(loser) and f"Checkpoint {step + 2} of 4" in said(loser)
        else:
            assert "no longer open" in said(loser)

    assert summary(kb, recorded) in said(latest)
    item = await stored_item(first, seller.key)
    assert item is not None
    assert item["state"]["check"] is None
    assert item["state"]["last_check"] == {"kind": "mssp", "stage": "qualify"}
    # And the conversation carries on normally on either instance.
    replies = await seller.send(second, "restart")
    assert "Checkpoint 1 of 4" in said(replies)


async def test_an_undelivered_reply_leaves_the_check_where_it_was(
    request: pytest.FixtureRequest, http: aiohttp.ClientSession, channel: FakeChannel
) -> None:
    server, _ = pick_servers(request, "sqlite", 1)
    seller = Seller(http, channel)
    replies = await seller.send(server, START)
    card = answer_button(replies, "yes")
    before = await stored_item(server, seller.key)
    channel.fail_next(500, times=10)  # the reply and any retries of it; the apology fails too
    requests_before = channel.requests
    await seller.post(server, value=card)
    assert channel.requests > requests_before
    channel.failures.clear()
    after = await stored_item(server, seller.key)
    assert after is not None and before is not None and after["state"] == before["state"]
    replies = await seller.send(server, value=card)  # the user clicks again: it is taken now
    assert "Checkpoint 2 of 4" in said(replies)


async def test_a_failed_reply_does_not_undo_a_later_turn(
    request: pytest.FixtureRequest, http: aiohttp.ClientSession, kb: KnowledgeBase
) -> None:
    """Turn A answers checkpoint 1, but its reply cannot be delivered; meanwhile turn B (typed on a
    second device) answers checkpoint 2 on top of it and is told so. Putting A's "before" state back
    would silently drop B's answer, so the rollback must only happen while nothing was built on A."""
    server, _ = pick_servers(request, "sqlite", 1)
    a_id, b_id = uuid.uuid4().hex, uuid.uuid4().hex
    channel = await GatedChannel(held=a_id, releaser=b_id).start()
    try:
        seller = Seller(http, channel)
        replies = await seller.send(server, START)
        turn_a = asyncio.create_task(seller.post(server, value=answer_button(replies, "yes"), id=a_id))
        async with asyncio.timeout(20):
            await channel.holding.wait()  # A has stored its answer and is sending its reply
        b_replies = await seller.send_with_id(server, b_id, "no")
        assert "Checkpoint 3 of 4" in said(b_replies)
        await turn_a
        assert "went wrong" not in said(b_replies)

        replies = await seller.send(server, "help")
        assert "Checkpoint 3 of 4" in said(replies), said(replies)
        item = await stored_item(server, seller.key)
        assert item is not None and item["state"]["check"]["answers"] == ["yes", "no", None, None]
    finally:
        await channel.close()


# --- storage outage --------------------------------------------------------------------------------


@pytest.mark.azurite
async def test_azure_outage_is_explained_and_the_check_resumes(
    azurite: AzuriteServer,  # noqa: F811
    tmp_path: Path,
    http: aiohttp.ClientSession,
    channel: FakeChannel,
    kb: KnowledgeBase,
) -> None:
    server = ServerProcess(tmp_path, azure_env(azurite, new_container()))
    seller = Seller(http, channel)
    try:
        await asyncio.to_thread(server.start)
        replies = await seller.send(server, START)
        replies = await seller.send(server, value=answer_button(replies, "yes"))
        assert "Checkpoint 2 of 4" in said(replies)
        card = answer_button(replies, "no")
        before = await stored_item(server, seller.key)

        await asyncio.to_thread(azurite.stop)
        failed_id = await seller.post(server, value=card)
        text = said(seller.replies(failed_id))
        assert all(phrase in text for phrase in UNAVAILABLE), text
        assert len(text) < 250
        assert server.is_running
        assert await asyncio.to_thread(server.healthz) == 503
        # The failed turn is over: nothing more may be sent for it (no endless "typing...").
        typing_after_failure = len(seller.replies(failed_id, "typing"))
        await asyncio.sleep(TYPING_PERIOD_SECONDS + 0.6)
        assert len(seller.replies(failed_id, "typing")) == typing_after_failure

        await asyncio.to_thread(azurite.start)  # same port, same data directory
        deadline = time.monotonic() + 15
        while await asyncio.to_thread(server.healthz) != 200:
            assert time.monotonic() < deadline, "healthz did not recover"
            await asyncio.sleep(0.1)
        assert await stored_item(server, seller.key) == before  # untouched by the failed turn

        replies = await seller.send(server, "help")
        assert "Checkpoint 2 of 4" in said(replies)
        replies = await seller.send(server, value=card)  # the same card again, now it is taken
        assert "Checkpoint 3 of 4" in said(replies)
        replies = await seller.send(server, value=answer_button(replies, "yes"))
        replies = await seller.send(server, value=answer_button(replies, "yes"))
        assert summary(kb, ["yes", "no", "yes", "yes"]) in said(replies)
    finally:
        if not azurite.is_running:
            azurite.start()
        server.stop()


@pytest.mark.azurite
async def test_hung_storage_keeps_healthz_and_turns_bounded(
    azurite: AzuriteServer,  # noqa: F811
    azure_pair: tuple[ServerProcess, ...],
    http: aiohttp.ClientSession,
    channel: FakeChannel,
) -> None:
    server = azure_pair[0]
    seller = Seller(http, channel)
    replies = await seller.send(server, START)
    card = answer_button(replies, "yes")
    azurite.pause()  # connections are accepted, nothing is answered
    try:
        started = time.monotonic()
        status, failed_id = await asyncio.gather(
            asyncio.to_thread(server.healthz, 10.0), seller.post(server, value=card)
        )
        assert status == 503
        text = said(seller.replies(failed_id))
        assert all(phrase in text for phrase in UNAVAILABLE), text
        assert time.monotonic() - started < 10
    finally:
        azurite.resume()
    replies = await seller.send(server, value=card)
    assert "Checkpoint 2 of 4" in said(replies)


# --- data kept to a minimum ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("azure", marks=pytest.mark.azurite)])
async def test_stored_state_holds_no_message_text(
    request: pytest.FixtureRequest, backend: str, http: aiohttp.ClientSession, channel: FakeChannel
) -> None:
    server, _ = pick_servers(request, backend, 1)
    seller = Seller(http, channel)
    marker = "zanzibar" + uuid.uuid4().hex[:6]
    questions = [
        "who owns Realize Value?",
        f"what about the {marker} deal budget?",
        START,
        f"my customer {marker} is thinking about it",  # neither an answer nor a question, during a check
        "what are the key steps in the proof stage?",
    ]
    for question in questions:
        await seller.send(server, question)

    item = await stored_item(server, seller.key)
    assert item is not None
    assert set(item) == {"state", "e_tag", "activity_ids"}  # ids of the last activities applied (redeliveries)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in item["activity_ids"])
    assert set(item["state"]) <= STATE_FIELDS
    assert item["state"]["check"]["misses"] == 1  # the turns did reach the stored state
    stored = json.dumps(item).lower()
    assert marker not in stored
    for question in questions:
        assert question.lower().rstrip("?") not in stored
    assert seller.user_id not in json.dumps(item["state"])
    assert marker not in server.log_path.read_text(errors="replace")  # LOG_MESSAGE_TEXT is off by default


async def test_state_ttl_days_setting_reaches_sqlite_and_expires_state(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    settings = load_settings({"STATE_STORE": f"sqlite:///{db}", "STATE_TTL_DAYS": "2"}, env_file=None)
    app = create_app(settings)
    storage = app[STORAGE_KEY]
    assert isinstance(storage, SqliteStorage)
    assert storage.ttl_seconds == 2 * 86400
    await storage.close()
    default = create_app(load_settings({"STATE_STORE": f"sqlite:///{db}"}, env_file=None))[STORAGE_KEY]
    assert isinstance(default, SqliteStorage) and default.ttl_seconds == 30 * 86400
    await default.close()

    # The same TTL, with a clock the test can move: state left alone that long is gone, file row included.
    now = [1_700_000_000.0]
    key = state_key("msteams", "conv-ttl", "seller-1")
    async with SqliteStorage(db, ttl_seconds=settings.state_ttl_seconds, clock=lambda: now[0]) as store:
        await store.write({key: {"state": {"check": None}}})
        now[0] += settings.state_ttl_seconds - 1
        assert key in await store.read([key])
        now[0] += 2
        assert await store.read([key]) == {}
        now[0] += PURGE_INTERVAL_SECONDS  # the hourly purge then deletes the row itself
        assert await store.read([key]) == {}
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT COUNT(*) FROM state_items").fetchone() == (0,)
