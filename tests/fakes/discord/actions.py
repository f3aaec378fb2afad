"""What users do, as the gateway events the fake sends: slash commands, autocomplete, button
clicks, modal submits (INTERACTION_CREATE) and messages (MESSAGE_CREATE)."""

from __future__ import annotations

import copy
import dataclasses
import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from tests.fakes.discord.gateway import INTENT_MESSAGE_CONTENT, Gateway
from tests.fakes.discord.messages import build_message
from tests.fakes.discord.payloads import JSON, LOCALE, MEMBER_PERMISSIONS, FakeUser, member_payload
from tests.fakes.discord.validation import walk_components
from tests.fakes.discord.world import DEFAULT, GuildChoice, World

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class SentInteraction:
    """An INTERACTION_CREATE the fake dispatched."""

    id: int
    token: str
    payload: JSON

    @property
    def callback_path(self) -> str:
        """The REST path of this interaction's callback."""
        return f"/interactions/{self.id}/{self.token}/callback"


@dataclasses.dataclass
class UserActions:
    """Sends what the fake's default user does; every interaction comes from the first guild
    (or a DM with ``guild_id=None``) with the member's permissions as ``MEMBER_PERMISSIONS``."""

    world: World
    gateway: Gateway

    async def _send(
        self,
        interaction_type: int,
        data: JSON,
        *,
        guild_id: GuildChoice = DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | None = None,
        message: JSON | None = None,
    ) -> SentInteraction:
        """Build an INTERACTION_CREATE from the default user and dispatch it."""
        world = self.world
        user = world.default_user
        guild = world.resolve_guild(guild_id)
        if channel_id is None:
            channel_id = world.channel_for(guild, user)
        channel = world.channel_payload(channel_id)
        assert channel is not None, f"unknown channel {channel_id}"
        payload: JSON = {
            "id": str(world.snowflakes.next()),
            "application_id": str(world.application_id),
            "type": interaction_type,
            "token": "fake-interaction-" + secrets.token_urlsafe(32),
            "version": 1,
            "channel_id": str(channel_id),
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": LOCALE,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 26_214_400,
            "data": data,
        }
        if guild is not None:
            perms = str(MEMBER_PERMISSIONS if member_permissions is None else member_permissions)
            channel["permissions"] = perms
            payload.update(
                guild_id=str(guild),
                guild={"id": str(guild), "locale": LOCALE, "features": []},
                guild_locale=LOCALE,
                member={**member_payload(user), "permissions": perms},
                context=0,
                authorizing_integration_owners={"0": str(guild)},
            )
        else:
            payload.update(
                user=user.payload(), context=1, authorizing_integration_owners={"0": "0"}
            )
        payload["channel"] = channel
        if message is not None:
            payload["message"] = message
        world.register_interaction(payload)
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(id=int(payload["id"]), token=payload["token"], payload=payload)

    def _find_command(self, name: str, guild_id: int | None) -> tuple[JSON | None, int | None]:
        """The synced chat-input command ``name`` and its guild (None: global), guild first."""
        for scope in (guild_id, None) if guild_id is not None else (None,):
            for command in self.world.commands.get(scope, []):
                if command["name"] == name and command["type"] == 1:
                    return command, scope
        return None, None

    def _command_data(
        self, name: str, options: Mapping[str, Any] | None, guild_id: int | None, focused: str
    ) -> JSON:
        """``data`` of a chat-input command; option types come from the synced command
        (string when it is not synced), subcommands from the words of ``name``."""
        parts = name.split()
        command, scope = self._find_command(parts[0], guild_id)
        if command is None:
            log.debug("fake Discord: /%s is not a registered command", name)
        definitions: Sequence[Mapping[str, Any]] = command.get("options", []) if command else []
        path: list[Mapping[str, Any]] = []
        for part in parts[1:]:
            node = next((d for d in definitions if d.get("name") == part), None)
            path.append(node or {"name": part, "type": 1})
            definitions = (node or {}).get("options", [])
        types = {d.get("name"): int(d["type"]) for d in definitions}
        inner: list[JSON] = []
        for option_name, value in (options or {}).items():
            option: JSON = {"name": option_name, "type": types.get(option_name, 3), "value": value}
            if option_name == focused:
                option["focused"] = True
            inner.append(option)
        for node in reversed(path):
            option_type = 2 if len(parts) == 3 and node is path[0] else int(node.get("type") or 1)
            inner = [{"name": node["name"], "type": option_type, "options": inner}]
        data: JSON = {
            "id": command["id"] if command else str(self.world.snowflakes.next()),
            "name": parts[0],
            "type": 1,
            "options": inner,
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        return data

    async def slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | None,
        *,
        guild_id: GuildChoice,
        member_permissions: int | None,
    ) -> SentInteraction:
        """A chat-input command interaction (type 2)."""
        guild = self.world.resolve_guild(guild_id)
        data = self._command_data(name, options, guild, focused="")
        return await self._send(2, data, guild_id=guild, member_permissions=member_permissions)

    async def autocomplete(self, name: str, options: Mapping[str, Any]) -> SentInteraction:
        """An autocomplete interaction (type 4) focused on the last option."""
        guild = self.world.resolve_guild(DEFAULT)
        focused = list(options)[-1] if options else ""
        return await self._send(4, self._command_data(name, options, guild, focused))

    async def component_click(self, custom_id: str, message_id: int | None) -> SentInteraction:
        """A button click (type 3) on a stored message, or on a new bot message holding just
        this button."""
        world = self.world
        if message_id is None:
            button = {
                "type": 2,
                "id": 2,
                "custom_id": custom_id,
                "style": 1,
                "label": "Button",
                "disabled": False,
            }
            body = {"components": [{"type": 1, "id": 1, "components": [button]}]}
            channel_id = world.default_channel_id()
            built = build_message(world, channel_id, body, author=world.bot_user)
            message = world.store(built)
        else:
            stored = world.message_copy(message_id)
            if stored is None:
                raise ValueError(f"no stored message {message_id}")
            message, channel_id = stored, int(stored["channel_id"])
        if not any(
            c.get("custom_id") == custom_id and c.get("type") == 2
            for c in walk_components(message.get("components") or [])
        ):
            log.warning(
                "fake Discord: message %s has no button %r; discord.py may drop the click silently",
                message.get("id"),
                custom_id,
            )
        data: JSON = {"custom_id": custom_id, "component_type": 2}
        return await self._send(3, data, channel_id=channel_id, message=message)

    async def modal_submit(self, custom_id: str, fields: Mapping[str, str]) -> SentInteraction:
        """A modal submit (type 5) with text inputs ``{custom_id: value}``."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in fields.items()
        ]
        return await self._send(5, {"custom_id": custom_id, "components": rows})

    async def message_create(
        self,
        content: str,
        *,
        author: FakeUser,
        mentions: Sequence[FakeUser],
        guild_id: GuildChoice,
        reply_to: int | None = None,
    ) -> JSON:
        """Store a user's message and dispatch MESSAGE_CREATE, as the session's intents allow."""
        world = self.world
        world.users.setdefault(author.id, author)
        guild = world.resolve_guild(guild_id)
        channel_id = world.channel_for(guild, author)
        body: JSON = {"content": content}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to)}
        message = build_message(world, channel_id, body, author=author)
        mentioned = {m["id"] for m in message["mentions"]}
        for user in mentions:
            world.users.setdefault(user.id, user)
            if str(user.id) not in mentioned:
                message["mentions"].append(world.mention_payload(user, guild))
                mentioned.add(str(user.id))
        world.store(message)
        intents = self.gateway.intents
        if intents is None:
            raise RuntimeError("no gateway session: has a client identified with the fake?")
        if not self.gateway.receives_messages(guild):
            log.info("fake Discord: MESSAGE_CREATE not sent (intent missing)")
            return copy.deepcopy(message)
        event = self.gateway.message_event(message)
        if not (
            intents & INTENT_MESSAGE_CONTENT
            or guild is None
            or str(world.bot_user.id) in mentioned
            or author.id == world.bot_user.id
        ):
            event.update(content="", embeds=[], attachments=[], components=[])
            event.pop("poll", None)
        await self.gateway.dispatch("MESSAGE_CREATE", event)
        return copy.deepcopy(message)
