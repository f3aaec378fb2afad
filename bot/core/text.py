"""Text folding shared by lookup, intents and FAQ matching.

Users type "LLMs", "Gen-AI", "large language models?" or paste text with zero-width characters;
all of these fold to the same key as the knowledge's "LLM", "GenAI", "large language model".
"""

from __future__ import annotations

import functools
import re
import unicodedata

INPUT_MAX = 2000
"""Longer messages are cut to this many characters before any matching."""

_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"),
    None,
)
_APOSTROPHE_S = re.compile(r"['’]s\b")
_NOT_WORD = re.compile(r"[\W_]+")
_KEEP_S = ("ss", "us", "is", "os")


def clean(text: str) -> str:
    """Bounded, NFKC-normalised text without invisible characters or control codes."""
    text = text[: INPUT_MAX * 2]
    if text.isascii() and text.isprintable():
        return text[:INPUT_MAX].strip()  # the common case: nothing to normalise or remove
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return text[:INPUT_MAX].strip()


@functools.lru_cache(maxsize=65_536)
def phrase_key(text: str) -> str:
    """Words, singular, joined by spaces: 'Large Language Models!' → 'large language model'.

    Cached: knowledge labels are folded again on every reload, and users repeat themselves.
    """
    return " ".join(singular(word) for word in words(text))


def words(text: str) -> list[str]:
    """Lowercase words of ``text`` with punctuation, possessives and invisibles removed."""
    folded = _APOSTROPHE_S.sub("", clean(text).casefold())
    return _NOT_WORD.sub(" ", folded).split()


def singular(word: str) -> str:
    """A naive singular: 'models' → 'model', 'technologies' → 'technology', 'gans' → 'gan'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def compact_key(text: str) -> str:
    """:func:`phrase_key` without spaces: 'Gen-AI', 'gen ai' and 'GenAI' all give 'genai'."""
    return phrase_key(text).replace(" ", "")
