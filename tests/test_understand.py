"""Question understanding: kinds, entities, typos, British spellings, follow-ups, out of scope."""

from __future__ import annotations

import pytest

from knowledge.index import KnowledgeIndex
from knowledge.normalize import normalize, stem
from knowledge.understand import Frame, understand


def test_normalize_folds_ampersand_quotes_tags_and_british_spelling() -> None:
    spellings = {"realise": "realize"}
    # Tags go, their text stays: the bot layer removes @mentions before this.
    assert normalize("Who owns <b>Realise</b> Value & “stuff”?", spellings) == "who owns realize value and stuff"
    assert normalize("80 % or 80 percent") == "80% or 80%"
    # a whole decimal is its whole number; any other decimal is no percentage at all (never "5%")
    assert normalize("at 80.0% now") == "at 80% now"
    assert "5%" not in normalize("at 62.5% now").split()


def test_a_british_ise_word_takes_the_documents_ize_spelling(ix: KnowledgeIndex) -> None:
    assert ix.correct("finalising") == "finalizing"
    assert ix.correct("exercise") == "exercise"  # (no such -ize word in the documents)


def test_stem_meets_word_forms() -> None:
    assert stem("negotiates") == stem("negotiation") == stem("negotiating")
    assert stem("ats") == "ats" and stem("csas") == "csa"


@pytest.mark.parametrize(
    ("question", "kind", "slots"),
    [
        ("who owns Realize Value?", "mcem.owner", {"mcem_stage": "realize-value"}),
        ("who is acountable for realise valu", "mcem.owner", {"mcem_stage": "realize-value"}),
        ("who owns inspire and desing?", "mcem.owner", {"mcem_stage": "inspire-design"}),
        ("exit criteria for manage & optimise", "mcem.exit", {"mcem_stage": "manage-optimize"}),
        ("which stage ends with qualified pipeline?", "mcem.exit_reverse", {"mcem_stage": "listen-consult"}),
        ("what roles are in the ATU?", "unit.roles", {"unit": "atu"}),
        ("which unit is the SE in", "role.unit", {"role": "se"}),
        ("what does the ATS do in Modernize", "assignment.role_task", {"assignment": "modernize", "role": "ats"}),
        ("who is involved in the COMPETE stage?", "assignment.roles", {"assignment": "compete"}),
        ("probabilty at proof", "mssp.probability", {"mssp_stage": "proof"}),
        ("which stage is 80%?", "mssp.probability_reverse", {"percent": "80%"}),
        ("checkpoints for Qualify?", "mssp.checkpoints", {"mssp_stage": "qualify"}),
        ("what comes after Develop?", "order.next", {"mssp_stage": "develop"}),
        ("how many stages does MCEM have?", "order.count", {"domain": "mcem"}),
        ("what does MQP mean", "glossary", None),
        ("what does MCEM stand for?", "overview.mcem", {}),
        ("which roles does MCEM connect?", "overview.mcem", {}),  # the overview names them, not the role list
        ("what are the accountable units in MCEM", "units.list", {}),  # "units" is not "unites"
    ],
)
def test_question_kinds(ix: KnowledgeIndex, question: str, kind: str, slots: dict | None) -> None:
    u = understand(question, ix)
    assert u.frame.kind == kind
    assert u.answerable
    if slots is not None:
        assert {k: u.frame.slots.get(k) for k in slots} == slots


def test_who_does_finds_the_precise_role(ix: KnowledgeIndex) -> None:
    for question, role in (
        ("who maintains the RAID logs?", "csa"),
        ("who is the quarterback?", "ae"),
        ("who does technical discovery?", "ats"),
    ):
        u = understand(question, ix)
        assert u.frame.kind == "where"  # a reverse look-up over every line of both documents
        assert ix.graph.facts[u.frame.slots["facts"][0]].roles == (role,)


@pytest.mark.parametrize(
    ("first", "second", "kind", "slots"),
    [
        ("who owns Realize Value?", "and Inspire & Design?", "mcem.owner", {"mcem_stage": "inspire-design"}),
        ("probability at Proof?", "what about Close?", "mssp.probability", {"mssp_stage": "close"}),
        ("checkpoints for Qualify?", "and the key steps?", "mssp.key_steps", {"mssp_stage": "qualify"}),
        ("what does the AE do?", "and the CSA?", "role.definition", {"role": "csa"}),
        ("which unit is the SSP in?", "which stages is it accountable for?", "unit.stages", {"unit": "stu"}),
    ],
)
def test_follow_ups_carry_context(ix: KnowledgeIndex, first: str, second: str, kind: str, slots: dict) -> None:
    from knowledge.kinds import answer_question

    u1 = understand(first, ix)
    context = answer_question(ix, u1).context
    u2 = understand(second, ix, context)
    assert u2.frame.kind == kind
    assert {k: u2.frame.slots.get(k) for k in slots} == slots


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather tomorrow?",
        "tell me a joke",
        "what is my password?",
        "who is the CEO of Microsoft?",
        "how do I close my laptop lid?",
        "can you support me with excel?",
        "what is the probability of rain tomorrow?",
        "what is the salary of an account executive?",
    ],
)
def test_out_of_scope_is_not_answered(ix: KnowledgeIndex, question: str) -> None:
    assert not understand(question, ix).answerable


def test_capitalised_stage_name_reads_as_a_stage_but_everyday_word_does_not(ix: KnowledgeIndex) -> None:
    assert understand("tell me about Close", ix).frame.slots.get("mssp_stage") == "close"
    assert understand("I need to close my laptop", ix).frame.kind == "unknown"


def test_very_long_text_is_bounded(ix: KnowledgeIndex) -> None:
    assert understand("who owns realize value " * 5000, ix).frame.kind == "too_long"


def test_frame_round_trips_through_storage() -> None:
    frame = Frame("mcem.owner", {"mcem_stage": "realize-value"})
    assert Frame.from_dict(frame.to_dict()) == frame
    assert Frame.from_dict({"kind": 3}) is None and Frame.from_dict("x") is None


def test_question_clause_counts_the_words_that_separate_clauses(ix: KnowledgeIndex) -> None:
    # "but" and the dash split clauses; the question's clause still starts at its own first word.
    from knowledge.understand import extract_features, question_clause

    text = "not sure this is the right place but here goes - what's the MCEM focus of the SSP?"
    f = extract_features(text, ix)
    start, end, clause = question_clause(f, ix)
    assert clause.startswith("what's") and f.words[start:end] == ["what", "the", "mcem", "focus", "of", "the", "ssp"]
