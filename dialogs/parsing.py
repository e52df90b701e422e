"""Reading what a user typed in a dialog: yes / no / not sure, commands, and "start a check for X"."""

from __future__ import annotations

from functools import lru_cache

from knowledge.index import KnowledgeIndex
from knowledge.model import Lexicon
from knowledge.normalize import normalize, stem

# Typed answers may carry a few more words ("yes we have", "no not yet"); longer text is a question.
MAX_ANSWER_WORDS = 6
COMMAND_FILLER = {"please", "pls", "the", "this", "my", "check", "now", "ok", "okay", "thanks", "i", "want", "to"}


def _plain(text: str) -> str:
    return " ".join(normalize(text).replace("-", " ").split())


@lru_cache(maxsize=64)
def _plain_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The lexicon's phrases as word tuples, longest first; computed once per phrase list, not per message."""
    words = {tuple(_plain(p).split()) for p in phrases}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


def parse_answer(text: str, lexicon: Lexicon) -> str | None:
    """'yes' / 'no' / 'unsure' for a typed answer to a checkpoint, else None."""
    raw = text.strip()
    words = tuple(_plain(raw).split())
    for answer in ("unsure", "no", "yes"):  # "not sure" before "not", "no" before "n"
        if raw in lexicon.answers[answer] or words in _plain_phrases(lexicon.answers[answer]):
            return answer
    if not words or len(words) > MAX_ANSWER_WORDS:
        return None
    for answer in ("unsure", "no", "yes"):
        for phrase in _plain_phrases(lexicon.answers[answer]):
            if len(phrase) <= len(words) and words[: len(phrase)] == phrase and (len(phrase) > 1 or len(phrase[0]) > 1):
                return answer
    return None


def parse_command(text: str, lexicon: Lexicon) -> str | None:
    """'help' / 'back' / 'cancel' / 'restart' when the whole message is that command."""
    plain = _plain(text)
    if not plain and text.strip() == "?":
        return "help"
    words = tuple(plain.split())
    for command, phrases in lexicon.commands.items():
        if words and words in _plain_phrases(phrases):
            return command
    # "cancel the check please", "go back please": a command with only filler around it. Anything
    # more ("exit criteria for Proof") is a question, not a command.
    kept = [w for w in words if w not in COMMAND_FILLER]
    if kept and len(kept) < len(words):
        return parse_command(" ".join(kept), lexicon)
    return None


def parse_check_start(text: str, ix: KnowledgeIndex) -> tuple[bool, str | None, str | None]:
    """(starts a check, "mssp" | "mcem" | None, stage id | None).

    "qualify" leads a message ("qualify", "qualify Qualify"); the other phrases may stand anywhere
    ("start a qualification check for the Develop stage", "check my opportunity against Close").
    """
    words = _plain(text).split()
    if not words:
        return False, None, None
    trigger: tuple[int, int] | None = None
    for phrase in _plain_phrases(ix.kb.lexicon.check_start):
        p = list(phrase)
        if p == ["qualify"]:
            if words[0] == "qualify":
                trigger = (0, 1)
                break
            continue
        for i in range(len(words) - len(p) + 1):
            if words[i : i + len(p)] == p:
                trigger = (i, i + len(p))
                break
        if trigger:
            break
    if trigger is None:
        return False, None, None
    rest = words[: trigger[0]] + words[trigger[1] :]
    kind, stage = find_stage(" ".join(rest), ix, prefer_mcem="exit" in words)
    return True, kind, stage


def find_stage(text: str, ix: KnowledgeIndex, prefer_mcem: bool = False) -> tuple[str | None, str | None]:
    """The first MSSP or MCEM stage named in text, everyday words included ("close" is Close here)."""
    stems = [stem(ix.correct(w)) for w in _plain(text).split()]
    mssp = mcem = None
    for m in ix.entities.longest_matches(stems):
        if m.kind == "mssp_stage" and mssp is None:
            mssp = m.key
        if m.kind == "mcem_stage" and mcem is None:
            mcem = m.key
    if mcem and (prefer_mcem or not mssp):
        return "mcem", mcem
    if mssp:
        return "mssp", mssp
    return None, None
