"""How Slack reaches the Bolt app: an HTTP endpoint or a Socket Mode websocket."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class Transport(Protocol):
    """A running connection to Slack."""

    name: str

    @property
    def connected(self) -> bool:
        """Health: able to receive requests now."""

    async def start(self) -> None:
        """Start receiving requests."""

    async def close(self) -> None:
        """Stop receiving requests (idempotent)."""


class HttpTransport:
    """An aiohttp server with ``POST /slack/events``; Bolt verifies each signature."""

    name = "http"

    def __init__(self, app: Any, *, host: str, port: int, path: str = EVENTS_PATH) -> None:
        self._app = app
        self._host = host
        self._port = port
        self._path = path
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def _events(self, request: web.Request) -> web.Response:
        bolt_response = await self._app.async_dispatch(await to_bolt_request(request))
        response: web.Response = await to_aiohttp_response(bolt_response)
        return response

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0: an ephemeral one, see :attr:`url`)."""
        web_app = web.Application()
        web_app.router.add_post(self._path, self._events)
        runner = web.AppRunner(web_app, handle_signals=False, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, self._host, self._port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        logger.info("slack: listening on http://%s:%d%s", self._host, self.port, self._path)

    @property
    def url(self) -> str:
        """The request URL as a local client reaches it."""
        host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host
        return f"http://{host}:{self.port}{self._path}"

    @property
    def connected(self) -> bool:
        """The server is running."""
        return self._runner is not None

    async def close(self) -> None:
        """Stop the server."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


class SocketModeTransport:
    """slack_sdk's aiohttp Socket Mode client (reconnects on its own)."""

    name = "socket-mode"

    def __init__(self, app: Any, app_token: str, *, ping_interval: float = 10.0) -> None:
        self._app = app
        self._app_token = app_token
        self._ping_interval = ping_interval
        self._handler: Any = None

    async def start(self) -> None:
        """Open the websocket (``apps.connections.open`` through the app's client)."""
        self._handler = AsyncSocketModeHandler(
            self._app, self._app_token, ping_interval=self._ping_interval
        )
        await self._handler.connect_async()

    @property
    def connected(self) -> bool:
        """The websocket is open."""
        if self._handler is None:
            return False
        client = self._handler.client
        session = client.current_session
        return bool(not client.closed and session is not None and not session.closed)

    async def close(self) -> None:
        """Close the websocket and stop reconnecting."""
        handler, self._handler = self._handler, None
        if handler is not None:
            await handler.close_async()
