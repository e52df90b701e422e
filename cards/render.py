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

from cards.titles import button_title, question_title, sibling_titles
from knowledge.answers import Answer, Item, Section

TEMPLATES = Path(__file__).resolve().parent / "templates"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses messages over ~28 KB; keep each card well below with room for the activity envelope.
MAX_CARD_BYTES = 25_000
# Short enough for a button on a 240 px card (Teams' split view on a phone): see button_title.
RUN_CHECK_LABEL = "Check my opportunity"
RUN_EXIT_CHECK_LABEL = "Check exit criteria"

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")
# Answer kinds whose lists are in an order that matters (steps to take, stages in sequence): numbered.
ORDERED_KINDS = frozenset({"mssp.key_steps", "order.list"})
# A FactSet puts labels in a column up to 150 px wide (Teams' host config): on a 240 px card that leaves
# the values under 120 px unless every label is short. Longer labels or values go on one line each,
# "**Label:** value", wrapping across the whole card.
FACT_TABLE_MAX_LABEL = 7
FACT_TABLE_MAX_VALUE = 60
# What a summary (speak, the notification) lists before it says "and N more".
SPOKEN_ITEMS = 5


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
    env.filters["button_title"] = button_title
    env.filters["question_title"] = question_title
    env.tests["fact_table"] = facts_fit_table
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


def facts_fit_table(pairs: tuple[tuple[str, str], ...]) -> bool:
    """Whether facts read well as a two-column FactSet on a phone: short labels, short values."""
    return all(len(k) <= FACT_TABLE_MAX_LABEL and len(v) <= FACT_TABLE_MAX_VALUE for k, v in pairs)


def sentence(text: str) -> str:
    """text as a sentence for a notification or a screen reader: ends in . ? or !, never in a colon."""
    text = " ".join(text.split()).rstrip(" :;,")
    if not text or text.rstrip("\u201d\"')")[-1:] in (".", "?", "!"):
        return text
    return text + "."


def spoken_list(texts: list[str], limit: int = SPOKEN_ITEMS, last: str = "and") -> str:
    """ "a, b and c"; a long list by its first items: "a, b, c, d, e and 4 more"."""
    texts = [t.rstrip(" .;,") for t in texts]
    if len(texts) <= 1:
        return "".join(texts)
    sep = "; " if any("," in t for t in texts) else ", "
    if len(texts) <= limit:
        return sep.join(texts[:-1]) + f" {last} " + texts[-1]
    return sep.join(texts[:limit]) + f" and {len(texts) - limit} more"


def _spoken_fact(label: str, value: str) -> str:
    return f"{label} {value}" if len(value) <= 12 else f"{label}, {value}"


def answer_speech(answer: Answer) -> str:
    """The answer as one or two complete sentences: the card's speak and the message's summary.

    Built from the Answer's fields alone, so it holds for any kind: a headline that introduces a list
    ("The probability at each of the nine MSSP stages:") is completed with the facts or the items.
    """
    text = answer.text.strip()
    if answer.kind == "did_you_mean" and answer.suggestions:
        quoted = [f"\u201c{q}\u201d" for q in answer.suggestions]
        return f"I'm not sure what you mean. Did you mean {spoken_list(quoted, last='or')}?"
    if text.endswith(":"):
        if answer.facts:
            text += " " + spoken_list([_spoken_fact(k, v) for k, v in answer.facts])
        elif len(answer.sections) > 1:  # one section per thing (a stage, a role): name the things
            text += " " + spoken_list([section.heading for section in answer.sections])
        elif answer.sections and answer.sections[0].items:
            text += " " + spoken_list([item.text for item in answer.sections[0].items])
    return sentence(text)


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
    in_rows = len(answer.suggestions) + (1 if answer.check else 0) > 6
    # A row of many questions is a choice among siblings: each button titled by what differs.
    titles = sibling_titles(answer.suggestions) if in_rows else tuple(map(question_title, answer.suggestions))
    return render(
        "answer.json.j2",
        a=answer,
        in_rows=in_rows,
        suggestions=tuple(Button(t, question=q) for t, q in zip(titles, answer.suggestions, strict=True)),
        check_label=label,
        speak=answer_speech(answer),
        numbered=answer.kind in ORDERED_KINDS,
    )


def choice_card(choice: Choice) -> dict[str, Any]:
    return render("choice.json.j2", c=choice, speak=sentence(" ".join((choice.text, *choice.lines[:1]))))


# The answer buttons of a checkpoint card, and the answer shown once given: each says what it means.
ANSWER_TITLES = {"yes": "Yes, met", "no": "Not yet", "unsure": "Not sure"}
BACK_TITLE = "Previous checkpoint"


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
    def progress(self) -> str:
        return f"Checkpoint {self.number} of {self.total}"

    @property
    def prompt_text(self) -> str:
        """What the card says aloud: the question, or once answered, what was recorded."""
        if self.answer_label:
            return f"Recorded \u201c{self.answer_label}\u201d for {self.progress.lower()}: {sentence(self.text)}"
        return f"{self.progress}: {sentence(self.text)} {self.question}"

    def data(self, answer: str) -> dict[str, Any]:
        return {"action": "check.answer", "check": self.check_id, "step": self.step, "answer": answer}

    def command(self, name: str) -> dict[str, Any]:
        return {"action": f"check.{name}", "check": self.check_id, "step": self.step}


def question_card(view: QuestionView) -> dict[str, Any]:
    return render("check_question.json.j2", q=view, titles=ANSWER_TITLES, back_title=BACK_TITLE)


@dataclass(frozen=True)
class SummaryRow:
    """One checkpoint in a summary, shown on one line: "✅ Met: Pain admitted by sponsor"."""

    mark: str  # an emoji, for the eye; the status word says the same for everyone
    status: str
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


_BOLD = re.compile(r"(?<!\\)\*\*")
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>#|~])")


def plain_text(markdown: str) -> str:
    """A TextBlock's text as it reads: without **bold** marks and markdown escapes."""
    return _ESCAPED.sub(r"\1", _BOLD.sub("", markdown))


def card_text(card: dict[str, Any]) -> str:
    """A plain-text reading of a card, for the terminal chat and for logs of what was said."""
    lines: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "TextBlock":
                lines.append(plain_text(str(node.get("text", ""))))
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
