"""Scenarios: the same bot over Socket Mode, through drops and reconnects."""

from __future__ import annotations

import pytest

from bot.adapters.slack.app import SlackBot
from bot.core.service import Core
from tests.adapters.slack.helpers import buttons, texts
from tests.fakes.slack import (
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    FakeSlack,
    app_mention_event,
    block_actions_payload,
    event_callback_payload,
    slash_command_payload,
)


@pytest.mark.asyncio
async def test_explain_and_quiz_button_over_socket_mode(
    socket_bot: SlackBot, fake: FakeSlack, core: Core
) -> None:
    await fake.wait_socket_connected(1)
    assert socket_bot.connected

    ack = await fake.send_envelope(
        "slash_commands", slash_command_payload("/explain", "llm", response_url="http://x/")
    )
    assert ack["payload"]["blocks"][0]["text"]["text"] == "Large language model"
    assert ack["payload"]["response_type"] == "in_channel"

    ack = await fake.send_envelope(
        "slash_commands", slash_command_payload("/quiz", "gan", response_url="http://x/")
    )
    right = buttons(ack["payload"]["blocks"])[1]
    click = block_actions_payload(
        right["action_id"], right["value"], response_url=fake.response_url("click")
    )
    click_ack = await fake.send_envelope("interactive", click)
    feedback = await fake.wait_for_response("click")

    assert set(click_ack) == {"envelope_id"}
    assert feedback["response_type"] == "ephemeral"
    assert "Correct!" in " ".join(texts(feedback["blocks"]))
    stats = await core.quiz.repository.stats(
        scope_key=f"slack:{DEFAULT_TEAM_ID}", user_id=DEFAULT_USER_ID
    )
    assert stats is not None
    assert stats.answered == 1


@pytest.mark.asyncio
async def test_dropped_socket_reconnects_and_keeps_answering(
    socket_bot: SlackBot, fake: FakeSlack
) -> None:
    await fake.wait_socket_connected(1)

    await fake.drop_socket()  # a network failure: no close frame
    await fake.wait_socket_connected(2)
    ack = await fake.send_envelope(
        "slash_commands", slash_command_payload("/explain", "gan", response_url="http://x/")
    )
    assert "Generative adversarial network" in " ".join(texts(ack["payload"]["blocks"]))

    await fake.drop_socket(abort=False)  # a close frame
    await fake.wait_socket_connected(3)
    event = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> what is an LLM")
    await fake.send_envelope("events_api", event_callback_payload(event))
    call = await fake.wait_for_call("chat.postMessage")
    # The same event again, as Slack redelivers it: still one answer.
    await fake.send_envelope("events_api", event_callback_payload(event), retry_attempt=1)
    await socket_bot.drain()

    assert call.args["thread_ts"] == event["ts"]
    assert len(fake.calls_of("chat.postMessage")) == 1
    assert socket_bot.connected
    assert fake.socket_connections == 3
