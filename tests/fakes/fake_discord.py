"""A local fake of Discord (REST API + gateway websocket) for driving real discord.py in tests.

The fake is an aiohttp server on 127.0.0.1 with an ephemeral port. A stock ``discord.Client``
talks to it once :func:`patch_discord_urls` has pointed discord.py's two URL overrides at it.
It speaks the real gateway protocol in plain JSON text frames (HELLO, IDENTIFY -> READY +
GUILD_CREATE, heartbeats, RESUME with replay, INVALID_SESSION) and answers the REST routes a bot
uses (login, command sync, interaction callbacks, webhook follow-ups, channel messages), keeping
messages and commands so later GETs and edits see earlier writes. Every REST request is recorded
as a :class:`RecordedRequest`; tests wait for them with :meth:`FakeDiscord.wait_for_request`.

discord.py swallows many failures and only logs them, so tests should also run under
:func:`fail_on_error_logs`.

Discord behaviours the fake reproduces (so bots that pass here behave on Discord too):
interactions must be answered within ``interaction_timeout`` (3 s) and only once (40060);
follow-ups need an acknowledged interaction, and the first one after a deferred reply replaces
the "thinking" message; message, embed, component, autocomplete and command-definition limits
answer 400 (50035 / 50006); without MESSAGE_CONTENT a guild message that does not mention the bot
arrives blank; without GUILD_MEMBERS a GUILD_CREATE lists only the bot; non-ephemeral messages the
bot creates, edits or deletes come back as gateway events. Limits: one gateway session (one
shard), JSON encoding only (no ETF, no zlib), no voice, no threads.

Typical use::

    async with FakeDiscord() as fake, run_client(fake, client):
        sent = await fake.send_slash_command("ping")
        callback = await fake.wait_for_callback(sent)
        assert callback.json["data"]["content"] == "pong"
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import enum
import hashlib
import json
import logging
import math
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, TypeAlias

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "DEFAULT",
    "DEFAULT_APPLICATION_ID",
    "DEFAULT_BOT_USER_ID",
    "DEFAULT_GUILD_ID",
    "DEFAULT_USER_ID",
    "MANAGE_GUILD",
    "MEMBER_PERMISSIONS",
    "ErrorLogCollector",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "GatewayConnection",
    "RecordedFile",
    "RecordedRequest",
    "SentInteraction",
    "fail_on_error_logs",
    "patch_discord_urls",
    "run_client",
]

log = logging.getLogger(__name__)

JSON: TypeAlias = dict[str, Any]

API_PREFIX: Final = "/api/v10"
GATEWAY_PATH: Final = "/gateway"
RESUME_GATEWAY_PATH: Final = "/gateway-resume"
DISCORD_EPOCH_MS: Final = 1_420_070_400_000

DEFAULT_APPLICATION_ID: Final = 1_200_000_000_000_000_001
DEFAULT_BOT_USER_ID: Final = 1_200_000_000_000_000_001
DEFAULT_GUILD_ID: Final = 1_100_000_000_000_000_001
DEFAULT_USER_ID: Final = 1_300_000_000_000_000_001

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR: Final = 1 << 3
MANAGE_GUILD: Final = 1 << 5
ALL_PERMISSIONS: Final = (1 << 51) - 1
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

# Gateway intents that matter to the fake.
_INTENT_GUILD_MEMBERS: Final = 1 << 1
_INTENT_GUILD_MESSAGES: Final = 1 << 9
_INTENT_DIRECT_MESSAGES: Final = 1 << 12
_INTENT_MESSAGE_CONTENT: Final = 1 << 15
_PRIVILEGED_INTENTS: Final = (1 << 1) | (1 << 8) | (1 << 15)

_MSG_FLAG_EPHEMERAL: Final = 1 << 6
_MSG_FLAG_LOADING: Final = 1 << 7
_MSG_FLAG_COMPONENTS_V2: Final = 1 << 15

_USER_MENTION_RE: Final = re.compile(r"<@!?(\d{1,20})>")
_ROLE_MENTION_RE: Final = re.compile(r"<@&(\d{1,20})>")
_COMMAND_NAME_RE: Final = re.compile(r"^[-_'\w]{1,32}$")


class _Default(enum.Enum):
    """Sentinel for "use the fake's default guild" (``None`` means a DM)."""

    GUILD = enum.auto()


DEFAULT: Final = _Default.GUILD


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Public data model
# ---------------------------------------------------------------------------------------------


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
class FakeRole:
    """A guild role; ``permissions`` is the role's permission bit set."""

    id: int
    name: str
    permissions: int = 0
    position: int = 1

    def payload(self) -> JSON:
        """The Discord role object."""
        return {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclasses.dataclass(frozen=True)
class FakeChannel:
    """A guild channel (type 0 = text)."""

    id: int
    name: str = "general"
    type: int = 0
    position: int = 0


@dataclasses.dataclass(frozen=True)
class FakeMember:
    """A guild member: a user plus the ids of the roles it holds (besides @everyone)."""

    user: FakeUser
    roles: tuple[int, ...] = ()
    nick: str | None = None


@dataclasses.dataclass(frozen=True)
class FakeGuild:
    """A guild the bot is in. Empty ``channels`` gives one text channel with id ``id + 1``.

    The bot user and the fake's default user are always added as members.
    ``everyone_permissions`` is the @everyone role's permission bit set.
    """

    id: int
    name: str = ""
    channels: tuple[FakeChannel, ...] = ()
    roles: tuple[FakeRole, ...] = ()
    members: tuple[FakeMember, ...] = ()
    everyone_permissions: int = MEMBER_PERMISSIONS
    locale: str = "en-US"


@dataclasses.dataclass(frozen=True)
class RecordedFile:
    """One file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """A REST request the fake received, with the status it answered.

    ``path`` is relative to the API base (``/channels/1/messages``, no ``/api/v10``); ``json``
    is the parsed JSON body, or the ``payload_json`` part of a multipart body.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0
    files: tuple[RecordedFile, ...] = ()

    def matches(self, method: str, path_regex: str) -> bool:
        """Whether the method is ``method`` (``*``: any) and ``path_regex`` is found in path."""
        return (method == "*" or self.method == method.upper()) and (
            re.search(path_regex, self.path) is not None
        )


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


@dataclasses.dataclass(frozen=True)
class GatewayConnection:
    """One websocket connection to the fake gateway: the path and query the client used."""

    path: str
    query: dict[str, str]


# ---------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _RateLimitRule:
    method: str
    pattern: re.Pattern[str]
    retry_after: float
    remaining: int
    global_: bool


@dataclasses.dataclass
class _Session:
    session_id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    events: list[tuple[int, str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Conn:
    ws: web.WebSocketResponse
    request: web.Request
    path: str
    live: bool = False
    authenticated: bool = False


@dataclasses.dataclass
class _Interaction:
    id: int
    token: str
    type: int
    channel_id: int | None
    guild_id: int | None
    user: JSON
    created: float
    command_type: int | None = None
    name: str | None = None
    message_id: int | None = None  # the message a component was on
    acknowledged: bool = False
    response_type: int | None = None
    original_message_id: int | None = None
    followed_up: bool = False


@dataclasses.dataclass
class _Ctx:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]


@dataclasses.dataclass
class _Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


_Handler: TypeAlias = Callable[[_Ctx], Awaitable[_Reply]]


def _error(status: int, code: int, message: str, errors: JSON | None = None) -> _Reply:
    body: JSON = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return _Reply(status, body)


def _form_error(errors: JSON) -> _Reply:
    log.warning("fake Discord rejects the request body: %s", _dumps(errors))
    return _error(400, 50035, "Invalid Form Body", errors)


class _FormErrors:
    """Collects Discord's nested ``errors`` object (``{"content": {"_errors": [...]}}``)."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: str, code: str, message: str) -> None:
        node = self.tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_len(self, path: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _validate_message(body: Any, files: Sequence[RecordedFile], *, editing: bool) -> _Reply | None:
    """Check a message create/edit body the way Discord does (the common limits only)."""
    if not isinstance(body, dict):
        body = {}
    errors = _FormErrors()
    content = body.get("content")
    errors.max_len("content", content, 2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.add("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        errors.max_len(f"embeds.{i}.title", embed.get("title"), 256)
        errors.max_len(f"embeds.{i}.description", embed.get("description"), 4096)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.add(f"embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        for j, field in enumerate(fields):
            errors.max_len(f"embeds.{i}.fields.{j}.name", field.get("name"), 256)
            errors.max_len(f"embeds.{i}.fields.{j}.value", field.get("value"), 1024)
            total += len(str(field.get("name", ""))) + len(str(field.get("value", "")))
        errors.max_len(f"embeds.{i}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        total += len(str(embed.get("title") or "")) + len(str(embed.get("description") or ""))
    if total > 6000:
        errors.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    components = body.get("components") or []
    v2 = bool(int(body.get("flags") or 0) & _MSG_FLAG_COMPONENTS_V2)
    if not v2:
        if len(components) > 5:
            errors.add("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        for i, row in enumerate(components):
            children = row.get("components") or []
            if len(children) > 5:
                errors.add(f"components.{i}.components", "BASE_TYPE_MAX_LENGTH", "Must be 5.")
            for j, child in enumerate(children):
                errors.max_len(f"components.{i}.components.{j}.label", child.get("label"), 80)
                errors.max_len(
                    f"components.{i}.components.{j}.custom_id", child.get("custom_id"), 100
                )
    custom_ids = [c["custom_id"] for c in _walk_components(components) if "custom_id" in c]
    if len(custom_ids) != len(set(custom_ids)):
        errors.add("components", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id duplicated")
    if errors.tree:
        return _form_error(errors.tree)
    if not editing and not (
        content
        or embeds
        or components
        or files
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
    ):
        log.warning("fake Discord rejects an empty message")
        return _error(400, 50006, "Cannot send an empty message")
    return None


def _walk_components(components: Sequence[Any]) -> Iterator[JSON]:
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        yield from _walk_components(component.get("components") or [])
        inner = component.get("component") or component.get("accessory")
        if isinstance(inner, dict):
            yield from _walk_components([inner])


def _validate_commands(commands: Any) -> _Reply | None:
    """Check an application command payload (or list of them) like Discord does."""
    items = commands if isinstance(commands, list) else [commands]
    errors = _FormErrors()
    if len(items) > 100:
        errors.add("_root", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(items):
        prefix = f"{i}." if isinstance(commands, list) else ""
        if not isinstance(cmd, dict):
            errors.add(f"{prefix}_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used.")
            continue
        ctype = int(cmd.get("type") or 1)
        name = cmd.get("name")
        key = (str(name), ctype)
        if key in seen:
            errors.add(f"{prefix}name", "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate {name}")
        seen.add(key)
        if ctype == 1:
            _validate_chat_input(errors, prefix, cmd, depth=0)
        elif not isinstance(name, str) or not 1 <= len(name) <= 32:
            errors.add(f"{prefix}name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32.")
    return _form_error(errors.tree) if errors.tree else None


def _validate_chat_input(errors: _FormErrors, prefix: str, node: JSON, *, depth: int) -> None:
    name = node.get("name")
    if not isinstance(name, str) or not _COMMAND_NAME_RE.match(name) or name != name.lower():
        errors.add(f"{prefix}name", "APPLICATION_COMMAND_INVALID_NAME", f"Invalid name {name!r}")
    description = node.get("description")
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        errors.add(f"{prefix}description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100.")
    options = node.get("options") or []
    if len(options) > 25:
        errors.add(f"{prefix}options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional = False
    for j, option in enumerate(options):
        path = f"{prefix}options.{j}."
        otype = option.get("type")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                errors.add(f"{path}type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Too deep.")
            _validate_chat_input(errors, path, option, depth=depth + 1)
            continue
        _validate_chat_input(errors, path, {**option, "options": []}, depth=depth + 1)
        if option.get("required"):
            if seen_optional:
                errors.add(
                    f"{path}required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            errors.add(f"{path}choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        if choices and option.get("autocomplete"):
            errors.add(f"{path}autocomplete", "AUTOCOMPLETE_CHOICES", "Choices with autocomplete.")


class _Snowflakes:
    """Makes unique, increasing snowflakes whose timestamp is now."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        now = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = max(now << 22, self._last + 1)
        self._last = value
        return value


# ---------------------------------------------------------------------------------------------
# The fake
# ---------------------------------------------------------------------------------------------


class FakeDiscord:
    """A fake Discord REST API and gateway on 127.0.0.1 (one bot, one gateway session).

    Args:
        application_id: the application (and by default the bot user) id.
        bot_user_id: the bot user's id (defaults to ``application_id``).
        bot_name: the bot user's username and the application's name.
        guilds: guild ids or :class:`FakeGuild` objects the bot is in.
        default_user: the user that interactions and messages come from by default.
        token: if set, REST calls and IDENTIFY must carry this bot token (401 / close 4004).
        heartbeat_interval_ms: the interval sent in HELLO.
        allowed_privileged_intents: privileged intents enabled "in the developer portal";
            None allows all, otherwise IDENTIFY asking for others is closed with 4014.
        app_permissions: the bot's permissions sent as ``app_permissions`` in guilds.
        interaction_timeout: seconds an interaction may wait for its callback (Discord: 3 s)
            before the callback answers 404 Unknown interaction; None disables the check.
        echo_messages: dispatch MESSAGE_CREATE/UPDATE/DELETE for messages created, edited or
            deleted over REST (non-ephemeral), as Discord does.
    """

    def __init__(
        self,
        *,
        application_id: int = DEFAULT_APPLICATION_ID,
        bot_user_id: int | None = None,
        bot_name: str = "explainbot",
        guilds: Sequence[int | FakeGuild] = (DEFAULT_GUILD_ID,),
        default_user: FakeUser | None = None,
        token: str | None = None,
        heartbeat_interval_ms: int = 41_250,
        allowed_privileged_intents: int | None = None,
        app_permissions: int = MEMBER_PERMISSIONS,
        interaction_timeout: float | None = 3.0,
        echo_messages: bool = True,
        global_rate_limit: float | None = None,
    ) -> None:
        self.application_id = application_id
        #: Off by default. When set, the bot's REST requests (interaction callbacks and
        #: webhooks excepted, as on Discord) beyond this many per second answer a global 429,
        #: enforced as a token bucket holding one second's worth (Discord: 50 per second).
        self.global_rate_limit = global_rate_limit
        #: How many requests the global limit refused.
        self.global_rate_limited = 0
        self._global_tokens = float(global_rate_limit or 0)
        self._global_updated = time.monotonic()
        self.bot_user = FakeUser(
            id=bot_user_id if bot_user_id is not None else application_id,
            username=bot_name,
            bot=True,
        )
        self.default_user = default_user or FakeUser(
            id=DEFAULT_USER_ID, username="tester", global_name="Tester"
        )
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.allowed_privileged_intents = allowed_privileged_intents
        self.app_permissions = app_permissions
        self.interaction_timeout = interaction_timeout
        self.echo_messages = echo_messages
        #: Whether heartbeats are acknowledged (set False to simulate a zombie connection).
        self.ack_heartbeats = True

        self.guilds: dict[int, FakeGuild] = {}
        for guild in guilds:
            self.add_guild(guild)

        #: Every REST request, in arrival order.
        self.requests: list[RecordedRequest] = []
        #: IDENTIFY payloads (``d``) received, RESUME payloads accepted / rejected.
        self.identifies: list[JSON] = []
        self.resumes: list[JSON] = []
        self.rejected_resumes: list[JSON] = []
        #: Every gateway payload received from clients, and every websocket connection made.
        self.gateway_received: list[JSON] = []
        self.gateway_connections: list[GatewayConnection] = []
        self.heartbeats = 0
        #: Dispatches re-sent on RESUME because the client had not seen them.
        self.replayed_events = 0

        self._snowflakes = _Snowflakes()
        self._users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user}
        self._users[self.default_user.id] = self.default_user
        for guild in self.guilds.values():
            for member in guild.members:
                self._users.setdefault(member.user.id, member.user)
        self._dm_channels: dict[int, int] = {}  # channel id -> recipient user id
        self._messages: dict[int, JSON] = {}
        self._commands: dict[int | None, list[JSON]] = {}
        self._interactions: dict[int, _Interaction] = {}
        self._interactions_by_token: dict[str, _Interaction] = {}
        self._rate_limits: list[_RateLimitRule] = []

        self._session: _Session | None = None
        self._conn: _Conn | None = None
        self._open_sockets: set[web.WebSocketResponse] = set()
        self._gateway_lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._recorded = asyncio.Condition()
        self._invalidate_next = False

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._routes: list[tuple[str, re.Pattern[str], str, _Handler]] = []
        self._build_routes()

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on 127.0.0.1 with an ephemeral port."""
        if self._runner is not None:
            raise RuntimeError("FakeDiscord already started")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._gateway_handler)
        app.router.add_get(RESUME_GATEWAY_PATH, self._gateway_handler)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest_handler)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.debug("fake Discord listening on %s", self.base_url)

    async def close(self) -> None:
        """Close open websockets and stop the server."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._ready.clear()
        self._conn = None
        for ws in list(self._open_sockets):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(code=1001, message=b"fake shutting down"), 2.0)
        await runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- addresses -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        if self._port is None:
            raise RuntimeError("FakeDiscord is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> yarl.URL:
        """The value for ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return yarl.URL(f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}")

    @property
    def resume_gateway_url(self) -> yarl.URL:
        """The ``resume_gateway_url`` sent in READY (same server, its own path)."""
        return yarl.URL(f"ws://127.0.0.1:{self.port}{RESUME_GATEWAY_PATH}")

    # -- model helpers ---------------------------------------------------------------------------

    def add_guild(self, guild: int | FakeGuild) -> FakeGuild:
        """Add a guild the bot is in (before the client connects, or send GUILD_CREATE yourself)."""
        if isinstance(guild, int):
            guild = FakeGuild(id=guild)
        if not guild.channels:
            guild = dataclasses.replace(guild, channels=(FakeChannel(id=guild.id + 1),))
        if not guild.name:
            guild = dataclasses.replace(guild, name=f"Guild {guild.id}")
        self.guilds[guild.id] = guild
        return guild

    def add_user(self, user: FakeUser) -> FakeUser:
        """Make a user known to the fake (for ``GET /users/{id}`` and mention resolution)."""
        self._users[user.id] = user
        return user

    @property
    def default_guild_id(self) -> int:
        """The first guild's id."""
        return next(iter(self.guilds))

    def default_channel_id(self, guild_id: int | None = None) -> int:
        """The first channel of a guild (the default guild if omitted)."""
        guild = self.guilds[guild_id if guild_id is not None else self.default_guild_id]
        return guild.channels[0].id

    def dm_channel_id(self, user: FakeUser | int) -> int:
        """The DM channel between the bot and ``user`` (created on first use)."""
        user_id = user if isinstance(user, int) else user.id
        for channel_id, recipient in self._dm_channels.items():
            if recipient == user_id:
                return channel_id
        channel_id = self._snowflakes.next()
        self._dm_channels[channel_id] = user_id
        return channel_id

    def member_of(self, guild_id: int, user: FakeUser) -> FakeMember:
        """The member entry of ``user`` in a guild (roles from the guild, or none)."""
        for member in self._guild_members(self.guilds[guild_id]):
            if member.user.id == user.id:
                return member
        return FakeMember(user=user)

    def permissions_of(self, guild_id: int, user: FakeUser) -> int:
        """Permissions computed from @everyone and the member's roles (Administrator = all)."""
        guild = self.guilds[guild_id]
        perms = guild.everyone_permissions
        member = self.member_of(guild_id, user)
        for role in guild.roles:
            if role.id in member.roles:
                perms |= role.permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def _guild_members(self, guild: FakeGuild) -> list[FakeMember]:
        members = [FakeMember(user=self.bot_user)]
        ids = {self.bot_user.id}
        for member in (*guild.members, FakeMember(user=self.default_user)):
            if member.user.id not in ids:
                members.append(member)
                ids.add(member.user.id)
        return members

    def _member_payload(self, member: FakeMember, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in member.roles],
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            data["user"] = member.user.payload()
        return data

    def _channel_payload(self, channel_id: int) -> JSON | None:
        if channel_id in self._dm_channels:
            recipient = self._users.get(self._dm_channels[channel_id])
            return {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [recipient.payload()] if recipient else [],
            }
        for guild in self.guilds.values():
            for position, channel in enumerate(guild.channels):
                if channel.id == channel_id:
                    return {
                        "id": str(channel.id),
                        "type": channel.type,
                        "guild_id": str(guild.id),
                        "name": channel.name,
                        "position": channel.position or position,
                        "permission_overwrites": [],
                        "parent_id": None,
                        "topic": None,
                        "nsfw": False,
                        "last_message_id": None,
                        "rate_limit_per_user": 0,
                        "flags": 0,
                    }
        return None

    def _guild_of_channel(self, channel_id: int) -> int | None:
        for guild in self.guilds.values():
            if any(c.id == channel_id for c in guild.channels):
                return guild.id
        return None

    def _channel_known(self, channel_id: int) -> bool:
        return channel_id in self._dm_channels or self._guild_of_channel(channel_id) is not None

    def guild_create_payload(self, guild_id: int) -> JSON:
        """The GUILD_CREATE payload the fake sends for a guild."""
        guild = self.guilds[guild_id]
        members = self._guild_members(guild)
        member_count = len(members)
        if self._session is not None and not self._session.intents & _INTENT_GUILD_MEMBERS:
            members = members[:1]  # without GUILD_MEMBERS, Discord sends only the bot itself
        everyone = FakeRole(
            id=guild.id, name="@everyone", permissions=guild.everyone_permissions, position=0
        )
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.default_user.id),
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
            "preferred_locale": guild.locale,
            "vanity_url_code": None,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "features": [],
            "incidents_data": None,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "large": False,
            "lazy": True,
            "unavailable": False,
            "member_count": member_count,
            "roles": [everyone.payload(), *(r.payload() for r in guild.roles)],
            "emojis": [],
            "stickers": [],
            "members": [self._member_payload(m) for m in members],
            "channels": [self._channel_payload(c.id) for c in guild.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def application_payload(self) -> JSON:
        """``GET /oauth2/applications/@me``."""
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.default_user.payload(),
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
            "approximate_guild_count": len(self.guilds),
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "redirect_uris": [],
            "bot": self.bot_user.payload(),
        }

    # -- recorded requests -----------------------------------------------------------------------

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

        def find() -> RecordedRequest | None:
            return next((r for r in self.requests[since:] if predicate(r)), None)

        async with self._recorded:
            try:
                await asyncio.wait_for(self._recorded.wait_for(lambda: find() is not None), timeout)
            except TimeoutError:
                seen = "\n  ".join(f"{r.status} {r.method} {r.path}" for r in self.requests)
                raise TimeoutError(f"no matching request in {timeout}s; seen:\n  {seen}") from None
        found = find()
        assert found is not None
        return found

    async def wait_for_callback(
        self,
        interaction: SentInteraction,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The successful (2xx) callback request for an interaction."""
        return await self.wait_for_request(
            lambda r: (
                r.method == "POST" and r.path == interaction.callback_path and 200 <= r.status < 300
            ),
            timeout,
        )

    async def _record(self, request: RecordedRequest) -> None:
        async with self._recorded:
            self.requests.append(request)
            self._recorded.notify_all()

    # -- messages --------------------------------------------------------------------------------

    @property
    def messages(self) -> list[JSON]:
        """Copies of all stored messages (sent by the bot or injected), oldest first."""
        return [copy.deepcopy(m) for m in self._messages.values()]

    def get_message(self, message_id: int) -> JSON | None:
        """A copy of a stored message."""
        message = self._messages.get(message_id)
        return copy.deepcopy(message) if message is not None else None

    def channel_messages(self, channel_id: int) -> list[JSON]:
        """Copies of the stored messages of a channel, oldest first."""
        return [
            copy.deepcopy(m) for m in self._messages.values() if m["channel_id"] == str(channel_id)
        ]

    def original_response(self, interaction: SentInteraction) -> JSON | None:
        """The stored original response message of an interaction, if any."""
        state = self._interactions.get(interaction.id)
        if state is None or state.original_message_id is None:
            return None
        return self.get_message(state.original_message_id)

    # -- rate limits -----------------------------------------------------------------------------

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: float = 0.2,
        count: int = 1,
        global_: bool = False,
    ) -> None:
        """Answer the next ``count`` matching REST requests with 429 Too Many Requests."""
        self._rate_limits.append(
            _RateLimitRule(method.upper(), re.compile(path_regex), retry_after, count, global_)
        )

    def _take_rate_limit(self, method: str, path: str) -> _RateLimitRule | None:
        for rule in self._rate_limits:
            if (rule.method in ("*", method)) and rule.pattern.search(path):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rate_limits.remove(rule)
                return rule
        return None

    def _take_global_limit(self, path: str) -> _RateLimitRule | None:
        """A global 429 rule when ``global_rate_limit`` is set and exceeded, else None."""
        rate = self.global_rate_limit
        if rate is None or not self._needs_auth(path):
            return None
        now = time.monotonic()
        self._global_tokens = min(rate, self._global_tokens + (now - self._global_updated) * rate)
        self._global_updated = now
        if self._global_tokens >= 1:
            self._global_tokens -= 1
            return None
        self.global_rate_limited += 1
        retry_after = (1 - self._global_tokens) / rate
        return _RateLimitRule("*", re.compile(""), retry_after, 1, True)

    @staticmethod
    def _bucket_headers(route_name: str) -> dict[str, str]:
        bucket = hashlib.md5(route_name.encode(), usedforsecurity=False).hexdigest()
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket,
        }

    def _rate_limited_reply(self, rule: _RateLimitRule, route_name: str) -> _Reply:
        headers = self._bucket_headers(route_name)
        headers.update(
            {
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                "X-RateLimit-Scope": "global" if rule.global_ else "user",
                "Retry-After": str(max(1, math.ceil(rule.retry_after))),
                # discord.py treats a 429 without Via as a Cloudflare ban and does not retry.
                "Via": "1.1 google",
            }
        )
        if rule.global_:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": rule.global_,
            "code": 0,
        }
        return _Reply(429, body, headers)

    # -- REST plumbing ---------------------------------------------------------------------------

    def _route(self, method: str, template: str, handler: _Handler) -> None:
        regex = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", template)
        self._routes.append((method, re.compile(f"^{regex}$"), f"{method} {template}", handler))

    def _build_routes(self) -> None:
        r = self._route
        r("GET", "/gateway", self._get_gateway)
        r("GET", "/gateway/bot", self._get_gateway_bot)
        r("GET", "/users/@me", self._get_me)
        r("POST", "/users/@me/channels", self._create_dm)
        r("GET", "/users/{user_id}", self._get_user)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/applications/@me", self._get_application)
        for base in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            r("GET", base + "/commands", self._get_commands)
            r("PUT", base + "/commands", self._put_commands)
            r("POST", base + "/commands", self._post_command)
            r("GET", base + "/commands/{command_id}", self._get_command)
            r("PATCH", base + "/commands/{command_id}", self._patch_command)
            r("DELETE", base + "/commands/{command_id}", self._delete_command)
        r("POST", "/interactions/{interaction_id}/{token}/callback", self._interaction_callback)
        r("POST", "/webhooks/{app_id}/{token}", self._webhook_execute)
        r("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_get_message)
        r("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_edit_message)
        r("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_delete_msg)
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("GET", "/channels/{channel_id}/messages", self._list_messages)
        r("POST", "/channels/{channel_id}/messages", self._create_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_channel_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_channel_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_channel_message)
        r("POST", "/channels/{channel_id}/typing", self._no_content)
        reactions = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
        r("PUT", reactions, self._no_content)
        r("DELETE", reactions, self._no_content)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        r("GET", "/guilds/{guild_id}/roles", self._get_roles)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[RecordedFile]]:
        files: list[RecordedFile] = []
        if request.content_type == "multipart/form-data":
            payload: Any = None
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    payload = json.loads(data.decode())
                else:
                    files.append(
                        RecordedFile(
                            field=part.name or "",
                            filename=part.filename,
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(data),
                        )
                    )
            return payload, files
        raw = await request.read()
        if not raw:
            return None, files
        return json.loads(raw.decode()), files

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method
        query = dict(request.query)
        headers = dict(request.headers)
        body: Any = None
        files: list[RecordedFile] = []
        reply: _Reply | None = None
        try:
            body, files = await self._read_body(request)
        except (ValueError, UnicodeDecodeError):
            reply = _error(400, 50109, "The request body contains invalid JSON.")

        handler: _Handler | None = None
        params: dict[str, str] = {}
        route_name = f"{method} {path}"
        for route_method, pattern, name, candidate in self._routes:
            match = pattern.match(path)
            if match is not None and route_method == method:
                handler, params, route_name = candidate, match.groupdict(), name
                break

        if reply is None and (rule := self._take_global_limit(path)) is not None:
            reply = self._rate_limited_reply(rule, route_name)
        if reply is None and (rule := self._take_rate_limit(method, path)) is not None:
            log.info("fake Discord answers 429 to %s %s", method, path)
            reply = self._rate_limited_reply(rule, route_name)
        if reply is None and handler is None:
            log.warning("fake Discord has no route for %s %s", method, path)
            reply = _error(404, 0, "404: Not Found")
        if (
            reply is None
            and self.token is not None
            and self._needs_auth(path)
            and headers.get("Authorization") != f"Bot {self.token}"
        ):
            reply = _error(401, 0, "401: Unauthorized")
        if reply is None and handler is not None:
            try:
                reply = await handler(_Ctx(method, path, params, query, body, files))
            except Exception:
                log.exception("fake Discord failed on %s %s", method, path)
                reply = _error(500, 0, "500: Internal Server Error")
        assert reply is not None

        await self._record(
            RecordedRequest(method, path, query, body, headers, reply.status, tuple(files))
        )
        response_headers = self._bucket_headers(route_name)
        response_headers.update(reply.headers)
        if reply.body is None:
            return web.Response(status=reply.status, headers=response_headers)
        return web.Response(
            status=reply.status,
            body=_dumps(reply.body).encode(),
            content_type="application/json",  # exactly this: discord.py compares it verbatim
            headers=response_headers,
        )

    @staticmethod
    def _needs_auth(path: str) -> bool:
        return not (path.startswith("/interactions/") or path.startswith("/webhooks/"))

    @staticmethod
    def _ok(body: Any = None, status: int = 200) -> _Reply:
        return _Reply(status if body is not None else 204, body)

    async def _no_content(self, ctx: _Ctx) -> _Reply:
        return _Reply(204)

    # -- REST: gateway, users, application -------------------------------------------------------

    async def _get_gateway(self, ctx: _Ctx) -> _Reply:
        return self._ok({"url": str(self.gateway_url)})

    async def _get_gateway_bot(self, ctx: _Ctx) -> _Reply:
        return self._ok(
            {
                "url": str(self.gateway_url),
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000 - len(self.identifies),
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _get_me(self, ctx: _Ctx) -> _Reply:
        me = self.bot_user.payload()
        me.update(
            {
                "verified": True,
                "mfa_enabled": False,
                "email": None,
                "locale": "en-US",
                "premium_type": 0,
                "bio": "",
            }
        )
        return self._ok(me)

    async def _get_user(self, ctx: _Ctx) -> _Reply:
        user = (
            self._users.get(int(ctx.params["user_id"])) if ctx.params["user_id"].isdigit() else None
        )
        if user is None:
            return _error(404, 10013, "Unknown User")
        return self._ok(user.payload())

    async def _create_dm(self, ctx: _Ctx) -> _Reply:
        recipient = int((ctx.json or {}).get("recipient_id", 0))
        if recipient not in self._users:
            return _error(400, 50007, "Cannot send messages to this user")
        channel = self._channel_payload(self.dm_channel_id(recipient))
        return self._ok(channel)

    async def _get_application(self, ctx: _Ctx) -> _Reply:
        return self._ok(self.application_payload())

    # -- REST: application commands --------------------------------------------------------------

    def _command_scope(self, ctx: _Ctx) -> tuple[int | None, _Reply | None]:
        if ctx.params["app_id"] != str(self.application_id):
            return None, _error(403, 50001, "Missing Access")
        guild = ctx.params.get("guild_id")
        if guild is None:
            return None, None
        if not guild.isdigit() or int(guild) not in self.guilds:
            return None, _error(403, 50001, "Missing Access")
        return int(guild), None

    def _store_command(self, scope: int | None, payload: JSON, existing: JSON | None) -> JSON:
        ctype = int(payload.get("type") or 1)
        stored: JSON = {
            "id": existing["id"] if existing else str(self._snowflakes.next()),
            "application_id": str(self.application_id),
            "version": str(self._snowflakes.next()),
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

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Copies of the registered commands: global (``None``) or of a guild."""
        return copy.deepcopy(self._commands.get(guild_id, []))

    async def _get_commands(self, ctx: _Ctx) -> _Reply:
        scope, error = self._command_scope(ctx)
        return error or self._ok(self._commands.get(scope, []))

    async def _put_commands(self, ctx: _Ctx) -> _Reply:
        scope, error = self._command_scope(ctx)
        if error:
            return error
        payload = ctx.json if ctx.json is not None else []
        if not isinstance(payload, list):
            return _form_error(
                {
                    "_root": {
                        "_errors": [
                            {"code": "LIST_TYPE_CONVERT", "message": "Only iterables may be used."}
                        ]
                    }
                }
            )
        if (invalid := _validate_commands(payload)) is not None:
            return invalid
        old = {(c["name"], c["type"]): c for c in self._commands.get(scope, [])}
        stored = [
            self._store_command(scope, cmd, old.get((cmd.get("name"), int(cmd.get("type") or 1))))
            for cmd in payload
        ]
        self._commands[scope] = stored
        return self._ok(stored)

    async def _post_command(self, ctx: _Ctx) -> _Reply:
        scope, error = self._command_scope(ctx)
        if error:
            return error
        if (invalid := _validate_commands(ctx.json)) is not None:
            return invalid
        commands = self._commands.setdefault(scope, [])
        key = (ctx.json.get("name"), int(ctx.json.get("type") or 1))
        existing = next((c for c in commands if (c["name"], c["type"]) == key), None)
        stored = self._store_command(scope, ctx.json, existing)
        if existing:
            commands[commands.index(existing)] = stored
            return self._ok(stored)
        commands.append(stored)
        return self._ok(stored, 201)

    def _find_stored_command(self, ctx: _Ctx) -> tuple[int | None, JSON | None, _Reply | None]:
        scope, error = self._command_scope(ctx)
        if error:
            return scope, None, error
        for command in self._commands.get(scope, []):
            if command["id"] == ctx.params["command_id"]:
                return scope, command, None
        return scope, None, _error(404, 10063, "Unknown application command")

    async def _get_command(self, ctx: _Ctx) -> _Reply:
        _, command, error = self._find_stored_command(ctx)
        return error or self._ok(command)

    async def _patch_command(self, ctx: _Ctx) -> _Reply:
        scope, command, error = self._find_stored_command(ctx)
        if error or command is None:
            return error or _error(404, 10063, "Unknown application command")
        merged = {**command, **(ctx.json or {})}
        if (invalid := _validate_commands(merged)) is not None:
            return invalid
        stored = self._store_command(scope, merged, command)
        commands = self._commands[scope]
        commands[commands.index(command)] = stored
        return self._ok(stored)

    async def _delete_command(self, ctx: _Ctx) -> _Reply:
        scope, command, error = self._find_stored_command(ctx)
        if error or command is None:
            return error or _error(404, 10063, "Unknown application command")
        self._commands[scope].remove(command)
        return _Reply(204)

    # -- REST: messages --------------------------------------------------------------------------

    def _resolve_mentions(
        self, content: str, allowed: JSON | None, guild_id: int | None
    ) -> tuple[list[JSON], list[str], bool]:
        parse = None if allowed is None else set(allowed.get("parse") or [])
        allowed_users = {str(u) for u in (allowed or {}).get("users") or []}
        allowed_roles = {str(r) for r in (allowed or {}).get("roles") or []}
        users: list[JSON] = []
        for raw_id in dict.fromkeys(_USER_MENTION_RE.findall(content)):
            user = self._users.get(int(raw_id))
            if user is None or not (parse is None or "users" in parse or raw_id in allowed_users):
                continue
            users.append(self._mention_payload(user, guild_id))
        roles = [
            raw_id
            for raw_id in dict.fromkeys(_ROLE_MENTION_RE.findall(content))
            if parse is None or "roles" in parse or raw_id in allowed_roles
        ]
        everyone = ("@everyone" in content or "@here" in content) and (
            parse is None or "everyone" in parse
        )
        return users, roles, everyone

    def _mention_payload(self, user: FakeUser, guild_id: int | None) -> JSON:
        data = user.payload()
        if guild_id is not None and guild_id in self.guilds:
            data["member"] = self._member_payload(self.member_of(guild_id, user), with_user=False)
        return data

    def _attachments(
        self, body: JSON, files: Sequence[RecordedFile], channel_id: int
    ) -> list[JSON]:
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        result: list[JSON] = []
        for index, file in enumerate(files):
            meta = described.get(str(index), {})
            attachment_id = self._snowflakes.next()
            filename = meta.get("filename") or file.filename or f"file{index}"
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}"
            result.append(
                {
                    "id": str(attachment_id),
                    "filename": filename,
                    "size": len(file.data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": file.content_type,
                    "description": meta.get("description"),
                }
            )
        return result

    def _build_message(
        self,
        channel_id: int,
        body: JSON,
        files: Sequence[RecordedFile],
        *,
        author: FakeUser,
        message_type: int = 0,
        interaction: _Interaction | None = None,
        flags: int | None = None,
    ) -> JSON:
        guild_id = self._guild_of_channel(channel_id)
        content = str(body.get("content") or "")
        mentions, mention_roles, everyone = self._resolve_mentions(
            content, body.get("allowed_mentions"), guild_id
        )
        message: JSON = {
            "id": str(self._snowflakes.next()),
            "channel_id": str(channel_id),
            "author": author.payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": everyone,
            "mentions": mentions,
            "mention_roles": mention_roles,
            "attachments": self._attachments(body, files, channel_id),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
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
            referenced = self._messages.get(int(ref.get("message_id") or 0))
            message["referenced_message"] = copy.deepcopy(referenced) if referenced else None
            if message_type == 0:
                message["type"] = 19
        if interaction is not None:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
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
            message["interaction_metadata"] = metadata
        return message

    def _store(self, message: JSON) -> JSON:
        self._messages[int(message["id"])] = message
        return copy.deepcopy(message)

    def _apply_edit(self, message: JSON, body: Any, files: Sequence[RecordedFile]) -> JSON:
        body = body if isinstance(body, dict) else {}
        channel_id = int(message["channel_id"])
        if "content" in body:
            message["content"] = str(body["content"] or "")
            guild_id = self._guild_of_channel(channel_id)
            mentions, roles, everyone = self._resolve_mentions(
                message["content"], body.get("allowed_mentions"), guild_id
            )
            message.update(mentions=mentions, mention_roles=roles, mention_everyone=everyone)
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            message["components"] = body["components"] or []
        if "flags" in body and body["flags"] is not None:
            keep = message["flags"] & ~(_MSG_FLAG_LOADING | (1 << 2))
            message["flags"] = keep | (int(body["flags"]) & (1 << 2))
        else:
            message["flags"] &= ~_MSG_FLAG_LOADING
        if "attachments" in body:
            kept_ids = {str(a.get("id")) for a in body["attachments"] or []}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            message["attachments"] = kept + self._attachments(body, files, channel_id)
        message["edited_timestamp"] = _now_iso()
        return message

    async def _echo(self, event: str, message: JSON) -> None:
        """Dispatch a gateway event for a message created/edited over REST, as Discord does."""
        if not self.echo_messages or self._session is None:
            return
        if message["flags"] & _MSG_FLAG_EPHEMERAL:
            return
        channel_id = int(message["channel_id"])
        guild_id = self._guild_of_channel(channel_id)
        if event == "MESSAGE_DELETE":
            data: JSON = {"id": message["id"], "channel_id": message["channel_id"]}
            if guild_id is not None:
                data["guild_id"] = str(guild_id)
            await self.dispatch(event, data)
            return
        if not self._intent_allows_message(guild_id):
            return
        await self.dispatch(event, self._gateway_message(message, guild_id))

    def _gateway_message(self, message: JSON, guild_id: int | None) -> JSON:
        data = copy.deepcopy(message)
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
            author = self._users.get(int(data["author"]["id"]))
            if author is not None and "webhook_id" not in data:
                data["member"] = self._member_payload(
                    self.member_of(guild_id, author), with_user=False
                )
        return data

    def _intent_allows_message(self, guild_id: int | None) -> bool:
        if self._session is None:
            return False
        needed = _INTENT_GUILD_MESSAGES if guild_id is not None else _INTENT_DIRECT_MESSAGES
        return bool(self._session.intents & needed)

    def _message_in_channel(self, ctx: _Ctx) -> tuple[JSON | None, _Reply | None]:
        channel_id = ctx.params["channel_id"]
        if not channel_id.isdigit() or not self._channel_known(int(channel_id)):
            return None, _error(404, 10003, "Unknown Channel")
        message_id = ctx.params["message_id"]
        message = self._messages.get(int(message_id)) if message_id.isdigit() else None
        if message is None or message["channel_id"] != channel_id:
            return None, _error(404, 10008, "Unknown Message")
        return message, None

    async def _get_channel(self, ctx: _Ctx) -> _Reply:
        channel_id = ctx.params["channel_id"]
        channel = self._channel_payload(int(channel_id)) if channel_id.isdigit() else None
        return self._ok(channel) if channel else _error(404, 10003, "Unknown Channel")

    async def _list_messages(self, ctx: _Ctx) -> _Reply:
        channel_id = ctx.params["channel_id"]
        if not channel_id.isdigit() or not self._channel_known(int(channel_id)):
            return _error(404, 10003, "Unknown Channel")
        limit = int(ctx.query.get("limit", "50"))
        found = [m for m in self._messages.values() if m["channel_id"] == channel_id]
        return self._ok(list(reversed(found))[:limit])

    async def _create_message(self, ctx: _Ctx) -> _Reply:
        channel_id = ctx.params["channel_id"]
        if not channel_id.isdigit() or not self._channel_known(int(channel_id)):
            return _error(404, 10003, "Unknown Channel")
        if (invalid := _validate_message(ctx.json, ctx.files, editing=False)) is not None:
            return invalid
        body: JSON = ctx.json or {}
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            for message in self._messages.values():
                same_author = message["author"]["id"] == str(self.bot_user.id)
                if same_author and message.get("nonce") == body["nonce"]:
                    return self._ok(copy.deepcopy(message))
        message = self._build_message(int(channel_id), body, ctx.files, author=self.bot_user)
        result = self._store(message)
        await self._echo("MESSAGE_CREATE", message)
        return self._ok(result)

    async def _get_channel_message(self, ctx: _Ctx) -> _Reply:
        message, error = self._message_in_channel(ctx)
        return error or self._ok(copy.deepcopy(message))

    async def _edit_channel_message(self, ctx: _Ctx) -> _Reply:
        message, error = self._message_in_channel(ctx)
        if error or message is None:
            return error or _error(404, 10008, "Unknown Message")
        if message["author"]["id"] != str(self.bot_user.id):
            return _error(403, 50005, "Cannot edit a message authored by another user")
        if (invalid := _validate_message(ctx.json, ctx.files, editing=True)) is not None:
            return invalid
        self._apply_edit(message, ctx.json, ctx.files)
        await self._echo("MESSAGE_UPDATE", message)
        return self._ok(copy.deepcopy(message))

    async def _delete_channel_message(self, ctx: _Ctx) -> _Reply:
        message, error = self._message_in_channel(ctx)
        if error or message is None:
            return error or _error(404, 10008, "Unknown Message")
        del self._messages[int(message["id"])]
        await self._echo("MESSAGE_DELETE", message)
        return _Reply(204)

    async def _get_member(self, ctx: _Ctx) -> _Reply:
        guild = (
            self.guilds.get(int(ctx.params["guild_id"]))
            if ctx.params["guild_id"].isdigit()
            else None
        )
        if guild is None:
            return _error(404, 10004, "Unknown Guild")
        for member in self._guild_members(guild):
            if str(member.user.id) == ctx.params["user_id"]:
                return self._ok(self._member_payload(member))
        return _error(404, 10007, "Unknown Member")

    async def _get_roles(self, ctx: _Ctx) -> _Reply:
        guild_id = ctx.params["guild_id"]
        if not guild_id.isdigit() or int(guild_id) not in self.guilds:
            return _error(404, 10004, "Unknown Guild")
        return self._ok(self.guild_create_payload(int(guild_id))["roles"])

    # -- REST: interactions and webhooks ---------------------------------------------------------

    def _register_interaction(self, data: Mapping[str, Any]) -> _Interaction:
        user = data.get("member", {}).get("user") or data.get("user") or {}
        inner = data.get("data") or {}
        message = data.get("message")
        state = _Interaction(
            id=int(data["id"]),
            token=str(data["token"]),
            type=int(data["type"]),
            channel_id=int(data["channel_id"]) if data.get("channel_id") else None,
            guild_id=int(data["guild_id"]) if data.get("guild_id") else None,
            user=dict(user),
            created=time.monotonic(),
            command_type=int(inner.get("type") or 1) if data["type"] in (2, 4) else None,
            name=inner.get("name") if data["type"] in (2, 4) else None,
            message_id=int(message["id"]) if message else None,
        )
        self._interactions[state.id] = state
        self._interactions_by_token[state.token] = state
        return state

    async def _interaction_callback(self, ctx: _Ctx) -> _Reply:
        interaction_id = ctx.params["interaction_id"]
        state = self._interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if state is None or state.token != ctx.params["token"]:
            return _error(404, 10062, "Unknown interaction")
        if self.interaction_timeout is not None and not state.acknowledged:
            age = time.monotonic() - state.created
            if age > self.interaction_timeout:
                log.warning("fake Discord: interaction %s answered after %.2fs", state.id, age)
                return _error(404, 10062, "Unknown interaction")
        if state.acknowledged:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body: JSON = ctx.json if isinstance(ctx.json, dict) else {}
        response_type = int(body.get("type") or 0)
        data: JSON = body.get("data") or {}
        message: JSON | None = None
        if response_type == 4:
            if (invalid := _validate_message(data, ctx.files, editing=False)) is not None:
                return invalid
        elif response_type == 8:
            choices = data.get("choices")
            errors = _FormErrors()
            if not isinstance(choices, list):
                errors.add("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
            else:
                if len(choices) > 25:
                    errors.add("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
                for i, choice in enumerate(choices):
                    name = choice.get("name")
                    if not isinstance(name, str) or not 1 <= len(name) <= 100:
                        errors.add(f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "1-100.")
            if errors.tree:
                return _form_error(errors.tree)
        elif response_type in (6, 7) and state.type != 3 and state.type != 5:
            return _error(400, 40004, "Interaction callback type is not valid here")
        elif response_type == 7:
            if (invalid := _validate_message(data, ctx.files, editing=True)) is not None:
                return invalid
        elif response_type not in (5, 6, 9, 10, 12):
            return _form_error(
                {
                    "type": {
                        "_errors": [
                            {"code": "BASE_TYPE_CHOICES", "message": "Invalid interaction type"}
                        ]
                    }
                }
            )

        channel_id = state.channel_id or 0
        if response_type in (4, 5):
            flags = int(data.get("flags") or 0)
            if response_type == 5:
                data = {}
                flags = (flags & _MSG_FLAG_EPHEMERAL) | _MSG_FLAG_LOADING
            message_type = 0
            if state.type == 2:
                message_type = 20 if state.command_type == 1 else 23
            built = self._build_message(
                channel_id,
                data,
                ctx.files,
                author=self.bot_user,
                message_type=message_type,
                interaction=state,
                flags=flags,
            )
            message = self._store(built)
            state.original_message_id = int(built["id"])
            await self._echo("MESSAGE_CREATE", built)
        elif response_type in (6, 7) and state.message_id is not None:
            state.original_message_id = state.message_id
            stored = self._messages.get(state.message_id)
            if response_type == 7 and stored is not None:
                self._apply_edit(stored, data, ctx.files)
                message = copy.deepcopy(stored)
                await self._echo("MESSAGE_UPDATE", stored)
        state.acknowledged = True
        state.response_type = response_type

        if ctx.query.get("with_response") not in ("1", "true", "True"):
            return _Reply(204)
        interaction: JSON = {"id": str(state.id), "type": state.type}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = bool(message["flags"] & _MSG_FLAG_LOADING)
            interaction["response_message_ephemeral"] = bool(message["flags"] & _MSG_FLAG_EPHEMERAL)
        resource: JSON = {"type": response_type}
        if message is not None:
            resource["message"] = message
        return self._ok({"interaction": interaction, "resource": resource})

    def _webhook_interaction(self, ctx: _Ctx) -> tuple[_Interaction | None, _Reply | None]:
        state = self._interactions_by_token.get(ctx.params["token"])
        if ctx.params["app_id"] != str(self.application_id) or state is None:
            return None, _error(404, 10015, "Unknown Webhook")
        if not state.acknowledged:
            return None, _error(404, 10015, "Unknown Webhook")
        return state, None

    def _webhook_message(self, ctx: _Ctx) -> tuple[JSON | None, _Reply | None]:
        state, error = self._webhook_interaction(ctx)
        if error or state is None:
            return None, error
        raw = ctx.params["message_id"]
        if raw == "@original":
            message_id = state.original_message_id
        else:
            message_id = int(raw) if raw.isdigit() else None
        message = self._messages.get(message_id) if message_id is not None else None
        if message is None:
            return None, _error(404, 10008, "Unknown Message")
        return message, None

    async def _webhook_execute(self, ctx: _Ctx) -> _Reply:
        state, error = self._webhook_interaction(ctx)
        if error or state is None:
            return error or _error(404, 10015, "Unknown Webhook")
        if (invalid := _validate_message(ctx.json, ctx.files, editing=False)) is not None:
            return invalid
        body: JSON = ctx.json or {}
        if state.response_type == 5 and not state.followed_up:
            # The first follow-up after a deferred reply replaces the "thinking" message (same
            # id, keeping the defer's ephemerality); if that was deleted, it is Unknown Message.
            state.followed_up = True
            original = self._messages.get(state.original_message_id or 0)
            if original is None:
                return _error(404, 10008, "Unknown Message")
            ephemeral = original["flags"] & _MSG_FLAG_EPHEMERAL
            edit = {k: v for k, v in body.items() if k != "flags"}
            edit.setdefault("content", "")
            self._apply_edit(original, edit, ctx.files)
            original["flags"] = (original["flags"] & ~_MSG_FLAG_LOADING) | ephemeral
            original["edited_timestamp"] = None
            result = copy.deepcopy(original)
            await self._echo("MESSAGE_UPDATE", original)
        else:
            state.followed_up = True
            message = self._build_message(
                state.channel_id or 0,
                body,
                ctx.files,
                author=self.bot_user,
                interaction=state,
            )
            result = self._store(message)
            await self._echo("MESSAGE_CREATE", message)
        if ctx.query.get("wait") in ("1", "true", "True"):
            return self._ok(result)
        return _Reply(204)

    async def _webhook_get_message(self, ctx: _Ctx) -> _Reply:
        message, error = self._webhook_message(ctx)
        return error or self._ok(copy.deepcopy(message))

    async def _webhook_edit_message(self, ctx: _Ctx) -> _Reply:
        message, error = self._webhook_message(ctx)
        if error or message is None:
            return error or _error(404, 10008, "Unknown Message")
        if (invalid := _validate_message(ctx.json, ctx.files, editing=True)) is not None:
            return invalid
        self._apply_edit(message, ctx.json, ctx.files)
        await self._echo("MESSAGE_UPDATE", message)
        return self._ok(copy.deepcopy(message))

    async def _webhook_delete_msg(self, ctx: _Ctx) -> _Reply:
        message, error = self._webhook_message(ctx)
        if error or message is None:
            return error or _error(404, 10008, "Unknown Message")
        del self._messages[int(message["id"])]
        await self._echo("MESSAGE_DELETE", message)
        return _Reply(204)

    # -- gateway ---------------------------------------------------------------------------------

    @property
    def identify_count(self) -> int:
        """How many IDENTIFYs were accepted."""
        return len(self.identifies)

    @property
    def resume_count(self) -> int:
        """How many RESUMEs were accepted."""
        return len(self.resumes)

    @property
    def intents(self) -> int | None:
        """The intents of the current session's IDENTIFY."""
        return self._session.intents if self._session else None

    @property
    def session_id(self) -> str | None:
        """The current gateway session id."""
        return self._session.session_id if self._session else None

    @property
    def connected(self) -> bool:
        """Whether a client holds a live (identified or resumed) gateway connection."""
        return self._ready.is_set()

    async def wait_until_ready(self, timeout: float = 5.0) -> None:
        """Wait until a client has identified (READY + GUILD_CREATEs sent) or resumed."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no client became ready on the fake gateway in {timeout}s"
            ) from None

    async def dispatch(self, event: str, data: Mapping[str, Any]) -> int:
        """Send a dispatch (op 0) to the client; returns its sequence number.

        While the connection is down the event is only kept, and replayed on RESUME.
        """
        if self._session is None:
            raise RuntimeError("no gateway session: has a client identified with the fake?")
        if event == "INTERACTION_CREATE":
            self._register_interaction(data)
        async with self._gateway_lock:
            return await self._emit(event, dict(data))

    async def _emit(self, event: str, data: JSON) -> int:
        """Assign the next sequence number, keep the event, send it if live. Hold the lock."""
        session = self._session
        assert session is not None
        session.seq += 1
        text = _dumps({"op": 0, "t": event, "s": session.seq, "d": data})
        session.events.append((session.seq, text))
        conn = self._conn
        if conn is not None and conn.live:
            await self._send(conn, text)
        return session.seq

    async def _send(self, conn: _Conn, payload: JSON | str) -> None:
        text = payload if isinstance(payload, str) else _dumps(payload)
        try:
            await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("fake gateway send failed: %r", exc)
            conn.live = False

    async def drop_gateway(self, *, code: int = 4000, abort: bool = False) -> None:
        """Break the client's connection: close it with ``code``, or abort the TCP transport.

        discord.py then reconnects to ``resume_gateway_url`` and RESUMEs.
        """
        async with self._gateway_lock:
            conn, self._conn = self._conn, None
            self._ready.clear()
            if conn is None:
                raise RuntimeError("no live gateway connection to drop")
            conn.live = False
        if abort:
            transport = conn.request.transport
            if transport is not None:
                transport.abort()
        else:
            await conn.ws.close(code=code, message=b"fake drop")

    def invalidate_session_next(self) -> None:
        """Reject the next RESUME with INVALID_SESSION (d=false), ending the session.

        discord.py then IDENTIFYs again on DEFAULT_GATEWAY, after its ``before_identify_hook``
        (5 s by default: override it in tests).
        """
        self._invalidate_next = True

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes and RESUMEs."""
        conn = self._conn
        if conn is None:
            raise RuntimeError("no live gateway connection")
        async with self._gateway_lock:
            await self._send(conn, {"op": 7, "d": None})

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        conn = _Conn(ws=ws, request=request, path=request.path)
        self.gateway_connections.append(GatewayConnection(request.path, dict(request.query)))
        self._open_sockets.add(ws)
        log.debug("fake gateway: connection on %s", request.path_qs)
        try:
            await self._send(
                conn,
                {
                    "op": 10,
                    "d": {
                        "heartbeat_interval": self.heartbeat_interval_ms,
                        "_trace": ["fake-discord"],
                    },
                },
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        await self._on_gateway_message(conn, msg.data)
                    except Exception:
                        log.exception("fake gateway failed on %.200s", msg.data)
                        await ws.close(code=4000, message=b"Unknown error.")
                elif msg.type is WSMsgType.BINARY:
                    log.warning("fake gateway got a binary frame; only JSON text is supported")
                    await ws.close(code=4002, message=b"Error while decoding payload.")
        finally:
            self._open_sockets.discard(ws)
            async with self._gateway_lock:
                if self._conn is conn:
                    self._conn = None
                    self._ready.clear()
            log.debug("fake gateway: connection on %s closed (%s)", request.path, ws.close_code)
        return ws

    async def _on_gateway_message(self, conn: _Conn, text: str) -> None:
        try:
            payload = json.loads(text)
        except ValueError:
            await conn.ws.close(code=4002, message=b"Error while decoding payload.")
            return
        self.gateway_received.append(payload)
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            self.heartbeats += 1
            if self.ack_heartbeats:
                await self._send(conn, {"op": 11})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif not conn.authenticated:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
        elif op == 8:
            await self._request_members(data or {})
        elif op in (3, 4):
            log.debug("fake gateway: op %s %s", op, data)
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: _Conn, data: JSON) -> None:
        if conn.authenticated:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if self.token is not None and data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        allowed = self.allowed_privileged_intents
        if allowed is not None and intents & _PRIVILEGED_INTENTS & ~allowed:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = data.get("shard")
        async with self._gateway_lock:
            self.identifies.append(data)
            self._session = _Session(session_id=secrets.token_hex(16), intents=intents, shard=shard)
            conn.authenticated = True
            conn.live = True
            self._conn = conn
            ready: JSON = {
                "v": 10,
                "user": {
                    **self.bot_user.payload(),
                    "verified": True,
                    "mfa_enabled": False,
                    "email": None,
                },
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                "session_id": self._session.session_id,
                "session_type": "normal",
                "resume_gateway_url": str(self.resume_gateway_url),
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "user_settings": {},
                "auth": {},
                "_trace": ["fake-discord"],
            }
            if shard is not None:
                ready["shard"] = shard
            await self._emit("READY", ready)
            for guild_id in self.guilds:
                await self._emit("GUILD_CREATE", self.guild_create_payload(guild_id))
            if self._conn is conn and conn.live:
                self._ready.set()

    async def _resume(self, conn: _Conn, data: JSON) -> None:
        async with self._gateway_lock:
            session = self._session
            valid = (
                session is not None
                and data.get("session_id") == session.session_id
                and (self.token is None or data.get("token") == self.token)
                and not self._invalidate_next
            )
            if not valid or session is None:
                self.rejected_resumes.append(data)
                if self._invalidate_next:
                    self._invalidate_next = False
                    self._session = None
                await self._send(conn, {"op": 9, "d": False})
                return
            client_seq = int(data.get("seq") or 0)
            conn.authenticated = True
            self._conn = conn
            for seq, text in session.events:
                if seq > client_seq:
                    await self._send(conn, text)
                    self.replayed_events += 1
            conn.live = True
            self.resumes.append(data)
            await self._emit("RESUMED", {"_trace": ["fake-discord"]})
            if self._conn is conn and conn.live:
                self._ready.set()

    async def _request_members(self, data: JSON) -> None:
        guild_ids = data.get("guild_id")
        for raw in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = self.guilds.get(int(raw or 0))
            if guild is None:
                continue
            members = self._guild_members(guild)
            user_ids = {str(u) for u in data.get("user_ids") or []}
            query = str(data.get("query") or "").lower()
            limit = int(data.get("limit") or 0)
            if user_ids:
                members = [m for m in members if str(m.user.id) in user_ids]
            elif query:
                members = [m for m in members if m.user.username.lower().startswith(query)]
            if limit:
                members = members[:limit]
            chunk: JSON = {
                "guild_id": str(guild.id),
                "members": [self._member_payload(m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": sorted(user_ids - {str(m.user.id) for m in members}),
            }
            if data.get("presences"):
                chunk["presences"] = []
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # -- interaction and message builders --------------------------------------------------------

    def _resolve_guild(self, guild_id: int | _Default | None) -> int | None:
        if guild_id is DEFAULT:
            return self.default_guild_id
        assert not isinstance(guild_id, _Default)
        if guild_id is not None and guild_id not in self.guilds:
            raise ValueError(f"unknown guild {guild_id}; add it with add_guild()")
        return guild_id

    def _interaction_payload(
        self,
        interaction_type: int,
        data: JSON | None,
        *,
        user: FakeUser | None,
        guild_id: int | _Default | None,
        channel_id: int | None,
        member_permissions: int | None,
        locale: str,
    ) -> JSON:
        user = user or self.default_user
        self._users.setdefault(user.id, user)
        guild = self._resolve_guild(guild_id)
        if channel_id is None:
            channel_id = self.default_channel_id(guild) if guild else self.dm_channel_id(user)
        channel = self._channel_payload(channel_id) or {
            "id": str(channel_id),
            "type": 0 if guild else 1,
            "name": "unknown",
            "position": 0,
        }
        payload: JSON = {
            "id": str(self._snowflakes.next()),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "token": "fake-interaction-" + secrets.token_urlsafe(32),
            "version": 1,
            "channel_id": str(channel_id),
            "app_permissions": str(self.app_permissions),
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 26_214_400,
        }
        if data is not None:
            payload["data"] = data
        if guild is not None:
            perms = (
                member_permissions
                if member_permissions is not None
                else self.permissions_of(guild, user)
            )
            member = self._member_payload(self.member_of(guild, user))
            member["permissions"] = str(perms)
            channel["permissions"] = str(perms)
            payload.update(
                guild_id=str(guild),
                guild={"id": str(guild), "locale": self.guilds[guild].locale, "features": []},
                guild_locale=self.guilds[guild].locale,
                member=member,
                context=0,
                authorizing_integration_owners={"0": str(guild)},
            )
        else:
            payload.update(
                user=user.payload(),
                context=1,
                authorizing_integration_owners={"0": "0"},
            )
        payload["channel"] = channel
        return payload

    def _find_command(
        self, parts: Sequence[str], guild_id: int | None
    ) -> tuple[JSON | None, int | None]:
        """The registered chat-input command for ``parts[0]``, and its guild (None = global)."""
        scopes: list[int | None] = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for command in self._commands.get(scope, []):
                if command["name"] == parts[0] and command["type"] == 1:
                    return command, scope
        return None, None

    def _options_payload(
        self,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
        definitions: Sequence[Mapping[str, Any]],
        *,
        focused: str | None,
        guild_id: int | None,
        resolved: JSON,
    ) -> list[JSON]:
        if options is None:
            return []
        if not isinstance(options, Mapping):
            return [dict(o) for o in options]
        by_name = {d.get("name"): d for d in definitions}
        result: list[JSON] = []
        for name, value in options.items():
            definition = by_name.get(name)
            if definition is not None:
                option_type = int(definition["type"])
            elif isinstance(value, bool):
                option_type = 5
            elif isinstance(value, int):
                option_type = 4
            elif isinstance(value, float):
                option_type = 10
            elif isinstance(value, FakeUser):
                option_type = 6
            else:
                option_type = 3
            if isinstance(value, FakeUser):
                self._users.setdefault(value.id, value)
                value = str(value.id)
            option: JSON = {"name": name, "type": option_type, "value": value}
            if option_type in (6, 7, 8, 9):
                option["value"] = str(value)
                self._resolve_option(option_type, int(value), guild_id, resolved)
            if name == focused:
                option["focused"] = True
            result.append(option)
        return result

    def _resolve_option(
        self, option_type: int, target: int, guild_id: int | None, resolved: JSON
    ) -> None:
        user = self._users.get(target)
        if option_type in (6, 9) and user is not None:
            resolved.setdefault("users", {})[str(target)] = user.payload()
            if guild_id is not None:
                member = self._member_payload(self.member_of(guild_id, user), with_user=False)
                member["permissions"] = str(self.permissions_of(guild_id, user))
                resolved.setdefault("members", {})[str(target)] = member
        if option_type in (8, 9) and guild_id is not None:
            roles = self.guild_create_payload(guild_id)["roles"]
            for role in roles:
                if role["id"] == str(target):
                    resolved.setdefault("roles", {})[str(target)] = role
        if option_type == 7 and (channel := self._channel_payload(target)) is not None:
            channel["permissions"] = str(ALL_PERMISSIONS)
            resolved.setdefault("channels", {})[str(target)] = channel

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
        *,
        guild_id: int | None,
        focused: str | None = None,
    ) -> JSON:
        parts = name.split()
        command, scope = self._find_command(parts, guild_id)
        if command is None:
            log.debug("fake Discord: /%s is not a registered command", name)
        definitions: Sequence[Mapping[str, Any]] = command.get("options", []) if command else []
        path_defs: list[Mapping[str, Any]] = []
        for part in parts[1:]:
            node = next((d for d in definitions if d.get("name") == part), None)
            path_defs.append(node or {"name": part, "type": 1})
            definitions = (node or {}).get("options", [])
        resolved: JSON = {}
        inner = self._options_payload(
            options, definitions, focused=focused, guild_id=guild_id, resolved=resolved
        )
        for node in reversed(path_defs):
            option_type = int(node.get("type") or 1)
            if len(parts) == 3 and node is path_defs[0]:
                option_type = 2
            inner = [{"name": node["name"], "type": option_type, "options": inner}]
        data: JSON = {
            "id": command["id"] if command else str(self._snowflakes.next()),
            "name": parts[0],
            "type": 1,
            "options": inner,
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        if resolved:
            data["resolved"] = resolved
        return data

    async def _send_interaction(self, payload: JSON) -> SentInteraction:
        await self.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(id=int(payload["id"]), token=payload["token"], payload=payload)

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        user: FakeUser | None = None,
        guild_id: int | _Default | None = DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | None = None,
        locale: str = "en-US",
    ) -> SentInteraction:
        """Dispatch a chat-input command interaction (type 2).

        ``name`` may hold subcommands (``"quiz start"``). ``options`` is either ``{name: value}``
        (types come from the synced command, else from the Python values) or raw option dicts.
        ``guild_id=None`` sends it from a DM. ``member_permissions`` overrides the permissions
        computed from the member's roles (e.g. ``MANAGE_GUILD | MEMBER_PERMISSIONS``).
        """
        guild = self._resolve_guild(guild_id)
        payload = self._interaction_payload(
            2,
            self._command_data(name, options, guild_id=guild),
            user=user,
            guild_id=guild,
            channel_id=channel_id,
            member_permissions=member_permissions,
            locale=locale,
        )
        return await self._send_interaction(payload)

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        focused: str | None = None,
        user: FakeUser | None = None,
        guild_id: int | _Default | None = DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | None = None,
        locale: str = "en-US",
    ) -> SentInteraction:
        """Dispatch an autocomplete interaction (type 4); ``focused``: default the last option."""
        if focused is None and isinstance(options, Mapping) and options:
            focused = list(options)[-1]
        guild = self._resolve_guild(guild_id)
        data = self._command_data(name, options, guild_id=guild, focused=focused)
        payload = self._interaction_payload(
            4,
            data,
            user=user,
            guild_id=guild,
            channel_id=channel_id,
            member_permissions=member_permissions,
            locale=locale,
        )
        return await self._send_interaction(payload)

    def _component_message(
        self, custom_id: str, component_type: int, values: Sequence[str], channel_id: int
    ) -> JSON:
        component: JSON = {"type": component_type, "id": 2, "custom_id": custom_id}
        if component_type == 2:
            component.update(style=1, label="Button", disabled=False)
        elif component_type == 3:
            component.update(
                options=[{"label": v, "value": v, "default": False} for v in values or ["x"]],
                min_values=1,
                max_values=max(1, len(values)),
                disabled=False,
            )
        else:
            component.update(min_values=1, max_values=1, disabled=False)
        body = {"components": [{"type": 1, "id": 1, "components": [component]}]}
        message = self._build_message(channel_id, body, (), author=self.bot_user)
        return self._store(message)

    async def send_component_click(
        self,
        custom_id: str,
        *,
        message: int | Mapping[str, Any] | None = None,
        component_type: int = 2,
        values: Sequence[str] = (),
        user: FakeUser | None = None,
        guild_id: int | _Default | None = DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | None = None,
        locale: str = "en-US",
    ) -> SentInteraction:
        """Dispatch a message component interaction (type 3).

        ``message`` is a stored message id, a full message object, or None to make (and store)
        a bot message carrying just this component. discord.py silently drops a click whose
        message does not parse or (for DynamicItem) does not contain the component.
        """
        guild = self._resolve_guild(guild_id)
        if channel_id is None and isinstance(message, Mapping):
            channel_id = int(message["channel_id"])
        if channel_id is None and isinstance(message, int) and message in self._messages:
            channel_id = int(self._messages[message]["channel_id"])
        if channel_id is None:
            user_ = user or self.default_user
            channel_id = self.default_channel_id(guild) if guild else self.dm_channel_id(user_)
        if message is None:
            message_payload = self._component_message(custom_id, component_type, values, channel_id)
        elif isinstance(message, int):
            stored = self.get_message(message)
            if stored is None:
                raise ValueError(f"no stored message {message}")
            message_payload = stored
        else:
            message_payload = dict(message)
        if not any(
            c.get("custom_id") == custom_id and c.get("type") == component_type
            for c in _walk_components(message_payload.get("components") or [])
        ):
            log.warning(
                "fake Discord: message %s has no type-%s component %r; discord.py may drop "
                "the click silently",
                message_payload.get("id"),
                component_type,
                custom_id,
            )
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if component_type in (3, 5, 6, 7, 8):
            data["values"] = list(values)
        payload = self._interaction_payload(
            3,
            data,
            user=user,
            guild_id=guild,
            channel_id=channel_id,
            member_permissions=member_permissions,
            locale=locale,
        )
        payload["message"] = message_payload
        return await self._send_interaction(payload)

    async def send_modal_submit(
        self,
        custom_id: str,
        fields: Mapping[str, str],
        *,
        user: FakeUser | None = None,
        guild_id: int | _Default | None = DEFAULT,
        channel_id: int | None = None,
        member_permissions: int | None = None,
        locale: str = "en-US",
    ) -> SentInteraction:
        """Dispatch a modal submit (type 5) with text inputs ``{custom_id: value}``."""
        data: JSON = {
            "custom_id": custom_id,
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in fields.items()
            ],
        }
        payload = self._interaction_payload(
            5,
            data,
            user=user,
            guild_id=guild_id,
            channel_id=channel_id,
            member_permissions=member_permissions,
            locale=locale,
        )
        return await self._send_interaction(payload)

    async def send_message_create(
        self,
        content: str,
        *,
        author: FakeUser | None = None,
        mentions: Sequence[FakeUser | int] = (),
        guild_id: int | _Default | None = DEFAULT,
        channel_id: int | None = None,
        reply_to: int | None = None,
        embeds: Sequence[JSON] = (),
    ) -> JSON:
        """Store a user's message and dispatch MESSAGE_CREATE (``guild_id=None``: a DM).

        Users in ``mentions`` and ``<@id>`` mentions in ``content`` are both mentioned.
        As on Discord, the event is not sent without the GUILD_MESSAGES / DIRECT_MESSAGES intent,
        and without MESSAGE_CONTENT the content, embeds, attachments and components are blanked
        unless it is a DM or mentions the bot. Returns the full stored message.
        """
        author = author or self.default_user
        self._users.setdefault(author.id, author)
        guild = self._resolve_guild(guild_id)
        if channel_id is None:
            channel_id = self.default_channel_id(guild) if guild else self.dm_channel_id(author)
        body: JSON = {"content": content, "embeds": list(embeds)}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to)}
        message = self._build_message(channel_id, body, (), author=author)
        mentioned = {m["id"] for m in message["mentions"]}
        for target in mentions:
            user = target if isinstance(target, FakeUser) else self._users.get(target)
            if user is None:
                raise ValueError(f"unknown user {target}; add it with add_user()")
            self._users.setdefault(user.id, user)
            if str(user.id) not in mentioned:
                message["mentions"].append(self._mention_payload(user, guild))
                mentioned.add(str(user.id))
        self._store(message)
        if self._session is None:
            raise RuntimeError("no gateway session: has a client identified with the fake?")
        if not self._intent_allows_message(guild):
            log.info("fake Discord: MESSAGE_CREATE not sent (intent missing)")
            return copy.deepcopy(message)
        event = self._gateway_message(message, guild)
        bot_mentioned = str(self.bot_user.id) in mentioned
        if not (
            self._session.intents & _INTENT_MESSAGE_CONTENT
            or guild is None
            or bot_mentioned
            or author.id == self.bot_user.id
        ):
            event.update(content="", embeds=[], attachments=[], components=[])
            event.pop("poll", None)
        await self.dispatch("MESSAGE_CREATE", event)
        return copy.deepcopy(message)


# ---------------------------------------------------------------------------------------------
# Test helpers
# ---------------------------------------------------------------------------------------------


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
    timeout: float = 5.0,
    wait_for_on_ready: bool = False,
) -> AsyncIterator[discord.Client]:
    """Run ``client.start(token)`` against ``fake`` until the fake sees it ready; close on exit.

    With ``wait_for_on_ready`` it also waits for the client's own ready (after
    ``guild_ready_timeout``). A client that dies while starting raises its exception here.
    """
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


