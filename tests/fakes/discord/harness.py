"""The fake Discord server tests start, and running a real discord.py client against it."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import web

from tests.fakes.discord.actions import SentInteraction, UserActions
from tests.fakes.discord.gateway import (
    GATEWAY_PATH,
    RESUME_GATEWAY_PATH,
    Gateway,
    GatewayConnection,
)
from tests.fakes.discord.payloads import DEFAULT_GUILD_ID, JSON, FakeGuild, FakeUser
from tests.fakes.discord.ratelimits import RateLimits
from tests.fakes.discord.rest import API_PREFIX, RecordedRequest, RestApi
from tests.fakes.discord.routes_application import ApplicationRoutes
from tests.fakes.discord.routes_channels import ChannelRoutes
from tests.fakes.discord.routes_interactions import InteractionRoutes
from tests.fakes.discord.world import DEFAULT, GuildChoice, World
from tests.fakes.loopback import LoopbackServer


class FakeDiscord(LoopbackServer):
    """A fake Discord REST API and gateway on 127.0.0.1 (one bot, one gateway session).

    Args:
        guilds: guild ids or :class:`FakeGuild` objects the bot is in.
        token: if set, REST calls and IDENTIFY must carry this bot token (401 / close 4004).
        interaction_timeout: seconds an interaction may wait for its callback (Discord: 3 s)
            before the callback answers 404 Unknown interaction; None disables the check.
        echo_messages: dispatch MESSAGE_CREATE/UPDATE for messages created or edited over
            REST (non-ephemeral), as Discord does.
        global_rate_limit: off by default; the bot's REST requests (interaction callbacks and
            webhooks excepted) beyond this many per second answer a global 429.
    """

    def __init__(
        self,
        *,
        guilds: Sequence[int | FakeGuild] = (DEFAULT_GUILD_ID,),
        token: str | None = None,
        interaction_timeout: float | None = 3.0,
        echo_messages: bool = True,
        global_rate_limit: float | None = None,
    ) -> None:
        super().__init__()
        self._world = World(guilds)
        self._gateway = Gateway(
            self._world, self._websockets, token=token, echo_messages=echo_messages
        )
        self._rate_limits = RateLimits(global_rate_limit)
        self._rest = RestApi(token=token, rate_limits=self._rate_limits)
        self._actions = UserActions(self._world, self._gateway)
        world, gateway = self._world, self._gateway
        ApplicationRoutes(world, gateway, lambda: str(self.gateway_url)).register(self._rest)
        ChannelRoutes(world, gateway).register(self._rest)
        InteractionRoutes(world, gateway, interaction_timeout).register(self._rest)
        self.bot_user: FakeUser = world.bot_user
        self.default_user: FakeUser = world.default_user
        self.application_id: int = world.application_id
        #: Every REST request, in arrival order.
        self.requests: list[RecordedRequest] = self._rest.requests
        #: IDENTIFY payloads (``d``) accepted, RESUME payloads answered with INVALID_SESSION.
        self.identifies: list[JSON] = gateway.identifies
        self.rejected_resumes: list[JSON] = gateway.rejected_resumes
        #: Every gateway websocket connection made (``path`` and ``query``), in order.
        self.gateway_connections: list[GatewayConnection] = gateway.connections

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_get(GATEWAY_PATH, self._gateway.handle)
        router.add_get(RESUME_GATEWAY_PATH, self._gateway.handle)
        router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest.handle)

    async def _on_close(self) -> None:
        self._gateway.forget_connection()

    @property
    def api_base(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> yarl.URL:
        """The value for ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return yarl.URL(f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}")

    def default_channel_id(self) -> int:
        """The first channel of the first guild."""
        return self._world.default_channel_id()

    # -- what the bot did ------------------------------------------------------------------------

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with this method (``*`` = any) whose path matches ``path_regex``."""
        return [r for r in self.requests if r.matches(method, path_regex)]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> RecordedRequest:
        """The first request in ``requests[since:]`` satisfying ``predicate``, waiting for it.

        Pass ``since=len(fake.requests)`` to see only requests made from now on.
        Raises ``TimeoutError`` (with the requests seen so far) after ``timeout`` seconds.
        """
        return await self._rest.wait_for_request(predicate, timeout, since)

    async def wait_for_callback(
        self, interaction: SentInteraction, timeout: float = 5.0
    ) -> RecordedRequest:
        """The successful (2xx) callback request for an interaction."""
        path = interaction.callback_path
        return await self.wait_for_request(
            lambda r: r.method == "POST" and r.path == path and 200 <= r.status < 300, timeout
        )

    @property
    def messages(self) -> list[JSON]:
        """Copies of all stored messages (sent by the bot or injected), oldest first."""
        return self._world.message_copies()

    def channel_messages(self, channel_id: int) -> list[JSON]:
        """Copies of the stored messages of a channel, oldest first."""
        return self._world.message_copies(channel_id)

    def get_message(self, message_id: int) -> JSON | None:
        """A copy of a stored message."""
        return self._world.message_copy(message_id)

    def original_response(self, interaction: SentInteraction) -> JSON | None:
        """The stored original response message of an interaction, if any."""
        state = self._world.interactions.get(interaction.id)
        return self._world.message_copy(state.original_message_id if state else None)

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Copies of the registered commands: global (``None``) or of a guild."""
        return copy.deepcopy(self._world.commands.get(guild_id, []))

    # -- the gateway -----------------------------------------------------------------------------

    @property
    def identify_count(self) -> int:
        """How many IDENTIFYs were accepted."""
        return len(self._gateway.identifies)

    @property
    def resume_count(self) -> int:
        """How many RESUMEs were accepted."""
        return len(self._gateway.resumes)

    @property
    def replayed_events(self) -> int:
        """Dispatches re-sent on RESUME because the client had not seen them."""
        return self._gateway.replayed_events

    @property
    def heartbeats(self) -> int:
        """Heartbeats (op 1) received."""
        return self._gateway.heartbeats

    @property
    def intents(self) -> int | None:
        """The intents of the current session's IDENTIFY."""
        return self._gateway.intents

    async def wait_until_ready(self, timeout: float = 5.0) -> None:
        """Wait until a client has identified (READY + GUILD_CREATEs sent) or resumed."""
        await self._gateway.wait_until_ready(timeout)

    # -- faults ----------------------------------------------------------------------------------

    def rate_limit_next(
        self, method: str, path_regex: str, *, retry_after: float = 0.2, global_: bool = False
    ) -> None:
        """Answer the next matching REST request with 429 Too Many Requests."""
        self._rate_limits.limit_next(method, path_regex, retry_after, global_)

    @property
    def global_rate_limited(self) -> int:
        """How many requests the ``global_rate_limit`` refused."""
        return self._rate_limits.global_rate_limited

    async def drop_gateway(self, *, abort: bool = False) -> None:
        """Break the client's connection: close it with 4000, or abort the TCP transport.

        discord.py then reconnects to ``resume_gateway_url`` and RESUMEs.
        """
        await self._gateway.drop(abort=abort)

    def invalidate_session_next(self) -> None:
        """Reject the next RESUME with INVALID_SESSION (d=false), ending the session.

        discord.py then IDENTIFYs again on DEFAULT_GATEWAY, after its ``before_identify_hook``
        (5 s by default: override it in tests).
        """
        self._gateway.invalidate_session_next()

    # -- what users do ---------------------------------------------------------------------------

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        guild_id: GuildChoice = DEFAULT,
        member_permissions: int | None = None,
    ) -> SentInteraction:
        """Dispatch a chat-input command interaction (type 2).

        ``name`` may hold subcommands (``"quiz start"``); ``options`` is ``{name: value}``.
        ``guild_id=None`` sends it from a DM. ``member_permissions`` replaces the member's
        permissions (``MEMBER_PERMISSIONS``), e.g. ``MANAGE_GUILD | MEMBER_PERMISSIONS``.
        """
        return await self._actions.slash_command(
            name, options, guild_id=guild_id, member_permissions=member_permissions
        )

    async def send_autocomplete(self, name: str, options: Mapping[str, Any]) -> SentInteraction:
        """Dispatch an autocomplete interaction (type 4) focused on the last option."""
        return await self._actions.autocomplete(name, options)

    async def send_component_click(
        self, custom_id: str, *, message: int | None = None
    ) -> SentInteraction:
        """Dispatch a button click (type 3) on the stored message ``message``, or on a new bot
        message holding just this button. discord.py silently drops a click whose message does
        not parse or (for DynamicItem) does not contain the button."""
        return await self._actions.component_click(custom_id, message)

    async def send_modal_submit(self, custom_id: str, fields: Mapping[str, str]) -> SentInteraction:
        """Dispatch a modal submit (type 5) with text inputs ``{custom_id: value}``."""
        return await self._actions.modal_submit(custom_id, fields)

    async def send_message_create(
        self,
        content: str,
        *,
        author: FakeUser | None = None,
        mentions: Sequence[FakeUser] = (),
        guild_id: GuildChoice = DEFAULT,
        reply_to: int | None = None,
    ) -> JSON:
        """Store a user's message and dispatch MESSAGE_CREATE (``guild_id=None``: a DM;
        ``reply_to``: the id of the message it replies to).

        Users in ``mentions`` and ``<@id>`` mentions in ``content`` are both mentioned.
        As on Discord, the event is not sent without the GUILD_MESSAGES / DIRECT_MESSAGES intent,
        and without MESSAGE_CONTENT the content, embeds, attachments and components are blanked
        unless it is a DM or mentions the bot. Returns the full stored message.
        """
        return await self._actions.message_create(
            content,
            author=author or self.default_user,
            mentions=mentions,
            guild_id=guild_id,
            reply_to=reply_to,
        )


