"""Chat transcripts: what a Discord user does, and what explainbot answers."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.discord.client import ExplainBot
from bot.core.service import Core
from bot.store.database import Database
from tests.adapters.discord.helpers import answer_of, answers_in_db, buttons_of, embed_text
from tests.fakes.discord import FakeDiscord, FakeUser


@pytest.mark.asyncio
async def test_explain_llm_gives_a_definition_card(fake: FakeDiscord, bot: ExplainBot) -> None:
    sent = await fake.send_slash_command("explain", {"term": "llm"})
    answer = await answer_of(fake, sent)
    embed = answer["embeds"][0]
    assert embed["title"] == "Large language model"
    assert "trained on huge amounts of text" in embed["description"]
    assert {b["custom_id"] for b in buttons_of(answer)} >= {"explain:generative-ai"}
    assert not answer.get("flags")


@pytest.mark.asyncio
async def test_autocomplete_gen_offers_generative_ai(fake: FakeDiscord, bot: ExplainBot) -> None:
    sent = await fake.send_autocomplete("explain", {"term": "gen"})
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 8
    assert {"name": "Generative AI", "value": "generative-ai"} in callback.json["data"]["choices"]


@pytest.mark.asyncio
async def test_compare_llm_and_generative_ai_side_by_side(
    fake: FakeDiscord, bot: ExplainBot
) -> None:
    sent = await fake.send_slash_command("compare", {"first": "llm", "second": "generative-ai"})
    answer = await answer_of(fake, sent)
    embed = answer["embeds"][0]
    assert embed["title"] == "Large language model vs Generative AI"
    fields = embed["fields"]
    assert len(fields) >= 2
    for field in fields:  # one field per dimension, a line per term
        assert "**Large language model:**" in field["value"]
        assert "**Generative AI:**" in field["value"]


@pytest.mark.asyncio
async def test_mention_gets_a_reply_to_the_message(fake: FakeDiscord, bot: ExplainBot) -> None:
    asked = await fake.send_message_create(
        f"<@{fake.bot_user.id}> what's the difference between GANs and diffusion models?"
    )
    request = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith("/messages") and r.status == 200
    )
    assert str(request.json["message_reference"]["message_id"]) == asked["id"]
    assert "vs" in request.json["embeds"][0]["title"]
    assert request.json["allowed_mentions"]["parse"] == []


@pytest.mark.asyncio
async def test_direct_message_is_answered(fake: FakeDiscord, bot: ExplainBot) -> None:
    asked = await fake.send_message_create("what is an LLM?", guild_id=None)
    request = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith("/messages") and r.status == 200
    )
    assert str(request.json["message_reference"]["message_id"]) == asked["id"]
    assert request.json["embeds"][0]["title"] == "Large language model"


@pytest.mark.asyncio
async def test_bots_and_unmentioned_messages_are_ignored(
    fake: FakeDiscord, bot: ExplainBot
) -> None:
    other_bot = FakeUser(id=1_400_000_000_000_000_001, username="otherbot", bot=True)
    await fake.send_message_create("hello everyone")
    await fake.send_message_create(f"<@{fake.bot_user.id}> what is an LLM?", author=other_bot)
    # A human's mention afterwards is the only one answered.
    await fake.send_message_create(f"<@{fake.bot_user.id}> what is an LLM?")
    await fake.wait_for_request(lambda r: r.method == "POST" and r.path.endswith("/messages"))
    await bot.core.drain()
    replies = fake.requests_matching("POST", r"/channels/\d+/messages$")
    assert len(replies) == 1


@pytest.mark.asyncio
async def test_quiz_answer_is_private_and_counted_once(
    fake: FakeDiscord, bot: ExplainBot, core: Core, sqlite_database: Database
) -> None:
    sent = await fake.send_slash_command("quiz")
    assert (await fake.wait_for_callback(sent)).json["type"] == 5  # deferred: database work
    question = await answer_of(fake, sent)
    buttons = buttons_of(question)
    assert buttons
    assert all(b["custom_id"].startswith("qa:") for b in buttons)
    original = fake.original_response(sent)
    assert original is not None

    click = await fake.send_component_click(buttons[0]["custom_id"], message=int(original["id"]))
    feedback = await answer_of(fake, click)
    assert feedback["flags"] & 64  # ephemeral
    assert feedback["embeds"][0]["title"] in ("Correct!", "Not quite")
    assert await answers_in_db(sqlite_database, str(fake.default_user.id)) == 1

    again = await fake.send_component_click(buttons[1]["custom_id"], message=int(original["id"]))
    second = await answer_of(fake, again)
    assert second["flags"] & 64
    assert "already answered" in embed_text(second)
    assert await answers_in_db(sqlite_database) == 1


@pytest.mark.asyncio
async def test_quiz_stats_and_leaderboards(fake: FakeDiscord, bot: ExplainBot) -> None:
    stats = await answer_of(fake, await fake.send_slash_command("quiz", {"show": "stats"}))
    assert "No answers yet" in embed_text(stats)
    board = await answer_of(fake, await fake.send_slash_command("quiz", {"show": "leaderboard"}))
    assert board["embeds"][0]["title"] == "Quiz leaderboard"
    month = await fake.send_slash_command("quiz", {"show": "leaderboard-month"})
    assert "This month" in embed_text(await answer_of(fake, month))


@pytest.mark.asyncio
async def test_related_term_button_opens_its_card(fake: FakeDiscord, bot: ExplainBot) -> None:
    card = await fake.send_slash_command("explain", {"term": "llm"})
    await fake.wait_for_callback(card)
    original = fake.original_response(card)
    assert original is not None
    click = await fake.send_component_click("explain:generative-ai", message=int(original["id"]))
    answer = await answer_of(fake, click)
    assert answer["embeds"][0]["title"] == "Generative AI"


@pytest.mark.asyncio
async def test_quiz_difficulty_is_a_typed_option(fake: FakeDiscord, bot: ExplainBot) -> None:
    sent = await fake.send_slash_command("quiz", {"difficulty": "hard"})
    question = await answer_of(fake, sent)
    assert "Hard" in embed_text(question)
    assert "Easy" not in embed_text(question)


@pytest.mark.asyncio
async def test_a_reply_to_an_answer_is_a_follow_up(fake: FakeDiscord, bot: ExplainBot) -> None:
    def bot_answers() -> list[dict[str, Any]]:
        return [m for m in fake.messages if m["author"]["id"] == str(fake.bot_user.id)]

    await fake.send_message_create(f"<@{fake.bot_user.id}> what is a GAN?")
    await fake.wait_for_request(lambda r: r.method == "POST" and r.path.endswith("/messages"))
    [answer] = bot_answers()
    assert answer["embeds"][0]["title"] == "Generative adversarial network"

    # A reply to the answer continues that conversation. Discord's default reply pings the
    # replied-to author, which is what delivers the text without the message-content intent.
    await fake.send_message_create(
        "and how is it different from diffusion models?",
        reply_to=int(answer["id"]),
        mentions=[fake.bot_user],
    )
    await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith("/messages") and len(bot_answers()) == 2
    )
    follow = bot_answers()[1]
    assert follow["embeds"][0]["title"] == "Generative adversarial network vs Diffusion model"
