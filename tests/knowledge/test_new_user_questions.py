"""What a new colleague asks first, answered from the shipped knowledge: the right card or
FAQ answer, never a card about something else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.adapters.console.render import render_plain
from bot.core.live import LiveKnowledge
from bot.core.replies import ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.helpers import SHIPPED_KNOWLEDGE

CAROL = Requester(platform=Platform("slack"), user_id="U7", scope_id="T1", display_name="Carol")


@pytest_asyncio.fixture
async def shipped(tmp_path: Path) -> AsyncIterator[Core]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'new-user.db'}")
    await database.migrate()
    store = QuizStore(database)
    core = Core(await LiveKnowledge.open(SHIPPED_KNOWLEDGE), store, store)
    yield core
    await core.drain()
    await database.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "term_id"),
    [
        ("what are AI agents?", "ai-agent"),
        ("what is RAG?", "rag"),
        ("what's a context window?", "context-window"),
        ("what is gpt-5?", "gpt-5"),
        ("what is gpt-4o", "gpt-4o"),
        ("what is gpt 5.1", "gpt-5"),
        ("what is MCP", "mcp"),
        ("explain mixture of experts", "mixture-of-experts"),
        ("what is the EU AI Act", "eu-ai-act"),
        ("what is shadow AI?", "shadow-ai"),
        ("what is gpt-oss", "gpt-oss"),
        ("what is a reasoning model", "reasoning-model"),
        # Chatter around a term is not a different concept.
        ("whats rag lol", "rag"),
        ("can someone explain transformers like im 5", "transformer"),
        ("what does the temperature setting in chatgpt do", "temperature"),
        ("what's a parameter in a model, like when they say 70b", "parameters"),
    ],
)
async def test_a_definition_question_gets_that_terms_card(
    shipped: Core, message: str, term_id: str
) -> None:
    reply = await shipped.message(message, CAROL)
    assert reply.kind is ReplyKind.DEFINITION, render_plain(reply)
    assert [term.id for term in reply.terms] == [term_id]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("can I paste customer data into ChatGPT?", "company-data-in-chatbots"),
        ("is DeepSeek open source?", "is-deepseek-open-source"),
        ("who owns what AI generates?", "who-owns-ai-output"),
        ("will AI replace my job?", "will-ai-replace-my-job"),
        ("is my chat used for training?", "is-my-chat-used-for-training"),
        ("can chatgpt make images?", "can-llms-make-images"),
    ],
)
async def test_a_workplace_question_gets_its_faq_answer(
    shipped: Core, message: str, faq_id: str
) -> None:
    reply = await shipped.message(message, CAROL)
    entry = next(entry for entry in shipped.base.faq if entry.id == faq_id)
    assert reply.kind is ReplyKind.FAQ, render_plain(reply)
    assert reply.title == entry.question


@pytest.mark.asyncio
async def test_a_retired_model_says_so_and_names_what_replaced_it(shipped: Core) -> None:
    reply = await shipped.message("what is gpt-4?", CAROL)
    text = " ".join(render_plain(reply).split())
    assert [term.id for term in reply.terms] == ["gpt-4"]
    assert "Retired since" in text
    replacement = shipped.base.terms[shipped.base.terms["gpt-4"].lifecycle.replaced_by[0]]  # type: ignore[union-attr]
    assert f"replaced by {replacement.name}" in text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "columns"),
    [
        (
            "ai vs machine learning vs deep learning vs generative ai",
            ["artificial-intelligence", "machine-learning", "deep-learning", "generative-ai"],
        ),
        ("rag vs fine-tuning vs prompt engineering", ["rag", "fine-tuning", "prompt-engineering"]),
        ("chatgpt vs claude app", ["chatgpt", "claude-app", "gemini-app", "copilot"]),
    ],
)
async def test_a_wide_curated_table_is_shown_whole(
    shipped: Core, message: str, columns: list[str]
) -> None:
    reply = await shipped.message(message, CAROL)
    assert reply.kind is ReplyKind.COMPARISON, render_plain(reply)
    assert [term.id for term in reply.terms] == columns
    table = next(c for c in shipped.base.comparisons if set(c.terms) == set(columns))
    # Compared without whitespace: the plain-text renderer wraps lines at hyphens.
    assert "".join(table.takeaway.split()) in "".join(render_plain(reply).split())


@pytest.mark.asyncio
@pytest.mark.parametrize("message", ["is AI dangerous?", "is AI biased?", "is AI legal?"])
async def test_an_faq_never_answers_a_question_it_does_not_ask(shipped: Core, message: str) -> None:
    # Each shares only "AI" with "What hardware does generative AI need, and why is it so
    # expensive?"; sharing the term is not asking the question.
    reply = await shipped.message(message, CAROL)
    hardware = next(entry for entry in shipped.base.faq if entry.id == "hardware-and-cost")
    assert reply.title != hardware.question
