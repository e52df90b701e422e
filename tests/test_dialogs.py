"""The guided checkpoint check at the dialog level (pure router) for every stage and every path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cards.render import ANSWER_TITLES, card_buttons, card_text
from cards.titles import button_title
from dialogs.router import TurnInput, TurnResult, handle_turn
from knowledge.index import KnowledgeIndex

MSSP_STAGES = ["demand-generation", "prospect", "qualify", "develop", "solution", "proof", "close", "deploy", "support"]


class Dialog:
    """One user's conversation with the router, state carried between turns as the bot stores it."""

    def __init__(self, ix: KnowledgeIndex) -> None:
        self.ix = ix
        self.state: dict[str, Any] | None = None

    def send(self, text: str | None = None, value: Any = None) -> TurnResult:
        result = handle_turn(self.ix, self.state, TurnInput(text, value))
        json.dumps(result.state)  # state must stay storable
        self.state = json.loads(json.dumps(result.state))
        return result

    def said(self, result: TurnResult) -> str:
        return "\n".join((r.text or "") + "\n" + (card_text(r.card) if r.card else "") for r in result.replies)

    def buttons(self, result: TurnResult) -> dict[str, dict[str, Any]]:
        return {a["title"]: a["data"] for r in result.replies if r.card for a in card_buttons(r.card)}


def _answers(pattern: str, n: int) -> list[str]:
    if pattern == "all_yes":
        return ["yes"] * n
    if pattern == "all_no":
        return ["no"] * n
    return [("yes", "no", "unsure")[i % 3] for i in range(n)]


@pytest.mark.parametrize("stage", MSSP_STAGES)
@pytest.mark.parametrize("pattern", ["all_yes", "mixed", "all_no"])
def test_every_stage_by_typing(ix: KnowledgeIndex, stage: str, pattern: str) -> None:
    spec = ix.kb.mssp_stage(stage)
    d = Dialog(ix)
    first = d.send(f"run the checkpoint check for {spec.name}")
    assert f"Checkpoint 1 of {len(spec.checkpoints)}" in d.said(first)
    assert spec.checkpoints[0] in d.said(first)
    answers = _answers(pattern, len(spec.checkpoints))
    result = first
    for i, answer in enumerate(answers):
        result = d.send({"yes": "yep", "no": "not yet", "unsure": "not sure"}[answer])
        if i + 1 < len(answers):
            assert spec.checkpoints[i + 1] in d.said(result)
    text = d.said(result)
    met = answers.count("yes")
    assert f"{met} of {len(answers)} met" in text
    assert d.state["check"] is None
    if met == len(answers):
        assert spec.verifiable_outcome in text
        nxt = ix.kb.next_mssp(spec)
        if nxt:
            assert f"Next stage: {nxt.name}" in text
            assert f"Check {nxt.name}" in d.buttons(result)
        else:
            assert f"last of the {len(ix.kb.mssp_stages)} MSSP stages" in text
    else:
        assert spec.key_steps[0].text in text
        assert button_title(f"Re-check {spec.name}") in d.buttons(result)
        for checkpoint, answer in zip(spec.checkpoints, answers, strict=True):
            mark = {"yes": "Met", "no": "Missing", "unsure": "Not sure"}[answer]
            assert f"{mark}: {checkpoint}" in text


@pytest.mark.parametrize("stage", MSSP_STAGES)
def test_every_stage_by_clicking(ix: KnowledgeIndex, stage: str) -> None:
    spec = ix.kb.mssp_stage(stage)
    d = Dialog(ix)
    picker = d.send("qualify")
    result = d.send(None, d.buttons(picker)[spec.name])
    for _ in spec.checkpoints:
        result = d.send(None, d.buttons(result)[ANSWER_TITLES["yes"]])
    assert f"{len(spec.checkpoints)} of {len(spec.checkpoints)} met" in d.said(result)


