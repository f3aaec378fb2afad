"""What a plain chat message asks for: explain, compare, an FAQ, a quiz, help, or unknown.

The parser works on folded text (see :mod:`bot.core.text`) with a few phrase patterns, then
checks every candidate against the knowledge, so "what's the diff between GANs and diffusion
models" and "gan vs difusion" both become a comparison of the same two terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias, TypeGuard

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.faq import LITERAL_SCORE, FaqMatch
from bot.core.knowledge.lookup import LookupResult, unique
from bot.core.knowledge.model import Difficulty, Term
from bot.core.text import clean, phrase_key


@dataclass(frozen=True, slots=True)
class HelpIntent:
    """The user wants to know what the bot can do."""


@dataclass(frozen=True, slots=True)
class BrowseIntent:
    """The user wants to see what the bot knows: every term, by category."""


@dataclass(frozen=True, slots=True)
class QuizIntent:
    """The user wants a quiz question, optionally about a term or of a difficulty."""

    topic: Term | None = None
    difficulty: Difficulty | None = None


@dataclass(frozen=True, slots=True)
class ExplainIntent:
    """Define one term. ``typed`` is what the user wrote when it was matched fuzzily."""

    term: Term
    typed: str | None = None
    named: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class CompareIntent:
    """Put two or more terms side by side."""

    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class FaqIntent:
    """Answer a frequently asked question."""

    match: FaqMatch
    named: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class NotFoundIntent:
    """Nothing in the knowledge fits; ``query`` is what was looked for."""

    query: str
    suggestions: tuple[Term, ...] = ()
    named: tuple[Term, ...] = field(default=())


Intent: TypeAlias = (
    HelpIntent
    | BrowseIntent
    | QuizIntent
    | ExplainIntent
    | CompareIntent
    | FaqIntent
    | NotFoundIntent
)

_FILLER = re.compile(
    r"^(?:(?:hey|hi|hello|yo|ok|okay|so|um|uh|please|pls|plz|bot|explainbot|quick question|"
    r"question|q|can you|could you|would you|can u|could u|will you|i want to know|"
    r"i wanna know|i'd like to know|i would like to know|do you know|i wonder|"
    r"i was wondering|help me understand|just|also|and|but|eli5|quick q)\b[\s,:;!.-]*)+"
)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:please|pls|plz|thanks|thank you|thx|again|exactly|simply|briefly|"
    r"in simple terms|in plain english|in plain words|in simple words|for dummies|"
    r"for a beginner|for beginners|like i'?m five|like im 5|like i'?m 5|eli5|in ai|in ml|"
    r"in machine learning|in artificial intelligence|in the context of ai|"
    r"in tech|in computing|anyway|actually|then|exactly))+$"
)
_HELP = re.compile(
    r"^(?:help|\?+|commands?|usage|menu|start|hi|hello|hey|yo|thanks?|thank you|thx|"
    r"what can you do|what do you do|how do (?:i|you) use (?:you|this|this bot|it)|"
    r"how does this work|who are you|what are you|what is explainbot|how to use)$"
)
# Greetings, thanks and "what can I ask" in their everyday variations (also help).
_HELP_LOOSE = re.compile(
    r"^(?:(?:hi|hello|hey|heya|hiya|yo|sup|howdy|greetings|gm|good (?:morning|afternoon|evening|"
    r"day))(?: (?:there|all|everyone|team|folks|bot|explainbot|friend|again))*|"
    r"(?:thanks?|thank you|thx|ty|cheers)(?: (?:so much|a lot|very much|a ton|again|bot|"
    r"explainbot|mate|buddy))*|"
    r"help(?: me)?(?: out)?|how (?:do|can|should) (?:i|we) (?:use|talk to|ask) (?:you|this|it|"
    r"this bot|the bot)|how does this bot work|"
    r"what (?:commands|things|questions|topics|terms|stuff)"
    r" (?:do you (?:have|know|support|cover)|can (?:i|you) (?:ask|do|answer))(?: you)?|"
    r"what (?:can|should) (?:i|we) ask(?: you)?|what do you know(?: about)?|"
    r"what (?:can|do) you help(?: me| us)?(?: with)?|what can you help (?:me |us )?with|"
    r"what are your commands)$"
)
_QUIZ = re.compile(
    r"^(?:/?quiz(?: me)?|quiz time|test me|test my knowledge|give me a (?:quiz|question|test)|"
    r"ask me (?:a|another|some) (?:question|quiz question)s?|another (?:question|quiz)|"
    r"next question|i want (?:a|to take a) quiz|let'?s (?:do a )?quiz|practice|"
    r"can i have a quiz|start (?:a )?quiz|"
    # "give me a quiz question", "another quiz question", "i want a practice question".
    r"(?:give me|i want|i'?d like|send me|can i (?:have|get)|ask me) (?:a |an |another |some )?"
    r"(?:(?P<level>easy|simple|medium|hard|harder|tough|tricky|difficult) |new |random |quick )?"
    r"(?:quiz|practice|test|trivia)?(?: ?questions?)?|quiz question|quiz)"
    r"(?:\s+(?:on|about|with|for|regarding|of|in)\s+(?P<topic>.+))?$"
)
UNEXPLAINED_MAX = 2
"""Words of a message no term explains from which a term's card would no longer answer it."""
COMPARE_MAX = 4
"""Terms one comparison shows side by side (a curated table has at most four columns)."""
_BROWSE = re.compile(
    r"^(?:(?:list|show(?: me)?|give me|see)(?: (?:all|every|a list of|the list of|the))* "
    r"(?:terms?|topics?|concepts?|things you know|glossary|index)|"
    r"what (?:terms|topics|concepts|things|subjects|words) (?:do you|can you|you) "
    r"(?:know|cover|have|explain|teach)(?: about)?|"
    r"what do you know(?: about)?|what (?:do|can) you explain|what's in your glossary|"
    r"(?:the )?(?:glossary|index|all terms|browse|topics))$"
)
# Follow-ups that only make sense after a reply: "it" is what was just discussed.
_IT = r"(?:it|that|this|they|those|them)"
_FOLLOW_COMPARE = re.compile(
    rf"^(?:and |so |but |ok |okay )?(?:how (?:is|does|do|are) {_IT} (?:differ(?:ent)?|compare)"
    r"(?: from| to| with| than)?|(?:what about |and )?(?:vs\.?|versus|compared (?:to|with))|"
    r"(?:what'?s |what is )?the difference (?:with|from|to)|(?:is it|is that) different from|"
    rf"compare {_IT} (?:to|with)|(?:and|how about|what about) (?:vs\.?|versus))\s+(?P<x>.+)$"
)
_FOLLOW_AGAIN = re.compile(
    r"^(?:and |ok |okay )?(?:(?:give me |show me |got |any |some )?(?:an? |some |more )?"
    rf"examples?(?: of {_IT})?|(?:explain {_IT} )?(?:more )?simpler|(?:in )?simpler terms|"
    rf"explain {_IT} (?:more )?simply|eli5|dumb {_IT} down|say {_IT} (?:more )?simply|"
    r"(?:i )?(?:don'?t|do not) (?:get|understand) (?:it|that))$"
)
_FOLLOW_QUIZ = re.compile(rf"^(?:quiz|test) me (?:on|about) {_IT}$")
# Quiz requests in everyday words, beyond the fixed phrasings of _QUIZ.
_QUIZ_LOOSE = re.compile(
    r"\b(?:quiz|trivia|test me|test my knowledge)\b"
    r"|^(?:another|one more|next)(?:\s+(?:one|question|q|quiz))?\b"
    r"|\b(?:give me|gimme|hit me with|ask me|send me|throw me|can i (?:have|get)|"
    r"can you give me|can u give me)\s+(?:a|an|another|one more|some)\s+(?:\w+\s+){0,2}?"
    r"(?:one|question|q)\b"
    r"|\b(?:hard|easy|medium) mode\b"
    r"|^(?:an?|another|one more)\s+(?:(?:easy|simple|medium|hard|harder|tough|tricky|difficult)"
    r"\s+)?(?:one|question|q)\s+(?:about|on|re|regarding)\b"
)
_LEVEL_WORD = re.compile(r"\b(easy|simple|medium|hard|harder|tough|tricky|difficult)\b")
_NOT_HARD = re.compile(r"\bnot (?:too |so |very )?(?:hard|difficult|tough)\b")
_LEVEL_PHRASE = re.compile(
    r"\b(?:not (?:too |so |very )?)?(?:easy|simple|medium|hard|harder|tough|tricky|difficult)"
    r"(?: mode| difficulty| level| one| question)?\b|[,;!]"
)
_QUIZ_TOPIC = re.compile(
    r"\b(?:on|about|regarding|re|with|of|for|covering)\s+(?P<topic>.+?)"
    r"(?:\s+(?:please|pls|plz|this time|now|today))*\s*$"
)
# What follows the subject of "what is X in Y" / "X for Y": context, not part of the name.
_QUALIFIER = re.compile(r"\s+(?:in|for|on|within|inside|when|used in|with|to)\s+")
# Words a "what is X" question may carry besides X without asking about something else.
_COVERAGE_WORDS = (
    "a an the of is are was be what whats mean means meaning meant thing things stuff exactly "
    "really actually basically simple simply term terms word words like im i m 5 five please "
    "pls plz for dummies dummy beginner beginners layman laymans in on ai ml artificial "
    "intelligence machine learning model models context concept concepts called call do does "
    "did work works to me you us we my our stand stands acronym abbreviation full form "
    "working how about and or explained explain explanation definition define this that these "
    "those it its kind type types example examples technology tech field general world "
    "nutshell plain english short brief briefly used use uses using mean by keep keeps hear "
    "hearing heard everyone everybody people talking talk talks saying say says mention "
    "mentioned lot lately they them their there here so hey hi ok okay just quick question "
    "lol lmao haha btw tbh idk rn can could someone anyone somebody need know want setting "
    "settings option options feature features when"
)
# Folded the way message words are ("does" → "doe"), so both sides compare alike.
_COVERAGE_FREE = frozenset(phrase_key(word) for word in _COVERAGE_WORDS.split())
_ARTICLE = re.compile(r"^(?:an?|the|some|this|that|these|those)\s+")
_SIDE_NOISE = re.compile(
    r"\s+(?:difference|differences|diff|compared|comparison|exactly|in ai|really|"
    r"again|then|though|anyway)$"
)
_MORE = re.compile(r"\s*,\s*|\s+(?:vs\.?|versus|and|or|&)\s+")
_JOIN = r"(?:and|&|vs\.?|versus|v\.?|or|with|to|from|against|n)"
_COMPARE = [
    re.compile(
        r"^(?:what(?:'s| is| are|s)?\s+)?(?:the\s+)?(?:main\s+|key\s+|real\s+|big\s+|biggest\s+)?"
        r"(?:diff|difference|differences|distinction|contrast)\s+(?:between|btw|b/w|of|in)\s+"
        rf"(?P<a>.+?)\s+{_JOIN}\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^(?:compare|contrast|comparison of|comparing|differentiate|distinguish)(?:\s+between)?"
        rf"\s+(?P<a>.+?)\s+{_JOIN}\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^how\s+(?:is|are|does|do|would you)\s+(?P<a>.+?)\s+"
        r"(?:differ|different|compare|stack up|relate|related|contrast)"
        r"(?:\s+(?:from|to|with|against|than))?\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^(?:what(?:'s| is)?\s+)?(?:which\s+is\s+(?:better|best)|should\s+i\s+use|"
        r"which\s+should\s+i\s+(?:use|pick|choose))[,:]?\s+(?P<a>.+?)\s+(?:or|vs\.?)\s+(?P<b>.+)$"
    ),
    re.compile(
        r"^(?:is|are)\s+(?P<a>.+?)\s+(?:the same as|same as|the same thing as|different from|"
        r"different than|different to|similar to|equivalent to|better than)\s+(?P<b>.+)$"
    ),
    re.compile(r"^(?P<a>.+?)\s+(?:vs\.?|versus|v\.?|compared to|compared with|or)\s+(?P<b>.+)$"),
    re.compile(
        r"^(?P<a>.+?)\s+(?:and|&)\s+(?P<b>.+?)\s+(?:difference|differences|diff|compared|"
        r"comparison|similarities|differ)$"
    ),
]
_STRONG_COMPARE = re.compile(
    r"\b(?:vs|versus|compare|comparison|differ|difference|differences|diff|distinguish|"
    r"contrast)\b"
)
_DEFINE = [
    re.compile(
        r"^(?:what|wat|wht|whats)(?:\s+exactly)?(?:'s|s| is| are| r| was| were)?\s+(?:meant by\s+)?"
        r"(?P<x>.+?)(?:\s+(?:mean|means|stand for|stands for|refer to|all about))?$"
    ),
    re.compile(r"^(?:what\s+)?(?:does|do)\s+(?P<x>.+?)\s+(?:mean|stand for|do)$"),
    re.compile(
        r"^(?:define|definition of|defn of|def of|meaning of|explain|describe|"
        r"tell me about|tell me more about|tell me what|teach me about|teach me|"
        r"what do you know about|info on|info about|information on|information about|"
        r"learn about|i want to learn about|i'd like to learn about|more about|"
        r"give me (?:a |the )?(?:definition|explanation) of|show me|look up|lookup)\s+"
        r"(?P<x>.+?)(?:\s+(?:is|are|means))?$"
    ),
    re.compile(
        r"^(?:who|what)\s+(?:made|makes|created|creates|built|builds|owns|invented)\s+(?P<x>.+)$"
    ),
    re.compile(r"^how\s+(?:does|do|did)\s+(?P<x>.+?)\s+(?:work|works|function)$"),
    re.compile(r"^(?P<x>.+?)\s+(?:meaning|definition|defined|explained|explanation|means)$"),
    re.compile(r"^(?:is there (?:a|an) )?(?P<x>.+?)\s*\?+$"),
]


