"""What a question asks, read from its Features: the aspects of a stage it names, its content words (what it
is about, without the words that only ask), and the filter words of a list. Shared by the readings in
knowledge/understand.py and knowledge/list_readings.py; pure functions, no I/O."""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from knowledge import compose
from knowledge.features import MOVE_WORDS, Features, extract_features
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.normalize import MAX_QUESTION_CHARS, normalize

# Kinds whose single slot is an MSSP stage, keyed by the cue group that asks for them.
MSSP_ASPECTS = {
    "checkpoints": "mssp.checkpoints",
    "key_steps": "mssp.key_steps",
    "outcome": "mssp.outcome",
    "objective": "mssp.objective",
    "probability": "mssp.probability",
}


ENTITY_SLOTS = ("mcem_stage", "mssp_stage", "unit", "role", "assignment")


HIGHEST = frozenset({"highest", "largest", "biggest", "greatest"})


SUPERLATIVES = HIGHEST | {"lowest", "smallest"}


FILTER_WORDS = frozenset({"mention", "mentions", "mentioning", "about", "involve", "involves", "involving", "with",
                           "containing", "contain", "contains", "include", "includes", "including", "that", "where",
                           "which", "on"})  # fmt: skip


FILTER_VERBS = {compose.stem(w) for w in ("mention", "mentions", "include", "includes", "contain", "say", "talk",
                                           "touch", "touches", "refer", "refers")}  # fmt: skip


# Cue groups whose words say what is asked, not what it is about: left out of a content mention.
ASKING_CUES = (
    "checkpoints", "key_steps", "outcome", "objective", "probability", "owner", "who", "roles_word", "unit_word",
    "stage_word", "involved", "definition", "next", "previous", "first", "last", "list", "count", "mssp_context",
    "mcem_context", "belongs", "unit_scope", "does", "responsibilities", "exit", "focus", "mcem_focus",
)  # fmt: skip


def content_features(f: Features) -> Features:
    """f without the words of its asking cues, so what is left is what the question is about."""
    spans = list(f.spans)
    for group in ASKING_CUES:
        spans += [(s, e, "cue", group) for s, e in f.cue_spans.get(group, [])]
    # ("sponsor letter is a qualify thing yes?": the tag is no content; "customer said no." keeps its "no")
    spans += [(s, e, "cue", "tag_question") for s, e in f.cue_spans.get("tag_question", []) if e == len(f.words)]
    # ("who creates the CSP in the first place", "first of all": an idiom says nothing of what is asked about)
    spans += [
        (max(0, i - 2), i + 3, "cue", "idiom")
        for i, w in enumerate(f.words)
        if w == "first" and compose.first_in_an_idiom(f.words, i)
    ]
    # ("all the stages in both docs": the two documents themselves, not the "Signed documents" outcome)
    spans += [
        (i, i + 1, "cue", "documents")
        for i, w in enumerate(f.words)
        if w in _DOCUMENTS and f.words[i - 1 : i] in (["both"], ["two"], ["either"], ["each"])
    ]
    return replace(f, spans=spans)


_DOCUMENTS = frozenset({"doc", "docs", "document", "documents"})


QUOTED = re.compile(r"(?:(?<=\s)|^)['\"\u2018\u201c]([^'\"\u2019\u201d]{8,200})['\"\u2019\u201d](?=[\s?.!,]|$)")


def compare_aspects(f: Features, slot: str) -> list[str]:
    """Every aspect a comparison of stages asks for, in the order the question asks them."""

    def asked_at(aspect: str) -> int:
        return min((s for s, _ in f.cue_spans.get(aspect, [])), default=len(f.words))

    if slot == "mssp_stage":
        return sorted((a for a in MSSP_ASPECTS if f.has(a)), key=asked_at)
    if slot == "mcem_stage":
        # ("L&C vs M&O: exit + unit": the unit asked of a stage is its owner)
        asked = [a for a in ("owner", "exit") if f.has(a) or (a == "owner" and f.has("unit_word"))]
        return sorted(asked, key=lambda a: asked_at("unit_word") if a == "owner" and not f.has(a) else asked_at(a))
    return []


def compare_aspect(f: Features, slot: str) -> str | None:
    if slot == "mssp_stage":
        return next((a for a in MSSP_ASPECTS if f.has(a)), None)
    if slot == "mcem_stage":
        return "exit" if f.has("exit") else ("owner" if f.has("owner", "unit_word", "who") else None)
    if slot == "role":
        if f.has("belongs", "unit_word"):
            return "unit"
        if f.has("mcem_focus"):
            return "mcem_focus"
        if f.has("focus"):
            return "focus"
        if f.has("responsibilities"):
            return "responsibilities"
        if any(w in ("assignment", "assignments", "involved") for w in f.words):
            return "assignments"  # "who does what" is the whole picture, not the role assignments alone
    if slot == "unit" and f.has("roles_word", "who"):
        return "roles"  # ("their roles" after the units: each unit's roles)
    if slot == "unit" and f.has("exit"):
        return "exit"  # ("exit criteria of the ATU's and CSU's stages")
    return None


def first_few(f: Features) -> int:
    """ "the first two of those" -> 2, "last 3" -> -3; 0 when no run of items is asked for."""
    for i, w in enumerate(f.words[:-1]):
        n = compose.NUMBER_WORDS.get(f.words[i + 1]) or (int(f.words[i + 1]) if f.words[i + 1].isdigit() else 0)
        if w in ("first", "top", "last") and n and n >= 2:
            return -n if w == "last" else n
    return 0


