"""REST routes answering interactions: the callback and webhook follow-ups.

As on Discord: a callback must come within ``interaction_timeout`` (3 s) and only once (40060);
follow-ups need an acknowledged interaction, and the first one after a deferred reply replaces
the "thinking" message.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time

from tests.fakes.discord.gateway import Gateway
from tests.fakes.discord.messages import apply_edit, build_message
from tests.fakes.discord.payloads import JSON
from tests.fakes.discord.rest import Ctx, Reply, RestApi, digits, error, ok, unknown
from tests.fakes.discord.validation import (
    MSG_FLAG_EPHEMERAL,
    MSG_FLAG_LOADING,
    FormErrors,
    validate_choices,
    validate_message,
)
from tests.fakes.discord.world import Interaction, World

log = logging.getLogger(__name__)

_TRUE = ("1", "true", "True")


@dataclasses.dataclass
class InteractionRoutes:
    """``POST /interactions/{id}/{token}/callback`` (with ``?with_response=1`` the answer
    describes the response message) and ``POST /webhooks/{app_id}/{token}`` follow-ups."""

    world: World
    gateway: Gateway
    interaction_timeout: float | None

    def register(self, rest: RestApi) -> None:
        """Add the routes to ``rest``."""
        rest.add("POST", "/interactions/{interaction_id}/{token}/callback", self._callback)
        rest.add("POST", "/webhooks/{app_id}/{token}", self._follow_up)

    def _interaction(self, ctx: Ctx) -> Interaction | None:
        """The interaction the callback names, if it is known and still answerable."""
        state = self.world.interactions.get(digits(ctx.params["interaction_id"]) or 0)
        if state is None or state.token != ctx.params["token"]:
            return None
        age = time.monotonic() - state.created
        timeout = self.interaction_timeout
        if timeout is not None and age > timeout and not state.acknowledged:
            log.warning("fake Discord: interaction %s answered after %.2fs", state.id, age)
            return None
        return state

    async def _callback(self, ctx: Ctx) -> Reply:
        state = self._interaction(ctx)
        if state is None:
            return unknown("interaction")
        if state.acknowledged:
            return error(400, 40060, "Interaction has already been acknowledged.")
        body: JSON = ctx.json if isinstance(ctx.json, dict) else {}
        response_type = int(body.get("type") or 0)
        data: JSON = body.get("data") or {}
        invalid: Reply | None = None
        if response_type == 4:
            invalid = validate_message(data, editing=False)
        elif response_type == 8:
            invalid = validate_choices(data)
        elif response_type in (6, 7) and state.type not in (3, 5):
            invalid = error(400, 40004, "Interaction callback type is not valid here")
        elif response_type == 7:
            invalid = validate_message(data, editing=True)
        elif response_type not in (5, 6, 9):
            errors = FormErrors()
            errors.add("type", "BASE_TYPE_CHOICES", "Invalid interaction type")
            invalid = errors.reply()
        if invalid is not None:
            return invalid

        message: JSON | None = None
        if response_type in (4, 5):
            message = await self._respond(state, response_type, data)
        elif response_type in (6, 7) and state.message_id is not None:
            state.original_message_id = state.message_id
            stored = self.world.messages.get(state.message_id)
            if response_type == 7 and stored is not None:
                apply_edit(self.world, stored, data)
                message = copy.deepcopy(stored)
                await self.gateway.echo("MESSAGE_UPDATE", stored)
        state.acknowledged = True
        state.response_type = response_type
        if ctx.query.get("with_response") not in _TRUE:
            return ok()
        interaction: JSON = {"id": str(state.id), "type": state.type}
        resource: JSON = {"type": response_type}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = bool(message["flags"] & MSG_FLAG_LOADING)
            interaction["response_message_ephemeral"] = bool(message["flags"] & MSG_FLAG_EPHEMERAL)
            resource["message"] = message
        return ok({"interaction": interaction, "resource": resource})

    async def _respond(self, state: Interaction, response_type: int, data: JSON) -> JSON:
        """Store the response message of a reply (4) or a deferred "thinking" one (5)."""
        flags = int(data.get("flags") or 0)
        if response_type == 5:
            data = {}
            flags = (flags & MSG_FLAG_EPHEMERAL) | MSG_FLAG_LOADING
        message_type = 0
        if state.type == 2:
            message_type = 20 if state.command_type == 1 else 23
        message = await self._create(state, data, message_type=message_type, flags=flags)
        state.original_message_id = int(message["id"])
        return message

    async def _create(
        self, state: Interaction, body: JSON, *, message_type: int = 0, flags: int | None = None
    ) -> JSON:
        """Create the bot's message answering ``state`` in its channel; returns a copy."""
        message = build_message(
            self.world,
            state.channel_id or 0,
            body,
            author=self.world.bot_user,
            message_type=message_type,
            interaction=state,
            flags=flags,
        )
        return await self.gateway.create(message)

    async def _follow_up(self, ctx: Ctx) -> Reply:
        state = self.world.interactions_by_token.get(ctx.params["token"])
        if ctx.params["app_id"] != str(self.world.application_id) or state is None:
            return unknown("Webhook")
        if not state.acknowledged:
            return unknown("Webhook")
        if (invalid := validate_message(ctx.json, editing=False)) is not None:
            return invalid
        body: JSON = ctx.json or {}
        first_after_defer = state.response_type == 5 and not state.followed_up
        state.followed_up = True
        if first_after_defer:
            # The first follow-up after a deferred reply replaces the "thinking" message (same
            # id, keeping the defer's ephemerality); if that was deleted, it is Unknown Message.
            original = self.world.messages.get(state.original_message_id or 0)
            if original is None:
                return unknown("Message")
            ephemeral = original["flags"] & MSG_FLAG_EPHEMERAL
            edit = {k: v for k, v in body.items() if k != "flags"}
            edit.setdefault("content", "")
            apply_edit(self.world, original, edit)
            original["flags"] = (original["flags"] & ~MSG_FLAG_LOADING) | ephemeral
            original["edited_timestamp"] = None
            result = copy.deepcopy(original)
            await self.gateway.echo("MESSAGE_UPDATE", original)
        else:
            result = await self._create(state, body)
        return ok(result) if ctx.query.get("wait") in _TRUE else ok()
