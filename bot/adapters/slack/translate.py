"""Slack payloads → core requests: who is asking, where, and what they typed.

Raw payload shapes stay here; the rest of the adapter works with :class:`Requester`, a
:class:`SlashCommand` or plain strings.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.request import Platform, Requester

logger = logging.getLogger(__name__)

PLATFORM = Platform("slack")
"""This adapter's name in requests and in the daily quiz's stored keys."""

ADMIN_CACHE_SECONDS = 300.0

UserInfo = Callable[[str], Awaitable[Mapping[str, Any]]]
"""``users.info`` for one user id: returns the ``user`` object."""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# --------------------------------------------------------------------------- requesters


def from_command(body: Mapping[str, Any], *, is_admin: bool = False) -> Requester:
    """The person who ran a slash command (form fields ``user_id``, ``team_id``, ...)."""
    return Requester(
        platform=PLATFORM,
        user_id=_str(body.get("user_id")),
        scope_id=_str(body.get("team_id")),
        channel_id=_str(body.get("channel_id")),
        display_name=_str(body.get("user_name")),
        is_admin=is_admin,
    )


def from_event(body: Mapping[str, Any], event: Mapping[str, Any]) -> Requester:
    """The author of a message event (``app_mention`` or a direct message)."""
    return Requester(
        platform=PLATFORM,
        user_id=_str(event.get("user")),
        scope_id=_str(body.get("team_id")) or _str(event.get("team")),
        channel_id=_str(event.get("channel")),
    )


def from_action(body: Mapping[str, Any]) -> Requester:
    """The person who clicked a button (``block_actions``)."""
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Requester(
        platform=PLATFORM,
        user_id=_str(user.get("id")),
        scope_id=_str(team.get("id")) or _str(user.get("team_id")),
        channel_id=_str(channel.get("id")) or _str(container.get("channel_id")),
        display_name=_str(user.get("name")) or _str(user.get("username")),
    )


def first_action(body: Mapping[str, Any]) -> tuple[str, str]:
    """``(action_id, value)`` of the clicked element."""
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], Mapping) else {}
    return _str(action.get("action_id")), _str(action.get("value"))


# --------------------------------------------------------------------------- text

_MARKUP = re.compile(r"<([@#!])([^>|]*)(?:\|([^>]*))?>|<([^>|]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"^<#(?P<id>[A-Z0-9]+)(?:\|[^>]*)?>$|^(?P<raw>[CG][A-Z0-9]{6,})$")


def plain_text(text: str, *, keep_channels: bool = False) -> str:
    """What a person typed, from Slack's encoded ``text``: markup resolved, entities decoded.

    Slack sends ``&amp;``, ``&lt;`` and ``&gt;`` for what people typed, and ``<...>`` markup for
    mentions and links. User mentions (the app's own and anyone else's) and ``<!here>``-style
    broadcasts are removed: the core answers the words, and a name would read as part of the
    question. A channel link becomes ``#name``, a link its label or address. With
    ``keep_channels`` channel links stay as they are, for commands that take a channel
    (:func:`channel_id` reads them).
    """

    def resolve(found: re.Match[str]) -> str:
        sigil, target, label, url, url_label = found.groups()
        if sigil == "@":
            return " "
        if sigil == "#":
            return found.group(0) if keep_channels else f"#{label or 'a channel'}"
        if sigil == "!":
            return label or " " if target.startswith("subteam") else " "
        return url_label or url

    return html.unescape(" ".join(_MARKUP.sub(resolve, text).split()))


def channel_id(token: str) -> str | None:
    """The channel a slash-command word names: a ``<#C123|name>`` link or a bare id."""
    found = _CHANNEL.match(token.strip())
    if found is None:
        return None
    return found["id"] or found["raw"]


# --------------------------------------------------------------------------- messages


def conversation_key(event: Mapping[str, Any]) -> str:
    """The conversation a message belongs to: its direct-message channel, or its thread."""
    channel = _str(event.get("channel"))
    if event.get("channel_type") == "im":
        return f"slack:dm:{channel}"
    return f"slack:{channel}:{thread_of(event)}"


def thread_of(event: Mapping[str, Any]) -> str:
    """The thread to answer in: the message's thread, or a new one under the message."""
    return _str(event.get("thread_ts")) or _str(event.get("ts"))


def message_key(event: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(channel, ts)``: one message, however many times Slack delivers it."""
    channel, ts = _str(event.get("channel")), _str(event.get("ts"))
    return (channel, ts) if channel and ts else None


def is_user_direct_message(event: Mapping[str, Any]) -> bool:
    """A plain direct message from a person (not a bot, an edit or another subtype)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(_str(event.get("text")).strip())
    )


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class SlashCommand:
    """A slash command's name and the words after it."""

    name: str
    text: str

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> SlashCommand:
        """From the command payload."""
        text = plain_text(_str(body.get("text")), keep_channels=True)
        return cls(_str(body.get("command")).lower(), text)


# --------------------------------------------------------------------------- admins


class AdminCheck:
    """Who may run admin commands: configured user ids, or workspace admins and owners.

    ``users.info`` answers are cached for ``ttl`` seconds; a failed lookup counts as "not an
    admin" and is not cached.
    """

    def __init__(
        self,
        user_info: UserInfo,
        admin_user_ids: Iterable[str] = (),
        *,
        ttl: float = ADMIN_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._user_info = user_info
        self._configured = frozenset(admin_user_ids)
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}

    async def is_admin(self, user_id: str) -> bool:
        """True for a configured admin or a workspace admin/owner."""
        if not user_id:
            return False
        if user_id in self._configured:
            return True
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            user = await self._user_info(user_id)
        except Exception:
            logger.warning("users.info failed for %s; treating as non-admin", user_id)
            return False
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        if len(self._cache) > 1000:
            self._cache.clear()
        self._cache[user_id] = (now + self._ttl, admin)
        return admin