def drop_bot_name(text: str, bot_names: tuple[str, ...] = ("explainbot",)) -> str:
    """Remove the bot addressed by name in plain text ("@explainbot what is ..."). Platform
    mention markup is removed by each adapter before text reaches the core."""
    for name in bot_names:
        text = re.sub(rf"(^|\s)@{re.escape(name)}\b", r"\1", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _unfilled(text: str) -> str:
    """Lowercase, cleaned text without emoji and edge punctuation, fillers still in."""
    text = clean(text).casefold().replace("’", "'").replace("‘", "'")
    # Emoji and other pictographs ("🤔", "👋") carry no meaning for the parser.
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Cs") or ch == "\ufe0f" else ch
        for ch in text
    )
    return re.sub(r"\s+", " ", text).strip(" \t\n.!,;:?")


_LEVELS = {
    "easy": Difficulty.EASY,
    "simple": Difficulty.EASY,
    "medium": Difficulty.MEDIUM,
    "hard": Difficulty.HARD,
    "harder": Difficulty.HARD,
    "tough": Difficulty.HARD,
    "tricky": Difficulty.HARD,
    "difficult": Difficulty.HARD,
}
_CHAT_SHORTHAND = {"r": "are", "u": "you", "ur": "your", "pls": "please", "plz": "please"}
"""Chat shorthand spelled out before matching ("how r rnns different from transformers")."""


