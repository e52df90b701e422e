"""Answers: a Frame plus the knowledge base -> an Answer object that any renderer (card, text) can show.

Every sentence here either quotes the documents or says plainly that they do not say something.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from knowledge.index import KnowledgeIndex, Line
from knowledge.model import KnowledgeBase, McemStage, MsspStage, Role, Step, Unit
from knowledge.understand import Frame, Understanding

EXAMPLE_QUESTIONS = (
    "Who owns Realize Value?",
    "What are the checkpoints for Qualify?",
    "What does a CSA do?",
    "Which stage is 80%?",
)


@dataclass(frozen=True)
class Item:
    text: str
    sub_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Answer:
    kind: str
    title: str
    headline: str
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    note: str | None = None
    source: str | None = None
    suggestions: tuple[str, ...] = ()
    check: tuple[str, str] | None = None  # ("mssp" | "mcem", stage id): offer the guided check
    context: Frame | None = None  # what a follow-up question refers back to
    confidence: float = 1.0
    extra_text: tuple[str, ...] = field(default=())
    lead: str | None = None  # a sentence sent as the message's own text, above the card (yes/no verdicts)

    @property
    def text(self) -> str:
        """The answer as plain text: the reply's text, for screen readers and clients without cards."""
        parts = [self.headline, *self.extra_text]
        return " ".join(p for p in parts if p)


def role_label(role: Role) -> str:
    return f"{role.acronym} ({role.name})"


def unit_label(unit: Unit) -> str:
    return f"{unit.acronym} ({unit.name})"


def _roles_of(kb: KnowledgeBase, unit: Unit) -> str:
    return ", ".join(role_label(kb.roles[r]) for r in unit.roles)


def _steps(steps: tuple[Step, ...]) -> tuple[Item, ...]:
    return tuple(Item(s.text, s.sub_steps) for s in steps)


def _items(texts: tuple[str, ...] | list[str]) -> tuple[Item, ...]:
    return tuple(Item(t) for t in texts)


def _mcem_source(kb: KnowledgeBase) -> str:
    return kb.mcem.title


def _mssp_source(kb: KnowledgeBase) -> str:
    # Not the full title: "Microsoft Solution Sales Process" would name the Solution stage in every answer.
    return f"{kb.mssp.short_title} document"


def _probability_text(stage: MsspStage) -> str:
    return "NA (the table gives no probability)" if stage.probability == "NA" else stage.probability


# --- MCEM ----------------------------------------------------------------------------------------


def mcem_owner(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    unit = kb.units[stage.unit]
    roles = _roles_of(kb, unit)
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
        source=_mcem_source(kb),
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
    nxt = kb.next_mcem(stage)
    facts = [("Exit criteria", stage.exit_criteria), ("Accountable unit", unit_label(unit))]
    facts.append(("Next stage", nxt.name if nxt else "None: it is the last of the five MCEM stages"))
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {stage.name} · exit criteria",
        headline=f"The exit criteria for {stage.name}: {stage.exit_criteria}.",
        facts=tuple(facts),
        source=_mcem_source(kb),
        suggestions=(f"Who owns {stage.name}?",),
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
        headline="Each of the five MCEM stages has one exit criterion:",
        facts=tuple((s.name, s.exit_criteria) for s in kb.mcem_stages),
        source=_mcem_source(kb),
        suggestions=("Who owns Realize Value?", "Check the exit criteria for Listen & Consult"),
    )


def mcem_stage(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mcem_stage(frame.slots["mcem_stage"])
    unit = kb.units[stage.unit]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {stage.name}",
        headline=f"{stage.name} is stage {stage.position + 1} of the five MCEM stages, owned by the {unit.acronym}.",
        facts=(
            ("Accountable unit", unit_label(unit)),
            ("Roles", _roles_of(kb, unit)),
            ("Exit criteria", stage.exit_criteria),
        ),
        source=_mcem_source(kb),
        suggestions=(f"Exit criteria for {stage.name}", *_neighbour_owner_question(kb, stage)),
        check=("mcem", stage.id),
        context=Frame("mcem.owner", {"mcem_stage": stage.id}),
    )


