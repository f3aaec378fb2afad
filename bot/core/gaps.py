"""Counting what people asked for that the knowledge lacks, written in batches.

A not-found reply must not wait for the database, and a burst of them must not become a
burst of writes: counts gather in memory and are written together a moment later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

from bot.core.errors import StoreUnavailable
from bot.core.ports import GapRepository

logger = logging.getLogger(__name__)

FLUSH_AFTER_SECONDS = 2.0
PENDING_MAX = 10_000
"""Distinct (scope, query) pairs kept while the database is unreachable; more are dropped."""


class GapCounter:
    """Collects (scope, query) counts and flushes them to a :class:`GapRepository`."""

    def __init__(self, repository: GapRepository, *, every: float = FLUSH_AFTER_SECONDS) -> None:
        self.repository = repository
        self.every = every
        self._pending: Counter[tuple[str, str]] = Counter()
        self._timer: asyncio.Task[None] | None = None

    def note(self, scope_key: str, query: str) -> None:
        """Count one more request for ``query`` in ``scope_key`` (written within seconds)."""
        key = (scope_key, query)
        if key not in self._pending and len(self._pending) >= PENDING_MAX:
            return
        self._pending[key] += 1
        if self._timer is None or self._timer.done():
            self._timer = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.every)
        await self.flush()

    async def flush(self) -> None:
        """Write everything counted so far; on a database outage keep it for the next try."""
        pending, self._pending = self._pending, Counter()
        if not pending:
            return
        try:
            await self.repository.record_gaps(dict(pending))
        except StoreUnavailable:
            logger.warning("knowledge gaps not recorded yet: database unavailable")
            self._pending.update(pending)
        except Exception:
            logger.exception("knowledge gaps not recorded")

    async def close(self) -> None:
        """Stop the timer and write what is pending (shutdown, tests)."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
        await self.flush()
