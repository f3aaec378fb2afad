"""Practice quizzes: choosing a question, grading an answer once, scores and leaderboards."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from bot.core import actions
from bot.core.cards import explain_button, notice, ref
from bot.core.clock import Clock, SystemClock
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.model import Difficulty, QuizQuestion, Term
from bot.core.ports import HistoryItem, QuizInstance, QuizMode, QuizRepository, UserStats
from bot.core.replies import (
    Block,
    Button,
    ButtonStyle,
    Choices,
    Field,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    Tone,
)
from bot.core.request import Requester

LETTERS = "ABCDE"
WRONG_COMES_BACK_AFTER = 3
"""A question answered wrongly returns after this many other questions."""
LEADERBOARD_SIZE = 10
_RANDOM_TRIES = 16
"""Random draws tried for an unseen question before scanning the whole pool."""


def choose_question(
    pool: Sequence[QuizQuestion],
    history: Sequence[HistoryItem],
    rng: random.Random,
) -> QuizQuestion:
    """Spaced repetition in miniature.

    A question answered wrongly comes back first once a few others were asked; then unseen
    questions; once the pool is used up, the ones asked longest ago. The cost grows with the
    user's history, not with the pool (which may hold tens of thousands of questions).
    """
    seen = {item.question_id: item for item in history}
    due = [
        item
        for item in history
        if item.last_correct is False and item.asked_since >= WRONG_COMES_BACK_AFTER
    ]
    if due:
        in_pool = {question.id: question for question in pool}
        ready = [item for item in due if item.question_id in in_pool]
        if ready:
            return in_pool[max(ready, key=lambda item: item.asked_since).question_id]
    for _ in range(_RANDOM_TRIES):
        candidate = rng.choice(pool)
        if candidate.id not in seen:
            return candidate
    unseen = [q for q in pool if q.id not in seen]
    if unseen:
        return rng.choice(unseen)
    oldest_first = sorted(pool, key=lambda q: -seen[q.id].asked_since)
    candidates = [q for q in oldest_first if seen[q.id].asked_since > 0] or oldest_first
    return rng.choice(candidates[: max(1, len(candidates) // 4)])


class QuizService:
    """The quiz engine: asks, grades, and reports scores through a :class:`QuizRepository`."""

    def __init__(
        self,
        knowledge: Callable[[], KnowledgeBase],
        repository: QuizRepository,
        *,
        rng: random.Random | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._knowledge = knowledge
        self.repository = repository
        self._rng = rng or random.Random()
        self._clock = clock or SystemClock()

    async def practice(
        self, who: Requester, topic: Term | None = None, *, difficulty: Difficulty | None = None
    ) -> Reply:
        """A new practice question for ``who``, about ``topic`` / of ``difficulty`` when given.

        When nothing fits both, the topic wins over the difficulty, then anything goes.
        """
        base = self._knowledge()
        on_topic = base.quiz_by_term.get(topic.id, ()) if topic is not None else base.quiz
        if difficulty is None:
            pool: Sequence[QuizQuestion] = on_topic
        elif topic is None:
            pool = base.quiz_by_difficulty.get(difficulty, ())
        else:
            pool = [q for q in on_topic if q.difficulty is difficulty]
        note = None
        if not pool and topic is not None and on_topic and difficulty is not None:
            note = f"No {difficulty} questions about {topic.name} yet, so here is another one."
        elif not on_topic and topic is not None:
            note = f"No questions about {topic.name} yet, so here is one on another topic."
        pool = pool or on_topic or base.quiz
        if not pool:
            return notice("No quiz questions yet", "The admins haven't added any questions.")
        history = await self.repository.history(scope_key=who.scope_key, user_id=who.user_id)
        question = choose_question(pool, history, self._rng)
        instance = await self.repository.create_instance(
            question_id=question.id,
            scope_key=who.scope_key,
            channel_id=who.channel_id,
            mode=QuizMode.PRACTICE,
            asked_by=who.user_id,
        )
        return question_card(base, question, instance, topic=topic, note=note)

    async def answer(self, action: str, who: Requester) -> Reply:
        """Grade a click on an answer button; each user counts once per question instance."""
        parsed = actions.parse_answer(action)
        instance = await self.repository.get_instance(parsed.instance_id) if parsed else None
        if parsed is None or instance is None:
            return notice(
                "That answer button isn't valid",
                "It may come from an old or edited message. Ask for a fresh question with /quiz.",
                tone=Tone.WARNING,
            )
        base = self._knowledge()
        question = base.questions.get(instance.question_id)
        if question is None or parsed.choice >= len(question.choices):
            return notice(
                "This question has changed",
                "The admins edited or removed it since it was asked. Try /quiz for a new one.",
                tone=Tone.WARNING,
            )
        if instance.closed:
            return notice(
                "This quiz is closed",
                "The answer has been revealed already. Try /quiz for a practice question.",
            )
        correct = parsed.choice == question.correct_index
        outcome = await self.repository.record_answer(
            instance,
            user_id=who.user_id,
            display_name=who.display_name,
            choice=parsed.choice,
            correct=correct,
        )
        if not outcome.new:
            earlier = outcome.answer
            verdict = "right" if earlier.correct else "not right"
            return notice(
                "You already answered this one",
                f"You picked {LETTERS[earlier.choice]}, which was {verdict}. "
                "Answers can't be changed once graded; try /quiz for another question.",
            )
        stats = await self.repository.stats(scope_key=who.scope_key, user_id=who.user_id)
        return feedback_card(base, question, parsed.choice, stats)

    async def stats(self, who: Requester) -> Reply:
        """The asker's own scores in this server or workspace."""
        stats = await self.repository.stats(scope_key=who.scope_key, user_id=who.user_id)
        if stats is None:
            return notice("No answers yet", "Answer a question with /quiz to start your stats.")
        return Reply(
            ReplyKind.STATS,
            (
                Heading("Your quiz stats", subtitle=who.display_name or None),
                _stats_fields(stats),
            ),
            ephemeral=True,
        )

    async def leaderboard(self, who: Requester, *, month: bool = False) -> Reply:
        """The top answerers in this server or workspace, all time or this month."""
        since = _month_start(self._clock.now()) if month else None
        top = await self.repository.leaderboard(
            scope_key=who.scope_key, since=since, limit=LEADERBOARD_SIZE
        )
        period = "this month" if month else "all time"
        if not top:
            body: Block = Paragraph("Nobody has answered yet. Be the first: /quiz")
        else:
            lines = [
                f"{rank}. {entry.display_name or 'someone'}: {entry.correct} correct of "
                f"{entry.answered} ({entry.accuracy:.0%}) · best streak {entry.best_streak}"
                for rank, entry in enumerate(top, start=1)
            ]
            body = Paragraph("\n".join(lines))
        other = "all time" if month else "this month"
        return Reply(
            ReplyKind.LEADERBOARD,
            (
                Heading("Quiz leaderboard", subtitle=period.capitalize()),
                body,
                Footer(f"See {other}: /quiz leaderboard {other.split()[-1]}"),
            ),
        )


