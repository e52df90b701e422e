"""The MSSP sales stages: probability, objective, verifiable outcome, checkpoints and key steps."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.answers.base import (
    Answer,
    Section,
    join,
    mssp_source,
    probability_text,
    step_items,
    text_items,
)
from knowledge.compose import BOUND_WORDS, within_bound
from knowledge.frame import Frame
from knowledge.model import KnowledgeBase, MsspStage


def _mssp_stage_answer(kb: KnowledgeBase, frame: Frame, stage: MsspStage, headline: str, **kw: object) -> Answer:
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {stage.name} stage",
        headline=headline,
        source=mssp_source(kb),
        check=("mssp", stage.id),
        context=frame,
        **kw,  # type: ignore[arg-type]
    )


def _stage_suggestions(stage: MsspStage, *exclude: str) -> tuple[str, ...]:
    options = {
        "probability": f"Probability at {stage.name}",
        "checkpoints": f"Checkpoints for {stage.name}",
        "key_steps": f"Key steps for {stage.name}",
        "outcome": f"Verifiable outcome of {stage.name}",
    }
    return tuple(q for k, q in options.items() if k not in exclude)[:2]


def mssp_probability(kb: KnowledgeBase, frame: Frame) -> Answer:
    stages = [kb.mssp_stage(s) for s in frame.slots.get("stages") or [frame.slots["mssp_stage"]]]
    stage = stages[0]
    if len(stages) > 1:
        headline = "; ".join(f"{s.name}: {probability_text(s)}" for s in stages) + "."
    elif stage.probability == "NA":
        headline = f"The MSSP table gives no probability for {stage.name}: it says NA."
    else:
        headline = f"The probability at {stage.name} is {stage.probability}."
    facts = [("Stage", f"{stage.name} (stage {stage.position + 1} of {len(kb.mssp_stages)})")]
    facts.append(("Verifiable outcome", stage.verifiable_outcome))
    return _mssp_stage_answer(
        kb, frame, stage, headline, facts=tuple(facts), suggestions=_stage_suggestions(stage, "probability")
    )


def mssp_probability_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    """Every stage's probability, or those within a bound ("stages above 50%", "60% or higher")."""
    bound = next(((side, int(frame.slots[side])) for side in BOUND_WORDS if side in frame.slots), None)
    stages = [
        s
        for s in kb.mssp_stages
        if bound is None or (s.probability != "NA" and within_bound(int(s.probability[:-1]), bound))
    ]
    if bound is None:
        headline = f"The probability at each of the {len(kb.mssp_stages)} MSSP stages: "
    else:
        headline = (
            f"The MSSP stages with a probability {BOUND_WORDS[bound[0]]} {bound[1]}% "
            f"({len(stages)} of {len(kb.mssp_stages)}): "
        )
    return Answer(
        kind=frame.kind,
        title="MSSP · probability by stage",
        headline=headline + ("; ".join(f"{s.name} {probability_text(s)}" for s in stages) or "none") + ".",
        facts=tuple((s.name, probability_text(s)) for s in stages),
        source=mssp_source(kb),
        suggestions=("Which stage is 80%?", "Checkpoints for Proof"),
        # (the stages listed are what "the lowest of those" picks from)
        context=Frame(frame.kind, {**frame.slots, "items": [["mssp_stage", s.id] for s in stages]}),
    )


def mssp_probability_reverse(kb: KnowledgeBase, frame: Frame) -> Answer:
    percent = frame.slots["percent"]
    matches = [s for s in kb.mssp_stages if s.probability == percent]
    if not matches:
        table = ", ".join(f"{s.name} {s.probability}" for s in kb.mssp_stages if s.probability != "NA")
        return Answer(
            kind=frame.kind,
            title="MSSP · probability",
            headline=f"No MSSP stage has a probability of {percent}.",
            facts=tuple((s.name, probability_text(s)) for s in kb.mssp_stages),
            note=f"The stages with a probability: {table}.",
            source=mssp_source(kb),
            context=frame,
        )
    if len(matches) > 1:  # "which stages are NA?": every stage with that entry
        names = join([s.name for s in matches])
        return Answer(
            kind=frame.kind,
            title="MSSP · probability",
            headline=f"The MSSP table gives {percent} as the probability of {len(matches)} stages: {names}."
            if percent != "NA"
            else f"The MSSP table gives no probability (NA) for {len(matches)} stages: {names}.",
            facts=tuple((s.name, s.objective) for s in matches),
            source=mssp_source(kb),
            context=Frame(frame.kind, {"percent": percent, "items": [["mssp_stage", s.id] for s in matches]}),
        )
    stage = matches[0]
    answer = mssp_probability(kb, Frame("mssp.probability", {"mssp_stage": stage.id}))
    return Answer(
        kind=frame.kind,
        title=answer.title,
        headline=f"{stage.name} is the {percent} stage of MSSP.",
        facts=(
            (f"{stage.name} objective", stage.objective),
            ("Verifiable outcome", stage.verifiable_outcome),
        ),
        source=answer.source,
        suggestions=_stage_suggestions(stage),
        check=answer.check,
        context=Frame("mssp.probability", {"mssp_stage": stage.id}),
    )


