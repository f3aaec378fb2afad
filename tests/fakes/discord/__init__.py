"""A local fake of Discord (REST API + gateway websocket) for driving real discord.py in tests.

:class:`FakeDiscord` is an aiohttp server on 127.0.0.1 with an ephemeral port; a stock
``discord.Client`` talks to it once :func:`patch_discord_urls` (or :func:`run_client`) has
pointed discord.py's two URL overrides at it. It speaks the gateway protocol in plain JSON text
frames and answers the REST routes the bot uses (login, command sync, interaction callbacks,
webhook follow-ups, channel messages), keeping messages and commands so later reads and edits
see earlier writes. Every REST request is recorded as a :class:`RecordedRequest`.

Discord behaviours it reproduces, so that a bot passing here behaves on Discord too:
interactions answered within 3 s and only once; follow-ups only after an acknowledgement;
message, embed, component, autocomplete and command limits answered 400; without
MESSAGE_CONTENT a guild message that does not mention the bot arrives blank; without
GUILD_MEMBERS a GUILD_CREATE lists only the bot; the bot's non-ephemeral messages come back as
gateway events; 429s with the headers discord.py needs to retry. discord.py swallows many
failures and only logs them: run tests under :func:`fail_on_error_logs`.

Typical use::

    async with FakeDiscord() as fake, run_client(fake, client):
        sent = await fake.send_slash_command("ping")
        callback = await fake.wait_for_callback(sent)
        assert callback.json["data"]["content"] == "pong"

Modules: ``harness`` (the server, ``run_client``), ``gateway`` (websocket), ``rest`` and
``ratelimits`` (REST plumbing), ``routes_*`` (REST routes by resource), ``actions`` (what users
do), ``world`` (state), ``messages``, ``payloads`` and ``validation`` (Discord's objects and
checks), ``logs`` (failing on error logs).
"""

from __future__ import annotations

from tests.fakes.discord.actions import SentInteraction
from tests.fakes.discord.harness import FakeDiscord, patch_discord_urls, run_client
from tests.fakes.discord.logs import ErrorLogCollector, fail_on_error_logs
from tests.fakes.discord.payloads import (
    DEFAULT_GUILD_ID,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeUser,
)
from tests.fakes.discord.rest import RecordedRequest

__all__ = [
    "DEFAULT_GUILD_ID",
    "MANAGE_GUILD",
    "MEMBER_PERMISSIONS",
    "ErrorLogCollector",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeUser",
    "RecordedRequest",
    "SentInteraction",
    "fail_on_error_logs",
    "patch_discord_urls",
    "run_client",
]
