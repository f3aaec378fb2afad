"""``daily set`` typed as text: the words in any order, channels as the platform links them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.adapters.slack.translate import channel_id
from bot.adapters.text.schedule import parse_schedule
from bot.core.daily.schedule import EVERY_DAY, WEEKDAYS, ScheduleError


def _console_channel(token: str) -> str | None:
    return token[1:] if token.startswith("#") else None


@pytest.mark.parametrize(
    ("text", "channel", "time", "zone", "days", "reveal_hours"),
    [
        (
            "#general 09:00 Europe/Berlin weekdays",
            "general",
            dt.time(9),
            "Europe/Berlin",
            WEEKDAYS,
            6,
        ),
        (
            "<#C0123ABCD|general> 9am America/New_York mon,wed,fri reveal 4h",
            "C0123ABCD",
            dt.time(9),
            "America/New_York",
            frozenset({0, 2, 4}),
            4,
        ),
        ("17:30 UTC every day reveal 1h30m", None, dt.time(17, 30), "UTC", EVERY_DAY, 1.5),
        (
            "6:15pm Asia/Tokyo mon-thu",
            None,
            dt.time(18, 15),
            "Asia/Tokyo",
            frozenset({0, 1, 2, 3}),
            6,
        ),
    ],
)
def test_parse_what_admins_type(
    text: str,
    channel: str | None,
    time: dt.time,
    zone: str,
    days: frozenset[int],
    reveal_hours: float,
) -> None:
    parsed = parse_schedule(text, _console_channel if text.startswith("#") else channel_id)
    assert (parsed.channel_id, parsed.local_time, parsed.timezone, parsed.days) == (
        channel,
        time,
        zone,
        days,
    )
    assert parsed.reveal_after == dt.timedelta(hours=reveal_hours)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Europe/Berlin weekdays", "missing the time of day"),
        ("25:00 UTC", "not a time of day"),
        ("09:00 Berlin", "Did you mean Europe/Berlin?"),
        ("09:00 UTC reveal forever", "not a delay"),
        ("09:00 UTC reveal 30h", "between 5 minutes and 23 hours"),
        ("#general 09:00 UTC", "not a channel link"),
        ("09:00 weekdayz", "'weekdayz' is not a day .* or a time zone"),
        ("<#C0123ABCD|general> <#C0456EFGH|random> 09:00", "not a channel link"),
    ],
)
def test_bad_schedules_say_how_to_fix_them(text: str, hint: str) -> None:
    with pytest.raises(ScheduleError, match=hint):
        parse_schedule(text, channel_id)
