"""The Teams activity handler: turns activities into router input and router output into activities."""

from __future__ import annotations

import copy
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    AttachmentLayoutTypes,
    ChannelAccount,
    ResourceResponse,
)

from bot.errors import on_turn_error
from bot.feedback import BadFeedback, parse_feedback
from bot.insights import InsightsRecorder, question_record
from bot.state import AlreadyApplied, ConversationStates, key_hash, state_key
from bot.storage import StorageError
from cards.render import CARD_CONTENT_TYPE
from dialogs.router import Reply, TurnInput, TurnResult, handle_turn
from dialogs.welcome import welcome_card
from knowledge.index import KnowledgeIndex
from knowledge.normalize import MAX_QUESTION_CHARS

log = logging.getLogger("stagecoach.turn")
# Text past this is cut before any step looks at it (a question is at most MAX_QUESTION_CHARS: a
# longer text still reads as too long after the cut). Every step below is linear in what is left.
MAX_MESSAGE_CHARS = 4 * MAX_QUESTION_CHARS
# A mention's display text is a name; a longer one is not a mention we strip.
MAX_MENTION_CHARS = 256
MAX_MENTIONS = 20  # entities looked at for the bot's own mention
# "[^<]*" cannot run past the next "<": each match attempt stops there, so the scan is linear
# (".*?</at>" rescanned to the end of the text from every "<at>": 60,000 of them took 106 s).
_AT_TAG = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)


def message_text(activity: Activity) -> str | None:
    """The user's words without @mentions, cut to MAX_MESSAGE_CHARS first. Card submits have text None.

    Not TurnContext.remove_recipient_mention: it runs regexes over the whole text, uses the mention
    entity's (sender-chosen) name as a regex pattern, raises on incomplete entities and changes
    activity.text.
    """
    if activity.text is None:
        return None
    text = activity.text.strip()[:MAX_MESSAGE_CHARS]  # strip() is linear; padding must not hide the words
    for mention in _recipient_mention_texts(activity):
        text = text.replace(mention, " ")
    return _AT_TAG.sub(" ", text).strip()


def _recipient_mention_texts(activity: Activity) -> list[str]:
    """The text of each mention entity naming the bot (e.g. "<at>StageCoach</at>"), when short enough."""
    recipient = activity.recipient.id if activity.recipient else None
    found: list[str] = []
    for entity in (activity.entities or [])[:MAX_MENTIONS]:
        properties = getattr(entity, "additional_properties", None) or {}
        mentioned = properties.get("mentioned")
        text = properties.get("text")
        if (
            str(getattr(entity, "type", "")).lower() == "mention"
            and isinstance(mentioned, dict)
            and recipient is not None
            and mentioned.get("id") == recipient
            and isinstance(text, str)
            and 0 < len(text) <= MAX_MENTION_CHARS
        ):
            found.append(text)
    return found


def question_text(turn: TurnInput) -> str | None:
    """What the user asked: typed text, or the question of a suggestion button ({"action": "ask"})."""
    if turn.text and turn.text.strip():
        return turn.text
    value = turn.value
    if isinstance(value, dict) and value.get("action") == "ask" and isinstance(value.get("question"), str):
        return value["question"]
    return None


class ReplyActivity(Activity):
    """An Activity built for one reply, whose copies share its cards' content.

    TurnContext.send_activities deep-copies every activity it sends, so that a caller may change and
    reuse its own. A reply is built for one send and never touched again, and its card content is a
    dict rendered for it alone (cards/render.py) that nothing changes afterwards: copying that node by
    node was 7% of a turn's CPU. The copy is a plain Activity; everything but the card content is copied.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Activity:
        copied = Activity()
        for name, value in self.__dict__.items():
            if name == "attachments" and value is not None:
                # New Attachment objects holding the same (immutable once rendered) content.
                value = [type(a)(**{field: getattr(a, field) for field in a._attribute_map}) for a in value]
            else:
                value = copy.deepcopy(value, memo)
            copied.__dict__[name] = value
        return copied


def reply_activity(reply: Reply, feedback: bool = False) -> Activity:
    """The activity for one reply; feedback=True lets Teams show its thumbs up/down under it."""
    activity = _reply_activity(reply)
    if feedback:
        activity.channel_data = {"feedbackLoopEnabled": True}
    return activity


def _reply_activity(reply: Reply) -> Activity:
    if reply.card is None:
        return MessageFactory.text(reply.text or "")
    # As MessageFactory.attachment builds it.
    activity = ReplyActivity(
        type=ActivityTypes.message,
        attachment_layout=AttachmentLayoutTypes.list,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=reply.card)],
    )
    if reply.text:
        activity.text = reply.text
    activity.summary = card_summary(reply.card, reply.text)
    return activity


_DONE = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Done."}


@dataclass(frozen=True)
class RanTurn:
    result: TurnResult
    previous: dict[str, Any] | None  # the state the turn started from
    saved: bool  # False: storage failed and a question was answered without saving anything


def answers_without_state(before: dict[str, Any] | None, result: TurnResult) -> bool:
    """True when the turn is a question answered from the knowledge alone: everything it changed is
    the follow-up context, so not saving it loses nothing the user was told was recorded."""
    return result.confidence is not None and result.kind != "unknown" and _lasting(before) == _lasting(result.state)


def _lasting(state: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (state or {}).items() if v and k != "context"}


def card_summary(card: dict[str, Any], text: str | None = None) -> str:
    """What notifications and screen readers show for a card message: its text, else the card's speak."""
    return text or card.get("speak") or "StageCoach"


