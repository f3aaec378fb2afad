"""One grammar for commands typed as text: what each line means, on Slack and in the console."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.adapters.console.repl import CONSOLE_USER
from bot.adapters.slack.translate import channel_id
from bot.adapters.text.commands import (
    Admin,
    Command,
    Compare,
    DailyOff,
    DailySet,
    DailyShow,
    Explain,
    Leaderboard,
    Message,
    Quiz,
    QuizStats,
    Usage,
    parse,
    run,
)
from bot.core.replies import ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("/explain large language model", Explain("large language model")),
        ("/explain", Message("list all terms")),
        ("/compare llm generative-ai", Compare("llm", "generative-ai")),
        ("/compare llm vs generative ai", Compare("llm", "generative ai")),
        ("/compare gans, diffusion models", Compare("gans", "diffusion models")),
        ("/compare rag", Message("compare rag")),
        ("/compare gan vs diffusion vs vae", Message("compare gan vs diffusion vs vae")),
        ("/compare gpt, claude and llama", Message("compare gpt, claude and llama")),
        ("/quiz", Quiz()),
        ("/quiz transformers", Message("quiz transformers")),
        ("/quiz hard", Message("quiz hard")),
        ("/quiz stats", QuizStats()),
        ("/quiz leaderboard month", Leaderboard(month=True)),
        ("/quiz top", Leaderboard()),
        ("/explainbot reload", Admin("reload")),
        ("/gaps", Admin("gaps")),
        ("/explainbot daily show", DailyShow()),
        ("/explainbot daily off", DailyOff(None)),
        ("/explainbot daily off <#C0123ABCD|general>", DailyOff("C0123ABCD")),
        ("/help", Message("help")),
        ("what is an llm?", Message("what is an llm?")),
    ],
)
def test_what_a_line_means(line: str, command: Command) -> None:
    assert parse(line, resolve_channel=channel_id) == command


def test_daily_set_reads_a_schedule_with_the_platforms_channel_links() -> None:
    command = parse(
        "/explainbot daily set <#C0123ABCD|general> 9am Europe/Berlin weekdays reveal 4h",
        resolve_channel=channel_id,
    )
    assert isinstance(command, DailySet)
    assert command.request.channel_id == "C0123ABCD"
    assert command.request.local_time == dt.time(9)
    assert command.request.reveal_after == dt.timedelta(hours=4)


@pytest.mark.parametrize(
    "line",
    [
        "/explainbot daily set #general 09:00",
        "/explainbot daily off general",
        "/explainbot daily sometimes",
        "/explainbot dance",
    ],
)
def test_a_wrong_admin_command_explains_itself_to_admins_only(line: str) -> None:
    command = parse(line, resolve_channel=channel_id)
    assert isinstance(command, Usage)
    assert command.admin


@pytest.mark.asyncio
async def test_non_admins_get_a_refusal_not_the_admin_usage(core: Core) -> None:
    someone = Requester(platform=Platform("slack"), user_id="U1", scope_id="T1")
    command = parse("/explainbot daily set #general 09:00", resolve_channel=channel_id)
    refused = await run(core, command, someone)
    assert refused.title == "Only admins can do that"
    shown = await run(core, command, CONSOLE_USER)
    assert shown.title == "That schedule didn't work"
    assert shown.kind is ReplyKind.NOTICE
