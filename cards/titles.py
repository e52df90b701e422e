"""Button titles short enough for a 240 px card (Teams on a phone in split view).

Teams draws a button title on one line and cuts what does not fit with "...": on a 240 px card about
20 characters fit. A button that asks a question keeps the whole question in its data and displayText
(what the chat shows once pressed) and in its tooltip; its title is a short form of it, made here.
Every button of every card goes through button_title (cards/templates/_macros.j2).
"""

from __future__ import annotations

import re

MAX_TITLE = 20
ELLIPSIS = "\u2026"

_ASPECTS = r"checkpoints|key steps|exit criteria|objective|probability|verifiable outcome"
# The aspect in one word, for the last resort "Steps: Demand Generation".
_SHORT_ASPECT = {"key steps": "Steps", "exit criteria": "Exit", "verifiable outcome": "Outcome"}
# A stage's aspect is titled the same way whatever the length, so a row of them reads alike.
_ASPECT_QUESTION = re.compile(
    rf"^(?:what (?:are|is) the )?(?P<aspect>{_ASPECTS}) (?:for|of|at|in) (?:the )?(?P<x>.+?)(?: stage)?\??$",
    re.IGNORECASE,
)
# Question shapes and their short forms, tried in order; the first form that fits is the title.
# {x} is the thing asked about (a stage, a role, an assignment), {aspect} what about it.
_SHORT_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_ASPECT_QUESTION, ("{x} {aspect}", "{Aspect}: {x}")),
    *(
        (re.compile(pattern, re.IGNORECASE), forms)
        for pattern, forms in (
            (r"^(?:run |check )?the exit criteria (?:check )?for (?P<x>.+?)\??$", ("Check {x}", "Exit check: {x}")),
            (r"^who owns (?P<x>.+?)\??$", ("{x} owner", "Owner: {x}")),
            (r"^re-check (?P<x>.+)$", ("Check again",)),
            (r"^which unit is the (?P<x>\S+) in\??$", ("{x}'s unit",)),
            (r"^what is the (?P<x>\S+) involved in\??$", ("{x} involvement", "{x}'s work")),
            (r"^who is involved in (?P<x>.+?)\??$", ("Who's in {x}?", "{x} roles")),
            (r"^what does (?:the|a|an) (?P<x>\S+) do in (?P<y>.+?)\??$", ("{x} in {y}",)),
            (r"^what does (?:the|a|an) (?P<x>\S+) do\??$", ("{x}'s role",)),
            (r"^what is the (?P<x>\S+) accountable for\??$", ("{x} accountabilities", "{x} duties")),
            (r"^tell me about the (?P<x>.+?)(?: stage)?$", ("{x} stage", "{x}")),
        )
    ),
)


# Commands offered as buttons, titled by what they do ("qualify" alone reads as the stage Qualify).
_COMMAND_TITLES = {"qualify": "Check an opportunity", "help": "Ask a question"}


def question_title(question: str, limit: int = MAX_TITLE) -> str:
    """The title of a button that asks question (a suggestion): a command by what it does, else short."""
    return _COMMAND_TITLES.get(question.strip().lower()) or button_title(question, limit)


def sibling_titles(questions: tuple[str, ...]) -> tuple[str, ...]:
    """Titles for a row of questions that differ only at the end ("Key steps for Qualify", "Key steps
    for Proof", ...): each titled by what differs, since the card's headline asks the rest."""
    if len(questions) < 3:
        return tuple(button_title(q) for q in questions)
    words = [q.split() for q in questions]
    shared = 0
    while all(len(w) > shared + 1 and w[shared] == words[0][shared] for w in words):
        shared += 1
    same_end = all(w[-1] == words[0][-1] for w in words)
    if shared < 2 or same_end:
        return tuple(button_title(q) for q in questions)
    return tuple(button_title(" ".join(w[shared:]).rstrip("?")) for w in words)


def button_title(text: str, limit: int = MAX_TITLE) -> str:
    """A title that fits a phone's button: the text itself if short, else a short form of it."""
    text = " ".join(text.split())
    if len(text) <= limit and not _ASPECT_QUESTION.match(text):
        return _capitalised(text)
    for pattern, forms in _SHORT_FORMS:
        found = pattern.match(text)
        if not found:
            continue
        parts = {k: v for k, v in found.groupdict().items() if v}
        if "aspect" in parts:
            parts["aspect"] = parts["aspect"].lower()
            parts["Aspect"] = _SHORT_ASPECT.get(parts["aspect"], _capitalised(parts["aspect"]))
        candidates = [_capitalised(form.format(**parts)) for form in forms]
        for candidate in candidates:
            if len(candidate) <= limit:
                return candidate
        return _cut(candidates[-1], limit)
    return _cut(_capitalised(text), limit)


def _capitalised(text: str) -> str:
    # "qualify" on a button reads as a typo; the question sent stays as it was.
    return text[:1].upper() + text[1:]


def _cut(text: str, limit: int) -> str:
    """The longest start of text that fits with an ellipsis, ending at a word where one is close."""
    head = text[: limit - 1]
    space = head.rfind(" ")
    # Back off to a word boundary, unless the cut is at one, or backing off leaves only a label
    # ("Owner:") or too little.
    at_boundary = text[limit - 1 : limit] == " "
    if not at_boundary and space >= limit * 0.5 and not head[:space].endswith(":"):
        head = head[:space]
    return head.rstrip(" ,;&-") + ELLIPSIS
