"""What the fake Discord holds: the bot, users, guilds, DM channels, messages, commands and
the interactions it sent, so later reads and edits see earlier writes."""

from __future__ import annotations

import copy
import dataclasses
import enum
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

from tests.fakes.discord.payloads import (
    DEFAULT_APPLICATION_ID,
    DEFAULT_USER_ID,
    JSON,
    FakeChannel,
    FakeGuild,
    FakeUser,
    dm_channel_payload,
    guild_channel_payload,
    member_payload,
)

_DISCORD_EPOCH_MS: Final = 1_420_070_400_000


class _Default(enum.Enum):
    """Sentinel for "use the fake's default guild" (``None`` means a DM)."""

    GUILD = enum.auto()


DEFAULT: Final = _Default.GUILD
GuildChoice = int | _Default | None
"""A guild id, ``DEFAULT`` (the first guild) or ``None`` (a DM)."""


class Snowflakes:
    """Makes unique, increasing snowflakes whose timestamp is now."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """The next snowflake."""
        now = int(time.time() * 1000) - _DISCORD_EPOCH_MS
        self._last = max(now << 22, self._last + 1)
        return self._last


@dataclasses.dataclass
class Interaction:
    """An interaction the fake sent, and how the bot has answered it so far."""

    id: int
    token: str
    type: int
    channel_id: int | None
    guild_id: int | None
    user: JSON
    created: float
    command_type: int | None = None
    name: str | None = None
    message_id: int | None = None  # the message a component was on
    acknowledged: bool = False
    response_type: int | None = None
    original_message_id: int | None = None
    followed_up: bool = False


class World:
    """The fake's state: one bot (its application id is its user id) in ``guilds``."""

    def __init__(self, guilds: Sequence[int | FakeGuild]) -> None:
        self.application_id = DEFAULT_APPLICATION_ID
        self.bot_user = FakeUser(id=DEFAULT_APPLICATION_ID, username="explainbot", bot=True)
        #: The user that interactions and messages come from by default.
        self.default_user = FakeUser(id=DEFAULT_USER_ID, username="tester", global_name="Tester")
        self.guilds: dict[int, FakeGuild] = {}
        for guild in guilds:
            if isinstance(guild, int):
                guild = FakeGuild(id=guild)
            if not guild.channels:
                guild = dataclasses.replace(guild, channels=(FakeChannel(id=guild.id + 1),))
            self.guilds[guild.id] = guild
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.default_user)}
        self.dm_channels: dict[int, int] = {}  # channel id -> recipient user id
        self.messages: dict[int, JSON] = {}
        self.commands: dict[int | None, list[JSON]] = {}
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.snowflakes = Snowflakes()

    # -- guilds, channels, members ---------------------------------------------------------------

    def resolve_guild(self, guild_id: GuildChoice) -> int | None:
        """The guild id meant by ``guild_id`` (``DEFAULT``: the first guild; ``None``: a DM)."""
        if guild_id is DEFAULT:
            return next(iter(self.guilds))
        assert not isinstance(guild_id, _Default)
        if guild_id is not None and guild_id not in self.guilds:
            raise ValueError(f"unknown guild {guild_id}")
        return guild_id

    def default_channel_id(self, guild_id: int | None = None) -> int:
        """The first channel of a guild (the first guild if omitted)."""
        guild = self.guilds[guild_id if guild_id is not None else next(iter(self.guilds))]
        return guild.channels[0].id

    def channel_for(self, guild_id: int | None, user: FakeUser) -> int:
        """Where ``user`` acts by default: the guild's first channel, or its DM with the bot."""
        return self.default_channel_id(guild_id) if guild_id else self.dm_channel_id(user.id)

    def dm_channel_id(self, user_id: int) -> int:
        """The DM channel between the bot and a user (created on first use)."""
        for channel_id, recipient in self.dm_channels.items():
            if recipient == user_id:
                return channel_id
        channel_id = self.snowflakes.next()
        self.dm_channels[channel_id] = user_id
        return channel_id

    def guild_of_channel(self, channel_id: int) -> int | None:
        """The guild a channel belongs to (None for a DM or an unknown channel)."""
        for guild in self.guilds.values():
            if any(c.id == channel_id for c in guild.channels):
                return guild.id
        return None

    def channel_known(self, channel_id: int) -> bool:
        """Whether the channel is a guild channel or a DM the fake knows."""
        return channel_id in self.dm_channels or self.guild_of_channel(channel_id) is not None

    def channel_payload(self, channel_id: int) -> JSON | None:
        """The channel object of a guild channel or DM, None if unknown."""
        if channel_id in self.dm_channels:
            return dm_channel_payload(channel_id, self.users.get(self.dm_channels[channel_id]))
        for guild in self.guilds.values():
            for position, channel in enumerate(guild.channels):
                if channel.id == channel_id:
                    return guild_channel_payload(guild.id, channel, position)
        return None

    def members(self) -> list[FakeUser]:
        """Every guild's members: the bot first, then the default user."""
        return [self.bot_user, self.default_user]

    def mention_payload(self, user: FakeUser, guild_id: int | None) -> JSON:
        """A user as a message's ``mentions`` lists it (with ``member`` in a guild)."""
        data = user.payload()
        if guild_id is not None and guild_id in self.guilds:
            data["member"] = member_payload(user, with_user=False)
        return data

    # -- messages and interactions ---------------------------------------------------------------

    def store(self, message: JSON) -> JSON:
        """Keep ``message``; returns a copy."""
        self.messages[int(message["id"])] = message
        return copy.deepcopy(message)

    def message_copies(self, channel_id: int | None = None) -> list[JSON]:
        """Copies of the stored messages (of one channel if given), oldest first."""
        return [
            copy.deepcopy(m)
            for m in self.messages.values()
            if channel_id is None or m["channel_id"] == str(channel_id)
        ]

    def message_copy(self, message_id: int | None) -> JSON | None:
        """A copy of a stored message, None if there is none."""
        message = self.messages.get(message_id) if message_id is not None else None
        return copy.deepcopy(message) if message is not None else None

    def register_interaction(self, data: Mapping[str, Any]) -> Interaction:
        """Remember an INTERACTION_CREATE payload, to check the bot's answers against it."""
        user = data.get("member", {}).get("user") or data.get("user") or {}
        inner = data.get("data") or {}
        message = data.get("message")
        command = data["type"] in (2, 4)
        state = Interaction(
            id=int(data["id"]),
            token=str(data["token"]),
            type=int(data["type"]),
            channel_id=int(data["channel_id"]) if data.get("channel_id") else None,
            guild_id=int(data["guild_id"]) if data.get("guild_id") else None,
            user=dict(user),
            created=time.monotonic(),
            command_type=int(inner.get("type") or 1) if command else None,
            name=inner.get("name") if command else None,
            message_id=int(message["id"]) if message else None,
        )
        self.interactions[state.id] = state
        self.interactions_by_token[state.token] = state
        return state
