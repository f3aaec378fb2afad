"""Discord's rate-limit answers: per-route bucket headers, injected 429s and a global limit."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import time
from typing import Any


@dataclasses.dataclass
class RateLimitHit:
    """A 429 to answer: wait ``retry_after`` seconds; ``global_`` for the bot-wide limit."""

    retry_after: float
    global_: bool


@dataclasses.dataclass
class _Rule:
    method: str
    pattern: re.Pattern[str]
    hit: RateLimitHit
    remaining: int = 1


class RateLimits:
    """Decides which REST requests answer 429 Too Many Requests.

    ``global_rate_limit`` (off by default): the bot's requests beyond this many per second
    answer a global 429, enforced as a token bucket holding one second's worth (Discord: 50 per
    second); ``global_rate_limited`` counts them. :meth:`limit_next` injects one-off 429s.
    """

    def __init__(self, global_rate_limit: float | None) -> None:
        self.global_rate_limit = global_rate_limit
        self.global_rate_limited = 0
        self._tokens = float(global_rate_limit or 0)
        self._updated = time.monotonic()
        self._rules: list[_Rule] = []

    def limit_next(self, method: str, path_regex: str, retry_after: float, global_: bool) -> None:
        """Answer the next matching request (``method`` ``*``: any) with 429."""
        rule = _Rule(method.upper(), re.compile(path_regex), RateLimitHit(retry_after, global_))
        self._rules.append(rule)

    def take(self, method: str, path: str, *, bot_request: bool) -> RateLimitHit | None:
        """The 429 this request gets, if any: the global limit (bot requests only) first."""
        return (self._take_global() if bot_request else None) or self._take_injected(method, path)

    def _take_injected(self, method: str, path: str) -> RateLimitHit | None:
        for rule in self._rules:
            if rule.method in ("*", method) and rule.pattern.search(path):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                return rule.hit
        return None

    def _take_global(self) -> RateLimitHit | None:
        rate = self.global_rate_limit
        if rate is None:
            return None
        now = time.monotonic()
        self._tokens = min(rate, self._tokens + (now - self._updated) * rate)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        self.global_rate_limited += 1
        return RateLimitHit((1 - self._tokens) / rate, global_=True)


def bucket_headers(route_name: str) -> dict[str, str]:
    """The ``X-RateLimit-*`` headers of a request that was not limited."""
    bucket = hashlib.md5(route_name.encode(), usedforsecurity=False).hexdigest()
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket,
    }


def limited_answer(hit: RateLimitHit, route_name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers of a 429 as Discord sends it (discord.py retries after it)."""
    headers = bucket_headers(route_name)
    headers.update(
        {
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + hit.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{hit.retry_after:.3f}",
            "X-RateLimit-Scope": "global" if hit.global_ else "user",
            "Retry-After": str(max(1, math.ceil(hit.retry_after))),
            # discord.py treats a 429 without Via as a Cloudflare ban and does not retry.
            "Via": "1.1 google",
        }
    )
    if hit.global_:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": hit.retry_after,
        "global": hit.global_,
        "code": 0,
    }
    return body, headers
