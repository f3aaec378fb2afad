"""The core every adapter talks to: one method per thing a user can ask for.

Every public coroutine runs inside one error boundary: a database outage becomes a polite
"try again" reply and any other failure is logged and answered with an apology, so a user is
never met with silence. Definitions and comparisons need no database.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from bot.core import actions, admin, cards
from bot.core.clock import Clock, SystemClock
from bot.core.conversation import Conversations
from bot.core.daily.schedule import Schedule, ScheduleRequest
from bot.core.errors import StoreUnavailable
from bot.core.gaps import GapCounter
from bot.core.intents import (
    BrowseIntent,
    CompareIntent,
    ExplainIntent,
    FaqIntent,
    HelpIntent,
    Intent,
    IntentParser,
    NotFoundIntent,
    QuizIntent,
    drop_bot_name,
)
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import LoadResult
from bot.core.knowledge.model import Difficulty, Term
from bot.core.live import LiveKnowledge
from bot.core.ports import DailyRepository, GapRepository, QuizRepository
from bot.core.quiz import QuizService
from bot.core.replies import Reply, ReplyKind, TermRef, Tone
from bot.core.request import Requester
from bot.core.text import clean, phrase_key

logger = logging.getLogger(__name__)

P = ParamSpec("P")
CoreT = TypeVar("CoreT", bound="Core")

TRY_AGAIN = cards.notice(
    "I can't reach my database right now",
    "Quiz answers and scores need it; please try again in a minute. "
    "Definitions and comparisons still work: try /explain llm.",
    tone=Tone.WARNING,
)
SORRY = cards.notice(
    "Sorry, something went wrong on my side",
    "It has been logged. Try again, or type help to see what I can do.",
    tone=Tone.BAD,
)
GAP_QUERY_MAX = 100


def guarded(
    method: Callable[Concatenate[CoreT, P], Coroutine[Any, Any, Reply]],
) -> Callable[Concatenate[CoreT, P], Coroutine[Any, Any, Reply]]:
    """The core's error boundary: log and answer politely instead of raising."""

    @functools.wraps(method)
    async def wrapper(self: CoreT, *args: P.args, **kwargs: P.kwargs) -> Reply:
        try:
            return await method(self, *args, **kwargs)
        except StoreUnavailable:
            logger.warning("%s: database unavailable", method.__name__)
            return TRY_AGAIN
        except Exception:
            logger.exception("%s failed", method.__name__)
            return SORRY

    return cast(Callable[Concatenate[CoreT, P], Coroutine[Any, Any, Reply]], wrapper)


