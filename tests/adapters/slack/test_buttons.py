"""Scenarios: quiz answer buttons give private feedback and count once; Next question."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.core.service import Core
from tests.adapters.slack.helpers import HttpBot, buttons, texts
from tests.fakes.slack import (
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    block_actions_body,
    slash_command_body,
)

SCOPE = f"slack:{DEFAULT_TEAM_ID}"


async def ask_quiz(http_bot: HttpBot, topic: str = "gan") -> list[dict[str, Any]]:
    body = slash_command_body("/quiz", topic, response_url=http_bot.fake.response_url("cmd"))
    status, answer = await http_bot.post(body)
    assert status == 200
    blocks: list[dict[str, Any]] = json.loads(answer)["blocks"]
    return blocks


async def click(http_bot: HttpBot, button: dict[str, Any], key: str) -> None:
    body = block_actions_body(
        button["action_id"], button["value"], response_url=http_bot.fake.response_url(key)
    )
    status, _ = await http_bot.post(body)
    assert status == 200


@pytest.mark.asyncio
async def test_answer_gives_ephemeral_feedback_and_counts_once(
    http_bot: HttpBot, core: Core
) -> None:
    question = await ask_quiz(http_bot)
    choices = buttons(question)
    assert [b["text"]["text"] for b in choices] == [
        "A. An encoder and a decoder",
        "B. A generator and a discriminator",
    ]
    assert len({b["action_id"] for b in choices}) == len(choices)
    right = choices[1]
    assert right["value"].startswith("qa:")

    await click(http_bot, right, "a1")
    feedback = await http_bot.fake.wait_for_response("a1")
    await click(http_bot, right, "a2")  # a double click
    again = await http_bot.fake.wait_for_response("a2")

    assert feedback["response_type"] == "ephemeral"
    assert feedback["replace_original"] is False
    assert "Correct!" in " ".join(texts(feedback["blocks"]))
    assert "already answered" in " ".join(texts(again["blocks"]))
    stats = await core.quiz.repository.stats(scope_key=SCOPE, user_id=DEFAULT_USER_ID)
    assert stats is not None
    assert (stats.answered, stats.correct) == (1, 1)


@pytest.mark.asyncio
async def test_next_question_posts_a_new_question(http_bot: HttpBot) -> None:
    question = await ask_quiz(http_bot)
    await click(http_bot, buttons(question)[0], "wrong")
    feedback = await http_bot.fake.wait_for_response("wrong")
    assert "Not quite" in " ".join(texts(feedback["blocks"]))
    [next_button] = [b for b in buttons(feedback["blocks"]) if b["value"] == "quiz:new"]

    await click(http_bot, next_button, "next")
    posted = await http_bot.fake.wait_for_response("next")

    assert posted["response_type"] == "in_channel"
    assert posted["replace_original"] is False
    assert any(b["value"].startswith("qa:") for b in buttons(posted["blocks"]))


@pytest.mark.asyncio
async def test_a_stale_button_is_answered_politely(http_bot: HttpBot) -> None:
    button = {"action_id": "explainbot.button.0", "value": "qa:AAAAAAAAAAAAAAAAAAAA:1"}
    await click(http_bot, button, "stale")
    answer = await http_bot.fake.wait_for_response("stale")
    assert answer["response_type"] == "ephemeral"
    assert "isn't valid" in " ".join(texts(answer["blocks"]))


@pytest.mark.asyncio
async def test_a_click_in_app_home_is_answered_in_direct_messages(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    body = block_actions_body(
        "explainbot.button.0",
        "explain:transformer",
        response_url=None,
        channel_id=None,
        view={"id": "V0HOME", "type": "home"},
    )
    status, _ = await http_bot.post(body)
    call = await fake.wait_for_call("chat.postMessage")

    assert status == 200
    assert call.args["channel"] == DEFAULT_USER_ID
    assert "Transformer" in " ".join(texts(call.args["blocks"]))
