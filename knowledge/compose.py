"""Composition: question parts (what is asked, entities, ordinals, content mentions) -> a Frame.

The rules in knowledge/understand.py read one entity plus one cue ("who owns X", "checkpoints for
Y"). The readings here are built from parts instead:
- ordinals and positions resolve to an entity first ("the second MCEM stage", "two stages after
  Qualify", "stage 7 of MCEM" -> not there), then the ordinary rules read the rest;
- two or more entities of a kind with a compare cue make a comparison;
- a yes/no question is the ordinary reading plus a claim that the answer checks;
- a content mention (words of a document line) with "which stage / who / where" is a reverse
  look-up over every line of both documents; with "what now / where are we" it is a situation;
- "each / every / all" over an aspect is a list over every stage;
- parts of a question the documents do not cover are named (Frame slot "gaps"), never dropped.
Pure functions; no SDK types.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from knowledge.graph import OUTCOME_FIELDS, fact_stems
from knowledge.normalize import normalize, stem

if TYPE_CHECKING:
    from knowledge.index import KnowledgeIndex
    from knowledge.understand import Features, Frame

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10, "last": -1, "final": -1, "latter": -1, "former": 1, "penultimate": -2,
    "middle": 1000,  # MIDDLE
}  # fmt: skip
YES_NO_OPENERS = {
    "does", "do", "is", "are", "was", "were", "can", "could", "should", "will", "would", "has", "have", "did",
    "isnt", "doesnt", "arent", "am",
}  # fmt: skip
# Words that name the kind of thing a question's answer is: they are not content to look up.
ASK_WORDS = frozenset(
    stem(w)
    for w in (
        "which", "what", "where", "when", "who", "whom", "whose", "stage", "stages", "step", "steps", "role",
        "roles", "unit", "units", "phase", "happen", "happens", "done", "do", "does", "did", "we", "i", "our",
        "my", "us", "mention", "mentions", "mentioned", "include", "includes", "involve", "involves", "about",
        "part", "belong", "belongs", "come", "comes", "fall", "falls", "sit", "sits", "under", "mssp", "mcem",
        "in", "is", "are", "the", "a", "an", "of", "for", "to", "on", "at", "it", "that", "this", "point",
        "responsible", "supposed", "meant", "need", "needs", "should", "would", "usually", "typically",
        "hey", "quick", "question", "honestly", "so", "then", "just", "actually", "basically", "right", "correct",
        "true", "yeah", "innit", "isnt",
    )
)  # fmt: skip
# Nouns that make a phrase a job title ("partner manager", "sales director"); a job title that is not a
# role of the guide is a part of the question the documents do not cover.
TITLE_HEADS = frozenset({"manager", "director", "lead", "specialist", "rep", "representative", "vp", "cfo", "ceo",
                         "cto", "cio", "head", "consultant", "analyst", "admin", "administrator", "owner",
                         "coordinator", "officer", "partner manager", "tsp", "pm", "sdr", "bdr", "engineer",
                         "architect", "executive", "strategist", "professional", "seller", "belt", "gbb"})  # fmt: skip
MSSP_ASPECT_STEMS = {
    "probability": {"probability", "%", "percent", "percentage", "likelihood", "chance"},
    "checkpoints": {"checkpoint", "checkpoints", "checklist"},
    "key_steps": {"key step", "key steps"},
}


@dataclass(frozen=True)
class Ordinal:
    position: int  # 1-based; negative counts from the end
    start: int
    end: int
    offset: int = 0  # "two stages after X": +2 from an anchor entity
    neighbour: bool = False  # "the stage after X": the offset is said without a number


# Words that make "last", "next", "this", "before", "by", "every", "per" a time ("last week", "before Monday")
# rather than a position, a neighbour or a duration asked.
TIME_UNITS = frozenset({
    "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "day", "days", "time", "night",
    "friday", "monday", "tuesday", "wednesday", "thursday", "fy", "q", "hour", "hours", "minutes", "mins",
})  # fmt: skip


def words_of(f: Features) -> list[str]:
    return f.words


WH_WORDS = frozenset({"who", "what", "which", "where", "when", "how", "whats", "whose", "why"})
# Words that make a statement a claim ("Prospect stage = 10%?", "the objective of Close is ...?").
CLAIM_VERBS = frozenset(
    {"is", "are", "has", "have", "comes", "come", "equals", "means", "owns", "own", "belongs", "include", "includes"}
)


REQUEST_VERBS = frozenset(
    {"list", "give", "tell", "show", "explain", "spell", "go", "walk", "share", "remind", "summarise", "summarize",
     "name", "describe", "break", "run", "outline"}
)  # fmt: skip


T = TypeVar("T")
_SENTENCE_BREAK = re.compile(r"(?<=[.!;:])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a message ("in MAP: the AE has mapped the stakeholders. who ...?" has three)."""
    return [p for p in _SENTENCE_BREAK.split(text.strip()) if p.strip()] or [text]


def once(f: Features, name: str, compute: Callable[[Features], T]) -> T:
    """compute(f), worked out once per question: readings asked for several times are kept on the Features
    (not a field, so a copy made with `replace`, whose words or cues may differ, works them out again)."""
    if name not in f.__dict__:
        f.__dict__[name] = compute(f)
    return cast(T, f.__dict__[name])


def is_yes_no(f: Features) -> bool:
    """ "does the CSU own Listen & Consult?", "Qualify is 10%, right?", "in MAP does the ATS ...?",
    "CSU = Customer Success Unit?"; not "does anyone know who owns ...?"."""
    return once(f, "_is_yes_no", _is_yes_no)


# Words that open a message without asking anything ("so", "quick", "honestly").
_OPENING_FILLERS = frozenset({"so", "quick", "hey", "ok", "okay", "and", "but", "honestly", "just"})


_CLAIM_KINDS = frozenset({"role", "unit", "mcem_stage", "mssp_stage", "assignment", "glossary"})


# Nouns that ask what something is ("the AE's role in EXPAND?"), not whether a claim holds.
_WHAT_IT_IS = frozenset({"role", "job", "task", "tasks", "responsibilities", "duties", "part"})


_LONGEST_LINE_CLAIM = 10  # words of "<a line> in <stage>?" typed with no verb; other terse claims are 7 at most


# (what a place-first claim may not ask: "drive", "lead" and "own" are its verbs, not an owner asked for)
_ASKED_OF_A_PLACE = frozenset({"exit", "objective", "outcome", "checkpoints", "key_steps", "probability"})


def place_then_role_then_line(f: Features) -> bool:
    """ "in MODERNIZE the CSA design cloud architecture and migration strategy?": a place said first, the role
    right after it, then what the role is claimed to do there (no auxiliary typed)."""
    spans = sorted((s, e, kind) for s, e, kind, _ in f.spans if kind != "glossary")
    # ("in modernize the csa ...": an everyday word right after "in", with a role after it, is the place)
    everyday = [k for k in ("assignment",) if f.words[1:2] and f.words[1] in f.rejected.get(k, [])]
    if everyday and len(spans) == 1:
        spans = [(1, 2, everyday[0]), *spans]
    if len(spans) != 2 or f.words[:1] != ["in"] or spans[0][0] != 1 or spans[1][2] != "role":
        return False
    if spans[0][2] != "assignment":
        return False  # (an MCEM stage ties no task to a role: "in listen & consult the ATS drive ...?")
    if {"not", "isnt", "doesnt", "dont", "never", "arent"} & set(f.words):
        return False  # ("in map the ats does not conduct technical discovery?": no claim read as it stands)
    between = f.words[spans[0][1] : spans[1][0]]
    return set(between) <= {"stage", "the", "a", "phase", "play"} and len(f.words) - spans[1][1] >= 2


