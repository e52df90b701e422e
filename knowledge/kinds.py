"""The registry of question kinds: each kind is declared once, here.

A kind names what a question asks (a Frame's kind). For each one the registry says which builder
answers it, whether a cue word asks for it specifically (strong) or an entity alone suggested it, and
the plain question that asks for it (for "Did you mean ...?" buttons). The rules that produce the
kinds are in knowledge/understand.py (one entity plus a cue) and knowledge/compose.py (readings built
from parts); tests/test_kinds.py checks that every kind they produce is declared here.

To add a kind: write its builder in the topic module of knowledge/answers/, declare it below, add
the rule that produces its Frame, and any cue words it needs to knowledge/data/lexicon.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from knowledge.answers import composed, mcem, mssp, order, overview, roles
from knowledge.answers.base import Answer
from knowledge.answers.conversation import fallback, greeting, help_answer, no_referent, thanks, too_long
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.model import KnowledgeBase

if TYPE_CHECKING:
    from knowledge.understand import Understanding

Builder = Callable[[KnowledgeIndex, Frame], Answer]


@dataclass(frozen=True)
class QuestionKind:
    name: str
    build: Builder
    strong: bool = False  # a cue word asks for this specifically; otherwise an entity alone suggested it
    ask: str | None = None  # the plain question, with {slot} for an entity's name ("Who owns {mcem_stage}?")


def _kb(builder: Callable[[KnowledgeBase, Frame], Answer]) -> Builder:
    return lambda ix, frame: builder(ix.kb, frame)


def _yes_no(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """The claim's verdict first, over the ordinary answer to the same question when there is one."""
    inner_frame = Frame.from_dict(frame.slots.get("inner"))
    inner = None
    if inner_frame is not None and inner_frame.kind in KINDS and inner_frame.kind != "yesno":
        inner = KINDS[inner_frame.kind].build(ix, inner_frame)
    return composed.yes_no(ix, frame, inner)


MAX_PARTS = 4  # questions answered from one message; more is a list the seller should ask for by name


def _both(ix: KnowledgeIndex, frame: Frame) -> Answer:
    """Two (or a few) questions in one message: each part's answer (with its own gaps), joined in order."""
    parts = [p for p in _flat_parts(frame.slots.get("parts", [])) if p.kind in KINDS]
    answers = [_part(ix, p) for p in parts]
    if len(answers) == 1:
        return answers[0]  # (two parts that asked the same thing)
    if not 2 <= len(answers) <= MAX_PARTS:
        return fallback(())
    joined = answers[0]
    for answer in answers[1:]:
        joined = composed.both(joined, answer)
    context = joined.context
    if context is None:
        return joined
    # (what was asked, part by part, for "ok same for Deploy": each part again of the new one)
    asked = [Frame(p.kind, {k: v for k, v in p.slots.items() if k != "gaps"}).to_dict() for p in parts]
    return replace(joined, context=Frame(context.kind, {**context.slots, "asked_parts": asked}))


def _flat_parts(parts: Any, depth: int = 0) -> list[Frame]:
    """The parts of a "both" frame, a part that is itself two asks ("qualify objective and key steps, and ...")
    opened in place; each part once."""
    flat: list[Frame] = []
    for p in parts if isinstance(parts, list) else []:
        part = Frame.from_dict(p)
        if part is None:
            continue
        if part.kind == "both":
            inner = _flat_parts(part.slots.get("parts"), depth + 1) if depth < 2 else []
            gaps = part.slots.get("gaps")
            if inner and isinstance(gaps, list):  # (what the documents lack, said once, with the first part)
                inner[0] = Frame(inner[0].kind, {**inner[0].slots, "gaps": [*inner[0].slots.get("gaps", []), *gaps]})
            flat += [p for p in inner if p not in flat]
        elif part not in flat:
            flat.append(part)
    return _each_once(flat)


def _each_once(parts: list[Frame]) -> list[Frame]:
    """Parts that ask the same thing, one with what the documents lack and one without ("who's the deal desk
    lead in the STU, and which roles make up the STU"), answered once, with the gaps."""
    kept: list[Frame] = []
    for part in parts:
        bare = {k: v for k, v in part.slots.items() if k != "gaps"}
        same = next((i for i, k in enumerate(kept) if k.kind == part.kind and bare == {
            key: v for key, v in k.slots.items() if key != "gaps"}), None)  # fmt: skip
        if same is None:
            kept.append(part)
            continue
        gaps = [*kept[same].slots.get("gaps", []), *part.slots.get("gaps", [])]
        kept[same] = Frame(part.kind, {**bare, **({"gaps": list(dict.fromkeys(gaps))} if gaps else {})})
    return kept


def _part(ix: KnowledgeIndex, frame: Frame) -> Answer:
    answer = KINDS[frame.kind].build(ix, frame)
    return composed.with_gaps(answer, [g for g in frame.slots.get("gaps", []) if isinstance(g, str)])


