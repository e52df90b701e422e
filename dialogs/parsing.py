"""Reading what a user typed in a dialog: yes / no / not sure, commands, and "start a check for X"."""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.compose import PUNCTUATION, TIME_UNITS, WH_WORDS
from knowledge.index import KnowledgeIndex
from knowledge.model import Lexicon
from knowledge.normalize import normalize, stem

# Typed answers may carry a few more words ("yes we have", "no not yet"); longer text is a question.
MAX_ANSWER_WORDS = 6
# ... and an answer set apart by a comma or full stop may be followed by why ("Yes, Maria met their CFO").
MAX_EXPLAINED_ANSWER_WORDS = 30
COMMAND_FILLER = {"please", "pls", "the", "this", "my", "check", "now", "ok", "okay", "thanks", "i", "want", "to",
                  "actually", "nah", "no", "nope", "that", "not", "lets", "let", "us", "oh", "hmm", "just", "can",
                  "we", "you", "for", "sorry", "ta", "checking", "thx", "cheers", "there", "here", "thank",
                  "today", "at", "point"}  # fmt: skip


# "@StageCoach can you ...", "@priya fyi": a handle typed as plain text addresses someone; it asks nothing.
_HANDLE = re.compile(r"(?<!\S)@[^\W\d_][\w.\-]{0,39}")  # (a name: "@60%" is "at 60%")


def without_handles(text: str) -> str:
    """The text without typed @handles (a real Teams mention is taken out before this, in bot/)."""
    return _HANDLE.sub(" ", text).strip() if "@" in text else text


def _plain(text: str) -> str:
    return " ".join(normalize(text).replace("-", " ").split())


@lru_cache(maxsize=64)
def _plain_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The lexicon's phrases as word tuples, longest first; computed once per phrase list, not per message."""
    words = {tuple(_plain(p).split()) for p in phrases}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


_HEDGES = frozenset({"not", "but", "unsure", "maybe", "idk", "no", "yes", "partly", "partially"})
# Words that only ever answer yes or no when they open a message.
_PLAIN_ANSWER_WORDS = {
    **dict.fromkeys(("yes", "yep", "yeah", "yup", "ya"), "yes"),
    **dict.fromkeys(("no", "nope", "nah"), "no"),
}


def parse_answer(text: str, lexicon: Lexicon) -> str | None:
    """'yes' / 'no' / 'unsure' for a typed answer to a checkpoint, else None."""
    raw = text.strip()
    words = tuple(_plain(raw).split())
    for answer in ("unsure", "no", "yes"):  # "not sure" before "not", "no" before "n"
        if raw in lexicon.answers[answer] or words in _plain_phrases(lexicon.answers[answer]):
            return answer
    if not words:
        return None
    if len(words) > MAX_ANSWER_WORDS:
        # "Yes, Maria met their CFO last week.": an answer word set apart, then why; a question is not an answer.
        first_clause = re.split(r"[,.;:!\u2013\u2014-]", raw, maxsplit=1)
        asks = len(first_clause) == 2 and _opens_a_question(first_clause[1])  # "no, what does proof mean"
        if len(first_clause) == 2 and "?" not in raw and not asks and len(words) <= MAX_EXPLAINED_ANSWER_WORDS:
            said = tuple(_plain(first_clause[0]).split())
            for answer in ("unsure", "no", "yes"):
                if said and said in _plain_phrases(lexicon.answers[answer]):
                    return answer
        # "yes sponsor admitted it on the call", "nope power hasn't agreed yet": a plain yes or no word, then
        # why, with no punctuation between (not "no what does proof mean").
        plain = _PLAIN_ANSWER_WORDS.get(words[0])
        asks = any(w in QUESTION_OPENERS for w in words[1:4])  # ("yes but what does access to power mean")
        hedged = bool(_HEDGES & set(words[1:]))  # ("yes i think so but not sure": no plain answer)
        if plain and "?" not in raw and not asks and not hedged:
            return plain if len(words) <= MAX_EXPLAINED_ANSWER_WORDS else None
        return None
    for answer in ("unsure", "no", "yes"):
        for phrase in _plain_phrases(lexicon.answers[answer]):
            if len(phrase) <= len(words) and words[: len(phrase)] == phrase and (len(phrase) > 1 or len(phrase[0]) > 1):
                # ("no what does proof mean", "yes but who owns it": a question after the word, not an answer)
                # (but "no, what's next", "yes why", "not sure what this means" still answer it)
                rest = words[len(phrase) :]
                set_apart = bool(re.match(r"\s*\w+\s*[,.;:!-]", raw))
                asks = rest[:1] == ("but",) and len(rest) > 3 and rest[1] in QUESTION_OPENERS
                asks = asks or (len(rest) >= 4 and rest[0] in WH_WORDS and not set_apart and answer != "unsure")
                return None if asks else answer
    return None


