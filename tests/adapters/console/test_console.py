"""The console as people use it: typed lines, pasted chat text, numbered buttons."""

from __future__ import annotations

import pytest

from bot.adapters.console.repl import ConsoleSession
from bot.adapters.console.translate import plain_text
from bot.core.replies import ReplyKind
from bot.core.service import Core


@pytest.mark.parametrize(
    ("pasted", "typed"),
    [
        ("<@U0BOT> what is an llm", "what is an llm"),
        ("<@U0BOT|explainbot> <@U0ANN> what is an llm?", "what is an llm?"),
        ("<@!123456789012345678> define gan", "define gan"),
        ("<!here> what is generative ai", "what is generative ai"),
        ("ask in <#C0123ABCD|general> pls", "ask in pls"),
        ("is 3 < 4 and 5 > 2", "is 3 < 4 and 5 > 2"),
    ],
)
def test_pasted_chat_markup_is_dropped(pasted: str, typed: str) -> None:
    assert plain_text(pasted) == typed


@pytest.mark.asyncio
async def test_a_line_pasted_from_slack_gets_the_card_it_asks_for(core: Core) -> None:
    reply = await ConsoleSession(core).handle("<@U0BOT> <@U0ANN> what is an llm")
    assert reply is not None
    assert reply.kind is ReplyKind.DEFINITION
    assert [term.id for term in reply.terms] == ["llm"]


@pytest.mark.asyncio
@pytest.mark.parametrize("line", ["/daily set #general 09:00", "/explainbot daily off #general"])
async def test_the_console_does_not_schedule_a_quiz_it_cannot_post(core: Core, line: str) -> None:
    reply = await ConsoleSession(core).handle(line)
    assert reply is not None
    assert reply.title == "The daily quiz posts in Discord and Slack channels"


@pytest.mark.asyncio
async def test_buttons_are_picked_by_number(core: Core) -> None:
    session = ConsoleSession(core)
    card = await session.handle("what is an llm")
    assert card is not None
    first = card.buttons()[0]
    reply = await session.handle("1")
    assert reply is not None
    assert first.action.startswith("explain:")
    assert [term.id for term in reply.terms] == [first.action.removeprefix("explain:")]


@pytest.mark.asyncio
async def test_the_terminal_is_one_conversation(core: Core) -> None:
    session = ConsoleSession(core)
    await session.handle("what is a gan")
    reply = await session.handle("and how is it different from diffusion models?")
    assert reply is not None
    assert [term.id for term in reply.terms] == ["gan", "diffusion-model"]
