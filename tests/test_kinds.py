"""The registry of question kinds (knowledge/kinds.py): every kind the rules produce is declared there,
and every declared kind answers."""

from __future__ import annotations

import json
from pathlib import Path

from dialogs.router import TurnInput, handle_turn
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.kinds import CONVERSATION, KINDS, answer_question, canonical_question, is_strong
from knowledge.understand import Understanding, understand

TESTS = Path(__file__).resolve().parent
SETS = [*sorted((TESTS / "questions").glob("*.json")), *sorted((TESTS / "blind").glob("*.json"))]
# What a turn can be besides a question kind: the dialog's own turns and the ways of not answering.
NOT_KINDS = {"unknown", "did_you_mean", "too_long", *CONVERSATION}


def test_every_kind_the_rules_produce_is_declared(ix: KnowledgeIndex) -> None:
    produced: set[str] = set()
    for path in SETS:
        for case in json.loads(path.read_text(encoding="utf-8")):
            state = None
            for turn in case.get("turns") or [case]:
                result = handle_turn(ix, state, TurnInput(text=turn.get("say")))
                state = result.state
                produced.add(result.kind)
    questions = {k for k in produced if not k.startswith(("check.", "command.")) and k not in NOT_KINDS}
    assert questions - set(KINDS) == set()
    assert len(questions) >= 40  # the sets reach most kinds; knowledge/kinds.py lists them all


def test_every_declared_kind_answers_its_plain_question(ix: KnowledgeIndex) -> None:
    """The plain question a kind declares ("Did you mean ...?" buttons) is read as a question again."""
    frames = {
        "mcem.owner": Frame("mcem.owner", {"mcem_stage": "realize-value"}),
        "mssp.checkpoints": Frame("mssp.checkpoints", {"mssp_stage": "qualify"}),
        "role.definition": Frame("role.definition", {"role": "csa"}),
        "unit.roles": Frame("unit.roles", {"unit": "atu"}),
        "assignment.roles": Frame("assignment.roles", {"assignment": "compete"}),
        "mssp.probability_reverse": Frame("mssp.probability_reverse", {"percent": "60%"}),
    }
    for kind, frame in frames.items():
        question = canonical_question(ix, frame)
        assert question, kind
        u = understand(question, ix)
        assert u.answerable and u.frame.kind in (kind, "mssp.probability_reverse"), (question, u.frame)


def test_strength_and_fallback(ix: KnowledgeIndex) -> None:
    assert is_strong("mcem.owner") and not is_strong("mcem.stage") and not is_strong("no.such.kind")
    low = Understanding(Frame("mcem.owner", {"mcem_stage": "realize-value"}), 0.1)
    assert answer_question(ix, low).kind == "fallback"
    unknown_kind = Understanding(Frame("no.such.kind"), 1.0)
    assert answer_question(ix, unknown_kind).kind == "fallback"
