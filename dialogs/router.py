"""One conversation turn, as a pure function: (stored state, what the user sent) -> replies and new state.

No SDK types: the Bot Framework glue in bot/ and the terminal chat in tools/chat.py both call
handle_turn. State is a JSON-able dict per user and conversation:
    {"check": {...} | None, "pending": {...} | None, "picking": bool, "last_check": {...} | None,
     "context": {...} | None}
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from cards.render import (
    Button,
    Choice,
    answer_card,
    choice_card,
    question_card,
    summary_card,
)
from dialogs import checkpoint as ck
from dialogs.parsing import find_stage, parse_answer, parse_check_start, parse_command, without_handles
from knowledge import answers as ans
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.kinds import answer_question, canonical_question
from knowledge.understand import Understanding, understand

MAX_MISSES = 3
# Frame slots that hold entity ids, checked against the knowledge base when state is read back.
_SLOT_CHECKS = {
    "mcem_stage": lambda kb, v: any(s.id == v for s in kb.mcem_stages),
    "mssp_stage": lambda kb, v: any(s.id == v for s in kb.mssp_stages),
    "unit": lambda kb, v: v in kb.units,
    "role": lambda kb, v: v in kb.roles or v == "ce",
    "assignment": lambda kb, v: v in kb.assignments,
}


@dataclass(frozen=True)
class Reply:
    text: str | None = None
    card: dict[str, Any] | None = None


@dataclass
class TurnInput:
    text: str | None = None
    value: Any = None  # the data of a card button (Action.Submit / Action.Execute)


@dataclass
class TurnResult:
    replies: list[Reply]
    state: dict[str, Any]
    answered_card: dict[str, Any] | None = None  # replaces the card whose button was pressed
    kind: str = "none"  # what the turn was, for the structured log
    confidence: float | None = None
    # What became of a question: "answered" | "partial" | "declined" | "did_you_mean" | "clarify";
    # "dialog" for every turn that was not a question (checks, commands, button presses).
    outcome: str = "answered"


class Turn:
    """Builds one TurnResult; holds the knowledge index and a private copy of the state."""

    def __init__(self, ix: KnowledgeIndex, state: dict[str, Any] | None) -> None:
        self.ix = ix
        self.kb = ix.kb
        self.state = clean_state(ix, state)
        self.replies: list[Reply] = []
        self.answered_card: dict[str, Any] | None = None
        self.kind = "none"
        self.confidence: float | None = None
        self.outcome = "dialog"

    def result(self) -> TurnResult:
        return TurnResult(self.replies, self.state, self.answered_card, self.kind, self.confidence, self.outcome)

    def say(self, text: str | None = None, card: dict[str, Any] | None = None) -> None:
        self.replies.append(Reply(text, card))

    # --- entry -------------------------------------------------------------------------------

    def run(self, turn: TurnInput) -> TurnResult:
        if isinstance(turn.value, dict) and turn.value.get("action"):
            self.on_action(turn.value)
        elif turn.value is not None and not (turn.text or "").strip():
            self.kind = "bad_submit"
            self.say("I couldn't read that button press. It may come from an old card.")
            self.reask()
        else:
            self.on_text(without_handles((turn.text or "").strip()))
        return self.result()

    # --- text --------------------------------------------------------------------------------

    def on_text(self, text: str) -> None:
        if not text:
            self.kind = "empty"
            self.say("I didn't get any text. Ask me a question, or say help.")
            self.reask()
            return
        check = self.state.get("check")
        pending = self.state.get("pending")
        if pending and check and self.on_pending_text(text, pending):
            return
        command = parse_command(text, self.kb.lexicon)
        if check:
            if command:
                self.on_command(command)
                return
            answer = parse_answer(text, self.kb.lexicon)
            if answer:
                self.on_answer(check, check["step"], answer, from_card=False)
                return
        if not check and self.state.get("picking") and not command:
            kind, stage = find_stage(text, self.ix)
            if stage and kind:
                self.start_check(kind, stage)
                return
        starts, kind, stage = parse_check_start(text, self.ix)
        if starts:
            self.on_start_request(kind, stage)
            return
        if command:
            self.on_command(command)
            return
        self.on_question(text)

    def on_pending_text(self, text: str, pending: dict[str, Any]) -> bool:
        answer = parse_answer(text, self.kb.lexicon)
        words = text.lower().split()
        if answer == "yes" or words[:1] == ["switch"]:
            self.switch_check(pending)
            return True
        if answer == "no" or words[:1] in (["continue"], ["keep"]):
            self.state["pending"] = None
            self.kind = "check.continue"
            self.say("OK, carrying on with the open check.")
            self.reask()
            return True
        return False

    def on_question(self, text: str) -> None:
        context = Frame.from_dict(self.state.get("context"))
        understanding = understand(text, self.ix, context)
        self.kind = understanding.frame.kind
        self.confidence = round(understanding.confidence, 3)
        check = self.state.get("check")
        if check and not understanding.answerable and understanding.frame.kind not in ("help", "greeting", "thanks"):
            self.not_understood(check)
            return
        self.outcome = "answered"
        result = self.answer_for(understanding, context)
        if result.context is not None:
            self.state["context"] = result.context.to_dict()
        self.say(result.lead, answer_card(result))
        self.reask()

    def answer_for(self, understanding: Understanding, context: Frame | None) -> ans.Answer:
        frame = understanding.frame
        if not understanding.answerable and frame.kind not in ("help", "greeting", "thanks", "too_long"):
            options = self.did_you_mean(understanding)
            if options:
                self.kind = "did_you_mean"
                self.outcome = "did_you_mean"
                return ans.did_you_mean(options, understanding.unknown_words)
        answer = answer_question(self.ix, understanding)
        self.outcome = answer_outcome(answer.kind, understanding.frame)
        return answer

    def did_you_mean(self, understanding: Understanding) -> tuple[str, ...]:
        """Questions to offer when a reading came close but not close enough."""
        frame = understanding.frame
        candidates = list(understanding.alternatives)
        if frame.kind != "unknown" and understanding.confidence >= 0.3:
            candidates.insert(0, frame)
        questions = (canonical_question(self.ix, c) for c in candidates)
        return tuple(dict.fromkeys(q for q in questions if q))

    # --- card buttons ------------------------------------------------------------------------

    def on_action(self, value: dict[str, Any]) -> None:
        action = value.get("action")
        if action == "ask" and isinstance(value.get("question"), str):
            self.on_text(value["question"][:500])
            return
        if action == "check.start":
            kind, stage = value.get("kind"), value.get("stage")
            if ck.is_valid_stage(self.kb, kind, stage):
                self.on_start_request(str(kind), str(stage))
            else:
                self.kind = "bad_submit"
                self.say(f"I don't know that stage. Pick one of the {len(self.kb.mssp_stages)} MSSP stages.")
                self.ask_for_stage()
            return
        if action == "check.pick":
            self.on_start_request(None, None)
            return
        if action == "check.switch":
            pending = self.state.get("pending") or {}
            if ck.is_valid_stage(self.kb, pending.get("kind"), pending.get("stage")):
                self.switch_check(pending)
            else:
                self.say("There's nothing to switch to any more.")
                self.reask()
            return
        if action == "check.continue":
            self.state["pending"] = None
            self.kind = "check.continue"
            if self.state.get("check"):
                self.reask()
            else:  # "Keep going" on a card whose check has ended: say so rather than nothing
                self.say("There's no check open any more. Say \u201cqualify\u201d to start one.")
            return
        check = self.state.get("check")
        if action in ("check.answer", "check.back", "check.cancel", "check.restart"):
            if not check or value.get("check") != check.get("id"):
                self.kind = "stale_submit"
                self.say("That card belongs to a check that is no longer open, so I didn't record it.")
                if check:
                    self.reask()
                else:
                    self.say("Say \u201cqualify\u201d to start a new check.")
                return
            if action == "check.answer":
                answer, step = value.get("answer"), value.get("step")
                if answer not in ck.ANSWERS or not isinstance(step, int):
                    self.kind = "bad_submit"
                    self.say("I couldn't read that answer. Please use the buttons or type yes, no or not sure.")
                    self.reask()
                    return
                self.on_answer(check, step, str(answer), from_card=True)
                return
            self.on_command(action.split(".", 1)[1])
            return
        self.kind = "bad_submit"
        self.say("I couldn't read that button press. It may come from an old card.")
        self.reask()

    # --- the check ---------------------------------------------------------------------------

    def on_start_request(self, kind: str | None, stage: str | None) -> None:
        check = self.state.get("check")
        if not stage or not kind:
            self.kind = "check.pick"
            if check:
                self.say("You have a check open. Finish it first, or say cancel to end it.")
                self.reask()
                return
            self.ask_for_stage()
            return
        if check:
            if check["kind"] == kind and check["stage"] == stage:
                self.kind = "check.resume"
                self.say("That check is already open, so here is where you are.")
                self.reask()
                return
            self.confirm_switch(kind, stage)
            return
        self.start_check(kind, stage)

    def ask_for_stage(self) -> None:
        self.state["picking"] = True
        buttons = tuple(
            Button(s.name, {"action": "check.start", "kind": "mssp", "stage": s.id}) for s in self.kb.mssp_stages
        )
        self.say(
            None,
            choice_card(
                Choice(
                    title="Checkpoint check",
                    text="Which MSSP stage should I check your opportunity against?",
                    lines=("Pick a stage, or type its name (for example \u201cProof\u201d).",),
                    buttons=buttons,
                )
            ),
        )

    def confirm_switch(self, kind: str, stage: str) -> None:
        check = self.state["check"]
        current = ck.spec_for(self.kb, check["kind"], check["stage"])
        target = ck.spec_for(self.kb, kind, stage)
        answered = sum(1 for a in check["answers"] if a)
        self.state["pending"] = {"kind": kind, "stage": stage}
        self.kind = "check.confirm_switch"
        self.say(
            None,
            choice_card(
                Choice(
                    title="Switch checks?",
                    text=f"You have a {current.stage_name} check open "
                    f"({answered} of {len(check['answers'])} answered).",
                    lines=(f"Switch to {target.stage_name}? Your {current.stage_name} answers would be dropped.",),
                    buttons=(
                        Button(f"Switch to {target.stage_name}", {"action": "check.switch"}),
                        Button(f"Continue {current.stage_name}", {"action": "check.continue"}, style="positive"),
                    ),
                )
            ),
        )

    def switch_check(self, pending: dict[str, Any]) -> None:
        self.state["pending"] = None
        self.state["check"] = None
        self.start_check(pending["kind"], pending["stage"])
        self.kind = "check.switch"

    def start_check(self, kind: str, stage: str) -> None:
        check = ck.new_check(self.kb, kind, stage)
        self.state.update(check=check, picking=False, pending=None)
        spec = ck.spec_for(self.kb, kind, stage)
        self.kind = "check.start"
        n = len(spec.checkpoints)
        what = "the exit criterion" if kind == "mcem" else f"{n} checkpoint{'s' if n != 1 else ''}"
        self.say(f"Let's check your opportunity against {spec.stage_name}: {what}, one at a time.")
        self.ask_current()

    def ask_current(self) -> None:
        check = self.state["check"]
        self.say(None, question_card(ck.question_view(self.kb, check)))

    def reask(self) -> None:
        """After an interruption, the open checkpoint again, so the check carries on where it was."""
        check = self.state.get("check")
        if check and not ck.is_finished(check):
            if self.state.get("pending"):
                return
            # The card alone: its text repeated above it would only clutter the chat.
            self.say(None, question_card(ck.question_view(self.kb, check)))

    def on_answer(self, check: dict[str, Any], step: int, answer: str, from_card: bool) -> None:
        if step != check["step"]:
            self.kind = "stale_submit"
            self.say("That checkpoint card was already answered, so I didn't change anything.")
            self.reask()
            return
        if from_card:
            self.answered_card = question_card(ck.question_view(self.kb, check, answered=answer))
        check = ck.record(check, answer)
        self.kind = "check.answer"
        if ck.is_finished(check):
            self.finish(check)
        else:
            self.state["check"] = check
            self.ask_current()

    def finish(self, check: dict[str, Any]) -> None:
        self.state["check"] = None
        self.state["last_check"] = {"kind": check["kind"], "stage": check["stage"]}
        self.state["context"] = Frame(
            "mssp.checkpoints" if check["kind"] == "mssp" else "mcem.exit",
            {("mssp_stage" if check["kind"] == "mssp" else "mcem_stage"): check["stage"]},
        ).to_dict()
        self.kind = "check.summary"
        self.say(ck.summary_sentence(self.kb, check), summary_card(ck.summary_view(self.kb, check)))

    def on_command(self, command: str) -> None:
        check = self.state.get("check")
        self.kind = f"command.{command}"
        if command == "help":
            help_card = answer_card(ans.help_answer())
            if check:
                self.say(
                    "You're in a checkpoint check: answer yes, no or not sure. "
                    "Say back for the previous checkpoint, restart to start over, or cancel to stop. "
                    "You can also ask a question at any time.",
                )
            else:
                self.say(None, help_card)
            self.reask()
            return
        if command == "restart" and not check and self.state.get("last_check"):
            last = self.state["last_check"]
            if ck.is_valid_stage(self.kb, last.get("kind"), last.get("stage")):
                self.start_check(last["kind"], last["stage"])
                return
        if not check and command == "cancel" and self.state.get("picking"):
            # The stage picker is open: cancelling closes it, so the next message is read as a question.
            self.state["picking"] = False
            self.say("OK, no check started. Ask me anything, or say \u201cqualify\u201d when you want one.")
            return
        if not check:
            self.say("There's no check open. Say \u201cqualify\u201d to start one.")
            return
        spec = ck.spec_for(self.kb, check["kind"], check["stage"])
        if command == "cancel":
            self.state.update(check=None, pending=None, picking=False)
            answered = sum(1 for a in check["answers"] if a)
            self.say(f"Check stopped: {spec.stage_name}, {answered} of {len(check['answers'])} answered.")
        elif command == "back":
            if check["step"] == 0:
                self.say("You're at the first checkpoint already.")
            self.state["check"] = ck.go_back(check)
            self.ask_current()
        elif command == "restart":
            self.state["check"] = ck.restart(check)
            self.say(f"Starting the {spec.stage_name} check over.")
            self.ask_current()

    def not_understood(self, check: dict[str, Any]) -> None:
        """Neither an answer nor a question: a short re-prompt, and after repeated misses, a way out."""
        misses = int(check.get("misses", 0)) + 1
        self.state["check"] = {**check, "misses": misses}
        self.kind = "check.not_understood"
        if misses >= MAX_MISSES:
            self.say(
                "I still didn't get that. Answer yes, no or not sure, or say cancel to stop the check.",
                choice_card(
                    Choice(
                        title="Stop the check?",
                        text="Would you like to stop this check?",
                        buttons=(
                            Button("Cancel check", {"action": "check.cancel", "check": check["id"]}),
                            Button("Keep going", {"action": "check.continue"}, style="positive"),
                        ),
                    )
                ),
            )
            return
        self.say("Sorry, I didn't get that. Please answer yes, no or not sure (or say help).")
        self.ask_current()


def answer_outcome(answer_kind: str, frame: Frame) -> str:
    """How well a question was answered, for the owners' report: declined, partial, clarify or answered."""
    if answer_kind in ("fallback", "silent"):  # out of scope, or the documents do not say
        return "declined"
    if answer_kind == "not_covered" or frame.slots.get("gaps"):  # part of it is not in the documents
        return "partial"
    if answer_kind == "pick_stage":  # asked which stage was meant
        return "clarify"
    return "answered"


