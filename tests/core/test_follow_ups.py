"""A short follow-up builds on what the conversation just discussed, per conversation and for
a while only."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.core.conversation import TTL
from bot.core.live import LiveKnowledge
from bot.core.replies import Reply, ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.helpers import TEST_KNOWLEDGE

ANN = Requester(platform=Platform("slack"), user_id="U1", scope_id="T1", channel_id="C1")


class TurnableClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest_asyncio.fixture
async def talk(sqlite_database: Database) -> AsyncIterator[tuple[Core, TurnableClock]]:
    clock = TurnableClock()
    store = QuizStore(sqlite_database)
    core = Core(await LiveKnowledge.open(TEST_KNOWLEDGE), store, store, clock=clock)
    yield core, clock
    await core.drain()


def ids(reply: Reply) -> list[str]:
    return [term.id for term in reply.terms]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("follow_up", "kind", "terms"),
    [
        (
            "and how is it different from diffusion models?",
            ReplyKind.COMPARISON,
            ["gan", "diffusion-model"],
        ),
        ("how does it compare to transformers", ReplyKind.COMPARISON, ["gan", "transformer"]),
        ("vs llms?", ReplyKind.COMPARISON, ["gan", "llm"]),
        ("give me an example", ReplyKind.DEFINITION, ["gan"]),
        ("simpler please", ReplyKind.DEFINITION, ["gan"]),
    ],
)
async def test_a_follow_up_builds_on_the_last_answer(
    talk: tuple[Core, TurnableClock], follow_up: str, kind: ReplyKind, terms: list[str]
) -> None:
    core, _ = talk
    first = await core.message("what is a gan?", ANN, thread="C1:100.1")
    assert ids(first) == ["gan"]
    reply = await core.message(follow_up, ANN, thread="C1:100.1")
    assert reply.kind is kind
    assert ids(reply) == terms


@pytest.mark.asyncio
async def test_quiz_me_on_it_asks_about_the_last_term(talk: tuple[Core, TurnableClock]) -> None:
    core, _ = talk
    await core.message("what is a transformer", ANN, thread="C1:100.2")
    reply = await core.message("quiz me on it", ANN, thread="C1:100.2")
    assert reply.kind is ReplyKind.QUIZ
    assert "transformer" in ids(reply)


@pytest.mark.asyncio
async def test_another_conversation_knows_nothing_of_it(talk: tuple[Core, TurnableClock]) -> None:
    core, _ = talk
    await core.message("what is a gan?", ANN, thread="C1:100.1")
    elsewhere = await core.message(
        "how is it different from diffusion models?", ANN, thread="dm:D2"
    )
    assert ids(elsewhere) != ["gan", "diffusion-model"]


@pytest.mark.asyncio
async def test_a_conversation_forgets_after_a_while(talk: tuple[Core, TurnableClock]) -> None:
    core, clock = talk
    await core.message("what is a gan?", ANN, thread="C1:100.1")
    clock.at += TTL + dt.timedelta(seconds=1)
    later = await core.message("how is it different from diffusion models?", ANN, thread="C1:100.1")
    assert ids(later) != ["gan", "diffusion-model"]


@pytest.mark.asyncio
async def test_a_new_question_in_the_thread_is_answered_as_itself(
    talk: tuple[Core, TurnableClock],
) -> None:
    core, _ = talk
    await core.message("what is a gan?", ANN, thread="C1:100.1")
    reply = await core.message("what is chatgpt", ANN, thread="C1:100.1")
    assert ids(reply) == ["chatgpt"]
    again = await core.message("give me an example", ANN, thread="C1:100.1")
    assert ids(again) == ["chatgpt"]
