"""Scenarios: mentions and direct messages answered in thread; redeliveries; 429s; App Home."""

from __future__ import annotations

import pytest

from tests.adapters.slack.helpers import HttpBot, texts
from tests.fakes.slack import (
    DEFAULT_BOT_USER_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_DM_CHANNEL_ID,
    DEFAULT_USER_ID,
    app_home_opened_event,
    app_mention_event,
    event_callback_body,
    message_im_event,
)


@pytest.mark.asyncio
async def test_mention_is_answered_in_a_thread(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    event = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> is ChatGPT an LLM?")

    status, _ = await http_bot.post(event_callback_body(event))
    call = await fake.wait_for_call("chat.postMessage")

    assert status == 200
    assert call.args["channel"] == DEFAULT_CHANNEL_ID
    assert call.args["thread_ts"] == event["ts"]
    assert call.args["text"]  # a fallback for notifications
    [stored] = fake.messages(DEFAULT_CHANNEL_ID)
    assert stored["thread_ts"] == event["ts"]


@pytest.mark.asyncio
async def test_mention_inside_a_thread_stays_in_that_thread(http_bot: HttpBot) -> None:
    event = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is a GAN", thread_ts="1700.000001")
    await http_bot.post(event_callback_body(event))
    call = await http_bot.fake.wait_for_call("chat.postMessage")
    assert call.args["thread_ts"] == "1700.000001"
    assert "Generative adversarial network" in " ".join(texts(call.args["blocks"]))


@pytest.mark.asyncio
async def test_another_persons_mention_is_not_part_of_the_question(http_bot: HttpBot) -> None:
    # A person called Gan: read as a word, the mention would turn this into a question on GANs.
    text = f"<@{DEFAULT_BOT_USER_ID}> <@U0GAN|gan> what is an llm"
    await http_bot.post(event_callback_body(app_mention_event(text)))
    call = await http_bot.fake.wait_for_call("chat.postMessage")
    heading = texts(call.args["blocks"])[0]
    assert heading == "Large language model"


@pytest.mark.asyncio
async def test_direct_message_is_answered_and_bot_messages_are_ignored(
    http_bot: HttpBot,
) -> None:
    fake = http_bot.fake
    from_bot = message_im_event("explain llm")
    from_bot["bot_id"] = "B0OTHER"
    edited = message_im_event("explain llm")
    edited["subtype"] = "message_changed"
    await http_bot.post(event_callback_body(from_bot))
    await http_bot.post(event_callback_body(edited))
    human = message_im_event("explain llm")
    await http_bot.post(event_callback_body(human))

    call = await fake.wait_for_call("chat.postMessage")
    await http_bot.bot.drain()

    assert call.args["channel"] == DEFAULT_DM_CHANNEL_ID
    assert call.args["thread_ts"] == human["ts"]
    assert "Large language model" in call.args["text"]
    assert len(fake.calls_of("chat.postMessage")) == 1


@pytest.mark.asyncio
async def test_redelivered_event_is_answered_once(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    body = event_callback_body(app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is an LLM"))

    first = await http_bot.post(body)
    await fake.wait_for_call("chat.postMessage")
    again = await http_bot.post(body, retry_num=1, retry_reason="http_timeout")
    # Slack's retry carries a new event id for the same message sometimes: key on (channel, ts).
    await http_bot.bot.drain()

    assert first[0] == again[0] == 200
    assert len(fake.calls_of("chat.postMessage")) == 1


@pytest.mark.asyncio
async def test_rate_limited_post_is_retried_and_arrives_once(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    event = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is a transformer")

    await http_bot.post(event_callback_body(event))
    await fake.wait_for_call("chat.postMessage", lambda c: c.ok)
    await http_bot.bot.drain()

    posts = fake.calls_of("chat.postMessage")
    assert [(c.status, c.ok) for c in posts] == [(429, False), (200, True)]
    assert len(fake.messages(DEFAULT_CHANNEL_ID)) == 1


@pytest.mark.asyncio
async def test_app_home_shows_stats_and_a_term_of_the_day(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    await http_bot.post(event_callback_body(app_home_opened_event(DEFAULT_USER_ID)))
    await fake.wait_for_call("views.publish", lambda c: c.ok)

    view = fake.home_views[DEFAULT_USER_ID]
    shown = " ".join(texts(view["blocks"]))
    assert "No answers yet" in shown
    assert "Term of the day" in shown
    assert view["blocks"][-1]["type"] in {"context", "actions", "section"}


@pytest.mark.asyncio
async def test_a_follow_up_in_the_thread_builds_on_the_answer(http_bot: HttpBot) -> None:
    fake = http_bot.fake
    first = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is a GAN?")
    await http_bot.post(event_callback_body(first))
    await fake.wait_for_call("chat.postMessage")
    follow = app_mention_event(
        f"<@{DEFAULT_BOT_USER_ID}> and how is it different from diffusion models?",
        thread_ts=first["ts"],
    )
    await http_bot.post(event_callback_body(follow))
    answer = await fake.wait_for_call(
        "chat.postMessage",
        lambda call: (
            call.args.get("text", "").startswith("Generative ad")
            and " vs " in call.args.get("text", "")
        ),
    )
    assert answer.args["thread_ts"] == first["ts"]
    assert texts(answer.args["blocks"])[0] == "Generative adversarial network vs Diffusion model"

    elsewhere = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> and how is it different from LLMs?")
    await http_bot.post(event_callback_body(elsewhere))
    other = await fake.wait_for_call(
        "chat.postMessage", lambda call: call.args.get("thread_ts") == elsewhere["ts"]
    )
    assert "Generative adversarial network" not in texts(other.args["blocks"])[0]
