"""Answers to composed questions: comparisons, lists over every stage, yes/no claims, reverse look-ups
("which stage / who does X"), situations ("contract signed, what now?") and the parts of a question
the documents do not cover. Every sentence quotes the documents or says what they do not say.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

from knowledge.answers.base import (
    Answer,
    Item,
    Section,
    acronym,
    join,
    mssp_source,
    probability_text,
    role_label,
    role_or_group_label,
    roles_of,
    step_items,
    text_items,
    unit_label,
)
from knowledge.answers.conversation import fallback
from knowledge.compose import FIELD_PLURALS, index_at
from knowledge.frame import Frame
from knowledge.graph import Fact, fact_stems
from knowledge.model import KnowledgeBase, MsspStage
from knowledge.normalize import normalize

if TYPE_CHECKING:
    from knowledge.index import KnowledgeIndex


def _frame(kind: str, slots: dict[str, Any]) -> Frame:

    return Frame(kind, slots)


def _documents_source(kb: KnowledgeBase, documents: set[str]) -> str:
    names = []
    if "mcem" in documents:
        names.append(kb.mcem.title)
    if "mssp" in documents:
        names.append(mssp_source(kb))
    return "; ".join(names)


def _entity_name(kb: KnowledgeBase, slot: str, entity_id: str) -> str:
    if slot == "role":
        return "CE (Commercial Executives)" if entity_id == "ce" else role_label(kb.roles[entity_id])
    if slot == "unit":
        return unit_label(kb.units[entity_id])
    if slot == "mcem_stage":
        return kb.mcem_stage(entity_id).name
    if slot == "mssp_stage":
        return kb.mssp_stage(entity_id).name
    return kb.assignments[entity_id].name


# --- comparison ----------------------------------------------------------------------------------


def _task_in(kb: KnowledgeBase, assignment_id: str, role_id: str) -> str:
    """The role's task in a role assignment, or that the guide does not name the role there."""
    play = kb.assignments[assignment_id]
    task = next((m.task for m in play.roles if m.role == role_id), None)
    if task is None:
        # (who is there instead: "... in MAP; its roles are the AE, ATS and CSAM")
        there = join([kb.roles[m.role].acronym for m in play.roles])
        return f"the guide doesn't name the {acronym(kb, role_id)} in {play.name} (its roles are the {there})"
    return f"in {play.name}, the {acronym(kb, role_id)}: {task}"


def _sentence(parts: list[str]) -> str:
    """Clauses joined into one sentence, capitalised and closed."""
    joined = "; ".join(parts)
    return joined[:1].upper() + joined[1:] + "."


def _role_items(kb: KnowledgeBase, role_id: str, aspect: str | None) -> tuple[Item, ...]:
    if role_id == "ce":
        ce = kb.groups["ce"]
        return (Item(f"Overview: {ce.description}"), Item("Unit: the guide places CE in no accountable unit"))
    role = kb.roles[role_id]
    unit = kb.unit_of_role(role_id)
    items = []
    if aspect in (None, "unit") and unit:
        items.append(Item(f"Unit: {unit_label(unit)}"))
    if aspect in (None, "focus") and role.focus:
        items.append(Item(f"Focus: {role.focus}"))
    if role_id == "se" and not role.focus:
        items.append(Item(f"Overview: {kb.groups['se-group'].description}"))
    if aspect in (None, "responsibilities") and role.responsibilities:
        items.append(Item("Key responsibilities: " + "; ".join(role.responsibilities)))
    if aspect in (None, "mcem_focus") and role.mcem_focus:
        items.append(Item(f"MCEM focus: {role.mcem_focus}"))
    tasks = [f"{a.name}: {m.task}" for a in kb.assignments.values() for m in a.roles if m.role == role_id]
    if aspect in (None, "assignments") and tasks:
        items.append(Item("Role assignments: " + "; ".join(tasks)))
    return tuple(items)


def _mssp_items(kb: KnowledgeBase, stage_id: str, aspect: str | None) -> tuple[Item, ...]:
    s = kb.mssp_stage(stage_id)
    parts = {
        "probability": Item(f"Probability: {probability_text(s)}"),
        "objective": Item(f"Objective: {s.objective}"),
        "outcome": Item(f"Verifiable outcome: {s.verifiable_outcome}"),
        "checkpoints": Item("Checkpoints: " + "; ".join(s.checkpoints)),
        "key_steps": Item(
            "Key steps: "
            + "; ".join(k.text + (" " + ", ".join(k.sub_steps) if k.sub_steps else "") for k in s.key_steps)
        ),
    }
    if aspect in parts:
        return (parts[aspect],)
    order = Item(f"Position: stage {s.position + 1} of {len(kb.mssp_stages)}")
    return (order, parts["probability"], parts["objective"], parts["outcome"], parts["checkpoints"])


def _mcem_items(kb: KnowledgeBase, stage_id: str, aspect: str | None) -> tuple[Item, ...]:
    s = kb.mcem_stage(stage_id)
    unit = kb.units[s.unit]
    items = {
        "owner": Item(f"Accountable unit: {unit_label(unit)}, roles {roles_of(kb, unit)}"),
        "exit": Item(f"Exit criteria: {s.exit_criteria}"),
    }
    if aspect in items:
        return (items[aspect],)
    return (Item(f"Position: stage {s.position + 1} of {len(kb.mcem_stages)}"), items["owner"], items["exit"])


def _unit_items(kb: KnowledgeBase, unit_id: str, aspect: str | None) -> tuple[Item, ...]:
    u = kb.units[unit_id]
    if aspect == "exit":  # ("exit criteria of the ATU's and CSU's stages": each of its stages' exit criteria)
        return tuple(Item(f"{kb.mcem_stage(s).name} exit criteria: {kb.mcem_stage(s).exit_criteria}") for s in u.stages)
    stages = [kb.mcem_stage(s).name for s in u.stages] + list(u.other_accountabilities)
    return (Item(f"Roles: {roles_of(kb, u)}"), Item("Accountable for: " + "; ".join(stages)))


def _assignment_items(kb: KnowledgeBase, assignment_id: str, aspect: str | None) -> tuple[Item, ...]:
    a = kb.assignments[assignment_id]
    return (Item(a.description), *(Item(f"{kb.roles[m.role].acronym}: {m.task}") for m in a.roles))


ITEMS = {
    "role": _role_items,
    "mssp_stage": _mssp_items,
    "mcem_stage": _mcem_items,
    "unit": _unit_items,
    "assignment": _assignment_items,
}


