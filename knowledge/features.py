"""Reading a question's words: normalised words and stems, cue groups, entity names, percentages and unknown
words, computed once per question (the rules in knowledge/understand.py only look at these Features).

Pure functions over a KnowledgeIndex; no I/O and no SDK types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge import compose
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex, Match
from knowledge.normalize import MAX_QUESTION_CHARS, normalize, stem

MAX_WORDS = 60

_DONE_BY = frozenset({"done", "handled", "led", "driven", "run", "performed", "owned", "completed", "carried"})
# Cue groups that make an everyday word ("Close", "Support") read as an MSSP stage.
MSSP_CONTEXT_CUES = {
    "mssp_context",
    "probability",
    "checkpoints",
    "key_steps",
    "objective",
    "outcome",
    "next",
    "previous",
}
STAGE_PREPOSITIONS = {"in", "during", "after", "before", "past", "owns", "own", "into", "at", "from"}
# "before moving to proof", "once we progress to close": a move to the word names the stage ("going to close"
# and "want to close" are verbs, so "go" is no move word here).
MOVE_WORDS = frozenset({"move", "moves", "moving", "moved", "progress", "progressing", "progressed", "advance",
                        "advancing", "advanced", "head", "heading", "get", "gets", "getting", "step"})  # fmt: skip
ASSIGNMENT_CONTEXT_CUES = {"involved", "does", "who", "roles_word"}
PRONOUNS = {
    "it",
    "its",
    "that",
    "this",
    "they",
    "their",
    "them",
    "there",
    "those",
    "these",
    "he",
    "she",
    "his",
    "her",
}
ASPECT_CUES = compose.ASPECT_CUES


@dataclass
class Features:
    """Everything the rules look at, computed once per question."""

    original: str
    words: list[str]
    stems: list[str]
    cues: set[str]
    cue_spans: dict[str, list[tuple[int, int]]]
    entities: dict[str, list[str]]
    rejected: dict[str, list[str]]
    percents: list[str]
    unknown: list[str]
    opener: bool
    pronoun: bool
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # accepted entity names: start, end, type, id

    def has(self, *groups: str) -> bool:
        return not self.cues.isdisjoint(groups)

    def first(self, entity_type: str) -> str | None:
        ids = self.entities.get(entity_type)
        return ids[0] if ids else None


_NEGATED_ASPECTS = ASPECT_CUES | {"mcem_focus", "focus", "responsibilities", "mcem_name"}
_NEGATIONS = (["not"], ["rather", "than"], ["instead", "of"], ["but", "not"])
_DETERMINERS = frozenset({"the", "its", "their", "a", "his", "her"})


def _drop_negated_aspects(words: list[str], cue_spans: dict[str, list[tuple[int, int]]]) -> None:
    """ "each role with its main focus line (not the mcem focus)", "the objective, not the probability": an
    aspect said after "not (the)" is not asked, so its cue is dropped."""
    if not {"not", "rather", "instead"} & set(words):
        return
    starts = set()
    for i in range(len(words)):
        for negation in _NEGATIONS:
            end = i + len(negation)
            if words[i:end] == negation:
                starts.add(end + 1 if words[end : end + 1] and words[end] in _DETERMINERS else end)
    if not starts:
        return
    for group in [g for g in cue_spans if g in _NEGATED_ASPECTS]:
        kept = [
            (s, e) for s, e in cue_spans[group] if s not in starts and not (s - 1 in starts and group != "mcem_name")
        ]
        if kept:
            cue_spans[group] = kept
        else:
            del cue_spans[group]


def percents_in(words: list[str]) -> bool:
    """A percentage, or a round number that can only be one here ("is deploy at 100", "proof is 60 right")."""
    return any(re.fullmatch(r"\d{1,3}%", w) or (w.isdigit() and len(w) <= 3 and int(w) % 10 == 0) for w in words)


def _capitalised(original: str, words: list[str], m: Match) -> bool:
    """Written with a capital letter and not merely as the message's first word ("Close" vs "close")."""
    phrase = r"\s+".join(re.escape(w) for w in words[m.start : m.end])
    hits = re.finditer(rf"(?i)\b{phrase}\b", original)
    return any(hit.start() > 0 and hit.group(0)[:1].isupper() for hit in hits)


