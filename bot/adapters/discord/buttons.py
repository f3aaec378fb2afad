"""Persistent buttons: one :class:`discord.ui.DynamicItem` for every core action string.

The custom_id of a button is the core's action string verbatim (``qa:<id>:<n>``,
``explain:<term>``, ``quiz:new``), so a click on a message sent before a restart is still routed
to the core: nothing about the button lives in memory. Discord limits: custom_id 100 characters,
label 80.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.core import actions

logger = logging.getLogger(__name__)

LABEL_MAX = 80
ACTION_TEMPLATE = f"(?P<action>{actions.ACTION_PATTERN})"
"""A custom_id that is a core action (Discord allows custom_id up to 100 characters)."""


@runtime_checkable
class ActionHandler(Protocol):
    """What a client must offer for button clicks to reach the core."""

    async def handle_action(self, interaction: discord.Interaction[Any], action: str) -> None:
        """Answer a click on a button carrying ``action``."""


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=ACTION_TEMPLATE,
):
    """A button whose custom_id is a core action; clicks go to the client's ``handle_action``."""

    def __init__(
        self,
        action: str,
        *,
        label: str = "…",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(discord.ui.Button(label=label[:LABEL_MAX], custom_id=action, style=style))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        """Rebuild the button from a click (also on messages sent before a restart)."""
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Route the click to the client."""
        client = interaction.client
        if not isinstance(client, ActionHandler):
            logger.warning("button %r clicked on a client that cannot handle it", self.action)
            return
        await client.handle_action(interaction, self.action)
