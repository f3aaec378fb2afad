"""The knowledge the bot serves right now, reloaded without a restart.

Files are read and validated in a worker thread, never on the event loop. A good load replaces
the whole snapshot in one assignment; a bad one leaves the last good snapshot in place and
logs every error, so a half-saved file never takes the bot down.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from pathlib import Path

from watchfiles import Change, awatch

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import PATTERNS, LoadResult, ParseCache, load_knowledge

logger = logging.getLogger(__name__)

WATCH_DEBOUNCE_MS = 300
"""Editors save in bursts; changes within this window trigger one reload."""


class KnowledgeLoadError(Exception):
    """The knowledge could not be loaded at start-up; carries the load result."""

    def __init__(self, result: LoadResult) -> None:
        lines = "\n".join(str(error) for error in result.errors[:20])
        super().__init__(f"{len(result.errors)} problem(s) in the knowledge files:\n{lines}")
        self.result = result


async def _load_quietly(directory: Path, cache: ParseCache) -> LoadResult:
    """Load in a worker thread without cyclic garbage collection pauses on the event loop.

    A large load allocates millions of objects; full collector passes would walk the whole heap
    while holding the GIL and stall the loop for hundreds of milliseconds. The loader pauses the
    collector while it runs, and what survives the load (the new knowledge, which lives until
    the next reload and is then freed by reference counting) is frozen out of later passes.
    """
    # Paused here, not only inside the loader: re-enabling it before the freeze would let
    # the next allocation on the loop start a full pass over everything just loaded.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return await asyncio.to_thread(load_knowledge, directory, cache=cache)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _is_knowledge_file(_change: Change, path: str) -> bool:
    return any(Path(path).match(pattern) for pattern in PATTERNS)


class LiveKnowledge:
    """Holds the current :class:`KnowledgeBase` and swaps it on a successful reload."""

    def __init__(self, directory: Path, base: KnowledgeBase) -> None:
        self.directory = directory
        self._base = base
        self._lock = asyncio.Lock()
        self.last_result: LoadResult | None = None
        self.reloads = 0
        self.attempts = 0
        self._cache = ParseCache()

    @classmethod
    async def open(cls, directory: Path) -> LiveKnowledge:
        """Load ``directory``; raise :class:`KnowledgeLoadError` if it has errors."""
        cache = ParseCache()
        result = await _load_quietly(directory, cache)
        if result.base is None:
            raise KnowledgeLoadError(result)
        live = cls(directory, result.base)
        live.last_result = result
        live._cache = cache
        return live

    @property
    def current(self) -> KnowledgeBase:
        """The snapshot to answer with; take it once per request."""
        return self._base

    async def reload(self) -> LoadResult:
        """Reload from disk; keep the old snapshot when the new files have errors."""
        async with self._lock:
            result = await _load_quietly(self.directory, self._cache)
            self.last_result = result
            if result.base is not None:
                self._base = result.base
                self.reloads += 1
            self.attempts += 1
            if result.base is None:
                logger.error(
                    "knowledge reload rejected, still serving the previous version: %d error(s)",
                    len(result.errors),
                )
                for error in result.errors[:50]:
                    logger.error("  %s", error)
                return result
            logger.info(
                "knowledge reloaded in %.0f ms: %s",
                result.seconds * 1000,
                ", ".join(f"{count} {kind}" for kind, count in result.base.counts().items()),
            )
            return result

    async def watch(self, stop: asyncio.Event | None = None) -> None:
        """Reload whenever a knowledge file changes, until ``stop`` is set or cancelled."""
        logger.info("watching %s for knowledge edits", self.directory)
        async for _changes in awatch(
            self.directory,
            watch_filter=_is_knowledge_file,
            debounce=WATCH_DEBOUNCE_MS,
            stop_event=stop,
            recursive=True,
        ):
            await self.reload()
