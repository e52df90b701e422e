"""The claim a yes/no question makes ("does the CSU own Listen & Consult?", "is there a stage after Support?",
"in develop do we propose the eval plan to the sponsor?"), read as a list that knowledge/answers/composed.py judges
against the documents; and a stage claimed for the deal ("we signed, is Deploy next?"). Pure functions, no I/O."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from knowledge import compose
from knowledge.asking import MOVES, content_features, domain_asked, stage_unknown
from knowledge.features import Features, extract_features
from knowledge.frame import Frame
from knowledge.index import KnowledgeIndex
from knowledge.normalize import normalize

# Words that say the opposite of each other in a claim about a line ("both ... and" against a line's "OR").
_CONTRASTS = (
    ({"both", "and"}, {"or"}),
    ({"later", "late", "last", "end"}, {"early", "first", "start"}),
    ({"early", "first", "start"}, {"later", "late", "last", "end"}),
    ({"after"}, {"before"}),
    ({"before"}, {"after"}),
)


# "is there a stage / anything / another stage after X": the words that say a stage is claimed there.
_A_STAGE_SAID = frozenset(
    {"a", "an", "another", "any", "stage", "phase", "anything", "something", "one", "more"}
)  # the two buyers the MSSP lines tell apart


def _other_actor(f: Features, ix: KnowledgeIndex, stage: str, line_words: set[str]) -> tuple[int, str, str] | None:
    """ "in develop do we propose the eval plan to the sponsor?": the stage's line with the claim's words says the
    other buyer ("Propose eval plan to power"): (that line, the buyer claimed, the buyer it names)."""
    claimed = [b for b in compose.BUYERS if b in f.words]
    if len(claimed) != 1 or claimed[0] in line_words:
        return None
    other = next(b for b in compose.BUYERS if b != claimed[0])
    content = compose.content_stems(content_features(f), ix) - {compose.stem(claimed[0])}
    for field in ("checkpoint", "key_step", "sub_step", "verifiable_outcome", "objective"):
        for i in ix.graph.facts_of(stage, field):
            fact = ix.graph.facts[i]
            words = set(normalize(fact.text).split())
            if other in words and claimed[0] not in words and len(content & fact.stems) >= 2:
                return i, claimed[0], other
    return None


def contrasted(f: Features, claim: list[Any] | None, ix: KnowledgeIndex) -> list[Any] | None:
    """A line claim whose words contradict the line in one word ("needs both letter and assessment" of
    "Sponsor letter agreed upon OR Opportunity Assessment completed"; "in later deal stages" of "during early
    stages of the deal"): No, with the word the line uses."""
    if not claim or claim[0] != "line" or not claim[3]:
        return claim
    fact = ix.graph.facts[claim[3][0]]
    line_words = set(normalize(fact.text).split())
    said = set(f.words) - line_words
    actor = _other_actor(f, ix, fact.address.subject, line_words)
    if actor is not None:
        return ["line_contrast", *actor]
    for claimed, opposite in _CONTRASTS:
        said_word = next((w for w in f.words if w in claimed and w in said), None)
        line_word = next((w for w in normalize(fact.text).split() if w in opposite), None)
        if said_word and line_word and not (said_word == "and" and "both" not in f.words):
            return ["line_contrast", claim[3][0], said_word if said_word != "and" else "both", line_word]
    return claim


def claim_asked(f: Features, ix: KnowledgeIndex) -> list[Any] | None:
    """The claim of the clause that asks ("before my 1:1 with Bea - is 'Pre-proposal/ SOW review conducted' a
    Solution checkpoint?", "the guide lists 'Roles: AE, ATS' for the ATU - does the ATU also have the CSAM?"):
    the words before it only set the scene; the whole message when that clause claims nothing alone."""
    clauses = [c for c in re.split(r"[.!?;:]+\s|\s[-\u2013\u2014]+\s", f.original.strip()) if c.strip()]
    if len(clauses) > 1 and f.original.rstrip().endswith("?"):
        asked = extract_features(clauses[-1], ix)
        claim = claim_in(asked, ix) if compose.is_yes_no(asked) else None
        if claim:
            return claim
    return claim_in(f, ix)


def claim_in(f: Features, ix: KnowledgeIndex) -> list[Any] | None:
    """The relation a yes/no question asserts, in a form answers_composed._judge can check (read once per
    question: several readings ask for it)."""
    return compose.once(f, "claim", lambda g: _claim_of(g, ix))


_CLAIMED_FIELDS = {"exit": "exit_criteria", "checkpoints": "checkpoint", "key_steps": "key_step",
                   "outcome": "verifiable_outcome", "objective": "objective"}  # fmt: skip


def _named_field_line(f: Features, ix: KnowledgeIndex, mssp: list[str], mcem: list[str]) -> compose.Mention | None:
    """ "is completed opportunity the exit criteria for manage & optimize": the claim names the stage and the
    field, so that field's own line of the stage is what the words are checked against first (not "Complete
    opty assessment", a Qualify step that shares them)."""
    stages = mssp + mcem
    fields = {field for cue, field in _CLAIMED_FIELDS.items() if f.has(cue)}
    if len(stages) != 1 or len(fields) != 1:
        return None
    found = compose.find_mention(content_features(f), ix, min_coverage=0.5, within=stages[0])
    best = compose.find_mention(content_features(f), ix, min_coverage=0.5)
    if found is None or best is None or found.coverage < best.coverage - 1e-9:
        return None  # ("is 'access to power negotiated' a develop checkpoint": Qualify's line says it all)
    facts = tuple(i for i in found.facts if ix.graph.facts[i].address.field in fields)
    return compose.Mention(facts, found.coverage) if facts else None


_OWN_WORDS = frozenset({"own", "owns", "owned"})
_COUNTED_NOUNS = frozenset({"checkpoint", "checkpoints", "key", "step", "steps", "outcome", "outcomes", "stage",
                            "stages", "role", "roles", "unit", "units", "line", "lines", "item", "items"})  # fmt: skip
_BOUNDS = frozenset({"has", "have", "only", "just", "exactly", "than", "got", "gets", "with"})


def _counts_here(words: list[str], at: int) -> bool:
    """ "one checkpoint", "has only one", "more than one": the word counts something, not "this one"."""
    return bool(_COUNTED_NOUNS & set(words[at + 1 : at + 3])) or (at > 0 and words[at - 1] in _BOUNDS)


def _claim_of(f: Features, ix: KnowledgeIndex) -> list[Any] | None:
    asked_on = next(
        (i for i in range(1, len(f.words)) if f.words[i] in compose.WH_WORDS and f.words[i - 1] in ("and", "also")),
        None,
    )
    if asked_on is not None:
        # ("is pain admitted by power a develop checkpoint, and whats develop at %": the claim is the first
        # question's, made of its words alone, not of the second's: "..., and what does the AE lead")
        return _claim_of(extract_features(" ".join(f.words[:asked_on]) + "?", ix), ix)
    e = f.entities
    roles = e.get("role", []) + (["ce"] if "ce" in e.get("group", []) else [])
    units, mcem, mssp, plays = (
        e.get("unit", []),
        e.get("mcem_stage", []),
        e.get("mssp_stage", []),
        e.get("assignment", []),
    )
    place = compose.dash_place_start(f)
    if place is not None:
        # "define preliminary solution - proof step?": the claim is about the place after the dash, not a
        # stage named inside the line.
        after = {key for s, _, _, key in f.spans if s >= place} | {
            i for i in f.rejected.get("mssp_stage", []) if ix.kb.mssp_stage(i).name.lower() in f.words[place:]
        }
        mssp = [i for i in mssp + f.rejected.get("mssp_stage", []) if i in after][:1]
        mcem = [i for i in mcem if i in after]
    if not mssp:
        # "doesn't Qualify include ...?", "sponsor letter is a qualify thing?": an everyday word in a stage's
        # place (right after the auxiliary, or "a ... thing / step") is the stage the claim is about.
        mssp = [i for i in f.rejected.get("mssp_stage", []) if _in_a_stage_place(f, ix.kb.mssp_stage(i).name.lower())]
    numbers = [compose.NUMBER_WORDS.get(w) or (int(w) if w.isdigit() and len(w) <= 3 else None) for w in f.words]
    # "one of the Qualify checkpoints" names no count.
    numbers = [None if f.words[i : i + 2] == ["one", "of"] else n for i, n in enumerate(numbers)]
    # ("odd one but '...' is a deploy checkpoint": "one" counts only beside what is counted, or after a bound)
    numbers = [
        None if w == "one" and not _counts_here(f.words, i) else n
        for i, (w, n) in enumerate(zip(f.words, numbers, strict=True))
    ]
    n = next((x for x in numbers if x), None)
    # "is Deploy at 100", "Proof is 60, right?": a bare number said of a stage is its probability.
    # ("close 7?": a number under 10 is the stage's place, not its probability)
    probable = n is not None and (n == 0 or 10 <= n <= 100)
    percents = f.percents or ([f"{n}%"] if mssp and probable and not f.has("checkpoints") else [])
    if n and f.has("stage_word") and not (roles or units or mcem or mssp or plays):
        # ("mcem has 9 stages like mssp doesnt it": the document said first is the one the count is claimed of)
        domain = domain_asked(f, None) or next((w for w in f.words if w in ("mcem", "mssp")), None)
        if domain:
            return ["count", domain, n]
    things = "units" if f.has("unit_word") else "roles" if f.has("roles_word") else None
    if n and things and not (roles or units or mcem or mssp or plays) and not f.has("stage_word"):
        return ["count_things", things, n]  # "are there exactly three accountable units?"
    # "is there a stage after Support?", "is there anything before Demand Generation?": the neighbour claimed.
    beside = 1 if f.has("next") else -1 if f.has("previous") else 0
    one_stage = len(mssp) + len(mcem) == 1 and not (roles or units or plays)
    # (what is claimed to be there is a stage: "is there a checkpoint after ask for business" claims a line)
    there = f.words.index("there") + 1 if "there" in f.words else len(f.words)
    neighbour_at = min(
        (s for g in ("next", "previous") for s, _ in f.cue_spans.get(g, []) if s >= there), default=there
    )
    said_of = f.words[there:neighbour_at]
    a_stage = bool(said_of) and set(said_of) <= _A_STAGE_SAID
    if "there" in f.words and beside and one_stage and a_stage and not stage_unknown(f, ix):
        return ["stage_beside", "mssp" if mssp else "mcem", (mssp or mcem)[0], beside]
    # "is there a negotiate stage in MSSP?", "is there a stage called Realize Value?", "mssp has a negotiate
    # stage between proof and close right?"
    has_one = bool({"has", "have"} & set(f.words)) and stage_unknown(f, ix) is not None
    # (not "is there partner stuff in the next stage's key steps too?": a neighbour's lines, no stage's existence)
    neighbours_lines = f.has("next", "previous") and bool(f.cues & compose.ASPECT_CUES)
    if ("there" in f.words or has_one) and f.has("stage_word") and not (roles or units or plays or neighbours_lines):
        named = mssp or mcem
        domain = domain_asked(f, None) or ("mssp" if mssp else "mcem" if mcem else None)
        if domain:
            # ("is there a renewal stage after support?": the stage asked about is the renewal one, not Support)
            unknown = stage_unknown(f, ix)
            return ["stage_exists", domain, None if unknown else named[0] if named else None]
    # "is the SSP's MCEM focus Compete and Expand?": the names claimed against the role's MCEM focus.
    # ("SSP focus compete + expand?": a focus said in role-assignment names is the MCEM focus)
    focus_named = f.has("focus") and bool(plays or f.rejected.get("assignment"))
    if roles and roles[0] in ix.kb.roles and (f.has("mcem_focus") or focus_named):
        names = [ix.kb.assignments[a].name for a in plays + f.rejected.get("assignment", [])]
        names += [ix.kb.mcem_stage(s).name for s in mcem]
        # ("every stage", "each stage", "all stages": the AE's "All stages")
        all_stages = bool({"all", "every", "each"} & set(f.words)) and any(w in ("stage", "stages") for w in f.words)
        return ["mcem_focus", roles[0], names, sorted(compose.content_stems(content_features(f), ix)), all_stages]
    # "does MCEM stand for Microsoft Customer Engagement Methodology?", "CSU = Customer Success Unit?"
    stands = any(w in ("stand", "stands", "short", "abbreviation", "acronym", "mean", "means") for w in f.words)
    terms = e.get("glossary", [])
    # ("access to power = develop checkpoint?", "support = last MSSP stage?" claim a place, not a meaning)
    equals = "=" in f.original and not (mssp or mcem or f.has("checkpoints", "key_steps") or compose.ordinals(f))
    # "is MCAPS microsoft customer and partner solutions", "is MCAPS the same as MCEM": the term's meaning claimed
    expansion = ix.kb.glossary[int(terms[0])].expansion if terms else None
    spelled = set(normalize(expansion).split()) - ix.kb.lexicon.stopwords if expansion else set()
    term_at = {i for start, end, kind, _ in f.spans if kind == "glossary" for i in range(start, end)}
    outside = {w for i, w in enumerate(f.words) if i not in term_at}
    means = bool(terms) and f.words[:1] in (["is"], ["isnt"]) and ("same" in outside or len(spelled & outside) >= 2)
    if means:
        return ["stands_for", f"term:{terms[0]}", " ".join(f.words)]
    # ("ae = quarterback?", "raid logs = csam?": a role said equal to a line of the documents is a claim about
    # the line, not about what the acronym stands for)
    named_spans = {i for s, e, kind, _ in f.spans if kind in ("role", "unit") for i in range(s, e)}
    beyond = [w for i, w in enumerate(f.words) if i not in named_spans and w not in ix.kb.lexicon.stopwords]
    found_line = compose.find_mention(content_features(f), ix, 0.75) if equals and beyond else None
    line_said = equals and not stands and found_line is not None
    line_said = line_said or (equals and not stands and bool(terms) and bool(mssp or mcem))  # ("... = qualify?")
    if (stands or equals) and not line_said and (f.has("mcem_name") or f.has("mssp_name") or roles or units or terms):
        if f.has("mcem_name"):
            subject = "mcem"
        elif f.has("mssp_name"):
            subject = "mssp"
        else:
            subject = (roles or units or [f"term:{terms[0]}"])[0]
        return ["stands_for", subject, " ".join(f.words)]
    if mcem and (f.has("probability") or (percents and not mssp)):
        # "does Realize Value have a win probability like 60%?", "is Inspire & Design a higher probability
        # than Solution?": an MCEM stage has none to compare.
        return ["mcem_probability", mcem[0]]
    role_ids = [r for r in roles if r in ix.kb.roles]
    if len(role_ids) >= 2 and "same" in f.words and (f.has("unit_word") or "team" in f.words):
        return ["same_unit", role_ids[0], role_ids[1]]  # "is the ATS in the same unit as the AE?"
    if units and f.has("roles_word") and n:
        return ["count_roles", units[0], n]  # "does the CSU have three roles?"
    if units and f.has("stage_word") and n:
        return ["count_unit_stages", units[0], n]  # "does the CSU own two MCEM stages?"
    if units and mcem:
        return ["owns", units[0], mcem[0]]
    if roles and mcem and roles[0] != "ce":
        return ["role_owns", roles[0], mcem[0]]
    if roles and units:
        return ["in_unit", roles[0], units[0]]
    if roles and not plays and ("assignment" in f.words or "assignments" in f.words):
        # "is the SE listed in any of the role assignments?", "does the AE appear in all four of them?"
        every = bool({"all", "every", "each"} & set(f.words)) and "any" not in f.words
        return ["in_any_assignment", roles[0], "all" if every else "any"]
    membership = {
        compose.stem(w)
        for w in ("appear", "listed", "part", "involved", "included", "member", "on", "need", "needed", "required")
    }
    # ("map, compete and expand": once one is a role assignment, the everyday words listed with it are too)
    everyday = f.rejected.get("assignment", [])
    listed_plays = list(dict.fromkeys(plays + (everyday if plays or len(everyday) >= 2 else [])))
    named_plays = {compose.stem(p) for p in listed_plays}
    rest = compose.content_stems(content_features(f), ix) - membership - named_plays
    if roles and len(listed_plays) >= 2 and not rest:
        return ["in_assignments", roles[0], listed_plays]  # "does the ae appear in map, compete and expand"
    owned = any(
        w in roles and f.words[i + 1] in _OWN_WORDS and compose.stem(f.words[i + 2]) in named_plays
        for i, w in enumerate(f.words[:-2])
    )
    if roles and plays and owned:
        return ["play_owner", roles[0], plays[0]]  # ("does the ae own compete?": the guide names no owner)
    if roles and plays:
        # "does the CSAM lead relationship mapping in MAP?": a task claimed, checked against the play's lines.
        task = compose.find_mention(content_features(f), ix, min_coverage=0.5, within=plays[0])
        if task:
            return ["line", "role", roles[0], list(task.facts[:6]), None]
        elsewhere = compose.find_mention(content_features(f), ix, min_coverage=0.5)
        if elsewhere:
            # ("does the ats design the migration strategy in map": that is MODERNIZE's line, not MAP's)
            return ["line", "assignment", plays[0], list(elsewhere.facts[:6]), None, []]
        negated = bool({"not", "never"} & set(f.words)) and "but" not in f.words  # (not "... but not in MAP")
        if compose.place_then_role_then_line(f) or negated:
            return None  # ("in compete the ssp is optional?", "is the ssp not needed in modernize?": no such line)
        return ["in_assignment", roles[0], plays[0]]
    positions = [o for o in compose.ordinals(f) if o.position and not o.offset]
    # ("does the proof stage include issuing the final proposal": "final" is the proposal's, no stage position)
    stage_positions = [o for o in positions if compose.about_stages(f, o)]
    for slot, ids in (("mssp_stage", mssp), ("mcem_stage", mcem)):
        if len(ids) == 1 and stage_positions and f.has("stage_word") and not f.has("checkpoints", "key_steps"):
            return ["position", slot, ids[0], stage_positions[0].position]  # "is Deploy the last MSSP stage?"
    at_percent = [s.id for s in ix.kb.mssp_stages if f.percents and s.probability == f.percents[0]]
    line = compose.find_mention(content_features(f), ix, min_coverage=0.6)
    if line and not mssp and len(at_percent) == 1 and f.has("stage_word"):
        # "customer gave verbal approval - is that the 40% stage?": the line claimed for the stage at 40%.
        return ["line", "mssp_stage", at_percent[0], list(line.facts[:6]), None, []]
    if len(mssp) == 1 and line and positions and f.has("checkpoints", "key_steps"):
        # "is 'ask for business' the last checkpoint in proof?": a line claimed at a place in a stage's list.
        field = "checkpoint" if f.has("checkpoints") else "key_step"
        in_list = [i for i in line.facts if i in ix.graph.facts_of(mssp[0], field)]
        if in_list:
            return ["line_position", mssp[0], field, positions[0].position, in_list[0]]
    if mssp and n and f.has("checkpoints", "key_steps"):
        # "more than one checkpoint", "fewer than 3 key steps": a bound, not an exact count.
        bound = "above" if f.has("above") else "below" if f.has("below") else "exactly"
        return ["count_lines", mssp[0], "checkpoints" if f.has("checkpoints") else "key_steps", n, bound]
    if mssp and percents:
        return ["probability", mssp[0], percents[0]]
    if mssp and f.has("probability"):
        # "Demand Generation has no probability, right?" asks the opposite claim.
        # ("is deploy probability NA", "does deploy have an NA probability": NA is no probability)
        lacking = any(w in ("no", "not", "without", "none") for w in f.words[:-1]) or "na" in f.words
        return ["has_probability", mssp[0], lacking]
    for slot, ids in (("mssp_stage", mssp), ("mcem_stage", mcem)):
        if len(ids) >= 2 and f.has("next", "previous"):
            # "right after" / "immediately before": only the neighbouring stage makes it true.
            right = any(w in ("right", "immediately", "directly", "just") for w in f.words)
            # ("we are at proof, is close next?": the stage said right before "next" is the one claimed next)
            said_next = [key for _, e, kind, key in f.spans if kind == slot and f.words[e : e + 1] == ["next"]]
            first, second = (said_next[0], next(i for i in ids if i != said_next[0])) if said_next else ids[:2]
            return ["order", slot, first, second, "after" if f.has("next") else "before", right]
    own_role_line = (
        compose.find_mention(content_features(f), ix, min_coverage=0.4, within=roles[0])
        if len(roles) >= 1 and roles[0] in ix.kb.roles and not plays
        else None
    )
    mention = _named_field_line(f, ix, mssp, mcem) or compose.find_mention(content_features(f), ix, min_coverage=0.5)
    # On a tie, another role's own definition line ("Create and manage the Customer Success Plan", the CSAM's)
    # says who does it; a line of a role assignment or of a stage does not.
    best = ix.graph.facts[mention.facts[0]] if mention is not None else None
    anothers = best is not None and best.address.subject_type == "role" and best.address.subject not in roles[:1]
    # (by two words or more: "deal" alone ties half the guide's lines)
    anothers = anothers and best is not None and len(compose.content_stems(content_features(f), ix) & best.stems) >= 2
    if own_role_line and (
        mention is None
        or own_role_line.coverage > mention.coverage + 1e-9
        or (abs(own_role_line.coverage - mention.coverage) <= 1e-9 and not anothers)
    ):
        # "does the ATS partner with the AE": a line of the role's own ("Partner with AE to ..."), before
        # a line elsewhere that shares the word as well ("does the CSA create the CSP" is the CSAM's line).
        return ["line", "role", roles[0], list(own_role_line.facts[:6]), None]
    if mention:
        subjects = (("role", roles), ("mssp_stage", mssp), ("mcem_stage", mcem), ("assignment", plays), ("unit", units))
        # ("is transition support ownership a deploy step": the line said word for word comes first)
        said = " ".join(f.words)
        spellings = ix.kb.lexicon.spellings
        verbatim = [i for i in mention.facts if normalize(ix.graph.facts[i].text, spellings) in said]
        if verbatim:
            mention = replace(mention, facts=tuple(verbatim))  # the claim is about that line, not its neighbours
        line_text = ix.graph.facts[mention.facts[0]].text.casefold()
        for slot, ids in subjects:
            if slot in ("mssp_stage", "mcem_stage") and len(ids) >= 2:
                # "is preliminary solution agreed upon the proof VO": "solution" is the line's word; the
                # stage claimed is the one named outside it.
                name_of = {i: (ix.kb.mssp_stage(i) if slot == "mssp_stage" else ix.kb.mcem_stage(i)).name for i in ids}
                ids = [i for i in ids if name_of[i].casefold() not in line_text] or ids
            if ids:
                # "do we update Siebel in Close?": the named stage's own lines with the term, said after a No.
                own = _own_lines(content_features(f), ix, ids[0]) if slot != "role" else []
                facts = list(mention.facts[:6])
                owning = _owning_line(f, ix, slot, ids[0])
                content = compose.content_stems(content_features(f), ix)
                if owning is not None and len(content & ix.graph.facts[owning].stems) < len(
                    content & ix.graph.facts[facts[0]].stems
                ):
                    owning = None  # ("the ones driving deal strategy": the CE's own line says more than an "owns")
                return ["line", slot, ids[0], facts, owning, own[:2]]
    return None


def _in_a_stage_place(f: Features, name: str) -> bool:
    words = f.words
    for i, w in enumerate(words):
        if w != name:
            continue
        after_auxiliary = i == 1 and words[0] in compose.YES_NO_OPENERS
        described = words[i - 1 : i] in (["a"], ["the"]) and words[i + 1 : i + 2] in (["thing"], ["step"], ["one"])
        if after_auxiliary or described:
            return True
    return False


def _own_lines(f: Features, ix: KnowledgeIndex, subject: str) -> list[int]:
    """ "do we update Siebel in Close?": the subject's own lines that name the term the question names
    (Close's "Confirm verifiable outcomes, revenue in MS Sales and Siebel"), said after a No."""
    terms = [" ".join(f.words[s:e]) for s, e, kind, _ in f.spans if kind == "glossary"]
    if not terms:
        return []
    return [
        i
        for i, fact in enumerate(ix.graph.facts)
        if fact.address.subject == subject and any(t in normalize(fact.text) for t in terms)
    ]


def _owning_line(f: Features, ix: KnowledgeIndex, slot: str, subject: str) -> int | None:
    """ "does the AE own the technology strategy?": of the "Owns ..." lines that match the question best, the
    subject's own if it has one; None when the question does not ask who owns something."""
    if slot != "role" or not f.has("owner"):
        return None
    content = compose.content_stems(content_features(f), ix)
    owning = [
        (cov, i)
        for _, cov, i in ix.graph.search(content, limit=24, min_coverage=0.5)
        if ix.graph.facts[i].text.lower().startswith("owns ")
    ]
    if not owning:
        return None
    best = max(cov for cov, _ in owning)
    tied = [i for cov, i in owning if cov >= best - 1e-9]
    return next((i for i in tied if subject in ix.graph.facts[i].roles), tied[0])


_CLAIM_OPENERS = frozenset({"is", "are", "should", "can", "shall", "do", "does", "am"})


def stage_claimed_for_the_deal(f: Features, ix: KnowledgeIndex) -> Frame | None:
    """ "We signed. Is Deploy next?", "verbal approval received - are we in close now?": progress told, then a
    yes/no naming the stage the seller thinks the deal is in (or goes to next). The answer is where the told
    progress puts the deal, opened by whether that is the stage named."""
    if "?" not in f.original:
        return None
    opener = next((i for i, w in enumerate(f.words) if i >= 2 and w in _CLAIM_OPENERS), None)
    if opener is None:
        return None
    named = [(s, e, kind, key) for s, e, kind, key in f.spans if kind in ("mcem_stage", "mssp_stage")]
    if len(named) != 1 or named[0][0] <= opener:
        return None
    asked = f.words[opener:]
    # ("'transition deployment ownership' is a close key step, right?": a key step is no move)
    moves = {w for i, w in enumerate(asked) if w in MOVES and asked[i - 1 : i] != ["key"]}
    going = "next" in asked or bool(moves)
    ordered = "next" in asked  # ("is Deploy next?" asks the order; "should we move to Deploy?" asks readiness)
    if not going and not ({"now", "in"} & set(asked) and {"we", "i", "it", "this", "deal", "opp"} & set(asked)):
        return None
    told = " ".join(f.words[:opener])
    told_f = extract_features(told, ix)
    if told_f.spans or told_f.percents:
        return None  # ("Close is 100%, is Deploy next?": a claim about the documents, not the deal's progress)
    situation = compose.situation(told_f, ix)
    _, _, kind, key = named[0]
    if situation is None or situation.document != ("mcem" if kind == "mcem_stage" else "mssp"):
        return None
    slots = {
        "document": situation.document,
        "stage": situation.stage,
        "facts": list(situation.facts),
        "done": situation.done,
        "claimed": key,
        "claimed_next": ordered,
    }
    return Frame("situation", slots)