@contextlib.contextmanager
def patch_discord_urls(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at ``fake``; restore them afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = fake.gateway_url
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def run_client(
    fake: FakeDiscord,
    client: discord.Client,
    *,
    token: str = "fake-bot-token",
    wait_for_on_ready: bool = False,
) -> AsyncIterator[discord.Client]:
    """Run ``client.start(token)`` against ``fake`` until the fake sees it ready; close on exit.

    With ``wait_for_on_ready`` it also waits for the client's own ready (after
    ``guild_ready_timeout``). A client that dies while starting raises its exception here.
    """
    timeout = 5.0
    with patch_discord_urls(fake):
        task = asyncio.create_task(client.start(token), name="fake-discord-client")
        start_failure_raised = False
        try:
            ready = asyncio.create_task(fake.wait_until_ready(timeout))
            done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                ready.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ready
                start_failure_raised = True
                task.result()
                raise RuntimeError("client.start() returned before the client became ready")
            ready.result()
            if wait_for_on_ready:
                await asyncio.wait_for(client.wait_until_ready(), timeout)
            yield client
        finally:
            await client.close()
            await asyncio.wait({task}, timeout=timeout)
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                raise TimeoutError("client.start() did not return after client.close()")
            if not start_failure_raised and not task.cancelled() and task.exception():
                raise RuntimeError("the discord.py client failed") from task.exception()