# fmt: off
_DECLARED = (
    # MCEM stages and units
    QuestionKind("mcem.owner", _kb(mcem.mcem_owner), strong=True, ask="Who owns {mcem_stage}?"),
    QuestionKind("mcem.exit", _kb(mcem.mcem_exit), strong=True, ask="Exit criteria for {mcem_stage}"),
    QuestionKind("mcem.exit_reverse", _kb(mcem.mcem_exit_reverse), strong=True, ask="Exit criteria for {mcem_stage}"),
    QuestionKind("mcem.exit_all", _kb(mcem.mcem_exit_all), ask="Exit criteria of every MCEM stage"),
    QuestionKind("mcem.stage", _kb(mcem.mcem_stage), ask="Who owns {mcem_stage}?"),
    QuestionKind("mcem.owners_all", _kb(composed.mcem_owners_all), ask="Who owns each MCEM stage?"),
    QuestionKind("unit.roles", _kb(mcem.unit_roles), strong=True, ask="What roles are in the {unit}?"),
    QuestionKind("unit.stages", _kb(mcem.unit_stages), strong=True, ask="What is the {unit} accountable for?"),
    QuestionKind("unit.summary", _kb(mcem.unit_summary), ask="What roles are in the {unit}?"),
    # roles and role assignments
    QuestionKind("role.unit", _kb(roles.role_unit), strong=True, ask="Which unit is the {role} in?"),
    QuestionKind("role.definition", _kb(roles.role_definition), ask="What does the {role} do?"),
    QuestionKind("role.expansion", _kb(roles.role_expansion), strong=True, ask="What does {role} stand for?"),
    QuestionKind("role.assignments", _kb(roles.role_assignments), strong=True, ask="What is the {role} involved in?"),
    QuestionKind("collaboration", _kb(roles.collaboration), strong=True, ask="How do the roles work together?"),
    QuestionKind("assignment.roles", _kb(roles.assignment_roles), strong=True, ask="Who is involved in {assignment}?"),
    QuestionKind(
        "assignment.role_task", _kb(roles.assignment_role_task), strong=True, ask="Who is involved in {assignment}?"
    ),
    # MSSP stages
    QuestionKind("mssp.probability", _kb(mssp.mssp_probability), strong=True, ask="Probability at {mssp_stage}"),
    QuestionKind("mssp.probability_all", _kb(mssp.mssp_probability_all), ask="Probability at each MSSP stage"),
    QuestionKind(
        "mssp.probability_reverse", _kb(mssp.mssp_probability_reverse), strong=True, ask="Which stage is {percent}?"
    ),
    QuestionKind("mssp.objective", _kb(mssp.mssp_objective), strong=True, ask="Objective of {mssp_stage}"),
    QuestionKind("mssp.objective_all", _kb(mssp.mssp_objective_all), ask="Objective of each MSSP stage"),
    QuestionKind("mssp.outcome", _kb(mssp.mssp_outcome), strong=True, ask="Verifiable outcome of {mssp_stage}"),
    QuestionKind("mssp.outcome_all", _kb(mssp.mssp_outcome_all), ask="Verifiable outcome of each MSSP stage"),
    QuestionKind("mssp.checkpoints", _kb(mssp.mssp_checkpoints), strong=True, ask="Checkpoints for {mssp_stage}"),
    QuestionKind("mssp.key_steps", _kb(mssp.mssp_key_steps), strong=True, ask="Key steps for {mssp_stage}"),
    QuestionKind("mssp.aspect_all", _kb(composed.mssp_aspect_all), ask="Checkpoints of every MSSP stage"),
    QuestionKind("mssp.item", composed.mssp_item, strong=True, ask="Checkpoints for {mssp_stage}"),
    QuestionKind("mssp.stage", _kb(mssp.mssp_stage_overview), ask="Tell me about the {mssp_stage} stage"),
    QuestionKind("mssp.exit_like", _kb(mssp.mssp_exit_like), strong=True, ask="Verifiable outcome of {mssp_stage}"),
    QuestionKind("mssp.owner_silent", _kb(mssp.mssp_owner_silent), ask="Tell me about the {mssp_stage} stage"),
    QuestionKind("pick_stage", _kb(mssp.pick_stage)),
    # order and position
    QuestionKind("order.next", _kb(order.order_answer), strong=True),
    QuestionKind("order.previous", _kb(order.order_answer), strong=True),
    QuestionKind("order.first", _kb(order.order_answer)),
    QuestionKind("order.last", _kb(order.order_answer)),
    QuestionKind("order.list", _kb(order.order_answer), ask="What are the stages, in order?"),
    QuestionKind("order.between", _kb(order.stages_between), strong=True),
    QuestionKind("order.count", _kb(order.order_answer), ask="How many stages are there?"),
    # glossary and overviews
    QuestionKind("glossary", _kb(overview.glossary)),
    QuestionKind("overview.mcem", _kb(overview.overview_mcem), ask="What is MCEM?"),
    QuestionKind("overview.mssp", _kb(overview.overview_mssp), ask="What is MSSP?"),
    QuestionKind("groups", _kb(overview.groups_overview), ask="What are CE and SE?"),
    QuestionKind("roles.list", _kb(overview.roles_list), ask="Which roles are there?"),
    QuestionKind("units.list", _kb(overview.units_list), ask="Which units are there?"),
    QuestionKind("assignments.list", _kb(overview.assignments_list), ask="What are the role assignments?"),
    QuestionKind("acronyms.list", _kb(overview.acronyms_list), ask="What do the acronyms stand for?"),
    # composed readings (knowledge/compose.py)
    QuestionKind("compare", _kb(composed.compare), strong=True),
    QuestionKind("facts.with", composed.facts_with, strong=True),
    QuestionKind("where", composed.where, strong=True),
    QuestionKind("items.count", composed.items_count, strong=True),
    QuestionKind("situation", composed.situation, strong=True),
    QuestionKind("yesno", _yes_no, strong=True),
    QuestionKind("both", _both, strong=True),
    QuestionKind("not_covered", _kb(composed.not_covered), strong=True),
)
# fmt: on
KINDS: dict[str, QuestionKind] = {k.name: k for k in _DECLARED}
# Kinds that are not about the documents: answered the same whatever the confidence.
CONVERSATION = {
    "too_long": too_long,
    "help": help_answer,
    "greeting": greeting,
    "thanks": thanks,
    "no_referent": no_referent,
}


