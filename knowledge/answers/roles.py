"""MCEM roles: definitions, units, who does a line, how they work together, and the MAP / COMPETE / EXPAND /
MODERNIZE role assignments.
"""

from __future__ import annotations

from knowledge.answers.base import (
    Answer,
    Section,
    acronym,
    join,
    mcem_source,
    role_label,
    roles_of,
    silent,
    text_items,
    unit_label,
)
from knowledge.compose import index_at
from knowledge.frame import Frame
from knowledge.model import Assignment, KnowledgeBase, Role, Unit


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
            source=mcem_source(kb),
            context=frame,
        )
    role = kb.roles[role_id]
    unit = kb.unit_of_role(role_id)
    if unit is None:  # every role in the seeds has a unit; the loader allows a role without one
        return silent(kb, frame, f"The MCEM guide doesn't say which unit the {role.acronym} is in.")
    stages = ", ".join(kb.mcem_stage(s).name for s in unit.stages)
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {role_label(role)}",
        headline=f"The {role.acronym} ({role.name}) is in the {unit.acronym} ({unit.name}).",
        facts=(("Unit roles", roles_of(kb, unit)), (f"{unit.acronym} owns", stages)),
        source=mcem_source(kb),
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
        sections=(Section("Key responsibilities", text_items(role.responsibilities)),),
        source=mcem_source(kb),
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
    headline = f"{group.name} ({group.acronym}): {group.description}"
    if frame.slots.get("aspect") == "responsibilities":
        # "ce key responsibilities": the guide lists them only for the roles it defines.
        headline = (
            f"The MCEM guide doesn't list key responsibilities for the {group.acronym}: it gives only this "
            f"overview line. {headline}"
        )
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {group.acronym}",
        headline=headline,
        facts=tuple(facts),
        note=note,
        source=mcem_source(kb),
        context=Frame("role.definition", {"role": role_id}),
    )


def _roles_compared(kb: KnowledgeBase, frame: Frame, role_ids: list[str]) -> Answer:
    # ("MCEM focus of CSA and of the SE?": each one's MCEM focus where the guide gives one, its focus otherwise)
    mcem_asked = frame.slots.get("aspect") == "mcem_focus"
    facts = []
    for r in role_ids:
        if r == "ce":
            facts.append(("CE (Commercial Executives)", kb.groups["ce"].description))
        elif mcem_asked and kb.roles[r].mcem_focus:
            facts.append((f"{role_label(kb.roles[r])}, MCEM focus", kb.roles[r].mcem_focus or ""))
        elif kb.roles[r].focus:
            facts.append((role_label(kb.roles[r]), kb.roles[r].focus or ""))
        else:
            facts.append((role_label(kb.roles[r]), kb.groups["se-group"].description))
    names = [f.split(" (")[0] for f, _ in facts]
    return Answer(
        kind=frame.kind,
        title="MCEM · roles",
        headline=f"What the guide says each of {join(names)} focuses on:",
        facts=tuple(facts),
        source=mcem_source(kb),
        suggestions=tuple(f"What does the {n} do?" for n in names[:3]),
        context=Frame("role.definition", {"role": role_ids[-1]}),
    )


