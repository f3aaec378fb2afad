"""Fixtures for Slack adapter scenarios: a fake Slack, settings pointing at it, a running bot."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.transport import HttpTransport
from bot.core.service import Core
from tests.adapters.slack.helpers import (
    LIST_ADMIN,
    PING_INTERVAL,
    WORKSPACE_ADMIN,
    HttpBot,
    make_settings,
)
from tests.fakes.slack import (
    DEFAULT_USER_ID,
    FakeSlack,
)


@pytest.fixture(autouse=True)
def no_error_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Slack and Bolt fail quietly (a lost ack is only logged): fail the test instead."""
    caplog.set_level(logging.INFO)
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake_slack:
        fake_slack.add_user(WORKSPACE_ADMIN, "wsadmin", is_admin=True)
        fake_slack.add_user(LIST_ADMIN, "listadmin")
        fake_slack.add_user(DEFAULT_USER_ID, "alice")
        yield fake_slack


@pytest_asyncio.fixture
async def http_bot(core: Core, fake: FakeSlack) -> AsyncIterator[HttpBot]:
    bot = SlackBot(core, make_settings(fake))
    transport = await bot.start()
    assert isinstance(transport, HttpTransport)
    try:
        yield HttpBot(bot, transport.url, fake)
    finally:
        await bot.close()
        await core.drain()


@pytest_asyncio.fixture
async def socket_bot(core: Core, fake: FakeSlack) -> AsyncIterator[SlackBot]:
    bot = SlackBot(core, make_settings(fake, socket_mode=True), ping_interval=PING_INTERVAL)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.close()
        await core.drain()
