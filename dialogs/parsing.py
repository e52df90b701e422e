"""Reading what a user typed in a dialog: yes / no / not sure, commands, and "start a check for X"."""

from __future__ import annotations

from knowledge.index import KnowledgeIndex
from knowledge.model import Lexicon
from knowledge.normalize import normalize, stem

# Typed answers may carry a few more words ("yes we have", "no not yet"); longer text is a question.
MAX_ANSWER_WORDS = 6
COMMAND_FILLER = {"please", "pls", "the", "this", "my", "check", "now", "ok", "okay", "thanks", "i", "want", "to"}


def _plain(text: str) -> str:
    return " ".join(normalize(text).replace("-", " ").split())


def parse_answer(text: str, lexicon: Lexicon) -> str | None:
    """'yes' / 'no' / 'unsure' for a typed answer to a checkpoint, else None."""
    raw = text.strip()
    plain = _plain(raw)
    for answer in ("unsure", "no", "yes"):  # "not sure" before "not", "no" before "n"
        phrases = lexicon.answers[answer]
        if raw in phrases or plain in {_plain(p) for p in phrases if _plain(p)}:
            return answer
    words = plain.split()
    if not words or len(words) > MAX_ANSWER_WORDS:
        return None
    for answer in ("unsure", "no", "yes"):
        for phrase in sorted(lexicon.answers[answer], key=len, reverse=True):
            p = _plain(phrase).split()
            if p and len(p) <= len(words) and words[: len(p)] == p and (len(p) > 1 or len(p[0]) > 1):
                return answer
    return None


def parse_command(text: str, lexicon: Lexicon) -> str | None:
    """'help' / 'back' / 'cancel' / 'restart' when the whole message is that command."""
    plain = _plain(text)
    if not plain and text.strip() == "?":
        return "help"
    for command, phrases in lexicon.commands.items():
        if plain in {_plain(p) for p in phrases if _plain(p)}:
            return command
    # "cancel the check please", "go back please": a command with only filler around it. Anything
    # more ("exit criteria for Proof") is a question, not a command.
    words = [w for w in plain.split() if w not in COMMAND_FILLER]
    if words and len(words) < len(plain.split()):
        return parse_command(" ".join(words), lexicon)
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
    for phrase in sorted(ix.kb.lexicon.check_start, key=lambda p: -len(p.split())):
        p = _plain(phrase).split()
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
