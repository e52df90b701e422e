"""Render Adaptive Cards (schema 1.5, what Teams renders) from the Jinja2 templates in cards/templates.

Templates produce JSON text; every value is JSON-escaped by the |j filter, and text that may come from
a user also passes |md so it cannot inject markdown. The result is parsed back, so a template bug
fails loudly here instead of in Teams.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from knowledge.answers import Answer, Item, Section

TEMPLATES = Path(__file__).resolve().parent / "templates"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses messages over ~28 KB; keep each card well below with room for the activity envelope.
MAX_CARD_BYTES = 25_000
RUN_CHECK_LABEL = "Run the checkpoint check"
RUN_EXIT_CHECK_LABEL = "Run the exit criteria check"

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    """Text shown as-is in a TextBlock: Teams would otherwise read *, _, [..](..) and # as markdown."""
    return _MARKDOWN.sub(r"\\\1", text)


def _json_string(value: Any) -> str:
    # What json.dumps(text, ensure_ascii=False) returns, without building an encoder per call (about
    # 25 strings per card; the per-call encoder was a quarter of the rendering time).
    return encode_basestring("" if value is None else str(value))


_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SIZE_JSON = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,  # JSON, not HTML: escaping is explicit through |j
        keep_trailing_newline=False,
        auto_reload=False,  # templates are part of the release: no file check on every render
    )
    env.filters["j"] = _json_string
    env.filters["md"] = escape_markdown
    env.filters["tojson_compact"] = _COMPACT_JSON.encode
    return env


class CardTooLarge(ValueError):
    pass


def render(template: str, **data: Any) -> dict[str, Any]:
    text = _environment().get_template(template).render(**data)
    card = json.loads(text)
    size = len(_SIZE_JSON.encode(card).encode("utf-8"))
    if size > MAX_CARD_BYTES:
        raise CardTooLarge(f"{template} rendered {size} bytes, over {MAX_CARD_BYTES}")
    return card


@dataclass(frozen=True)
class Button:
    title: str
    data: dict[str, Any] | None = None
    question: str | None = None  # a button that asks this question
    style: str | None = None


@dataclass(frozen=True)
class Choice:
    """A card that asks the user to pick: a stage, a reading, whether to switch checks."""

    title: str
    text: str
    buttons: tuple[Button, ...]
    lines: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()


def answer_card(answer: Answer) -> dict[str, Any]:
    label = RUN_EXIT_CHECK_LABEL if answer.check and answer.check[0] == "mcem" else RUN_CHECK_LABEL
    return render("answer.json.j2", a=answer, check_label=label)


def choice_card(choice: Choice) -> dict[str, Any]:
    return render("choice.json.j2", c=choice)


@dataclass(frozen=True)
class QuestionView:
    """One checkpoint, asked: the dialog fills it in, the template shows it."""

    check_id: str
    step: int  # 0-based
    total: int
    title: str
    subtitle: str
    text: str
    question: str
    note: str | None = None
    answer_label: str | None = None
    answer_color: str = "Default"

    @property
    def number(self) -> int:
        return self.step + 1

    @property
    def prompt_text(self) -> str:
        return f"Checkpoint {self.number} of {self.total}: {self.text}. {self.question}"

    def data(self, answer: str) -> dict[str, Any]:
        return {"action": "check.answer", "check": self.check_id, "step": self.step, "answer": answer}

    def command(self, name: str) -> dict[str, Any]:
        return {"action": f"check.{name}", "check": self.check_id, "step": self.step}


def question_card(view: QuestionView) -> dict[str, Any]:
    return render("check_question.json.j2", q=view)


@dataclass(frozen=True)
class SummaryRow:
    mark: str
    text: str


@dataclass(frozen=True)
class SummarySection:
    heading: str
    items: tuple[Item, ...]
    numbered: bool = False


@dataclass(frozen=True)
class SummaryView:
    title: str
    headline: str
    sentence: str
    rows: tuple[SummaryRow, ...]
    sections: tuple[SummarySection, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    source: str = ""
    buttons: tuple[Button, ...] = field(default=())


def summary_card(view: SummaryView) -> dict[str, Any]:
    return render("check_summary.json.j2", s=view)


def card_buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a card, in the order a person sees them: rows in the body, then the action bar."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ActionSet":
                found.extend(a for a in node.get("actions", []) if isinstance(a, dict))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    found.extend(a for a in card.get("actions", []) if isinstance(a, dict))
    return found


def card_text(card: dict[str, Any]) -> str:
    """A plain-text reading of a card, for the terminal chat and for logs of what was said."""
    lines: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "TextBlock":
                lines.append(str(node.get("text", "")))
            elif kind == "RichTextBlock":  # runs on one line: "Checkpoint 2 of 4   ● ● ○ ○"
                runs = node.get("inlines", [])
                lines.append("".join(r if isinstance(r, str) else str(r.get("text", "")) for r in runs).strip())
                return
            elif kind == "FactSet":
                lines.extend(f"  {f.get('title')}: {f.get('value')}" for f in node.get("facts", []))
            elif kind == "ActionSet":  # buttons in the body (rows of choices) are buttons too
                buttons.extend(a.get("title", "") for a in node.get("actions", []))
            for key, value in node.items():
                if key not in ("actions", "facts"):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    buttons: list[str] = []
    walk(card.get("body", []))
    buttons += [a.get("title", "") for a in card.get("actions", [])]
    if buttons:
        lines.append("[" + "] [".join(buttons) + "]")
    return "\n".join(line for line in lines if line)
