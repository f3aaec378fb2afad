"""Which question comes next: spaced repetition for a person and for a channel."""

from __future__ import annotations

import datetime as dt
import random

from bot.core.daily.cards import REASK_AFTER, choose_daily_question
from bot.core.knowledge.model import Choice, Difficulty, QuizQuestion
from bot.core.ports import ChannelHistory, HistoryItem
from bot.core.quiz import WRONG_COMES_BACK_AFTER, choose_question

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def question(qid: str, difficulty: Difficulty = Difficulty.EASY, term: str = "llm") -> QuizQuestion:
    return QuizQuestion(
        id=qid,
        question=f"{qid}?",
        choices=(Choice(text="yes", correct=True), Choice(text="no")),
        explanation="Because.",
        terms=(term,),
        difficulty=difficulty,
    )


POOL = [question(f"q{n}") for n in range(8)]


def seen(qid: str, asked_since: int, correct: bool | None) -> HistoryItem:
    return HistoryItem(qid, NOW, asked_since, correct)


def test_a_wrong_answer_comes_back_after_a_few_other_questions() -> None:
    rng = random.Random(1)
    too_soon = [seen("q0", WRONG_COMES_BACK_AFTER - 1, False)]
    assert choose_question(POOL, too_soon, rng).id != "q0"
    due = [seen("q0", WRONG_COMES_BACK_AFTER, False), seen("q1", 0, True)]
    assert choose_question(POOL, due, rng).id == "q0"


def test_unseen_questions_first_then_the_oldest() -> None:
    rng = random.Random(2)
    history = [seen(f"q{n}", n, True) for n in range(7)]
    assert choose_question(POOL, history, rng).id == "q7"
    everything = [seen(f"q{n}", n, True) for n in range(8)]
    assert choose_question(POOL, everything, rng).id == "q7", "asked longest ago"


def asked(qid: str, day: int, answered: int, correct: int) -> ChannelHistory:
    return ChannelHistory(qid, dt.date(2026, 1, 1) + dt.timedelta(days=day), answered, correct)


def test_a_channel_gets_back_what_it_got_wrong_after_a_while() -> None:
    pool = [question(f"q{n}") for n in range(REASK_AFTER + 5)]
    history = [asked("q0", 0, answered=10, correct=2)] + [
        asked(f"q{n}", n, 5, 5) for n in range(1, REASK_AFTER + 1)
    ]
    assert choose_daily_question(pool, history, random.Random(3)).id == "q0"
    recent = history[:REASK_AFTER]
    assert choose_daily_question(pool, recent, random.Random(3)).id != "q0"


def test_the_next_daily_question_varies_difficulty_and_topic() -> None:
    pool = [
        question("easy-llm", Difficulty.EASY, "llm"),
        question("easy-gan", Difficulty.EASY, "gan"),
        question("hard-llm", Difficulty.HARD, "llm"),
        question("hard-gan", Difficulty.HARD, "gan"),
    ]
    history = [asked("easy-llm", 0, 3, 3)]
    for seed in range(20):
        assert choose_daily_question(pool, history, random.Random(seed)).id == "hard-gan"


def test_once_the_pool_is_used_the_worst_answered_come_first() -> None:
    pool = [question(f"q{n}") for n in range(8)]
    history = [asked(f"q{n}", n, 10, 10 - n) for n in range(8)]
    assert choose_daily_question(pool, history, random.Random(4)).id == "q7"
