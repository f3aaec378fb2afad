"""Posting and editing channel messages outside a request (the daily quiz uses this).

Implements the core's ``Messenger`` port: a post carries its key in Slack message metadata,
so :meth:`SlackMessenger.find` can recognise it after a crash between send and record.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.adapters.slack.render import render
from bot.core.daily.pacing import RateLimit
from bot.core.replies import Reply

logger = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "explainbot_post"
"""``metadata.event_type`` of posts made with a ``key``; the key is in ``event_payload``."""
FIND_LIMIT = 200
"""How many recent channel messages :meth:`SlackMessenger.find` looks through."""
POST_RATE = 4.5
"""Daily posts per second. chat.postMessage allows 1 per second per channel (one daily post
each is far below that) and "several hundred per minute" per workspace: 4.5 per second stays
under 300 a minute."""
POST_BURST = 9


class SlackMessenger:
    """``chat.postMessage`` / ``chat.update`` with rendered replies.

    ``client`` is a slack_sdk ``AsyncWebClient`` (with its rate-limit retry handler).
    """

    def __init__(self, client: Any, *, rate: float | None = None) -> None:
        self._client = client
        self.rate_limit = RateLimit(rate or POST_RATE, POST_BURST)

    async def post(
        self,
        channel_id: str,
        reply: Reply,
        *,
        key: str | None = None,
    ) -> str:
        """Post ``reply`` to ``channel_id``; returns the message ts.

        A ``key`` travels as Slack message metadata (``{"event_type": "explainbot_post",
        "event_payload": {"key": key}}``), which :meth:`find` looks for after a crash.
        """
        rendered = render(reply)
        extra: dict[str, Any] = {}
        if key is not None:
            extra["metadata"] = {"event_type": METADATA_EVENT_TYPE, "event_payload": {"key": key}}
        response = await self._client.chat_postMessage(
            channel=channel_id, text=rendered.text, blocks=rendered.blocks, **extra
        )
        return str(response["ts"])

    async def update(self, channel_id: str, message_id: str, reply: Reply) -> None:
        """Replace the message ``message_id`` (its ts) in ``channel_id`` with ``reply``."""
        rendered = render(reply)
        await self._client.chat_update(
            channel=channel_id, ts=message_id, text=rendered.text, blocks=rendered.blocks
        )

    async def find(self, channel_id: str, key: str) -> str | None:
        """The ts of a recent post carrying ``key`` in its metadata, or None.

        Needs the ``channels:history`` scope (``groups:history`` for private channels); without
        it, or on any API error, answers None (the database claim still prevents doubles).
        """
        try:
            response = await self._client.conversations_history(
                channel=channel_id, include_all_metadata=True, limit=FIND_LIMIT
            )
        except Exception:
            logger.warning("slack: cannot search %s for post %s", channel_id, key, exc_info=True)
            return None
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT_TYPE and payload.get("key") == key:
                return str(message["ts"])
        return None
