"""Requests as Slack sends them to an app: the payloads of Socket Mode envelopes and, from the
same arguments, the HTTP bodies (form-encoded slash commands, JSON event callbacks,
form-encoded ``payload=<json>`` interactions)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec
from urllib.parse import urlencode

from tests.fakes.slack.constants import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_CHANNEL_ID,
    DEFAULT_CHANNEL_NAME,
    DEFAULT_DM_CHANNEL_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    DEFAULT_USER_NAME,
    VERIFICATION_TOKEN,
)

_P = ParamSpec("_P")


class _TsClock:
    """Strictly increasing Slack timestamps ("1700000000.000123") based on wall time."""

    def __init__(self) -> None:
        self._last_us = 0

    def next(self) -> str:
        now_us = time.time_ns() // 1_000
        self._last_us = max(now_us, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"


_clock = _TsClock()
_ids = itertools.count(1)


def new_ts() -> str:
    """A fresh message timestamp, later than every ts this module handed out before."""
    return _clock.next()


def _new_trigger_id() -> str:
    return f"{int(time.time())}.{next(_ids)}.{uuid.uuid4().hex}"


def slash_command_payload(
    command: str, text: str = "", *, response_url: str, user_id: str = DEFAULT_USER_ID
) -> dict[str, str]:
    """A slash command's fields, in Slack's order (the Socket Mode envelope payload).

    ``response_url`` has no default on purpose: use ``fake.response_url(key)`` so that
    ``respond()`` never leaves the machine.
    """
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": DEFAULT_TEAM_ID,
        "team_domain": DEFAULT_TEAM_DOMAIN,
        "channel_id": DEFAULT_CHANNEL_ID,
        "channel_name": DEFAULT_CHANNEL_NAME,
        "user_id": user_id,
        "user_name": DEFAULT_USER_NAME,
        "command": command,
        "text": text,
        "api_app_id": DEFAULT_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": _new_trigger_id(),
    }


def event_callback_payload(event: Mapping[str, Any]) -> dict[str, Any]:
    """An Events API ``event_callback`` wrapping ``event`` (the Socket Mode envelope payload)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": DEFAULT_TEAM_ID,
        "context_team_id": DEFAULT_TEAM_ID,
        "context_enterprise_id": None,
        "api_app_id": DEFAULT_APP_ID,
        "event": dict(event),
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:9].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": DEFAULT_TEAM_ID,
                "user_id": DEFAULT_BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + uuid.uuid4().hex,
    }


def _user_message(event_type: str, text: str, channel: str, **extra: str) -> dict[str, Any]:
    """A message-like event written by the default user now."""
    ts = new_ts()
    return {
        "type": event_type,
        "user": DEFAULT_USER_ID,
        "text": text,
        "ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        "team": DEFAULT_TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def app_mention_event(
    text: str, *, channel: str = DEFAULT_CHANNEL_ID, thread_ts: str | None = None
) -> dict[str, Any]:
    """An ``app_mention`` event; ``text`` should contain the mention, e.g. ``"<@U0FAKEBOT> hi"``."""
    thread = {"thread_ts": thread_ts} if thread_ts is not None else {}
    return _user_message("app_mention", text, channel, **thread)


def message_im_event(text: str) -> dict[str, Any]:
    """A direct message to the bot (``message`` event with ``channel_type: im``)."""
    return _user_message("message", text, DEFAULT_DM_CHANNEL_ID, channel_type="im")


def app_home_opened_event(user: str = DEFAULT_USER_ID) -> dict[str, Any]:
    """An ``app_home_opened`` event for the Home tab."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": DEFAULT_DM_CHANNEL_ID,
        "tab": "home",
        "event_ts": new_ts(),
    }


def block_actions_payload(
    action_id: str,
    value: str | None = None,
    *,
    response_url: str | None,
    channel_id: str | None = DEFAULT_CHANNEL_ID,
    view: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``block_actions`` payload: a button click (the Socket Mode envelope payload).

    A click in a bot message by default; with ``channel_id=None`` and a ``view``, a click in a
    view (App Home), which Slack sends without ``response_url``.
    """
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": "actions",
        "type": "button",
        "action_ts": new_ts(),
        "text": {"type": "plain_text", "text": "Button", "emoji": True},
    }
    if value is not None:
        action["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {
            "id": DEFAULT_USER_ID,
            "username": DEFAULT_USER_NAME,
            "name": DEFAULT_USER_NAME,
            "team_id": DEFAULT_TEAM_ID,
        },
        "api_app_id": DEFAULT_APP_ID,
        "token": VERIFICATION_TOKEN,
    }
    message_ts = new_ts()
    if channel_id is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    else:
        payload["container"] = {
            "type": "view",
            "view_id": str((view or {}).get("id", "V0FAKEVIEW")),
        }
    payload["trigger_id"] = _new_trigger_id()
    payload["team"] = {"id": DEFAULT_TEAM_ID, "domain": DEFAULT_TEAM_DOMAIN}
    payload["enterprise"] = None
    payload["is_enterprise_install"] = False
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": DEFAULT_CHANNEL_NAME}
        payload["message"] = {
            "user": DEFAULT_BOT_USER_ID,
            "type": "message",
            "ts": message_ts,
            "bot_id": DEFAULT_BOT_ID,
            "app_id": DEFAULT_APP_ID,
            "text": "",
            "team": DEFAULT_TEAM_ID,
            "blocks": [],
        }
    if view is not None:
        payload["view"] = dict(view)
    payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = [action]
    return payload


def _as_body(
    build: Callable[_P, Mapping[str, Any]], encode: Callable[[Mapping[str, Any]], str], doc: str
) -> Callable[_P, str]:
    """The HTTP-body twin of a payload builder: same arguments, encoded by ``encode``."""

    def body(*args: _P.args, **kwargs: _P.kwargs) -> str:
        return encode(build(*args, **kwargs))

    body.__name__ = body.__qualname__ = build.__name__.replace("_payload", "_body")
    body.__doc__ = doc
    return body


slash_command_body = _as_body(
    slash_command_payload,
    urlencode,
    "A slash command HTTP body, form-encoded exactly as Slack sends it "
    "(same arguments as ``slash_command_payload``).",
)
event_callback_body = _as_body(
    event_callback_payload,
    json.dumps,
    "An Events API HTTP body (JSON; same arguments as ``event_callback_payload``).",
)
block_actions_body = _as_body(
    block_actions_payload,
    lambda payload: urlencode({"payload": json.dumps(payload)}),
    "A ``block_actions`` HTTP body: form-encoded ``payload=<json>`` "
    "(same arguments as ``block_actions_payload``).",
)
