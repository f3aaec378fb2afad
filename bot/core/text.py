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
"""Endings whose s is not a plural: class, status, analysis, chaos."""
_INVARIANT_WORDS = (
    "bias alias atlas canvas gas lens news series species ethics physics mathematics "
    "analytics economics politics logistics statistics robotics genomics semantics diagnostics"
)
_INVARIANT = frozenset(_INVARIANT_WORDS.split())
"""Words ending in s that are singular (or the same in both numbers)."""


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
    """The singular of an English noun, by rules with tested exceptions: 'models' → 'model',
    'technologies' → 'technology', 'classes' → 'class', 'biases' → 'bias', and words whose
    final s is not a plural ('bias', 'analysis', 'news', 'series') unchanged."""
    if word in _INVARIANT or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("ses") and word[:-2] in _INVARIANT:
        return word[:-2]  # "biases" → "bias", "aliases" → "alias"
    if word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def compact_key(text: str) -> str:
    """:func:`phrase_key` without spaces: 'Gen-AI', 'gen ai' and 'GenAI' all give 'genai'."""
    return phrase_key(text).replace(" ", "")