_MOVING_ON = frozenset({"moving", "progressing", "advancing", "exiting", "leaving"})


def _moving_on(ix: KnowledgeIndex, words: list[str], stems: list[str], end: int) -> bool:
    """ "before moving on", "before we move up", "before I can call it 40": leaving the stage, not the stage
    before another; "before you get to Proof" still names the stage it comes before."""
    following = words[end : end + 1]
    if not following:
        return False
    if following[0] in _MOVING_ON:
        return True
    names_a_stage = any(
        m.kind in ("mssp_stage", "mcem_stage") for m in ix.entities.longest_matches(stems[end : end + 6])
    )
    return following[0] in compose.SUBJECTS and not names_a_stage


_DEFINE_AS_A_VERB = (["to"], ["help"], ["helps"], ["jointly"], ["together"], ["both"])


def extract_features(text: str, ix: KnowledgeIndex, context: Frame | None = None) -> Features:
    lex = ix.kb.lexicon
    original = text[:MAX_QUESTION_CHARS]
    words = []
    for w in normalize(original, lex.spellings).split()[:MAX_WORDS]:
        # "objective-wise", "post-sale": keep a hyphenated word the seeds use, split any other.
        words.extend([w] if w in ix.vocabulary or "-" not in w else [p for p in w.split("-") if p])
    words = [lex.spellings.get(c, c) for c in (ix.correct(w) for w in words)]
    stems = [stem(w) for w in words]
    cue_spans: dict[str, list[tuple[int, int]]] = {}
    for m in ix.cues.all_matches(stems):
        cue_spans.setdefault(m.key, []).append((m.start, m.end))
    # "who partners with the AE to define account and technology strategy": "to define" is the line's verb, no
    # meaning asked for.
    for group in ("glossary", "definition"):
        kept = [
            (s, e)
            for s, e in cue_spans.get(group, [])
            if not (words[s:e] == ["define"] and words[s - 1 : s] in _DEFINE_AS_A_VERB)
        ]
        if group in cue_spans and not kept:
            del cue_spans[group]
        elif group in cue_spans:
            cue_spans[group] = kept
    # "technical discovery in MAP is done by?": a passive ending in "by" asks who; "done" is no exit asked for
    # (but "what must be done by the end of proof" asks no one).
    if words[-1:] == ["by"] and len(words) >= 2 and words[-2] in _DONE_BY:
        cue_spans.setdefault("who", []).append((len(words) - 2, len(words)))
        kept = [(s, e) for s, e in cue_spans.get("exit", []) if not (s == len(words) - 2 and e == len(words) - 1)]
        cue_spans["exit"] = kept
        if not kept:
            del cue_spans["exit"]
    # "next steps" asks for steps, not for the next stage.
    _drop_negated_aspects(words, cue_spans)
    if "next" in cue_spans:
        cue_spans["next"] = [(s, e) for s, e in cue_spans["next"] if stems[e : e + 1] != ["step"]]
        if not cue_spans["next"]:
            del cue_spans["next"]
    if "previous" in cue_spans:
        # "what else do I need before moving on": leaving this stage, not the stage before it.
        cue_spans["previous"] = [(s, e) for s, e in cue_spans["previous"] if not _moving_on(ix, words, stems, e)]
        if not cue_spans["previous"]:
            del cue_spans["previous"]
    if "checkpoints" in cue_spans:
        # "quick sanity check", "double check": checking, not the checkpoints.
        checking = ("check", "checking")
        kept = [(s, e) for s, e in cue_spans["checkpoints"] if not (words[s] in checking and words[s - 1 : s] in (
            ["sanity"], ["quick"], ["double"], ["a"]))]  # fmt: skip
        cue_spans["checkpoints"] = kept
        if not kept:
            del cue_spans["checkpoints"]
    # "what does a CSA do day to day": every day, not how long something takes.
    daily = {i for j in range(len(words)) if words[j : j + 3] == ["day", "to", "day"] for i in range(j, j + 3)}
    if daily and "duration" in cue_spans:
        cue_spans["duration"] = [(a, b) for a, b in cue_spans["duration"] if not set(range(a, b)) & daily]
        if not cue_spans["duration"]:
            del cue_spans["duration"]
    for group in ("duration", "next", "previous", "last", "first"):
        # "the review happened last week", "call with the CFO next month": when it happened, not what is asked.
        if group in cue_spans:
            asked = [(s, e) for s, e in cue_spans[group] if not _said_as_a_time(words, s, e)]
            # ("does the ATU look after listen & consult": looking after is taking care of, not coming next;
            # "how many days should proof last": the verb)
            asked = [(s, e) for s, e in asked if not (words[s:e] == ["after"] and words[s - 1 : s] in _LOOK)]
            if group == "first":
                # ("what does the next stage want me to do first": the first thing done, not the first stage)
                # ("building my first eval plan": the seller's first one)
                asked = [(s, e) for s, e in asked if not (words[s - 1 : s] and words[s - 1] in _DONE_FIRST | _OURS)]
                asked = [(s, e) for s, e in asked if not compose.first_in_an_idiom(words, s)]
            if group == "last" and "duration" in cue_spans:
                # ("how many days should proof last": the verb, after a stage's name or "it")
                lasts_after = _LASTS_AFTER | {w for name in ix.stage_names for w in name.split()}
                asked = [(s, e) for s, e in asked if not (s and words[s - 1] in lasts_after)]
            cue_spans[group] = asked
            if not asked:
                del cue_spans[group]
    # "5th key step counting from the end": a position counted backwards (the "last" cue), no exit or count asked.
    backwards = {
        i
        for j in range(len(words))
        if words[j : j + 3] in (["from", "the", "end"], ["from", "the", "bottom"])
        for i in range(j - (words[j - 1 : j] in (["counting"], ["counted"])), j + 3)
    }
    if backwards:
        cue_spans = {
            g: kept
            for g, sp in cue_spans.items()
            if (kept := [(a, b) for a, b in sp if g == "last" or not set(range(a, b)) & backwards])
        }

    # "just the key steps please, not the checkpoints": an aspect turned down is not asked, when another is.
    def said_from(group: str, a: int) -> int:  # ("not the key steps": "steps" is said from "key" on)
        return min((s for s, e in cue_spans[group] if s <= a < e or e == a), default=a)

    refused = {
        g
        for g in ASPECT_CUES & set(cue_spans)
        if all(
            words[max(0, said_from(g, a) - 2) : said_from(g, a)] in _REFUSED
            or words[said_from(g, a) - 1 : said_from(g, a)] in _REFUSED
            for a, _ in cue_spans[g]
        )
    }
    if refused and (ASPECT_CUES & set(cue_spans)) - refused:
        cue_spans = {g: sp for g, sp in cue_spans.items() if g not in refused}
    if "count" in cue_spans and "duration" in cue_spans:
        # "how many days between ...": a number of days asks how long, not how many of something.
        timed_at = {s for s, _ in cue_spans["duration"]}
        cue_spans["count"] = [(s, e) for s, e in cue_spans["count"] if e not in timed_at]
        if not cue_spans["count"]:
            del cue_spans["count"]
    cues = set(cue_spans)
    stage_word_at = {i for s, e in cue_spans.get("stage_word", []) for i in range(s, e)}
    context_types = _context_entity_types(context)
    entities: dict[str, list[str]] = {}
    rejected: dict[str, list[str]] = {}
    spans: list[tuple[int, int, str, str]] = []
    short = len(words) <= 3
    # "Microsoft Solution Sales Process" names the document, not the Solution stage.
    name_words = {
        i for g in ("mssp_name", "mcem_name") for s, e in cue_spans.get(g, []) if e - s > 1 for i in range(s, e)
    }
    previous: tuple[str, int] | None = None  # the last name accepted: its kind and where it ends
    for m in ix.entities.longest_matches(stems):
        if m.start in name_words and m.end - 1 in name_words:
            continue
        accepted = True
        if m.ambiguous:
            near_stage_word = (m.start - 1) in stage_word_at or m.end in stage_word_at
            # ("we're 80% ... the support plan isnt": a line's own words, "support plan", not the stage)
            following = words[m.end] if m.end < len(words) else ""
            in_a_line = following not in ix.stopwords and (words[m.end - 1], following) in ix.line_pairs
            if m.kind == "mssp_stage":
                context_cue = bool(cues & MSSP_CONTEXT_CUES)
            else:
                # "who's in modernize", "who's assigned to modernize", "modernize, who does what"
                context_cue = (
                    bool(cues & ASSIGNMENT_CONTEXT_CUES)
                    and (m.start == 0 or words[m.start - 1] in ("in", "for", "under", "during", "to", "both"))
                ) or words[m.end : m.end + 1] in _PLAY_NOUNS_AFTER  # "the modernize list", "the ssp's compete task"
            if m.kind == "mssp_stage" and percents_in(words) and not in_a_line:
                context_cue = True
            asks_the_stage = bool({"which", "what", "where", "when"} & set(words[: m.start])) and "stage" in words
            if m.kind == "mssp_stage" and asks_the_stage and words[m.start - 1 : m.start] in (["we"], ["i"], ["you"]):
                context_cue = near_stage_word = False  # "in which stage do we develop the worksheets": a verb
            if m.kind == "mssp_stage" and words[m.start - 1 : m.start] == ["to"] and m.start >= 2:
                context_cue = context_cue or words[m.start - 2] in MOVE_WORDS
            # "what does the CSA do in close", "two stages after develop", "who owns qualify".
            # ("who looks after solution health": a line's own words, "solution health", not the stage)
            if m.kind == "mssp_stage" and m.start > 0 and words[m.start - 1] in STAGE_PREPOSITIONS and not in_a_line:
                context_cue = True
            if m.kind == "mssp_stage" and words[m.start - 1 : m.start] == ["of"] and words[m.end : m.end + 1] != ["of"]:
                context_cue = True  # "part of proof", "the objective of close"; not "proof of concept"
            # "exit criteria for develop", "owner of close": an aspect asked of the word names the stage.
            if m.kind == "mssp_stage" and m.start > 0 and words[m.start - 1] in ("for", "of") and cues & ASPECT_CUES:
                context_cue = True
            # "is MAP where the ATS designs ...": the subject of a claim about a place
            if m.start == 1 and words[0] in ("is", "isnt", "was") and words[m.end : m.end + 1] in (["where"], ["when"]):
                context_cue = True
            # "qualify is stage 3", "close is the 6th mssp stage?": the subject of a claim about its place
            claimed_place = m.start == 0 and words[m.end : m.end + 1] in (["is"], ["isnt"], ["was"])
            if m.kind == "mssp_stage" and claimed_place and ("stage" in words[m.end + 1 : m.end + 5]):
                context_cue = True
            # ("stage 2 is prospect?", "is stage 2 prospect?": the stage said to be at that place)
            before = words[max(0, m.start - 3) : m.start]
            stage_n_is = len(before) == 3 and before[0] == "stage" and before[1].isdigit() and before[2] in ("is", "=")
            is_stage_n = len(before) >= 2 and before[-2] == "stage" and before[-1].isdigit()
            if m.kind == "mssp_stage" and (stage_n_is or is_stage_n):
                context_cue = True
            # "what does proof mean", "what's meant by develop": the word's meaning asked is the stage's
            meant = words[m.end : m.end + 1] in (["mean"], ["means"]) or words[m.start - 2 : m.start] == ["meant", "by"]
            if meant and m.end >= len(words) - 1:
                context_cue = True
            # "tell me about proof", "explain expand": the word alone is what the question is about
            if m.end == len(words) and words[m.start - 1 : m.start] in (["about"], ["explain"], ["describe"]):
                context_cue = True
            # "is the csam part of modernize": a role named before it, the role assignment it is part of
            # ("does the ae own compete?", "the ae leads expand": a role's verb with the play as its object)
            part_of = words[m.start - 1 : m.start] in _PLAY_OBJECT_BEFORE and m.end == len(words)
            if m.kind == "assignment" and "role" in entities and part_of:
                context_cue = True
            # ("in modernize the csa drive ...?": the place a sentence opens with, a role named right after it)
            if m.kind == "assignment" and m.start == 1 and words[0] == "in":
                after = [w for w in words[m.end : m.end + 3] if w not in ("the", "stage", "a")]
                context_cue = context_cue or bool(after and ("role", after[0]) in ix.surface_owners)
            # "exit criteria of compete": the last word, an aspect asked of it.
            asked_of_last = m.end == len(words) and words[m.start - 1 : m.start] in (["for"], ["of"])
            if m.kind == "assignment" and asked_of_last and cues & ASPECT_CUES:
                context_cue = True
            # ("what does the csam do in compete and expand": one of a list with a name of its kind)
            listed_with = previous is not None and previous[0] == m.kind and words[previous[1] : m.start] in _JOINED
            accepted = (
                near_stage_word
                or context_cue
                or _capitalised(original, words, m)
                or short
                or m.kind in context_types
                or listed_with
            ) and " ".join(words[m.start : m.end]) in ix.surfaces.get(
                (m.kind, m.key), (" ".join(words[m.start : m.end]),)
            )
            # "supports vo", "closes checkpoints", "and supports?": a possessive typed without its apostrophe.
            aspect_next = any(s == m.end for c in cues & ASPECT_CUES for s, _ in cue_spans[c])
            possessive = m.kind == "mssp_stage" and words[m.start] == f"{ix.kb.mssp_stage(m.key).name.lower()}s"
            accepted = accepted or (possessive and (aspect_next or (short and words[: m.start] in ([], ["and"]))))
        target = entities if accepted else rejected
        if m.key not in target.setdefault(m.kind, []):
            target[m.kind].append(m.key)
        if accepted:
            spans.append((m.start, m.end, m.kind, m.key))
            previous = (m.kind, m.end)
    # "Empower & Achieve in MCEM": a cue that starts inside a name ("achieve in") is the name's, not a cue.
    # (a cue inside the name, as "stage" of "deploy stage", stays)
    name_end = {i: e for s, e, kind, _ in spans if kind != "glossary" for i in range(s + 1, e)}
    if name_end:
        cue_spans = {
            g: kept for g, sp in cue_spans.items() if (kept := [(s, e) for s, e in sp if e <= name_end.get(s, e)])
        }
        cues = set(cue_spans)
    # ("what about in EXPAND": the role assignment's name is no "expand the acronym")
    play_at = {(s, e) for s, e, kind, _ in spans if kind == "assignment"}
    if "glossary" in cue_spans and play_at:
        kept = [sp for sp in cue_spans["glossary"] if sp not in play_at]
        cue_spans = {**cue_spans, "glossary": kept} if kept else {g: v for g, v in cue_spans.items() if g != "glossary"}
        cues = set(cue_spans)
    # ("i'm not 100% sure": how sure the seller is, no probability; "we're 80% sure we'll close" still is one)
    percents = [
        w
        for i, w in enumerate(words)
        if re.fullmatch(r"\d{1,3}%", w)
        and not (words[i + 1 : i + 2] in (["sure"], ["certain"]) and {"not", "im", "i"} & set(words[max(0, i - 3) : i]))
    ] or _bare_percents(words)
    known = ix.vocabulary
    # A word is known when it or its stem is the documents' ("probabilities" for "probability"); numbers
    # and ordinals ("4th", "60%") are positions and percentages, not words.
    unknown = [
        w
        for w, s in zip(words, stems, strict=True)
        if w not in known
        and s not in ix.vocabulary_stems
        and not re.fullmatch(r"[\d%]+|\d+(st|nd|rd|th)", w)
        and compose.ordinal_position(w) is None
        and w not in compose.NUMBER_WORDS
        and len(w) > 1
    ]
    opener = any(" ".join(words[:n]) in lex.follow_up_openers for n in (1, 2, 3))
    pronoun = any(w in PRONOUNS for w in words)
    return Features(
        original, words, stems, cues, cue_spans, entities, rejected, percents, unknown, opener, pronoun, spans
    )