def _terse_claim(f: Features) -> bool:
    """ "close 100%?", "L&C -> CSU?", "sponsor letter in develop?", "SSP focus compete + expand?": a claim typed
    with no verb, a question mark after it: a stage and a number, or two things of different kinds."""
    if not f.original.rstrip().endswith("?") or WH_WORDS & set(f.words):
        return False
    if len(f.words) <= 2 * _LONGEST_LINE_CLAIM and place_then_role_then_line(f) and not f.cues & _ASKED_OF_A_PLACE:
        return True  # ("in EXPAND stage the CSAM create transformation vision ...?": a task claimed there)
    if len(f.words) > _LONGEST_LINE_CLAIM:
        return False
    if f.has("compare") or {"vs", "versus", "or"} & set(f.words):
        return False
    if _WHAT_IT_IS & set(f.words):
        return False  # ("AE's role in MODERNIZE and EXPAND?": a noun asked for, what the AE's role is there)
    kinds_said = {kind for _, _, kind, _ in f.spans if kind in _CLAIM_KINDS}
    kinds_said |= {
        kind for kind, ids in f.rejected.items() if ids and kind in _CLAIM_KINDS
    }  # ("... compete + expand?")
    numbers = [w for w in f.words if w.isdigit() and int(w) <= 100]
    # "close 100%?", "deploy 100?", "5 mcem stgs?": a stage and a number, or a count of a document's stages
    stage_and_number = "mssp_stage" in kinds_said and bool(f.percents or numbers)
    # (a count comes before what it counts: "5 mcem stgs?"; "mcem stage 3 + stage 8?" names positions)
    counted = any(
        w.isdigit() and f.words[i + 1 : i + 2] in (["stages"], ["mcem"], ["mssp"]) and f.words[i - 1 : i] != ["stage"]
        for i, w in enumerate(f.words)
    )
    counted = counted and bool({"stage", "stages"} & set(f.words)) and bool({"mcem", "mssp"} & set(f.words))
    # "poc in proof?", "ask for biz in close?": words of a line, then the stage it is claimed to be in
    last = max((s for s, _, kind, _ in f.spans if kind in ("mssp_stage", "mcem_stage", "assignment")), default=None)
    in_a_stage = last is not None and last >= 2 and f.words[last - 1] in ("in", "at", "during", "=")
    # ("revenue in ms sales confirmed in close stage?": a longer line claimed, the stage last)
    last_end = max((e for s, e, _, _ in f.spans if s == last), default=len(f.words))
    ends_with_it = all(w in ("stage", "stg", "phase") for w in f.words[last_end:])
    # ("deploy probability and the margin at deploy?", "sub-steps under execute eval plan in solution?")
    asks_more = bool(f.cues & ASPECT_CUES) or bool({"and", "sub", "substeps", "steps", "under"} & set(f.words))
    if len(f.words) > 7 and not (in_a_stage and ends_with_it and not asks_more):
        return False
    return stage_and_number or counted or in_a_stage or len(kinds_said) >= 2


def _is_yes_no(f: Features) -> bool:
    leading = 0
    while leading < len(f.words) and f.words[leading] in _OPENING_FILLERS | {"please", "kindly", "can", "you"}:
        leading += 1
    if f.words[leading : leading + 1] == ["confirm"] and not any(w in WH_WORDS for w in f.words[leading:]):
        return True  # "Please confirm that the SE belongs to the Solution Team Unit."
    words = [w for w in f.words if w not in _OPENING_FILLERS]
    if not words or words[0] in WH_WORDS:
        return False
    if words[-1] == "by" and f.original.rstrip().endswith("?"):
        return False  # ("technical discovery in MAP is done by?": who, not whether)
    if _terse_claim(f):
        return True
    first_name = min(((s, e) for s, e, kind, _ in f.spans if kind != "glossary"), default=None)
    named_first = f.words[:1] in (["is"], ["isnt"]) and first_name is not None and first_name[0] == 1
    if named_first and first_name and f.words[first_name[1] : first_name[1] + 1] in (["where"], ["when"]):
        return True  # "is MODERNIZE where the ATS designs the migration strategy": a claim about the place
    # "in MAP: AE has mapped the stakeholders ... who identifies the success criteria?": the last sentence asks.
    last_sentence = normalize(sentences(f.original)[-1]).split()
    if f.original.rstrip().endswith("?") and last_sentence[:1] and last_sentence[0] in WH_WORDS and len(words) > 6:
        return False
    tags = [start for start, end in f.cue_spans.get("tag_question", []) if end == len(f.words)]
    if f.words[-1:] in (["agree"], ["agreed"]) and f.original.rstrip().endswith("?") and len(f.words) > 1:
        tags.append(len(f.words) - 1)  # ("... is a close key step - agree?"; "agrees" inside a line is no tag)
    # ("..., and what % is it": "is it" ends a wh-question, it is no tag)
    if len(words) >= 3 and tags and not any(w in WH_WORDS for w in f.words[max(0, tags[0] - 3) : tags[0]]):
        return not any(w in WH_WORDS for w in words[:3])
    # The auxiliary may come after a short opening phrase: "in EXPAND does the CSA ...".
    opener = next((i for i, w in enumerate(words[:4]) if w in YES_NO_OPENERS), None)
    # "could you remind me what MCAPS stands for", "can you tell us which unit ...": a question asked politely.
    embedded = any(
        w in ("tell", "remind", "explain", "show", "know") and any(x in WH_WORDS for x in words[i + 1 : i + 4])
        for i, w in enumerate(words[:6])
    )
    # "could you list the exit criteria ...", "can u give me the checkpoints": a request, not a yes/no.
    embedded = embedded or any(
        w in ("could", "can", "would", "will")
        and words[i + 1 : i + 2] in (["you"], ["u"])
        and any(x in REQUEST_VERBS for x in words[i + 2 : i + 5])
        for i, w in enumerate(words[:4])
    )
    opens_a_claim = opener == 0 or words[0] in ("in", "for", "during", "at", "within", "as")  # ("as a partner do we")
    if opener is not None and not embedded and not any(w in WH_WORDS for w in words[: opener + 4]) and opens_a_claim:
        return True
    # "Quick sanity check before Monday: does the STU own Realize Value? Kai insists it does.": the one
    # sentence with the question mark opens with an auxiliary.
    asked_sentences = [normalize(x).split() for x in sentences(f.original) if x.rstrip().endswith("?")]
    if len(asked_sentences) == 1 and asked_sentences[0][:1] and asked_sentences[0][0] in YES_NO_OPENERS:
        # ("can someone remind her what ...", "could you list the exit criteria for each of the five stages?")
        return not embedded and not any(w in WH_WORDS for w in asked_sentences[0])
    # "my Contoso opp is in Proof, is that 80%": a last clause that opens with an auxiliary asks yes or no.
    last_clause = PUNCTUATION.split(f.original.strip().rstrip("?"))[-1].split()
    last_words = normalize(" ".join(last_clause)).split()
    request = any(w in REQUEST_VERBS for w in last_words[:5])  # ("..., could you please list ...")
    wh_question = any(w in WH_WORDS for w in words)  # "customer is aligned ..., what's next?"
    if len(last_words) >= 3 and last_words[0] in YES_NO_OPENERS and not request and not wh_question:
        return True
    # A statement with a question mark: "Prospect stage = 10%?", "the objective of Close is X?".
    asked = f.original.rstrip().endswith("?")
    # ("customer is aligned to the solution. next mcem stage and its exit criteria?": the sentence that asks
    # makes no claim; the one before only says where the deal is)
    asking = normalize(sentences(f.original)[-1]).split() if asked else words
    claims = "=" in f.original or any(w in CLAIM_VERBS for w in asking) or dash_place_start(f) is not None
    # "CSA maintains the RAID logs?": a statement about a role, stage or unit, asked with a question mark.
    # (a verb after the name: "AE salary range and MCEM focus?" asks no claim)
    first_end = next((e for s, e, kind, _ in f.spans if s == 0 and kind != "glossary"), None)
    cued = {
        i
        for g, spans in f.cue_spans.items()
        if g in ("owner", "involved", "does")
        for s, e in spans
        for i in range(s, e)
    }
    verb = first_end is not None and any(
        w in CLAIM_VERBS or (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))) or i in cued
        for i, w in enumerate(f.words[first_end : first_end + 3], first_end)
    )
    # "csa in the atu?", "ats in map stage?": two things of different kinds, set side by side in a fragment.
    kinds = {kind for _, _, kind, _ in f.spans if kind != "glossary"}
    fragment = len(kinds) >= 2 and len(words) <= 6 and "in" in words
    about_entity = (verb or fragment) and not f.has("compare") and not _WHAT_IT_IS & set(words)
    # ("deploy = 100%?": two words and an equals sign are a claim)
    return asked and (claims or about_entity) and len(words) >= (2 if "=" in f.original else 3) and not wh_question


# "pain admitted by power - qualify checkpoint?": a line, a dash, then the place claimed for it.
_DASH = re.compile(r"^(.{8,}?)\s[-\u2013\u2014]\s(.{3,40}?)\s*\?\s*$")
_PLACE_WORDS = frozenset({"checkpoint", "step", "outcome", "objective", "stage", "thing", "one", "responsibility"})


def dash_place_start(f: Features) -> int | None:
    """Where the claimed place starts in the words of "pain admitted by power - qualify checkpoint?"."""
    said = _DASH.match(f.original.strip())
    if not said:
        return None
    place = normalize(said.group(2)).split()
    claimed = 1 < len(place) <= 4 and len(normalize(said.group(1)).split()) >= 3 and bool(_PLACE_WORDS & set(place))
    return max(0, len(f.words) - len(place)) if claimed else None


def ordinals(f: Features) -> list[Ordinal]:
    """Positions the question names: "second", "2nd", "stage 7", "last", "two stages after"."""
    return list(once(f, "_ordinals", _ordinals))


