"""Indexes built once from the knowledge base, so answering a question never scans every seed string.

- a vocabulary for typo correction, bucketed by word length;
- a phrase index (first stem -> phrases) for entity names and cue words;
- every line of both documents as an addressed fact (knowledge/graph.py), for content look-ups.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.compose import NUMBER_WORDS, ORDINAL_WORDS
from knowledge.graph import FactGraph, build_graph
from knowledge.model import KnowledgeBase
from knowledge.normalize import normalize, stem

# Entity types, in the order a tie between two readings of the same words is settled.
ENTITY_TYPES = ("mcem_stage", "unit", "role", "group", "assignment", "mssp_stage", "glossary")
MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class Phrase:
    """One way of naming an entity or cue, as a tuple of stems."""

    stems: tuple[str, ...]
    kind: str  # entity type or cue group
    key: str  # entity id or cue group name
    ambiguous: bool = False


@dataclass(frozen=True)
class Match:
    kind: str
    key: str
    start: int
    end: int
    ambiguous: bool


class PhraseIndex:
    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._by_first: dict[str, list[Phrase]] = defaultdict(list)
        for p in phrases:
            if p.stems:
                self._by_first[p.stems[0]].append(p)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda p: -len(p.stems))

    def all_matches(self, stems: list[str]) -> Iterator[Match]:
        """Every phrase occurrence, longest first at each position."""
        for i, s in enumerate(stems):
            for p in self._by_first.get(s, ()):
                n = len(p.stems)
                if tuple(stems[i : i + n]) == p.stems:
                    yield Match(p.kind, p.key, i, i + n, p.ambiguous)

    def longest_matches(self, stems: list[str]) -> list[Match]:
        """Non-overlapping matches, preferring the longest phrase at each position (left to right)."""
        chosen: list[Match] = []
        taken: set[int] = set()
        candidates = sorted(self.all_matches(stems), key=lambda m: (-(m.end - m.start), m.start))
        for m in candidates:
            span = set(range(m.start, m.end))
            if span & taken:
                continue
            # Same span named by several entities (e.g. "SE" the role and "SE" the group) keeps all.
            chosen.append(m)
            taken |= span
            chosen.extend(
                o
                for o in candidates
                if (o.start, o.end) == (m.start, m.end) and o is not m and (o.kind, o.key) != (m.kind, m.key)
            )
        return sorted(set(chosen), key=lambda m: (m.start, ENTITY_TYPES.index(m.kind) if m.kind in ENTITY_TYPES else 0))


def phrase_stems(text: str, spellings: dict[str, str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalize(text, spellings).split())


@dataclass
class KnowledgeIndex:
    kb: KnowledgeBase
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    vocabulary_stems: frozenset[str] = field(default_factory=frozenset)
    # Words of entity names, then of cue phrases: a typo near one of these means it first.
    entity_words: frozenset[str] = field(default_factory=frozenset)
    priority_words: frozenset[str] = field(default_factory=frozenset)
    words_by_length: dict[int, list[str]] = field(default_factory=dict)
    entities: PhraseIndex = field(default_factory=lambda: PhraseIndex(()))
    cues: PhraseIndex = field(default_factory=lambda: PhraseIndex(()))
    stopword_stems: frozenset[str] = field(default_factory=frozenset)
    stopwords: frozenset[str] = field(default_factory=frozenset)
    synonyms: dict[str, str] = field(default_factory=dict)
    # Deletion key -> vocabulary words: a word and a typo within n edits (OSA: insert, delete, substitute,
    # swap two neighbours) always share a key made by leaving out at most n letters from each.
    typo_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (entity type, id) -> the entity's names as normalised words: an everyday word names a stage only
    # in one of these forms ("close", not "closing"; "deploy", not "deployment").
    surfaces: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _graph: FactGraph | None = None
    _corrections: dict[str, str] = field(default_factory=dict)
    # knowledge.understand's exit-criteria word weights, computed on first use.
    _exit_targets: tuple[dict[str, set[str]], dict[str, int], dict[str, float]] | None = None
    _stage_names: frozenset[str] | None = None
    _line_pairs: frozenset[tuple[str, str]] | None = None
    _joined_by_and: frozenset[tuple[str, str]] | None = None
    _stems_of: dict[str, frozenset[str]] | None = None
    _surface_owners: frozenset[tuple[str, str]] | None = None
    _one_word_names: frozenset[str] | None = None

    @property
    def stage_names(self) -> frozenset[str]:
        """Every stage name of both documents, normalised ("listen and consult"), computed once."""
        if self._stage_names is None:
            names = [normalize(s.name) for s in self.kb.mssp_stages] + [normalize(s.name) for s in self.kb.mcem_stages]
            self._stage_names = frozenset(names)
        return self._stage_names

    @property
    def surface_owners(self) -> frozenset[tuple[str, str]]:
        """(entity type, name) for every one-word name of an entity ("role", "csa"), computed once."""
        if self._surface_owners is None:
            self._surface_owners = frozenset(
                (kind, name) for (kind, _), names in self.surfaces.items() for name in names if " " not in name
            )
        return self._surface_owners

    @property
    def stems_of(self) -> dict[str, frozenset[str]]:
        """Entity id -> the stems of every line about it (its own, or one that names it), computed once."""
        if self._stems_of is None:
            found: dict[str, set[str]] = defaultdict(set)
            for fact in self.graph.facts:
                for key in {fact.address.subject, *fact.roles}:
                    found[key] |= fact.stems
            self._stems_of = {k: frozenset(v) for k, v in found.items()}
        return self._stems_of

    @property
    def one_word_names(self) -> frozenset[str]:
        """Every one-word name of an entity ("csa", "compete"), computed once."""
        if self._one_word_names is None:
            self._one_word_names = frozenset(name for _, name in self.surface_owners)
        return self._one_word_names

    @property
    def joined_by_and(self) -> frozenset[tuple[str, str]]:
        """The stems either side of "and" inside an entity's name or a line ("listen", "consult"; "creat",
        "manag"), computed once: a typed "&" between them is part of the name or line, not a join of two asks."""
        if self._joined_by_and is None:
            said = [n.split() for names in self.surfaces.values() for n in names]
            said += [normalize(f.text, self.kb.lexicon.spellings).split() for f in self.graph.facts]
            pairs = {
                (stem(words[i - 1]), stem(words[i + 1]))
                for words in said
                for i in range(1, len(words) - 1)
                if words[i] == "and"
            }
            self._joined_by_and = frozenset(pairs)
        return self._joined_by_and

    @property
    def line_pairs(self) -> frozenset[tuple[str, str]]:
        """Every two words side by side in a line of the documents, normalised ("support plan"), computed once."""
        if self._line_pairs is None:
            said = [normalize(f.text, self.kb.lexicon.spellings).split() for f in self.graph.facts]
            self._line_pairs = frozenset(pair for words in said for pair in itertools.pairwise(words))
        return self._line_pairs

    @property
    def graph(self) -> FactGraph:
        """Every line of both documents as an addressed fact (knowledge/graph.py), built once."""
        if self._graph is None:
            self._graph = build_graph(self.kb, self.stopword_stems)
        return self._graph

    def correct(self, word: str) -> str:
        """The vocabulary word a typo most likely meant, or the word itself."""
        if len(word) < 4 or word in self.vocabulary or not word.isalpha():
            return word
        if word.endswith(_BRITISH_ENDINGS):
            us = _BRITISH_IS.sub(r"iz\1", word)
            if us != word and (us in self.vocabulary or stem(us) in self.graph.idf):
                return us  # ("finalising", "prioritised": the documents' -ize spelling, when they have the word)
        if word in self.kb.lexicon.english_words:
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        max_distance = 1 if len(word) <= 8 else 2
        candidates = self._typo_candidates(word, max_distance)
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=max_distance)
        if best:
            # Of equally near words, one that names an entity or asks something ("clse" -> "close", not "case").
            tied = [w for w in candidates if OSA.distance(word, w) == best[1]]
            preferred = next((w for w in tied if w in self.entity_words), None)
            preferred = preferred or next((w for w in tied if w in self.priority_words), best[0])
            best = (preferred, best[1], best[2])
        result = word
        # Typos rarely hit the first letter; a correction into a filler word would hide an unknown word.
        if (
            best
            and (best[1] <= 1 or best[0][0] == word[0])
            and (best[0] not in self.stopwords or best[0] in self.priority_words or len(word) >= 7)
        ):
            result = best[0]
        if len(self._corrections) < 50_000:  # bounded: typos are unbounded input
            self._corrections[word] = result
        return result

    def _typo_candidates(self, word: str, max_distance: int) -> list[str]:
        """Vocabulary words of a length within max_distance of word's, ordered by (length, word).

        With typo_keys, only the words that share a deletion key with word: a superset of those within
        max_distance edits, so the nearest (and, on a tie, the first in this order) is the same as in
        the whole length window, but the work no longer grows with the vocabulary.
        """
        shortest, longest = len(word) - max_distance, len(word) + max_distance
        if not self.typo_keys:
            return [w for n in range(shortest, longest + 1) for w in self.words_by_length.get(n, ())]
        found = {w for key in deletions(word, max_distance) for w in self.typo_keys.get(key, ())}
        return sorted((w for w in found if shortest <= len(w) <= longest), key=lambda w: (len(w), w))


def deletions(word: str, depth: int) -> set[str]:
    """word with up to depth letters left out, word itself included."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


