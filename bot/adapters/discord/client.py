"""The Discord client: gateway connection, command tree, mentions and persistent buttons.

Intents are minimal (guilds, guild messages, direct messages; nothing privileged): without
MESSAGE_CONTENT Discord still delivers the text of messages that mention the bot. Commands are
synced on request (:func:`sync_commands`) or at first start when they differ from what Discord
has registered, never on every ready or reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from bot.adapters.discord.buttons import ActionButton
from bot.adapters.discord.commands import add_commands, send_reply
from bot.adapters.discord.render import NO_MENTIONS, render
from bot.adapters.discord.translate import (
    conversation_key,
    from_interaction,
    from_message,
    message_text,
    should_answer,
)
from bot.core import actions
from bot.core.service import SORRY, Core
from bot.settings import Settings

logger = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Guilds, guild messages and direct messages; no privileged intent."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


def apply_url_overrides(settings: Settings) -> None:
    """Point discord.py at ``DISCORD_API_BASE_URL`` / ``DISCORD_GATEWAY_URL`` when set."""
    if settings.discord_api_base_url:
        discord.http.Route.BASE = settings.discord_api_base_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class ExplainTree(app_commands.CommandTree[Any]):
    """The command tree, with one error boundary for command failures."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Log the failure and tell the user, instead of leaving "did not respond"."""
        logger.error("command %r failed", getattr(interaction.command, "name", "?"), exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            await send_reply(interaction, SORRY)


class ExplainBot(discord.Client):
    """explainbot on Discord: slash commands, mentions and buttons, all answered by the core."""

    def __init__(
        self,
        core: Core | None,
        *,
        auto_sync: bool = True,
        **options: Any,
    ) -> None:
        options.setdefault("allowed_mentions", NO_MENTIONS)
        super().__init__(intents=intents(), **options)
        self._core = core
        self.auto_sync = auto_sync
        self.tree = ExplainTree(self)
        add_commands(self.tree, lambda: self.core)
        #: Whether the last start-up check pushed the commands to Discord (None: not checked).
        self.synced_at_start: bool | None = None

    @property
    def core(self) -> Core:
        """The core answering everything (absent on a sync-only client)."""
        if self._core is None:
            raise RuntimeError("this client was made for command sync only")
        return self._core

    @property
    def connected(self) -> bool:
        """Ready, not closed, and the gateway socket (every shard's) open: for /health."""
        if not self.is_ready() or self.is_closed():
            return False
        shards = getattr(self, "shards", None)
        if isinstance(shards, dict) and shards:
            return all(not shard.is_closed() for shard in shards.values())
        return self.ws is not None and self.ws.open

    async def setup_hook(self) -> None:
        """Register persistent buttons; sync commands at start only if they changed."""
        self.add_dynamic_items(ActionButton)
        if self.auto_sync:
            try:
                self.synced_at_start = await sync_if_changed(self)
            except discord.HTTPException:
                logger.exception("could not check or sync the slash commands")

    async def on_message(self, message: discord.Message) -> None:
        """Answer a human's message that mentions the bot (or a DM) as a reply to it."""
        if not should_answer(message, self.user):
            return
        thread = conversation_key(message)
        reply = await self.core.message(message_text(message), from_message(message), thread=thread)
        try:
            sent = await message.reply(**render(reply).message_kwargs(), mention_author=False)
        except discord.HTTPException:
            logger.exception("could not answer message %s", message.id)
            return
        if message.guild is not None:
            # A reply to this answer continues the conversation.
            self.core.remember(f"discord:{sent.id}", reply)

    async def handle_action(self, interaction: discord.Interaction[Any], action: str) -> None:
        """A button click: an answer (feedback is private), a new question or a related term."""
        who = from_interaction(interaction)
        try:
            if action.startswith(actions.NEEDS_DATABASE):
                await interaction.response.defer()  # no visible change; the follow-up answers
            await send_reply(interaction, await self.core.action(action, who))
        except discord.HTTPException:
            logger.exception("could not answer button %r", action[:100])


class ShardedExplainBot(ExplainBot, discord.AutoShardedClient):
    """:class:`ExplainBot` over several gateway shards (``DISCORD_SHARD_COUNT`` / ``_IDS``)."""


def create_client(core: Core | None, settings: Settings, **options: Any) -> ExplainBot:
    """The client for ``settings``: sharded when a shard count or shard ids are configured."""
    if settings.discord_shard_count or settings.discord_shard_ids:
        if settings.discord_shard_count:
            options.setdefault("shard_count", settings.discord_shard_count)
        if settings.discord_shard_ids:
            options.setdefault("shard_ids", list(settings.discord_shard_ids))
        return ShardedExplainBot(core, **options)
    return ExplainBot(core, **options)


# Command sync ------------------------------------------------------------------------------------


def _canonical_option(option: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": option.get("type"),
        "name": option.get("name"),
        "description": option.get("description", ""),
        "required": bool(option.get("required", False)),
        "autocomplete": bool(option.get("autocomplete", False)),
        "choices": [(c.get("name"), c.get("value")) for c in option.get("choices") or []],
        "min_length": option.get("min_length"),
        "max_length": option.get("max_length"),
        "options": [_canonical_option(o) for o in option.get("options") or []],
    }


def canonical_commands(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parts of command payloads that matter, comparable between local and registered."""
    result = []
    for command in commands:
        permissions = command.get("default_member_permissions")
        entry = {
            "type": command.get("type", 1),
            "name": command.get("name"),
            "description": command.get("description", ""),
            "default_member_permissions": None if permissions is None else str(permissions),
            "options": [_canonical_option(o) for o in command.get("options") or []],
        }
        if command.get("contexts") is not None:
            entry["contexts"] = sorted(command["contexts"])
        result.append(entry)
    return sorted(result, key=lambda c: (str(c["name"]), int(c["type"] or 1)))


async def sync_if_changed(client: ExplainBot) -> bool:
    """Push the global commands only if they differ from Discord's (one GET when unchanged)."""
    application_id = client.application_id
    if application_id is None:
        raise RuntimeError("sync needs a logged-in client")
    local = [command.to_dict(client.tree) for command in client.tree.get_commands()]
    registered = await client.http.get_global_commands(application_id)
    remote = canonical_commands([dict(c) for c in registered])
    if remote == canonical_commands(local):
        logger.info("slash commands up to date (%d)", len(local))
        return False
    synced = await client.tree.sync()
    logger.info("slash commands changed: synced %d", len(synced))
    return True


async def sync_commands(settings: Settings, guild_id: int | None = None) -> int:
    """``explainbot discord sync [--guild ID]``: register the commands now; returns how many.

    With a guild id the commands are registered in that server only (instant, for testing);
    without, globally.
    """
    if settings.discord_token is None or not settings.discord_enabled:
        raise RuntimeError("DISCORD_TOKEN is not set")
    apply_url_overrides(settings)
    client = ExplainBot(None, auto_sync=False)
    try:
        await client.login(settings.discord_token.get_secret_value())
        if guild_id is None:
            synced = await client.tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
    finally:
        await client.close()
    logger.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild_id else "")
    return len(synced)


# Running -----------------------------------------------------------------------------------------


async def run_discord(
    core: Core,
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    client: ExplainBot | None = None,
) -> None:
    """Run the Discord adapter until ``stop`` is set or the task is cancelled; close cleanly.

    Pass ``client`` (from :func:`create_client`) to keep a handle for health checks.
    """
    if settings.discord_token is None or not settings.discord_enabled:
        raise RuntimeError("DISCORD_TOKEN is not set")
    apply_url_overrides(settings)
    bot = client or create_client(core, settings)
    running = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
    stopping = asyncio.create_task(stop.wait()) if stop is not None else None
    try:
        waiting: set[asyncio.Task[Any]] = {running}
        if stopping is not None:
            waiting.add(stopping)
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if running in done:
            running.result()
    finally:
        if stopping is not None:
            stopping.cancel()
        await bot.close()
        if not running.done():
            running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        logger.info("Discord adapter stopped")


__all__ = [
    "ExplainBot",
    "ShardedExplainBot",
    "apply_url_overrides",
    "create_client",
    "intents",
    "run_discord",
    "sync_commands",
    "sync_if_changed",
]
