"""The guided checkpoint check as a pure state machine over plain dicts (stored as conversation state).

A check walks the checkpoints of one MSSP stage (or the exit criteria of one MCEM stage) in the seed's
order, one at a time, and ends with a summary: what is met, what is missing, what to do next.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from cards.render import ANSWER_TITLES, Button, QuestionView, SummaryRow, SummarySection, SummaryView, spoken_list
from knowledge.answers import Item, role_label, unit_label
from knowledge.model import KnowledgeBase

ANSWERS = ("yes", "no", "unsure")
ANSWER_LABELS = ANSWER_TITLES  # the answered card shows the title of the button that was pressed
ANSWER_COLORS = {"yes": "Good", "no": "Attention", "unsure": "Warning"}
# A summary's status marks. Not sure is a red question mark: the grey one ("\u2754") has 1.9:1
# contrast on a white card (tools/e2e/card_harness.js measures every emoji a card shows).
MARKS = {"yes": ("\u2705", "Met"), "no": ("\u274c", "Missing"), "unsure": ("\u2753", "Not sure")}


@dataclass(frozen=True)
class CheckSpec:
    """What is being checked: the stage and its checkpoints, from the seeds."""

    kind: str  # "mssp" or "mcem"
    stage_id: str
    stage_name: str
    checkpoints: tuple[str, ...]


def spec_for(kb: KnowledgeBase, kind: str, stage_id: str) -> CheckSpec:
    if kind == "mcem":
        m = kb.mcem_stage(stage_id)
        return CheckSpec("mcem", m.id, m.name, (m.exit_criteria,))
    s = kb.mssp_stage(stage_id)
    return CheckSpec("mssp", s.id, s.name, s.checkpoints)


def is_valid_stage(kb: KnowledgeBase, kind: Any, stage_id: Any) -> bool:
    if kind == "mssp":
        return any(s.id == stage_id for s in kb.mssp_stages)
    if kind == "mcem":
        return any(s.id == stage_id for s in kb.mcem_stages)
    return False


def new_check(kb: KnowledgeBase, kind: str, stage_id: str) -> dict[str, Any]:
    spec = spec_for(kb, kind, stage_id)
    return {
        "id": secrets.token_hex(4),
        "kind": kind,
        "stage": stage_id,
        "step": 0,
        "answers": [None] * len(spec.checkpoints),
        "misses": 0,
    }


def check_is_consistent(kb: KnowledgeBase, check: Any) -> bool:
    """Stored state is input too: a check that does not fit the knowledge base is discarded."""
    if not isinstance(check, dict) or not is_valid_stage(kb, check.get("kind"), check.get("stage")):
        return False
    spec = spec_for(kb, check["kind"], check["stage"])
    answers = check.get("answers")
    step = check.get("step")
    return (
        isinstance(answers, list)
        and len(answers) == len(spec.checkpoints)
        and all(a in (*ANSWERS, None) for a in answers)
        and isinstance(step, int)
        and 0 <= step <= len(spec.checkpoints)
        and isinstance(check.get("id"), str)
    )


def record(check: dict[str, Any], answer: str) -> dict[str, Any]:
    """The check after answering its current checkpoint (a new dict; the old one is left alone)."""
    answers = list(check["answers"])
    answers[check["step"]] = answer
    return {**check, "answers": answers, "step": check["step"] + 1, "misses": 0}


def go_back(check: dict[str, Any]) -> dict[str, Any]:
    return {**check, "step": max(0, check["step"] - 1), "misses": 0}


def restart(check: dict[str, Any]) -> dict[str, Any]:
    return {**check, "step": 0, "answers": [None] * len(check["answers"]), "misses": 0}


def is_finished(check: dict[str, Any]) -> bool:
    return check["step"] >= len(check["answers"])


def _title(kb: KnowledgeBase, spec: CheckSpec) -> tuple[str, str]:
    if spec.kind == "mcem":
        unit = kb.units[kb.mcem_stage(spec.stage_id).unit]
        return f"Exit criteria check · {spec.stage_name}", f"MCEM stage owned by the {unit.acronym}"
    stage = kb.mssp_stage(spec.stage_id)
    return (
        f"Checkpoint check · {spec.stage_name}",
        f"MSSP stage {stage.position + 1} of {len(kb.mssp_stages)}",
    )


def question_view(kb: KnowledgeBase, check: dict[str, Any], answered: str | None = None) -> QuestionView:
    """The current checkpoint as a card view; with answered, the same card once it has been answered."""
    spec = spec_for(kb, check["kind"], check["stage"])
    step = min(check["step"], len(spec.checkpoints) - 1)
    title, subtitle = _title(kb, spec)
    question = (
        "Has this exit criterion been reached?"
        if spec.kind == "mcem"
        else "Is this checkpoint met for your opportunity?"
    )
    return QuestionView(
        check_id=check["id"],
        step=step,
        total=len(spec.checkpoints),
        title=title,
        subtitle=subtitle,
        text=spec.checkpoints[step],
        question=question,
        answer_label=ANSWER_LABELS.get(answered or ""),
        answer_color=ANSWER_COLORS.get(answered or "", "Default"),
    )


@dataclass(frozen=True)
class Outcome:
    met: int
    total: int
    missing: tuple[str, ...]
    unsure: tuple[str, ...]

    @property
    def all_met(self) -> bool:
        return self.met == self.total


def outcome(kb: KnowledgeBase, check: dict[str, Any]) -> Outcome:
    spec = spec_for(kb, check["kind"], check["stage"])
    pairs = list(zip(spec.checkpoints, check["answers"], strict=True))
    return Outcome(
        met=sum(1 for _, a in pairs if a == "yes"),
        total=len(pairs),
        missing=tuple(c for c, a in pairs if a == "no"),
        unsure=tuple(c for c, a in pairs if a not in ("yes", "no")),
    )


def summary_sentence(kb: KnowledgeBase, check: dict[str, Any]) -> str:
    """The result in words (the message's text, its notification and the card's speak), naming what is open."""
    spec = spec_for(kb, check["kind"], check["stage"])
    result = outcome(kb, check)
    noun = "exit criterion" if spec.kind == "mcem" else "checkpoint" if result.total == 1 else "checkpoints"
    if result.all_met:
        return f"{spec.stage_name}: {result.met} of {result.total} {noun} met, ready to move on."
    open_parts = [f"{len(result.missing)} missing"] if result.missing else []
    open_parts += [f"{len(result.unsure)} not sure"] if result.unsure else []
    named = [f"Missing: {spoken_list(list(result.missing))}."] if result.missing else []
    named += [f"Not sure: {spoken_list(list(result.unsure))}."] if result.unsure else []
    return (
        f"{spec.stage_name}: {result.met} of {result.total} {noun} met; still open: {', '.join(open_parts)}. "
        + " ".join(named)
    )


def summary_view(kb: KnowledgeBase, check: dict[str, Any]) -> SummaryView:
    """The summary card: what both kinds of check share, then what the stage's seed says to do next."""
    spec = spec_for(kb, check["kind"], check["stage"])
    result = outcome(kb, check)
    base = SummaryView(
        title=_title(kb, spec)[0] + " · summary",
        headline=f"{result.met} of {result.total} met",
        sentence=summary_sentence(kb, check),
        rows=tuple(
            SummaryRow(*MARKS.get(a or "unsure", MARKS["unsure"]), c)
            for c, a in zip(spec.checkpoints, check["answers"], strict=True)
        ),
        source=kb.mcem.title if spec.kind == "mcem" else f"{kb.mssp.short_title} document",
    )
    if spec.kind == "mcem":
        return replace(base, **_mcem_next_steps(kb, spec.stage_id, result))
    return replace(base, **_mssp_next_steps(kb, spec.stage_id, result))


