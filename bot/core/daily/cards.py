"""The daily quiz's cards and question choice: the post, the reveal, the streaks follow-up."""

from __future__ import annotations

import random
from collections.abc import Sequence

from bot.core.cards import ref
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.model import QuizQuestion
from bot.core.ports import ChannelHistory, DailyPost, QuizInstance, QuizMode, RevealOutcome
from bot.core.quiz import LETTERS, question_card
from bot.core.replies import (
    Block,
    Field,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    Tone,
)

REASK_AFTER = 10
"""A question the channel mostly got wrong comes back after this many other daily quizzes."""
REASK_BELOW = 0.5
"""... when fewer than this share of answers were correct."""


def choose_daily_question(
    pool: Sequence[QuizQuestion], history: Sequence[ChannelHistory], rng: random.Random
) -> QuizQuestion:
    """Group spaced repetition for a channel.

    A question the channel mostly got wrong returns after :data:`REASK_AFTER` others; then
    questions it was never asked, varied in difficulty and topic from the last one; once the
    pool is used up, the ones it did worst on and saw longest ago.
    """
    by_id = {question.id: question for question in pool}
    position = {item.question_id: index for index, item in enumerate(history)}
    results = {item.question_id: item for item in history}
    count = len(history)
    weak = [
        results[qid]
        for qid in position
        if qid in by_id
        and results[qid].answered
        and results[qid].correct_rate < REASK_BELOW
        and count - 1 - position[qid] >= REASK_AFTER
    ]
    if weak:
        worst = min(weak, key=lambda item: (item.correct_rate, position[item.question_id]))
        return by_id[worst.question_id]
    unseen = [question for question in pool if question.id not in position]
    if unseen:
        last = by_id.get(history[-1].question_id) if history else None
        varied = [
            question
            for question in unseen
            if last is None
            or (
                question.difficulty != last.difficulty and not set(question.terms) & set(last.terms)
            )
        ]
        return rng.choice(varied or unseen)
    ranked = sorted(pool, key=lambda q: (results[q.id].correct_rate, position[q.id]))
    return rng.choice(ranked[: max(1, len(ranked) // 4)])


def daily_question_card(
    base: KnowledgeBase, question: QuizQuestion, post: DailyPost, answered: int
) -> Reply:
    """The public daily question with answer buttons and how many answered so far."""
    instance = QuizInstance(
        id=post.instance_id,
        question_id=question.id,
        scope_key=post.scope_key,
        channel_id=post.channel_id,
        mode=QuizMode.DAILY,
        asked_by=None,
        created_at=post.claimed_at,
    )
    card = question_card(base, question, instance)
    so_far = "Nobody has answered yet" if answered == 0 else f"{answered} answered so far"
    footer = Footer(f"{so_far}. The answer is revealed later today; only you see your result.")
    blocks = tuple(
        Heading("Daily quiz", subtitle=block.subtitle) if isinstance(block, Heading) else block
        for block in card.blocks
        if not isinstance(block, Footer)
    )
    return Reply(ReplyKind.QUIZ, (*blocks, footer), terms=card.terms)


def reveal_card(base: KnowledgeBase, question: QuizQuestion, outcome: RevealOutcome) -> Reply:
    """The daily question again, closed: the right answer, why, and how the channel did."""
    right = question.correct_index
    share = f"{outcome.correct / outcome.answered:.0%}" if outcome.answered else "—"
    tested = [base.terms[t] for t in question.terms if t in base.terms]
    blocks: list[Block] = [
        Heading("Daily quiz: the answer", tone=Tone.GOOD),
        Paragraph(question.question),
        Paragraph(f"{LETTERS[right]}. {question.choices[right].text}", lead=True),
        Paragraph(question.explanation),
        Fields((Field("Answered", str(outcome.answered)), Field("Correct", share))),
    ]
    if tested:
        blocks.append(Footer("Learn more: " + " · ".join(f"/explain {t.id}" for t in tested)))
    return Reply(ReplyKind.QUIZ, tuple(blocks), terms=tuple(ref(term) for term in tested))


def streaks_card(outcome: RevealOutcome) -> Reply | None:
    """A short follow-up naming the longest daily streaks, or None when nobody has one."""
    if not outcome.top_streaks:
        return None
    lines = [
        f"{rank}. {entry.display_name or 'someone'}: {entry.current} in a row"
        + (f" (best {entry.best})" if entry.best > entry.current else "")
        for rank, entry in enumerate(outcome.top_streaks, start=1)
    ]
    return Reply(
        ReplyKind.LEADERBOARD,
        (Heading("Daily quiz streaks"), Paragraph("\n".join(lines))),
    )
