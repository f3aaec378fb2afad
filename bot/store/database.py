"""The database connection: engine set-up per dialect, transactions, migrations, errors.

SQLite (the default) runs in WAL mode and starts every transaction with ``BEGIN IMMEDIATE``
so concurrent writers queue on the busy timeout instead of failing; PostgreSQL (asyncpg) is
for deployments with several replicas. Both use the same code above this module.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.core.clock import Clock, SystemClock
from bot.core.errors import StoreUnavailable

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 7_315_001
"""PostgreSQL advisory lock id held while migrating, so replicas starting together queue."""
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    OSError,
    asyncio.TimeoutError,
)

_PING_ERRORS: tuple[type[BaseException], ...] = (*UNAVAILABLE_ERRORS, DBAPIError)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def redact(url: str) -> str:
    """The URL with any password hidden, for logs."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """An async engine plus the session factory and helpers the stores share."""

    def __init__(
        self, url: str, *, echo: bool = False, schema: str | None = None, clock: Clock | None = None
    ) -> None:
        """Prepare the engine; ``schema`` puts PostgreSQL tables in that schema (test isolation);
        ``clock`` stamps the rows the stores write."""
        self.url = make_url(url)
        self.clock = clock or SystemClock()
        self.dialect = self.url.get_backend_name()
        options: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            database = self.url.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            options["connect_args"] = {"timeout": 30}
            # One connection: SQLite has one writer at a time anyway, and queueing in the pool
            # is far cheaper than threads sleeping in SQLite's busy handler.
            options.update(pool_size=1, max_overflow=0, pool_timeout=60)
        else:
            options.update(
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=40,
                pool_timeout=15,
                connect_args={
                    "timeout": 5,
                    "command_timeout": 15,
                    **({"server_settings": {"search_path": schema}} if schema else {}),
                },
            )
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def insert(self, table: Any) -> Any:
        """An INSERT for this dialect, with ``on_conflict_do_*`` (SQLite and PostgreSQL)."""
        return (sqlite.insert if self.dialect == "sqlite" else postgresql.insert)(table)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction; connection failures become StoreUnavailable."""
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except UNAVAILABLE_ERRORS as exc:
            logger.warning("database unavailable: %s", type(exc).__name__)
            raise StoreUnavailable(str(exc)) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(str(exc)) from exc
            raise

    async def migrate(self) -> None:
        """Apply every pending Alembic migration (safe to call from several processes)."""
        try:
            async with self.engine.begin() as connection:
                if self.dialect == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK}
                    )
                await connection.run_sync(_upgrade)
        except UNAVAILABLE_ERRORS as exc:
            raise StoreUnavailable(str(exc)) from exc
        logger.info("database ready at %s", redact(str(self.url)))

    async def ping(self) -> bool:
        """True when a trivial query succeeds."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except _PING_ERRORS:
            return False
        return True

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, so it can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
