"""Validates the evaluation question set in tests/questions/ itself (not the bot).

The set is honest only if every expected phrase of an in-scope case is taken from the seed
documents, so each "all"/"any" phrase is checked against the folded seed text with the same
fold and word-boundary match that botprobe uses against the bot's replies.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tools import botprobe

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = Path(__file__).resolve().parent / "questions"
SEEDS = ROOT / "knowledge" / "sources"
# paraphrases.json: a second, smaller set written separately (mixed kinds, prefix p-).
FILES = ("knowledge.json", "followups.json", "out_of_scope.json", "paraphrases.json")

IN_SCOPE_CATEGORIES = (
    "owner",
    "exit",
    "exit-reverse",
    "unit-roles",
    "role-unit",
    "role",
    "responsibility",
    "play",
    "probability",
    "probability-reverse",
    "objective",
    "outcome",
    "checkpoints",
    "key-steps",
    "order",
    "glossary",
    "overview",
)
FOLLOW_UP = "follow-up"
OUT_OF_SCOPE = "out-of-scope"
ID_PREFIX = {"knowledge.json": "k-", "followups.json": "f-", "out_of_scope.json": "o-", "paraphrases.json": "p-"}
TURN_KEYS = {"say", "all", "any", "none"}
CASE_KEYS = {"id", "cat", "turns"} | TURN_KEYS
# Phrasings that start the bot's guided checkpoint dialog instead of a knowledge answer.
DIALOG_TRIGGERS = re.compile(r"^\s*qualify\b|qualify my|start a check|walk me through|checkpoint check", re.I)

Case = dict[str, Any]
Turn = dict[str, Any]


def strip_markup(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", html.unescape(text))


@cache
def seed_text() -> str:
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.is_file())
    folded: str = botprobe.fold(strip_markup(raw))
    return folded


def in_seed(phrase: str) -> bool:
    return bool(botprobe.has(seed_text(), phrase))


def load(name: str) -> list[Case]:
    data = json.loads((QUESTIONS / name).read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{name} must hold a JSON list"
    return data


def all_cases() -> list[Case]:
    return [case for name in FILES for case in load(name)]


def turns(case: Case) -> list[Turn]:
    if "turns" in case:
        return list(case["turns"])
    return [{k: v for k, v in case.items() if k in TURN_KEYS}]


def expected_phrases(turn: Turn) -> list[str]:
    return list(turn.get("all", [])) + [p for group in turn.get("any", []) for p in group]


def by_category() -> Counter[str]:
    return Counter(case["cat"] for case in all_cases())


@pytest.mark.parametrize("name", FILES)
def test_file_parses_and_ids_have_prefix(name: str) -> None:
    cases = load(name)
    assert cases, f"{name} is empty"
    for case in cases:
        assert isinstance(case.get("id"), str) and case["id"].startswith(ID_PREFIX[name]), case
        assert isinstance(case.get("cat"), str) and case["cat"], case


def test_ids_unique() -> None:
    ids = Counter(case["id"] for case in all_cases())
    assert not [i for i, n in ids.items() if n > 1]


def test_shape_of_every_case_and_turn() -> None:
    for case in all_cases():
        assert set(case) <= CASE_KEYS, case["id"]
        assert ("say" in case) != ("turns" in case), f"{case['id']}: needs exactly one of say / turns"
        for turn in turns(case):
            assert set(turn) <= TURN_KEYS, case["id"]
            assert isinstance(turn.get("say"), str) and turn["say"].strip(), case["id"]
            assert all(isinstance(p, str) and p for p in turn.get("all", [])), case["id"]
            assert all(isinstance(p, str) and p for p in turn.get("none", [])), case["id"]
            for group in turn.get("any", []):
                assert isinstance(group, list) and group, case["id"]
                assert all(isinstance(p, str) and p for p in group), case["id"]


def test_counts() -> None:
    cats = by_category()
    assert sum(cats[c] for c in IN_SCOPE_CATEGORIES) >= 200
    assert cats[FOLLOW_UP] >= 40
    assert cats[OUT_OF_SCOPE] >= 30
    assert set(cats) <= set(IN_SCOPE_CATEGORIES) | {FOLLOW_UP, OUT_OF_SCOPE}, set(cats)


@pytest.mark.parametrize("cat", IN_SCOPE_CATEGORIES)
def test_each_category_has_enough_cases(cat: str) -> None:
    assert by_category()[cat] >= 8


def test_files_hold_the_right_kinds() -> None:
    assert all(c["cat"] in IN_SCOPE_CATEGORIES and "say" in c for c in load("knowledge.json"))
    assert all(c["cat"] == FOLLOW_UP and 2 <= len(c.get("turns", [])) <= 3 for c in load("followups.json"))
    assert all(c["cat"] == OUT_OF_SCOPE and "say" in c for c in load("out_of_scope.json"))
    assert all("say" in c for c in load("paraphrases.json"))


def test_every_in_scope_turn_expects_something() -> None:
    for case in all_cases():
        if case["cat"] == OUT_OF_SCOPE:
            continue
        for turn in turns(case):
            assert expected_phrases(turn), f"{case['id']}: {turn['say']!r} checks nothing"


def test_expected_phrases_come_from_the_seeds() -> None:
    missing = [
        (case["id"], phrase)
        for case in all_cases()
        if case["cat"] != OUT_OF_SCOPE
        for turn in turns(case)
        for phrase in expected_phrases(turn)
        if not in_seed(phrase)
    ]
    assert not missing, missing


def test_forbidden_phrases_do_not_contradict_expected_ones() -> None:
    fold = botprobe.fold
    for case in all_cases():
        for turn in turns(case):
            expected = {fold(p) for p in expected_phrases(turn)}
            clash = expected & {fold(p) for p in turn.get("none", [])}
            assert not clash, f"{case['id']}: {clash}"


def test_out_of_scope_cases_expect_a_decline() -> None:
    for case in load("out_of_scope.json"):
        assert case.get("any"), case["id"]
        assert case.get("none"), case["id"]
        assert not case.get("all"), case["id"]


def test_in_scope_questions_do_not_start_the_checkpoint_dialog() -> None:
    bad = [
        (case["id"], turn["say"])
        for case in all_cases()
        if case["cat"] != OUT_OF_SCOPE
        for turn in turns(case)
        if DIALOG_TRIGGERS.search(turn["say"])
    ]
    assert not bad, bad


def test_seed_fold_matches_botprobe() -> None:
    text = seed_text()
    assert "listen and consult" in text and "&" not in text and "<li>" not in text
    assert in_seed("Execute eval plan & manage progress")
