"""Chat transcripts: a message in, the reply out, for every intent the core understands."""

from __future__ import annotations

import pytest

from bot.adapters.console.render import render_plain
from bot.core.replies import ComparisonTable, ReplyKind
from bot.core.request import Platform, Requester
from bot.core.service import Core

ALICE = Requester(
    platform=Platform("discord"), user_id="1", scope_id="guild-1", display_name="Alice"
)


async def say(core: Core, text: str) -> tuple[ReplyKind, list[str], str]:
    reply = await core.message(text, ALICE)
    return reply.kind, [term.id for term in reply.terms], render_plain(reply)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "term"),
    [
        ("what is an LLM?", "llm"),
        ("@explainbot what's a large language model", "llm"),
        ("@ExplainBot define LLMs", "llm"),
        ("@explainbot tell me about transformers", "transformer"),
        ("explain gen-ai", "generative-ai"),
        ("GANs", "gan"),
        ("difusion model", "diffusion-model"),
        ("what does GAN stand for?", "gan"),
        ("how does a transformer work", "transformer"),
        ("Gen AI", "generative-ai"),
        ("hey, what is generative AI in simple terms?", "generative-ai"),
    ],
)
async def test_definitions(core: Core, message: str, term: str) -> None:
    kind, terms, text = await say(core, message)
    assert kind is ReplyKind.DEFINITION
    assert terms == [term]
    assert core.base.terms[term].summary in " ".join(text.split())


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("what's the difference between GANs and diffusion models?", ["gan", "diffusion-model"]),
        ("LLM vs generative AI", ["llm", "generative-ai"]),
        ("compare gen ai and llms", ["generative-ai", "llm"]),
        ("how is a GAN different from a diffusion model?", ["gan", "diffusion-model"]),
        ("what's the diff between llms and genai", ["llm", "generative-ai"]),
        ("transformer versus GAN", ["transformer", "gan"]),
    ],
)
async def test_comparisons(core: Core, message: str, expected: list[str]) -> None:
    kind, terms, _ = await say(core, message)
    assert kind is ReplyKind.COMPARISON
    assert terms == expected


@pytest.mark.asyncio
async def test_curated_comparison_uses_admins_table(core: Core) -> None:
    reply = await core.message("llm vs generative ai", ALICE)
    table = next(block for block in reply.blocks if isinstance(block, ComparisonTable))
    assert table.columns == ("Large language model", "Generative AI")
    assert [row.label for row in table.rows] == ["Scope", "Core architecture"]
    assert table.rows[0].cells == ("Text and code.", "Any content.")


@pytest.mark.asyncio
async def test_any_two_known_terms_compare_without_a_curated_table(core: Core) -> None:
    reply = await core.compare("chatgpt", "diffusion model", ALICE)
    assert reply.kind is ReplyKind.COMPARISON
    table = next(block for block in reply.blocks if isinstance(block, ComparisonTable))
    assert table.rows[0].cells[0] == core.base.terms["chatgpt"].summary
    assert "no comparison" not in render_plain(reply).lower()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "faq"),
    [
        ("@explainbot is ChatGPT an LLM?", "chatgpt-llm-or-app"),
        ("chatgpt: llm or app?", "chatgpt-llm-or-app"),
        ("can LLMs make pictures?", "llm-make-images"),
        ("can an llm generate images", "llm-make-images"),
    ],
)
async def test_faq(core: Core, message: str, faq: str) -> None:
    kind, _, text = await say(core, message)
    assert kind is ReplyKind.FAQ
    entry = next(entry for entry in core.base.faq if entry.id == faq)
    assert entry.answer.split(".")[0] in text


@pytest.mark.asyncio
@pytest.mark.parametrize("message", ["help", "what can you do?", "@explainbot", "hi"])
async def test_help(core: Core, message: str) -> None:
    kind, _, text = await say(core, message)
    assert kind is ReplyKind.HELP
    assert "/explain" in text


@pytest.mark.asyncio
@pytest.mark.parametrize("message", ["quiz me", "@explainbot give me a question", "test me"])
async def test_quiz_intent_asks_a_question(core: Core, message: str) -> None:
    reply = await core.message(message, ALICE)
    assert reply.kind is ReplyKind.QUIZ
    assert len(reply.buttons()) >= 2


@pytest.mark.asyncio
async def test_quiz_on_a_topic_asks_about_it(core: Core) -> None:
    reply = await core.message("quiz me on GANs", ALICE)
    assert reply.kind is ReplyKind.QUIZ
    assert [term.id for term in reply.terms] == ["gan"]


@pytest.mark.asyncio
async def test_unknown_term_gets_suggestions_and_is_counted(core: Core) -> None:
    kind, terms, text = await say(core, "what is quantum computing?")
    assert kind is ReplyKind.NOT_FOUND
    assert terms == []
    assert '"quantum computing"' in text
    await say(core, "What is Quantum-Computing")
    await core.drain()
    gaps = await core.gaps.top_gaps(scope_key=ALICE.scope_key, limit=5)
    assert [(gap.query, gap.count) for gap in gaps] == [("quantum computing", 2)]


@pytest.mark.asyncio
async def test_not_found_offers_did_you_mean(core: Core) -> None:
    reply = await core.explain("genrative", ALICE)
    assert reply.kind in (ReplyKind.DEFINITION, ReplyKind.NOT_FOUND)
    reply = await core.explain("diffusio", ALICE)
    assert reply.kind is ReplyKind.DEFINITION
    reply = await core.explain("banana bread", ALICE)
    assert reply.kind is ReplyKind.NOT_FOUND


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "?" * 5000,
        "a" * 100_000,
        "\u200b\u200b\u200b",
        "@everyone what is <@&123> <!channel>",
        "```\nDROP TABLE users;\n```",
        "\x00\x01\x02 what is llm",
        "💥" * 3000,
    ],
)
async def test_odd_input_gets_a_bounded_reply(core: Core, message: str) -> None:
    reply = await core.message(message, ALICE)
    text = render_plain(reply)
    assert reply.kind in set(ReplyKind) - {ReplyKind.ERROR}
    assert len(text) < 4000


