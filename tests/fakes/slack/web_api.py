"""The Web API methods the fake answers, over the workspace it keeps (users, channel histories,
ephemeral messages, App Home views): exactly those the bot calls (``auth.test``,
``chat.postMessage``, ``chat.postEphemeral``, ``chat.update``, ``conversations.history``,
``users.info``, ``views.publish``) and those the fake's own tests call
(``chat.getPermalink``, ``conversations.replies``). ``apps.connections.open`` is Socket Mode's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from tests.fakes.slack.constants import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_NAME,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
    DEFAULT_TEAM_NAME,
    DEFAULT_USER_ID,
)
from tests.fakes.slack.payloads import new_ts

_MAX_TEXT: Final = 40_000
_MAX_BLOCKS: Final = 50

Args = dict[str, Any]
Method = Callable[[Args], Mapping[str, Any]]
"""A Web API method: gets the call's arguments, returns the answer's fields (``ok`` is added)."""


class ApiError(Exception):
    """Raised by a method to answer ``{"ok": false, "error": ...}`` (HTTP 200)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True)
class SlackUser:
    """A workspace member answered by ``users.info``."""

    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        """The ``user`` object as ``users.info`` returns it."""
        return {
            "id": self.id,
            "team_id": DEFAULT_TEAM_ID,
            "name": self.name,
            "deleted": False,
            "color": "9f69e7",
            "real_name": self.name,
            "tz": "Europe/London",
            "tz_label": "Europe/London",
            "tz_offset": 0,
            "profile": {
                "real_name": self.name,
                "real_name_normalized": self.name,
                "display_name": self.name,
                "display_name_normalized": self.name,
                "team": DEFAULT_TEAM_ID,
            },
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }


def _ts_key(ts: str) -> Decimal:
    try:
        return Decimal(ts)
    except InvalidOperation:
        return Decimal(0)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def _required(args: Args, name: str, error: str) -> str:
    """A required argument, or the Slack error for its absence."""
    value = args.get(name)
    if not value:
        raise ApiError(error)
    return str(value)


def _check_blocks(blocks: Any, *, limit: int = _MAX_BLOCKS) -> None:
    if not isinstance(blocks, list) or len(blocks) > limit:
        raise ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise ApiError("invalid_blocks")


def _check_metadata(metadata: Any) -> None:
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")


