"""The knowledge base as a graph of addressed facts.

Every line of the two documents (checkpoint, key step, sub-step, outcome, objective, probability,
responsibility, focus, role-assignment task, exit criterion, collaboration row, overview line) is a
Fact with an Address saying where it lives, and the roles the document ties to it (none for MSSP
lines: the MSSP document names no roles). Entities and their relations (a unit owns stages, a role
sits in a unit, stages follow each other) stay on KnowledgeBase; counts and positions always come
from its tuples, never from prose.

Content mentions ("the qualification v-team", "post-close follow-up") are matched against the facts
by weighted word overlap (idf over the facts), with a fuzzy pass (rapidfuzz) over each fact's words
for typos and word forms the stemmer does not join.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from knowledge.model import KnowledgeBase
from knowledge.normalize import normalize, stem

# Where a fact lives, in words an answer can use ("a checkpoint of Qualify").
FIELD_LABELS = {
    "checkpoint": "checkpoint",
    "key_step": "key step",
    "sub_step": "sub-step",
    "objective": "sales stage objective",
    "verifiable_outcome": "verifiable outcome",
    "probability": "probability",
    "exit_criteria": "exit criteria",
    "responsibility": "key responsibility",
    "focus": "focus",
    "mcem_focus": "MCEM focus",
    "task": "role assignment",
    "purpose": "how they work together",
    "accountability": "accountable unit",
    "description": "description",
}
# Fields whose text says what a stage is like when it is done: a situation that matches one of these
# ("the contract is signed") places the opportunity at the end of that stage.
OUTCOME_FIELDS = frozenset({"checkpoint", "verifiable_outcome", "key_step", "sub_step", "objective"})


@dataclass(frozen=True)
class Address:
    document: str  # "mcem" | "mssp"
    subject_type: str  # "mssp_stage" | "mcem_stage" | "role" | "assignment" | "unit" | "group" | "collaboration"
    subject: str  # the entity id (the row label for a collaboration row)
    field: str  # a key of FIELD_LABELS
    index: int = 0  # position in its list (0 for single-valued fields)
    sub_index: int | None = None  # a sub-step's position under its key step


@dataclass(frozen=True)
class Fact:
    address: Address
    text: str
    roles: tuple[str, ...]  # roles (or a unit) the document ties to this line; () for every MSSP line
    stems: frozenset[str]
    parent: str | None = None  # a sub-step's key step


COMMON_STEM_FACTS = 200  # a stem in more facts than this is walked only when it can decide a search


@dataclass
class FactGraph:
    kb: KnowledgeBase
    facts: tuple[Fact, ...]
    by_stem: dict[str, tuple[int, ...]]
    idf: dict[str, float]
    weights: tuple[float, ...]  # per fact: the sum of its stems' idf
    ignore: frozenset[str]  # stems that carry no content (stop words)
    vocabulary_stems: frozenset[str] = field(default_factory=frozenset)
    by_place: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)  # (subject, field) -> facts

    def facts_of(self, subject: str, field_name: str) -> tuple[int, ...]:
        """The facts of one subject's field, in document order ("the checkpoints of Qualify")."""
        return self.by_place.get((subject, field_name), ())

    def search(self, content: set[str], limit: int = 6, min_coverage: float = 0.0) -> list[tuple[float, float, int]]:
        """(score, coverage of the mention, fact index) for the facts that best match content stems.

        coverage: how much of the mention (idf-weighted) the fact holds; score adds how much of the
        fact the mention holds, so "update Siebel" prefers the short line that is mostly that.
        Facts whose coverage is below min_coverage may be left out.
        """
        content = {s for s in content if s not in self.ignore}
        if not content:
            return []
        # (summed in one fixed order: floats added in set order differ in the last bit from one process to the
        # next, and that decided ties between lines)
        stems = sorted(content)
        weight = {s: self.idf.get(s, 0.0) if s in self.idf else 1.0 for s in stems}
        total = sum(weight[s] for s in stems) or 1.0
        hits: dict[int, float] = defaultdict(float)
        common = [s for s in stems if len(self.by_stem.get(s, ())) > COMMON_STEM_FACTS]
        for s in stems:
            if s in common:
                continue
            for i in self.by_stem.get(s, ()):
                hits[i] += weight[s]
        if common and sum(weight[s] for s in common) / total < min_coverage:
            # In a big knowledge base a common stem ("account") is in thousands of facts; a fact that only
            # common stems hit cannot reach min_coverage, so only the facts the rarer stems found are scored.
            for i in hits:
                hits[i] += sum(weight[s] for s in common if s in self.facts[i].stems)
        else:
            for s in common:
                for i in self.by_stem.get(s, ()):
                    hits[i] += weight[s]
        return heapq.nsmallest(limit, self._ranked(hits, total), key=lambda r: (-r[0], r[2]))

    def _ranked(self, hits: dict[int, float], total: float) -> list[tuple[float, float, int]]:
        ranked = []
        for i, matched in hits.items():
            coverage = matched / total
            fact_coverage = matched / self.weights[i]
            ranked.append((0.7 * coverage + 0.3 * min(1.0, fact_coverage), coverage, i))
        return ranked

    def where(self, fact: Fact) -> str:
        """Where a fact lives, as an answer says it: "a checkpoint of Qualify (MSSP stage 3 of 9)"."""
        a = fact.address
        kb = self.kb
        label = FIELD_LABELS[a.field]
        if a.subject_type == "mssp_stage":
            stage = kb.mssp_stage(a.subject)
            where = f"{stage.name} (MSSP stage {stage.position + 1} of {len(kb.mssp_stages)})"
            if a.field == "sub_step":
                return f"a {label} of {where}, under \u201c{fact.parent}\u201d"
            if a.field in ("checkpoint", "key_step"):
                return f"a {label} of {where}"
            return f"the {label} of {where}"
        if a.subject_type == "mcem_stage":
            mcem = kb.mcem_stage(a.subject)
            return f"the {label} of {mcem.name} (MCEM stage {mcem.position + 1} of {len(kb.mcem_stages)})"
        if a.subject_type == "role":
            role = kb.roles[a.subject]
            if a.field == "responsibility":
                return f"a key responsibility of the {role.acronym}"
            return f"the {role.acronym}'s {label}"
        if a.subject_type == "assignment":
            name = kb.assignments[a.subject].name
            return (
                f"the {name} role assignment's description"
                if a.field == "description"
                else f"the {name} role assignment"
            )
        if a.subject_type == "unit":
            return f"what the {kb.units[a.subject].acronym} is accountable for"
        if a.subject_type == "group":
            return "the MCEM guide's overview"
        return "how the roles work together (MCEM guide)"