# --- units and roles -----------------------------------------------------------------------------


def _unit_facts(kb: KnowledgeBase, unit: Unit) -> tuple[tuple[str, str], ...]:
    accountable = [kb.mcem_stage(s).name + " stage" for s in unit.stages] + list(unit.other_accountabilities)
    return (("Roles", _roles_of(kb, unit)), ("Accountable for", "; ".join(accountable)))


def unit_roles(kb: KnowledgeBase, frame: Frame) -> Answer:
    unit = kb.units[frame.slots["unit"]]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {unit_label(unit)}",
        headline=f"The {unit.acronym} ({unit.name}) is made up of: {_roles_of(kb, unit)}.",
        facts=_unit_facts(kb, unit),
        source=_mcem_source(kb),
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
        headline=f"The {unit.acronym} ({unit.name}) is accountable for {_join(accountable)}.",
        facts=_unit_facts(kb, unit),
        source=_mcem_source(kb),
        suggestions=tuple(f"Exit criteria for {s}" for s in stages),
        context=frame,
    )


def unit_summary(kb: KnowledgeBase, frame: Frame) -> Answer:
    unit = kb.units[frame.slots["unit"]]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {unit_label(unit)}",
        headline=f"The {unit.acronym} is the {unit.name}, one of the three MCEM accountable units.",
        facts=_unit_facts(kb, unit),
        source=_mcem_source(kb),
        suggestions=tuple(f"What does the {kb.roles[r].acronym} do?" for r in unit.roles),
        context=Frame("unit.roles", {"unit": unit.id}),
    )


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def role_unit(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots["role"]
    if role_id == "ce":
        ce = kb.groups["ce"]
        return Answer(
            kind=frame.kind,
            title=f"MCEM · {ce.acronym}",
            headline=f"The MCEM guide doesn't say which unit {ce.name} ({ce.acronym}) are in: "
            "it places them in no accountable unit.",
            facts=(("What the guide says", f"{ce.name} ({ce.acronym}): {ce.description}"),),
            source=_mcem_source(kb),
            context=frame,
        )
    role = kb.roles[role_id]
    unit = kb.unit_of_role(role_id)
    if unit is None:  # every role in the seeds has a unit; the loader allows a role without one
        return _silent(kb, frame, f"The MCEM guide doesn't say which unit the {role.acronym} is in.")
    stages = ", ".join(kb.mcem_stage(s).name for s in unit.stages)
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {role_label(role)}",
        headline=f"The {role.acronym} ({role.name}) is in the {unit.acronym} ({unit.name}).",
        facts=(("Unit roles", _roles_of(kb, unit)), (f"{unit.acronym} owns", stages)),
        source=_mcem_source(kb),
        suggestions=(f"What does the {role.acronym} do?", f"What is the {unit.acronym} accountable for?"),
        context=Frame("role.unit", {"role": role.id, "unit": unit.id}),
    )


def role_definition(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_ids = list(dict.fromkeys(frame.slots.get("roles") or [frame.slots["role"]]))
    if len(role_ids) > 1:
        return _roles_compared(kb, frame, role_ids)
    role_id = role_ids[0]
    if role_id == "ce" or (role_id == "se" and kb.roles["se"].focus is None):
        return _group_definition(kb, frame, role_id)
    role = kb.roles[role_id]
    aspect = frame.slots.get("aspect", "all")
    unit = kb.unit_of_role(role.id)
    facts = [("Focus", role.focus or ""), ("MCEM focus", role.mcem_focus or "")]
    if unit:
        facts.append(("Unit", unit_label(unit)))
    if aspect == "focus":
        headline = f"The {role.acronym} ({role.name}) focus: {role.focus}"
    elif aspect == "mcem_focus":
        headline = f"The {role.acronym} ({role.name}) MCEM focus: {role.mcem_focus}"
    else:
        headline = f"The {role.acronym} ({role.name}): {role.focus}"
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {role_label(role)}",
        headline=headline,
        facts=tuple(facts),
        sections=(Section("Key responsibilities", _items(role.responsibilities)),),
        source=_mcem_source(kb),
        suggestions=_role_suggestions(kb, role),
        context=Frame("role.definition", {"role": role.id, "aspect": aspect}),
    )