def card_update(activity_id: str, card: dict[str, Any]) -> Activity:
    """The activity that replaces a sent card (an answered checkpoint), with its summary like any reply."""
    update = MessageFactory.attachment(CardFactory.adaptive_card(card))
    update.id = activity_id
    update.summary = card_summary(card)
    return update


class StageCoachBot(TeamsActivityHandler):
    def __init__(
        self,
        index: KnowledgeIndex,
        states: ConversationStates,
        log_text: bool = False,
        insights: InsightsRecorder | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.states = states
        self.log_text = log_text
        self.insights = insights or InsightsRecorder(None)

    async def on_turn(self, turn_context: TurnContext) -> None:
        # A failed turn is answered here, inside the middleware pipeline, instead of by the adapter's
        # on_turn_error outside it: the apology is then sent as any reply is, before the turn ends and
        # the typing indicator stops. (botbuilder 4.17.1's ShowTypingMiddleware, used before
        # bot/typing_indicator.py, never stopped after an error: microsoft/botbuilder-python#1980.)
        try:
            await super().on_turn(turn_context)
        except Exception as error:
            await on_turn_error(turn_context, error)

    def _key(self, context: TurnContext) -> str:
        a = context.activity
        return state_key(
            a.channel_id or "",
            a.conversation.id if a.conversation else "",
            (a.from_property.id if a.from_property else "") or "",
        )

    async def _run(self, context: TurnContext, turn: TurnInput) -> RanTurn | None:
        """Run the turn on the stored state and store the new one; None for a redelivered activity.

        When the state cannot be read or written, a question is still answered (it needs no state);
        anything else raises the StorageError, and the user is told the step could not be saved.
        """
        key = self._key(context)
        started = time.perf_counter()
        ran: dict[str, Any] = {}

        def step(state: dict[str, Any] | None) -> tuple[dict[str, Any], TurnResult]:
            result = handle_turn(self.index, state, turn)
            ran["state"], ran["result"] = state, result
            return result.state, result

        saved = True
        try:
            result = await self.states.update(key, step, activity_id=context.activity.id)
        except AlreadyApplied:
            log.info("redelivered activity acknowledged, not applied again", extra=self._log_ids(context, key))
            return None
        except StorageError as error:
            if "result" not in ran:  # the state could not be read
                ran["state"], ran["result"] = None, handle_turn(self.index, None, turn)
            result, saved = ran["result"], False
            if not answers_without_state(ran["state"], result):
                raise
            log.warning(
                "state not saved; the question was answered anyway",
                extra={**self._log_ids(context, key), "error_type": type(error).__name__},
            )
        extra = {"text": turn.text} if self.log_text and turn.text else {}
        log.info(
            "turn",
            extra={
                **self._log_ids(context, key),
                "kind": result.kind,
                "confidence": result.confidence,
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                **extra,
            },
        )
        return RanTurn(result, ran.get("state"), saved)

    @staticmethod
    def _log_ids(context: TurnContext, key: str) -> dict[str, Any]:
        return {"conversation": key_hash(key), "activity_type": context.activity.type}

    async def _send(
        self, context: TurnContext, ran: RanTurn, result: TurnResult | None = None
    ) -> list[ResourceResponse]:
        """Send the replies (ran's, or result's when given); if they cannot be sent, put the state back
        so no answer is half-taken.

        A question's answer is its first reply (a re-asked checkpoint may follow): that one gets the
        thumbs up/down, when insights are on to keep them."""
        result = result or ran.result
        answer = self.insights.enabled and result.outcome != "dialog"
        try:
            activities = [reply_activity(r, feedback=answer and i == 0) for i, r in enumerate(result.replies)]
            return list(await context.send_activities(activities) or [])
        except Exception:
            if ran.saved:
                await self.states.restore(
                    self._key(context), ran.previous, written=ran.result.state, activity_id=context.activity.id
                )
            raise

    def _record(self, turn: TurnInput, result: TurnResult, responses: list[ResourceResponse]) -> None:
        """A question turn, for the insights report: never user, tenant or conversation ids."""
        question = question_text(turn)
        if result.outcome == "dialog" or not question:
            return
        answer_id = responses[0].id if responses and responses[0] is not None else None
        self.insights.record_question(
            question_record(question, result.kind, result.outcome, result.confidence, answer_id or None)
        )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        turn = TurnInput(text=message_text(activity), value=activity.value)
        ran = await self._run(turn_context, turn)
        if ran is None:
            return
        if ran.result.answered_card and activity.reply_to_id:
            await self._update_card(turn_context, activity.reply_to_id, ran.result.answered_card)
        responses = await self._send(turn_context, ran)
        self._record(turn, ran.result, responses)

    async def _update_card(self, context: TurnContext, activity_id: str, card: dict[str, Any]) -> None:
        """Show the answered card in place of the one clicked, where the channel allows it."""
        try:
            await context.update_activity(card_update(activity_id, card))
        except Exception as error:  # an old card left clickable is harmless: stale clicks are refused
            log.warning("card update failed: %s", type(error).__name__)

    async def on_adaptive_card_action(self, turn_context: TurnContext) -> InvokeResponse:
        """Universal Actions (Action.Execute): reply with the updated card; send the rest as messages."""
        value = turn_context.activity.value
        action = value.get("action") if isinstance(value, dict) else None
        data = action.get("data") if isinstance(action, dict) else None
        # A press without data is still a button press (answered "couldn't read that"), not empty text.
        turn = TurnInput(text=None, value={} if data is None else data)
        ran = await self._run(turn_context, turn)
        if ran is None:  # a redelivery: the first delivery got the card
            return InvokeResponse(status=200, body=_DONE)
        result = ran.result
        card = result.answered_card
        replies = list(result.replies)
        if card is None and replies and replies[0].card is not None:
            card = replies.pop(0).card
        if replies:
            await self._send(turn_context, ran, TurnResult(replies, result.state, outcome="dialog"))
        self._record(turn, result, [])  # the answer is the invoke response: no activity id to rate
        body = _DONE if card is None else {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
        return InvokeResponse(status=200, body=body)

    def on_feedback(self, turn_context: TurnContext) -> InvokeResponse:
        """Teams' thumbs up/down on an answer: stored (in the background) with the answer's question."""
        activity = turn_context.activity
        try:
            feedback = parse_feedback(activity.value, activity.reply_to_id)
        except BadFeedback as error:
            body = {
                "statusCode": 400,
                "type": "application/vnd.microsoft.error",
                "value": {"code": "BadRequest", "message": str(error)},
            }
            return InvokeResponse(status=400, body=body)
        if self.insights.enabled:
            self.insights.record_feedback(feedback.reaction, feedback.text, feedback.reply_to_id)
            message = "Thanks for your feedback."
        else:
            message = "Thanks. Feedback is not kept on this bot (insights are off)."
        log.info("feedback", extra={"reaction": feedback.reaction, "kept": self.insights.enabled})
        return InvokeResponse(
            status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": message}
        )

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        personal = (
            (activity.conversation.conversation_type or "personal") == "personal" if activity.conversation else True
        )
        bot_added = any(m.id == bot_id for m in members_added)
        # In a chat with one person, welcome them; in a team or group, say hello once, when the bot joins.
        if personal or bot_added:
            await turn_context.send_activity(reply_activity(Reply(card=welcome_card())))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        return  # conversationUpdate (membersAdded) already welcomes; one welcome is enough

    async def on_message_reaction_activity(self, turn_context: TurnContext) -> None:
        return  # reactions need no reply

    async def on_unrecognized_activity_type(self, turn_context: TurnContext) -> None:
        if turn_context.activity.type == ActivityTypes.invoke:
            await super().on_unrecognized_activity_type(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        name = turn_context.activity.name or ""
        if name == "adaptiveCard/action":
            return await self.on_adaptive_card_action(turn_context)
        if name == "message/submitAction":
            return self.on_feedback(turn_context)
        try:
            return await super().on_invoke_activity(turn_context)
        except Exception as error:  # an invoke we do not support is answered, not crashed on
            log.info("unsupported invoke %s: %s", name[:80], type(error).__name__)
            return InvokeResponse(status=501, body={"error": f"StageCoach does not handle invoke {name[:80]!r}."})
