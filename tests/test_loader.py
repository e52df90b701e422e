"""The loader refuses inconsistent data with an error naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.loader import DATA_DIR, KnowledgeError, load_knowledge


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_real_data_loads() -> None:
    kb = load_knowledge()
    assert len(kb.mcem_stages) == 5 and len(kb.mssp_stages) == 9 and len(kb.units) == 3


def test_undefined_role_in_unit_is_named(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "mcem.yaml", lambda d: d["units"][0]["roles"].append("cfo"))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(data)
    assert error.value.file == "mcem.yaml" and error.value.key == "units[0].roles"
    assert "'cfo'" in str(error.value)


def test_undefined_stage_reference_is_named(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "mcem.yaml", lambda d: d["stages"][1].update(unit="xyz"))
    with pytest.raises(KnowledgeError, match=r"mcem.yaml: stages\[1\].unit"):
        load_knowledge(data)


def test_missing_field_is_named(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "mssp.yaml", lambda d: d["stages"][3].pop("verifiable_outcome"))
    with pytest.raises(KnowledgeError, match=r"mssp.yaml: stages\[3\].verifiable_outcome: missing"):
        load_knowledge(data)


def test_bad_probability_is_refused(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "mssp.yaml", lambda d: d["stages"][0].update(probability="N/A"))
    with pytest.raises(KnowledgeError, match="NA or a percentage"):
        load_knowledge(data)


def test_alias_for_unknown_entity_is_refused(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "lexicon.yaml", lambda d: d["aliases"]["role"].update(cfo=["chief"]))
    with pytest.raises(KnowledgeError, match=r"lexicon.yaml: aliases.role"):
        load_knowledge(data)


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "glossary.yaml").write_text("terms: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"glossary\.yaml: -: not valid YAML"):
        load_knowledge(data)
    (data / "glossary.yaml").unlink()
    with pytest.raises(KnowledgeError, match="file not found"):
        load_knowledge(data)


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    lexicon = data / "lexicon.yaml"
    text = lexicon.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("  roles_list:"))
    lexicon.write_text(text.replace(line, line + "\n" + line), encoding="utf-8")  # YAML would keep the last
    with pytest.raises(KnowledgeError, match=r"lexicon\.yaml: roles_list: key 'roles_list' appears twice"):
        load_knowledge(data)


def test_a_cue_group_the_code_reads_must_be_defined(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "lexicon.yaml", lambda d: d["cues"].pop("situation"))
    with pytest.raises(KnowledgeError, match=r"lexicon\.yaml: cues\.situation: missing: the understanding code reads"):
        load_knowledge(data)


def test_a_cue_group_no_code_reads_is_refused(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "lexicon.yaml", lambda d: d["cues"].update(sentiment=["happy"]))
    with pytest.raises(KnowledgeError, match=r"lexicon\.yaml: cues\.sentiment: unknown cue group"):
        load_knowledge(data)


def test_the_english_word_list_is_one_word_a_line(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    with (data / "english_words.txt").open("a", encoding="utf-8") as f:
        f.write("two words\n")
    with pytest.raises(KnowledgeError, match=r"english_words\.txt: two words: must be one lower-case word a line"):
        load_knowledge(data)


@pytest.mark.parametrize("table", ["synonyms", "spellings"])
def test_a_word_yaml_reads_as_a_boolean_is_refused(tmp_path: Path, table: str) -> None:
    # Unquoted, `yes: approval` is the key True: it would never match a word, and nothing would say so.
    data = _copy_data(tmp_path)
    path = data / "lexicon.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"\n{table}:\n", f"\n{table}:\n  on: off\n", 1))
    with pytest.raises(KnowledgeError, match=rf"lexicon.yaml: {table}.True: .*quote yes, no, on, off"):
        load_knowledge(data)


def test_a_spelling_of_two_words_is_refused(tmp_path: Path) -> None:
    # Spellings are read one word at a time: a two-word key would never match.
    data = _copy_data(tmp_path)
    path = data / "lexicon.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nspellings:\n", "\nspellings:\n  sign off: approve\n", 1)
    )
    with pytest.raises(KnowledgeError, match=r"lexicon.yaml: spellings.sign off: must be 1 to 1 words"):
        load_knowledge(data)
