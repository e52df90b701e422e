"""The order of stages: next, previous, first, last, how many, all in order."""

from __future__ import annotations

from typing import Any

from knowledge.answers.base import (
    Answer,
    Item,
    Section,
    join,
    mssp_source,
    probability_text,
    sources,
    unit_label,
)
from knowledge.frame import Frame
from knowledge.model import KnowledgeBase


def order_answer(kb: KnowledgeBase, frame: Frame) -> Answer:
    kind = frame.kind
    slots = frame.slots
    if kind in ("order.next", "order.previous"):
        return _order_step(kb, frame)
    domain = slots.get("domain", "both")
    mcem_names = [s.name for s in kb.mcem_stages]
    mssp_names = [s.name for s in kb.mssp_stages]
    if kind == "order.count":
        parts = []
        if domain in ("mcem", "both"):
            parts.append(f"MCEM has {len(mcem_names)} stages: {join(mcem_names)}.")
        if domain in ("mssp", "both"):
            parts.append(f"MSSP has {len(mssp_names)} sales-cycle stages: {join(mssp_names)}.")
        return Answer(kind, "Stages", " ".join(parts), source=sources(kb, domain), context=_listed(kb, frame, domain))
    if kind in ("order.first", "order.last"):
        pick = 0 if kind == "order.first" else -1
        word = "first" if pick == 0 else "last"
        parts = []
        if domain in ("mcem", "both"):
            parts.append(f"The {word} MCEM stage is {mcem_names[pick]}.")
        if domain in ("mssp", "both"):
            parts.append(f"The {word} MSSP stage is {mssp_names[pick]}.")
        if domain == "mssp":
            ctx = Frame("mssp.stage", {"mssp_stage": kb.mssp_stages[pick].id})
        elif domain == "mcem":
            ctx = Frame("mcem.stage", {"mcem_stage": kb.mcem_stages[pick].id})
        else:
            ctx = frame
        return Answer(kind, "Stages", " ".join(parts), source=sources(kb, domain), context=ctx)
    sections = []
    if domain in ("mcem", "both"):
        sections.append(
            Section(
                "MCEM stages",
                tuple(Item(f"{s.name} (owned by the {s.unit.upper()})") for s in kb.mcem_stages),
            )
        )
    if domain in ("mssp", "both"):
        sections.append(
            Section("MSSP sales-cycle stages", tuple(Item(f"{s.name} ({s.probability})") for s in kb.mssp_stages))
        )
    heads = []
    if domain in ("mcem", "both"):
        heads.append(f"MCEM's {len(mcem_names)} stages, in order: {join(mcem_names)}.")
    if domain in ("mssp", "both"):
        heads.append(f"MSSP's {len(mssp_names)} stages, in order: {join(mssp_names)}.")
    return Answer(
        kind,
        "Stages in order",
        " ".join(heads),
        sections=tuple(sections),
        source=sources(kb, domain),
        context=_listed(kb, frame, domain),
    )


def _listed(kb: KnowledgeBase, frame: Frame, domain: str) -> Frame:
    """The answer's context: the one document's stages it listed, so "the last one" is picked from them (not a
    list the question carried over from before: "how many stages mcem have", "same for mssp")."""
    slots = {k: v for k, v in frame.slots.items() if k != "items"}
    if domain == "mcem":
        slots["items"] = [["mcem_stage", s.id] for s in kb.mcem_stages]
    elif domain == "mssp":
        slots["items"] = [["mssp_stage", s.id] for s in kb.mssp_stages]
    return Frame(frame.kind, slots)


def stages_between(kb: KnowledgeBase, frame: Frame) -> Answer:
    """The stages strictly between two stages of one document, in order."""
    slot, (a_id, b_id) = frame.slots["slot"], frame.slots["ids"]
    stages = kb.mssp_stages if slot == "mssp_stage" else kb.mcem_stages
    doc = "MSSP" if slot == "mssp_stage" else "MCEM"
    by_id = {s.id: s for s in stages}
    first, last = sorted((by_id[a_id], by_id[b_id]), key=lambda s: s.position)
    inside = stages[first.position + 1 : last.position]
    if inside:
        verb = "comes" if len(inside) == 1 else "come"
        headline = f"Between {first.name} and {last.name} {verb} {join([s.name for s in inside])}."
    else:
        headline = f"{first.name} and {last.name} are next to each other: there is no {doc} stage between them."

    def placed(stage: Any) -> str:
        # (an MSSP stage's probability, an MCEM stage's accountable unit: what sets each apart)
        said = stage.probability if slot == "mssp_stage" else kb.units[stage.unit].acronym
        return f"stage {stage.position + 1} of {len(stages)}, {said}"

    return Answer(
        frame.kind,
        f"{doc} · order",
        headline,
        facts=tuple((s.name, placed(s)) for s in inside),
        source=sources(kb, doc.lower()),
        context=Frame(frame.kind, {**frame.slots, "items": [[slot, s.id] for s in inside]}),
    )


def _order_step(kb: KnowledgeBase, frame: Frame) -> Answer:
    forward = frame.kind == "order.next"
    word = "after" if forward else "before"
    if "mssp_stage" in frame.slots:
        stage = kb.mssp_stage(frame.slots["mssp_stage"])
        other = kb.next_mssp(stage) if forward else kb.previous_mssp(stage)
        if other is None:
            edge = "last" if forward else "first"
            return Answer(
                frame.kind,
                "MSSP · order",
                f"{stage.name} is the {edge} of the {len(kb.mssp_stages)} MSSP stages: there is no stage {word} it.",
                source=mssp_source(kb),
                context=frame,
            )
        return Answer(
            frame.kind,
            "MSSP · order",
            f"{other.name} comes {word} {stage.name} (stage {other.position + 1} of {len(kb.mssp_stages)}).",
            facts=(("Probability", probability_text(other)), ("Objective", other.objective)),
            source=mssp_source(kb),
            suggestions=(f"Checkpoints for {other.name}",),
            check=("mssp", other.id),
            context=Frame(frame.kind, {"mssp_stage": other.id}),
        )
    mstage = kb.mcem_stage(frame.slots["mcem_stage"])
    mother = kb.next_mcem(mstage) if forward else kb.previous_mcem(mstage)
    if mother is None:
        edge = "last" if forward else "first"
        return Answer(
            frame.kind,
            "MCEM · order",
            f"{mstage.name} is the {edge} of the {len(kb.mcem_stages)} MCEM stages: there is no stage {word} it.",
            source=kb.mcem.title,
            context=frame,
        )
    return Answer(
        frame.kind,
        "MCEM · order",
        f"{mother.name} comes {word} {mstage.name} (stage {mother.position + 1} of {len(kb.mcem_stages)}).",
        facts=(
            ("Accountable unit", unit_label(kb.units[mother.unit])),
            ("Exit criteria", mother.exit_criteria),
        ),
        source=kb.mcem.title,
        suggestions=(f"Who owns {mother.name}?",),
        context=Frame(frame.kind, {"mcem_stage": mother.id}),
    )
