"""What every benchmark area shares: the run configuration, the generated base, a core."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.knowledge_gen import SHIPPED, GeneratedKnowledge, generate
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import load_knowledge
from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore


@dataclass(slots=True)
class Config:
    """Sizes and repetitions; ``quick`` shrinks everything for a smoke run."""

    quick: bool = False
    workdir: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="explainbot-bench-"))
    )
    _generated: GeneratedKnowledge | None = None
    _generated_base: KnowledgeBase | None = None

    @property
    def runs(self) -> int:
        """Repetitions of each measurement (median and p99 are taken over these)."""
        return 2 if self.quick else 5

    @property
    def gen_terms(self) -> int:
        """Terms in the generated base."""
        return 1_000 if self.quick else 10_000

    @property
    def gen_questions(self) -> int:
        """Quiz questions in the generated base."""
        return 2_000 if self.quick else 20_000

    @property
    def gen_faq(self) -> int:
        """FAQ entries in the generated base."""
        return 100 if self.quick else 1_000

    @property
    def gen_label(self) -> str:
        """How the generated base is named in the report."""
        return f"{self.gen_terms:,}-term base"

    def generated(self) -> GeneratedKnowledge:
        """The generated knowledge files (written once per run)."""
        if self._generated is None:
            self._generated = generate(
                self.workdir / "generated-knowledge",
                terms=self.gen_terms,
                questions=self.gen_questions,
                faq=self.gen_faq,
                comparisons=self.gen_faq // 2,
            )
        return self._generated

    def generated_base(self) -> KnowledgeBase:
        """The generated base, loaded once per run."""
        if self._generated_base is None:
            result = load_knowledge(self.generated().directory)
            if result.base is None:
                raise RuntimeError(f"generated knowledge is invalid: {result.errors[:5]}")
            self._generated_base = result.base
        return self._generated_base


def shipped_base() -> KnowledgeBase:
    """The shipped ``knowledge/`` folder, loaded."""
    result = load_knowledge(SHIPPED)
    if result.base is None:
        raise RuntimeError(f"shipped knowledge is invalid: {result.errors[:5]}")
    return result.base


@contextlib.asynccontextmanager
async def core_on(
    base: KnowledgeBase, directory: Path, database_path: Path
) -> AsyncIterator[tuple[Core, Database]]:
    """A core over ``base`` with a fresh, migrated SQLite file; closed on exit."""
    database_path.unlink(missing_ok=True)  # noqa: ASYNC240 - before the loop has work
    database = Database(f"sqlite+aiosqlite:///{database_path}")
    await database.migrate()
    store = QuizStore(database)
    core = Core(LiveKnowledge(directory, base), store, store, database_ping=database.ping)
    try:
        yield core, database
    finally:
        await core.drain()
        await database.close()


def run_async(factory: Callable[[], object]) -> object:
    """Run a coroutine factory on a fresh event loop."""
    return asyncio.run(factory())  # type: ignore[arg-type]
