"""Glossary terms, the two documents' overviews, and the lists of roles, units and groups."""

from __future__ import annotations

from knowledge.answers.base import (
    Answer,
    Item,
    Section,
    join,
    mssp_source,
    role_label,
    roles_of,
    sources,
    unit_label,
)
from knowledge.frame import Frame
from knowledge.model import KnowledgeBase


def glossary(kb: KnowledgeBase, frame: Frame) -> Answer:
    term = kb.glossary[int(frame.slots["term"])]
    source = sources(kb, term.document)
    if term.expansion:
        headline = f"{term.term}: {term.expansion}."
        if term.each:
            headline += f" That is, {'; '.join(term.each)}."
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
        source=mssp_source(kb),
        suggestions=("Checkpoints for Qualify", "Which stage is 80%?"),
        context=frame,
    )


def roles_list(kb: KnowledgeBase, frame: Frame) -> Answer:
    """Every role with its unit, or with the aspect asked for ("every role's MCEM focus")."""
    aspect = frame.slots.get("aspect")
    facts = []
    for role in kb.roles.values():
        unit = kb.unit_of_role(role.id)
        value = {
            "focus": role.focus,
            "mcem_focus": role.mcem_focus,
            "responsibilities": "; ".join(role.responsibilities),
        }.get(aspect or "")
        where = unit_label(unit) if unit else ""
        facts.append((role_label(role), f"{value} ({where})" if value else where))
    label = {"focus": "focus", "mcem_focus": "MCEM focus", "responsibilities": "key responsibilities"}.get(aspect or "")
    return Answer(
        kind=frame.kind,
        title="MCEM · roles",
        headline=f"The MCEM guide's roles, each with its {label} and unit:"
        if label
        else "The MCEM guide names these roles, each in an accountable unit:",
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
        headline=f"{kb.overview.units_intro} They are the " + join([u.acronym for u in kb.units.values()]) + ".",
        facts=tuple(
            (
                unit_label(u),
                f"roles {roles_of(kb, u)}; accountable for "
                + "; ".join([kb.mcem_stage(s).name for s in u.stages] + list(u.other_accountabilities)),
            )
            for u in kb.units.values()
        ),
        source=kb.mcem.title,
        suggestions=("What is the CSU accountable for?",),
        context=frame,
    )


def assignments_list(kb: KnowledgeBase, frame: Frame) -> Answer:
    """The MCEM guide's role assignments (MAP, COMPETE, EXPAND, MODERNIZE), each with its roles."""
    plays = list(kb.assignments.values())
    return Answer(
        kind=frame.kind,
        title="MCEM · role assignments",
        headline=f"The MCEM guide has {len(plays)} stage role assignments: "
        + join([a.name for a in plays])
        + ". They name roles, not owners or probabilities.",
        facts=tuple(
            (a.name, f"{a.description} Roles: " + ", ".join(kb.roles[m.role].acronym for m in a.roles)) for a in plays
        ),
        source=kb.mcem.title,
        context=Frame(frame.kind, {"items": [["assignment", a.id] for a in plays]}),
    )


def acronyms_list(kb: KnowledgeBase, frame: Frame) -> Answer:
    """Every acronym the documents spell out: the methodologies, units, roles and terms."""
    facts = [(kb.overview.acronym, kb.overview.name)]
    facts.append((kb.mssp.short_title, kb.mssp.title.split(": ", 1)[-1]))  # "MSSP: Microsoft Solution Sales Process"
    facts += [(u.acronym, u.name) for u in kb.units.values()]
    facts += [(r.acronym, r.name) for r in kb.roles.values()]
    facts += [
        (g.acronym, g.name) for g in kb.groups.values() if g.acronym not in {r.acronym for r in kb.roles.values()}
    ]
    facts += [(t.term, t.expansion) for t in kb.glossary if t.expansion]
    unexpanded = [t.term for t in kb.glossary if not t.expansion]
    return Answer(
        kind=frame.kind,
        title="Acronyms",
        headline=f"The {len(facts)} acronyms the documents spell out:",
        facts=tuple(facts),
        note=f"Used without being spelled out: {', '.join(unexpanded)}." if unexpanded else None,
        source=f"{kb.mcem.title}; {kb.mssp.short_title} document",
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