def test_start_phrases(ix: KnowledgeIndex) -> None:
    for phrase, first in (
        ("qualify Qualify", "Pain admitted by sponsor or Compelling event identified"),
        ("start a qualification check for the Develop stage", "Access to power"),
        ("walk me through the Qualify checkpoints", "Pain admitted by sponsor"),
        ("check my opportunity against the Close checkpoints", "Contract, deployment SOW and support plan"),
    ):
        d = Dialog(ix)
        text = d.said(d.send(phrase))
        assert first in text and "Checkpoint 1 of" in text


def test_no_stage_asks_which_and_typing_a_stage_works(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    picker = d.send("qualify")
    assert "Which MSSP stage" in d.said(picker)
    assert len(d.buttons(picker)) == 9
    assert "Campaigns executed" in d.said(d.send("demand generation"))


def test_interruption_answers_then_asks_again(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("qualify Qualify")
    d.send("yes")
    result = d.send("who owns Realize Value?")
    text = d.said(result)
    assert "CSU" in text and "Checkpoint 2 of 4" in text and "Sponsor has buying vision" in text
    assert d.state["check"]["step"] == 1


def test_help_back_restart_cancel(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("qualify Qualify")
    d.send("yes")
    assert "answer yes, no or not sure" in d.said(d.send("help"))
    assert "Checkpoint 1 of 4" in d.said(d.send("back"))
    d.send("no")
    d.send("yes")
    assert "Starting the Qualify check over" in d.said(d.send("restart"))
    assert d.state["check"]["answers"] == [None] * 4
    assert "Check stopped" in d.said(d.send("stop"))
    assert d.state["check"] is None
    assert "no check open" in d.said(d.send("cancel"))


def test_not_understood_reprompts_then_offers_cancel(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("qualify Qualify")
    assert "didn't get that" in d.said(d.send("purple elephants"))
    d.send("banana bread")
    third = d.send("zzz qqq")
    assert "Cancel check" in d.buttons(third)
    assert d.state["check"]["step"] == 0


def test_new_check_while_open_asks_and_never_silently_drops(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("qualify Qualify")
    d.send("yes")
    ask = d.send("run the checkpoint check for Proof")
    assert "Switch to Proof?" in d.said(ask)
    assert d.state["check"]["answers"][0] == "yes"
    kept = d.send(None, d.buttons(ask)["Continue Qualify"])
    assert "Checkpoint 2 of 4" in d.said(kept)
    ask = d.send("run the checkpoint check for Proof")
    switched = d.send("switch")
    assert "Eval plan completed" in d.said(switched)
    assert d.state["check"]["stage"] == "proof"


def test_stale_card_cannot_answer_twice(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    first = d.send("qualify Qualify")
    yes = d.buttons(first)[ANSWER_TITLES["yes"]]
    answered = d.send(None, yes)
    assert answered.answered_card is not None
    assert "Your answer: Yes" in card_text(answered.answered_card)
    again = d.send(None, yes)
    assert "already answered" in d.said(again)
    assert d.state["check"]["answers"] == ["yes", None, None, None]


def test_submit_for_a_check_that_no_longer_exists(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    first = d.send("qualify Qualify")
    d.send("cancel")
    assert "no longer open" in d.said(d.send(None, d.buttons(first)[ANSWER_TITLES["no"]]))


def test_wrong_shaped_submit_values(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("qualify Qualify")
    check_id = d.state["check"]["id"]
    for value in ({"action": "check.answer", "check": check_id, "step": "0", "answer": "yes"}, [1, 2], {"x": 1}):
        result = d.send(None, value)
        assert result.replies and d.state["check"]["step"] == 0


def test_mcem_exit_criteria_check(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    first = d.send("check the exit criteria for Realize Value")
    assert "Outcomes met and baseline metrics in place" in d.said(first)
    gaps = d.said(d.send("no"))
    assert "0 of 1 met" in gaps and "CSU" in gaps and "Create and manage the Customer Success Plan" in gaps
    d.send("check the exit criteria for Realize Value")
    met = d.said(d.send("yes"))
    assert "1 of 1 met" in met and "Manage & Optimize" in met


def test_corrupt_stored_state_is_discarded_not_trusted(ix: KnowledgeIndex) -> None:
    bad = {"check": {"kind": "mssp", "stage": "nope", "step": 9}, "context": {"kind": "mcem.owner", "slots": {}}}
    result = handle_turn(ix, bad, TurnInput("who owns Realize Value?"))
    assert result.state["check"] is None and "CSU" in json.dumps(result.replies[0].card)


@pytest.mark.parametrize(
    ("turns", "says"),
    [
        # an answer set apart by a comma, then why
        (("run the checkpoint check for Develop", "Yes, Maria met their CFO last week."), "Checkpoint 2 of 5"),
        (("run the checkpoint check for Develop", "No, not yet - the CFO is travelling this month."), "Checkpoint 2"),
        # a plain yes or no word, then why, with no comma
        (("run the qualify checkpoints for me", "yes sponsor admitted it on the call"), "Checkpoint 2 of 4"),
        (("run the qualify checkpoints for me", "nope the sponsor hasn't said it yet"), "Checkpoint 2 of 4"),
        # a hedged answer is no plain yes
        (("run the checkpoint check for close", "yes i think so but not sure"), "Please answer yes, no or not sure"),
        # a question straight after the word is no answer: it is answered, and the check stays open
        (("check proof", "no what does proof mean"), "Verbal approval received"),
        (("check proof", "no what does proof mean", "yes"), "Checkpoint 2 of 4"),
        (("check proof", "no but we will"), "Checkpoint 2 of 4"),
        # (but a short word about the check after the answer still answers it)
        (("check proof", "no, what's next"), "Checkpoint 2 of 4"),
        (("check proof", "yes how many left"), "Checkpoint 2 of 4"),
        # a stop, then why
        (("run the checkpoint check for Develop", "stop there, I'll pick it up tomorrow"), "Check stopped"),
        (("run the checkpoint check for Develop", "Let us stop here, thank you."), "Check stopped"),
        # a check asked for in other words
        (("chk my 10% deal",), "Checkpoint 1 of"),
        (("go through the Proof stage checkpoints with me for my Fabrikam opportunity",), "Checkpoint 1 of 4"),
        (("run the Proof checkpoints one by one",), "Checkpoint 1 of 4"),
        (("Adventure Works is at 0%. Let's run the stage checkpoints on it.",), "Checkpoint 1 of 2"),
        (("100% deal - run the checkpoints",), "Checkpoint 1 of 3"),
    ],
)
def test_check_in_sellers_words(ix: KnowledgeIndex, turns: tuple[str, ...], says: str) -> None:
    d = Dialog(ix)
    result = None
    for turn in turns:
        result = d.send(turn)
    assert result is not None and says in d.said(result), d.said(result)[:300]


def test_a_question_with_a_yes_is_not_an_answer(ix: KnowledgeIndex) -> None:
    d = Dialog(ix)
    d.send("run the checkpoint check for Develop")
    result = d.send("yes, but what does access to power mean for a public sector deal, in practice?")
    assert "Checkpoint 2 of 5" not in d.said(result)


@pytest.mark.parametrize(
    "said",
    ["no, what does access to power mean", "stop, what does the AE do", "yes but what does access to power mean"],
)
def test_an_answer_or_stop_followed_by_a_question_is_a_question(ix: KnowledgeIndex, said: str) -> None:
    d = Dialog(ix)
    d.send("run the checkpoint check for Develop")
    result = d.send(said)
    assert "Checkpoint 2 of 5" not in d.said(result) and "Check stopped" not in d.said(result)


def test_stored_context_with_odd_slots_is_not_a_crash(ix: KnowledgeIndex) -> None:
    from knowledge.frame import Frame
    from knowledge.understand import understand

    odd = Frame("where", {"role": ["ae"], "unit": ["atu"], "looked_up": "who", "looked_facts": None})
    for said in ("hello", "which unit is that role in", "in which assignment stage"):
        understand(said, ix, odd)
