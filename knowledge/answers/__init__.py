"""Answers: a Frame plus the knowledge base -> an Answer object that any renderer (card, text) can show.

One module per topic (mcem, roles, mssp, order, overview, composed, conversation); base holds what they
share. Which builder answers which kind of question is declared once, in knowledge/kinds.py.
"""

from knowledge.answers.base import Answer, Item, Section, role_label, unit_label
from knowledge.answers.conversation import (
    EXAMPLE_QUESTIONS,
    did_you_mean,
    fallback,
    greeting,
    help_answer,
    thanks,
    too_long,
)

__all__ = [
    "EXAMPLE_QUESTIONS",
    "Answer",
    "Item",
    "Section",
    "did_you_mean",
    "fallback",
    "greeting",
    "help_answer",
    "role_label",
    "thanks",
    "too_long",
    "unit_label",
]
