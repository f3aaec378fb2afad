"""The manifest and the app agree: every command and event registered is subscribed, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.adapters.slack.app import COMMANDS, EVENTS
from tests.adapters.slack.helpers import HttpBot
from tests.fakes.slack import (
    app_home_opened_event,
    app_mention_event,
    event_callback_body,
    message_im_event,
    slash_command_body,
)

MANIFEST = Path(__file__).resolve().parents[3] / "manifest.yml"
SAMPLE_EVENTS = {
    "app_mention": lambda: app_mention_event("<@U0FAKEBOT> help"),
    "message.im": lambda: message_im_event("help"),
    "app_home_opened": lambda: app_home_opened_event(),
}


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_manifest_lists_exactly_what_the_app_registers() -> None:
    data = manifest()
    commands = {c["command"] for c in data["features"]["slash_commands"]}
    events = set(data["settings"]["event_subscriptions"]["bot_events"])

    assert commands == set(COMMANDS)
    assert events == set(EVENTS.values())
    assert all(c["description"] and c["usage_hint"] for c in data["features"]["slash_commands"])
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert set(data["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "app_mentions:read",
        "chat:write",
        "im:history",
        "users:read",
        "channels:history",
        "groups:history",
    }


@pytest.mark.asyncio
async def test_every_manifest_entry_is_handled_by_the_app(http_bot: HttpBot) -> None:
    data = manifest()
    url = http_bot.fake.response_url("m")
    for entry in data["features"]["slash_commands"]:
        status, _ = await http_bot.post(slash_command_body(entry["command"], "", response_url=url))
        assert status == 200, entry["command"]
    for name in data["settings"]["event_subscriptions"]["bot_events"]:
        status, _ = await http_bot.post(event_callback_body(SAMPLE_EVENTS[name]()))
        assert status == 200, name
    # ...and something the manifest does not subscribe to is not handled (Bolt answers 404).
    status, _ = await http_bot.post(slash_command_body("/unknown", "", response_url=url))
    assert status == 404
    await http_bot.bot.drain()
