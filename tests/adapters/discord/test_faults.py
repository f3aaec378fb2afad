"""Faults from the wild: a dropped gateway, a restarted bot, rate limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.adapters.discord.client import ExplainBot
from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.adapters.discord.helpers import (
    WATCHED_LOGGERS,
    answer_of,
    answers_in_db,
    assert_no_mentions_allowed,
    buttons_of,
    make_bot,
)
from tests.fakes.discord import FakeDiscord, fail_on_error_logs, run_client
from tests.helpers import TEST_KNOWLEDGE


@pytest.mark.asyncio
async def test_dropped_gateway_resumes_and_answers(fake: FakeDiscord, bot: ExplainBot) -> None:
    await fake.drop_gateway()
    await fake.wait_until_ready()
    assert fake.resume_count == 1
    assert fake.identify_count == 1
    sent = await fake.send_slash_command("explain", {"term": "llm"})
    assert (await answer_of(fake, sent))["embeds"][0]["title"] == "Large language model"
    # Reconnecting did not sync the commands again.
    assert len(fake.requests_matching("PUT", r"/commands$")) == 1


@pytest.mark.asyncio
async def test_quiz_button_survives_a_restart(fake: FakeDiscord, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.db'}"

    async def start_core() -> tuple[Core, Database]:
        database = Database(url)
        await database.migrate()
        store = QuizStore(database)
        knowledge = await LiveKnowledge.open(TEST_KNOWLEDGE)
        return Core(knowledge, store, store, database_ping=database.ping), database

    with fail_on_error_logs(WATCHED_LOGGERS):
        core, database = await start_core()
        async with run_client(fake, make_bot(core)):
            sent = await fake.send_slash_command("quiz")
            question = await answer_of(fake, sent)
        await core.drain()
        await database.close()
        original = fake.original_response(sent)
        assert original is not None

        core, database = await start_core()  # a new process: new client, new core, same file
        try:
            async with run_client(fake, make_bot(core)):
                click = await fake.send_component_click(
                    buttons_of(question)[0]["custom_id"], message=int(original["id"])
                )
                feedback = await answer_of(fake, click)
            assert feedback["embeds"][0]["title"] in ("Correct!", "Not quite")
            assert await answers_in_db(database) == 1
        finally:
            await core.drain()
            await database.close()
    assert fake.identify_count == 2
    # The second start found the commands unchanged: one sync in all.
    assert len(fake.requests_matching("PUT", r"/commands$")) == 1
    assert_no_mentions_allowed(fake)


@pytest.mark.asyncio
async def test_rate_limited_callback_still_arrives(fake: FakeDiscord, bot: ExplainBot) -> None:
    fake.rate_limit_next("POST", r"^/interactions/\d+/[^/]+/callback$", retry_after=0.1)
    sent = await fake.send_slash_command("explain", {"term": "llm"})
    answer = await answer_of(fake, sent)
    assert answer["embeds"][0]["title"] == "Large language model"
    attempts = fake.requests_matching("POST", re.escape(sent.callback_path))
    assert [r.status for r in attempts] == [429, 200]


@pytest.mark.asyncio
async def test_rate_limited_followup_and_mention_reply(fake: FakeDiscord, bot: ExplainBot) -> None:
    fake.rate_limit_next("POST", r"^/webhooks/", retry_after=0.05)
    sent = await fake.send_slash_command("quiz")
    assert buttons_of(await answer_of(fake, sent))
    assert [r.status for r in fake.requests_matching("POST", r"^/webhooks/")] == [429, 200]
    fake.rate_limit_next("POST", r"/channels/\d+/messages$", retry_after=0.05, global_=True)
    await fake.send_message_create(f"<@{fake.bot_user.id}> what is an LLM?")
    reply = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith("/messages") and r.status == 200
    )
    assert reply.json["embeds"][0]["title"] == "Large language model"
    statuses = [r.status for r in fake.requests_matching("POST", r"/channels/\d+/messages$")]
    assert statuses == [429, 200]
