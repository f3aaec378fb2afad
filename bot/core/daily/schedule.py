"""Daily quiz schedules: the values admins give, and when a channel's quiz is due.

Times are local to the channel's IANA time zone, so a 09:00 Europe/Berlin quiz stays at 09:00
across daylight-saving changes. A quiz is due from its local time until the end of that local
day: a bot that was down at post time posts late the same day, and a wholly missed day is
simply skipped (never flooded later).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from bot.core.request import Platform

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


_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.IGNORECASE)
_REVEAL = re.compile(r"^(?:(?P<h>\d{1,2})h)?(?:(?P<m>\d{1,3})m(?:in)?)?$", re.IGNORECASE)
_ZONE_ALIASES = {"utc": "UTC", "gmt": "UTC", "z": "UTC"}


def schedule_request(
    *,
    time: str,
    timezone: str = "UTC",
    days: str = "every day",
    reveal: str = "6h",
    channel_id: str | None = None,
) -> ScheduleRequest:
    """A request from typed values, as a form or typed command options give them:
    ``time`` "09:00" or "9am", ``timezone`` an IANA name, ``days`` "weekdays" or
    "mon,wed,fri", ``reveal`` "4h" or "90m". Raises :class:`ScheduleError` with a fix hint."""
    wanted: set[int] = set()
    for word in days.replace(",", " ").split():
        if word.casefold() in {"every", "day", "on"}:
            wanted |= EVERY_DAY if word.casefold() == "day" else set()
            continue
        found = parse_days(word.casefold())
        if found is None:
            raise ScheduleError(
                f"'{word}' is not a day: use every day, weekdays, weekends or mon,wed,fri"
            )
        wanted |= found
    return ScheduleRequest(
        channel_id=channel_id,
        local_time=parse_time(time),
        timezone=parse_zone(timezone),
        days=frozenset(wanted) or EVERY_DAY,
        reveal_after=parse_reveal(reveal),
    )


def parse_time(text: str) -> dt.time:
    """``09:00``, ``9``, ``9am`` or ``9:30 pm`` as a time of day."""
    found = _TIME.match(text.strip())
    if found is None:
        raise ScheduleError(f"'{text}' is not a time of day: use 24-hour HH:MM such as 09:00")
    hour, minute = int(found["h"]), int(found["m"] or 0)
    ampm = (found["ampm"] or "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"'{text}' is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"'{text}' is not a time of day: use 24-hour HH:MM such as 09:00")
    return dt.time(hour, minute)


def parse_days(text: str) -> frozenset[int] | None:
    """One word of days (``weekdays``, ``mon``, ``mon-fri``) as weekday numbers, else None."""
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


def parse_zone(token: str) -> str:
    """An IANA time zone name in any letter case (``utc`` and ``gmt`` accepted), with a guess
    when unknown. Only canonical names count: ``localtime`` or ``posix/...`` are refused."""
    name = _ZONE_ALIASES.get(token.casefold()) or _zone_names().get(token.casefold())
    if name is None:
        guess = _zone_guess(token)
        hint = f" Did you mean {guess}?" if guess else ""
        raise ScheduleError(
            f"'{token}' is not a time zone I know.{hint} Use an IANA name such as "
            "Europe/Berlin, America/New_York or UTC."
        ) from None
    return name


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name, by its case-folded spelling."""
    return {
        zone.casefold(): zone
        for zone in available_timezones()
        if not zone.startswith(("posix/", "right/")) and zone not in {"localtime", "Factory"}
    }


def _zone_guess(token: str) -> str | None:
    wanted = token.casefold().replace(" ", "_")
    for zone in sorted(_zone_names().values()):
        if zone.casefold().endswith("/" + wanted) or zone.casefold() == wanted:
            return zone
    return None


def parse_reveal(text: str) -> dt.timedelta:
    """``4h``, ``90m`` or ``1h30m``, between 5 minutes and 23 hours."""
    found = _REVEAL.match(text)
    if found is None or not (found["h"] or found["m"]):
        raise ScheduleError(f"'{text}' is not a delay: write it like 4h, 90m or 1h30m")
    delay = dt.timedelta(hours=int(found["h"] or 0), minutes=int(found["m"] or 0))
    if not REVEAL_MIN <= delay <= REVEAL_MAX:
        raise ScheduleError("the reveal delay must be between 5 minutes and 23 hours")
    return delay
