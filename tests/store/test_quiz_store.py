"""The quiz store on SQLite and PostgreSQL: exactly-once answers, scores, restarts, outages."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core.errors import StoreUnavailable
from bot.core.live import LiveKnowledge
from bot.core.ports import QuizMode
from bot.core.replies import ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from bot.store.tables import QuizAnswerRow
from tests.helpers import TEST_KNOWLEDGE

SCOPE = "discord:guild-1"


async def answer_rows(database: Database, instance_id: str) -> int:
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count()).where(QuizAnswerRow.instance_id == instance_id)
        )
    return int(count or 0)


@pytest.mark.asyncio
async def test_500_simultaneous_answers_are_each_recorded_once(database: Database) -> None:
    store = QuizStore(database)
    instance = await store.create_instance(
        question_id="q-gan-parts",
        scope_key=SCOPE,
        channel_id="c",
        mode=QuizMode.DAILY,
        asked_by=None,
    )
    outcomes = await asyncio.gather(
        *(
            store.record_answer(
                instance,
                user_id=f"user-{n}",
                display_name=f"User {n}",
                choice=n % 2,
                correct=n % 2 == 1,
            )
            for n in range(500)
        )
    )
    assert all(outcome.new for outcome in outcomes)
    assert await answer_rows(database, instance.id) == 500
    board = await store.leaderboard(scope_key=SCOPE, since=None, limit=1000)
    assert len(board) == 500
    assert sum(entry.correct for entry in board) == 250


@pytest.mark.asyncio
async def test_one_user_answering_20_times_at_once_counts_once(database: Database) -> None:
    store = QuizStore(database)
    instance = await store.create_instance(
        question_id="q-gan-parts",
        scope_key=SCOPE,
        channel_id="c",
        mode=QuizMode.PRACTICE,
        asked_by="alice",
    )
    outcomes = await asyncio.gather(
        *(
            store.record_answer(
                instance, user_id="alice", display_name="Alice", choice=n % 2, correct=n % 2 == 1
            )
            for n in range(20)
        )
    )
    assert sum(outcome.new for outcome in outcomes) == 1
    first = next(outcome.answer for outcome in outcomes if outcome.new)
    assert all(outcome.answer.choice == first.choice for outcome in outcomes)
    assert await answer_rows(database, instance.id) == 1
    stats = await store.stats(scope_key=SCOPE, user_id="alice")
    assert stats is not None
    assert (stats.answered, stats.correct) == (1, int(first.correct))


@pytest.mark.asyncio
async def test_streaks_and_leaderboards(database: Database) -> None:
    store = QuizStore(database)
    for correct in (True, True, True, False, True):
        instance = await store.create_instance(
            question_id="q",
            scope_key=SCOPE,
            channel_id="c",
            mode=QuizMode.PRACTICE,
            asked_by="bob",
        )
        await store.record_answer(
            instance, user_id="bob", display_name="Bob", choice=0, correct=correct
        )
    stats = await store.stats(scope_key=SCOPE, user_id="bob")
    assert stats is not None
    assert (stats.answered, stats.correct, stats.current_streak, stats.best_streak) == (5, 4, 1, 3)
    month = await store.leaderboard(
        scope_key=SCOPE, since=dt.datetime.now(dt.UTC) - dt.timedelta(days=1), limit=10
    )
    assert [(e.user_id, e.answered, e.correct) for e in month] == [("bob", 5, 4)]
    future = await store.leaderboard(
        scope_key=SCOPE, since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1), limit=10
    )
    assert future == []
    assert await store.leaderboard(scope_key="slack:other", since=None, limit=10) == []


@pytest.mark.asyncio
async def test_state_survives_a_restart(database_factory: Callable[[], Database]) -> None:
    first = database_factory()
    await first.migrate()
    store = QuizStore(first)
    instance = await store.create_instance(
        question_id="q-gan-parts",
        scope_key=SCOPE,
        channel_id="c",
        mode=QuizMode.PRACTICE,
        asked_by="carol",
    )
    pending = await store.create_instance(
        question_id="q-llm-subset",
        scope_key=SCOPE,
        channel_id="c",
        mode=QuizMode.PRACTICE,
        asked_by="carol",
    )
    await store.record_answer(
        instance, user_id="carol", display_name="Carol", choice=1, correct=True
    )
    await first.close()

    second = database_factory()
    await second.migrate()  # idempotent on an up-to-date database
    reopened = QuizStore(second)
    stats = await reopened.stats(scope_key=SCOPE, user_id="carol")
    assert stats is not None
    assert (stats.answered, stats.correct) == (1, 1)
    again = await reopened.get_instance(pending.id)
    assert again is not None
    assert again.question_id == "q-llm-subset"
    outcome = await reopened.record_answer(
        again, user_id="carol", display_name="Carol", choice=0, correct=True
    )
    assert outcome.new
    await second.close()


@pytest.mark.asyncio
async def test_gaps_are_counted_per_scope_without_user_ids(database: Database) -> None:
    store = QuizStore(database)
    await store.record_gaps({(SCOPE, "quantum computing"): 2, (SCOPE, "rag"): 1})
    await store.record_gaps({(SCOPE, "quantum computing"): 1, ("slack:T1", "quantum computing"): 1})
    mine = await store.top_gaps(scope_key=SCOPE, limit=10)
    assert [(gap.query, gap.count) for gap in mine] == [("quantum computing", 3), ("rag", 1)]
    everywhere = await store.top_gaps(scope_key=None, limit=1)
    assert [(gap.query, gap.count) for gap in everywhere] == [("quantum computing", 4)]


ALICE = Requester(platform=Platform("discord"), user_id="alice", scope_id="g", display_name="Alice")


@pytest.mark.asyncio
async def test_practice_quiz_end_to_end_with_feedback(database: Database) -> None:
    store = QuizStore(database)
    core = Core(await LiveKnowledge.open(TEST_KNOWLEDGE), store, store)
    question = await core.practice_quiz(ALICE)
    assert question.kind is ReplyKind.QUIZ
    instance_id = question.buttons()[0].action.split(":")[1]
    instance = await store.get_instance(instance_id)
    assert instance is not None
    truth = core.base.questions[instance.question_id]
    wrong = next(i for i, choice in enumerate(truth.choices) if not choice.correct)
    feedback = await core.action(question.buttons()[wrong].action, ALICE)
    assert feedback.kind is ReplyKind.FEEDBACK
    assert feedback.ephemeral
    from bot.adapters.console.render import render_plain

    text = render_plain(feedback)
    assert "Not quite" in text
    assert truth.choices[truth.correct_index].text in text
    assert truth.explanation in " ".join(text.split()) or truth.explanation[:30] in text
    assert "/explain" in text
    again = await core.action(question.buttons()[truth.correct_index].action, ALICE)
    assert again.kind is ReplyKind.NOTICE
    assert "already answered" in render_plain(again)
    stats = await store.stats(scope_key=ALICE.scope_key, user_id="alice")
    assert stats is not None
    assert (stats.answered, stats.correct) == (1, 0)


@pytest.mark.asyncio
async def test_no_repeat_until_the_pool_is_used_and_wrong_ones_come_back(
    database: Database,
) -> None:
    store = QuizStore(database)
    core = Core(await LiveKnowledge.open(TEST_KNOWLEDGE), store, store)
    pool = {q.id for q in core.base.quiz}
    asked: list[str] = []
    for _ in range(len(pool)):
        reply = await core.practice_quiz(ALICE)
        instance = await store.get_instance(reply.buttons()[0].action.split(":")[1])
        assert instance is not None
        asked.append(instance.question_id)
    assert set(asked) == pool, "every question once before any repeat"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "action",
    [
        "qa:AAAAAAAAAAAAAAAAAAAAAA:0",
        "qa:../../etc/passwd:0",
        "qa::",
        "qa:" + "x" * 500 + ":1",
        "qa:AAAAAAAAAAAAAAAAAAAAAA:9",
        "explain:nope",
        "drop table",
    ],
)
async def test_forged_or_stale_buttons_get_a_clear_message(database: Database, action: str) -> None:
    store = QuizStore(database)
    core = Core(await LiveKnowledge.open(TEST_KNOWLEDGE), store, store)
    reply = await core.action(action, ALICE)
    assert reply.kind is ReplyKind.NOTICE
    assert reply.ephemeral
    assert await store.stats(scope_key=ALICE.scope_key, user_id="alice") is None


@pytest.mark.asyncio
async def test_a_dead_database_gets_try_again_while_explain_still_works(tmp_path: Path) -> None:
    dead = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    store = QuizStore(dead)
    core = Core(await LiveKnowledge.open(TEST_KNOWLEDGE), store, store)
    with pytest.raises(StoreUnavailable):
        await dead.migrate()
    quiz = await core.practice_quiz(ALICE)
    assert quiz.kind is ReplyKind.NOTICE
    assert "try again" in quiz.blocks[1].text  # type: ignore[union-attr]
    assert (await core.quiz_stats(ALICE)).kind is ReplyKind.NOTICE
    assert (await core.explain("llm", ALICE)).kind is ReplyKind.DEFINITION
    assert (await core.compare("llm", "gen ai", ALICE)).kind is ReplyKind.COMPARISON
    assert (await core.message("what is banana bread", ALICE)).kind is ReplyKind.NOT_FOUND
    await core.drain()  # the gap write fails quietly
    await dead.close()
