"""A local fake Slack for tests: Web API, Socket Mode websocket and response_url endpoint.

The real ``slack_bolt`` ``AsyncApp`` and ``slack_sdk`` clients talk to it unmodified::

    async with FakeSlack() as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        app = AsyncApp(signing_secret=DEFAULT_SIGNING_SECRET, client=client)
        handler = AsyncSocketModeHandler(app, DEFAULT_APP_TOKEN, ping_interval=0.5)
        await handler.connect_async()
        ack = await fake.send_envelope("slash_commands", slash_command_payload(
            "/explain", "rag", response_url=fake.response_url("r1")))

Socket Mode: slack_sdk checks its connection every ``ping_interval`` seconds (Bolt's default
10 s, also aiohttp's heartbeat). A close frame or a ``disconnect`` message makes it reconnect at
once; a dropped TCP connection (``drop_socket()``) only at the next check, so pass a small
``ping_interval`` (e.g. 0.5) to ``AsyncSocketModeHandler`` in tests. Close the handler before
the fake, or it keeps trying to reconnect.

Everything listens on 127.0.0.1 (ephemeral port). Web API errors are Slack-shaped
(``{"ok": false, "error": ...}`` with HTTP 200); injected failures (``fail_next``) use
whatever HTTP status they are given, 429 with a ``Retry-After`` header as Slack does.

The module also builds HTTP request bodies exactly as Slack sends them (form-encoded slash
commands, JSON event callbacks, form-encoded ``payload=`` interactions), the same payloads as
dicts for Socket Mode envelopes, and signed request headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from types import TracebackType
from typing import Any, Final, Literal, ParamSpec, Self, TypeVar
from urllib.parse import urlencode

from aiohttp import WSCloseCode, WSMsgType, web
from slack_sdk.signature import SignatureVerifier

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_TOKEN",
    "DEFAULT_BOT_ID",
    "DEFAULT_BOT_TOKEN",
    "DEFAULT_BOT_USER_ID",
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_DM_CHANNEL_ID",
    "DEFAULT_SIGNING_SECRET",
    "DEFAULT_TEAM_ID",
    "DEFAULT_USER_ID",
    "ApiCall",
    "EnvelopeType",
    "FakeSlack",
    "ResponseUrlPost",
    "SlackUser",
    "app_home_opened_event",
    "app_mention_event",
    "block_actions_body",
    "block_actions_payload",
    "event_callback_body",
    "event_callback_payload",
    "message_event",
    "message_im_event",
    "new_ts",
    "signed_headers",
    "slash_command_body",
    "slash_command_payload",
]

DEFAULT_TEAM_ID: Final = "T0FAKE001"
DEFAULT_TEAM_NAME: Final = "Fake Team"
DEFAULT_TEAM_DOMAIN: Final = "fake-team"
DEFAULT_APP_ID: Final = "A0FAKEAPP"
DEFAULT_BOT_ID: Final = "B0FAKEBOT"
DEFAULT_BOT_USER_ID: Final = "U0FAKEBOT"
DEFAULT_BOT_NAME: Final = "explainbot"
DEFAULT_USER_ID: Final = "U0FAKEUSR"
DEFAULT_USER_NAME: Final = "alice"
DEFAULT_CHANNEL_ID: Final = "C0FAKECHN"
DEFAULT_CHANNEL_NAME: Final = "general"
DEFAULT_DM_CHANNEL_ID: Final = "D0FAKEDM1"
DEFAULT_BOT_TOKEN: Final = "xoxb-0000-fake-bot-token"
DEFAULT_APP_TOKEN: Final = "xapp-1-A0FAKEAPP-0000-fake-app-token"
DEFAULT_SIGNING_SECRET: Final = "fake-signing-secret"
VERIFICATION_TOKEN: Final = "fakeVerificationToken"
DEFAULT_SCOPES: Final = "app_mentions:read,chat:write,commands,im:history,users:read"

EnvelopeType = Literal["slash_commands", "events_api", "interactive"]

_P = ParamSpec("_P")
_T = TypeVar("_T")

# Arguments that slack_sdk sends JSON-encoded inside form bodies; the fake decodes them.
_JSON_ARGS: Final = frozenset({"blocks", "attachments", "metadata", "view", "unfurls"})
_MAX_TEXT: Final = 40_000
_MAX_BLOCKS: Final = 50


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ApiCall:
    """One Web API request the fake received (failed ones included).

    ``args`` merges query string and body (form or JSON) without ``token``; JSON-encoded form
    values such as ``blocks`` or ``metadata`` are decoded. ``ok``/``error``/``status`` describe
    the answer the fake gave.
    """

    method: str
    args: dict[str, Any]
    token: str | None
    http_method: str = "POST"
    status: int = 200
    ok: bool = True
    error: str | None = None


@dataclass(frozen=True)
class ResponseUrlPost:
    """A JSON body posted to a fake ``response_url`` (``/response/{key}``)."""

    key: str
    body: dict[str, Any]


@dataclass(frozen=True)
class SlackUser:
    """A workspace member answered by ``users.info``."""

    id: str
    name: str
    real_name: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    tz: str = "Europe/London"
    team_id: str = DEFAULT_TEAM_ID

    def to_api(self) -> dict[str, Any]:
        """The ``user`` object as ``users.info`` returns it."""
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": 0,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": self.name,
                "display_name_normalized": self.name,
                "team": self.team_id,
            },
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }


@dataclass
class _Failure:
    method: str
    status: int
    retry_after: int | None
    error: str
    remaining: int


@dataclass
class _Socket:
    index: int
    ws: web.WebSocketResponse
    request: web.Request
    open: bool = True
    pings: int = 0


class _ApiError(Exception):
    """Raised by a method implementation to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