def compare(kb: KnowledgeBase, frame: Frame) -> Answer:
    slot = frame.slots["type"]
    ids = list(frame.slots["ids"])
    aspect = frame.slots.get("aspect")
    aspects: list[str | None] = [a for a in frame.slots.get("aspects", []) if isinstance(a, str)] or [aspect]
    if len(aspects) > 1:
        aspect = None  # several aspects: the side-by-side headline, each side's items for each aspect
    names = [_entity_name(kb, slot, i) for i in ids]
    sections = tuple(
        Section(name, tuple(item for a in aspects for item in ITEMS[slot](kb, i, a)))
        for name, i in zip(names, ids, strict=True)
    )
    short = [n.split(" (")[0] for n in names]
    headline = f"{join(short)} side by side:"
    if slot == "mcem_stage" and aspect == "owner":
        headline = "; ".join(
            f"{kb.mcem_stage(i).name} is owned by the {kb.units[kb.mcem_stage(i).unit].acronym}" for i in ids
        )
        headline += "."
    elif slot == "mssp_stage" and aspect in ("checkpoints", "key_steps") and frame.slots.get("counted"):
        label = "checkpoints" if aspect == "checkpoints" else "key steps"
        counts = [(kb.mssp_stage(i), getattr(kb.mssp_stage(i), aspect)) for i in ids]
        headline = "; ".join(f"{s.name} has {len(lines)} {label}" for s, lines in counts) + "."
    elif slot == "assignment" and frame.slots.get("counted") and frame.slots.get("role") not in kb.roles:
        headline = "; ".join(f"{kb.assignments[i].name} names {len(kb.assignments[i].roles)} roles" for i in ids) + "."
    elif slot == "mssp_stage" and aspect == "probability":
        headline = "; ".join(f"{kb.mssp_stage(i).name}: {probability_text(kb.mssp_stage(i))}" for i in ids) + "."
    elif slot == "role" and frame.slots.get("in_common") and all(i in kb.roles for i in ids):
        headline = _shared_by_roles(kb, ids)
    elif slot == "assignment" and frame.slots.get("differs") and len(ids) == 2:
        headline = _roles_apart(kb, ids[0], ids[1])
    elif slot == "assignment" and frame.slots.get("in_common"):
        headline = _roles_in_every(kb, ids)
    elif slot == "assignment" and frame.slots.get("role") in kb.roles:
        # "csam in MAP vs csam in MODERNIZE": that role's task in each, not every role's there
        headline = _sentence([_task_in(kb, i, frame.slots["role"]) for i in ids])
        sections = ()
    elif (
        slot == "role"
        and frame.slots.get("place") in kb.assignments
        and aspect in (None, "assignments", "responsibilities")
    ):
        # "what's the AE's job in MODERNIZE, and the ATS's?": each role's task in that role assignment.
        headline = _sentence([_task_in(kb, frame.slots["place"], i) for i in ids])
        sections = ()
    elif slot == "role" and aspect == "unit":
        parts = []
        for i in ids:
            unit = kb.unit_of_role(i) if i != "ce" else None
            parts.append(
                f"the {acronym(kb, i)} is in the {unit.acronym}"
                if unit
                else f"the guide puts the {acronym(kb, i)} in no unit"
            )
        headline = _sentence(parts)
    if frame.slots.get("same_unit") and slot in ("mcem_stage", "role"):
        # ("are L&C and I&D owned by the same unit?"): whether they are, then each one's
        units = {
            kb.mcem_stage(i).unit if slot == "mcem_stage" else getattr(kb.unit_of_role(i), "id", None) for i in ids
        }
        same = len(units) == 1 and None not in units
        shared_unit = next(iter(units)) if same else None
        if aspect is None and isinstance(shared_unit, str):
            # (the whole comparison follows: the verdict says which unit first)
            headline = f"Yes. Both are in the {kb.units[shared_unit].acronym}. " + headline
        else:
            headline = ("Yes. " if same else "No. ") + headline
    document = "mssp" if slot == "mssp_stage" else "mcem"
    return Answer(
        kind=frame.kind,
        title=f"{document.upper()} · " + " vs ".join(short),
        headline=headline,
        sections=sections,
        source=_documents_source(kb, {document}),
        context=_frame(
            "compare",
            {"type": slot, "ids": ids, "items": [[slot, i] for i in ids]}
            # ("who else is in map", "and the AE's bit there?": the role assignment is where "there" is)
            | (
                {"place": frame.slots["place"], "assignment": frame.slots["place"]}
                if frame.slots.get("place") in kb.assignments
                else {}
            )
            # (what was shown of each, for "the next 3" or "and the rest")
            | ({"shown": [a for a in aspects if a]} if any(aspects) else {}),
        ),
    )


def _shared_by_roles(kb: KnowledgeBase, ids: list[str]) -> str:
    """What the roles have in common: their unit if they share one, the role assignments every one's MCEM focus
    names, and the role assignments that name every one of them."""
    every = "both" if len(ids) == 2 else f"all {len(ids)}"
    said = []
    units = {kb.unit_of_role(i) for i in ids}
    unit = units.pop() if len(units) == 1 else None
    if unit is not None:
        said.append(f"{every} are in the {unit.acronym}")
    focused = [i for i in ids if kb.roles[i].mcem_focus]
    unfocused = [i for i in ids if i not in focused]
    if unfocused:
        said.append(f"the guide gives the {join([acronym(kb, i) for i in unfocused])} no MCEM focus")
    if len(focused) == len(ids):
        focus_words = [set(normalize(kb.roles[i].mcem_focus or "").split()) for i in ids]
        in_focus = [a.name for a in kb.assignments.values() if all(a.name.lower() in w for w in focus_words)]
        whose = join([f"the {acronym(kb, i)}'s" for i in ids])
        said.append(
            f"{whose} MCEM focus {every} name {join(in_focus)}"
            if in_focus
            else f"{whose} MCEM focus name no role assignment in common"
        )
    naming_all = [a.name for a in kb.assignments.values() if set(ids) <= {r.role for r in a.roles}]
    if naming_all:
        several = len(naming_all) > 1
        said.append(
            f"the {join(naming_all)} role assignment{'s' if several else ''} name{'' if several else 's'} {every}"
        )
    return _sentence(said)


def _roles_in_every(kb: KnowledgeBase, plays: list[str]) -> str:
    """ "In both MAP and COMPETE: the AE and the ATS." The roles every one of the role assignments names."""
    named = [[r.role for r in kb.assignments[a].roles] for a in plays]
    common = [r for r in named[0] if all(r in n for n in named[1:])]
    where = f"{'both' if len(plays) == 2 else 'all of'} {join([kb.assignments[a].name for a in plays])}"
    roles = join([f"the {acronym(kb, r)}" for r in common]) if common else "no role is named in each"
    return _sentence([f"in {where}: {roles}"])


def _roles_apart(kb: KnowledgeBase, one: str, other: str) -> str:
    """ "In EXPAND but not MAP: the SSP and CSA. In MAP but not EXPAND: none." Each way, in the guide's order."""
    named = {a: [r.role for r in kb.assignments[a].roles] for a in (one, other)}
    said = []
    for a, b in ((one, other), (other, one)):
        only = [r for r in named[a] if r not in named[b]]
        names = join([f"the {acronym(kb, r)}" for r in only]) if only else "no role"
        said.append(f"in {kb.assignments[a].name} but not {kb.assignments[b].name}: {names}")
    both = [r for r in named[one] if r in named[other]]
    if both:
        said.append(f"in both: {join([f'the {acronym(kb, r)}' for r in both])}")
    return _sentence(said)


# --- lists over every stage ------------------------------------------------------------------------


# "4 or more checkpoints", "fewer than 3 key steps": how a stage's number of lines is held against the one said.
_COUNT_TESTS = {"at least": operator.ge, "at most": operator.le, "more than": operator.gt, "fewer than": operator.lt}


