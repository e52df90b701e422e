"""The knowledge base as plain, immutable Python objects: what the two seed documents say."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    short_title: str
    file: str


@dataclass(frozen=True)
class Step:
    """A key step; some key steps carry nested sub-steps ("... including:")."""

    text: str
    sub_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class McemStage:
    id: str
    name: str
    exit_criteria: str
    unit: str
    position: int


@dataclass(frozen=True)
class Unit:
    id: str
    acronym: str
    name: str
    roles: tuple[str, ...]
    stages: tuple[str, ...]
    other_accountabilities: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """The overview's "Commercial Executives (CE)" and "Solution Engineers (SE)"."""

    id: str
    acronym: str
    name: str
    description: str


@dataclass(frozen=True)
class Role:
    id: str
    acronym: str
    name: str
    number: int | None = None
    focus: str | None = None
    responsibilities: tuple[str, ...] = ()
    mcem_focus: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Collaboration:
    label: str
    roles: tuple[str, ...]
    purpose: str


@dataclass(frozen=True)
class AssignmentRole:
    role: str
    task: str


@dataclass(frozen=True)
class Assignment:
    """One of the MAP / COMPETE / EXPAND / MODERNIZE role assignments."""

    id: str
    name: str
    description: str
    roles: tuple[AssignmentRole, ...]


@dataclass(frozen=True)
class MsspStage:
    id: str
    name: str
    probability: str  # "NA" where the seed table says NA, otherwise e.g. "10%"
    objective: str
    verifiable_outcome: str
    checkpoints: tuple[str, ...]
    key_steps: tuple[Step, ...]
    position: int


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    aliases: tuple[str, ...]
    expansion: str | None
    document: str
    quote: str
    # A paired term read one by one ("MQP/SQP": "MQP: Marketing Qualified Prospect", ...), from its expansion.
    each: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overview:
    acronym: str
    name: str
    description: str
    mcaps: str
    units_intro: str


@dataclass(frozen=True)
class Lexicon:
    spellings: dict[str, str]
    aliases: dict[str, dict[str, tuple[str, ...]]]
    ambiguous: dict[str, frozenset[str]]
    cues: dict[str, tuple[str, ...]]
    follow_up_openers: tuple[str, ...]
    check_start: tuple[str, ...]
    answers: dict[str, tuple[str, ...]]
    commands: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    synonyms: dict[str, str]
    # Real English words (knowledge/data/english_words.txt): the typo corrector leaves them alone.
    english_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class KnowledgeBase:
    mcem: Document
    mssp: Document
    overview: Overview
    groups: dict[str, Group]
    units: dict[str, Unit]
    mcem_stages: tuple[McemStage, ...]
    roles: dict[str, Role]
    collaboration: tuple[Collaboration, ...]
    assignments: dict[str, Assignment]
    mssp_stages: tuple[MsspStage, ...]
    glossary: tuple[GlossaryTerm, ...]
    lexicon: Lexicon
    _mcem_by_id: dict[str, McemStage] = field(default_factory=dict, repr=False)
    _mssp_by_id: dict[str, MsspStage] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._mcem_by_id.update({s.id: s for s in self.mcem_stages})
        self._mssp_by_id.update({s.id: s for s in self.mssp_stages})

    def mcem_stage(self, stage_id: str) -> McemStage:
        return self._mcem_by_id[stage_id]

    def mssp_stage(self, stage_id: str) -> MsspStage:
        return self._mssp_by_id[stage_id]

    def unit_of_role(self, role_id: str) -> Unit | None:
        return next((u for u in self.units.values() if role_id in u.roles), None)

    def next_mssp(self, stage: MsspStage) -> MsspStage | None:
        i = stage.position + 1
        return self.mssp_stages[i] if i < len(self.mssp_stages) else None

    def previous_mssp(self, stage: MsspStage) -> MsspStage | None:
        return self.mssp_stages[stage.position - 1] if stage.position > 0 else None

    def next_mcem(self, stage: McemStage) -> McemStage | None:
        i = stage.position + 1
        return self.mcem_stages[i] if i < len(self.mcem_stages) else None

    def previous_mcem(self, stage: McemStage) -> McemStage | None:
        return self.mcem_stages[stage.position - 1] if stage.position > 0 else None
