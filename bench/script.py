"""What each simulated user says, in order and round again: questions mixed with a checkpoint check."""

from __future__ import annotations

import uuid
from typing import Any

# Seven questions (one a follow-up) and seven check turns: pick, start, answers, a question mid-check.
TURNS: tuple[str, ...] = (
    "who owns Realize Value?",
    "and Inspire & Design?",
    "what are the checkpoints for Qualify?",
    "qualify",  # the stage picker card
    "Proof",  # starts the Proof check: four checkpoints
    "yes",
    "what does a CSA do?",  # a question during the check: the answer, then the checkpoint again
    "no",
    "not sure",
    "yes",  # the summary card
    "which stage is 80%?",
    "key steps in the proof stage",
    "who keeps the RAID logs?",
    "thanks",
)


def message_activity(service_url: str, conversation_id: str, user_id: str, text: str) -> dict[str, Any]:
    """A Teams message activity as the channel posts it (the shape tests/fake_channel.py uses)."""
    return {
        "type": "message",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "name": "Bench User", "aadObjectId": str(uuid.uuid5(uuid.NAMESPACE_DNS, user_id))},
        "recipient": {"id": "bot", "name": "StageCoach"},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "locale": "en-US",
        "text": text,
    }