def parse_command(text: str, lexicon: Lexicon) -> str | None:
    """'help' / 'back' / 'cancel' / 'restart' when the whole message is that command."""
    plain = _plain(text)
    if not plain and text.strip() == "?":
        return "help"
    words = tuple(plain.split())
    asked = text.strip().endswith("?")
    for command, phrases in lexicon.commands.items():
        if words and words in _plain_phrases(phrases) and not (asked and words == ("exit",)):
            return command  # ("exit?" asks for exit criteria; "stop?", "cancel?" still stop)
    if len(words) > 1 and asked:
        return None  # "exit for it?", "stop at which stage?": a question, not a command
    clauses = re.split(r"[,.;!]", text, maxsplit=1)
    explained = len(clauses) == 2 and "?" not in text and len(words) <= MAX_EXPLAINED_ANSWER_WORDS
    explained = explained and not _opens_a_question(clauses[1])  # ("stop, what does the AE do" asks)
    if explained and parse_command(clauses[0], lexicon) == "cancel":
        return "cancel"  # "stop there, I'll pick it up tomorrow": a cancel first, then why
    # "cancel the check please", "go back please": a command with only filler around it. Anything
    # more ("exit criteria for Proof") is a question, not a command.
    kept = [w for w in words if w not in COMMAND_FILLER]
    if kept and len(kept) < len(words):
        return parse_command(" ".join(kept), lexicon)
    # "actually cancel that, stop the check", "nevermind, stop": the same command said twice over.
    for command, phrases in lexicon.commands.items():
        said = _command_words(phrases)
        only_this = len(kept) > 1 and all(w in said or w in COMMAND_FILLER for w in kept)
        has_phrase = any(tuple(kept[i : i + len(p)]) == p for p in _plain_phrases(phrases) for i in range(len(kept)))
        if only_this and has_phrase:
            return command
    return None


def _opens_a_question(text: str) -> bool:
    words = _plain(text).split()
    return bool(words) and words[0] in QUESTION_OPENERS


@lru_cache(maxsize=8)
def _command_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for p in _plain_phrases(phrases) for w in p)


# A request to run a check: a verb that starts something, then a word for the check itself.
START_VERBS = (
    ("run",), ("do",), ("start",), ("begin",), ("kick", "off"), ("go", "through"), ("walk", "through"),
    ("walk", "me", "through"), ("walk", "us", "through"), ("take", "us", "through"), ("lets", "do"),
    ("let", "us", "do"), ("lets", "run"), ("lets", "check"), ("check",),
    ("lets", "go", "through"), ("take", "me", "through"), ("assess",), ("review",), ("quiz", "me", "on"),
    ("test", "me", "on"), ("go", "over"), ("evaluate",), ("run", "through"),
)  # fmt: skip
# Verbs that, with a stage named right after them, are a request by themselves ("go through Proof with me").
STAGE_VERBS = {
    ("go", "through"), ("walk", "through"), ("walk", "me", "through"), ("walk", "us", "through"), ("run", "through"),
    ("take", "me", "through"), ("take", "us", "through"),
    ("lets", "go", "through"), ("go", "over"), ("check",), ("assess",),
}  # fmt: skip
CHECK_NOUNS = {
    "check", "checks", "checklist", "checkpoint", "checkpoints", "readiness", "review", "assessment", "deal",
    "opportunity", "opty", "opp", "oppty", "stage", "gate", "gates", "walkthrough",
}  # fmt: skip
# Words for the check itself, enough without a verb ("guided check for deploy pls", "proof readiness review").
CHECK_NAMES = {"check", "checklist", "walkthrough", "gate"}
POLITE_OPENERS = {"can", "could", "would", "you", "u", "we", "please", "pls", "plz", "ok", "okay", "so", "i",
                  "want", "to", "id", "like", "help", "me", "lets", "let", "us", "shall", "hey", "quick", "now",
                  "just", "then"}  # fmt: skip
