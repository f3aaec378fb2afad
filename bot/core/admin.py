"""Replies to admin commands: reload results, status, knowledge gaps and daily schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core import cards
from bot.core.daily.schedule import Schedule
from bot.core.knowledge.loader import LoadResult
from bot.core.ports import Gap
from bot.core.replies import Bullets, Field, Fields, Heading, Reply, ReplyKind, Tone

RELOAD_ERRORS_SHOWN = 10
"""Problems listed in a rejected reload's reply; ``explainbot check`` lists them all."""


def admins_only() -> Reply:
    """The refusal a non-admin gets for an admin command."""
    return cards.notice(
        "Only admins can do that",
        "Ask an admin of this server or workspace.",
        tone=Tone.WARNING,
    )


def reload_result(result: LoadResult) -> Reply:
    """What a reload did: the new counts, or the problems that kept the previous knowledge."""
    if result.base is None:
        shown = [str(error) for error in result.errors[:RELOAD_ERRORS_SHOWN]]
        more = len(result.errors) - len(shown)
        if more:
            shown.append(f"... and {more} more (run 'explainbot check' to see all)")
        return Reply(
            ReplyKind.ERROR,
            (
                Heading("Reload rejected: still serving the previous knowledge", tone=Tone.BAD),
                Bullets(f"{len(result.errors)} problem(s)", tuple(shown)),
            ),
            ephemeral=True,
        )
    counts = result.base.counts()
    return cards.notice(
        "Knowledge reloaded",
        ", ".join(f"{count} {kind}" for kind, count in counts.items())
        + f" in {result.seconds * 1000:.0f} ms.",
        tone=Tone.GOOD,
    )


def status(
    counts: dict[str, int], *, reloads: int, database_ok: bool, last: LoadResult | None
) -> Reply:
    """Knowledge counts, reloads, database health and a rejected last reload."""
    items = [Field(kind.capitalize(), str(count)) for kind, count in counts.items()]
    items.append(Field("Reloads", str(reloads)))
    items.append(Field("Database", "ok" if database_ok else "unreachable"))
    if last is not None and last.errors:
        items.append(Field("Last reload", f"rejected ({len(last.errors)} problems)"))
    return Reply(
        ReplyKind.NOTICE, (Heading("explainbot status"), Fields(tuple(items))), ephemeral=True
    )


def gaps(found: Sequence[Gap]) -> Reply:
    """What people asked for most that the knowledge lacks."""
    if not found:
        return cards.notice("No knowledge gaps recorded yet", "Everyone found what they asked for.")
    return Reply(
        ReplyKind.NOTICE,
        (
            Heading("Most asked, not in the knowledge"),
            Bullets("Asked for", tuple(_gap_line(gap) for gap in found)),
        ),
        ephemeral=True,
    )


def _gap_line(gap: Gap) -> str:
    times = "once" if gap.count == 1 else f"{gap.count} times"
    return f'"{gap.query}": {times}, last on {gap.last_asked:%Y-%m-%d}'


def schedule_saved(schedule: Schedule, upcoming: dt.datetime) -> Reply:
    """A daily quiz was set up; ``upcoming`` is its next post in the channel's zone."""
    return cards.notice(
        "Daily quiz scheduled",
        f"{schedule.describe()}. Next one: {upcoming:%A %d %B, %H:%M} ({schedule.timezone}).",
        tone=Tone.GOOD,
    )


def schedule_removed(removed: bool) -> Reply:
    """The answer to turning a channel's daily quiz off."""
    if removed:
        return cards.notice("Daily quiz turned off", tone=Tone.GOOD)
    return cards.notice("There was no daily quiz in that channel")


def schedules(found: Sequence[Schedule]) -> Reply:
    """Every daily quiz of a server or workspace."""
    if not found:
        return cards.notice(
            "No daily quiz yet", "An admin can set one up with /explainbot daily set."
        )
    lines = tuple(f"channel {s.channel_id}: {s.describe()}" for s in found)
    return Reply(
        ReplyKind.NOTICE, (Heading("Daily quizzes"), Bullets("Scheduled", lines)), ephemeral=True
    )


def daily_unavailable() -> Reply:
    """This process runs without a daily quiz store."""
    return cards.notice("The daily quiz is not available here", tone=Tone.WARNING)