def _ordinals(f: Features) -> list[Ordinal]:
    found: list[Ordinal] = []
    words = f.words
    for i, w in enumerate(words):
        if words[i + 1 : i + 2] and words[i + 1] in TIME_UNITS and w in ("last", "next", "first", "final"):
            continue  # "last week", "next quarter": a time, not a position
        position = ordinal_position(w)
        if w in ("last", "end") and ("to" in words[max(0, i - 2) : i] or "from" in words[max(0, i - 2) : i]):
            continue  # the "last" of "second to last" / "second from the end" is part of that position
        if w == "last" and _last_as_a_verb(f, i):
            continue  # ("how many days should proof last": how long it lasts)
        if w == "first" and (_first_as_an_adverb(f, i) or first_in_an_idiom(words, i)):
            continue  # ("what should i do first": the first thing done; "in the first place", "first off")
        if w in ("later", "earlier") and words[i + 1 : i + 2] == ["one"]:
            found.append(Ordinal(-1 if w == "later" else 1, i, i + 2))  # "the later one" of two
            continue
        if w == "before" and words[i + 1 : i + 2] in (["last"], ["final"]):
            found.append(Ordinal(-2, i, i + 2))  # "the stage before last"
            continue
        if w == "before" and words[i + 1 : i + 3] in (["the", "last"], ["the", "final"]):
            found.append(Ordinal(-2, i, i + 3))  # "the key step just before the final one"
            continue
        if position is not None:
            # "2nd to last", "second from the end", "second last", "3rd stage from the end": from the end.
            noun = 1 if words[i + 1 : i + 2] in (["stage"], ["step"], ["checkpoint"], ["one"]) else 0
            if position > 0 and words[i + 1 : i + 3] in (["to", "last"], ["from", "last"], ["from", "end"]):
                found.append(Ordinal(-position, i, i + 3))
            elif position > 0 and words[i + 1 + noun : i + 4 + noun] == ["from", "the", "end"]:
                found.append(Ordinal(-position, i, i + 4 + noun))
            elif position > 0 and (end := _from_the_end(words, i + 1)):
                found.append(Ordinal(-position, i, end))  # "5th key step counting from the end"
            elif 1 < position < MIDDLE and words[i + 1 : i + 2] == ["last"]:
                found.append(Ordinal(-position, i, i + 2))
            else:
                found.append(Ordinal(position, i, i + 1))
        elif _numbered_as(words, i) and i + 1 < len(words) and number(words[i + 1]) is not None:
            found.append(Ordinal(number(words[i + 1]) or 0, i, i + 2))  # "which role is number 3", "position six"
        elif w in ("stage", "phase", "step", "checkpoint", "role") and i + 1 < len(words):
            n = number(words[i + 1])
            # "stage 3" is a position; "the stage three after Prospect" is an offset (read at "three").
            offset_noun = words[i + 2 : i + 3] in (
                ["steps"],
                ["stages"],
                ["step"],
                ["stage"],
            )  # "stage two steps before"
            if n is not None and words[i + 2 : i + 3] not in (["after"], ["before"], ["on"]) and not offset_noun:
                found.append(Ordinal(n, i, i + 2))
        elif w in _NEIGHBOUR_WORDS and _names_a_neighbour(f, i):
            found.append(Ordinal(0, i, i + 1, offset=_NEIGHBOUR_WORDS[w], neighbour=True))
        elif (
            w in _NEIGHBOUR_WORDS and words[i + 1 : i + 2] in (["it"], ["that"], ["this"]) and _stage_word_before(f, i)
        ):
            # "the stage right before it": one on from the stage the conversation is about, as "one before it".
            found.append(Ordinal(0, i, i + 2, offset=_NEIGHBOUR_WORDS[w]))
        elif (
            w in _NEIGHBOUR_WORDS
            and words[i + 1 : i + 2] in (["that"], ["this"])
            and words[i + 2 : i + 3]
            in (
                ["stage"],
                ["one"],
            )
        ):
            found.append(Ordinal(0, i, i + 3, offset=_NEIGHBOUR_WORDS[w]))  # "and after that stage, whats the prob"
        elif number(w) is not None:
            # "two stages after Qualify", "two after Solution", "three before Close".
            j = i + 2 if words[i + 1 : i + 2] in (["stages"], ["steps"], ["stage"]) else i + 1
            back = "back" in words[max(0, i - 2) : i]  # "go back two stages from Close"
            if words[j : j + 1] == ["from"] and (back or "forward" in words[max(0, i - 2) : i]):
                found.append(Ordinal(0, i, j + 1, offset=-(number(w) or 0) if back else number(w) or 0))
            elif words[j : j + 1] in (["after"], ["later"], ["past"], ["beyond"]) or words[j : j + 2] == ["on", "from"]:
                found.append(Ordinal(0, i, j + 1, offset=number(w) or 0))
            elif words[j : j + 1] in (["before"], ["earlier"], ["prior"], ["back"]):
                found.append(Ordinal(0, i, j + 1, offset=-(number(w) or 0)))
    return _counted_from_a_neighbour(words, found)


def _counted_from_a_neighbour(words: list[str], found: list[Ordinal]) -> list[Ordinal]:
    """ "the first stage after Demand Generation", "2nd stage before Close": a position counted from the stage
    named, one offset (not the first stage of all and a neighbour)."""
    merged: list[Ordinal] = []
    for o in found:
        before = merged[-1] if merged else None
        if (
            before is not None
            and o.neighbour
            and 0 < before.position < MIDDLE
            and not before.offset
            and words[before.end : o.start] in ([], ["stage"], ["stages"], ["one"], ["step"], ["phase"])
        ):
            merged[-1] = Ordinal(
                0, before.start, o.end, offset=o.offset * before.position, neighbour=before.position == 1
            )
            continue
        merged.append(o)
    return merged


MIDDLE = 1000  # "the middle stage": resolved against the count of stages


def index_at(position: int, count: int) -> int:
    """The list index a position names among count things: 1 is the first, -1 the last, MIDDLE the middle
    one; the result is outside 0..count-1 when there is no such thing ("the 14th of 13")."""
    if position == MIDDLE:
        return (count + 1) // 2 - 1
    return position - 1 if position > 0 else count + position


_NEIGHBOUR_WORDS = {"after": 1, "following": 1, "before": -1, "preceding": -1}


def _last_as_a_verb(f: Features, i: int) -> bool:
    """ "how many days should proof last": the verb. Reading the cues decided it (understand.extract_features
    drops the "last" cue there); a "last" no cue covers is no position either."""
    return f.has("duration") and not any(s <= i < e for s, e in f.cue_spans.get("last", []))


def _from_the_end(words: list[str], start: int) -> int:
    """Where "(counting) from the end/bottom" ends, a few words after a position ("5th key step counting from
    the end"); 0 when it is not said there."""
    for j in range(start, min(start + 4, len(words))):
        if words[j : j + 3] in (["from", "the", "end"], ["from", "the", "bottom"]):
            return j + 3
        if words[j : j + 2] in (["from", "end"], ["from", "bottom"]):
            return j + 2  # ("3rd stage from end": typed without "the")
    return 0


def first_in_an_idiom(words: list[str], i: int) -> bool:
    """ "who creates the CSP in the first place", "first of all", "first off": no position asked."""
    return (
        (words[max(0, i - 2) : i] == ["in", "the"] and words[i + 1 : i + 2] == ["place"])
        or words[i + 1 : i + 3] == ["of", "all"]
        or words[i + 1 : i + 2] in (["off"], ["things"])
    )


def _first_as_an_adverb(f: Features, i: int) -> bool:
    """ "what should i do first": the reading of the cues decided it (features.extract_features drops the
    "first" cue after a verb of doing); a "first" no cue covers there is no position either."""
    return i > 0 and not any(s <= i < e for s, e in f.cue_spans.get("first", [])) and f.words[i - 1] != "the"


def _names_a_neighbour(f: Features, i: int) -> bool:
    """ "the stage (right) after Proof", "the role assignment that comes just before EXPAND": a stage or
    role assignment named right after the word, a stage word a few words before it, and no count."""
    before = f.words[max(0, i - 4) : i]
    named_next = any(s in (i + 1, i + 2) and kind in _OFFSET_SLOTS for s, _, kind, _ in f.spans)
    # ("after close whats the prob": the message opens with it, then asks an aspect)
    opens = all(w in ("and", "so", "ok", "okay", "then") for w in before) and bool(f.cues & ASPECT_CUES)
    opens = opens and not {"next", "previous"} & set(f.words)  # ("after support what's the next mssp stage?")
    if opens and named_next and not f.has("situation"):
        return True
    # ("the one right after prospect": "one" after "the" is a stage, not a count)
    counted = any(
        number(w) and not (w == "one" and before[j - 1 : j] in (["the"], ["which"])) for j, w in enumerate(before)
    )
    if not any(w in ("stage", "phase", "one", "assignment") for w in before) or counted:
        return False
    return named_next


_OFFSET_SLOTS = ("mssp_stage", "mcem_stage", "assignment")


def _stage_word_before(f: Features, i: int) -> bool:
    return any(w in ("stage", "phase", "one") for w in f.words[max(0, i - 4) : i])


_NUMBERED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")


def _numbered_as(words: list[str], i: int) -> bool:
    """ "number 3", "position six", and after a thing's name "role no. 2", "stage nr 4", "step # 2"."""
    if words[i] in ("number", "position"):
        return True
    noun_before = words[i - 1 : i] in (["role"], ["stage"], ["step"], ["checkpoint"], ["row"], ["item"])
    return words[i] in ("no", "nr", "num", "#") and noun_before


def ordinal_position(word: str) -> int | None:
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    match = _NUMBERED.fullmatch(word) if word[:1].isdigit() else None
    return int(match.group(1)) if match else None


