"""The daily scheduler with a controllable clock: on time, exactly once, revealed, paced."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

from bot.core.clock import Clock
from bot.core.daily.pacing import TokenBucket
from bot.core.daily.schedule import EVERY_DAY, WEEKDAYS, Schedule
from bot.core.daily.scheduler import DailyScheduler
from bot.core.knowledge.base import KnowledgeBase
from bot.core.live import LiveKnowledge
from bot.core.ports import QuizMode
from bot.core.request import Platform
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.fakes.messenger import RecordingMessenger
from tests.helpers import TEST_KNOWLEDGE

MONDAY_0859_BERLIN = dt.datetime(2026, 11, 23, 7, 59, tzinfo=dt.UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


def schedule(channel: str, *, days: frozenset[int] = EVERY_DAY, hours: float = 2) -> Schedule:
    return Schedule(
        platform=Platform("discord"),
        channel_id=channel,
        scope_key="discord:g",
        local_time=dt.time(9, 0),
        timezone="Europe/Berlin",
        days=days,
        reveal_after=dt.timedelta(hours=hours),
    )


async def knowledge() -> KnowledgeBase:
    return (await LiveKnowledge.open(TEST_KNOWLEDGE)).current


def scheduler(
    base: KnowledgeBase,
    store: DailyStore,
    messenger: RecordingMessenger,
    clock: Clock,
    **options: object,
) -> DailyScheduler:
    return DailyScheduler(
        knowledge=lambda: base,
        repository=store,
        messengers={Platform("discord"): messenger},
        clock=clock,
        rates={Platform("discord"): TokenBucket(10_000, 100)},
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.asyncio
async def test_posts_at_local_time_reveals_on_time_and_counts_answers(database: Database) -> None:
    base, store, quiz = await knowledge(), DailyStore(database), QuizStore(database)
    await store.save_schedule(schedule("c1"), updated_by="admin")
    clock, messenger = FakeClock(MONDAY_0859_BERLIN), RecordingMessenger()
    loop = scheduler(base, store, messenger, clock, count_interval=dt.timedelta(0))

    assert (await loop.tick()).posted == 0, "not before 09:00 Berlin"
    clock.advance(minutes=1)
    assert (await loop.tick()).posted == 1
    assert (await loop.tick()).posted == 0, "once a day"
    [message] = messenger.in_channel("c1")
    assert "Daily quiz" in message.text
    assert "Nobody has answered yet" in message.text

    [post] = await store.open_posts()
    instance = await quiz.get_instance(post.instance_id)
    assert instance is not None
    assert instance.mode is QuizMode.DAILY
    question = base.questions[post.question_id]
    for user, choice in (("ann", question.correct_index), ("bob", 1 - question.correct_index % 2)):
        await quiz.record_answer(
            instance,
            user_id=user,
            display_name=user.title(),
            choice=choice,
            correct=choice == question.correct_index,
        )
    assert (await loop.tick()).updated == 1
    assert "2 answered so far" in message.edits[-1]

    clock.advance(hours=1, minutes=59)
    assert (await loop.tick()).revealed == 0
    clock.advance(minutes=1)
    assert (await loop.tick()).revealed == 1
    assert "Daily quiz: the answer" in message.edits[-1]
    assert "Answered: 2" in message.edits[-1]
    assert question.choices[question.correct_index].text in message.edits[-1]
    streaks = messenger.in_channel("c1")[-1]
    assert "Daily quiz streaks" in streaks.text
    assert "Ann: 1 in a row" in streaks.text
    closed = await quiz.get_instance(post.instance_id)
    assert closed is not None
    assert closed.closed


@pytest.mark.asyncio
async def test_weekdays_only_and_a_down_day_is_not_flooded(database: Database) -> None:
    base, store = await knowledge(), DailyStore(database)
    await store.save_schedule(schedule("c1", days=WEEKDAYS), updated_by="admin")
    saturday_noon = dt.datetime(2026, 11, 21, 11, 0, tzinfo=dt.UTC)
    clock, messenger = FakeClock(saturday_noon), RecordingMessenger()
    loop = scheduler(base, store, messenger, clock)
    assert (await loop.tick()).posted == 0
    clock.advance(days=1)
    assert (await loop.tick()).posted == 0  # Sunday
    clock.advance(days=1)  # Monday 12:00 UTC: posted late, once
    assert (await loop.tick()).posted == 1
    clock.advance(days=2)  # the bot was down all Tuesday; Wednesday gets one post only
    assert (await loop.tick()).posted == 1
    assert len([m for m in messenger.messages if "Daily quiz\n" in m.text]) == 2
    days = sorted(day for _, _, day in await store.claimed_days(since=dt.date(2026, 11, 1)))
    assert days == [dt.date(2026, 11, 23), dt.date(2026, 11, 25)]


@pytest.mark.asyncio
async def test_next_post_reveals_the_previous_one_first(database: Database) -> None:
    base, store = await knowledge(), DailyStore(database)
    await store.save_schedule(schedule("c1", hours=23), updated_by="admin")
    clock, messenger = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1)), RecordingMessenger()
    loop = scheduler(base, store, messenger, clock)
    await loop.tick()
    clock.advance(days=1)
    report = await loop.tick()
    assert (report.revealed, report.posted) == (1, 1)
    first = messenger.in_channel("c1")[0]
    assert "the answer" in first.edits[-1]


@pytest.mark.asyncio
async def test_questions_do_not_repeat_in_a_channel_until_the_pool_is_used(
    database: Database,
) -> None:
    base, store = await knowledge(), DailyStore(database)
    await store.save_schedule(schedule("c1"), updated_by="admin")
    clock, messenger = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1)), RecordingMessenger()
    loop = scheduler(base, store, messenger, clock)
    for _ in range(len(base.quiz)):
        await loop.tick()
        clock.advance(days=1)
    history = await store.channel_history(platform="discord", channel_id="c1")
    assert sorted(item.question_id for item in history) == sorted(q.id for q in base.quiz)


@pytest.mark.asyncio
@pytest.mark.postgres
async def test_two_schedulers_on_one_postgres_post_each_channel_exactly_once(
    postgres_factory: Callable[[], Database],
) -> None:
    first_db, second_db = postgres_factory(), postgres_factory()
    await first_db.migrate()
    base = await knowledge()
    stores = [DailyStore(first_db), DailyStore(second_db)]
    await stores[0].save_schedules([schedule(f"c{n}") for n in range(60)], updated_by="admin")
    clock = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1))
    messenger = RecordingMessenger(dedupe_by_key=False)
    loops = [scheduler(base, store, messenger, clock) for store in stores]
    reports = await asyncio.gather(
        *(loop.tick() for loop in loops), *(loop.tick() for loop in loops)
    )
    assert sum(report.posted for report in reports) == 60
    per_channel = Counter(message.channel_id for message in messenger.messages)
    assert set(per_channel.values()) == {1}
    assert len(per_channel) == 60
    await first_db.close()
    await second_db.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("platform_kind", ["nonce", "metadata"])
async def test_killed_between_claim_and_send_neither_duplicates_nor_skips(
    database_factory: Callable[[], Database], platform_kind: str
) -> None:
    """Discord keeps a nonce (a re-send returns the first message); Slack can be searched."""
    first_db = database_factory()
    await first_db.migrate()
    base = await knowledge()
    await DailyStore(first_db).save_schedule(schedule("c1"), updated_by="admin")
    await DailyStore(first_db).save_schedule(schedule("c2"), updated_by="admin")
    clock = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1))
    platform = RecordingMessenger(
        dedupe_by_key=platform_kind == "nonce", findable=platform_kind == "metadata"
    )

    # Process 1 dies twice over: once before its message left (c?), once right after.
    gate = asyncio.Event()
    platform.block_before_send = gate
    dying = scheduler(base, DailyStore(first_db), platform, clock)
    task = asyncio.create_task(dying.tick())
    await asyncio.wait_for(platform.wait_for_post_calls(2), timeout=10)
    platform.block_before_send = None
    platform.crash_after_send = True
    gate.set()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await first_db.close()
    assert len(platform.messages) == 2  # both went out, neither was confirmed

    # Process 2 starts later against the same database.
    platform.crash_after_send = False
    second_db = database_factory()
    restarted = scheduler(base, DailyStore(second_db), platform, clock)
    assert (await restarted.tick()).recovered == 0, "too early to call a claim stale"
    clock.advance(minutes=2)
    report = await restarted.tick()
    assert report.recovered == 2
    assert Counter(m.channel_id for m in platform.messages) == {"c1": 1, "c2": 1}
    assert len(await DailyStore(second_db).open_posts()) == 2
    await second_db.close()


@pytest.mark.asyncio
async def test_a_crash_before_anything_was_sent_posts_after_restart(
    database_factory: Callable[[], Database],
) -> None:
    db = database_factory()
    await db.migrate()
    base, store = await knowledge(), DailyStore(db)
    await store.save_schedule(schedule("c1"), updated_by="admin")
    clock = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1))
    platform = RecordingMessenger(dedupe_by_key=False, findable=True)
    platform.block_before_send = asyncio.Event()
    task = asyncio.create_task(scheduler(base, store, platform, clock).tick())
    await asyncio.wait_for(platform.wait_for_post_calls(1), timeout=10)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert platform.messages == []
    platform.block_before_send = None
    clock.advance(minutes=5)
    report = await scheduler(base, store, platform, clock).tick()
    assert (report.recovered, len(platform.messages)) == (1, 1)
    await db.close()


@pytest.mark.asyncio
async def test_fan_out_of_2000_channels_is_complete_unique_and_paced(database: Database) -> None:
    base, store = await knowledge(), DailyStore(database)
    await store.save_schedules([schedule(f"c{n}") for n in range(2000)], updated_by="admin")
    clock = FakeClock(MONDAY_0859_BERLIN + dt.timedelta(minutes=1))
    messenger = RecordingMessenger(dedupe_by_key=False)
    rate, burst = 1000.0, 20
    loop = DailyScheduler(
        knowledge=lambda: base,
        repository=store,
        messengers={Platform("discord"): messenger},
        clock=clock,
        rates={Platform("discord"): TokenBucket(rate, burst)},
    )
    report = await loop.tick()
    assert report.posted == 2000
    assert Counter(m.channel_id for m in messenger.messages) == {f"c{n}": 1 for n in range(2000)}
    times = sorted(message.sent_at for message in messenger.messages)
    # Pacing: never more than burst + rate * window messages in any window.
    for start in range(0, len(times), 50):
        window_end = times[start] + 0.25
        inside = sum(1 for t in times[start:] if t < window_end)
        assert inside <= burst + rate * 0.25 + 1
    assert (await loop.tick()).posted == 0