def mssp_aspect_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    """Every stage's checkpoints (or key steps); with "count", only the stages that have that many."""
    aspect = frame.slots["aspect"]
    label = {"checkpoints": "checkpoints", "key_steps": "key steps"}[aspect]
    count = frame.slots.get("count")

    def size(s: MsspStage) -> int:
        return len(s.checkpoints) if aspect == "checkpoints" else len(s.key_steps)

    bound = frame.slots.get("count_bound")
    count_test = _COUNT_TESTS.get(bound if isinstance(bound, str) else "", operator.eq)
    stages = [s for s in kb.mssp_stages if not isinstance(count, int) or count_test(size(s), count)]
    sections = []
    for s in stages:
        items = text_items(s.checkpoints) if aspect == "checkpoints" else step_items(s.key_steps)
        sections.append(Section(f"{s.name} ({probability_text(s)})", items))
    total = sum(size(s) for s in stages)
    headline = f"The {label} of all {len(kb.mssp_stages)} MSSP stages ({total} in all), stage by stage:"
    if isinstance(count, int):
        one = label[:-1] if count == 1 else label
        names = join([s.name for s in stages]) or "none"
        how = (
            bound
            if isinstance(bound, str) and bound in ("at least", "at most", "more than", "fewer than")
            else "exactly"
        )
        headline = f"The MSSP stages with {how} {count} {one} ({len(stages)} of {len(kb.mssp_stages)}): {names}."
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {label} by stage",
        headline=headline,
        sections=tuple(sections),
        source=mssp_source(kb),
        context=_frame(frame.kind, {"aspect": aspect, "items": [["mssp_stage", s.id] for s in stages]}),
    )


def mcem_owners_all(kb: KnowledgeBase, frame: Frame) -> Answer:
    facts = tuple((s.name, f"{unit_label(kb.units[s.unit])}; exit criteria: {s.exit_criteria}") for s in kb.mcem_stages)
    return Answer(
        kind=frame.kind,
        title="MCEM · stages and owners",
        headline=f"The {len(kb.mcem_stages)} MCEM stages, in order, with their accountable units: "
        + "; ".join(f"{s.name}: {kb.units[s.unit].acronym}" for s in kb.mcem_stages)
        + ".",
        facts=facts,
        source=kb.mcem.title,
        context=_frame(frame.kind, {"items": [["mcem_stage", s.id] for s in kb.mcem_stages]}),
    )