def normalise(text: str) -> str:
    """Lowercase, cleaned text without fillers, for pattern matching (punctuation kept)."""
    text = clean(text).casefold().replace("’", "'").replace("‘", "'")
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Cs") or ch == "\ufe0f" else ch
        for ch in text
    )
    text = " ".join(_CHAT_SHORTHAND.get(word, word) for word in text.split())
    text = text.strip(" \t\n.!,;:")
    question = text.endswith("?")
    text = text.rstrip("? ")
    text = _FILLER.sub("", text)
    text = _TRAILING.sub("", text).strip(" ,.!?")
    return f"{text}?" if question and text else text


class IntentParser:
    """Turns a message into an :class:`Intent` using one knowledge snapshot."""

    def __init__(self, base: KnowledgeBase, *, bot_names: tuple[str, ...] = ("explainbot",)):
        self.base = base
        self.bot_names = bot_names
        self._lookups: dict[str, LookupResult] = {}

    def _lookup(self, text: str) -> LookupResult:
        """``base.lookup`` remembered for this parser: several readings try the same words."""
        found = self._lookups.get(text)
        if found is None:
            found = self._lookups[text] = self.base.lookup(text)
        return found

    def parse(self, raw: str) -> Intent:
        """Classify ``raw`` (a mention's or DM's text)."""
        stripped = drop_bot_name(raw, self.bot_names)
        text = normalise(stripped)
        bare = text.rstrip("?").strip()
        if _BROWSE.match(bare):
            return BrowseIntent()
        # Greetings are checked before fillers go: "hey there" is not a question about "there".
        if not bare or _HELP.match(bare) or _HELP_LOOSE.match(bare):
            return HelpIntent()
        if _HELP_LOOSE.match(_unfilled(stripped)):
            return HelpIntent()
        if _QUIZ.match(bare) or _QUIZ_LOOSE.search(bare):
            return self._quiz(bare)
        named = tuple(self.base.index.scan(bare))
        faq = self.base.faq_matcher.match(bare, named)
        # A message that is an FAQ phrasing nearly letter for letter is that FAQ, even when it
        # also reads as "is X the same as Y" (strong words like "vs" still mean a comparison).
        literal = faq is not None and faq.literal >= LITERAL_SCORE and faq.confident
        if literal and faq is not None and not _STRONG_COMPARE.search(bare):
            return FaqIntent(faq, named)
        compared = self._comparison(bare)
        if compared is not None:
            return compared
        exact = self.base.index.exact(_strip_article(bare))
        if exact is not None:
            return ExplainIntent(exact, named=(exact,))
        # "what is X" where X as a whole (or before "in ...") is a term: a definition, even if
        # some FAQ mentions X.
        whole_definition = self._definition(text, whole_only=True)
        if whole_definition is not None:
            return whole_definition
        if faq is not None and faq.confident:
            return FaqIntent(faq, named)
        defined = self._definition(text)
        if defined is not None:
            return defined
        # A short message that is itself a (mistyped) term beats a loose FAQ resemblance.
        whole = self._lookup(_strip_article(bare))
        if whole.term is not None and len(bare.split()) <= 4:
            return ExplainIntent(whole.term, typed=bare, named=(whole.term,))
        if faq is not None:
            return FaqIntent(faq, named)
        if 2 <= len(named) <= COMPARE_MAX and _STRONG_COMPARE.search(bare):
            return CompareIntent(named)
        if named:
            if len(self._uncovered(bare)) >= UNEXPLAINED_MAX:
                # "does chatgpt train on what i type": a question about ChatGPT that no entry
                # answers; its card would answer something else. Say so and offer the terms.
                return NotFoundIntent(bare, tuple(named[:3]), named)
            return ExplainIntent(named[0], named=(named[0],))
        return NotFoundIntent(bare, whole.suggestions or self._suggest_words(bare))

    def follow_up(self, raw: str, last: Sequence[Term]) -> Intent | None:
        """A short follow-up about ``last`` (what the conversation just discussed), or None.

        "and how is it different from GANs?" compares; "give me an example" and "simpler
        please" show the card again; "quiz me on it" asks a question on it.
        """
        if not last:
            return None
        text = normalise(drop_bot_name(raw, self.bot_names)).rstrip("?").strip()
        if other := _FOLLOW_COMPARE.match(text):
            found = self._lookup(_clean_side(other.group("x")))
            if found.term is not None and found.term.id != last[0].id:
                return CompareIntent((last[0], found.term))
            return None
        if _FOLLOW_AGAIN.match(text):
            return ExplainIntent(last[0], named=(last[0],))
        if _FOLLOW_QUIZ.match(text):
            return QuizIntent(last[0], None)
        return None

    def _quiz(self, text: str) -> QuizIntent:
        """A quiz request: its difficulty wherever it is named ("hard", "not too hard",
        "tricky"), and its topic after "on", "about", ... or any term it names."""
        level = None
        if _NOT_HARD.search(text):
            level = Difficulty.EASY
        elif found := _LEVEL_WORD.search(text):
            level = _LEVELS[found.group(1)]
        words = _LEVEL_PHRASE.sub(" ", text)
        topic: Term | None = None
        if about := _QUIZ_TOPIC.search(words):
            topic = self._term(about.group("topic"))
            if topic is None:
                inner = self.base.index.scan(about.group("topic"))
                topic = inner[0] if len(inner) == 1 else None
        else:
            inner = self.base.index.scan(words)
            topic = inner[0] if len(inner) == 1 else None
        return QuizIntent(topic, level)

    def _term(self, text: str) -> Term | None:
        return self._lookup(_clean_side(text)).term

    def _comparison(self, text: str) -> Intent | None:
        for pattern in _COMPARE:
            found = pattern.match(text)
            if found is None:
                continue
            first, second = _clean_side(found["a"]), _clean_side(found["b"])
            several = self._several(first, second)
            if several is not None:
                return several
            left, right = self._pair(first, second)
            if left.term and right.term and left.term.id != right.term.id:
                return CompareIntent((left.term, right.term))
            strong = _STRONG_COMPARE.search(text) is not None
            if not strong:
                continue
            if left.term is None or right.term is None:
                named = self.base.index.scan(text)
                if 2 <= len(named) <= COMPARE_MAX:
                    return CompareIntent(tuple(named))
                missing, result = (first, left) if left.term is None else (second, right)
                return NotFoundIntent(missing, result.suggestions, tuple(named))
        return None

    def _several(self, first: str, second: str) -> Intent | None:
        """ "ai vs ml vs dl", "gpt, claude and llama": three or four terms when every part of
        either side names one."""
        parts = [part for side in (first, second) for part in _MORE.split(side) if part.strip()]
        if not 3 <= len(parts) <= COMPARE_MAX:
            return None
        results = [self._lookup(_clean_side(part)).term for part in parts]
        if any(term is None for term in results):
            return None
        terms = unique(term for term in results if term is not None)
        return CompareIntent(tuple(terms)) if len(terms) >= 2 else None

    def _pair(self, first: str, second: str) -> tuple[LookupResult, LookupResult]:
        """Look up both sides; "predictive and generative AI" shares the trailing noun."""
        left, right = self._lookup(first), self._lookup(second)
        if left.term is None and second.split() and len(first.split()) == 1:
            shared = self._lookup(f"{first} {second.split()[-1]}")
            if shared.term is not None:
                left = shared
        if left.term is None and len(first.split()) > 1:
            inner = self.base.index.scan(first)
            if len(inner) == 1:
                left = LookupResult(inner[0])
        if right.term is None and len(second.split()) > 1:
            inner = self.base.index.scan(second)
            if len(inner) == 1:
                right = LookupResult(inner[0])
        return left, right

    def _definition(self, text: str, *, whole_only: bool = False) -> Intent | None:
        """A definition from the first "what is X"-style pattern whose X names a term.

        With ``whole_only``, X must be a term by itself, or before a qualifier such as
        "in llms" ("what is a token in llms"); otherwise a term named inside X will do, and an
        unknown short X is reported as not found.
        """
        for pattern in _DEFINE:
            found = pattern.match(text)
            if found is None:
                continue
            query = _clean_side(found["x"])
            if not query:
                continue
            result = self._lookup(query)
            if result.term is None:
                head = _QUALIFIER.split(query, maxsplit=1)[0]
                if head != query and head:
                    result = self._lookup(_clean_side(head))
                    if result.term is not None and self._uncovered(query[len(head) :]):
                        # "a transformer in electrical engineering": the context is not ours.
                        return NotFoundIntent(query, (result.term,), (result.term,))
            if result.term is not None:
                typed = query if result.fuzzy else None
                return ExplainIntent(result.term, typed=typed, named=(result.term,))
            if whole_only:
                continue
            inner = unique(self.base.index.scan(query))
            if inner:
                if self._beside_term(query):
                    # "prompt caching" is not "prompt": say what is unknown, offer the closest.
                    return NotFoundIntent(query, tuple(inner[:3]), tuple(inner))
                return ExplainIntent(inner[0], named=(inner[0],))
            if len(query.split()) <= 5 and pattern is not _DEFINE[-1]:
                return NotFoundIntent(query, result.suggestions)
        return None

    def _beside_term(self, text: str) -> list[str]:
        """Words right next to the first term in ``text`` that no term explains: the rest of
        a compound name ("prompt *caching*", "*quantum* machine learning"), as opposed to a
        clause around it ("an llm exactly? my manager keeps saying it")."""
        tokens = self.base.index.tokens_and_terms(phrase_key(text))
        first = next((i for i, token in enumerate(tokens) if not isinstance(token, str)), None)
        if first is None:
            return []
        beside = [tokens[i] for i in (first - 1, first + 1) if 0 <= i < len(tokens)]
        return [token for token in beside if _meaningful(token)]

    def _uncovered(self, text: str) -> list[str]:
        """Words of ``text`` that no term explains and that carry meaning of their own."""
        tokens = self.base.index.tokens_and_terms(phrase_key(text))
        return [token for token in tokens if _meaningful(token)]

    def _suggest_words(self, text: str) -> tuple[Term, ...]:
        """Suggestions from the longest words of an unknown message."""
        candidates = sorted(set(phrase_key(text).split()), key=len, reverse=True)[:3]
        found: list[Term] = []
        for word in candidates:
            if len(word) >= 4:
                found.extend(self._lookup(word).suggestions)
        return tuple(unique(found))[:3]


def _meaningful(token: str | Term) -> TypeGuard[str]:
    """A word no term explains that says something of its own (not chatter, not "70b")."""
    return (
        isinstance(token, str)
        and token not in _COVERAGE_FREE
        and not any(ch.isdigit() for ch in token)
    )


def _strip_article(text: str) -> str:
    return _ARTICLE.sub("", text.strip())


def _clean_side(text: str) -> str:
    """One side of a comparison or the subject of a question, without noise words."""
    text = text.strip(" ?!.,;:'\"`*_()[]{}")
    text = _SIDE_NOISE.sub("", text)
    text = _TRAILING.sub("", text)
    return _strip_article(text).strip(" ?!.,;:'\"`*_()[]{}")
