"""One grammar for commands typed as text (Slack's slash commands, the console's lines).

:func:`parse` turns ``/name rest`` into a :data:`Command`; :func:`run` asks the core for its
reply. Discord's typed slash options go to the core directly and never come through here.
Admin words work both under ``/explainbot`` (``/explainbot daily show``) and on their own
(``/daily show``, the console's shortcut).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.adapters.text.schedule import USAGE as SCHEDULE_USAGE
from bot.adapters.text.schedule import ChannelResolver, parse_schedule
from bot.core import cards
from bot.core.admin import admins_only
from bot.core.daily.schedule import ScheduleError, ScheduleRequest
from bot.core.replies import Reply, Tone
from bot.core.request import Requester
from bot.core.service import Core

PAIR_SEPARATORS = (" vs. ", " vs ", " versus ", ",", " and ", " & ")
_SEVERAL = re.compile(r"\s*,\s*|\s+(?:vs\.?|versus|and|&)\s+")
ADMIN_USAGE = (
    "/explainbot reload · status · gaps · "
    "daily set #channel 09:00 Europe/Berlin weekdays · daily off · daily show"
)


@dataclass(frozen=True, slots=True)
class Explain:
    query: str


@dataclass(frozen=True, slots=True)
class Compare:
    first: str
    second: str


@dataclass(frozen=True, slots=True)
class Quiz:
    pass


@dataclass(frozen=True, slots=True)
class QuizStats:
    pass


@dataclass(frozen=True, slots=True)
class Leaderboard:
    month: bool = False


@dataclass(frozen=True, slots=True)
class Admin:
    """``reload``, ``status`` or ``gaps``."""

    action: str


@dataclass(frozen=True, slots=True)
class DailySet:
    request: ScheduleRequest


@dataclass(frozen=True, slots=True)
class DailyOff:
    channel_id: str | None


@dataclass(frozen=True, slots=True)
class DailyShow:
    pass


@dataclass(frozen=True, slots=True)
class Usage:
    """A command given wrongly: a title and how to use it (for admin commands, admins only)."""

    title: str
    text: str
    admin: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    """Plain words for the core's language understanding."""

    text: str


Command = (
    Explain
    | Compare
    | Quiz
    | QuizStats
    | Leaderboard
    | Admin
    | DailySet
    | DailyOff
    | DailyShow
    | Usage
    | Message
)


def split_pair(text: str) -> tuple[str, str] | None:
    """Two terms from "a b", "a vs b", "a, b" or "a and b"; None otherwise."""
    for separator in PAIR_SEPARATORS:
        if separator in text:
            first, _, second = text.partition(separator)
            if first.strip() and second.strip():
                return first.strip(), second.strip()
    parts = text.split()
    return (parts[0], parts[1]) if len(parts) == 2 else None


def parse(line: str, *, resolve_channel: ChannelResolver) -> Command:
    """The command in ``line``; a line that is not a known ``/command`` is a :class:`Message`."""
    name, _, rest = " ".join(line.split()).partition(" ")
    word, _, more = rest.partition(" ")
    match name.casefold():
        case "/explain":
            return Explain(rest) if rest else Message("list all terms")
        case "/compare":
            return _compare(rest)
        case "/quiz":
            return _quiz(word.casefold(), more, rest)
        case "/explainbot":
            return _admin(word.casefold(), more, resolve_channel)
        case "/reload" | "/status" | "/gaps" | "/daily" as shortcut:
            return _admin(shortcut[1:], rest, resolve_channel)
        case "/help":
            return Message("help")
    return Message(line)


def _compare(rest: str) -> Command:
    if len([part for part in _SEVERAL.split(rest) if part.strip()]) >= 3:
        return Message(f"compare {rest}")  # three or four terms: the core reads the list
    pair = split_pair(rest)
    if pair is not None:
        return Compare(*pair)
    if rest:
        return Message(f"compare {rest}")
    return Usage("Compare two terms", "For example: /compare llm generative-ai")


def _quiz(word: str, more: str, rest: str) -> Command:
    match word:
        case "":
            return Quiz()
        case "stats":
            return QuizStats()
        case "leaderboard" | "top":
            return Leaderboard(month=more.strip().casefold() == "month")
    # "/quiz hard", "/quiz transformers, easy": the core reads topic and difficulty.
    return Message(f"quiz {rest}")


def _admin(word: str, rest: str, resolve_channel: ChannelResolver) -> Command:
    if word in {"reload", "status", "gaps"}:
        return Admin(word)
    if word != "daily":
        return Usage("Admin commands", ADMIN_USAGE, admin=True)
    action, _, arguments = rest.strip().partition(" ")
    match action.casefold():
        case "set":
            try:
                return DailySet(parse_schedule(arguments, resolve_channel))
            except ScheduleError as exc:
                return Usage("That schedule didn't work", str(exc), admin=True)
        case "off" | "stop" | "remove":
            channel = resolve_channel(arguments.strip()) if arguments.strip() else None
            if arguments.strip() and channel is None:
                return Usage(
                    "Which channel?", f"'{arguments.strip()}' is not a channel link.", admin=True
                )
            return DailyOff(channel)
        case "show" | "list" | "":
            return DailyShow()
    return Usage("Unknown daily command", f"Try: {SCHEDULE_USAGE}", admin=True)


async def run(core: Core, command: Command, who: Requester, *, thread: str | None = None) -> Reply:
    """The core's reply to ``command`` from ``who``; plain words continue ``thread``."""
    match command:
        case Explain(query=query):
            return await core.explain(query, who)
        case Compare(first=first, second=second):
            return await core.compare(first, second, who)
        case Quiz():
            return await core.practice_quiz(who)
        case QuizStats():
            return await core.quiz_stats(who)
        case Leaderboard(month=month):
            return await core.leaderboard(who, month=month)
        case Admin(action="reload"):
            return await core.reload_reply(who)
        case Admin(action="status"):
            return await core.status_reply(who)
        case Admin():
            return await core.gaps_reply(who)
        case DailySet(request=request):
            return await core.daily_set(request, who)
        case DailyOff(channel_id=channel_id):
            return await core.daily_off(channel_id, who)
        case DailyShow():
            return await core.daily_show(who)
        case Usage(admin=True) if not who.is_admin:
            return admins_only()
        case Usage(title=title, text=text):
            return cards.notice(title, text, tone=Tone.WARNING)
        case Message(text=text):
            return await core.message(text, who, thread=thread)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover
