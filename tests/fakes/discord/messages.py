"""Message objects as Discord stores them: built from a create body, changed by an edit, with
mentions resolved the way ``allowed_mentions`` permits."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any, Final

from tests.fakes.discord.payloads import JSON, FakeUser
from tests.fakes.discord.validation import MSG_FLAG_LOADING
from tests.fakes.discord.world import Interaction, World

_USER_MENTION_RE: Final = re.compile(r"<@!?(\d{1,20})>")
_ROLE_MENTION_RE: Final = re.compile(r"<@&(\d{1,20})>")
_MSG_FLAG_SUPPRESS_EMBEDS: Final = 1 << 2


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _mentions(world: World, content: str, allowed: JSON | None, guild_id: int | None) -> JSON:
    """``mentions``, ``mention_roles`` and ``mention_everyone`` of ``content``."""
    parse = None if allowed is None else set(allowed.get("parse") or [])
    allowed_users = {str(u) for u in (allowed or {}).get("users") or []}
    allowed_roles = {str(r) for r in (allowed or {}).get("roles") or []}
    users: list[JSON] = []
    for raw_id in dict.fromkeys(_USER_MENTION_RE.findall(content)):
        user = world.users.get(int(raw_id))
        if user is not None and (parse is None or "users" in parse or raw_id in allowed_users):
            users.append(world.mention_payload(user, guild_id))
    roles = [
        raw_id
        for raw_id in dict.fromkeys(_ROLE_MENTION_RE.findall(content))
        if parse is None or "roles" in parse or raw_id in allowed_roles
    ]
    everyone = ("@everyone" in content or "@here" in content) and (
        parse is None or "everyone" in parse
    )
    return {"mentions": users, "mention_roles": roles, "mention_everyone": everyone}


def _embeds(body: JSON) -> list[JSON]:
    return [{"type": "rich", **e} for e in body.get("embeds") or []]


def build_message(
    world: World,
    channel_id: int,
    body: JSON,
    *,
    author: FakeUser,
    message_type: int = 0,
    interaction: Interaction | None = None,
    flags: int | None = None,
) -> JSON:
    """A new message in ``channel_id`` from a create body (not stored yet).

    A ``message_reference`` makes it a reply (type 19); ``interaction`` adds the metadata of
    an interaction response or follow-up.
    """
    guild_id = world.guild_of_channel(channel_id)
    content = str(body.get("content") or "")
    message: JSON = {
        "id": str(world.snowflakes.next()),
        "channel_id": str(channel_id),
        "author": author.payload(),
        "content": content,
        "timestamp": _now_iso(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        **_mentions(world, content, body.get("allowed_mentions"), guild_id),
        "attachments": [],
        "embeds": _embeds(body),
        "components": body.get("components") or [],
        "reactions": [],
        "pinned": False,
        "type": message_type,
        "flags": int(body.get("flags") or 0) if flags is None else flags,
    }
    if body.get("nonce") is not None:
        message["nonce"] = body["nonce"]
    if body.get("message_reference"):
        ref = dict(body["message_reference"])
        ref.setdefault("channel_id", str(channel_id))
        if guild_id is not None:
            ref.setdefault("guild_id", str(guild_id))
        message["message_reference"] = {"type": 0, **ref}
        referenced = world.messages.get(int(ref.get("message_id") or 0))
        message["referenced_message"] = copy.deepcopy(referenced) if referenced else None
        if message_type == 0:
            message["type"] = 19
    if interaction is not None:
        message["webhook_id"] = str(world.application_id)
        message["application_id"] = str(world.application_id)
        message["interaction_metadata"] = _interaction_metadata(interaction)
    return message


def _interaction_metadata(interaction: Interaction) -> JSON:
    metadata: JSON = {
        "id": str(interaction.id),
        "type": interaction.type,
        "user": interaction.user,
        "authorizing_integration_owners": {"0": str(interaction.guild_id or 0)},
    }
    if interaction.name is not None:
        metadata["name"] = interaction.name
        metadata["command_type"] = interaction.command_type
    if interaction.message_id is not None:
        metadata["interacted_message_id"] = str(interaction.message_id)
    if interaction.original_message_id is not None:
        metadata["original_response_message_id"] = str(interaction.original_message_id)
    return metadata


def apply_edit(world: World, message: JSON, body: Any) -> JSON:
    """Change a stored ``message`` in place by an edit body; clears the loading flag."""
    body = body if isinstance(body, dict) else {}
    if "content" in body:
        message["content"] = str(body["content"] or "")
        guild_id = world.guild_of_channel(int(message["channel_id"]))
        message.update(_mentions(world, message["content"], body.get("allowed_mentions"), guild_id))
    if "embeds" in body:
        message["embeds"] = _embeds(body)
    if "components" in body:
        message["components"] = body["components"] or []
    if "flags" in body and body["flags"] is not None:
        keep = message["flags"] & ~(MSG_FLAG_LOADING | _MSG_FLAG_SUPPRESS_EMBEDS)
        message["flags"] = keep | (int(body["flags"]) & _MSG_FLAG_SUPPRESS_EMBEDS)
    else:
        message["flags"] &= ~MSG_FLAG_LOADING
    message["edited_timestamp"] = _now_iso()
    return message
