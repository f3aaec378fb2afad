"""An in-memory messenger with the platforms' de-duplication behaviours, for scheduler tests."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

from bot.adapters.console.render import render_plain
from bot.core.daily.pacing import RateLimit
from bot.core.ports import Messenger
from bot.core.replies import Reply


@dataclass(slots=True)
class SentMessage:
    """A message as the platform holds it."""

    id: str
    channel_id: str
    key: str
    text: str
    sent_at: float
    edits: list[str] = field(default_factory=list)


class RecordingMessenger:
    """Keeps every message; ``dedupe_by_key`` mimics Discord's enforce_nonce,
    ``findable`` mimics Slack's metadata search."""

    def __init__(self, *, dedupe_by_key: bool = True, findable: bool = False) -> None:
        self.rate_limit = RateLimit(10_000.0, 100)
        self.dedupe_by_key = dedupe_by_key
        self.findable = findable
        self.messages: list[SentMessage] = []
        self.post_calls = 0
        self._ids = itertools.count(1)
        self.crash_after_send = False
        self.block_before_send: asyncio.Event | None = None
        self._called = asyncio.Condition()

    async def wait_for_post_calls(self, count: int) -> None:
        """Wait until ``post`` was entered at least ``count`` times."""
        async with self._called:
            await self._called.wait_for(lambda: self.post_calls >= count)

    async def post(self, channel_id: str, reply: Reply, *, key: str) -> str:
        self.post_calls += 1
        async with self._called:
            self._called.notify_all()
        if self.block_before_send is not None:
            await self.block_before_send.wait()
        if self.dedupe_by_key:
            for message in self.messages:
                if message.channel_id == channel_id and message.key == key:
                    return message.id
        message = SentMessage(
            str(next(self._ids)), channel_id, key, render_plain(reply), time.monotonic()
        )
        self.messages.append(message)
        if self.crash_after_send:
            raise asyncio.CancelledError("the process died right after sending")
        return message.id

    async def update(self, channel_id: str, message_id: str, reply: Reply) -> None:
        for message in self.messages:
            if message.id == message_id and message.channel_id == channel_id:
                message.edits.append(render_plain(reply))
                return
        raise LookupError(f"no message {message_id} in {channel_id}")

    async def find(self, channel_id: str, key: str) -> str | None:
        if not self.findable:
            return None
        for message in self.messages:
            if message.channel_id == channel_id and message.key == key:
                return message.id
        return None

    def in_channel(self, channel_id: str) -> list[SentMessage]:
        return [m for m in self.messages if m.channel_id == channel_id]


class DiesAfterSending:
    """Wraps a real messenger: the platform accepts the post, then the process dies."""

    def __init__(self, inner: Messenger) -> None:
        self.inner = inner
        self.rate_limit = inner.rate_limit

    async def post(self, channel_id: str, reply: Reply, *, key: str) -> str:
        await self.inner.post(channel_id, reply, key=key)
        raise asyncio.CancelledError("killed between send and confirm")

    async def update(self, channel_id: str, message_id: str, reply: Reply) -> None:
        await self.inner.update(channel_id, message_id, reply)

    async def find(self, channel_id: str, key: str) -> str | None:
        return await self.inner.find(channel_id, key)