def _start(kind: str, stage_id: str) -> dict[str, str]:
    return {"action": "check.start", "kind": kind, "stage": stage_id}


def _mssp_next_steps(kb: KnowledgeBase, stage_id: str, result: Outcome) -> dict[str, Any]:
    stage = kb.mssp_stage(stage_id)
    if result.all_met:
        nxt = kb.next_mssp(stage)
        facts = [("Confirm the verifiable outcome", stage.verifiable_outcome)]
        if nxt is None:
            return {
                "facts": tuple(facts),
                "note": f"{stage.name} is the last of the {len(kb.mssp_stages)} MSSP stages.",
                "buttons": (Button("Check another stage", {"action": "check.pick", "kind": "mssp"}),),
            }
        probability = "NA (the MSSP table gives no probability)" if nxt.probability == "NA" else nxt.probability
        facts.append(("Next stage", f"{nxt.name}, probability {probability}"))
        return {
            "facts": tuple(facts),
            "buttons": (
                Button(f"Check {nxt.name}", _start("mssp", nxt.id), style="positive"),
                Button(f"Checkpoints for {nxt.name}", question=f"Checkpoints for {nxt.name}"),
            ),
        }
    # The rows above already list what is missing and what is not sure: each checkpoint once.
    next_steps = SummarySection(
        f"Next steps: the key steps of {stage.name}",
        tuple(Item(s.text, s.sub_steps) for s in stage.key_steps),
        numbered=True,
    )
    return {
        "sections": (next_steps,),
        "facts": (("Verifiable outcome still to reach", stage.verifiable_outcome),),
        "buttons": (
            Button(f"Re-check {stage.name}", _start("mssp", stage.id), style="positive"),
            Button("Check another stage", {"action": "check.pick", "kind": "mssp"}),
            Button("Ask a question", question="help"),
        ),
    }


def _mcem_next_steps(kb: KnowledgeBase, stage_id: str, result: Outcome) -> dict[str, Any]:
    stage = kb.mcem_stage(stage_id)
    unit = kb.units[stage.unit]
    facts = [
        ("Accountable unit", unit_label(unit)),
        ("Roles", ", ".join(role_label(kb.roles[r]) for r in unit.roles)),
    ]
    if result.all_met:
        nxt = kb.next_mcem(stage)
        if nxt is None:
            return {
                "facts": tuple(facts),
                "note": f"{stage.name} is the last of the {len(kb.mcem_stages)} MCEM stages.",
            }
        next_unit = kb.units[nxt.unit]
        facts.append(("Next stage", f"{nxt.name}, owned by the {next_unit.acronym} ({next_unit.name})"))
        facts.append((f"{nxt.name} exit criteria", nxt.exit_criteria))
        return {
            "facts": tuple(facts),
            "buttons": (Button(f"Check {nxt.name}", _start("mcem", nxt.id), style="positive"),),
        }
    # The seeds give no key steps for MCEM stages; the accountable unit's roles and their
    # responsibilities are what the guide offers as the way forward.
    items = tuple(
        Item(role_label(kb.roles[r]), kb.roles[r].responsibilities) for r in unit.roles if kb.roles[r].responsibilities
    )
    return {
        "sections": (SummarySection(f"Next steps: work with the {unit.acronym}", items),) if items else (),
        # The exit criterion is the summary's one row and the roles are the next steps' headings: each once.
        "facts": facts[:1],
        "note": None if items else "The guide lists no responsibilities for these roles.",
        "buttons": (
            Button(f"Re-check {stage.name}", _start("mcem", stage.id), style="positive"),
            Button(f"Who owns {stage.name}?", question=f"Who owns {stage.name}?"),
            Button("Ask a question", question="help"),
        ),
    }