def _facts(kb: KnowledgeBase) -> Iterator[tuple[Address, str, tuple[str, ...], str | None]]:
    for s in kb.mssp_stages:
        yield Address("mssp", "mssp_stage", s.id, "objective"), s.objective, (), None
        yield Address("mssp", "mssp_stage", s.id, "verifiable_outcome"), s.verifiable_outcome, (), None
        for i, text in enumerate(s.checkpoints):
            yield Address("mssp", "mssp_stage", s.id, "checkpoint", i), text, (), None
        for i, step in enumerate(s.key_steps):
            yield Address("mssp", "mssp_stage", s.id, "key_step", i), step.text, (), None
            for j, sub in enumerate(step.sub_steps):
                yield Address("mssp", "mssp_stage", s.id, "sub_step", i, j), sub, (), step.text
    for m in kb.mcem_stages:
        yield Address("mcem", "mcem_stage", m.id, "exit_criteria"), m.exit_criteria, (m.unit,), None
    for r in kb.roles.values():
        if r.focus:
            yield Address("mcem", "role", r.id, "focus"), r.focus, (r.id,), None
        for i, text in enumerate(r.responsibilities):
            yield Address("mcem", "role", r.id, "responsibility", i), text, (r.id,), None
        if r.mcem_focus:
            yield Address("mcem", "role", r.id, "mcem_focus"), r.mcem_focus, (r.id,), None
    for a in kb.assignments.values():
        roles = tuple(m.role for m in a.roles)
        yield Address("mcem", "assignment", a.id, "description"), a.description, roles, None
        for i, member in enumerate(a.roles):
            yield Address("mcem", "assignment", a.id, "task", i), member.task, (member.role,), None
    for i, c in enumerate(kb.collaboration):
        yield Address("mcem", "collaboration", c.label, "purpose", i), c.purpose, c.roles, None
    for u in kb.units.values():
        for i, text in enumerate(u.other_accountabilities):
            yield Address("mcem", "unit", u.id, "accountability", i), text, (u.id,), None
    for g in kb.groups.values():
        role = "ce" if g.id == "ce" else "se"
        yield Address("mcem", "group", g.id, "description"), g.description, (role,), None