def number(word: str) -> int | None:
    """The count a word says ("3", "three"), or None."""
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return NUMBER_WORDS.get(word)


def has_phrase(f: Features, phrases: tuple[str, ...]) -> bool:
    text = " " + " ".join(f.words) + " "
    return any(" " + p.replace("'", "") + " " in text for p in phrases)


_MODALS = frozenset({"should", "must", "shall"})  # ("can we recognise revenue", "do we develop": the line's verb)
SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they"})


def _after_modal_and_subject(words: list[str], i: int) -> bool:
    """ "he should RUN", "should they PLAN for", "we need to DO": a verb of the seller's asking."""
    pair = (words[i - 2], words[i - 1])
    return (pair[0] in _MODALS and pair[1] in SUBJECTS) or (pair[0] in SUBJECTS and pair[1] in _MODALS)


def content_stems(f: Features, ix: KnowledgeIndex, expand_terms: bool = True) -> set[str]:
    """The question's words that are neither entity names, cue-less asking words nor stop words."""
    lex = ix.kb.lexicon
    taken: set[int] = set()
    expansions = []
    for start, end, kind, key in f.spans:
        if kind == "glossary":  # "eval plan", "CSP": terms are what a line is about, in either spelling
            if expand_terms:
                expansions.append(ix.kb.glossary[int(key)].expansion or "")
        else:
            taken.update(range(start, end))
    if f.words[:1] in (["who"], ["whos"]) and len(f.words) > 2 and f.words[1] in f.unknown:
        # "who prpeares the give/get worksheets": the verb the documents never use (or misspelt); the thing
        # done is what a line holds.
        taken.add(1)
    # "run me through the mssp stages", "walk us through": a request, not a line's verb ("run" = lead).
    taken.update(
        i
        for i, w in enumerate(f.words)
        if w in REQUEST_VERBS and (i == 0 or f.words[i + 1 : i + 2] in (["me"], ["us"], ["through"]))
    )
    # "what are the key steps he should run", "what key steps should they plan for": the seller's verb, after a
    # modal and its subject, asks for the lines; it is no word of theirs.
    taken.update(i for i in range(2, len(f.words)) if _after_modal_and_subject(f.words, i))
    # "the five roles", "all 5 exit criteria": a count is not what a line is about.
    counts = [w for i, w in enumerate(f.words) if i not in taken and w not in NUMBER_WORDS and not w.isdigit()]
    kept = " ".join([*counts, *expansions])
    stems = set(fact_stems(kept, lex.spellings, lex.synonyms))
    return stems - ASK_WORDS - ix.graph.ignore


@dataclass(frozen=True)
class Mention:
    facts: tuple[int, ...]  # fact indexes, best first (equally good ones together)
    coverage: float


def find_mention(
    f: Features,
    ix: KnowledgeIndex,
    min_coverage: float = 0.6,
    exclude_roles: frozenset[str] = frozenset(),
    role_lines_only: bool = False,
    within: str | None = None,
) -> Mention | None:
    """The document lines the question's content words point at, if they cover the question well.

    exclude_roles: lines of these roles do not count ("who partners with the AE?" asks about another);
    role_lines_only: only lines the documents give to a role ("who does X" with no other clue).
    A glossary term is tried as written and spelled out ("MQP/SQP", "Marketing or Sales Qualified
    Prospects"): whichever a line matches better.
    """
    found = [
        _mention(content_stems(f, ix, expand), ix, min_coverage, exclude_roles, role_lines_only, within)
        for expand in ((False, True) if any(kind == "glossary" for _, _, kind, _ in f.spans) else (True,))
    ]
    return max((m for m in found if m), key=lambda m: m.coverage, default=None)


def _mention(
    content: set[str],
    ix: KnowledgeIndex,
    min_coverage: float,
    exclude_roles: frozenset[str],
    role_lines_only: bool,
    within: str | None = None,
) -> Mention | None:
    if not content:
        return None
    ranked = [
        r
        for r in ix.graph.search(content, limit=24, min_coverage=min_coverage)
        if not exclude_roles & set(ix.graph.facts[r[2]].roles)
        and (ix.graph.facts[r[2]].roles or not role_lines_only)
        and (within is None or ix.graph.facts[r[2]].address.subject == within)
    ]
    if not ranked:
        return None
    best_score, best_cov, best = ranked[0]
    known = [s for s in content if s in ix.graph.idf]
    if best_cov < min_coverage or not known:
        return None
    # One shared word is not a mention ("the CEO of Microsoft" is not the AE's line that says Microsoft),
    # unless it is all the question is about.
    shared = content & ix.graph.facts[best].stems
    if len(shared) < 2 and len(content) > 1:
        return None
    # Lines as good as the best (the same step repeated in several stages) are all the answer.
    tied = tuple(i for score, cov, i in ranked if cov >= best_cov - 1e-9 and score >= best_score - 0.08)
    return Mention(tied, best_cov)


def mention_stage_ids(ix: KnowledgeIndex, mention: Mention) -> list[str]:
    out: list[str] = []
    for i in mention.facts:
        a = ix.graph.facts[i].address
        if a.subject_type in ("mssp_stage", "mcem_stage") and a.subject not in out:
            out.append(a.subject)
    return out


def probability_bound(f: Features) -> tuple[str, int] | None:
    """("above", 50) for "stages above 50%", ("below", 20) for "under 20 percent"; None without such a bound."""
    if not f.has("probability", "stage_word"):
        return None
    for i, w in enumerate(f.words):
        # "60% or higher", "at least 60%", "20% or less": the bound itself included.
        if not re.fullmatch(r"\d{1,3}%", w):
            continue
        after, before = f.words[i + 1 : i + 3], f.words[max(0, i - 2) : i]
        if after in (["or", "higher"], ["or", "more"], ["or", "above"], ["and", "above"], ["and", "up"]) or before == [
            "at",
            "least",
        ]:
            return "at_least", int(w[:-1])
        if after in (["or", "lower"], ["or", "less"], ["or", "below"], ["and", "below"]) or before == ["at", "most"]:
            return "at_most", int(w[:-1])
    for side in ("above", "below"):
        for start, end in f.cue_spans.get(side, []):
            after = f.words[end : end + 1]
            if after and re.fullmatch(r"\d{1,3}%?", after[0]):
                # "at or above 60%", "equal to or below 20%": the bound itself included.
                inclusive = f.words[max(0, start - 2) : start] in (["at", "or"], ["to", "or"])
                return ("at_least" if side == "above" else "at_most") if inclusive else side, int(after[0].rstrip("%"))
    return None


def _names(stages: tuple[Any, ...]) -> str:
    return ", ".join(f"{s.name} ({s.probability})" for s in stages) or "none"


def within_bound(value: int, bound: tuple[str, int]) -> bool:
    side, limit = bound
    return {
        "above": value > limit,
        "below": value < limit,
        "at_least": value >= limit,
        "at_most": value <= limit,
    }[side]


BOUND_WORDS = {"above": "above", "below": "below", "at_least": "of at least", "at_most": "of at most"}


def _within_bound(stages: tuple[Any, ...], f: Features) -> tuple[Any, ...]:
    """The stages an ordinal counts among: "the first stage above 50%", "the first stage that has a
    probability number" (not NA); all of them without such a condition."""
    bound = probability_bound(f)
    numbered = [s for s in stages if s.probability != "NA"]
    if bound:
        return tuple(s for s in numbered if within_bound(int(s.probability[:-1]), bound))
    words = f.words
    # "the first stage with a probability", "... that has a real number"; not "the 3rd stage with its probability"
    having = any(
        w in ("has", "have", "with") and words[i + 1 : i + 2] in (["a"], ["an"], ["non"], ["actual"], ["real"])
        for i, w in enumerate(words)
    )
    if f.has("probability") and not f.percents and (having or "number" in words):
        return tuple(numbered)
    # "first mssp stage that's at 100%": among the stages at that probability
    exact = [w for i, w in enumerate(words) if w in f.percents and words[i - 1 : i] in (["at"], ["is"])]
    if len(exact) == 1 and any(s.probability == exact[0] for s in stages):
        return tuple(s for s in stages if s.probability == exact[0])
    return stages