def _role_suggestions(kb: KnowledgeBase, role: Role) -> tuple[str, ...]:
    unit = kb.unit_of_role(role.id)
    out = [f"Which unit is the {role.acronym} in?"] if unit else []
    out.append(f"What is the {role.acronym} involved in?")
    return tuple(out)


def _group_definition(kb: KnowledgeBase, frame: Frame, role_id: str) -> Answer:
    group = kb.groups["ce" if role_id == "ce" else "se-group"]
    facts = [("What the guide says", f"{group.name} ({group.acronym}): {group.description}")]
    note = None
    if role_id == "se":
        unit = kb.unit_of_role("se")
        if unit:
            facts.append(("Unit", f"{unit_label(unit)}, as SE (Solution Engineer)"))
        note = "The guide has no role-definition section for the SE, only this overview line."
    else:
        note = "The guide defines the CE only in its overview; it does not place CE in an accountable unit."
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {group.acronym}",
        headline=f"{group.name} ({group.acronym}): {group.description}",
        facts=tuple(facts),
        note=note,
        source=_mcem_source(kb),
        context=Frame("role.definition", {"role": role_id}),
    )


def _roles_compared(kb: KnowledgeBase, frame: Frame, role_ids: list[str]) -> Answer:
    facts = []
    for r in role_ids:
        if r == "ce":
            facts.append(("CE (Commercial Executives)", kb.groups["ce"].description))
        elif kb.roles[r].focus:
            facts.append((role_label(kb.roles[r]), kb.roles[r].focus or ""))
        else:
            facts.append((role_label(kb.roles[r]), kb.groups["se-group"].description))
    names = [f.split(" (")[0] for f, _ in facts]
    return Answer(
        kind=frame.kind,
        title="MCEM · roles",
        headline=f"What the guide says each of {_join(names)} focuses on:",
        facts=tuple(facts),
        source=_mcem_source(kb),
        suggestions=tuple(f"What does the {n} do?" for n in names[:3]),
        context=Frame("role.definition", {"role": role_ids[-1]}),
    )