def facts_with(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """Every line (of one field) that mentions the asked words: "which checkpoints mention the partner?"."""
    kb = ix.kb
    facts = [ix.graph.facts[i] for i in frame.slots["facts"]]
    words = frame.slots.get("words", "that")
    label = frame.slots.get("label", "lines")
    rows = tuple((_subject_name(kb, f), f.text) for f in facts)
    stages = list(dict.fromkeys(_subject_name(kb, f) for f in facts))
    return Answer(
        kind=frame.kind,
        title="Where it appears",
        headline=f"{_counted(len(facts), label)} {words}, in {join(stages)}:",
        facts=rows,
        source=_documents_source(kb, {f.address.document for f in facts}),
        context=_frame(frame.kind, {**_facts_context(facts), **_filter_of(frame)}),
    )


def _filter_of(frame: Frame) -> dict[str, Any]:
    """The words a list of one stage's lines was narrowed by, for "same for Support?"."""
    return {k: frame.slots[k] for k in ("filter", "fields", "filter_words") if k in frame.slots}


def _counted(n: int, plural: str) -> str:
    """ "3 checkpoints mention", "1 key step mentions"."""
    if n != 1:
        return f"{n} {plural} mention"
    single = {v: k.replace("_", " ") for k, v in FIELD_PLURALS.items()}.get(plural, plural)
    return f"1 {single} mentions"


def _facts_context(facts: list[Fact]) -> dict[str, Any]:
    """What a follow-up to a list of lines refers to: the stages they are in, and the stage itself when
    they are all one stage's ("which stage has verbal approval as its outcome?" then "and its checkpoints")."""
    items = [["mssp_stage", f.address.subject] for f in facts if f.address.subject_type == "mssp_stage"]
    subjects = {(f.address.subject_type, f.address.subject) for f in facts}
    if len(subjects) == 1:
        ((subject_type, subject),) = subjects
        if subject_type in ("mssp_stage", "mcem_stage", "role", "assignment"):
            return {"items": items, subject_type: subject}
    return {"items": items}


def _subject_name(kb: KnowledgeBase, fact: Fact) -> str:
    a = fact.address
    if a.subject_type == "mssp_stage":
        return kb.mssp_stage(a.subject).name
    if a.subject_type == "mcem_stage":
        return kb.mcem_stage(a.subject).name
    if a.subject_type == "role":
        return acronym(kb, a.subject)
    if a.subject_type == "assignment":
        return kb.assignments[a.subject].name
    if a.subject_type == "unit":
        return kb.units[a.subject].acronym
    return a.subject if a.subject_type == "collaboration" else "Overview"


# --- reverse look-ups and situations ---------------------------------------------------------------


_ITEM_LABELS = {"mssp_stage": "MSSP stages", "mcem_stage": "MCEM stages", "role": "roles", "unit": "units",
                "assignment": "role assignments"}  # fmt: skip


def _documents_of(ix: KnowledgeIndex, items: list[Any]) -> set[str]:
    """The documents the listed things come from: a line's own, MSSP for its stages, MCEM for the rest."""
    return {
        ix.graph.facts[key].address.document if slot == "fact" else "mssp" if slot == "mssp_stage" else "mcem"
        for slot, key in items
    }


def items_count(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """ "develop checkpoints?" then "how many is that": the number of things the last answer listed."""
    items = [i for i in frame.slots.get("items", []) if isinstance(i, list) and len(i) == 2]
    kinds_listed = {slot for slot, _ in items}
    if not items or len(kinds_listed) != 1:
        return fallback(())
    slot = next(iter(kinds_listed))
    if slot == "fact":
        lines = [ix.graph.facts[key] for _, key in items]
        fields = {fact.address.field for fact in lines}
        label = FIELD_PLURALS.get(next(iter(fields)), "lines") if len(fields) == 1 else "lines"
        names = [fact.text for fact in lines]
    else:
        label = _ITEM_LABELS[slot]
        names = [_entity_name(ix.kb, slot, key).split(" (")[0] for _, key in items]
    return Answer(
        kind=frame.kind,
        title="How many",
        headline=f"That is {len(items)} {label if len(items) != 1 else label.rstrip('s')}: {'; '.join(names)}.",
        source=_documents_source(ix.kb, _documents_of(ix, items)),
        context=_frame("items.count", {"items": items}),
    )


def where(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """Where a line lives (stage, role, field), and who does it where the document says so."""
    kb = ix.kb
    graph = ix.graph
    facts = [graph.facts[i] for i in frame.slots["facts"]]
    asked = frame.slots.get("asked", "stage")
    first = facts[0]
    documents = {f.address.document for f in facts}
    places = [graph.where(f) for f in facts]
    roles = list(dict.fromkeys(r for f in facts for r in f.roles if r in kb.roles or r == "ce" or r == "se"))
    units = list(dict.fromkeys(r for f in facts for r in f.roles if r in kb.units))
    quote = f"\u201c{first.text}\u201d"
    stages = list(dict.fromkeys(_subject_name(kb, f) for f in facts if f.address.subject_type == "mssp_stage"))
    if frame.slots.get("each"):
        # "pain admitted by sponsor vs pain admitted by power - which stage each": each line's own place
        headline = _sentence([f"\u201c{f.text}\u201d is {place}" for f, place in zip(facts, places, strict=True)])
    elif asked == "who" and first.address.document == "mssp":
        headline = f"The MSSP document doesn't name a role for {quote}: it names no roles at all. It is {places[0]}" + (
            f", and also appears in {join(stages[1:])}." if len(stages) > 1 else "."
        )
    elif asked == "who" and (roles or units):
        # The roles of the line quoted, not of every line found ("create ... the CSP" is the CSAM's alone; the
        # CSA's own CSP line is a row below).
        own = [r for r in roles + units if r in first.roles] or roles + units
        who = join([f"the {role_or_group_label(kb, r) if r in kb.roles or r == 'ce' else acronym(kb, r)}" for r in own])
        headline = f"{who[0].upper() + who[1:]}: {quote} ({places[0]})."
    elif first.address.subject_type == "mssp_stage":
        same_line = len({f.text.casefold() for f in facts if f.address.subject_type == "mssp_stage"}) == 1
        if len(stages) == 1:
            headline = f"In {stages[0]}: {quote} is {places[0]}."
        elif same_line:
            headline = f"{quote} appears in {len(stages)} stages: {join(stages)}."
        else:
            # (different lines that share the words: where this one is, word for word, and the others like it)
            same = [_subject_name(kb, f) for f in facts if f.text.casefold() == first.text.casefold()]
            same = list(dict.fromkeys(same))
            others = [s for s in stages if s not in same]
            where_too = f" It is also in {join(same[1:])}." if len(same) > 1 else ""
            headline = f"In {stages[0]}: {quote} is {places[0]}.{where_too} Lines like it are in {join(others)}."
    elif first.address.subject_type == "mcem_stage":
        headline = f"{kb.mcem_stage(first.address.subject).name}: {quote} is {places[0]}."
    else:
        headline = f"{quote} is {places[0]}."
        if asked == "stage":
            headline += " The MCEM guide does not tie it to a stage."
    rows = tuple((_subject_name(kb, f), f"{f.text} ({graph.where(f)})") for f in facts[:6])
    subject = first.address
    sections: tuple[Section, ...] = ()
    if subject.field == "key_step":
        step = kb.mssp_stage(subject.subject).key_steps[subject.index]
        if step.sub_steps:  # "execute eval plan ... including:": what it includes
            sections = (Section(step.text, text_items(step.sub_steps)),)
    if subject.subject_type == "mssp_stage" and len({f.address.subject for f in facts}) == 1:
        # The stage found, in a line: where it sits in the cycle and what it is for.
        found = kb.mssp_stage(subject.subject)
        rows = (
            *rows,
            ("Probability", probability_text(found)),
            ("Sales stage objective", found.objective),
            ("Verifiable outcome", found.verifiable_outcome),
        )
    context: Frame | None = None
    if subject.subject_type == "mssp_stage":
        context = _frame("mssp.stage", {"mssp_stage": subject.subject})
    elif subject.subject_type == "mcem_stage":
        context = _frame("mcem.exit", {"mcem_stage": subject.subject})
    elif subject.subject_type == "role":
        context = _frame("role.definition", {"role": subject.subject})
    elif subject.subject_type == "unit" and subject.subject in kb.units:
        context = _frame("unit.summary", {"unit": subject.subject})  # ("... which mcem stage do they own")
    elif len(roles) == 1 and roles[0] in kb.roles:
        context = _frame("role.definition", {"role": roles[0]})  # "who drives the technical win?" -> "their unit?"
    elif (
        subject.subject_type == "collaboration"
        and len(subject_roles := [r for r in facts[0].roles if r in kb.roles]) > 1
    ):
        # ("AE + ATS: define account and technology strategy", then "which unit are they in?": the row's roles)
        context = _frame(
            "compare", {"type": "role", "ids": subject_roles, "items": [["role", r] for r in subject_roles]}
        )
    if context is not None:
        # ("and the qualification v-team?" asks the same look-up of another line; "in which assignment?"
        # where the line found is)
        context = _frame(context.kind, {**context.slots, "looked_up": asked, "looked_facts": frame.slots["facts"][:3]})
    check = ("mssp", subject.subject) if subject.subject_type == "mssp_stage" else None
    return Answer(
        kind=frame.kind,
        title="Where it is in the documents",
        headline=headline,
        facts=rows if len(rows) > 1 else (),
        sections=sections,
        source=_documents_source(kb, documents),
        check=check,
        context=context,
    )


def situation(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """ "the contract is signed, what now?": which stage that is, and what comes next."""
    kb = ix.kb
    if frame.slots.get("document") == "mcem":
        return _mcem_situation(ix, frame)
    matched: list[Fact] = []
    if "facts" in frame.slots:
        matched = [ix.graph.facts[i] for i in frame.slots["facts"]]
        stage = kb.mssp_stage(frame.slots["stage"])
        done = bool(frame.slots.get("done"))
        where_text = "; ".join(f"\u201c{f.text}\u201d is {ix.graph.where(f)}" for f in matched[:3])
    else:
        stage = kb.mssp_stage(frame.slots["mssp_stage"])
        done = False
        where_text = f"{probability_text(stage)} is the probability of {stage.name}"
    nxt = kb.next_mssp(stage)
    verdict = _verdict(frame, stage.id, nxt.id if nxt else None, done)
    sections = []
    said = {f.text for f in matched}
    still = [c for c in stage.checkpoints if c not in said]
    if done and nxt:
        headline = (
            f"{where_text}, so you have reached {stage.name}'s verifiable outcome; next comes {nxt.name} "
            f"(stage {nxt.position + 1} of {len(kb.mssp_stages)}, {probability_text(nxt)})."
        )
        if frame.slots.get("next_asked"):  # ("signed docs are back, whats the next stage and its objective")
            headline += f" {nxt.name}'s objective: {nxt.objective}."
        if still:  # what the seller did not mention, so may still be open
            headline += f" Checkpoints of {stage.name} you didn't mention: " + "; ".join(still) + "."
        sections.append(Section(f"{nxt.name} checkpoints", text_items(nxt.checkpoints)))
        sections.append(Section(f"{nxt.name} key steps", step_items(nxt.key_steps)))
        focus = nxt
    elif done:
        # (the last stage's outcome reached: nothing follows it)
        headline = (
            f"{where_text}, so you have reached {stage.name}'s verifiable outcome. {stage.name} is the final stage "
            f"of the {len(kb.mssp_stages)} MSSP stages: there is no stage after it."
        )
        if still:
            headline += f" Checkpoints of {stage.name} you didn't mention: " + "; ".join(still) + "."
        sections.append(Section(f"{stage.name} key steps", step_items(stage.key_steps)))
        focus = stage
    else:
        headline = (
            f"{where_text}, so you are in {stage.name} (stage {stage.position + 1} of {len(kb.mssp_stages)}, "
            f"{probability_text(stage)})."
        )
        if still:
            headline += f" Checkpoints of {stage.name} still to meet: " + "; ".join(still) + "."
        headline += f" Its verifiable outcome: {stage.verifiable_outcome}."
        if nxt and (matched or frame.slots.get("next_asked")):  # (not at a bare "at 10%, what stage is it?")
            headline += f" After {stage.name} comes {nxt.name}."
            if frame.slots.get("next_asked"):
                headline += f" {nxt.name} ({probability_text(nxt)}): {nxt.objective}."
        sections.append(Section(f"{stage.name} key steps", step_items(stage.key_steps)))
        focus = stage
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {focus.name} stage",
        headline=verdict + headline,
        facts=(
            ("Objective of " + focus.name, focus.objective),
            ("Verifiable outcome of " + focus.name, focus.verifiable_outcome),
        ),
        sections=tuple(sections),
        source=mssp_source(kb),
        check=("mssp", focus.id),
        # ("what's next?" right after "next comes Close" asks about Close, not the stage after it)
        context=_frame("mssp.stage", {"mssp_stage": focus.id, **({"moved_on": True} if focus is not stage else {})}),
    )


def _verdict(frame: Frame, stage: str, following: str | None, done: bool) -> str:
    """ "We signed. Is Deploy next?": whether the stage the seller named is the one the told progress leads to
    (the next stage once the outcome is reached or when the next is asked; else the stage the deal is in)."""
    claimed = frame.slots.get("claimed")
    if not isinstance(claimed, str):
        return ""
    target = following if done or frame.slots.get("claimed_next") else stage
    return "Yes. " if claimed == target else "No. "


def _mcem_situation(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """ "we have qualified pipeline, who takes it from here?": an exit criterion met, so the next stage."""
    kb = ix.kb
    stage = kb.mcem_stage(frame.slots["stage"])
    nxt = kb.next_mcem(stage)
    verdict = _verdict(frame, stage.id, nxt.id if nxt else None, bool(frame.slots.get("done", True)))
    met = f"\u201c{stage.exit_criteria}\u201d is the exit criteria of {stage.name}"
    if not frame.slots.get("done", True):
        unit = kb.units[stage.unit]
        return Answer(
            kind=frame.kind,
            title=f"MCEM · {stage.name}",
            headline=f"{verdict}{met}; until it is met you are in {stage.name} (stage {stage.position + 1} of "
            f"{len(kb.mcem_stages)}), owned by the {unit.acronym} ({unit.name}): {roles_of(kb, unit)}.",
            source=kb.mcem.title,
            check=("mcem", stage.id),
            context=_frame("mcem.owner", {"mcem_stage": stage.id}),
        )
    if nxt is None:
        owner = kb.units[stage.unit]
        headline = (
            f"{met}, the last of the {len(kb.mcem_stages)} MCEM stages, owned by the {owner.acronym} ({owner.name})."
        )
        focus = stage
    else:
        unit = kb.units[nxt.unit]
        # (the stage left is named with its owner: "which stage did we just exit and who owned it")
        met = f"{met} (owned by the {kb.units[stage.unit].acronym})"
        headline = (
            f"{met}, so next comes {nxt.name} (stage {nxt.position + 1} of {len(kb.mcem_stages)}), owned by the "
            f"{unit.acronym} ({unit.name}): {roles_of(kb, unit)}. Its exit criteria: {nxt.exit_criteria}."
        )
        focus = nxt
    return Answer(
        kind=frame.kind,
        title=f"MCEM · {focus.name}",
        headline=verdict + headline,
        source=kb.mcem.title,
        check=("mcem", focus.id),
        context=_frame("mcem.owner", {"mcem_stage": focus.id}),
    )


# --- parts the documents do not cover ---------------------------------------------------------------


def not_covered(kb: KnowledgeBase, frame: Frame) -> Answer:
    """Only gaps: say them, and what the documents do have on the subject."""
    domain = frame.slots.get("domain")
    facts: tuple[tuple[str, str], ...] = ()
    if domain == "mcem":
        facts = tuple((s.name, f"owned by the {kb.units[s.unit].acronym}") for s in kb.mcem_stages)
    elif domain == "mssp":
        facts = tuple((s.name, probability_text(s)) for s in kb.mssp_stages)
    return Answer(
        kind=frame.kind,
        title="Not in the documents",
        headline=" ".join(frame.slots.get("gaps", [])),
        facts=facts,
        source=_documents_source(kb, {domain} if domain else set()) or None,
        context=frame if domain else None,
    )


def list_items(ix: KnowledgeIndex, answer: Answer) -> list[list[str | int]]:
    """What an answer lists, in its order, so "the second of those" and "the other one" can refer to it."""
    kb = ix.kb
    context = answer.context
    if context is None:
        return []
    slots = context.slots
    kind = context.kind
    graph = ix.graph
    if kind in ("mssp.checkpoints", "mssp.key_steps", "mssp.stage") and "mssp_stage" in slots:
        field = "key_step" if kind == "mssp.key_steps" else "checkpoint"
        return [["fact", i] for i in graph.facts_of(slots["mssp_stage"], field)]
    if kind == "role.definition" and slots.get("aspect") == "mcem_focus" and slots.get("role") in kb.roles:
        # "Compete, Expand (solution-specific opportunities)": the role assignments it names, in its order.
        focus = (kb.roles[slots["role"]].mcem_focus or "").casefold()
        named = [(focus.find(a.name.casefold()), a.id) for a in kb.assignments.values() if a.name.casefold() in focus]
        return [["assignment", a] for _, a in sorted(named)]
    if kind == "role.definition" and slots.get("aspect") == "responsibilities" and isinstance(slots.get("role"), str):
        return [["fact", i] for i in graph.facts_of(slots["role"], "responsibility")]  # "ATS resps" then "the 3rd?"
    unit_id = slots.get("unit")
    if kind == "mcem.owner" and "mcem_stage" in slots:
        unit_id = kb.mcem_stage(slots["mcem_stage"]).unit
    if unit_id in kb.units and kind == "unit.stages":
        return [["mcem_stage", s] for s in kb.units[unit_id].stages]
    if unit_id in kb.units and kind in ("mcem.owner", "unit.roles", "unit.summary"):
        return [["role", r] for r in kb.units[unit_id].roles]
    if kind in ("assignment.roles", "assignment.role_task") and slots.get("assignment") in kb.assignments:
        # (after one role's task there, "the third role" still counts the assignment's roles)
        return [["role", m.role] for m in kb.assignments[slots["assignment"]].roles]
    if kind == "roles.list":
        return [["role", r] for r in kb.roles]
    if kind == "units.list":
        return [["unit", u] for u in kb.units]
    if kind in ("overview.mssp", "mssp.probability_all", "mssp.objective_all", "mssp.outcome_all"):
        return [["mssp_stage", s.id] for s in kb.mssp_stages]
    if kind in ("mcem.exit_all", "overview.mcem"):
        return [["mcem_stage", s.id] for s in kb.mcem_stages]
    if kind.startswith("order.") and slots.get("domain") in ("mssp", "mcem"):
        stages = kb.mssp_stages if slots["domain"] == "mssp" else kb.mcem_stages
        return [[f"{slots['domain']}_stage", s.id] for s in stages]
    return []


def with_items(ix: KnowledgeIndex, answer: Answer) -> Answer:
    from dataclasses import replace

    if answer.context is None or answer.context.slots.get("items"):
        return answer
    items = list_items(ix, answer)
    if not items:
        return answer
    return replace(answer, context=_frame(answer.context.kind, {**answer.context.slots, "items": items}))


def mssp_item(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """ "the third checkpoint of Develop": one line of a stage, by its position."""
    kb = ix.kb
    stage = kb.mssp_stage(frame.slots["mssp_stage"])
    field = frame.slots["field"]
    lines = stage.checkpoints if field == "checkpoint" else tuple(k.text for k in stage.key_steps)
    label = "checkpoint" if field == "checkpoint" else "key step"
    position = int(frame.slots["position"])
    index = index_at(position, len(lines))
    if not 0 <= index < len(lines):
        headline = (
            f"{stage.name} has {len(lines)} {label}{'s' if len(lines) != 1 else ''}, so the MSSP document "
            f"doesn't have a {label} number {position} for it: there is no {label} {position}. They are: "
            + "; ".join(lines)
            + "."
        )
    else:
        headline = f"{label.capitalize()} {index + 1} of {len(lines)} in {stage.name}: {lines[index]}."
        subs = stage.key_steps[index].sub_steps if field != "checkpoint" else ()
        if subs:  # "proof's first key step and its sub-steps": the step is its sub-steps
            headline = headline.rstrip(".") + " " + "; ".join(subs) + "."
    return Answer(
        kind=frame.kind,
        title=f"MSSP · {stage.name} stage",
        headline=headline,
        source=mssp_source(kb),
        check=("mssp", stage.id),
        context=_frame("mssp.checkpoints" if field == "checkpoint" else "mssp.key_steps", _item_focus(ix, frame)),
    )


def _item_focus(ix: KnowledgeIndex, frame: Frame) -> dict[str, Any]:
    """The stage, and the line picked from its list, so "and after that?" walks on from it."""
    stage_id, field = frame.slots["mssp_stage"], frame.slots["field"]
    listed = ix.graph.facts_of(stage_id, field)
    position = int(frame.slots["position"])
    index = index_at(position, len(listed))
    focus = {"focus": ["fact", listed[index]]} if 0 <= index < len(listed) else {}
    return {"mssp_stage": stage_id, **focus}


def with_gaps(answer: Answer, gaps: list[str]) -> Answer:
    """The answer to the part that is covered, after a sentence on each part that is not."""
    from dataclasses import replace

    if not gaps or answer.kind == "not_covered":  # (a not-covered answer's headline is its gaps already)
        return answer
    lead = " ".join(gaps)
    return replace(answer, headline=f"{lead} What the documents do say: {answer.headline}")


def _both_lead(first: str | None, second: str | None) -> str | None:
    """Two verdicts: a No first, so "is Proof 60% and Close 90%?" opens with the No it deserves."""
    leads = [lead for lead in (first, second) if lead]
    leads.sort(key=lambda lead: not lead.startswith("No"))
    return " ".join(leads) or None


def _both_context(first: Answer, second: Answer) -> Frame | None:
    """The second answer's context, with the two things answered as a list when each is about one stage,
    role or unit: "the VO for that later one" picks the second."""
    context = second.context or first.context
    if first.context is None or second.context is None or context is None:
        return context
    slots = ("mssp_stage", "mcem_stage", "role", "unit", "assignment")
    one = next(((s, first.context.slots[s]) for s in slots if isinstance(first.context.slots.get(s), str)), None)
    two = next(((s, second.context.slots[s]) for s in slots if isinstance(second.context.slots.get(s), str)), None)
    if one is None or two is None or one[0] != two[0] or one[1] == two[1] or context.slots.get("items"):
        return context
    return _frame(context.kind, {**context.slots, "items": [list(one), list(two)], "focus": list(two)})


def both(first: Answer, second: Answer) -> Answer:
    """Two questions in one message, each answered: the first answer, then the second, as one reply. A
    follow-up refers to the second (the one asked last)."""
    from dataclasses import replace

    sources = [s for s in dict.fromkeys([first.source, second.source]) if s]
    return replace(
        first,
        kind="both",
        headline=f"{first.headline} {second.headline}",
        facts=tuple(dict.fromkeys(first.facts + second.facts)),  # a fact both answers show, once
        sections=first.sections + second.sections,
        note=" ".join(n for n in (first.note, second.note) if n) or None,
        source="; ".join(sources) or None,
        suggestions=tuple(dict.fromkeys(first.suggestions + second.suggestions))[:3],
        check=second.check or first.check,
        context=_both_context(first, second),
        lead=_both_lead(first.lead, second.lead),
        extra_text=first.extra_text + second.extra_text,
    )


# --- yes / no ---------------------------------------------------------------------------------------


def yes_no(ix: KnowledgeIndex, frame: Frame, inner: Answer | None) -> Answer:
    """A claim checked against the documents: the answer starts with Yes or No, then the fact."""
    from dataclasses import replace

    kb = ix.kb
    claim = frame.slots["claim"]
    verdict, fact = _judge(ix, claim)
    # (a claim the documents neither make nor deny gets no Yes or No: "does the ae own compete?")
    sentence = fact[:1].upper() + fact[1:] if verdict is None else f"{'Yes' if verdict else 'No'}, {fact}"
    if inner is None:
        # The document the claim is about, when its words say ("MSSP stage 8 vs 6"); both otherwise.
        said = {
            d
            for d, words in (("mssp", ("mssp", "MSSP")), ("mcem", ("mcem", "MCEM")))
            if any(w in str(claim) + sentence for w in words)
        }
        return Answer(
            kind=frame.kind,
            title="Yes or no",
            headline=sentence,
            source=_documents_source(kb, said or {"mcem", "mssp"}),
        )
    # The ordinary answer's own sentence follows the verdict: "No, ... . The verifiable outcome of Close: ..."
    headline = sentence if inner.headline in sentence else f"{sentence} {inner.headline}"
    return replace(inner, kind=frame.kind, headline=headline, lead=sentence)


def _judge(ix: KnowledgeIndex, claim: list[Any]) -> tuple[bool | None, str]:
    kb = ix.kb
    # One variable per name across the claims (each branch returns): mypy types a name once per function.
    stage: Any
    stages: tuple[Any, ...]
    relation = claim[0]
    if relation == "owns":
        unit, stage = kb.units[claim[1]], kb.mcem_stage(claim[2])
        owner = kb.units[stage.unit]
        if owner.id == unit.id:
            return True, f"the {unit.acronym} ({unit.name}) owns {stage.name}."
        return False, f"{stage.name} is owned by the {owner.acronym} ({owner.name}), not the {unit.acronym}."
    if relation == "role_owns":
        role_id, stage = claim[1], kb.mcem_stage(claim[2])
        owner = kb.units[stage.unit]
        if role_id in owner.roles:
            return True, (
                f"{stage.name} is owned by the {owner.acronym} ({owner.name}), whose roles are {roles_of(kb, owner)}."
            )
        return False, (
            f"{stage.name} is owned by the {owner.acronym} ({owner.name}: {roles_of(kb, owner)}); "
            f"the {acronym(kb, role_id)} is not one of its roles."
        )
    if relation == "in_unit":
        role_id, unit = claim[1], kb.units[claim[2]]
        actual = kb.unit_of_role(role_id)
        if actual and actual.id == unit.id:
            return True, f"the {acronym(kb, role_id)} is in the {unit.acronym} ({unit.name})."
        where = f"the {actual.acronym} ({actual.name})" if actual else "no accountable unit"
        return False, f"the {acronym(kb, role_id)} is in {where}, not the {unit.acronym}."
    if relation == "in_any_assignment":
        role_id = claim[1]
        plays = [a for a in kb.assignments.values() if any(m.role == role_id for m in a.roles)]
        if len(claim) > 2 and claim[2] == "all":
            # "does the AE appear in all four role assignments?": in every one, or which it misses.
            missing = [a.name for a in kb.assignments.values() if a not in plays]
            named_in = f"the {acronym(kb, role_id)} is in {join([a.name for a in plays]) or 'none of them'}"
            return not missing, named_in + (f", not in {join(missing)}." if missing else ", all of them.")
        if plays:
            return True, f"the {acronym(kb, role_id)} is in {join([a.name for a in plays])}."
        names = join([a.name for a in kb.assignments.values()])
        return False, f"the MCEM guide names the {acronym(kb, role_id)} in none of the role assignments ({names})."
    if relation == "play_owner":
        role_id, a = claim[1], kb.assignments[claim[2]]
        member = next((m for m in a.roles if m.role == role_id), None)
        said = f"one of them: {member.task}" if member else "not one of them"
        said = f"the {acronym(kb, role_id)} is {said}"
        return None, f"the guide names no owner for the {a.name} role assignment, only the roles involved; {said}."
    if relation == "in_assignment":
        role_id, a = claim[1], kb.assignments[claim[2]]
        member = next((m for m in a.roles if m.role == role_id), None)
        names = join([kb.roles[m.role].acronym for m in a.roles])
        if member:
            return True, f"in {a.name}, the {acronym(kb, role_id)}: {member.task}."
        return False, f"the guide does not list the {acronym(kb, role_id)} in {a.name}; its roles are the {names}."
    if relation == "in_assignments":
        # "does the ae appear in map, compete and expand": each one judged, a No where it is missing.
        verdicts = [_judge(ix, ["in_assignment", claim[1], a]) for a in claim[2]]
        missing = [fact for ok, fact in verdicts if not ok]
        return not missing, " ".join(missing or [fact for _, fact in verdicts])
    if relation == "probability":
        stage, percent = kb.mssp_stage(claim[1]), claim[2]
        if stage.probability == percent:
            return True, f"the probability at {stage.name} is {stage.probability}."
        return False, f"the probability at {stage.name} is {probability_text(stage)}, not {percent}."
    if relation == "has_probability":
        stage = kb.mssp_stage(claim[1])
        negated = len(claim) > 2 and bool(claim[2])
        if stage.probability == "NA":
            return negated, f"the MSSP table gives no probability for {stage.name}: it says NA."
        return not negated, f"the probability at {stage.name} is {stage.probability}."
    if relation == "mcem_focus":
        role, focus_names = kb.roles[claim[1]], list(claim[2])
        words = claim[3] if len(claim) > 3 else []
        focus = role.mcem_focus or ""
        if not focus_names and not words and claim[4:5] == [True]:
            focus_names = ["All stages"]  # "does the AE's MCEM focus cover all stages?"
        if focus_names:
            held = all(n.lower() in focus.lower() for n in focus_names)
        else:  # "is the CSAM's MCEM focus post-sale?": the claimed words against the focus line's
            lex = kb.lexicon
            held = bool(words) and set(words) <= set(fact_stems(focus, lex.spellings, lex.synonyms))
        return held, f"the {role.acronym}'s MCEM focus is: {focus}."
    if relation == "position":
        slot, stage_id, position = claim[1], claim[2], int(claim[3])
        stages = kb.mssp_stages if slot == "mssp_stage" else kb.mcem_stages
        doc = "MSSP" if slot == "mssp_stage" else "MCEM"
        stage = next(s for s in stages if s.id == stage_id)
        index = index_at(position, len(stages))
        held = stage.position == index
        holder = stages[index].name if 0 <= index < len(stages) else None
        said = f"{stage.name} is stage {stage.position + 1} of the {len(stages)} {doc} stages"
        return held, said + (f"; that position is {holder}'s." if holder and not held else ".")
    if relation == "count_lines":
        stage, aspect, n = kb.mssp_stage(claim[1]), claim[2], int(claim[3])
        lines = stage.checkpoints if aspect == "checkpoints" else tuple(k.text for k in stage.key_steps)
        label = "checkpoint" if aspect == "checkpoints" else "key step"
        plural = "s" if len(lines) != 1 else ""
        bound = claim[4] if len(claim) > 4 else "exactly"
        held = len(lines) > n if bound == "above" else len(lines) < n if bound == "below" else len(lines) == n
        return held, f"{stage.name} has {len(lines)} {label}{plural}: " + "; ".join(lines) + "."
    if relation == "same_unit":
        unit_a, unit_b = kb.unit_of_role(claim[1]), kb.unit_of_role(claim[2])
        said = (
            f"the {acronym(kb, claim[1])} is in the {unit_a.acronym if unit_a else 'no unit'} and the "
            f"{acronym(kb, claim[2])} in the {unit_b.acronym if unit_b else 'no unit'}."
        )
        return unit_a is not None and unit_a == unit_b, said
    if relation == "count_things":
        things, n = claim[1], claim[2]
        if things == "units":
            return len(kb.units) == n, (
                f"the MCEM guide has {len(kb.units)} accountable units: {join([u.acronym for u in kb.units.values()])}."
            )
        defined = [r for r in kb.roles.values() if r.focus]
        named = join([r.acronym for r in kb.roles.values()])
        return n in (len(kb.roles), len(defined)), (
            f"the MCEM guide names {len(kb.roles)} roles in its units ({named}); "
            f"its Role Definitions describe {len(defined)} of them."
        )
    if relation == "line_contrast":
        # "qualify vo needs both letter and assessment right?": the line says otherwise in one word.
        fact = ix.graph.facts[claim[1]]
        return (
            False,
            f"\u201c{fact.text}\u201d is {ix.graph.where(fact)}: "
            f"it says \u201c{claim[3]}\u201d, not \u201c{claim[2]}\u201d.",
        )
    if relation == "line_position":
        # "is 'ask for business' the last checkpoint in proof?": the line at that place in the stage's list.
        in_stage = kb.mssp_stage(claim[1])
        field, position, fact_id = claim[2], claim[3], claim[4]
        listed = ix.graph.facts_of(in_stage.id, field)
        index = index_at(position, len(listed))
        label = "checkpoint" if field == "checkpoint" else "key step"
        if not 0 <= index < len(listed):
            return False, f"{in_stage.name} has {len(listed)} {label}s."
        at = ix.graph.facts[listed[index]]
        asked = ix.graph.facts[fact_id]
        place = f"{label} {index + 1} of {len(listed)} in {in_stage.name}"
        if listed[index] == fact_id:
            return True, f"\u201c{asked.text}\u201d is {place}."
        return False, f"{place} is \u201c{at.text}\u201d; \u201c{asked.text}\u201d is {ix.graph.where(asked)}."
    if relation == "stage_exists":
        domain, stage_id = claim[1], claim[2]
        stages = kb.mssp_stages if domain == "mssp" else kb.mcem_stages
        doc = "MSSP" if domain == "mssp" else "MCEM"
        names = join([s.name for s in stages])
        if stage_id is not None:
            found = next(s for s in stages if s.id == stage_id)
            return True, f"{found.name} is stage {found.position + 1} of the {len(stages)} {doc} stages: {names}."
        return False, f"{doc} has no such stage: its {len(stages)} stages are {names}."
    if relation == "stage_beside":
        domain, stage_id, offset = claim[1], claim[2], int(claim[3])
        stages = kb.mssp_stages if domain == "mssp" else kb.mcem_stages
        doc = "MSSP" if domain == "mssp" else "MCEM"
        position = next(s.position for s in stages if s.id == stage_id)
        here = stages[position]
        if 0 <= position + offset < len(stages):
            beside = stages[position + offset]
            side = "after" if offset > 0 else "before"
            return True, f"{beside.name} comes {side} {here.name} (stage {beside.position + 1} of {len(stages)})."
        end = "last" if offset > 0 else "first"
        return False, f"{here.name} is the {end} of the {len(stages)} {doc} stages."
    if relation == "mcem_probability":
        stage = kb.mcem_stage(claim[1])
        return (
            False,
            f"the MCEM guide doesn't give {stage.name} a probability: probabilities belong to the MSSP sales stages.",
        )
    if relation == "count_unit_stages":
        unit, n = kb.units[claim[1]], int(claim[2])
        names = join([kb.mcem_stage(s).name for s in unit.stages])
        return len(unit.stages) == n, f"the {unit.acronym} owns {len(unit.stages)} MCEM stages: {names}."
    if relation == "count_roles":
        unit, n = kb.units[claim[1]], int(claim[2])
        return len(unit.roles) == n, f"the {unit.acronym} has {len(unit.roles)} roles: {roles_of(kb, unit)}."
    if relation == "stands_for":
        subject, said = claim[1], claim[2]
        if subject.startswith("term:"):
            term = kb.glossary[int(subject[5:])]
            if not term.expansion:
                return False, f"the documents use {term.term} without saying what it stands for."
            claimed = all(w in said.split() for w in normalize(term.expansion).split())
            return claimed, f"{term.term} stands for {term.expansion}."
        if subject in ("mcem", "mssp"):
            name = kb.overview.name if subject == "mcem" else str(kb.mssp.title).split(": ", 1)[-1]
            short = subject.upper()
        elif subject in kb.roles or subject in kb.units:
            entity = kb.roles.get(subject) or kb.units[subject]
            name, short = entity.name, entity.acronym
        else:
            # the overview's groups ("ce", "se"): "Commercial Executives (CE)", said in the plural
            group = kb.groups["se-group" if subject == "se" else subject]
            name, short = group.name, group.acronym
        words = said.split()
        claimed = all(w in words or w.rstrip("s") in {x.rstrip("s") for x in words} for w in name.lower().split())
        return claimed, f"{short} stands for {name}."
    if relation == "order":
        slot, a_id, b_id, direction = claim[1], claim[2], claim[3], claim[4]
        stages = kb.mssp_stages if slot == "mssp_stage" else kb.mcem_stages
        by_id = {s.id: s for s in stages}
        first, second = by_id[a_id], by_id[b_id]
        later = first.position > second.position
        truth = later if direction == "after" else not later
        gap = abs(first.position - second.position)
        if len(claim) > 5 and claim[5] is True:
            truth = truth and gap == 1  # "is Deploy right after Proof?": Close is
        relation_text = "after" if later else "before"
        distance = "right " if gap == 1 else f"{gap} stages "
        positions = f"(stage {first.position + 1} vs {second.position + 1})"
        sentence = f"{first.name} comes {distance}{relation_text} {second.name} {positions}."
        step = 1 if direction == "after" else -1
        if (not truth or gap != 1) and 0 <= second.position + step < len(stages):
            # "is Solution the stage right after Proof?": and which stage is.
            sentence += f" The stage right {direction} {second.name} is {stages[second.position + step].name}."
        return truth, sentence
    if relation == "count":
        domain, n = claim[1], claim[2]
        stages = kb.mssp_stages if domain == "mssp" else kb.mcem_stages
        doc = "MSSP" if domain == "mssp" else "MCEM"
        return len(stages) == n, f"{doc} has {len(stages)} stages: {join([s.name for s in stages])}."
    if relation == "line":
        subject_type, subject_id, fact_ids = claim[1], claim[2], claim[3]
        facts = [ix.graph.facts[i] for i in fact_ids]
        if len(claim) > 4 and isinstance(claim[4], int):
            # "does the AE own the technology strategy?": the line that says who owns it decides.
            facts = [ix.graph.facts[claim[4]]]
        hit = next((f for f in facts if _fact_is_about(f, subject_type, subject_id)), None)
        name = (
            acronym(kb, subject_id)
            if subject_type == "role"
            else kb.units[subject_id].acronym
            if subject_type == "unit"
            else _entity_name(kb, subject_type, subject_id)
        )
        if hit:
            # ("in MODERNIZE the CSA drive ...?": "... is the CSA's (the MODERNIZE role assignment)", as a No is)
            holders = [acronym(kb, r) for r in hit.roles if r in kb.roles or r in kb.units]
            if hit.address.field == "task" and holders:
                return True, f"\u201c{hit.text}\u201d is the {join(holders)}'s ({ix.graph.where(hit)})."
            return True, f"\u201c{hit.text}\u201d is {ix.graph.where(hit)}."
        top = facts[0]
        if subject_type == "role" and top.address.document == "mssp":
            return False, (
                f"the MSSP document names no role for \u201c{top.text}\u201d ({ix.graph.where(top)}), "
                f"so it doesn't say the {name} does it."
            )
        owners = [acronym(kb, r) for r in top.roles if r in kb.roles or r in kb.units or r == "ce"]
        own = [ix.graph.facts[i] for i in (claim[5] if len(claim) > 5 else []) if ix.graph.facts[i] not in facts]
        # The subject's own lines that name the same term, so a No does not hide them.
        also = "".join(f" {name} does have \u201c{o.text}\u201d ({ix.graph.where(o)})." for o in own[:1])
        if not owners:
            return False, f"\u201c{top.text}\u201d is {ix.graph.where(top)}, not {name}'s.{also}"
        return False, f"\u201c{top.text}\u201d is the {join(owners)}'s ({ix.graph.where(top)}), not the {name}'s.{also}"
    raise ValueError(f"unknown claim {relation!r}")


def _fact_is_about(fact: Fact, subject_type: str, subject_id: str) -> bool:
    a = fact.address
    if subject_type == "role":
        return subject_id in fact.roles
    return a.subject_type == subject_type and a.subject == subject_id
