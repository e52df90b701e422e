"""Question understanding: text -> Features (knowledge/features.py: words, entities, cues) -> a Frame with a
confidence.

Pure functions over a KnowledgeIndex; no I/O and no SDK types. A Frame is what a question asks
("kind" plus slots such as the stage or role); the previous turn's Frame is the context that lets
"and Inspire & Design?" mean "who owns Inspire & Design?".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from knowledge import compose, kinds
from knowledge.asking import (
    ENTITY_SLOTS,
    FILTER_VERBS,
    FILTER_WORDS,
    HIGHEST,
    MOVES,
    MSSP_ASPECTS,
    QUOTED,
    SUPERLATIVES,
    compare_aspect,
    compare_aspects,
    content_features,
    domain_asked,
    first_few,
    quoted_line_stems,
    stage_unknown,
)
from knowledge.claims import claim_asked, claim_in, contrasted, stage_claimed_for_the_deal
from knowledge.features import (
    PRONOUNS,
    Features,
    extract_features,
    percents_in,
)
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.list_readings import (
    all_but,
    each_role,
    extreme_of,
    lines_counted,
    nth_of_the_named,
    nth_stage_with,
    position_across_the_document,
    roles_by_focus,
    run_of_stages_after,
    stage_range,
    stages_between,
    stages_compared_by_probability,
    stages_in_band,
)
from knowledge.normalize import MAX_QUESTION_CHARS, normalize, stem

ANSWER_THRESHOLD = 0.5

# Answers about one aspect of one stage: a follow-up that moves to another stage asks the same of it.
_STAGE_ASPECT_KINDS = {
    "mssp.probability",
    "mssp.checkpoints",
    "mssp.key_steps",
    "mssp.objective",
    "mssp.outcome",
    "mcem.exit",
    "mcem.owner",
}
ASPECT_CUES = compose.ASPECT_CUES
PLURAL_REFERENCES = frozenset({"they", "their", "them", "those", "these", "each", "both", "all"})
# The answer about one entity, by its slot: an item picked from a list, or what "its" refers to.
_ENTITY_FRAME = {"mssp_stage": "mssp.stage", "mcem_stage": "mcem.owner", "role": "role.definition",
                 "unit": "unit.roles", "assignment": "assignment.roles"}  # fmt: skip
_EXIT_CUE_STEMS = frozenset(
    stem(w) for w in ("exit", "criteria", "criterion", "end", "ends", "stage", "finish", "leave")
)
_WHO_STEMS = frozenset(stem(w) for w in ("who", "whom"))
# Cues that name a specific thing to look up; "what is" / "does" alone are generic.
GENERIC_CUES = {
    "definition",
    "does",
    "who",
    "stage_word",
    "roles_word",
    "mcem_context",
    "mssp_context",
    "mcem_name",
    "mssp_name",
    # How a question is put, not what it asks about (knowledge/compose.py reads these).
    "every",
    "compare",
    "situation",
    "tag_question",
    "above",
    "below",
    "duration",
    "maps_to",
}


@dataclass(frozen=True)
class Understanding:
    frame: Frame
    confidence: float
    alternatives: tuple[Frame, ...] = ()
    unknown_words: tuple[str, ...] = ()
    # The previous answer's one stage, role, unit or role assignment, when this is an "and ..." follow-up: an
    # answer about another of the same kind makes a pair with it ("which unit are both in").
    paired_with: tuple[str, str] | None = None

    @property
    def answerable(self) -> bool:
        return self.frame.kind not in ("unknown", "too_long") and self.confidence >= ANSWER_THRESHOLD


# --- the rules -----------------------------------------------------------------------------------


_SUBJECTS = frozenset({"we", "i", "you", "they", "he", "she"})


def _when_said(f: Features) -> bool:
    """ "... before we close", "... after they qualify": a clause that tells when, and no "what / which" asked
    before it ("what comes after we qualify" asks the stage after Qualify)."""
    for i, w in enumerate(f.words[:-1]):
        if w in ("before", "after", "until", "once") and f.words[i + 1] in _SUBJECTS:
            return not {"what", "whats", "which"} & set(f.words[:i])
    return False


def _order(f: Features, context: Frame | None) -> Frame | None:
    domain = domain_asked(f, context)
    mssp, mcem = f.first("mssp_stage"), f.first("mcem_stage")
    # ("how much revenue needs to land before close counts": an amount asked, not the stage before Close;
    # "who signs off on the discount before we close": "before we ..." tells when, it asks no stage)
    amount = f.words[:2] in (["how", "much"], ["how", "many"]) and not f.has("stage_word")
    no_neighbour_asked = amount or _when_said(f)
    for direction in ("next", "previous"):
        if f.has(direction) and not f.has("exit") and not no_neighbour_asked:
            if mssp:
                return Frame(f"order.{direction}", {"mssp_stage": mssp})
            if mcem:
                return Frame(f"order.{direction}", {"mcem_stage": mcem})
    if f.has("count") and f.has("exit") and domain == "mcem" and not (mssp or mcem):
        return Frame("mcem.exit_all")  # ("how many exit criteria in mcem": one per stage, all of them)
    # ("how many roles in mcem" counts roles: the document named is where, not what)
    counts_other = f.has("roles_word", "unit_word") or bool(f.cues & ASPECT_CUES)
    counted = f.has("stage_word") or (domain and not counts_other)
    if f.has("count") and counted and not (mssp or mcem or f.entities.get("assignment")):
        return Frame("order.count", {"domain": domain or "both"})
    if mssp or mcem or f.entities.get("assignment"):
        return None
    if f.entities.get("role") and ("assignments" in f.words or "assignment" in f.words or "stages" in f.words):
        return None  # "which stages (of the role assignments) have the CSA in them": the role's assignments
    if f.entities.get("unit") and not f.has("first", "last"):
        return None  # "which stages are CSU's": the unit's stages
    # ("the next mssp stage and the first thing to do": "first" there counts things to do, not stages)
    # (a cue with no ordinal word, "where does it start", is the stages')
    of_stages = {o.position: compose.about_stages(f, o) for o in reversed(compose.ordinals(f))}
    for end, position in (("first", 1), ("last", -1)):
        if f.has(end) and f.has("stage_word") and of_stages.get(position, True):
            return Frame(f"order.{end}", {"domain": domain or "both"})
    if f.has("stage_word") and (f.has("list") or f.has("definition")) and not _specific_cues(f):
        return Frame("order.list", {"domain": domain or "both"})
    return None


_LACKING = compose.NEGATIONS | {"lack", "lacks", "na"}  # ("the stages with NA probability")


def _lacks_probability(f: Features) -> bool:
    """ "which mssp stages don't have a % at all", "stages without a probability": the NA stages."""
    return bool(_LACKING & set(f.words)) and f.has("probability") and f.has("stage_word") and not f.percents


def _specific_cues(f: Features) -> set[str]:
    return f.cues - GENERIC_CUES - {"list", "first", "last", "count", "unit_scope"}


def _mssp(f: Features, ix: KnowledgeIndex) -> Frame | None:
    stages = f.entities.get("mssp_stage", [])
    asks_stage = f.has("probability", "stage_word") or "which" in f.words or len(f.words) <= 4  # "whats at 40%"
    bound = compose.probability_bound(f)
    if bound and not stages:
        return Frame("mssp.probability_all", {bound[0]: bound[1]})  # "all MSSP stages above 50%"
    at = [s.id for s in ix.kb.mssp_stages if f.percents and not stages and s.probability == f.percents[0]]
    aspect = next((a for a in ("key_steps", "checkpoints", "objective", "outcome") if f.has(a)), None)
    if len(at) == 1 and aspect:
        # "deal is sitting at 80%, which key steps should I be doing?": that aspect of the stage at 80%.
        return Frame(MSSP_ASPECTS[aspect], {"mssp_stage": at[0]})
    if f.percents and not stages and asks_stage:
        return Frame("mssp.probability_reverse", {"percent": f.percents[0]})
    not_na = any(w == "na" and f.words[i - 1 : i] in (["not"], ["non"], ["no"]) for i, w in enumerate(f.words))
    if not_na and not stages and f.has("probability"):
        # "which mssp stages actually have a % (not NA)": every stage the table gives a number
        return Frame("mssp.probability_all", {"at_least": 0})
    if "na" in f.words and not stages and f.has("probability", "stage_word"):
        return Frame("mssp.probability_reverse", {"percent": "NA"})  # "which stages have NA?"
    extreme = SUPERLATIVES & set(f.words)
    if extreme and not stages and f.has("probability") and not f.percents:
        # "which stage has the highest probability": the stage with the largest (or smallest) number.
        numbered = [s for s in ix.kb.mssp_stages if s.probability != "NA"]
        pick = max if extreme & HIGHEST else min
        return Frame("mssp.probability", {"mssp_stage": pick(numbered, key=lambda s: int(s.probability[:-1])).id})
    if "na" in f.words and not stages and (f.has("count") or PLURAL_REFERENCES & set(f.words)):
        return Frame("mssp.probability_reverse", {"percent": "NA"})  # "and how many of them are NA"
    if not stages and _lacks_probability(f):
        return Frame("mssp.probability_reverse", {"percent": "NA"})  # "which stages don't have a % at all"
    if not stages:
        return None
    if f.has("exit") and not f.entities.get("mcem_stage") and not _aspect(f):
        return Frame("mssp.exit_like", {"mssp_stage": stages[0]})
    aspect = _aspect(f) or ("probability" if f.percents else None)
    if aspect:
        return Frame(MSSP_ASPECTS[aspect], {"mssp_stage": stages[0], "stages": stages})
    if f.has("owner") and not f.entities.get("mcem_stage"):
        return Frame("mssp.owner_silent", {"mssp_stage": stages[0]})
    return None


def _aspect(f: Features) -> str | None:
    return next((a for a in MSSP_ASPECTS if f.has(a)), None)


def _mcem_stage(f: Features) -> Frame | None:
    stage = f.first("mcem_stage")
    if not stage:
        return None
    if f.has("exit"):
        return Frame("mcem.exit", {"mcem_stage": stage})
    if f.has("owner", "who", "unit_word", "roles_word"):
        return Frame("mcem.owner", {"mcem_stage": stage, "with_roles": f.has("roles_word")})
    return Frame("mcem.stage", {"mcem_stage": stage})


def _assignment(f: Features) -> Frame | None:
    assignment = f.first("assignment")
    if not assignment:
        return None
    role = f.first("role") or ("ce" if "ce" in f.entities.get("group", []) else None)
    named = set(f.entities.get("assignment", [])) | set(f.rejected.get("assignment", []))
    if role and role != "ce" and len(named) >= 3:
        # "which of the role assignments (map/compete/expand/modernize) is the ATS listed in": all of the role's.
        return Frame("role.assignments", {"role": role})
    roles = list(dict.fromkeys(f.entities.get("role", [])))
    if len(roles) >= 2 and len(named) == 1:
        # "SE and CSA in MODERNIZE - what do they do": each one's task there (or that the guide has none)
        return Frame("compare", {"type": "role", "ids": roles, "aspect": None, "place": assignment})
    if role:
        return Frame("assignment.role_task", {"assignment": assignment, "role": role})
    units = f.entities.get("unit", [])
    if len(units) == 1 and len(named) == 1:
        # "what does the CSU do in MODERNIZE": that unit's roles there
        return Frame("assignment.roles", {"assignment": assignment, "unit": units[0]})
    return Frame("assignment.roles", {"assignment": assignment})


def _unit(f: Features) -> Frame | None:
    unit = f.first("unit")
    if not unit:
        return None
    role = f.first("role")
    if role and not f.has("roles_word"):
        return Frame("role.unit", {"role": role})
    if f.has("roles_word", "who"):
        return Frame("unit.roles", {"unit": unit})
    if f.has("unit_scope", "owner", "stage_word"):
        return Frame("unit.stages", {"unit": unit})
    return Frame("unit.summary", {"unit": unit})


def _role(f: Features, ix: KnowledgeIndex) -> tuple[Frame, bool] | None:
    """(frame, specific) for a question that names a role or the CE group."""
    roles = list(f.entities.get("role", []))
    groups = f.entities.get("group", [])
    if "ce" in groups:
        roles.append("ce")
    if not roles and "se-group" in groups:
        roles.append("se")
    if not roles:
        return None
    role = roles[0]
    if set(roles) == {"ce", "se"}:  # "what are CE and SE?": the overview's two groups
        return Frame("groups"), True
    assignments_word = "assignments" in f.words or "assignment" in f.words or _stages_that_are_plays(f, ix)
    if assignments_word and not f.entities.get("assignment") and role in ix.kb.roles and len(roles) == 1:
        # "which of the stage role assignments have the CSA in them", "stage assignments where the ATS has a job"
        return Frame("role.assignments", {"role": role}), True
    if f.has("belongs", "unit_word"):
        return Frame("role.unit", {"role": role}), True
    stands_for = bool({"stand", "stands"} & set(f.words))  # ("what does CE stand for": "does" asks nothing)
    if f.has("glossary") and (not f.has("does", "responsibilities") or stands_for):
        return Frame("role.expansion", {"role": role}), True
    if f.has("together") and f.words[:1] == ["who"] and len(roles) == 1 and _verb_before_role(f, ix):
        # "who collaborates with the AE in the early stages of a deal": another role's line that names the AE
        other = compose.find_mention(
            content_features(f), ix, min_coverage=0.75, exclude_roles=frozenset({role}), role_lines_only=True
        )
        shared = (
            compose.content_stems(content_features(f), ix) & ix.graph.facts[other.facts[0]].stems if other else set()
        )
        if other and len(shared) >= 2:
            return Frame("where", {"facts": list(other.facts[:3]), "asked": "who"}), True
    own_line = _own_line_said(f, ix, role) if f.has("together") and len(roles) == 1 else None
    if own_line is not None:
        # "who does the SSP collaborate with in the early stages": a line of the role's own says it, not the table
        return Frame("where", {"facts": [own_line], "asked": "item"}), True
    if f.has("together"):
        # "how do the ae and ssp work together": each named role's row (the AE's is "AE + ATS"), once each.
        firsts: dict[int, str] = {}  # row -> the first role named in it
        for named in roles:
            row = next((i for i, c in enumerate(ix.kb.collaboration) if named in c.roles), None)
            if row is not None:
                firsts.setdefault(row, named)
        if len(firsts) > 1:
            parts = [Frame("collaboration", {"role": r}).to_dict() for r in list(firsts.values())[: kinds.MAX_PARTS]]
            return Frame("both", {"parts": parts}), True
        rowless = [r for r in roles if r in ix.kb.roles and not any(r in c.roles for c in ix.kb.collaboration)]
        if firsts and rowless:
            return Frame("collaboration", {"role": next(iter(firsts.values())), "missing": rowless}), True
        return Frame("collaboration", {"role": role}), True
    # "who partners with the AE?" names the AE but asks for another role.
    if f.words[:1] == ["who"] and _verb_before_role(f, ix):
        found = compose.find_mention(content_features(f), ix, exclude_roles=frozenset({role}), role_lines_only=True)
        if found:
            return Frame("where", {"facts": list(found.facts[:6]), "asked": "who"}), True
    which_stages = f.words[:2] in (["which", "stages"], ["what", "stages"])  # ("which stages have the csa")
    if (f.has("involved") or which_stages) and not f.has("focus", "mcem_focus", "responsibilities"):
        return Frame("role.assignments", {"role": role}), True
    # ("what plan does the csam create?", "which logs does the CSA maintain": a thing of one of the role's own
    # lines asked for by the line's words; the line answers it, not the whole card)
    asked_thing = f.words[:1] in (["what"], ["which"]) and len(roles) == 1 and not f.has("focus", "mcem_focus")
    # (not "what does the csam do post-sale": "do" said of the role is what the role does)
    does_things = any(w == "do" and f.words[i - 1 : i] and f.words[i - 1] in {*roles, "they", "he", "she"}
                      for i, w in enumerate(f.words))  # fmt: skip
    asked_thing = asked_thing and not does_things
    content = compose.content_stems(content_features(f), ix) if asked_thing else set()
    own = compose.find_mention(content_features(f), ix, min_coverage=0.99, within=role) if len(content) >= 2 else None
    if own is not None and role in ix.kb.roles:
        return Frame("where", {"facts": list(own.facts[:2]), "asked": "item"}), True
    aspect = "all"
    if f.has("mcem_focus"):
        aspect = "mcem_focus"
    elif f.has("focus"):
        aspect = "focus"
    elif f.has("responsibilities"):
        aspect = "responsibilities"
    specific = aspect != "all" or f.has("does", "definition")
    return Frame("role.definition", {"role": role, "roles": roles, "aspect": aspect}), specific


def _own_line_said(f: Features, ix: KnowledgeIndex, role: str) -> int | None:
    """The line of the role's own that the question's words say almost whole, two words or more."""
    found = compose.find_mention(content_features(f), ix, min_coverage=0.9, role_lines_only=True)
    if found is None:
        return None
    fact = ix.graph.facts[found.facts[0]]
    shared = compose.content_stems(content_features(f), ix) & fact.stems
    return found.facts[0] if fact.address.subject == role and len(shared) >= 2 else None


def _verb_before_role(f: Features, ix: KnowledgeIndex) -> bool:
    """True for "who partners with the AE?", false for "who is the AE?"."""
    first_role = next((m.start for m in ix.entities.longest_matches(f.stems) if m.kind in ("role", "group")), 0)
    between = f.stems[1:first_role]
    return any(w not in ix.stopword_stems for w in between)


def _exit_reverse(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "Which stage ends with qualified pipeline?" -> the MCEM stage whose exit criteria those words are."""
    if f.entities.get("mcem_stage"):
        return None
    # (the words that ask, "which mcem stage and unit", are not the line's)
    cued = {
        stem(f.words[i])
        for g, spans in f.cue_spans.items()
        if g in ("unit_word", "owner", "who", "next", "previous")  # ("the next stage's exit criteria")
        for s, e in spans
        for i in range(s, e)
    }
    content = _content(f, ix) - _EXIT_CUE_STEMS
    if f.has("next", "previous") and not content - cued:
        return None  # ("and the next stage's exit criteria?": a neighbour's, not a line with "next")
    content = (content - cued) or content  # (only words of a line are left out of nothing)
    targets, frequency, weights = _exit_targets(ix)
    best, best_score = None, 0.0
    for stage_id, target in targets.items():
        weight = weights[stage_id]
        matched = sum(1 / frequency[w] for w in target & content)
        query_coverage = len(target & content) / max(1, len(content))
        score = 0.5 * matched / weight + 0.5 * query_coverage
        if score > best_score:
            best, best_score = stage_id, score
    threshold = 0.45 if f.has("exit") else 0.7
    if best and best_score >= threshold and not f.entities.get("mssp_stage"):
        return Frame("mcem.exit_reverse", {"mcem_stage": best})
    listed = {stem(f.words[i]) for g in ("list", "every") for s, e in f.cue_spans.get(g, []) for i in range(s, e)}
    if f.has("exit") and not content - listed:
        return Frame("mcem.exit_all")  # ("list all the mcem exit criteria in order")
    return None


def _exit_targets(ix: KnowledgeIndex) -> tuple[dict[str, set[str]], dict[str, int], dict[str, float]]:
    """(stems of each MCEM stage's exit criteria, how many stages use each stem, each stage's total weight).

    Fixed for an index, so computed on first use and kept on it rather than on every question.
    """
    if ix._exit_targets is not None:
        return ix._exit_targets
    targets = {
        s.id: {stem(w) for w in normalize(s.exit_criteria).split()} - ix.stopword_stems for s in ix.kb.mcem_stages
    }
    frequency: dict[str, int] = {}
    for words in targets.values():
        for w in words:
            frequency[w] = frequency.get(w, 0) + 1
    weights = {stage_id: sum(1 / frequency[w] for w in target) for stage_id, target in targets.items()}
    ix._exit_targets = (targets, frequency, weights)
    return ix._exit_targets


def _content(f: Features, ix: KnowledgeIndex) -> set[str]:
    return set(compose.once(f, "_content", lambda g: _content_of(g, ix)))


def _content_of(f: Features, ix: KnowledgeIndex) -> frozenset[str]:
    # ("all five pls", "all 5 exit criteria": a count said in passing names nothing)
    said = [w for w in f.words if w not in compose.NUMBER_WORDS and (not w.isdigit() or percents_in([w]))]
    return frozenset({stem(ix.synonyms.get(w, w)) for w in said} - ix.stopword_stems)


def _glossary(f: Features) -> Frame | None:
    terms = f.entities.get("glossary", [])
    if f.has("mcem_name") and f.has("connects") and not terms:
        return Frame("overview.mcem")  # "which roles does MCEM connect?": the overview says
    if f.has("together") and not any(t != "glossary" for t in f.entities):
        row = _table_row(f)  # "3rd row in 'how they work together'", "the bottom row of the collab table"
        return Frame("collaboration", {"row": row} if row else {})  # "how do the roles work together?"
    if f.has("roles_list"):
        return Frame("roles.list")
    if f.has("units_list") or (f.has("unit_word") and f.has("count", "list")):
        return Frame("units.list")
    if (
        f.has("mcem_name")
        and not terms
        and not f.entities.get("mcem_stage")
        and not f.has("mcem_focus")
        and not f.cues
        & (ASPECT_CUES - {"objective"})  # ("mcem exit criteria, all five" asks for them; "the goal of MCEM" is MCEM)
    ):
        return Frame("overview.mcem")  # ("their MCEM focus" is a role's)
    if f.has("mssp_name") and not terms and not f.entities.get("mssp_stage") and not _asks_where_something(f):
        # ("what are the mssp probabilities", "mssp objectives": one aspect of every stage, not what MSSP is)
        every = {
            "probability": "mssp.probability_all",
            "objective": "mssp.objective_all",
            "outcome": "mssp.outcome_all",
        }
        asked = [kind for cue, kind in every.items() if f.has(cue)]
        return Frame(asked[0]) if len(asked) == 1 else Frame("overview.mssp")
    if not terms:
        return None
    return Frame("glossary", {"term": int(terms[0])})


_DEMONSTRATIVES = frozenset({"that", "this"})  # ("their unit" is the role's unit: asked of the role)
_REFERENTS = frozenset({"unit", "role", "stage"})


_OTHER_NOUNS = {"role": "role", "roles": "role", "unit": "unit", "units": "unit", "stage": "mcem_stage"}


# "the other role in that unit": the other role is in that unit by its meaning; the unit is no second subject.
_OTHER_ROLE_IN_UNIT = re.compile(
    r"\b(other (?:role|one|person))\s+(?:in|of|from) (?:that|the|this|their|its) (?:unit|team)\b", re.I
)


_STAGE_WHERE = re.compile(
    r"\bthe (?:(mcem|mssp) )?(stage|phase|one) (?:where|that|which|when|in which|with|whose) "
    r"(?:the |we |you |it )?([^?.!,;]+)",
    re.I,
)


def _stage_described(text: str, ix: KnowledgeIndex) -> str:
    """ "which unit owns the stage where outcomes get met": the stage a line describes, named in its place
    ("which unit owns Realize Value"), when one stage's line says nearly all of it."""
    found = _STAGE_WHERE.search(text)
    if found is None or len(text) > 200:
        return text
    if found.group(2).lower() == "one" and not {"stage", "stages", "phase"} & set(
        normalize(text[: found.start()]).split()
    ):
        return text  # ("stage after the one with committed pipeline exit": "the one" is a stage when one is asked)
    if normalize(text).split()[:1] in (["is"], ["are"], ["isnt"], ["does"], ["do"]):
        return text  # ("is close the stage where we ask for business?": a claim about that stage, read as said)
    lex = ix.kb.lexicon
    said = set(compose.fact_stems(normalize(found.group(3), lex.spellings), lex.spellings, lex.synonyms))
    said -= compose.ASK_WORDS | ix.graph.ignore
    # ("the stage that has completed opportunity as exit": an exit named is looked for among exit criteria)
    exit_named = bool({"exit", "exits", "exiting", "ends"} & set(normalize(found.group(3)).split()))
    ranked = [
        r
        for r in ix.graph.search(said, limit=6, min_coverage=0.75)
        if ix.graph.facts[r[2]].address.subject_type in ("mssp_stage", "mcem_stage")
        and (found.group(1) is None or ix.graph.facts[r[2]].address.document == found.group(1).lower())
        and (not exit_named or ix.graph.facts[r[2]].address.field == "exit_criteria")
    ]
    rest = extract_features(found.group(3), ix)
    if any(t != "glossary" for t in rest.entities) or compose.ordinals(rest) or rest.has("next", "previous"):
        return text  # ("the stage which comes just before Develop": placed by order, not by a line)
    if len(said) < 2 or not ranked:
        return text
    best = [r for r in ranked if r[0] >= ranked[0][0] - 1e-9]
    stages = {ix.graph.facts[r[2]].address.subject for r in best}
    if len(stages) != 1:
        return text  # ("the stage where we update siebel": several stages do)
    fact = ix.graph.facts[best[0][2]]
    if len(said & fact.stems) < 0.4 * len(fact.stems):
        return text  # (a word or two of a long line are not the line)
    stage = ix.kb.mssp_stage(fact.address.subject) if fact.address.document == "mssp" else None
    name = stage.name if stage else ix.kb.mcem_stage(fact.address.subject).name
    return text[: found.start()] + name + text[found.end() :]


# "the stage at 10%", "the 60% stage", "the 40% one": a stage named by its probability.
_STAGE_AT_PERCENT = re.compile(
    r"\bthe (?:mssp )?(?:stage|phase|one) (?:at|with|on) (\d{1,3}) ?%|\bthe (\d{1,3}) ?% (?:stage|phase|one)\b", re.I
)


_NEIGHBOUR_WORDS = frozenset({"before", "after", "next", "previous", "prior", "following", "passed", "past"})


def _stage_at_percent(text: str, ix: KnowledgeIndex) -> str:
    """ "first checkpoint of the stage at 10%": the stage with that probability named in its place ("first
    checkpoint of Qualify"), when exactly one has it; not in a claim ("is qualify the stage at 10%?")."""
    every = list(_STAGE_AT_PERCENT.finditer(text))
    found = every[0] if len(every) == 1 else None
    if found is None or not re.search(r"\b(?:of|in|for)\s*$", text[: found.start()], re.I):
        return text  # (only a stage a line is asked of: "the 20% stage vs the 80% stage" is read as it stands)
    if len(re.findall(r"\d{1,3} ?%", text)) > 1 or _NEIGHBOUR_WORDS & set(normalize(text).split()):
        return text  # ("the one right before the 80% stage": placed by order, from the stage at 80%)
    percent = f"{int(found.group(1) or found.group(2))}%"
    stages = [s for s in ix.kb.mssp_stages if s.probability == percent]
    if len(stages) != 1:
        return text
    return text[: found.start()] + stages[0].name + text[found.end() :]


def _named_so_far(context: Frame, slot: str) -> set[str]:
    """The things of one type the conversation has named: the last answer's own, its list and its sides."""
    named = {v} if isinstance(v := context.slots.get(slot), str) else set()
    for item in context.slots.get("items", []) or []:
        if isinstance(item, list) and len(item) == 2 and item[0] == slot:
            named.add(item[1])
    if context.slots.get("type") == slot.split("_")[-1] or context.slots.get("type") == slot:
        named |= {i for i in context.slots.get("ids", []) or [] if isinstance(i, str)}
    return named


def _the_other(f: Features, ix: KnowledgeIndex, context: Frame | None) -> Features:
    """ "and ATU?" then "the other one?" (the STU); "the SSP's focus" then "the other STU role?" (the SE);
    "CSAM's unit" then "what does the other role in that unit focus on" (the CSA): the one member of a group
    the conversation has not named yet, named as if the seller had typed it. Two left is no "other"."""
    if context is None or "other" not in f.words:
        return f
    at = f.words.index("other")
    if at == 0 or f.words[at - 1] != "the" or f.entities.get("role") or f.entities.get("mcem_stage"):
        return f
    noun = f.words[at + 1] if at + 1 < len(f.words) else "one"
    if noun in {u.acronym.lower() for u in ix.kb.units.values()}:
        noun = f.words[at + 2] if at + 2 < len(f.words) else "one"  # ("the other STU role")
    wanted = _OTHER_NOUNS.get(noun)
    if wanted is None and noun not in ("one", "?"):
        return f
    kb = ix.kb
    groups: dict[str, list[str]] = {}
    roles = _named_so_far(context, "role")
    named_units = set(f.entities.get("unit", [])) or {u.id for r in roles if (u := kb.unit_of_role(r))}
    if roles and len(named_units) == 1:
        groups["role"] = [r for r in kb.units[next(iter(named_units))].roles if r not in roles]
    if not f.entities.get("unit"):
        groups["unit"] = [u for u in kb.units if u not in _named_so_far(context, "unit")]
    stages = _named_so_far(context, "mcem_stage")
    owners = {kb.mcem_stage(s).unit for s in stages if s in {m.id for m in kb.mcem_stages}}
    if stages and len(owners) == 1:
        groups["mcem_stage"] = [s for s in kb.units[next(iter(owners))].stages if s not in stages]
    for slot in [wanted] if wanted else ["role", "unit", "mcem_stage"]:
        if len(groups.get(slot, [])) == 1:
            named = compose.with_entity(f, slot, groups[slot][0])
            if slot == "role":
                named = replace(named, entities={t: v for t, v in named.entities.items() if t != "unit"})
            return named
    return f


# A last clause that only says what the answer is for: "..., need it for a partner deck", "... - it's for my
# QBR slide", "..., for our onboarding doc". (Bounded: the message is at most MAX_QUESTION_CHARS.)
_PURPOSE_CLAUSE = re.compile(
    r"(?:(?:[,;:]|\s[-\u2013\u2014])\s*(?:(?:i|we)\s+)?(?:(?:need|want|using|use)\s+"
    r"(?:it|this|them|these|that|those)\s+(?:for|in|on|by|before)|(?:it['\u2019]?s|this is|that['\u2019]?s)\s+for)"
    r"|[,;:]?\s+for\s+(?:my|our)"
    # ("list the ATS responsibilities so i can revise them", "..., i'm making a cheat sheet")
    r"|[,;:]?\s+so\s+(?:that\s+)?(?:i|we)\s+can|[,;:.?!]\s*(?:i['\u2019]?m|i am|we['\u2019]?re|we are)\s+making)"
    r"\b[^?.!,;]*[?.!]*\s*$",
    re.I,
)
# ("every role with its unit? like AE - ATU etc": an example of the answer's form names nothing asked)
_EXAMPLE_OF_THE_FORM = re.compile(r"[,;:.?!]?\s*\b(?:like|e\.g\.?|eg|for example)\s+[^?.!;]{1,40}?\betc\b\.?", re.I)
# (what the seller's own place is, which a question may be about: "which stages are for my unit")
_ABOUT_THE_SELLER = frozenset({"unit", "team", "role", "job", "stage", "position", "focus"})


def _without_purpose(text: str, ix: KnowledgeIndex) -> str:
    """The message without a last clause that only says what the answer is for, when that clause names nothing
    the documents have (not "..., need it for the Close stage")."""
    example = _EXAMPLE_OF_THE_FORM.search(text)
    if example is not None and example.start() > 0:
        text = (text[: example.start()] + text[example.end() :]).strip()
    found = _PURPOSE_CLAUSE.search(text)
    if found is None or found.start() == 0:
        return text
    clause = extract_features(found.group(0), ix)
    if clause.spans or clause.percents or compose.ordinals(clause) or _ABOUT_THE_SELLER & set(clause.words):
        return text
    if any(clause.rejected.values()) or clause.cues & ASPECT_CUES:
        return text  # ("what do i need so i can exit proof": what is asked is in it)
    question = "?" if "?" in found.group(0) else ""
    return text[: found.start()].rstrip() + question


_NUMBERED = re.compile(r"(?:^|(?<=\s))[1-9][).]\s+")
_OPENS_A_QUESTION = frozenset({"what", "whats", "which", "who", "whos", "how", "where", "when", "why", "is", "are",
                               "does", "do", "can", "could", "list", "give", "tell", "name", "explain"})  # fmt: skip


def _numbered_questions(text: str) -> str:
    """ "1) what's the salary band for a CSAM 2) what plan do they create": the seller's own numbers are no
    count or position; items that each open a question are read as questions one after the other."""
    if ")" not in text and "." not in text:
        return text
    marks = list(_NUMBERED.finditer(text))
    if len(marks) < 2:
        return text
    pieces = [text[: marks[0].start()]] + [
        text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)] for i, m in enumerate(marks)
    ]
    items = [p.strip() for p in pieces[1:]]
    asks = all(set(normalize(p).split()[:1]) & _OPENS_A_QUESTION for p in items)
    joint = " " if not asks else "? "
    said = joint.join(p.rstrip(" ?,;") for p in items if p)
    return (pieces[0].strip() + " " + said + ("?" if asks else "")).strip()


_KIND_ONE = re.compile(r"\b(the\s+[a-z][a-z ]{0,30}?)\s+one\b", re.I)
# The kinds of thing a "the ... one" can stand for, when the conversation is about one of them.
_ONE_KINDS = ("unit", "mssp_stage", "mcem_stage")


def _the_kind_one(text: str, ix: KnowledgeIndex, context: Frame | None) -> str:
    """ "the account team unit - who's in it?" then "what about the solution one?": "one" stands for the kind
    of thing the conversation is about, so "the solution one" is read as "the solution unit"."""
    kinds_in_context = [k for k in _ONE_KINDS if context is not None and isinstance(context.slots.get(k), str)]
    found = _KIND_ONE.search(text)
    if len(kinds_in_context) != 1 or found is None:
        return text
    kind = kinds_in_context[0]
    said = set(normalize(found.group(1)).split()) - {"the"}
    if not said or kind in extract_features(found.group(1), ix).entities:
        return text
    # (the one whose name has the words: "the solution one" is the Solution Team Unit)
    keys = {key for (k, key), names in ix.surfaces.items() if k == kind and any(said <= set(n.split()) for n in names)}
    if len(keys) != 1:
        return text
    key = next(iter(keys))
    name = ix.kb.units[key].acronym if kind == "unit" else min(ix.surfaces[(kind, key)], key=len)
    return text[: found.start()] + f"the {name}" + text[found.end() :]


_PERSONAL = re.compile(r"\b(?:(he|she)|(his|her))\b", re.I)


def _person_named(text: str, ix: KnowledgeIndex, context: Frame | None) -> str:
    """ "ssp key responsibilities" then "he collaborate with whom in early stages": "he" or "she" can only be
    the role the conversation is about, so it is read as that role's name."""
    role = context.slots.get("role") if context else None
    if not isinstance(role, str) or role not in ix.kb.roles or not _PERSONAL.search(text):
        return text
    if any(kind != "glossary" for kind in extract_features(text, ix).entities):
        return text  # ("remind her what the AE does", "tell her what the CSU owns": what is asked about is named)
    name = ix.kb.roles[role].acronym
    return _PERSONAL.sub(lambda m: f"the {name}" if m.group(1) else f"the {name}'s", text)


_MY_UNIT = re.compile(r"\bmy (unit|team)\b", re.I)
_I_AM = re.compile(r"\bi(?:['\u2019]| a)?m (?:a |an |the )?(?:new |junior |senior )?([a-z]{2,4})\b", re.I)


def _my_unit(text: str, ix: KnowledgeIndex) -> str:
    """ "I'm a new CSA ... which MCEM stage is my unit accountable for first?": "my unit" is the unit of the role
    the seller says they are, named as if typed ("the CSU")."""
    text = text[:MAX_QUESTION_CHARS]
    # (the last role said: "I'm not a CSA, I'm an ATS")
    roles = [m.group(1).lower() for m in _I_AM.finditer(text) if m.group(1).lower() in ix.kb.roles]
    unit = ix.kb.unit_of_role(roles[-1]) if roles else None
    return _MY_UNIT.sub(f"the {unit.acronym}", text, count=1) if unit and _MY_UNIT.search(text) else text


def _named_by_reference(f: Features, ix: KnowledgeIndex, context: Frame | None) -> Features:
    """ "which stage does that unit own", "exit criteria for that unit's stages", "what does that role do":
    the unit, role or stage the conversation is about, named as if the seller had typed it."""
    if context is None:
        return f
    f = _the_other(f, ix, context)
    if f.entities.get("role") and "other" in f.words:
        return f
    slots = context.slots
    role = slots.get("role") if isinstance(slots.get("role"), str) and slots["role"] in ix.kb.roles else None
    role_unit = ix.kb.unit_of_role(role) if role else None
    stage = slots.get("mcem_stage")
    if (
        role_unit is None
        and isinstance(stage, str)
        and stage in {s.id for s in ix.kb.mcem_stages}
        and not f.has("exit", "checkpoints", "key_steps", "objective", "outcome", "probability")
    ):  # ("that unit's exit criteria" asks the stage's)
        role_unit = ix.kb.units[ix.kb.mcem_stage(stage).unit]  # ("who owns L&C?" then "that unit")
    referents = {
        "unit": (
            "unit",
            slots["unit"]
            if isinstance(slots.get("unit"), str) and slots["unit"] in ix.kb.units
            else role_unit.id
            if role_unit
            else None,
        ),
        "role": ("role", role),
        "stage": next(((s, slots[s]) for s in ("mssp_stage", "mcem_stage") if isinstance(slots.get(s), str)), None),
    }
    for i in range(1, len(f.words)):
        referent = referents.get(f.words[i])
        if f.words[i - 1] not in _DEMONSTRATIVES or not referent or not referent[1] or f.entities.get(referent[0]):
            continue
        named = compose.with_entity(f, referent[0], referent[1])
        # ("that" named the unit: it is no pronoun left for the previous answer to fill)
        others = any(w in PRONOUNS for j, w in enumerate(f.words) if j != i - 1)
        return replace(named, pronoun=others)
    unit = slots["unit"] if isinstance(slots.get("unit"), str) and slots["unit"] in ix.kb.units else None
    unit = unit or (role_unit.id if role_unit and context.kind == "mcem.owner" else None)
    # ("what's it accountable for apart from listen & consult": the stage named is what is left out)
    leaves_out = bool({"apart", "besides", "except", "excluding"} & set(f.words)) or ("other", "than") in zip(
        f.words, f.words[1:], strict=False
    )
    only_left_out = not f.entities or (leaves_out and set(f.entities) <= {"mcem_stage", "glossary"})
    if unit and only_left_out and _UNIT_VERBS & set(f.words):
        # ("which unit owns L&C" then "what else is it accountable for": a stage is accountable for nothing;
        # the unit just named is)
        subject = [
            i for i, w in enumerate(f.words) if w in ("it", "they") and _UNIT_VERBS & set(f.words[i + 1 : i + 3])
        ]
        if subject:
            named = compose.with_entity(f, "unit", unit)
            kept = {t: ids for t, ids in named.entities.items() if t != "mcem_stage"}  # (the stage left out)
            spans = [sp for sp in named.spans if sp[2] != "mcem_stage"]
            return replace(named, entities=kept, spans=spans, pronoun=False)
    return f


