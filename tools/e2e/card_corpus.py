"""Every kind of Adaptive Card StageCoach sends, produced by the real pipeline, for the card tests.

tests/test_card_schema.py validates these cards against the Adaptive Card 1.5 schema and
tests/test_card_render.py draws them with Microsoft's renderer. Nothing here is hand-written JSON:
questions and checkpoint dialogs go through dialogs.router.handle_turn (state carried from turn to
turn as the bot stores it), the one answer kind no question reaches goes through knowledge.answers
and cards.render.answer_card, and the welcome card is bot.teams_bot.welcome_card.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from cards.render import ANSWER_TITLES, answer_card, card_buttons
from dialogs.router import TurnInput, TurnResult, handle_turn
from dialogs.welcome import welcome_card
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex, build_index
from knowledge.kinds import answer_question
from knowledge.loader import default_knowledge
from knowledge.understand import Understanding

QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "questions"

LONG_MESSAGE = "who owns Realize Value and " * 40

# One question (or a short conversation: the last turn's card is kept) per answer kind.
# Every kind in knowledge.kinds.KINDS is here, plus the conversation kinds (help, fallback ...).
ANSWER_TURNS: dict[str, tuple[str, ...]] = {
    "mcem.owner": ("who owns Realize Value?",),
    "mcem.exit": ("exit criteria for Realize Value",),
    "mcem.exit_reverse": ("which stage has the exit criteria qualified pipeline?",),
    "mcem.exit_all": ("what are the exit criteria?",),
    "mcem.stage": ("what is Listen & Consult?",),
    "unit.roles": ("what roles are in the ATU?",),
    "unit.stages": ("which stages does the CSU own?",),
    "unit.summary": ("what does ATU stand for",),
    "role.unit": ("which unit is the SE in",),
    "role.definition": ("what does a CSA do?",),
    "role.definition-group": ("what is the CE?",),
    "groups": ("what are CE and SE?",),
    "role.expansion": ("CSAM stands for",),
    "role.assignments": ("what is the CSAM involved in?",),
    "collaboration": ("how do the AE and ATS work together?",),
    "assignment.roles": ("who is involved in MAP?",),
    "assignment.role_task": ("what does the CSAM do in MAP",),
    "mssp.probability": ("what is the probability at Develop?",),
    "mssp.probability_all": ("what is the probability at each stage?",),
    "mssp.probability_reverse-several": ("which stages have an NA probability?",),
    "mssp.probability_reverse": ("which stage is 80%?",),
    "mssp.probability_reverse-none": ("which stage is 55%?",),
    "mssp.objective": ("what is the objective of the Proof stage?",),
    "mssp.objective_all": ("objective of each stage",),
    "mssp.outcome": ("verifiable outcome of the Develop stage",),
    "mssp.outcome_all": ("verifiable outcomes of each stage",),
    "mssp.checkpoints": ("checkpoints for Qualify?",),
    "mssp.key_steps": ("key steps in the proof stage",),
    "mssp.stage": ("what's the first stage of MSSP", "and Proof?"),
    "mssp.exit_like": ("what are the exit criteria for Proof?",),
    "mssp.owner_silent": ("who owns the Proof stage?",),
    "pick_stage": ("key steps",),
    "order.next": ("what comes after Develop?",),
    "order.previous": ("what's before Close?",),
    "order.first": ("what is the first stage?",),
    "order.last": ("what is the last stage?",),
    "order.list": ("list the stages in order",),
    "order.between": ("which MSSP stages are between Qualify and Close?",),
    "order.count": ("how many stages does MCEM have",),
    "glossary": ("what does SOW mean",),
    "overview.mcem": ("what is MCEM?",),
    "overview.mssp": ("what does MSSP stand for",),
    "roles.list": ("what roles are there in MCEM?",),
    "units.list": ("what are the accountable units in MCEM",),
    "mcem.owners_all": ("who owns each mcem stage?",),
    "assignments.list": ("what are the role assignments?",),
    "acronyms.list": ("list all the acronyms",),
    "mssp.aspect_all": ("every checkpoint, stage by stage",),
    "mssp.item": ("third checkpoint of Develop",),
    "compare": ("AE versus CSAM",),
    "compare-stages": ("Prospect vs Qualify",),
    "facts.with": ("which checkpoints mention the partner?",),
    "where": ("where do we set up the qualification v-team?",),
    "where-no-role": ("who updates Siebel?",),
    "situation": ("contract is signed and revenue is in MS Sales, what now?",),
    "yesno": ("does the CSU own Listen & Consult?",),
    "both": ("what does the SE do, and how many SEs are there per STU?",),
    "not_covered": ("who owns stage 7 of MCEM",),
    "follow-up": ("who owns Realize Value?", "and Inspire & Design?"),
    "typo": ("probabilty at proof",),
    "fallback": ("what's the weather tomorrow?",),
    "did_you_mean": ("what is the salary of an account executive?",),
    "help": ("help",),
    "greeting": ("hello",),
    "thanks": ("thanks",),
    "too_long": (LONG_MESSAGE,),
    "no_referent": ("which accountable unit are both of those roles in?",),
    "items.count": ("develop checkpoints?", "how many is that"),
    "collaboration-row": ("what's the bottom row of the collaboration table say",),
}
# What the router logs as the turn's kind, where it differs from the name above.
ROUTER_KIND = {
    "fallback": "unknown",
    "help": "command.help",
    "follow-up": "mcem.owner",
    "typo": "mssp.probability",
    "collaboration-row": "collaboration",
}
# Answer kinds no question reaches (knowledge.understand never produces the frame), built from the
# frame through the same answer pipeline. None today; kept so a future kind can be listed here.
FRAME_ONLY_KINDS: tuple[str, ...] = ()


class Conversation:
    """One user's conversation with the pure router, state carried over as the bot stores it."""

    def __init__(self, ix: KnowledgeIndex) -> None:
        self.ix = ix
        self.state: dict[str, Any] | None = None

    def send(self, text: str | None = None, value: Any = None) -> TurnResult:
        result = handle_turn(self.ix, self.state, TurnInput(text, value))
        self.state = json.loads(json.dumps(result.state))
        return result

    def click(self, result: TurnResult, title: str) -> TurnResult:
        for reply in result.replies:
            for action in card_buttons(reply.card or {}):
                if action.get("title") == title:
                    return self.send(None, action["data"])
        raise AssertionError(f"no button {title!r} in {[r.card for r in result.replies]}")


