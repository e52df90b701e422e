"""Teams' built-in thumbs up/down: the `message/submitAction` invoke, read and checked.

Teams sends {"actionName": "feedback", "actionValue": {"reaction": "like" | "dislike", "feedback": ...}}
with replyToId = the answer's activity id; `feedback` is what the user typed, sometimes as a JSON
string '{"feedbackText": "..."}', sometimes as plain text or an object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.insights import REACTIONS

FEEDBACK_ACTION = "feedback"
MAX_REPLY_TO_ID_CHARS = 256


@dataclass(frozen=True)
class Feedback:
    reaction: str
    text: str
    reply_to_id: str


class BadFeedback(ValueError):
    """The invoke is not feedback we can store; the message says why (it becomes the 400 body)."""


def parse_feedback(value: Any, reply_to_id: str | None) -> Feedback:
    if not isinstance(value, dict) or value.get("actionName") != FEEDBACK_ACTION:
        raise BadFeedback("StageCoach handles only the 'feedback' submit action")
    action = value.get("actionValue")
    if not isinstance(action, dict):
        raise BadFeedback("'actionValue' must be an object with 'reaction' and 'feedback'")
    reaction = action.get("reaction")
    if reaction not in REACTIONS:
        raise BadFeedback("'actionValue.reaction' must be 'like' or 'dislike'")
    if not isinstance(reply_to_id, str) or not reply_to_id.strip() or len(reply_to_id) > MAX_REPLY_TO_ID_CHARS:
        raise BadFeedback("'replyToId' must be the id of the answer the feedback is about")
    return Feedback(str(reaction), feedback_text(action.get("feedback")), reply_to_id)


def feedback_text(raw: Any) -> str:
    """The typed text from any of the shapes Teams uses: None, text, a JSON string or an object."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        try:
            decoded = json.loads(raw)
        except (ValueError, RecursionError):
            return raw.strip()
        if isinstance(decoded, str):
            return decoded.strip()
        if not isinstance(decoded, dict):
            return raw.strip()
        raw = decoded
    if isinstance(raw, dict):
        text = raw.get("feedbackText", "")
        if text is None:
            return ""
        if isinstance(text, str):
            return text.strip()
    raise BadFeedback("'actionValue.feedback' must be text, or an object with 'feedbackText' text")
