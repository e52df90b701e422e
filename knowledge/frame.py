"""What a question asks: a kind (one of knowledge/kinds.py) plus slots (entity ids and parameters).

A Frame is stored with the conversation (the previous answer's Frame is the context of a follow-up),
so it round-trips through plain JSON and is re-checked when read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Frame:
    """What a question asks. slots hold entity ids: mcem_stage, mssp_stage, unit, role, assignment, ..."""

    kind: str
    slots: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "slots": dict(self.slots)}

    @staticmethod
    def from_dict(data: Any) -> Frame | None:
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            return None
        slots = data.get("slots")
        return Frame(data["kind"], dict(slots) if isinstance(slots, dict) else {})
