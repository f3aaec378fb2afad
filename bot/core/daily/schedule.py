"""Daily quiz schedules: what admins type, and when a channel's quiz is due.

Times are local to the channel's IANA time zone, so a 09:00 Europe/Berlin quiz stays at 09:00
across daylight-saving changes. A quiz is due from its local time until the end of that local
day: a bot that was down at post time posts late the same day, and a wholly missed day is
simply skipped (never flooded later).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.request import Platform

logger = logging.getLogger(__name__)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})
DEFAULT_REVEAL = dt.timedelta(hours=6)
REVEAL_MIN = dt.timedelta(minutes=5)
REVEAL_MAX = dt.timedelta(hours=23)


@dataclass(frozen=True, slots=True)
class Schedule:
    """One channel's daily quiz."""

    platform: Platform
    channel_id: str
    scope_key: str
    local_time: dt.time
    timezone: str
    days: frozenset[int]
    reveal_after: dt.timedelta = DEFAULT_REVEAL

    @property
    def zone(self) -> ZoneInfo:
        """The channel's time zone."""
        return ZoneInfo(self.timezone)

    def due_date(self, now: dt.datetime) -> dt.date | None:
        """The local date whose quiz is due at ``now`` (UTC), or None before today's time."""
        local = now.astimezone(self.zone)
        if local.weekday() in self.days and local.time() >= self.local_time:
            return local.date()
        return None

    def post_time(self, day: dt.date) -> dt.datetime:
        """When the quiz of local ``day`` is posted, in UTC (a time skipped by DST moves on)."""
        local = dt.datetime.combine(day, self.local_time, tzinfo=self.zone)
        # A wall time that does not exist (spring forward) normalises to the next real one.
        return local.astimezone(dt.UTC).astimezone(self.zone).astimezone(dt.UTC)

    def next_post(self, now: dt.datetime) -> dt.datetime:
        """The next post time strictly after ``now`` (UTC)."""
        today = now.astimezone(self.zone).date()
        for offset in range(0, 9):
            day = today + dt.timedelta(days=offset)
            if day.weekday() in self.days and self.post_time(day) > now:
                return self.post_time(day)
        raise ValueError("a schedule needs at least one day")  # pragma: no cover

    def describe(self) -> str:
        """Human summary: '09:00 Europe/Berlin on weekdays, answer after 6h'."""
        hours, rest = divmod(int(self.reveal_after.total_seconds()) // 60, 60)
        reveal = f"{hours}h{rest:02d}" if rest else f"{hours}h"
        return (
            f"{self.local_time:%H:%M} {self.timezone} on {describe_days(self.days)}, "
            f"answer revealed after {reveal}"
        )


def describe_days(days: frozenset[int]) -> str:
    """'every day', 'weekdays', 'weekends' or 'mon, wed, fri'."""
    if days == EVERY_DAY:
        return "every day"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    return ", ".join(DAY_NAMES[d] for d in sorted(days))


class ScheduleError(ValueError):
    """Admin input that does not describe a schedule; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class ScheduleRequest:
    """What ``daily set`` asked for; the channel is None for "this channel"."""

    channel_id: str | None
    local_time: dt.time
    timezone: str
    days: frozenset[int]
    reveal_after: dt.timedelta


_CHANNEL = re.compile(
    r"^<#(?P<id>[A-Za-z0-9]+)(?:\|[^>]*)?>$|^#?(?P<raw>[CDG][A-Z0-9]{6,}|\d{15,22})$"
)
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)
_REVEAL = re.compile(r"^(?:(?P<h>\d{1,2})h)?(?:(?P<m>\d{1,3})m(?:in)?)?$", re.IGNORECASE)
_ZONE_ALIASES = {"utc": "UTC", "gmt": "UTC", "z": "UTC"}
USAGE = (
    "daily set [#channel] HH:MM [Time/Zone] [every day|weekdays|weekends|mon,wed,fri] "
    "[reveal 4h]. Example: daily set #general 09:00 Europe/Berlin weekdays"
)


def parse_channel(token: str) -> str | None:
    """A channel id from ``<#123>``, ``<#C123|name>`` or a bare id; None if not a channel."""
    found = _CHANNEL.match(token.strip())
    if found is None:
        return None
    return found["id"] or found["raw"]


def parse_schedule(text: str) -> ScheduleRequest:
    """Parse the arguments of ``daily set``; raise :class:`ScheduleError` with a fix hint."""
    tokens = text.replace(",", " , ").split()
    channel: str | None = None
    clock: dt.time | None = None
    zone = "UTC"
    days: set[int] = set()
    named_days = False
    reveal = DEFAULT_REVEAL
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lowered = token.casefold()
        index += 1
        if lowered in {",", "on", "at", "every", "in"}:
            if lowered == "every" and index < len(tokens) and tokens[index].casefold() == "day":
                days |= EVERY_DAY
                named_days = True
                index += 1
            continue
        if channel is None and parse_channel(token):
            channel = parse_channel(token)
            continue
        if lowered == "reveal" or lowered == "reveal_after":
            if index >= len(tokens):
                raise ScheduleError("say how long after posting to reveal, e.g. 'reveal 4h'")
            reveal = _parse_reveal(tokens[index])
            index += 1
            continue
        if clock is None and _TIME.match(lowered):
            if index < len(tokens) and tokens[index].casefold() in {"am", "pm"}:
                lowered += tokens[index].casefold()
                index += 1
            clock = _parse_time(lowered)
            continue
        if token.startswith("#") or token.startswith("<#"):
            raise ScheduleError(
                f"'{token}' is not a channel link: choose the channel from the list that "
                "appears as you type #, so it becomes a link"
            )
        parsed_days = _parse_days(lowered)
        if parsed_days is not None:
            days |= parsed_days
            named_days = True
            continue
        zone = _parse_zone(token)
    if clock is None:
        raise ScheduleError(f"missing the time of day. Usage: {USAGE}")
    return ScheduleRequest(
        channel_id=channel,
        local_time=clock,
        timezone=zone,
        days=frozenset(days) if named_days else EVERY_DAY,
        reveal_after=reveal,
    )


def _parse_time(text: str) -> dt.time:
    found = _TIME.match(text)
    assert found is not None
    hour, minute = int(found["h"]), int(found["m"] or 0)
    ampm = (found["ampm"] or "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"'{text}' is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"'{text}' is not a time of day: use 24-hour HH:MM such as 09:00")
    return dt.time(hour, minute)


def _parse_days(text: str) -> frozenset[int] | None:
    simple = {
        "daily": EVERY_DAY,
        "everyday": EVERY_DAY,
        "weekdays": WEEKDAYS,
        "weekday": WEEKDAYS,
        "workdays": WEEKDAYS,
        "weekends": WEEKENDS,
        "weekend": WEEKENDS,
    }
    if text in simple:
        return simple[text]
    if "-" in text:
        start, _, end = text.partition("-")
        first, last = _day(start), _day(end)
        if first is None or last is None:
            return None
        return frozenset(range(first, last + 1)) if first <= last else None
    day = _day(text)
    return frozenset({day}) if day is not None else None


_DAY_WORDS = {
    word: number
    for number, (short, full) in enumerate(
        zip(
            DAY_NAMES,
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            strict=True,
        )
    )
    for word in (short, full, full + "s", full[:4])
}


def _day(text: str) -> int | None:
    return _DAY_WORDS.get(text.strip().casefold())


def _parse_zone(token: str) -> str:
    name = _ZONE_ALIASES.get(token.casefold(), token)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        guess = _zone_guess(token)
        hint = f" Did you mean {guess}?" if guess else ""
        raise ScheduleError(
            f"'{token}' is not a time zone I know.{hint} Use an IANA name such as "
            "Europe/Berlin, America/New_York or UTC."
        ) from None
    return name


def _zone_guess(token: str) -> str | None:
    wanted = token.casefold().replace(" ", "_")
    for zone in sorted(available_timezones()):
        if zone.casefold().endswith("/" + wanted) or zone.casefold() == wanted:
            return zone
    return None


def _parse_reveal(text: str) -> dt.timedelta:
    found = _REVEAL.match(text)
    if found is None or not (found["h"] or found["m"]):
        raise ScheduleError(f"'{text}' is not a delay: write it like 4h, 90m or 1h30m")
    delay = dt.timedelta(hours=int(found["h"] or 0), minutes=int(found["m"] or 0))
    if not REVEAL_MIN <= delay <= REVEAL_MAX:
        raise ScheduleError("the reveal delay must be between 5 minutes and 23 hours")
    return delay
