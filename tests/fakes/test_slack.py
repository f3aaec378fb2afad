"""Proves FakeSlack against bare, real slack-bolt / slack_sdk clients (no explainbot code)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import (
    DEFAULT_APP_TOKEN,
    DEFAULT_BOT_TOKEN,
    DEFAULT_BOT_USER_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_SIGNING_SECRET,
    DEFAULT_USER_ID,
    FakeSlack,
    app_mention_event,
    block_actions_payload,
    event_callback_body,
    event_callback_payload,
    signed_headers,
    slash_command_body,
    slash_command_payload,
)

# slack_sdk's Socket Mode client checks its connection every `ping_interval` seconds (Bolt's
# default: 10 s) and also uses it as aiohttp's heartbeat. A dropped TCP connection is noticed
# on the next check, so a short interval keeps reconnect tests fast.
PING_INTERVAL = 0.5


def make_app(fake: FakeSlack, *, client: AsyncWebClient | None = None) -> AsyncApp:
    """A bare Bolt app whose Web API client points at the fake."""
    client = client or AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
    return AsyncApp(signing_secret=DEFAULT_SIGNING_SECRET, client=client)


@asynccontextmanager
async def serve_bolt(app: AsyncApp) -> AsyncIterator[str]:
    """Serve ``app`` over HTTP on 127.0.0.1; yields the ``/slack/events`` URL."""

    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        response: web.Response = await to_aiohttp_response(bolt_response)
        return response

    web_app = web.Application()
    web_app.router.add_post("/slack/events", events)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    finally:
        await runner.cleanup()


async def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body.encode(), headers=headers) as resp,
    ):
        return resp.status, await resp.text()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake_slack:
        yield fake_slack


@pytest_asyncio.fixture
async def web_client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)


# --------------------------------------------------------------------------- HTTP transport


@pytest.mark.asyncio
async def test_http_signed_slash_command_is_acked(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.command("/ping")
    async def ping(ack: AsyncAck) -> None:
        await ack("pong")

    async with serve_bolt(app) as url:
        body = slash_command_body("/ping", "", response_url=fake.response_url("ping"))
        status, text = await post(url, body, signed_headers(DEFAULT_SIGNING_SECRET, body))

    assert (status, text) == (200, "pong")
    assert [c.method for c in fake.calls] == ["auth.test"]  # Bolt's lazy auth.test
    assert fake.calls[0].token == DEFAULT_BOT_TOKEN


@pytest.mark.asyncio
async def test_http_bad_signature_is_rejected(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.command("/ping")
    async def ping(ack: AsyncAck) -> None:
        await ack("pong")

    async with serve_bolt(app) as url:
        body = slash_command_body("/ping", "", response_url=fake.response_url("ping"))
        wrong = await post(url, body, signed_headers("not-the-secret", body))
        stale = await post(
            url,
            body,
            signed_headers(DEFAULT_SIGNING_SECRET, body, timestamp=int(time.time()) - 600),
        )

    assert wrong[0] == 401
    assert stale[0] == 401
    assert fake.calls == []


@pytest.mark.asyncio
async def test_http_app_mention_replies_in_thread(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: AsyncSay) -> None:
        await say(text="hello in thread", thread_ts=event.get("thread_ts") or event["ts"])

    event = app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> hi", channel="C0TEST")
    async with serve_bolt(app) as url:
        body = event_callback_body(event)
        status, _ = await post(url, body, signed_headers(DEFAULT_SIGNING_SECRET, body))
        call = await fake.wait_for_call("chat.postMessage")

    assert status == 200
    assert call.args["channel"] == "C0TEST"
    assert call.args["thread_ts"] == event["ts"]
    [stored] = fake.messages("C0TEST")
    assert stored["text"] == "hello in thread"
    assert stored["thread_ts"] == event["ts"]
    assert stored["bot_id"] == fake.bot_id


@pytest.mark.asyncio
async def test_rate_limited_post_message_is_retried_once(fake: FakeSlack) -> None:
    client = AsyncWebClient(
        token=DEFAULT_BOT_TOKEN,
        base_url=fake.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    app = make_app(fake, client=client)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: AsyncSay) -> None:
        await say(text="after a 429", thread_ts=event["ts"])

    # retry_after=0: slack_sdk sleeps Retry-After + random() (< 1 s) before retrying.
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    async with serve_bolt(app) as url:
        body = event_callback_body(app_mention_event(f"<@{DEFAULT_BOT_USER_ID}> hi"))
        status, _ = await post(url, body, signed_headers(DEFAULT_SIGNING_SECRET, body))
        await fake.wait_for_call("chat.postMessage", lambda c: c.ok)

    assert status == 200
    posts = fake.calls_of("chat.postMessage")
    assert [(c.status, c.ok, c.error) for c in posts] == [
        (429, False, "ratelimited"),
        (200, True, None),
    ]
    assert [m["text"] for m in fake.messages(DEFAULT_CHANNEL_ID)] == ["after a 429"]


@pytest.mark.asyncio
async def test_injected_errors_reach_the_client(
    fake: FakeSlack, web_client: AsyncWebClient
) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        await web_client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"

    fake.fail_next("chat.update", status=500, error="internal_error")
    with pytest.raises(SlackApiError) as broken:
        await web_client.chat_update(channel="C1", ts="1.0", text="x")
    assert broken.value.response.status_code == 500

    fake.fail_next("users.info", status=200, error="fatal_error")
    with pytest.raises(SlackApiError, match="fatal_error"):
        await web_client.users_info(user=DEFAULT_BOT_USER_ID)

    ok = await web_client.chat_postMessage(channel="C1", text="now fine")
    assert ok["ok"] is True


# --------------------------------------------------------------------------- Socket Mode


@asynccontextmanager
async def socket_mode(app: AsyncApp) -> AsyncIterator[AsyncSocketModeHandler]:
    handler = AsyncSocketModeHandler(app, DEFAULT_APP_TOKEN, ping_interval=PING_INTERVAL)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        yield handler
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


@pytest.mark.asyncio
async def test_socket_mode_ack_reconnect_and_respond(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.command("/ping")
    async def ping(ack: AsyncAck) -> None:
        await ack("pong")

    @app.action("vote")
    async def vote(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await respond(f"voted {body['actions'][0]['value']}")

    async with socket_mode(app):
        await fake.wait_socket_connected(1)
        command = slash_command_payload("/ping", "", response_url=fake.response_url("cmd"))
        ack = await fake.send_envelope("slash_commands", command)
        assert ack["payload"] == {"text": "pong"}
        assert set(ack) == {"envelope_id", "payload"}

        started = time.monotonic()
        await fake.drop_socket()  # TCP reset, no close frame
        await fake.wait_socket_connected(2)
        reconnect_s = time.monotonic() - started
        assert fake.socket_connections == 2
        assert len(fake.calls_of("apps.connections.open")) == 2
        ack = await fake.send_envelope("slash_commands", command)
        assert ack["payload"] == {"text": "pong"}

        click = block_actions_payload("vote", "yes", response_url=fake.response_url("act"))
        ack = await fake.send_envelope("interactive", click)
        assert set(ack) == {"envelope_id"}
        reply = await fake.wait_for_response("act")

    assert reply["text"] == "voted yes"
    assert reconnect_s < PING_INTERVAL * 4
    assert all(c.token == DEFAULT_APP_TOKEN for c in fake.calls_of("apps.connections.open"))


@pytest.mark.asyncio
async def test_socket_mode_close_frame_and_disconnect_message_reconnect(fake: FakeSlack) -> None:
    app = make_app(fake)
    seen: list[str] = []

    @app.event("app_mention")
    async def mention(ack: AsyncAck, event: dict[str, Any]) -> None:
        await ack()
        seen.append(event["text"])

    async with socket_mode(app):
        await fake.wait_socket_connected(1)
        await fake.drop_socket(abort=False)  # close frame 1011: reconnects at once
        await fake.wait_socket_connected(2, timeout=PING_INTERVAL * 2)
        await fake.send_disconnect()  # Slack's refresh_requested
        await fake.wait_socket_connected(3, timeout=PING_INTERVAL * 2)

        payload = event_callback_payload(app_mention_event("<@U0FAKEBOT> again"))
        ack = await fake.send_envelope("events_api", payload, retry_attempt=1, retry_reason="x")
        assert set(ack) == {"envelope_id"}

    assert seen == ["<@U0FAKEBOT> again"]
    assert fake.open_sockets == 0
    # slack_sdk pings each new connection at once, before it could send the ack.
    assert fake.socket_pings >= 1


# --------------------------------------------------------------------------- Web API shapes


@pytest.mark.asyncio
async def test_web_api_shapes(fake: FakeSlack, web_client: AsyncWebClient) -> None:
    auth = await web_client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == (
        fake.bot_user_id,
        fake.bot_id,
        fake.team_id,
    )

    meta = {"event_type": "explainbot_answer", "event_payload": {"term": "rag"}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*RAG*"}}]
    first = await web_client.chat_postMessage(channel="C1", text="one", metadata=meta)
    second = await web_client.chat_postMessage(channel="C1", text="two", blocks=blocks)
    reply = await web_client.chat_postMessage(channel="C1", text="r", thread_ts=first["ts"])
    assert first["ts"] < second["ts"] < reply["ts"]
    assert second["message"]["blocks"] == blocks
    assert fake.calls_of("chat.postMessage")[0].args["metadata"] == meta

    history = await web_client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["two", "one"]  # newest first, no replies
    assert "metadata" not in history["messages"][1]
    assert history["messages"][1]["reply_count"] == 1
    with_meta = await web_client.conversations_history(
        channel="C1", include_all_metadata=True, limit=1, oldest=first["ts"]
    )
    assert [m["text"] for m in with_meta["messages"]] == ["two"]
    with_meta = await web_client.conversations_history(channel="C1", include_all_metadata=True)
    assert with_meta["messages"][1]["metadata"] == meta
    limited = await web_client.conversations_history(channel="C1", limit=1)
    assert limited["has_more"] is True
    replies = await web_client.conversations_replies(channel="C1", ts=first["ts"])
    assert [m["text"] for m in replies["messages"]] == ["one", "r"]

    updated = await web_client.chat_update(channel="C1", ts=first["ts"], text="one!")
    assert updated["message"]["text"] == "one!"
    assert fake.get_message("C1", first["ts"]) == updated["message"]
    with pytest.raises(SlackApiError, match="message_not_found"):
        await web_client.chat_update(channel="C1", ts="123.456", text="x")

    eph = await web_client.chat_postEphemeral(channel="C1", user=DEFAULT_USER_ID, text="psst")
    assert fake.ephemerals[0]["message"]["ts"] == eph["message_ts"]

    link = await web_client.chat_getPermalink(channel="C1", message_ts=reply["ts"])
    assert link["permalink"].endswith(f"?thread_ts={first['ts']}&cid=C1")

    fake.add_user("U0ADMIN", "boss", is_admin=True, is_owner=True)
    admin = await web_client.users_info(user="U0ADMIN")
    assert (admin["user"]["is_admin"], admin["user"]["is_primary_owner"]) == (True, False)
    with pytest.raises(SlackApiError, match="user_not_found"):
        await web_client.users_info(user="U0NOBODY")

    view = {"type": "home", "blocks": blocks}
    published = await web_client.views_publish(user_id="U0ADMIN", view=view)
    assert fake.home_views["U0ADMIN"]["blocks"] == blocks == published["view"]["blocks"]

    with pytest.raises(SlackApiError, match="unknown_method"):
        await web_client.api_call("no.such.method")
    assert fake.calls[-1].method == "no.such.method"
    assert fake.calls[-1].error == "unknown_method"

    with pytest.raises(SlackApiError, match="no_text"):  # raw call: no slack_sdk warning
        await web_client.api_call("chat.postMessage", json={"channel": "C1"})
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        await AsyncWebClient(token=DEFAULT_APP_TOKEN, base_url=fake.api_url).auth_test()
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        await web_client.apps_connections_open(app_token=DEFAULT_BOT_TOKEN)


@pytest.mark.asyncio
async def test_form_encoded_calls_and_response_url(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            fake.api_url + "chat.postMessage",
            data={"token": DEFAULT_BOT_TOKEN, "channel": "C2", "blocks": '[{"type":"divider"}]'},
        ) as resp:
            answer = await resp.json()
        async with session.post(fake.response_url("k"), data="not json") as resp:
            assert resp.status == 400
        async with session.post(fake.response_url("k"), json={"text": "hi"}) as resp:
            assert (resp.status, await resp.text()) == (200, "ok")

    assert answer["ok"] is True
    assert fake.calls[0].token == DEFAULT_BOT_TOKEN
    assert fake.calls[0].args == {"channel": "C2", "blocks": [{"type": "divider"}]}
    assert await fake.wait_for_response("k") == {"text": "hi"}
    with pytest.raises(TimeoutError, match=r"auth\.test"):
        await fake.wait_for_call("auth.test", timeout=0.05)
