"""The fake gateway websocket: HELLO, heartbeats, IDENTIFY (READY + GUILD_CREATE), RESUME with
replay of missed dispatches, INVALID_SESSION, member chunks, and dispatching events.

One session (one shard), plain JSON text frames only (no ETF, no zlib: discord.py asks for
zlib-stream but accepts text). A client is identified on ``/gateway`` and reconnects to the
``resume_gateway_url`` sent in READY (``/gateway-resume`` on the same server).
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import logging
import secrets
from collections.abc import Mapping
from typing import Any, Final

from aiohttp import WSMsgType, web

from tests.fakes.discord.payloads import (
    JSON,
    dumps,
    guild_create_payload,
    member_payload,
    self_user_payload,
)
from tests.fakes.discord.validation import MSG_FLAG_EPHEMERAL
from tests.fakes.discord.world import World

log = logging.getLogger(__name__)

GATEWAY_PATH: Final = "/gateway"
RESUME_GATEWAY_PATH: Final = "/gateway-resume"
HEARTBEAT_INTERVAL_MS: Final = 41_250

# Gateway intents that matter to the fake.
INTENT_GUILD_MEMBERS: Final = 1 << 1
_INTENT_GUILD_MESSAGES: Final = 1 << 9
_INTENT_DIRECT_MESSAGES: Final = 1 << 12
INTENT_MESSAGE_CONTENT: Final = 1 << 15

_TRACE: Final = ["fake-discord"]


@dataclasses.dataclass(frozen=True)
class GatewayConnection:
    """One websocket connection to the fake gateway: the path and query the client used."""

    path: str
    query: dict[str, str]


@dataclasses.dataclass
class _Session:
    session_id: str
    intents: int
    seq: int = 0
    events: list[tuple[int, str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Conn:
    ws: web.WebSocketResponse
    request: web.Request
    live: bool = False
    authenticated: bool = False


class Gateway:
    """The gateway side of the fake: sessions, connections and dispatches.

    With a ``token``, IDENTIFY and RESUME must carry it (close 4004 otherwise).
    ``echo_messages``: non-ephemeral messages the bot creates or edits over REST come back as
    MESSAGE_CREATE / MESSAGE_UPDATE, as on Discord.
    """

    def __init__(
        self,
        world: World,
        websockets: set[web.WebSocketResponse],
        *,
        token: str | None,
        echo_messages: bool,
    ) -> None:
        self.world = world
        self.token = token
        self.echo_messages = echo_messages
        #: IDENTIFY payloads (``d``) received; RESUME payloads accepted / rejected.
        self.identifies: list[JSON] = []
        self.resumes: list[JSON] = []
        self.rejected_resumes: list[JSON] = []
        #: Every websocket connection made, heartbeats received, dispatches replayed on RESUME.
        self.connections: list[GatewayConnection] = []
        self.heartbeats = 0
        self.replayed_events = 0
        self._websockets = websockets
        self._session: _Session | None = None
        self._conn: _Conn | None = None
        self._lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._invalidate_next = False

    @property
    def intents(self) -> int | None:
        """The intents of the current session's IDENTIFY."""
        return self._session.intents if self._session else None

    def forget_connection(self) -> None:
        """Drop the live connection (the server is closing)."""
        self._ready.clear()
        self._conn = None

    async def wait_until_ready(self, timeout: float) -> None:
        """Wait until a client has identified (READY + GUILD_CREATEs sent) or resumed."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no client became ready on the fake gateway in {timeout}s"
            ) from None

    # -- dispatching ------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: Mapping[str, Any]) -> int:
        """Send a dispatch (op 0) to the client; returns its sequence number.

        While the connection is down the event is only kept, and replayed on RESUME.
        """
        if self._session is None:
            raise RuntimeError("no gateway session: has a client identified with the fake?")
        async with self._lock:
            return await self._emit(event, dict(data))

    async def _emit(self, event: str, data: JSON) -> int:
        """Assign the next sequence number, keep the event, send it if live. Hold the lock."""
        session = self._session
        assert session is not None
        session.seq += 1
        text = dumps({"op": 0, "t": event, "s": session.seq, "d": data})
        session.events.append((session.seq, text))
        conn = self._conn
        if conn is not None and conn.live:
            await self._send(conn, text)
        return session.seq

    async def _send(self, conn: _Conn, payload: JSON | str) -> None:
        text = payload if isinstance(payload, str) else dumps(payload)
        try:
            await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("fake gateway send failed: %r", exc)
            conn.live = False

    def receives_messages(self, guild_id: int | None) -> bool:
        """Whether the session's intents let it receive messages of a guild (None: DMs)."""
        needed = _INTENT_GUILD_MESSAGES if guild_id is not None else _INTENT_DIRECT_MESSAGES
        return self._session is not None and bool(self._session.intents & needed)

    def message_event(self, message: JSON) -> JSON:
        """A stored message as MESSAGE_CREATE / UPDATE carry it (``guild_id`` and ``member``)."""
        data = copy.deepcopy(message)
        guild_id = self.world.guild_of_channel(int(message["channel_id"]))
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
            author = self.world.users.get(int(data["author"]["id"]))
            if author is not None and "webhook_id" not in data:
                data["member"] = member_payload(author, with_user=False)
        return data

    async def create(self, message: JSON) -> JSON:
        """Store a message the bot created and echo it as MESSAGE_CREATE; returns a copy."""
        stored = self.world.store(message)
        await self.echo("MESSAGE_CREATE", message)
        return stored

    async def echo(self, event: str, message: JSON) -> None:
        """Dispatch MESSAGE_CREATE / UPDATE for a message the bot changed over REST."""
        if not self.echo_messages or self._session is None:
            return
        if message["flags"] & MSG_FLAG_EPHEMERAL:
            return
        if self.receives_messages(self.world.guild_of_channel(int(message["channel_id"]))):
            await self.dispatch(event, self.message_event(message))

    # -- faults -----------------------------------------------------------------------------------

    async def drop(self, *, abort: bool) -> None:
        """Break the client's connection: close it with 4000, or abort the TCP transport."""
        async with self._lock:
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
            await conn.ws.close(code=4000, message=b"fake drop")

    def invalidate_session_next(self) -> None:
        """Reject the next RESUME with INVALID_SESSION (d=false), ending the session."""
        self._invalidate_next = True

    # -- the websocket ----------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of both gateway paths."""
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        conn = _Conn(ws=ws, request=request)
        self.connections.append(GatewayConnection(request.path, dict(request.query)))
        self._websockets.add(ws)
        log.debug("fake gateway: connection on %s", request.path_qs)
        try:
            hello = {"heartbeat_interval": HEARTBEAT_INTERVAL_MS, "_trace": _TRACE}
            await self._send(conn, {"op": 10, "d": hello})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        await self._on_message(conn, msg.data)
                    except Exception:
                        log.exception("fake gateway failed on %.200s", msg.data)
                        await ws.close(code=4000, message=b"Unknown error.")
                elif msg.type is WSMsgType.BINARY:
                    log.warning("fake gateway got a binary frame; only JSON text is supported")
                    await ws.close(code=4002, message=b"Error while decoding payload.")
        finally:
            self._websockets.discard(ws)
            async with self._lock:
                if self._conn is conn:
                    self.forget_connection()
            log.debug("fake gateway: connection on %s closed (%s)", request.path, ws.close_code)
        return ws

    async def _on_message(self, conn: _Conn, text: str) -> None:
        try:
            payload = json.loads(text)
        except ValueError:
            await conn.ws.close(code=4002, message=b"Error while decoding payload.")
            return
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            self.heartbeats += 1
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
        world = self.world
        async with self._lock:
            self.identifies.append(data)
            session = _Session(secrets.token_hex(16), intents=int(data.get("intents") or 0))
            self._session = session
            conn.authenticated = conn.live = True
            self._conn = conn
            ready: JSON = {
                "v": 10,
                "user": self_user_payload(world.bot_user),
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
                "session_id": session.session_id,
                "session_type": "normal",
                "resume_gateway_url": f"ws://{conn.request.host}{RESUME_GATEWAY_PATH}",
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "user_settings": {},
                "auth": {},
                "_trace": _TRACE,
            }
            if data.get("shard") is not None:
                ready["shard"] = data["shard"]
            await self._emit("READY", ready)
            members = world.members()
            # Without GUILD_MEMBERS, Discord lists only the bot itself.
            listed = members if session.intents & INTENT_GUILD_MEMBERS else members[:1]
            for guild in world.guilds.values():
                guild_create = guild_create_payload(
                    guild, listed, member_count=len(members), owner=world.default_user
                )
                await self._emit("GUILD_CREATE", guild_create)
            if self._conn is conn and conn.live:
                self._ready.set()

    async def _resume(self, conn: _Conn, data: JSON) -> None:
        async with self._lock:
            session = self._session
            if (
                session is None
                or data.get("session_id") != session.session_id
                or (self.token is not None and data.get("token") != self.token)
                or self._invalidate_next
            ):
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
            await self._emit("RESUMED", {"_trace": _TRACE})
            if self._conn is conn and conn.live:
                self._ready.set()

    async def _request_members(self, data: JSON) -> None:
        """Answer op 8 REQUEST_GUILD_MEMBERS with one GUILD_MEMBERS_CHUNK per guild."""
        guild_ids = data.get("guild_id")
        query = str(data.get("query") or "").lower()
        limit = int(data.get("limit") or 0)
        for raw in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = self.world.guilds.get(int(raw or 0))
            if guild is None:
                continue
            members = [m for m in self.world.members() if m.username.lower().startswith(query)]
            if limit:
                members = members[:limit]
            chunk: JSON = {
                "guild_id": str(guild.id),
                "members": [member_payload(m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
            }
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
