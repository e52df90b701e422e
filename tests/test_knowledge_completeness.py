"""The knowledge base carries the seeds faithfully: every line of both documents, word for word.

The seeds are parsed here independently of knowledge/loader.py, so a line dropped or reworded in the
YAML fails this test.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from knowledge.model import KnowledgeBase

SEEDS = Path(__file__).resolve().parents[1] / "knowledge" / "sources"
MCEM_SEED = SEEDS / "mcem-sales-roles-guide.md"
MSSP_SEED = SEEDS / "mssp-solution-sales-process.txt"


def _mssp_rows() -> dict[str, list[str]]:
    rows = {}
    for line in MSSP_SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            cells = line.split("\t")
            rows[cells[0]] = cells[1:]
    return rows


def _list_items(cell: str) -> list[str]:
    """Every <li> text of an HTML cell, nested ones included, with entities decoded."""
    items = []
    for raw in re.findall(r"<li>(.*?)(?=<li>|</li>|<ul)", cell):
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw))).strip()
        if text:
            items.append(text)
    return items


def _kb_step_texts(kb: KnowledgeBase, stage_index: int) -> list[str]:
    out = []
    for step in kb.mssp_stages[stage_index].key_steps:
        out.append(step.text)
        out.extend(step.sub_steps)
    return out


def _mcem_section(title: str) -> str:
    text = MCEM_SEED.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n---", start)
    return text[start : end if end > 0 else None]


def test_mssp_stage_order_and_table_cells(kb: KnowledgeBase) -> None:
    rows = _mssp_rows()
    assert [s.name for s in kb.mssp_stages] == rows["Sales Cycle Stage"]
    assert [s.probability for s in kb.mssp_stages] == rows["Probability"]
    assert [s.objective for s in kb.mssp_stages] == rows["Sales Stage Objective"]
    assert [s.verifiable_outcome for s in kb.mssp_stages] == rows["Verifiable Outcomes"]


@pytest.mark.parametrize("index", range(9))
def test_every_checkpoint_word_for_word(kb: KnowledgeBase, index: int) -> None:
    assert list(kb.mssp_stages[index].checkpoints) == _list_items(_mssp_rows()["Checkpoints"][index])


@pytest.mark.parametrize("index", range(9))
def test_every_key_step_and_sub_step_word_for_word(kb: KnowledgeBase, index: int) -> None:
    assert _kb_step_texts(kb, index) == _list_items(_mssp_rows()["Key Steps"][index])


def test_nested_sub_steps_stay_nested(kb: KnowledgeBase) -> None:
    solution = next(s for s in kb.mssp_stages if s.name == "Solution")
    assert solution.key_steps[0].text == "Execute eval plan & manage progress including:"
    assert len(solution.key_steps[0].sub_steps) == 6
    proof = next(s for s in kb.mssp_stages if s.name == "Proof")
    assert len(proof.key_steps[0].sub_steps) == 2


def test_mcem_exit_criteria_table(kb: KnowledgeBase) -> None:
    table = _mcem_section("## MCEM Journey Stages & Exit Criteria")
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in table.splitlines()
        if line.startswith("| ") and "Stage" not in line
    ]
    assert [(s.name, s.exit_criteria, s.unit.upper()) for s in kb.mcem_stages] == [tuple(r) for r in rows]


def test_every_responsibility_line_and_focus(kb: KnowledgeBase) -> None:
    section = _mcem_section("## Role Definitions")
    for block in re.split(r"\n### \d+\. ", section)[1:]:
        acronym = block.split(" ", 1)[0]
        role = next(r for r in kb.roles.values() if r.acronym == acronym)
        lines = re.findall(r"^- (.+)$", block, re.MULTILINE)
        assert list(role.responsibilities) == lines
        assert role.focus == re.search(r"\*\*Focus:\*\* (.+)", block).group(1)
        assert role.mcem_focus == re.search(r"\*\*MCEM Focus:\*\* (.+)", block).group(1)
        assert role.name in block.split("\n", 1)[0]


def test_units_roles_and_accountabilities(kb: KnowledgeBase) -> None:
    section = _mcem_section("## Accountable Units")
    for block in re.split(r"\n### ", section)[1:]:
        acronym, name = re.match(r"(\w+) \((.+)\)", block).groups()
        unit = kb.units[acronym.lower()]
        assert unit.name == name
        roles_line = re.search(r"\*\*Roles:\*\* (.+)", block).group(1)
        assert [f"{kb.roles[r].acronym} ({kb.roles[r].name})" for r in unit.roles] == roles_line.split(", ")
        accountable = [re.sub(r"\*\*", "", line) for line in re.findall(r"^- (.+)$", block, re.MULTILINE)]
        expected = [f"{kb.mcem_stage(s).name} stage" for s in unit.stages] + list(unit.other_accountabilities)
        assert expected == accountable


def test_role_assignments(kb: KnowledgeBase) -> None:
    section = _mcem_section("## MCEM Stage Role Assignments")
    for block in re.split(r"\n### ", section)[1:]:
        name = block.split(" ", 1)[0]
        assignment = kb.assignments[name.lower()]
        assert assignment.description == block.split("\n")[1].strip()
        pairs = re.findall(r"^- \*\*(\w+)\*\* - (.+)$", block, re.MULTILINE)
        assert [(kb.roles[m.role].acronym, m.task) for m in assignment.roles] == pairs


def test_collaboration_table_and_overview(kb: KnowledgeBase) -> None:
    table = _mcem_section("## How They Work Together")
    rows = re.findall(r"^\| \*\*(.+?)\*\* \| (.+?) \|$", table, re.MULTILINE)
    assert [(c.label, c.purpose) for c in kb.collaboration] == rows
    text = MCEM_SEED.read_text(encoding="utf-8").replace("**", "")
    assert kb.overview.description in text
    assert kb.overview.mcaps in text
    for group in kb.groups.values():
        assert f"### {group.name} ({group.acronym})\n{group.description}" in text


def test_glossary_quotes_are_in_the_seeds(kb: KnowledgeBase) -> None:
    seeds = html.unescape(MCEM_SEED.read_text(encoding="utf-8") + MSSP_SEED.read_text(encoding="utf-8"))
    seeds = re.sub(r"<[^>]+>|\*\*", "", seeds)
    for term in kb.glossary:
        assert term.quote in seeds, term.term
        if term.expansion:
            assert term.expansion.split(" (")[0] in seeds, term.term
