"""Quiz requests in everyday words: topic and difficulty are honoured wherever they are named."""

from __future__ import annotations

import pytest

from bot.adapters.console.render import render_plain
from bot.core.intents import IntentParser, QuizIntent
from bot.core.knowledge.model import Difficulty
from bot.core.replies import ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core


@pytest.mark.parametrize(
    ("message", "topic", "difficulty"),
    [
        ("one more question please", None, None),
        ("next", None, None),
        ("another one", None, None),
        ("give me a tricky one about transformers", "transformer", Difficulty.HARD),
        ("quiz me on gans, hard", "gan", Difficulty.HARD),
        ("quiz me on llms, easy", "llm", Difficulty.EASY),
        ("hard quiz about llms", "llm", Difficulty.HARD),
        ("an easy quiz please", None, Difficulty.EASY),
        ("test me on transformers", "transformer", None),
        ("test me, hard mode", None, Difficulty.HARD),
        ("medium difficulty quiz on generative ai", "generative-ai", Difficulty.MEDIUM),
    ],
)
def test_what_a_quiz_request_asks_for(
    core: Core, message: str, topic: str | None, difficulty: Difficulty | None
) -> None:
    intent = IntentParser(core.base).parse(message)
    assert isinstance(intent, QuizIntent), intent
    assert (intent.topic.id if intent.topic else None) == topic
    assert intent.difficulty == difficulty


@pytest.mark.parametrize(
    "message", ["i have a question about llms", "quick question about gans, what are they"]
)
def test_a_question_about_a_term_is_not_a_quiz_request(core: Core, message: str) -> None:
    assert not isinstance(IntentParser(core.base).parse(message), QuizIntent)


def test_not_too_hard_means_easy(core: Core) -> None:
    intent = IntentParser(core.base).parse("quiz me on transformers, not too hard")
    assert isinstance(intent, QuizIntent)
    assert intent.topic is not None
    assert intent.topic.id == "transformer"
    assert intent.difficulty is Difficulty.EASY


@pytest.mark.asyncio
async def test_a_topic_without_questions_says_so(core: Core) -> None:
    who = Requester(platform=Platform("slack"), user_id="U1", scope_id="T1")
    reply = await core.practice_quiz(who, "chatgpt")
    assert reply.kind is ReplyKind.QUIZ
    assert "No questions about ChatGPT yet" in render_plain(reply)


@pytest.mark.asyncio
async def test_a_difficulty_the_topic_lacks_says_so(core: Core) -> None:
    who = Requester(platform=Platform("slack"), user_id="U1", scope_id="T1")
    reply = await core.practice_quiz(who, "gan", difficulty=Difficulty.HARD)
    text = " ".join(render_plain(reply).split())
    assert "No hard questions about Generative adversarial network yet" in text
