"""Load and validate the knowledge base from the YAML files in knowledge/data.

Validation happens once, at start-up: a missing field or a reference to an undefined role or stage
stops the bot with an error that names the file and the key, instead of a wrong answer later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.cue_groups import CUE_GROUPS
from knowledge.model import (
    Assignment,
    AssignmentRole,
    Collaboration,
    Document,
    GlossaryTerm,
    Group,
    KnowledgeBase,
    Lexicon,
    McemStage,
    MsspStage,
    Overview,
    Role,
    Step,
    Unit,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("mcem.yaml", "mssp.yaml", "glossary.yaml", "lexicon.yaml", "english_words.txt")


class KnowledgeError(ValueError):
    """The knowledge data is incomplete or inconsistent."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file, self.key, self.problem = file, key, problem


class _Reader:
    """Reads typed fields from one YAML file, naming file and key in every error."""

    def __init__(self, file: str, data: Any) -> None:
        self.file = file
        self.data = data

    def fail(self, key: str, problem: str) -> KnowledgeError:
        return KnowledgeError(self.file, key, problem)

    @staticmethod
    def join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def node(self, parent: Any, key: str, path: str) -> Any:
        if not isinstance(parent, dict) or key not in parent or parent[key] is None:
            raise self.fail(self.join(path, key), "missing")
        return parent[key]

    def text(self, parent: Any, key: str, path: str) -> str:
        value = self.node(parent, key, path)
        if not isinstance(value, str | int | float) or not str(value).strip():
            raise self.fail(self.join(path, key), "must be non-empty text")
        return str(value).strip()

    def optional_text(self, parent: Any, key: str, path: str) -> str | None:
        if not isinstance(parent, dict) or parent.get(key) is None:
            return None
        return self.text(parent, key, path)

    def items(self, parent: Any, key: str, path: str, *, allow_empty: bool = False) -> list[Any]:
        value = self.node(parent, key, path)
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self.fail(self.join(path, key), "must be a non-empty list")
        return value

    def texts(self, parent: Any, key: str, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        values = self.items(parent, key, path, allow_empty=allow_empty)
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{self.join(path, key)}[{i}]", "must be non-empty text")
        return tuple(v.strip() for v in values)


def _document(r: _Reader, data: Any) -> Document:
    doc = r.node(data, "document", "")
    return Document(
        id=r.text(doc, "id", "document"),
        title=r.text(doc, "title", "document"),
        short_title=r.text(doc, "short_title", "document"),
        file=r.text(doc, "file", "document"),
    )


def _unique(r: _Reader, ids: Iterable[str], key: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise r.fail(key, f"duplicate id {item_id!r}")
        seen.add(item_id)


def _check_refs(r: _Reader, refs: Iterable[str], defined: Iterable[str], key: str, what: str) -> None:
    known = set(defined)
    for ref in refs:
        if ref not in known:
            raise r.fail(key, f"{what} {ref!r} is referenced but not defined")


def _load_mcem(r: _Reader) -> dict[str, Any]:
    d = r.data
    ov = r.node(d, "overview", "")
    groups = {}
    for i, g in enumerate(r.items(d, "groups", "")):
        p = f"groups[{i}]"
        defined_group = Group(
            r.text(g, "id", p), r.text(g, "acronym", p), r.text(g, "name", p), r.text(g, "description", p)
        )
        groups[defined_group.id] = defined_group
    stages = []
    for i, s in enumerate(r.items(d, "stages", "")):
        p = f"stages[{i}]"
        stages.append(
            McemStage(
                r.text(s, "id", p),
                r.text(s, "name", p),
                r.text(s, "exit_criteria", p),
                r.text(s, "unit", p),
                i,
            )
        )
    _unique(r, (s.id for s in stages), "stages")
    roles = {}
    for i, x in enumerate(r.items(d, "roles", "")):
        p = f"roles[{i}]"
        group = r.optional_text(x, "group", p)
        # A role either has the seed's full definition or points at the overview group that defines it.
        defined = group is None
        role = Role(
            id=r.text(x, "id", p),
            acronym=r.text(x, "acronym", p),
            name=r.text(x, "name", p),
            number=int(r.text(x, "number", p)) if defined else None,
            focus=r.text(x, "focus", p) if defined else None,
            responsibilities=r.texts(x, "responsibilities", p) if defined else (),
            mcem_focus=r.text(x, "mcem_focus", p) if defined else None,
            group=group,
        )
        roles[role.id] = role
    _check_refs(r, (x.group for x in roles.values() if x.group), groups, "roles[].group", "group")
    units = {}
    for i, u in enumerate(r.items(d, "units", "")):
        p = f"units[{i}]"
        acc = r.node(u, "accountable_for", p)
        unit = Unit(
            id=r.text(u, "id", p),
            acronym=r.text(u, "acronym", p),
            name=r.text(u, "name", p),
            roles=r.texts(u, "roles", p),
            stages=r.texts(acc, "stages", f"{p}.accountable_for"),
            other_accountabilities=r.texts(acc, "other", f"{p}.accountable_for", allow_empty=True),
        )
        _check_refs(r, unit.roles, roles, f"{p}.roles", "role")
        _check_refs(r, unit.stages, (s.id for s in stages), f"{p}.accountable_for.stages", "stage")
        units[unit.id] = unit
    for i, s in enumerate(stages):
        _check_refs(r, [s.unit], units, f"stages[{i}].unit", "unit")
        if s.id not in units[s.unit].stages:
            raise r.fail(f"stages[{i}].unit", f"unit {s.unit!r} does not list stage {s.id!r}")
    collaboration = []
    for i, c in enumerate(r.items(d, "collaboration", "")):
        p = f"collaboration[{i}]"
        collab = Collaboration(r.text(c, "label", p), r.texts(c, "roles", p), r.text(c, "purpose", p))
        _check_refs(r, collab.roles, roles, f"{p}.roles", "role")
        collaboration.append(collab)
    assignments = {}
    for i, a in enumerate(r.items(d, "assignments", "")):
        p = f"assignments[{i}]"
        members = []
        for j, m in enumerate(r.items(a, "roles", p)):
            q = f"{p}.roles[{j}]"
            member = AssignmentRole(r.text(m, "role", q), r.text(m, "task", q))
            _check_refs(r, [member.role], roles, f"{q}.role", "role")
            members.append(member)
        assignment = Assignment(r.text(a, "id", p), r.text(a, "name", p), r.text(a, "description", p), tuple(members))
        assignments[assignment.id] = assignment
    overview = Overview(
        acronym=r.text(ov, "acronym", "overview"),
        name=r.text(ov, "name", "overview"),
        description=r.text(ov, "description", "overview"),
        mcaps=r.text(ov, "mcaps", "overview"),
        units_intro=r.text(d, "units_intro", ""),
    )
    return {
        "mcem": _document(r, d),
        "overview": overview,
        "groups": groups,
        "units": units,
        "mcem_stages": tuple(stages),
        "roles": roles,
        "collaboration": tuple(collaboration),
        "assignments": assignments,
    }


def _step(r: _Reader, raw: Any, path: str) -> Step:
    if isinstance(raw, str) and raw.strip():
        return Step(raw.strip())
    return Step(r.text(raw, "text", path), r.texts(raw, "sub_steps", path))


def _load_mssp(r: _Reader) -> dict[str, Any]:
    stages = []
    for i, s in enumerate(r.items(r.data, "stages", "")):
        p = f"stages[{i}]"
        stages.append(
            MsspStage(
                id=r.text(s, "id", p),
                name=r.text(s, "name", p),
                probability=r.text(s, "probability", p),
                objective=r.text(s, "objective", p),
                verifiable_outcome=r.text(s, "verifiable_outcome", p),
                checkpoints=r.texts(s, "checkpoints", p),
                key_steps=tuple(_step(r, k, f"{p}.key_steps[{j}]") for j, k in enumerate(r.items(s, "key_steps", p))),
                position=i,
            )
        )
    _unique(r, (s.id for s in stages), "stages")
    for i, s in enumerate(stages):
        if s.probability != "NA" and not (s.probability.endswith("%") and s.probability[:-1].isdigit()):
            raise r.fail(f"stages[{i}].probability", f"must be NA or a percentage, not {s.probability!r}")
    return {"mssp": _document(r, r.data), "mssp_stages": tuple(stages)}


def _load_glossary(r: _Reader) -> tuple[GlossaryTerm, ...]:
    terms = []
    for i, t in enumerate(r.items(r.data, "terms", "")):
        p = f"terms[{i}]"
        document = r.text(t, "document", p)
        if document not in ("mcem", "mssp", "both"):
            raise r.fail(f"{p}.document", "must be mcem, mssp or both")
        terms.append(
            GlossaryTerm(
                term=r.text(t, "term", p),
                aliases=r.texts(t, "aliases", p),
                expansion=r.optional_text(t, "expansion", p),
                document=document,
                quote=r.text(t, "quote", p),
                each=r.texts(t, "each", p) if "each" in t else (),
            )
        )
    return tuple(terms)


def _load_lexicon(r: _Reader, ids_by_type: dict[str, set[str]]) -> Lexicon:
    d = r.data
    aliases: dict[str, dict[str, tuple[str, ...]]] = {}
    for entity_type, by_id in r.node(d, "aliases", "").items():
        if entity_type not in ids_by_type:
            raise r.fail(f"aliases.{entity_type}", "unknown entity type")
        _check_refs(r, by_id, ids_by_type[entity_type], f"aliases.{entity_type}", entity_type)
        aliases[entity_type] = {k: r.texts(by_id, k, f"aliases.{entity_type}") for k in by_id}
    ambiguous = {t: frozenset(r.texts(r.node(d, "ambiguous", ""), t, "ambiguous")) for t in r.node(d, "ambiguous", "")}
    cues_node = r.node(d, "cues", "")
    if not isinstance(cues_node, dict):
        raise r.fail("cues", "must be a mapping of cue group -> phrases")
    for group in sorted(CUE_GROUPS - set(cues_node)):
        raise r.fail(f"cues.{group}", "missing: the understanding code reads this cue group")
    for group in sorted(set(cues_node) - CUE_GROUPS):
        raise r.fail(f"cues.{group}", f"unknown cue group: no code reads it (known: {', '.join(sorted(CUE_GROUPS))})")
    check = r.node(d, "check", "")
    answers_node = r.node(check, "answers", "check")
    commands_node = r.node(check, "commands", "check")
    return Lexicon(
        spellings=_word_map(r, d, "spellings"),
        aliases=aliases,
        ambiguous=ambiguous,
        cues={k: r.texts(cues_node, k, "cues") for k in cues_node},
        follow_up_openers=r.texts(d, "follow_up_openers", ""),
        check_start=r.texts(check, "start", "check"),
        answers={k: r.texts(answers_node, k, "check.answers") for k in ("yes", "no", "unsure")},
        commands={k: r.texts(commands_node, k, "check.commands") for k in ("help", "back", "cancel", "restart")},
        stopwords=frozenset(r.texts(d, "stopwords", "")),
        synonyms=_word_map(r, d, "synonyms", max_key_words=2),
    )


def _word_map(r: _Reader, d: Any, key: str, max_key_words: int = 1) -> dict[str, str]:
    """A word -> word(s) table ("" drops the word); a key YAML reads as something else (yes: -> True, 100: -> 100)
    is refused, so that it cannot silently never match ("yes" must be quoted), and so is a key of more words
    than the matcher reads together (spellings: one; synonyms: two, "verbal yes")."""
    table = r.node(d, key, "")
    if not isinstance(table, dict):
        raise r.fail(key, "must be a mapping of word -> word(s)")
    for k, v in table.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise r.fail(f"{key}.{k}", "word and replacement must both be text (quote yes, no, on, off and numbers)")
        if not 1 <= len(k.split()) <= max_key_words:
            raise r.fail(f"{key}.{k}", f"must be 1 to {max_key_words} words: longer keys are never matched")
    return dict(table)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"key {key!r} appears twice (again on line {line})")
        self.key = key


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key given twice in one mapping is an error: plain YAML
    keeps the last one silently, so an edit to the first copy would have no effect."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_StrictLoader)
    except FileNotFoundError:
        raise KnowledgeError(name, "-", f"file not found in {directory}") from None
    except _DuplicateKey as e:
        raise KnowledgeError(name, str(e.key), str(e)) from None
    except yaml.YAMLError as e:
        raise KnowledgeError(name, "-", f"not valid YAML: {e}") from None


ENGLISH_WORDS = "english_words.txt"


def _read_words(directory: Path, name: str) -> frozenset[str]:
    """One lower-case word a line; lines starting with # are comments (the word list's licence)."""
    try:
        lines = (directory / name).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise KnowledgeError(name, "-", f"file not found in {directory}") from None
    words = frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    bad = next((w for w in words if not w.isalpha() or not w.islower()), None)
    if bad is not None:
        raise KnowledgeError(name, bad, "must be one lower-case word a line")
    return words


def load_knowledge(directory: Path = DATA_DIR) -> KnowledgeBase:
    """Read and validate every data file; raise KnowledgeError naming the file and key at fault."""
    mcem = _load_mcem(_Reader("mcem.yaml", _read_yaml(directory, "mcem.yaml")))
    mssp = _load_mssp(_Reader("mssp.yaml", _read_yaml(directory, "mssp.yaml")))
    glossary = _load_glossary(_Reader("glossary.yaml", _read_yaml(directory, "glossary.yaml")))
    ids_by_type = {
        "mcem_stage": {s.id for s in mcem["mcem_stages"]},
        "unit": set(mcem["units"]),
        "role": set(mcem["roles"]),
        "group": set(mcem["groups"]),
        "assignment": set(mcem["assignments"]),
        "mssp_stage": {s.id for s in mssp["mssp_stages"]},
    }
    lexicon = _load_lexicon(_Reader("lexicon.yaml", _read_yaml(directory, "lexicon.yaml")), ids_by_type)
    lexicon = replace(lexicon, english_words=_read_words(directory, ENGLISH_WORDS))
    return KnowledgeBase(**mcem, **mssp, glossary=glossary, lexicon=lexicon)


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The knowledge base from knowledge/data, loaded once per process."""
    return load_knowledge()
