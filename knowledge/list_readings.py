"""Readings of list questions over the stages and roles: everything but some ("all mssp stages except close"),
each role with an aspect, stages in a probability band or between two stages, the nth stage with a property,
a position through a whole document, stages named by their probabilities side by side. Each returns a Frame
or None (the question is not of its shape); pure functions, no I/O."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from knowledge import compose
from knowledge.asking import (
    ENTITY_SLOTS,
    FILTER_VERBS,
    FILTER_WORDS,
    HIGHEST,
    MSSP_ASPECTS,
    QUOTED,
    SUPERLATIVES,
    compare_aspect,
    compare_aspects,
    content_features,
    first_few,
)
from knowledge.features import Features
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex

_FIELD_OF_CUE = {"checkpoints": "checkpoint", "key_steps": "key_step", "outcome": "verifiable_outcome"}
# Plurals of what each stage has one of: several of them asked means several stages.
_ONE_PER_STAGE_PLURALS = frozenset({"outcomes", "objectives", "probabilities", "vos", "owners", "exits"})
_SIDE_BY_SIDE = frozenset({"vs", "versus", "v", "each", "both", "compare", "compared"})


def stages_compared_by_probability(f: Features, ix: KnowledgeIndex) -> tuple[str, list[str]] | None:
    """ "the 20% stage vs the 80% stage - names and objectives?", "40% vs 60% - what's the VO for each": MSSP
    stages named by their probabilities, set side by side."""
    if len(f.percents) < 2 or f.entities.get("mssp_stage") or not _SIDE_BY_SIDE & set(f.words):
        return None
    stages = [[s.id for s in ix.kb.mssp_stages if s.probability == p] for p in f.percents]
    if any(len(at) != 1 for at in stages):
        return None  # (a probability no stage has, or "NA": no single stage named)
    ids = list(dict.fromkeys(at[0] for at in stages))
    return ("mssp_stage", ids) if len(ids) >= 2 else None


def run_of_stages_after(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the next two stages after qualify": a run of the stages that follow, side by side (not "two stages after
    qualify", the one stage two on)."""
    for i, w in enumerate(f.words[:-2]):
        n = compose.NUMBER_WORDS.get(w) or (int(w) if w.isdigit() and len(w) == 1 else 0)
        side = f.words[i + 2] if f.words[i + 1 : i + 2] == ["stages"] and i + 2 < len(f.words) else None
        if not n or n < 2 or side != "after" or f.words[i - 1 : i] != ["next"]:
            continue
        for slot in ("mssp_stage", "mcem_stage"):
            named = [key for s, _, kind, key in f.spans if kind == slot and s == i + 3]
            if not named:
                continue
            order = [s.id for s in (ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages)]
            at = order.index(named[0])
            run = order[at + 1 : at + 1 + n] if side == "after" else order[max(0, at - n) : at]
            if len(run) == n:  # (fewer follow: the count is read as it stands, and said to be too many)
                return Frame("compare", {"type": slot, "ids": run, "aspect": compare_aspect(f, slot)})
    return None


_WHAT_LIES = frozenset({"what", "whats", "is", "are", "comes", "come", "sits", "lies", "falls", "in"})