def role_expansion(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots["role"]
    if role_id == "ce":
        name, acronym = kb.groups["ce"].name, "CE"
    else:
        name, acronym = kb.roles[role_id].name, kb.roles[role_id].acronym
    answer = role_definition(kb, Frame("role.definition", {"role": role_id}))
    return Answer(
        kind=frame.kind,
        title=answer.title,
        headline=f"{acronym} stands for {name}.",
        facts=answer.facts,
        source=answer.source,
        suggestions=answer.suggestions,
        context=answer.context,
    )


def role_who_does(kb: KnowledgeBase, frame: Frame, lines: list[tuple[tuple[str, ...], str, str]]) -> Answer:
    """lines: (role ids, seed line, where it comes from), best first."""
    first_roles, first_text, _ = lines[0]
    everyone = list(dict.fromkeys(r for roles, _, _ in lines for r in roles))
    if len(everyone) > len(first_roles):
        headline = "The MCEM guide gives this to " + _join([f"the {_acronym(kb, r)}" for r in everyone]) + ":"
    else:
        who = _join([_role_or_group_label(kb, r) for r in first_roles])
        headline = f"The {who}: \u201c{first_text}\u201d"
    facts = []
    for roles, text, source in lines:
        facts.append((_join([_role_or_group_label(kb, r) for r in roles]), f"{text} ({_source_label(kb, source)})"))
    subject = first_roles[0]
    context = (
        Frame("unit.roles", {"unit": subject}) if subject in kb.units else Frame("role.definition", {"role": subject})
    )
    return Answer(
        kind=frame.kind,
        title="MCEM · who does it",
        headline=headline,
        facts=tuple(facts),
        source=_mcem_source(kb),
        suggestions=(f"What does the {_acronym(kb, subject)} do?",),
        context=context,
    )


def _acronym(kb: KnowledgeBase, role_id: str) -> str:
    if role_id in kb.units:
        return kb.units[role_id].acronym
    return "CE" if role_id == "ce" else kb.roles[role_id].acronym


def _role_or_group_label(kb: KnowledgeBase, role_id: str) -> str:
    if role_id == "ce":
        return "CE (Commercial Executives)"
    if role_id in kb.units:
        unit = kb.units[role_id]
        return f"{unit_label(unit)}, whose roles are {_roles_of(kb, unit)}"
    return role_label(kb.roles[role_id])


def _source_label(kb: KnowledgeBase, source: str) -> str:
    if source.startswith("task:"):
        return f"{kb.assignments[source[5:]].name} role assignment"
    return {
        "responsibility": "key responsibility",
        "focus": "focus",
        "mcem_focus": "MCEM focus",
        "collaboration": "how they work together",
        "group": "overview",
        "unit": "accountable unit",
    }.get(source, source)


def role_assignments(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots["role"]
    if role_id not in kb.roles or kb.roles[role_id].focus is None:
        return _group_definition(kb, frame, role_id)
    role = kb.roles[role_id]
    facts = [(a.name, m.task) for a in kb.assignments.values() for m in a.roles if m.role == role_id]
    names = [a for a, _ in facts]
    headline = (
        f"The {role.acronym} is in the {_join(names)} role assignments; MCEM focus: {role.mcem_focus}"
        if names
        else f"The {role.acronym} is not named in the MAP, COMPETE, EXPAND or MODERNIZE role assignments."
    )
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {role_label(role)} · role assignments",
        headline=headline,
        facts=tuple(facts),
        source=_mcem_source(kb),
        suggestions=(f"What does the {role.acronym} do?",),
        context=Frame("role.assignments", {"role": role.id}),
    )


def collaboration(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots.get("role")
    rows = [c for c in kb.collaboration if not role_id or role_id in c.roles] or list(kb.collaboration)
    return Answer(
        kind=frame.kind,
        title="MCEM · how they work together",
        headline="How the roles work together:" if len(rows) > 1 else f"{rows[0].label}: {rows[0].purpose}",
        facts=tuple((c.label, c.purpose) for c in rows),
        source=_mcem_source(kb),
        context=frame,
    )


# --- role assignments (MAP / COMPETE / EXPAND / MODERNIZE) ----------------------------------------


def assignment_roles(kb: KnowledgeBase, frame: Frame) -> Answer:
    a = kb.assignments[frame.slots["assignment"]]
    names = [kb.roles[m.role].acronym for m in a.roles]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {a.name} role assignment",
        headline=f"{a.name} involves the {_join(names)}.",
        facts=tuple((role_label(kb.roles[m.role]), m.task) for m in a.roles),
        note=a.description,
        source=_mcem_source(kb),
        suggestions=tuple(f"What does the {n} do in {a.name.title()}?" for n in names[:2]),
        context=frame,
    )


def assignment_role_task(kb: KnowledgeBase, frame: Frame) -> Answer:
    a = kb.assignments[frame.slots["assignment"]]
    role_id = frame.slots["role"]
    member = next((m for m in a.roles if m.role == role_id), None)
    acronym = _acronym(kb, role_id)
    if member is None:
        names = _join([kb.roles[m.role].acronym for m in a.roles])
        role = kb.roles.get(role_id)
        what = role.focus if role and role.focus else kb.groups["se-group" if role_id == "se" else "ce"].description
        return Answer(
            kind=frame.kind,
            title=f"MCEM · {a.name} role assignment",
            headline=f"The MCEM guide doesn't name the {acronym} in {a.name}; its roles are the {names}. "
            f"What it says of the {acronym}: {what}",
            facts=tuple((role_label(kb.roles[m.role]), m.task) for m in a.roles),
            source=_mcem_source(kb),
            context=frame,
        )
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {a.name} role assignment",
        headline=f"In {a.name}, the {acronym} ({kb.roles[role_id].name}): {member.task}.",
        facts=((a.name, a.description),),
        source=_mcem_source(kb),
        suggestions=(f"Who is involved in {a.name}?",),
        context=frame,
    )


# --- MSSP ----------------------------------------------------------------------------------------


