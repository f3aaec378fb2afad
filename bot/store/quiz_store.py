"""Quiz instances, answers, scores and knowledge gaps in the database.

Implements :class:`bot.core.ports.QuizRepository` and :class:`bot.core.ports.GapRepository`.
Exactly-once answers rest on the unique key (instance, user): the insert either wins or meets
the earlier answer, and the score update happens in the same transaction as the insert.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from bot.core.ports import (
    AnswerRecord,
    Gap,
    HistoryItem,
    QuizInstance,
    QuizMode,
    RecordOutcome,
    UserStats,
)
from bot.store.database import Database, as_utc
from bot.store.tables import KnowledgeGapRow, QuizAnswerRow, QuizInstanceRow, UserScoreRow

QUERY_MAX = 200
NAME_MAX = 100


def _instance(row: QuizInstanceRow) -> QuizInstance:
    return QuizInstance(
        id=row.id,
        question_id=row.question_id,
        scope_key=row.scope_key,
        channel_id=row.channel_id,
        mode=QuizMode(row.mode),
        asked_by=row.asked_by,
        created_at=as_utc(row.created_at),
        closed=row.closed,
    )


def _answer(row: QuizAnswerRow) -> AnswerRecord:
    return AnswerRecord(
        instance_id=row.instance_id,
        user_id=row.user_id,
        choice=row.choice,
        correct=row.correct,
        answered_at=as_utc(row.answered_at),
    )


def _stats(row: Any) -> UserStats:
    return UserStats(
        user_id=row.user_id,
        display_name=row.display_name,
        answered=int(row.answered),
        correct=int(row.correct),
        current_streak=int(row.current_streak),
        best_streak=int(row.best_streak),
    )


class QuizStore:
    """SQLAlchemy implementation of the quiz and gap repositories."""

    def __init__(self, database: Database) -> None:
        self.db = database

    async def create_instance(
        self,
        *,
        question_id: str,
        scope_key: str,
        channel_id: str,
        mode: QuizMode,
        asked_by: str | None,
    ) -> QuizInstance:
        """Store a new instance with a fresh unguessable id."""
        row = QuizInstanceRow(
            id=secrets.token_urlsafe(16),
            question_id=question_id,
            scope_key=scope_key,
            channel_id=channel_id,
            mode=mode.value,
            asked_by=asked_by,
            created_at=self.db.clock.now(),
            closed=False,
        )
        async with self.db.transaction() as session:
            session.add(row)
        return _instance(row)

    async def get_instance(self, instance_id: str) -> QuizInstance | None:
        """The instance with that id, or None."""
        async with self.db.transaction() as session:
            row = await session.get(QuizInstanceRow, instance_id)
            return _instance(row) if row else None

    async def record_answer(
        self, instance: QuizInstance, *, user_id: str, display_name: str, choice: int, correct: bool
    ) -> RecordOutcome:
        """Store the answer once per (instance, user) and update scores in one transaction."""
        now = self.db.clock.now()
        answer = QuizAnswerRow(
            instance_id=instance.id,
            user_id=user_id,
            scope_key=instance.scope_key,
            question_id=instance.question_id,
            choice=choice,
            correct=correct,
            answered_at=now,
        )
        try:
            async with self.db.transaction() as session:
                session.add(answer)
                await session.flush()
                await session.execute(self._score_upsert(instance, user_id, display_name, correct))
        except IntegrityError:
            existing = await self._existing_answer(instance.id, user_id)
            if existing is None:  # pragma: no cover - the unique key is the only constraint
                raise
            return RecordOutcome(existing, new=False)
        return RecordOutcome(_answer(answer), new=True)

    def _score_upsert(
        self, instance: QuizInstance, user_id: str, display_name: str, correct: bool
    ) -> Any:
        table = UserScoreRow.__table__
        streak = 1 if correct else 0
        insert = self.db.insert(table).values(
            scope_key=instance.scope_key,
            user_id=user_id,
            display_name=display_name[:NAME_MAX],
            answered=1,
            correct=int(correct),
            current_streak=streak,
            best_streak=streak,
            updated_at=self.db.clock.now(),
        )
        current = table.c.current_streak
        next_streak = current + 1 if correct else 0
        best = (
            case((current + 1 > table.c.best_streak, current + 1), else_=table.c.best_streak)
            if correct
            else table.c.best_streak
        )
        return insert.on_conflict_do_update(
            index_elements=[table.c.scope_key, table.c.user_id],
            set_={
                "display_name": display_name[:NAME_MAX] or table.c.display_name,
                "answered": table.c.answered + 1,
                "correct": table.c.correct + int(correct),
                "current_streak": next_streak,
                "best_streak": best,
                "updated_at": self.db.clock.now(),
            },
        )

    async def _existing_answer(self, instance_id: str, user_id: str) -> AnswerRecord | None:
        async with self.db.transaction() as session:
            row = await session.scalar(
                select(QuizAnswerRow).where(
                    QuizAnswerRow.instance_id == instance_id, QuizAnswerRow.user_id == user_id
                )
            )
            return _answer(row) if row else None

    async def history(self, *, scope_key: str, user_id: str) -> list[HistoryItem]:
        """Every question asked to or answered by the user in that scope, newest first."""
        async with self.db.transaction() as session:
            asked = (
                await session.execute(
                    select(QuizInstanceRow.question_id, QuizInstanceRow.created_at)
                    .where(QuizInstanceRow.scope_key == scope_key)
                    .where(QuizInstanceRow.asked_by == user_id)
                    .order_by(QuizInstanceRow.created_at.desc())
                )
            ).all()
            graded = (
                await session.execute(
                    select(
                        QuizAnswerRow.question_id,
                        QuizAnswerRow.correct,
                        QuizAnswerRow.answered_at,
                    )
                    .where(QuizAnswerRow.scope_key == scope_key)
                    .where(QuizAnswerRow.user_id == user_id)
                    .order_by(QuizAnswerRow.answered_at.desc())
                )
            ).all()
        events = sorted(
            [(as_utc(at), question, None) for question, at in asked]
            + [(as_utc(at), question, ok) for question, ok, at in graded],
            key=lambda event: event[0],
            reverse=True,
        )
        items: dict[str, HistoryItem] = {}
        distinct_seen: list[str] = []
        last_grade: dict[str, bool] = {}
        for at, question, ok in events:
            if ok is not None and question not in last_grade:
                last_grade[question] = bool(ok)
            if question not in items:
                items[question] = HistoryItem(question, at, len(distinct_seen), None)
                distinct_seen.append(question)
        return [
            HistoryItem(q, item.last_asked, item.asked_since, last_grade.get(q))
            for q, item in items.items()
        ]

    async def stats(self, *, scope_key: str, user_id: str) -> UserStats | None:
        """The user's scores, or None when they never answered."""
        async with self.db.transaction() as session:
            row = await session.get(UserScoreRow, (scope_key, user_id))
            return _stats(row) if row else None

    async def leaderboard(
        self, *, scope_key: str, since: dt.datetime | None, limit: int
    ) -> list[UserStats]:
        """Top users by correct answers, then accuracy (all time, or since ``since``)."""
        async with self.db.transaction() as session:
            if since is None:
                rows = (
                    await session.execute(
                        select(UserScoreRow)
                        .where(UserScoreRow.scope_key == scope_key, UserScoreRow.answered > 0)
                        .order_by(
                            UserScoreRow.correct.desc(),
                            UserScoreRow.answered.asc(),
                            UserScoreRow.best_streak.desc(),
                            UserScoreRow.user_id,
                        )
                        .limit(limit)
                    )
                ).scalars()
                return [_stats(row) for row in rows]
            correct = func.sum(case((QuizAnswerRow.correct, 1), else_=0))
            period = (
                select(
                    QuizAnswerRow.user_id,
                    func.count().label("answered"),
                    correct.label("correct"),
                )
                .where(QuizAnswerRow.scope_key == scope_key, QuizAnswerRow.answered_at >= since)
                .group_by(QuizAnswerRow.user_id)
                .subquery()
            )
            ranked = (
                await session.execute(
                    select(
                        period.c.user_id,
                        period.c.answered,
                        period.c.correct,
                        func.coalesce(UserScoreRow.display_name, "").label("display_name"),
                        func.coalesce(UserScoreRow.current_streak, 0).label("current_streak"),
                        func.coalesce(UserScoreRow.best_streak, 0).label("best_streak"),
                    )
                    .outerjoin(
                        UserScoreRow,
                        (UserScoreRow.scope_key == scope_key)
                        & (UserScoreRow.user_id == period.c.user_id),
                    )
                    .order_by(period.c.correct.desc(), period.c.answered.asc(), period.c.user_id)
                    .limit(limit)
                )
            ).all()
            return [_stats(row) for row in ranked]

    async def record_gaps(self, counts: dict[tuple[str, str], int]) -> None:
        """Add ``counts`` of (scope key, normalised query) requests, in one transaction."""
        if not counts:
            return
        table = KnowledgeGapRow.__table__
        now = self.db.clock.now()
        insert = self.db.insert(table)
        upsert = insert.on_conflict_do_update(
            index_elements=[table.c.scope_key, table.c.query],
            set_={"count": table.c.count + insert.excluded.count, "last_asked": now},
        )
        rows = [
            {
                "scope_key": scope_key,
                "query": query[:QUERY_MAX],
                "count": count,
                "first_asked": now,
                "last_asked": now,
            }
            for (scope_key, query), count in sorted(counts.items())
        ]
        async with self.db.transaction() as session:
            await session.execute(upsert, rows)

    async def top_gaps(self, *, scope_key: str | None, limit: int) -> list[Gap]:
        """The most requested missing queries (summed over scopes when ``scope_key`` is None)."""
        total = func.sum(KnowledgeGapRow.count).label("total")
        latest = func.max(KnowledgeGapRow.last_asked).label("latest")
        statement = select(KnowledgeGapRow.query, total, latest).group_by(KnowledgeGapRow.query)
        if scope_key is not None:
            statement = statement.where(KnowledgeGapRow.scope_key == scope_key)
        statement = statement.order_by(total.desc(), latest.desc()).limit(limit)
        async with self.db.transaction() as session:
            rows = (await session.execute(statement)).all()
        return [Gap(query, int(count), as_utc(last)) for query, count, last in rows]


__all__ = ["QuizStore"]
