"""Discord's mention markup never reaches the core: it answers the words, not who was pinged."""

from __future__ import annotations

import pytest

from bot.adapters.discord.translate import without_markup


@pytest.mark.parametrize(
    ("content", "question"),
    [
        ("<@1100000000000000001> what is an llm", "what is an llm"),
        ("<@!1100000000000000001> <@1100000000000000002> what is an llm", "what is an llm"),
        ("<@&1100000000000000003> define rag", "define rag"),
        ("see <#1100000000000000004> for gans vs diffusion", "see for gans vs diffusion"),
        ("@everyone what is ai", "@everyone what is ai"),
    ],
)
def test_mentions_are_removed(content: str, question: str) -> None:
    assert without_markup(content) == question
