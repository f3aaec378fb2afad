"""Posting and editing channel messages outside an interaction (the daily quiz uses this).

Implements the core's ``Messenger`` port: a post carries its key as the message ``nonce`` with
``enforce_nonce``, so a re-send of the same key within a few minutes returns the earlier
message instead of posting twice.
"""

from __future__ import annotations

import hashlib

import discord

from bot.adapters.discord.render import render
from bot.core.daily.pacing import RateLimit
from bot.core.replies import Reply

NONCE_MAX = 25
"""Discord accepts nonces of at most 25 characters."""
POST_RATE = 45.0
"""Daily posts per second: Discord's global limit is 50 requests per second per bot."""
POST_BURST = 5


class DiscordMessenger:
    """Posts and edits bot messages in channels (the daily quiz's :class:`Messenger`)."""

    def __init__(self, client: discord.Client, *, rate: float | None = None) -> None:
        self.client = client
        self.rate_limit = RateLimit(rate or POST_RATE, POST_BURST)

    async def post(
        self,
        channel_id: str | int,
        reply: Reply,
        *,
        key: str | None = None,
    ) -> str:
        """Send ``reply`` to a channel and return the message id.

        ``key`` is sent as the message nonce with ``enforce_nonce``, so
        Discord returns the earlier message instead of posting the same key twice (for a few
        minutes). Nonces are at most 25 characters: a longer key is hashed.
        """
        kwargs = render(reply).message_kwargs()
        if key is not None:
            kwargs["nonce"] = nonce_for(key)  # discord.py adds enforce_nonce
        channel = self.client.get_partial_messageable(int(channel_id))
        message = await channel.send(**kwargs)
        return str(message.id)

    async def update(self, channel_id: str | int, message_id: str | int, reply: Reply) -> None:
        """Replace a posted message's embeds and buttons with ``reply``."""
        channel = self.client.get_partial_messageable(int(channel_id))
        await channel.get_partial_message(int(message_id)).edit(**render(reply).edit_kwargs())

    async def find(self, channel_id: str, key: str) -> str | None:
        """Always None: Discord does not return nonces on fetched messages.

        Duplicates are prevented by ``enforce_nonce`` on :meth:`post` instead.
        """
        return None


def nonce_for(key: str) -> str:
    """A Discord nonce (at most 25 characters) for a post key."""
    if len(key) <= NONCE_MAX:
        return key
    return hashlib.sha256(key.encode()).hexdigest()[:NONCE_MAX]