@pytest.mark.asyncio
async def test_zero_width_characters_do_not_hide_a_term(core: Core) -> None:
    kind, terms, _ = await say(core, "what is an L\u200bL\u200bM?")
    assert (kind, terms) == (ReplyKind.DEFINITION, ["llm"])


@pytest.mark.asyncio
async def test_autocomplete_offers_prefix_matches_first(core: Core) -> None:
    names = [term.id for term in core.autocomplete("gen", limit=25)]
    assert names[:2] == ["gan", "generative-ai"] or names[:2] == ["generative-ai", "gan"]
    assert len(core.autocomplete("", limit=25)) <= 25
    assert next(t.id for t in core.autocomplete("transfo", limit=25)) == "transformer"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "difficulty"),
    [("give me a hard question", "hard"), ("ask me an easy question", "easy")],
)
async def test_quiz_of_a_difficulty(core: Core, message: str, difficulty: str) -> None:
    reply = await core.message(message, ALICE)
    assert reply.kind is ReplyKind.QUIZ
    assert reply.blocks[0].subtitle.startswith(difficulty.capitalize())  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_a_retired_product_says_so_first_and_points_to_its_replacement(core: Core) -> None:
    reply = await core.message("what is oldchat?", ALICE)
    assert reply.kind is ReplyKind.DEFINITION
    text = " ".join(render_plain(reply).split())
    status = (
        "Retired since February 2024, replaced by ChatGPT. Its users were moved to the newer app."
    )
    assert status in text
    assert text.index(status) < text.index(core.base.terms["oldchat"].summary)
    assert reply.buttons()[0].action == "explain:chatgpt"


@pytest.mark.asyncio
async def test_a_current_term_has_no_status_line(core: Core) -> None:
    reply = await core.message("what is an LLM?", ALICE)
    assert "since" not in render_plain(reply).lower()


@pytest.mark.asyncio
async def test_three_terms_beyond_a_curated_pair_get_a_table_of_all_three(core: Core) -> None:
    # llm and generative-ai have a curated two-column table; gan is not in it.
    kind, terms, text = await say(core, "llm vs generative ai vs gan")
    assert kind is ReplyKind.COMPARISON
    assert terms == ["llm", "generative-ai", "gan"]
    assert "Large language model, Generative AI and Generative adversarial network" in text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "closest"),
    [
        ("what is transformer caching", "transformer"),
        ("what is a transformer in electrical engineering", "transformer"),
        ("what is a quantum gan", "gan"),
    ],
)
async def test_a_known_word_inside_an_unknown_concept_is_not_answered_as_the_known_one(
    core: Core, message: str, closest: str
) -> None:
    reply = await core.message(message, ALICE)
    text = " ".join(render_plain(reply).split())
    assert reply.kind is ReplyKind.NOT_FOUND, text
    assert core.base.terms[closest].name in text  # offered as the closest known term


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "term"),
    [
        ("what is a transformer in simple terms", "transformer"),
        ("what is an llm in ai", "llm"),
        ("what are gans used for", "gan"),
        ("explain gans to me like im 5", "gan"),
        ("hey what's an llm exactly? my manager keeps saying it in every meeting", "llm"),
    ],
)
async def test_words_around_a_term_that_ask_nothing_else_keep_its_card(
    core: Core, message: str, term: str
) -> None:
    kind, terms, _ = await say(core, message)
    assert kind is ReplyKind.DEFINITION
    assert terms == [term]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "message",
    [
        "compare llm, gan and transformer",
        "what's the difference between llm, gan and transformer",
        "llm vs gan vs transformer",
    ],
)
async def test_three_named_terms_are_all_compared(core: Core, message: str) -> None:
    kind, terms, _ = await say(core, message)
    assert kind is ReplyKind.COMPARISON
    assert terms == ["llm", "gan", "transformer"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "message", ["what do you know?", "list all terms", "what topics do you cover", "glossary"]
)
async def test_browsing_lists_every_term_by_category(core: Core, message: str) -> None:
    reply = await core.message(message, ALICE)
    text = render_plain(reply)
    assert reply.title == "What I can explain"
    for term in core.base.terms.values():
        assert term.name in text
        assert term.category in text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "kind", "terms"),
    [
        ("what is an llm", ReplyKind.DEFINITION, ["llm"]),
        ("llm in simple terms", ReplyKind.DEFINITION, ["llm"]),
        ("gans vs diffusion models", ReplyKind.COMPARISON, ["gan", "diffusion-model"]),
    ],
)
async def test_explain_understands_a_phrasing(
    core: Core, query: str, kind: ReplyKind, terms: list[str]
) -> None:
    reply = await core.explain(query, ALICE)
    assert reply.kind is kind
    assert [term.id for term in reply.terms] == terms


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("is it safe to upload a client contract to chatgpt", "chatgpt"),
        ("how do i stop chatgpt from making stuff up", "chatgpt"),
    ],
)
async def test_a_question_no_entry_answers_is_not_met_with_its_terms_card(
    core: Core, message: str, named: str
) -> None:
    reply = await core.message(message, ALICE)
    assert reply.kind is ReplyKind.NOT_FOUND
    assert core.base.terms[named].name in render_plain(reply)  # offered, not asserted
