"""The Discord objects the fake sends: users, members, roles, channels, guilds, the application.

Each builder returns the JSON object as Discord's API and gateway carry it, with every field
discord.py reads (a missing one makes ``Client.start()`` raise).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any, Final, TypeAlias

JSON: TypeAlias = dict[str, Any]

DEFAULT_APPLICATION_ID: Final = 1_200_000_000_000_000_001
DEFAULT_GUILD_ID: Final = 1_100_000_000_000_000_001
DEFAULT_USER_ID: Final = 1_300_000_000_000_000_001

# Permission bits (https://discord.com/developers/docs/topics/permissions).
MANAGE_GUILD: Final = 1 << 5
#: What @everyone typically has: view, send, history, reactions, embeds, files, app commands...
MEMBER_PERMISSIONS: Final = (
    (1 << 0)  # create instant invite
    | (1 << 6)  # add reactions
    | (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 18)  # use external emojis
    | (1 << 20)  # connect
    | (1 << 21)  # speak
    | (1 << 26)  # change nickname
    | (1 << 31)  # use application commands
    | (1 << 38)  # send messages in threads
)

LOCALE: Final = "en-US"
_JOINED_AT: Final = "2024-01-01T00:00:00.000000+00:00"


def dumps(data: Any) -> str:
    """Compact JSON, as Discord sends it."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


@dataclasses.dataclass(frozen=True)
class FakeUser:
    """A Discord user known to the fake."""

    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> JSON:
        """The Discord user object."""
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }


@dataclasses.dataclass(frozen=True)
class FakeChannel:
    """A guild text channel."""

    id: int
    name: str = "general"


@dataclasses.dataclass(frozen=True)
class FakeGuild:
    """A guild the bot is in. Empty ``channels`` gives one text channel with id ``id + 1``.

    Its members are the bot and the fake's default user; @everyone has ``MEMBER_PERMISSIONS``.
    """

    id: int
    channels: tuple[FakeChannel, ...] = ()


def self_user_payload(user: FakeUser) -> JSON:
    """The bot's own user, as READY and ``GET /users/@me`` carry it."""
    return {**user.payload(), "verified": True, "mfa_enabled": False, "email": None}


def member_payload(user: FakeUser, *, with_user: bool = True) -> JSON:
    """A guild member holding no role besides @everyone (``with_user``: include the user)."""
    data: JSON = {
        "roles": [],
        "nick": None,
        "avatar": None,
        "banner": None,
        "joined_at": _JOINED_AT,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "avatar_decoration_data": None,
    }
    if with_user:
        data["user"] = user.payload()
    return data


def everyone_role_payload(guild_id: int) -> JSON:
    """The guild's @everyone role (its id is the guild's)."""
    return {
        "id": str(guild_id),
        "name": "@everyone",
        "description": None,
        "permissions": str(MEMBER_PERMISSIONS),
        "position": 0,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def guild_channel_payload(guild_id: int, channel: FakeChannel, position: int) -> JSON:
    """A guild text channel (type 0)."""
    return {
        "id": str(channel.id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": channel.name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def dm_channel_payload(channel_id: int, recipient: FakeUser | None) -> JSON:
    """A DM channel (type 1) with one recipient."""
    return {
        "id": str(channel_id),
        "type": 1,
        "last_message_id": None,
        "flags": 0,
        "recipients": [recipient.payload()] if recipient else [],
    }


def guild_create_payload(
    guild: FakeGuild, members: Sequence[FakeUser], *, member_count: int, owner: FakeUser
) -> JSON:
    """GUILD_CREATE for ``guild``, listing ``members`` (``member_count`` may count more)."""
    return {
        "id": str(guild.id),
        "name": f"Guild {guild.id}",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner.id),
        "application_id": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "system_channel_id": str(guild.channels[0].id),
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "widget_enabled": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": LOCALE,
        "vanity_url_code": None,
        "max_members": 500_000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "features": [],
        "incidents_data": None,
        "joined_at": _JOINED_AT,
        "large": False,
        "lazy": True,
        "unavailable": False,
        "member_count": member_count,
        "roles": [everyone_role_payload(guild.id)],
        "emojis": [],
        "stickers": [],
        "members": [member_payload(m) for m in members],
        "channels": [guild_channel_payload(guild.id, c, i) for i, c in enumerate(guild.channels)],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def application_payload(application_id: int, bot: FakeUser, owner: FakeUser, guilds: int) -> JSON:
    """``GET /oauth2/applications/@me``: the bot's application, owned by ``owner``."""
    return {
        "id": str(application_id),
        "name": bot.username,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "hook": True,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": owner.payload(),
        "team": None,
        "flags": 0,
        "rpc_origins": [],
        "terms_of_service_url": None,
        "privacy_policy_url": None,
        "guild_id": None,
        "primary_sku_id": None,
        "slug": None,
        "cover_image": None,
        "tags": [],
        "install_params": None,
        "custom_install_url": None,
        "integration_types_config": {"0": {}},
        "approximate_guild_count": guilds,
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "redirect_uris": [],
        "bot": bot.payload(),
    }
