"""The slash commands: ``/explain``, ``/compare``, ``/quiz`` and the ``/explainbot`` admin group.

Design: ``/quiz`` is one command so the common case is one word; an optional ``show`` choice
picks stats or a leaderboard instead of a question, and ``topic`` narrows the question.
Commands whose work touches the database defer first (Discord's 3-second deadline) and follow
up; definitions and comparisons answer at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.adapters.discord.render import render, shorten
from bot.adapters.discord.translate import from_interaction, without_markup
from bot.core import cards
from bot.core.admin import admins_only
from bot.core.daily.schedule import ScheduleError, schedule_request
from bot.core.knowledge.model import Difficulty
from bot.core.replies import Reply, Tone
from bot.core.request import Requester

if TYPE_CHECKING:
    from bot.core.service import Core

logger = logging.getLogger(__name__)

TERM_MAX = 100
CHOICE_MAX = 100
AUTOCOMPLETE_MAX = 25
"""Discord shows at most 25 autocomplete choices."""

QUIZ_SHOW = [
    app_commands.Choice(name="a new question", value="question"),
    app_commands.Choice(name="my stats", value="stats"),
    app_commands.Choice(name="leaderboard (all time)", value="leaderboard"),
    app_commands.Choice(name="leaderboard (this month)", value="leaderboard-month"),
]

DIFFICULTIES = [app_commands.Choice(name=level.value, value=level.value) for level in Difficulty]
CoreGetter = Callable[[], "Core"]
Term = app_commands.Range[str, 1, TERM_MAX]


async def send_reply(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Answer an interaction with ``reply``: the response if still open, else a follow-up."""
    rendered = render(reply)
    if interaction.response.is_done():
        await interaction.followup.send(**rendered.kwargs())
    else:
        await interaction.response.send_message(**rendered.kwargs())


async def deferred(
    interaction: discord.Interaction[Any],
    work: Callable[[Requester], Awaitable[Reply]],
    *,
    ephemeral: bool,
) -> None:
    """Acknowledge now (Discord shows "thinking"), compute, then replace it with the reply."""
    who = from_interaction(interaction)
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    await send_reply(interaction, await work(who))


