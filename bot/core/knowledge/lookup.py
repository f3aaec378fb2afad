"""Finding terms by what people type: exact keys first, then fuzzy matching with suggestions."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.knowledge.model import Term
from bot.core.text import compact_key, phrase_key

ACCEPT_SCORE = 86.0
"""A fuzzy match at least this similar (0-100) is taken as the term, if it is clearly the best."""
ACCEPT_MARGIN = 6.0
"""The best term must beat the next different term by this much to be taken without asking."""
SUGGEST_SCORE = 60.0
"""Weaker matches are only offered as "did you mean" suggestions."""
PARTIAL_SCORE = 75.0
"""Partial matches ("diffusio" in "diffusion model") must be at least this close to count."""
MIN_FUZZY_LENGTH = 4
STEM_MIN_LENGTH = 6
"""A word cut to its stem must keep this many letters to be matched as a name's prefix."""
_VERB_ENDING = re.compile(r"(?:ing|ed|e|es)$")
TYPO_MIN_LENGTH = 5
"""Names at least this long accept one slipped letter even when the ratio is below ACCEPT."""
MIN_PREFIX_LENGTH = 5
"""A query this long that starts only one term's name ("diffusio") names that term; shorter
queries ("ai", "ml") are matched exactly only: one typo changes their meaning."""
CACHE_SIZE = 8192
"""Look-ups remembered per knowledge snapshot (the snapshot never changes, so they stay true)."""


