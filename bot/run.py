"""``explainbot run``: start every adapter that has tokens; the console when none has."""

from __future__ import annotations

import logging

from bot.app import Runtime

logger = logging.getLogger(__name__)


async def run_adapters(runtime: Runtime) -> int:
    """Run the configured adapters until stopped."""
    settings = runtime.settings
    if not (settings.discord_enabled or settings.slack_enabled):
        logger.info("no Discord or Slack tokens configured: starting the console")
        from bot.adapters.console.repl import run_console

        await run_console(runtime.core)
        return 0
    raise NotImplementedError("Discord and Slack adapters are not wired in yet")
