"""The fake's REST API under ``/api/v10``: routing, bot-token auth, 429s and recording.

Every answer carries Discord's rate-limit headers and ``Content-Type`` exactly
``application/json`` (discord.py compares it verbatim; with ``; charset=utf-8`` login fails).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeAlias

from aiohttp import web

from tests.fakes.discord.payloads import JSON, dumps
from tests.fakes.discord.ratelimits import RateLimits, bucket_headers, limited_answer
from tests.fakes.loopback import Changes

log = logging.getLogger(__name__)

API_PREFIX: Final = "/api/v10"


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """A REST request the fake received, with the status it answered.

    ``path`` is relative to the API base (``/channels/1/messages``, no ``/api/v10``); ``json``
    is the parsed JSON body (None when there was none).
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int = 0

    def matches(self, method: str, path_regex: str) -> bool:
        """Whether the method is ``method`` (``*``: any) and ``path_regex`` is found in path."""
        return (method == "*" or self.method == method.upper()) and (
            re.search(path_regex, self.path) is not None
        )


@dataclasses.dataclass(frozen=True)
class Ctx:
    """One request as a route handler sees it: ``params`` are the path template's fields."""

    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any


@dataclasses.dataclass
class Reply:
    """A handler's answer: status and JSON body (None: no body)."""

    status: int
    body: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


Handler: TypeAlias = Callable[[Ctx], Awaitable[Reply]]


def ok(body: Any = None, status: int = 200) -> Reply:
    """A success answer: ``body`` with ``status``, or 204 No Content without a body."""
    return Reply(status if body is not None else 204, body)


def error(status: int, code: int, message: str, errors: JSON | None = None) -> Reply:
    """A Discord error body ``{"message", "code"[, "errors"]}``."""
    body: JSON = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return Reply(status, body)


def unknown(what: str) -> Reply:
    """404 for an unknown channel, message, interaction or webhook, with Discord's code."""
    codes = {"Channel": 10003, "Message": 10008, "Webhook": 10015, "interaction": 10062}
    return error(404, codes[what], f"Unknown {what}")


def digits(raw: str) -> int | None:
    """A path field as an id, None if it is not a number."""
    return int(raw) if raw.isdigit() else None


class RestApi:
    """Answers ``/api/v10/{route}`` with the handlers added by :meth:`add`, recording every
    request in ``requests``. With a ``token``, the bot's requests must carry ``Bot {token}``
    (401 otherwise); interaction callbacks and webhooks need none, as on Discord."""

    def __init__(self, *, token: str | None, rate_limits: RateLimits) -> None:
        self.token = token
        self.rate_limits = rate_limits
        #: Every REST request, in arrival order.
        self.requests: list[RecordedRequest] = []
        self.changes = Changes()
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        """Route ``method template`` (``{field}`` matches one path segment) to ``handler``."""
        regex = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", template)
        self._routes.append((method, re.compile(f"^{regex}$"), f"{method} {template}", handler))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for ``/api/v10/{tail}``."""
        path = "/" + request.match_info["tail"]
        method = request.method
        query = dict(request.query)
        route_name = f"{method} {path}"
        body: Any = None
        reply: Reply | None = None
        try:
            raw = await request.read()
            body = json.loads(raw.decode()) if raw else None
        except (ValueError, UnicodeDecodeError):
            reply = error(400, 50109, "The request body contains invalid JSON.")
        handler: Handler | None = None
        params: dict[str, str] = {}
        for route_method, pattern, name, candidate in self._routes:
            match = pattern.match(path)
            if match is not None and route_method == method:
                handler, params, route_name = candidate, match.groupdict(), name
                break
        bot_request = not path.startswith(("/interactions/", "/webhooks/"))
        if reply is None and (hit := self.rate_limits.take(method, path, bot_request=bot_request)):
            log.debug("fake Discord answers 429 to %s %s", method, path)
            reply = Reply(429, *limited_answer(hit, route_name))
        if reply is None and handler is None:
            log.warning("fake Discord has no route for %s %s", method, path)
            reply = error(404, 0, "404: Not Found")
        if (
            reply is None
            and bot_request
            and self.token is not None
            and request.headers.get("Authorization") != f"Bot {self.token}"
        ):
            reply = error(401, 0, "401: Unauthorized")
        if reply is None and handler is not None:
            try:
                reply = await handler(Ctx(path, params, query, body))
            except Exception:
                log.exception("fake Discord failed on %s %s", method, path)
                reply = error(500, 0, "500: Internal Server Error")
        assert reply is not None
        self.requests.append(RecordedRequest(method, path, query, body, reply.status))
        await self.changes.notify()
        headers = bucket_headers(route_name)
        headers.update(reply.headers)
        if reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        return web.Response(
            status=reply.status,
            body=dumps(reply.body).encode(),
            content_type="application/json",  # exactly this: discord.py compares it verbatim
            headers=headers,
        )

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float, since: int
    ) -> RecordedRequest:
        """The first request in ``requests[since:]`` satisfying ``predicate``, waiting for it."""

        def find() -> RecordedRequest | None:
            return next((r for r in self.requests[since:] if predicate(r)), None)

        try:
            return await self.changes.wait_for(find, timeout, "matching request")
        except TimeoutError as exc:
            seen = "\n  ".join(f"{r.status} {r.method} {r.path}" for r in self.requests)
            raise TimeoutError(f"{exc}; seen:\n  {seen}") from None