def cards_of(result: TurnResult) -> list[dict[str, Any]]:
    return [r.card for r in result.replies if r.card is not None]


def last_card(result: TurnResult) -> dict[str, Any]:
    found = cards_of(result)
    assert found, f"no card in {result.replies}"
    return found[-1]


@cache
def index() -> KnowledgeIndex:
    return build_index(default_knowledge())


def expected_kind(name: str) -> str:
    return ROUTER_KIND.get(name, name.split("-")[0])


@cache
def answer_turns() -> dict[str, TurnResult]:
    """name -> the last turn of that conversation (checked by test_each_question_gets_its_answer_kind)."""
    out: dict[str, TurnResult] = {}
    for name, turns in ANSWER_TURNS.items():
        chat = Conversation(index())
        for text in turns:
            out[name] = chat.send(text)
    return out


def _answer_cards(ix: KnowledgeIndex) -> dict[str, dict[str, Any]]:
    out = {f"answer-{name}": last_card(result) for name, result in answer_turns().items()}
    for kind in FRAME_ONLY_KINDS:
        out[f"answer-{kind}"] = answer_card(answer_question(ix, Understanding(Frame(kind), 1.0)))
    return out


def _run_check(ix: KnowledgeIndex, start: dict[str, Any], answers: list[str]) -> TurnResult:
    """Start a check with a button's data, answer every checkpoint by clicking; the last turn."""
    chat = Conversation(ix)
    result = chat.send(None, start)
    for answer in answers:
        result = chat.click(result, ANSWER_TITLES[answer])
    assert chat.state is not None and chat.state["check"] is None, "the check did not finish"
    return result