class Core:
    """The platform-free bot: knowledge, intents, quiz and gaps behind one async API."""

    def __init__(
        self,
        knowledge: LiveKnowledge,
        quiz_repository: QuizRepository,
        gap_repository: GapRepository,
        *,
        bot_names: tuple[str, ...] = ("explainbot",),
        database_ping: Callable[[], Awaitable[bool]] | None = None,
        daily_repository: DailyRepository | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.daily = daily_repository
        self._database_ping = database_ping
        self.clock = clock or SystemClock()
        self.quiz = QuizService(lambda: self.knowledge.current, quiz_repository, clock=self.clock)
        self.gaps = gap_repository
        self.bot_names = bot_names
        self.gap_counter = GapCounter(gap_repository)
        self.conversations = Conversations(self.clock)

    @property
    def base(self) -> KnowledgeBase:
        """The current knowledge snapshot."""
        return self.knowledge.current

    # Plain language -------------------------------------------------------------------

    @guarded
    async def message(self, text: str, who: Requester, *, thread: str | None = None) -> Reply:
        """Answer a mention, a direct message or a console line.

        ``thread`` names the conversation (a Slack thread, a Discord reply chain, a DM, the
        terminal): a short follow-up ("and how is it different from GANs?") builds on what it
        last discussed, and the reply becomes what it discusses now.
        """
        base = self.base
        parser = IntentParser(base, bot_names=self.bot_names)
        intent = None
        if thread is not None:
            last = [base.terms[i] for i in self.conversations.last(thread) if i in base.terms]
            intent = parser.follow_up(text, last)
        reply = await self._answer(base, intent or parser.parse(text), who)
        if thread is not None:
            self.remember(thread, reply)
        return reply

    def remember(self, thread: str, reply: Reply) -> None:
        """Make ``reply``'s terms what ``thread`` is about (for a reply sent under a new id)."""
        if reply.kind in _TOPICAL:
            self.conversations.remember(thread, tuple(term.id for term in reply.terms))

    async def _answer(self, base: KnowledgeBase, intent: Intent, who: Requester) -> Reply:
        match intent:
            case HelpIntent():
                return cards.help_card(base)
            case BrowseIntent():
                return cards.browse(base)
            case QuizIntent(topic=topic, difficulty=difficulty):
                return await self.quiz.practice(who, topic, difficulty=difficulty)
            case ExplainIntent(term=term, typed=typed, named=named):
                reply = cards.definition(base, term, typed=typed)
                return _with_terms(reply, named) if len(named) > 1 else reply
            case CompareIntent(terms=terms):
                return cards.comparison(base, terms)
            case FaqIntent(match=found, named=named):
                return cards.faq_answer(base, found.entry, named)
            case NotFoundIntent(query=query, suggestions=suggestions):
                self._note_gap(query, who)
                return cards.not_found(query, suggestions, examples=_starters(base))
        raise AssertionError(f"unhandled intent {intent!r}")  # pragma: no cover

    # Slash commands ---------------------------------------------------------------------

    @guarded
    async def explain(self, query: str, who: Requester) -> Reply:
        """``/explain TERM``: the definition card, or suggestions."""
        base = self.base
        query = drop_bot_name(clean(query), self.bot_names)
        found = base.lookup(query)
        if found.term is not None:
            return cards.definition(base, found.term, typed=query if found.fuzzy else None)
        faq = base.faq_matcher.match(query, base.index.scan(query))
        if faq is not None and faq.confident:
            return cards.faq_answer(base, faq.entry)
        # "/explain what is an llm", "/explain gans vs diffusion": read it as a message.
        intent = IntentParser(base, bot_names=self.bot_names).parse(query)
        if isinstance(intent, ExplainIntent | CompareIntent | FaqIntent | BrowseIntent):
            return await self._answer(base, intent, who)
        self._note_gap(query, who)
        return cards.not_found(query, found.suggestions, examples=_starters(base))

    @guarded
    async def compare(self, first: str, second: str, who: Requester) -> Reply:
        """``/compare A B``: a curated or generic side-by-side of two known terms."""
        base = self.base
        sides = [drop_bot_name(clean(side), self.bot_names) for side in (first, second)]
        found = [base.lookup(side) for side in sides]
        for side, result in zip(sides, found, strict=True):
            if result.term is None:
                self._note_gap(side, who)
                return cards.not_found(side, result.suggestions, examples=_starters(base))
        left, right = found[0].term, found[1].term
        assert left is not None
        assert right is not None
        if left.id == right.id:
            return cards.notice(
                f"That's {left.name} twice",
                "Name two different terms, for example /compare llm generative-ai.",
            )
        return cards.comparison(base, (left, right))

    @guarded
    async def practice_quiz(
        self,
        who: Requester,
        topic: str | None = None,
        *,
        difficulty: Difficulty | None = None,
    ) -> Reply:
        """``/quiz [TOPIC]``: a new practice question, about ``topic`` and of ``difficulty``
        when given (a topic the knowledge lacks is answered as not found, never ignored)."""
        base = self.base
        term = None
        if topic:
            found = base.lookup(topic)
            if found.term is None:
                self._note_gap(topic, who)
                return cards.not_found(topic, found.suggestions, examples=_starters(base))
            term = found.term
        return await self.quiz.practice(who, term, difficulty=difficulty)

    @guarded
    async def quiz_stats(self, who: Requester) -> Reply:
        """``/quiz stats``: the asker's scores."""
        return await self.quiz.stats(who)

    @guarded
    async def leaderboard(self, who: Requester, *, month: bool = False) -> Reply:
        """``/quiz leaderboard [month]``: the top answerers."""
        return await self.quiz.leaderboard(who, month=month)

    @guarded
    async def action(self, action: str, who: Requester) -> Reply:
        """A button click: an answer, a new question, or a related term's card."""
        if action.startswith(actions.ANSWER_PREFIX):
            return await self.quiz.answer(action, who)
        if action == actions.NEW_QUESTION:
            return await self.quiz.practice(who)
        term_id = actions.explained_term(action)
        if term_id is not None and term_id in self.base.terms:
            return cards.definition(self.base, self.base.terms[term_id])
        return cards.notice(
            "That button isn't valid any more",
            "It may come from an old message. Type help to see what I can do.",
            tone=Tone.WARNING,
        )

    def autocomplete(self, prefix: str, *, limit: int) -> list[TermRef]:
        """Up to ``limit`` terms for a partly typed name (never raises)."""
        try:
            found = self.base.index.autocomplete(clean(prefix), limit=limit)
            return [cards.ref(term) for term in found]
        except Exception:
            logger.exception("autocomplete failed")
            return []

    # Admin ------------------------------------------------------------------------------

    async def reload(self) -> LoadResult:
        """Reload the knowledge now (the admin command and the file watcher use this)."""
        return await self.knowledge.reload()

    @guarded
    async def reload_reply(self, who: Requester) -> Reply:
        """The admin reload command: reload and report, refusing non-admins."""
        if not who.is_admin:
            return admin.admins_only()
        return admin.reload_result(await self.reload())

    @guarded
    async def status_reply(self, who: Requester) -> Reply:
        """The admin status command: knowledge counts, reloads, database health."""
        if not who.is_admin:
            return admin.admins_only()
        database_ok = await self._database_ping() if self._database_ping else False
        return admin.status(
            self.base.counts(),
            reloads=self.knowledge.reloads,
            database_ok=database_ok,
            last=self.knowledge.last_result,
        )

    @guarded
    async def gaps_reply(self, who: Requester, *, limit: int = 15) -> Reply:
        """The admin gaps command: what people asked for that the knowledge lacks."""
        if not who.is_admin:
            return admin.admins_only()
        return admin.gaps(await self.gaps.top_gaps(scope_key=who.scope_key, limit=limit))

    @guarded
    async def daily_set(self, request: ScheduleRequest, who: Requester) -> Reply:
        """Admin: post a daily quiz in ``request.channel_id`` (None: the asker's channel)."""
        if not who.is_admin:
            return admin.admins_only()
        if self.daily is None:
            return admin.daily_unavailable()
        schedule = Schedule(
            platform=who.platform,
            channel_id=request.channel_id or who.channel_id,
            scope_key=who.scope_key,
            local_time=request.local_time,
            timezone=request.timezone,
            days=request.days,
            reveal_after=request.reveal_after,
        )
        await self.daily.save_schedule(schedule, updated_by=who.user_id)
        upcoming = schedule.next_post(self.clock.now()).astimezone(schedule.zone)
        return admin.schedule_saved(schedule, upcoming)

    @guarded
    async def daily_off(self, channel_id: str | None, who: Requester) -> Reply:
        """Admin: stop the daily quiz in ``channel_id`` (None: the asker's channel)."""
        if not who.is_admin:
            return admin.admins_only()
        if self.daily is None:
            return admin.daily_unavailable()
        removed = await self.daily.remove_schedule(
            platform=who.platform, channel_id=channel_id or who.channel_id
        )
        return admin.schedule_removed(removed)

    @guarded
    async def daily_show(self, who: Requester) -> Reply:
        """Admin: every daily quiz of the asker's server or workspace."""
        if not who.is_admin:
            return admin.admins_only()
        if self.daily is None:
            return admin.daily_unavailable()
        found = await self.daily.schedules(platform=who.platform, scope_key=who.scope_key)
        return admin.schedules(found)

    # Home -------------------------------------------------------------------------------

    async def home(self, who: Requester) -> Home:
        """What a personal home page shows: the asker's stats and today's term (UTC day)."""
        base = self.base
        term = cards.term_of_the_day(base, self.clock.now().date())
        return Home(
            stats=await self.quiz_stats(who),
            term=cards.definition(base, term) if term is not None else None,
        )

    # Gaps -------------------------------------------------------------------------------

    def _note_gap(self, query: str, who: Requester) -> None:
        """Count a not-found lookup; written in the background, never delaying the reply."""
        key = phrase_key(query)[:GAP_QUERY_MAX]
        if key:
            self.gap_counter.note(who.scope_key, key)

    async def drain(self) -> None:
        """Write pending background work (gap counts) now; for shutdown and tests."""
        await self.gap_counter.close()


def _with_terms(reply: Reply, named: tuple[Term, ...]) -> Reply:
    return Reply(
        reply.kind, reply.blocks, reply.ephemeral, tuple(cards.ref(term) for term in named)
    )


_TOPICAL = frozenset({ReplyKind.DEFINITION, ReplyKind.COMPARISON, ReplyKind.FAQ})
"""Replies whose terms a conversation is about afterwards."""


@dataclass(frozen=True, slots=True)
class Home:
    """A personal home page: quiz stats, and the term of the day when there is one."""

    stats: Reply
    term: Reply | None


def _starters(base: KnowledgeBase) -> list[Term]:
    return [
        base.terms[i] for i in ("llm", "generative-ai", "transformer", "gan") if i in base.terms
    ]
