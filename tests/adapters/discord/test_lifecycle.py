"""Starting, syncing, stopping, sharding, and posting outside interactions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.adapters.discord.client import (
    ExplainBot,
    ShardedExplainBot,
    create_client,
    run_discord,
    sync_commands,
)
from bot.adapters.discord.messenger import DiscordMessenger, nonce_for
from bot.app import Runtime
from bot.core.ports import Messenger
from bot.core.replies import Heading, Paragraph, Reply, ReplyKind
from bot.core.service import Core
from bot.settings import Settings
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.adapters.discord.helpers import (
    WATCHED_LOGGERS,
    answer_of,
    assert_no_mentions_allowed,
    make_bot,
)
from tests.fakes.discord import (
    DEFAULT_GUILD_ID,
    FakeDiscord,
    fail_on_error_logs,
    patch_discord_urls,
    run_client,
)


def settings_for(fake: FakeDiscord, **extra: object) -> Settings:
    return Settings(
        _env_file=None,
        discord_token=SecretStr("fake-bot-token"),
        discord_api_base_url=fake.api_base,
        discord_gateway_url=str(fake.gateway_url),
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.asyncio
async def test_commands_sync_at_first_start_only(fake: FakeDiscord, core: Core) -> None:
    with fail_on_error_logs(WATCHED_LOGGERS):
        first = make_bot(core)
        async with run_client(fake, first):
            assert first.synced_at_start is True
        second = make_bot(core)
        async with run_client(fake, second):
            assert second.synced_at_start is False  # one GET, no PUT
    assert len(fake.requests_matching("PUT", r"/commands$")) == 1
    assert len(fake.requests_matching("GET", r"/commands$")) == 2
    assert {c["name"] for c in fake.commands()} == {"explain", "compare", "quiz", "explainbot"}


@pytest.mark.asyncio
async def test_sync_commands_globally_and_to_a_guild(fake: FakeDiscord) -> None:
    with fail_on_error_logs(WATCHED_LOGGERS), patch_discord_urls(fake):
        assert await sync_commands(settings_for(fake)) == 4
        assert await sync_commands(settings_for(fake), DEFAULT_GUILD_ID) == 4
    assert len(fake.commands()) == 4
    assert {c["name"] for c in fake.commands(DEFAULT_GUILD_ID)} == {
        "explain",
        "compare",
        "quiz",
        "explainbot",
    }
    assert fake.identify_count == 0  # REST only, no gateway session


@pytest.mark.asyncio
async def test_run_discord_until_stopped(
    fake: FakeDiscord, core: Core, sqlite_database: Database
) -> None:
    settings = settings_for(fake)
    store = QuizStore(sqlite_database)
    runtime = Runtime(
        settings, core.knowledge, sqlite_database, store, DailyStore(sqlite_database), core
    )
    client = create_client(core, settings, guild_ready_timeout=0.05)
    stop = asyncio.Event()
    with fail_on_error_logs(WATCHED_LOGGERS), patch_discord_urls(fake):
        task = asyncio.create_task(
            run_discord(runtime.core, runtime.settings, stop=stop, client=client)
        )
        await fake.wait_until_ready()
        sent = await fake.send_slash_command("explain", {"term": "llm"})
        assert (await answer_of(fake, sent))["embeds"][0]["title"] == "Large language model"
        await asyncio.wait_for(client.wait_until_ready(), 5)
        assert client.connected
        stop.set()
        await asyncio.wait_for(task, 5)
    assert client.is_closed()
    assert not client.connected


@pytest.mark.asyncio
async def test_run_discord_cancelled_closes_the_client(
    fake: FakeDiscord, core: Core, sqlite_database: Database, tmp_path: Path
) -> None:
    settings = settings_for(fake)
    store = QuizStore(sqlite_database)
    runtime = Runtime(
        settings, core.knowledge, sqlite_database, store, DailyStore(sqlite_database), core
    )
    client = create_client(core, settings, guild_ready_timeout=0.05)
    with fail_on_error_logs(WATCHED_LOGGERS), patch_discord_urls(fake):
        task = asyncio.create_task(run_discord(runtime.core, runtime.settings, client=client))
        await fake.wait_until_ready()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert client.is_closed()


@pytest.mark.asyncio
async def test_sharded_client_from_settings(fake: FakeDiscord, core: Core) -> None:
    client = create_client(
        core, settings_for(fake, discord_shard_count=1), guild_ready_timeout=0.05
    )
    assert isinstance(client, ShardedExplainBot)
    with fail_on_error_logs(WATCHED_LOGGERS):
        async with run_client(fake, client):
            assert fake.identifies[0]["shard"] == [0, 1]
            sent = await fake.send_slash_command("explain", {"term": "gen ai"})
            assert (await answer_of(fake, sent))["embeds"][0]["title"] == "Generative AI"


@pytest.mark.asyncio
async def test_messenger_posts_once_per_nonce_and_updates(
    fake: FakeDiscord, bot: ExplainBot
) -> None:
    messenger: Messenger = DiscordMessenger(bot)
    channel = str(fake.default_channel_id())
    key = f"discord:{channel}:2026-11-22"  # longer than a nonce may be: hashed
    question = Reply(ReplyKind.QUIZ, (Heading("Daily quiz"), Paragraph("What is an @everyone?")))
    first = await messenger.post(channel, question, key=key)
    again = await messenger.post(channel, question, key=key)
    assert first == again
    assert len(fake.channel_messages(int(channel))) == 1
    posted = fake.requests_matching("POST", rf"/channels/{channel}/messages$")[0].json
    assert posted["enforce_nonce"] is True
    assert posted["nonce"] == nonce_for(key)
    assert len(posted["nonce"]) <= 25
    assert await messenger.find(channel, key) is None

    revealed = Reply(ReplyKind.QUIZ, (Heading("Daily quiz: the answer"), Paragraph("B")))
    await messenger.update(channel, first, revealed)
    stored = fake.get_message(int(first))
    assert stored is not None
    assert stored["embeds"][0]["title"] == "Daily quiz: the answer"
    assert stored["components"] == []
    assert_no_mentions_allowed(fake)
