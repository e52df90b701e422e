"""`make kb` (tools/kb.py): mssp.yaml rebuilt from the MSSP source table, validated, and its changes shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dialogs.router import TurnInput, handle_turn
from knowledge.index import build_index
from knowledge.loader import DATA_DIR, load_knowledge
from tools import kb

REWORDED = ("<li>Sponsor has buying vision</li>", "<li>Sponsor shares a buying vision</li>")
ADDED = (
    "<li>Establish opty v-team</li>",
    "<li>Establish opty v-team</li> <li>Agree the mutual success plan with the sponsor</li>",
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def edited_source(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = kb.SOURCE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mssp-new.txt"
    path.write_text(text, encoding="utf-8")
    return path


def change_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.startswith("  ")]


def bot_says(data_dir: Path, question: str) -> str:
    result = handle_turn(build_index(load_knowledge(data_dir)), None, TurnInput(text=question))
    return json.dumps([(r.text, r.card) for r in result.replies], ensure_ascii=False)


def test_the_data_matches_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    """The check `make test` runs: knowledge/data/mssp.yaml is exactly what `make kb` builds."""
    assert kb.main(["--check"]) == 0
    assert capsys.readouterr().out.startswith("no changes")


def test_an_unchanged_source_rewrites_the_identical_file(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (data_dir / "mssp.yaml").read_bytes()
    assert kb.main(["--data-dir", str(data_dir)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert (data_dir / "mssp.yaml").read_bytes() == before


def test_a_reworded_checkpoint_and_an_added_key_step_are_exactly_the_changes(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = edited_source(tmp_path, REWORDED, ADDED)

    assert kb.main(["--source", str(source), "--data-dir", str(data_dir), "--check"]) == 1
    checked = capsys.readouterr().out
    assert kb.main(["--source", str(source), "--data-dir", str(data_dir)]) == 0
    written = capsys.readouterr().out

    expected = [
        "~ Qualify: checkpoint 2 reworded: 'Sponsor has buying vision' -> 'Sponsor shares a buying vision'",
        "+ Develop: key step 9 added: 'Agree the mutual success plan with the sponsor'",
    ]
    assert change_lines(checked) == expected
    assert change_lines(written) == expected
    assert kb.main(["--source", str(source), "--data-dir", str(data_dir), "--check"]) == 0


def test_the_bot_answers_from_the_rebuilt_data(tmp_path: Path, data_dir: Path) -> None:
    source = edited_source(tmp_path, REWORDED, ADDED)
    assert "Sponsor shares a buying vision" not in bot_says(data_dir, "What are the checkpoints for Qualify?")

    assert kb.main(["--source", str(source), "--data-dir", str(data_dir)]) == 0

    checkpoints = bot_says(data_dir, "What are the checkpoints for Qualify?")
    assert "Sponsor shares a buying vision" in checkpoints
    assert "Sponsor has buying vision" not in checkpoints
    assert "Agree the mutual success plan with the sponsor" in bot_says(data_dir, "What are the key steps in Develop?")


def test_sub_steps_removed_and_stage_fields_changed_are_named(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = edited_source(
        tmp_path,
        ("<li>Build value proposition</li> ", ""),
        ("Signed documents", "Signed contract documents"),
    )
    assert kb.main(["--source", str(source), "--data-dir", str(data_dir)]) == 0
    assert change_lines(capsys.readouterr().out) == [
        "- Solution › key step 1: sub-step 3 removed: 'Build value proposition'",
        "~ Close: verifiable outcome changed: 'Signed documents' -> 'Signed contract documents'",
    ]


def test_a_renamed_stage_keeps_its_id_so_the_lexicon_still_refers_to_it(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = edited_source(tmp_path, ("\tProof\t", "\tProofs\t"))
    assert kb.main(["--source", str(source), "--data-dir", str(data_dir)]) == 0
    assert change_lines(capsys.readouterr().out) == ["~ Proofs: stage name reworded: 'Proof' -> 'Proofs'"]
    stage = next(s for s in load_knowledge(data_dir).mssp_stages if s.name == "Proofs")
    assert stage.id == "proof"


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("Key Steps\t", "Key steps\t"), "no 'Key Steps' row"),
        (("<li>Campaigns executed</li>", "<li>Campaigns <ul><li>x</li></ul></li>"), "checkpoints cannot have"),
        (("<li>Campaigns executed</li> </ul>", "<li>Campaigns executed</li>"), "a <ul> is not closed"),
        (("<li>Campaigns executed</li>", "<li> </li>"), "an empty list item"),
        (("\tNA\t0%", "\tsoon\t0%"), "mssp.yaml: stages[0].probability: must be NA or a percentage"),
    ],
)
def test_a_bad_source_is_refused_and_nothing_is_written(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    edit: tuple[str, str],
    problem: str,
) -> None:
    before = (data_dir / "mssp.yaml").read_bytes()
    assert kb.main(["--source", str(edited_source(tmp_path, edit)), "--data-dir", str(data_dir)]) == 2
    assert problem in capsys.readouterr().err
    assert (data_dir / "mssp.yaml").read_bytes() == before


def test_a_removed_stage_that_the_lexicon_names_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    rows = [line.split("\t") for line in kb.SOURCE.read_text(encoding="utf-8").splitlines()]
    text = "\n".join("\t".join(cells[:-1] if len(cells) > 1 else cells) for cells in rows)  # drop Support
    source = tmp_path / "eight-stages.txt"
    source.write_text(text, encoding="utf-8")
    assert kb.main(["--source", str(source), "--data-dir", str(data_dir)]) == 2
    assert "lexicon.yaml" in capsys.readouterr().err


def test_nested_lists_keep_their_nesting_and_entities_are_decoded() -> None:
    items = kb.parse_list(
        '<ul style="x"> <li>A &amp; B:   <ul> <li>one</li> <li>two</li> </ul> </li> <li>C</li> </ul>', "cell"
    )
    assert [(i.text, [c.text for c in i.children]) for i in items] == [("A & B:", ["one", "two"]), ("C", [])]
