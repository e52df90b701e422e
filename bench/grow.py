"""A synthetically grown knowledge base: the real one plus (factor - 1) times as many made-up entities.

The made-up roles, units, MSSP stages (with checkpoints and key steps), glossary terms and aliases are
named with invented words mixed with the seeds' own words ("Customer Velkora Manager"), so they land
in the same index buckets as the real entities and the typo corrector's candidate lists really grow.
Seeded, so every run builds the same knowledge base.
"""

from __future__ import annotations

import dataclasses
import random

from knowledge.model import GlossaryTerm, KnowledgeBase, MsspStage, Role, Step, Unit

# Invented words are two or three of these syllables.
_SYLLABLE_TEXT = "ka lo ve tri mon dra sel qui bar nor fen zu zel or am pex tul rin sab gor vin thal mer dus pra lek om"
_SYLLABLES = (*_SYLLABLE_TEXT.split(), "bri", "cas", "tor", "wen", "yal")
# Seed words, so made-up entities share phrase buckets and lines with the real ones.
_QUALIFIERS = ("Customer", "Solution", "Account", "Cloud", "Technical", "Partner", "Industry", "Digital")
_TITLES = ("Manager", "Architect", "Specialist", "Executive", "Strategist", "Engineer", "Advisor", "Lead")
_VERBS = ("Drive", "Own", "Coordinate", "Review", "Secure", "Maintain", "Engage", "Validate", "Plan")
_OBJECTS = (
    "the customer success plan",
    "solution health and consumption",
    "technical validation with partners",
    "account planning and pipeline",
    "the business decision for the solution area",
    "RAID logs and deployment risks",
    "the sponsor letter and opportunity assessment",
    "usage and adoption milestones",
)
_STAGE_WORDS = ("Review", "Alignment", "Readiness", "Validation", "Planning", "Handover", "Adoption")


class _Names:
    """Unique invented words and acronyms that clash with nothing the real knowledge base says."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = set(taken)

    def word(self) -> str:
        while True:
            w = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.choice((2, 3, 3))))
            if w not in self.taken:
                self.taken.add(w)
                return w

    def acronym(self) -> str:
        while True:
            a = "".join(self.rng.choice("BCDFGHJKLMNPQRTVWXZ") for _ in range(self.rng.choice((3, 4, 4))))
            if a.lower() not in self.taken:
                self.taken.add(a.lower())
                return a


def _known_words(kb: KnowledgeBase) -> set[str]:
    from knowledge.index import build_index  # the real vocabulary: invented words must not collide with it

    acronyms = {r.acronym.lower() for r in kb.roles.values()} | {u.acronym.lower() for u in kb.units.values()}
    return set(build_index(kb).vocabulary) | acronyms


def _sentence(rng: random.Random, word: str) -> str:
    return f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} for {word.capitalize()} accounts"


def _role(names: _Names, i: int) -> Role:
    rng = names.rng
    word = names.word().capitalize()
    # Half the names lead with a seed word, as real titles do ("Cloud Solution Architect").
    name = f"{rng.choice(_QUALIFIERS)} {word} {rng.choice(_TITLES)}" if i % 2 else f"{word} {rng.choice(_TITLES)}"
    return Role(
        id=f"syn-role-{i}",
        acronym=names.acronym(),
        name=name,
        number=None,
        focus=_sentence(rng, word) + ".",
        responsibilities=tuple(_sentence(rng, word) for _ in range(4)),
        mcem_focus="Listen & Consult, Inspire & Design",
    )


def _unit(names: _Names, i: int, role_ids: tuple[str, ...]) -> Unit:
    word = names.word().capitalize()
    return Unit(
        id=f"syn-unit-{i}",
        acronym=names.acronym(),
        name=f"{word} {names.rng.choice(_QUALIFIERS)} Unit",
        roles=role_ids,
        stages=(),
        other_accountabilities=(_sentence(names.rng, word),),
    )


def _mssp_stage(names: _Names, i: int, position: int) -> MsspStage:
    rng = names.rng
    word = names.word().capitalize()
    steps = tuple(
        Step(_sentence(rng, word), tuple(_sentence(rng, word) for _ in range(2)) if k == 0 else ()) for k in range(5)
    )
    return MsspStage(
        id=f"syn-stage-{i}",
        name=f"{word} {rng.choice(_STAGE_WORDS)}",
        probability=f"{rng.randrange(5, 100, 5)}%" if i % 3 else "NA",
        objective=_sentence(rng, word),
        verifiable_outcome=f"{word.capitalize()} plan agreed with the sponsor",
        checkpoints=tuple(f"{word} checkpoint {k + 1}: {rng.choice(_OBJECTS)} agreed" for k in range(3)),
        key_steps=steps,
        position=position,
    )


def _term(names: _Names) -> GlossaryTerm:
    acronym = names.acronym()
    words = [names.word().capitalize(), names.rng.choice(_QUALIFIERS), names.rng.choice(("Plan", "Review", "Motion"))]
    expansion = " ".join(words)
    return GlossaryTerm(
        term=acronym,
        aliases=(acronym.lower(), expansion.lower()),
        expansion=expansion,
        document="mssp",
        quote=f"Maintain the {expansion} ({acronym}) with the account team",
    )


def grow_knowledge(kb: KnowledgeBase, factor: int, seed: int = 7) -> KnowledgeBase:
    """The real knowledge base plus (factor - 1) times as many invented roles, units, stages and terms."""
    if factor <= 1:
        return kb
    names = _Names(random.Random(seed), _known_words(kb))
    extra = factor - 1
    roles = dict(kb.roles)
    units = dict(kb.units)
    aliases = {kind: dict(by_id) for kind, by_id in kb.lexicon.aliases.items()}
    new_roles = [_role(names, i) for i in range(len(kb.roles) * extra)]
    for role in new_roles:
        roles[role.id] = role
        aliases.setdefault("role", {})[role.id] = (role.name.lower(), role.acronym.lower(), role.acronym.lower() + "s")
    role_ids = [r.id for r in new_roles]
    per_unit = max(1, len(role_ids) // max(1, len(kb.units) * extra))
    for i in range(len(kb.units) * extra):
        unit = _unit(names, i, tuple(role_ids[i * per_unit : (i + 1) * per_unit]))
        units[unit.id] = unit
        aliases.setdefault("unit", {})[unit.id] = (unit.name.lower(), unit.acronym.lower())
    stages = list(kb.mssp_stages)
    for i in range(len(kb.mssp_stages) * extra):
        stage = _mssp_stage(names, i, len(stages))
        stages.append(stage)
        aliases.setdefault("mssp_stage", {})[stage.id] = (stage.name.lower(), stage.name.split()[0].lower() + " stage")
    glossary = kb.glossary + tuple(_term(names) for _ in range(len(kb.glossary) * extra))
    lexicon = dataclasses.replace(kb.lexicon, aliases=aliases)
    # The by-id caches are init fields: pass fresh ones, or replace() would share (and fill) the real KB's.
    return dataclasses.replace(
        kb,
        roles=roles,
        units=units,
        mssp_stages=tuple(stages),
        glossary=glossary,
        lexicon=lexicon,
        _mcem_by_id={},
        _mssp_by_id={},
    )
