"""The knowledge base as addressed facts (knowledge/graph.py): every line of both documents is one fact,
found again from a paraphrase of it, and says where it lives."""

from __future__ import annotations

import pytest

from knowledge.graph import fact_stems
from knowledge.index import KnowledgeIndex


def test_every_line_of_both_documents_is_a_fact(ix: KnowledgeIndex) -> None:
    kb = ix.kb
    lines = []
    for s in kb.mssp_stages:
        lines += [s.objective, s.verifiable_outcome, *s.checkpoints]
        for step in s.key_steps:
            lines += [step.text, *step.sub_steps]
    lines += [s.exit_criteria for s in kb.mcem_stages]
    for r in kb.roles.values():
        lines += [x for x in (r.focus, r.mcem_focus) if x] + list(r.responsibilities)
    lines += [m.task for a in kb.assignments.values() for m in a.roles]
    lines += [a.description for a in kb.assignments.values()]
    lines += [c.purpose for c in kb.collaboration]
    lines += [x for u in kb.units.values() for x in u.other_accountabilities]
    lines += [g.description for g in kb.groups.values()]
    assert sorted(f.text for f in ix.graph.facts) == sorted(lines)


def test_mssp_lines_name_no_role_and_mcem_lines_do(ix: KnowledgeIndex) -> None:
    for fact in ix.graph.facts:
        assert (fact.address.document == "mssp") == (not fact.roles), fact


@pytest.mark.parametrize(
    ("mention", "text", "where"),
    [
        ("update siebel", "Confirm verifiable outcome and update Siebel", "a key step of"),
        ("the qualification v-team", "Establish qualification v-team (including services)", "a key step of Qualify"),
        ("post-close follow-up", "Conduct post-close follow-up with v-team", "a key step of Deploy"),
        ("SOW for the POC", "Develop SOW for proof of concept & secure partner and service resources", "under"),
        ("keeps the RAID logs", "Maintain Customer Success Plan (CSP) status and RAID logs", "the CSA"),
        ("technical win", "Drive the technical win to accelerate customer commitment.", "overview"),
    ],
)
def test_a_paraphrase_finds_its_line(ix: KnowledgeIndex, mention: str, text: str, where: str) -> None:
    lex = ix.kb.lexicon
    ranked = ix.graph.search(set(fact_stems(mention, lex.spellings, lex.synonyms)))
    best = ix.graph.facts[ranked[0][2]]
    assert best.text == text
    assert where in ix.graph.where(best)


def test_synonyms_meet_by_stem_on_both_sides(ix: KnowledgeIndex) -> None:
    lex = ix.kb.lexicon
    assert fact_stems("updates", lex.spellings, lex.synonyms) == fact_stems("update", lex.spellings, lex.synonyms)
    assert fact_stems("POC", lex.spellings, lex.synonyms) == fact_stems("proof of concept", lex.spellings, lex.synonyms)


@pytest.mark.parametrize(
    "words",
    ["quarterback for the account", "raid logs for the customer", "executive relationships for the account"],
)
def test_a_search_that_skips_common_stems_keeps_every_fact_that_reaches_the_coverage(
    ix: KnowledgeIndex, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Skipping common stems' long fact lists is only a shortcut: above min_coverage the ranking is the
    same as walking every list (here a stem in more than 10 facts counts as common)."""
    lex = ix.kb.lexicon
    stems = set(fact_stems(words, lex.spellings, lex.synonyms))
    full = ix.graph.search(stems, limit=50)
    monkeypatch.setattr("knowledge.graph.COMMON_STEM_FACTS", 10)
    quick = ix.graph.search(stems, limit=50, min_coverage=0.6)
    assert len(quick) < len(full)  # the shortcut was taken
    assert [r for r in quick if r[1] >= 0.6] == [r for r in full if r[1] >= 0.6]
    assert any(r[1] >= 0.6 for r in full)
