"""A local fake Slack for tests: Web API, Socket Mode websocket and response_url endpoint.

The real ``slack_bolt`` ``AsyncApp`` and ``slack_sdk`` clients talk to it unmodified::

    async with FakeSlack() as fake:
        client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
        app = AsyncApp(signing_secret=DEFAULT_SIGNING_SECRET, client=client)
        handler = AsyncSocketModeHandler(app, DEFAULT_APP_TOKEN, ping_interval=0.5)
        await handler.connect_async()
        ack = await fake.send_envelope("slash_commands", slash_command_payload(
            "/explain", "rag", response_url=fake.response_url("r1")))

For Bolt's HTTP mode, build the bodies Slack sends (``slash_command_body``,
``event_callback_body``, ``block_actions_body``) and sign them with ``signed_headers``.

Modules: ``harness`` (the server: Web API transport, response URLs, recording, failures),
``web_api`` (the Web API methods and the workspace they act on), ``socket_mode``,
``payloads`` (requests as Slack sends them), ``signing``, ``constants``.
"""

from __future__ import annotations

from tests.fakes.slack.constants import (
    DEFAULT_APP_TOKEN,
    DEFAULT_BOT_TOKEN,
    DEFAULT_BOT_USER_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_DM_CHANNEL_ID,
    DEFAULT_SIGNING_SECRET,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
)
from tests.fakes.slack.harness import ApiCall, FakeSlack, ResponseUrlPost
from tests.fakes.slack.payloads import (
    app_home_opened_event,
    app_mention_event,
    block_actions_body,
    block_actions_payload,
    event_callback_body,
    event_callback_payload,
    message_im_event,
    slash_command_body,
    slash_command_payload,
)
from tests.fakes.slack.signing import signed_headers

__all__ = [
    "DEFAULT_APP_TOKEN",
    "DEFAULT_BOT_TOKEN",
    "DEFAULT_BOT_USER_ID",
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_DM_CHANNEL_ID",
    "DEFAULT_SIGNING_SECRET",
    "DEFAULT_TEAM_ID",
    "DEFAULT_USER_ID",
    "ApiCall",
    "FakeSlack",
    "ResponseUrlPost",
    "app_home_opened_event",
    "app_mention_event",
    "block_actions_body",
    "block_actions_payload",
    "event_callback_body",
    "event_callback_payload",
    "message_im_event",
    "signed_headers",
    "slash_command_body",
    "slash_command_payload",
]