_AT_A_NUMBER = frozenset({"is", "at", "sits", "=", "of", "with"})


def _bare_percents(words: list[str]) -> list[str]:
    """ "which stg is 60", "the stage at 80": a round number said of a stage is its probability; not a
    position ("stage 4"), a count ("60 days") or a time. "and 100?" alone is one too: no list is that long."""
    said = [w for w in words if w not in ("and", "at", "what", "about", "the", "how", "whats")]
    if len(said) == 1 and said[0].isdigit() and 20 <= int(said[0]) <= 100 and int(said[0]) % 10 == 0:
        return [f"{said[0]}%"]
    if not {"stage", "stages", "stg"} & set(words):
        return []
    found = []
    for i, w in enumerate(words):
        round_number = w.isdigit() and len(w) <= 3 and int(w) % 10 == 0 and int(w) <= 100
        said_of = i > 0 and words[i - 1] in _AT_A_NUMBER
        if round_number and said_of and (i == len(words) - 1 or words[i + 1] in ("one", "stage", "and", "or")):
            found.append(f"{w}%")
    return found


_REFUSED = (["not"], ["without"], ["except"], ["excluding"], ["not", "the"], ["without", "the"], ["except", "the"],
            ["no"], ["minus", "the"], ["minus"])  # fmt: skip
