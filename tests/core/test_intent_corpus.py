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
from tests.helpers import SHIPPED_KNOWLEDGE

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


# --- Blind sets -------------------------------------------------------------------------------
# Written by someone who had not seen the code, the corpus or the knowledge, and frozen before
# the first run (see the header of each file). They measure; they are never tuned on. The floors
# below are the figures measured when each set was frozen, so a change can only raise them.

BLIND_SETS = {
    # Measured 2026-11-29 on the 2026 knowledge, before any parser change: 68.2% right, 29.4%
    # confidently wrong (a card, comparison, FAQ answer or quiz about something not asked).
    # After the coverage rule, 3-4 term comparisons, quiz requests in everyday words and FAQ
    # precision: 84.1% / 11.8%; with the unexplained-question rule 81.8% / 10.0% (precision
    # first); 82.4% / 10.0% after a newcomer's try. Its messages were read while its labels
    # were mapped, so the figure that counts comes from a second blind set written after the
    # parser work.
    "intent_blind_1.yaml": (0.82, 0.10),
}
"""File → (lowest share right, highest share confidently wrong) allowed."""
CONFIDENT_KINDS = {"definition", "comparison", "faq", "quiz"}


@dataclass(frozen=True, slots=True)
class BlindCase:
    message: str
    accept: tuple[str, ...]


def load_blind(path: Path) -> list[BlindCase]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [BlindCase(str(row["m"]), tuple(row["accept"])) for row in data["messages"]]


async def blind_outcome(core: Core, message: str) -> tuple[str, set[str]]:
    """The reply's kind and every label it satisfies ("definition:rag", "faq:<id>", ...)."""
    reply = await core.message(message, BOB)
    kind = reply.kind.value
    ids = [term.id for term in reply.terms]
    labels: set[str] = {kind}
    if kind == "definition" and ids:
        labels.add(f"definition:{ids[0]}")
    elif kind == "comparison":
        labels.add("comparison:" + "+".join(ids))
    elif kind == "faq":
        labels |= {f"faq:{e.id}" for e in core.base.faq if e.question == reply.title}
    elif kind == "quiz":
        intent = IntentParser(core.base, bot_names=core.bot_names).parse(message)
        topic = intent.topic.id if isinstance(intent, QuizIntent) and intent.topic else ""
        level = intent.difficulty if isinstance(intent, QuizIntent) else None
        labels.add(f"quiz:{topic}")
        if level is not None:
            labels.add(f"quiz:{topic}/{level}")
    return kind, labels


def blind_right(accept: tuple[str, ...], labels: set[str]) -> bool:
    for wanted in accept:
        if wanted.startswith("comparison:"):
            shown = {
                term
                for label in labels
                if label.startswith("comparison:")
                for term in label.removeprefix("comparison:").split("+")
            }
            if set(wanted.removeprefix("comparison:").split("+")) <= shown:
                return True
        elif wanted in labels:
            return True
    return False


async def score_blind(core: Core, cases: list[BlindCase]) -> tuple[float, float, list[str]]:
    right = confident_wrong = 0
    misses = []
    for case in cases:
        kind, labels = await blind_outcome(core, case.message)
        if blind_right(case.accept, labels):
            right += 1
            continue
        confident = kind in CONFIDENT_KINDS
        confident_wrong += confident
        tag = "CONFIDENTLY WRONG" if confident else "miss"
        misses.append(f"  {tag} {case.message!r}: want {list(case.accept)}, got {sorted(labels)}")
    return right / len(cases), confident_wrong / len(cases), misses


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(BLIND_SETS))
async def test_blind_set(shipped_core: Core, name: str) -> None:
    cases = load_blind(DATA / name)
    right, wrong, misses = await score_blind(shipped_core, cases)
    print(f"\n{name}: {len(cases)} messages, right {right:.3f}, confidently wrong {wrong:.3f}")
    print("\n".join(misses))
    floor, ceiling = BLIND_SETS[name]
    assert right >= floor
    assert wrong <= ceiling
