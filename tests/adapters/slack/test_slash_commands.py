"""Scenarios: slash commands over HTTP, answered inside the ack."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.request import Requester
from tests.adapters.slack.helpers import HttpBot, texts
from tests.fakes.slack import slash_command_body


async def command(http_bot: HttpBot, name: str, text: str = "") -> dict[str, object]:
    body = slash_command_body(name, text, response_url=http_bot.fake.response_url("cmd"))
    status, answer = await http_bot.post(body)
    assert status == 200, answer
    reply = json.loads(answer)
    assert isinstance(reply, dict)
    return reply


@pytest.mark.asyncio
async def test_explain_llm_is_a_card_inside_the_ack(http_bot: HttpBot) -> None:
    reply = await command(http_bot, "/explain", "llm")

    assert reply["response_type"] == "in_channel"
    blocks = reply["blocks"]
    assert isinstance(blocks, list)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Large language model", "emoji": True},
    }
    shown = " ".join(texts(blocks))
    assert "A model trained on huge amounts of text" in shown
    assert "GPT-4" in shown
    assert str(reply["text"]).startswith("Large language model")
    # One exchange: nothing posted to the response URL, no Web API call but Bolt's auth.test.
    assert http_bot.fake.responses == []
    assert [c.method for c in http_bot.fake.calls] == ["auth.test"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text", ["llm generative-ai", "llm vs generative-ai", "llm, generative-ai", "LLM and gen AI"]
)
async def test_compare_is_side_by_side(http_bot: HttpBot, text: str) -> None:
    reply = await command(http_bot, "/compare", text)

    blocks = reply["blocks"]
    assert isinstance(blocks, list)
    assert "Large language model vs Generative AI" in blocks[0]["text"]["text"]
    rows = [b for b in blocks if b["type"] == "section" and "fields" in b]
    assert rows, blocks
    for row in rows:  # one field per compared term, side by side
        assert len(row["fields"]) == 2
        assert row["fields"][0]["text"].startswith("*Large language model*")
        assert row["fields"][1]["text"].startswith("*Generative AI*")


@pytest.mark.asyncio
async def test_compare_needs_two_terms(http_bot: HttpBot) -> None:
    reply = await command(http_bot, "/compare")
    assert reply["response_type"] == "ephemeral"
    assert "/compare llm generative-ai" in " ".join(texts(reply["blocks"]))


@pytest.mark.asyncio
async def test_quiz_stats_and_leaderboard(http_bot: HttpBot) -> None:
    question = await command(http_bot, "/quiz", "gan")
    stats = await command(http_bot, "/quiz", "stats")
    board = await command(http_bot, "/quiz", "leaderboard month")

    assert "What are the two parts of a GAN?" in " ".join(texts(question["blocks"]))
    assert stats["response_type"] == "ephemeral"
    assert "No answers yet" in " ".join(texts(stats["blocks"]))
    assert "This month" in " ".join(texts(board["blocks"]))


@pytest.mark.asyncio
async def test_explain_without_a_term_lists_what_it_can_explain(http_bot: HttpBot) -> None:
    reply = await command(http_bot, "/explain")
    shown = " ".join(texts(reply["blocks"]))
    assert "What I can explain" in shown
    assert "Large language model" in shown


@pytest.mark.asyncio
async def test_a_slow_answer_acks_first_then_follows_up(
    http_bot: HttpBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.adapters.slack import app as slack_app
    from bot.core.replies import Reply

    gate = asyncio.Event()
    core = http_bot.bot.core
    original = core.explain

    async def slow_explain(query: str, who: Requester) -> Reply:
        await gate.wait()
        return await original(query, who)

    monkeypatch.setattr(slack_app, "ACK_BUDGET", 0.05)
    monkeypatch.setattr(core, "explain", slow_explain)

    reply = await command(http_bot, "/explain", "llm")
    assert reply == {"text": "Working on it…", "response_type": "ephemeral"}
    gate.set()
    late = await http_bot.fake.wait_for_response("cmd")

    assert late["response_type"] == "in_channel"
    assert late["replace_original"] is False
    assert "Large language model" in " ".join(texts(late["blocks"]))


@pytest.mark.asyncio
async def test_quiz_difficulty_in_words(http_bot: HttpBot) -> None:
    body = slash_command_body("/quiz", "hard", response_url=http_bot.fake.response_url("q"))
    status, answer = await http_bot.post(body)
    assert status == 200
    shown = " ".join(texts(json.loads(answer)))
    assert "Hard" in shown
    assert "Easy" not in shown
