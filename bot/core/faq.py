"""Recognising frequently asked questions however people phrase them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.knowledge.model import FaqEntry, Term
from bot.core.lookup import TermIndex
from bot.core.text import phrase_key

logger = logging.getLogger(__name__)

CONFIDENT_SCORE = 84.0
"""A match at least this close (0-100) wins over a definition of a term the question names."""
WEAK_SCORE = 70.0
"""Closer than this still answers a question no pattern recognised."""
_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class FaqMatch:
    """An FAQ entry and how closely the message matched one of its phrasings."""

    entry: FaqEntry
    score: float

    @property
    def confident(self) -> bool:
        """True when the match is close enough to prefer over other readings."""
        return self.score >= CONFIDENT_SCORE


class FaqMatcher:
    """Fuzzy matching of a message against every FAQ question and variant."""

    def __init__(self, entries: Sequence[FaqEntry], index: TermIndex) -> None:
        self._keys: list[str] = []
        self._owners: list[FaqEntry] = []
        self._key_terms: list[frozenset[str]] = []
        for entry in entries:
            for phrasing in (entry.question, *entry.variants):
                key = phrase_key(phrasing)
                if key:
                    self._keys.append(key)
                    self._owners.append(entry)
                    self._key_terms.append(frozenset(t.id for t in index.scan(key)))

    def match(self, text: str, named: Sequence[Term] = ()) -> FaqMatch | None:
        """The best FAQ for ``text`` whose terms agree with the terms ``named`` in it."""
        query = phrase_key(text)
        if not query or not self._keys:
            return None
        asked = {term.id for term in named}
        best: FaqMatch | None = None
        candidates = process.extract(
            query, self._keys, scorer=fuzz.WRatio, limit=_CANDIDATES, score_cutoff=WEAK_SCORE
        )
        for key, _, position in candidates:
            entry = self._owners[position]
            allowed = self._key_terms[position] | set(entry.related)
            if asked and not asked <= allowed:
                continue
            if self._key_terms[position] and asked and not (self._key_terms[position] & asked):
                continue
            score = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
            query_words, key_words = len(query.split()), len(key.split())
            if query_words >= 3 and query_words >= 0.6 * key_words:
                # Most of a phrasing, in other words or with extra words around it.
                score = max(score, 0.92 * fuzz.token_set_ratio(query, key))
            if score >= WEAK_SCORE and (best is None or score > best.score):
                best = FaqMatch(entry, score)
        return best
