"""Hostile input: mention tricks, markdown, huge terms, and people who are not admins."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.discord.client import ExplainBot
from tests.adapters.discord.helpers import (
    answer_of,
    assert_no_mentions_allowed,
    body_requests,
    buttons_of,
    embed_text,
)
from tests.fakes.discord import MANAGE_GUILD, MEMBER_PERMISSIONS, FakeDiscord

ZW = "\u200b"
TRICKS = [
    "@everyone",
    "@here",
    "<@&1>",
    "<@1>",
    "<@!1100000000000000001>",
    "<#1100000000000000002>",
    f"@{ZW}everyone",
    "@\u2060here",
    f"<{ZW}@&1100000000000000001>",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "# heading\n> quote\n- list",
    "[click me](https://evil.example)",
    "\u202eevil\u202c text",
    "x" * 6000,
    "@everyone " * 700,
]


def assert_safe(message: dict[str, Any]) -> None:
    text = embed_text(message)
    assert "@everyone" not in text
    assert "@here" not in text
    for syntax in ("<@", "<#"):
        assert syntax not in text
    assert "\u202e" not in text
    assert text.count("[click me](") == text.count("\\[click me](")  # masked links escaped


@pytest.mark.asyncio
@pytest.mark.parametrize("term", TRICKS)
async def test_explain_tricks_gives_a_safe_bounded_reply(
    fake: FakeDiscord, bot: ExplainBot, term: str
) -> None:
    sent = await fake.send_slash_command("explain", {"term": term})
    answer = await answer_of(fake, sent)  # the fake rejects anything over Discord's limits
    assert answer["allowed_mentions"] == {"parse": []}
    assert_safe(answer)
    assert len(embed_text(answer)) <= 6000 + 200


@pytest.mark.asyncio
async def test_markdown_is_escaped(fake: FakeDiscord, bot: ExplainBot) -> None:
    sent = await fake.send_slash_command("explain", {"term": "**bold** _it_ `x`"})
    text = embed_text(await answer_of(fake, sent))
    assert "**bold**" not in text.replace("\\*\\*bold\\*\\*", "")
    assert "\\*\\*bold\\*\\*" in text


@pytest.mark.asyncio
async def test_compare_with_mentions_and_huge_terms(fake: FakeDiscord, bot: ExplainBot) -> None:
    sent = await fake.send_slash_command("compare", {"first": "@everyone", "second": "y" * 6000})
    answer = await answer_of(fake, sent)
    assert_safe(answer)


@pytest.mark.asyncio
async def test_mention_with_tricks_is_answered_safely(fake: FakeDiscord, bot: ExplainBot) -> None:
    await fake.send_message_create(f"<@{fake.bot_user.id}> explain @everyone <@&1> " + "z" * 3000)
    reply = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith("/messages") and r.status == 200
    )
    assert reply.json["allowed_mentions"]["parse"] == []
    assert_safe(reply.json)


@pytest.mark.asyncio
@pytest.mark.parametrize("command", ["explainbot reload", "explainbot status", "explainbot gaps"])
async def test_non_admin_is_refused(fake: FakeDiscord, bot: ExplainBot, command: str) -> None:
    sent = await fake.send_slash_command(command, member_permissions=MEMBER_PERMISSIONS)
    answer = await answer_of(fake, sent)
    assert "Only admins" in answer["embeds"][0]["title"]
    assert answer["flags"] & 64


@pytest.mark.asyncio
async def test_admin_reload_and_status_work(fake: FakeDiscord, bot: ExplainBot) -> None:
    admin = MEMBER_PERMISSIONS | MANAGE_GUILD
    sent = await fake.send_slash_command("explainbot reload", member_permissions=admin)
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 5
    assert callback.json["data"]["flags"] & 64
    reloaded = await answer_of(fake, sent)
    assert reloaded["embeds"][0]["title"] == "Knowledge reloaded"
    status = await fake.send_slash_command("explainbot status", member_permissions=admin)
    assert "Database" in embed_text(await answer_of(fake, status))


@pytest.mark.asyncio
async def test_admin_commands_are_registered_for_managers_only(
    fake: FakeDiscord, bot: ExplainBot
) -> None:
    admin = next(c for c in fake.commands() if c["name"] == "explainbot")
    assert int(admin["default_member_permissions"]) == MANAGE_GUILD
    assert admin["contexts"] == [0]  # guilds only
    assert {o["name"] for o in admin["options"]} == {"reload", "status", "gaps", "daily"}


@pytest.mark.asyncio
async def test_every_payload_disables_mentions(fake: FakeDiscord, bot: ExplainBot) -> None:
    await answer_of(fake, await fake.send_slash_command("explain", {"term": "@everyone"}))
    quiz = await fake.send_slash_command("quiz")
    question = await answer_of(fake, quiz)
    original = fake.original_response(quiz)
    assert original is not None
    click = await fake.send_component_click(
        buttons_of(question)[0]["custom_id"], message=int(original["id"])
    )
    await answer_of(fake, click)
    await fake.send_message_create(f"<@{fake.bot_user.id}> @here what is an LLM?")
    await fake.wait_for_request(lambda r: r.method == "POST" and r.path.endswith("/messages"))
    sent = body_requests(fake)
    assert len(sent) >= 5  # callbacks, follow-ups and the channel reply
    assert_no_mentions_allowed(fake)