def _resolve(future: asyncio.Future[logging.LogRecord], record: logging.LogRecord) -> None:
    if not future.done():
        future.set_result(record)


class ErrorLogCollector(logging.Handler):
    """A logging handler that keeps ERROR (and worse) records."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []
        self._waiters: list[asyncio.Future[logging.LogRecord]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.get_loop().call_soon_threadsafe(_resolve, waiter, record)

    async def wait_for_record(
        self,
        timeout: float = 5.0,
    ) -> logging.LogRecord:
        """The first kept record, waiting up to ``timeout`` seconds for one."""
        if self.records:
            return self.records[0]
        waiter: asyncio.Future[logging.LogRecord] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return await asyncio.wait_for(waiter, timeout)

    def format_records(self) -> str:
        """The kept records, formatted with their tracebacks."""
        formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


@contextlib.contextmanager
def fail_on_error_logs(
    loggers: Sequence[str] = ("discord", __name__), *, level: int = logging.ERROR
) -> Iterator[ErrorLogCollector]:
    """Raise ``AssertionError`` at exit if any of ``loggers`` logged at ``level`` or worse.

    discord.py logs (instead of raising) failures in event handlers, commands, views and
    interaction responses; this turns them into test failures.
    """
    collector = ErrorLogCollector(level)
    attached = [logging.getLogger(name) for name in loggers]
    for logger in attached:
        logger.addHandler(collector)
    try:
        yield collector
    finally:
        for logger in attached:
            logger.removeHandler(collector)
    if collector.records:
        raise AssertionError("error logs during the test:\n" + collector.format_records())