def add_commands(tree: app_commands.CommandTree[Any], core: CoreGetter) -> None:
    """Register every explainbot command on ``tree``; ``core`` is looked up at call time."""

    async def terms(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        found = core().autocomplete(current[:TERM_MAX], limit=AUTOCOMPLETE_MAX)
        return [
            app_commands.Choice(name=shorten(ref.name, CHOICE_MAX), value=ref.id[:CHOICE_MAX])
            for ref in found
        ]

    @tree.command(name="explain", description="Explain an AI term: definition, examples, related")
    @app_commands.describe(term="The term, e.g. llm or generative AI")
    @app_commands.autocomplete(term=terms)
    async def explain(interaction: discord.Interaction[Any], term: Term) -> None:
        who = from_interaction(interaction)
        await send_reply(interaction, await core().explain(without_markup(term), who))

    @tree.command(name="compare", description="Compare two AI terms side by side")
    @app_commands.describe(first="The first term, e.g. llm", second="The second term")
    @app_commands.autocomplete(first=terms, second=terms)
    async def compare(interaction: discord.Interaction[Any], first: Term, second: Term) -> None:
        who = from_interaction(interaction)
        reply = await core().compare(without_markup(first), without_markup(second), who)
        await send_reply(interaction, reply)

    @tree.command(name="quiz", description="A practice question, your stats, or the leaderboard")
    @app_commands.describe(
        show="What to show (default: a new question)",
        topic="Question topic",
        difficulty="How hard (default: any)",
    )
    @app_commands.choices(show=QUIZ_SHOW, difficulty=DIFFICULTIES)
    @app_commands.autocomplete(topic=terms)
    async def quiz(
        interaction: discord.Interaction[Any],
        show: app_commands.Choice[str] | None = None,
        topic: Term | None = None,
        difficulty: app_commands.Choice[str] | None = None,
    ) -> None:
        match show.value if show else "question":
            case "stats":
                await deferred(interaction, core().quiz_stats, ephemeral=True)
            case "leaderboard":
                await deferred(interaction, lambda w: core().leaderboard(w), ephemeral=False)
            case "leaderboard-month":
                await deferred(
                    interaction, lambda w: core().leaderboard(w, month=True), ephemeral=False
                )
            case _:
                wanted = without_markup(topic) if topic else None
                level = Difficulty(difficulty.value) if difficulty else None
                await deferred(
                    interaction,
                    lambda w: core().practice_quiz(w, wanted, difficulty=level),
                    ephemeral=False,
                )

    admin = app_commands.Group(
        name="explainbot",
        description="Admin: reload the knowledge, status, knowledge gaps, daily quiz",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )

    async def admin_only(
        interaction: discord.Interaction[Any], work: Callable[[Requester], Awaitable[Reply]]
    ) -> None:
        who = from_interaction(interaction)
        if not who.is_admin:
            # Checked here too: default_permissions can be overridden by server settings.
            logger.info("admin command refused for user %s", who.user_id)
            await send_reply(interaction, await work(who))  # the core answers with a refusal
            return
        await deferred(interaction, work, ephemeral=True)

    @admin.command(name="reload", description="Reload the knowledge files now")
    async def reload(interaction: discord.Interaction[Any]) -> None:
        await admin_only(interaction, core().reload_reply)

    @admin.command(name="status", description="Knowledge counts, reloads and database health")
    async def status(interaction: discord.Interaction[Any]) -> None:
        await admin_only(interaction, core().status_reply)

    @admin.command(name="gaps", description="What people asked for that the knowledge lacks")
    async def gaps(interaction: discord.Interaction[Any]) -> None:
        await admin_only(interaction, core().gaps_reply)

    daily = app_commands.Group(
        name="daily", description="Admin: the daily quiz in a channel", parent=admin
    )

    @daily.command(name="set", description="Post a daily quiz in a channel at a local time")
    @app_commands.describe(
        time="Local time, e.g. 09:00 or 9am",
        timezone="IANA time zone, e.g. Europe/Berlin (default UTC)",
        days="every day, weekdays, weekends or e.g. mon,wed,fri (default every day)",
        reveal="When to reveal the answer after posting, e.g. 4h or 90m (default 6h)",
        channel="The channel (default: this one)",
    )
    async def daily_set(
        interaction: discord.Interaction[Any],
        time: app_commands.Range[str, 1, 10],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        days: app_commands.Range[str, 1, 40] = "every day",
        reveal: app_commands.Range[str, 1, 10] = "6h",
        channel: discord.TextChannel | None = None,
    ) -> None:
        channel_id = str(channel.id) if channel is not None else None
        try:
            request = schedule_request(
                time=time, timezone=timezone, days=days, reveal=reveal, channel_id=channel_id
            )
        except ScheduleError as exc:
            problem = cards.notice("That schedule didn't work", str(exc), tone=Tone.WARNING)
            await admin_only(interaction, lambda who: _if_admin(who, problem))
            return
        await admin_only(interaction, lambda who: core().daily_set(request, who))

    @daily.command(name="off", description="Stop the daily quiz in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    async def daily_off(
        interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        channel_id = str(channel.id) if channel is not None else None
        await admin_only(interaction, lambda who: core().daily_off(channel_id, who))

    @daily.command(name="show", description="List the daily quizzes in this server")
    async def daily_show(interaction: discord.Interaction[Any]) -> None:
        await admin_only(interaction, core().daily_show)

    tree.add_command(admin)


async def _if_admin(who: Requester, reply: Reply) -> Reply:
    """``reply`` for an admin; the core's refusal for anyone else."""
    return reply if who.is_admin else admins_only()
