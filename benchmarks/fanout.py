"""Daily fan-out: every channel due at once, posted through the real adapters to fakes that
enforce the platforms' published rate limits (429 beyond them). The floor is the least time
those limits allow even for a sender that fills each bucket: (N - bucket size) / rate.

Discord: 50 requests per second per bot (global), so N channels take at least N / 50 s; the
scheduler paces at the Discord messenger's rate (45/s, burst 5). Slack: chat.postMessage
1 per second per channel and 300 per minute per workspace (a token bucket refilled evenly,
10 at most at once), so N channels take at least N / 5 s; the scheduler paces at
the Slack messenger's rate (4.5/s, burst 9). Both platforms run at once, each with its own
scheduler and SQLite file (like two replicas), and a second tick checks nothing is re-posted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass

import discord

from benchmarks.common import Config, shipped_base
from benchmarks.stats import Figure
from bot.adapters.discord import messenger as discord_messenger
from bot.adapters.discord.client import intents
from bot.adapters.discord.messenger import DiscordMessenger
from bot.adapters.slack import messenger as slack_messenger
from bot.adapters.slack.app import make_client
from bot.adapters.slack.messenger import SlackMessenger
from bot.core.daily.pacing import TokenBucket
from bot.core.daily.schedule import EVERY_DAY, Schedule
from bot.core.daily.scheduler import DailyScheduler
from bot.core.knowledge.base import KnowledgeBase
from bot.core.ports import Messenger
from bot.core.request import Platform
from bot.settings import Settings
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from tests.fakes.discord import FakeChannel, FakeDiscord, FakeGuild, run_client
from tests.fakes.slack import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, FakeSlack

logger = logging.getLogger(__name__)

AREA = "fan-out"
DISCORD_LIMIT = 50.0
SLACK_WORKSPACE_PER_MINUTE = 300
SLACK_WORKSPACE_BURST = 10
GUILD_ID = 900_000_000_000_000_000
NOW = dt.datetime(2026, 11, 23, 9, 1, tzinfo=dt.UTC)


class FixedClock:
    """09:01 UTC on a Monday: every schedule at 09:00 UTC is due."""

    def now(self) -> dt.datetime:
        """Always the same instant."""
        return NOW

    async def sleep(self, seconds: float) -> None:
        """Really wait."""
        await asyncio.sleep(seconds)


@dataclass(slots=True)
class FanoutResult:
    """What one platform's fan-out did."""

    channels: int
    seconds: float
    floor: float
    posted: int
    duplicates: int
    missing: int
    refused: int
    reposted: int


def _schedules(platform: Platform, channels: list[str], scope: str) -> list[Schedule]:
    return [
        Schedule(
            platform=platform,
            channel_id=channel,
            scope_key=scope,
            local_time=dt.time(9, 0),
            timezone="UTC",
            days=EVERY_DAY,
            reveal_after=dt.timedelta(hours=4),
        )
        for channel in channels
    ]


async def _scheduler(
    config: Config,
    name: str,
    base: KnowledgeBase,
    platform: Platform,
    messenger: Messenger,
    channels: list[str],
    rate: float,
) -> tuple[DailyScheduler, Database]:
    database = Database(_url(config, name))
    store = DailyStore(database)
    await store.save_schedules(
        _schedules(platform, channels, f"{platform}:bench"), updated_by="bench"
    )
    scheduler = DailyScheduler(
        knowledge=lambda: base,
        repository=store,
        messengers={platform: messenger},
        clock=FixedClock(),
        rates={platform: TokenBucket(rate, messenger.rate_limit.burst)},
    )
    return scheduler, database


async def _timed_ticks(scheduler: DailyScheduler) -> tuple[float, int, int]:
    started = time.perf_counter()
    first = await scheduler.tick()
    seconds = time.perf_counter() - started
    second = await scheduler.tick()
    return seconds, first.posted, second.posted