_PLAY_NOUNS_AFTER: tuple[list[str], ...] = tuple(
    [w] for w in ("list", "roles", "assignment", "task", "tasks", "job", "jobs", "bit", "duties")
)
_PLAY_OBJECT_BEFORE: tuple[list[str], ...] = tuple(
    [w] for w in ("of", "in", "own", "owns", "lead", "leads", "run", "runs", "drive", "drives")
)
_JOINED: tuple[list[str], ...] = ([], ["and"], ["or"], ["&"], ["+"], ["and", "in"], ["and", "the"], ["or", "in"])
_OURS = frozenset({"my", "our", "your", "his", "her", "their"})
_DONE_FIRST = frozenset({"do", "tackle", "prioritise", "prioritize", "handle", "focus", "start"})
_LOOK = (["look"], ["looks"], ["looking"], ["looked"])
_LASTS_AFTER = frozenset({"it", "that", "this", "stage", "typically", "usually"})
_EVENTS = frozenset({"call", "meeting", "demo", "lunch", "eod", "eow", "tomorrow", "today", "tonight", "standup",
                     "flight", "qbr", "pitch", "presentation", "1:1", "sync"})  # fmt: skip


def _said_as_a_time(words: list[str], start: int, end: int) -> bool:
    """ "last week", "next month", "this quarter", "two weeks ago", "before Monday": a time the seller mentions."""
    span = words[start:end]
    if span and span[0] in ("next", "last") and words[end : end + 1] and words[end] in compose.TIME_UNITS:
        return True
    if span in (["before"], ["after"], ["by"], ["until"]) and words[end : end + 1] and words[end] in compose.TIME_UNITS:
        return True  # "before Monday", "after the quarter" is said of a time, not a stage
    said_next = words[end : end + 2]
    mine = said_next[:1] in (["my"], ["our"], ["your"], ["the"]) and said_next[1:] and said_next[1] in _EVENTS
    if span in (["before"], ["after"]) and said_next and (said_next[0] in _EVENTS or mine):
        return True  # "quick one b4 my call: proof %?", "after lunch": the seller's own day, not a stage
    if span and span[-1] in compose.TIME_UNITS:
        before = words[max(0, start - 1) : start]
        return before in (["last"], ["next"], ["this"], ["every"], ["per"]) or words[end : end + 1] == ["ago"]
    return False


def _context_entity_types(context: Frame | None) -> set[str]:
    return set(context.slots) if context else set()