_STEM_SYNONYMS: dict[int, tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str]]] = {}


def _synonym_maps(
    synonyms: dict[str, str],
) -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str]]:
    """(word -> several words, stem -> stem) from the lexicon's synonyms, made once per lexicon.

    Single words meet by their stems on both sides ("updates", "update" and "maintain" are one stem),
    so a question and a line that use different forms of a synonym still match.
    """
    maps = _STEM_SYNONYMS.get(id(synonyms))
    if maps is None:
        phrases = {k: v for k, v in synonyms.items() if " " in v.strip() and " " not in k.strip()}
        stems = {stem(k): stem(v) for k, v in synonyms.items() if " " not in v.strip() and " " not in k.strip()}
        # Two words said together that mean other words ("verbal yes" -> "verbal approval"), where one word
        # alone ("yes") would mean too much.
        pairs = {(k.split()[0], k.split()[1]): v for k, v in synonyms.items() if len(k.split()) == 2}
        maps = _STEM_SYNONYMS[id(synonyms)] = (phrases, stems, pairs)
    return maps


def fact_stems(text: str, spellings: dict[str, str], synonyms: dict[str, str]) -> list[str]:
    """A line's or a question's words as stems, with the lexicon's synonyms applied."""
    phrases, stem_map, pairs = _synonym_maps(synonyms)
    said = normalize(text, spellings).split()
    if pairs:
        i, joined = 0, []
        while i < len(said):
            pair = (said[i], said[i + 1]) if i + 1 < len(said) else None
            if pair in pairs:
                joined += pairs[pair].split()
                i += 2
            else:
                joined.append(said[i])
                i += 1
        said = joined
    out = []
    for w in said:
        # "consumption-based" is also "consumption" and "based", as a seller may type it.
        parts = phrases.get(w, w).split() + (w.split("-") if "-" in w else [])
        for part in parts:
            s = stem(part)
            out.append(stem_map.get(s, s))
    return out


def build_graph(kb: KnowledgeBase, ignore: frozenset[str]) -> FactGraph:
    lex = kb.lexicon
    facts = []
    for address, text, roles, parent in _facts(kb):
        stems = frozenset(fact_stems(text, lex.spellings, lex.synonyms)) - ignore
        facts.append(Fact(address, text, roles, stems, parent))
    by_stem: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for s in f.stems:
            by_stem[s].append(i)
    n = len(facts)
    idf = {s: math.log(1 + n / len(ids)) for s, ids in by_stem.items()}
    weights = tuple(sum(idf[s] for s in sorted(f.stems)) or 1.0 for f in facts)  # (in one order: see search)
    return FactGraph(
        kb=kb,
        facts=tuple(facts),
        by_stem={s: tuple(ids) for s, ids in by_stem.items()},
        idf=idf,
        weights=weights,
        ignore=ignore,
        vocabulary_stems=frozenset(by_stem),
        by_place=_by_place(facts),
    )


def _by_place(facts: list[Fact]) -> dict[tuple[str, str], tuple[int, ...]]:
    places: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        places[(f.address.subject, f.address.field)].append(i)
    return {place: tuple(ids) for place, ids in places.items()}
