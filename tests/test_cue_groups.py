"""Every cue group the understanding code names is one knowledge/cue_groups.py declares (and the loader
checks lexicon.yaml against that list), so a typo in a group's name cannot silently never match."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.cue_groups import CUE_GROUPS
from knowledge.loader import default_knowledge

CODE = Path(__file__).resolve().parents[1] / "knowledge"
# f.has("owner", "who"), f.cue_spans.get("tag_question"), cues & {"checkpoints", ...}
NAMED = re.compile(r"""(?:\.has\(|cue_spans(?:\.get\(|\[))((?:\s*"[a-z_]+"\s*,?)+)""")


def _named_in_code() -> set[str]:
    names: set[str] = set()
    for path in CODE.rglob("*.py"):
        for match in NAMED.finditer(path.read_text(encoding="utf-8")):
            names |= set(re.findall(r'"([a-z_]+)"', match.group(1)))
    return names


def test_every_group_the_code_names_is_declared() -> None:
    named = _named_in_code()
    assert named, "the pattern no longer finds the code's cue look-ups"
    assert named - CUE_GROUPS == set()


def test_the_lexicon_defines_exactly_the_declared_groups() -> None:
    assert set(default_knowledge().lexicon.cues) == CUE_GROUPS