MethodHandler = Callable[[ApiCall], Mapping[str, Any] | Awaitable[Mapping[str, Any]]]
"""A custom Web API method: gets the call, returns the answer's fields (``ok`` is added)."""


# --------------------------------------------------------------------------- ids and ts


class _TsClock:
    """Strictly increasing Slack timestamps ("1700000000.000123") based on wall time."""

    def __init__(self) -> None:
        self._last_us = 0

    def next(self) -> str:
        now_us = time.time_ns() // 1_000
        self._last_us = max(now_us, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"


_clock = _TsClock()
_ids = itertools.count(1)


def new_ts() -> str:
    """A fresh message timestamp, later than every ts this module handed out before."""
    return _clock.next()


def _new_trigger_id() -> str:
    return f"{int(time.time())}.{next(_ids)}.{uuid.uuid4().hex}"


def _new_event_id() -> str:
    return "Ev" + uuid.uuid4().hex[:9].upper()


def _ts_key(ts: str) -> Decimal:
    try:
        return Decimal(ts)
    except InvalidOperation:
        return Decimal(0)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


# --------------------------------------------------------------------------- the fake


class FakeSlack:
    """A fake Slack on 127.0.0.1: Web API at ``/api/{method}``, Socket Mode at ``/socket``,
    response URLs at ``/response/{key}``.

    ``bot_token``/``app_token``: when given, only that token is accepted (``invalid_auth``
    otherwise); by default any ``xoxb-``/``xoxp-`` token works for the Web API and any
    ``xapp-`` token for ``apps.connections.open``.
    """

    def __init__(
        self,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        team_name: str = DEFAULT_TEAM_NAME,
        team_domain: str = DEFAULT_TEAM_DOMAIN,
        app_id: str = DEFAULT_APP_ID,
        bot_id: str = DEFAULT_BOT_ID,
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        bot_name: str = DEFAULT_BOT_NAME,
        bot_token: str | None = None,
        app_token: str | None = None,
        scopes: str = DEFAULT_SCOPES,
        users: Iterable[SlackUser] = (),
        post_rate_limits: bool = False,
        post_per_channel_interval: float = 1.0,
        post_workspace_per_minute: int = 300,
        post_workspace_burst: int = 10,
    ) -> None:
        """``post_rate_limits`` (off by default) makes ``chat.postMessage`` answer 429 with
        ``Retry-After`` beyond Slack's published limits: one message per
        ``post_per_channel_interval`` seconds per channel, and ``post_workspace_per_minute``
        per workspace, enforced as a token bucket refilled evenly over the minute that holds
        at most ``post_workspace_burst`` messages (``rate_limited_calls`` counts the 429s)."""
        self.post_rate_limits = post_rate_limits
        self.post_per_channel_interval = post_per_channel_interval
        self.post_workspace_rate = post_workspace_per_minute / 60.0
        self.post_workspace_burst = post_workspace_burst
        self.rate_limited_calls = 0
        self._workspace_tokens = float(post_workspace_burst)
        self._workspace_updated = time.monotonic()
        self._channel_last_post: dict[str, float] = {}
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.app_id = app_id
        self.bot_id = bot_id
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self.bot_token = bot_token
        self.app_token = app_token
        self.scopes = scopes

        self.calls: list[ApiCall] = []
        """Every Web API call, in arrival order (failed and unknown ones included)."""
        self.responses: list[ResponseUrlPost] = []
        """Every JSON body posted to a response URL, in arrival order."""
        self.acks: dict[str, dict[str, Any]] = {}
        """Socket Mode acks by envelope id."""
        self.socket_messages: list[dict[str, Any]] = []
        """Every JSON message a Socket Mode client sent (acks included)."""
        self.ephemerals: list[dict[str, Any]] = []
        """Messages sent with chat.postEphemeral (``channel``, ``user`` and ``message``)."""
        self.home_views: dict[str, dict[str, Any]] = {}
        """The App Home view last published per user id."""

        self._users: dict[str, SlackUser] = {
            bot_user_id: SlackUser(bot_user_id, bot_name, is_bot=True, team_id=team_id)
        }
        for user in users:
            self._users[user.id] = user
        self._channels: dict[str, list[dict[str, Any]]] = {}
        self._failures: list[_Failure] = []
        self._custom: dict[str, MethodHandler] = {}
        self._tickets: set[str] = set()
        self._ticket_ids = itertools.count(1)
        self._sockets: list[_Socket] = []
        self._cond = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closed = False

    # ---- lifecycle

    async def start(self) -> None:
        """Start listening on 127.0.0.1 on an ephemeral port."""
        if self._runner is not None:
            raise RuntimeError("FakeSlack already started")
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_get("/socket", self._handle_socket)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])
        logger.debug("FakeSlack listening on %s", self.base_url)

    async def close(self) -> None:
        """Close open websockets (code 1001) and stop the server. Idempotent.

        Close Socket Mode clients first: a live one would try to reconnect to a dead server.
        """
        if self._closed or self._runner is None:
            self._closed = True
            return
        self._closed = True
        for sock in self._sockets:
            if sock.open and not sock.ws.closed:
                await sock.ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ---- URLs

    @property
    def port(self) -> int:
        """The TCP port (after ``start()``)."""
        if self._port is None:
            raise RuntimeError("FakeSlack is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:P``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Web API base URL for ``AsyncWebClient(base_url=...)`` (with the trailing slash)."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        """A loopback response URL; JSON posted there is recorded under ``key``."""
        return f"{self.base_url}/response/{key}"

    # ---- configuration and state

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        real_name: str = "",
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Europe/London",
    ) -> SlackUser:
        """Add (or replace) a user answered by ``users.info``."""
        user = SlackUser(
            id=user_id,
            name=name or user_id.lower(),
            real_name=real_name,
            is_admin=is_admin,
            is_owner=is_owner,
            is_primary_owner=is_primary_owner,
            is_bot=is_bot,
            deleted=deleted,
            tz=tz,
            team_id=self.team_id,
        )
        self._users[user_id] = user
        return user

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        error: str = "ratelimited",
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        The answer is ``{"ok": false, "error": error}`` with HTTP ``status``; a 429 carries
        ``Retry-After: retry_after`` (omitted when None). ``status=200`` gives a plain Slack API
        error. ``method`` may be ``"*"`` (any Web API method) or ``"response_url"`` (posts to
        response URLs, answered with ``error`` as text).
        """
        if count < 1:
            raise ValueError("count must be >= 1")
        self._failures.append(_Failure(method, status, retry_after, error, count))

    def register_method(self, method: str, handler: MethodHandler) -> None:
        """Answer ``method`` with ``handler`` (sync or async); raise nothing, return the
        fields (``ok: true`` is added unless present). Overrides a built-in method."""
        self._custom[method] = handler

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Stored messages of ``channel`` (thread replies included), oldest first."""
        return list(self._channels.get(channel, []))

    def get_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message ``ts`` of ``channel``, or None."""
        for msg in self._channels.get(channel, []):
            if msg["ts"] == ts:
                return msg
        return None

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = DEFAULT_USER_ID,
        ts: str | None = None,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Seed a message written by ``user`` (e.g. a human) into ``channel``'s history."""
        msg: dict[str, Any] = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts or new_ts(),
            "team": self.team_id,
        }
        if user == self.bot_user_id:
            msg.update(bot_id=self.bot_id, app_id=self.app_id)
        if blocks is not None:
            msg["blocks"] = blocks
        if metadata is not None:
            msg["metadata"] = metadata
        self._store(channel, msg, thread_ts)
        return msg

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode connections were accepted so far (reconnects included)."""
        return len(self._sockets)

    @property
    def open_sockets(self) -> int:
        """How many Socket Mode connections are open now."""
        return sum(1 for s in self._sockets if s.open)

    @property
    def socket_pings(self) -> int:
        """How many websocket pings the clients sent (all connections)."""
        return sum(s.pings for s in self._sockets)

    def calls_of(self, method: str, *, ok: bool | None = None) -> list[ApiCall]:
        """Recorded calls of ``method``; only successful (``ok=True``) or failed ones if set."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok is ok)]

    # ---- waiting

    async def _wait(
        self,
        find: Callable[[], _T | None],
        timeout: float,
        what: str,
    ) -> _T:
        async with self._cond:
            try:
                async with asyncio.timeout(timeout):
                    while (found := find()) is None:
                        await self._cond.wait()
            except TimeoutError:
                raise TimeoutError(f"FakeSlack: no {what} within {timeout} s") from None
        return found

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        *,
        timeout: float = 5.0,
        start: int = 0,
    ) -> ApiCall:
        """The first call of ``method`` in ``calls[start:]`` matching ``predicate``, waiting
        for it if needed (``TimeoutError`` after ``timeout`` seconds)."""

        def find() -> ApiCall | None:
            for call in itertools.islice(self.calls, start, None):
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        return await self._wait(find, timeout, f"{method} call")

    async def wait_for_response(
        self,
        key: str,
        *,
        timeout: float = 5.0,
        start: int = 0,
    ) -> dict[str, Any]:
        """The body of the first post to ``response_url(key)`` in ``responses[start:]``."""

        def find() -> dict[str, Any] | None:
            for post in itertools.islice(self.responses, start, None):
                if post.key == key:
                    return post.body
            return None

        return await self._wait(find, timeout, f"post to response URL {key!r}")

    async def wait_socket_connected(
        self,
        count: int = 1,
        *,
        timeout: float = 5.0,
    ) -> None:
        """Wait until ``count`` connections were accepted in total and one is open."""

        def find() -> bool | None:
            return True if self.socket_connections >= count and self.open_sockets else None

        await self._wait(find, timeout, f"open Socket Mode connection #{count}")

    async def wait_for_ack(
        self,
        envelope_id: str,
        *,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The ack a Socket Mode client sent for ``envelope_id``."""
        return await self._wait(
            lambda: self.acks.get(envelope_id), timeout, f"ack for envelope {envelope_id}"
        )

    # ---- Socket Mode (server side)

    async def post_envelope(
        self,
        type_: EnvelopeType,
        payload: Mapping[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5.0,
    ) -> str:
        """Push an envelope on the newest open connection (waiting up to ``timeout`` for one)
        and return its ``envelope_id`` without waiting for the ack.

        ``accepts_response_payload`` defaults as Slack sets it: true for slash commands,
        view submissions and block suggestions. ``retry_*`` are sent for ``events_api`` only.
        """
        sock = await self._wait(self._newest_open_socket, timeout, "open Socket Mode connection")
        envelope_id = str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = type_ == "slash_commands" or (
                type_ == "interactive"
                and payload.get("type") in {"view_submission", "block_suggestion"}
            )
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": dict(payload),
            "type": type_,
            "accepts_response_payload": accepts_response_payload,
        }
        if type_ == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        logger.debug("socket #%d: sending %s envelope %s", sock.index, type_, envelope_id)
        await sock.ws.send_str(json.dumps(envelope))
        return envelope_id

    async def send_envelope(
        self,
        type_: EnvelopeType,
        payload: Mapping[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """Push an envelope and return the client's ack (``{"envelope_id": ..., "payload"?}``).

        Bolt sends no ack when it does not answer 200 (e.g. no listener matched): this then
        raises ``TimeoutError``.
        """
        envelope_id = await self.post_envelope(
            type_,
            payload,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            timeout=timeout,
        )
        return await self.wait_for_ack(envelope_id, timeout=timeout)

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's ``{"type": "disconnect"}`` message; the client reconnects at once."""
        sock = self._newest_open_socket()
        if sock is None:
            raise RuntimeError("no open Socket Mode connection")
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        await sock.ws.send_str(json.dumps(message))

    async def drop_socket(
        self, *, abort: bool = True, code: int = WSCloseCode.INTERNAL_ERROR
    ) -> None:
        """Drop the newest open connection.

        ``abort=True``: reset the TCP connection without a close frame (a network failure);
        slack_sdk notices it on its next monitor tick (``ping_interval`` seconds).
        ``abort=False``: send a close frame with ``code``; slack_sdk reconnects at once.
        """
        sock = self._newest_open_socket()
        if sock is None:
            raise RuntimeError("no open Socket Mode connection")
        logger.debug("socket #%d: dropping (abort=%s)", sock.index, abort)
        if abort:
            transport = sock.request.transport
            if transport is None:
                raise RuntimeError("websocket has no transport")
            sock.open = False
            transport.abort()
            await self._notify()
        else:
            await sock.ws.close(code=code, message=b"dropped by FakeSlack")

    def _newest_open_socket(self) -> _Socket | None:
        for sock in reversed(self._sockets):
            if sock.open and not sock.ws.closed:
                return sock
        return None

    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            logger.warning("Socket Mode connection with unknown ticket %r refused", ticket)
            return web.Response(status=401, text="invalid_ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=False, heartbeat=None)
        await ws.prepare(request)
        sock = _Socket(index=len(self._sockets) + 1, ws=ws, request=request)
        hello = {
            "type": "hello",
            "num_connections": self.open_sockets + 1,
            "debug_info": {
                "host": "fake-slack-127.0.0.1",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        await ws.send_str(json.dumps(hello))
        self._sockets.append(sock)
        await self._notify()
        logger.debug("socket #%d: connected", sock.index)
        try:
            await self._read_socket(sock)
        finally:
            sock.open = False
            await self._notify()
            logger.debug("socket #%d: closed (code %s)", sock.index, ws.close_code)
        return ws

    async def _read_socket(self, sock: _Socket) -> None:
        ws = sock.ws
        while True:
            try:
                msg = await ws.receive()
            except ConnectionError:
                return
            if msg.type is WSMsgType.PING:
                sock.pings += 1
                with contextlib.suppress(ConnectionError):
                    await ws.pong(msg.data)
            elif msg.type is WSMsgType.TEXT:
                await self._on_socket_text(sock, str(msg.data))
            elif msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                return
            elif msg.type is WSMsgType.ERROR:
                logger.debug("socket #%d: error %s", sock.index, ws.exception())
                return

    async def _on_socket_text(self, sock: _Socket, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            logger.warning("socket #%d: non-JSON message %r", sock.index, data[:200])
            return
        if not isinstance(message, dict):
            logger.warning("socket #%d: unexpected message %r", sock.index, data[:200])
            return
        self.socket_messages.append(message)
        envelope_id = message.get("envelope_id")
        if isinstance(envelope_id, str):
            logger.debug("socket #%d: ack for %s", sock.index, envelope_id)
            self.acks[envelope_id] = message
        await self._notify()

    # ---- response_url

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        failure = self._take_failure("response_url")
        if failure is not None:
            return web.Response(status=failure.status, text=failure.error)
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        self.responses.append(ResponseUrlPost(key, body))
        await self._notify()
        return web.Response(text="ok", content_type="text/html")

    # ---- Web API

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method or (failure.method == "*" and method != "response_url"):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    async def _read_args(self, request: web.Request) -> tuple[dict[str, Any], str | None]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    args.update(body)
            else:
                form = await request.post()
                args.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in _JSON_ARGS & args.keys():
            value = args[key]
            if isinstance(value, str) and value[:1] in ("[", "{"):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(value)
        token: str | None = None
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer ") :].strip()
        body_token = args.pop("token", None)
        if token is None and isinstance(body_token, str):
            token = body_token
        return args, token

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise _ApiError("not_authed")
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                raise _ApiError("not_allowed_token_type")
            if self.app_token is not None and token != self.app_token:
                raise _ApiError("invalid_auth")
            return
        if token.startswith("xapp-"):
            raise _ApiError("not_allowed_token_type")
        if not token.startswith(("xoxb-", "xoxp-")):
            raise _ApiError("invalid_auth")
        if self.bot_token is not None and token != self.bot_token:
            raise _ApiError("invalid_auth")

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token = await self._read_args(request)
        call = ApiCall(method=method, args=args, token=token, http_method=request.method)
        headers = {"x-oauth-scopes": self.scopes, "x-accepted-oauth-scopes": ""}

        failure = self._take_failure(method) or self._enforce_rate_limits(method, args)
        if failure is not None:
            if failure.status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            answer: dict[str, Any] = {"ok": False, "error": failure.error}
            await self._record(replace(call, status=failure.status, ok=False, error=failure.error))
            logger.debug("%s -> injected %d %s", method, failure.status, failure.error)
            return web.json_response(answer, status=failure.status, headers=headers)

        try:
            result = await self._answer(method, call)
        except _ApiError as e:
            answer = {"ok": False, "error": e.error, **e.extra}
            await self._record(replace(call, ok=False, error=e.error))
            logger.debug("%s -> error %s", method, e.error)
            return web.json_response(answer, headers=headers)
        await self._record(call)
        logger.debug("%s -> ok", method)
        return web.json_response({"ok": True, **result}, headers=headers)

    def _enforce_rate_limits(self, method: str, args: Mapping[str, Any]) -> _Failure | None:
        """A 429 when ``post_rate_limits`` is on and this post exceeds a published limit."""
        if not self.post_rate_limits or method != "chat.postMessage":
            return None
        now = time.monotonic()
        channel = str(args.get("channel") or "")
        last = self._channel_last_post.get(channel)
        wait = 0.0
        if last is not None and now - last < self.post_per_channel_interval:
            wait = self.post_per_channel_interval - (now - last)
        self._workspace_tokens = min(
            float(self.post_workspace_burst),
            self._workspace_tokens + (now - self._workspace_updated) * self.post_workspace_rate,
        )
        self._workspace_updated = now
        if self._workspace_tokens < 1:
            wait = max(wait, (1 - self._workspace_tokens) / self.post_workspace_rate)
        if wait > 0:
            self.rate_limited_calls += 1
            return _Failure(
                method=method,
                status=429,
                retry_after=max(1, math.ceil(wait)),
                error="ratelimited",
                remaining=1,
            )
        self._workspace_tokens -= 1
        self._channel_last_post[channel] = now
        return None

    async def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        await self._notify()

    async def _answer(self, method: str, call: ApiCall) -> Mapping[str, Any]:
        custom = self._custom.get(method)
        builtin = self._methods.get(method)
        if custom is None and builtin is None:
            raise _ApiError("unknown_method", req_method=method)
        self._check_token(method, call.token)
        if custom is not None:
            result = custom(call)
            if not isinstance(result, Mapping):
                result = await result
            return result
        assert builtin is not None
        return builtin(self, call.args)

    # Built-in methods: each gets the args and returns the answer's fields (without ``ok``).

    def _bot_message(self, args: Mapping[str, Any], ts: str) -> dict[str, Any]:
        text = args.get("text")
        blocks = args.get("blocks")
        attachments = args.get("attachments")
        if not text and not blocks and not attachments:
            raise _ApiError("no_text")
        if text is not None and len(str(text)) > _MAX_TEXT:
            raise _ApiError("msg_too_long")
        if blocks is not None:
            _check_blocks(blocks)
        metadata = args.get("metadata")
        if metadata is not None:
            _check_metadata(metadata)
        msg: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": ts,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": str(text or ""),
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "team_id": self.team_id,
                "deleted": False,
            },
        }
        if blocks is not None:
            msg["blocks"] = blocks
        if attachments is not None:
            msg["attachments"] = attachments
        if metadata is not None:
            msg["metadata"] = metadata
        return msg

    def _store(self, channel: str, msg: dict[str, Any], thread_ts: str | None) -> None:
        history = self._channels.setdefault(channel, [])
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

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _api_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        ticket = str(next(self._ticket_ids))
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={ticket}&app_id={self.app_id}"}

    def _api_chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            raise _ApiError("channel_not_found")
        msg = self._bot_message(args, new_ts())
        thread_ts = args.get("thread_ts") or None
        self._store(str(channel), msg, str(thread_ts) if thread_ts else None)
        return {"channel": channel, "ts": msg["ts"], "message": dict(msg)}

    def _api_chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            raise _ApiError("channel_not_found")
        user = args.get("user")
        if not user:
            raise _ApiError("user_not_found")
        msg = self._bot_message(args, new_ts())
        if args.get("thread_ts"):
            msg["thread_ts"] = args["thread_ts"]
        self.ephemerals.append({"channel": channel, "user": user, "message": msg})
        return {"message_ts": msg["ts"]}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            raise _ApiError("channel_not_found")
        ts = str(args.get("ts") or "")
        stored = self.get_message(str(channel), ts)
        if stored is None:
            raise _ApiError("message_not_found")
        if stored.get("bot_id") != self.bot_id:
            raise _ApiError("cant_update_message")
        fresh = self._bot_message(args, ts)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in fresh:
                stored[key] = fresh[key]
        stored["edited"] = {"user": self.bot_user_id, "ts": new_ts()}
        return {"channel": channel, "ts": ts, "text": stored["text"], "message": dict(stored)}

    def _api_chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        ts = args.get("message_ts")
        if not channel:
            raise _ApiError("channel_not_found")
        if not ts:
            raise _ApiError("message_not_found")
        p_ts = str(ts).replace(".", "")
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel}/p{p_ts}"
        stored = self.get_message(str(channel), str(ts))
        if stored is not None and stored.get("thread_ts") not in (None, ts):
            permalink += f"?thread_ts={stored['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": permalink}

    def _api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args.get("user_id")
        if not user_id:
            raise _ApiError("invalid_arguments")
        if str(user_id) not in self._users:
            raise _ApiError("user_not_found")
        view = args.get("view")
        if not isinstance(view, dict) or view.get("type") != "home":
            raise _ApiError("invalid_arguments")
        blocks = view.get("blocks", [])
        _check_blocks(blocks, limit=100)
        published = {
            "id": "V" + uuid.uuid5(uuid.NAMESPACE_OID, str(user_id)).hex[:10].upper(),
            "team_id": self.team_id,
            "type": "home",
            "blocks": blocks,
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": uuid.uuid4().hex[:20],
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "root_view_id": None,
            "previous_view_id": None,
        }
        self.home_views[str(user_id)] = published
        return {"view": published}

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(args.get("user", "")))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": user.to_api()}

    def _api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", "")).split(",")
        if not users[0]:
            raise _ApiError("users_list_not_supplied")
        if users[0] not in self._users:
            raise _ApiError("user_not_found")
        return {"channel": {"id": "D" + users[0][1:]}}

    def _api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            raise _ApiError("channel_not_found")
        top_level = [
            m
            for m in self._channels.get(str(channel), [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        return self._page(top_level, args, newest_first=True)

    def _api_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            raise _ApiError("channel_not_found")
        ts = str(args.get("ts") or "")
        if self.get_message(str(channel), ts) is None:
            raise _ApiError("thread_not_found")
        thread = [
            m
            for m in self._channels.get(str(channel), [])
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        return self._page(thread, args, newest_first=False)

    @staticmethod
    def _page(
        messages: list[dict[str, Any]], args: Mapping[str, Any], *, newest_first: bool
    ) -> dict[str, Any]:
        """Filter by oldest/latest/inclusive, order, and page by limit/cursor like Slack."""
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
        offset = 0
        cursor = str(args.get("cursor") or "")
        if cursor.startswith("offset:"):
            offset = int(cursor.removeprefix("offset:"))
        limit = max(1, min(int(args.get("limit") or 100), 999))
        page = selected[offset : offset + limit]
        has_more = offset + limit < len(selected)
        with_metadata = _truthy(args.get("include_all_metadata", False))
        out = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in page
        ]
        return {
            "messages": [dict(m) for m in out],
            "has_more": has_more,
            "pin_count": 0,
            "response_metadata": {"next_cursor": f"offset:{offset + limit}" if has_more else ""},
        }

    _methods: Final[dict[str, Callable[[FakeSlack, dict[str, Any]], Mapping[str, Any]]]] = {
        "auth.test": _api_auth_test,
        "apps.connections.open": _api_apps_connections_open,
        "chat.postMessage": _api_chat_post_message,
        "chat.postEphemeral": _api_chat_post_ephemeral,
        "chat.update": _api_chat_update,
        "chat.getPermalink": _api_chat_get_permalink,
        "views.publish": _api_views_publish,
        "users.info": _api_users_info,
        "conversations.open": _api_conversations_open,
        "conversations.history": _api_conversations_history,
        "conversations.replies": _api_conversations_replies,
    }


def _check_blocks(blocks: Any, *, limit: int = _MAX_BLOCKS) -> None:
    if not isinstance(blocks, list) or len(blocks) > limit:
        raise _ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise _ApiError("invalid_blocks")


def _check_metadata(metadata: Any) -> None:
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise _ApiError("invalid_metadata_format")


# --------------------------------------------------------------------------- payload builders


def slash_command_payload(
    command: str,
    text: str = "",
    *,
    response_url: str,
    user_id: str = DEFAULT_USER_ID,
    user_name: str = DEFAULT_USER_NAME,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    channel_id: str = DEFAULT_CHANNEL_ID,
    channel_name: str = DEFAULT_CHANNEL_NAME,
    api_app_id: str = DEFAULT_APP_ID,
    trigger_id: str | None = None,
) -> dict[str, str]:
    """A slash command's fields, in Slack's order (the Socket Mode envelope payload).

    ``response_url`` has no default on purpose: use ``fake.response_url(key)`` so that
    ``respond()`` never leaves the machine.
    """
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _new_trigger_id(),
    }


def event_callback_payload(
    event: Mapping[str, Any],
    *,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    event_id: str | None = None,
    event_time: int | None = None,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
) -> dict[str, Any]:
    """An Events API ``event_callback`` wrapping ``event`` (the Socket Mode envelope payload)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or _new_event_id(),
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }


def app_mention_event(
    text: str,
    *,
    user: str = DEFAULT_USER_ID,
    channel: str = DEFAULT_CHANNEL_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
    team: str = DEFAULT_TEAM_ID,
) -> dict[str, Any]:
    """An ``app_mention`` event; ``text`` should contain the mention, e.g. ``"<@U0FAKEBOT> hi"``."""
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": team,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def message_event(
    text: str,
    *,
    user: str = DEFAULT_USER_ID,
    channel: str = DEFAULT_CHANNEL_ID,
    channel_type: str = "channel",
    ts: str | None = None,
    thread_ts: str | None = None,
    team: str = DEFAULT_TEAM_ID,
) -> dict[str, Any]:
    """A user's ``message`` event (``channel_type``: channel, group, im or mpim)."""
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": team,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def message_im_event(
    text: str,
    *,
    user: str = DEFAULT_USER_ID,
    channel: str = DEFAULT_DM_CHANNEL_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
    team: str = DEFAULT_TEAM_ID,
) -> dict[str, Any]:
    """A direct message to the bot (``message`` event with ``channel_type: im``)."""
    return message_event(
        text, user=user, channel=channel, channel_type="im", ts=ts, thread_ts=thread_ts, team=team
    )


def app_home_opened_event(
    user: str = DEFAULT_USER_ID,
    *,
    channel: str = DEFAULT_DM_CHANNEL_ID,
    tab: str = "home",
    view: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``app_home_opened`` event (``view`` is the previously published one, if any)."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": new_ts(),
    }
    if view is not None:
        event["view"] = dict(view)
    return event


def block_actions_payload(
    action_id: str,
    value: str | None = None,
    *,
    response_url: str | None,
    user_id: str = DEFAULT_USER_ID,
    user_name: str = DEFAULT_USER_NAME,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    channel_id: str | None = DEFAULT_CHANNEL_ID,
    channel_name: str = DEFAULT_CHANNEL_NAME,
    message_ts: str | None = None,
    message: Mapping[str, Any] | None = None,
    block_id: str = "actions",
    action_type: str = "button",
    button_text: str = "Button",
    view: Mapping[str, Any] | None = None,
    api_app_id: str = DEFAULT_APP_ID,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A ``block_actions`` interaction payload (the Socket Mode envelope payload).

    A click in a message by default (``message`` defaults to a bot message at
    ``message_ts``; pass a stored one from ``fake.get_message`` to be exact); with
    ``channel_id=None`` and a ``view``, a click in a view (App Home), which Slack sends
    without ``response_url``.
    """
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": new_ts(),
    }
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": button_text, "emoji": True}
    if value is not None:
        action["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
    }
    if channel_id is not None:
        ts = message_ts or (str(message["ts"]) if message is not None else new_ts())
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    else:
        view_id = str((view or {}).get("id", "V0FAKEVIEW"))
        payload["container"] = {"type": "view", "view_id": view_id}
    payload["trigger_id"] = trigger_id or _new_trigger_id()
    payload["team"] = {"id": team_id, "domain": team_domain}
    payload["enterprise"] = None
    payload["is_enterprise_install"] = False
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_name}
        payload["message"] = (
            dict(message)
            if message is not None
            else {
                "user": DEFAULT_BOT_USER_ID,
                "type": "message",
                "ts": payload["container"]["message_ts"],
                "bot_id": DEFAULT_BOT_ID,
                "app_id": api_app_id,
                "text": "",
                "team": team_id,
                "blocks": [],
            }
        )
    if view is not None:
        payload["view"] = dict(view)
    payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = [action]
    return payload


# --------------------------------------------------------------------------- HTTP bodies


def _form(payload: Mapping[str, Any]) -> str:
    return urlencode(payload)


def _json(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload)


def _interactive(payload: Mapping[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _as_body(
    build: Callable[_P, Mapping[str, Any]], encode: Callable[[Mapping[str, Any]], str], doc: str
) -> Callable[_P, str]:
    def body(*args: _P.args, **kwargs: _P.kwargs) -> str:
        return encode(build(*args, **kwargs))

    body.__name__ = build.__name__.replace("_payload", "_body")
    body.__qualname__ = body.__name__
    body.__doc__ = doc
    return body


slash_command_body = _as_body(
    slash_command_payload,
    _form,
    "A slash command HTTP body, form-encoded exactly as Slack sends it "
    "(same arguments as ``slash_command_payload``).",
)
event_callback_body = _as_body(
    event_callback_payload,
    _json,
    "An Events API HTTP body (JSON; same arguments as ``event_callback_payload``).",
)
block_actions_body = _as_body(
    block_actions_payload,
    _interactive,
    "A ``block_actions`` HTTP body: form-encoded ``payload=<json>`` "
    "(same arguments as ``block_actions_payload``).",
)


def signed_headers(
    signing_secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    content_type: str | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: signature, timestamp (now by default) and content
    type (JSON if ``body`` starts with ``{``, else form); ``retry_num``/``retry_reason`` add
    ``X-Slack-Retry-Num``/``X-Slack-Retry-Reason``; ``extra`` is merged last."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=ts, body=body)
    if content_type is None:
        content_type = (
            "application/json"
            if body.lstrip().startswith("{")
            else "application/x-www-form-urlencoded"
        )
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": str(signature),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    if extra:
        headers.update(extra)
    return headers
