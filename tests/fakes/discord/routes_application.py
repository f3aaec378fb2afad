"""REST routes about the bot's application: what discord.py asks at login and the application
commands that ``tree.sync()`` overwrites and ``tree.fetch_commands()`` lists."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from tests.fakes.discord.gateway import Gateway
from tests.fakes.discord.payloads import JSON, LOCALE, application_payload, self_user_payload
from tests.fakes.discord.rest import Ctx, Reply, RestApi, error, ok
from tests.fakes.discord.validation import validate_commands
from tests.fakes.discord.world import World


@dataclasses.dataclass
class ApplicationRoutes:
    """``GET /users/@me``, ``GET /oauth2/applications/@me``, ``GET /gateway/bot`` (only
    ``AutoShardedClient`` asks) and ``GET``/``PUT`` of the global and per-guild commands."""

    world: World
    gateway: Gateway
    gateway_url: Callable[[], str]

    def register(self, rest: RestApi) -> None:
        """Add the routes to ``rest``."""
        rest.add("GET", "/users/@me", self._me)
        rest.add("GET", "/oauth2/applications/@me", self._application)
        rest.add("GET", "/gateway/bot", self._gateway_bot)
        for base in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            rest.add("GET", base + "/commands", self._list_commands)
            rest.add("PUT", base + "/commands", self._overwrite_commands)

    async def _me(self, ctx: Ctx) -> Reply:
        me = self_user_payload(self.world.bot_user)
        me.update({"locale": LOCALE, "premium_type": 0, "bio": ""})
        return ok(me)

    async def _application(self, ctx: Ctx) -> Reply:
        world = self.world
        return ok(
            application_payload(
                world.application_id, world.bot_user, world.default_user, len(world.guilds)
            )
        )

    async def _gateway_bot(self, ctx: Ctx) -> Reply:
        limit = {
            "total": 1000,
            "remaining": 1000 - len(self.gateway.identifies),
            "reset_after": 14_400_000,
            "max_concurrency": 1,
        }
        return ok({"url": self.gateway_url(), "shards": 1, "session_start_limit": limit})

    def _scope(self, ctx: Ctx) -> tuple[int | None, Reply | None]:
        """The command scope of the path (None: global), or 403 for another app or guild."""
        guild = ctx.params.get("guild_id")
        if ctx.params["app_id"] != str(self.world.application_id) or (
            guild is not None and (not guild.isdigit() or int(guild) not in self.world.guilds)
        ):
            return None, error(403, 50001, "Missing Access")
        return (int(guild) if guild is not None else None), None

    async def _list_commands(self, ctx: Ctx) -> Reply:
        scope, denied = self._scope(ctx)
        return denied or ok(self.world.commands.get(scope, []))

    async def _overwrite_commands(self, ctx: Ctx) -> Reply:
        scope, denied = self._scope(ctx)
        if denied:
            return denied
        payload = ctx.json if ctx.json is not None else []
        if (invalid := validate_commands(payload)) is not None:
            return invalid
        old = {(c["name"], c["type"]): c for c in self.world.commands.get(scope, [])}
        stored = [
            self._stored(scope, cmd, old.get((cmd.get("name"), int(cmd.get("type") or 1))))
            for cmd in payload
        ]
        self.world.commands[scope] = stored
        return ok(stored)

    def _stored(self, scope: int | None, payload: JSON, existing: JSON | None) -> JSON:
        """A command as Discord keeps it; an existing one keeps its id, as on Discord."""
        ctype = int(payload.get("type") or 1)
        snowflakes = self.world.snowflakes
        stored: JSON = {
            "id": existing["id"] if existing else str(snowflakes.next()),
            "application_id": str(self.world.application_id),
            "version": str(snowflakes.next()),
            "type": ctype,
            "name": payload.get("name"),
            "name_localizations": payload.get("name_localizations"),
            "description": payload.get("description", "") if ctype == 1 else "",
            "description_localizations": payload.get("description_localizations"),
            "default_member_permissions": payload.get("default_member_permissions"),
            "nsfw": bool(payload.get("nsfw", False)),
            "contexts": payload.get("contexts"),
            "integration_types": payload.get("integration_types") or [0],
        }
        if payload.get("options"):
            stored["options"] = payload["options"]
        if scope is None:
            stored["dm_permission"] = payload.get("dm_permission", True)
        else:
            stored["guild_id"] = str(scope)
        return stored