def domain_asked(f: Features, context: Frame | None) -> str | None:
    # A document named outright wins over the cue words of the other ("MCEM stages and their probabilities").
    ruled_out = {w for i, w in enumerate(f.words) if w in ("mcem", "mssp") and f.words[i - 1 : i] in (["not"], ["no"])}
    if "mcem" in f.words and "mssp" in f.words and len(ruled_out) == 1:
        return "mssp" if ruled_out == {"mcem"} else "mcem"  # "penultimate MCEM stage? (not MSSP)"
    if "mcem" in f.words and "mssp" in f.words:
        return None  # "MSSP vs MCEM, how many stages each": both
    if "mcem" in f.words:
        return "mcem"
    if "mssp" in f.words or f.has("mssp_context") or f.entities.get("mssp_stage"):
        return "mssp"
    if f.has("mcem_context") or f.entities.get("mcem_stage"):
        return "mcem"
    if context is not None:  # "and the 5th?" after a question about an MCEM stage
        if "mssp_stage" in context.slots or context.slots.get("domain") == "mssp":
            return "mssp"
        if "mcem_stage" in context.slots or context.slots.get("domain") == "mcem":
            return "mcem"
    return None


# Words that describe a stage rather than name one: "the next stage", "the current phase".
_STAGE_DESCRIBERS = frozenset({
    "next", "previous", "current", "last", "first", "final", "same", "sales", "mcem", "mssp", "following",
    "earlier", "later", "early", "late", "middle", "whole", "other", "new", "right", "wrong", "correct", "actual",
    "exact", "particular", "specific", "given", "entire", "latest", "prior", "preceding", "second", "third",
})  # fmt: skip


# A quoted name right before "stage": "the 'negotiate & close' mcem stage", "the “Review” phase".
_QUOTED_STAGE = re.compile(
    r"""(?<!\w)['"\u2018\u201c]([^'"\u2019\u201d]{1,40})['"\u2019\u201d](?!\w)\s+(?:(?:mcem|mssp)\s+)?(?:stage|phase)\b""",
    re.I,
)


def stage_unknown(f: Features, ix: KnowledgeIndex) -> str | None:
    """ "the Negotiate stage": a word in a stage's place that names no stage of either document."""
    quoted = _QUOTED_STAGE.search(f.original[:MAX_QUESTION_CHARS])
    if quoted:
        # "the 'negotiate & close' mcem stage": a quoted name that is not a stage's, even if a word of it is.
        said = quoted.group(1).strip()
        names = ix.stage_names
        if quoted_line_stems(extract_features(said, ix), ix):
            return None  # ("'verbal approval received' stage?": a line of the documents, asked where it lives)
        if said and normalize(said) not in names and not any(fuzz.ratio(normalize(said), n) >= 85 for n in names):
            return said
    named = {i for s, e, _, _ in f.spans for i in range(s, e)}
    cued = {i for spans in f.cue_spans.values() for s, e in spans for i in range(s, e)}
    words = f.words
    for i in range(1, len(words) - 1):
        w = words[i]
        if words[i + 1] not in ("stage", "phase") or words[i - 1] not in ("the", "a", "an"):
            continue
        if i in named or i in cued or not w.isalpha() or w in _STAGE_DESCRIBERS or w in ix.kb.lexicon.stopwords:
            continue
        if compose.ordinal_position(w) is not None or w in compose.NUMBER_WORDS:
            continue
        if not re.search(rf"\b{re.escape(w)}\s+(?:stage|phase)\b", f.original, re.IGNORECASE):
            continue  # ("about to run the POC. stage and %?": a sentence ends between them)
        return w
    return None


# Words of moving a deal on; "go" too here ("before going to Proof"), which the features' reading leaves out.
MOVES = MOVE_WORDS | {"go", "goes", "going", "enter", "entering"}


_ASIDE = re.compile(r"\([^)]*\)")


def quoted_line_stems(f: Features, ix: KnowledgeIndex) -> frozenset[str]:
    """The content stems of a line the message says nearly whole (and nothing much besides), else none. ("v-team
    ... plan my calendar" shares two words with "Lead account planning ... across the v-team", no more.)"""
    return frozenset(compose.once(f, "quoted_line_stems", lambda g: _quoted_line_stems_of(g, ix)))


def _quoted_line_stems_of(f: Features, ix: KnowledgeIndex) -> frozenset[str]:
    whole = compose.find_mention(content_features(f), ix, min_coverage=0.9)
    if whole is None:
        return frozenset()
    said = compose.content_stems(content_features(f), ix)
    # (a line's bracketed aside is seldom typed: "... finalized (inclusive of partners and services)")
    text = _ASIDE.sub(" ", ix.graph.facts[whole.facts[0]].text)
    lex = ix.kb.lexicon
    line = set(compose.fact_stems(normalize(text, lex.spellings), lex.spellings, lex.synonyms))
    line = {s for s in line - compose.ASK_WORDS - ix.graph.ignore - ix.stopword_stems if s in ix.graph.idf}
    return frozenset(line) if len(said & line) >= 0.75 * len(line) else frozenset()