def resolve_ordinal(f: Features, ix: KnowledgeIndex, domain: str | None) -> tuple[Features, list[str]] | None:
    """Features with the stage an ordinal names put in place of the ordinal, and any gap found.

    Returns None when the question has no ordinal over stages.
    """
    found = [o for o in ordinals(f) if (o.position != 0 or o.offset) and about_stages(f, o)]
    zero = [o for o in ordinals(f) if o.position == 0 and not o.offset and f.words[o.start] == "stage"]
    if zero and not found:
        # "what's mcem stage 0?": the stages are counted from one.
        return _without(f, zero[0], drop_cues=()), ["Stages are counted from 1, so there is no stage 0."]
    if not found:
        return None
    kb = ix.kb
    o = found[0]
    mssp_ids = f.entities.get("mssp_stage", [])
    mcem_ids = f.entities.get("mcem_stage", [])
    gaps: list[str] = []
    anchor: Any
    if o.offset:
        # "two stages after Qualify": the stage is named right after the offset; "quick one before my
        # flight" names none.
        named = [s for s, _, kind, _ in f.spans if kind in ("mssp_stage", "mcem_stage")]
        if named and not any(o.end <= s <= o.end + 2 for s in named):  # (no span: the stage in context)
            return None
        plays = f.entities.get("assignment", [])
        stage_named = bool(mssp_ids or mcem_ids)
        claim = is_yes_no(f) and f.words[:1] in (["is"], ["are"], ["does"], ["do"], ["was"], ["isnt"])
        if o.neighbour and (claim or (stage_named and not f.cues & _NEIGHBOUR_ASPECTS)):
            return None  # "stage before Close" is answered as the order; "is Solution right after Proof?" too
        if o.neighbour and plays and not (mssp_ids or mcem_ids):
            order = list(kb.assignments)
            target = order.index(plays[0]) + o.offset
            if not 0 <= target < len(order):
                word = "after" if o.offset > 0 else "before"
                gaps.append(f"The MCEM guide has {len(order)} role assignments, with none {word} {plays[0].upper()}.")
                return _without(f, o, drop_cues=("next", "previous")), gaps
            new = _without(f, o, drop_cues=("next", "previous"))
            return with_entity(new, "assignment", order[target], replace_all=True), gaps
        if mssp_ids:
            anchor = kb.mssp_stage(mssp_ids[0])
            target = anchor.position + o.offset
            stages: tuple[Any, ...] = kb.mssp_stages
            slot = "mssp_stage"
        elif mcem_ids:
            anchor = kb.mcem_stage(mcem_ids[0])
            target = anchor.position + o.offset
            stages = kb.mcem_stages
            slot = "mcem_stage"
        else:
            return None
        if not 0 <= target < len(stages):
            doc = "MSSP" if slot == "mssp_stage" else "MCEM"
            word = "after" if o.offset > 0 else "before"
            gaps.append(
                f"{doc} has {len(stages)} stages, so there is no stage {abs(o.offset)} {word} {anchor.name}"
                f" ({anchor.name} is stage {anchor.position + 1} of {len(stages)})."
            )
            return _without(f, o, drop_cues=("next", "previous")), gaps
        new = _without(f, o, drop_cues=("next", "previous"))
        return with_entity(new, slot, stages[target].id, replace_all=True), gaps
    if mssp_ids or mcem_ids:
        return None  # "first checkpoint of Qualify": a position inside a stage, not of a stage
    noun = ordinal_noun(f, o)
    plays = f.entities.get("assignment", [])
    asks_who = noun in ("role", "roles", "one", "listed", "person") or bool({"who", "whos", "listed"} & set(f.words))
    if len(plays) == 1 and asks_who and not f.entities.get("role"):
        # "last role listed under MODERNIZE", "in COMPETE who's listed first": among that assignment's roles.
        play = kb.assignments[plays[0]]
        counted = f"The MCEM guide lists {{n}} roles for {play.name}"
        return _position_among(f, o, "role", [m.role for m in play.roles], counted)
    units = f.entities.get("unit", [])
    counts_stages = noun in ("stage", "stages", "phase", "phases")  # ("who owns the second stage of the CSU")
    if len(units) == 1 and asks_who and not plays and not f.entities.get("role") and not counts_stages:
        # "2nd role listed in the STU": among that unit's roles, in the guide's order.
        unit = kb.units[units[0]]
        counted = f"The {unit.acronym} has {{n}} roles"
        # (the unit is where the role was counted, not a second subject: "the first role in the CSU" is the CSAM;
        # past its last role, the unit stays to be answered: "the 3rd role in the STU and the other ones")
        if 0 <= index_at(o.position, len(unit.roles)) < len(unit.roles):
            f = replace(f, entities={k: v for k, v in f.entities.items() if k != "unit"})
        return _position_among(f, o, "role", list(unit.roles), counted)
    if noun in ("unit", "units") and not f.entities.get("role"):
        return _position_among(f, o, "unit", list(kb.units), "The MCEM guide has {n} accountable units")
    # "in the role definitions ..., who's the last one": the guide's numbered list of roles.
    definitions = (
        bool({"definitions", "definition"} & set(f.words))
        and ("role" in f.words or "roles" in f.words)
        and noun not in ("stage", "stages", "unit", "units", "assignment", "assignments")
    )
    role_noun = (noun in ("role", "roles") or definitions) and not (
        {"assignment", "assignments"} & set(f.words[o.end : o.end + 4])
    )
    if role_noun and not any(t != "glossary" for t in f.entities):
        # "the 3rd role in the role definitions": the guide numbers the roles it defines.
        defined = [r.id for r in kb.roles.values() if r.focus]
        # ("listed first under role definitions": "under" is where, not a unit the role belongs to)
        placed = replace(
            f, cues=f.cues - {"belongs"}, cue_spans={k: v for k, v in f.cue_spans.items() if k != "belongs"}
        )
        return _position_among(placed, o, "role", defined, "The MCEM guide's Role Definitions number {n} roles")
    if ("assignment" in f.words or "assignments" in f.words) and not f.entities.get("assignment"):
        # "the second stage in the role assignments": a position among MAP, COMPETE, EXPAND, MODERNIZE;
        # "the last one that still has the AE": among those that name the role.
        roles = [r for r in f.entities.get("role", []) if r in kb.roles][:1]
        plays = [a.id for a in kb.assignments.values() if not roles or any(m.role == roles[0] for m in a.roles)]
        counted = "The MCEM guide has {n} role assignments"
        if roles:
            counted = f"The MCEM guide names the {kb.roles[roles[0]].acronym} in {{n}} role assignments"
        return _position_among(f, o, "assignment", plays, counted)
    if not (f.has("stage_word") or "stage" in f.words or "stages" in f.words or domain):
        return None
    units = f.entities.get("unit", [])
    if len(units) == 1 and not f.entities.get("role") and domain != "mssp":
        # "which stage does the CSU own first": a position among the MCEM stages that unit is accountable for.
        owned = [s.id for s in kb.mcem_stages if s.unit == units[0]]
        counted = f"The {kb.units[units[0]].acronym} is accountable for {{n}} MCEM stages"
        return _position_among(f, o, "mcem_stage", owned, counted)
    if domain is None and (f.has("probability") or probability_bound(f)):
        domain = "mssp"  # only the MSSP stages have probabilities
    if domain is None and f.has("owner", "exit") and not f.has("checkpoints", "key_steps", "objective"):
        domain = "mcem"  # only the MCEM stages have owners and exit criteria
    if domain is None:
        return None
    stages = _within_bound(kb.mssp_stages, f) if domain == "mssp" else kb.mcem_stages
    slot = "mssp_stage" if domain == "mssp" else "mcem_stage"
    index = index_at(o.position, len(stages))
    if not 0 <= index < len(stages):
        doc = "MSSP" if domain == "mssp" else "MCEM"
        guide = "the MSSP document" if domain == "mssp" else "the MCEM guide"
        if domain == "mssp" and len(stages) < len(kb.mssp_stages):  # "the first stage above 100%"
            bound = probability_bound(f)
            which = f"a probability {BOUND_WORDS[bound[0]]} {bound[1]}%" if bound else "a probability number"
            gaps.append(f"In the MSSP document, {len(stages)} of its stages have {which}: {_names(stages)}.")
            return _without(f, o, drop_cues=("first", "last")), gaps
        gaps.append(
            f"{guide[0].upper() + guide[1:]} has {len(stages)} {doc} stages, so there is no stage {o.position}."
        )
        return _without(f, o, drop_cues=("first", "last")), gaps
    new = _without(f, o, drop_cues=("first", "last", "next", "previous"))
    return with_entity(new, slot, stages[index].id, replace_all=True), gaps


# What a question asks of a stage, beyond naming it.
ASPECT_CUES = frozenset({"exit", "owner", "objective", "outcome", "checkpoints", "key_steps", "probability"})
# What a question asks of the stage next to a named one ("the stage after Proof - checkpoints?").
_NEIGHBOUR_ASPECTS = ASPECT_CUES | {"roles_word", "involved", "who", "unit_word"}


def about_stages(f: Features, o: Ordinal) -> bool:
    """ "the final stage", "last MSSP stage", "the 3rd one", "stage 7": a position among stages; "the final
    contract" is not."""
    if o.offset or o.end - o.start > 1:  # "stage 7", "two stages after", "2nd to last"
        return True
    if ordinal_noun(f, o) in ("unit", "units", "assignment", "assignments"):
        return True  # "the 4th accountable unit"
    before = f.words[max(0, o.start - 3) : o.start]
    if before[-1:] in (["is"], ["comes"], ["was"], ["coming"]) and any(
        w in ("stage", "stages", "phase") for w in before
    ):
        return True  # "which MCEM stage is first"
    asks_who = bool({"whos", "who"} & set(f.words[: o.start]))
    if asks_who and (before[-1:] in (["listed"], ["named"]) or f.entities.get("assignment")):
        return True  # "who's listed first under role definitions", "who's 4th in the modernize list"
    # ("4th numbered role"; "the 2nd MODERNIZE role", "the first STU role": a name between counts as the scope)
    scoped = {i for s, e, kind, _ in f.spans if kind in ("assignment", "unit") and s >= o.end for i in range(s, e)}
    after = [
        w
        for i, w in enumerate(f.words[o.end : o.end + 4], o.end)
        if w not in ("numbered", "listed", "journey") and i not in scoped
    ][:2]
    stage_words = ("stage", "stages", "phase", "one", "assignment", "role")
    if not after or after[0] in stage_words:
        return True
    if after[0] in ("row", "rows") and {"stage", "stages"} & set(f.words[o.end :]):
        return True  # "3rd row in the mcem stages & exit criteria table": a stage's row
    return after[0] in ("mssp", "mcem", "sales", "role") and after[1:2] != [] and after[1] in stage_words


