"""What every answer is made of (Answer, Section, Item) and the phrasing helpers the topics share.

Every sentence an answer says either quotes the documents or says plainly that they do not say something.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.frame import Frame
from knowledge.model import KnowledgeBase, MsspStage, Role, Step, Unit


@dataclass(frozen=True)
class Item:
    text: str
    sub_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Answer:
    kind: str
    title: str
    headline: str
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    note: str | None = None
    source: str | None = None
    suggestions: tuple[str, ...] = ()
    check: tuple[str, str] | None = None  # ("mssp" | "mcem", stage id): offer the guided check
    context: Frame | None = None  # what a follow-up question refers back to
    confidence: float = 1.0
    extra_text: tuple[str, ...] = field(default=())
    lead: str | None = None  # a sentence sent as the message's own text, above the card (yes/no verdicts)

    @property
    def text(self) -> str:
        """The answer as plain text: the reply's text, for screen readers and clients without cards."""
        parts = [self.headline, *self.extra_text]
        return " ".join(p for p in parts if p)


def role_label(role: Role) -> str:
    return f"{role.acronym} ({role.name})"


def unit_label(unit: Unit) -> str:
    return f"{unit.acronym} ({unit.name})"


def roles_of(kb: KnowledgeBase, unit: Unit) -> str:
    return ", ".join(role_label(kb.roles[r]) for r in unit.roles)


def step_items(steps: tuple[Step, ...]) -> tuple[Item, ...]:
    return tuple(Item(s.text, s.sub_steps) for s in steps)


def text_items(texts: tuple[str, ...] | list[str]) -> tuple[Item, ...]:
    return tuple(Item(t) for t in texts)


def mcem_source(kb: KnowledgeBase) -> str:
    return kb.mcem.title


def mssp_source(kb: KnowledgeBase) -> str:
    # Not the full title: "Microsoft Solution Sales Process" would name the Solution stage in every answer.
    return f"{kb.mssp.short_title} document"


def probability_text(stage: MsspStage) -> str:
    return "NA (the table gives no probability)" if stage.probability == "NA" else stage.probability


def join(parts: list[str], last: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def acronym(kb: KnowledgeBase, role_id: str) -> str:
    if role_id in kb.units:
        return kb.units[role_id].acronym
    return "CE" if role_id == "ce" else kb.roles[role_id].acronym


def role_or_group_label(kb: KnowledgeBase, role_id: str) -> str:
    if role_id == "ce":
        return "CE (Commercial Executives)"
    if role_id in kb.units:
        unit = kb.units[role_id]
        return f"{unit_label(unit)}, whose roles are {roles_of(kb, unit)}"
    return role_label(kb.roles[role_id])


def sources(kb: KnowledgeBase, domain: str) -> str:
    return {"mcem": kb.mcem.title, "mssp": mssp_source(kb)}.get(domain, f"{kb.mcem.title}; {mssp_source(kb)}")


def silent(kb: KnowledgeBase, frame: Frame, sentence: str) -> Answer:
    return Answer(kind="silent", title="Not in the guides", headline=sentence, source=None, context=frame)
