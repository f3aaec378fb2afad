"""The composition root: settings → knowledge, database, stores → the core."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from bot.core.errors import StoreUnavailable
from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.settings import Settings
from bot.store.daily_store import DailyStore
from bot.store.database import Database, redact
from bot.store.quiz_store import QuizStore

logger = logging.getLogger(__name__)

MIGRATE_RETRY_SECONDS = 15.0


@dataclass(slots=True)
class Runtime:
    """Everything one bot process runs on, started and stopped together."""

    settings: Settings
    knowledge: LiveKnowledge
    database: Database
    store: QuizStore
    daily: DailyStore
    core: Core
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    database_ready: asyncio.Event = field(default_factory=asyncio.Event)

    @classmethod
    async def start(cls, settings: Settings, *, watch: bool | None = None) -> Runtime:
        """Load knowledge, open and migrate the database, build the core.

        A database that is down at start does not stop the bot: definitions and comparisons
        work at once and the migration is retried in the background.
        """
        knowledge = await LiveKnowledge.open(settings.knowledge_dir)
        database = Database(settings.database_url)
        store = QuizStore(database)
        daily = DailyStore(database)
        core = Core(
            knowledge,
            store,
            store,
            bot_names=(settings.bot_name,),
            database_ping=database.ping,
            daily_repository=daily,
        )
        runtime = cls(settings, knowledge, database, store, daily, core)
        try:
            await database.migrate()
            runtime.database_ready.set()
        except StoreUnavailable:
            logger.warning(
                "database %s unreachable at start; quiz features wait for it",
                redact(settings.database_url),
            )
            runtime.tasks.append(asyncio.create_task(runtime._migrate_when_possible()))
        if settings.watch_knowledge if watch is None else watch:
            runtime.tasks.append(asyncio.create_task(knowledge.watch()))
        return runtime

    async def _migrate_when_possible(self) -> None:
        while True:
            await asyncio.sleep(MIGRATE_RETRY_SECONDS)
            try:
                await self.database.migrate()
            except StoreUnavailable:
                continue
            self.database_ready.set()
            return

    async def close(self) -> None:
        """Stop background tasks, finish pending writes, close the database."""
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.core.drain()
        await self.database.close()
