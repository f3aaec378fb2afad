"""Finding terms by what people type: exact keys first, then fuzzy matching with suggestions."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.knowledge.model import Term
from bot.core.text import compact_key, phrase_key

logger = logging.getLogger(__name__)

ACCEPT_SCORE = 86.0
"""A fuzzy match at least this similar (0-100) is taken as the term, if it is clearly the best."""
ACCEPT_MARGIN = 6.0
"""The best term must beat the next different term by this much to be taken without asking."""
SUGGEST_SCORE = 60.0
"""Weaker matches are only offered as "did you mean" suggestions."""
PARTIAL_SCORE = 75.0
"""Partial matches ("diffusio" in "diffusion model") must be at least this close to count."""
MIN_FUZZY_LENGTH = 4
MIN_PREFIX_LENGTH = 5
"""A query this long that starts only one term's name ("diffusio") names that term."""
"""Shorter queries ("ai", "ml") are matched exactly only: one typo changes their meaning."""
AUTOCOMPLETE_MAX = 25
"""Discord shows at most 25 autocomplete choices."""


@dataclass(frozen=True, slots=True)
class LookupResult:
    """The term a query names (or None) and what it might have meant."""

    term: Term | None
    suggestions: tuple[Term, ...] = ()
    fuzzy: bool = False


class TermIndex:
    """Every id, name and alias of every term, folded for matching."""

    def __init__(self, terms: Mapping[str, Term]) -> None:
        self._terms = terms
        self._exact: dict[str, str] = {}
        phrases: dict[str, str] = {}
        for term in terms.values():
            for label in (term.id, term.name, *term.aliases):
                self._exact.setdefault(compact_key(label), term.id)
                phrases.setdefault(phrase_key(label), term.id)
        self._phrases = list(phrases)
        self._phrase_terms = list(phrases.values())
        self._names = sorted(terms.values(), key=lambda t: t.name.casefold())
        self._sorted_keys = sorted((key, term_id) for key, term_id in self._exact.items())
        self._max_words = max((len(p.split()) for p in self._phrases), default=1)

    @property
    def max_words(self) -> int:
        """Words in the longest name or alias."""
        return self._max_words

    def exact(self, text: str) -> Term | None:
        """The term whose id, name or alias folds to the same key as ``text``."""
        term_id = self._exact.get(compact_key(text))
        return self._terms[term_id] if term_id else None

    def exact_key(self, key: str) -> Term | None:
        """Like :meth:`exact` for a key already folded by :func:`compact_key`."""
        term_id = self._exact.get(key)
        return self._terms[term_id] if term_id else None

    def lookup(self, text: str, *, suggestions: int = 3) -> LookupResult:
        """Exact match, else a confident fuzzy match, else suggestions."""
        exact = self.exact(text)
        if exact is not None:
            return LookupResult(exact)
        query = phrase_key(text)
        if not query:
            return LookupResult(None)
        prefixed = self._prefixed(query.replace(" ", ""))
        if len(prefixed) == 1 and len(query) >= MIN_PREFIX_LENGTH:
            return LookupResult(self._terms[next(iter(prefixed))], fuzzy=True)
        ranked = self._rank(query)
        if not ranked:
            return LookupResult(None)
        best_id, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if (
            len(query.replace(" ", "")) >= MIN_FUZZY_LENGTH
            and best_score >= ACCEPT_SCORE
            and best_score - runner_up >= ACCEPT_MARGIN
        ):
            return LookupResult(self._terms[best_id], fuzzy=True)
        offered = tuple(
            self._terms[term_id]
            for term_id, score in ranked[:suggestions]
            if score >= SUGGEST_SCORE
        )
        return LookupResult(None, offered)

    def _prefixed(self, compact: str, limit: int = 50) -> dict[str, None]:
        """Ids of terms with a name or alias starting with ``compact`` (ordered, at most limit)."""
        start = bisect.bisect_left(self._sorted_keys, (compact, ""))
        found: dict[str, None] = {}
        for label_key, term_id in self._sorted_keys[start:]:
            if not label_key.startswith(compact) or len(found) >= limit:
                break
            found[term_id] = None
        return found

    def _rank(self, query: str) -> list[tuple[str, float]]:
        """Terms by best similarity to ``query`` (one entry per term), best first."""
        matches = process.extract(
            query, self._phrases, scorer=fuzz.ratio, limit=12, score_cutoff=SUGGEST_SCORE - 10
        )
        partial = process.extract(
            query, self._phrases, scorer=fuzz.WRatio, limit=12, score_cutoff=PARTIAL_SCORE
        )
        best: dict[str, float] = {}
        for _, score, index in matches:
            term_id = self._phrase_terms[index]
            best[term_id] = max(best.get(term_id, 0.0), score)
        for _, score, index in partial:
            term_id = self._phrase_terms[index]
            # WRatio rewards partial overlap; count it for suggestions, a notch below ratio.
            best[term_id] = max(best.get(term_id, 0.0), min(score, ACCEPT_SCORE - 1))
        return sorted(best.items(), key=lambda item: -item[1])

    def autocomplete(self, prefix: str, *, limit: int = AUTOCOMPLETE_MAX) -> list[Term]:
        """Terms for a partly typed name: prefix matches first, then fuzzy ones."""
        key = phrase_key(prefix)
        if not key:
            return self._names[:limit]
        chosen: dict[str, Term] = {}
        compact = key.replace(" ", "")
        prefixed = [self._terms[term_id] for term_id in self._prefixed(compact, limit * 4)]
        for term in sorted(
            prefixed, key=lambda t: (not compact_key(t.name).startswith(compact), t.name.casefold())
        ):
            chosen.setdefault(term.id, term)
            if len(chosen) >= limit:
                return list(chosen.values())
        for term_id, _score in self._rank(key):
            chosen.setdefault(term_id, self._terms[term_id])
            if len(chosen) >= limit:
                break
        return list(chosen.values())

    def scan(self, text: str) -> list[Term]:
        """Terms named anywhere in ``text``, in order, longest names first, no overlaps."""
        tokens = phrase_key(text).split()
        found: list[Term] = []
        position = 0
        while position < len(tokens):
            for width in range(min(self._max_words, len(tokens) - position), 0, -1):
                term = self.exact_key("".join(tokens[position : position + width]))
                if term is not None:
                    if term not in found:
                        found.append(term)
                    position += width
                    break
            else:
                position += 1
        return found


def unique(terms: Iterable[Term]) -> list[Term]:
    """``terms`` without repeats, first occurrence kept."""
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.id, term)
    return list(seen.values())
