"""The terminal front end: the same core as Discord and Slack, with no tokens at all."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.adapters.console.render import render_plain
from bot.adapters.console.translate import plain_text
from bot.adapters.text import commands as text_commands
from bot.core import cards
from bot.core.replies import Reply, Tone
from bot.core.request import Platform, Requester
from bot.core.service import Core

PLATFORM = Platform("console")
CONSOLE_USER = Requester(
    platform=PLATFORM,
    user_id="console",
    scope_id="local",
    channel_id="console",
    display_name="you",
    is_admin=True,
)
"""The person at the terminal: the console has one user, who owns the knowledge files."""

CONVERSATION = "console"
"""The terminal is one conversation: a follow-up builds on the previous answer."""
PROMPT = "you> "
WELCOME = (
    'explainbot console. Ask anything ("what is an LLM?"), or use /explain, /compare, /quiz,\n'
    "/quiz stats, /quiz leaderboard, /reload, /gaps. Pick a button by its number. "
    "Type quit to leave.\n"
)


class ConsoleSession:
    """One person at the terminal: routes lines to the core and remembers the last buttons."""

    def __init__(self, core: Core, who: Requester = CONSOLE_USER) -> None:
        self.core = core
        self.who = who
        self._buttons: list[str] = []

    async def handle(self, line: str) -> Reply | None:
        """The reply to one typed line, or None for an empty line."""
        line = plain_text(line)
        if not line:
            return None
        reply = await self._route(line)
        self._buttons = [button.action for button in reply.buttons()]
        return reply

    async def _route(self, line: str) -> Reply:
        if line.isdigit() and self._buttons:
            index = int(line) - 1
            if 0 <= index < len(self._buttons):
                return await self.core.action(self._buttons[index], self.who)
        command = text_commands.parse(line, resolve_channel=_channel)
        if isinstance(command, text_commands.DailySet | text_commands.DailyOff):
            return cards.notice(
                "The daily quiz posts in Discord and Slack channels",
                "Set it up there with /explainbot daily set; "
                "'explainbot daily list' shows every schedule.",
                tone=Tone.WARNING,
            )
        return await text_commands.run(self.core, command, self.who, thread=CONVERSATION)


def _channel(token: str) -> str | None:
    """In the terminal a channel is any ``#name``: there is no platform to resolve it."""
    return token[1:] if token.startswith("#") and len(token) > 1 else None


async def run_console(
    core: Core,
    *,
    read_line: Callable[[str], Awaitable[str]] | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """The REPL: read a line, answer it, until quit or end of input."""
    session = ConsoleSession(core)
    reader = read_line or _read_stdin
    out.write(WELCOME + "\n")
    out.flush()
    while True:
        try:
            line = await reader(PROMPT)
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            break
        if line.strip().lower() in {"quit", "exit", ":q", "/quit"}:
            break
        reply = await session.handle(line)
        if reply is not None:
            out.write(render_plain(reply) + "\n\n")
            out.flush()


async def _read_stdin(prompt: str) -> str:
    return await asyncio.to_thread(input, prompt)


def reply_json(reply: Reply) -> str:
    """One reply as a JSON line: kind, terms (in the order named) and its plain text."""
    return json.dumps(
        {
            "kind": reply.kind.value,
            "terms": [{"id": term.id, "name": term.name} for term in reply.terms],
            "text": render_plain(reply),
            "ephemeral": reply.ephemeral,
        },
        ensure_ascii=False,
    )