QUESTION_OPENERS = {"is", "are", "does", "do", "what", "which", "who", "how", "when", "where", "whats", "why"}


_LIST_VERBS = frozenset({"list", "enumerate", "tell"})
_DO_OBJECTS = frozenset({"the", "a", "an", "my", "our", "this", "that", "your", "it", "one"})


def _do_asks(words: list[str], i: int, verb: tuple[str, ...], ix: KnowledgeIndex) -> bool:
    """ "do we ...", "do commercial execs drive deal execution": "do" opening a question, not "do the check"
    ("do the close readiness check", "do qualify", "do a check on my proof deal")."""
    if verb != ("do",):
        return False
    after = words[i + 1 : i + 2]
    if not after:
        return False
    return after[0] not in _DO_OBJECTS and after[0] not in CHECK_NOUNS and not _names_a_stage(after, ix)


def _requests_a_check(words: list[str], ix: KnowledgeIndex, asks_a_question: bool = False) -> bool:
    """ "let's do the Close readiness check", "can you run the qualify checklist", "check my deal at 60%",
    "go through proof with me", "... at 20%, can you check it": a verb that starts something, at the start of
    a clause, with a word for the check (or a stage, or "it") close after it."""
    for start in _clause_starts(words):
        i = start
        while i < len(words) and words[i] in POLITE_OPENERS and not _verb_at(words, i):
            i += 1
        verb = _verb_at(words, i)
        if verb is None or _do_asks(words, i, verb, ix):
            continue  # ("do we review the support plan with power in deploy" asks whether, not for a check)
        if verb == ("check",) and words[i - 1 : i] in (["quick"], ["sanity"], ["double"]) and asks_a_question:
            continue  # ("quick check - who owns close?": a quick question, not a checkpoint check)
        rest = words[i + len(verb) : i + len(verb) + 5]  # ("run me thru the qualify readiness")
        if any(w in CHECK_NOUNS for w in rest):
            return True
        if verb in STAGE_VERBS and (rest[:1] in (["it"], ["me"], ["this"]) or _names_a_stage(rest, ix)):
            return True
    # "..., check it with me", "im at 60%, run the checks": a verb with "it"/"me" after it, or with a word
    # that only names a check, asks for one wherever it stands.
    for i in range(len(words)):
        verb = _verb_at(words, i)
        if verb is not None and _do_asks(words, i, verb, ix):
            continue  # ("when do we check 'pain admitted ...'": "do" asks, "check" is the seller's verb)
        if verb in STAGE_VERBS and words[i + len(verb) : i + len(verb) + 1] in (["it"], ["me"], ["this"]):
            return True
        if verb and any(w in CHECK_NAMES or w == "checks" for w in words[i + len(verb) : i + len(verb) + 3]):
            return True
        # "100% deal - run the checkpoints", "can we walk the qualify checkpoints": checkpoints are run or
        # walked (listing them is "list" or "what are").
        if verb in (("run",), ("run", "through")) and "checkpoints" in words[i + len(verb) : i + len(verb) + 3]:
            return True
        if verb in STAGE_VERBS and len(verb) > 1 and "checkpoints" in words[max(0, i - 3) : i]:
            return True  # "qulaify chekpoints run thru": the checkpoints, then walked through
        if words[i] == "walk" and "checkpoints" in words[i + 1 : i + 4]:
            return True
    # "proof readiness", "close readiness pls": a stage's readiness, asked for in a word.
    # (the stage by its own name: "deployment readiness" is a line of Deploy, not a request)
    bare = [w for w in words if w not in POLITE_OPENERS]
    if len(bare) <= 3 and bare[-1:] == ["readiness"] and " ".join(bare[:-1]) in ix.stage_names:
        return True
    # "prospect checklist for Fabrikam", "guided check for deploy pls": the check named, without a verb;
    # "support checkpoints walkthrough, one at a time": walked through, not listed.
    said = " ".join(words)
    # ("... lead it, one checkpoint at a time please"; "1 by 1")
    if "1 by 1" in said:
        return True
    if "walkthrough" in words or re.search(r"\b(?:one|checkpoint|step) at a time\b", said) or "one by one" in said:
        return True
    # "go through the Proof stage checkpoints with me": walked through together, not listed.
    with_me = any(words[i : i + 2] == ["with", "me"] for i in range(len(words)))
    if with_me and any(_verb_at(words, i) for i in range(len(words))) and "checkpoints" in words:
        return True
    readiness = any(
        w in ("readiness", "checkpoint") and words[i + 1 : i + 2] in (["check"], ["review"])
        for i, w in enumerate(words)
    )
    named = readiness or any(_names_the_check(words, i) for i, w in enumerate(words) if w in CHECK_NAMES)
    # "suport checkpoints check pls": the checkpoints named, then the check of them.
    checked = any(words[i : i + 2] in (["checkpoints", "check"], ["checkpoint", "check"]) for i in range(len(words)))
    # ("please list every key step in Deploy - it's for our post-close checklist": a list asked for first)
    listed = ("checkpoints" in words and not checked) or bool(_LIST_VERBS & set(words[:3]))
    # "just a sanity check before I update the forecast: what's the probability at Solution?" asks a question.
    return words[0] not in QUESTION_OPENERS and named and not listed and not asks_a_question