async def _discord(config: Config, base: KnowledgeBase, count: int, rate: float) -> FanoutResult:
    ids = [GUILD_ID + 10 + i for i in range(count)]
    guild = FakeGuild(
        id=GUILD_ID, channels=tuple(FakeChannel(id=c, name=f"quiz-{i}") for i, c in enumerate(ids))
    )
    async with FakeDiscord(
        guilds=(guild,),
        interaction_timeout=None,
        echo_messages=False,
        global_rate_limit=DISCORD_LIMIT,
    ) as fake:
        client = discord.Client(intents=intents(), guild_ready_timeout=0.05)
        async with run_client(fake, client):
            scheduler, database = await _scheduler(
                config,
                "discord",
                base,
                Platform("discord"),
                DiscordMessenger(client),
                [str(c) for c in ids],
                rate,
            )
            try:
                seconds, posted, reposted = await _timed_ticks(scheduler)
            finally:
                await database.close()
        per_channel = Counter(m["channel_id"] for m in fake.messages)
    return FanoutResult(
        channels=count,
        seconds=seconds,
        floor=max(0, count - DISCORD_LIMIT) / DISCORD_LIMIT,
        posted=posted,
        duplicates=sum(n - 1 for n in per_channel.values() if n > 1),
        missing=sum(1 for c in ids if per_channel[str(c)] == 0),
        refused=fake.global_rate_limited,
        reposted=reposted,
    )


async def _slack(config: Config, base: KnowledgeBase, count: int, rate: float) -> FanoutResult:
    channels = [f"C{i:09d}" for i in range(count)]
    async with FakeSlack(
        post_rate_limits=True,
        post_workspace_per_minute=SLACK_WORKSPACE_PER_MINUTE,
        post_workspace_burst=SLACK_WORKSPACE_BURST,
    ) as fake:
        settings = Settings(
            _env_file=None,
            slack_bot_token=DEFAULT_BOT_TOKEN,
            slack_signing_secret=DEFAULT_SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        messenger = SlackMessenger(make_client(settings))
        scheduler, database = await _scheduler(
            config, "slack", base, Platform("slack"), messenger, channels, rate
        )
        try:
            seconds, posted, reposted = await _timed_ticks(scheduler)
        finally:
            await database.close()
        counts = [len(fake.messages(c)) for c in channels]
    return FanoutResult(
        channels=count,
        seconds=seconds,
        floor=max(0, count - SLACK_WORKSPACE_BURST) / (SLACK_WORKSPACE_PER_MINUTE / 60),
        posted=posted,
        duplicates=sum(n - 1 for n in counts if n > 1),
        missing=sum(1 for n in counts if n == 0),
        refused=fake.rate_limited_calls,
        reposted=reposted,
    )


def _url(config: Config, name: str) -> str:
    return f"sqlite+aiosqlite:///{config.workdir / f'fanout-{name}.db'}"


async def _migrate(config: Config, name: str) -> None:
    """Create a fresh database (one at a time: Alembic is not safe to run concurrently)."""
    (config.workdir / f"fanout-{name}.db").unlink(missing_ok=True)
    database = Database(_url(config, name))
    await database.migrate()
    await database.close()


def sizes(config: Config) -> tuple[int, int]:
    """(Discord channels, Slack channels) for this run."""
    return (150, 30) if config.quick else (5000, 500)


async def _measure(config: Config) -> list[Figure]:
    settings = Settings(_env_file=None)
    discord_rate = settings.daily_discord_rate or discord_messenger.POST_RATE
    slack_rate = settings.daily_slack_rate or slack_messenger.POST_RATE
    base = shipped_base()
    discord_count, slack_count = sizes(config)
    for name in ("discord", "slack"):
        await _migrate(config, name)
    results = await asyncio.gather(
        _discord(config, base, discord_count, discord_rate),
        _slack(config, base, slack_count, slack_rate),
    )
    figures: list[Figure] = []
    for label, result, rate in zip(
        ("Discord", "Slack"),
        results,
        (discord_rate, slack_rate),
        strict=True,
    ):
        logger.info("fan-out %s: %s", label, result)
        note = (
            f"{result.posted}/{result.channels} posted, {result.missing} missing, "
            f"{result.refused} answered 429, {result.reposted} re-posted on a second tick; "
            f"scheduler rate {rate:g}/s"
        )
        time_fig = Figure(
            AREA,
            f"{label}: {result.channels:,} channels, seconds to post all",
            "s",
            runs=[result.seconds],
            baseline=[result.floor],
            higher_is_better=False,
            note=note + f"; floor {result.floor:.0f} s",
        )
        time_fig.judge("<= 1.2x floor", time_fig.ratio <= 1.2)
        dup = Figure(
            AREA,
            f"{label}: duplicates",
            "posts",
            runs=[float(result.duplicates + result.reposted)],
            higher_is_better=False,
        )
        dup.judge("0", result.duplicates + result.reposted == 0 and result.missing == 0)
        figures += [time_fig, dup]
    return figures


def run(config: Config) -> list[Figure]:
    """Fan out on both platforms at once against rate-limited fakes (one run each)."""
    return asyncio.run(_measure(config))
