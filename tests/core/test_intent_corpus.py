"""Plain-language accuracy: hundreds of messages people really type, on the shipped knowledge.

``tests/data/intent_corpus.yaml`` is the corpus the parser was tuned on;
``tests/data/intent_holdout.yaml`` was written and labelled afterwards and never tuned on, so
its bar is a little lower. A message counts as right when both the reply's kind and its terms
(ids, in order) match the label. For a quiz the terms are the requested topic (the reply itself
carries the terms of whichever question was drawn).

Run with ``-s`` to see every miss.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml
from rapidfuzz import process

from bot.core.intents import IntentParser, QuizIntent
from bot.core.live import LiveKnowledge
from bot.core.replies import ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.conftest import SHIPPED_KNOWLEDGE

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "intent_corpus.yaml"
HOLDOUT = DATA / "intent_holdout.yaml"
KINDS = {"definition", "comparison", "faq", "quiz", "help", "not_found"}
MAX_FUZZY_CALLS = 16
"""No message may run more rapidfuzz scans over the term or FAQ lists than this."""

BOB = Requester(platform=Platform("slack"), user_id="U42", scope_id="T1", display_name="Bob")


@dataclass(frozen=True, slots=True)
class Case:
    message: str
    kind: str
    terms: tuple[str, ...]


@dataclass(slots=True)
class Outcome:
    case: Case
    kind: str
    terms: tuple[str, ...]
    fuzzy_calls: int

    @property
    def kind_right(self) -> bool:
        return self.kind == self.case.kind

    @property
    def right(self) -> bool:
        return self.kind_right and self.terms == self.case.terms


def load(path: Path) -> list[Case]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(str(row["m"]), str(row["k"]), tuple(row["t"])) for row in data["messages"]]


@pytest_asyncio.fixture
async def shipped_core(tmp_path: Path) -> AsyncIterator[Core]:
    """A core on the shipped knowledge and a fresh SQLite database."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'corpus.db'}")
    await database.migrate()
    knowledge = await LiveKnowledge.open(SHIPPED_KNOWLEDGE)
    store = QuizStore(database)
    bot = Core(knowledge, store, store, database_ping=database.ping)
    yield bot
    await bot.drain()
    await database.close()


@pytest.fixture
def fuzzy_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts rapidfuzz ``process`` scans made by the lookup and the FAQ matcher."""
    calls = [0]

    def counted(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            return function(*args, **kwargs)

        return wrapper

    # The lookup and the FAQ matcher both call through the shared rapidfuzz.process module.
    monkeypatch.setattr(process, "extract", counted(process.extract))
    monkeypatch.setattr(process, "extractOne", counted(process.extractOne))
    return calls


async def run(core: Core, cases: list[Case], calls: list[int]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        before = calls[0]
        reply = await core.message(case.message, BOB)
        used = calls[0] - before
        kind = reply.kind.value
        terms = tuple(term.id for term in reply.terms)
        if reply.kind is ReplyKind.QUIZ:
            intent = IntentParser(core.base, bot_names=core.bot_names).parse(case.message)
            topic = intent.topic if isinstance(intent, QuizIntent) else None
            terms = (topic.id,) if topic else ()
        outcomes.append(Outcome(case, kind, terms, used))
    return outcomes


def report(name: str, outcomes: list[Outcome]) -> tuple[float, float]:
    accuracy = sum(o.right for o in outcomes) / len(outcomes)
    kind_accuracy = sum(o.kind_right for o in outcomes) / len(outcomes)
    print(f"\n{name}: {len(outcomes)} messages, accuracy {accuracy:.3f}, kind {kind_accuracy:.3f}")
    for o in outcomes:
        if not o.right:
            print(
                f"  MISS {o.case.message!r}: want {o.case.kind} {list(o.case.terms)}, "
                f"got {o.kind} {list(o.terms)}"
            )
    return accuracy, kind_accuracy


def test_corpus_labels_are_valid() -> None:
    terms: set[str] = set()
    for path in sorted((SHIPPED_KNOWLEDGE / "terms").glob("*.yaml")):
        terms |= {t["id"] for t in yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]}
    cases = load(CORPUS) + (load(HOLDOUT) if HOLDOUT.exists() else [])
    assert len(load(CORPUS)) >= 300
    for case in cases:
        assert case.kind in KINDS, case
        assert set(case.terms) <= terms, case
        if case.kind in {"help", "not_found"}:
            assert case.terms == (), case
    named = {term for case in load(CORPUS) for term in case.terms}
    assert named == terms, f"terms the corpus never mentions: {sorted(terms - named)}"


@pytest.mark.asyncio
async def test_corpus_accuracy(shipped_core: Core, fuzzy_counter: list[int]) -> None:
    outcomes = await run(shipped_core, load(CORPUS), fuzzy_counter)
    accuracy, kind_accuracy = report("corpus", outcomes)
    assert accuracy >= 0.95
    assert kind_accuracy >= 0.97
    heaviest = max(outcomes, key=lambda o: o.fuzzy_calls)
    assert heaviest.fuzzy_calls <= MAX_FUZZY_CALLS, heaviest.case.message


@pytest.mark.asyncio
async def test_holdout_accuracy(shipped_core: Core, fuzzy_counter: list[int]) -> None:
    outcomes = await run(shipped_core, load(HOLDOUT), fuzzy_counter)
    accuracy, _ = report("hold-out", outcomes)
    assert accuracy >= 0.9
    assert max(o.fuzzy_calls for o in outcomes) <= MAX_FUZZY_CALLS
