"""`explainbot run` with both platforms configured: one process, one core, and /health."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import Runtime
from bot.run import run_adapters
from bot.settings import Settings
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import DEFAULT_APP_TOKEN, DEFAULT_BOT_TOKEN, FakeSlack
from tests.helpers import TEST_KNOWLEDGE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def health(port: int) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/health") as response,
    ):
        return response.status, await response.json()


async def health_becomes(port: int, status: int) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(200):
        with contextlib.suppress(aiohttp.ClientError):
            code, body = await health(port)
            if code == status:
                return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"/health never answered {status}; last: {body}")


@pytest.mark.asyncio
async def test_both_platforms_in_one_process_and_health_follows_the_connections(
    tmp_path: Path,
) -> None:
    port = free_port()
    discord_fake, slack_fake = FakeDiscord(), FakeSlack()
    await discord_fake.start()
    await slack_fake.start()
    settings = Settings(
        _env_file=None,
        knowledge_dir=TEST_KNOWLEDGE,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        watch_knowledge=False,
        health_host="127.0.0.1",
        health_port=port,
        discord_token="fake-bot-token",
        discord_api_base_url=discord_fake.api_base,
        discord_gateway_url=str(discord_fake.gateway_url),
        slack_bot_token=DEFAULT_BOT_TOKEN,
        slack_app_token=DEFAULT_APP_TOKEN,
        slack_api_url=slack_fake.api_url,
    )
    runtime = await Runtime.start(settings, watch=False)
    stop = asyncio.Event()
    running = asyncio.create_task(run_adapters(runtime, stop=stop))
    try:
        healthy = await health_becomes(port, 200)
        assert healthy["platforms"] == {"discord": True, "slack": True}
        assert healthy["database"] is True

        await discord_fake.close()  # Discord goes away and stays away
        sick = await health_becomes(port, 503)
        assert sick["platforms"]["discord"] is False
        assert sick["platforms"]["slack"] is True
    finally:
        stop.set()
        assert await asyncio.wait_for(running, timeout=20) == 0
        await runtime.close()
        await slack_fake.close()