def clean_state(ix: KnowledgeIndex, state: Any) -> dict[str, Any]:
    """A private, consistent copy of stored state: anything that does not fit is dropped, not trusted."""
    base: dict[str, Any] = {
        "check": None,
        "pending": None,
        "picking": False,
        "last_check": None,
        "context": None,
    }
    if not isinstance(state, dict):
        return base
    out = {**base, **{k: copy.deepcopy(v) for k, v in state.items() if k in base}}
    # A finished check is never stored (finish() clears it): one that is would take an answer past its end.
    if out["check"] is not None and (not ck.check_is_consistent(ix.kb, out["check"]) or ck.is_finished(out["check"])):
        out["check"] = None
    if out["check"] is not None and not _is_count(out["check"].get("misses", 0)):
        out["check"]["misses"] = 0
    last = out["last_check"]
    if last is not None and not (
        isinstance(last, dict) and ck.is_valid_stage(ix.kb, last.get("kind"), last.get("stage"))
    ):
        out["last_check"] = None
    if out["pending"] is not None and not (
        isinstance(out["pending"], dict)
        and ck.is_valid_stage(ix.kb, out["pending"].get("kind"), out["pending"].get("stage"))
    ):
        out["pending"] = None
    frame = Frame.from_dict(out["context"])
    # (a name slot holding a list or a number is no name: {"unit": ["atu"]} is dropped, not looked up)
    if frame is None or not all(
        isinstance(v, str) and _SLOT_CHECKS[k](ix.kb, v) for k, v in frame.slots.items() if k in _SLOT_CHECKS
    ):
        out["context"] = None
    out["picking"] = bool(out["picking"])
    return out


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def handle_turn(ix: KnowledgeIndex, state: dict[str, Any] | None, turn: TurnInput) -> TurnResult:
    """The whole conversation logic for one turn. Never mutates state; returns the new state."""
    return Turn(ix, state).run(turn)
