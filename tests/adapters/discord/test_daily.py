"""The daily quiz on Discord: an admin schedules it, it is posted once, answered, revealed."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Any

import pytest

from bot.adapters.discord.messenger import DiscordMessenger
from bot.core.daily.pacing import TokenBucket
from bot.core.daily.schedule import EVERY_DAY, Schedule
from bot.core.daily.scheduler import DailyScheduler
from bot.core.request import Platform, Requester
from bot.core.service import Core
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from tests.adapters.discord.helpers import (
    WATCHED_LOGGERS,
    answer_of,
    answers_in_db,
    buttons_of,
    embed_text,
    make_bot,
)
from tests.daily.test_scheduler import FakeClock
from tests.fakes.discord import (
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    FakeDiscord,
    fail_on_error_logs,
    run_client,
)
from tests.fakes.messenger import DiesAfterSending

ADMIN = MEMBER_PERMISSIONS | MANAGE_GUILD
MONDAY_0905_BERLIN = dt.datetime(2026, 11, 23, 8, 5, tzinfo=dt.UTC)


def scheduler(core: Core, messenger: Any, database: Database, clock: FakeClock) -> DailyScheduler:
    return DailyScheduler(
        knowledge=lambda: core.base,
        repository=DailyStore(database),
        messengers={Platform("discord"): messenger},
        clock=clock,
        rates={Platform("discord"): TokenBucket(1000, 10)},
        count_interval=dt.timedelta(0),
    )


def from_member(user_id: str) -> Requester:
    return Requester(platform=Platform("discord"), user_id=user_id, scope_id="guild")


def daily_messages(fake: FakeDiscord, channel: int) -> list[dict[str, Any]]:
    titles = {"Daily quiz", "Daily quiz: the answer"}
    return [
        m
        for m in fake.channel_messages(channel)
        if any(embed.get("title") in titles for embed in m.get("embeds") or [])
    ]


@pytest.mark.asyncio
async def test_scheduled_by_an_admin_posted_once_answered_and_revealed(
    fake: FakeDiscord, core: Core, sqlite_database: Database
) -> None:
    channel = fake.default_channel_id()
    client = make_bot(core)
    with fail_on_error_logs(WATCHED_LOGGERS):
        async with run_client(fake, client):
            refused = await fake.send_slash_command(
                "explainbot daily set", {"time": "09:00"}, member_permissions=MEMBER_PERMISSIONS
            )
            assert "Only admins" in embed_text(await answer_of(fake, refused))
            sent = await fake.send_slash_command(
                "explainbot daily set",
                {"time": "09:00", "timezone": "Europe/Berlin", "days": "weekdays", "reveal": "2h"},
                member_permissions=ADMIN,
            )
            confirmation = embed_text(await answer_of(fake, sent))
            assert "Daily quiz scheduled" in confirmation
            assert "09:00 Europe/Berlin on weekdays" in confirmation

            clock = FakeClock(MONDAY_0905_BERLIN)
            loop = scheduler(core, DiscordMessenger(client), sqlite_database, clock)
            assert (await loop.tick()).posted == 1
            assert (await loop.tick()).posted == 0
            [posted] = daily_messages(fake, channel)
            create = next(
                r for r in fake.requests_matching("POST", rf"/channels/{channel}/messages$")
            )
            assert create.json["enforce_nonce"] is True
            assert len(create.json["nonce"]) <= 25

            first = buttons_of(posted)[0]
            click = await fake.send_component_click(first["custom_id"], message=int(posted["id"]))
            feedback = await answer_of(fake, click)
            assert feedback.get("flags", 0) & 64, "answer feedback is ephemeral"
            assert await answers_in_db(sqlite_database) == 1

            assert (await loop.tick()).updated == 1
            edited = fake.get_message(int(posted["id"]))
            assert edited is not None
            assert "1 answered so far" in embed_text(edited)

            clock.advance(hours=2)
            assert (await loop.tick()).revealed == 1
            revealed = fake.get_message(int(posted["id"]))
            assert revealed is not None
            assert "Daily quiz: the answer" in embed_text(revealed)
            assert buttons_of(revealed) == []

            # A stale client still showing the buttons gets a clear "closed" and no score.
            late = await core.action(first["custom_id"], from_member("late-user"))
            assert late.title == "This quiz is closed"
            assert await answers_in_db(sqlite_database) == 1


@pytest.mark.asyncio
async def test_killed_between_claim_and_confirm_then_restarted_posts_once(
    fake: FakeDiscord, core: Core, sqlite_database: Database
) -> None:
    channel = fake.default_channel_id()
    await DailyStore(sqlite_database).save_schedule(
        Schedule(
            platform=Platform("discord"),
            channel_id=str(channel),
            scope_key="discord:x",
            local_time=dt.time(9),
            timezone="Europe/Berlin",
            days=EVERY_DAY,
        ),
        updated_by="admin",
    )
    clock = FakeClock(MONDAY_0905_BERLIN)
    with fail_on_error_logs(WATCHED_LOGGERS):
        first = make_bot(core)
        async with run_client(fake, first):
            dying = scheduler(
                core, DiesAfterSending(DiscordMessenger(first)), sqlite_database, clock
            )
            with contextlib.suppress(asyncio.CancelledError):
                await dying.tick()
        assert len(daily_messages(fake, channel)) == 1

        clock.advance(minutes=3)
        restarted = make_bot(core)
        async with run_client(fake, restarted):
            report = await scheduler(
                core, DiscordMessenger(restarted), sqlite_database, clock
            ).tick()
    assert report.recovered == 1
    assert len(daily_messages(fake, channel)) == 1, "the nonce made Discord return the first one"
    [post] = await DailyStore(sqlite_database).open_posts()
    assert post.message_id == daily_messages(fake, channel)[0]["id"]
