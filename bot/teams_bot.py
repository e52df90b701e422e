"""The Teams activity handler: turns activities into router input and router output into activities."""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import time
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
from bot.state import ConversationStates, key_hash, state_key
from cards.render import CARD_CONTENT_TYPE, Button, Choice, choice_card
from dialogs.router import Reply, TurnInput, TurnResult, handle_turn
from knowledge.answers import EXAMPLE_QUESTIONS
from knowledge.index import KnowledgeIndex

log = logging.getLogger("stagecoach.turn")
_AT_TAG = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


def welcome_card() -> dict[str, Any]:
    return choice_card(
        Choice(
            title="Welcome to StageCoach",
            text="Hi, I'm StageCoach. I answer questions about MCEM and MSSP and check your opportunities.",
            lines=(
                "Ask about MCEM roles, accountable units, stages and exit criteria, or about the nine MSSP "
                "sales stages: probability, objective, verifiable outcome, checkpoints and key steps.",
                "Say \u201cqualify\u201d to check an opportunity against a stage's checkpoints, one at a time.",
                "Everything I say comes from the MCEM Sales Roles Guide and the MSSP document.",
            ),
            buttons=(
                *(Button(q, question=q) for q in EXAMPLE_QUESTIONS[:3]),
                Button("Check an opportunity", {"action": "check.pick", "kind": "mssp"}, style="positive"),
            ),
        )
    )


def message_text(activity: Activity) -> str | None:
    """The user's words without the bot's @mention. Card submits arrive with text None."""
    if activity.text is None:
        return None
    text = activity.text
    # Mentions without text, recipient or "mentioned" make the SDK raise: keep the raw text then.
    with contextlib.suppress(AttributeError, TypeError, KeyError):
        text = TurnContext.remove_recipient_mention(activity) or text
    return _AT_TAG.sub(" ", text).strip()


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

    async def _run(self, context: TurnContext, turn: TurnInput) -> tuple[TurnResult, dict[str, Any] | None]:
        key = self._key(context)
        started = time.perf_counter()
        before: dict[str, Any] = {}

        def step(state: dict[str, Any] | None) -> tuple[dict[str, Any], TurnResult]:
            before["state"] = state
            result = handle_turn(self.index, state, turn)
            return result.state, result

        result = await self.states.update(key, step)
        extra = {"text": turn.text} if self.log_text and turn.text else {}
        log.info(
            "turn",
            extra={
                "conversation": key_hash(key),
                "activity_type": context.activity.type,
                "kind": result.kind,
                "confidence": result.confidence,
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                **extra,
            },
        )
        return result, before.get("state")

    async def _send(
        self, context: TurnContext, result: TurnResult, previous: dict[str, Any] | None
    ) -> list[ResourceResponse]:
        """Send the replies; if they cannot be sent, put the state back so no answer is half-taken.

        A question's answer is its first reply (a re-asked checkpoint may follow): that one gets the
        thumbs up/down, when insights are on to keep them."""
        answer = self.insights.enabled and result.outcome != "dialog"
        try:
            activities = [reply_activity(r, feedback=answer and i == 0) for i, r in enumerate(result.replies)]
            return list(await context.send_activities(activities) or [])
        except Exception:
            await self.states.restore(self._key(context), previous, written=result.state)
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
        result, previous = await self._run(turn_context, turn)
        if result.answered_card and activity.reply_to_id:
            await self._update_card(turn_context, activity.reply_to_id, result.answered_card)
        responses = await self._send(turn_context, result, previous)
        self._record(turn, result, responses)

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
        result, previous = await self._run(turn_context, turn)
        card = result.answered_card
        replies = list(result.replies)
        if card is None and replies and replies[0].card is not None:
            card = replies.pop(0).card
        if replies:
            await self._send(turn_context, TurnResult(replies, result.state, outcome="dialog"), previous)
        self._record(turn, result, [])  # the answer is the invoke response: no activity id to rate
        if card is None:
            body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Done."}
        else:
            body = {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
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
