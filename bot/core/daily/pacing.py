"""Pacing sends to a platform's published rate limit, so a fan-out never triggers 429s."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A pace: ``rate`` sends per second on average, ``burst`` at once."""

    rate: float
    burst: int = 1

    def bucket(self) -> TokenBucket:
        """A fresh token bucket at this pace."""
        return TokenBucket(self.rate, self.burst)


class TokenBucket:
    """Allows ``rate`` acquisitions per second on average, ``burst`` at once.

    Waiters are served in arrival order; the bucket computes when the next token is free and
    sleeps until then, so N sends take about (N - burst) / rate seconds: the floor the
    limit allows.
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a token.

        Tokens are recomputed from the clock after every sleep, so time a sleep overshoots
        is credited to the next caller instead of lost (5,000 sends each oversleeping a
        millisecond would otherwise add five seconds).
        """
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)
