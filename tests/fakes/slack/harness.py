"""The fake Slack server tests start: Web API transport (tokens, recording, injected failures,
rate limits), response URLs, and the Socket Mode and workspace it serves."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from aiohttp import web

from tests.fakes.loopback import Changes, LoopbackServer
from tests.fakes.slack.constants import (
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_SCOPES,
    DEFAULT_TEAM_ID,
)
from tests.fakes.slack.socket_mode import EnvelopeType, SocketModeServer
from tests.fakes.slack.web_api import ApiError, Method, SlackUser, Workspace

logger = logging.getLogger(__name__)

# Arguments that slack_sdk sends JSON-encoded inside form bodies; the fake decodes them.
_JSON_ARGS: Final = frozenset({"blocks", "attachments", "metadata", "view", "unfurls"})


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
    status: int = 200
    ok: bool = True
    error: str | None = None


@dataclass(frozen=True)
class ResponseUrlPost:
    """A JSON body posted to a fake ``response_url`` (``/response/{key}``)."""

    key: str
    body: dict[str, Any]


@dataclass
class _Failure:
    method: str
    status: int
    retry_after: int | None
    error: str


class _PostRateLimits:
    """Slack's published ``chat.postMessage`` limits: one message per ``per_channel_interval``
    seconds per channel, and ``per_minute`` per workspace as a token bucket refilled evenly
    over the minute that holds at most ``burst`` messages."""

    def __init__(self, per_minute: int, burst: int, per_channel_interval: float = 1.0) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.per_channel_interval = per_channel_interval
        self._tokens = float(burst)
        self._updated = time.monotonic()
        self._channel_last_post: dict[str, float] = {}

    def wait(self, channel: str) -> float:
        """Seconds to wait before posting in ``channel``; 0 takes a token and posts."""
        now = time.monotonic()
        last = self._channel_last_post.get(channel)
        wait = 0.0
        if last is not None and now - last < self.per_channel_interval:
            wait = self.per_channel_interval - (now - last)
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens < 1:
            wait = max(wait, (1 - self._tokens) / self.rate)
        if wait <= 0:
            self._tokens -= 1
            self._channel_last_post[channel] = now
        return wait


class FakeSlack(LoopbackServer):
    """A fake Slack on 127.0.0.1: Web API at ``/api/{method}``, Socket Mode at ``/socket``,
    response URLs at ``/response/{key}``.

    Any ``xoxb-``/``xoxp-`` token works for the Web API and any ``xapp-`` token for
    ``apps.connections.open``. Web API errors are Slack-shaped (``{"ok": false, "error": ...}``
    with HTTP 200); injected failures (:meth:`fail_next`) use whatever HTTP status they are
    given, 429 with a ``Retry-After`` header as Slack does. ``post_rate_limits`` (off by
    default) makes ``chat.postMessage`` answer 429 beyond Slack's published limits (1 per
    second per channel, ``post_workspace_per_minute`` per workspace with bursts of
    ``post_workspace_burst``); ``rate_limited_calls`` counts those 429s.

    Close Socket Mode clients before the fake, or they keep trying to reconnect.
    """

    def __init__(
        self,
        *,
        post_rate_limits: bool = False,
        post_workspace_per_minute: int = 300,
        post_workspace_burst: int = 10,
    ) -> None:
        super().__init__()
        self.team_id = DEFAULT_TEAM_ID
        self.bot_id = DEFAULT_BOT_ID
        self.bot_user_id = DEFAULT_BOT_USER_ID
        self._changes = Changes()
        self._workspace = Workspace()
        self._socket_mode = SocketModeServer(
            self._websockets, self._changes, lambda: f"ws://127.0.0.1:{self.port}"
        )
        self._methods: dict[str, Method] = {
            **self._workspace.methods(),
            "apps.connections.open": self._socket_mode.connections_open,
        }
        self._post_limits = (
            _PostRateLimits(post_workspace_per_minute, post_workspace_burst)
            if post_rate_limits
            else None
        )
        self._failures: list[_Failure] = []
        self.rate_limited_calls = 0
        #: Every Web API call, in arrival order (failed and unknown ones included).
        self.calls: list[ApiCall] = []
        #: Every JSON body posted to a response URL, in arrival order.
        self.responses: list[ResponseUrlPost] = []
        #: Messages sent with chat.postEphemeral (``channel``, ``user`` and ``message``).
        self.ephemerals = self._workspace.ephemerals
        #: The App Home view last published per user id.
        self.home_views = self._workspace.home_views

    def _routes(self, router: web.UrlDispatcher) -> None:
        router.add_route("*", "/api/{method}", self._handle_api)
        router.add_post("/response/{key}", self._handle_response_url)
        router.add_get("/socket", self._socket_mode.handle)

    @property
    def api_url(self) -> str:
        """Web API base URL for ``AsyncWebClient(base_url=...)`` (with the trailing slash)."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        """A loopback response URL; JSON posted there is recorded under ``key``."""
        return f"{self.base_url}/response/{key}"

    # ---- the workspace

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> SlackUser:
        """Add (or replace) a user answered by ``users.info``."""
        user = SlackUser(user_id, name or user_id.lower(), is_admin=is_admin, is_owner=is_owner)
        self._workspace.users[user_id] = user
        return user

    def add_message(self, channel: str, text: str) -> dict[str, Any]:
        """Seed a message written by a human into ``channel``'s history."""
        return self._workspace.add_message(channel, text)

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Stored messages of ``channel`` (thread replies included), oldest first."""
        return list(self._workspace.channels.get(channel, []))

    def get_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The stored message ``ts`` of ``channel``, or None."""
        return self._workspace.get_message(channel, ts)

    # ---- Web API transport

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        error: str = "ratelimited",
    ) -> None:
        """Make the next call of ``method`` fail with ``{"ok": false, "error": error}`` and HTTP
        ``status`` (200: a plain Slack API error); a 429 carries ``Retry-After: retry_after``
        (omitted when None)."""
        self._failures.append(_Failure(method, status, retry_after, error))

    def _take_failure(self, method: str, args: Mapping[str, Any]) -> _Failure | None:
        """An injected failure for ``method``, else a 429 from the post rate limits."""
        for failure in self._failures:
            if failure.method == method:
                self._failures.remove(failure)
                return failure
        if self._post_limits is None or method != "chat.postMessage":
            return None
        wait = self._post_limits.wait(str(args.get("channel") or ""))
        if wait <= 0:
            return None
        self.rate_limited_calls += 1
        return _Failure(method, 429, max(1, math.ceil(wait)), "ratelimited")

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
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        body_token = args.pop("token", None)
        if token is None and isinstance(body_token, str):
            token = body_token
        return args, token

    @staticmethod
    def _check_token(method: str, token: str | None) -> None:
        if not token:
            raise ApiError("not_authed")
        app_level = method == "apps.connections.open"
        if token.startswith("xapp-") != app_level:
            raise ApiError("not_allowed_token_type")
        if not app_level and not token.startswith(("xoxb-", "xoxp-")):
            raise ApiError("invalid_auth")

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token = await self._read_args(request)
        call = ApiCall(method=method, args=args, token=token)
        headers = {"x-oauth-scopes": DEFAULT_SCOPES, "x-accepted-oauth-scopes": ""}
        failure = self._take_failure(method, args)
        if failure is not None:
            if failure.status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            await self._record(replace(call, status=failure.status, ok=False, error=failure.error))
            logger.debug("%s -> injected %d %s", method, failure.status, failure.error)
            answer = {"ok": False, "error": failure.error}
            return web.json_response(answer, status=failure.status, headers=headers)
        try:
            implementation = self._methods.get(method)
            if implementation is None:
                raise ApiError("unknown_method", req_method=method)
            self._check_token(method, token)
            result = implementation(args)
        except ApiError as e:
            await self._record(replace(call, ok=False, error=e.error))
            logger.debug("%s -> error %s", method, e.error)
            return web.json_response({"ok": False, "error": e.error, **e.extra}, headers=headers)
        await self._record(call)
        logger.debug("%s -> ok", method)
        return web.json_response({"ok": True, **result}, headers=headers)

    async def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        await self._changes.notify()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        self.responses.append(ResponseUrlPost(request.match_info["key"], body))
        await self._changes.notify()
        return web.Response(text="ok", content_type="text/html")

    # ---- what the bot did

    def calls_of(self, method: str, *, ok: bool | None = None) -> list[ApiCall]:
        """Recorded calls of ``method``; only successful (``ok=True``) or failed ones if set."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok is ok)]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> ApiCall:
        """The first call of ``method`` matching ``predicate``, waiting for it if needed
        (``TimeoutError`` after ``timeout`` seconds)."""

        def find() -> ApiCall | None:
            calls = self.calls_of(method)
            return next((c for c in calls if predicate is None or predicate(c)), None)

        return await self._changes.wait_for(find, timeout, f"{method} call")

    async def wait_for_response(self, key: str, *, timeout: float = 5.0) -> dict[str, Any]:
        """The body of the first post to ``response_url(key)``."""

        def find() -> dict[str, Any] | None:
            return next((post.body for post in self.responses if post.key == key), None)

        return await self._changes.wait_for(find, timeout, f"post to response URL {key!r}")

    # ---- Socket Mode

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode connections were accepted so far (reconnects included)."""
        return self._socket_mode.connections

    @property
    def open_sockets(self) -> int:
        """How many Socket Mode connections are open now."""
        return self._socket_mode.open_sockets

    @property
    def socket_pings(self) -> int:
        """How many websocket pings the clients sent (all connections)."""
        return self._socket_mode.pings

    async def wait_socket_connected(self, count: int = 1, *, timeout: float = 5.0) -> None:
        """Wait until ``count`` connections were accepted in total and one is open."""
        await self._socket_mode.wait_connected(count, timeout)

    async def send_envelope(
        self,
        type_: EnvelopeType,
        payload: Mapping[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any]:
        """Push an envelope on the newest open connection (waiting up to 5 s for one) and
        return the client's ack (``{"envelope_id": ..., "payload"?}``).

        Bolt sends no ack when it does not answer 200 (e.g. no listener matched): this then
        raises ``TimeoutError``. ``retry_*`` are sent for ``events_api`` only.
        """
        return await self._socket_mode.send_envelope(
            type_, payload, retry_attempt=retry_attempt, retry_reason=retry_reason, timeout=5.0
        )

    async def send_disconnect(self) -> None:
        """Send Slack's ``{"type": "disconnect"}`` message; the client reconnects at once."""
        await self._socket_mode.send_disconnect()

    async def drop_socket(self, *, abort: bool = True) -> None:
        """Drop the newest open connection.

        ``abort=True``: reset the TCP connection without a close frame (a network failure);
        slack_sdk notices it on its next monitor tick (``ping_interval`` seconds).
        ``abort=False``: send a close frame 1011; slack_sdk reconnects at once.
        """
        await self._socket_mode.drop(abort=abort)
