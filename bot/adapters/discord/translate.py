"""Translate Discord events (interactions, messages) into the core's :class:`Requester` and text.

Raw payload shapes stay here; the rest of the adapter sees a :class:`Requester`. An admin is a
member with Manage Server in that channel, as resolved by Discord for the interaction (checked
on every request, whatever the command's ``default_permissions`` say).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.core.request import Platform, Requester

PLATFORM = Platform("discord")
"""This adapter's name in requests and in the daily quiz's stored keys."""

DM_SCOPE = "dm"


def _display_name(user: discord.abc.User) -> str:
    return user.display_name or user.name


def from_interaction(interaction: discord.Interaction[Any]) -> Requester:
    """Who clicked or typed a command, where, and whether they may administer the bot."""
    user = interaction.user
    in_guild = interaction.guild_id is not None
    is_admin = bool(in_guild and interaction.permissions.manage_guild)
    return Requester(
        platform=PLATFORM,
        user_id=str(user.id),
        scope_id=str(interaction.guild_id) if in_guild else DM_SCOPE,
        channel_id=str(interaction.channel_id or ""),
        display_name=_display_name(user),
        is_admin=is_admin,
    )


def from_message(message: discord.Message) -> Requester:
    """The author of a message mentioning the bot (never an admin: commands only)."""
    return Requester(
        platform=PLATFORM,
        user_id=str(message.author.id),
        scope_id=str(message.guild.id) if message.guild else DM_SCOPE,
        channel_id=str(message.channel.id),
        display_name=_display_name(message.author),
    )


def should_answer(message: discord.Message, me: discord.abc.User | None) -> bool:
    """A human's message that mentions the bot, or any human's direct message to it."""
    if me is None or message.author.bot or message.author.id == me.id:
        return False
    if message.webhook_id is not None:
        return False
    if message.guild is None:
        return True
    if any(user.id == me.id for user in message.mentions):
        return True
    # A reply to one of the bot's answers continues that conversation, mention or not.
    replied = message.reference.resolved if message.reference is not None else None
    return isinstance(replied, discord.Message) and replied.author.id == me.id


_MARKUP = re.compile(r"<(?:@[!&]?|#)\d{1,20}>")
"""User, role and channel mentions: ``<@123>``, ``<@!123>``, ``<@&123>``, ``<#123>``."""


def without_markup(text: str) -> str:
    """Text with every mention removed: the core answers the words, not who was pinged
    (a name would read as part of the question: "ann" is an alias of a neural network)."""
    return " ".join(_MARKUP.sub(" ", text).split())


def conversation_key(message: discord.Message) -> str:
    """The conversation a message belongs to: its DM channel, or the bot's message it replies
    to (a new mention starts a new conversation)."""
    if message.guild is None:
        return f"discord:dm:{message.channel.id}"
    reference = message.reference
    if reference is not None and reference.message_id is not None:
        return f"discord:{reference.message_id}"
    return f"discord:{message.id}"


def message_text(message: discord.Message) -> str:
    """The question in a message the bot was mentioned in (or sent in a DM)."""
    return without_markup(message.content)
