"""REST routes of channel messages: the bot posts, fetches and edits messages and shows typing."""

from __future__ import annotations

import copy
import dataclasses

from tests.fakes.discord.gateway import Gateway
from tests.fakes.discord.messages import apply_edit, build_message
from tests.fakes.discord.payloads import JSON
from tests.fakes.discord.rest import Ctx, Reply, RestApi, digits, error, ok, unknown
from tests.fakes.discord.validation import validate_message
from tests.fakes.discord.world import World


@dataclasses.dataclass
class ChannelRoutes:
    """``POST /channels/{id}/messages`` (``enforce_nonce`` returns the earlier message),
    ``GET``/``PATCH /channels/{id}/messages/{id}`` and ``POST /channels/{id}/typing``.
    Created and edited messages come back over the gateway (see :meth:`Gateway.echo`)."""

    world: World
    gateway: Gateway

    def register(self, rest: RestApi) -> None:
        """Add the routes to ``rest``."""
        message = "/channels/{channel_id}/messages/{message_id}"
        rest.add("POST", "/channels/{channel_id}/messages", self._create)
        rest.add("GET", message, self._get)
        rest.add("PATCH", message, self._edit)
        rest.add("POST", "/channels/{channel_id}/typing", self._typing)

    def _channel(self, ctx: Ctx) -> int | None:
        channel_id = digits(ctx.params["channel_id"])
        return channel_id if channel_id and self.world.channel_known(channel_id) else None

    def _message(self, ctx: Ctx) -> tuple[JSON | None, Reply | None]:
        if self._channel(ctx) is None:
            return None, unknown("Channel")
        message = self.world.messages.get(digits(ctx.params["message_id"]) or 0)
        if message is None or message["channel_id"] != ctx.params["channel_id"]:
            return None, unknown("Message")
        return message, None

    async def _create(self, ctx: Ctx) -> Reply:
        channel_id = self._channel(ctx)
        if channel_id is None:
            return unknown("Channel")
        if (invalid := validate_message(ctx.json, editing=False)) is not None:
            return invalid
        body: JSON = ctx.json or {}
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            for earlier in self.world.messages.values():
                same_author = earlier["author"]["id"] == str(self.world.bot_user.id)
                if same_author and earlier.get("nonce") == body["nonce"]:
                    return ok(copy.deepcopy(earlier))
        message = build_message(self.world, channel_id, body, author=self.world.bot_user)
        return ok(await self.gateway.create(message))

    async def _get(self, ctx: Ctx) -> Reply:
        message, missing = self._message(ctx)
        return missing or ok(copy.deepcopy(message))

    async def _edit(self, ctx: Ctx) -> Reply:
        message, missing = self._message(ctx)
        if missing or message is None:
            return missing or unknown("Message")
        if message["author"]["id"] != str(self.world.bot_user.id):
            return error(403, 50005, "Cannot edit a message authored by another user")
        if (invalid := validate_message(ctx.json, editing=True)) is not None:
            return invalid
        apply_edit(self.world, message, ctx.json)
        await self.gateway.echo("MESSAGE_UPDATE", message)
        return ok(copy.deepcopy(message))

    async def _typing(self, ctx: Ctx) -> Reply:
        return ok()