def is_strong(kind: str) -> bool:
    declared = KINDS.get(kind)
    return declared is not None and declared.strong


def answer_question(ix: KnowledgeIndex, understanding: Understanding) -> Answer:
    """The answer to an understood question: its kind's builder, after a sentence for each part the
    documents do not cover; the honest fallback when it was not understood well enough."""
    frame = understanding.frame
    if frame.kind in CONVERSATION:
        return CONVERSATION[frame.kind]()
    if not understanding.answerable or frame.kind not in KINDS:
        return fallback(understanding.unknown_words)
    result = KINDS[frame.kind].build(ix, frame)
    if result.kind == "fallback":
        return result
    result = composed.with_gaps(result, [g for g in frame.slots.get("gaps", []) if isinstance(g, str)])
    if frame.slots.get("items") and result.context is not None and not result.context.slots.get("items"):
        # An item picked from a list: "the other one" still refers to that list.
        carried = {
            "items": frame.slots["items"],
            "focus": frame.slots.get("focus"),
            "picked": frame.slots.get("picked"),
        }
        result = replace(result, context=Frame(result.context.kind, {**result.context.slots, **carried}))
    result = composed.with_items(ix, result)
    result = _paired(result, understanding.paired_with)
    result = _keeping_the_count(frame, result)
    return replace(result, confidence=understanding.confidence)


def _keeping_the_count(frame: Frame, result: Answer) -> Answer:
    """ "last mcem stage?": the answer's stage keeps its count (from the end, or from the start), for "what about
    mssp"."""
    counted, context = frame.slots.get("counted"), result.context
    if type(counted) is not int or context is None:
        return result
    same_stage = any(isinstance(v := frame.slots.get(s), str) and context.slots.get(s) == v
                     for s in ("mcem_stage", "mssp_stage"))  # fmt: skip
    return replace(result, context=Frame(context.kind, {**context.slots, "counted": counted})) if same_stage else result


def _paired(result: Answer, before: tuple[str, str] | None) -> Answer:
    """ "who creates the success plan" then "and who maintains its status?": the two roles, a pair that
    "both" and "the other one" refer to."""
    context = result.context
    if before is None or context is None or context.slots.get("items"):
        return result
    slot, previous = before
    now = context.slots.get(slot)
    if not isinstance(now, str) or now == previous:
        return result
    return replace(result, context=Frame(context.kind, {**context.slots, "items": [[slot, previous], [slot, now]]}))


def canonical_question(ix: KnowledgeIndex, frame: Frame) -> str | None:
    """A question that asks for frame plainly, for "Did you mean ...?" buttons."""
    kb = ix.kb
    names: dict[str, Callable[[str], str]] = {
        "mcem_stage": lambda v: kb.mcem_stage(v).name,
        "mssp_stage": lambda v: kb.mssp_stage(v).name,
        "unit": lambda v: kb.units[v].acronym,
        "role": lambda v: kb.roles[v].acronym if v in kb.roles else str(v).upper(),
        "assignment": lambda v: kb.assignments[v].name,
        "percent": str,
    }
    declared = KINDS.get(frame.kind)
    slots = {k: names[k](v) for k, v in frame.slots.items() if k in names}
    if declared and declared.ask:
        try:
            return declared.ask.format(**slots)
        except KeyError:
            pass  # the frame lacks a slot its question names: ask about its entity instead
    for slot, ask in (
        ("mssp_stage", "Tell me about the {mssp_stage} stage"),
        ("mcem_stage", "Who owns {mcem_stage}?"),
        ("role", "What does the {role} do?"),
        ("unit", "What roles are in the {unit}?"),
        ("assignment", "Who is involved in {assignment}?"),
    ):
        if slot in slots:
            return ask.format(**slots)
    return None
