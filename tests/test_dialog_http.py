"""Checkpoint checks over the real HTTP endpoint, with a fake channel recording what the bot posts."""

from __future__ import annotations

from typing import Any

import pytest

from bot.state import state_key
from knowledge.model import KnowledgeBase
from tests.fake_channel import ChatClient, FakeChannel, button, said

MSSP_STAGES = ["demand-generation", "prospect", "qualify", "develop", "solution", "proof", "close", "deploy", "support"]


@pytest.mark.parametrize("stage", MSSP_STAGES)
async def test_every_stage_typing_and_clicking(chat: ChatClient, kb: KnowledgeBase, stage: str) -> None:
    spec = kb.mssp_stage(stage)
    replies = await chat.send(f"run the checkpoint check for {spec.name}")
    assert spec.checkpoints[0] in said(replies)
    n = len(spec.checkpoints)
    for i in range(n):
        # alternate: click the card's button (value, text None) and type the answer
        replies = await chat.click(button(replies, "Not yet")) if i % 2 == 0 else await chat.send("yes")
    expected_met = sum(1 for i in range(n) if i % 2 == 1)
    text = said(replies)
    assert f"{expected_met} of {n} met" in text
    assert spec.key_steps[0].text in text or expected_met == n


async def test_clicked_card_is_updated_in_place(chat: ChatClient, channel: FakeChannel) -> None:
    replies = await chat.send("qualify Qualify")
    await chat.click(button(replies, "Yes, met"), reply_to_id="activity-card-1")
    (update,) = channel.updated[chat.conversation_id]
    assert update["id"] == "activity-card-1"
    assert "Your answer: Yes" in said([update])
    assert not update["attachments"][0]["content"].get("actions")


async def test_two_sellers_in_one_channel_keep_their_own_checks(client: Any, channel: FakeChannel) -> None:
    conversation = {"id": "19:team-channel", "conversationType": "channel", "tenantId": "t"}
    alice = ChatClient(client, channel, "19:team-channel", user_id="alice")
    bob = ChatClient(client, channel, "19:team-channel", user_id="bob")
    await alice.send("qualify Qualify", conversation=conversation)
    await bob.send("run the checkpoint check for Proof", conversation=conversation)
    alice_next = said(await alice.send("yes", conversation=conversation))
    bob_next = said(await bob.send("no", conversation=conversation))
    assert "Sponsor has buying vision" in alice_next
    assert "Pre-proposal/ Statement of work (SOW) review conducted" in bob_next


async def test_state_is_stored_per_user_and_kept_after_an_interruption(chat: ChatClient, storage: Any) -> None:
    await chat.send("qualify Qualify")
    await chat.send("yes")
    await chat.send("what does MQP mean")
    key = state_key("msteams", chat.conversation_id, chat.user_id)
    state = (await storage.read([key]))[key]["state"]
    assert state["check"]["answers"] == ["yes", None, None, None]
    assert "MQP" not in str(state)  # no transcripts: questions are not stored
    text = said(await chat.send("no"))
    assert "Sponsor agrees to explore" in text
