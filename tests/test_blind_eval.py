"""The blind question sets (tests/blind), written from the documents alone by people who never read the
code, answered through the router as the bot answers them: a floor under what `make eval` reports, so a
change that loses ground, or starts stating wrong facts, fails here.

dev*.json are the development sets (tuning looks at them); test.json is the exam, split from dev.json by
kind before either was run, and never tuned on. `make eval` prints each per kind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dialogs.router import Reply, TurnInput, handle_turn
from knowledge.index import KnowledgeIndex
from tools import botprobe

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "blind"
# Floors, from the last measured run (see the README's understanding section for the numbers).
FLOORS = {
    "dev.json": 0.97,
    "dev2.json": 0.97,
    "dev3.json": 0.97,
    "dev4.json": 0.97,
    "dev5.json": 0.97,
    "dev6.json": 0.97,
    "dev7.json": 0.97,
    "dev8.json": 0.97,
    "dev9.json": 0.97,
    "dev10.json": 0.94,
    "dev11.json": 0.93,
    "dev12.json": 0.92,
    "dev13.json": 0.91,
    "dev14.json": 0.93,
    "dev15.json": 0.86,
    "dev16.json": 0.89,
    "dev17.json": 0.88,
    "dev18.json": 0.91,
    "dev19.json": 0.89,
    "dev20.json": 0.93,
    "dev21.json": 0.97,
    "dev22.json": 0.91,
    "dev23.json": 0.88,
    "dev24.json": 0.93,
    "dev25.json": 0.95,
    "dev26.json": 0.97,
    "dev27.json": 0.97,
    "dev28.json": 0.98,
    "dev29.json": 0.95,
    "dev30.json": 0.97,
    "dev31.json": 0.89,
    "dev32.json": 0.96,
    "dev33.json": 0.92,
    "dev34.json": 0.97,
    "dev35.json": 0.95,
    "dev36.json": 0.94,
    "dev37.json": 0.97,
    "dev38.json": 0.92,
    "dev39.json": 0.96,
    "dev40.json": 0.97,
    "dev41.json": 0.89,
    "dev42.json": 0.93,
    "dev43.json": 0.98,
    "dev44.json": 0.94,
    "dev45.json": 0.95,
    "dev46.json": 0.92,
    "dev47.json": 0.96,
    "dev48.json": 0.97,
    "dev49.json": 0.88,
    "dev50.json": 0.93,
    "dev51.json": 0.98,
    "dev52.json": 0.93,
    "dev53.json": 0.91,
    "dev54.json": 0.95,
    "dev55.json": 0.86,
    "dev56.json": 0.91,
    "dev57.json": 0.88,
    "dev58.json": 0.97,
    "dev59.json": 0.95,
    "dev60.json": 0.94,
    "dev61.json": 0.96,
    "dev62.json": 0.96,
    "dev63.json": 0.89,
    "dev64.json": 0.99,
    "dev65.json": 0.92,
    "dev66.json": 0.93,
    "dev67.json": 0.96,
    "dev68.json": 0.98,
    "dev69.json": 0.94,
    "dev70.json": 0.95,
    "dev71.json": 0.98,
    "dev72.json": 0.93,
    "dev73.json": 0.92,
    "dev74.json": 0.93,
    "dev75.json": 0.96,
    "dev76.json": 0.96,
    "dev77.json": 0.94,
    "dev78.json": 0.95,
    "dev79.json": 0.96,
    "dev80.json": 0.95,
    "dev81.json": 0.95,
    # written this session: hard kinds typed fast on a phone; a manager settling what reps claim
    "dev82.json": 0.97,
    "dev83.json": 0.97,
    "dev84.json": 0.92,
    "dev85.json": 0.97,
    # written at the end of the session in the exam's mix, scored once, held out
    "dev86.json": 0.98,
    "test.json": 0.93,
}
# Held out like the exam: scored at arrival and at the end, never tuned on, so its wrong facts are reported
# by make eval and not named here (naming them would mean reading its failures).
HELD_OUT = {"test.json", "dev69.json", "dev75.json", "dev77.json", "dev80.json", "dev86.json"}


def _activities(replies: list[Reply]) -> list[dict[str, Any]]:
    return [
        {"type": "message", "text": r.text, "attachments": [{"content": r.card}] if r.card else []} for r in replies
    ]


def run(ix: KnowledgeIndex, cases: list[dict[str, Any]]) -> tuple[int, list[str], list[str]]:
    """(passed, failures, wrong facts) over cases, each a conversation with its own state."""
    passed, failures, wrong = 0, [], []
    for case in cases:
        state, problems = None, []
        for turn in case.get("turns") or [case]:
            result = handle_turn(ix, state, TurnInput(text=turn.get("say")))
            state = result.state
            problems += botprobe.check(botprobe.said(_activities(result.replies)), turn)
        passed += not problems
        if problems:
            failures.append(f"{case['id']}: {problems}")
        if any(p.startswith("forbidden") for p in problems):
            wrong.append(case["id"])
    return passed, failures, wrong


# Forbidden strings an answer holds as a true fact, read and checked by hand: the writer's "none" list
# guards against a careless reading, and the substring also occurs in a right answer. Each is named with
# why, so any other forbidden string still fails.
CHECKER_ARTIFACTS = {
    "bo-0213": "'get it to 40%' is answered with Solution (40%) and, as a situation, what comes after it (Proof)",
    "bm-0202": "'Support' occurs in Solution's checkpoint text ('... deployment and support considerations')",
    "bk-0044": "'Support' occurs in Solution's checkpoint text ('... deployment and support considerations')",
    "bh-0076": "'everything after the sale' is in no MCEM focus line: the answer says so and shows each role's focus "
    "(the SSP's among them, and the CSAM's 'All stages post-sale')",
    "af-0045": "'Support' occurs in Solution's checkpoint text ('... deployment and support considerations')",
    "ah-0131": "'Empower & Achieve' is the STU's other stage, which the owner card shows as 'STU also owns'",
    "ah-0172": "'upsell' occurs in EXPAND's own description, which the role-task card shows beside the task",
    "ao-0050": "'Support' occurs in Solution's checkpoint text ('... deployment and support considerations')",
    "ao-0158": "'upsell' occurs in EXPAND's own description, which the role-task card shows beside the task",
    "am-0176": "'develp checkpoints pls, adatum deal' lists the checkpoints; the writer wanted a check started, "
    "while ao-0026 ('prospect checkpoints for the tailspin opp') wants the same shape listed",
    "av-0115": "'Manage & Optimize' is the CSU's other stage, which the owner card shows as 'CSU also owns'",
    "aq-0207": "'is there a partner manager role in mcem? who's in stu': the first question is answered alone, "
    "that the guide names no partner manager among its six roles (the CSAM listed with them), then the STU's roles",
    "cc-0126": "'how many stages does mcem have and what's the probability at each one': MCEM has 5 stages and no "
    "probabilities, then, labelled as the MSSP's, the probability of each MSSP stage",
    "cc-0134": "'which unit owns the MODERNIZE stage and what does the CSA do there': no unit owns it, the roles it "
    "names with their tasks (the ATS's among them), then the CSA's task",
    "cg-0048": "'Support' occurs in Solution's checkpoint text ('... deployment and support considerations')",
    "ch-0006": "'the SSP sits with the account team ... which unit is the SSP in?': the answer denies the claim "
    "('the SSP isn't in the ATU') and gives the STU",
    "ba-0115": "'is there a renewal stage after support?': the answer says there is no such stage in either "
    "document and lists both documents' stages, Manage & Optimize among them",
}
# Wrong facts still stated, each an open failure named with what goes wrong, so that a new one fails.
OPEN_WRONG_FACTS = {
    "al-0200": "'which vo has an OR in it' filters by a stop word; the answer lists every verifiable outcome",
    "ch-0134": "'signed and handed over to the post-sales team ... in MCEM terms, which unit should be driving it "
    "now': the signing makes it read as MSSP progress, and the answer lists every unit with its stages",
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_set(ix: KnowledgeIndex, name: str) -> None:
    cases = json.loads((BLIND / name).read_text(encoding="utf-8"))
    passed, failures, wrong = run(ix, cases)
    assert passed / len(cases) >= FLOORS[name], failures
    if name not in HELD_OUT:
        assert not [case for case in wrong if case not in CHECKER_ARTIFACTS | OPEN_WRONG_FACTS], wrong


def test_blind_sets_are_well_formed() -> None:
    ids = set()
    for path in sorted(BLIND.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            assert case["id"] not in ids
            ids.add(case["id"])
            assert case.get("cat")
            for turn in case.get("turns") or [case]:
                assert isinstance(turn.get("say"), str) and turn["say"].strip()
