"""MCEM stages and the accountable units that own them: owner, exit criteria, the unit's roles and stages."""

from __future__ import annotations

from knowledge.answers.base import (
    Answer,
    join,
    mcem_source,
    roles_of,
    unit_label,
)
from knowledge.frame import Frame
from knowledge.model import KnowledgeBase, McemStage, Unit


def mcem_owner(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    unit = kb.units[stage.unit]
    roles = roles_of(kb, unit)
    headline = f"{stage.name} is owned by the {unit.acronym} ({unit.name}): {roles}."
    others = [kb.mcem_stage(s).name for s in unit.stages if s != stage.id]
    facts = [("Accountable unit", unit_label(unit)), ("Roles", roles), ("Exit criteria", stage.exit_criteria)]
    if others:
        facts.append((f"{unit.acronym} also owns", ", ".join(others)))
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {stage.name}",
        headline=headline,
        facts=tuple(facts),
        source=mcem_source(kb),
        suggestions=(f"Exit criteria for {stage.name}", *_neighbour_owner_question(kb, stage)),
        check=("mcem", stage.id),
        context=frame,
    )


def _neighbour_owner_question(kb: KnowledgeBase, stage: McemStage) -> tuple[str, ...]:
    nxt = kb.next_mcem(stage)
    return (f"Who owns {nxt.name}?",) if nxt else ()


def mcem_exit(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    unit = kb.units[stage.unit]
    facts = [("Exit criteria", stage.exit_criteria), ("Accountable unit", unit_label(unit))]
    # (the stage after it is one tap away, not stated unasked)
    after = (f"What comes after {stage.name}?",) if kb.next_mcem(stage) else ()
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {stage.name} · exit criteria",
        headline=f"The exit criteria for {stage.name}: {stage.exit_criteria}.",
        facts=tuple(facts),
        source=mcem_source(kb),
        suggestions=(f"Who owns {stage.name}?", *after),
        check=("mcem", stage.id),
        context=frame,
    )


def mcem_exit_reverse(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    answer = mcem_exit(kb, frame)
    return Answer(
        kind=frame.kind,
        title=answer.title,
        headline=f"{stage.name} ends with the exit criteria: {stage.exit_criteria}.",
        facts=answer.facts,
        source=answer.source,
        suggestions=answer.suggestions,
        check=answer.check,
        context=Frame("mcem.exit", {"mcem_stage": stage.id}),
    )


def mcem_exit_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MCEM · exit criteria",
        headline=f"Each of the {len(kb.mcem_stages)} MCEM stages has one exit criterion:",
        facts=tuple((s.name, s.exit_criteria) for s in kb.mcem_stages),
        source=mcem_source(kb),
        suggestions=("Who owns Realize Value?", "Check the exit criteria for Listen & Consult"),
        # ("the third one you mentioned - who's accountable for that stage?", then "and the last one?")
        context=Frame(frame.kind, {"items": [["mcem_stage", s.id] for s in kb.mcem_stages]}),
    )


def mcem_stage(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    unit = kb.units[stage.unit]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {stage.name}",
        headline=f"{stage.name} is stage {stage.position + 1} of the {len(kb.mcem_stages)} MCEM stages, "
        f"owned by the {unit.acronym}.",
        facts=(
            ("Accountable unit", unit_label(unit)),
            ("Roles", roles_of(kb, unit)),
            ("Exit criteria", stage.exit_criteria),
        ),
        source=mcem_source(kb),
        suggestions=(f"Exit criteria for {stage.name}", *_neighbour_owner_question(kb, stage)),
        check=("mcem", stage.id),
        context=Frame("mcem.owner", {"mcem_stage": stage.id}),
    )


def _unit_facts(kb: KnowledgeBase, unit: Unit) -> tuple[tuple[str, str], ...]:
    accountable = [kb.mcem_stage(s).name + " stage" for s in unit.stages] + list(unit.other_accountabilities)
    return (("Roles", roles_of(kb, unit)), ("Accountable for", "; ".join(accountable)))


def unit_roles(kb: KnowledgeBase, frame: Frame) -> Answer:
    unit = kb.units[frame.slots["unit"]]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {unit_label(unit)}",
        headline=f"The {unit.acronym} ({unit.name}) is made up of: {roles_of(kb, unit)}.",
        facts=_unit_facts(kb, unit),
        source=mcem_source(kb),
        suggestions=tuple(f"What does the {kb.roles[r].acronym} do?" for r in unit.roles),
        context=frame,
    )


def unit_stages(kb: KnowledgeBase, frame: Frame) -> Answer:
    unit = kb.units[frame.slots["unit"]]
    stages = [kb.mcem_stage(s).name for s in unit.stages]
    accountable = [f"the {s} stage" for s in stages] + [a for a in unit.other_accountabilities]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {unit_label(unit)}",
        headline=f"The {unit.acronym} ({unit.name}) is accountable for {join(accountable)}.",
        facts=(
            *_unit_facts(kb, unit),
            *((f"{kb.mcem_stage(s).name} exit criteria", kb.mcem_stage(s).exit_criteria) for s in unit.stages),
        ),
        source=mcem_source(kb),
        suggestions=tuple(f"Exit criteria for {s}" for s in stages),
        context=frame,
    )


def unit_summary(kb: KnowledgeBase, frame: Frame) -> Answer:
    unit = kb.units[frame.slots["unit"]]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {unit_label(unit)}",
        headline=f"The {unit.acronym} is the {unit.name}, one of the {len(kb.units)} MCEM accountable units.",
        facts=_unit_facts(kb, unit),
        source=mcem_source(kb),
        suggestions=tuple(f"What does the {kb.roles[r].acronym} do?" for r in unit.roles),
        context=Frame("unit.roles", {"unit": unit.id}),
    )
