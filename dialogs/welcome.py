"""What StageCoach says first: the welcome card, sent when someone starts a chat with it or it joins one."""

from __future__ import annotations

from typing import Any

from cards.render import Button, Choice, choice_card
from knowledge.answers import EXAMPLE_QUESTIONS


def welcome_card() -> dict[str, Any]:
    return choice_card(
        Choice(
            title="Welcome to StageCoach",
            text="Hi, I'm StageCoach. I answer questions about MCEM and MSSP and check your opportunities.",
            lines=(
                "Ask about MCEM roles, accountable units, stages and exit criteria, or about the MSSP "
                "sales stages: probability, objective, verifiable outcome, checkpoints and key steps.",
                "Say \u201cqualify\u201d to check an opportunity against a stage's checkpoints, one at a time.",
                "Everything I say comes from the MCEM Sales Roles Guide and the MSSP document.",
            ),
            buttons=(
                *(Button(q, question=q) for q in EXAMPLE_QUESTIONS[:3]),
                Button("Check an opportunity", {"action": "check.pick", "kind": "mssp"}, style="positive"),
            ),
        )
    )