def _mssp_stage_answer(kb: KnowledgeBase, frame: Frame, stage: MsspStage, headline: str, **kw: object) -> Answer:
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {stage.name} stage",
        headline=headline,
        source=_mssp_source(kb),
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
        headline = "; ".join(f"{s.name}: {_probability_text(s)}" for s in stages) + "."
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
    return Answer(
        kind=frame.kind,
        title="MSSP · probability by stage",
        headline="The probability at each of the nine MSSP stages:",
        facts=tuple((s.name, _probability_text(s)) for s in kb.mssp_stages),
        source=_mssp_source(kb),
        suggestions=("Which stage is 80%?", "Checkpoints for Proof"),
        context=frame,
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
            facts=tuple((s.name, _probability_text(s)) for s in kb.mssp_stages),
            note=f"The stages with a probability: {table}.",
            source=_mssp_source(kb),
            context=frame,
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
            ("Probability", _probability_text(stage)),
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
        facts=(("Objective", stage.objective), ("Probability", _probability_text(stage)), *facts),
        suggestions=_stage_suggestions(stage, "outcome"),
    )


def mssp_objective_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MSSP · objective by stage",
        headline="The sales stage objective of each MSSP stage:",
        facts=tuple((s.name, s.objective) for s in kb.mssp_stages),
        source=_mssp_source(kb),
        context=frame,
    )


def mssp_outcome_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MSSP · verifiable outcome by stage",
        headline="The verifiable outcome of each MSSP stage:",
        facts=tuple((s.name, s.verifiable_outcome) for s in kb.mssp_stages),
        source=_mssp_source(kb),
        context=frame,
    )


def mssp_checkpoints(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    n = len(stage.checkpoints)
    return _mssp_stage_answer(
        kb,
        frame,
        stage,
        f"{stage.name} has {n} checkpoint{'s' if n != 1 else ''}: " + "; ".join(stage.checkpoints) + ".",
        sections=(Section("Checkpoints", _items(stage.checkpoints)),),
        facts=(("Verifiable outcome", stage.verifiable_outcome), ("Probability", _probability_text(stage))),
        suggestions=(f"Key steps for {stage.name}",),
    )


def mssp_key_steps(kb: KnowledgeBase, frame: Frame) -> Answer:
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    steps = _steps(stage.key_steps)
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
        f"{stage.name} is stage {stage.position + 1} of the nine MSSP sales-cycle stages.",
        facts=(
            ("Probability", _probability_text(stage)),
            ("Objective", stage.objective),
            ("Verifiable outcome", stage.verifiable_outcome),
        ),
        sections=(Section("Checkpoints", _items(stage.checkpoints)),),
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
        sections=(Section("Checkpoints", _items(stage.checkpoints)),),
        note="Exit criteria belong to the five MCEM stages (Listen & Consult ... Manage & Optimize).",
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
        note="Owners (accountable units) are given only for the five MCEM stages.",
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
        source=_mssp_source(kb),
        suggestions=tuple(f"{prefix} {s.name}" for s in kb.mssp_stages),
        context=frame,
    )


# --- order of stages -----------------------------------------------------------------------------


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
            parts.append(f"MCEM has {len(mcem_names)} stages: {_join(mcem_names)}.")
        if domain in ("mssp", "both"):
            parts.append(f"MSSP has {len(mssp_names)} sales-cycle stages: {_join(mssp_names)}.")
        return Answer(kind, "Stages", " ".join(parts), source=_sources(kb, domain), context=frame)
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
        return Answer(kind, "Stages", " ".join(parts), source=_sources(kb, domain), context=ctx)
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
        heads.append(f"MCEM's five stages, in order: {_join(mcem_names)}.")
    if domain in ("mssp", "both"):
        heads.append(f"MSSP's nine stages, in order: {_join(mssp_names)}.")
    return Answer(kind, "Stages in order", " ".join(heads), sections=tuple(sections), source=_sources(kb, domain))


