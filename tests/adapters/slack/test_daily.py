"""The daily quiz on Slack: scheduled by an admin, posted once with metadata, recovered once."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json

import pytest

from bot.core.daily.pacing import TokenBucket
from bot.core.daily.scheduler import DailyScheduler
from bot.core.request import Platform
from bot.core.service import Core
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from tests.adapters.slack.helpers import LIST_ADMIN, HttpBot, texts
from tests.daily.test_scheduler import FakeClock
from tests.fakes.messenger import DiesAfterSending
from tests.fakes.slack import DEFAULT_CHANNEL_ID, FakeSlack, slash_command_body

MONDAY_0905_BERLIN = dt.datetime(2026, 11, 23, 8, 5, tzinfo=dt.UTC)


def scheduler(
    core: Core, messenger: object, database: Database, clock: FakeClock
) -> DailyScheduler:
    return DailyScheduler(
        knowledge=lambda: core.base,
        repository=DailyStore(database),
        messengers={Platform("slack"): messenger},  # type: ignore[dict-item]
        clock=clock,
        rates={Platform("slack"): TokenBucket(1000, 10)},
    )


def daily_posts(fake: FakeSlack) -> list[dict[str, object]]:
    return [
        call.args
        for call in fake.calls_of("chat.postMessage", ok=True)
        if "Daily quiz" in " ".join(texts(call.args.get("blocks", [])))
    ]


async def admin_command(http_bot: HttpBot, text: str, *, user: str = LIST_ADMIN) -> str:
    body = slash_command_body(
        "/explainbot", text, user_id=user, response_url=http_bot.fake.response_url("daily")
    )
    status, answer = await http_bot.post(body)
    assert status == 200, answer
    return " ".join(texts(json.loads(answer)["blocks"]))


@pytest.mark.asyncio
async def test_admin_schedules_it_and_it_is_posted_once_with_metadata(
    http_bot: HttpBot, core: Core, sqlite_database: Database
) -> None:
    refused = await admin_command(http_bot, "daily set 09:00 UTC", user="U0NOBODY")
    assert "Only admins" in refused
    done = await admin_command(
        http_bot, f"daily set <#{DEFAULT_CHANNEL_ID}|general> 09:00 Europe/Berlin weekdays"
    )
    assert "Daily quiz scheduled" in done
    shown = await admin_command(http_bot, "daily show")
    assert f"channel {DEFAULT_CHANNEL_ID}" in shown

    clock = FakeClock(MONDAY_0905_BERLIN)
    loop = scheduler(core, http_bot.bot.messenger, sqlite_database, clock)
    assert (await loop.tick()).posted == 1
    assert (await loop.tick()).posted == 0
    [post] = daily_posts(http_bot.fake)
    assert post["channel"] == DEFAULT_CHANNEL_ID
    metadata = post["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["event_type"] == "explainbot_post"

    off = await admin_command(http_bot, f"daily off <#{DEFAULT_CHANNEL_ID}|general>")
    assert "turned off" in off
    again = await admin_command(http_bot, f"daily off <#{DEFAULT_CHANNEL_ID}|general>")
    assert "There was no daily quiz" in again


@pytest.mark.asyncio
async def test_killed_after_sending_then_restarted_finds_the_post_instead_of_reposting(
    http_bot: HttpBot, core: Core, sqlite_database: Database
) -> None:
    await admin_command(http_bot, f"daily set <#{DEFAULT_CHANNEL_ID}|general> 09:00 Europe/Berlin")
    clock = FakeClock(MONDAY_0905_BERLIN)
    dying = scheduler(core, DiesAfterSending(http_bot.bot.messenger), sqlite_database, clock)
    with contextlib.suppress(asyncio.CancelledError):
        await dying.tick()
    assert len(daily_posts(http_bot.fake)) == 1

    clock.advance(minutes=3)
    report = await scheduler(core, http_bot.bot.messenger, sqlite_database, clock).tick()
    assert report.recovered == 1
    assert len(daily_posts(http_bot.fake)) == 1, "found by its metadata, not posted again"
    [open_post] = await DailyStore(sqlite_database).open_posts()
    [stored] = [m for m in http_bot.fake.messages(DEFAULT_CHANNEL_ID) if m.get("metadata")]
    assert open_post.message_id == stored["ts"]
