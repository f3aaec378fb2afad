"""``explainbot run``: every adapter that has tokens, the daily quiz and /health in one process.

With no Discord or Slack tokens it starts the console instead, so ``explainbot run`` always
does something useful.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.app import Runtime
from bot.core.daily.scheduler import DailyScheduler
from bot.core.ports import Messenger
from bot.core.request import Platform
from bot.health import HealthServer

logger = logging.getLogger(__name__)


async def run_adapters(runtime: Runtime, *, stop: asyncio.Event | None = None) -> int:
    """Run the configured adapters, the daily scheduler and /health until stopped."""
    settings = runtime.settings
    if not (settings.discord_enabled or settings.slack_enabled):
        logger.info("no Discord or Slack tokens configured: starting the console")
        from bot.adapters.console.repl import run_console

        await run_console(runtime.core)
        return 0
    stop = stop or asyncio.Event()
    signals = _stop_on_signals(stop)
    jobs: list[Coroutine[Any, Any, None]] = []
    messengers: dict[Platform, Messenger] = {}
    checks: dict[str, Callable[[], bool]] = {}
    if settings.discord_enabled:
        from bot.adapters.discord.client import create_client, run_discord
        from bot.adapters.discord.messenger import DiscordMessenger
        from bot.adapters.discord.translate import PLATFORM as DISCORD

        client = create_client(runtime.core, settings)
        jobs.append(run_discord(runtime.core, settings, stop=stop, client=client))
        messengers[DISCORD] = DiscordMessenger(client, rate=settings.daily_discord_rate)
        checks["discord"] = lambda: client.connected
    if settings.slack_enabled:
        from bot.adapters.slack.app import SlackBot, run_slack
        from bot.adapters.slack.translate import PLATFORM as SLACK

        slack = SlackBot(runtime.core, settings)
        jobs.append(run_slack(runtime.core, settings, stop=stop, bot=slack))
        messengers[SLACK] = slack.messenger
        checks["slack"] = lambda: slack.connected
    scheduler = DailyScheduler(
        knowledge=lambda: runtime.core.base,
        repository=runtime.daily,
        messengers=messengers,
    )
    jobs.append(_when_ready(runtime, lambda: scheduler.run(stop)))
    health = HealthServer(
        checks, runtime.database.ping, host=settings.health_host, port=settings.health_port
    )
    if settings.health_port:
        await health.start()
    tasks = [asyncio.create_task(job) for job in jobs]
    try:
        done, _ = await asyncio.wait(
            [*tasks, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED
        )
        for task in done:
            if task in tasks and task.exception() is not None:
                logger.error("an adapter stopped with an error", exc_info=task.exception())
                return 1
        return 0
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await health.close()
        loop = asyncio.get_running_loop()
        for sig in signals:
            loop.remove_signal_handler(sig)


async def _when_ready(runtime: Runtime, start: Callable[[], Awaitable[None]]) -> None:
    """Start the daily quiz once the database is migrated (it may start later than the bot)."""
    await runtime.database_ready.wait()
    await start()


def _stop_on_signals(stop: asyncio.Event) -> list[signal.Signals]:
    """SIGTERM (docker stop) and SIGINT end the run cleanly; returns what was installed."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    return installed