def _sources(kb: KnowledgeBase, domain: str) -> str:
    return {"mcem": kb.mcem.title, "mssp": _mssp_source(kb)}.get(domain, f"{kb.mcem.title}; {_mssp_source(kb)}")


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
                f"{stage.name} is the {edge} of the nine MSSP stages; nothing comes {word} it.",
                source=_mssp_source(kb),
                context=frame,
            )
        return Answer(
            frame.kind,
            "MSSP · order",
            f"{other.name} comes {word} {stage.name} (stage {other.position + 1} of 9).",
            facts=(("Probability", _probability_text(other)), ("Objective", other.objective)),
            source=_mssp_source(kb),
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
            f"{mstage.name} is the {edge} of the five MCEM stages; nothing comes {word} it.",
            source=kb.mcem.title,
            context=frame,
        )
    return Answer(
        frame.kind,
        "MCEM · order",
        f"{mother.name} comes {word} {mstage.name} (stage {mother.position + 1} of 5).",
        facts=(
            ("Accountable unit", unit_label(kb.units[mother.unit])),
            ("Exit criteria", mother.exit_criteria),
        ),
        source=kb.mcem.title,
        suggestions=(f"Who owns {mother.name}?",),
        context=Frame(frame.kind, {"mcem_stage": mother.id}),
    )


# --- glossary and overviews ----------------------------------------------------------------------


def glossary(kb: KnowledgeBase, frame: Frame) -> Answer:
    term = kb.glossary[int(frame.slots["term"])]
    source = _sources(kb, term.document)
    if term.expansion:
        headline = f"{term.term}: {term.expansion}."
        note = None
    else:
        headline = f"The documents use \u201c{term.term}\u201d but don't say what it stands for or define it."
        note = "I only repeat what the two documents say, so I won't guess what it stands for."
    return Answer(
        kind=frame.kind,
        title=f"Glossary · {term.term}",
        headline=headline,
        facts=(("Where it appears", f"\u201c{term.quote}\u201d"),),
        note=note,
        source=source,
        context=frame,
    )


def overview_mcem(kb: KnowledgeBase, frame: Frame) -> Answer:
    ov = kb.overview
    return Answer(
        kind=frame.kind,
        title="MCEM",
        headline=f"{ov.acronym} stands for {ov.name}: {ov.description}",
        facts=(
            ("MCAPS", ov.mcaps),
            ("Stages", ", ".join(s.name for s in kb.mcem_stages)),
            ("Accountable units", ", ".join(unit_label(u) for u in kb.units.values())),
        ),
        source=kb.mcem.title,
        suggestions=("Who owns Realize Value?", "What are CE and SE?"),
        context=frame,
    )


def overview_mssp(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MSSP",
        headline=(
            f"MSSP is the Microsoft Solution Sales Process: a sales cycle of {len(kb.mssp_stages)} stages, "
            "each with a probability, a sales stage objective, verifiable outcomes, checkpoints and key steps."
        ),
        sections=(Section("Stages", tuple(Item(f"{s.name} ({s.probability})") for s in kb.mssp_stages)),),
        source=_mssp_source(kb),
        suggestions=("Checkpoints for Qualify", "Which stage is 80%?"),
        context=frame,
    )


def roles_list(kb: KnowledgeBase, frame: Frame) -> Answer:
    facts = []
    for role in kb.roles.values():
        unit = kb.unit_of_role(role.id)
        facts.append((role_label(role), unit_label(unit) if unit else ""))
    return Answer(
        kind=frame.kind,
        title="MCEM · roles",
        headline="The MCEM guide names these roles, each in an accountable unit:",
        facts=tuple(facts),
        note=f"The overview also defines {kb.groups['ce'].name} (CE): {kb.groups['ce'].description}",
        source=kb.mcem.title,
        suggestions=("What does a CSA do?", "Which unit is the SE in?"),
        context=frame,
    )


def units_list(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MCEM · accountable units",
        headline=f"{kb.overview.units_intro} They are the " + _join([u.acronym for u in kb.units.values()]) + ".",
        facts=tuple(
            (
                unit_label(u),
                f"roles {_roles_of(kb, u)}; accountable for "
                + "; ".join([kb.mcem_stage(s).name for s in u.stages] + list(u.other_accountabilities)),
            )
            for u in kb.units.values()
        ),
        source=kb.mcem.title,
        suggestions=("What is the CSU accountable for?",),
        context=frame,
    )


