"""Slack's side of Socket Mode: ``apps.connections.open`` hands out a one-use loopback
``ws://`` URL; the connection gets ``{"type": "hello"}``, then envelopes the test pushes, and
sends back ``{"envelope_id": ...}`` acks.

slack_sdk checks its connection every ``ping_interval`` seconds (Bolt's default 10 s, also
aiohttp's heartbeat). A close frame or a ``disconnect`` message makes it reconnect at once; a
dropped TCP connection only at the next check, so tests pass a small ``ping_interval``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import WSCloseCode, WSMsgType, web

from tests.fakes.loopback import Changes
from tests.fakes.slack.constants import DEFAULT_APP_ID

logger = logging.getLogger(__name__)

EnvelopeType = Literal["slash_commands", "events_api", "interactive"]


@dataclass
class _Socket:
    index: int
    ws: web.WebSocketResponse
    request: web.Request
    open: bool = True
    pings: int = 0


class SocketModeServer:
    """The Socket Mode connections of one app; ``url()`` is the server's ``ws://`` base."""

    def __init__(
        self, websockets: set[web.WebSocketResponse], changes: Changes, url: Callable[[], str]
    ) -> None:
        #: Acks by envelope id.
        self.acks: dict[str, dict[str, Any]] = {}
        self._websockets = websockets
        self._changes = changes
        self._url = url
        self._tickets: set[str] = set()
        self._ticket_ids = itertools.count(1)
        self._sockets: list[_Socket] = []

    def connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        """``apps.connections.open``: a fresh one-use URL (the app token is checked by the API)."""
        ticket = str(next(self._ticket_ids))
        self._tickets.add(ticket)
        return {"url": f"{self._url()}/socket?ticket={ticket}&app_id={DEFAULT_APP_ID}"}

    @property
    def connections(self) -> int:
        """How many connections were accepted so far (reconnects included)."""
        return len(self._sockets)

    @property
    def open_sockets(self) -> int:
        """How many connections are open now."""
        return sum(1 for s in self._sockets if s.open)

    @property
    def pings(self) -> int:
        """How many websocket pings the clients sent (all connections)."""
        return sum(s.pings for s in self._sockets)

    def _newest_open(self) -> _Socket | None:
        for sock in reversed(self._sockets):
            if sock.open and not sock.ws.closed:
                return sock
        return None

    def _require_open(self) -> _Socket:
        sock = self._newest_open()
        if sock is None:
            raise RuntimeError("no open Socket Mode connection")
        return sock

    async def wait_connected(self, count: int, timeout: float) -> None:
        """Wait until ``count`` connections were accepted in total and one is open."""

        def find() -> bool | None:
            return True if self.connections >= count and self.open_sockets else None

        await self._changes.wait_for(find, timeout, f"open Socket Mode connection #{count}")

    async def send_envelope(
        self,
        type_: EnvelopeType,
        payload: Mapping[str, Any],
        *,
        retry_attempt: int,
        retry_reason: str,
        timeout: float,
    ) -> dict[str, Any]:
        """Push an envelope on the newest open connection and return the client's ack.

        ``accepts_response_payload`` is set as Slack sets it: true for slash commands, view
        submissions and block suggestions. ``retry_*`` are sent for ``events_api`` only.
        """
        sock = await self._changes.wait_for(
            self._newest_open, timeout, "open Socket Mode connection"
        )
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": dict(payload),
            "type": type_,
            "accepts_response_payload": type_ == "slash_commands"
            or (
                type_ == "interactive"
                and payload.get("type") in {"view_submission", "block_suggestion"}
            ),
        }
        if type_ == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        logger.debug("socket #%d: sending %s envelope %s", sock.index, type_, envelope_id)
        await sock.ws.send_str(json.dumps(envelope))
        return await self._changes.wait_for(
            lambda: self.acks.get(envelope_id), timeout, f"ack for envelope {envelope_id}"
        )

    async def send_disconnect(self) -> None:
        """Send Slack's ``{"type": "disconnect"}`` message; the client reconnects at once."""
        message = {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "fake-slack"},
        }
        await self._require_open().ws.send_str(json.dumps(message))

    async def drop(self, *, abort: bool) -> None:
        """Drop the newest open connection: reset TCP (``abort``) or send a close frame 1011."""
        sock = self._require_open()
        logger.debug("socket #%d: dropping (abort=%s)", sock.index, abort)
        if not abort:
            await sock.ws.close(code=WSCloseCode.INTERNAL_ERROR, message=b"dropped by FakeSlack")
            return
        transport = sock.request.transport
        if transport is None:
            raise RuntimeError("websocket has no transport")
        sock.open = False
        transport.abort()
        await self._changes.notify()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of ``/socket?ticket=...``."""
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
            "connection_info": {"app_id": DEFAULT_APP_ID},
        }
        await ws.send_str(json.dumps(hello))
        self._sockets.append(sock)
        self._websockets.add(ws)
        await self._changes.notify()
        logger.debug("socket #%d: connected", sock.index)
        try:
            await self._read(sock)
        finally:
            sock.open = False
            self._websockets.discard(ws)
            await self._changes.notify()
            logger.debug("socket #%d: closed (code %s)", sock.index, ws.close_code)
        return ws

    async def _read(self, sock: _Socket) -> None:
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
                await self._on_text(sock, str(msg.data))
            elif msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                return
            elif msg.type is WSMsgType.ERROR:
                logger.debug("socket #%d: error %s", sock.index, ws.exception())
                return

    async def _on_text(self, sock: _Socket, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            logger.warning("socket #%d: unexpected message %r", sock.index, data[:200])
            return
        envelope_id = message.get("envelope_id")
        if isinstance(envelope_id, str):
            logger.debug("socket #%d: ack for %s", sock.index, envelope_id)
            self.acks[envelope_id] = message
            await self._changes.notify()