def _names_the_check(words: list[str], i: int) -> bool:
    """ "qualify check pls", "guided check for deploy": the word names a check; "check the status of my
    ticket" and "double-check" use it as a verb."""
    if words[i] != "check":
        return True
    before, after = words[i - 1 : i], words[i + 1 : i + 2]
    asked_what = bool({"what", "whats", "which", "anything", "else"} & set(words[max(0, i - 5) : i]))
    if asked_what and before in (["i"], ["we"], ["to"], ["should"], ["must"], ["can"], ["do"], ["you"]):
        return False  # ("what should i check now", "what do we need to check": the verb, asked about)
    return before not in (["double"], ["sanity"], ["quick"]) and after not in (
        ["the"],
        ["my"],
        ["our"],
        ["a"],
        ["this"],
        ["that"],
        ["if"],
    )


def _verb_at(words: list[str], i: int) -> tuple[str, ...] | None:
    return next((v for v in sorted(START_VERBS, key=len, reverse=True) if tuple(words[i : i + len(v)]) == v), None)


def _clause_starts(words: list[str]) -> list[int]:
    """The message's start, and each word after a filler that opens a new request ("..., can you check it")."""
    return [0] + [i for i, w in enumerate(words) if i and w in ("can", "could", "pls", "please", "so", "lets", "let")]


def _names_a_stage(words: list[str], ix: KnowledgeIndex) -> bool:
    return find_stage(" ".join(words), ix)[1] is not None