def groups_overview(kb: KnowledgeBase, frame: Frame) -> Answer:
    return Answer(
        kind=frame.kind,
        title="MCEM · CE and SE",
        headline="The guide's overview defines two groups:",
        facts=tuple((f"{g.name} ({g.acronym})", g.description) for g in kb.groups.values()),
        source=kb.mcem.title,
        context=frame,
    )


# --- conversation, fallback ----------------------------------------------------------------------


def _silent(kb: KnowledgeBase, frame: Frame, sentence: str) -> Answer:
    return Answer(kind="silent", title="Not in the guides", headline=sentence, source=None, context=frame)


def fallback() -> Answer:
    return Answer(
        kind="fallback",
        title="I don't know that",
        headline="Sorry, I don't know that: it's not covered by the MCEM guide or the MSSP document. I can answer "
        "questions about the MCEM roles, units and stages and the MSSP sales stages, and walk you through a "
        "checkpoint check.",
        note="Try one of these:",
        suggestions=EXAMPLE_QUESTIONS[:3],
        confidence=0.0,
    )


def too_long() -> Answer:
    return Answer(
        kind="too_long",
        title="That message is long",
        headline="That message is too long for me: please ask one short question at a time.",
        suggestions=EXAMPLE_QUESTIONS[:2],
    )


def did_you_mean(candidates: tuple[str, ...]) -> Answer:
    return Answer(
        kind="did_you_mean",
        title="Did you mean ...?",
        headline="I'm not sure what you mean. Did you mean " + ("this?" if len(candidates) == 1 else "one of these?"),
        suggestions=candidates,
    )


def help_answer() -> Answer:
    return Answer(
        kind="help",
        title="What StageCoach can do",
        headline="I answer questions about MCEM and MSSP, straight from the two guides, "
        "and walk you through a checkpoint check of an opportunity.",
        sections=(
            Section(
                "Ask me",
                (
                    Item("Who owns an MCEM stage, and its exit criteria: \u201cWho owns Realize Value?\u201d"),
                    Item("Roles and units: \u201cWhat does a CSA do?\u201d, \u201cWhich unit is the SE in?\u201d"),
                    Item("Role assignments: \u201cWho is involved in COMPETE?\u201d"),
                    Item("MSSP stages: \u201cProbability at Proof\u201d, \u201cCheckpoints for Qualify\u201d"),
                    Item("Acronyms: \u201cWhat does SOW stand for?\u201d"),
                ),
            ),
            Section(
                "Check an opportunity",
                (
                    Item("\u201cqualify\u201d or \u201crun the checkpoint check for Proof\u201d"),
                    Item("Answer yes, no or not sure; say back, restart or cancel at any time."),
                ),
            ),
        ),
        suggestions=(EXAMPLE_QUESTIONS[0], "qualify"),
    )


def greeting() -> Answer:
    return Answer(
        kind="greeting",
        title="Hi, I'm StageCoach",
        headline="Hi! Ask me about MCEM roles and stages or MSSP sales stages, or say \u201cqualify\u201d "
        "to check an opportunity against a stage's checkpoints.",
        suggestions=EXAMPLE_QUESTIONS[:3],
    )


def thanks() -> Answer:
    return Answer(
        kind="thanks", title="StageCoach", headline="You're welcome. Ask me anything else about MCEM or MSSP."
    )


BUILDERS = {
    "mcem.owner": mcem_owner,
    "mcem.exit": mcem_exit,
    "mcem.exit_reverse": mcem_exit_reverse,
    "mcem.exit_all": mcem_exit_all,
    "mcem.stage": mcem_stage,
    "unit.roles": unit_roles,
    "unit.stages": unit_stages,
    "unit.summary": unit_summary,
    "role.unit": role_unit,
    "role.definition": role_definition,
    "role.expansion": role_expansion,
    "role.assignments": role_assignments,
    "collaboration": collaboration,
    "assignment.roles": assignment_roles,
    "assignment.role_task": assignment_role_task,
    "mssp.probability": mssp_probability,
    "mssp.probability_all": mssp_probability_all,
    "mssp.probability_reverse": mssp_probability_reverse,
    "mssp.objective": mssp_objective,
    "mssp.objective_all": mssp_objective_all,
    "mssp.outcome": mssp_outcome,
    "mssp.outcome_all": mssp_outcome_all,
    "mssp.checkpoints": mssp_checkpoints,
    "mssp.key_steps": mssp_key_steps,
    "mssp.stage": mssp_stage_overview,
    "mssp.exit_like": mssp_exit_like,
    "mssp.owner_silent": mssp_owner_silent,
    "pick_stage": pick_stage,
    "order.next": order_answer,
    "order.previous": order_answer,
    "order.first": order_answer,
    "order.last": order_answer,
    "order.list": order_answer,
    "order.count": order_answer,
    "glossary": glossary,
    "overview.mcem": overview_mcem,
    "overview.mssp": overview_mssp,
    "groups": groups_overview,
    "roles.list": roles_list,
    "units.list": units_list,
}