class Workspace:
    """The fake workspace: one bot user, the users added, and channel histories."""

    def __init__(self) -> None:
        self.users: dict[str, SlackUser] = {
            DEFAULT_BOT_USER_ID: SlackUser(DEFAULT_BOT_USER_ID, DEFAULT_BOT_NAME, is_bot=True)
        }
        self.channels: dict[str, list[dict[str, Any]]] = {}
        #: Messages sent with chat.postEphemeral (``channel``, ``user`` and ``message``).
        self.ephemerals: list[dict[str, Any]] = []
        #: The App Home view last published per user id.
        self.home_views: dict[str, dict[str, Any]] = {}

    def methods(self) -> dict[str, Method]:
        """The Web API methods by name."""
        return {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.getPermalink": self.chat_get_permalink,
            "views.publish": self.views_publish,
            "users.info": self.users_info,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
        }

    # ---- state

    def get_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message ``ts`` of ``channel``, or None."""
        return next((m for m in self.channels.get(channel, []) if m["ts"] == ts), None)

    def store(self, channel: str, msg: dict[str, Any], thread_ts: str | None) -> None:
        """Add ``msg`` to ``channel``'s history (as a reply when ``thread_ts`` is set)."""
        history = self.channels.setdefault(channel, [])
        if thread_ts:
            msg["thread_ts"] = thread_ts
            parent = self.get_message(channel, thread_ts)
            if parent is not None:
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
                parent["latest_reply"] = msg["ts"]
                reply_users = list(parent.get("reply_users", []))
                if msg["user"] not in reply_users:
                    reply_users.append(msg["user"])
                parent["reply_users"] = reply_users
                parent["reply_users_count"] = len(reply_users)
        history.append(msg)
        history.sort(key=lambda m: _ts_key(m["ts"]))

    def add_message(self, channel: str, text: str) -> dict[str, Any]:
        """Seed a message written by the default user (a human) into ``channel``'s history."""
        msg = {
            "type": "message",
            "user": DEFAULT_USER_ID,
            "text": text,
            "ts": new_ts(),
            "team": DEFAULT_TEAM_ID,
        }
        self.store(channel, msg, None)
        return msg

    def _bot_message(self, args: Mapping[str, Any], ts: str) -> dict[str, Any]:
        """A message the bot writes, checked like Slack does (text, blocks, metadata)."""
        text = args.get("text")
        blocks = args.get("blocks")
        attachments = args.get("attachments")
        if not text and not blocks and not attachments:
            raise ApiError("no_text")
        if text is not None and len(str(text)) > _MAX_TEXT:
            raise ApiError("msg_too_long")
        if blocks is not None:
            _check_blocks(blocks)
        metadata = args.get("metadata")
        if metadata is not None:
            _check_metadata(metadata)
        msg: dict[str, Any] = {
            "user": DEFAULT_BOT_USER_ID,
            "type": "message",
            "ts": ts,
            "bot_id": DEFAULT_BOT_ID,
            "app_id": DEFAULT_APP_ID,
            "text": str(text or ""),
            "team": DEFAULT_TEAM_ID,
            "bot_profile": {
                "id": DEFAULT_BOT_ID,
                "app_id": DEFAULT_APP_ID,
                "name": DEFAULT_BOT_NAME,
                "team_id": DEFAULT_TEAM_ID,
                "deleted": False,
            },
        }
        for key, value in (
            ("blocks", blocks),
            ("attachments", attachments),
            ("metadata", metadata),
        ):
            if value is not None:
                msg[key] = value
        return msg

    # ---- methods

    def auth_test(self, args: Args) -> dict[str, Any]:
        """``auth.test``: who the bot token belongs to (Bolt asks once, lazily)."""
        return {
            "url": f"https://{DEFAULT_TEAM_DOMAIN}.slack.com/",
            "team": DEFAULT_TEAM_NAME,
            "user": DEFAULT_BOT_NAME,
            "team_id": DEFAULT_TEAM_ID,
            "user_id": DEFAULT_BOT_USER_ID,
            "bot_id": DEFAULT_BOT_ID,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: Args) -> dict[str, Any]:
        """``chat.postMessage``: store a bot message (a thread reply with ``thread_ts``)."""
        channel = _required(args, "channel", "channel_not_found")
        msg = self._bot_message(args, new_ts())
        self.store(channel, msg, str(args["thread_ts"]) if args.get("thread_ts") else None)
        return {"channel": channel, "ts": msg["ts"], "message": dict(msg)}

    def chat_post_ephemeral(self, args: Args) -> dict[str, Any]:
        """``chat.postEphemeral``: a message only ``user`` sees, kept in ``ephemerals``."""
        channel = _required(args, "channel", "channel_not_found")
        user = _required(args, "user", "user_not_found")
        msg = self._bot_message(args, new_ts())
        if args.get("thread_ts"):
            msg["thread_ts"] = args["thread_ts"]
        self.ephemerals.append({"channel": channel, "user": user, "message": msg})
        return {"message_ts": msg["ts"]}

    def chat_update(self, args: Args) -> dict[str, Any]:
        """``chat.update``: replace text, blocks, attachments and metadata of a bot message."""
        channel = _required(args, "channel", "channel_not_found")
        ts = str(args.get("ts") or "")
        stored = self.get_message(channel, ts)
        if stored is None:
            raise ApiError("message_not_found")
        if stored.get("bot_id") != DEFAULT_BOT_ID:
            raise ApiError("cant_update_message")
        fresh = self._bot_message(args, ts)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in fresh:
                stored[key] = fresh[key]
        stored["edited"] = {"user": DEFAULT_BOT_USER_ID, "ts": new_ts()}
        return {"channel": channel, "ts": ts, "text": stored["text"], "message": dict(stored)}

    def chat_get_permalink(self, args: Args) -> dict[str, Any]:
        """``chat.getPermalink``: the message's URL (with ``thread_ts`` for a reply)."""
        channel = _required(args, "channel", "channel_not_found")
        ts = _required(args, "message_ts", "message_not_found")
        permalink = (
            f"https://{DEFAULT_TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        )
        stored = self.get_message(channel, ts)
        if stored is not None and stored.get("thread_ts") not in (None, ts):
            permalink += f"?thread_ts={stored['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": permalink}

    def views_publish(self, args: Args) -> dict[str, Any]:
        """``views.publish``: a user's App Home view, kept in ``home_views``."""
        user_id = _required(args, "user_id", "invalid_arguments")
        if user_id not in self.users:
            raise ApiError("user_not_found")
        view = args.get("view")
        if not isinstance(view, dict) or view.get("type") != "home":
            raise ApiError("invalid_arguments")
        blocks = view.get("blocks", [])
        _check_blocks(blocks, limit=100)
        published = {
            "id": "V" + uuid.uuid5(uuid.NAMESPACE_OID, user_id).hex[:10].upper(),
            "team_id": DEFAULT_TEAM_ID,
            "type": "home",
            "blocks": blocks,
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": uuid.uuid4().hex[:20],
            "app_id": DEFAULT_APP_ID,
            "bot_id": DEFAULT_BOT_ID,
            "root_view_id": None,
            "previous_view_id": None,
        }
        self.home_views[user_id] = published
        return {"view": published}

    def users_info(self, args: Args) -> dict[str, Any]:
        """``users.info``: a member added with ``add_user`` (or the bot)."""
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.to_api()}

    def conversations_history(self, args: Args) -> dict[str, Any]:
        """``conversations.history``: top-level messages, newest first, paged."""
        channel = _required(args, "channel", "channel_not_found")
        top_level = [
            m
            for m in self.channels.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        return _page(top_level, args, newest_first=True)

    def conversations_replies(self, args: Args) -> dict[str, Any]:
        """``conversations.replies``: a thread's parent and replies, oldest first, paged."""
        channel = _required(args, "channel", "channel_not_found")
        ts = str(args.get("ts") or "")
        if self.get_message(channel, ts) is None:
            raise ApiError("thread_not_found")
        thread = [
            m for m in self.channels.get(channel, []) if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        return _page(thread, args, newest_first=False)


def _page(messages: list[dict[str, Any]], args: Args, *, newest_first: bool) -> dict[str, Any]:
    """Filter by oldest/latest/inclusive, order, and page by limit/cursor like Slack; message
    ``metadata`` only with ``include_all_metadata``."""
    inclusive = _truthy(args.get("inclusive", False))
    oldest = _ts_key(str(args.get("oldest") or "0"))
    latest = _ts_key(str(args.get("latest"))) if args.get("latest") else None

    def in_range(m: dict[str, Any]) -> bool:
        key = _ts_key(m["ts"])
        if key < oldest or (key == oldest and not inclusive):
            return False
        return latest is None or key < latest or (key == latest and inclusive)

    selected = [m for m in messages if in_range(m)]
    if newest_first:
        selected.reverse()
    cursor = str(args.get("cursor") or "")
    offset = int(cursor.removeprefix("offset:")) if cursor.startswith("offset:") else 0
    limit = max(1, min(int(args.get("limit") or 100), 999))
    page = selected[offset : offset + limit]
    has_more = offset + limit < len(selected)
    with_metadata = _truthy(args.get("include_all_metadata", False))
    return {
        "messages": [
            dict(m) if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in page
        ],
        "has_more": has_more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": f"offset:{offset + limit}" if has_more else ""},
    }