def _dialog_cards(ix: KnowledgeIndex) -> dict[str, dict[str, Any]]:
    kb = ix.kb
    out: dict[str, dict[str, Any]] = {}
    for stage in kb.mssp_stages:  # the first checkpoint card of each of the nine MSSP stages
        result = Conversation(ix).send(f"qualify {stage.name}")
        assert result.kind == "check.start", stage.name
        card = last_card(result)
        assert stage.checkpoints[0] in json.dumps(card, ensure_ascii=False)
        out[f"check-question-{stage.id}"] = card
    exit_check = Conversation(ix).send("check the exit criteria for Realize Value")
    assert exit_check.kind == "check.start"
    out["check-question-mcem-exit"] = last_card(exit_check)

    chat = Conversation(ix)
    second = chat.click(chat.send("qualify Qualify"), ANSWER_TITLES["yes"])
    assert second.answered_card is not None
    out["check-answered"] = second.answered_card
    out["check-question-step-2"] = last_card(second)  # with a Previous checkpoint button

    qualify = kb.mssp_stage("qualify")
    last_mssp = kb.mssp_stages[-1]
    n = len(qualify.checkpoints)
    start = {"action": "check.start", "kind": "mssp"}
    out["summary-all-met"] = last_card(_run_check(ix, {**start, "stage": "qualify"}, ["yes"] * n))
    gaps = ["yes", "no", "unsure", "no", "yes", "no"][:n]
    out["summary-gaps"] = last_card(_run_check(ix, {**start, "stage": "qualify"}, gaps))
    out["summary-last-stage"] = last_card(
        _run_check(ix, {**start, "stage": last_mssp.id}, ["yes"] * len(last_mssp.checkpoints))
    )
    mcem = {"action": "check.start", "kind": "mcem"}
    out["summary-mcem-all-met"] = last_card(_run_check(ix, {**mcem, "stage": kb.mcem_stages[0].id}, ["yes"]))
    out["summary-mcem-gaps"] = last_card(_run_check(ix, {**mcem, "stage": kb.mcem_stages[0].id}, ["no"]))
    out["summary-mcem-last-stage"] = last_card(_run_check(ix, {**mcem, "stage": kb.mcem_stages[-1].id}, ["yes"]))

    picker = Conversation(ix).send("qualify")
    assert picker.kind == "check.pick"
    out["stage-picker"] = last_card(picker)

    chat = Conversation(ix)
    chat.send("qualify Qualify")
    switch = chat.send("qualify Proof")
    assert switch.kind == "check.confirm_switch"
    out["switch-confirmation"] = last_card(switch)

    chat = Conversation(ix)
    chat.send("qualify Qualify")
    result = chat.send("blah blah blah")
    while result.kind == "check.not_understood" and "Stop the check?" not in json.dumps(cards_of(result)):
        result = chat.send("blah blah blah")
    assert "Stop the check?" in json.dumps(cards_of(result))
    out["stop-the-check"] = next(c for c in cards_of(result) if "Stop the check?" in json.dumps(c))

    interrupted = Conversation(ix)
    interrupted.send("qualify Qualify")
    result = interrupted.send("who owns Realize Value?")
    assert len(cards_of(result)) == 2, "an answer, then the open checkpoint again"
    out["check-interruption-answer"] = cards_of(result)[0]
    return out


def card_size(card: dict[str, Any]) -> int:
    """Bytes of the card as the bot sends it (the SDK serialises with json.dumps)."""
    return len(json.dumps(card, ensure_ascii=False).encode("utf-8"))


def every_question(ix: KnowledgeIndex) -> list[tuple[str, ...]]:
    """Every question in the evaluation set, and each entity asked about in each way the answers allow."""
    kb = ix.kb
    turns: list[tuple[str, ...]] = []
    for name in ("knowledge.json", "out_of_scope.json"):
        turns += [(case["say"],) for case in json.loads((QUESTIONS / name).read_text(encoding="utf-8"))]
    for case in json.loads((QUESTIONS / "followups.json").read_text(encoding="utf-8")):
        turns.append(tuple(t["say"] for t in case["turns"]))
    for s in kb.mssp_stages:
        turns += [
            (f"Key steps for {s.name}",),
            (f"Checkpoints for {s.name}",),
            (f"Objective of {s.name}",),
            ("what's the first stage of MSSP", f"and {s.name}?"),
        ]
    for m in kb.mcem_stages:
        turns += [(f"Who owns {m.name}?",), (f"Exit criteria for {m.name}",)]
    for r in kb.roles.values():
        turns += [(f"What does the {r.acronym} do?",), (f"What is the {r.acronym} involved in?",)]
    for u in kb.units.values():
        turns += [(f"What roles are in the {u.acronym}?",), (f"What is the {u.acronym} accountable for?",)]
    for a in kb.assignments.values():
        turns.append((f"Who is involved in {a.name}?",))
    return turns


def _longest_answer(ix: KnowledgeIndex) -> dict[str, Any]:
    best: tuple[int, dict[str, Any]] | None = None
    for turns in [*every_question(ix), *ANSWER_TURNS.values()]:
        chat = Conversation(ix)
        for text in turns:
            for card in cards_of(chat.send(text)):
                if best is None or card_size(card) > best[0]:
                    best = (card_size(card), card)
    assert best is not None
    return best[1]


@cache
def representative_cards() -> dict[str, dict[str, Any]]:
    """name -> card: every answer kind, every dialog step, the welcome card and the longest answer."""
    ix = index()
    cards = {"welcome": welcome_card(), **_answer_cards(ix), **_dialog_cards(ix)}
    cards["longest-answer"] = _longest_answer(ix)
    return cards


DIALOG_CARDS = (
    "check-question-mcem-exit",
    "check-answered",
    "check-question-step-2",
    "summary-all-met",
    "summary-gaps",
    "summary-last-stage",
    "summary-mcem-all-met",
    "summary-mcem-gaps",
    "summary-mcem-last-stage",
    "stage-picker",
    "switch-confirmation",
    "stop-the-check",
    "check-interruption-answer",
)


def card_names() -> list[str]:
    """The cards' names, known without running the pipeline (so a broken turn fails a test, not collection)."""
    kb = index().kb
    return [
        "welcome",
        *(f"answer-{name}" for name in (*ANSWER_TURNS, *FRAME_ONLY_KINDS)),
        *(f"check-question-{stage.id}" for stage in kb.mssp_stages),
        *DIALOG_CARDS,
        "longest-answer",
    ]
