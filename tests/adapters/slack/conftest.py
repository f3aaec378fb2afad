"""Fixtures for Slack adapter scenarios: a fake Slack, settings pointing at it, a running bot."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.transport import HttpTransport
from bot.core.service import Core
from bot.settings import Settings
from tests.conftest import TEST_KNOWLEDGE
from tests.fakes.slack import (
    DEFAULT_APP_TOKEN,
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    DEFAULT_USER_ID,
    FakeSlack,
    signed_headers,
)

LIST_ADMIN = "U0LISTADM"
"""An admin by configuration (``SLACK_ADMIN_USER_IDS``)."""
WORKSPACE_ADMIN = "U0WSADMIN"
"""An admin by ``users.info`` (``is_admin``)."""
PING_INTERVAL = 0.5


def make_settings(fake: FakeSlack, *, socket_mode: bool = False) -> Settings:
    """Settings for a bot talking to ``fake`` (no .env, no environment surprises)."""
    return Settings(
        _env_file=None,
        knowledge_dir=TEST_KNOWLEDGE,
        slack_bot_token=DEFAULT_BOT_TOKEN,
        slack_signing_secret=DEFAULT_SIGNING_SECRET,
        slack_app_token=DEFAULT_APP_TOKEN if socket_mode else None,
        slack_api_url=fake.api_url,
        slack_host="127.0.0.1",
        slack_port=0,
        slack_admin_user_ids=[LIST_ADMIN],
    )


@dataclass
class HttpBot:
    """A running bot served over HTTP, and a signed-request helper."""

    bot: SlackBot
    url: str
    fake: FakeSlack

    async def post(
        self, body: str, headers: dict[str, str] | None = None, **sign: Any
    ) -> tuple[int, str]:
        """POST ``body`` to /slack/events, signed with the right secret unless ``headers``."""
        if headers is None:
            headers = signed_headers(DEFAULT_SIGNING_SECRET, body, **sign)
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, data=body.encode(), headers=headers) as resp,
        ):
            return resp.status, await resp.text()


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


def texts(node: Any) -> list[str]:
    """Every string under a ``text`` key anywhere in ``node`` (blocks, views, bodies)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(texts(item))
    return found


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The button elements of a message, in order."""
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]
