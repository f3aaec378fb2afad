"""The loaded, indexed knowledge: an immutable snapshot swapped whole on reload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from bot.core.knowledge.faq import FaqMatcher
from bot.core.knowledge.lookup import LookupResult, TermIndex
from bot.core.knowledge.model import Comparison, Difficulty, FaqEntry, QuizQuestion, Term


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Terms, comparisons, FAQ and quiz questions with the indexes the core needs."""

    terms: Mapping[str, Term]
    comparisons: tuple[Comparison, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    quiz: tuple[QuizQuestion, ...] = ()
    index: TermIndex = field(init=False)
    questions: Mapping[str, QuizQuestion] = field(init=False)
    quiz_by_term: Mapping[str, tuple[QuizQuestion, ...]] = field(init=False)
    quiz_by_difficulty: Mapping[Difficulty, tuple[QuizQuestion, ...]] = field(init=False)
    faq_matcher: FaqMatcher = field(init=False)
    _pairs: Mapping[frozenset[str], Comparison] = field(init=False)
    _by_term: Mapping[str, tuple[Comparison, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", TermIndex(self.terms))
        object.__setattr__(self, "questions", {q.id: q for q in self.quiz})
        by_term: dict[str, list[QuizQuestion]] = {}
        by_difficulty: dict[Difficulty, list[QuizQuestion]] = {}
        for question in self.quiz:
            for term_id in question.terms:
                by_term.setdefault(term_id, []).append(question)
            by_difficulty.setdefault(question.difficulty, []).append(question)
        object.__setattr__(self, "quiz_by_term", {k: tuple(v) for k, v in by_term.items()})
        object.__setattr__(
            self, "quiz_by_difficulty", {k: tuple(v) for k, v in by_difficulty.items()}
        )
        object.__setattr__(self, "faq_matcher", FaqMatcher(self.faq, self.index))
        pairs: dict[frozenset[str], Comparison] = {}
        for comparison in self.comparisons:
            for pair in combinations(comparison.terms, 2):
                key = frozenset(pair)
                # A curated two-term table beats a wider one that also covers the pair.
                if key not in pairs or len(comparison.terms) < len(pairs[key].terms):
                    pairs[key] = comparison
        object.__setattr__(self, "_pairs", pairs)
        tables: dict[str, list[Comparison]] = {}
        for comparison in self.comparisons:
            for term_id in comparison.terms:
                tables.setdefault(term_id, []).append(comparison)
        object.__setattr__(self, "_by_term", {k: tuple(v) for k, v in tables.items()})

    def resolve(self, text: str) -> Term | None:
        """The term ``text`` names (id, name or alias; case, spacing, plurals ignored)."""
        return self.index.exact(text) or self.index.lookup(text).term

    def lookup(self, text: str) -> LookupResult:
        """The term ``text`` names, or suggestions when unsure."""
        return self.index.lookup(text)

    def curated(self, first: str, second: str) -> Comparison | None:
        """The curated comparison covering both term ids, if any."""
        return self._pairs.get(frozenset((first, second)))

    def covering(self, term_ids: Sequence[str]) -> Comparison | None:
        """The smallest curated comparison whose columns include every id in ``term_ids``."""
        if len(term_ids) == 2:
            return self.curated(term_ids[0], term_ids[1])
        wanted = set(term_ids)
        candidates = [
            comparison
            for comparison in self._by_term.get(term_ids[0], ())
            if wanted <= set(comparison.terms)
        ]
        return min(candidates, key=lambda comparison: len(comparison.terms), default=None)

    def counts(self) -> dict[str, int]:
        """How many of each kind of entry there are."""
        return {
            "terms": len(self.terms),
            "comparisons": len(self.comparisons),
            "faq": len(self.faq),
            "quiz": len(self.quiz),
        }
