"""Helpers for the Discord adapter tests: the bot on the fake, and reading what it sent."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from bot.adapters.discord.client import ExplainBot
from bot.core.service import Core
from bot.store.database import Database
from bot.store.tables import QuizAnswerRow
from tests.fakes.discord import (
    FakeDiscord,
    RecordedRequest,
    SentInteraction,
)

WATCHED_LOGGERS = ("discord", "tests.fakes.discord", "bot")


def make_bot(core: Core | None) -> ExplainBot:
    """The client as production builds it, with a short guild-ready wait for tests."""
    return ExplainBot(core, guild_ready_timeout=0.05)


async def answer_of(fake: FakeDiscord, sent: SentInteraction) -> dict[str, Any]:
    """The message body the bot answered an interaction with (direct, or after deferring)."""
    callback = await fake.wait_for_callback(sent)
    if callback.json["type"] in (4, 7):
        return dict(callback.json["data"])
    followup = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(f"/{sent.token}") and r.status == 200
    )
    return dict(followup.json)


def body_requests(fake: FakeDiscord) -> list[RecordedRequest]:
    """Every request that sent a message body (create, edit, callback, follow-up)."""
    message_paths = re.compile(r"/callback$|/messages(/\d+)?$|/webhooks/\d+/[^/]+(/messages/.*)?$")
    return [
        r
        for r in fake.requests
        if r.method in ("POST", "PATCH") and message_paths.search(r.path) and r.json
    ]


def assert_no_mentions_allowed(fake: FakeDiscord) -> None:
    """Every message payload the bot sent carries ``allowed_mentions.parse == []``."""
    for request in body_requests(fake):
        body = request.json
        data = body.get("data", body) if request.path.endswith("/callback") else body
        if request.path.endswith("/callback") and body.get("type") in (5, 6, 8):
            continue  # deferrals and autocomplete carry no message
        assert data.get("allowed_mentions", {}).get("parse") == [], (request.path, data)


async def answers_in_db(database: Database, user_id: str | None = None) -> int:
    """How many quiz answers are stored (for one user when given)."""
    query = select(func.count()).select_from(QuizAnswerRow)
    if user_id is not None:
        query = query.where(QuizAnswerRow.user_id == user_id)
    async with database.transaction() as session:
        return int(await session.scalar(query) or 0)


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons of a message body, in order."""
    return [b for row in message.get("components") or [] for b in row.get("components", [])]


def embed_text(message: dict[str, Any]) -> str:
    """All visible text of a message's embeds, for loose assertions."""
    parts: list[str] = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            parts += [field["name"], field["value"]]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)
