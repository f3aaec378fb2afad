"""Helpers for the Slack adapter tests: settings for the fake, the bot over HTTP, Block Kit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.adapters.slack.app import SlackBot
from bot.settings import Settings
from tests.fakes.slack import (
    DEFAULT_APP_TOKEN,
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    FakeSlack,
    signed_headers,
)
from tests.helpers import TEST_KNOWLEDGE

LIST_ADMIN = "U0LISTADM"
"""An admin by configuration (``SLACK_ADMIN_USER_IDS``)."""


WORKSPACE_ADMIN = "U0WSADMIN"
"""An admin by ``users.info`` (``is_admin``)."""


PING_INTERVAL = 0.5


def make_settings(fake: FakeSlack, *, socket_mode: bool = False) -> Settings:
    """Settings for a bot talking to ``fake`` (no .env, no environment surprises)."""
    return Settings(
        _env_file=None,
        knowledge_dir=TEST_KNOWLEDGE,
        slack_bot_token=DEFAULT_BOT_TOKEN,
        slack_signing_secret=DEFAULT_SIGNING_SECRET,
        slack_app_token=DEFAULT_APP_TOKEN if socket_mode else None,
        slack_api_url=fake.api_url,
        slack_host="127.0.0.1",
        slack_port=0,
        slack_admin_user_ids=[LIST_ADMIN],
    )


@dataclass
class HttpBot:
    """A running bot served over HTTP, and a signed-request helper."""

    bot: SlackBot
    url: str
    fake: FakeSlack

    async def post(
        self, body: str, headers: dict[str, str] | None = None, **sign: Any
    ) -> tuple[int, str]:
        """POST ``body`` to /slack/events, signed with the right secret unless ``headers``."""
        if headers is None:
            headers = signed_headers(DEFAULT_SIGNING_SECRET, body, **sign)
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, data=body.encode(), headers=headers) as resp,
        ):
            return resp.status, await resp.text()


def texts(node: Any) -> list[str]:
    """Every string under a ``text`` key anywhere in ``node`` (blocks, views, bodies)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(texts(item))
    return found


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The button elements of a message, in order."""
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]