def _position_among(f: Features, o: Ordinal, slot: str, ids: list[str], counted: str) -> tuple[Features, list[str]]:
    """The entity at an ordinal's position among ids, or the gap saying there is none ("{n}" in counted is
    how many there are)."""
    index = index_at(o.position, len(ids))
    rest = _without(f, o, drop_cues=("first", "last"))
    if not 0 <= index < len(ids):
        return rest, [counted.format(n=len(ids)) + f", so there is no number {o.position}."]
    return with_entity(rest, slot, ids[index]), []


def ordinal_noun(f: Features, o: Ordinal) -> str | None:
    """The thing an ordinal counts: "third MCEM stage and its unit" counts stages, "the 2nd accountable unit"
    counts units."""
    if o.end - o.start == 2 and f.words[o.start] == "role":
        return "role"  # "role #3 in the role definitions"
    if f.words[o.start] in ("number", "position"):
        # "which role is number 3": the thing counted is named before the number.
        before = [w for w in f.words[max(0, o.start - 3) : o.start] if w not in ("is", "was", "the", "at")]
        if before:
            return before[-1]
    if f.words[o.end : o.end + 1] == ["of"]:
        # "the third of the mcem stage role assignments": the phrase's last noun is what is counted
        phrase = f.words[o.end + 1 : o.end + 7]
        heads = [w for w in phrase if w in ("assignments", "assignment", "roles", "units", "stages", "steps")]
        if heads and heads[-1].startswith("assignment"):
            return "assignments"
    for word in f.words[o.end : o.end + 3]:
        if word not in ("mcem", "mssp", "accountable", "sales", "customer", "of", "the", "numbered", "listed"):
            return word
    return None


def without_ordinal(f: Features, o: Ordinal) -> Features:
    """The features with the ordinal used up (its words read as stop words)."""
    return _without(f, o, drop_cues=("first", "last"))


def _without(f: Features, o: Ordinal, drop_cues: tuple[str, ...]) -> Features:
    """The features without the ordinal's cues, nor any cue said inside it ("from the end" is no exit)."""
    spans = {
        k: [(s, e) for s, e in v if not (o.start <= s and e <= o.end)]
        for k, v in f.cue_spans.items()
        if k not in drop_cues
    }
    spans = {k: v for k, v in spans.items() if v}
    # The ordinal is used up: its words read as a stopword, so no later rule counts it again ("third role
    # under MODERNIZE and their job there" is the CSA's task, not the CSA's third responsibility).
    words = [("the" if o.start <= i < o.end else w) for i, w in enumerate(f.words)]
    stems = [("the" if o.start <= i < o.end else w) for i, w in enumerate(f.stems)]
    return replace(f, cues=set(spans), cue_spans=spans, words=words, stems=stems)


def with_entity(f: Features, slot: str, entity_id: str, replace_all: bool = False) -> Features:
    entities = dict(f.entities)
    entities[slot] = [entity_id] if replace_all else [entity_id, *[e for e in entities.get(slot, []) if e != entity_id]]
    return replace(f, entities=entities)


def compared_entities(f: Features) -> tuple[str, list[str]] | None:
    """(entity type, ids) when the question sets two or more things of one kind side by side."""
    explicit = f.has("compare")
    compare = explicit or has_phrase(f, ("how is", "how are", "how does", "same as", "or the", "and the"))
    for slot in ("role", "unit", "mcem_stage", "mssp_stage", "assignment"):
        ids = list(dict.fromkeys(f.entities.get(slot, [])))
        if explicit:  # "map vs compete": an explicit comparison names its sides, everyday words included
            ids += [i for i in f.rejected.get(slot, []) if i not in ids]
        if slot == "role":
            ids += [g for g in ("ce", "se") if g in f.entities.get("group", []) and g not in ids]
        # "checkpoints of Deploy and Support": two stages and an aspect of each are a comparison too.
        aspect = slot == "mssp_stage" and bool(f.cues & {"checkpoints", "key_steps", "objective", "outcome"})
        if len(ids) >= 2 and (compare or aspect or slot in ("mcem_stage", "assignment", "unit")):
            return slot, ids
    return None


# Two or three capitalised words ending with a title's head: "Deal Desk Manager", "Partner Development Manager".
# (the head may be written small: "the Deal Desk lead")
_TITLE_CASED = re.compile(r"\b((?:[A-Z][a-z]+ ){1,3})([A-Z][a-z]+|lead|manager|director|specialist)\b")
MAX_TITLE_SEARCH = 400


_AFTER_A_NOUN = frozenset({"in", "of", "on", "for", "at", "from", "and", "or", "is", "sit", "sits"})


def gap_for_job_title(f: Features, ix: KnowledgeIndex) -> str | None:
    """ "which unit is the partner manager in?": a job title the guide does not have."""
    words = f.words
    named = {i for start, end, kind, _ in f.spans if kind in ("role", "group", "unit") for i in range(start, end)}
    determiners = {"the", "a", "an", "my", "our", "your", "their", "his", "her", "is", "who", "whos", "what", "whats"}
    asked_as_a_role = f.has("belongs", "unit_word", "does", "involved", "responsibilities", "roles_word", "who")
    for m in _TITLE_CASED.finditer(f.original[:MAX_TITLE_SEARCH]):
        # "the Deal Desk Manager": a title written as one, whatever its words (not one of the guide's roles);
        # only after "the"/"a" ("Hi Team Lead here", "My Sales Manager asked" are who is writing)
        cased = m.group(0).lower()
        before = f.original[: m.start()].split()[-1:]
        if (
            [w.lower() for w in before] in (["the"], ["a"], ["an"])
            and m.group(2).lower() in TITLE_HEADS
            and asked_as_a_role
            and not ix.entities.longest_matches([stem(w) for w in cased.split()])
        ):
            return cased
    for i, w in enumerate(words):
        if w in TITLE_HEADS and i not in named:
            # The word before the head, if any, makes the title: "the sales manager" -> "sales manager".
            parts = [p for p in words[max(0, i - 1) : i + 1] if p not in determiners]
            if w == "owner" and (f.entities.get("mcem_stage") or f.entities.get("mssp_stage")):
                continue  # "who is the owner of Realize Value": ownership, not a job title
            if w == "lead" and i + 1 < len(words) and words[i + 1] not in _AFTER_A_NOUN:
                continue  # "lead" as a verb: "who should lead account planning" (not "the deal desk lead in ...")
            if w == "lead" and {"do", "does", "did"} & set(words[max(0, i - 4) : i]):
                continue  # ("what does the AE lead": the verb, asked)
            # A title of the domain's own words ("partner manager"), asked about as a role; an unknown
            # word ("CEO") or a lone "manager" is left to the out-of-scope reading.
            if (
                len(parts) >= 2
                and all(p in ix.vocabulary for p in parts)
                and f.has("belongs", "unit_word", "does", "involved", "responsibilities", "roles_word", "who")
            ):
                return " ".join(parts)
            # "AE vs deal desk manager", "compare the CSA and the technical account manager": set beside a
            # role of the guide, any title is asked about as a role.
            # ("what does the Delivery Manager do, and the AE": listed beside a role, too)
            beside_a_role = bool(f.entities.get("role")) and (f.has("compare") or {"vs", "versus", "and"} & set(words))
            title = [p for p in words[max(0, i - 2) : i + 1] if p not in determiners and p not in ("and", "vs")]
            if beside_a_role and len(title) >= 2:
                return " ".join(title)
    return None


def normalise_frame(frame: Frame, gaps: list[str]) -> Frame:
    if not gaps:
        return frame
    slots = dict(frame.slots)
    slots["gaps"] = list(dict.fromkeys([*slots.get("gaps", []), *gaps]))
    return type(frame)(frame.kind, slots)


FIELD_PLURALS = {
    "checkpoint": "checkpoints",
    "key_step": "key steps",
    "verifiable_outcome": "verifiable outcomes",
    "objective": "objectives",
    "responsibility": "responsibilities",
    "exit_criteria": "exit criteria",
    "task": "role-assignment tasks",
    "stage": "lines",
}


