"""Recognising frequently asked questions however people phrase them.

Each phrasing (question and variants) is folded to a *concept key*: every term it names becomes
one token (``T:llm`` for "large language models", "LLMs" or "llm"), common synonyms become one
word ("pictures" → "image", "downsides" → "limitation"), filler words go, and the rest is
crudely stemmed. "can chatgpt draw" and "can chatgpt make images" then share the same key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.knowledge.lookup import TermIndex
from bot.core.knowledge.model import FaqEntry, Term
from bot.core.text import phrase_key

CONFIDENT_SCORE = 84.0
"""A match at least this close (0-100) wins over a definition of a term the question names."""
WEAK_SCORE = 70.0
"""Closer than this still answers a question no pattern recognised."""
LITERAL_SCORE = 95.0
"""A message this close to a phrasing, letter for letter, is that FAQ whatever it looks like."""
SHORTLIST_MAX = 300
_CANDIDATES = 10

# Words that carry no meaning for telling FAQs apart.
_STOP_WORDS = (
    "a an the is are was were be been being am do does did can could would should will shall "
    "i you me my your we our it its this that these those they them their of to in into on "
    "for with about from at by as and or so just really actually even some any there what "
    "which who how why when where much many very exactly thing things have has had get got "
    "please pls plz bot explainbot hey hi ok okay like considered consider count counted "
    "counts as if than then also too ever always all every not"
)
_STOP = frozenset(_STOP_WORDS.split())
# One meaning, many words: each maps to the first word of its group (some to two words).
_GROUPS = (
    "image picture pic photo drawing artwork illustration",
    "make generate create produce",
    "type kind sort subset branch form part category flavor flavour subcategory",
    "limitation downside drawback risk problem weakness danger issue limit con disadvantage",
    "cost expensive price costly pricey pricy",
    "example instance",
    "data info information detail",
    "paste put share upload enter feed",
    "confidential sensitive private secret proprietary",
    "company business enterprise work corporate workplace office job",
    "need require",
    "large big size huge",
    "learn train",
    "think reason",
    "understand comprehend",
    "trust reliable accurate",
    "use usage",
    "new replacement successor",
    "build built based base made",
    "around alive exist available",
)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    word: (group.split()[0],) for group in _GROUPS for word in group.split()
}
_SYNONYMS["draw"] = ("make", "image")
_SUFFIXES = ("ing", "ed", "es", "e", "s")


def _stem(word: str) -> str:
    """A crude stem so "trained", "training" and "train" agree."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def concept_tokens(text: str, index: TermIndex) -> list[str]:
    """``text`` as terms (``T:id``) and stemmed, synonym-folded content words."""
    tokens: list[str] = []
    for item in index.tokens_and_terms(phrase_key(text)):
        if isinstance(item, str):
            if item in _STOP:
                continue
            for word in _SYNONYMS.get(item, (item,)):
                tokens.append(_SYNONYMS.get(_stem(word), (_stem(word),))[0])
        else:
            tokens.append(f"T:{item.id}")
    return tokens


@dataclass(frozen=True, slots=True)
class FaqMatch:
    """An FAQ entry and how closely the message matched one of its phrasings."""

    entry: FaqEntry
    score: float
    literal: float = 0.0
    """How close the message is to the phrasing letter for letter (0-100)."""

    @property
    def confident(self) -> bool:
        """True when the match is close enough to prefer over other readings."""
        return self.score >= CONFIDENT_SCORE


class FaqMatcher:
    """Fuzzy matching of a message's concepts against every FAQ question and variant."""

    def __init__(self, entries: Sequence[FaqEntry], index: TermIndex) -> None:
        self._index = index
        self._keys: list[str] = []
        self._concepts: list[str] = []
        self._owners: list[FaqEntry] = []
        self._allowed: list[frozenset[str]] = []
        self._pure: list[bool] = []
        self._by_prefix: dict[str, list[int]] = {}
        self._by_allowed: dict[str, set[int]] = {}
        for entry in entries:
            phrasings = [phrase_key(p) for p in (entry.question, *entry.variants)]
            # Any term one phrasing names may be named in any rewording of the question.
            allowed = set(entry.related)
            for key in phrasings:
                allowed.update(t.id for t in index.scan(key))
            for key in phrasings:
                concepts = concept_tokens(key, index)
                if not key or not concepts:
                    continue
                self._keys.append(key)
                self._concepts.append(" ".join(concepts))
                self._owners.append(entry)
                self._allowed.append(frozenset(allowed))
                self._pure.append(all(c.startswith("T:") for c in concepts))
                position = len(self._keys) - 1
                for prefix in {_prefix(c) for c in concepts}:
                    self._by_prefix.setdefault(prefix, []).append(position)
                for term_id in allowed:
                    self._by_allowed.setdefault(term_id, set()).add(position)

    def match(self, text: str, named: Sequence[Term] = ()) -> FaqMatch | None:
        """The best FAQ for ``text`` whose terms agree with the terms ``named`` in it."""
        query = phrase_key(text)
        if not query or not self._keys:
            return None
        concepts = concept_tokens(query, self._index)
        words = [c for c in concepts if not c.startswith("T:")]
        asked = {term.id for term in named} | {c[2:] for c in concepts if c.startswith("T:")}
        if not words and len(asked) < 2:
            # Only a term ("what is generative ai"): a definition, never an FAQ.
            return None
        joined = " ".join(concepts)
        best: FaqMatch | None = None
        # Only phrasings sharing a concept (or its first letters, for typos) can score.
        overlap = Counter(
            position for c in set(concepts) for position in self._by_prefix.get(_prefix(c), ())
        )
        if asked:
            # A phrasing can only match if its entry allows every term the message names.
            possible = set.intersection(*(self._by_allowed.get(t, set()) for t in asked))
            overlap = Counter({p: n for p, n in overlap.items() if p in possible})
        # The phrasings sharing the most concepts; a few hundred is plenty to find the best.
        shortlist = [position for position, _ in overlap.most_common(SHORTLIST_MAX)]
        candidates = process.extract(
            joined,
            {position: self._concepts[position] for position in shortlist},
            scorer=fuzz.token_set_ratio,
            limit=_CANDIDATES,
            score_cutoff=WEAK_SCORE,
        )
        for key, set_score, position in candidates:
            if not asked <= self._allowed[position]:
                continue
            if not words and not self._pure[position]:
                continue
            key_tokens = key.split()
            key_terms = {c[2:] for c in key_tokens if c.startswith("T:")}
            if key_terms and asked and not key_terms & asked:
                continue
            shared = len(set(words) & set(key_tokens))
            literal = max(fuzz.ratio(query, self._keys[position]), 0.0)
            if words and not shared and literal < LITERAL_SCORE:
                # "is AI dangerous" shares only the term with "why is AI so expensive": an FAQ
                # answers a question that asks what it answers, not any question on its term.
                continue
            # token_set_ratio is 100 when one side's words all appear in the other; temper it
            # by how much of the phrasing's meaning the message actually covers.
            key_words = [c for c in key_tokens if not c.startswith("T:")]
            coverage = shared / len(set(key_words)) if key_words else 1.0
            score = max(fuzz.token_sort_ratio(joined, key), set_score * (0.75 + 0.25 * coverage))
            if score >= WEAK_SCORE and (best is None or score > best.score):
                best = FaqMatch(self._owners[position], score, literal)
        return best


def _prefix(concept: str) -> str:
    """The shortlist key of a concept: a whole term token, or a word's first four letters."""
    return concept if concept.startswith("T:") else concept[:4]
