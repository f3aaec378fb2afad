"""The entry point and the messenger: run until stopped, health, post and update."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack.app import SlackBot, make_client, run_slack
from bot.adapters.slack.messenger import SlackMessenger
from bot.adapters.slack.transport import HttpTransport, SocketModeTransport
from bot.app import Runtime
from bot.core import cards
from bot.core.service import Core
from tests.adapters.slack.helpers import make_settings, texts
from tests.fakes.slack import (
    DEFAULT_CHANNEL_ID,
    DEFAULT_SIGNING_SECRET,
    FakeSlack,
    signed_headers,
    slash_command_body,
    slash_command_payload,
)


@pytest.mark.asyncio
@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_run_slack_until_stopped(fake: FakeSlack, tmp_path: Path, socket_mode: bool) -> None:
    settings = make_settings(fake, socket_mode=socket_mode).model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    )
    runtime = await Runtime.start(settings, watch=False)
    bot = SlackBot(runtime.core, settings, ping_interval=0.5)
    stop = asyncio.Event()
    task = asyncio.create_task(run_slack(runtime.core, runtime.settings, stop=stop, bot=bot))
    try:
        if socket_mode:
            await fake.wait_socket_connected(1)
            command = slash_command_payload("/explain", "llm", response_url="http://x/")
            ack = await fake.send_envelope("slash_commands", command)
            assert "Large language model" in " ".join(texts(ack["payload"]))
        else:
            url = await wait_for_http(bot)
            body = slash_command_body("/explain", "llm", response_url="http://x/")
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    url, data=body, headers=signed_headers(DEFAULT_SIGNING_SECRET, body)
                ) as resp,
            ):
                assert resp.status == 200
                assert "Large language model" in await resp.text()
        connected_while_running = bot.connected
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        await runtime.close()
    assert connected_while_running
    assert not bot.connected
    assert fake.open_sockets == 0


async def wait_for_http(bot: SlackBot) -> str:
    """The server's URL once it listens (run_slack starts it in its own task)."""
    await asyncio.wait_for(bot.ready.wait(), 5)
    transport = bot.transport()
    assert isinstance(transport, HttpTransport)
    return transport.url


@pytest.mark.asyncio
async def test_messenger_posts_with_metadata_then_updates(fake: FakeSlack, core: Core) -> None:
    messenger = SlackMessenger(make_client(make_settings(fake)))
    question = cards.notice("Daily quiz", "Which is <!channel> bigger?", ephemeral=False)
    reveal = cards.notice("Daily quiz: answer", "The bigger one.", ephemeral=False)
    meta = {"event_type": "explainbot_post", "event_payload": {"key": "slack:C1:2026-11-30"}}

    ts = await messenger.post(DEFAULT_CHANNEL_ID, question, key="slack:C1:2026-11-30")
    await messenger.update(DEFAULT_CHANNEL_ID, ts, reveal)

    [posted] = fake.calls_of("chat.postMessage")
    assert posted.args["metadata"] == meta
    assert posted.args["text"].startswith("Daily quiz")
    stored = fake.get_message(DEFAULT_CHANNEL_ID, ts)
    assert stored is not None
    assert stored["metadata"] == meta
    assert "The bigger one." in json.dumps(stored["blocks"])
    assert "edited" in stored
    assert "<!channel>" not in json.dumps(posted.args)


@pytest.mark.asyncio
async def test_transport_is_chosen_by_settings(fake: FakeSlack, core: Core) -> None:
    socket_only = make_settings(fake, socket_mode=True).model_copy(
        update={"slack_signing_secret": None}
    )
    assert isinstance(SlackBot(core, socket_only).transport(), SocketModeTransport)
    assert isinstance(SlackBot(core, make_settings(fake)).transport(), HttpTransport)
    neither = make_settings(fake).model_copy(update={"slack_signing_secret": None})
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        SlackBot(core, neither).transport()


@pytest.mark.asyncio
async def test_messenger_finds_a_keyed_post_after_a_crash(fake: FakeSlack) -> None:
    messenger = SlackMessenger(make_client(make_settings(fake)))
    question = cards.notice("Daily quiz", "Which one?", ephemeral=False)
    fake.add_message(DEFAULT_CHANNEL_ID, "a human said something")

    ts = await messenger.post(DEFAULT_CHANNEL_ID, question, key="slack:C0FAKECHN:2026-05-01")
    await messenger.post(DEFAULT_CHANNEL_ID, question, key="slack:C0FAKECHN:2026-05-02")

    assert await messenger.find(DEFAULT_CHANNEL_ID, "slack:C0FAKECHN:2026-05-01") == ts
    assert await messenger.find(DEFAULT_CHANNEL_ID, "slack:C0FAKECHN:2026-04-30") is None
    fake.fail_next("conversations.history", status=200, error="missing_scope")
    assert await messenger.find(DEFAULT_CHANNEL_ID, "slack:C0FAKECHN:2026-05-01") is None