def role_expansion(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots["role"]
    if role_id == "ce":
        group = kb.groups["ce"]
        # The guide names the group in the plural ("Commercial Executives (CE)"): one of them is the singular.
        one = group.name[:-1] if group.name.endswith("s") else group.name
        name, acronym = f"{one} (the guide writes \u201c{group.name} ({group.acronym})\u201d)", group.acronym
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


def role_assignments(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots["role"]
    if role_id not in kb.roles or kb.roles[role_id].focus is None:
        return _group_definition(kb, frame, role_id)
    role = kb.roles[role_id]
    facts = [(a.name, m.task) for a in kb.assignments.values() for m in a.roles if m.role == role_id]
    names = [a for a, _ in facts]
    headline = (
        f"The {role.acronym} is in the {join(names)} role assignments; MCEM focus: {role.mcem_focus}"
        if names
        else f"The {role.acronym} is not named in the {join([a.name for a in kb.assignments.values()], 'or')}"
        " role assignments."
    )
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {role_label(role)} · role assignments",
        headline=headline,
        facts=tuple(facts),
        source=mcem_source(kb),
        suggestions=(f"What does the {role.acronym} do?",),
        # "what do they do in the first one?": the assignments listed, in order, with the role.
        context=Frame(
            "role.assignments",
            {
                "role": role.id,
                "items": [
                    ["assignment", a.id] for a in kb.assignments.values() if any(m.role == role_id for m in a.roles)
                ],
            },
        ),
    )


def collaboration(kb: KnowledgeBase, frame: Frame) -> Answer:
    role_id = frame.slots.get("role")
    rows = [c for c in kb.collaboration if not role_id or role_id in c.roles] or list(kb.collaboration)
    row = frame.slots.get("row")
    if isinstance(row, int) and row:
        # "the 3rd row of the how-they-work-together table", "the bottom row": one row, by its place.
        index = index_at(row, len(kb.collaboration))
        if not 0 <= index < len(kb.collaboration):
            return Answer(
                kind=frame.kind,
                title="MCEM · how they work together",
                headline=f"The MCEM guide's table of how the roles work together has {len(kb.collaboration)} "
                f"rows, so there is no row {row}.",
                facts=tuple((c.label, c.purpose) for c in kb.collaboration),
                source=mcem_source(kb),
            )
        picked = kb.collaboration[index]
        return Answer(
            kind=frame.kind,
            title="MCEM · how they work together",
            headline=f"Row {index + 1} of {len(kb.collaboration)} in how the roles work together: "
            f"{picked.label}: {picked.purpose}.",
            source=mcem_source(kb),
            context=Frame(frame.kind, {"row": index + 1}),  # ("the last row" is a number to count from)
        )
    # ("how do the SSP and SE work together": the SE has no row of its own, and the answer says so)
    named = [r for r in (role_id, *(frame.slots.get("missing") or ())) if isinstance(r, str) and r in kb.roles]
    rowless = [r for r in named if not any(r in c.roles for c in kb.collaboration)]
    without = join([acronym(kb, r) for r in rowless])
    missing = f"The MCEM guide's table of how the roles work together has no row for the {without}. " if rowless else ""
    return Answer(
        kind=frame.kind,
        title="MCEM · how they work together",
        headline=missing
        + ("How the roles work together:" if len(rows) > 1 else f"{rows[0].label}: {rows[0].purpose}."),
        facts=tuple((c.label, c.purpose) for c in rows) if len(rows) > 1 else (),  # (one row: the headline)
        source=mcem_source(kb),
        context=frame,
    )


def assignment_roles(kb: KnowledgeBase, frame: Frame) -> Answer:
    a = kb.assignments[frame.slots["assignment"]]
    unit = kb.units.get(frame.slots.get("unit") or "")
    if unit is not None:
        return _unit_in_assignment(kb, frame, a, unit)
    names = [kb.roles[m.role].acronym for m in a.roles]
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {a.name} role assignment",
        headline=f"{a.name} involves {len(names)} roles: the {join(names)}.",
        facts=tuple((role_label(kb.roles[m.role]), m.task) for m in a.roles),
        note=a.description,
        source=mcem_source(kb),
        suggestions=tuple(f"What does the {n} do in {a.name.title()}?" for n in names[:2]),
        context=frame,
    )


def _unit_in_assignment(kb: KnowledgeBase, frame: Frame, a: Assignment, unit: Unit) -> Answer:
    """ "what does the CSU do in MODERNIZE": the unit's roles among the role assignment's, with their tasks."""
    members = [m for m in a.roles if m.role in unit.roles]
    everyone = join([kb.roles[m.role].acronym for m in a.roles])
    if not members:
        headline = (
            f"The MCEM guide names no {unit.acronym} role in {a.name}; its roles are the {everyone}. "
            f"The {unit.acronym}'s roles: {roles_of(kb, unit)}."
        )
    else:
        names = join([kb.roles[m.role].acronym for m in members])
        headline = f"In {a.name}, the {unit.acronym} ({unit.name}) has the {names}."
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {a.name} role assignment",
        headline=headline,
        facts=tuple((role_label(kb.roles[m.role]), m.task) for m in members),
        note=a.description,
        source=mcem_source(kb),
        suggestions=(f"Who is involved in {a.name}?",),
        context=Frame(frame.kind, {"assignment": a.id}),
    )


def assignment_role_task(kb: KnowledgeBase, frame: Frame) -> Answer:
    a = kb.assignments[frame.slots["assignment"]]
    role_id = frame.slots["role"]
    member = next((m for m in a.roles if m.role == role_id), None)
    name = acronym(kb, role_id)
    if member is None:
        names = join([kb.roles[m.role].acronym for m in a.roles])
        role = kb.roles.get(role_id)
        what = role.focus if role and role.focus else kb.groups["se-group" if role_id == "se" else "ce"].description
        return Answer(
            kind=frame.kind,
            title=f"MCEM · {a.name} role assignment",
            headline=f"The MCEM guide doesn't name the {name} in {a.name}; its roles are the {names}. "
            f"What it says of the {name}: {what}",
            source=mcem_source(kb),
            suggestions=(f"Who is involved in {a.name}?",),
            context=frame,
        )
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {a.name} role assignment",
        headline=f"In {a.name}, the {name} ({kb.roles[role_id].name}): {member.task}.",
        facts=((a.name, a.description),),
        source=mcem_source(kb),
        suggestions=(f"Who is involved in {a.name}?",),
        context=frame,
    )
