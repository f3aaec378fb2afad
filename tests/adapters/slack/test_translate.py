"""Slack's encoded text becomes what the person typed before the core sees it."""

from __future__ import annotations

import pytest

from bot.adapters.slack.translate import channel_id, plain_text


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("<@U0BOT> what is an llm", "what is an llm"),
        ("<@U0BOT|explainbot> what is an llm?", "what is an llm?"),
        ("<!here> <@U0BOT> compare gan and diffusion", "compare gan and diffusion"),
        ("<@U0BOT> <@U0ANN> what is an llm", "what is an llm"),
        ("what did <@U0ANN|ann> mean by RAG", "what did mean by RAG"),
        ("is R&amp;D in AI the same as &lt;genAI&gt;?", "is R&D in AI the same as <genAI>?"),
        ("see <https://example.com|this page> on LLMs", "see this page on LLMs"),
        ("see <https://example.com> on LLMs", "see https://example.com on LLMs"),
        ("ask in <#C0123ABCD|ai-questions>", "ask in #ai-questions"),
        ("<!subteam^S0123|@ml-team> what is ML", "@ml-team what is ML"),
        ("<!channel> <!everyone> what is AI", "what is AI"),
    ],
)
def test_plain_text(sent: str, typed: str) -> None:
    assert plain_text(sent) == typed


def test_typed_markup_is_text_not_a_mention() -> None:
    # Someone who types "<!everyone>" gets it sent encoded; decoded, it is just characters.
    assert plain_text("&lt;!everyone&gt; hi") == "<!everyone> hi"


def test_channel_links_can_be_kept_for_commands_that_take_a_channel() -> None:
    text = plain_text("set <#C0123ABCD|general> 09:00 R&amp;D", keep_channels=True)
    assert text == "set <#C0123ABCD|general> 09:00 R&D"
    assert channel_id("<#C0123ABCD|general>") == "C0123ABCD"
    assert channel_id("C0123ABCD") == "C0123ABCD"
    assert channel_id("#general") is None
