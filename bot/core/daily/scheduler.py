"""The daily quiz: one scheduler loop per process posting each due channel exactly once.

Each tick: resolve claims a crashed process left behind, reveal quizzes whose time is up (or
whose channel is about to get the next one), post every due channel (claim in the database,
then send, paced to the platform's rate limit), and refresh answer counts on open quizzes no
more often than the platform's edit rate allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.clock import Clock, SystemClock
from bot.core.daily.cards import (
    choose_daily_question,
    daily_question_card,
    reveal_card,
    streaks_card,
)
from bot.core.daily.pacing import TokenBucket
from bot.core.daily.schedule import Schedule
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.model import QuizQuestion
from bot.core.ports import (
    ChannelHistory,
    DailyPost,
    DailyRepository,
    Messenger,
)
from bot.core.request import Platform

logger = logging.getLogger(__name__)

TICK_SECONDS = 15.0
"""How often the loop looks for work; posts are at most this late."""
STALE_CLAIM = dt.timedelta(seconds=90)
"""A claim older than this, never confirmed, belongs to a process that died mid-send."""
COUNT_UPDATE_INTERVAL = dt.timedelta(seconds=30)
"""The public answer count is edited at most this often per message."""


def default_owner() -> str:
    """An id for this process in claim rows: host, pid and a random part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(slots=True)
class TickReport:
    """What one tick did."""

    posted: int = 0
    revealed: int = 0
    updated: int = 0
    recovered: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(slots=True)