def mssp_objective(kb: KnowledgeBase, frame: Frame) -> Answer:
    stages = [kb.mssp_stage(s) for s in frame.slots.get("stages") or [frame.slots["mssp_stage"]]]
    stage = stages[0]
    facts = tuple((s.name, s.objective) for s in stages[1:])
    return _mssp_stage_answer(
        kb,
        frame,
        stage,
        f"The sales stage objective of {stage.name}: {stage.objective}.",
        facts=(
            ("Verifiable outcome", stage.verifiable_outcome),
            ("Probability", probability_text(stage)),
            *facts,
        ),
        suggestions=_stage_suggestions(stage),
    )


def mssp_outcome(kb: KnowledgeBase, frame: Frame) -> Answer:
    stages = [kb.mssp_stage(s) for s in frame.slots.get("stages") or [frame.slots["mssp_stage"]]]
    stage = stages[0]
    facts = tuple((s.name, s.verifiable_outcome) for s in stages[1:])
    return _mssp_stage_answer(
        kb,
        frame,
        stage,
        f"The verifiable outcome of {stage.name}: {stage.verifiable_outcome}.",
        facts=(("Objective", stage.objective), ("Probability", probability_text(stage)), *facts),
        suggestions=_stage_suggestions(stage, "outcome"),
    )


def _each_stage(kb: KnowledgeBase, frame: Frame, label: str, value: Callable[[MsspStage], str]) -> Answer:
    """One line of every MSSP stage, stage by stage ("the objective of each MSSP stage")."""
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {label} by stage",
        headline=f"The {label} of each MSSP stage:",
        facts=tuple((s.name, value(s)) for s in kb.mssp_stages),
        source=mssp_source(kb),
        context=frame,
    )


def mssp_objective_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    return _each_stage(kb, frame, "sales stage objective", lambda s: s.objective)


def mssp_outcome_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    return _each_stage(kb, frame, "verifiable outcome", lambda s: s.verifiable_outcome)


def mssp_checkpoints(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    n = len(stage.checkpoints)
    return _mssp_stage_answer(
        kb,
        frame,
        stage,
        f"{stage.name} has {n} checkpoint{'s' if n != 1 else ''}: " + "; ".join(stage.checkpoints) + ".",
        sections=(Section("Checkpoints", text_items(stage.checkpoints)),),
        facts=(("Verifiable outcome", stage.verifiable_outcome), ("Probability", probability_text(stage))),
        suggestions=(f"Key steps for {stage.name}",),
    )


def mssp_key_steps(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    steps = step_items(stage.key_steps)
    flat = "; ".join(s.text + (" " + ", ".join(s.sub_items) if s.sub_items else "") for s in steps)
    return _mssp_stage_answer(
        kb,
        frame,
        stage,
        f"{stage.name}: {len(steps)} key steps, in order.",
        sections=(Section("Key steps", steps),),
        facts=(("Verifiable outcome", stage.verifiable_outcome),),
        suggestions=(f"Checkpoints for {stage.name}",),
        extra_text=(flat,),
    )


def mssp_stage_overview(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    return _mssp_stage_answer(
        kb,
        Frame("mssp.stage", {"mssp_stage": stage.id}),
        stage,
        f"{stage.name} is stage {stage.position + 1} of the {len(kb.mssp_stages)} MSSP sales-cycle stages.",
        facts=(
            ("Probability", probability_text(stage)),
            ("Objective", stage.objective),
            ("Verifiable outcome", stage.verifiable_outcome),
        ),
        sections=(Section("Checkpoints", text_items(stage.checkpoints)),),
        suggestions=(f"Key steps for {stage.name}",),
    )


def mssp_exit_like(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    return _mssp_stage_answer(
        kb,
        Frame("mssp.checkpoints", {"mssp_stage": stage.id}),
        stage,
        f"MSSP stages have no exit criteria; {stage.name} ends with its verifiable outcome: "
        f"{stage.verifiable_outcome}.",
        facts=(("Verifiable outcome", stage.verifiable_outcome),),
        sections=(Section("Checkpoints", text_items(stage.checkpoints)),),
        note=f"Exit criteria belong to the {len(kb.mcem_stages)} MCEM stages ({kb.mcem_stages[0].name} ... "
        f"{kb.mcem_stages[-1].name}).",
        suggestions=(f"Key steps for {stage.name}",),
    )


def mssp_owner_silent(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    return _mssp_stage_answer(
        kb,
        Frame("mssp.stage", {"mssp_stage": stage.id}),
        stage,
        f"The MSSP document doesn't say who owns the {stage.name} stage: it names no owners or roles.",
        facts=(("Objective", stage.objective), ("Verifiable outcome", stage.verifiable_outcome)),
        note=f"Owners (accountable units) are given only for the {len(kb.mcem_stages)} MCEM stages.",
        suggestions=("Who owns Listen & Consult?",),
    )


def pick_stage(kb: KnowledgeBase, frame: Frame) -> Answer:
    aspect = frame.slots.get("aspect", "checkpoints")
    label = {"checkpoints": "checkpoints", "key_steps": "key steps"}.get(aspect, aspect)
    prefix = {"checkpoints": "Checkpoints for", "key_steps": "Key steps for"}.get(aspect, "Tell me about")
    return Answer(
        kind=frame.kind,
        title="MSSP · which stage?",
        headline=f"Which MSSP stage do you want the {label} for?",
        source=mssp_source(kb),
        suggestions=tuple(f"{prefix} {s.name}" for s in kb.mssp_stages),
        context=frame,
    )
