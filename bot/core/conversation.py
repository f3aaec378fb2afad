"""What was just discussed in a conversation, so a short follow-up can build on it.

A conversation is whatever the adapter names by a key: a Slack thread, the chain of replies to
a Discord message, a direct-message channel, the terminal. Keys are never shared between
users' direct messages because each DM channel is its own key. Entries expire after
:data:`TTL` and the store keeps at most :data:`MAX_CONVERSATIONS` (the oldest go first).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from bot.core.clock import Clock

TTL = dt.timedelta(minutes=30)
MAX_CONVERSATIONS = 10_000


@dataclass(frozen=True, slots=True)
class Topic:
    """The terms of the last reply in a conversation (ids, in order) and when it was given."""

    term_ids: tuple[str, ...]
    at: dt.datetime


class Conversations:
    """An in-memory, size-bounded, expiring map from conversation keys to their last topic."""

    def __init__(self, clock: Clock, *, ttl: dt.timedelta = TTL, size: int = MAX_CONVERSATIONS):
        self._clock = clock
        self._ttl = ttl
        self._size = size
        self._topics: OrderedDict[str, Topic] = OrderedDict()

    def last(self, key: str) -> tuple[str, ...]:
        """The term ids last discussed under ``key``; empty when none or expired."""
        topic = self._topics.get(key)
        if topic is None:
            return ()
        if self._clock.now() - topic.at > self._ttl:
            del self._topics[key]
            return ()
        return topic.term_ids

    def remember(self, key: str, term_ids: tuple[str, ...]) -> None:
        """Note what ``key``'s conversation is now about (nothing to note: left as it was)."""
        if not term_ids:
            return
        self._topics[key] = Topic(term_ids, self._clock.now())
        self._topics.move_to_end(key)
        while len(self._topics) > self._size:
            self._topics.popitem(last=False)
