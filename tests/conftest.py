"""Shared fixtures: knowledge, databases (SQLite always, PostgreSQL when reachable), a core."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.store.daily_store import DailyStore
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.helpers import POSTGRES_URL, TEST_KNOWLEDGE, postgres_reachable


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL tests: skipped on a developer machine without it, a failure in CI."""
    if postgres_reachable():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "PostgreSQL is not reachable on 127.0.0.1:5432, and CI must run the postgres tests"
        )
    skip = pytest.mark.skip(reason="PostgreSQL not reachable on 127.0.0.1:5432 (not in CI)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the test knowledge, for reload tests."""
    target = tmp_path / "knowledge"
    shutil.copytree(TEST_KNOWLEDGE, target)
    return target


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_kind(request: pytest.FixtureRequest) -> str:
    """Run a test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def database_factory(database_kind: str, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """Makes :class:`Database` objects for one isolated database (a file or a schema)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    made: list[Database] = []

    def make() -> Database:
        if database_kind == "sqlite":
            database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        else:
            database = Database(POSTGRES_URL, schema=schema)
        made.append(database)
        return database

    if database_kind == "postgres":
        asyncio.run(_postgres_schema(f"CREATE SCHEMA {schema}"))
    yield make
    if database_kind == "postgres":
        asyncio.run(_postgres_schema(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


async def _postgres_schema(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def postgres_factory() -> Iterator[Callable[[], Database]]:
    """Makes :class:`Database` objects on one fresh PostgreSQL schema (mark tests postgres)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_postgres_schema(f"CREATE SCHEMA {schema}"))
    yield lambda: Database(POSTGRES_URL, schema=schema)
    asyncio.run(_postgres_schema(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


@pytest_asyncio.fixture
async def database(database_factory: Callable[[], Database]) -> AsyncIterator[Database]:
    """A migrated, empty database."""
    db = database_factory()
    await db.migrate()
    yield db
    await db.close()


@pytest_asyncio.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database (for tests that are about the core, not storage)."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'core.db'}")
    await db.migrate()
    yield db
    await db.close()


@pytest_asyncio.fixture
async def core(sqlite_database: Database) -> AsyncIterator[Core]:
    """A core on the small test knowledge and a fresh SQLite database."""
    knowledge = await LiveKnowledge.open(TEST_KNOWLEDGE)
    store = QuizStore(sqlite_database)
    bot = Core(
        knowledge,
        store,
        store,
        database_ping=sqlite_database.ping,
        daily_repository=DailyStore(sqlite_database),
    )
    yield bot
    await bot.drain()