def question_card(
    base: KnowledgeBase,
    question: QuizQuestion,
    instance: QuizInstance,
    *,
    topic: Term | None = None,
    note: str | None = None,
) -> Reply:
    """A question with one button per choice; its terms are the topic the user asked for.
    ``note`` says when no question fitted what was asked (a topic or difficulty)."""
    tested = [base.terms[t] for t in question.terms if t in base.terms]
    tested_names = ", ".join(term.name for term in tested)
    buttons = tuple(
        Button(f"{LETTERS[i]}. {choice.text}", actions.answer(instance.id, i))
        for i, choice in enumerate(question.choices)
    )
    return Reply(
        ReplyKind.QUIZ,
        (
            Heading("Quiz", subtitle=f"{question.difficulty.value.capitalize()} · {tested_names}"),
            *((Paragraph(note),) if note else ()),
            Paragraph(question.question, lead=True),
            Choices(buttons),
            Footer("Pick an answer: only you see whether you were right."),
        ),
        terms=(ref(topic),) if topic else (),
    )


def feedback_card(
    base: KnowledgeBase, question: QuizQuestion, choice: int, stats: UserStats | None
) -> Reply:
    """Private feedback: right or wrong, the right answer, why, and where to learn more."""
    right = question.correct_index
    correct = choice == right
    blocks: list[Block] = [
        Heading("Correct!" if correct else "Not quite", tone=Tone.GOOD if correct else Tone.BAD),
        Paragraph(f"The answer is {LETTERS[right]}. {question.choices[right].text}", lead=True),
        Paragraph(question.explanation),
    ]
    why = question.choices[choice].why_wrong
    if not correct and why:
        blocks.append(Paragraph(f"Why not {LETTERS[choice]}: {why}"))
    if stats is not None:
        blocks.append(_stats_fields(stats, short=True))
    tested = [base.terms[t] for t in question.terms if t in base.terms]
    buttons = (
        Button("Next question", actions.NEW_QUESTION, ButtonStyle.PRIMARY),
        *tuple(explain_button(term) for term in tested[:3]),
    )
    blocks.append(Choices(buttons))
    if tested:
        blocks.append(Footer("Learn more: " + " · ".join(f"/explain {t.id}" for t in tested)))
    return Reply(
        ReplyKind.FEEDBACK,
        tuple(blocks),
        ephemeral=True,
        terms=tuple(ref(term) for term in tested),
    )


def _stats_fields(stats: UserStats, *, short: bool = False) -> Fields:
    items = [
        Field("Correct", f"{stats.correct} of {stats.answered}"),
        Field("Accuracy", f"{stats.accuracy:.0%}"),
        Field("Streak", str(stats.current_streak)),
    ]
    if not short:
        items.append(Field("Best streak", str(stats.best_streak)))
    return Fields(tuple(items))


def _month_start(now: dt.datetime) -> dt.datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