_UNIT_VERBS = frozenset({"accountable", "responsible", "own", "owns"})


def _asks_where_something(f: Features) -> bool:
    """ "where in mssp do we map out the buying process": where a thing happens, not what MSSP is."""
    named = {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    own = [w for i, w in enumerate(f.words) if i not in named and w not in ("do", "we", "in", "the", "does", "a")]
    return f.words[:1] in (["where"], ["when"]) and len(own) >= 3


def _table_row(f: Features) -> int:
    """The row a question points at in a table: "3rd row", "the last one", "bottom row" (-1), "top row" (1)."""
    found = [o.position for o in compose.ordinals(f) if o.position and not o.offset and o.position != compose.MIDDLE]
    if found:
        return found[0]
    if "row" not in f.words and "one" not in f.words:
        return 0  # ("how do the roles work together, bottom line?")
    return -1 if "bottom" in f.words else 1 if "top" in f.words else 0


def _assignment_described(ix: KnowledgeIndex, mention: compose.Mention) -> str | None:
    """The role assignment whose own description (or task) the mention found."""
    fact = ix.graph.facts[mention.facts[0]]
    return fact.address.subject if fact.address.subject in ix.kb.assignments else None


def _small_talk(f: Features, ix: KnowledgeIndex) -> Frame | None:
    content = _content(f, ix)
    for kind in ("greeting", "thanks", "help"):
        if (
            f.has(kind)
            and len(f.words) <= 6
            and not f.entities
            and not (f.cues - {kind, "definition", "does", "who"})
            and not f.unknown
        ):
            return Frame(kind)
    if not content and not f.entities and not f.cues and not f.percents:
        return Frame("unknown")
    return None


_POINTING_WORDS = frozenset({"and", "the", "one", "at", "what", "about", "which", "stage", "is"})


def _follow_up(f: Features, context: Frame, ix: KnowledgeIndex) -> Frame | None:
    """Reuse the previous question with a new entity, or the previous entity with a new aspect."""
    probability_talk = context.kind in ("mssp.probability_reverse", "mssp.probability", "situation")
    if f.percents and probability_talk:
        return Frame("mssp.probability_reverse", {"percent": f.percents[0]})
    at = [s.id for s in ix.kb.mssp_stages if f.percents and s.probability == f.percents[0]]
    if len(at) == 1 and context.kind in MSSP_ASPECTS.values() and len(f.words) <= 5:
        return Frame(context.kind, {"mssp_stage": at[0]})  # "checkpoints for the stage at 0%" then "and at 100%?"
    bare = [w for w in f.words if w.isdigit() and int(w) <= 100]
    # "and 80", "and the one at 0" (only words that point at a stage besides the number)
    said_alone = len(f.words) <= 4 or not set(f.words) - set(bare) - _POINTING_WORDS
    if bare and probability_talk and said_alone:
        return Frame("mssp.probability_reverse", {"percent": f"{bare[0]}%"})
    role_unit = ix.kb.unit_of_role(context.slots["role"]) if context.slots.get("role") in ix.kb.roles else None
    unit_in_context = context.slots.get("unit") or (role_unit.id if role_unit else None)
    if "other" in f.words and f.has("roles_word") and unit_in_context in ix.kb.units and not f.entities.get("role"):
        return Frame("unit.roles", {"unit": unit_in_context})  # "other role in it"
    if "mcem" in f.words and "role" in context.slots and context.slots["role"] in ix.kb.roles and len(f.words) <= 4:
        return Frame("role.definition", {"role": context.slots["role"], "aspect": "mcem_focus"})  # "and in MCEM?"
    new_entities = {t: ids for t, ids in f.entities.items() if t != "glossary"}
    refiltered = _same_filter(ix, context, new_entities.get("mssp_stage", []))
    if refiltered:
        return refiltered  # "which of Deploy's checkpoints mention partners" then "same for Support?"
    other_words = _other_filter(f, ix, context) if not new_entities else None
    if other_words:
        return other_words  # "which of those involve partners" then "and power"
    if new_entities:
        for slot in ("mcem_stage", "mssp_stage", "unit", "role", "assignment"):
            if slot in new_entities and slot in context.slots and new_entities[slot][0] != context.slots[slot]:
                if context.kind in ("facts.with", "where", "compare", "both"):
                    return None  # (their lines or sides were found for the old entity; nothing to replay)
                # The previous question about a new entity: its list (items) was the old entity's.
                dropped = ("stages", "roles", "items", "focus", "looked_up", "looked_facts", "moved_on", "gaps")
                slots = {k: v for k, v in context.slots.items() if k not in dropped}
                slots[slot] = new_entities[slot][0]
                if isinstance(context.slots[slot], str) and context.slots[slot] != slots[slot]:
                    # "who owns Realize Value", "and Manage & Optimize?", then "exit criteria for both".
                    slots["items"] = [[slot, context.slots[slot]], [slot, slots[slot]]]
                return Frame(context.kind, slots)
        return None
    # "and in MCEM?" after an MSSP aspect (or "and in MSSP?" after an MCEM owner): the other document.
    named_doc = next((w for w in f.words if w in ("mcem", "mssp")), "")
    domain = context.slots.get("domain")
    if domain in ("mcem", "mssp") and named_doc and named_doc != domain and len(f.words) <= 4:
        return Frame(context.kind, {**context.slots, "domain": named_doc})  # "last mcem stage?", "what about mssp"
    other_slot = {"mcem": "mssp_stage", "mssp": "mcem_stage"}.get(named_doc)
    if other_slot and other_slot in context.slots and len(f.words) <= 5 and context.kind in _A_STAGE_ITSELF:
        # "first stage in mssp?" then "and in mcem?": the stage at that place in the other document
        return _same_place_in_other(ix, context)
    if other_slot and other_slot in context.slots and len(f.words) <= 5:
        asked = context.kind.split(".", 1)[-1].replace("_", " ")
        doc = "MCEM guide" if other_slot == "mssp_stage" else "MSSP document"
        return Frame(
            "not_covered",
            {
                "gaps": [
                    f"The {doc} doesn't give its stages {_ASKED_NAMES.get(asked, asked)}: that is the other document's."
                ]
            },
        )
    if "other" in f.words and "mcem_stage" in context.slots and f.has("stage_word", "owner"):
        # "and the other stage they own?": the owning unit's other stages.
        return Frame("unit.stages", {"unit": ix.kb.mcem_stage(context.slots["mcem_stage"]).unit})
    aspect = _aspect(f)
    if aspect and "mssp_stage" in context.slots:
        stage_id = context.slots["mssp_stage"]
        if f.has("next", "previous") and stage_id in {s.id for s in ix.kb.mssp_stages}:
            # "checkpoints in Solution" then "and the next stage's checkpoints?": the neighbour's.
            stage = ix.kb.mssp_stage(stage_id)
            neighbour = ix.kb.next_mssp(stage) if f.has("next") else ix.kb.previous_mssp(stage)
            if neighbour is None:
                return _no_neighbour(ix, "mssp_stage", stage_id, f.has("next"))
            stage_id = neighbour.id
        return Frame(MSSP_ASPECTS[aspect], {"mssp_stage": stage_id})
    if f.has("exit") and "mcem_stage" in context.slots:
        return Frame("mcem.exit", {"mcem_stage": context.slots["mcem_stage"]})
    if f.has("owner") and "mcem_stage" in context.slots:
        return Frame("mcem.owner", {"mcem_stage": context.slots["mcem_stage"]})
    if f.has("next", "previous"):
        subject = context.slots.get("mssp_stage") or context.slots.get("mcem_stage")
        if subject:
            slot = "mssp_stage" if subject in {s.id for s in ix.kb.mssp_stages} else "mcem_stage"
            if slot == "mssp_stage" and context.kind in MSSP_ASPECTS.values():
                # "verifiable outcome of Qualify" then "and the stage after?": that stage's outcome.
                stage = ix.kb.mssp_stage(subject)
                neighbour = ix.kb.next_mssp(stage) if f.has("next") else ix.kb.previous_mssp(stage)
                if neighbour is not None:
                    return Frame(context.kind, {"mssp_stage": neighbour.id})
            return Frame("order.next" if f.has("next") else "order.previous", {slot: subject})
    return None


_A_STAGE_ITSELF = frozenset({"mssp.stage", "mcem.stage", "mcem.owner", "order.next", "order.previous", "order.first",
                             "order.last"})  # fmt: skip


def _same_filter(ix: KnowledgeIndex, context: Frame, stages: list[str]) -> Frame | None:
    """The lines of another stage that hold the words the previous answer filtered its stage's lines by."""
    fields = tuple(f for f in context.slots.get("fields", []) if isinstance(f, str))
    content = [c for c in context.slots.get("filter", []) if isinstance(c, str)]
    # (after "none of Support's ... mention it" too: the filter goes on)
    if not stages or fields not in _LISTED_FIELDS.values() or not content:
        return None
    return _lines_matching(ix, stages, fields, content, str(context.slots.get("filter_words", "")))


def _other_filter(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "develop key steps", "which of those involve partners", then "and power": the same stage's lines,
    filtered by the new words instead."""
    fields = tuple(x for x in context.slots.get("fields", []) if isinstance(x, str))
    # ("develop verifiable outcome?" then "and the key step where it goes to power": that stage's key steps)
    asked = [k for k in _LISTED_FIELDS if f.has(k.split(".")[1])]
    short = len(f.words) <= 5
    if len(asked) == 1:
        fields, short = _LISTED_FIELDS[asked[0]], len(f.words) <= 9
    stage = context.slots.get("mssp_stage")
    content = compose.content_stems(content_features(f), ix) - FILTER_VERBS
    if not (f.opener and fields in _LISTED_FIELDS.values() and isinstance(stage, str) and content):
        return None
    if f.cues & (ASPECT_CUES - {"checkpoints", "key_steps"}) or not short:
        return None
    if stage not in {s.id for s in ix.kb.mssp_stages} or compose.ordinals(f):
        return None
    opening = [w for w in f.words[:3] if w not in ("and", "so", "ok", "then")][:1]
    if opening in (["where"], ["wheres"], ["which"]) or f.has("stage_word"):
        return None  # ("and where's plain 'access to power' a checkpoint": looked for everywhere)
    return _lines_matching(ix, [stage], fields, sorted(content), _words_of(f, content))


_LIST_SLOTS = (
    "items",
    "picked",
    "ids",
    "stages",
    "roles",
    "looked_facts",
    "parts",
    "gaps",
    "focus",
    "filter",
    "fields",
)


def _trusted(context: Frame | None) -> Frame | None:
    """The previous answer's frame as stored state gives it back: an entity slot that is not a name, or a list
    slot that is not a list, is dropped rather than trusted ("role": ["ae"] would break every rule)."""
    if context is None:
        return None
    slots = {k: v for k, v in context.slots.items() if _slot_is_sound(k, v)}
    return context if slots == context.slots else Frame(context.kind, slots)


# Slots that hold one name, and lists whose elements are names, pairs [kind, key] or line numbers.
_NAME_SLOTS = frozenset({*ENTITY_SLOTS, "type", "aspect", "asked", "looked_up", "domain", "filter_words", "label"})
_NAME_LISTS = frozenset({"ids", "stages", "roles", "fields", "filter", "shown", "gaps"})
_PAIR_LISTS = frozenset({"items"})


def _slot_is_sound(slot: str, value: Any) -> bool:
    """A stored slot of the shape the rules read ("type": ["x"] or "items": [[["x"]]] would break them)."""
    if slot in _NAME_SLOTS:
        return value is None or isinstance(value, str)
    if (slot in _LIST_SLOTS or slot in _NAME_LISTS or slot in _PAIR_LISTS) and not isinstance(value, list):
        return False
    if slot in _NAME_LISTS:
        return all(isinstance(x, str | int) and not isinstance(x, bool) for x in value)
    if slot in _PAIR_LISTS:
        return all(
            isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) and isinstance(x[1], str | int) for x in value
        )
    if slot == "looked_facts":
        return all(isinstance(x, int) and not isinstance(x, bool) for x in value)
    if slot == "focus":  # (one item, [kind, key])
        return len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], str | int)
    if slot == "picked":  # (line numbers, or items)
        return all(isinstance(x, int | list) and not isinstance(x, bool) for x in value)
    return True


def understand(text: str, ix: KnowledgeIndex, context: Frame | None = None) -> Understanding:
    """Read one question. context is the previous answer's Frame in this conversation, if any."""
    if len(text.strip()) > MAX_QUESTION_CHARS:
        return Understanding(Frame("too_long"), 1.0)
    context = _trusted(context)
    if context is not None and {"other", "else"} & set(normalize(text).split()):
        # ("and the other role in that unit", "who else is in that unit and what do they do": the unit's other
        # role, read before "in that unit" is dropped below)
        said = _named_by_reference(extract_features(text, ix, context), ix, context)
        others = _others_in_the_unit(said, ix, context) or _others_in_the_assignment(said, ix, context)
        if others is not None:
            return Understanding(others, 0.85)
    text = _numbered_questions(text)
    text = _OTHER_ROLE_IN_UNIT.sub(r"\1", text)
    text = _stage_at_percent(_stage_described(text, ix), ix)
    text = _person_named(_my_unit(_without_purpose(text, ix), ix), ix, context)
    text = _the_kind_one(text, ix, context)
    f = _named_by_reference(extract_features(text, ix, context), ix, context)
    read = _keeping_the_list(context, _paired_with_previous(f, context, _understand(text, f, ix, context)))
    read = _picked_from_the_list(f, context, read)
    read = _every_part_again(f, ix, context, _every_aspect_answered(f, _counted_position(f, ix, read)))
    shared = _what_the_roles_share(f, ix, context, read)
    if shared is not None:
        return shared
    gaps = read.frame.slots.get("gaps") or []
    if read.frame.kind == "mssp.probability_all" and "mcem" in f.words and f.has("stage_word") and gaps:
        # ("list the mcem stages and tell me the probability of each": the stages asked for, that they have none,
        # then the MSSP stages' probabilities, labelled as theirs)
        stages = Frame("order.list", {"domain": "mcem", "gaps": gaps})
        bare = Frame(read.frame.kind, {k: v for k, v in read.frame.slots.items() if k != "gaps"})
        return replace(read, frame=Frame("both", {"parts": [stages.to_dict(), bare.to_dict()]}))
    if context is not None and _asks_for_the_ones_without(f, context, len(ix.kb.mssp_stages)):
        # ("what are the mssp probabilities", then "which stages have none": the stages the table gives NA)
        return Understanding(Frame("mssp.probability_reverse", {"percent": "NA"}), 0.85)
    if read.frame.kind != "yesno" and _claim_typed_without_a_mark(text, f):
        # "csu own realize value", "mssp have 9 stages": a claim typed without its question mark asks whether
        # it holds, as it would with one.
        marked = understand(text.rstrip(" .!") + "?", ix, context)
        if marked.frame.kind == "yesno":
            return marked
    return _with_what_its_lines_lack(f, ix, read)


# Words that say how a question is put, not a thing asked about ("who else", "i'm new", "i think").
_NO_GAP_WORDS = frozenset({"else", "not", "new", "think", "thinks", "also", "really", "just", "thing", "things",
                           "stuff", "exactly", "actually", "basically", "again", "bit", "sure", "day"})  # fmt: skip


def _with_what_its_lines_lack(f: Features, ix: KnowledgeIndex, read: Understanding) -> Understanding:
    """ "target revenue for deploy stage", "what consumption target does the ats have": the whole card of the
    one thing named, read so because words said of it are in none of its lines; those words are named as not
    covered for it, so the card is not taken for their answer."""
    frame = read.frame
    named = [(slot, frame.slots[slot]) for slot in _ENTITY_FRAME if isinstance(frame.slots.get(slot), str)]
    if frame.kind != _ENTITY_FRAME.get(named[0][0] if len(named) == 1 else "") or frame.slots.get("gaps"):
        return read
    if frame.slots.get("aspect", "all") != "all" or len(f.entities) != 1 or compose.ordinals(f) or f.percents:
        return read
    slot, key = named[0]
    its = ix.stems_of.get(key, frozenset())
    said = {i for s, e, _, _ in f.spans for i in range(s, e)}
    said |= {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    names = ix.one_word_names  # ("the ae helps compete": a play's name is no gap)
    lacking = [
        w
        for i, w in enumerate(f.words)
        if i not in said
        and w not in ix.stopwords
        and not w.isdigit()
        and compose.stem(w) not in its
        and compose.stem(w) not in ix.graph.ignore
        and w not in _FILTER_VERB_WORDS
        and compose.stem(w) not in compose.ASK_WORDS  # ("... that mention X")
        and w not in names
        and w not in _NO_GAP_WORDS
    ]
    lacking = list(dict.fromkeys(lacking))  # ("day to day": once)
    if not lacking:
        return read
    quoted = ", ".join(f"\u201c{w}\u201d" for w in lacking[:3])
    gap = f"The documents don't say anything about {quoted} for {_entity_name(ix, slot, key, short=True) or key}."
    return replace(read, frame=compose.normalise_frame(frame, [gap]))


def _asks_in_both(f: Features) -> bool:
    """ "roles in both MAP and COMPETE", "who do MAP and EXPAND have in common": what both share (not "the roles
    for both MAP and COMPETE", every role of each; not "... but not COMPETE")."""
    in_both = any(f.words[i : i + 2] == ["in", "both"] for i in range(len(f.words)))
    return (in_both or f.has("in_common")) and not _NOT_IN_BOTH & set(f.words) and "but" not in f.words


def _stages_that_are_plays(f: Features, ix: KnowledgeIndex) -> bool:
    """ "which of the 4 role stages is the csam in", "which of the 4 stages r they not in": the guide heads its
    role assignments "MAP Stage" ..., so "stages" said as "role stages", or counted as many as there are
    role assignments (and as no other kind of stage), are the role assignments."""
    if "stages" not in f.words:
        return False
    at = f.words.index("stages")
    if f.words[at - 1 : at] == ["role"]:
        return True
    plays = len(ix.kb.assignments)
    counts = {compose.number(w) for w in f.words[max(0, at - 3) : at]}
    return plays in counts and plays not in (len(ix.kb.mcem_stages), len(ix.kb.mssp_stages))


def _what_the_roles_share(
    f: Features, ix: KnowledgeIndex, context: Frame | None, read: Understanding
) -> Understanding | None:
    """ "what do the AE and the CSAM have in common"; "ssp mcem focus", "and the CSA's", "so which one do they
    share": the roles compared, what they have in common first."""
    if not f.has("in_common"):
        return None
    if read.frame.kind == "compare" and read.frame.slots.get("type") == "role":
        return replace(read, frame=Frame("compare", {**read.frame.slots, "in_common": True}))
    listed = (
        [i[1] for i in (context.slots.get("items") or []) if isinstance(i, list) and len(i) == 2] if context else []
    )
    roles = [r for r in listed if r in ix.kb.roles]
    if f.entities.get("role") or len(roles) < 2 or len(roles) != len(listed) or not PLURAL_REFERENCES & set(f.words):
        return None
    return Understanding(
        Frame("compare", {"type": "role", "ids": roles, "aspect": "mcem_focus", "in_common": True}), 0.85
    )


def _asks_for_the_ones_without(f: Features, context: Frame, stage_count: int) -> bool:
    """After the stages' probabilities: "which stages have none", "which ones don't"."""
    about_probabilities = context.kind.startswith("mssp.probability") or context.slots.get("shown") == ["probability"]
    # ("all the mssp stages", then "out of those, which ones don't have a percentage?")
    # (the whole list only: after "proof vs close vs deploy" the NA stages are none of those shown)
    listed = [i for i in context.slots.get("items") or [] if isinstance(i, list) and i[:1] == ["mssp_stage"]]
    every_stage = len(listed) == len(context.slots.get("items") or []) == stage_count
    about_probabilities = about_probabilities or (every_stage and f.has("probability"))
    asks_which = bool({"which", "what"} & set(f.words)) and bool({"stages", "ones", "one", "stage"} & set(f.words))
    lacking = bool({"none", "dont", "doesnt", "without", "na"} & set(f.words))
    other_asked = bool(f.cues & (ASPECT_CUES - {"probability"}))  # ("which ones dont have checkpoints")
    return about_probabilities and asks_which and lacking and not other_asked and not f.entities and not f.percents


# Words that make a statement the seller's own news or a request, not a claim about the documents.
_NOT_A_CLAIM = frozenset({"we", "i", "our", "my", "us", "me", "im", "ive", "weve", "were", "deal", "opp", "opty",
                          "customer", "cust", "client", "please", "pls", "kindly", "thanks", "thx"})  # fmt: skip


def _claim_typed_without_a_mark(text: str, f: Features) -> bool:
    """A short statement with no question mark, no question word, no request and nothing of the seller's own:
    "manage & optimize is last mcem stage"."""
    words = set(f.words)
    return (
        "?" not in text
        and 3 <= len(f.words) <= 10
        and bool(words & compose.CLAIM_VERBS)
        and "+" not in text
        and not f.has("every", "list")
        and not words & (compose.WH_WORDS | compose.REQUEST_VERBS | _NOT_A_CLAIM | {"that", "which"})
        and bool(f.entities or words & {"mcem", "mssp"})
        and not (f.entities.get("assignment") or f.rejected.get("assignment"))  # ("the ae owns compete")
        and not f.opener
    )


def _every_part_again(f: Features, ix: KnowledgeIndex, context: Frame | None, read: Understanding) -> Understanding:
    """ "exit criteria for L&C and who owns it" then "ok same for inspire & design", "what does the ATS do in MAP
    and in COMPETE" then "and the AE in those two?": a follow-up that only swaps the one thing every part was
    about asks every part again, of the new one."""
    parts = context.slots.get("asked_parts") if context else None
    if not isinstance(parts, list) or not 2 <= len(parts) <= kinds.MAX_PARTS or f.cues & _NEW_ASKS:
        return read
    asked = [p for p in (Frame.from_dict(part) for part in parts) if p is not None and _part_is_sound(ix, p)]
    if len(asked) != len(parts):
        return read  # (stored state read back: every part must be one this reading can ask again)
    new = read.frame
    if any(len({str(p.slots.get(s)) for p in asked}) > 1 and f.entities.get(s) for s in ENTITY_SLOTS):
        return read  # ("what does the ATS do in MAP and in COMPETE", then "what does the AE do in MAP?": one)
    # ("ok same for deploy" reads as Deploy itself: the one thing named, swapped into every part)
    named_only = new.kind in _ENTITY_FRAME.values() or new.kind in ("mcem.stage", "mssp.stage")
    named_only = named_only and (f.opener or "same" in f.words) and len(f.words) <= 8  # (not "what is deploy")
    for part in asked:
        if named_only:
            changed = [s for s in ENTITY_SLOTS if isinstance(new.slots.get(s), str) and s in part.slots]
        else:
            changed = [s for s in ENTITY_SLOTS if s in part.slots and part.slots.get(s) != new.slots.get(s)]
        if (part.kind != new.kind and not named_only) or len(changed) != 1:
            continue
        slot = changed[0]
        before, after = part.slots.get(slot), new.slots.get(slot)
        if not isinstance(before, str) or not isinstance(after, str) or before == after:
            continue
        again = [Frame(p.kind, _swapped(p.slots, before, after)) if p.slots.get(slot) == before else p for p in asked]
        if sum(p.slots.get(slot) == after for p in again) < 2:
            return read
        return replace(read, frame=Frame("both", {"parts": [p.to_dict() for p in again]}))
    return read


# The kinds a follow-up may ask again part by part, with the entity slots each needs.
_PART_SLOTS = {
    **{kind: ("mssp_stage",) for kind in (*MSSP_ASPECTS.values(), "mssp.stage", "mssp.item")},
    "mcem.exit": ("mcem_stage",),
    "mcem.owner": ("mcem_stage",),
    "mcem.stage": ("mcem_stage",),
    "role.definition": ("role",),
    "role.unit": ("role",),
    "unit.roles": ("unit",),
    "unit.stages": ("unit",),
    "assignment.roles": ("assignment",),
    "assignment.role_task": ("assignment", "role"),
}


def _part_is_sound(ix: KnowledgeIndex, part: Frame) -> bool:
    """A part read back from stored state names what its kind needs, each a thing that exists."""
    needed = _PART_SLOTS.get(part.kind)
    if needed is None or not all(_is_item(ix, [slot, part.slots.get(slot)]) for slot in needed):
        return False
    if part.kind == "mssp.item":
        return part.slots.get("field") in ("checkpoint", "key_step") and type(part.slots.get("position")) is int
    return True


def _swapped(slots: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    """The slots with one entity swapped for another, in lists too ("roles": ["csa"]); gaps are the old one's."""
    return {
        k: after if v == before else [after if x == before else x for x in v] if isinstance(v, list) else v
        for k, v in slots.items()
        if k != "gaps"
    }


# Cues that ask something new, so a follow-up is no "the same again" ("and its probability?").
_NEW_ASKS = ASPECT_CUES | {"unit_word", "roles_word", "responsibilities", "count", "compare", "next", "previous"}


_MCEM_ASPECTS = {"exit": "mcem.exit", "owner": "mcem.owner"}
_STAGE_ASPECT_OF_KIND = {kind: cue for table in (MSSP_ASPECTS, _MCEM_ASPECTS) for cue, kind in table.items()}
_ITEM_ASPECTS = {"checkpoint": "checkpoints", "key_step": "key_steps"}


def _every_aspect_answered(f: Features, read: Understanding) -> Understanding:
    """ "qualify objective and key steps", "3rd checkpoint in proof + proof %": several aspects of one stage
    asked, and the reading answers one of them; each other aspect asked gets its own answer, in the order
    asked."""
    frame = read.frame
    slots = [s for s in ("mssp_stage", "mcem_stage") if isinstance(frame.slots.get(s), str)]
    own = _STAGE_ASPECT_OF_KIND.get(frame.kind) or (
        _ITEM_ASPECTS.get(frame.slots.get("field", "")) if frame.kind == "mssp.item" else None
    )
    if len(slots) != 1 or own is None or compose.is_yes_no(f) or compose.compared_entities(f):
        return read
    if len({key for _, _, kind, key in f.spans if kind in ("mssp_stage", "mcem_stage")}) > 1:
        return read  # ("the mssp stage at 20% and the one at 80%"): more than one stage asked about
    if len([o for o in compose.ordinals(f) if not o.offset]) > 1:
        return read
    table = MSSP_ASPECTS if slots[0] == "mssp_stage" else _MCEM_ASPECTS
    asked = [cue for cue in table if f.has(cue)]
    if own not in asked or len(asked) < 2 or not _listed_together(f, asked):
        return read

    def said_at(cue: str) -> int:
        return min(s for s, _ in f.cue_spans[cue])

    parts = [(said_at(own), frame)] + [
        (said_at(cue), Frame(table[cue], {slots[0]: frame.slots[slots[0]]})) for cue in asked if cue != own
    ]
    ordered = [p.to_dict() for _, p in sorted(parts, key=lambda p: p[0])][: kinds.MAX_PARTS]
    return replace(read, frame=Frame("both", {"parts": ordered}))


_LISTING_WORDS = frozenset({"and", "plus", "also", "then", "its", "their", "the", "of", "in", "for", "with", "at", "a",
                            "both", "all", "each"})  # fmt: skip


def _listed_together(f: Features, cues: list[str]) -> bool:
    """ "objective and key steps", "its % and its last checkpoint", "3rd checkpoint in proof + proof %": the
    aspects are asked side by side (only joiners, positions and names between them), not one of them said
    before the question ("the Develop steps say ... - which checkpoint comes last")."""
    spans = sorted((s, e) for c in cues for s, e in f.cue_spans[c])
    named = {i for s, e, _, _ in f.spans for i in range(s, e)} | {
        i for o in compose.ordinals(f) for i in range(o.start, o.end)
    }
    between = [i for (_, end), (start, _) in pairwise(spans) for i in range(end, start)]
    return all(i in named or f.words[i] in _LISTING_WORDS for i in between)


def _counted_position(f: Features, ix: KnowledgeIndex, read: Understanding) -> Understanding:
    """ "last mcem stage?", "first mcem stage": the stage found by counting keeps its count (negative from the
    end), so "what about mssp" then asks for the MSSP document's last (first) stage, not what MSSP is."""
    counted = [o for o in compose.ordinals(f) if not o.offset and not o.neighbour]
    slots = [s for s in ("mcem_stage", "mssp_stage") if isinstance(read.frame.slots.get(s), str)]
    if len(counted) != 1 or len(slots) != 1 or read.frame.kind not in _A_STAGE_ITSELF | _STAGE_ASPECT_KINDS:
        return read
    stages = [s.id for s in (ix.kb.mcem_stages if slots[0] == "mcem_stage" else ix.kb.mssp_stages)]
    here, position = read.frame.slots[slots[0]], counted[0].position
    if here not in stages or stages.index(here) != (position - 1 if position > 0 else len(stages) + position):
        return read
    return replace(read, frame=Frame(read.frame.kind, {**read.frame.slots, "counted": position}))


def _picked_from_the_list(f: Features, context: Frame | None, read: Understanding) -> Understanding:
    """ "the mcem exit criteria for all 5 stages", "the third one - who's accountable for that stage?", then
    "and the last one?": one item picked by its place keeps the list it was picked from."""
    listed = context.slots.get("items") if context else None
    if not listed or read.frame.slots.get("items") or read.frame.kind in kinds.CONVERSATION:
        return read
    if not any(o.position and not o.offset for o in compose.ordinals(f)):
        return read
    named = [[slot, v] for slot in ENTITY_SLOTS if isinstance(v := read.frame.slots.get(slot), str)]
    if len(named) != 1 or named[0] not in listed:
        return read
    slots = {**read.frame.slots, "items": listed, "focus": named[0]}
    return replace(read, frame=Frame(read.frame.kind, slots))


def _keeping_the_list(context: Frame | None, read: Understanding) -> Understanding:
    """ "support key steps", "2nd and 3rd?", then "4th?": two picks from the list keep the list."""
    listed = context.slots.get("items") if context else None
    if not listed or read.frame.kind != "both" or read.frame.slots.get("items"):
        return read
    parts = [Frame.from_dict(p) for p in read.frame.slots.get("parts", [])]
    if not parts or not all(p is not None and p.slots.get("items") == listed for p in parts):
        return read
    return replace(read, frame=Frame("both", {**read.frame.slots, "items": listed}))


def _paired_with_previous(f: Features, context: Frame | None, read: Understanding) -> Understanding:
    """ "who creates the success plan" (the CSAM), then "and who maintains its status?" (the CSA): an "and ..."
    follow-up about another of the same kind makes a pair, so "which unit are both in" has two to go on."""
    # ("what's stage 3 in mcem", "the one before it?": a neighbour named by reference pairs up too)
    relative = f.has("next", "previous") and (f.pronoun or "one" in f.words)
    if (
        context is None
        or not (f.opener or relative)
        or context.slots.get("items")
        or read.frame.kind in kinds.CONVERSATION
    ):
        return read
    named = [(slot, v) for slot in ENTITY_SLOTS if isinstance(v := context.slots.get(slot), str)]
    return replace(read, paired_with=named[0]) if len(named) == 1 else read


def _understand(text: str, f: Features, ix: KnowledgeIndex, context: Frame | None) -> Understanding:
    small = _small_talk(f, ix)
    if small and not (small.kind == "unknown" and context and _list_follow_up(f, context)):
        return Understanding(small, 1.0 if small.kind != "unknown" else 0.0)
    at_an_end = _at_an_end(f, context) if context else None
    if at_an_end:
        return Understanding(at_an_end, 0.9)
    question = _the_question_sentence(text, f, ix)
    if question is not None:
        alone = understand(question, ix, context)
        # (a list of everything only when the question asks for one: "could you list all the MCEM stages?")
        asking = extract_features(question, ix)
        listed = asking.has("list") or bool({"all", "every", "each"} & set(asking.words))
        generic = alone.frame.kind in _GENERIC_LISTS and not listed
        if alone.answerable and alone.frame.kind not in kinds.CONVERSATION and not generic:
            return alone
    told_stage = _aspect_of_the_stage_told(f, ix)
    if told_stage is not None:
        return told_stage
    claims = _two_claims(text, f, ix, context)
    if claims:
        return claims
    play = _assignment_for_the_situation(f, ix)
    if play:
        return Understanding(play, 0.85)
    start = _at_the_start(f, ix)
    if start:
        return Understanding(start, 0.85)
    several = _several_questions(text, ix, context)
    if several:
        return several
    positions = _two_positions(f)
    if positions:
        read_each = (understand(positions[0], ix, context), understand(positions[1], ix, context))
        one_covered = _one_half_covered(positions, read_each)
        if one_covered:
            return one_covered
        answered = all(u.answerable and u.frame.kind != "not_covered" for u in read_each)
        if answered and read_each[0].frame != read_each[1].frame:
            parts = [read_each[0].frame.to_dict(), read_each[1].frame.to_dict()]
            confidence = min(read_each[0].confidence, read_each[1].confidence)
            return Understanding(Frame("both", {"parts": parts}), confidence)
    asked_twice = _two_questions(text)
    if asked_twice and _refers_to_the_first(asked_twice, ix):
        asked_twice = None
    parallel = None if asked_twice else _parallel_halves(f)
    halves = asked_twice or parallel
    reported = halves is not None and not set(normalize(halves[0]).split()[:1]) & compose.WH_WORDS
    where_asked = halves is not None and _asks_where_clause(normalize(halves[1]).split())
    if reported and where_asked and asks_where_it_stands(f, ix) and compose.situation(f, ix) is not None:
        # "poc running + building the proposal w partners, which stage is this": progress, then where it
        # leaves the deal; the first half is no question of its own.
        halves = None
    read = _read_halves(halves, ix, context) if halves else None
    if halves and read:
        for i in (0, 1):
            if read[i].frame.kind == "situation" and _asked_of_the_situation(halves[1 - i]):
                # "... which stage am i in and what outcome am i aiming for": where it stands says both.
                asks_next = "next" in normalize(halves[1 - i]).split()
                slots = {**read[i].frame.slots, **({"next_asked": True} if asks_next else {})}
                return Understanding(Frame("situation", slots), read[i].confidence)
        split = _one_half_covered(halves, read)
        if split:
            return split
    whole = _understand_whole(text, f, ix, context)
    if (
        whole.frame.kind in _GENERIC_LISTS
        and _refers_to_nothing(f, context)
        and len(compose.content_stems(content_features(f), ix)) < 2  # ("verbal approval and signed docs ... those")
    ):
        # "which unit are both of those roles in?" with nothing listed before: not every unit, but a question
        # it cannot place.
        return Understanding(Frame("no_referent"), 1.0)
    for part in read or ():
        whole_lines = set(whole.frame.slots.get("facts") or [])
        same_lines = bool(whole_lines) and whole_lines <= set(part.frame.slots.get("facts") or [])
        asked = (whole.frame.slots.get("asked", "stage"), part.frame.slots.get("asked"))
        stage_asked = whole.frame.kind == part.frame.kind == "where"
        if stage_asked and same_lines and asked == ("stage", "who"):
            # "which role owns the step X, and in which stage is it": the answer on who says where it is too.
            return part
    if read is not None and whole.frame.slots.get("gaps") and not any(r.frame.kind in _GENERIC_LISTS for r in read):
        # ("what does the ATS do in COMPETE and what's their job in the realize value stage": the half read
        # alone lost who "their" is; the whole message's reading of it names what the guide doesn't say)
        without_gaps = Frame(whole.frame.kind, {k: v for k, v in whole.frame.slots.items() if k != "gaps"})
        first, second = (whole if _same_reading(without_gaps, r.frame) else r for r in read)
        read = (first, second)
    answered = read is not None and all(u.answerable and u.frame.kind != "not_covered" for u in read)
    # ("what's the one-liner for SEs, and which unit are they in?" read as one is every unit: a list of
    # everything says less than the two answers)
    generic_whole = whole.frame.kind in _GENERIC_LISTS and not any(r.frame.kind in _GENERIC_LISTS for r in read or ())
    # ("... between proof and close right? whats the close objective": two sentences, each its own question)
    asked_apart = asked_twice is not None and asked_twice[0].rstrip().endswith("?")
    if (
        read
        and answered
        and (any(_same_reading(whole.frame, r.frame) for r in read) or generic_whole or parallel or asked_apart)
        and not _same_reading(read[0].frame, read[1].frame)
    ):
        # "what does the SE do, and how many SEs are there per STU?": the message read as one answers only
        # one of its two questions; each is answered in its own words.
        parts = [read[0].frame.to_dict(), read[1].frame.to_dict()]
        return Understanding(Frame("both", {"parts": parts}), min(read[0].confidence, read[1].confidence))
    final = _two_asks(text, ix, context, whole) or whole
    if not final.answerable and _ASKED_ON.search(text):
        # ("what's the quota for AEs? and their mcem focus": one message going on after its question mark; read
        # as one, the part the documents cover is answered and the other named)
        joined = understand(_ASKED_ON.sub(r" \1", text), ix, context)
        return joined if joined.answerable else final
    return final


_ASKED_ON = re.compile(r"\?\s+(and|also|plus|\+)\b", re.I)


# Where a second ask is joined on: "+", " / ", ", also", ", and", a question mark or a full stop.
_ASK_JOIN = re.compile(
    r"\s*\+\s*|\s+/\s+|,\s*(?:and|also|plus)\s+|\s+also\s+|(?<=\?)\s+(?:and|also)\s+"
    # ("what's the salary band for a CSAM? what plan do they create?": a second question about the first's)
    r"|(?<=\?)\s+(?=(?:what|which|who|how|where|when)\b[^?]*\b(?:they|them|their|it|its)\b)",
    re.IGNORECASE,
)
# Failing those, a comma before a question word: "whats after manage & optimize, who owns m&o".
_QUESTION_AFTER_COMMA = re.compile(r",\s*(?=(?:who|whos|who's|what|whats|what's|which|where|when|how)\b)", re.I)


_AMPERSAND = re.compile(r"\s+&\s+")


def _split_at_ampersand(text: str, ix: KnowledgeIndex) -> list[str]:
    """ "stage before proof & the one after it": one "&" with spaces round it joins two asks, unless the words
    either side are a name's ("Listen & Consult") or a line's ("plan & execute")."""
    joins = list(_AMPERSAND.finditer(text))
    if len(joins) != 1:
        return [text]
    at = joins[0]
    spellings = ix.kb.lexicon.spellings
    before = normalize(text[: at.start()], spellings).split()[-1:]
    after = normalize(text[at.end() :], spellings).split()[:1]
    if not before or not after:
        return [text]
    # ("who owns inspire & desing?", "who creates & manages the CSP": a name's or a line's own "and")
    if (stem(ix.correct(before[0])), stem(ix.correct(after[0]))) in ix.joined_by_and:
        return [text]
    return [text[: at.start()], text[at.end() :]]


def _asked_after_and(parts: list[str], said: Features, whole: Understanding) -> bool:
    """Whether "X and Y" holds a second question: Y opens with a question word or asks an aspect, a count, a
    place or a percentage, and the whole message did not already answer it."""
    if said.words[:1] in (["its"], ["their"]) and whole.answerable:
        return False  # ("3rd stage and its verifiable outcome": of the first's subject, answered whole)
    if whole.frame.slots.get("gaps"):
        return False  # ("which unit owns I&D and how many people are in it": read whole, the gap is named)
    asks = (bool(said.words) and said.words[0] in compose.WH_WORDS) or bool(
        said.cues & (ASPECT_CUES | {"count", "who", "unit_word", "duration"}) or compose.ordinals(said) or said.percents
    )
    # ("SSP responsibilities and his commission plan?": something of the first's subject the documents lack)
    asks = asks or (said.words[:1] in (["his"], ["her"]) and bool(said.unknown))
    if not asks:
        return False  # ("the relationship between the customer and the partner": one thing, two words)
    opening = normalize(parts[0]).split()
    # ("deal is at 80% and the contract is nearly done, what ...": told, then asked)
    return bool(set(opening[:1]) & compose.WH_WORDS) or not _TELLING_VERBS & set(opening)


def _what_of(frame: Frame) -> tuple[Any, ...]:
    """What a reading is about: its entities, and the place of a line it picks (not its gaps or wording)."""
    return tuple(str(frame.slots.get(s)) for s in (*ENTITY_SLOTS, "field", "position"))


def _words_no_line_has(f: Features, ix: KnowledgeIndex) -> list[str]:
    """The words of a message that are no cue, no name and no stop word, and that no line of the documents has."""
    said = {i for s, e, _, _ in f.spans for i in range(s, e)} | {
        i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)
    }
    said |= {i for o in compose.ordinals(f) for i in range(o.start, o.end)}  # ("which one is number 4")
    return [
        w
        for i, w in enumerate(f.words)
        if i not in said and w not in ix.stopwords and not w.isdigit() and compose.stem(w) not in ix.graph.idf
    ]


_UNSPECIFIC_KINDS = frozenset({"mcem.stage", "mssp.stage", "not_covered", "unknown"})
# Failing those, a bare "and" before a question word or a new noun phrase: "first key step in develop and the last
# checkpoint in develop", "which unit owns L&C and what else is it accountable for".
_TELLING_VERBS = frozenset({"is", "are", "was", "were", "has", "have", "had", "we", "i", "im", "weve", "ive"})
_AND_ASK = re.compile(
    r"\s+and\s+(?=(?:what|whats|what's|which|who|whos|who's|where|when|how|the|its|it's|their|his|her)\b)", re.I
)


def _asks_of_its_own(f: Features, ix: KnowledgeIndex) -> bool:
    """A part of a message that asks something: it names a thing, a number, a position, words of a line, or a
    cue beyond how a question is put ("all of them pls", "in the MSSP table" ask nothing)."""
    named = any(t != "glossary" for t in f.entities) or f.percents or compose.ordinals(f) or _content(f, ix)
    return bool(named) or bool(f.cues - GENERIC_CUES - {"list", "every"})


def _two_asks(text: str, ix: KnowledgeIndex, context: Frame | None, whole: Understanding) -> Understanding | None:
    """ "demand gen key steps + the objective", "list the ats responsibilities / and its unit", "who owns the
    customer success plan + which unit": two asks, the second read as a follow-up to the first (so "its" is
    what the first was about). Taken when the message read whole answers only one of them (or neither)."""
    parts = [p for p in _ASK_JOIN.split(text[:MAX_QUESTION_CHARS]) if p.strip(" ,.?")]
    if len(parts) == 1:
        parts = _split_at_ampersand(text[:MAX_QUESTION_CHARS], ix)
    if len(parts) == 1:
        parts = [p for p in _QUESTION_AFTER_COMMA.split(text[:MAX_QUESTION_CHARS]) if p.strip(" ,.?")]
    # Joined by a bare "and", each half must be a question answered in its own right.
    bare_and = len(parts) == 1
    if bare_and:
        parts = [p for p in _AND_ASK.split(text[:MAX_QUESTION_CHARS]) if p.strip(" ,.?")]
    if len(parts) != 2 or whole.frame.kind in ("both", "situation", "yesno", "compare", "check.start"):
        return None
    said = extract_features(parts[1], ix)
    before = extract_features(parts[0], ix)
    if bare_and and not _asked_after_and(parts, said, whole):
        return None
    if not _asks_of_its_own(before, ix):
        return None  # ("In the MSSP table, which probability has the Solution stage?": a scope, then the ask)
    opens_with = {(kind, key) for start, _, kind, key in said.spans if start == 0}
    ends_with = {(kind, key) for _, end, kind, key in before.spans if end == len(before.words)}
    if {k for k, _ in opens_with} & {k for k, _ in ends_with} and not opens_with & ends_with:
        return None  # ("what does the table say about AE + ATS": "+" joins two names, the row's; not one said twice)
    if not _asks_of_its_own(said, ix):
        return None  # ("which checkpoints mention the sponsor? all of them pls": no second ask)
    line = ix.graph.facts[whole.frame.slots["facts"][0]] if whole.frame.kind == "where" else None
    second_content = compose.content_stems(content_features(said), ix)
    if line is not None and second_content and second_content <= line.stems:
        return None  # ("cloud arch + migration who": one line, "Design cloud architecture and migration strategy")
    first = understand(parts[0], ix, context)
    first_gaps = first.frame.slots.get("gaps") or []
    # ("which unit does the partner development manager belong to? and what units are there in total?": the first
    # names nothing the guide has; the second, a question of its own, is answered after that gap)
    opens_asking = said.words[:1] and said.words[0] in compose.WH_WORDS
    opens_asking = opens_asking or said.words[:2] in (["and", "what"], ["and", "which"], ["and", "who"])
    if first.frame.kind == "not_covered" and first_gaps and opens_asking:
        alone = understand(parts[1], ix, context)
        if alone.answerable and alone.confidence >= 0.85 and alone.frame.kind not in kinds.CONVERSATION:
            return replace(alone, frame=compose.normalise_frame(alone.frame, list(first_gaps)))
    if not first.answerable or first.frame.kind in kinds.CONVERSATION or first.frame.kind == "not_covered":
        return _first_lacking(parts, before, ix, whole)
    # (read after the first's answer, as in a conversation: "which unit" after "who owns the CSP" is the CSAM's;
    # "its probability" after "the stage just before Develop" is Qualify's)
    about = _subject_of(first.frame, ix) or kinds.answer_question(ix, first).context or first.frame
    second = understand(parts[1], ix, about)
    turned = {"order.previous": "next", "order.next": "previous"}.get(first.frame.kind)
    if turned and said.cues & {"next", "previous"} == {turned} and not said.spans:
        # ("stage before proof & the one after it": both of Proof's neighbours, "it" being Proof, not Solution;
        # "the stage after qualify + the one after that" is read on from the answer, below)
        other = Frame(f"order.{turned}", dict(first.frame.slots))
        return Understanding(Frame("both", {"parts": [first.frame.to_dict(), other.to_dict()]}), first.confidence)
    # ("..., plus the ssp quota %": read alone, the unknown word sinks the second below an answer)
    lacking = second.frame.kind == "not_covered" or (not second.answerable and bool(second.unknown_words))
    # ("csa mcem focus and whats their utilization target": the second half asks about words no line has)
    lacking = lacking or _lacks_its_subject(second, said, ix)
    # (a stage found by its place or percentage is asked for: "stage at 60% and the one 2 after it")
    placed = (bool(compose.ordinals(before) or before.percents), bool(compose.ordinals(said) or said.percents))
    answered_each = all(
        r.answerable and (is_placed or (r.confidence >= 0.85 and r.frame.kind not in _UNSPECIFIC_KINDS))
        for r, is_placed in zip((first, second), placed, strict=True)
    )
    if bare_and and not answered_each and not (lacking and first.confidence >= 0.85):
        return None  # ("which partner should i pick for deploy and ...": the first half only names Deploy)
    whole_is_one = not whole.answerable or any(_same_reading(whole.frame, r.frame) for r in (first, second))
    # ("whats the stage before demand gen & demand gen objective": read whole, only the first's gap is left)
    whole_is_one = whole_is_one or whole.frame.kind == "not_covered"
    # ("SSP responsibilities and his commission plan?": read whole, only the lacking half's words were looked up)
    searched_lacking = lacking and whole.frame.kind in ("where", "facts.with") and first.frame.kind != whole.frame.kind
    # (words no line has, "commission"; not the words of a filter, "that mention the customer")
    searched_lacking = searched_lacking and bool(set(said.unknown) - _FILTER_VERB_WORDS)
    whole_is_one = whole_is_one or searched_lacking
    # ("first key step in develop and the last checkpoint in develop": read whole, the two asks' words mix into
    # one answer of their kind that neither asked)
    # ("4th checkpoint of develop, and what stage comes after develop" read whole is Solution's 4th checkpoint)
    # (only when the second names what it asks about: "..., and its objective" is the first's, as read whole)
    whole_is_one = whole_is_one or (
        (bare_and or bool(said.spans))
        and any(
            whole.frame.kind == r.frame.kind and _what_of(whole.frame) != _what_of(r.frame) for r in (first, second)
        )
    )
    if not whole_is_one or second.frame.kind in kinds.CONVERSATION or second.frame.kind in _GENERIC_LISTS:
        return None  # ("..., which stage is each": a list of every stage is no second answer)
    if (
        not lacking
        and second.answerable
        and second.frame.kind != "not_covered"
        and not _same_reading(first.frame, second.frame)
    ):
        both = Frame("both", {"parts": [first.frame.to_dict(), second.frame.to_dict()]})
        return Understanding(both, min(first.confidence, second.confidence))
    missing = second.unknown_words[:3] or (parts[1].strip(" ?!."),)
    quoted = ", ".join(f"\u201c{w}\u201d" for w in missing)
    gaps = second.frame.slots.get("gaps") or [f"The documents don't say anything about {quoted}."]
    if lacking and whole.answerable and _same_reading(whole.frame, first.frame) and not whole.frame.slots.get("gaps"):
        # "checkpoints in close, also the legal review turnaround time": the part the documents lack is named.
        return replace(whole, frame=compose.normalise_frame(whole.frame, list(gaps)))
    if (
        (lacking and (not whole.answerable or searched_lacking))
        and first.confidence >= 0.85
        and not first.frame.slots.get("gaps")
    ):
        # ("ats in compete + travel budget": read whole, the unknown words sink it; the first ask is answered
        # and the second named)
        return replace(first, frame=compose.normalise_frame(first.frame, list(gaps)))
    return None


def _first_lacking(
    parts: list[str], before: Features, ix: KnowledgeIndex, whole: Understanding
) -> Understanding | None:
    """ "AE salary? + focus": the first ask is one the documents lack, about one thing it names; the second
    asks about that thing, and is answered with the first named as not covered."""
    named = [(slot, ids[0]) for slot, ids in before.entities.items() if slot in _ENTITY_FRAME and len(ids) == 1]
    if whole.answerable or len(named) != 1 or not question_unknowns(before, ix):
        return None
    slot, key = named[0]
    second = understand(parts[1], ix, Frame(_ENTITY_FRAME[slot], {slot: key}))
    if not second.answerable or second.confidence < 0.85 or second.frame.kind in kinds.CONVERSATION:
        return None
    said = ", ".join(f"\u201c{w}\u201d" for w in question_unknowns(before, ix)[:3])
    gaps = [*second.frame.slots.get("gaps", []), f"The documents don't say anything about {said}."]
    return replace(second, frame=compose.normalise_frame(second.frame, gaps))


# The lines an answer about one stage listed, by the answer's kind.
_LISTED_FIELDS = {
    "mssp.checkpoints": ("checkpoint",),
    "mssp.key_steps": ("key_step", "sub_step"),
    "mssp.stage": ("verifiable_outcome", "checkpoint", "key_step", "sub_step"),  # ("where in qualify do ...")
}


_FILTER_VERB_WORDS = frozenset({"mention", "mentions", "mentioning", "include", "includes", "including", "involve",
                                "involves", "involving", "contain", "contains", "containing"})  # fmt: skip
_FILTER_ENDS = frozenset({"grouped", "group", "by", "across", "all", "every", "per", "listed", "sorted", "in", "and"})


def _either_words(f: Features, ix: KnowledgeIndex, content: set[str]) -> set[str]:
    """The content words joined by "or" ("partners or services"): each one alone finds lines."""
    joined = {
        compose.stem(f.words[i + d])
        for i, w in enumerate(f.words)
        if w == "or" and 0 < i < len(f.words) - 1
        for d in (-1, 1)
    }
    return joined & content if len(joined & content) >= 2 else set()


def _filter_content(f: Features, ix: KnowledgeIndex) -> set[str]:
    """The content stems of the words after a filter verb ("... that mentions a partner, all stages"), up to
    where the list's own wording starts again ("grouped by stage", "across all stages")."""
    at = next((i for i, w in enumerate(f.words) if w in _FILTER_VERB_WORDS), None)
    if at is None:
        return set()
    end = next((j for j in range(at + 1, len(f.words)) if f.words[j] in _FILTER_ENDS), len(f.words))
    lex = ix.kb.lexicon
    said = set(compose.fact_stems(" ".join(f.words[at + 1 : end]), lex.spellings, lex.synonyms))
    return {s for s in said - compose.ASK_WORDS - ix.graph.ignore if s in ix.graph.by_stem}


def _those_that_mention(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "develop checkpoints" then "which of those mention partners?", "which of them keeps the RAID logs",
    "and which one talks about strategic partners": the previous answer's lines or roles, narrowed by words."""
    items = [i for i in context.slots.get("items", []) if isinstance(i, list) and len(i) == 2]
    asking = f.words[1:] if f.words[:1] in (["and"], ["so"], ["ok"]) else f.words
    asks_which = asking[:1] in (["which"], ["who"]) and any(w in _REFERRING for w in asking[:4])
    if asks_which and context.kind not in _LISTED_FIELDS:  # (a list just given is narrowed by its field below)
        facts = [key for slot, key in items if slot == "fact" and isinstance(key, int)]
        if facts and not compose.ordinals(f) and "other" not in f.words:
            return _lines_with(f, ix, facts)
    roles = [key for slot, key in items if slot == "role"]
    if roles and asks_which and not any(t != "glossary" for t in f.entities):
        return _role_lines_with(f, ix, roles)
    plays = [key for slot, key in items if slot == "assignment" and key in ix.kb.assignments]
    if plays and asks_which and not any(t != "glossary" for t in f.entities):
        return _assignment_described_by(f, ix, plays)
    return _stage_lines_with(f, ix, context)


def _assignment_described_by(f: Features, ix: KnowledgeIndex, plays: list[str]) -> Frame | None:
    """ "the 4 role assignments" then "which of them is about cloud migration": the one whose own lines (its
    description and tasks) share the most of the words asked, when one does."""
    content = compose.content_stems(content_features(f), ix)
    shared = {
        play: max((len(content & x.stems) for x in ix.graph.facts if x.address.subject == play), default=0)
        for play in plays
    }
    best = max(shared.values(), default=0)
    winners = [play for play, n in shared.items() if n == best]
    return Frame("assignment.roles", {"assignment": winners[0]}) if best and len(winners) == 1 else None


_REFERRING = ("them", "those", "these", "two", "both", "one")


def _lines_with(f: Features, ix: KnowledgeIndex, facts: list[int]) -> Frame | None:
    """The lines walked through ("prospect key steps", "whats the 4th") that hold every word asked about."""
    wanted = compose.content_stems(content_features(f), ix) - FILTER_VERBS
    hits = [i for i in facts if wanted and wanted <= ix.graph.facts[i].stems]
    return Frame("where", {"facts": hits[:3], "asked": "item"}) if hits else None


def _role_lines_with(f: Features, ix: KnowledgeIndex, roles: list[str]) -> Frame | None:
    """ "which roles are in that unit" then "which of them keeps the RAID logs": a line of one of those roles."""
    content = compose.content_stems(content_features(f), ix)
    found = [
        i
        for _, _, i in ix.graph.search(content, limit=24, min_coverage=0.5)
        if set(ix.graph.facts[i].roles) & set(roles)
    ]
    return Frame("where", {"facts": found[:3], "asked": "who"}) if found else None


def _stage_lines_with(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "develop checkpoints" then "which of those mention partners?": the listed lines of that stage that hold
    the words asked about, or that none of them does (and the list again)."""
    fields = _LISTED_FIELDS.get(context.kind)
    stage = context.slots.get("mssp_stage")
    pairs = (["of", "those"], ["of", "these"], ["of", "them"], ["which", "one"], ["which", "ones"])
    refers = any(f.words[i : i + 2] in pairs for i in range(len(f.words)))  # "which one's about partners"
    if not fields or not isinstance(stage, str) or not refers or f.entities.get("mssp_stage"):
        return None
    if compose.ordinals(f) or "other" in f.words:
        return None  # "the second of those": a position in the list, not a word in its lines
    content = compose.content_stems(content_features(f), ix) - FILTER_VERBS
    if not content:
        # ("which of those mentions the verifiable outcome": words that are also cue words, said after the filter)
        at = next((i + 2 for i in range(len(f.words)) if f.words[i : i + 2] in pairs), len(f.words))
        said = " ".join(w for w in f.words[at:] if w not in ix.kb.lexicon.stopwords)
        content = set(compose.fact_stems(said, ix.kb.lexicon.spellings, ix.kb.lexicon.synonyms)) - FILTER_VERBS
        content &= set(ix.graph.idf)
    if not content:
        return None
    words = _words_of(f, content)
    return _stage_lines_matching(ix, stage, fields, sorted(content), words)


def _stage_lines_matching(
    ix: KnowledgeIndex, stage: str, fields: tuple[str, ...], content: list[str], words: str
) -> Frame:
    """The lines of fields in one stage that hold any of the content stems; or that none does, and the list
    itself. The filter goes along, so "same for Support?" asks it of another stage."""
    return _lines_matching(ix, [stage], fields, content, words)


def _lines_matching(
    ix: KnowledgeIndex, stages: list[str], fields: tuple[str, ...], content: list[str], words: str
) -> Frame:
    """The lines of fields in the stages that hold any of the content stems, or that none does."""
    listed = [i for stage in stages for field in fields for i in ix.graph.facts_of(stage, field)]
    found = [i for i in listed if set(content) & ix.graph.facts[i].stems]
    kind = next(k for k, v in _LISTED_FIELDS.items() if v == fields)
    label = compose.FIELD_PLURALS[fields[0]]
    if kind == "mssp.stage":
        # (lines of any field: named by theirs when they share one, "1 key step mentions ...")
        found_in = {ix.graph.facts[i].address.field for i in found} - {"sub_step"}
        label = compose.FIELD_PLURALS[found_in.pop()] if len(found_in) == 1 else "lines"
    matched = {"filter": content, "fields": list(fields), "filter_words": words}
    if not found:
        names = " or ".join(ix.kb.mssp_stage(s).name for s in stages)
        gap = f"None of {names}'s {label} mention \u201c{words}\u201d."
        return Frame(kind, {"mssp_stage": stages[0], "gaps": [gap], **matched})
    return Frame("facts.with", {"facts": found, "label": label, "words": f"\u201c{words}\u201d", **matched})


def _first_reading(
    readings: tuple[Callable[[Features, KnowledgeIndex, Frame], Frame | None], ...],
    f: Features,
    ix: KnowledgeIndex,
    context: Frame,
) -> Frame | None:
    """Follow-up readings of one shape each, tried in order: the first that applies answers."""
    return next((frame for reading in readings if (frame := reading(f, ix, context)) is not None), None)


def _understand_whole(text: str, f: Features, ix: KnowledgeIndex, context: Frame | None) -> Understanding:
    """The message read as one question (small talk and two-question splits already handled)."""
    asked_last = _last_sentence_question(f)
    last_features = extract_features(asked_last, ix) if asked_last else None
    # ("signed docs are in. what stage now and who do we transition to?" asks where the context leaves us)
    if asked_last and last_features and not _asks_about_progress(last_features, ix) and not asks_where_it_stands(f, ix):
        # "in MAP: AE has mapped the stakeholders, ATS did discovery. who identifies the success criteria?":
        # sentences of context, then a question that stands alone; it is read alone when that is enough.
        alone_reading = understand(asked_last, ix, context)
        if alone_reading.answerable and alone_reading.frame.kind in ("where", "facts.with"):
            return alone_reading
    start, end, clause = question_clause(f, ix)
    alone = (start, end) != (0, len(f.words)) and not asks_where_it_stands(f, ix)
    alone = alone and not _line_across(f, ix, start, end)
    if (start, end) != (0, len(f.words)) and _question_after_context(f, ix, start, end, clause):
        return _keeping_specifics(understand(clause, ix, context), f, ix)
    # ("customer gave verbal approval - is that the 40% stage?": the claim needs what comes before the clause)
    claimed = claim_in(f, ix) if compose.is_yes_no(f) else None
    whole_claim = claimed is not None and (
        claim_in(extract_features(clause, ix), ix) is None or claimed[0] == "in_assignments"
    )  # ("does the ae appear in map, compete, expand and modernize": the whole list is the claim)
    whole_claim = whole_claim or (claimed is not None and claimed[0] == "mcem_focus")  # ("ats mcem focus = map, ...")
    if (
        alone
        and _clause_alone_will_do(f, ix, start, end, clause)
        and not compose.compared_entities(f)
        and not whole_claim
    ):
        # (a comparison's sides may be split by commas: "the AE's job in map, compete and expand")
        # Small talk around the question ("hi, hope all good ... what does the CSAM actually do?"): the
        # question's own clause is read alone, so the cue words of the small talk cannot change it.
        return _keeping_specifics(understand(clause, ix, context), f, ix)
    # "what's the first MCEM stage?" then "and the last?": after an answer about one stage, a bare position
    # is a stage's (its list of roles is not what the seller counts).
    bare = len(f.words) <= 3 and not f.entities and context is not None
    stage_talk = bare and context is not None and context.kind in ("mcem.stage", "mssp.stage", "mcem.owner")
    stage_talk = stage_talk and not (context and context.slots.get("focus"))  # walking a list: "and the last"
    # ("support key steps", "2nd and 3rd?", "4th?": lines were just picked, so a position is among them)
    picked_from = context.slots.get("items", []) if context and context.slots.get("looked_up") == "item" else []
    stage_talk = stage_talk and not any(i[:1] == ["fact"] for i in picked_from)
    readings = (_in_the_other_document, _who_with_the_role_in_context, _collaboration_row, _mssp_aspect_of_mcem_stage)
    about_the_context = _first_reading(readings, f, ix, context) if context is not None else None
    if about_the_context is not None:
        return Understanding(about_the_context, 0.85)
    listed = [tuple(i) for i in context.slots.get("items", []) if _is_item(ix, i)] if context else []
    filtered = _lines_filtered_before(ix, context) if context else []
    if filtered:
        listed = [("fact", i) for i in filtered]  # ("the key step where power agrees?" then "the step after")
    follow_ups = (_line_with_a_word_swapped, _next_run_of_stages, _same_place_in_another_stage)
    follow_up = _first_reading(follow_ups, f, ix, context) if context else None
    if follow_up is not None:
        return Understanding(follow_up, 0.85)
    walked = _walk_list(f, ix, context, listed) if context and listed else None
    if walked:
        return Understanding(walked, 0.85)
    was = _where_it_was(f, ix, context) if context else None
    if was:
        return Understanding(was, 0.85)
    if listed and _counts_the_list(f):
        # "develop checkpoints?" then "how many is that": the number of things just listed.
        return Understanding(Frame("items.count", {"items": [list(i) for i in listed]}), 0.85)
    if context and context.kind in _RELISTED and not listed and _lists_the_list(f):
        domain = context.slots.get("domain")
        kind = "order.list" if context.kind.startswith("order.") else context.kind
        return Understanding(Frame(kind, {"domain": domain} if kind == "order.list" and domain else {}), 0.85)
    if listed and context and _lists_the_list(f):
        # "how many key steps in close" then "list them": the list just counted, again (its lines, or the
        # question about one entity that gave it).
        facts = [key for slot, key in listed if slot == "fact"]
        places = {(ix.graph.facts[i].address.subject, ix.graph.facts[i].address.field) for i in facts}
        one_list = {"checkpoint": "mssp.checkpoints", "key_step": "mssp.key_steps"}
        if len(facts) == len(listed) and len(places) == 1 and next(iter(places))[1] in one_list:
            # ("how many key steps in develop" then "list them": that stage's whole list, in its own card)
            stage, field = next(iter(places))
            return Understanding(Frame(one_list[field], {"mssp_stage": stage}), 0.85)
        if len(facts) == len(listed):
            return Understanding(
                Frame("where", {"facts": facts, "asked": "item", "items": [list(i) for i in listed]}), 0.85
            )
        # (only a question about one entity is asked again as it stands: a list built from lines is not)
        about_one = context.kind.split(".")[0] in ("mssp", "mcem", "unit", "role", "assignment")
        if (
            about_one
            and any(isinstance(context.slots.get(s), str) for s in ENTITY_SLOTS)
            and context.kind in kinds.KINDS
        ):
            return Understanding(context, 0.85)
        if context.kind.startswith("order.") and context.slots.get("domain") in ("mcem", "mssp"):
            return Understanding(Frame("order.list", {"domain": context.slots["domain"]}), 0.85)  # "how many" first
        if context.kind in ("roles.list", "units.list", "assignments.list"):
            return Understanding(Frame(context.kind), 0.85)  # ("how many roles in mcem" then "list them")
    shown = listed
    play = context.slots.get("assignment") if context else None
    if context and context.kind == "assignment.roles" and isinstance(play, str) and play in ix.kb.assignments:
        # ("who's in COMPETE", "same for EXPAND", "which of them aren't in compete": the list is the pair of
        # role assignments, and "them" the roles just shown)
        shown = [("role", r.role) for r in ix.kb.assignments[play].roles]
    sorted_out = _listed_roles_in(f, ix, shown) if shown else None
    if sorted_out:
        return Understanding(sorted_out, 0.85)
    narrowed = _those_that_mention(f, ix, context) if context else None
    if narrowed:
        return Understanding(narrowed, 0.85)
    other_words = _other_filter(f, ix, context) if context and not any(t != "glossary" for t in f.entities) else None
    if other_words:
        return Understanding(other_words, 0.85)
    listed_field = {"mssp.checkpoints": "checkpoint", "mssp.key_steps": "key_step"}.get(context.kind if context else "")
    picked_at = [o.position for o in compose.ordinals(f) if o.position and not o.offset]
    named_stage = f.entities.get("mssp_stage", [])
    if listed_field and picked_at and len(named_stage) == 1 and not f.cues & ASPECT_CUES:
        # "solution stage checkpoint?" then "and proof's first one?": that place in the same list of another stage.
        return Understanding(
            Frame("mssp.item", {"mssp_stage": named_stage[0], "field": listed_field, "position": picked_at[0]}), 0.85
        )
    in_context = context.slots.get("mssp_stage") if context else None
    sub_step = any(w.startswith("sub") for w in f.words)  # "the first sub-step" is a step's own list
    # ("the third sub-step?"; not "sub steps of the first one", a key step's own list)
    sub_placed = any(f.words[o.end : o.end + 1] and f.words[o.end].startswith("sub") for o in compose.ordinals(f))
    stage_in_context = in_context in {s.id for s in ix.kb.mssp_stages}
    if sub_placed and isinstance(in_context, str) and stage_in_context and not f.entities.get("mssp_stage"):
        # "solution key steps" then "the third sub-step?": counted among that stage's sub-steps
        sub = _sub_steps(compose.with_entity(f, "mssp_stage", in_context), ix)
        if sub is not None:
            return Understanding(sub, 0.85)
    if isinstance(in_context, str) and not f.entities.get("mssp_stage") and f.has("checkpoints", "key_steps"):
        # "Demand Generation checkpoints?" then "and the last key step there?": a line of that stage.
        stage = in_context
        offset = next((o.offset for o in compose.ordinals(f) if o.offset), 0)
        if not offset and f.has("stage_word"):
            offset = 1 if f.has("next") else -1 if f.has("previous") else 0  # "... of the stage after that"
        if offset and in_context in [s.id for s in ix.kb.mssp_stages]:
            # "and the first key step of the stage after that": a line of the neighbouring stage.
            ids = [s.id for s in ix.kb.mssp_stages]
            at = ids.index(in_context) + offset
            stage = ids[at] if 0 <= at < len(ids) else in_context
        item = None if sub_step else _stage_item(compose.with_entity(f, "mssp_stage", stage), ix)
        if item:
            return Understanding(item, 0.85)
    if context and context.slots.get("items") and not stage_talk:
        # "the second of those": a position in the previous answer's list, before a position among stages.
        picked = _pick_from_list(f, ix, context)
        if picked:
            return Understanding(picked, 0.85)
    nth_with = nth_stage_with(f, ix) or position_across_the_document(f, ix)
    if nth_with is not None:
        return Understanding(nth_with, 0.85)
    f = nth_of_the_named(f)
    domain = domain_asked(f, context)
    gaps: list[str] = []
    offset_from: str | None = None
    if context and not f.entities.get("mssp_stage") and not f.entities.get("mcem_stage"):
        # "and two before that?": an offset counts from the stage the conversation is about.
        anchor = next(((s, context.slots[s]) for s in ("mssp_stage", "mcem_stage") if s in context.slots), None)
        if anchor and any(o.offset for o in compose.ordinals(f)):
            f = compose.with_entity(f, anchor[0], anchor[1])
            offset_from = anchor[0]
    ranged = stage_range(f, ix, domain) or run_of_stages_after(f, ix)
    if ranged:
        confidence, unknown_gaps = _penalise_unknown(f, ix, ranged, 0.9)  # "... and the usual conversion rate"
        # ("how long from qualify to close typically": how long is all it asks, and no timings are given)
        timing = [g for g in _gaps(f, ix) if "how long a stage takes" in g]
        if timing and not ranged.slots.get("aspect") and not ranged.slots.get("aspects"):
            return Understanding(Frame("not_covered", {"gaps": timing, "domain": domain}), 0.9)
        unknown_gaps += timing
        return Understanding(compose.normalise_frame(ranged, unknown_gaps), confidence)
    undocumented = _position_in_either_document(f, ix) if domain is None else None
    if isinstance(undocumented, Frame):
        return Understanding(undocumented, 0.85)
    resolved = compose.resolve_ordinal(f, ix, undocumented or domain)
    if resolved:
        f, gaps = resolved
        if gaps and f.entities.get("unit") and not f.entities.get("role"):
            # "the 3rd role in the STU": there is none, and the unit's roles are what the guide has
            return Understanding(
                compose.normalise_frame(Frame("unit.roles", {"unit": f.entities["unit"][0]}), gaps), 0.9
            )
        if gaps:  # "who owns stage 7 of MCEM": there is no such stage to answer about
            return Understanding(Frame("not_covered", {"gaps": gaps, "domain": domain}), 0.9)
        if context and offset_from and context.kind in ("order.next", "order.previous") and not f.cues & ASPECT_CUES:
            # "stage after develop?" then "and two after that?": the stage two on, itself (not its neighbour).
            return Understanding(Frame(_STAGE_KIND[offset_from], {offset_from: f.entities[offset_from][0]}), 0.85)
        if context and offset_from and f.has("compare"):
            # "Solution vs Proof" asked with an offset: "probability of Qualify" then "compare with two stages later"
            compared = _compared_with_context(f, ix, context, offset_from, f.entities[offset_from][0])
            if compared:
                return Understanding(compared, 0.85)
        if context and offset_from and context.kind in _STAGE_ASPECT_KINDS and not f.cues & ASPECT_CUES:
            # "what % is Qualify?" then "two stages later?": the same question about the stage two on.
            return Understanding(Frame(context.kind, {offset_from: f.entities[offset_from][0]}), 0.85)
    gaps += _gaps(f, ix)
    if f.has("maps_to") and any("line up with the MCEM stages" in g for g in gaps):
        # "which MCEM stage is the same as Proof?": the mapping is the whole question, and not there.
        return Understanding(Frame("not_covered", {"gaps": gaps, "domain": "mcem"}), 0.9)
    if compose.gap_for_job_title(f, ix) and not any(t != "glossary" for t in f.entities):
        # "which unit is the partner manager in?": about a role the guide does not have, nothing else.
        return Understanding(Frame("not_covered", {"gaps": gaps}), 0.9)
    composed = _compose(f, ix, context)
    if composed and composed[0].kind == "compare":
        # "Prospect probability and the usual conversion rate": what the documents lack is named.
        confidence, unknown_gaps = _penalise_unknown(f, ix, composed[0], composed[1])
        composed = (composed[0], confidence)
        gaps = gaps + unknown_gaps
    if composed and composed[0].kind not in ("compare", "situation", "yesno", "both") and question_unknowns(f, ix):
        # "renewal process after support? last support checkpoint": the part asked apart is named as missing
        # (the composed reading keeps its confidence)
        gaps = gaps + [g for g in _penalise_unknown(f, ix, composed[0], 0.9)[1] if g not in gaps]
    if composed:
        return Understanding(
            compose.normalise_frame(composed[0], gaps), composed[1], unknown_words=tuple(question_unknowns(f, ix))
        )
    frame, confidence = _explicit(f, ix, context)
    if context:
        resolved_frame = _with_context(f, ix, context, frame, confidence)
        if resolved_frame:
            frame, confidence = resolved_frame, 0.85
    if frame is None:
        if gaps:
            return Understanding(Frame("not_covered", {"gaps": gaps, "domain": domain}), 0.9)
        return Understanding(Frame("unknown"), 0.0, _alternatives(f), unknown_words=tuple(question_unknowns(f, ix)))
    lacking = _thing_the_stage_lacks(f, ix, frame)
    if lacking:
        # "what template do we use in Develop?": that its lines say nothing about one, then the lines that
        # share a word with what was asked ("Review list of potential partners"), or else the stage.
        missing, related = lacking
        if related:
            frame = Frame("where", {"facts": related[:6], "asked": "item"})
        return Understanding(
            compose.normalise_frame(frame, [*gaps, missing]), 0.8, unknown_words=tuple(question_unknowns(f, ix))
        )
    confidence, unknown_gaps = _penalise_unknown(f, ix, frame, confidence)
    return Understanding(
        compose.normalise_frame(frame, gaps + unknown_gaps), confidence, unknown_words=tuple(question_unknowns(f, ix))
    )


_ORDER_VERBS = frozenset({"comes", "come", "follows", "follow", "happens", "goes", "sits", "is", "are", "after",
                          "before"})  # fmt: skip


def _thing_the_stage_lacks(f: Features, ix: KnowledgeIndex, frame: Frame) -> tuple[str, list[int]] | None:
    """ "which partner program do we use in Qualify?": when no line of the stage mentions the thing asked for
    ("partner program"), a sentence saying so and the stage's lines that share a word with it."""
    if frame.kind != "mssp.stage" or f.words[:1] not in (["which"], ["what"], ["whats"]):
        return None
    marked = {i for s, e, _, _ in f.spans for i in range(s, e)}
    marked |= {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    marked |= {i for o in compose.ordinals(f) for i in range(o.start, o.end)}  # "the second-to-last stage"
    marked |= {i for i, w in enumerate(f.words) if compose.ordinal_position(w) is not None}
    thing: list[str] = []
    for i in range(1, min(len(f.words), 5)):
        word = f.words[i]
        if not thing and word in ("specific", "exact", "particular", "kind", "type", "of", "the", "a", "an"):
            continue
        if i in marked or word in ix.kb.lexicon.stopwords:
            break
        thing.append(word)
    if not thing or thing[0] in _ORDER_VERBS:
        return None  # ("what comes 2 stages after prospect": an order, not a thing)
    stage = ix.kb.mssp_stage(frame.slots["mssp_stage"])
    lines = [i for field in ("objective", "verifiable_outcome", "checkpoint", "key_step", "sub_step")
             for i in ix.graph.facts_of(stage.id, field)]  # fmt: skip
    if any(stem(thing[-1]) in ix.graph.facts[i].stems for i in lines):
        return None
    related = [i for i in lines if {stem(w) for w in thing} & ix.graph.facts[i].stems]
    return f"The MSSP document doesn't say anything about a {' '.join(thing)} in {stage.name}.", related


_REVERSE_STAGE = ("which stage", "what stage", "where", "when", "at what point", "in which", "which step",
                  "what step", "which part", "which phase", "what phase", "the stage where")  # fmt: skip
_REVERSE_WHO = ("who", "which role", "what role", "whose", "whos", "which unit", "what unit")


_UNIT_DESCRIBERS = frozenset({
    "accountable", "same", "other", "owning", "next", "previous", "first", "second", "third", "last", "whole",
    "entire", "each", "every", "which", "that", "this", "one", "mcem", "right", "correct", "wrong", "respective",
    "business", "their", "its",
})  # fmt: skip


def _unknown_unit(f: Features) -> str | None:
    """ "compare the ATU with the partner unit": a unit the guide does not have, set beside one it has."""
    named = {i for s, e, _, _ in f.spans for i in range(s, e)}
    if not f.entities.get("unit"):
        return None
    for i in range(1, len(f.words) - 1):
        w = f.words[i]
        if f.words[i + 1] != "unit" or f.words[i - 1] not in ("the", "a", "an") or i in named:
            continue
        if w.isalpha() and w not in _UNIT_DESCRIBERS:
            return w
    return None


# Things the documents do enumerate: "which checkpoints", "which roles" are answered by listing them.
_ENUMERATED = frozenset({
    "stage", "stages", "phase", "phases", "role", "roles", "unit", "units", "checkpoint", "checkpoints", "step",
    "steps", "key", "outcome", "outcomes", "objective", "objectives", "criteria", "criterion", "exit",
    "responsibilities", "responsibility", "assignment", "assignments", "sub", "substeps", "acronym", "acronyms",
    "document", "documents", "probability", "probabilities", "one", "ones", "part", "parts", "task", "tasks",
    "line", "lines", "row", "rows", "focus", "job", "jobs", "team", "person", "order", "way", "of", "the", "a",
})  # fmt: skip


def _keeping_specifics(read: Understanding, f: Features, ix: KnowledgeIndex) -> Understanding:
    """A clause read alone, still saying what the rest of the message asked that the documents never list
    ("last support key step says update the system - which system exactly?")."""
    gaps = list(read.frame.slots.get("gaps", []))
    if not read.answerable or read.frame.kind in kinds.CONVERSATION:
        return read
    more = []
    # ("what does the Delivery Manager do, and the AE": a title outside the clause the guide does not have)
    title = compose.gap_for_job_title(f, ix)
    if title and not any(title in g for g in gaps):
        more += [g for g in _gaps(f, ix) if f"\u201c{title}\u201d" in g.lower() or title in g.lower()]
    specifics = _unlisted_specifics(f, ix)
    if specifics and specifics not in gaps:
        more.append(specifics)
    # "key steps of close, and the SLA for getting it signed": words asked outside the clause that the
    # documents never use
    unknown = [w for w in question_unknowns(f, ix) if w not in read.unknown_words and not any(w in g for g in gaps)]
    if unknown and not specifics:
        said = ", ".join(f"\u201c{w}\u201d" for w in unknown[:3])
        more.append(f"The documents don't say anything about {said}.")
    if not more:
        return read
    return Understanding(compose.normalise_frame(read.frame, [*gaps, *more]), read.confidence, read.alternatives)


def _unlisted_specifics(f: Features, ix: KnowledgeIndex) -> str | None:
    """ "which baseline metrics do we need", "which system exactly", "examples of a compelling event": the
    documents name the thing but never list or specify it."""
    words = f.words
    cued = {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    for i, w in enumerate(words[:-1]):
        if w == "examples" or (w == "example" and words[i + 1 : i + 2] == ["of"]):
            thing = [x for x in words[i + 1 : i + 5] if x not in ("of", "a", "an", "the")][:3]
            if thing:
                return f"The documents give no examples of \u201c{' '.join(thing)}\u201d."
        if w in ("which", "what") and words[i + 1] not in _ENUMERATED and words[i + 1].isalpha():
            thing = []
            for j, x in enumerate(words[i + 1 : i + 4], i + 1):
                if x in _ENUMERATED or x in ix.kb.lexicon.stopwords or x in compose.WH_WORDS or j in cued:
                    break  # ("which win probability exactly": the probability is what the documents give)
                thing.append(x)
            exactly = "exactly" in words or "specifically" in words or "specific" in words
            said = " ".join(thing)
            in_a_line = thing and all(compose.stem(x) in ix.graph.by_stem for x in thing)
            if thing and in_a_line and (exactly or (len(thing) >= 2 and thing[-1].endswith("s"))):
                return f"The documents don't say which {said}: they name no more than that."
    return None


def _gaps(f: Features, ix: KnowledgeIndex) -> list[str]:
    """Parts of the question the documents do not cover, each as a sentence to say before the answer."""
    kb = ix.kb
    gaps = []
    specifics = _unlisted_specifics(f, ix)
    if specifics:
        gaps.append(specifics)
    unknown_stage = stage_unknown(f, ix)
    if unknown_stage:
        mssp_names = ", ".join(s.name for s in kb.mssp_stages)
        mcem_names = ", ".join(s.name for s in kb.mcem_stages)
        unknown_name = unknown_stage[:1].upper() + unknown_stage[1:]
        gaps.append(
            f"There is no \u201c{unknown_name}\u201d stage in either document (MSSP: {mssp_names}; MCEM: {mcem_names})."
        )
    unknown_unit = _unknown_unit(f)
    if unknown_unit:
        units = ", ".join(u.acronym for u in kb.units.values())
        gaps.append(f"The MCEM guide has no \u201c{unknown_unit} unit\u201d (its units are {units}).")
    person = _person_asked(f)
    if person:
        gaps.append(
            f"The documents don't say who the {kb.roles[person].acronym} is on a given account: they describe the "
            "role, not the people in it."
        )
    title = compose.gap_for_job_title(f, ix)
    if title:
        # ("who's the ATU manager": the unit named in the title has roles of its own, not the guide's six)
        unit = next((u for u in kb.units.values() if u.acronym.lower() in title.split()), None)
        shown = " ".join(unit.acronym if unit and w == unit.acronym.lower() else w for w in title.split())
        article = "an" if shown[:1].lower() in "aeiou" else "a"
        listed = ", ".join(kb.roles[r].acronym for r in unit.roles) if unit else ""
        every = ", ".join(r.acronym for r in kb.roles.values())
        whose = f" (the {unit.acronym}'s roles are {listed})" if unit else f" (its roles are {every})"
        if not unit and (f.entities.get("unit") or f.entities.get("role")):
            whose = ""  # ("is there a partner manager role? who's in stu": the rest of the answer names roles)
        gaps.append(f"The MCEM guide doesn't name {article} \u201c{shown}\u201d role{whose}.")
    mssp = f.entities.get("mssp_stage", [])
    roles_named = f.entities.get("role", []) + [g for g in f.entities.get("group", []) if g == "ce"]
    at = next((s.id for s in kb.mssp_stages if f.percents and s.probability == f.percents[0]), None)
    if (mssp or at) and roles_named and not f.entities.get("mcem_stage") and not f.entities.get("assignment"):
        stage_name = kb.mssp_stage(mssp[0] if mssp else str(at)).name
        who = " or ".join(f"the {kb.roles[r].acronym if r in kb.roles else 'CE'}" for r in roles_named[:2])
        gaps.append(
            f"The MSSP document doesn't name roles for its stages, so it doesn't say what {who} does in {stage_name}."
        )
    mcem = f.entities.get("mcem_stage", [])
    mcem_asked = bool(mcem) or ("mcem" in f.words and not mssp)
    mcem_at = [(st, e) for st, e, kind, _ in f.spans if kind == "mcem_stage"]

    def said_of_mcem(aspect: str) -> bool:
        """The aspect is asked of an MCEM stage: no MSSP stage is named, or the cue stands next to the MCEM
        stage ("Close vs Empower & Achieve probability", "is Inspire & Design a higher probability")."""
        near = any(st - 3 <= s <= e + 3 for s, _ in f.cue_spans.get(aspect, []) for st, e in mcem_at)
        # "probability of Proof and of Realize Value": the aspect, then a list of stages it is asked of
        named_at = {i for s, e, _, _ in f.spans for i in range(s, e)}
        listed = any(
            all(i in named_at or f.words[i] in ("of", "for", "the", "and", "stage", "stages") for i in range(e, st))
            for _, e in f.cue_spans.get(aspect, [])
            for st, _ in mcem_at
            if e <= st
        )
        return not mssp or near or listed

    if mcem_asked:
        for aspect, label, plural in (
            ("probability", "a probability", "probabilities"),
            ("checkpoints", "checkpoints", "checkpoints"),
            ("key_steps", "key steps", "key steps"),
            ("objective", "a sales stage objective", "sales stage objectives"),
            ("outcome", "a verifiable outcome", "verifiable outcomes"),
        ):
            # "outcome" alone is the Realize Value exit criterion's word, "next steps" Manage & Optimize's:
            # "verifiable outcome" and "key steps" are MSSP's.
            said = f.has(aspect) and (aspect != "outcome" or "verifiable" in f.words)
            said = said and (aspect != "key_steps" or "key" in f.words) and said_of_mcem(aspect)
            said = said and (aspect != "objective" or bool(mcem))  # ("the goal of MCEM" asks what MCEM is for)
            if said or (aspect == "probability" and f.percents and not mssp):
                gaps.append(
                    f"The MCEM guide doesn't give its stages {label} ({plural} belong to the MSSP sales stages)."
                )
                break
    plays = f.entities.get("assignment", [])
    # ("who owns the change management plan in MODERNIZE" asks for a task's role, not the unit)
    owns_a_task = plays and compose.find_mention(content_features(f), ix, 0.5, within=plays[0]) is not None
    if plays and f.has("owner", "unit_word", "belongs") and not roles_named and not owns_a_task:
        play = ix.kb.assignments[plays[0]].name
        gaps.append(f"The MCEM guide doesn't say which unit owns {play}: it names only the roles involved.")
    if f.has("count") and roles_named and not f.has("stage_word"):
        gaps.append("The MCEM guide doesn't say how many people of a role an account has.")
    elif f.has("count") and (any(t != "glossary" for t in f.entities) or _mentions_a_line(f, ix)):
        counted = _counted_thing(f)
        if counted:
            # "how many partners should we select in develop": the documents give no such number.
            gaps.append(f"The documents don't give a number of {counted}.")
    if mssp and (f.words[:1] == ["who"] or f.has("who")) and not roles_named and not f.has("owner"):
        gaps.append(
            f"The MSSP document doesn't name who does what in {kb.mssp_stage(mssp[0]).name}: it names no roles."
        )
    if (
        mssp
        and compose.exit_asked(f)
        and (f.cues & {"outcome", "checkpoints", "key_steps", "objective", "probability"})
        and not _cue_inside_a_line(f, ix, "exit")
    ):
        gaps.append(_mssp_has_no_exit(kb.mssp_stage(mssp[0]).name))
    units_asked = f.entities.get("unit", [])
    if mcem and units_asked and f.has("does") and not roles_named and kb.mcem_stage(mcem[0]).unit != units_asked[0]:
        # "what does the CSU do during Listen & Consult": the guide gives that stage to another unit.
        stage = kb.mcem_stage(mcem[0])
        gaps.append(
            f"The MCEM guide doesn't say what the {kb.units[units_asked[0]].acronym} does in {stage.name}: "
            f"that stage is the {kb.units[stage.unit].acronym}'s."
        )
    without_focus = [r for r in roles_named if r in kb.roles and not kb.roles[r].mcem_focus]
    if without_focus and f.has("mcem_focus"):
        # "the SE's MCEM focus compared with the CSA's": the SE has none in the guide.
        gaps.append(
            f"The MCEM guide doesn't give the {kb.roles[without_focus[0]].acronym} an MCEM focus: the "
            f"{kb.roles[without_focus[0]].acronym} has no entry in its Role Definitions."
        )
    if mcem and roles_named and f.has("does") and not f.has("owner"):
        who = kb.roles[roles_named[0]].acronym if roles_named[0] in kb.roles else "CE"
        gaps.append(
            f"The MCEM guide doesn't say what the {who} does in {kb.mcem_stage(mcem[0]).name}: it gives each stage "
            "an accountable unit, not tasks by role."
        )
    owner_asked = f.has("owner") or f.has("unit_word")
    if mssp and owner_asked and not f.entities.get("mcem_stage") and not roles_named:
        gaps.append(
            f"The MSSP document doesn't say who owns {kb.mssp_stage(mssp[0]).name}: it names no owners or roles "
            "(accountable units own the MCEM stages)."
        )
    units_named = f.entities.get("unit", [])
    mssp_asked = "mssp" in f.words or f.has("mssp_context")
    if (units_named or roles_named) and mssp_asked and owner_asked and not mssp and not f.entities.get("mcem_stage"):
        who = (
            kb.units[units_named[0]].acronym
            if units_named
            else (kb.roles.get(roles_named[0]) or kb.groups["ce"]).acronym
        )
        gaps.append(
            f"The MSSP document doesn't give its stages owners or roles, so no MSSP stage is the {who}'s; "
            "the MCEM guide gives the accountable units MCEM stages."
        )
    if plays and f.has("exit") and not mssp and not mcem and not _cue_inside_a_line(f, ix, "exit"):
        play = ix.kb.assignments[plays[0]].name
        gaps.append(
            f"The MCEM guide doesn't give {play} exit criteria: it is a role assignment, not one of the MCEM stages."
        )
    units_here = f.entities.get("unit", [])
    if "ce" in f.entities.get("group", []) and f.has("mcem_focus"):
        gaps.append("The MCEM guide doesn't give the CE an MCEM focus: it defines the CE only in its overview.")
    if "ce" in f.entities.get("group", []) and units_here:
        unit_name = kb.units[units_here[0]].acronym
        gaps.append(f"The MCEM guide doesn't say the CE is in the {unit_name}: it places the CE in no unit.")
    for role_id in f.entities.get("role", [])[:1]:
        actual = kb.unit_of_role(role_id)
        if units_here and actual and actual.id != units_here[0] and f.has("belongs") and not compose.is_yes_no(f):
            # "since the SSP sits in the ATU, ...": a premise the guide contradicts.
            gaps.append(
                f"The {kb.roles[role_id].acronym} isn't in the {kb.units[units_here[0]].acronym}: "
                f"the MCEM guide puts it in the {actual.acronym} ({actual.name})."
            )
    if plays and (f.has("probability", "checkpoints", "key_steps") or f.percents):
        play = ix.kb.assignments[plays[0]].name
        gaps.append(
            f"The MCEM guide doesn't give {play} a probability, checkpoints or key steps: it is a role assignment, "
            "not an MSSP sales stage."
        )
    mssp_side = mssp or f.rejected.get("mssp_stage") or "mssp" in f.words
    mcem_side = mcem or "mcem" in f.words
    # "which mssp stage is Realize Value in": a stage of one document asked as a stage of the other.
    asks_which_stage = f.has("stage_word") and bool({"which", "what", "whats"} & set(f.words[:3]))
    placed_in_other = asks_which_stage and (
        (bool(mcem) and "mssp" in f.words and not mssp) or (bool(mssp) and "mcem" in f.words and not mcem)
    )
    mapped = mssp_side and mcem_side and (mssp or mcem or f.rejected.get("mssp_stage")) and f.has("maps_to")
    if mapped or placed_in_other:
        gaps.append("The documents don't say how the MSSP stages line up with the MCEM stages.")
    start, end, _ = question_clause(f, ix)
    # ("... how many days does the customer get? which stage is that": a question of its own asks it too)
    asked = [set(normalize(q).split()) for q in re.findall(r"[^?]+\?", f.original)]
    # ("exit criteria of E&A, and how long should it take in weeks": "how long" / "how many weeks" asks anywhere)
    asked_how_long = any(
        start <= s < end
        or any(set(f.words[s:e]) <= q for q in asked)
        or "how" in f.words[s:e]
        or f.words[max(0, s - 2) : s] == ["how", "many"]
        for s, e in f.cue_spans.get("duration", [])
    )
    named_stages = mssp or mcem or f.rejected.get("mssp_stage")  # "between proof and close": everyday words too
    if asked_how_long and (named_stages or plays or f.entities.get("glossary") or f.percents):
        gaps.append("The documents don't say how long a stage takes or give any timings.")
    elif asked_how_long and (f.entities or _mentions_a_line(f, ix)):
        # "how long is the handover from STU to CSU": no timing anywhere in either document.
        gaps.append("The documents don't say how long it takes: they give no timings.")
    return gaps


_OURS = frozenset({"our", "my", "your"})


def _mssp_has_no_exit(stage: str) -> str:
    return (
        f"The MSSP document doesn't give its stages exit criteria (those belong to the MCEM stages); "
        f"{stage} ends with its verifiable outcome."
    )


def _cue_inside_a_line(f: Features, ix: KnowledgeIndex, cue: str) -> bool:
    """ "supportability review completed is support's vo right": the cue's words ("completed") are words of the
    line the message says, not a question of their own."""
    line = compose.find_mention(content_features(f), ix, min_coverage=0.9)
    if line is None:
        return False
    stems = ix.graph.facts[line.facts[0]].stems
    return all(set(f.stems[s:e]) <= stems for s, e in f.cue_spans.get(cue, []))


def _person_asked(f: Features) -> str | None:
    """The role of which the question asks for a person ("who is Fabrikam's ATS", "which person is the AE
    for Contoso", "who's the named CSA we should loop in"): the documents describe roles, never who holds them."""
    for start, end, kind, role in f.spans:
        if kind != "role":
            continue
        before = f.words[max(0, start - 2) : start]
        before = before[1:] if before[:1] == ["the"] else before
        after = f.words[end : end + 2]
        clause = f.words[max(0, start - 8) : end + 4]
        # Who someone is ("who is / who's ..."), not what a role does ("who supports my AE", "who are the
        # people the AE works with").
        # ("who's the named CSA" reads "who the named csa")
        identity = any(
            w == "whos" or (w == "who" and clause[i + 1 : i + 2] in (["is"], ["the"], ["our"], ["my"], ["your"]))
            for i, w in enumerate(clause)
        )
        which_person = "which" in clause and bool({"person", "individual"} & set(clause))
        possessive = bool(before) and (before[-1] in _OURS or (before[-1] in f.unknown and before[-1].endswith("s")))
        # ("the AE for Contoso": a customer's name the documents never use)
        for_a_customer = after[:1] in (["for"], ["at"], ["on"]) and after[1:] and after[1] in f.unknown
        if (identity and (possessive or for_a_customer or "named" in clause)) or which_person:
            return role
    return None


def _line_words(f: Features, ix: KnowledgeIndex) -> str | None:
    """The words of a message that a line of the documents also says ("keep the RAID logs" -> "raid logs")."""
    mention = compose.find_mention(content_features(f), ix, 0.5)
    if mention is None:
        return None
    stems = ix.graph.facts[mention.facts[0]].stems
    shared = [w for w, s in zip(f.words, f.stems, strict=True) if s in stems and w not in ix.kb.lexicon.stopwords]
    return " ".join(shared) or None


_FEW_LINES = 1  # (a word of one line names it; "event" of two lines names neither)


def _words_the_documents_use(f: Features, ix: KnowledgeIndex) -> str | None:
    """The message's content words that only one line of the documents uses (so they name that line), in the
    message's order."""
    content = compose.content_stems(content_features(f), ix)
    said = [
        w for w, s in zip(f.words, f.stems, strict=True)
        if s in content and 0 < len(ix.graph.by_stem.get(s, ())) <= _FEW_LINES and w not in ix.kb.lexicon.stopwords
    ]  # fmt: skip
    return " ".join(dict.fromkeys(said)) or None


def _mentions_a_line(f: Features, ix: KnowledgeIndex) -> bool:
    """The message says what a line of the documents says ("the qualification v-team", "verbal approval")."""
    return compose.find_mention(content_features(f), ix, 0.5) is not None


# What the documents can be counted by: their stages, lines and entities.
_COUNTABLE = {
    "stage", "stages", "checkpoint", "checkpoints", "step", "steps", "key", "outcome", "outcomes", "objective",
    "objectives", "role", "roles", "unit", "units", "assignment", "assignments", "play", "plays", "criteria",
    "criterion", "acronym", "acronyms", "thing", "things", "item", "items", "line", "lines", "document",
    "documents", "methodology", "methodologies", "phase", "phases", "task", "tasks", "responsibilities", "sub",
    "substeps", "mcem", "mssp", "sales", "verifiable", "exit", "accountable", "different", "total",
}  # fmt: skip


def _counted_thing(f: Features) -> str | None:
    """The noun a "how many ..." asks a number of, when it is something the documents never count
    ("partners", "deals", "meetings"); None for what they do list, and for named entities."""
    named = {i for s, e, _, _ in f.spans for i in range(s, e)}
    for _start, end in f.cue_spans.get("count", []):
        for i in range(end, min(end + 2, len(f.words))):
            word = f.words[i]
            if word in ("of", "the", "a", "an"):
                continue
            if i in named or word in _COUNTABLE or not word.isalpha() or len(word) < 4:
                return None
            return word
    return None


_RELISTED = frozenset({"order.count", "order.list", "roles.list", "units.list", "assignments.list"})


def _list_follow_up(f: Features, context: Frame) -> bool:
    if context.kind in _RELISTED and _lists_the_list(f):
        return True  # ("how many stages" then "list them")
    listed = bool(context.slots.get("items"))
    return listed and bool(
        compose.ordinals(f)
        or _rest_asked(f)
        or SUPERLATIVES & set(f.words)
        or _bare_number(f) is not None
        or _lists_the_list(f)
    )


def _bare_number(f: Features) -> int | None:
    """ "dg key steps", "the 4th?", then "and 9?": a number alone is the next place asked for."""
    said = [w for w in f.words if w not in ("and", "the", "what", "about", "number", "no")]
    return int(said[0]) if len(said) == 1 and said[0].isdigit() and len(said[0]) <= 2 else None


def _compose(f: Features, ix: KnowledgeIndex, context: Frame | None) -> tuple[Frame, float] | None:
    """Readings built from parts (knowledge/compose.py); None leaves the question to the single rules."""
    # ("contract and SOW done but the support plan isnt. can we call this stage finished?": a yes/no about the
    # deal's progress is where it stands, not a claim about a line)
    progress_asked = f.has("situation") and min(s for s, _ in f.cue_spans["situation"]) > 3
    claimed = stage_claimed_for_the_deal(f, ix) if compose.is_yes_no(f) else None
    if claimed is not None:
        return claimed, 0.9
    if compose.is_yes_no(f) and not (progress_asked and compose.situation(f, ix) is not None):
        claim = contrasted(f, claim_asked(f, ix), ix)
        if claim:
            # (an order claim's verdict names both neighbours; "what comes after Deploy" was not asked)
            inner = None if claim[0] == "order" else _explicit(f, ix, None)[0]
            return Frame("yesno", {"claim": claim, "inner": inner.to_dict() if inner else None}), 0.9
    if context and context.slots.get("items"):
        picked = _aspect_of_items(f, ix, context)
        if picked:
            return picked, 0.85
    # Readings of one shape each, tried in order: the first that applies answers.
    for reading in (
        lambda: _stage_finished(f),
        lambda: _which_of_the_assignments(f, ix),
        lambda: _line_next_to(f, ix),
        lambda: _quoted_line(f, ix),
        lambda: _sub_steps(f, ix),
        lambda: _stage_item(f, ix) or _role_item(f, ix),
        lambda: _lines_side_by_side(f, ix),
        lambda: _bare_line(f, ix),
        lambda: _stage_lists(f),
        lambda: _one_stage_filtered(f, ix),
        lambda: _where_in_the_stage(f, ix),
        lambda: roles_by_focus(f, ix),
        lambda: _collaboration_row_named(f, ix),
        lambda: _needed_before_moving_to(f, ix),
    ):
        frame = reading()
        if frame:
            return frame, 0.9
    stages_named = f.entities.get("mssp_stage", [])
    if len(stages_named) == 1 and not _aspect(f) and not f.has("owner", "exit", "next", "previous", "compare"):
        line = compose.find_mention(content_features(f), ix, min_coverage=0.75, within=stages_named[0])
        shared = compose.content_stems(content_features(f), ix) & ix.graph.facts[line.facts[0]].stems if line else set()
        if line and len(shared) >= 2:
            # ("who do we review the proposal/SOW with in proof": every line of the stage with those words,
            # "... with services signature authority" and "... with power")
            alike = [
                i for field in ("checkpoint", "key_step", "sub_step") for i in ix.graph.facts_of(stages_named[0], field)
                if shared <= ix.graph.facts[i].stems and i not in line.facts
            ]  # fmt: skip
            return Frame("where", {"facts": [*line.facts[:3], *alike][:4], "asked": "item"}), 0.85
    # ("at 80%, what do i need before it moves on": what is needed where the deal is, not the stage before)
    needed = _asks_what_is_needed(f) and not any(o.offset for o in compose.ordinals(f))
    neighbour_asked = f.has("next", "previous") and not needed
    if f.percents and neighbour_asked and not f.entities.get("mssp_stage"):
        # "the stage after the 40% one": the stage at that probability, then its neighbour.
        at = next((s for s in ix.kb.mssp_stages if s.probability == f.percents[0]), None)
        offsets = [o.offset for o in compose.ordinals(f) if abs(o.offset) > 1]
        if at is not None and offsets:
            # "which stage is two after the 60% one": offsets from the stage at that probability.
            stages = ix.kb.mssp_stages
            target = at.position + offsets[0]
            if not 0 <= target < len(stages):
                word = "after" if offsets[0] > 0 else "before"
                gap = f"The MSSP document has {len(stages)} stages, so none is {abs(offsets[0])} {word} {at.name}."
                return Frame("not_covered", {"gaps": [gap], "domain": "mssp"}), 0.9
            return Frame("mssp.stage", {"mssp_stage": stages[target].id}), 0.9
        if at is not None:
            aspect = _aspect(f)
            neighbour = ix.kb.next_mssp(at) if f.has("next") else ix.kb.previous_mssp(at)
            percent_at = next((i for i, w in enumerate(f.words) if f.percents[0] in (w, w + "%")), -1)
            beside = {"after", "before", "following", "preceding"} & set(f.words[max(0, percent_at - 4) : percent_at])
            if aspect and aspect != "probability" and neighbour is not None and bool(beside):
                # ("the stage after the 80% one, key steps?": that stage's key steps)
                return Frame(MSSP_ASPECTS[aspect], {"mssp_stage": neighbour.id}), 0.9
            return Frame("order.next" if f.has("next") else "order.previous", {"mssp_stage": at.id}), 0.9
    between = stages_between(f, ix)
    if between:
        return between, 0.9
    within = _lines_in_stages(f, ix)
    if within is not None:
        return within, 0.9
    everything_but = all_but(f, ix)
    if everything_but is not None:
        return everything_but, 0.9
    units_roles = each_role(f, ix) if f.entities.get("unit") else None
    if units_roles is not None:
        return units_roles, 0.9  # ("each role in the ATU and CSU with its mcem focus": roles, not the units)
    pair = compose.compared_entities(f) or stages_compared_by_probability(f, ix)
    compared_lines = _compared_lines(f, ix, pair)
    if compared_lines is not None:
        return compared_lines, 0.9
    if pair and pair[0] == "role" and f.has("together") and all(r in ix.kb.roles for r in pair[1]):
        # "csa vs csam in the how they work together table": each role's row of that table.
        rows = [Frame("collaboration", {"role": r}).to_dict() for r in pair[1][: kinds.MAX_PARTS]]
        return Frame("both", {"parts": rows}), 0.9
    roles_named = f.entities.get("role", [])
    if pair and pair[0] == "assignment" and len(roles_named) == 1 and "which" in f.words[:3] and not f.has("compare"):
        # "which of map/compete/expand/modernize is the ATS listed in": the role assignments that name the role
        return Frame("role.assignments", {"role": roles_named[0]}), 0.9
    if pair and not (f.has("next", "previous") and not f.has("compare")):
        slot, ids = pair
        frame = Frame("compare", {"type": slot, "ids": ids, "aspect": compare_aspect(f, slot)})
        if "same" in f.words and slot in ("mcem_stage", "role") and f.has("owner", "unit_word", "belongs"):
            # ("are L&C and I&D owned by the same unit", "ssp vs se, both in the same unit?"): yes or no first
            frame.slots["same_unit"] = True
            # (", what's the diff": the whole comparison after the verdict)
            differ = bool({"diff", "difference", "differences", "differ", "different"} & set(f.words))
            frame.slots["aspect"] = None if differ else "owner" if slot == "mcem_stage" else "unit"
        aspects = compare_aspects(f, slot)
        if len(aspects) > 1:
            frame.slots["aspects"] = aspects  # "Solution vs Proof - probability and outcome for each"
        if f.has("count"):
            frame.slots["counted"] = True  # "how many checkpoints in develop vs proof": the numbers first
        roles = f.entities.get("role", [])
        if slot == "assignment" and len(ids) == 2 and _NOT_IN_BOTH & set(f.words):
            # "MAP vs EXPAND roles - who's in one but not the other?": the roles one names and the other doesn't
            frame.slots["differs"] = True
        elif slot == "assignment" and not roles and len(ids) == 2 and _asks_in_both(f):
            frame.slots["in_common"] = True  # "roles in both MAP and COMPETE": the roles both name
        elif slot == "assignment" and len(roles) == 1 and roles[0] in ix.kb.roles:
            frame.slots["role"] = roles[0]  # "the AE's job in MAP vs COMPETE": that role's task in each
        plays = f.entities.get("assignment", [])
        if slot == "role" and len(plays) == 1:
            frame.slots["place"] = plays[0]  # "the AE's job in MODERNIZE, and the ATS's": each one's task there
        return frame, 0.9
    asks_where_now = asks_where_it_stands(f, ix)
    if asks_where_now and not _mcem_stage_asked_about(f, ix):
        situation = compose.situation(f, ix)
    else:
        # "eval plan complete, pre-proposal review done, but the proposal isn't issued yet": no question at
        # all, only progress reported, line after line; where that leaves the opportunity is the answer.
        situation = compose.situation(f, ix) if _reports_progress(f) else None
        if situation is not None and len(situation.facts) < 2:
            situation = None
    if situation is not None or (asks_where_now and not _mcem_stage_asked_about(f, ix)):
        one_line = situation is not None and len(situation.facts) == 1 and _only_the_line(f, ix, situation.facts[0])
        if situation is not None and (_asks_the_lines_place(f, ix) or (one_line and _asks_only_which_stage(f, ix))):
            # "customer's given us a verbal yes. which stage is that the verifiable outcome for": where the
            # line lives, not where the deal stands and what comes next.
            return Frame("where", {"facts": list(situation.facts[:3]), "asked": "stage"}), 0.85
        said_at = next((st for st in ix.kb.mssp_stages if f.percents and st.probability == f.percents[0]), None)
        # (unless the percentage is the one in doubt: "... she's put it at 60% in the forecast. which stage and
        # probability is it really?": what was done says where the deal is)
        doubted = bool(_DOUBTED_PERCENT & set(f.words) or _REPORTING_VERBS & set(f.words))
        if situation is not None and said_at is not None and situation.stage != said_at.id and not doubted:
            # ("we're at 80% and the support plan isnt finalized": the percentage said is where the deal is; a
            # line matched on its words does not move it)
            return Frame("situation", {"mssp_stage": said_at.id, "next_asked": f.has("next")}), 0.85
        if situation is not None:
            slots = {
                "document": situation.document,
                "stage": situation.stage,
                "facts": list(situation.facts),
                "done": situation.done,
                "next_asked": f.has("next"),
            }
            return Frame("situation", slots), 0.85
        if f.percents:
            stage = next((s for s in ix.kb.mssp_stages if s.probability == f.percents[0]), None)
            if stage:
                return Frame("situation", {"mssp_stage": stage.id, "next_asked": f.has("next")}), 0.85
    if f.percents and _asks_what_is_needed(f):
        # "20% deal, what do i need done b4 i can call it 40", "at 40% now, what needs to be true before we
        # move up": what is left at the stage with that probability.
        stage = next((s for s in ix.kb.mssp_stages if s.probability == f.percents[0]), None)
        if stage:
            return Frame("situation", {"mssp_stage": stage.id, "next_asked": f.has("next")}), 0.85
    banded = stages_in_band(f, ix)
    if banded is not None:
        return banded, 0.9
    roles_each = each_role(f, ix)
    if roles_each is not None:
        return roles_each, 0.9
    every = f.has("every")
    # "list its checkpoints"; "whats the objective of close" then "list the key steps": the stage's, not every
    # stage's ("all" asks that)
    the_said = "the" in f.words and not {"all", "every", "each"} & set(f.words) and len(f.words) <= 5
    the_said = the_said and not f.has("stage_word") and not _PLURAL_ASPECTS & set(f.words)  # ("the probabilities")
    about_context = (f.pronoun or the_said) and context is not None and isinstance(context.slots.get("mssp_stage"), str)
    counted = lines_counted(f)
    if counted and f.has("stage_word") and not f.entities.get("mssp_stage") and f.has("checkpoints", "key_steps"):
        # "which MSSP stages only have a single checkpoint", "which stages have 4 checkpoints"
        aspect = "checkpoints" if f.has("checkpoints") else "key_steps"
        return Frame("mssp.aspect_all", {"aspect": aspect, **counted}), 0.9
    together = f.has("together") and not f.has("stage_word")  # "each collab and its purpose": the roles'
    # ("mcem stages + owning unit": the owner said as the unit that owns)
    owners_said = "owners" in f.words or (f.has("owner") and "unit" in f.words)  # (not "which units own ...")
    stages_owned = f.has("mcem_name") and "stages" in f.words and owners_said and not f.has("count")
    if stages_owned and not f.entities and not compose.is_yes_no(f) and not compose.ordinals(f):
        return Frame("mcem.owners_all"), 0.85  # ("mcem stages w owners", "owners of the mcem stages")
    if (
        every
        and not about_context
        and not together
        and not f.entities.get("mssp_stage")
        and not f.entities.get("mcem_stage")
        and not any(s.probability in f.percents for s in ix.kb.mssp_stages)  # "at 60% - list the checkpoints"
        and not _lacks_probability(f)  # ("don't have a % at all": "all" asks for the NA ones)
    ):
        # (a line named by two words or more narrows the list; one word such as "across" does not)
        filtered = bool(FILTER_WORDS & set(f.words))  # "every key step that mentions Siebel"
        narrowed = filtered or len(compose.content_stems(content_features(f), ix)) >= 2
        for aspect in MSSP_ASPECTS:
            lines_named = narrowed and bool(
                compose.find_mention(content_features(f), ix, 0.5) or _filter_content(f, ix)
            )
            if f.has(aspect) and not lines_named:
                if aspect in ("checkpoints", "key_steps"):
                    return Frame("mssp.aspect_all", {"aspect": aspect}), 0.9
                bound = compose.probability_bound(f) if aspect == "probability" else None
                return Frame(f"mssp.{aspect}_all", {bound[0]: bound[1]} if bound else {}), 0.9
        if (f.has("owner") or f.has("unit_word")) and f.has("stage_word") and not f.entities:
            return Frame("mcem.owners_all"), 0.85
    plays_asked = "assignment" in f.words or "assignments" in f.words
    if (
        plays_asked
        and not f.entities.get("assignment")
        and not f.entities.get("role")
        and (every or f.has("count", "list", "definition", "stage_word"))
    ):
        described = compose.find_mention(content_features(f), ix, 0.75)
        play = _assignment_described(ix, described) if described else None
        if play:
            # "which role-assignment stage is about customer landscape discovery": the one it describes.
            return Frame("assignment.roles", {"assignment": play}), 0.85
        return Frame("assignments.list"), 0.85  # "what are the 4 role assignment stages"
    acronyms_asked = any(w in ("acronym", "acronyms", "abbreviations") for w in f.words)
    named = [(k, ids[0]) for k, ids in f.entities.items() if k in ("unit", "role") and len(ids) == 1]
    if (
        "acronym" in f.words
        and len(named) == 1
        and len(f.entities) == 1
        and named[0][1] in ix.kb.roles.keys() | ix.kb.units.keys()
    ):
        # ("the account team unit - what's the acronym": that one's, "The ATU is the Account Team Unit")
        kind, key = named[0]
        return Frame("unit.summary" if kind == "unit" else "role.definition", {kind: key}), 0.85
    if acronyms_asked and (every or f.has("definition", "list", "glossary")):
        return Frame("acronyms.list"), 0.85
    if (
        not any(t != "glossary" for t in f.entities)
        and not f.has("count")
        and not (f.pronoun and context)
        and not compose.content_stems(content_features(f), ix)
    ):
        # ("unit names in full", "all roles spelled out")
        named_list = {"names", "name"} & set(f.words)
        if "roles" in f.words or (every and f.has("roles_word")) or ("role" in f.words and named_list):
            return Frame("roles.list", {"aspect": compare_aspect(f, "role")}), 0.85
        if "units" in f.words or (every and f.has("unit_word")) or ("unit" in f.words and named_list):
            return Frame("units.list"), 0.85
    field = compose.mention_field_filter(f)
    mentions = any(
        w in ("mention", "mentions", "include", "includes", "involve", "involves", "contain") for w in f.words
    )
    # ("which stages have a v-team step in them": the stages that have such a line)
    have = bool({"have", "has"} & set(f.words)) and f.words[:1] in (["which"], ["what"])
    if field is None and "stages" in f.words and (mentions or every or have):
        field = "stage"  # "which stages mention a SOW", "every stage where we confirm the outcome"
    if field is None and every and "stage" in f.words and not (f.entities.get("role") and not mentions):
        field = "stage"  # ("every place the CSAM turns up in the stage role assignments" is the CSAM's)
    if field and not f.entities.get("mssp_stage") and not f.entities.get("mcem_stage"):
        # A term counts in either spelling here: "SOW" lines, whether or not they spell it out.
        content = compose.content_stems(content_features(f), ix, expand_terms=False)
        found = compose.list_facts_with(ix, field, content)
        either = _either_words(f, ix, content)
        if either:
            # "which checkpoints mention partners or services": lines with either word
            found = sorted({i for stem_ in either for i in compose.list_facts_with(ix, field, {stem_})})
        filtered_by = _filter_content(f, ix)
        if not found and filtered_by:
            # "coaching a new hire - every key step that mentions a partner, grouped by stage": only the
            # words after "mentions" filter the lines.
            content, found = filtered_by, compose.list_facts_with(ix, field, filtered_by)
        if not found and every and f.has("stage_word"):
            field, found = "stage", compose.list_facts_with(ix, "stage", content)
        if found and content:
            label = compose.FIELD_PLURALS[field]
            # (each word the lines were found by, once: "partners", not "partner partner" or "grouped")
            shown = {s for s in content if s in ix.graph.by_stem}
            by_stem = {compose.stem(w): w for w in reversed(f.words) if compose.stem(w) in shown}
            shown_words = list(dict.fromkeys(by_stem[compose.stem(w)] for w in f.words if compose.stem(w) in by_stem))
            words = (" or " if either else " ").join(shown_words) or "that"
            return Frame("facts.with", {"facts": found, "label": label, "words": f"\u201c{words}\u201d"}), 0.85
    found_line = _reverse(f, ix)
    if found_line:
        # "where's the customer success plan template": the line, and that the documents have no template.
        unknown = question_unknowns(f, ix)
        if unknown:
            said = ", ".join(f"\u201c{w}\u201d" for w in unknown[:3])
            return compose.normalise_frame(found_line[0], [f"The documents don't say anything about {said}."]), 0.85
    return found_line


def _mcem_stage_asked_about(f: Features, ix: KnowledgeIndex) -> bool:
    """An MCEM stage named in the message's last clause (the question), not only in what was told before it:
    "we got qualified pipeline out of listen & consult. whats the exit crit for the next stage"."""
    clauses = _clauses(f)
    said_last = len(normalize(clauses[-1], ix.kb.lexicon.spellings).split()) if clauses else len(f.words)
    start = len(f.words) - said_last
    return any(kind == "mcem_stage" and s >= start for s, _, kind, _ in f.spans)


def _quoted_line(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "what stage has 'develop negotiating and give/get worksheets' as a key step": a quoted line is looked
    up as a line; a stage name inside the quote ("develop") is part of it, not the stage asked about."""
    found = QUOTED.search(f.original)
    asks_who = f.words[:1] in (["who"], ["whos"], ["whose"])
    # ("my manager keeps calling someone the 'quarterback' - which role is that")
    after = normalize(f.original[found.end() :]).split() if found else []
    asks_who = asks_who or bool({"which", "what"} & set(after) and {"role", "roles"} & set(after))
    if not found or not (asks_who or compose.has_phrase(f, _REVERSE_STAGE)):
        return None
    if f.has("situation") and f.has("next") and compose.situation(f, ix) is not None:
        return None  # "the guide says 'Outcomes met ...' - we've hit that, so what stage is next": where it stands
    asked = "who" if asks_who else "stage"
    # The line that holds the quote word for word ("where is 'eval plan completed' a checkpoint": Proof's
    # "Eval plan completed (inclusive of ...)"), of the field the message names if it names one.
    said = normalize(found.group(1), ix.kb.lexicon.spellings)
    # (three words or more: a line's own wording; "sponsor letter" is a term many lines use)
    verbatim = [
        i
        for i, fact in enumerate(ix.graph.facts)
        if len(said.split()) >= 3 and said in normalize(fact.text, ix.kb.lexicon.spellings)
    ]

    field = compose.mention_field_filter(f)
    verbatim.sort(key=lambda i: ix.graph.facts[i].address.field != field)
    if verbatim:
        return Frame("where", {"facts": verbatim[:6], "asked": asked})
    quote = extract_features(found.group(1), ix)
    mention = compose.find_mention(content_features(quote), ix, min_coverage=0.75)
    if not mention:
        return None
    return Frame("where", {"facts": list(mention.facts[:6]), "asked": asked})


_INSIDE_WORDS = frozenset({"under", "beneath", "below", "inside", "include", "includes", "involve", "involves",
                           "entail", "entails", "cover", "covers", "included", "contain",
                           "contains", "consist", "consists"})  # fmt: skip


def _sub_steps(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "all the sub-steps under execute eval plan", "first sub-step under execute eval plan in Solution": the
    key step named, with what it includes, or one of its sub-steps by position."""
    said_sub = bool({"sub", "substep", "substeps", "nested"} & set(f.words))
    # "what sits under finalize eval plan commitments", "what does execute eval plan include": a key step
    # named whole, asked what is inside it.
    said_inside = bool(_INSIDE_WORDS & set(f.words))
    if not said_sub and not said_inside:
        return None
    found = compose.find_mention(content_features(f), ix, min_coverage=0.5 if said_sub else 0.9)
    everyday = f.rejected.get("mssp_stage", [])
    if not found and len(everyday) == 1:
        # ("what's included in 'finalize eval plan commitments' for proof": the stage's everyday name is no word
        # of the step)
        names = set(ix.surfaces.get(("mssp_stage", everyday[0]), ()))
        at = [(i, i + 1, "mssp_stage", everyday[0]) for i, w in enumerate(f.words) if w in names]
        f = replace(compose.with_entity(f, "mssp_stage", everyday[0]), spans=[*f.spans, *at])
        found = compose.find_mention(content_features(f), ix, min_coverage=0.9, within=everyday[0])
    graph = ix.graph
    stages = f.entities.get("mssp_stage", [])
    if not found and len(stages) == 1 and said_sub:
        # "all sub-steps in proof": every sub-step of the stage, under the key steps that have them.
        subs = list(graph.facts_of(stages[0], "sub_step"))
        if not subs:
            name = ix.kb.mssp_stage(stages[0]).name
            return Frame(
                "mssp.key_steps", {"mssp_stage": stages[0], "gaps": [f"None of {name}'s key steps has sub-steps."]}
            )
        placed = [o for o in compose.ordinals(f) if o.position and not o.offset]
        if not placed and f.has("key_steps") and (said_inside or "with" in f.words):
            return Frame("mssp.key_steps", {"mssp_stage": stages[0]})  # ("proof key steps incl the sub bullets")
        if placed and f.words[placed[0].end : placed[0].end + 1] in (["key"], ["step"]):
            return None  # "the sub-steps for proof's first key step": a key step's place, read by the step rules
        position = placed[0].position if placed else None
        if position is not None:
            # "4th nested step in the solution stage": that one, counted across the stage's sub-steps.
            index = compose.index_at(position, len(subs))
            if not 0 <= index < len(subs):
                name = ix.kb.mssp_stage(stages[0]).name
                gap = f"{name} has {len(subs)} sub-steps, so there is no sub-step {position}."
                return Frame("where", {"facts": subs, "asked": "item", "gaps": [gap]})
            return Frame("where", {"facts": [subs[index]], "asked": "item", "items": [["fact", i] for i in subs]})
        parents = {graph.facts[i].address.index for i in subs}
        steps = [i for i in graph.facts_of(stages[0], "key_step") if graph.facts[i].address.index in parents]
        # One key step has them all: that step, which the answer shows with what it includes.
        shown = steps if len(steps) == 1 else subs
        return Frame("where", {"facts": shown, "asked": "item", "items": [["fact", i] for i in subs]})
    if not found:
        return None
    step = next((i for i in found.facts if graph.facts[i].address.field == "key_step"), None)
    if step is None:
        return None
    address = graph.facts[step].address
    subs = [
        i for i in graph.facts_of(address.subject, "sub_step") if graph.facts[i].address.index == address.index
    ]  # fmt: skip
    if not subs:
        return None
    position = next((o.position for o in compose.ordinals(f) if o.position and not o.offset), None)
    index = compose.index_at(position, len(subs)) if position is not None else -1
    if 0 <= index < len(subs):
        return Frame("where", {"facts": [subs[index]], "asked": "item"})
    # The answer lists what the step includes; "the 4th of those" is one of them.
    return Frame("where", {"facts": [step], "asked": "item", "items": [["fact", i] for i in subs]})


def _stage_item(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the third checkpoint of Develop", "last key step in Close": a line of one stage by position; "the
    first 2 checkpoints in Proof": a run of its lines."""
    stages = f.entities.get("mssp_stage", [])
    found = [o for o in compose.ordinals(f) if o.position and not o.offset]
    if len(stages) != 1 or not found:
        return None
    few = first_few(f)
    field = "checkpoint" if f.has("checkpoints") else "key_step" if f.has("key_steps") else None
    if few and field:
        listed = list(ix.graph.facts_of(stages[0], field))
        picked = listed[:few] if few > 0 else listed[few:]
        items = [["fact", i] for i in listed]
        return Frame("where", {"facts": picked, "asked": "item", "items": items, "picked": picked})
    for aspect, line_field in (("checkpoints", "checkpoint"), ("key_steps", "key_step")):
        if f.has(aspect):
            return Frame("mssp.item", {"mssp_stage": stages[0], "field": line_field, "position": found[0].position})
    return None


def _compared_lines(f: Features, ix: KnowledgeIndex, pair: tuple[str, list[str]] | None) -> Frame | None:
    """ "qualify v-team vs develop v-team", "ownership handover deploy vs support": two stages compared by a
    thing their lines name, not by an aspect: the lines of each that hold it."""
    if not pair or pair[0] != "mssp_stage" or f.cues & ASPECT_CUES:
        return None
    named = {compose.stem(w) for s in pair[1] for w in normalize(ix.kb.mssp_stage(s).name).split()}
    content = {c for c in compose.content_stems(content_features(f), ix, expand_terms=False) - named if len(c) > 1}
    found = [i for i in compose.list_facts_with(ix, None, content) if ix.graph.facts[i].address.subject in pair[1]]
    if not content or not found or {ix.graph.facts[i].address.subject for i in found} != set(pair[1]):
        return None
    words = _words_of(f, content)
    return Frame("facts.with", {"facts": found, "label": "lines", "words": f"\u201c{words}\u201d"})


def _lines_in_stages(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "every checkpoint across qualify and develop that involves power": the lines of those stages' field
    that hold the words asked about."""
    stages = f.entities.get("mssp_stage", [])
    field = compose.mention_field_filter(f)
    if len(stages) < 2 or field is None or not (FILTER_WORDS & set(f.words)):
        return None
    content = compose.content_stems(content_features(f), ix, expand_terms=False)
    found = [i for i in compose.list_facts_with(ix, field, content) if ix.graph.facts[i].address.subject in stages]
    if not content or not found:
        return None
    words = _words_of(f, content)
    label = compose.FIELD_PLURALS[field]
    return Frame("facts.with", {"facts": found, "label": label, "words": f"\u201c{words}\u201d"})


_FINISHED = frozenset({"done", "finished", "complete", "completed", "wrapped", "over", "closed", "exited"})


def _assignment_for_the_situation(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "adoption is going well and we want to upsell, who should be involved", "first meetings with a new
    customer, doing landscape discovery - who's on it": who to involve, asked of a situation that the words of
    one role assignment (its description or its roles' tasks) describe: that assignment's roles."""
    clauses = _clauses(f)
    if len(clauses) < 2:
        return None  # (a situation: something said before the question; "who leads relationship mapping" is not)
    asked = normalize(clauses[-1]).split()
    asks_who = bool({"who", "whos", "involved"} & set(asked)) or (
        bool({"role", "roles"} & set(asked)) and bool({"which", "what"} & set(asked))
    )
    named = any(t in f.entities for t in ("role", "unit", "mssp_stage", "mcem_stage", "assignment"))
    named = named or f.has("owner", "unit_word") or bool({"definitions", "definition"} & set(f.words))
    statement = " ".join(clauses[:-1])
    opening = normalize(statement).split()[:3]
    said_first = not any(w in compose.WH_WORDS for w in opening) and "?" not in statement
    if not asks_who or named or not said_first or compose.is_yes_no(f):
        return None
    # (the question asks only who: "who creates it" asks for a line's role, a reverse look-up)
    if compose.content_stems(content_features(extract_features(" ".join(asked), ix)), ix):
        return None
    # What the statement says happens is what the role assignment's lines describe; a statement that is one
    # line's own words ("adoption opps and additional use cases, who") asks who does that line.
    said = content_features(extract_features(statement, ix))
    if compose.find_mention(said, ix, min_coverage=0.75) is not None:
        return None
    content = compose.content_stems(said, ix)
    graph = ix.graph
    shared: dict[str, set[str]] = {}
    for fact in graph.facts:
        if fact.address.subject_type == "assignment":
            shared.setdefault(fact.address.subject, set()).update(content & fact.stems)
    if not shared:
        return None
    best = max(shared, key=lambda a: len(shared[a]))
    others = [a for a in shared if a != best and len(shared[a]) >= len(shared[best])]
    if others or len(shared[best]) < 2:  # (two words of its own: "adoption ... upsell" is EXPAND's)
        return None
    # ("keep the CSP status current and track ... a RAID log - which role is that": one role's own line
    # says it better than any role assignment)
    by_a_role = max((len(content & f_.stems) for f_ in graph.facts if f_.address.subject_type == "role"), default=0)
    if by_a_role >= len(shared[best]):
        return None
    return Frame("assignment.roles", {"assignment": best})


def _which_of_the_assignments(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "which of map/compete/expand/modernize covers cloud migration": the role assignments offered as the
    choices, and the one whose lines hold the words."""
    offered = set(f.entities.get("assignment", []) + f.rejected.get("assignment", []))
    if len(offered) < 3 or not {"which", "what"} & set(f.words[:3]):
        return None
    content = compose.content_stems(content_features(f), ix) - {compose.stem(p) for p in offered}
    found = [
        i
        for _, coverage, i in ix.graph.search(content, limit=12, min_coverage=0.5)
        if ix.graph.facts[i].address.subject_type == "assignment" and ix.graph.facts[i].address.subject in offered
    ]
    return Frame("where", {"facts": found[:3], "asked": "stage"}) if found and content else None


def _stage_finished(f: Features) -> Frame | None:
    """ "realize value done. whats next n who owns": the stage after the one said to be finished."""
    stages = [(slot, f.entities[slot]) for slot in ("mcem_stage", "mssp_stage") if f.entities.get(slot)]
    if len(stages) != 1 or len(stages[0][1]) != 1:
        return None
    slot, ids = stages[0]
    # "the deal just left empower & achieve. which stage do i own now": the one after the stage it left.
    starts = [s for s, _, kind, _ in f.spans if kind == slot]
    left = any(f.words[s - 1 : s] in (["left"], ["exited"], ["leaving"], ["past"]) for s in starts if s)
    asks_now = f.has("next") or ("now" in f.words and f.has("stage_word"))
    if left and asks_now:
        return Frame("order.next", {slot: ids[0]})
    # ("listen & consult is done. who do i hand over to": the handover asks for the next stage's owner)
    if not f.has("next", "situation") or not (_FINISHED & set(f.words)):
        return None
    if any(f.words[s - 1 : s] in (["before"], ["until"], ["till"]) for s in starts if s):
        return None  # ("anything else before support is wrapped?": not finished yet)
    # the stage said finished right after its name ("proof done", "realize value is complete"), not a line
    # that holds the name ("post close follow up done", "proof of concept done")
    ends = [e for _, e, kind, _ in f.spans if kind == slot]
    if not any(_FINISHED & set(f.words[e : e + 2]) for e in ends):
        return None
    return Frame("order.next", {slot: ids[0]})


# Cues whose words a line may hold ("Confirm verifiable outcome ..."): part of the line named, next to it.
_LINE_WORD_CUES = frozenset({"outcome", "objective", "mssp_context"})


def _line_next_to(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the checkpoint that comes right after 'sponsor has buying vision'", "the key step just before 'propose
    eval plan to power'": the line next to a named one in its stage's list."""
    step = 1 if _AFTER_WORDS & set(f.words) else -1 if _BEFORE_WORDS & set(f.words) else 0
    field = "checkpoint" if f.has("checkpoints") else "key_step" if f.has("key_steps") else None
    stages = f.entities.get("mssp_stage", [])
    # ("the last key step b4 the confirm verifiable outcome one": "last" before a line is the one just before it)
    placed = [o for o in compose.ordinals(f) if not (o.position == -1 and step == -1)]
    if not step or field is None or len(stages) > 1 or placed:
        return None
    if question_unknowns(f, ix):
        return None  # ("proof checkpoints and the avg win rate after ask for business": a rate, no line, asked)
    named = QUOTED.search(f.original)
    said = extract_features(named.group(1), ix) if named else f
    # ("the key step right before confirm verifiable outcome": "verifiable outcome" is the line's words here,
    # not the outcome asked for)
    said = replace(said, cue_spans={k: v for k, v in said.cue_spans.items() if k not in _LINE_WORD_CUES})
    # ("qualify step right after the qualification call": the line, looked for in the stage named)
    within = stages[0] if stages else None
    mention = compose.find_mention(content_features(said), ix, min_coverage=0.5 if within else 0.75, within=within)
    if mention is None:
        return None
    fact = ix.graph.facts[mention.facts[0]]
    listed = list(ix.graph.facts_of(fact.address.subject, field))
    if mention.facts[0] not in listed:
        return None
    at = listed.index(mention.facts[0]) + step
    if not 0 <= at < len(listed):
        return None
    items = [["fact", i] for i in listed]
    if {"steps", "checkpoints"} & set(f.words):
        # "list the key steps that come after setting up the v-team": all of them, in order
        run = listed[at:] if step > 0 else listed[: at + 1]
        return Frame("where", {"facts": run, "asked": "item", "items": items})
    return Frame("where", {"facts": [listed[at]], "asked": "item", "items": items, "focus": ["fact", listed[at]]})


_REQUIRED = frozenset({"needed", "required", "require", "requires", "prerequisites"})


def _needed_before_moving_to(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "what do I need before it moves to Inspire & Design?": what ends the stage before that one (its exit
    criteria in MCEM; its checkpoints and verifiable outcome in MSSP)."""
    named = [(s, e, kind, key) for s, e, kind, key in f.spans if kind in ("mcem_stage", "mssp_stage")]
    if len(named) != 1 or not (_NEEDED | _REQUIRED) & set(f.words) or "before" not in f.words:
        return None
    start, _, kind, key = named[0]
    said = f.words[f.words.index("before") + 1 : start]
    if not (MOVES & set(said)) or said[-1:] not in (["to"], ["into"]) or len(said) > 5:
        return None
    stages = [s.id for s in (ix.kb.mcem_stages if kind == "mcem_stage" else ix.kb.mssp_stages)]
    at = stages.index(key)
    if at == 0:
        named_stage = ix.kb.mcem_stages[0] if kind == "mcem_stage" else ix.kb.mssp_stages[0]
        gap = f"{named_stage.name} is the first stage: no stage comes before it."
        return Frame("not_covered", {"gaps": [gap], "domain": "mcem" if kind == "mcem_stage" else "mssp"})
    if kind == "mcem_stage":
        return Frame("mcem.exit", {"mcem_stage": stages[at - 1]})
    return Frame("mssp.checkpoints", {"mssp_stage": stages[at - 1]})


def _collaboration_row_named(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "in the how they work together table, what's AE + ATS for", "and the CSA row": the row of exactly the
    roles named, when the table (or a row) is asked about."""
    roles = f.entities.get("role", [])
    # ("what does the AE + ATS combo do": roles joined as the table writes a row)
    as_a_row = len(roles) >= 2 and re.search(r"\b\w+\s*\+\s*\w+\b", f.original) is not None
    if not roles or not (f.has("together") or {"row", "table"} & set(f.words) or as_a_row) or compose.is_yes_no(f):
        return None
    if any(t not in ("role", "glossary") for t in f.entities):
        return None
    if len(roles) == 1 and not {"row", "table"} & set(f.words) and _own_line_said(f, ix, roles[0]) is not None:
        return None  # (the role's own line says it: "who does the SSP collaborate with in the early stages")
    # (by its first role, so that "and for the SSP?" asks the same of another role)
    return Frame("collaboration", {"role": roles[0]}) if _row_of_exactly(ix, roles) is not None else None


def _row_of_exactly(ix: KnowledgeIndex, roles: list[str]) -> int | None:
    """The one row of the how-they-work-together table made of exactly these roles ("AE + ATS")."""
    rows = [i for i, c in enumerate(ix.kb.collaboration) if set(c.roles) == set(roles)]
    return rows[0] if len(rows) == 1 else None


_SIDE_END = re.compile(r"\s+-\s+|[,;:?]")
_SIDE_PREPOSITIONS = frozenset({"with", "by", "in", "for", "to", "from", "of", "at"})


_BARE_ASKS = frozenset({"stage_word", "who", "roles_word", "unit_scope", "definition", "does", "mssp_context",
                        "mcem_context", "glossary"})  # fmt: skip


def _bare_line(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "pre-call research?", "give/get worksheets?", "sponsor letter -> stage?", "overall win strategy?": a line
    said (nearly) whole, with no question around it, asks where it lives (who does it, for a role's line)."""
    if len(f.words) > 8 or f.cues - _BARE_ASKS or f.percents or f.unknown:
        return None
    if f.words[:1] and f.words[0] in compose.WH_WORDS:
        return None  # (a question word: the reverse look-up reads it)
    term_at = {i for s, e, kind, _ in f.spans if kind == "glossary" for i in range(s, e)}
    if f.has("glossary") and term_at:
        return None  # ("SQP meaning?", "MQP/SQP meaning?": what the term means)
    only_a_term = all(i in term_at or w in ix.kb.lexicon.stopwords for i, w in enumerate(f.words))
    if only_a_term and not f.has("stage_word", "who", "roles_word"):
        return None  # ("sow?", "power?": a term alone asks what it is; "sponsor letter -> stage?" asks where)
    content = compose.content_stems(content_features(f), ix)
    everyday = {
        compose.stem(w) for slot in ("mssp_stage", "assignment") for i in f.rejected.get(slot, [])
        for w in ix.surfaces.get((slot, i), ())
    }  # fmt: skip
    if content and content <= everyday:
        return None  # ("tell me about proof": the stage's own name, not "proof of concept")
    found = compose.find_mention(content_features(f), ix, min_coverage=0.9)
    if found is None:
        return None
    fact = ix.graph.facts[found.facts[0]]
    line_words = set(normalize(fact.text).split())
    for s, e, kind, _ in f.spans:
        if kind != "glossary" and not set(f.words[s:e]) <= line_words:
            return None  # ("close 100%?" names a stage; "screen raw prospects" only says a line's word)
    by_role = fact.address.subject_type in ("role", "assignment") and not f.has("stage_word")
    asked = "who" if f.has("who", "roles_word") or by_role else "stage"
    return Frame("where", {"facts": list(found.facts[:3]), "asked": asked})


_AT_THE_START = re.compile(
    r"\b(brand new|new account|new customer|no engagement|not engaged|nothing yet|from scratch|just start(?:ed|ing)"
    r"|only starting|starting out|greenfield|first meeting|no contact)\b",
    re.IGNORECASE,
)


def _at_the_start(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "brand new account in my patch, no engagement yet. which mcem stage are we in and which unit leads": an
    engagement not begun is at the first stage of the document asked about (MCEM when a unit is asked)."""
    if not _AT_THE_START.search(f.original) or not f.has("stage_word") or any(t != "glossary" for t in f.entities):
        return None
    if not {"which", "what", "whats", "where"} & set(f.words):
        return None
    placed = compose.situation(f, ix)
    firsts = {ix.kb.mcem_stages[0].id, ix.kb.mssp_stages[0].id}
    if placed is not None and placed.stage in firsts:
        return None  # ("brand new acount, nothing qualified yet": the line it names says the same, in its words)
    mcem = "mcem" in f.words or f.has("unit_word", "owner")
    if "mssp" not in f.words and not mcem:
        return None  # (no document named: the documents do not say which one a new account starts in)
    if mcem and "mssp" not in f.words:
        first = ix.kb.mcem_stages[0].id
        return Frame("mcem.owner" if f.has("unit_word", "owner") else "mcem.stage", {"mcem_stage": first})
    return Frame("mssp.stage", {"mssp_stage": ix.kb.mssp_stages[0].id})


def _lines_side_by_side(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "pain admitted by sponsor vs pain admitted by power - which stage each", "review proposal/sow with power
    vs with services signature authority": two lines set side by side, each placed where it lives (the second
    may leave out the words both share)."""
    said = f.original[:MAX_QUESTION_CHARS]
    split = re.split(r"\s+(?:vs\.?|versus)\s+", said, flags=re.IGNORECASE)
    if len(split) != 2 or any(t != "glossary" for t in f.entities):
        return None
    left = _SIDE_END.split(split[0])[-1].strip()
    right = _SIDE_END.split(split[1])[0].strip()
    if not left or not right:
        return None
    right_words = right.split()
    if right_words[0].lower() in _SIDE_PREPOSITIONS and f" {right_words[0].lower()} " in f" {left.lower()} ":
        head = left.lower().rsplit(f" {right_words[0].lower()} ", 1)[0]
        right = f"{head} {right}"  # ("... with power vs with services signature authority")
    lines = []
    for side in (left, right):
        side_features = content_features(extract_features(side, ix))
        if len(compose.content_stems(side_features, ix)) < 2:
            return None  # ("sponsor vs power": words, not lines)
        found = compose.find_mention(side_features, ix, min_coverage=0.75)
        if found is None:
            return None
        lines.append(found.facts[0])
    if lines[0] == lines[1]:
        return None
    return Frame("where", {"facts": lines, "asked": "stage", "each": True})


def _one_stage_filtered(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "develop key steps that involve partners", "proof checkpoints mentioning SOW": one stage's lines,
    filtered by the words after the filter verb."""
    stages = f.entities.get("mssp_stage", [])
    kinds_asked = [k for k in ("mssp.checkpoints", "mssp.key_steps") if f.has(k.split(".")[1])]
    if len(stages) != 1 or len(kinds_asked) != 1 or compose.ordinals(f):
        return None
    if any(w.startswith("sub") or w.startswith("bullet") for w in f.words):
        return None  # ("key steps incl the sub-bullets under the eval plan one": what a step includes)
    content = _filter_content(f, ix) - FILTER_VERBS
    # ("which qualify key step is the sponsor letter one?", "which proof checkpoint is about the SOW": the one of
    # that stage's list that the words pick)
    picks_one = f.words[:1] in (["which"], ["what"]) and ("about" in f.words or f.words[-1:] == ["one"])
    if not content and picks_one:
        content = compose.content_stems(content_features(f), ix)
    if content:
        content -= set(compose.fact_stems(ix.kb.mssp_stage(stages[0]).name, {}, {}))
    if not content:
        return None
    frame = _stage_lines_matching(ix, stages[0], _LISTED_FIELDS[kinds_asked[0]], sorted(content), _words_of(f, content))
    whole = [i for i in frame.slots.get("facts", []) if content <= ix.graph.facts[i].stems]
    if picks_one and frame.kind == "facts.with" and whole:
        frame.slots["facts"] = whole  # (the line with all the words: "sponsor letter", not every "sponsor")
    return frame


def _where_in_the_stage(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "where in qualify do partners come in", "where does siebel show up during close": the lines of one
    stage that hold the words asked about, whatever their field; nothing when no line of it does."""
    stages = f.entities.get("mssp_stage", [])
    opening = [w for w in f.words if w not in ("and", "so", "ok", "then", "but")][:1]
    if len(stages) != 1 or f.entities.get("mcem_stage") or f.cues & ASPECT_CUES or compose.ordinals(f):
        return None
    if opening not in (["where"], ["wheres"]) and not _AT_WHAT_POINT.search(f.original):
        return None
    content = compose.content_stems(content_features(f), ix) - set(
        compose.fact_stems(ix.kb.mssp_stage(stages[0]).name, {}, {})
    )
    if not content:
        return None
    frame = _stage_lines_matching(ix, stages[0], _LISTED_FIELDS["mssp.stage"], sorted(content), _words_of(f, content))
    if frame.kind != "facts.with":
        return None  # (no line of the stage holds the words: another reading may)
    whole = [i for i in frame.slots["facts"] if content <= ix.graph.facts[i].stems]
    if whole:
        # ("where in qualify does the sponsor letter come in": the lines with "sponsor letter", not every
        # line with "sponsor")
        frame.slots["facts"] = whole
    return frame


_AT_WHAT_POINT = re.compile(r"(?:at what point|where abouts|whereabouts)", re.I)


def _stage_lists(f: Features) -> Frame | None:
    """ "prospect stage: checkpoints AND key steps": one stage's lists, each answered."""
    stages = f.entities.get("mssp_stage", [])
    if len(stages) != 1 or not (f.has("checkpoints") and f.has("key_steps")) or compose.ordinals(f):
        return None
    parts = [Frame(kind, {"mssp_stage": stages[0]}).to_dict() for kind in ("mssp.checkpoints", "mssp.key_steps")]
    return Frame("both", {"parts": parts})


def _role_item(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the AE's 2nd key responsibility", "last item on the SSP's key responsibilities": one line by position."""
    roles = f.entities.get("role", [])
    found = [o for o in compose.ordinals(f) if o.position and not o.offset and o.position != compose.MIDDLE]
    if len(roles) != 1 or not found or not f.has("responsibilities"):
        return None
    lines = ix.graph.facts_of(roles[0], "responsibility")
    if not lines:
        return None
    position = found[0].position
    index = compose.index_at(position, len(lines))
    if not 0 <= index < len(lines):
        acronym = ix.kb.roles[roles[0]].acronym if roles[0] in ix.kb.roles else roles[0].upper()
        gap = f"The MCEM guide gives the {acronym} {len(lines)} key responsibilities, so there is no number {position}."
        return Frame("role.definition", {"role": roles[0], "roles": roles, "aspect": "responsibilities", "gaps": [gap]})
    # (the role's list goes along, so "and the 4th" picks from it)
    items = [["fact", i] for i in lines]
    return Frame("where", {"facts": [lines[index]], "asked": "item", "items": items, "focus": ["fact", lines[index]]})


def _reverse(f: Features, ix: KnowledgeIndex) -> tuple[Frame, float] | None:
    """ "where do we set up the qualification v-team?", "who updates Siebel?": a line, found from its words."""
    # "which stage", and also "which mssp stage", "what part of the process": a question word shortly before
    # a word for a stage.
    asks_stage = compose.has_phrase(f, _REVERSE_STAGE) or any(
        w in ("which", "what") and any(x in ("stage", "stages", "phase", "step") for x in f.words[i + 1 : i + 3])
        for i, w in enumerate(f.words)
    )
    asks_who = f.words[:1] in (["who"], ["whose"], ["whos"]) or compose.has_phrase(f, _REVERSE_WHO)
    asks_who = asks_who or f.words[-1:] == ["by"]  # ("technical discovery in MAP is done by?")
    # ("which two roles define account and technology strategy together")
    asks_who = asks_who or any(
        w in ("which", "what") and any(x in ("role", "roles") for x in f.words[i + 1 : i + 3])
        for i, w in enumerate(f.words[:3])
    )
    if not (asks_stage or asks_who):
        return None
    plays = f.entities.get("assignment", [])
    if asks_who and len(plays) == 1 and not f.percents:
        # "who owns the change management plan in MODERNIZE": the line, looked for in that role assignment.
        task = compose.find_mention(content_features(f), ix, min_coverage=0.5, within=plays[0])
        if task:
            return Frame("where", {"facts": list(task.facts[:3]), "asked": "who"}), 0.85
    if asks_stage and (f.entities.get("mssp_stage") or f.entities.get("mcem_stage")):
        return None
    within = f.entities.get("mssp_stage", [])
    # "who in the STU owns the proof of concept": a unit named as where to look, not what is asked about.
    unit_scope = f.entities.get("unit", []) if f.words[:2] in (["who", "in"], ["whos", "in"]) else []
    if asks_who and any(t not in ("glossary", "mssp_stage") and not (t == "unit" and unit_scope) for t in f.entities):
        return None
    if f.percents or plays:
        return None
    # "which role does the pre-call research in Prospect?": the line, looked for in that stage.
    stage_only = within[0] if asks_who and within else None
    mention = compose.find_mention(content_features(f), ix, min_coverage=0.6, within=stage_only)
    if not mention and asks_who:
        mention = _line_of_the_role_said(f, ix)
    if not mention:
        return None
    top = ix.graph.facts[mention.facts[0]]
    shared = compose.content_stems(content_features(f), ix) & top.stems
    # (English words the documents never use, not typos: "billing disputes", not "prpeares")
    foreign = [w for w in question_unknowns(f, ix) if w in ix.kb.lexicon.english_words]
    if asks_who and foreign and len(shared) <= len(foreign):
        return None  # ("which role handles billing disputes for the customer": the line found says less)
    exit_criteria = [i for i in mention.facts if ix.graph.facts[i].address.subject_type == "mcem_stage"]
    if (top.address.subject_type == "mcem_stage" and asks_stage) or (f.has("exit") and exit_criteria):
        return None  # exit criteria: the exit-reverse rule reads those
    # "who ... and in which stage": the who answer names the stage; "which stage is it where we find someone who
    # ...": a stage asked first is the question
    stage_first = asks_stage and f.words[:1] in (["which"], ["what"]) and f.words[1:2] in (["stage"], ["mssp"])
    asked = "who" if asks_who and not stage_first else "stage"
    if asks_stage and "stages" in f.words:
        # "which stages have us update siebel": every stage with such a line, not the six best lines
        every = [
            i
            for i in compose.list_facts_with(ix, None, compose.content_stems(content_features(f), ix))
            if ix.graph.facts[i].address.subject_type == "mssp_stage"
        ]
        if len({ix.graph.facts[i].address.subject for i in every}) > len(
            {ix.graph.facts[i].address.subject for i in mention.facts[:6]}
        ):
            content = compose.content_stems(content_features(f), ix)
            shown = _words_of(f, content)
            return Frame("facts.with", {"facts": every, "label": "lines", "words": f"\u201c{shown}\u201d"}), 0.85
    documents = {ix.graph.facts[i].address.document for i in mention.facts}
    gaps = []
    if asks_stage and "mcem" in f.words and "mssp" not in f.words and documents == {"mssp"}:
        gaps.append(
            f"The MCEM guide doesn't say which MCEM stage \u201c{top.text}\u201d belongs to: it is an MSSP line."
        )
    if unit_scope and documents == {"mssp"}:
        gaps.append(f"The documents don't say which {ix.kb.units[unit_scope[0]].acronym} role does this.")
    return Frame("where", {"facts": list(mention.facts[:6]), "asked": asked, **({"gaps": gaps} if gaps else {})}), 0.85


def _line_of_the_role_said(f: Features, ix: KnowledgeIndex) -> compose.Mention | None:
    """ "which role engages the executive sponsors post-sale": half the words are one line of a role's ("Engage
    executive sponsors ..."), and the rest are that role's own words elsewhere ("All stages post-sale")."""
    line = compose.find_mention(content_features(f), ix, min_coverage=0.5, role_lines_only=True)
    if line is None:
        return None
    fact = ix.graph.facts[line.facts[0]]
    if fact.address.subject_type != "role":
        return None
    content = compose.content_stems(content_features(f), ix)
    said_of_role = set().union(*(x.stems for x in ix.graph.facts if x.address.subject == fact.address.subject))
    return line if len(content & said_of_role) >= 0.8 * len(content) else None


_PLURAL_ASPECTS = frozenset({"probabilities", "objectives", "outcomes", "vos", "owners", "units", "exits"})


def _aspect_of_items(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "and their MCEM focus?", "what about their units?": one aspect of every item of the previous list."""
    plural = any(w in PLURAL_REFERENCES for w in f.words) or "two" in f.words  # "for both", "which of the two"
    # ("deploy objective", "and support", then "probabilities?": one value each, asked in the plural)
    plural = plural or (len(f.words) <= 3 and bool(_PLURAL_ASPECTS & set(f.words)))
    if any(t != "glossary" for t in f.entities) or not (f.pronoun or plural):
        return None
    if not plural and any(o.position and not o.offset for o in compose.ordinals(f)):
        return None  # ("the second one you mentioned - who owns that?": "that" is the one picked)
    if not plural and any(slot in context.slots for slot in ENTITY_SLOTS):
        return None  # "who's accountable for it" after a stage and its roles: "it" is the stage
    items = [tuple(i) for i in context.slots.get("items", []) if _is_item(ix, i)]
    slots = {slot for slot, _ in items}
    if len(items) < 2 or len(slots) != 1 or "fact" in slots:
        return None
    slot = next(iter(slots))
    aspect = compare_aspect(f, slot)
    if aspect is None:
        return None
    frame = Frame("compare", {"type": slot, "ids": [entity for _, entity in items], "aspect": aspect})
    if context.slots.get("assignment") in ix.kb.assignments:
        frame.slots["place"] = context.slots["assignment"]  # "what does the 3rd one do there" next
    return frame


def _is_item(ix: KnowledgeIndex, item: Any) -> bool:
    """A list item read back from stored state: trusted only if it names something that exists."""
    if not isinstance(item, list | tuple) or len(item) != 2:
        return False
    slot, key = item
    kb = ix.kb
    if slot == "fact":
        return isinstance(key, int) and 0 <= key < len(ix.graph.facts)
    known = {
        "mssp_stage": {s.id for s in kb.mssp_stages},
        "mcem_stage": {s.id for s in kb.mcem_stages},
        "role": set(kb.roles),
        "unit": set(kb.units),
        "assignment": set(kb.assignments),
    }
    return key in known.get(slot, set())


_UNITS_OWN = frozenset({"own", "owns", "owned", "accountable", "stage", "stages", "unit", "belong", "belongs"})


def _handed_on(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "which mcem stage ends with qualified pipeline" then "who takes it from there?": the next MCEM stage's
    owner (the unit it is handed to)."""
    stage = context.slots.get("mcem_stage")
    if not (f.has("situation") and f.has("who")) or not isinstance(stage, str) or len(f.words) > 8:
        return None
    if f.percents or compose.content_stems(content_features(f), ix):
        return None
    nxt = ix.kb.next_mcem(ix.kb.mcem_stage(stage)) if stage in {s.id for s in ix.kb.mcem_stages} else None
    return Frame("mcem.owner", {"mcem_stage": nxt.id}) if nxt else None


def _about_the_listed_roles(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "who's in the STU?" then "both of them - what do they do?": each listed role's focus; "what do they do
    together?": their row of the how-they-work-together table."""
    items = [tuple(i) for i in context.slots.get("items", []) if _is_item(ix, i)]
    roles = [key for slot, key in items if slot == "role" and key in ix.kb.roles]
    plural = bool((PLURAL_REFERENCES - {"all"}) & set(f.words))
    if len(roles) < 2 or not plural or compose.ordinals(f) or _REST_WORDS & set(f.words):
        return None
    if f.has("together"):
        return Frame("collaboration", {"role": roles[0]}) if _row_of_exactly(ix, roles) is not None else None
    if f.has("does") and not _specific_cues(f) - {"does", "definition"}:
        return Frame("compare", {"type": "role", "ids": roles, "aspect": "focus"})
    return None


# What an answer about one role was about, as the aspect a comparison with another one shows.
_ASPECT_OF_KIND = {"role.unit": "unit"}


def _compared_with_context(f: Features, ix: KnowledgeIndex, context: Frame, slot: str, other: str) -> Frame | None:
    """ "compare it with the AE's", "compare it with the next", "how does that compare to Proof": the previous
    answer's one entity and the one this message names, side by side on the aspect asked (or asked before)."""
    before = context.slots.get(slot)
    if not isinstance(before, str) or before == other or slot not in ("mssp_stage", "mcem_stage", "role"):
        return None
    # (two stages side by side show every aspect, the one asked before among them; a role's is picked)
    aspect = compare_aspect(f, slot) or (_ASPECT_OF_KIND.get(context.kind) if slot == "role" else None)
    if aspect is None and slot == "role" and context.kind == "role.definition":
        asked = context.slots.get("aspect")
        aspect = asked if asked in ("mcem_focus", "focus", "responsibilities", "unit") else None
    return Frame("compare", {"type": slot, "ids": [before, other], "aspect": aspect})


def _under_the_one_in_focus(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "first key step in proof" then "what sits under it": the sub-steps of the key step just given."""
    focus = context.slots.get("focus")
    said = bool({"sub", "substep", "substeps", "nested"} & set(f.words)) or bool(_INSIDE_WORDS & set(f.words))
    if not said or not f.pronoun or not isinstance(focus, list) or not _is_item(ix, focus) or focus[0] != "fact":
        return None
    if any(t != "glossary" for t in f.entities):
        return None
    step = ix.graph.facts[focus[1]]
    subs = [i for i, fact in enumerate(ix.graph.facts) if fact.parent == step.text and fact.address.field == "sub_step"]
    return Frame("where", {"facts": [focus[1], *subs], "asked": "item"}) if subs else None


def _between_the_two(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "VO for develop?", "compare that with Proof", then "and the one in between?": the stage between the two
    compared, asked the same (the comparison's aspect)."""
    ids = context.slots.get("ids")
    if "between" not in f.words or context.kind != "compare" or context.slots.get("type") != "mssp_stage":
        return None
    if not isinstance(ids, list) or len(ids) != 2 or any(t != "glossary" for t in f.entities):
        return None
    order = [s.id for s in ix.kb.mssp_stages]
    if not all(i in order for i in ids):
        return None
    low, high = sorted(order.index(i) for i in ids)
    inside = order[low + 1 : high]
    if len(inside) != 1:
        return None
    aspect = context.slots.get("aspect")
    kind = MSSP_ASPECTS.get(aspect, "mssp.stage") if isinstance(aspect, str) else "mssp.stage"
    return Frame(kind, {"mssp_stage": inside[0]})


def _rest_asked(f: Features) -> bool:
    return bool(_REST_WORDS & set(f.words)) and not any(t != "glossary" for t in f.entities)


def _asked_of_the_previous(f: Features) -> bool:
    """ "is that the last one?", "is it the first?": a yes/no asked of what the previous answer is about."""
    return compose.is_yes_no(f) and f.words[1:2] in (["that"], ["it"], ["this"])


def _at_an_end(f: Features, context: Frame) -> Frame | None:
    """ "support's VO" then "is that the last one?": whether the stage in context is at that end of its document
    (after a line picked from a stage's list, "the last one" is that list's: not this reading)."""
    ends = [o.position for o in compose.ordinals(f) if o.position in (1, -1) and not o.offset]
    slot = next((s for s in ("mssp_stage", "mcem_stage") if isinstance(context.slots.get(s), str)), None)
    if not (_asked_of_the_previous(f) and ends and slot) or context.kind not in _A_STAGE_ITSELF | _STAGE_ASPECT_KINDS:
        return None
    if any(t != "glossary" for t in f.entities) or len(f.words) > 7 or _LINE_NOUNS & set(f.words):
        return None
    if context.slots.get("focus") or context.kind in ("mssp.checkpoints", "mssp.key_steps"):
        return None
    return Frame("yesno", {"claim": ["position", slot, context.slots[slot], ends[0]], "inner": None})


_REST_WORDS = frozenset({"other", "others", "rest", "remaining"})
_LINE_NOUNS = frozenset({"checkpoint", "checkpoints", "step", "steps", "outcome", "line", "item"})


def _pick_from_list(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "the second of those", "and the other one?": an item of the previous answer's list or pair."""
    if _asked_of_the_previous(f) and not context.slots.get("focus"):
        return None  # ("is that the last one?": asked of what the previous answer is about)
    items = [tuple(i) for i in context.slots.get("items", []) if _is_item(ix, i)]
    play = context.slots.get("assignment")
    if not items and context.kind in ("assignment.roles", "assignment.role_task") and play in ix.kb.assignments:
        # ("for the COMPETE role assignment, who's the second role listed": its roles, as the answer lists them)
        items = [("role", m.role) for m in ix.kb.assignments[play].roles]
    if not items:
        return None
    found = [o for o in compose.ordinals(f) if o.position and not o.offset]
    extreme = extreme_of(f, ix, items)
    if extreme is not None and not f.entities.get("mssp_stage"):
        at = f.words.index(next(w for w in f.words if w in SUPERLATIVES))
        found = [compose.Ordinal(items.index(extreme) + 1, at, at + 1)]  # ("the lowest of those, chkpts?")
    bare = _bare_number(f)
    if not found and bare is not None and 0 < bare <= len(items):
        at = f.words.index(str(bare))
        found = [compose.Ordinal(bare, at, at + 1)]
    chosen: tuple[Any, ...] | None = None
    # ("the rest?"; not "what's remaining in close?", which names another stage to ask about)
    rest_asked = _rest_asked(f)
    names_a_stage = bool(f.entities.get("mssp_stage") or f.entities.get("mcem_stage") or f.has("stage_word"))
    if found and items[0][0] == "role" and compose.ordinal_noun(f, found[0]) in ("role", "roles"):
        names_a_stage = False  # "the third role in that stage": it counts roles; the stage is where
    refers = f.pronoun or "of" in f.words or "one" in f.words or "ones" in f.words or len(f.words) <= 5
    run = first_few(f)
    if run and refers and not f.entities:
        # "the first two of those", "last 3 of them": a run of the list, side by side.
        picked = items[:run] if run > 0 else items[run:]
        slot = picked[0][0]
        if len(picked) > 1 and all(i[0] == slot for i in picked):
            if slot == "fact":
                return Frame("where", {"facts": [i[1] for i in picked], "asked": "item"})
            return Frame("compare", {"type": slot, "ids": [i[1] for i in picked], "aspect": compare_aspect(f, slot)})
    if found and not names_a_stage and refers:
        place = context.slots.get("assignment")
        if items[0][0] == "role" and place in ix.kb.assignments and compose.ordinal_noun(f, found[0]) == "role":
            # "and the third role in that stage" after two of its roles: the role assignment's own roles.
            items = [("role", m.role) for m in ix.kb.assignments[place].roles]
        index = compose.index_at(found[0].position, len(items))
        if 0 <= index < len(items):
            chosen = items[index]
    elif rest_asked and context.slots.get("picked") and items[0][0] == "fact":
        # "first 2 checkpoints in proof" then "and the other two?": the lines not picked.
        already = set(context.slots["picked"])
        rest = [key for slot, key in items if slot == "fact" and key not in already]
        return Frame("where", {"facts": rest, "asked": "item"}) if rest else None
    elif rest_asked and len(items) > 2 and context.slots.get("focus") and _asks_for_the_rest(f):
        # "and the other two?" after the first of three: the rest, side by side.
        focus = list(context.slots["focus"])
        rest = [list(i) for i in items if list(i) != focus]
        slot = rest[0][0]
        if all(i[0] == "fact" for i in rest):
            return Frame("where", {"facts": [i[1] for i in rest], "asked": "item"})  # "first chkpt?", "the rest?"
        if all(i[0] == slot for i in rest) and slot in ("role", "mssp_stage", "mcem_stage", "unit", "assignment"):
            return Frame("compare", {"type": slot, "ids": [i[1] for i in rest], "aspect": None})
        return None
    elif (
        "other" in f.words
        and len(items) == 2
        and not _names_another_type(f, items[0][0])
        and set(f.entities.get(items[0][0], [])) <= {i[1] for i in items}  # (not a third one, named by "other")
    ):
        last = context.slots.get("focus")
        chosen = items[0] if last and list(items[1]) == list(last) else items[1]
    elif "one" in f.words:
        # "what does the architect one do?" after the CSAM and the CSA: the one whose name has that word.
        words = set(f.words) - ix.kb.lexicon.stopwords
        named = [i for i in items if words & _name_words(ix, i)]
        chosen = named[0] if len(named) == 1 else None
    if chosen is None:
        return None
    slot, entity = chosen
    if slot == "role" and f.has("owner") and not f.has("roles_word"):
        if f.words[:1] in (["who"], ["whos"]):
            return None  # "who owns the last one": stages are owned, roles are not; the position is a stage's
        # "what does the 2nd one own": what that role owns, its focus line.
        carried = {"items": [list(i) for i in items], "focus": [slot, entity]}
        return Frame("role.definition", {"role": entity, "roles": [entity], "aspect": "focus", **carried})
    carried = {"items": [list(i) for i in items], "focus": [slot, entity]}
    if slot == "unit" and (f.has("owner") or {"own", "owns"} & set(f.words)):
        return Frame("unit.stages", {"unit": entity, **carried})  # ("the third one - what does it own?")
    if slot == "fact":
        return Frame("where", {"facts": [entity], "asked": "item", **carried})
    role = context.slots.get("role")
    asks_task = f.has("does", "responsibilities", "definition")
    if slot == "assignment" and role in ix.kb.roles and asks_task:
        # "what does it do in the first" after the SSP's MCEM focus: the SSP's task in that assignment.
        return Frame("assignment.role_task", {"assignment": entity, "role": role, **carried})
    named_place = f.entities.get("assignment", [])
    if slot == "role" and asks_task and len(named_place) == 1:
        # "which roles are in that unit" then "what does the 2nd of those do in MODERNIZE": its task there.
        return Frame("assignment.role_task", {"assignment": named_place[0], "role": entity, **carried})
    place = context.slots.get("assignment") or context.slots.get("place")
    # "and the last one?", "and the third role in that stage": the same question about another of its roles.
    same_question = context.kind == "assignment.role_task" and (len(f.words) <= 5 or not (f.cues & ASPECT_CUES))
    listed_there = context.kind == "assignment.roles"  # "EXPAND - how many roles", "the last one and its job"
    if (
        slot == "role"
        and place in ix.kb.assignments
        and (
            same_question
            or (asks_task and ("there" in f.words or "in" in f.words or listed_there))
            # ("what roles are in MODERNIZE", "the 3rd?": its task there; "which role is listed third")
            or (listed_there and not _specific_cues(f) - {"roles_word", "roles_list", "who"})
        )
    ):
        # "what does the 3rd one do there" after the roles involved in COMPETE: that role's task in COMPETE.
        return Frame("assignment.role_task", {"assignment": place, "role": entity, **carried})
    frame_kind = _ENTITY_FRAME[slot]
    aspect = _aspect(f)
    if slot == "mssp_stage" and aspect:
        frame_kind = MSSP_ASPECTS[aspect]
    if slot == "role" and f.has("belongs", "unit_word"):
        frame_kind = "role.unit"
    if slot == "mcem_stage" and f.has("exit"):
        frame_kind = "mcem.exit"  # "first one's exit criteria?"
    return Frame(frame_kind, {slot: entity, **carried})


_AFTER_WORDS = frozenset({"after", "next", "following"})
_BEFORE_WORDS = frozenset({"before", "previous", "preceding", "prior"})


def _where_it_was(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "who provides competitive intel" then "in which assignment stage": where the line just found is."""
    stored = context.slots.get("looked_facts")
    facts = (
        [i for i in stored if isinstance(i, int) and 0 <= i < len(ix.graph.facts)] if isinstance(stored, list) else []
    )
    asks_where = f.words[:1] in (["in"], ["which"], ["what"], ["where"]) or f.words[:2] == ["and", "in"]
    place = {"stage", "assignment", "where", "section", "part"} & set(f.words)
    subjects = {ix.graph.facts[i].address.subject for i in facts}
    play = next(iter(subjects)) if len(subjects) == 1 and next(iter(subjects)) in ix.kb.assignments else None
    if play and "else" in f.words and f.words[:1] in (["who"], ["whos"], ["which"]) and len(f.words) <= 8:
        # "who provides competitive intel" then "who else is in that one": the role assignment's roles.
        return Frame("assignment.roles", {"assignment": play})
    if context.slots.get("looked_up") != "who" or not facts or not asks_where or not place or len(f.words) > 6:
        return None
    if any(t != "glossary" for t in f.entities) or f.has("unit_word"):
        return None  # ("which unit are they part of" asks the role's unit)
    if f.has("owner") and isinstance(context.slots.get("unit"), str):
        return Frame("unit.stages", {"unit": context.slots["unit"]})  # ("which mcem stage do they own")
    return Frame("where", {"facts": facts, "asked": "stage"})


def _counts_the_list(f: Features) -> bool:
    """ "how many is that", "how many are there", "and how many of them": a count of the list just given."""
    # ("how many in total?", "how many altogether": nothing else named, it counts the list too)
    refers = {"that", "those", "them", "these", "there", "total", "altogether", "overall"} & set(f.words)
    named = any(t != "glossary" for t in f.entities) or f.cues & ASPECT_CUES  # ("how many checkpoints does it have")
    return f.has("count") and bool(refers) and not named and len(f.words) <= 6


def _lists_the_list(f: Features) -> bool:
    """ "list them", "name those", "what are they": the list the last answer gave (or counted), again."""
    refers = {"those", "them", "these", "they"} & set(f.words)
    named = any(t != "glossary" for t in f.entities) or f.cues & ASPECT_CUES or f.percents
    asks = f.cues <= {"list", "every", "definition"}
    return bool(refers) and not named and not compose.ordinals(f) and asks and len(f.words) <= 4


def _listed_roles_in(f: Features, ix: KnowledgeIndex, listed: list[tuple[Any, ...]]) -> Frame | None:
    """ "which roles are in EXPAND" then "which of those aren't in MODERNIZE" (or "are also in"): the listed
    roles sorted by a role assignment, each with its task there or the guide naming it not."""
    roles = [key for slot, key in listed if slot == "role"]
    plays = f.entities.get("assignment", [])
    refers = {"those", "them", "these"} & set(f.words)
    if not roles or len(plays) != 1 or not refers or f.entities.get("role"):
        return None
    if compose.ordinals(f):
        return None  # "what does the 2nd of those do in MODERNIZE": one of them, picked by its place
    play = ix.kb.assignments[plays[0]]
    inside = {m.role for m in play.roles}
    negated = bool(_LACKING & set(f.words)) or any(w in ("arent", "isnt", "not", "outside") for w in f.words)
    picked = [r for r in roles if (r not in inside) == negated]
    if not picked:
        return None
    return Frame("compare", {"type": "role", "ids": picked, "aspect": None, "place": play.id})


def _lines_filtered_before(ix: KnowledgeIndex, context: Frame) -> list[int]:
    """The whole list a filtered answer was taken from, when the filter found one line of it: "develop key
    steps where power agrees" found one, so "the step right after that one" walks the stage's key steps."""
    fields = tuple(x for x in context.slots.get("fields", []) if isinstance(x, str))
    stage = context.slots.get("mssp_stage")
    content = [c for c in context.slots.get("filter", []) if isinstance(c, str)]
    if context.kind != "facts.with" or fields not in _LISTED_FIELDS.values() or not isinstance(stage, str):
        return []
    if stage not in {s.id for s in ix.kb.mssp_stages} or not content:
        return []
    listed = [i for field in fields[:1] for i in ix.graph.facts_of(stage, field)]
    found = [i for i in listed if set(content) <= ix.graph.facts[i].stems]
    return listed if len(found) == 1 else []


def _line_with_a_word_swapped(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "where's the eval plan underway" (Solution's checkpoint), then "and completed?": the line like the one just
    found, with the word said in place of one of its own ("Eval plan completed ...", Proof's)."""
    facts = context.slots.get("facts") if context.kind == "where" else context.slots.get("looked_facts")
    if not isinstance(facts, list) or not facts or not _is_item(ix, ["fact", facts[0]]):
        return None
    # ("completed" is no exit criteria asked for here: a state of the line's thing)
    if len(f.words) > 5 or any(t != "glossary" for t in f.entities) or f.cues & (ASPECT_CUES - {"exit"}):
        return None
    graph = ix.graph
    line = graph.facts[facts[0]]
    # (every word said, cue words too: "completed" is also a word for exit criteria)
    said = {compose.stem(w) for w in f.words if w not in ix.stopwords and not w.isdigit()}
    if not said or not said <= set(graph.idf) or said <= line.stems:
        return None
    new = said - line.stems
    alike = [
        (len(fact.stems & line.stems), -i)
        for i, fact in enumerate(graph.facts)
        if i != facts[0] and new <= fact.stems and len(fact.stems & line.stems) >= 2
    ]
    if not alike:
        return None
    best = max(alike)[0]
    picked = sorted(-i for overlap, i in alike if overlap == best)[:3]
    return Frame("where", {"facts": picked, "asked": context.slots.get("asked", "stage")})


def _others_in_the_unit(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "its unit?" then "and the other role in that unit", "who else is in that unit and what do they do": the
    unit's other roles, and what each does (the unit is where to look, not what is asked)."""
    role = context.slots.get("role")
    if not isinstance(role, str) or role not in ix.kb.roles or not {"other", "else"} & set(f.words):
        return None
    if not {"role", "roles", "who", "one", "person"} & set(f.words):
        return None  # ("what else does that unit own": the unit's, not another role)
    if any(w == "other" and f.words[i + 1 : i + 2] in (["unit"], ["units"], ["unit's"]) for i, w in enumerate(f.words)):
        return None  # ("and the other unit's roles": another unit)
    unit = ix.kb.unit_of_role(role)
    others = [r for r in unit.roles if r != role] if unit else []
    # ("the other" may already name the other role: "the other role in that unit")
    named_roles = set(f.entities.get("role", []))
    if "unit" not in f.words or any(t not in ("unit", "glossary", "role") for t in f.entities):
        return None
    if named_roles - set(others):
        return None
    if not others:
        return None
    if len(others) == 1:
        return Frame("role.definition", {"role": others[0]})
    return Frame("compare", {"type": "role", "ids": others, "aspect": "focus"})


def _others_in_the_assignment(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "what does the CSAM do in modernize", "and the ATS there?", then "the other two roles in that stage":
    the role assignment's roles the conversation has not named, each with its task there."""
    play = context.slots.get("assignment")
    if not isinstance(play, str) or play not in ix.kb.assignments or "unit" in f.words:
        return None
    if not {"role", "roles", "who", "ones"} & set(f.words) or any(
        t not in ("glossary", "assignment") for t in f.entities
    ):
        return None
    if f.entities.get("assignment", [play]) != [play]:
        return None  # ("the other roles in COMPETE": another role assignment, asked as it stands)
    named = _named_so_far(context, "role")
    members = [r.role for r in ix.kb.assignments[play].roles]
    if named >= set(members) and isinstance(context.slots.get("role"), str):
        named = {context.slots["role"]}  # (the play's whole list, kept for "the third role", is not what was asked)
    others = [r for r in members if r not in named]
    if not named or not others:
        return None
    if len(others) == 1:
        return Frame("assignment.role_task", {"assignment": play, "role": others[0]})
    return Frame("compare", {"type": "role", "ids": others, "place": play})


def _same_place_in_another_stage(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "develop checkpoints", "the 3rd of those", then "same but for qualify": the line at that place in the
    other stage's list (not the other stage's whole card)."""
    looked = context.slots.get("looked_facts")
    stages = f.entities.get("mssp_stage", [])
    if context.slots.get("looked_up") != "item" or not isinstance(looked, list) or len(looked) != 1:
        return None
    if len(stages) != 1 or len(f.words) > 6 or f.cues & ASPECT_CUES or compose.ordinals(f):
        return None
    if not isinstance(looked[0], int) or not 0 <= looked[0] < len(ix.graph.facts):
        return None
    address = ix.graph.facts[looked[0]].address
    if address.subject_type != "mssp_stage" or address.field not in ("checkpoint", "key_step"):
        return None
    if stages[0] == address.subject:
        return None
    place = list(ix.graph.facts_of(address.subject, address.field)).index(looked[0]) + 1
    return Frame("mssp.item", {"mssp_stage": stages[0], "field": address.field, "position": place})


def _next_run_of_stages(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "first 3 mssp stages and their %" then "the next 3", "and the rest": the stages after the run just shown
    side by side, shown the same way."""
    slot, ids = context.slots.get("type"), context.slots.get("ids")
    stored = context.slots.get("shown")
    one = next((s for s in _STAGE_KIND if isinstance(context.slots.get(s), str)), None)
    stages_said = bool({"stage", "stages"} & set(f.words))  # ("the next one" after a list walks the list)
    single = context.kind in _STAGE_ASPECT_OF_KIND or context.kind in _A_STAGE_ITSELF
    if context.kind != "compare" and one and single and stages_said:
        # ("who owns listen & consult" then "what about the next two stages": one stage is a run of one)
        slot, ids = one, [context.slots[one]]
        aspect = _STAGE_ASPECT_OF_KIND.get(context.kind)
        stored = [aspect] if aspect else []
    elif context.kind != "compare":
        return None
    if slot not in _STAGE_KIND or not isinstance(ids, list) or len(f.words) > 6:
        return None
    if any(t != "glossary" for t in f.entities) or compose.ordinals(f):
        return None
    order = [s.id for s in (ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages)]
    if not ids or not all(i in order for i in ids):
        return None
    at = [order.index(i) for i in ids]
    if at != list(range(at[0], at[0] + len(at))):
        return None  # (not a run of neighbouring stages)
    after = order[at[-1] + 1 :]
    words = f.words
    count = next(
        (compose.NUMBER_WORDS.get(w) or (int(w) if w.isdigit() else None) for i, w in enumerate(words[1:], 1)
         if words[i - 1] == "next"),
        None,
    )  # fmt: skip
    if count:
        picked = after[:count]
    elif _REST_WORDS & set(words) and not _LINE_NOUNS & set(words) and context.kind == "compare":
        picked = after
    else:
        return None
    if not picked:
        name = "MSSP" if slot == "mssp_stage" else "MCEM"
        stages = ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages
        gap = f"The {name} stages end there: no stage comes after {stages[at[-1]].name}."
        return Frame("not_covered", {"gaps": [gap], "domain": name.lower()})
    shown = [a for a in stored if a in MSSP_ASPECTS or a in ("exit", "owner")] if isinstance(stored, list) else []
    if len(picked) == 1:
        aspect = MSSP_ASPECTS.get(shown[0]) if shown and slot == "mssp_stage" else None
        return Frame(aspect or _STAGE_KIND[slot], {slot: picked[0]})
    aspects = {"aspects": shown} if len(shown) > 1 else {}
    return Frame("compare", {"type": slot, "ids": picked, "aspect": shown[0] if shown else None, **aspects})


def _walk_list(f: Features, ix: KnowledgeIndex, context: Frame, items: list[tuple[Any, ...]]) -> Frame | None:
    """ "first key step of deploy?" then "ok and after that?"; "proof checkpoints?" then "which one comes
    right before ask for business": the line next to the one picked (or named) in the lines just listed."""
    found = compose.ordinals(f)
    if any(t != "glossary" for t in f.entities) or f.has("stage_word") or any(o.position for o in found):
        return None
    # "the one before that", "two after that": an offset along the list; else "after that", "next one".
    step = next((o.offset for o in found if o.offset and not o.neighbour), 0)
    step = step or (1 if _AFTER_WORDS & set(f.words) else -1 if _BEFORE_WORDS & set(f.words) else 0)
    facts = [key for slot, key in items if slot == "fact"]
    roles = [key for slot, key in items if slot == "role"]
    place = context.slots.get("assignment")
    if (
        step
        and roles
        and len(roles) == len(items)
        and place in ix.kb.assignments
        and context.slots.get("role") in roles
    ):
        # "what does the ATS do in MODERNIZE" then "who's listed after them there": the next role listed.
        at = roles.index(context.slots["role"]) + step
        if not 0 <= at < len(roles):
            return None
        return Frame(
            "assignment.role_task", {"assignment": place, "role": roles[at], "items": [list(i) for i in items]}
        )
    if not step or len(facts) != len(items):
        return None
    focus = context.slots.get("focus")
    anchor = facts.index(focus[1]) if isinstance(focus, list) and len(focus) == 2 and focus[1] in facts else None
    looked = [i for i in context.slots.get("looked_facts", []) or [] if i in facts]
    if anchor is None and len(looked) == 1:
        anchor = facts.index(looked[0])  # ("which stage has 'ask for business'" then "the checkpoint before it")
    filtered_by = {c for c in context.slots.get("filter", []) or [] if isinstance(c, str)}
    found = [i for i in facts if filtered_by and filtered_by <= ix.graph.facts[i].stems]
    if anchor is None and len(found) == 1:
        anchor = facts.index(found[0])  # ("the key step where power agrees?" then "the step right after that one")
    wanted = compose.content_stems(content_features(f), ix) - FILTER_VERBS
    named = [i for i in facts if wanted and len(wanted & ix.graph.facts[i].stems) >= 2]
    if len(named) == 1:
        anchor = facts.index(named[0])  # "the one right before ask for business"
    elif wanted and len(f.words) > 5:
        return None  # it names something else: not a walk along the list
    if anchor is None or not 0 <= anchor + step < len(facts):
        return None
    chosen = facts[anchor + step]
    return Frame(
        "where", {"facts": [chosen], "asked": "item", "items": [list(i) for i in items], "focus": ["fact", chosen]}
    )


def _asks_for_the_rest(f: Features) -> bool:
    return any(w in ("two", "three", "four", "others", "ones", "rest", "remaining") for w in f.words)


def _name_words(ix: KnowledgeIndex, item: tuple[Any, ...]) -> set[str]:
    """The words of a listed item's full name ("cloud", "solution", "architect" for the CSA)."""
    slot, key = item
    return set(normalize(_entity_name(ix, slot, key)).split()) - ix.kb.lexicon.stopwords


def _entity_name(ix: KnowledgeIndex, slot: str, key: str, short: bool = False) -> str:
    """A stage's, play's, role's or unit's name ("Cloud Solution Architect"); short, a role or unit is said as
    an answer says it ("the CSA"). "" for what the documents do not have."""
    kb = ix.kb
    if slot in ("role", "unit"):
        found = kb.roles.get(key) if slot == "role" else kb.units.get(key)
        if found is None:
            return ""
        return f"the {found.acronym}" if short else found.name
    if slot == "mssp_stage":
        return kb.mssp_stage(key).name
    if slot == "mcem_stage":
        return kb.mcem_stage(key).name
    return kb.assignments[key].name if slot == "assignment" and key in kb.assignments else ""


def _names_another_type(f: Features, slot: str) -> bool:
    """ "the other stage they own" after a list of roles: it asks for a stage, not the other role."""
    stage = bool(f.entities.get("mssp_stage") or f.entities.get("mcem_stage") or f.has("stage_word"))
    if slot in ("mssp_stage", "mcem_stage"):
        return f.has("roles_word", "unit_word") and not stage
    return stage or (slot != "role" and f.has("roles_word")) or (slot != "unit" and f.has("unit_word"))


def _alternatives(f: Features) -> tuple[Frame, ...]:
    """Readings set aside as too unlikely ("tell me about close"): offered as "Did you mean ...?"."""
    if f.unknown:
        return ()
    frames = [Frame("mssp.stage", {"mssp_stage": s}) for s in f.rejected.get("mssp_stage", [])]
    frames += [Frame("assignment.roles", {"assignment": a}) for a in f.rejected.get("assignment", [])]
    return tuple(frames[:3])


def _with_context(
    f: Features, ix: KnowledgeIndex, context: Frame, frame: Frame | None, confidence: float
) -> Frame | None:
    """A better reading of the question as a follow-up to the previous one, if there is one."""
    new_types = {t for t in f.entities if t in ENTITY_SLOTS or t == "group"}
    named = [(t, f.entities[t]) for t in new_types if t in ENTITY_SLOTS]
    listed = _about_the_listed_roles(f, ix, context) if not named else None
    if listed:
        return listed
    handed_on = _handed_on(f, ix, context) if not named else None
    if handed_on:
        return handed_on
    between = _between_the_two(f, ix, context)
    if between:
        return between
    under = _under_the_one_in_focus(f, ix, context)
    if under:
        return under

    if f.has("compare") and len(named) == 1 and len(named[0][1]) == 1:
        # "CSAM's MCEM focus" then "compare it with the AE's": the two side by side, on what was asked before.
        compared = _compared_with_context(f, ix, context, named[0][0], named[0][1][0])
        if compared:
            return compared
    if f.has("compare") and f.has("next", "previous") and not named:
        # "probability of Solution" then "compare it with the next": the stage next to it, side by side.
        for slot in ("mssp_stage", "mcem_stage"):
            stages = [s.id for s in (ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages)]
            here = context.slots.get(slot)
            at = stages.index(here) + (1 if f.has("next") else -1) if here in stages else -1
            if 0 <= at < len(stages):
                compared = _compared_with_context(f, ix, context, slot, stages[at])
                if compared:
                    return compared
    short = len(f.words) <= 5
    listed_stages = _mcem_stages_listed(ix, context)
    place = _assignment_in_context(ix, context)
    new_roles = f.entities.get("role", [])
    asks_part = not _specific_cues(f) - {"does", "definition"} and (f.opener or short or "part" in f.words)
    if place and len(new_roles) == 1 and new_types == {"role"} and asks_part:
        # "who's in MODERNIZE" then "and the CSAM's part?"; "who does technical discovery in MAP" then "and the
        # AE there?": that role's task in the role assignment the conversation is about.
        before = context.slots.get("role")
        pair = {"items": [["role", before], ["role", new_roles[0]]]} if isinstance(before, str) else {}
        return Frame("assignment.role_task", {"assignment": place, "role": new_roles[0], **pair})
    role_before = context.slots.get("role")
    plays = f.entities.get("assignment", [])
    said_in = f.opener or f.words[:1] == ["in"]  # ("and in modernize?", "in MAP?")
    if new_types == {"assignment"} and len(plays) == 1 and role_before in ix.kb.roles and asks_part and said_in:
        # "who does technical discovery in MAP" (the ATS) then "and in modernize?": the ATS's task there.
        return Frame("assignment.role_task", {"assignment": plays[0], "role": role_before})
    unit_in_context = context.slots.get("unit")
    if f.has("exit") and not new_types and short and unit_in_context in ix.kb.units:
        # "ATU owns which stage", "roles in it?", then "exit crit?": the exit criteria of that unit's stages.
        owned = list(ix.kb.units[unit_in_context].stages)
        if len(owned) == 1:
            return Frame("mcem.exit", {"mcem_stage": owned[0]})
        return Frame("compare", {"type": "mcem_stage", "ids": owned, "aspect": "exit"})
    mssp_stage = context.slots.get("mssp_stage")
    only_exit = not (_content(f, ix) - _EXIT_CUE_STEMS)  # ("and 'eval plan completed'?" names a line)
    if f.has("exit") and only_exit and not new_types and short and mssp_stage in {s.id for s in ix.kb.mssp_stages}:
        # "stage at 80%?" then "exit crit?": MSSP stages end with a verifiable outcome, not exit criteria.
        name = ix.kb.mssp_stage(mssp_stage).name
        gap = _mssp_has_no_exit(name)
        return Frame("mssp.outcome", {"mssp_stage": mssp_stage, "gaps": [gap]})
    one_stage = context.slots.get("mcem_stage")
    if f.has("exit") and not new_types and f.pronoun and isinstance(one_stage, str) and context.slots.get("focus"):
        return Frame("mcem.exit", {"mcem_stage": one_stage})  # "owner of the 2nd?" then "exit crit for it?"
    if f.has("exit") and not new_types and listed_stages and short:
        # "what stage does that unit own" then "exit criteria?": the exit criteria of the stages just named.
        if len(listed_stages) == 1:
            return Frame("mcem.exit", {"mcem_stage": listed_stages[0]})
        return Frame("compare", {"type": "mcem_stage", "ids": listed_stages, "aspect": "exit"})
    if context.slots.get("moved_on") and f.has("next") and not new_types and short:
        # "verbal approval came in, what stage?" ("... next comes Close") then "what's next?": Close itself.
        return Frame("mssp.stage", {"mssp_stage": context.slots["mssp_stage"]})
    looked_up = context.slots.get("looked_up")
    if f.opener and not new_types and looked_up in ("who", "stage") and len(f.words) <= 6:
        # "in which stage do we establish the opty v-team" then "and the qualification v-team?": the same
        # look-up of another line.
        line = compose.find_mention(content_features(f), ix, min_coverage=0.75)
        if line:
            return Frame("where", {"facts": list(line.facts[:3]), "asked": looked_up})
    if f.percents and short and context.kind in MSSP_ASPECTS.values() and context.kind != "mssp.probability":
        reused = _follow_up(f, context, ix)  # "checkpoints for the stage at 0%" then "and at 100%?"
        if reused:
            return reused
    # "and Inspire & Design?", "what about the SSP?": the previous question about a new entity.
    same = f.opener and "same" in f.words[:2]  # "same role in MAP?": the same question, another entity
    # ("the ATS?" after "what does the SSP do there": a name alone asks the same of it)
    named_at = {i for s, e, _, _ in f.spans for i in range(s, e)}
    name_alone = bool(named_at) and all(i in named_at or w in ("the", "a", "an") for i, w in enumerate(f.words))
    if new_types and (f.opener or (short and frame is None) or name_alone) and (not _specific_cues(f) or same):
        reused = _follow_up(f, context, ix)
        if reused:
            return reused
    # "and the stage after?" after Qualify's verifiable outcome: the next stage's outcome, not just its name.
    # ("next stage's %" after Qualify's probability, too: short, with no opener)
    said_next = {w for c in ("next", "previous") for s, e in f.cue_spans.get(c, []) for w in f.words[s:e]}
    # ("what's its probability then?" is no neighbour; "ok whats the next stage's outcome" is)
    neighbour_said = f.opener or (len(f.words) <= 7 and bool(said_next - {"then"}))
    if neighbour_said and f.has("next", "previous") and not new_types and context.kind in MSSP_ASPECTS.values():
        reused = _follow_up(f, context, ix)
        if reused:
            return reused
    # "and its stages?" after what MCEM is: that document's stages.
    overview = {"overview.mcem": "mcem", "overview.mssp": "mssp"}.get(context.kind)
    if overview and not new_types and f.has("stage_word") and not _specific_cues(f) - {"unit_scope"}:
        return Frame("order.list", {"domain": overview})
    # "the other stage they own", "other role in it": not the previous entity itself, another beside it.
    if "other" in f.words and not new_types:
        reused = _follow_up(f, context, ix)
        if reused:
            return reused
    asks_unit = f.has("unit_word", "belongs") and not new_types and f.pronoun
    if asks_unit and context.slots.get("role") in ix.kb.roles and context.kind.startswith("assignment."):
        # "what does the SSP do in COMPETE" then "which unit are they in": a role has a unit, an assignment none.
        return Frame("role.unit", {"role": context.slots["role"]})
    if context.kind == "assignment.role_task" and f.has("does") and not new_types and not _specific_cues(f):
        return context  # "the third role in MAP - who, and what do they do?": that role's task there
    # "which unit is it in?", "what does the CSA do there?": the previous entity fills the gap.
    missing = [(t, v) for t, v in context.slots.items() if t in ENTITY_SLOTS and t not in f.entities]
    # Only a question that asks something ("its checkpoints", a pronoun, a cue) borrows the previous
    # entity; a bare "no" or "ok" after an answer must not turn into a question about that entity.
    asks = f.pronoun or bool(_specific_cues(f)) or f.has("definition", "does", "who")
    # "which unit?" right after a question about the CSA asks the CSA's unit, not for every unit.
    generic_list = frame is not None and frame.kind in ("units.list", "roles.list", "order.list", "overview.mcem")
    # ("which unit should be driving" after a stage: one unit, that stage's; "which units are there" lists them)
    one_asked = "unit" in f.words and "units" not in f.words and not f.has("every", "count")
    short = (len(f.words) <= 3 or one_asked) and generic_list
    if missing and _refers_within(f):
        missing = []  # "which stage does that unit own + its exit": "its" is the stage this message asks about
    roles_do = f.has("does") and not _UNITS_OWN & set(f.words)
    if missing and roles_do and any(t == "role" for t, _ in missing):
        missing = [(t, v) for t, v in missing if t == "role"]  # ("what does that one drive": roles do, units own)
    if missing and asks and (f.pronoun or frame is None or short or (f.opener and confidence < 0.8)):
        found: list[Frame] = []
        for entity_type, entity_id in missing:
            neighbour = _neighbour_asked(f, ix, entity_type, entity_id)
            if neighbour is None:
                return _no_neighbour(ix, entity_type, entity_id, f.has("next"))
            injected = replace(f, entities={**f.entities, entity_type: [neighbour]})
            if neighbour != entity_id:  # (the neighbour is named now: "next" asks nothing more)
                injected = replace(
                    injected,
                    cues=f.cues - {"next", "previous"},
                    cue_spans={g: sp for g, sp in f.cue_spans.items() if g not in ("next", "previous")},
                )
            candidate, _ = _explicit(injected, ix, None)
            if candidate and entity_type in candidate.slots:
                found.append(candidate)
        # "which stages is it accountable for?" after "which unit is the SSP in?": the reading that
        # a cue asks for specifically (the unit's stages) beats a default reading (the SSP's role).
        strong = [c for c in found if kinds.is_strong(c.kind)]
        if strong or found:
            return (strong or found)[0]
    if frame is None or (f.opener and confidence < 0.8):
        return _follow_up(f, context, ix)
    counted = context.slots.get("counted")
    if f.opener and not new_types and type(counted) is int and counted and _names_only_the_other_document(f, context):
        return _follow_up(f, context, ix)  # "last mcem stage?" then "what about mssp": not what MSSP is
    return None


def _no_neighbour(ix: KnowledgeIndex, slot: str, stage: str, after: bool) -> Frame:
    """ "support checkpoints" then "and the next stage's checkpoints?": there is none, and the answer says so."""
    stages = ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages
    document = "MSSP" if slot == "mssp_stage" else "MCEM"
    name = next((s.name for s in stages if s.id == stage), stage)
    end, word = ("last", "after") if after else ("first", "before")
    gap = f"{name} is the {end} of the {len(stages)} {document} stages: no stage comes {word} it."
    return Frame("not_covered", {"gaps": [gap], "domain": document.lower()})


def _neighbour_asked(f: Features, ix: KnowledgeIndex, slot: str, stage: Any) -> Any:
    """ "exit criteria for L&C" then "and the next stage's exit criteria?": the stage next to the one in context."""
    # ("the next stage's exit criteria", "the VO right after": the neighbour word ends the message)
    said_last = f.words[-1:] in (["after"], ["before"])
    if slot not in _STAGE_KIND or not (f.has("stage_word") or said_last) or not f.has("next", "previous"):
        return stage
    if not f.cues & ASPECT_CUES:
        return stage  # ("which stage is next?": the order answer names it)
    order = [s.id for s in (ix.kb.mcem_stages if slot == "mcem_stage" else ix.kb.mssp_stages)]
    if stage not in order:
        return stage
    at = order.index(stage) + (1 if f.has("next") else -1)
    return order[at] if 0 <= at < len(order) else None


def _names_only_the_other_document(f: Features, context: Frame) -> bool:
    said = [w for w in f.words if w in ("mcem", "mssp")]
    here = "mcem" if "mcem_stage" in context.slots else "mssp"
    return len(said) == 1 and said[0] != here and len(f.words) <= 4


# What a kind of answer gives, said after "doesn't give its stages" ("exit" -> "exit criteria").
_ASKED_NAMES = {"exit": "exit criteria", "owner": "owners", "probability": "probabilities",
                "objective": "objectives", "outcome": "verifiable outcomes"}  # fmt: skip
# How many words a scope before the question may take: "in the how they work together table, what's AE + ATS for".
_SCOPE_WORDS = 8
_DOCUMENT_WORDS = frozenset({"doc", "docs", "document", "methodology", "framework", "process", "guide", "model"})
_STAGE_KIND = {"mcem_stage": "mcem.stage", "mssp_stage": "mssp.stage"}
_ASPECT_LABELS = {"mssp.checkpoints": "checkpoints", "mssp.key_steps": "key steps",
                  "mssp.outcome": "verifiable outcome", "mssp.objective": "sales stage objective",
                  "mssp.probability": "probability"}  # fmt: skip


def _in_the_other_document(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "how many stages does MCEM have" then "and for the other doc?": the same question of the other
    document; a stage is matched by its place ("stage 3 of mcem", then the other doc's stage 3)."""
    if "other" not in f.words or not _DOCUMENT_WORDS & set(f.words) or any(t != "glossary" for t in f.entities):
        return None
    return _same_place_in_other(ix, context)


def _same_place_in_other(ix: KnowledgeIndex, context: Frame) -> Frame | None:
    domain = context.slots.get("domain")
    if domain in ("mcem", "mssp") and (context.kind.startswith("order.") or context.kind.startswith("overview.")):
        return Frame(context.kind, {"domain": "mssp" if domain == "mcem" else "mcem"})
    slot = next((s for s in ("mcem_stage", "mssp_stage") if isinstance(context.slots.get(s), str)), None)
    if slot is None:
        return None
    here = [s.id for s in (ix.kb.mcem_stages if slot == "mcem_stage" else ix.kb.mssp_stages)]
    other_slot = "mssp_stage" if slot == "mcem_stage" else "mcem_stage"
    there = [s.id for s in (ix.kb.mssp_stages if slot == "mcem_stage" else ix.kb.mcem_stages)]
    if context.slots[slot] not in here:
        return None
    at = here.index(context.slots[slot])
    document = "MSSP document" if other_slot == "mssp_stage" else "MCEM guide"
    counted = context.slots.get("counted")
    if type(counted) is int and 0 < -counted <= len(there):
        # ("last mcem stage?" then "what about mssp": the other document's last stage)
        at = len(there) + counted
        gaps = [f"The documents don't say how the MSSP stages line up with the MCEM stages; this is stage {at + 1} of "
                f"the {len(there)} in the {document}."]  # fmt: skip
        return Frame(_STAGE_KIND[other_slot], {other_slot: there[at], "gaps": gaps, "counted": counted})
    if at >= len(there):
        gap = (
            f"The documents don't say how the MSSP stages line up with the MCEM stages, and the {document} has "
            f"only {len(there)} stages, so none is stage {at + 1}."
        )
        return Frame("not_covered", {"gaps": [gap]})
    # ("stage 3 of mcem" then "and for the other doc?": the same place; the documents do not pair the stages)
    gaps = [f"The documents don't say how the MSSP stages line up with the MCEM stages; this is stage {at + 1} of "
            f"the {document}."]  # fmt: skip
    label = _ASPECT_LABELS.get(context.kind)
    if label and other_slot == "mcem_stage":
        gaps.append(_no_mcem_aspect(label))
    return Frame(_STAGE_KIND[other_slot], {other_slot: there[at], "gaps": gaps})


def _position_in_either_document(f: Features, ix: KnowledgeIndex) -> Frame | str | None:
    """ "6th stage?": a stage position with no document named is the MSSP's when MCEM has no such stage
    (returns "mssp"); "3rd stage?" is a stage of each (both answered); None when it is no such question."""
    found = [o for o in compose.ordinals(f) if o.position and not o.offset]
    named = any(t != "glossary" for t in f.entities) or f.percents
    if len(found) != 1 or named or not ({"stage", "stages"} & set(f.words)) or f.cues & ASPECT_CUES:
        return None
    if {"assignment", "assignments", "role", "roles", "unit", "units", "row", "table"} & set(f.words):
        return None  # ("the first stage in the role assignments section": one of MAP ... MODERNIZE)
    said = set(f.stems[found[0].start : found[0].end])  # ("second stage from the end": the position's words)
    if any(
        compose.ordinal_position(c) is None and c not in said for c in compose.content_stems(content_features(f), ix)
    ):
        return None  # ("the first stage where a sponsor letter shows up": the stages that have that line)
    # ("second stage from the end": the noun is inside the position's words)
    inside = f.words[found[0].start + 1 : found[0].start + 2]
    if compose.ordinal_noun(f, found[0]) not in ("stage", "stages") and inside not in (["stage"], ["stages"]):
        return None
    position = found[0].position
    in_mcem = 0 <= compose.index_at(position, len(ix.kb.mcem_stages)) < len(ix.kb.mcem_stages)
    in_mssp = 0 <= compose.index_at(position, len(ix.kb.mssp_stages)) < len(ix.kb.mssp_stages)
    if in_mssp and not in_mcem:
        return "mssp"
    if not (in_mssp and in_mcem) or position in (1, -1):
        return None  # ("first stage", "last stage": order.first and order.last answer each document's)
    mcem_at = compose.index_at(position, len(ix.kb.mcem_stages))
    mssp_at = compose.index_at(position, len(ix.kb.mssp_stages))
    parts = [  # ("3rd stage?", "second stage from the end": each document's)
        Frame("mcem.stage", {"mcem_stage": ix.kb.mcem_stages[mcem_at].id}).to_dict(),
        Frame("mssp.stage", {"mssp_stage": ix.kb.mssp_stages[mssp_at].id}).to_dict(),
    ]
    return Frame("both", {"parts": parts})


def _collaboration_row(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """After a row of the how-they-work-together table: "and the last row?", "the next one?", "the CSAM
    row", "its unit?" (the units of that row's roles)."""
    row = context.slots.get("row")
    if context.kind != "collaboration":
        return None
    roles = f.entities.get("role", [])
    if roles and ({"row", "one", "line"} & set(f.words)) and not f.has("unit_word", "belongs"):
        return Frame("collaboration", {"role": roles[0]})  # "and the CSAM row"
    if not isinstance(row, int) or not 0 < row <= len(ix.kb.collaboration):
        return None
    if f.entities:
        return None
    picked = [o for o in compose.ordinals(f) if o.position and not o.offset]
    if picked:
        return Frame("collaboration", {"row": picked[0].position})
    step = 1 if f.has("next") else -1 if f.has("previous") else 0
    if step and 0 < row + step <= len(ix.kb.collaboration):
        return Frame("collaboration", {"row": row + step})
    row_roles = list(ix.kb.collaboration[row - 1].roles)
    if f.has("unit_word", "belongs") and row_roles:
        if len(row_roles) == 1:
            return Frame("role.unit", {"role": row_roles[0]})
        return Frame("compare", {"type": "role", "ids": row_roles, "aspect": "unit"})
    return None


def _no_mcem_aspect(label: str) -> str:
    """What an MSSP aspect asked of an MCEM stage meets: the guide gives its stages none."""
    return f"The MCEM guide doesn't give its stages {label} (that is the MSSP document's)."


def _mcem_stages_listed(ix: KnowledgeIndex, context: Frame) -> list[str]:
    """The MCEM stages the previous answer listed, in its order."""
    listed = (tuple(i) for i in context.slots.get("items", []) if _is_item(ix, i))
    return [key for slot, key in listed if slot == "mcem_stage"]


def _mssp_aspect_of_mcem_stage(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "what comes after Empower & Achieve" then "what's its probability then?": MCEM stages have none; the
    stage the conversation is about, with that said."""
    aspect = _aspect(f)
    if aspect not in MSSP_ASPECTS or f.entities or not (f.pronoun or f.opener or len(f.words) <= 4):
        return None
    if aspect in ("outcome", "objective") and not {"verifiable", "sales"} & set(f.words):
        return None  # ("outcome" alone is also the Realize Value exit criterion's word)
    stage = context.slots.get("mcem_stage")
    listed = _mcem_stages_listed(ix, context)
    stage = stage if isinstance(stage, str) else (listed[0] if len(listed) == 1 else None)
    if stage is None or "mssp_stage" in context.slots:
        return None
    label = _ASPECT_LABELS[MSSP_ASPECTS[aspect]]
    gap = _no_mcem_aspect(label)
    return Frame("mcem.stage", {"mcem_stage": stage, "gaps": [gap]})


def _who_with_the_role_in_context(f: Features, ix: KnowledgeIndex, context: Frame) -> Frame | None:
    """ "ATS focus?" then "who do they partner with": the role's own line that answers it names the other."""
    role = context.slots.get("role")
    named = any(t != "glossary" for t in f.entities)
    if f.words[:1] != ["who"] or not f.pronoun or named or not isinstance(role, str) or role not in ix.kb.roles:
        return None
    own = compose.find_mention(content_features(f), ix, min_coverage=0.5, within=role)
    return Frame("where", {"facts": list(own.facts[:2]), "asked": "item"}) if own else None


def _assignment_in_context(ix: KnowledgeIndex, context: Frame) -> str | None:
    """The role assignment the previous answer was about: named in it, or the one place of the lines it found."""
    named = context.slots.get("assignment")
    if isinstance(named, str) and named in ix.kb.assignments:
        return named
    looked = [i for i in context.slots.get("looked_facts", []) if isinstance(i, int) and 0 <= i < len(ix.graph.facts)]
    places = {ix.graph.facts[i].address.subject for i in looked}
    if len(places) == 1 and next(iter(places)) in ix.kb.assignments:
        return next(iter(places))
    return None


_PLACE_WORDS = frozenset({"in", "at", "during", "for", "of", "to", "with", "from", "under", "on"})


def _refers_within(f: Features) -> bool:
    """Its only pronouns are possessives ("its", "their") or "it" after something the message names itself
    ("same for the CSU - what does it own")."""
    said = [
        i
        for i, w in enumerate(f.words)
        if w in PRONOUNS and not (w in _DEMONSTRATIVES and f.words[i + 1 : i + 2] and f.words[i + 1] in _REFERENTS)
    ]
    # ("what does the CSA do in it": "in it" is a place, the one the conversation is about)
    placed = [i for i in said if f.words[i] == "it" and f.words[i - 1 : i] and f.words[i - 1] in _PLACE_WORDS]
    if not said or placed or any(f.words[i] not in ("its", "their", "it") for i in said):
        return False
    named = [s for s, _, kind, _ in f.spans if kind != "glossary"]
    named += [i for i in range(1, len(f.words)) if f.words[i - 1] in _DEMONSTRATIVES and f.words[i] in _REFERENTS]
    return bool(named) and min(named) < said[0]


def _explicit(f: Features, ix: KnowledgeIndex, context: Frame | None) -> tuple[Frame | None, float]:
    rules = (
        lambda: _mssp(f, ix),
        # "exit criteria?" after a question about one MCEM stage asks for that stage's, not all five.
        lambda: (
            None
            if context and "mcem_stage" in context.slots and not _content(f, ix) - _EXIT_CUE_STEMS
            else _exit_reverse(f, ix)
        ),
        lambda: _order(f, context),
        lambda: _mcem_stage(f),
        lambda: _assignment(f),
        lambda: _unit(f),
    )
    for rule in rules:
        frame = rule()
        if frame:
            generic = frame.kind in ("mcem.stage", "unit.summary")
            return frame, 0.75 if generic else 0.9
    role = _role(f, ix)
    if role:
        frame, specific = role
        return frame, 0.9 if specific else 0.75
    glossary = _glossary(f)
    if glossary and glossary.kind == "glossary" and _term_inside_a_line(f, ix):
        glossary = None
    if glossary and glossary.kind == "collaboration" and not glossary.slots:
        # "in the how they work together table, which combo is there to define account and technology strategy":
        # the row whose words the question says, not the whole table.
        row = compose.find_mention(content_features(f), ix, min_coverage=0.7)
        top = ix.graph.facts[row.facts[0]] if row else None
        if row and top and top.address.field == "purpose" and len(top.stems & _content(f, ix)) >= 2:
            return Frame("where", {"facts": [row.facts[0]], "asked": "who"}), 0.85
    if glossary:
        if glossary.kind == "glossary" and f.words[:1] in (["when"], ["where"]):
            return glossary, 0.4  # "when is the next MCAPS Start event?": what MCAPS means is not when
        return glossary, 0.9 if f.has("glossary", "definition", "count", "list", "roles_list", "units_list") else 0.7
    if f.entities.get("mssp_stage"):
        return Frame("mssp.stage", {"mssp_stage": f.entities["mssp_stage"][0]}), 0.75
    if _aspect(f) and not context:
        aspect = _aspect(f)
        if aspect in ("probability", "objective", "outcome"):
            return Frame(f"mssp.{aspect}_all"), 0.8
        return Frame("pick_stage", {"aspect": aspect}), 0.7
    if f.has("who", "owner", "responsibilities", "does"):
        found = compose.find_mention(content_features(f), ix, role_lines_only=True)
        if found:
            return Frame("where", {"facts": list(found.facts[:6]), "asked": "who"}), 0.85
    if f.has("together"):
        return Frame("collaboration", {}), 0.8
    return None, 0.0


def _line_across(f: Features, ix: KnowledgeIndex, start: int, end: int) -> bool:
    """ "which stage finalises the contract, deployment SOW and support plan": a line the message quotes whole
    runs across its commas, so the clause before one is not the question alone."""
    said = compose.content_stems(content_features(f), ix)
    # (cheap first: the content words outside the clause; most messages have none, or too few words in all)
    outside = {s for i, s in enumerate(f.stems) if not start <= i < end} & said
    if not outside or len(said) < 4:
        return False
    return bool(outside & quoted_line_stems(f, ix))


def _term_inside_a_line(f: Features, ix: KnowledgeIndex) -> bool:
    """ "which stage finalises the contract, deployment SOW and support plan", "what sits under finalize eval plan
    commitments": the term is a few words of a line the message quotes whole, not the thing asked about."""
    if f.has("glossary") or f.words[:2] in (["what", "is"], ["whats"], ["what", "does"]):
        return False  # ("what does SOW stand for", "what is the eval plan")
    term_words = {i for s, e, kind, _ in f.spans if kind == "glossary" for i in range(s, e)}
    outside = {compose.stem(w) for i, w in enumerate(f.words) if i not in term_words}
    line = quoted_line_stems(f, ix)
    return bool(line) and len(outside & line) >= 2


_CLAUSE_BREAK = re.compile(r"[.!?;:\u2026]+\s|\s[-\u2013\u2014]+\s|\.\.\.|[!?]+$|,\s|\sbut\s")


def _words_of(f: Features, content: set[str] | list[str]) -> str:
    """The message's own words for the content stems a list was found by, each once ("partners")."""
    return " ".join(dict.fromkeys(w for w in f.words if compose.stem(w) in content)) or "that"


def _clauses(f: Features) -> list[str]:
    """The message's clauses, as the question clause reads them (kept once per question)."""
    return list(
        compose.once(f, "_clauses", lambda g: [c for c in _CLAUSE_BREAK.split(g.original.strip()) if c.strip()])
    )


def question_clause(f: Features, ix: KnowledgeIndex) -> tuple[int, int, str]:
    """(first word, end, text) of the clause that asks the question: the one naming the most of what the
    documents know (entities and cues), the later one on a tie; the whole message when it is one clause."""
    return compose.once(f, "_question_clause", lambda g: _question_clause(g, ix))


def _question_clause(f: Features, ix: KnowledgeIndex) -> tuple[int, int, str]:
    text = f.original
    cuts = list(_CLAUSE_BREAK.finditer(text))
    if not cuts:
        return 0, len(f.words), f.original
    spellings = ix.kb.lexicon.spellings
    # Each clause with the position of its first word; a separator may hold words too ("but").
    pieces: list[tuple[int, str]] = []
    position, previous_end = 0, 0
    for cut in [*cuts, None]:
        clause = text[previous_end : cut.start() if cut else len(text)]
        size = len(normalize(clause, spellings).split()) if clause.strip() else 0
        if size:
            pieces.append((position, clause))
        position += size
        if cut:
            separator = cut.group()
            position += len(normalize(separator, spellings).split()) if any(c.isalnum() for c in separator) else 0
            previous_end = cut.end()
    clauses = [c for _, c in pieces]
    if len(clauses) <= 1:
        return 0, len(f.words), f.original
    named = {i for s, e, _, _ in f.spans for i in range(s, e)}
    cued = {i for g, spans in f.cue_spans.items() if g != "definition" for s, e in spans for i in range(s, e)}
    asks = f.original.rstrip().endswith("?")
    best = (-1, 0, 0, 0)
    for n, (start, clause) in enumerate(pieces):
        # Word positions count every word before the clause, separators too ("... but here goes - what's").
        size = len(normalize(clause, spellings).split())
        # A name of something the documents know weighs more than a cue word ("by now", "after"), once per
        # name ("the account team" is one); the last clause, with the question mark and a question word, more.
        names = sum(1 for s, _, _, _ in f.spans if start <= s < start + size)
        score = 3 * names + sum(1 for i in range(start, start + size) if i in cued and i not in named)
        last = n == len(clauses) - 1
        if last and asks and any(w in compose.WH_WORDS for w in f.words[start : start + size]):
            score += 2
        elif last and "?" not in text and f.words[start : start + 1] and f.words[start] in compose.WH_WORDS:
            score += 2  # no question mark anywhere: the last clause that opens with a question word asks
        if (score, n) >= best[:2]:
            best = (score, n, start, size)
    return best[2], best[2] + best[3], clauses[best[1]]


def _asked_apart(f: Features, ix: KnowledgeIndex, unknown: list[str]) -> bool:
    """The unknown words sit in a part of the question ("... and ...") that names nothing the documents know."""
    marked = {i for s, e, _, _ in f.spans for i in range(s, e)}
    marked |= {i for g, spans in f.cue_spans.items() if g not in GENERIC_CUES for s, e in spans for i in range(s, e)}
    parts: list[list[int]] = [[]]
    for i, w in enumerate(f.words):
        if w in ("and", "plus", "also") or i in _comma_starts(f, ix):
            parts.append([] if w in ("and", "plus", "also") else [i])
        else:
            parts[-1].append(i)
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return False
    asking = [p for p in parts if any(f.words[i] in unknown for i in p)]
    if not any(any(i in marked for i in p) for p in asking):
        return True
    # "what's the quota for an AE and what do they focus on": the part with the unknown word names the AE,
    # but another part asks what is answered (a cue of its own, no unknown word).
    cued = {i for g, spans in f.cue_spans.items() if g not in GENERIC_CUES for s, e in spans for i in range(s, e)}
    if any(any(i in cued for i in p) for p in parts if p not in asking):
        return True

    # "what does the SE do, and SE headcount per account", "headcount of stu in region, stu stages": the part
    # with the unknown word names only what another part names too; the unknown word is what it asks of it.
    def named_in(p: list[int]) -> set[tuple[str, str]]:
        return {(kind, key) for s, _, kind, key in f.spans if s in p and kind != "glossary"}

    others = [p for p in parts if p not in asking]
    told = set().union(*(named_in(p) for p in others)) if others else set()
    return bool(told) and all(not any(i in cued for i in p) and named_in(p) <= told for p in asking)


def _comma_starts(f: Features, ix: KnowledgeIndex) -> set[int]:
    """The word positions (as the reader counts them) right after each comma of the message."""
    return set(
        compose.once(
            f,
            "_comma_starts",
            lambda g: [len(extract_features(g.original[: m.start()], ix).words) for m in re.finditer(",", g.original)],
        )
    )


def _reports_progress(f: Features) -> bool:
    """Statements only, two or more: no question mark, no question word, nothing named to look up."""
    clauses = _clauses(f)
    return (
        len(clauses) >= 2
        and "?" not in f.original
        and not compose.WH_WORDS & set(f.words)
        and not any(t in f.entities for t in ("mssp_stage", "mcem_stage", "role", "unit", "assignment"))
    )


def _asks_where_clause(said: list[str]) -> bool:
    """ "which stage is she in", "which mcem stage did that close out", "where does it go next"."""
    opening = said[:1] in (["which"], ["what"], ["whats"], ["where"])
    return opening and (any(w in ("stage", "phase") for w in said[1:3]) or "next" in said or "now" in said)


def asks_where_it_stands(f: Features, ix: KnowledgeIndex) -> bool:
    """Whether the message asks where the deal stands (read once per question, asked by several rules)."""
    return compose.once(f, "_asks_where_it_stands", lambda g: _asks_where_it_stands(g, ix))


# A last clause asking only where the deal is and its number: "stage?", "which stage", "stage + prob".
_STAGE_AND_ITS_NUMBER = frozenset({"stage", "which", "what", "whats", "and", "the", "its", "probability", "%"})
_THE_DEAL_AT = frozenset({"am", "i", "are", "we", "at", "is", "my", "our", "deal", "opty", "opportunity", "now", "in",
                          "mssp"})  # fmt: skip


def _asks_where_it_stands(f: Features, ix: KnowledgeIndex) -> bool:
    """A situation question: "... what now?", "... next?", "... next step?" at the end ("next steps identified"
    elsewhere is a line's words), or a statement and then a short question about where it stands
    ("eval plan is underway with partners and services. which stage?")."""
    ending = f.words[-2:]
    if f.has("situation") or ending[-1:] in (["next"], ["now"]) or ending in (["next", "step"], ["next", "steps"]):
        return True
    clauses = _clauses(f)
    words_of = [normalize(c, ix.kb.lexicon.spellings).split() for c in clauses]
    if any(len(w) <= 4 and "next" in w and any(x in ("stage", "phase", "step") for x in w) for w in words_of[1:]):
        return True  # "signed the customer agreement and it's committed pipeline now. next MCEM stage, and ..."
    if any("now" in w[:4] and any(x in ("stage", "phase") for x in w[:4]) for w in words_of[1:]):
        return True  # "signed docs are in. what stage now and who do we transition to?"
    names = ix.stage_names
    # ("at what point should we have negotiated access to power ...? which mssp stage": a question first)
    opens_asking = any(w in compose.WH_WORDS for w in f.words[:3])
    for said in words_of[1:]:
        # "..., and she still hasn't asked for the business. Which stage is she in, what's the probability?",
        # "... - which mcem stage did that just close out", "... where does the engagement go next in mcem"
        # ("which stage comes right before Deploy" asks about the stage it names)
        named = any(f" {n} " in f" {' '.join(said)} " for n in names)
        if not opens_asking and len(said) <= 10 and _asks_where_clause(said) and not named:
            if _names_a_line(" ".join(said), ix):
                continue  # "..., which stage do we hold the lead qualification call in": where a line lives
            return True
    # (the last clause's typos mended as the reader mends them: "stage and propability?")
    last = [ix.correct(w) for w in words_of[-1]] if clauses else []
    only_stage = "stage" in last and set(last) <= _STAGE_AND_ITS_NUMBER and len(last) <= 6
    # "sponsor admitted the pain and there's a compelling event. what % am i at": the deal's own number
    its_number = bool({"%", "probability"} & set(last)) and set(last) <= _STAGE_AND_ITS_NUMBER | _THE_DEAL_AT
    if len(clauses) > 1 and (only_stage or (its_number and _THE_DEAL_AT & set(last))) and not opens_asking:
        return True  # "sponsor agrees to explore, no access to power yet. stage?", "... stage + prob"
    if len(clauses) > 1 and "next" in last and {"mcem", "mssp"} & set(last) and len(last) <= 5:
        return True  # "outcomes met, baseline metrics in. mcem next + who"
    # "got an opty that meets our sales criteria but no sponsor yet. what am i aiming for at this point",
    # "contract signed, revenue in MS Sales. what's the objective of the stage we're moving into?": progress
    # told, then a question about the deal where it is now.
    for said in words_of[1:]:
        # (the question may be followed by chatter: "... what's the objective of the stage we're moving into?
        # need to finalise the handover deck")
        text = f" {' '.join(said)} "
        about_now = any(f" {phrase} " in text for phrase in _THE_DEAL_NOW)
        if about_now and not opens_asking and not any(f" {n} " in text for n in names):
            return True
    return (
        len(clauses) > 1
        and len(last) <= (8 if "next" in last else 5)
        and not f.original.lstrip().startswith(("'", '"', "\u2018", "\u201c"))  # a quoted line: where it lives
        and any(w in ("stage", "stages", "phase") for w in last)
        and any(w in ("which", "what", "where", "whats", "next") for w in last)
        and f.words[:1] != []
        and not opens_asking
    )


_THIS_STAGE = re.compile(r"\b(?:this|the current|our current|current|our)\s+(?:stage|phase)\b", re.I)


def _aspect_of_the_stage_told(f: Features, ix: KnowledgeIndex) -> Understanding | None:
    """ "contract, deployment SOW and support plan are all finalised. what verifiable outcome do we need before
    leaving this stage?": progress told, then a question about "this stage": the question asked of the stage
    the told lines put the deal in (Close), named in place of "this stage"."""
    said = compose.sentences(f.original)
    if len(said) < 2 or not _THIS_STAGE.search(said[-1]) or len(_THIS_STAGE.findall(said[-1])) != 1:
        return None
    asked = extract_features(said[-1], ix)
    if asked.spans or asked.percents or not asked.cues & ASPECT_CUES or asked.has("next", "previous"):
        return None
    if {"else", "left", "still", "remaining", "missing", "yet"} & set(asked.words):
        return None  # ("what else before this stage is done?": what is left of it, the situation's answer)
    told = extract_features(" ".join(said[:-1]), ix)
    situation = compose.situation(told, ix)
    told_stems = compose.content_stems(content_features(told), ix)
    # (the told lines must be said, two words of one at least: "we sell products" places no deal)
    if situation is None or not any(len(ix.graph.facts[i].stems & told_stems) >= 2 for i in situation.facts):
        return None
    stage = (ix.kb.mssp_stage if situation.document == "mssp" else ix.kb.mcem_stage)(situation.stage)
    read = understand(_THIS_STAGE.sub(f"the {stage.name} stage", said[-1]), ix)
    named = read.frame.slots.get("mssp_stage") or read.frame.slots.get("mcem_stage")
    return read if read.answerable and named == situation.stage and read.confidence >= 0.85 else None


# Words of a last question about the deal where it stands now (after progress told before it).
_THE_DEAL_NOW = (
    "this point", "at this stage", "from here", "next thing", "aiming for", "moving into", "move into",
    "moving on", "move on", "do with it", "we are moving", "were moving", "heading into", "up to now",
    "end of the line", "are we done", "all done",
    "still missing", "other checkpoints", "anything else before", "still to do", "still need", "left to do",
)  # fmt: skip


_FIELD_WORDS = frozenset({"outcome", "outcomes", "checkpoint", "checkpoints", "objective", "step", "steps"})


def _only_the_line(f: Features, ix: KnowledgeIndex, fact: int) -> bool:
    """The message before its question is the line's own words ("access to power negotiated - which
    stage"), not progress reported around it ("worksheets done and negotiations in flight")."""
    clauses = _clauses(f)
    said = compose.content_stems(extract_features(" ".join(clauses[:-1]), ix), ix)
    line = ix.graph.facts[fact].stems
    # (most of the line and nothing else but a short form of its words: "qualification v-team (incl services)")
    others = [w for w in said - line if len(w) < 3 or not any(s.startswith(w) for s in line)]
    return not others and len(said & line) >= max(2, 0.7 * len(line))


_WHICH_STAGE_WORDS = frozenset({"which", "what", "stage", "mssp", "mcem", "is", "that", "it", "in", "the", "this"})


def _asks_only_which_stage(f: Features, ix: KnowledgeIndex) -> bool:
    """ "access to power negotiated - which stage": after one line, only "which stage" is asked: where
    the line lives (not what comes next)."""
    clauses = _clauses(f)
    asked = normalize(clauses[-1], ix.kb.lexicon.spellings).split() if len(clauses) > 1 else []
    if not asked or "stage" not in asked or asked[0] not in ("which", "what"):
        return False
    # ("what stage is that set up in", "which stage is it done in": the line's place, with a verb of doing)
    done_in = asked[-1] in ("in", "at", "during") and bool({"that", "it", "this"} & set(asked)) and len(asked) <= 8
    return set(asked) <= _WHICH_STAGE_WORDS or done_in


def _names_a_line(clause: str, ix: KnowledgeIndex) -> bool:
    """The clause names a line by two words or more of its own ("hold the lead qualification call")."""
    said = extract_features(clause, ix)
    content = compose.content_stems(content_features(said), ix)
    found = compose.find_mention(content_features(said), ix, min_coverage=0.5) if len(content) >= 2 else None
    return found is not None and len(content & ix.graph.facts[found.facts[0]].stems) >= 2


def _asks_the_lines_place(f: Features, ix: KnowledgeIndex) -> bool:
    """The last sentence asks which stage "that" is a line of: "what stage's outcome is that"."""
    clauses = _clauses(f)
    asked = set(normalize(clauses[-1], ix.kb.lexicon.spellings).split()) if len(clauses) > 1 else set()
    still_open = {
        "missing",
        "left",
        "still",
        "remaining",
        "outstanding",
    } & asked  # ("which checkpoint is still missing")
    return bool(_FIELD_WORDS & asked and _DEMONSTRATIVES & asked and {"stage", "stages"} & asked) and not still_open


_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|&|\+|also|plus)\s+(?=(?:(?:in|at|for|from|during|by|on|to|with)\s+)?"
    r"(?:what|whats|what's|which|who|whos|who's|how|when|where|is|are|does|do|can|should)\b"
    # "what's the probability there and in the one after it": the same question of another stage
    r"|(?:in|at|for|of)\s+the\s+(?:one|stage)\s+(?:after|before|following)\b)"
    r"|(?<=\?)\s*\+\s+"  # "warranty period after deploy? + deploy prob": a second question after a first
    # "min deal size to meet sales criteria? which stage": a short question about where, after a first one
    r"|(?<=\?)\s+(?=(?:which|what|whats|what's)\s+(?:mssp\s+|mcem\s+)?stage\b|stage\b)"
    # "mssp has a negotiate stage between proof and close right? whats the close objective": a question after
    r"|(?<=\?)\s+(?=(?:what|whats|what's|which|who|whos|who's|how|when|where)\b)"
    r"|,\s+(?=which\s+stage\b)",  # "ideal size of the qualification v-team, which stage?"
    re.IGNORECASE,
)


# Where one of several questions ends: a sentence's end, or a comma / "and" before a question word or "its".
_QUESTION_PART = re.compile(
    r"(?<=[.?!])\s+|(?:,\s*(?:and\s+)?|\s+and\s+)"
    r"(?=(?:what|whats|what's|which|who|whos|who's|how|where|when|its|their|and its|and what)\b)",
    re.IGNORECASE,
)


_CLAIM_JOIN = re.compile(r",?\s+and\s+", re.IGNORECASE)


def _two_claims(text: str, f: Features, ix: KnowledgeIndex, context: Frame | None) -> Understanding | None:
    """ "proof is 60% and close is 80%?", "is proof 60% and close 90% and develop 20%?", "does the CSU own
    Realize Value and Listen & Consult?": several claims, each judged; a part that names less borrows the rest
    from the first."""
    if not compose.is_yes_no(f):
        return None
    whole = claim_in(f, ix)
    if whole and whole[0] == "in_assignments":
        return None  # "does the ae appear in map, compete and expand": one claim about a list
    said = _CLAIM_JOIN.split(text[:MAX_QUESTION_CHARS].strip().rstrip("?").strip())
    if not 2 <= len(said) <= kinds.MAX_PARTS:
        return None
    first = extract_features(said[0], ix)
    first_spans = [(s, e, kind) for s, e, kind, _ in first.spans if kind != "glossary"]
    first_kinds = {kind for _, _, kind in first_spans}
    if not first_spans:
        return None
    claims = [said[0]]
    for part in said[1:]:
        other = extract_features(part, ix)
        other_kinds = {kind for _, _, kind, _ in other.spans if kind != "glossary"}
        if not other_kinds:
            return None
        if other_kinds == first_kinds:
            # "is proof 60% and close 90%": the other claim is asked the way the first is.
            opening = first.words[0] if first.words[0] in compose.YES_NO_OPENERS else ""
            claims.append(part if not opening or other.words[:1] == [opening] else f"{opening} {part}")
        elif len(other_kinds) == 1 and other_kinds < first_kinds and len(other.words) <= 4:
            # "does the CSU own Realize Value and Manage & Optimize": the same claim about the other stage.
            kind = next(iter(other_kinds))
            start, end = next((s, e) for s, e, k in first_spans if k == kind)
            claims.append(" ".join([*first.words[:start], *other.words, *first.words[end:]]))
        else:
            return None
    read = [understand(f"{claim}?", ix, context) for claim in claims]
    if not all(r.frame.kind == "yesno" for r in read) or any(
        _same_reading(a.frame, b.frame) for a, b in pairwise(read)
    ):
        return None
    parts = [r.frame.to_dict() for r in read]
    return Understanding(Frame("both", {"parts": parts}), min(r.confidence for r in read))


def _several_questions(text: str, ix: KnowledgeIndex, context: Frame | None) -> Understanding | None:
    """ "Priya's deal is in the third MSSP stage. Which one is that, what's its probability, and what's the
    first key step?": three or more questions about one subject, each read after the one before (so "its"
    is what the last part was about) and each answered; a sentence that asks nothing only sets the subject."""
    parts = [p.strip() for p in _QUESTION_PART.split(text[:MAX_QUESTION_CHARS]) if p and p.strip(" ,.")]
    if not 3 <= len(parts) <= 6:
        return None
    whole = extract_features(text, ix, context)
    asks_where = asks_where_it_stands(whole, ix) or any(_asks_where_clause(normalize(p).split()) for p in parts[1:])
    if asks_where and compose.situation(whole, ix) is not None:
        return None  # "sponsor letter agreed. which stage did i just finish and where next?": one situation
    about, confidence = context, 1.0
    frames: list[Frame] = []
    gaps: list[str] = []
    # "I want Zoe to understand the back end of the MSSP. What's the second-to-last stage, ...": the one
    # document the message names goes along to each part.
    documents = {w for w in normalize(text).split() if w in ("mcem", "mssp")}
    earlier: list[Features] = []
    for part in parts:
        said = set(normalize(part).split())
        part_f = extract_features(part, ix)
        if any(_asks_who_again(part_f, e, ix) for e in earlier):
            continue  # ("who is meant to author the sponsor letter? which role does it say": asked already)
        earlier.append(part_f)
        carried = f"{part} ({next(iter(documents))})" if len(documents) == 1 and not documents & said else part
        read = understand(carried, ix, about)
        if not read.answerable and about is not None and _only_refers(part, ix):
            read = Understanding(about, 0.85)  # "which one is that", "what's it called": the subject itself
        asked = _asks_something(part)
        subject = _subject_of(read.frame, ix)
        # ("Priya's deal is in the third MSSP stage.": a statement, read only for what it names)
        about = subject or (read.frame if read.answerable and read.frame.kind != "both" else about)
        if about is not None and about is subject and not about.slots.get("items") and read.answerable:
            # ("for the COMPETE role assignment, who's the second role listed": the list the answer shows)
            shown = kinds.answer_question(ix, Understanding(about, read.confidence)).context
            about = shown if shown is not None and shown.kind == about.kind and shown.slots.get("items") else about
        if read.answerable and read.frame.kind not in kinds.CONVERSATION:
            if asked and read.frame.kind != "not_covered" and not any(_same_reading(read.frame, x) for x in frames):
                frames.append(read.frame)
                confidence = min(confidence, read.confidence)
            elif asked and read.frame.kind == "not_covered":
                gaps += read.frame.slots.get("gaps", [])
        elif asked:
            gaps.append(f"The documents don't say anything about \u201c{part.rstrip('?!. ')}\u201d.")
    if len(frames) < 2 or len(frames) > kinds.MAX_PARTS:
        return None
    first = compose.normalise_frame(frames[0], gaps) if gaps else frames[0]
    return Understanding(Frame("both", {"parts": [first.to_dict()] + [x.to_dict() for x in frames[1:]]}), confidence)


def _asks_who_again(later: Features, before: Features, ix: KnowledgeIndex) -> bool:
    """ "which role does it say" after "who is meant to author the sponsor letter": "who" asked again of what
    was asked before, naming nothing of its own."""
    if not (later.has("who") and before.has("who")) or later.entities or later.percents or compose.ordinals(later):
        return False
    return not compose.content_stems(content_features(later), ix)


def _subject_of(frame: Frame, ix: KnowledgeIndex) -> Frame | None:
    """The one stage, role, unit or role assignment an answer is about, as a frame "its" can refer to: the
    neighbour for "the stage right before Realize Value"."""
    slot = next((s for s in ENTITY_SLOTS if isinstance(frame.slots.get(s), str)), None)
    at_percent = [s.id for s in ix.kb.mssp_stages if s.probability == frame.slots.get("percent")]
    if slot is None and frame.kind == "mssp.probability_reverse" and len(at_percent) == 1:
        return Frame("mssp.stage", {"mssp_stage": at_percent[0]})  # "which stage sits at 40%"
    if slot is None:
        return None
    entity = frame.slots[slot]
    if frame.kind in ("order.next", "order.previous") and slot in ("mssp_stage", "mcem_stage"):
        stages = [s.id for s in (ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages)]
        if entity not in stages:
            return None
        at = stages.index(entity) + (1 if frame.kind == "order.next" else -1)
        if not 0 <= at < len(stages):
            return None
        entity = stages[at]
    return Frame(_ENTITY_FRAME[slot], {slot: entity})


def _only_refers(part: str, ix: KnowledgeIndex) -> bool:
    """ "which one is that", "what's it called", "what is it": asks for the subject itself."""
    words = normalize(part).split()
    rest = [w for w in words if w not in ix.kb.lexicon.stopwords and w not in compose.WH_WORDS]
    return bool(PRONOUNS & set(words)) and all(w in ("one", "called", "name", "named", "stage") for w in rest)


def _asks_something(part: str) -> bool:
    """A part that asks ("what's its probability", "its first checkpoint?"), not one that tells."""
    if part.rstrip().endswith("?"):
        return True
    # ("the Close step says '...' - what are the other close steps": the question after the dash)
    for piece in re.split(r"\s[-\u2013\u2014]\s", part):
        words = normalize(piece).split()
        opening = words[0] if words else ""
        if opening in compose.WH_WORDS or opening in ("its", "their", "and") or opening in compose.REQUEST_VERBS:
            return True
    return False


_INCIDENTAL_SLOTS = (
    "stages",
    "roles",
    "items",
    "focus",
    "counted",
    "asked_parts",
)  # (a reading with gaps says more: it differs)


def _same_reading(a: Frame, b: Frame) -> bool:
    """The same question about the same thing, whatever incidental slots each reading carries."""

    def core(frame: Frame) -> dict[str, Any]:
        return {k: v for k, v in frame.slots.items() if k not in _INCIDENTAL_SLOTS}

    return a.kind == b.kind and core(a) == core(b)


_GENERIC_LISTS = frozenset({"units.list", "roles.list", "order.list", "assignments.list", "overview.mcem",
                            "overview.mssp", "mcem.exit_all", "mssp.probability_all", "mssp.objective_all",
                            "mssp.outcome_all", "mssp.aspect_all"})  # fmt: skip


def _refers_to_nothing(f: Features, context: Frame | None) -> bool:
    """ "both of those roles", "these stages": a list said before, when the conversation has none."""
    refers = bool({"those", "these"} & set(f.words)) or ("both" in f.words and "of" in f.words)
    listed = context is not None and (context.slots.get("items") or any(s in context.slots for s in ENTITY_SLOTS))
    return refers and not listed and not any(t != "glossary" for t in f.entities)


_PARALLEL_PREPOSITIONS = ("for", "of", "in", "at", "during")


def _parallel_halves(f: Features) -> tuple[str, str] | None:
    """ "exit criteria for Empower & Achieve, and for MCEM stage 6", "the CSAM's role in MAP and in the Close
    stage", "ssp in compete and ssp in map": the same question asked of two things, each asked on its own
    (the second with the first's words before its own preposition)."""
    inside = {i for s, e, _, _ in f.spans for i in range(s, e)}
    joins = [i for i, w in enumerate(f.words) if w == "and" and i not in inside]
    if len(joins) != 1:
        return None
    at = joins[0]
    left, right = f.words[:at], f.words[at + 1 :]
    starts = {s for s, _, kind, _ in f.spans if kind != "glossary"}
    named_right = [s for s in starts if s > at] + [o.start for o in compose.ordinals(f) if o.start > at]
    if not left or not right or not named_right or not any(s < at for s in starts):
        return None
    if right[0] in _PARALLEL_PREPOSITIONS:
        # the second half borrows what the first asks, up to the same preposition
        cut = max((j for j, w in enumerate(left) if w == right[0]), default=None)
        if cut is None or cut == 0:
            return None
        return " ".join(left), " ".join([*left[:cut], *right])
    first_kind = next((kind for s, _, kind, _ in f.spans if s == 0), None)
    right_kind = next((kind for s, _, kind, _ in f.spans if s == at + 1), None)
    prepositions = [w for w in right if w in _PARALLEL_PREPOSITIONS]
    if first_kind and first_kind == right_kind and prepositions and left[1:2] == right[1:2]:
        return " ".join(left), " ".join(right)  # "ssp in compete and ssp in map"
    return None


_STAGE_ASKED = re.compile(r"(?:which|what|whats|what's)\s+(?:mssp\s+|mcem\s+)?stage\b|stage\b", re.I)


def _refers_to_the_first(halves: tuple[str, str], ix: KnowledgeIndex) -> bool:
    """ "ssp vs se, both STU right? what's the difference": after a question mark, a question that names
    nothing of its own asks about the first (where the thing asked is a stage, "...? which stage", it does not)."""
    first, second = halves
    if not first.endswith("?") or _STAGE_ASKED.match(second):
        return False
    said = extract_features(second, ix)
    # ("...? and what's its probability": "its" is read with the first half's answer as context; "how do they
    # differ" asks of both things the first named, as one question)
    return not said.spans and not {"its", "it"} & set(said.words)


def _two_questions(text: str) -> tuple[str, str] | None:
    """ "probability for Deploy, and when can we recognise the revenue?": two questions in one message."""
    found = list(_SECOND_QUESTION.finditer(text[:MAX_QUESTION_CHARS]))
    if len(found) != 1:
        return None
    first, second = text[: found[0].start()].strip(), text[found[0].end() :].strip()
    asked_apart = first.endswith("?")  # the first question already ended: a short second one will do
    return (first, second) if len(first.split()) >= 2 and len(second.split()) >= (2 if asked_apart else 3) else None


_POSITION_JOINERS = frozenset({"and", "&", "or", "plus", "+", "vs", "versus", "v"})
# ("the 3rd and the 5th", "who's first and who's last", "of the 2nd mcem stage, and of the 2nd mssp stage")
_BEFORE_A_POSITION = frozenset({"the", "a", "who", "whos", "what", "whats", "which", "is", "of", "in", "for", "at"})
_POSITION_NOUNS = frozenset({"stage", "stages", "step", "steps", "checkpoint", "checkpoints", "role", "roles"})


def _two_positions(f: Features) -> tuple[str, str] | None:
    """ "the 3rd and 5th MSSP stages", "the 11th key step in develop, and the 14th": two positions of one
    list, each asked as a question of its own ("the 3rd MSSP stages", "the 5th MSSP stages")."""
    found = compose.ordinals(f)
    if len(found) != 2 or any(o.offset or o.neighbour for o in found) or compose.is_yes_no(f):
        return None  # ("is stage 2 or stage 3 owned by the STU?" is one claim)
    first, second = found
    words = f.words
    if {"between", "from"} & set(words[: first.start]):
        return None  # "between stage 2 and stage 4": a range
    joined = second.start - 1
    while joined > first.end and words[joined] in _BEFORE_A_POSITION:
        joined -= 1
    if joined < first.end or words[joined] not in _POSITION_JOINERS:
        return None
    # Joined right after the first position ("3rd and 5th"), or at the very end ("..., and the 14th").
    # ("what's mcem stage 0? and what's the first stage": each half asks its own question)
    adjacent = all(w in ("the", "a") for w in words[joined + 1 : second.start])
    if (joined != first.end or not adjacent) and second.end != len(words):
        named = {i for s, e, _, _ in f.spans for i in range(s, e)}
        return _two_positioned_halves(words, first, second, joined, named)
    kept = [*words[: first.start], "{}", *words[first.end : joined], *words[second.end :]]
    template = " ".join(kept)
    said = [" ".join(words[o.start : o.end]) for o in found]
    return template.replace("{}", said[0]), template.replace("{}", said[1])


def _two_positioned_halves(
    words: list[str], first: compose.Ordinal, second: compose.Ordinal, joined: int, named: set[int]
) -> tuple[str, str] | None:
    """ "probability of the 2nd mcem stage, and of the 2nd mssp stage", "first vs last mcem stage exit crit",
    "stage 7 of mcem and stage 7 of mssp": each half around the joiner asks of its own position, with the
    words only the other half says (what is asked, the document) shared, except a document of its own."""
    halves = (list(range(0, joined)), list(range(joined + 1, len(words))))
    spans = (set(range(first.start, first.end)), set(range(second.start, second.end)))
    said: list[str] = []
    for own, span, other, other_span in ((halves[0], spans[0], halves[1], spans[1]),
                                         (halves[1], spans[1], halves[0], spans[0])):  # fmt: skip
        own_words = [words[i] for i in own]
        has_document = bool({"mcem", "mssp"} & set(own_words))
        # (not the other half's own stage or role: "1st checkpoint of qualify and the 2nd of develop")
        own_names = any(i in named for i in own)
        shared = [
            words[i]
            for i in other
            if i not in other_span
            and words[i] not in own_words
            and not (has_document and words[i] in ("mcem", "mssp"))
            and not (own_names and i in named)
            and words[i] not in ("the", "a", "of", "in")
        ]
        if not own_words:
            return None
        if _POSITION_NOUNS & set(own_words):
            # ("first key step in develop and the last checkpoint in develop": each half counts its own list)
            shared = [w for w in shared if w not in _POSITION_NOUNS and w not in ("key", "sub")]
        # The noun a position counts goes right after it ("4th in mssp" + "stage": "4th stage in mssp").
        nouns = [w for w in shared if w in _POSITION_NOUNS]
        at = max(span) + 1 - own[0]
        said.append(" ".join([*own_words[:at], *nouns, *own_words[at:], *(w for w in shared if w not in nouns)]))
    return said[0], said[1]


def _read_halves(
    halves: tuple[str, str], ix: KnowledgeIndex, context: Frame | None
) -> tuple[Understanding, Understanding]:
    first, second = _read_each_half(halves, ix, context)
    if _lacks_its_subject(second, extract_features(halves[1], ix), ix):
        gap = f"The documents don't say anything about \u201c{halves[1].strip(' ?!.')}\u201d."
        second = Understanding(Frame("not_covered", {"gaps": [gap]}), 0.9)
    return first, second


def _lacks_its_subject(read: Understanding, said: Features, ix: KnowledgeIndex) -> bool:
    """ "... and whats their utilization target": a half read only as what "their" names (every line of it,
    nothing asked), while it asks about words no line of the documents has."""
    generic = read.frame.kind == "unknown" or (
        read.confidence < 0.9
        and read.frame.kind in _ENTITY_FRAME.values()
        and read.frame.slots.get("aspect", "all") == "all"
    )
    named = any(t != "glossary" for t in said.entities)  # ("who's the named CSA ...": a gap of its own)
    # ("how many weeks should it take": a cue of its own, whose gap says more)
    asks_its_own = bool(said.cues - {"definition", "does", "tag_question", "mssp_context", "mcem_context", "every"})
    return generic and not named and not asks_its_own and bool(_words_no_line_has(said, ix))


def _read_each_half(
    halves: tuple[str, str], ix: KnowledgeIndex, context: Frame | None
) -> tuple[Understanding, Understanding]:
    first = understand(halves[0], ix, context)
    second_words = set(normalize(halves[1]).split())
    second = extract_features(halves[1], ix)
    # "what's stage 6 of MCEM, and the exit criteria for stage 5?": a position counted in the first half's
    # document.
    unplaced = bool(compose.ordinals(second)) and not second.entities and not {"mcem", "mssp"} & second_words
    # "which stage sits at 40% and which one comes straight after": after the one the first half finds.
    unplaced = unplaced or (second.has("next", "previous") and not second.entities and not second.percents)
    # "budget threshold for access to power? stage it's negotiated", "..., which stage?": where the line the
    # first half names lives, when the second names nothing of its own.
    asks_where_only = not second.entities and not compose.content_stems(content_features(second), ix)
    asks_where_only = asks_where_only and not (PRONOUNS | PLURAL_REFERENCES) & second_words  # ("... exits with it")
    first_percents = extract_features(halves[0], ix).percents
    if "stage" in second_words and second_words <= _WHICH_STAGE_WORDS and first_percents:
        # "whats the typical cycle length at 60% and what stage is that": the stage at that percentage
        return first, Understanding(Frame("mssp.probability_reverse", {"percent": first_percents[0]}), 0.85)
    if asks_where_only and "stage" in second_words and first.answerable and first.frame.kind == "where":
        return first, first  # "at what point should we have negotiated ...? which mssp stage": asked twice
    if _asks_who_again(second, extract_features(halves[0], ix), ix) and first.answerable:
        return first, first  # "who is meant to author the sponsor letter? which role does it say": asked twice
    if asks_where_only and "stage" in second_words:
        mentioned = _line_words(extract_features(halves[0], ix), ix)
        if mentioned:
            return first, understand(f"{halves[1].rstrip('?')} {mentioned}", ix, context)
    # ("how many days should proof last, and whats the verifiable outcome": an aspect alone is the first's)
    # ("... inspire & design - what exit ... and which unit should be driving": who or which unit, of the first's)
    aspect_only = not second.entities and bool(second.cues & (ASPECT_CUES | {"unit_word", "who"}))
    aspect_only = aspect_only and not compose.content_stems(content_features(second), ix)
    if (PRONOUNS | PLURAL_REFERENCES) & second_words or unplaced or aspect_only:
        # "how long does Develop take, and what are its checkpoints?": "its" is what the first half names.
        first_f = extract_features(halves[0], ix)
        # "how many days should qualify take, and what's its outcome": an everyday word that may be a stage
        # is what "its" refers to when the first half names nothing else.
        # (not when the first found a line: "who maps business value ... and what unit are they in" is the ATS's)
        named = first_f.entities or (first_f.rejected if first.frame.kind != "where" else {})
        slot = next((t for t in ENTITY_SLOTS if named.get(t)), None)
        # (a term's reading says nothing of a line: "budget threshold for access to power? stage it's negotiated")
        if slot is None and (first.frame.kind in ("not_covered", "glossary") or not first.answerable):
            # "deadline for verbal approval? and which stage is it the outcome of": "it" is what the first
            # half talks about, which no entity names: the words it shares with that line stand in for it.
            # (or, when no line is said nearly whole, the first half's words the documents use: "who signs off
            # the give/get worksheets and which stage are they in" -> "give get worksheets")
            mentioned = _line_words(first_f, ix)
            if mentioned is None and "stage" in second_words:
                mentioned = _words_the_documents_use(first_f, ix)
            if mentioned:
                referring = PRONOUNS | PLURAL_REFERENCES
                said = " ".join(mentioned if w in referring else w for w in normalize(halves[1]).split())
                return first, understand(said, ix, context)
        about = Frame(_ENTITY_FRAME[slot], {slot: named[slot][0]}) if slot else first.frame
        if slot and sum(isinstance(first.frame.slots.get(s), str) for s in ENTITY_SLOTS) >= 2:
            about = first.frame  # "the third role in MAP - who, and what do they do?": that role, there
        # ("they"/"their" may be one role: "the SE - what's their unit, and what do they drive")
        listed = bool({"each", "them", "those", "these", "both", "all"} & second_words)
        # "what's the first key step in Develop, and what's the last one?": a place in the same list.
        listed = listed or (bool(compose.ordinals(second)) and first.frame.kind == "mssp.item")
        if (slot is None or listed) and first.answerable:
            # "who drives the technical win, and which unit are they in?", "which stages does the STU own and
            # the exit criteria for each": what the first answer is about, and the list it gives.
            answered = kinds.answer_question(ix, first).context
            about = answered if answered is not None and answered.slots else about
        if not any(isinstance(about.slots.get(s), str) for s in ENTITY_SLOTS):
            about = _subject_of(about, ix) or about  # "which stage sits at 40%": that stage
        # "the 5 MCEM stages and what % does each carry": "each" is an MCEM stage, so the document goes along.
        document = [w for w in normalize(halves[0]).split() if w in ("mcem", "mssp")][:1]
        carry = document and not {"mcem", "mssp"} & second_words and PLURAL_REFERENCES & second_words
        said = f"{halves[1]} ({document[0]})" if carry else halves[1]
        return first, understand(said, ix, about)
    return first, understand(halves[1], ix, context)


def _one_half_covered(halves: tuple[str, str], read: tuple[Understanding, Understanding]) -> Understanding | None:
    """When the documents answer one of two questions and not the other, the answer to that one, with what
    the other asked named as not covered; None when both (or neither) are answered."""
    first, second = read
    second_gaps = second.frame.slots.get("gaps", [])
    bare_second = Frame(second.frame.kind, {k: v for k, v in second.frame.slots.items() if k != "gaps"})
    if second_gaps and bare_second == first.frame:
        # "MODERNIZE roles pls + which azure services they migrate customers to": the second half adds to the
        # first only what the documents do not cover.
        return Understanding(compose.normalise_frame(first.frame, list(second_gaps)), first.confidence)
    covered = [u.answerable and u.frame.kind not in ("not_covered", "no_referent") for u in (first, second)]
    # ("..., and who's the named CSA for Fabrikam": what it names is all it answers; what it asks is the gap;
    # a first half like that still gives the second its subject, so the message is read whole)
    covered[1] = covered[1] and not _only_names_with_gaps(second.frame)
    # ("how long from qualify to close typically, and what are close's checkpoints": a second half that names
    # its own subject needs nothing from the first, whose answer was only the gap)
    subjects = [{(k, v) for k in ENTITY_SLOTS if isinstance(v := u.frame.slots.get(k), str)} for u in read]
    said_second = normalize(halves[1])
    # (named in the second half's own words: "close's checkpoints", not a stage it took from the first)
    own_subject = any(v.replace("-", " ") in said_second for _, v in subjects[1]) and not subjects[1] & subjects[0]
    if covered[0] and covered[1] and _only_names_with_gaps(first.frame) and own_subject:
        covered[0] = False
    if covered[0] == covered[1]:
        return None
    good, bad, asked = (first, second, halves[1]) if covered[0] else (second, first, halves[0])
    if good.frame.kind == "situation" and not bad.frame.slots.get("gaps") and _asked_of_the_situation(asked):
        # "... which stage is she in, and what should she do next?": where it stands says what comes next.
        return good
    said = asked.rstrip("?!. ")
    gaps = list(bad.frame.slots.get("gaps", [])) or [f"The documents don't say anything about \u201c{said}\u201d."]
    return Understanding(compose.normalise_frame(good.frame, gaps), good.confidence, unknown_words=bad.unknown_words)


def _only_names_with_gaps(frame: Frame) -> bool:
    """A reading that gives only the stage, role or unit the question names, beside a gap: what was asked is
    the part the documents do not cover."""
    generic = frame.kind in _ENTITY_FRAME.values() and frame.slots.get("aspect", "all") == "all"
    return generic and bool(frame.slots.get("gaps"))


_NEEDED = frozenset({"need", "needs", "true", "done", "left", "remaining", "missing", "tick", "happen", "sorted",
                     "place", "open", "outstanding", "pending"})  # fmt: skip


def _asks_what_is_needed(f: Features) -> bool:
    """ "what do i need done", "what needs to be true", "what's left": what a deal still needs, asked of no
    particular list (no aspect named) and no stage named."""
    asked = any(w in compose.WH_WORDS for w in f.words) and bool(_NEEDED & set(f.words))
    return asked and not (f.cues & set(MSSP_ASPECTS)) and not f.entities.get("mssp_stage")


_SITUATION_ASKS = frozenset({
    "next", "now", "do", "left", "remaining", "missing", "need", "needs", "outcome", "unit", "owns", "owner",
    "accountable", "probability", "exit", "%",
})  # fmt: skip


def _asked_of_the_situation(asked: str) -> bool:
    """ "what should she do next", "what's left", "what verifiable outcome does she need": what an answer on
    where the deal stands already says."""
    words = normalize(asked).split()
    return len(words) <= 8 and words[:1] in (["what"], ["whats"], ["which"]) and bool(_SITUATION_ASKS & set(words))


def _asks_about_progress(f: Features, ix: KnowledgeIndex) -> bool:
    """A question about where the deal is or what comes next: "what stage now", "what's next"."""
    return asks_where_it_stands(f, ix) or f.has("situation", "next") or "now" in f.words


_FIRST_PERSON = frozenset({"i", "im", "me", "my", "we", "our", "us", "am"})
_ASKING_VERBS = frozenset({"is", "are", "does", "do", "can", "could", "would", "will", "should", "did", "was", "were",
                           "list", "give", "tell", "show", "explain", "compare", "name"})  # fmt: skip
_TELLING_WORDS = frozenset({"i", "we", "you", "they", "he", "she", "it", "my", "our", "im", "weve", "dont", "cant"})
_ASKING_CUES = frozenset({"owner", "compare", "count", "next", "previous", "first", "last"})
_MORE_ASKED = frozenset({"and", "also", "plus", "oh", "then"})
_QUESTION_BREAK = re.compile(r"(?<=[.!?])\s+")


def _the_question_sentence(text: str, f: Features, ix: KnowledgeIndex) -> str | None:
    """ "Planning a MAP workshop. Is the CSA one of the MAP roles? Don't want to leave anyone out.": the one
    sentence that asks, among sentences that only tell (why it is asked, what the seller thinks). Not when the
    others name something the question leaves out, or report progress the question asks about."""
    said = [q for p in _QUESTION_BREAK.split(text.strip()) if p.strip() for q in _reported_then_asked(p.strip())]
    asking = [p for p in said if p.endswith("?")]
    if len(said) < 2 or len(asking) != 1 or "?" in asking[0][:-1]:
        return None
    question = asking[0]
    documents = {w for p in said if p != question for w in normalize(p).split()} & {"mcem", "mssp"}
    documents -= set(normalize(question).split())
    if documents:
        # ("what are the checkpoints in support? it's the last mssp stage i think": Support is MSSP's already)
        asked_f = extract_features(question, ix)
        documents -= {"mssp"} if asked_f.entities.get("mssp_stage") else set()
        documents -= (
            {"mcem"} if any(asked_f.entities.get(k) for k in ("mcem_stage", "role", "unit", "assignment")) else set()
        )
    if documents:
        return None  # ("... in the forecast? (mcem)": the document named apart is the question's)
    for other in said:
        opening = normalize(other).split()[:1]
        if other != question and opening and (opening[0] in compose.WH_WORDS | _ASKING_VERBS | _MORE_ASKED):
            return None  # ("raelize value comes before e&a right? what's its exit", "...? and the 4th": asks too)
    at = text.find(question)
    # (counted as the reader counts words: "co-sell" is two)
    start = len(extract_features(text[:at], ix).words) if at > 0 else 0 if at == 0 else -1
    end = start + len(extract_features(question, ix).words)
    inside = {(kind, key) for s, e, kind, key in f.spans if start <= s and e <= end}  # (named again: "a MAP ...")
    asked_words = set(normalize(question).split())
    if not _FIRST_PERSON & asked_words:
        # ("I'm a new CSA", "I'm new on the CSU side": who the seller is, not what is asked; but "I'm a CSAM. Am I
        # in MAP?" asks about it)
        inside |= {
            (kind, key)
            for s, _, kind, key in f.spans
            if kind in ("role", "unit") and {"im", "i"} & set(f.words[max(0, s - 4) : s])
        }
    # ("... the sponsor letter? Ben says it's always the SSP": a role someone claimed is the answer's to settle)
    reported = _reported_words(text, said, question, ix)
    if (
        start < 0
        or any(
            not (start <= s and e <= end)
            and (kind, key) not in inside
            and kind != "glossary"
            and not (kind in ("role", "unit", "assignment") and s in reported)
            for s, e, kind, key in f.spans
        )
        or (f.percents and not all(p in normalize(question, ix.kb.lexicon.spellings).split() for p in f.percents))
    ):
        return None  # (the other sentences name a stage, a role or a percentage the question does not)
    if not inside and any(not start <= o.start < end for o in compose.ordinals(f)):
        return None  # ("third MSSP stage. what's the probability?": the position is the question's)
    told = " ".join(p for p in said if p != question)
    told_f = extract_features(told, ix)
    # (a question about something it names itself, not about the deal, stands alone: "... which MCEM stage is
    # the CSU accountable for first?")
    about_the_deal = {"we", "i", "our", "my", "us", "it", "this", "that"} & asked_words
    own_subject = any(start <= s and e <= end for s, e, _, _ in f.spans) and not about_the_deal
    own_subject = own_subject and not extract_features(question, ix).has("next", "previous")  # ("is Deploy next?")
    progress = None if own_subject else compose.situation(told_f, ix)
    told_stems = compose.content_stems(told_f, ix)
    # ("Pain was admitted by power. What are the checkpoints?": progress the question is about: a line's words,
    # one of them said done)
    lines = [set(ix.graph.facts[i].stems) for i in progress.facts] if progress else []
    if any(len(line & told_stems) >= 2 and compose.said_done(told_f.words, line) for line in lines):
        return None
    if progress is not None and {"signed", "sign", "done", "closed", "won"} & set(told_f.words):
        return None  # ("We signed. Is Deploy next?")
    for other in said:
        words = normalize(other).split()
        fragment = other != question and len(words) <= 6 and not _TELLING_WORDS & set(words)
        if fragment and extract_features(other, ix).cues & (ASPECT_CUES | _ASKING_CUES):
            return None  # ("renewal process after support? last support checkpoint": a fragment that asks too)
    # (what someone else holds, "rep thinks it's the AE", is nothing "it" in the question can stand for)
    own_told = " ".join(p for p in said if p != question and not _REPORTING_VERBS & set(normalize(p).split()))
    if _refers_outside(normalize(question).split()) and compose.content_stems(extract_features(own_told, ix), ix):
        return None  # ("our eval plan is agreed. which stage is that the outcome of?": "that" is what was told)
    where_asked = (asks_where_it_stands(f, ix) or f.has("situation")) and not own_subject
    if where_asked or (about_the_deal and compose.situation(f, ix)):
        return None  # ("signed docs are in. what stage now?": the question is about what was told)
    return question


_BUT_ASKED = re.compile(
    r",\s*(?:(?:but|so)\s+(?=(?:does|do|is|are|can|should|who|what|which|where|when|how)\b)"
    r"|(?=(?:does|do|is|are|can|should)\b))",
    re.I,
)


def _reported_then_asked(sentence: str) -> list[str]:
    """ "rep says the CSAM has nothing to do until post-sale, but does the CSAM have a role in MAP?", "I thought
    the ATS was in every one, does the ATS show up in EXPAND too?": what someone holds, then the question, as two
    sentences (the claim judged is the question's, not the report's)."""
    parts = _BUT_ASKED.split(sentence, maxsplit=1)
    if len(parts) == 2 and _REPORTING_VERBS & set(normalize(parts[0]).split()):
        return [parts[0].strip(), parts[1].strip()]
    return [sentence]


# Plural nouns a later "they" or "them" can stand for inside the same sentence.
_PLURAL_NOUNS = frozenset({"stages", "roles", "units", "checkpoints", "steps", "outcomes", "criteria", "plays",
                           "assignments", "objectives", "probabilities"})  # fmt: skip


# Words that ask what sets two role assignments' roles apart: "in one but not the other", "only in EXPAND".
_NOT_IN_BOTH = frozenset({"not", "isnt", "arent", "only", "missing", "except"})
# Words that put a percentage said in doubt: a forecast, or what it "really" or "should" be.
_DOUBTED_PERCENT = frozenset({"forecast", "forecasted", "forecasting", "really", "actually"})
# Verbs that report what someone else holds: "Ben says it's always the SSP", "Kai insists it does".
_REPORTING_VERBS = frozenset({"says", "said", "thinks", "thought", "reckons", "reckoned", "insists", "insisted",
                              "claims", "claimed", "swears", "believes", "argues", "argued", "told", "tells",
                              "assumes", "assumed", "reckon", "think", "swear"})  # fmt: skip


def _reported_words(text: str, said: list[str], question: str, ix: KnowledgeIndex) -> set[int]:
    """The word positions (as the reader counts them) of the sentences, other than the question, that report
    what someone else says or thinks."""
    positions: set[int] = set()
    for sentence in said:
        at = text.find(sentence)
        if sentence == question or at < 0 or not _REPORTING_VERBS & set(normalize(sentence).split()):
            continue
        first = len(extract_features(text[:at], ix).words) if at else 0
        positions |= set(range(first, first + len(extract_features(sentence, ix).words)))
    return positions


def _refers_outside(words: list[str]) -> bool:
    """Whether a sentence has a word that stands for something said outside it: "which stage is that the
    outcome of?". Not "all of the MCEM stages" (a quantifier) nor "the stages, in the order they come in"
    (what "they" stands for is in the sentence)."""
    for i, w in enumerate(words):
        if w not in PRONOUNS and w not in PLURAL_REFERENCES:
            continue
        after = words[i + 1 : i + 3]
        if w in ("all", "each", "both") and after and (after[0] in ("of", "the") or after[0] in _PLURAL_NOUNS):
            continue
        if w in ("they", "them", "their") and _PLURAL_NOUNS & set(words[:i]):
            continue
        return True
    return False


def _last_sentence_question(f: Features) -> str | None:
    """The last sentence, when the message is sentences of context and then one that opens with a question
    word and ends with the question mark."""
    said = compose.sentences(f.original)
    if len(said) < 2 or not f.original.rstrip().endswith("?"):
        return None
    last = said[-1]
    words = normalize(last).split()
    return last if len(words) >= 4 and words[0] in compose.WH_WORDS else None


def _question_after_context(f: Features, ix: KnowledgeIndex, start: int, end: int, clause: str) -> bool:
    """ "customer is a bank, procurement is brutal. anyway who drives the technical win?", "the team want a
    recap of where we are, so... what's the verifiable outcome of the deploy stage?": context first, then a
    question that stands alone. The clause ends the message with "?", opens with a question word, has no
    situation word, and names something itself (an entity, or words of its own when the message names none)."""
    # The question mark ends the message, or there is none at all ("got a CSAM joining next wk, what does a
    # CSAM do").
    if end != len(f.words) or ("?" in f.original and not f.original.rstrip().endswith("?")):
        return False
    opening = f.words[start : start + 5]
    # "could you remind me what ...", "can u list all the MSSP stages": a question or a request.
    if not any(w in compose.WH_WORDS or w in compose.REQUEST_VERBS for w in opening):
        return False
    if any(start <= s for s, _ in f.cue_spans.get("situation", [])):
        return False
    clause_words = f.words[start:end]
    asks_where = opening[:1] in (["which"], ["what"], ["whats"], ["where"]) and (
        bool({"stage", "phase"} & set(clause_words[1:3])) or bool({"next", "now"} & set(clause_words[:5]))
    )
    if asks_where and asks_where_it_stands(f, ix) and compose.situation(f, ix) is not None:
        return False  # "committed pipeline and the customer has agreed - which mcem stage did that close out"
    if any(w.endswith("%") for w in f.words[:start]) and not f.spans:
        return False  # "we're at 40% now, what needs to be true ...": the percentage says where the deal is
    if any(o.start < start for o in compose.ordinals(f)) and (PRONOUNS | PLURAL_REFERENCES) & set(f.words[:start]):
        return False  # ("the last of those - what does the ATS do there": which one is asked before the question)
    picked_one = any(o.start < start and f.words[o.end : o.end + 1] in (["one"], ["ones"]) for o in compose.ordinals(f))
    # (not "the 2nd one, what stages does it own": a list of another kind asked of it, read as two asks)
    asked_of_it = {"that", "it", "this", "they", "them"} & set(f.words[start:end]) and "stages" not in f.words
    if picked_one and asked_of_it:
        return False  # ("the second one you mentioned - who owns that?": the one picked is what is asked about)
    if start <= _SCOPE_WORDS and f.words[:1] in (["in"], ["within"], ["for"]):
        return False  # "in the role definitions, who's number 4": what comes first is the question's scope
    if any(s < start for s, _ in f.cue_spans.get("together", [])) and not compose.is_yes_no(
        extract_features(clause, ix)
    ):
        return False  # ("how they work together table - what's AE + ATS": the table named first is the scope)
    if f.spans:
        # It names something itself, and what comes before is context, not a scope ("in Solution, what ...").
        scoped = start < 5 and any(s < start for s, _, _, _ in f.spans)
        # "in the stage role assignments, which stages have the CSA": a scope of its own words, too.
        scoped = scoped or (start <= _SCOPE_WORDS and f.words[:1] in (["in"], ["within"], ["for"]))
        return any(start <= s for s, _, _, _ in f.spans) and not scoped
    marked = {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    own = [w for i, w in enumerate(f.words[start:end], start) if i not in marked and w not in ix.kb.lexicon.stopwords]
    # Or its cue words say what it asks, and the context before has none ("putting together a deck for the
    # new starters, can u list all the MSSP stages in order?").
    asked = {g for g, spans in f.cue_spans.items() if g not in GENERIC_CUES for s, _ in spans if start <= s < end}
    context_cued = any(s < start for spans in f.cue_spans.values() for s, _ in spans)
    if len(own) >= 2:
        return True
    before = f.words[:start]
    if len(asked) < 2 or context_cued or any(w.endswith("%") for w in before):
        return False
    # ... and says nothing a line of the documents says ("committed pipeline - which stage's exit criteria").
    return compose.find_mention(content_features(extract_features(" ".join(before), ix)), ix, 0.34) is None


def _clause_alone_will_do(f: Features, ix: KnowledgeIndex, start: int, end: int, clause: str) -> bool:
    """The question's clause holds everything the message names, and the rest is not part of the question:
    not a situation ("contract signed, what now?"), not a tag ("Qualify is 10%, right?"), and either the
    clause is the one with the question mark or the rest asks nothing ("how long ..., and its checkpoints")."""
    situation = f.has("situation") or f.words[-1:] in (["next"], ["now"])
    # ("my opty is at 10%, what has to be in place before i move it up": the clause after asks)
    situation = situation or (bool(f.percents) and _asks_what_is_needed(f))
    tagged = any(e == len(f.words) for _, e in f.cue_spans.get("tag_question", []))
    inside = all(start <= s and e <= end for s, e, _, _ in f.spans)
    percents_inside = all(w in f.words[start:end] for w in f.percents)
    outside_asks = any(
        not (start <= s < end)
        for group, spans in f.cue_spans.items()
        if group in ASPECT_CUES | {"compare", "count", "next", "previous", "who", "belongs", "unit_word", "duration"}
        for s, _ in spans
    )
    # "..., no biggie: what's the probability at solution?": a clause that opens with a question word and
    # ends with the question mark asks the question ("..., develop or close?" does not).
    at = f.original.rfind(clause.strip())
    opens_a_question = normalize(clause, {}).split()[:1] in [[w] for w in compose.WH_WORDS]
    question_mark = clause.rstrip().endswith("?") or (
        opens_a_question and at >= 0 and f.original[at + len(clause.strip()) :].lstrip().startswith("?")
    )
    asked_here = question_mark or not outside_asks
    # Without a name, the clause's own cue words say what it asks ("every MCEM stage with its exit criteria,
    # need it for a slide").
    # ("every role and its unit pls, new hire here": a list asked by its nouns)
    asking = ASPECT_CUES | {"roles_word", "unit_word"}
    cued_here = any(start <= s and e <= end for g, spans in f.cue_spans.items() if g in asking for s, e in spans)
    # ... when the rest is chatter: few words the documents use ("committed pipeline - which stage's exit ..."
    # is not; "..., new hire and confused" is: one word of three the documents use, "new").
    rest = [w for i, w in enumerate(f.words) if not start <= i < end]
    rest_words = [w for w in rest if w not in ix.kb.lexicon.stopwords]
    known = [w for w in rest_words if compose.stem(w) in ix.graph.idf]
    known_words = len(known) >= 2 or 2 * len(known) > len(rest_words)
    cues_outside = any(not start <= s < end for spans in f.cue_spans.values() for s, _ in spans)
    ordinal_outside = any(not start <= o.start < end for o in compose.ordinals(f))  # "the third one - who?"
    # ("the lowest of those, chkpts?": the rest names what the clause asks about)
    referring_outside = bool((PRONOUNS | PLURAL_REFERENCES | SUPERLATIVES) & set(rest))
    chatter = not (known_words or cues_outside or ordinal_outside or referring_outside)
    named = bool(f.spans or f.percents or (cued_here and chatter))
    # "in the stage role assignments, which stages have the CSA in them": what comes first is a scope.
    scope_first = 0 < start <= _SCOPE_WORDS and f.words[:1] in (["in"], ["within"], ["for"])
    # ("how they work together table - what's AE + ATS": the table named first is where the question asks)
    table_first = any(s < start for s, _ in f.cue_spans.get("together", []))
    table_first = table_first and not compose.is_yes_no(extract_features(clause, ix))
    # ("the last of those - what does the ATS do there": the rest picks what the clause asks about)
    picked_outside = ordinal_outside and referring_outside
    return (
        inside and percents_inside and asked_here and not situation and not tagged and named and not scope_first
    ) and not (table_first or picked_outside)


def question_unknowns(f: Features, ix: KnowledgeIndex) -> list[str]:
    """The unknown words of the clause that asks the question; small talk around it ("crazy week here
    lol", "thanks a mil") does not count. Capitalised words are names (a customer, a deal), never unknown."""
    return list(compose.once(f, "question_unknowns", lambda g: _question_unknowns(g, ix)))


def _question_unknowns(f: Features, ix: KnowledgeIndex) -> list[str]:
    start, end, _ = question_clause(f, ix)
    in_clause = set(f.words[start:end])
    for clause, asked in _asked_clauses(f.original, ix):
        if asked:
            in_clause |= set(normalize(clause, ix.kb.lexicon.spellings).split())
    # ("what does the SE do, and SE headcount per account", "headcount of stu in region, stu stages"): an
    # unknown word said of what the question names, right beside it, is asked of it too
    subjects = {key for s, e, kind, key in f.spans if start <= s < end and kind != "glossary"}
    linking = (["of"], ["for"], ["per"])
    for s, e, _, key in f.spans:
        if key in subjects and not start <= s < end:
            after = f.words[e + 1 : e + 2] if f.words[e : e + 1] in linking else f.words[e : e + 1]
            before = f.words[s - 2 : s - 1] if s >= 2 and f.words[s - 1 : s] in linking else f.words[s - 1 : s]
            in_clause |= set(after + before)
    names = {w.casefold() for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", f.original)}
    # ("who is fabrikams ats": a customer's name, lower case, in front of the role it owns)
    names |= {f.words[s - 1] for s, _, kind, _ in f.spans if kind == "role" and s and f.words[s - 1].endswith("s")}
    return [w for w in f.unknown if len(w) > 2 and w in in_clause and w not in names]


def _asked_clauses(original: str, ix: KnowledgeIndex) -> list[tuple[str, bool]]:
    """Each clause of the message, and whether it asks something of its own: a second question ("..., and
    what discount can we offer"), a sentence with its own question mark ("commission at close? and the
    objective"), or an item of a list that ends with "and ..." ("probability, max discount, and the
    checkpoint")."""
    pieces: list[tuple[str, str]] = []
    previous_end = 0
    for cut in [*_CLAUSE_BREAK.finditer(original), None]:
        pieces.append((original[previous_end : cut.start() if cut else len(original)], cut.group() if cut else ""))
        previous_end = cut.end() if cut else previous_end
    spellings = ix.kb.lexicon.spellings
    words = [normalize(clause, spellings).split() for clause, _ in pieces]
    # A list: clauses joined by commas whose last one opens with "and" (the clause before it asks too).
    listed: set[int] = set()
    for n, said in enumerate(words):
        if n and said[:1] == ["and"] and pieces[n - 1][1].strip() == ",":
            first = n - 1
            while first > 0 and pieces[first - 1][1].strip() == ",":
                first -= 1
            # three items or more; or two when the last opens with "and the" or is short ("max discount in
            # close, and the close %", "commission % at close, and close probability": two things asked)
            if n - first >= 2 or said[:2] == ["and", "the"] or len(said) <= 4:
                listed |= set(range(first, n + 1))
    return [
        (
            clause,
            any(w in compose.WH_WORDS for w in said[:3])
            or said[:2] == ["and", "the"]  # "key steps of close, and the SLA for getting it signed"
            or "?" in separator
            or n in listed,
        )
        for n, ((clause, separator), said) in enumerate(zip(pieces, words, strict=True))
    ]


def _penalise_unknown(f: Features, ix: KnowledgeIndex, frame: Frame, confidence: float) -> tuple[float, list[str]]:
    """(confidence, gaps): words the documents never use make a reading less likely ("what is the salary
    of an AE?"); where a cue and an entity make the reading clear, they are named as not covered instead
    ("STU's quota and its stages": the stages, and "the documents don't say anything about quota")."""
    unknown = question_unknowns(f, ix)
    if not unknown or frame.kind == "where":
        return confidence, []
    has_entity = any(slot in frame.slots for slot in (*ENTITY_SLOTS, "percent", "ids"))  # ids: a comparison's
    if has_entity and confidence >= 0.9 and _asked_apart(f, ix, unknown):
        # "what's the quota for an AE and what do they focus on?": one part asks what the documents do not
        # have, the other is answered.
        said = ", ".join(f"\u201c{w}\u201d" for w in unknown[:3])
        return confidence, [f"The documents don't say anything about {said}."]
    if kinds.is_strong(frame.kind) and has_entity:
        said = ", ".join(f"\u201c{w}\u201d" for w in unknown[:3])
        return confidence, [f"The documents don't say anything about {said}."]
    factor = 0.85 if kinds.is_strong(frame.kind) else 0.55  # a cue that asks for it specifically weighs more
    return confidence * factor ** len(unknown), []