def stages_between(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the MSSP stages between Qualify and Close": the stages in between, not the two named; with what is
    asked of each ("..., with their probabilities"), side by side."""
    if "between" not in f.words:
        return None
    at = f.words.index("between")
    # ("whats between qualify and proof": what lies between two stages asks for the stages in between)
    lies_between = bool(f.words[:at]) and set(f.words[:at]) <= _WHAT_LIES
    if not f.has("stage_word") and not lies_between:
        return None
    if {"difference", "differences", "differ", "compare", "comparison"} & set(f.words[max(0, at - 3) : at]):
        return None  # "the difference between the Prospect and Qualify stages": a comparison of the two
    for slot in ("mssp_stage", "mcem_stage"):
        ids = list(dict.fromkeys(f.entities.get(slot, []) + f.rejected.get(slot, [])))
        if len(ids) == 2:
            aspects = compare_aspects(f, slot)
            stages = [s.id for s in (ix.kb.mssp_stages if slot == "mssp_stage" else ix.kb.mcem_stages)]
            low, high = sorted(stages.index(i) for i in ids)
            inside = stages[low + 1 : high]
            if aspects and len(inside) >= 2:
                frame = Frame("compare", {"type": slot, "ids": inside, "aspect": aspects[0]})
                if len(aspects) > 1:
                    frame.slots["aspects"] = aspects
                return frame
            if aspects and len(inside) == 1 and slot == "mssp_stage" and aspects[0] in MSSP_ASPECTS:
                # "stage between proof and deploy + its vo": that one stage, and what is asked of it
                return Frame(MSSP_ASPECTS[aspects[0]], {slot: inside[0]})
            return Frame("order.between", {"slot": slot, "ids": ids})
    return None


# A stage's field by the cue that asks for it; the two lists are counted line by line across the stages.
_ONE_PER_STAGE = {cue: MSSP_ASPECTS[cue] for cue in ("outcome", "objective", "probability")}


_LINES_PER_STAGE = {cue: _FIELD_OF_CUE[cue] for cue in ("checkpoints", "key_steps")}


def position_across_the_document(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "last verifiable outcome in mssp", "the first checkpoint in the mssp", "last mcem exit criteria": a
    position among one field's lines through the whole document, stage by stage, with no stage named."""
    if any(f.entities.get(slot) for slot in ENTITY_SLOTS) or {"stage", "stages"} & set(f.words) or first_few(f):
        return None  # ("objectives of the first 3 mssp stages": a position among stages)
    found = [o for o in compose.ordinals(f) if o.position and not o.offset and not compose.about_stages(f, o)]
    asked = [c for c in (*_ONE_PER_STAGE, *_LINES_PER_STAGE, "exit") if f.has(c)]
    if len(found) != 1 or len(asked) != 1 or found[0].position == compose.MIDDLE:
        return None
    position, cue = found[0].position, asked[0]
    if cue == "exit":
        if "mcem" not in f.words:
            return None
        index = compose.index_at(position, len(ix.kb.mcem_stages))
        if not 0 <= index < len(ix.kb.mcem_stages):
            return None
        return Frame("mcem.exit", {"mcem_stage": ix.kb.mcem_stages[index].id})
    if "mssp" not in f.words:
        return None
    stages = ix.kb.mssp_stages
    if cue in _ONE_PER_STAGE:
        index = compose.index_at(position, len(stages))
        return Frame(_ONE_PER_STAGE[cue], {"mssp_stage": stages[index].id}) if 0 <= index < len(stages) else None
    field = _LINES_PER_STAGE[cue]
    lines = [(s.id, n) for s in stages for n, _ in enumerate(ix.graph.facts_of(s.id, field), 1)]
    index = compose.index_at(position, len(lines))
    if not 0 <= index < len(lines):
        return None
    stage, at = lines[index]
    return Frame("mssp.item", {"mssp_stage": stage, "field": field, "position": at})


def stages_in_band(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "for the stages at 60% or more, what are the verifiable outcomes", "stages between 10% and 40%
    (inclusive)": the MSSP stages whose probability is in that band, side by side, with what is asked."""
    if f.entities.get("mssp_stage") or f.entities.get("mcem_stage") or (lines_counted(f) and not f.percents):
        return None  # ("more than 3 checkpoints" counts lines, it is no probability)
    aspects = [a for a in compare_aspects(f, "mssp_stage") if a != "probability"]
    numbered = [s for s in ix.kb.mssp_stages if s.probability != "NA"]
    at = [i for i, w in enumerate(f.words) if w in f.percents]
    percents = list(f.percents)
    if len(at) == 1 and at[0] >= 2 and f.words[at[0] - 1] in ("and", "to") and f.words[at[0] - 2].isdigit():
        # ("stages between 10 and 40%": the first number's % is said once, with the second)
        percents, at = [f.words[at[0] - 2] + "%", percents[0]], [at[0] - 2, at[0]]
    joined = len(at) == 2 and bool({"to", "and", "through", "thru", "till", "until"} & set(f.words[at[0] : at[1]]))
    banded = "between" in f.words or "from" in f.words
    only_and = joined and not {"to", "through", "thru", "till", "until"} & set(f.words[at[0] : at[1]])
    if len(percents) == 2 and only_and and not banded:
        # ("stages at 0 and 100%": two stages, each at its own percentage, not every stage from one to the other)
        ids = [s.id for p in percents for s in numbered if s.probability == f"{int(p[:-1])}%"]
        aspects = aspects or ["probability"]
    elif len(percents) == 2 and joined and (banded or at[1] - at[0] <= 3):
        low, high = sorted(int(p[:-1]) for p in percents)
        ids = [s.id for s in numbered if low <= int(s.probability[:-1]) <= high]
        aspects = aspects or ["probability"]
    else:
        bound = compose.probability_bound(f)
        if bound is None or not aspects:
            return None  # (a bound alone is the probability list's own filter)
        ids = [s.id for s in numbered if compose.within_bound(int(s.probability[:-1]), bound)]
    if len(ids) < 2:
        return None
    frame = Frame("compare", {"type": "mssp_stage", "ids": ids, "aspect": aspects[0]})
    if len(aspects) > 1:
        frame.slots["aspects"] = aspects
    return frame


_EXCLUDING = frozenset({"excluding", "except", "exclude", "without", "besides", "minus", "ignoring"})


_EXCLUDING_PAIRS = frozenset({("other", "than"), ("apart", "from"), ("but", "not"), ("not", "including"),
                              ("leave", "out"), ("leaving", "out"), ("aside", "from")})  # fmt: skip


_NOT_OWNED = frozenset({"doesnt", "dont", "not", "isnt", "arent"})


def all_but(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "list the stage role assignments excluding MAP", "mcem exit criteria excluding the CSU stages", "exit
    criteria for each mcem stage the STU doesn't own": every one of a kind, but those the message leaves out,
    side by side."""
    words, kb = f.words, ix.kb
    at = next(
        (i for i, w in enumerate(words) if w in _EXCLUDING or (w, *words[i + 1 : i + 2]) in _EXCLUDING_PAIRS), None
    )
    if at is not None and {"it", "they", "them", "that", "this"} & set(words[:at]):
        return None  # ("what's it accountable for apart from listen & consult": "it" is what is asked about)
    named = [(s, kind, key) for s, _, kind, key in f.spans if kind != "glossary"]
    # ("all mssp stages except close": an everyday name left out is a stage too)
    named += [
        (i, kind, key)
        for kind, keys in f.rejected.items()
        for key in keys
        for i, w in enumerate(words)
        if w in ix.surfaces.get((kind, key), ()) and at is not None and at < i <= at + 4
    ]
    if at is not None:
        left_out = [(kind, key) for s, kind, key in named if at < s <= at + 4]
        if [n for n in named if n[0] < at] or len(named) != len(left_out):
            return None  # ("the ATS in MAP except ..."): something else is named too
    else:
        # "... each mcem stage the STU doesn't own"
        owned = [i for i, w in enumerate(words[:-1]) if w in _NOT_OWNED and words[i + 1] in ("own", "owns", "owned")]
        left_out = [(kind, key) for s, kind, key in named if kind == "unit" and owned and s < owned[0]]
        if not owned or len(named) != len(left_out):
            return None
    if not left_out or len({kind for kind, _ in left_out}) != 1:
        return None
    kind, keys = left_out[0][0], {key for _, key in left_out}
    if kind == "unit":
        stages_asked = f.has("exit", "owner") or bool({"stage", "stages"} & set(words))
        roles_asked = bool({"role", "roles"} & set(words))
        if stages_asked == roles_asked:
            return None
        if stages_asked:
            kind, ids = "mcem_stage", [s.id for s in kb.mcem_stages if s.unit not in keys]
        else:
            kind, ids = "role", [r for u in kb.units.values() if u.id not in keys for r in u.roles]
    else:
        every = {
            "mcem_stage": [s.id for s in kb.mcem_stages],
            "mssp_stage": [s.id for s in kb.mssp_stages],
            "assignment": list(kb.assignments),
            "role": [r.id for r in kb.roles.values() if r.focus],
        }
        if kind not in every:
            return None
        ids = [i for i in every[kind] if i not in keys]
    if len(ids) < 2:
        return None
    frame = Frame("compare", {"type": kind, "ids": ids, "aspect": compare_aspect(f, kind)})
    aspects = compare_aspects(f, kind)
    if len(aspects) > 1:
        frame.slots["aspects"] = aspects
    return frame


def each_role(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "the MCEM focus line for each of the five roles", "the one-line focus of each numbered role": that
    line of every role the guide defines, side by side."""
    units = f.entities.get("unit", [])
    others = any(t not in ("glossary", "unit") for t in f.entities)
    listed = {"each", "every", "all", "list"} & set(f.words) or (
        units and "their" in f.words
    )  # ("CSU roles + their focus")
    if others or len(units) > 2 or not listed:
        return None
    if not ({"roles", "role"} & set(f.words)) or {"whose", "that", "include", "includes", "including"} & set(f.words):
        return None  # ("all roles whose MCEM focus includes Expand" is a filtered list)
    aspect = compare_aspect(f, "role")
    if aspect not in ("mcem_focus", "focus", "responsibilities"):
        return None
    # ("each ATU role with its focus", "each role in the ATU and CSU with its mcem focus": the units' roles)
    in_units = [r for u in units for r in ix.kb.units[u].roles if u in ix.kb.units]
    defined = in_units if units else [r.id for r in ix.kb.roles.values() if r.focus]
    return Frame("compare", {"type": "role", "ids": defined, "aspect": aspect}) if len(defined) > 1 else None


def lines_counted(f: Features) -> dict[str, Any]:
    """{"count": n} when the question filters stages by how many lines they have ("only one checkpoint")."""
    words = f.words
    for i, w in enumerate(words[:-1]):
        n = 1 if w in ("single", "one") else compose.NUMBER_WORDS.get(w) or (int(w) if w.isdigit() else None)
        if n is None:
            continue
        # "4 or more checkpoints", "at least 4 checkpoints", "more than 3 key steps": a bound, not exactly n
        after = words[i + 1 : i + 3]
        bound = _COUNT_BOUNDS.get(" ".join(words[max(0, i - 2) : i])) or _COUNT_BOUNDS.get(" ".join(after))
        noun_at = i + 3 if " ".join(after) in _COUNT_BOUNDS else i + 1
        if words[noun_at : noun_at + 1] and words[noun_at] in ("checkpoint", "checkpoints", "key", "step", "steps"):
            if bound == "at least" and n == 1:
                return {}  # ("stages where at least one key step involves the power": which lines, not how many)
            if bound and FILTER_WORDS & set(words[noun_at + 1 :]):
                return {}  # ("more than one checkpoint about power": lines filtered by their words first)
            return {"count": n, "count_bound": bound} if bound else {"count": n}
    return {}


_COUNT_BOUNDS = {"or more": "at least", "at least": "at least", "or fewer": "at most", "or less": "at most",
                 "at most": "at most", "more than": "more than", "fewer than": "fewer than",
                 "less than": "fewer than"}  # fmt: skip


_WITH_WORDS = frozenset({"with", "that", "where", "whose", "which", "having", "has", "mentioning"})


def nth_of_the_named(f: Features) -> Features:
    """ "the second of MAP/COMPETE/EXPAND/MODERNIZE and its roles": the one at that place among the things the
    message itself lists, as if it alone were named."""
    found = [o for o in compose.ordinals(f) if o.position and not o.offset]
    if len(found) != 1 or f.words[found[0].end : found[0].end + 1] != ["of"]:
        return f
    after = [(s, kind, key) for s, _, kind, key in f.spans if s > found[0].end and kind != "glossary"]
    kinds_named = {kind for _, kind, _ in after}
    if len(kinds_named) != 1 or len(after) < 2:
        return f
    slot = next(iter(kinds_named))
    listed = [key for _, _, key in sorted(after)]
    index = compose.index_at(found[0].position, len(listed))
    if not 0 <= index < len(listed):
        return f
    picked = compose.with_entity(compose.without_ordinal(f, found[0]), slot, listed[index], replace_all=True)
    return replace(picked, cues=picked.cues - {"compare"})


def nth_stage_with(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "first mssp stage with a checkpoint about power", "last stage whose key steps mention Siebel": a position
    among the stages that have such a line, not among all stages."""
    found = [o for o in compose.ordinals(f) if o.position and not o.offset]
    if len(found) != 1 or any(t != "glossary" for t in f.entities) or not f.has("stage_word"):
        return None
    after = f.words[found[0].end : found[0].end + 4]
    if not (_WITH_WORDS & set(after)):
        return None
    fields = [field for cue, field in _FIELD_OF_CUE.items() if f.has(cue)]
    # (the words as said, not a term's spelled-out form; the position is no word of the line)
    content = compose.content_stems(content_features(f), ix, expand_terms=False) - FILTER_VERBS
    content -= {compose.stem(w) for w in f.words[found[0].start : found[0].end]}
    if len(fields) > 1 or not content:
        return None
    lines = [
        i
        for i in compose.list_facts_with(ix, fields[0] if fields else "stage", set(content))
        if ix.graph.facts[i].address.subject_type == "mssp_stage"
    ]
    stages = [s.id for s in ix.kb.mssp_stages if any(ix.graph.facts[i].address.subject == s.id for i in lines)]
    if not stages:
        return None
    index = compose.index_at(found[0].position, len(stages))
    if not 0 <= index < len(stages):
        return None
    return Frame(
        "where", {"facts": [i for i in lines if ix.graph.facts[i].address.subject == stages[index]], "asked": "stage"}
    )


def roles_by_focus(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "which roles have 'all stages' as mcem focus", "which roles focus on modernize": the roles whose MCEM focus
    line holds those words (a role assignment's name after "focus" can only be read in that line)."""
    on_a_play = f.has("focus") and bool(f.rejected.get("assignment"))
    # ("whose mcem focus is Compete and Expand": role assignments named after "focus" are that line's words)
    focus_at = min((s for s, _ in f.cue_spans.get("mcem_focus", [])), default=len(f.words))
    in_the_line = all(kind == "assignment" and s > focus_at for s, _, kind, _ in f.spans if kind != "glossary")
    if not ((f.has("mcem_focus") or on_a_play) and f.has("roles_word", "who")) or not in_the_line:
        return None
    lex = ix.kb.lexicon
    quoted = QUOTED.search(f.original)
    if quoted:  # ("'all stages'": the words quoted, stop words and all)
        wanted = set(compose.fact_stems(next(g for g in quoted.groups() if g), lex.spellings, lex.synonyms))
    else:
        wanted = {s for s in compose.content_stems(content_features(f), ix) if s in ix.graph.by_stem}
    stems_of = {
        r.id: set(compose.fact_stems(r.mcem_focus or "", lex.spellings, lex.synonyms)) for r in ix.kb.roles.values()
    }
    said_as = max((i for i, w in enumerate(f.words) if w in ("is", "on", "covers", "=", "have", "has")), default=None)
    if not wanted and said_as is not None:  # ("whose mcem focus is all stages": stop words and all)
        said = set(compose.fact_stems(" ".join(f.words[said_as + 1 :]), lex.spellings, lex.synonyms))
        wanted = said & set().union(*stems_of.values())
    wanted -= set(compose.fact_stems("mcem focus role roles", lex.spellings, lex.synonyms))
    picked = [r for r, stems in stems_of.items() if wanted and wanted <= stems]
    described = f.has("mcem_focus") and {"which", "whose"} & set(f.words) and len(f.words) > 5
    if not picked and described:
        # "which role's mcem focus is everything after the sale": words no focus line has; each role's focus to
        # read it against, never a bare list of roles.
        gap = "No role's MCEM focus says it in those words; here is each role's."
        focused = [r.id for r in ix.kb.roles.values() if r.mcem_focus]
        return Frame("compare", {"type": "role", "ids": focused, "aspect": "mcem_focus", "gaps": [gap]})
    if not picked:
        return None
    return (
        Frame("compare", {"type": "role", "ids": picked, "aspect": "mcem_focus"})
        if len(picked) > 1
        else Frame("role.definition", {"role": picked[0], "aspect": "mcem_focus"})
    )


_RANGE_JOINS = frozenset({"thru", "through", "to", "till", "until"})


def stage_range(f: Features, ix: KnowledgeIndex, domain: str | None) -> Frame | None:
    """ "objectives of the first 3 MSSP stages", "the last two MCEM stages and their owners", "probabilities
    Qualify thru Close": the stages in that range, side by side, with what is asked of each."""
    words = f.words
    spans = sorted((s, e, kind, key) for s, e, kind, key in f.spans if kind in ("mssp_stage", "mcem_stage"))
    # ("from develop to close": an everyday word that names a stage, at the range's end, is that stage)
    for key in f.rejected.get("mssp_stage", []):
        name = ix.kb.mssp_stage(key).name.lower()
        at = next((i for i in range(1, len(words)) if words[i] == name and words[i - 1] in _RANGE_JOINS), None)
        if at is not None:
            spans = sorted([*spans, (at, at + 1, "mssp_stage", key)])
    for (_, e1, kind1, key1), (s2, _, kind2, key2) in pairwise(spans):
        between = words[e1:s2]  # "Qualify thru Close", "from Qualify through to Close"
        joined = between in (["thru"], ["through"], ["to"], ["till"], ["until"], ["through", "to"], ["up", "to"])
        if kind1 != kind2 or not joined:
            continue
        stages = [s.id for s in (ix.kb.mssp_stages if kind1 == "mssp_stage" else ix.kb.mcem_stages)]
        i, j = stages.index(key1), stages.index(key2)
        aspects = compare_aspects(f, kind1)
        listed = f.has("list", "every", "stage_word") and not aspects  # ("list the stages from develop to close")
        if i < j and (aspects or listed):
            frame = Frame(
                "compare", {"type": kind1, "ids": stages[i : j + 1], "aspect": aspects[0] if aspects else None}
            )
            if len(aspects) > 1:
                frame.slots["aspects"] = aspects
            return frame
    for s, _, kind, key in spans:
        # "the MSSP stages which come after Close, with their objectives": every stage on that side of it.
        before = words[max(0, s - 5) : s]
        side = next((w for w in reversed(before) if w in ("after", "before", "following", "preceding")), None)
        # ("everything after close", "every mssp stage after proof": all of them, not the one next to it)
        every = bool({"every", "each", "all", "everything"} & set(words[:s]))
        # ("what verifiable outcomes come after close": one line per stage, asked of several, is every stage's)
        if side is None or not (
            ({"stages", "phases", "everything"} | _ONE_PER_STAGE_PLURALS) & set(words[:s])
            or (every and "stage" in words[:s])
        ):
            continue
        if "stage" in before[-2:] and not every:
            continue
        if any(o.offset for o in compose.ordinals(f)):
            break  # "3 stages after Qualify": one stage, three on
        stages = [x.id for x in (ix.kb.mssp_stages if kind == "mssp_stage" else ix.kb.mcem_stages)]
        at = stages.index(key)
        ids = stages[at + 1 :] if side in ("after", "following") else stages[:at]
        if len(ids) >= 2:
            frame = Frame("compare", {"type": kind, "ids": ids, "aspect": compare_aspect(f, kind)})
            aspects = compare_aspects(f, kind)
            if len(aspects) > 1:
                frame.slots["aspects"] = aspects
            return frame
    for i, w in enumerate(words[:-2]):
        n = compose.NUMBER_WORDS.get(words[i + 1]) or (int(words[i + 1]) if words[i + 1].isdigit() else None)
        if w not in ("first", "last") or n is None or n < 2:
            continue
        rest = words[i + 2 : i + 4]
        if not ({"stages", "phases"} & set(rest)):
            continue
        doc = domain or ("mssp" if f.cues & set(MSSP_ASPECTS) else "mcem" if f.has("exit", "owner") else None)
        if doc is None:
            return None
        stages = [s.id for s in (ix.kb.mssp_stages if doc == "mssp" else ix.kb.mcem_stages)]
        if n > len(stages):
            return None  # "the first 12 stages": the ordinal reading says how many there are
        ids = stages[:n] if w == "first" else stages[-n:]
        slot = "mssp_stage" if doc == "mssp" else "mcem_stage"
        frame = Frame("compare", {"type": slot, "ids": ids, "aspect": compare_aspect(f, slot)})
        aspects = compare_aspects(f, slot)
        if len(aspects) > 1:
            frame.slots["aspects"] = aspects
        return frame
    return None


def extreme_of(f: Features, ix: KnowledgeIndex, items: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """ "which mssp stgs are above 50%" then "the lowest of those": the listed stage with the lowest (or highest)
    probability; None when no superlative is said or the list is no list of stages with one."""
    said = SUPERLATIVES & set(f.words)
    if not said or not items or any(i[0] != "mssp_stage" for i in items):
        return None
    rated = [(int(p[:-1]), i) for i in items if (p := ix.kb.mssp_stage(i[1]).probability).endswith("%")]
    if not rated:
        return None
    pick = max if said & HIGHEST else min
    return pick(rated, key=lambda r: r[0])[1]