def mention_field_filter(f: Features) -> str | None:
    """The kind of line a "which checkpoints mention X" question lists: checkpoint, key_step ..."""
    text = " " + " ".join(f.words) + " "
    for field, phrases in (
        ("checkpoint", (" checkpoint", " checkpoints", " check point", " checklist")),
        ("key_step", (" key step", " key steps", " steps ")),
        ("verifiable_outcome", (" outcome", " outcomes")),
        ("objective", (" objective", " objectives")),
        ("responsibility", (" responsibilit",)),
        # (only a filter over them: "what mcem stage has X as the exit" asks which stage, answered by the stage)
        (
            "exit_criteria",
            (
                " in the exit criteria",
                " in their exit criteria",
                " in its exit criteria",
                " exit criteria mention",
                " exit criteria that mention",
                " exit criteria with ",
            ),
        ),
        ("task", (" task with ", " tasks with ", " tasks that mention", " tasks mention")),
    ):
        if any(p in text for p in phrases):
            # ("which stages mention power (checkpoints or key steps)": lines of either, so the stages' lines)
            either = field == "checkpoint" and any(p in text for p in (" key step", " key steps", " steps "))
            return "stage" if either else field
    return None


_WRITE_VERBS = frozenset(stem(w) for w in ("update", "updates", "updated", "enter", "enters", "entered", "record",
                                             "log", "logged", "capture", "captured", "put", "maintain"))  # fmt: skip


def list_facts_with(ix: KnowledgeIndex, field: str | None, content: set[str]) -> list[int]:
    """Every fact (of one field, if given) that holds all of the content stems the graph knows."""
    known = [s for s in content if s in ix.graph.by_stem]
    # "a key step that updates Siebel": entering into Siebel counts too; a verb of writing to a system is
    # implied by the system named.
    named = [s for s in known if s not in _WRITE_VERBS]
    known = named or known
    if not known:
        return []
    ids = set(ix.graph.by_stem[known[0]])
    for s in known[1:]:
        ids &= set(ix.graph.by_stem[s])
    if field == "stage":  # "which stages mention a SOW": any line of a stage
        return sorted(i for i in ids if ix.graph.facts[i].address.subject_type in ("mssp_stage", "mcem_stage"))
    fields = {field, "sub_step"} if field == "key_step" else ({field} if field else None)
    return sorted(i for i in ids if fields is None or ix.graph.facts[i].address.field in fields)


# "we're still trying to build qualified pipeline": the line is what they work towards, not what is done.
IN_PROGRESS = frozenset({"still", "trying", "working", "midway", "halfway"})
# "goal is qualified pipeline", "need qualified pipeline": a stage's exit named as a goal is not reached yet
# (while "need to sort out the support plan" is work of the stage the deal is in).
GOAL_WORDS = frozenset({"goal", "aim", "aiming", "towards", "toward", "need", "needs", "target", "targeting"})
NEGATIONS = frozenset({"no", "not", "havent", "hasnt", "isnt", "arent", "didnt", "dont", "doesnt", "wasnt",
                       "werent", "without", "never", "missing", "pending", "yet", "wont", "cant", "couldnt",
                       "wouldnt"})  # fmt: skip


def _said_together(f: Features, ix: KnowledgeIndex, stems: set[str]) -> bool:
    """The stems come in one stretch of the message between punctuation: "eval plan complete, pre-proposal
    review done" does not say "Supportability Review completed"."""
    lex = ix.kb.lexicon
    for piece in PUNCTUATION.split(f.original):
        words = normalize(piece, lex.spellings).split()
        if stems <= set(fact_stems(" ".join(ix.correct(w) for w in words), lex.spellings, lex.synonyms)):
            return True
    return False


PUNCTUATION = re.compile(r"[,.;:!?()\u2013\u2014]+|\s-+\s")  # what separates the stretches of a message


def _shares_enough(
    graph: Any, stems: set[str], fact: int, one_word: bool = True, document: str | None = None, done: bool = False
) -> bool:
    """Two words in common, or, in a short clause, one that only this line's stage has ("worksheet",
    "campaigns"; "nothing qualified yet ... which mcem stage": only one MCEM stage's line says "qualified")."""
    shared = stems & graph.facts[fact].stems
    if len(shared) >= 2:
        return True
    if len(shared) != 1 or len(stems) > 3 or not one_word:
        return False
    holders = [graph.facts[i].address for i in graph.by_stem.get(next(iter(shared)), ())]
    if document is not None:
        holders = [a for a in holders if a.document == document and a.subject_type.endswith("_stage")]
    if len({a.subject for a in holders}) == 1:
        return True
    # ("customer signed, what's next": a thing done, and "Signed documents" the one verifiable outcome with it)
    outcomes = [a for a in holders if a.field == "verifiable_outcome"]
    return done and len(outcomes) == 1 and graph.facts[fact].address == outcomes[0]


# ("incl. deployment plan": the full stop of a short form ends no sentence)
_ABBREVIATION_DOT = re.compile(r"\b(incl|approx|esp|vs|etc|e\.g|i\.e|w\.r\.t)\.", re.IGNORECASE)


def _situation_clauses(original: str, ix: KnowledgeIndex) -> list[str]:
    """The message's clauses; a sentence that is one line's own words stays whole ("contract finalised incl
    deployment SOW and support plan": its "and" joins the line's words, it does not start a new clause)."""
    lex = ix.kb.lexicon
    clauses: list[str] = []
    for sentence in re.split(r"[.?!;]+\s*", _ABBREVIATION_DOT.sub(r"\1", original)):
        stems = set(fact_stems(normalize(sentence, lex.spellings), lex.spellings, lex.synonyms)) - ASK_WORDS
        stems = {s for s in stems if s in ix.graph.idf}
        best = ix.graph.search(stems, limit=1, min_coverage=0.85) if len(stems) >= 3 else []
        line = ix.graph.facts[best[0][2]].stems if best else set()
        # (nearly all of the line, and at most one word besides)
        said = set(normalize(sentence, lex.spellings).split())
        whole = bool(best) and len(stems - line) <= 1 and len(stems & line) >= max(3, 0.6 * len(line))
        whole = whole and not (said & NEGATIONS) and "but" not in said  # ("pain admitted but no access yet")
        clauses += [sentence] if whole else _joined_within_a_line(_CLAUSE.split(sentence), ix)
    return clauses


def _joined_within_a_line(parts: list[str], ix: KnowledgeIndex) -> list[str]:
    """ "we build proposal with partners incl. deployment plan and support plan": a part whose words all belong
    to the line the part before it matches goes on that part ("support plan" is the proposal's, not the
    Support stage's checkpoint)."""
    lex = ix.kb.lexicon
    joined: list[str] = []
    line: frozenset[str] = frozenset()
    for part in parts:
        stems = {
            s for s in fact_stems(normalize(part, lex.spellings), lex.spellings, lex.synonyms) if s in ix.graph.idf
        }
        stems -= ASK_WORDS | ix.graph.ignore
        if joined and stems and stems <= line:
            joined[-1] = f"{joined[-1]} and {part}"
            continue
        joined.append(part)
        best = ix.graph.search(stems, limit=1, min_coverage=0.6) if len(stems) >= 2 else []
        line = ix.graph.facts[best[0][2]].stems if best else frozenset()
    return joined


def said_done(words: list[str], stems: set[str]) -> bool:
    """A word of the clause says a thing was done: "signed", "agreed" (a past form of a line's word), or
    "deployment is done" (a word for finished)."""
    return any((w.endswith("ed") and stem(w) in stems) or w in _SAID_DONE for w in words)


_CLAUSE = re.compile(r"[,.;:!?()\u2013\u2014+]+|\s-+\s|\band\b|\bbut\b|\balso\b|&", re.IGNORECASE)


@dataclass(frozen=True)
class Situation:
    """Where the lines a seller's situation mentions put the opportunity."""

    document: str  # "mssp" | "mcem"
    stage: str
    facts: tuple[int, ...]  # the lines matched, one per clause
    done: bool  # the stage's verifiable outcome (MSSP) or exit criteria (MCEM) is among them


BUYERS = ("sponsor", "power")  # the two buyers the MSSP lines tell apart
_ACTORS = frozenset(stem(b) for b in BUYERS)


def situation(f: Features, ix: KnowledgeIndex) -> Situation | None:
    """Each clause of the message ("sponsor admitted the pain, and he has a buying vision") matched to
    one line; the latest stage among them is where the opportunity is. Only when no clause matches a line
    is a thing said done ("signed the deal yday") read as the one verifiable outcome with its word."""
    return once(f, "situation", lambda g: _situation_either(g, ix))


_SAID_DONE = frozenset({"done", "finished", "complete", "completed", "finish"})
# A question put to someone, not the "Ask for business" checkpoint.
_ASKED_SOMEONE = re.compile(r"\bask(?:s|ed|ing)? (?:me|us|him|her|them|you|my|our)\b")


def exit_asked(f: Features) -> bool:
    """Exit criteria asked for: "deployment is done, what now" says a thing is finished, it asks for none."""
    return any(not (e - s == 1 and f.words[s] in _SAID_DONE) for s, e in f.cue_spans.get("exit", []))


def _situation_either(f: Features, ix: KnowledgeIndex) -> Situation | None:
    # (the MSSP's outcome is no answer to an MCEM question: "... which unit takes over")
    mcem_asked = "mcem" in f.words or f.has("unit_word", "owner") or exit_asked(f)
    return _situation(f, ix, relaxed=False) or (None if mcem_asked else _situation(f, ix, relaxed=True))


