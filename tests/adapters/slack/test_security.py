"""Scenarios: signatures, mention injection, admin-only commands."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.transport import HttpTransport
from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.adapters.slack.helpers import (
    LIST_ADMIN,
    WORKSPACE_ADMIN,
    HttpBot,
    make_settings,
    texts,
)
from tests.fakes.slack import (
    DEFAULT_BOT_USER_ID,
    DEFAULT_SIGNING_SECRET,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    FakeSlack,
    app_mention_event,
    event_callback_body,
    signed_headers,
    slash_command_body,
)

TRICKS = "<!channel> <!here> <@U0BOSS> &lt;!everyone&gt; <https://evil.example|click>"
_BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def assert_inert(node: Any) -> None:
    """No text can ping anyone: no live ``<!``/``<@``/``<http``, no bare ``&`` entity."""
    for text in texts(node):
        assert "<" not in text, text
        assert ">" not in text, text
        assert not _BARE_AMP.search(text), text


# --------------------------------------------------------------------------- signatures


def _unsigned(body: str) -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded"}


def _wrong_secret(body: str) -> dict[str, str]:
    return signed_headers("not-the-secret", body)


def _stale(body: str) -> dict[str, str]:
    return signed_headers(DEFAULT_SIGNING_SECRET, body, timestamp=int(time.time()) - 6 * 60)


def _tampered(body: str) -> dict[str, str]:
    return signed_headers(DEFAULT_SIGNING_SECRET, body + " ")  # body changed after signing


@pytest.mark.asyncio
@pytest.mark.parametrize("headers", [_unsigned, _wrong_secret, _stale, _tampered])
async def test_unverified_requests_are_refused_without_side_effects(
    http_bot: HttpBot, core: Core, headers: Any
) -> None:
    fake = http_bot.fake
    quiz = slash_command_body("/quiz", "gan", response_url=fake.response_url("q"))
    mention = event_callback_body(app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> quiz me"))

    for body in (quiz, mention):
        status, _ = await http_bot.post(body, headers=headers(body))
        assert status == 401
    await http_bot.bot.drain()

    assert fake.calls == []
    assert fake.responses == []
    scope = f"slack:{DEFAULT_TEAM_ID}"
    assert await core.quiz.repository.history(scope_key=scope, user_id=DEFAULT_USER_ID) == []


# --------------------------------------------------------------------------- injection


@pytest.mark.asyncio
async def test_user_text_never_becomes_a_mention(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    body = slash_command_body("/explain", TRICKS, response_url=fake.response_url("x"))
    status, answer = await http_bot.post(body)
    assert status == 200
    reply = json.loads(answer)
    assert_inert(reply)
    # Typed as text, Slack sent it encoded; decoded on the way in and encoded once on the way
    # out, so people see the characters "<!everyone>" and nobody is notified.
    shown = " ".join(texts(reply))
    assert "&lt;!everyone&gt;" in shown
    assert "&amp;lt;" not in shown

    mention = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is {TRICKS}")
    await http_bot.post(event_callback_body(mention))
    call = await fake.wait_for_call("chat.postMessage")
    assert_inert({"text": call.args["text"], "blocks": call.args["blocks"]})


@pytest_asyncio.fixture
async def tricky_bot(
    knowledge_copy: Path, sqlite_database: Database, fake: FakeSlack
) -> AsyncIterator[HttpBot]:
    terms = knowledge_copy / "terms.yaml"
    source = terms.read_text(encoding="utf-8")
    summary = "A model trained on huge amounts of text to understand and generate language."
    assert summary in source
    terms.write_text(source.replace(summary, f'"{TRICKS} {summary}"'), encoding="utf-8")
    knowledge = await LiveKnowledge.open(knowledge_copy)
    store = QuizStore(sqlite_database)
    core = Core(knowledge, store, store)
    bot = SlackBot(core, make_settings(fake))
    transport = await bot.start()
    assert isinstance(transport, HttpTransport)
    try:
        yield HttpBot(bot, transport.url, fake)
    finally:
        await bot.close()
        await core.drain()


@pytest.mark.asyncio
async def test_knowledge_text_never_becomes_a_mention(tricky_bot: HttpBot) -> None:
    fake = tricky_bot.fake
    assert "<!channel>" in tricky_bot.bot.core.base.terms["llm"].summary

    body = slash_command_body("/explain", "llm", response_url=fake.response_url("x"))
    _, answer = await tricky_bot.post(body)
    reply = json.loads(answer)
    assert_inert(reply)
    assert "&lt;!channel&gt;" in " ".join(texts(reply))

    compare = slash_command_body("/compare", "llm transformer", response_url="http://x/")
    _, answer = await tricky_bot.post(compare)
    assert_inert(json.loads(answer))


# --------------------------------------------------------------------------- admins


async def admin_command(http_bot: HttpBot, text: str, user_id: str) -> dict[str, Any]:
    body = slash_command_body(
        "/explainbot", text, user_id=user_id, response_url=http_bot.fake.response_url("adm")
    )
    status, answer = await http_bot.post(body)
    assert status == 200
    reply: dict[str, Any] = json.loads(answer)
    return reply


@pytest.mark.asyncio
async def test_non_admin_is_refused(http_bot: HttpBot) -> None:
    for sub in ("reload", "status", "gaps"):
        reply = await admin_command(http_bot, sub, DEFAULT_USER_ID)
        assert reply["response_type"] == "ephemeral"
        assert "Only admins can do that" in " ".join(texts(reply["blocks"]))
    assert http_bot.bot.core.knowledge.reloads == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("user_id", [LIST_ADMIN, WORKSPACE_ADMIN])
async def test_admins_can_reload(http_bot: HttpBot, user_id: str) -> None:
    reply = await admin_command(http_bot, "reload", user_id)
    assert "Knowledge reloaded" in " ".join(texts(reply["blocks"]))
    status = await admin_command(http_bot, "status", user_id)
    assert "explainbot status" in " ".join(texts(status["blocks"]))
    looked_up = [c.args["user"] for c in http_bot.fake.calls_of("users.info")]
    assert looked_up == ([] if user_id == LIST_ADMIN else [WORKSPACE_ADMIN])  # cached