_BRITISH_ENDINGS = ("ise", "ised", "ises", "ising", "isation", "isations")
_BRITISH_IS = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


def _typo_keys(vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The deletion keys of KnowledgeIndex.correct. Typos of 4-8 letters are corrected within 1 edit and
    longer ones within 2, so a word needs 2-letter deletions only if it has 7 letters or more."""
    keys: dict[str, list[str]] = defaultdict(list)
    for w in vocabulary:
        if len(w) >= 3:
            for key in deletions(w, 2 if len(w) >= 7 else 1):
                keys[key].append(w)
    return {key: tuple(words) for key, words in keys.items()}


def _entity_phrases(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """(entity type, entity id, name) for every name the data gives an entity."""
    lex = kb.lexicon
    for s in kb.mcem_stages:
        yield "mcem_stage", s.id, s.name
    for u in kb.units.values():
        yield "unit", u.id, u.acronym
        yield "unit", u.id, u.name
    for r in kb.roles.values():
        yield "role", r.id, r.acronym
        yield "role", r.id, r.name
    for g in kb.groups.values():
        if g.id not in ("se-group",):
            yield "group", g.id, g.acronym
        yield "group", g.id, g.name
    for a in kb.assignments.values():
        yield "assignment", a.id, a.name
    for m in kb.mssp_stages:
        yield "mssp_stage", m.id, m.name
    for i, t in enumerate(kb.glossary):
        yield "glossary", str(i), t.term
        for alias in t.aliases:
            yield "glossary", str(i), alias
    for entity_type, by_id in lex.aliases.items():
        for entity_id, names in by_id.items():
            for name in names:
                yield entity_type, entity_id, name


def _seed_words(kb: KnowledgeBase) -> Iterator[str]:
    texts: list[str] = [kb.overview.description, kb.overview.mcaps, kb.overview.name, kb.overview.units_intro]
    texts += [s.name + " " + s.exit_criteria for s in kb.mcem_stages]
    texts += [u.name + " " + " ".join(u.other_accountabilities) for u in kb.units.values()]
    texts += [g.name + " " + g.description for g in kb.groups.values()]
    for r in kb.roles.values():
        texts += [r.name, r.focus or "", r.mcem_focus or "", *r.responsibilities]
    texts += [c.purpose for c in kb.collaboration]
    for a in kb.assignments.values():
        texts += [a.name, a.description, *(m.task for m in a.roles)]
    for m in kb.mssp_stages:
        texts += [m.name, m.objective, m.verifiable_outcome, *m.checkpoints]
        for step in m.key_steps:
            texts += [step.text, *step.sub_steps]
    for t in kb.glossary:
        texts += [t.term, t.expansion or "", t.quote, *t.aliases]
    for _, _, name in _entity_phrases(kb):
        texts.append(name)
    for text in texts:
        yield from normalize(text).split()


def build_index(kb: KnowledgeBase) -> KnowledgeIndex:
    lex = kb.lexicon
    sp = lex.spellings
    ambiguous = {(t, w) for t, words in lex.ambiguous.items() for w in words}
    entity_phrases = []
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity_type, entity_id, name in _entity_phrases(kb):
        surfaces[(entity_type, entity_id)].add(normalize(name, sp))
        stems = phrase_stems(name, sp)
        is_ambiguous = (entity_type, normalize(name, sp)) in ambiguous
        entity_phrases.append(Phrase(stems, entity_type, entity_id, is_ambiguous))
    cue_phrases = [
        Phrase(phrase_stems(p, sp), "cue", group) for group, phrases in lex.cues.items() for p in phrases if p.strip()
    ]
    vocabulary: set[str] = set(_seed_words(kb))
    for phrases in (*lex.cues.values(), lex.follow_up_openers, lex.check_start, *lex.answers.values()):
        for p in phrases:
            vocabulary.update(normalize(p).split())
    for phrases in lex.commands.values():
        for p in phrases:
            vocabulary.update(normalize(p).split())
    for by_id in lex.aliases.values():
        for names in by_id.values():
            for n in names:
                vocabulary.update(normalize(n).split())
    vocabulary |= set(lex.stopwords) | set(lex.synonyms) | set(lex.spellings) | set(lex.spellings.values())
    vocabulary |= set(ORDINAL_WORDS) | set(NUMBER_WORDS)  # positions: "sceond", "penlutimate" are typos of them
    vocabulary = {w for w in vocabulary if re.fullmatch(r"[a-z][a-z\-']*", w)}
    by_length: dict[int, list[str]] = defaultdict(list)
    for w in sorted(vocabulary):
        by_length[len(w)].append(w)

    stopword_stems = frozenset(stem(w) for w in lex.stopwords)
    synonyms = {k: v for k, v in lex.synonyms.items()}
    return KnowledgeIndex(
        kb=kb,
        vocabulary=frozenset(vocabulary),
        vocabulary_stems=frozenset(stem(w) for w in vocabulary),
        entity_words=frozenset(w for _, _, name in _entity_phrases(kb) for w in normalize(name).split()),
        priority_words=frozenset(
            w
            for phrases in (*lex.cues.values(), [name for _, _, name in _entity_phrases(kb)])
            for p in phrases
            for w in normalize(p).split()
        ),
        words_by_length=dict(by_length),
        typo_keys=_typo_keys(vocabulary),
        entities=PhraseIndex(entity_phrases),
        cues=PhraseIndex(cue_phrases),
        stopword_stems=stopword_stems,
        stopwords=frozenset(lex.stopwords),
        synonyms=synonyms,
        surfaces={k: frozenset(v) for k, v in surfaces.items()},
        _graph=build_graph(kb, stopword_stems),
    )
