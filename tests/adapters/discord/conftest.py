"""Fixtures: the fake Discord and explainbot's real discord.py client running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.adapters.discord.client import ExplainBot
from bot.core.service import Core
from tests.adapters.discord.helpers import (
    WATCHED_LOGGERS,
    assert_no_mentions_allowed,
    make_bot,
)
from tests.fakes.discord import (
    FakeDiscord,
    fail_on_error_logs,
    run_client,
)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord, core: Core) -> AsyncIterator[ExplainBot]:
    client = make_bot(core)
    with fail_on_error_logs(WATCHED_LOGGERS):
        async with run_client(fake, client):
            yield client
    assert_no_mentions_allowed(fake)
