"""Admins edit knowledge files while the bot runs: good edits are served, bad ones are not."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from bot.adapters.console.repl import CONSOLE_USER
from bot.core.live import LiveKnowledge
from bot.core.replies import ReplyKind
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore

NEW_TERM = """
  - id: rag
    name: Retrieval-augmented generation
    aliases: [RAG]
    category: Techniques
    summary: Looking facts up in documents and handing them to a language model to answer.
    explanation: The model answers from retrieved passages instead of memory alone.
"""


async def edit_and_wait(live: LiveKnowledge, path: Path, text: str) -> None:
    before = live.attempts
    path.write_text(text, encoding="utf-8")

    async def attempted() -> None:
        while live.attempts <= before:  # noqa: ASYNC110 (the watcher reloads on its own)
            await asyncio.sleep(0.02)

    await asyncio.wait_for(attempted(), timeout=10)


@pytest.mark.asyncio
async def test_watcher_serves_a_good_edit_and_keeps_the_old_knowledge_on_a_bad_one(
    knowledge_copy: Path, sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    live = await LiveKnowledge.open(knowledge_copy)
    store = QuizStore(sqlite_database)
    core = Core(live, store, store)
    watcher = asyncio.create_task(live.watch())
    try:
        await asyncio.sleep(0.3)  # let the watcher start before the first edit
        assert (await core.explain("RAG", CONSOLE_USER)).kind is ReplyKind.NOT_FOUND

        terms = knowledge_copy / "terms.yaml"
        await edit_and_wait(live, terms, terms.read_text(encoding="utf-8") + NEW_TERM)
        reply = await core.explain("RAG", CONSOLE_USER)
        assert reply.kind is ReplyKind.DEFINITION
        assert reply.terms[0].id == "rag"

        with caplog.at_level(logging.ERROR, logger="bot.core.live"):
            await edit_and_wait(live, terms, "terms:\n  - id: broken\n    name: [unclosed\n")
        assert "knowledge reload rejected" in caplog.text
        assert "knowledge/terms.yaml:4:1: YAML syntax error" in caplog.text
        still = await core.explain("RAG", CONSOLE_USER)
        assert still.kind is ReplyKind.DEFINITION, "the last good knowledge is still served"
        assert (await core.explain("llm", CONSOLE_USER)).kind is ReplyKind.DEFINITION
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await core.drain()


@pytest.mark.asyncio
async def test_admin_reload_reports_errors_and_success(
    knowledge_copy: Path, sqlite_database: Database
) -> None:
    live = await LiveKnowledge.open(knowledge_copy)
    store = QuizStore(sqlite_database)
    core = Core(live, store, store)
    (knowledge_copy / "extra.yaml").write_text("terms:\n  - id: x\n", encoding="utf-8")
    rejected = await core.reload_reply(CONSOLE_USER)
    assert rejected.kind is ReplyKind.ERROR
    assert "still serving the previous knowledge" in rejected.title
    (knowledge_copy / "extra.yaml").write_text("terms:\n" + NEW_TERM, encoding="utf-8")
    accepted = await core.reload_reply(CONSOLE_USER)
    assert accepted.title == "Knowledge reloaded"
    assert core.base.terms["rag"].name == "Retrieval-augmented generation"


@pytest.mark.asyncio
async def test_reload_runs_off_the_event_loop(knowledge_copy: Path) -> None:
    live = await LiveKnowledge.open(knowledge_copy)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await live.reload()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert ticks > 1, "the loop kept running while the files were parsed"
