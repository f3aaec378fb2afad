"""``daily set [#channel] 09:00 Europe/Berlin weekdays reveal 4h`` typed as text.

The values (time, zone, days, reveal delay) are read by the core's parsers in
:mod:`bot.core.daily.schedule`; this module only finds them among the words, in any order.
A channel is whatever the platform's ``resolve_channel`` recognises as one (Slack: a
``<#C123|name>`` link; the console: ``#name``).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.daily.schedule import (
    DEFAULT_REVEAL,
    EVERY_DAY,
    ScheduleError,
    ScheduleRequest,
    parse_days,
    parse_reveal,
    parse_time,
    parse_zone,
)

ChannelResolver = Callable[[str], str | None]
"""A word → the channel id it names, or None when it is not a channel reference."""

USAGE = (
    "daily set [#channel] HH:MM [Time/Zone] [every day|weekdays|weekends|mon,wed,fri] "
    "[reveal 4h]. Example: daily set #general 09:00 Europe/Berlin weekdays"
)
_FILLERS = {",", "on", "at", "every", "in"}


def _zone_or_explain(token: str) -> str:
    """A time zone; a word that is neither a zone nor a day says both were tried."""
    try:
        return parse_zone(token)
    except ScheduleError as exc:
        if "/" in token or "Did you mean" in str(exc):
            raise
        raise ScheduleError(
            f"'{token}' is not a day (every day, weekdays, weekends, mon,wed,fri) or a time "
            "zone (an IANA name such as Europe/Berlin or UTC)"
        ) from None


def parse_schedule(text: str, resolve_channel: ChannelResolver) -> ScheduleRequest:
    """The arguments of ``daily set``; raises :class:`ScheduleError` with a fix hint."""
    tokens = text.replace(",", " , ").split()
    channel: str | None = None
    clock = None
    zone = "UTC"
    days: set[int] = set()
    named_days = False
    reveal = DEFAULT_REVEAL
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lowered = token.casefold()
        index += 1
        if lowered in _FILLERS:
            if lowered == "every" and index < len(tokens) and tokens[index].casefold() == "day":
                days |= EVERY_DAY
                named_days = True
                index += 1
            continue
        if channel is None and (found := resolve_channel(token)) is not None:
            channel = found
            continue
        if lowered in {"reveal", "reveal_after"}:
            if index >= len(tokens):
                raise ScheduleError("say how long after posting to reveal, e.g. 'reveal 4h'")
            reveal = parse_reveal(tokens[index])
            index += 1
            continue
        if clock is None and lowered[:1].isdigit():
            if index < len(tokens) and tokens[index].casefold() in {"am", "pm"}:
                lowered += tokens[index].casefold()
                index += 1
            clock = parse_time(lowered)
            continue
        if token.startswith(("#", "<#")):
            raise ScheduleError(
                f"'{token}' is not a channel link: choose the channel from the list that "
                "appears as you type #, so it becomes a link"
            )
        parsed_days = parse_days(lowered)
        if parsed_days is not None:
            days |= parsed_days
            named_days = True
            continue
        zone = _zone_or_explain(token)
    if clock is None:
        raise ScheduleError(f"missing the time of day. Usage: {USAGE}")
    return ScheduleRequest(
        channel_id=channel,
        local_time=clock,
        timezone=zone,
        days=frozenset(days) if named_days else EVERY_DAY,
        reveal_after=reveal,
    )
