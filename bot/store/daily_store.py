"""Daily quiz schedules, posts and streaks in the database.

Implements :class:`bot.core.ports.DailyRepository`. Exactly-once posting rests on the unique
key (platform, channel, local date): a post is claimed by inserting its row, together with its
quiz instance, before anything is sent; only the process whose insert succeeded sends it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import case, delete, func, select, update

from bot.core.daily.schedule import Schedule
from bot.core.ports import (
    ChannelHistory,
    DailyPost,
    PostStatus,
    QuizMode,
    RevealOutcome,
    StreakEntry,
)
from bot.core.request import Platform
from bot.store.database import Database, as_utc
from bot.store.tables import (
    DailyPostRow,
    DailyScheduleRow,
    DailyStreakRow,
    QuizAnswerRow,
    QuizInstanceRow,
    UserScoreRow,
)

STREAKS_SHOWN = 5


def _schedule(row: DailyScheduleRow) -> Schedule:
    hour, minute = (int(part) for part in row.local_time.split(":"))
    return Schedule(
        platform=Platform(row.platform),
        channel_id=row.channel_id,
        scope_key=row.scope_key,
        local_time=dt.time(hour, minute),
        timezone=row.timezone,
        days=frozenset(int(day) for day in row.days.split(",") if day),
        reveal_after=dt.timedelta(minutes=row.reveal_minutes),
    )


def _chunks(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _post(row: Any) -> DailyPost:
    return DailyPost(
        id=row.id,
        platform=Platform(row.platform),
        channel_id=row.channel_id,
        scope_key=row.scope_key,
        local_date=row.local_date,
        question_id=row.question_id,
        instance_id=row.instance_id,
        key=row.key,
        status=PostStatus(row.status),
        message_id=row.message_id,
        claimed_at=as_utc(row.claimed_at),
        reveal_due_at=as_utc(row.reveal_due_at),
        shown_answers=row.shown_answers,
    )


class DailyStore:
    """SQLAlchemy implementation of the daily quiz repository."""

    def __init__(self, database: Database) -> None:
        self.db = database

    async def save_schedule(self, schedule: Schedule, *, updated_by: str) -> None:
        """Create or replace the schedule of a channel."""
        await self.save_schedules([schedule], updated_by=updated_by)

    async def save_schedules(self, schedules: list[Schedule], *, updated_by: str) -> None:
        """Create or replace several channels' schedules in one statement."""
        if not schedules:
            return
        now = self.db.clock.now()
        rows = [
            {
                "platform": schedule.platform,
                "channel_id": schedule.channel_id,
                "scope_key": schedule.scope_key,
                "local_time": f"{schedule.local_time:%H:%M}",
                "timezone": schedule.timezone,
                "days": ",".join(str(day) for day in sorted(schedule.days)),
                "reveal_minutes": int(schedule.reveal_after.total_seconds() // 60),
                "updated_by": updated_by,
                "updated_at": now,
            }
            for schedule in schedules
        ]
        insert = self.db.insert(DailyScheduleRow.__table__)
        upsert = insert.on_conflict_do_update(
            index_elements=["platform", "channel_id"],
            set_={
                name: insert.excluded[name]
                for name in rows[0]
                if name not in ("platform", "channel_id")
            },
        )
        async with self.db.transaction() as session:
            for chunk in _chunks(rows, 500):
                await session.execute(upsert, chunk)

    async def remove_schedule(self, *, platform: str, channel_id: str) -> bool:
        """Stop a channel's daily quiz; False when it had none."""
        async with self.db.transaction() as session:
            result = await session.execute(
                delete(DailyScheduleRow).where(
                    DailyScheduleRow.platform == platform,
                    DailyScheduleRow.channel_id == channel_id,
                )
            )
        return bool(getattr(result, "rowcount", 0))

    async def schedules(
        self, *, platform: str | None = None, scope_key: str | None = None
    ) -> list[Schedule]:
        """Every schedule, optionally of one platform or one server/workspace."""
        statement = select(DailyScheduleRow).order_by(
            DailyScheduleRow.platform, DailyScheduleRow.channel_id
        )
        if platform is not None:
            statement = statement.where(DailyScheduleRow.platform == platform)
        if scope_key is not None:
            statement = statement.where(DailyScheduleRow.scope_key == scope_key)
        async with self.db.transaction() as session:
            return [_schedule(row) for row in (await session.execute(statement)).scalars()]

    async def claimed_days(self, *, since: dt.date) -> set[tuple[str, str, dt.date]]:
        """(platform, channel, local date) of every post claimed on or after ``since``."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(
                    DailyPostRow.platform, DailyPostRow.channel_id, DailyPostRow.local_date
                ).where(DailyPostRow.local_date >= since)
            )
            return {(platform, channel, day) for platform, channel, day in rows}

    async def claim_many(
        self,
        wanted: list[tuple[Schedule, dt.date, str]],
        *,
        owner: str,
        now: dt.datetime,
    ) -> list[DailyPost]:
        """Claim (schedule, local day, question) posts in one transaction; return those won.

        A post another process already claimed for the same (platform, channel, day) is left
        out of the result: the unique key decides, however many processes race.
        """
        if not wanted:
            return []
        instances = [
            {
                "id": secrets.token_urlsafe(16),
                "question_id": question_id,
                "scope_key": schedule.scope_key,
                "channel_id": schedule.channel_id,
                "mode": QuizMode.DAILY.value,
                "asked_by": None,
                "created_at": now,
                "closed": False,
            }
            for schedule, _, question_id in wanted
        ]
        posts = [
            {
                "platform": schedule.platform,
                "channel_id": schedule.channel_id,
                "local_date": day,
                "scope_key": schedule.scope_key,
                "question_id": question_id,
                "instance_id": instance["id"],
                "key": secrets.token_hex(12),  # 24 characters: fits a Discord nonce (25)
                "status": PostStatus.CLAIMED.value,
                "owner": owner,
                "claimed_at": now,
                "reveal_due_at": now + schedule.reveal_after,
                "shown_answers": 0,
            }
            for (schedule, day, question_id), instance in zip(wanted, instances, strict=True)
        ]
        table = DailyPostRow.__table__
        insert = (
            self.db.insert(table)
            .on_conflict_do_nothing(
                index_elements=[table.c.platform, table.c.channel_id, table.c.local_date]
            )
            .returning(*table.c)
        )
        async with self.db.transaction() as session:
            await session.execute(self.db.insert(QuizInstanceRow.__table__), instances)
            won = [
                row
                for chunk in _chunks(posts, 200)
                for row in (await session.execute(insert.values(chunk))).all()
            ]
            taken = {row.instance_id for row in won}
            orphans = [instance["id"] for instance in instances if instance["id"] not in taken]
            if orphans:
                await session.execute(
                    delete(QuizInstanceRow).where(QuizInstanceRow.id.in_(orphans))
                )
        return [_post(row) for row in won]

    async def confirm_many(self, sent: list[tuple[int, str]], *, now: dt.datetime) -> None:
        """Record that claimed posts were sent, as (post id, message id) pairs."""
        if not sent:
            return
        async with self.db.transaction() as session:
            await session.execute(
                update(DailyPostRow),
                [
                    {
                        "id": post_id,
                        "message_id": message_id,
                        "status": PostStatus.POSTED.value,
                        "posted_at": now,
                    }
                    for post_id, message_id in sent
                ],
            )

    async def stale_claims(self, *, before: dt.datetime) -> list[DailyPost]:
        """Claims never confirmed, made before ``before`` (their sender probably died)."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(DailyPostRow).where(
                    DailyPostRow.status == PostStatus.CLAIMED.value,
                    DailyPostRow.claimed_at < before,
                )
            )
            return [_post(row) for row in rows.scalars()]

    async def take_over(
        self, post_id: int, *, owner: str, before: dt.datetime, now: dt.datetime
    ) -> bool:
        """Atomically take a stale claim; False if another process took it first."""
        async with self.db.transaction() as session:
            result = await session.execute(
                update(DailyPostRow)
                .where(
                    DailyPostRow.id == post_id,
                    DailyPostRow.status == PostStatus.CLAIMED.value,
                    DailyPostRow.claimed_at < before,
                )
                .values(owner=owner, claimed_at=now)
            )
        return bool(getattr(result, "rowcount", 0))

    async def open_posts(self) -> list[DailyPost]:
        """Posts sent but not yet revealed."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(DailyPostRow).where(DailyPostRow.status == PostStatus.POSTED.value)
            )
            return [_post(row) for row in rows.scalars()]

    async def answer_counts(self, instance_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(answered, correct) so far for each quiz instance that has answers."""
        if not instance_ids:
            return {}
        correct = func.coalesce(func.sum(case((QuizAnswerRow.correct, 1), else_=0)), 0)
        counts: dict[str, tuple[int, int]] = {}
        async with self.db.transaction() as session:
            for start in range(0, len(instance_ids), 500):
                rows = await session.execute(
                    select(QuizAnswerRow.instance_id, func.count(), correct)
                    .where(QuizAnswerRow.instance_id.in_(instance_ids[start : start + 500]))
                    .group_by(QuizAnswerRow.instance_id)
                )
                counts.update({row[0]: (int(row[1]), int(row[2])) for row in rows})
        return counts

    async def mark_shown(self, post_id: int, shown: int) -> None:
        """Remember the answer count the public message shows."""
        async with self.db.transaction() as session:
            await session.execute(
                update(DailyPostRow).where(DailyPostRow.id == post_id).values(shown_answers=shown)
            )

    async def reveal(self, post: DailyPost, *, now: dt.datetime) -> RevealOutcome | None:
        """Close the post's quiz and update streaks, once; None if already revealed."""
        async with self.db.transaction() as session:
            won = await session.execute(
                update(DailyPostRow)
                .where(DailyPostRow.id == post.id, DailyPostRow.status == PostStatus.POSTED.value)
                .values(status=PostStatus.REVEALED.value, revealed_at=now)
            )
            if not getattr(won, "rowcount", 0):
                return None
            await session.execute(
                update(QuizInstanceRow)
                .where(QuizInstanceRow.id == post.instance_id)
                .values(closed=True)
            )
            answers = (
                await session.execute(
                    select(QuizAnswerRow.user_id, QuizAnswerRow.correct, UserScoreRow.display_name)
                    .outerjoin(
                        UserScoreRow,
                        (UserScoreRow.scope_key == QuizAnswerRow.scope_key)
                        & (UserScoreRow.user_id == QuizAnswerRow.user_id),
                    )
                    .where(QuizAnswerRow.instance_id == post.instance_id)
                )
            ).all()
            streaks = {
                row.user_id: row
                for row in (
                    await session.execute(
                        select(DailyStreakRow).where(DailyStreakRow.scope_key == post.scope_key)
                    )
                ).scalars()
            }
            answered_ids = set()
            for user_id, correct, name in answers:
                answered_ids.add(user_id)
                row = streaks.get(user_id)
                if row is None:
                    row = DailyStreakRow(
                        scope_key=post.scope_key,
                        user_id=user_id,
                        display_name=name or "",
                        current=0,
                        best=0,
                        channel_id=post.channel_id,
                        last_post_id=post.id,
                    )
                    session.add(row)
                row.current = (row.current or 0) + 1 if correct else 0
                row.best = max(row.best or 0, row.current)
                row.display_name = name or row.display_name
                row.channel_id = post.channel_id
                row.last_post_id = post.id
            for user_id, row in streaks.items():
                if user_id not in answered_ids and row.channel_id == post.channel_id:
                    row.current = 0  # skipped this channel's quiz: the run is over
        correct_count = sum(1 for _, correct, _ in answers if correct)
        top = await self.top_streaks(scope_key=post.scope_key, limit=STREAKS_SHOWN)
        return RevealOutcome(answered=len(answers), correct=correct_count, top_streaks=top)

    async def channel_history(self, *, platform: str, channel_id: str) -> list[ChannelHistory]:
        """Every daily question a channel was asked, oldest first, with how it did."""
        found = await self.channel_histories(platform=platform, channel_ids=[channel_id])
        return found.get(channel_id, [])

    async def channel_histories(
        self, *, platform: str, channel_ids: list[str]
    ) -> dict[str, list[ChannelHistory]]:
        """:meth:`channel_history` for many channels in one query."""
        if not channel_ids:
            return {}
        correct = func.coalesce(func.sum(case((QuizAnswerRow.correct, 1), else_=0)), 0)
        result: dict[str, list[ChannelHistory]] = {}
        async with self.db.transaction() as session:
            for start in range(0, len(channel_ids), 500):
                chunk = channel_ids[start : start + 500]
                statement = (
                    select(
                        DailyPostRow.channel_id,
                        DailyPostRow.question_id,
                        DailyPostRow.local_date,
                        func.count(QuizAnswerRow.id),
                        correct,
                    )
                    .outerjoin(QuizAnswerRow, QuizAnswerRow.instance_id == DailyPostRow.instance_id)
                    .where(DailyPostRow.platform == platform, DailyPostRow.channel_id.in_(chunk))
                    .group_by(
                        DailyPostRow.id,
                        DailyPostRow.channel_id,
                        DailyPostRow.question_id,
                        DailyPostRow.local_date,
                    )
                    .order_by(DailyPostRow.local_date)
                )
                for channel, question, day, answered, right in await session.execute(statement):
                    result.setdefault(channel, []).append(
                        ChannelHistory(question, day, int(answered), int(right))
                    )
        return result

    async def top_streaks(self, *, scope_key: str, limit: int) -> list[StreakEntry]:
        """Longest current daily streaks in a server or workspace."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(DailyStreakRow)
                .where(DailyStreakRow.scope_key == scope_key, DailyStreakRow.current > 0)
                .order_by(DailyStreakRow.current.desc(), DailyStreakRow.best.desc())
                .limit(limit)
            )
            return [
                StreakEntry(row.user_id, row.display_name, row.current, row.best)
                for row in rows.scalars()
            ]