def answer(kb: KnowledgeBase, understanding: Understanding, lines: object = None) -> Answer:
    """The answer to an understood question; the fallback when it was not understood well enough."""
    frame = understanding.frame
    if frame.kind == "too_long":
        return too_long()
    if frame.kind == "help":
        return help_answer()
    if frame.kind == "greeting":
        return greeting()
    if frame.kind == "thanks":
        return thanks()
    if not understanding.answerable:
        return fallback()
    if frame.kind == "role.who_does":
        found = [x for x in (lines or []) if isinstance(x, Line)]
        if not found:
            return fallback()
        result = role_who_does(kb, frame, [(x.roles, x.text, x.source) for x in found])
    else:
        builder = BUILDERS.get(frame.kind)
        if builder is None:
            return fallback()
        result = builder(kb, frame)
    return _with_confidence(result, understanding.confidence)


def answer_question(ix: KnowledgeIndex, understanding: Understanding) -> Answer:
    """The answer to an understood question, with a sentence first for each part the documents do not cover."""
    from knowledge import answers_composed as composed

    frame = understanding.frame
    gaps = [g for g in frame.slots.get("gaps", []) if isinstance(g, str)]
    if not understanding.answerable or frame.kind not in COMPOSED_KINDS:
        lines = [ix.lines[i] for i in frame.slots.get("lines", [])]
        result = answer(ix.kb, understanding, lines if frame.kind == "role.who_does" else None)
    elif frame.kind == "yesno":
        inner_frame = Frame.from_dict(frame.slots.get("inner"))
        inner = None
        if inner_frame is not None and inner_frame.kind in BUILDERS:
            inner = BUILDERS[inner_frame.kind](ix.kb, inner_frame)
        result = composed.yes_no(ix, frame, inner)
    elif frame.kind == "not_covered":
        return _with_confidence(composed.not_covered(ix.kb, frame), understanding.confidence)
    else:
        builders = {
            "compare": lambda: composed.compare(ix.kb, frame),
            "mssp.aspect_all": lambda: composed.mssp_aspect_all(ix.kb, frame),
            "mcem.owners_all": lambda: composed.mcem_owners_all(ix.kb, frame),
            "facts.with": lambda: composed.facts_with(ix, frame),
            "where": lambda: composed.where(ix, frame),
            "situation": lambda: composed.situation(ix, frame),
            "mssp.item": lambda: composed.mssp_item(ix, frame),
        }
        result = builders[frame.kind]()
    if result.kind in ("fallback", "too_long"):
        return result
    result = composed.with_gaps(result, gaps)
    if frame.slots.get("items") and result.context is not None and not result.context.slots.get("items"):
        # An item picked from a list: "the other one" still refers to that list.
        carried = {"items": frame.slots["items"], "focus": frame.slots.get("focus")}
        result = replace(result, context=Frame(result.context.kind, {**result.context.slots, **carried}))
    result = composed.with_items(ix, result)
    return _with_confidence(result, understanding.confidence)


COMPOSED_KINDS = frozenset(
    {
        "yesno",
        "not_covered",
        "compare",
        "mssp.aspect_all",
        "mcem.owners_all",
        "facts.with",
        "where",
        "situation",
        "mssp.item",
    }
)


def _with_confidence(result: Answer, confidence: float) -> Answer:
    return replace(result, confidence=confidence)