class DailyScheduler:
    """Posts, reveals and refreshes daily quizzes for every channel with a schedule."""

    knowledge: Callable[[], KnowledgeBase]
    repository: DailyRepository
    messengers: Mapping[Platform, Messenger]
    clock: Clock = field(default_factory=SystemClock)
    owner: str = field(default_factory=default_owner)
    rates: Mapping[Platform, TokenBucket] = field(default_factory=dict)
    """Pacing per platform; by default each messenger's own ``rate_limit``."""
    stale_after: dt.timedelta = STALE_CLAIM
    count_interval: dt.timedelta = COUNT_UPDATE_INTERVAL
    rng: random.Random = field(default_factory=random.Random)
    concurrency: int = 16
    """Posts in flight at once: enough to keep up with the rate limit, few enough for the pool."""
    _count_updated: dict[int, dt.datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        buckets = dict(self.rates)
        for platform, messenger in self.messengers.items():
            buckets.setdefault(platform, messenger.rate_limit.bucket())
        self.rates = buckets

    async def run(self, stop: asyncio.Event | None = None, *, every: float = TICK_SECONDS) -> None:
        """Tick until ``stop`` is set (or the task is cancelled); errors never end the loop."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                report = await self.tick()
                if report.posted or report.revealed or report.recovered:
                    logger.info("daily quiz: %s", report)
            except Exception:
                logger.exception("daily quiz tick failed; trying again next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)

    async def tick(self) -> TickReport:
        """One pass over recovery, reveals, posts and answer counts."""
        report = TickReport()
        now = self.clock.now()
        await self._recover(now, report)
        schedules = [s for s in await self.repository.schedules() if s.platform in self.messengers]
        claimed = await self.repository.claimed_days(since=(now - dt.timedelta(days=2)).date())
        due = [
            (schedule, day)
            for schedule in schedules
            if (day := schedule.due_date(now)) is not None
            and (schedule.platform, schedule.channel_id, day) not in claimed
        ]
        incoming = {(s.platform, s.channel_id) for s, _ in due}
        await self._reveal(now, incoming, report)
        histories = await self._histories(due)
        await asyncio.gather(
            *(
                self._fan_out(
                    platform, [(s, d) for s, d in due if s.platform == platform], histories, report
                )
                for platform in {schedule.platform for schedule, _ in due}
            )
        )
        await self._refresh_counts(report)
        return report

    async def _histories(
        self, due: list[tuple[Schedule, dt.date]]
    ) -> dict[tuple[Platform, str], list[ChannelHistory]]:
        """Each due channel's question history, one query per platform."""
        found: dict[tuple[Platform, str], list[ChannelHistory]] = {}
        for platform in {schedule.platform for schedule, _ in due}:
            channels = [s.channel_id for s, _ in due if s.platform == platform]
            per_channel = await self.repository.channel_histories(
                platform=platform, channel_ids=channels
            )
            found.update({(platform, c): items for c, items in per_channel.items()})
        return found

    def _batch_size(self, platform: Platform) -> int:
        """Posts claimed per transaction: about one second's worth at the platform's rate."""
        return max(1, min(200, int(self.rates[platform].rate)))

    async def _fan_out(
        self,
        platform: Platform,
        due: list[tuple[Schedule, dt.date]],
        histories: Mapping[tuple[Platform, str], list[ChannelHistory]],
        report: TickReport,
    ) -> None:
        """Post every due channel of one platform in batches, as a pipeline.

        While one batch is being sent (paced by the rate limit), the next is already being
        claimed and the previous one confirmed, so the database never leaves the rate limiter
        idle.
        """
        base = self.knowledge()
        if not base.quiz:
            report.skipped += len(due)
            return
        size = self._batch_size(platform)
        batches = [due[start : start + size] for start in range(0, len(due), size)]
        confirmations: list[asyncio.Task[None]] = []
        claiming = asyncio.create_task(self._claim(platform, batches[0], histories, base, report))
        try:
            for number in range(len(batches)):
                posts = await claiming
                if number + 1 < len(batches):
                    claiming = asyncio.create_task(
                        self._claim(platform, batches[number + 1], histories, base, report)
                    )
                # If the process dies here, unconfirmed claims are finished by _recover later.
                sent = await self._send_batch(platform, posts, base, report)
                confirmations.append(
                    asyncio.create_task(self.repository.confirm_many(sent, now=self.clock.now()))
                )
        finally:
            if not claiming.done():
                claiming.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await claiming
            await asyncio.gather(*confirmations)

    async def _claim(
        self,
        platform: Platform,
        batch: list[tuple[Schedule, dt.date]],
        histories: Mapping[tuple[Platform, str], list[ChannelHistory]],
        base: KnowledgeBase,
        report: TickReport,
    ) -> list[DailyPost]:
        """Choose each channel's question and claim the batch in one transaction."""
        wanted = [
            (
                schedule,
                day,
                choose_daily_question(
                    base.quiz, histories.get((platform, schedule.channel_id), []), self.rng
                ).id,
            )
            for schedule, day in batch
        ]
        posts = await self.repository.claim_many(wanted, owner=self.owner, now=self.clock.now())
        report.skipped += len(batch) - len(posts)  # claimed by another process first
        return posts

    async def _send_batch(
        self, platform: Platform, posts: list[DailyPost], base: KnowledgeBase, report: TickReport
    ) -> list[tuple[int, str]]:
        """Send claimed posts, paced; the (post id, message id) of those the platform took."""
        slots = asyncio.Semaphore(self.concurrency)
        messenger = self.messengers[platform]

        async def send(post: DailyPost) -> tuple[int, str] | None:
            async with slots:
                await self.rates[platform].acquire()
                question = base.questions[post.question_id]
                message_id = await self._send(messenger, base, question, post, report)
                return (post.id, message_id) if message_id is not None else None

        sent = await asyncio.gather(*(send(post) for post in posts))
        return [pair for pair in sent if pair is not None]

    async def _send(
        self,
        messenger: Messenger,
        base: KnowledgeBase,
        question: QuizQuestion,
        post: DailyPost,
        report: TickReport,
    ) -> str | None:
        """Send one claimed post; None when the platform refused (it is retried later)."""
        card = daily_question_card(base, question, post, answered=0)
        try:
            message_id = await messenger.post(post.channel_id, card, key=post.key)
        except Exception:
            report.failed += 1
            logger.exception("daily quiz post to %s failed; will retry", post.channel_id)
            return None
        report.posted += 1
        return message_id

    async def _recover(self, now: dt.datetime, report: TickReport) -> None:
        """Finish posts whose claimer died between claim and confirm, without duplicates."""
        before = now - self.stale_after
        for post in await self.repository.stale_claims(before=before):
            messenger = self.messengers.get(Platform(post.platform))
            if messenger is None:
                continue
            if not await self.repository.take_over(
                post.id, owner=self.owner, before=before, now=now
            ):
                continue
            base = self.knowledge()
            question = base.questions.get(post.question_id) or (base.quiz[0] if base.quiz else None)
            if question is None:
                continue
            found = await messenger.find(post.channel_id, post.key)
            if found is None:
                await self.rates[Platform(post.platform)].acquire()
                found = await self._send(messenger, base, question, post, report)
            if found is not None:
                await self.repository.confirm_many([(post.id, found)], now=now)
                report.recovered += 1

    async def _reveal(
        self, now: dt.datetime, incoming: set[tuple[Platform, str]], report: TickReport
    ) -> None:
        for post in await self.repository.open_posts():
            due = post.reveal_due_at <= now or (post.platform, post.channel_id) in incoming
            messenger = self.messengers.get(Platform(post.platform))
            if not due or messenger is None or post.message_id is None:
                continue
            outcome = await self.repository.reveal(post, now=now)
            if outcome is None:
                continue  # another process revealed it
            base = self.knowledge()
            question = base.questions.get(post.question_id)
            self._count_updated.pop(post.id, None)
            if question is None:
                report.revealed += 1
                continue
            try:
                await messenger.update(
                    post.channel_id, post.message_id, reveal_card(base, question, outcome)
                )
                streaks = streaks_card(outcome)
                if streaks is not None:
                    await messenger.post(post.channel_id, streaks, key=f"{post.key[:20]}-s")
            except Exception:
                logger.exception("revealing the daily quiz in %s failed", post.channel_id)
            report.revealed += 1

    async def _refresh_counts(self, report: TickReport) -> None:
        now = self.clock.now()
        candidates = [
            post
            for post in await self.repository.open_posts()
            if post.message_id is not None
            and Platform(post.platform) in self.messengers
            and (
                post.id not in self._count_updated
                or now - self._count_updated[post.id] >= self.count_interval
            )
        ]
        counts = await self.repository.answer_counts([post.instance_id for post in candidates])
        base = self.knowledge()
        for post in candidates:
            answered = counts.get(post.instance_id, (0, 0))[0]
            question = base.questions.get(post.question_id)
            if answered == post.shown_answers or question is None or post.message_id is None:
                continue
            try:
                await self.messengers[Platform(post.platform)].update(
                    post.channel_id,
                    post.message_id,
                    daily_question_card(base, question, post, answered),
                )
            except Exception:
                logger.exception("updating the answer count in %s failed", post.channel_id)
                continue
            await self.repository.mark_shown(post.id, answered)
            self._count_updated[post.id] = now
            report.updated += 1