def parse_check_start(text: str, ix: KnowledgeIndex) -> tuple[bool, str | None, str | None]:
    """(starts a check, "mssp" | "mcem" | None, stage id | None).

    "qualify" leads a message ("qualify", "qualify Qualify"); the other phrases may stand anywhere
    ("start a qualification check for the Develop stage", "check my opportunity against Close"); and
    any start verb with a word for a check ("let's do the proof ceck", typos corrected) starts one.
    A percentage names the stage at that probability ("check my deal at 60%" is Proof).
    """
    spellings = ix.kb.lexicon.spellings
    words = [ix.correct(w) for w in " ".join(normalize(text, spellings).replace("-", " ").split()).split()]
    if not words:
        return False, None, None
    # "lets qualify this deal", "ok qualify my opp": the polite words before "qualify" change nothing.
    opening = 0
    while opening < len(words) - 1 and words[opening] in POLITE_OPENERS:
        opening += 1
    if opening and words[opening] == "qualify" and _only_a_stage(words[opening + 1 :], ix):
        kind, stage = find_stage(" ".join(words[opening + 1 :]), ix)
        return (True, kind, stage) if stage else (True, "mssp", "qualify")
    if words[0] == "qualify" and words[1:2] and words[1] in CHECK_NAMES:
        return True, "mssp", "qualify"  # "qualify check pls": the Qualify stage's check
    # "qualify is 10%, right?" is a question about the stage, not a request for a check ("qualify readiness
    # check for fabrikam" is one: the check is named right after the stage).
    named_check = words[1:3] in (["readiness", "check"], ["readiness", "review"]) or words[1:2] == ["checklist"]
    about_qualify = words[0] == "qualify" and len(words) > 1 and not _only_a_stage(words[1:], ix) and not named_check
    # ("qualify 20%??": a question about the stage, its question marks say so)
    # ("qualify?" alone, after "whats prob for prospect": the stage asked about, not a check)
    about_qualify = about_qualify or (words[0] == "qualify" and text.rstrip().endswith("?"))
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
    if trigger is None or (about_qualify and trigger == (0, 1)):
        if _requests_a_check(words, ix, _asks_a_question(text)):  # ("qulaify chekpoints run thru")
            kind, stage = find_stage(" ".join(words), ix, prefer_mcem="exit" in words)
            return True, kind, stage
        return False, None, None
    rest = words[: trigger[0]] + words[trigger[1] :]
    kind, stage = find_stage(" ".join(rest), ix, prefer_mcem="exit" in words)
    if stage is None and trigger == (0, 1) and named_check:
        return True, "mssp", "qualify"  # "qualify readiness check for fabrikam": Qualify's own check
    return True, kind, stage


def _asks_a_question(text: str) -> bool:
    """A part of the message is a question: it ends with "?" and a part of it opens with a question word."""
    if "?" not in text:
        return False
    parts = PUNCTUATION.split(text.casefold())
    return any(p.split()[:1] and re.sub(r"\W", "", p.split()[0]) in QUESTION_OPENERS for p in parts)


def _only_a_stage(words: list[str], ix: KnowledgeIndex) -> bool:
    """ "qualify Qualify", "qualify my deal for proof": after "qualify", a stage or a deal, not a question."""
    filler = {"my", "this", "the", "deal", "opportunity", "opty", "opp", "for", "against", "stage", "at", "please",
              "pls", "now", "our", "a", "an", "check", "checkpoints"}  # fmt: skip
    kind, stage = find_stage(" ".join(words), ix)
    stage_words = set(_plain(ix.kb.mssp_stage(stage).name).split()) if kind == "mssp" and stage else set()
    if kind == "mcem" and stage:
        stage_words = set(_plain(ix.kb.mcem_stage(stage).name).split())
    said = [w for w in words if w not in ("please", "pls", "now")]
    if said and all(w in ("checkpoints", "checkpoint") for w in said):
        return False  # "qualify checkpoints (pls)" asks for Qualify's checkpoints, as "develop checkpoints" does
    return all(w in filler or w in stage_words or w.endswith("%") for w in words)


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
    said = _plain(text).split()
    percent = next((w for w in said if w.endswith("%") and w[:-1].isdigit()), None)
    # ("chk my opp at 20": a round number a deal is at is its probability)
    # ("check my deal at 20 weeks": a time, not a probability)
    at_a_number = [
        said[i + 1]
        for i in range(len(said) - 1)
        if said[i] == "at"
        and said[i + 1].isdigit()
        and int(said[i + 1]) % 10 == 0
        and not (said[i + 2 : i + 3] and said[i + 2] in TIME_UNITS)
    ]
    percent = percent or (f"{at_a_number[0]}%" if at_a_number else None)
    by_probability = next((s for s in ix.kb.mssp_stages if s.probability == percent), None)
    if by_probability:
        return "mssp", by_probability.id
    return None, None