def _situation(f: Features, ix: KnowledgeIndex, relaxed: bool) -> Situation | None:
    lex = ix.kb.lexicon
    graph = ix.graph
    matched: list[int] = []
    still_open: list[int] = []  # lines a clause says are not done yet ("no access to power yet")
    candidates: list[tuple[list[int], bool]] = []  # per clause: lines about as good as its best, negated
    actor: set[str] = set()
    named_documents = {"mcem", "mssp"} & set(f.words)
    document = next(iter(named_documents)) if len(named_documents) == 1 else None  # "... which mcem stage"
    for clause in _situation_clauses(f.original, ix):
        words = [ix.correct(w) for w in normalize(clause, lex.spellings).split()]
        if words[:1] and words[0] in WH_WORDS and len(words) > 3:
            continue  # "what is its verifiable outcome": a question, not progress reported
        stems = set(fact_stems(" ".join(words), lex.spellings, lex.synonyms)) - ASK_WORDS - graph.ignore
        stems = {s for s in stems if s in graph.idf}  # "out the door": words no line has say nothing of where it is
        if _ASKED_SOMEONE.search(" ".join(words)):
            stems.discard("ask")  # ("a junior asked me this morning" is no "Ask for business")
        # "the sponsor admitted pain and has a buying vision": a clause without its own sponsor or power
        # is about the last one named.
        named = stems & _ACTORS
        if named:
            actor = named
        elif stems:
            stems |= actor
        done = said_done(words, stems)
        ranked = graph.search(stems, limit=8, min_coverage=0.4 if done else 0.6)
        # (a clause that asks for the next stage says nothing of where the deal is: "next mcem stage")
        scoped = document if not {"next", "stage", "stages"} & set(words) else None
        usable = [
            r for r in ranked
            if graph.facts[r[2]].address.field in OUTCOME_FIELDS | {"exit_criteria"}
            and _shares_enough(graph, stems, r[2], not WH_WORDS & set(words), scoped)
            and r[1] >= 0.6
            and (document is None or graph.facts[r[2]].address.document == document)
        ]  # fmt: skip
        if not usable and done and relaxed:
            # "signed the deal yday": a thing done, said with other words, still names the one verifiable
            # outcome that holds its word ("Signed documents").
            usable = [
                r for r in ranked
                if graph.facts[r[2]].address.field == "verifiable_outcome"
                and _shares_enough(graph, stems, r[2], not WH_WORDS & set(words), scoped, done=True)
                and (document is None or graph.facts[r[2]].address.document == document)
            ]  # fmt: skip
        if usable:
            best = usable[0]
            # Of lines about as good, the stage's verifiable outcome says the most about where it stands.
            # (an outcome as fully matched counts, however long: "... OR Opportunity Assessment completed")
            near = [
                r
                for r in usable
                if r[0] >= best[0] - 0.05
                or (graph.facts[r[2]].address.field == "verifiable_outcome" and r[1] >= best[1] - 1e-9)
            ]
            outcome = next((r for r in near if graph.facts[r[2]].address.field == "verifiable_outcome"), best)
            ordered = [outcome[2], *(r[2] for r in near if r[2] != outcome[2])]
            an_end = graph.facts[ordered[0]].address.field in ("exit_criteria", "verifiable_outcome")
            goal = an_end and any(w in GOAL_WORDS for w in words)
            candidates.append((ordered, goal or any(w in NEGATIONS or w in IN_PROGRESS for w in words)))
    # "has a buying vision" is a Qualify checkpoint (the sponsor's) and a Develop one (power's): of lines a
    # clause matches as well, the one in the stage the other clauses point at.
    support: dict[str, int] = {}
    for ordered, _ in candidates:
        for stage in {graph.facts[i].address.subject for i in ordered}:
            support[stage] = support.get(stage, 0) + 1
    for ordered, negated in candidates:
        chosen = max(ordered, key=lambda i: (support.get(graph.facts[i].address.subject, 0), -ordered.index(i)))
        spread = {graph.facts[i].address.subject for i in ordered}
        if len(spread) >= 3 and support.get(graph.facts[chosen].address.subject, 0) < 2:
            continue  # ("... and siebel's updated": a line many stages have, that no other clause places)
        (still_open if negated else matched).append(chosen)
    # The whole message may name a stage's verifiable outcome that no single clause does.
    whole = set(fact_stems(" ".join(f.words), lex.spellings, lex.synonyms)) - ASK_WORDS - graph.ignore
    for _, _, i in graph.search(whole, limit=3):
        fact = graph.facts[i]
        if i in still_open or any(i in ordered for ordered, negated in candidates if negated):
            continue  # a clause said this is not done yet
        shared = len(whole & fact.stems)
        # (its rarest word said too, or three of its words: "pre-proposal review is done" shares "review ...
        # done" with "Supportability Review completed", but not "supportability")
        fewest = min((len(graph.by_stem.get(x, ())) for x in fact.stems), default=0)
        rarest = {x for x in fact.stems if len(graph.by_stem.get(x, ())) == fewest}  # (ties: all of them)
        if (
            fact.address.field in ("verifiable_outcome", "exit_criteria")
            and shared >= 2
            and shared >= 0.6 * len(fact.stems)
            and (rarest & whole or shared >= 3)
            and _said_together(f, ix, whole & fact.stems)
        ):
            # ("we're still trying to build qualified pipeline": worked towards, not reached)
            (still_open if _said_as_open(f, ix, fact.stems) else matched).append(i)
    only_open = not matched and bool(still_open)
    if only_open:
        # Only what is still open was said: the opportunity is in that line's stage.
        matched, still_open = still_open[:1], still_open[1:]
    if not matched:
        return None
    mcem_matched = any(graph.facts[i].address.subject_type == "mcem_stage" for i in matched)
    # Owners are MCEM's: "who takes it from here" after an exit criterion asks for the next MCEM stage.
    mcem_asked = "mcem" in f.words or (mcem_matched and (f.has("who") or f.has("owner")))
    mssp = [i for i in matched if graph.facts[i].address.document == "mssp" and not mcem_asked]
    if mssp:
        latest = max(mssp, key=lambda i: ix.kb.mssp_stage(graph.facts[i].address.subject).position)
        stage = graph.facts[latest].address.subject
        in_stage = [graph.facts[i] for i in mssp if graph.facts[i].address.subject == stage]
        checkpoints = {x.text for x in in_stage if x.address.field == "checkpoint"}
        total = len(ix.kb.mssp_stage(stage).checkpoints)
        # Done: its verifiable outcome reached, or most of its checkpoints met, or its last key step (the one
        # that confirms the verifiable outcome: "Confirm verifiable outcomes, revenue in MS Sales and Siebel").
        steps = ix.kb.mssp_stage(stage).key_steps
        confirms = bool(steps) and "verifiable outcome" in steps[-1].text.lower()
        ended = any(x.address.field == "verifiable_outcome" for x in in_stage) or any(
            confirms and x.address.field == "key_step" and x.address.index == len(steps) - 1 for x in in_stage
        )
        most_met = len(checkpoints) >= 2 and 2 * len(checkpoints) > total  # (most of them: half is not most)
        # "what's left for this stage": with most checkpoints met, the seller asks about the stage they are in;
        # with its verifiable outcome reached ("contract signed and revenue in ms sales. whats left"), the stage
        # is over and what is left is the next one's.
        remaining_asked = any(w in ("left", "remaining", "still", "missing", "outstanding") for w in f.words)
        done = ended or (most_met and not remaining_asked)
        return Situation("mssp", stage, tuple(dict.fromkeys(mssp)), done and not still_open)
    mcem = [i for i in matched if graph.facts[i].address.subject_type == "mcem_stage"]
    if not mcem:
        return None
    latest = max(mcem, key=lambda i: ix.kb.mcem_stage(graph.facts[i].address.subject).position)
    return Situation("mcem", graph.facts[latest].address.subject, tuple(dict.fromkeys(matched)), not only_open)


def _said_as_open(f: Features, ix: KnowledgeIndex, stems: frozenset[str] | set[str]) -> bool:
    """A clause that names the line also says it is not done or still in progress."""
    lex = ix.kb.lexicon
    for clause in _CLAUSE.split(f.original):
        words = normalize(clause, lex.spellings).split()
        said = set(fact_stems(" ".join(words), lex.spellings, lex.synonyms))
        if len(said & stems) >= 2 and any(w in NEGATIONS or w in IN_PROGRESS for w in words):
            return True
    return False


def situation_fact(ix: KnowledgeIndex, mention: Mention) -> int | None:
    """The latest MSSP line a situation mentions (a later stage's outcome wins over an earlier step)."""
    best: tuple[int, int, int] | None = None
    for i in mention.facts:
        fact = ix.graph.facts[i]
        a = fact.address
        if a.subject_type != "mssp_stage" or a.field not in OUTCOME_FIELDS:
            continue
        key = (ix.kb.mssp_stage(a.subject).position, 1 if a.field == "verifiable_outcome" else 0, -i)
        if best is None or key > best:
            best = (*key[:2], i)
    return best[2] if best else None


PERCENT = re.compile(r"\d{1,3}%")
