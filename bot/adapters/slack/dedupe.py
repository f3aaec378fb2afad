"""A bounded time-to-live set: Slack redelivers events it thinks were missed; answer once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEDUPE_SECONDS = 600.0
"""Slack retries three times within about five minutes; keep keys twice that long."""
DEDUPE_MAX_KEYS = 10_000


class SeenCache:
    """Remembers keys for ``ttl`` seconds, at most ``max_keys`` of them (oldest dropped)."""

    def __init__(
        self,
        *,
        ttl: float = DEDUPE_SECONDS,
        max_keys: int = DEDUPE_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[Hashable, float] = OrderedDict()

    def first_time(self, key: Hashable) -> bool:
        """True the first time ``key`` is offered within the TTL (and remembers it)."""
        now = self._clock()
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self._max_keys:
                break
            del self._seen[oldest]
        if key in self._seen:
            return False
        self._seen[key] = now + self._ttl
        return True

    def __len__(self) -> int:
        return len(self._seen)
