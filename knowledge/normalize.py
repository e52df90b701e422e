"""Text normalisation shared by every matcher: the same steps for questions and for seed phrases."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

# Longer messages are not questions; bounding the text bounds all the matching work after it.
MAX_QUESTION_CHARS = 500

_TAGS = re.compile(r"<[^>]{0,200}>")
# "80.0%" is 80%; "62.5%" is no whole percentage and stays one word as typed, never "5%".
_WHOLE_DECIMAL = re.compile(r"(\d+)\.0+(?!\d)")
_PERCENT = re.compile(r"(\d+)\s*(?:%|percent\b|per cent\b|pct\b)")
_NOT_WORD = re.compile(r"(?:[^\w%'\-.]|(?<!\d)\.|\.(?!\d))+")  # (a full stop between digits is a decimal's)
_APOSTROPHE_S = re.compile(r"'s\b")
# "we're" would read as "were", a question's opening word: the contraction is spelt out.
_ARE = re.compile(r"\b(we|they|you)'re\b")
_DASHES = re.compile(r"(?<!\w)-+|-+(?!\w)")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


# The same clause is normalised several times while one question is read (by each reading that looks at it);
# the spellings table is fixed once loaded, so a result is kept per (text, table).
_CACHE: dict[tuple[str, int], str] = {}
_CACHE_SIZE = 4096
# The tables the cache keys name, kept alive so no other table can take an id while it is cached.
_TABLES: dict[int, Mapping[str, str] | None] = {}


def normalize(text: str, spellings: Mapping[str, str] | None = None) -> str:
    """Lower-case words separated by single spaces; '&' and '+' read as 'and'; British spellings folded."""
    key = (text, id(spellings))
    found = _CACHE.get(key)
    if found is not None and _TABLES.get(id(spellings)) is spellings:
        return found
    result = _normalize(text, spellings)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
        _TABLES.clear()
    _TABLES[id(spellings)] = spellings
    _CACHE[key] = result
    return result


def _ascii_digits(text: str) -> str:
    """Digits of other scripts as ASCII ("٣" -> "3"), and digit signs with no decimal value ("፩") as spaces:
    every word that is all digits then reads as a number."""
    if text.isascii():
        return text
    return "".join(c if c.isascii() or not c.isdigit() else str(unicodedata.decimal(c, " ")) for c in text)


def _normalize(text: str, spellings: Mapping[str, str] | None) -> str:
    text = _ascii_digits(unicodedata.normalize("NFKC", html.unescape(text[: MAX_QUESTION_CHARS * 2])))
    text = _TAGS.sub(" ", text).translate(_QUOTES).casefold()
    text = text.replace("&", " and ").replace("+", " and ").replace("/", " ")
    text = _WHOLE_DECIMAL.sub(r"\1", text)
    text = _PERCENT.sub(r"\1%", text)
    text = _APOSTROPHE_S.sub("", text)
    text = _ARE.sub(r"\1 are", text)
    text = _NOT_WORD.sub(" ", text).replace("_", " ").replace("'", "")
    text = _DASHES.sub(" ", text)
    words = text.split()
    if spellings:
        words = [w2 for w in words for w2 in spellings.get(w, w).split()]
    return " ".join(words)


def stem(word: str) -> str:
    """A small suffix stripper: enough to make "negotiates", "negotiation" and "negotiating" meet."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, replacement in (
        ("ication", "y"),
        ("ization", "iz"),
        ("ion", ""),
        ("ing", ""),
        ("ment", ""),
        ("ed", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + replacement
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # planning -> plann -> plan
            if suffix in ("ed", "ing") and w.endswith(("ion", "ment")) and len(w) > 6:
                w = w[: -3 if w.endswith("ion") else -4]  # transitioned -> transition -> transit, as "transition"
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w