class LookupResult:
    """The term a query names (or None) and what it might have meant.

    Suggestions are computed on first use only: most failed look-ups inside a sentence never
    need them, and ranking partial matches over a large knowledge base is the costly part.
    """

    __slots__ = ("_suggest", "_suggestions", "fuzzy", "term")

    def __init__(
        self,
        term: Term | None,
        suggestions: tuple[Term, ...] = (),
        fuzzy: bool = False,
        *,
        suggest: Callable[[], tuple[Term, ...]] | None = None,
    ) -> None:
        self.term = term
        self.fuzzy = fuzzy
        self._suggestions: tuple[Term, ...] | None = None if suggest else suggestions
        self._suggest = suggest

    @property
    def suggestions(self) -> tuple[Term, ...]:
        """Terms the query might have meant, best first."""
        if self._suggestions is None:
            self._suggestions = self._suggest() if self._suggest else ()
        return self._suggestions

    def __repr__(self) -> str:
        return f"LookupResult(term={self.term and self.term.id!r}, fuzzy={self.fuzzy})"


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
        # Phrases by first letter, for the one-typo check (a typo keeps the first letter).
        initials: dict[str, tuple[list[str], list[str]]] = {}
        for phrase, term_id in zip(self._phrases, self._phrase_terms, strict=True):
            bucket = initials.setdefault(phrase[:1], ([], []))
            bucket[0].append(phrase)
            bucket[1].append(term_id)
        self._by_initial = initials
        self._max_words = max((len(p.split()) for p in self._phrases), default=1)
        # Phrases by the first four letters of each word: partial matching ("diffusio") only
        # scores phrases that share a word start with the query, not all of them.
        by_start: dict[str, list[int]] = {}
        for position, phrase in enumerate(self._phrases):
            for start in {word[:4] for word in phrase.split()}:
                by_start.setdefault(start, []).append(position)
        self._by_word_start = by_start
        self._cache: dict[tuple[str, int], LookupResult] = {}

    def exact(self, text: str) -> Term | None:
        """The term whose id, name or alias folds to the same key as ``text``."""
        return self._exact_plural(compact_key(text))

    def exact_key(self, key: str) -> Term | None:
        """Like :meth:`exact` for a key already folded by :func:`compact_key`."""
        term_id = self._exact.get(key)
        return self._terms[term_id] if term_id else None

    def lookup(self, text: str, *, suggestions: int = 3) -> LookupResult:
        """Exact match, else a confident fuzzy match, else suggestions (cached per index)."""
        key = (text, suggestions)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            found = self._cache[key] = self._lookup(text, suggestions)
        return found

    def _lookup(self, text: str, suggestions: int) -> LookupResult:
        exact = self.exact(text)
        if exact is not None:
            return LookupResult(exact)
        query = phrase_key(text)
        if not query:
            return LookupResult(None)
        compact = query.replace(" ", "")
        prefixed = self._prefixed(compact)
        if len(prefixed) == 1 and len(query) >= MIN_PREFIX_LENGTH:
            return LookupResult(self._terms[next(iter(prefixed))], fuzzy=True)
        # Another form of a name's word: "hallucinate", "tokenized" start only one term's
        # name once their ending is cut ("hallucinat", "tokeniz").
        stem = _VERB_ENDING.sub("", compact)
        if stem != compact and len(stem) >= STEM_MIN_LENGTH:
            prefixed = self._prefixed(stem)
            if len(prefixed) == 1:
                return LookupResult(self._terms[next(iter(prefixed))], fuzzy=True)
        ranked = self._rank_whole(query)
        if ranked:
            best_id, best_score = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if (
                len(query.replace(" ", "")) >= MIN_FUZZY_LENGTH
                and best_score >= ACCEPT_SCORE
                and best_score - runner_up >= ACCEPT_MARGIN
            ):
                return LookupResult(self._terms[best_id], fuzzy=True)
        typo = self._one_typo(query)
        if typo is not None:
            return LookupResult(typo, fuzzy=True)

        def offer() -> tuple[Term, ...]:
            return tuple(
                self._terms[term_id]
                for term_id, score in self._rank(query, ranked)[:suggestions]
                if score >= SUGGEST_SCORE
            )

        return LookupResult(None, suggest=offer)

    def _one_typo(self, query: str) -> Term | None:
        """The one term a single slip away ("gemeni"), keeping the first letter.

        Short names fall under ACCEPT_SCORE after one wrong letter; a wrong first letter is
        rarely a typo ("dall-e" is not "vall-e"), so it must match.
        """
        if len(query) < TYPO_MIN_LENGTH:
            return None
        phrases, owners = self._by_initial.get(query[:1], ([], []))
        close = process.extract(query, phrases, scorer=OSA.distance, score_cutoff=1, limit=4)
        found = {owners[index] for _, _, index in close}
        return self._terms[found.pop()] if len(found) == 1 else None

    def _prefixed(self, compact: str, limit: int = 50) -> dict[str, None]:
        """Ids of terms with a name or alias starting with ``compact`` (ordered, at most limit)."""
        start = bisect.bisect_left(self._sorted_keys, (compact, ""))
        found: dict[str, None] = {}
        for label_key, term_id in self._sorted_keys[start:]:
            if not label_key.startswith(compact) or len(found) >= limit:
                break
            found[term_id] = None
        return found

    def _rank_whole(self, query: str) -> list[tuple[str, float]]:
        """Terms by whole-string similarity to ``query`` (one entry per term), best first."""
        matches = process.extract(
            query, self._phrases, scorer=fuzz.ratio, limit=12, score_cutoff=SUGGEST_SCORE - 10
        )
        best: dict[str, float] = {}
        for _, score, index in matches:
            term_id = self._phrase_terms[index]
            best[term_id] = max(best.get(term_id, 0.0), score)
        return sorted(best.items(), key=lambda item: -item[1])

    def _rank(
        self, query: str, whole: list[tuple[str, float]] | None = None
    ) -> list[tuple[str, float]]:
        """Whole-string ranking plus partial matches ("diffusio"), for suggestions."""
        best = dict(whole if whole is not None else self._rank_whole(query))
        shortlist = {
            position for word in query.split() for position in self._by_word_start.get(word[:4], ())
        }
        partial = process.extract(
            query,
            {position: self._phrases[position] for position in shortlist},
            scorer=fuzz.WRatio,
            limit=12,
            score_cutoff=PARTIAL_SCORE,
        )
        for _, score, index in partial:
            term_id = self._phrase_terms[index]
            # WRatio rewards partial overlap; count it for suggestions, a notch below ratio.
            best[term_id] = max(best.get(term_id, 0.0), min(score, ACCEPT_SCORE - 1))
        return sorted(best.items(), key=lambda item: -item[1])

    def autocomplete(self, prefix: str, *, limit: int) -> list[Term]:
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
        return unique(
            item for item in self.tokens_and_terms(phrase_key(text)) if isinstance(item, Term)
        )

    def tokens_and_terms(self, key: str) -> list[str | Term]:
        """The words of a phrase key with every term name in it replaced by the term."""
        tokens = key.split()
        found: list[str | Term] = []
        position = 0
        while position < len(tokens):
            for width in range(min(self._max_words, len(tokens) - position), 0, -1):
                term = self._exact_plural("".join(tokens[position : position + width]))
                if term is not None:
                    found.append(term)
                    position += width
                    break
            else:
                found.append(tokens[position])
                position += 1
        return found

    def _exact_plural(self, key: str) -> Term | None:
        """An exact key, or its plural that :func:`singular` kept ("gpus", "cpus")."""
        term = self.exact_key(key)
        if term is None and len(key) > 3 and key.endswith("s"):
            term = self.exact_key(key[:-1])
        return term


def unique(terms: Iterable[Term]) -> list[Term]:
    """``terms`` without repeats, first occurrence kept."""
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.id, term)
    return list(seen.values())
