"""Schedules as admins type them, and when they fall due in the channel's own time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.daily.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    Schedule,
    ScheduleError,
    schedule_request,
)
from bot.core.request import Platform

UTC = dt.UTC


def berlin(days: frozenset[int] = EVERY_DAY) -> Schedule:
    return Schedule(
        platform=Platform("discord"),
        channel_id="1",
        scope_key="discord:g",
        local_time=dt.time(9, 0),
        timezone="Europe/Berlin",
        days=days,
    )


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_due_at_local_time_in_winter_and_summer() -> None:
    schedule = berlin()
    # Winter: Berlin is UTC+1, so 09:00 local is 08:00 UTC.
    assert schedule.due_date(at(2026, 1, 14, 7, 59)) is None
    assert schedule.due_date(at(2026, 1, 14, 8, 0)) == dt.date(2026, 1, 14)
    # Summer: UTC+2, so 09:00 local is 07:00 UTC.
    assert schedule.due_date(at(2026, 7, 14, 6, 59)) is None
    assert schedule.due_date(at(2026, 7, 14, 7, 0)) == dt.date(2026, 7, 14)


def test_across_the_daylight_saving_change() -> None:
    schedule = berlin()
    # Clocks go forward on Sunday 29 March 2026 at 02:00 local.
    assert schedule.post_time(dt.date(2026, 3, 28)) == at(2026, 3, 28, 8, 0)
    assert schedule.post_time(dt.date(2026, 3, 29)) == at(2026, 3, 29, 7, 0)
    assert schedule.next_post(at(2026, 3, 28, 8, 30)) == at(2026, 3, 29, 7, 0)
    # And back on Sunday 25 October 2026.
    assert schedule.post_time(dt.date(2026, 10, 25)) == at(2026, 10, 25, 8, 0)


def test_a_wall_time_skipped_by_dst_still_posts_that_day() -> None:
    early = Schedule(
        platform=Platform("slack"),
        channel_id="C1",
        scope_key="slack:T",
        local_time=dt.time(2, 30),
        timezone="Europe/Berlin",
        days=EVERY_DAY,
    )
    # 02:30 does not exist on 29 March 2026; the quiz goes out when the clock reads 03:00.
    assert early.due_date(at(2026, 3, 29, 0, 59)) is None
    assert early.due_date(at(2026, 3, 29, 1, 0)) == dt.date(2026, 3, 29)


def test_weekdays_skip_the_weekend() -> None:
    schedule = berlin(WEEKDAYS)
    saturday = at(2026, 11, 21, 12, 0)
    assert schedule.due_date(saturday) is None
    assert schedule.due_date(at(2026, 11, 22, 12, 0)) is None  # Sunday
    assert schedule.due_date(at(2026, 11, 23, 8, 0)) == dt.date(2026, 11, 23)  # Monday
    assert schedule.next_post(saturday) == at(2026, 11, 23, 8, 0)


def test_late_the_same_day_but_never_the_day_after() -> None:
    schedule = berlin()
    assert schedule.due_date(at(2026, 11, 23, 22, 59)) == dt.date(2026, 11, 23)
    # 23:00 UTC is already the 24th in Berlin: the 23rd's quiz is no longer due, and the
    # 24th's is not due before 09:00 local.
    assert schedule.due_date(at(2026, 11, 23, 23, 0)) is None


@pytest.mark.parametrize(
    ("values", "time", "zone", "days", "reveal_hours"),
    [
        ({"time": "09:00"}, dt.time(9), "UTC", EVERY_DAY, 6),
        (
            {"time": "9am", "timezone": "America/New_York", "days": "mon,wed,fri", "reveal": "4h"},
            dt.time(9),
            "America/New_York",
            frozenset({0, 2, 4}),
            4,
        ),
        (
            {"time": "6:15pm", "timezone": "gmt", "days": "weekdays"},
            dt.time(18, 15),
            "UTC",
            WEEKDAYS,
            6,
        ),
    ],
)
def test_a_request_from_typed_values(
    values: dict[str, str], time: dt.time, zone: str, days: frozenset[int], reveal_hours: float
) -> None:
    request = schedule_request(**values, channel_id="42")
    assert (request.channel_id, request.local_time, request.timezone, request.days) == (
        "42",
        time,
        zone,
        days,
    )
    assert request.reveal_after == dt.timedelta(hours=reveal_hours)


@pytest.mark.parametrize(
    ("values", "hint"),
    [
        ({"time": "25:00"}, "not a time of day"),
        ({"time": "noonish"}, "not a time of day"),
        ({"time": "09:00", "timezone": "Berlin"}, "Did you mean Europe/Berlin?"),
        ({"time": "09:00", "timezone": "localtime"}, "not a time zone I know"),
        ({"time": "09:00", "days": "someday"}, "'someday' is not a day"),
        ({"time": "09:00", "reveal": "30h"}, "between 5 minutes and 23 hours"),
    ],
)
def test_bad_typed_values_say_how_to_fix_them(values: dict[str, str], hint: str) -> None:
    with pytest.raises(ScheduleError, match=hint):
        schedule_request(**values)
