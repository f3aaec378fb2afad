"""The renderer keeps every Discord limit, whatever the size of the reply."""

from __future__ import annotations

import random

import discord
import pytest

from bot.adapters.discord import render as r
from bot.core.replies import (
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Choices,
    ComparisonTable,
    Field,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    TableRow,
    Tone,
)

WORDS = ["llm", "@everyone", "<@&1>", "**x**", "_y_", "\u200b", "a" * 50, "\n", "# h", "\\", "🙂"]


def text(rng: random.Random, size: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(size))


def random_reply(rng: random.Random) -> Reply:
    big = rng.choice([1, 10, 100, 1000, 3000])
    blocks: list[Block] = [
        Heading(
            text(rng, big), subtitle=text(rng, rng.randint(0, big)), tone=rng.choice(list(Tone))
        )
    ]
    for _ in range(rng.randint(0, 6)):
        match rng.randint(0, 5):
            case 0:
                blocks.append(Paragraph(text(rng, rng.randint(1, big)), lead=rng.random() < 0.3))
            case 1:
                items = tuple(text(rng, rng.randint(1, 40)) for _ in range(rng.randint(1, 60)))
                blocks.append(Bullets(text(rng, rng.randint(1, 80)), items))
            case 2:
                fields = tuple(
                    Field(text(rng, rng.randint(1, 80)), text(rng, rng.randint(0, big)))
                    for _ in range(rng.randint(1, 40))
                )
                blocks.append(Fields(fields))
            case 3:
                rows = tuple(
                    TableRow(text(rng, 5), (text(rng, rng.randint(1, big)), text(rng, 3)))
                    for _ in range(rng.randint(1, 30))
                )
                blocks.append(ComparisonTable((text(rng, 3), text(rng, 100)), rows))
            case 4:
                buttons = tuple(
                    Button(
                        text(rng, rng.randint(1, 40)),
                        rng.choice(["qa:", "explain:", "quiz:", "bad:"])
                        + "x" * rng.randint(1, 120),
                        rng.choice(list(ButtonStyle)),
                    )
                    for _ in range(rng.randint(1, 40))
                )
                blocks.append(Choices(buttons))
            case _:
                blocks.append(Footer(text(rng, rng.randint(1, big))))
    return Reply(ReplyKind.DEFINITION, tuple(blocks), ephemeral=rng.random() < 0.5)


def assert_within_limits(rendered: r.RenderedMessage) -> None:
    embeds = rendered.embeds
    assert 1 <= len(embeds) <= 10
    assert sum(len(e) for e in embeds) <= 6000
    for embed in embeds:
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert 1 <= len(field.name or "") <= 256
            assert 1 <= len(field.value or "") <= 1024
        assert len(embed.footer.text or "") <= 2048
        every = " ".join(
            [embed.title or "", embed.description or "", embed.footer.text or ""]
            + [f"{f.name} {f.value}" for f in embed.fields if f.name != "\u200b"]
        )
        assert "@everyone" not in every
        assert "<@" not in every
        assert "\u200b" not in every.replace("@\u200b", "").replace("<\u200b", "")
    if rendered.view is not None:
        rows = rendered.view.to_components()
        assert 1 <= len(rows) <= 5
        ids = []
        for row in rows:
            assert 1 <= len(row["components"]) <= 5
            for button in row["components"]:
                assert 1 <= len(button["label"]) <= 80
                assert len(button["custom_id"]) <= 100
                ids.append(button["custom_id"])
        assert len(ids) == len(set(ids))
        assert not any(i.startswith("bad:") for i in ids)


def test_random_replies_stay_within_every_limit() -> None:
    rng = random.Random(20261122)
    for _ in range(150):
        reply = random_reply(rng)
        rendered = r.render(reply)
        assert_within_limits(rendered)
        assert rendered.kwargs()["ephemeral"] is reply.ephemeral
        assert rendered.kwargs()["allowed_mentions"].to_dict()["parse"] == []


def test_long_definition_is_split_not_lost() -> None:
    paragraphs = tuple(Paragraph(f"part {i} " + "word " * 400) for i in range(5))
    rendered = r.render(Reply(ReplyKind.DEFINITION, (Heading("Long"), *paragraphs)))
    assert_within_limits(rendered)
    assert len(rendered.embeds) >= 2
    shown = " ".join(e.description or "" for e in rendered.embeds)
    assert "part 0" in shown
    assert "part 2" in shown


def test_overflow_is_shortened_with_an_ellipsis() -> None:
    reply = Reply(ReplyKind.DEFINITION, (Heading("T" * 1000), Paragraph("p" * 20000)))
    rendered = r.render(reply)
    assert_within_limits(rendered)
    assert rendered.embeds[0].title is not None
    assert rendered.embeds[0].title.endswith("…")
    assert (rendered.embeds[-1].description or "").endswith("…")


def test_comparison_table_is_one_field_per_dimension() -> None:
    table = ComparisonTable(
        ("LLM", "Generative AI"),
        (TableRow("Scope", ("Text", "Any media")), TableRow("Outputs", ("Text", "Many"))),
    )
    rendered = r.render(Reply(ReplyKind.COMPARISON, (Heading("LLM vs Generative AI"), table)))
    fields = rendered.embeds[0].fields
    assert [f.name for f in fields] == ["Scope", "Outputs"]
    assert fields[0].value == "**LLM:** Text\n**Generative AI:** Any media"
    assert not fields[0].inline


@pytest.mark.parametrize(
    ("raw", "forbidden"),
    [
        ("@everyone", "@everyone"),
        ("@here", "@here"),
        ("<@&123>", "<@&"),
        ("<@123>", "<@1"),
        ("<#123>", "<#1"),
        ("@\u200beveryone", "@everyone"),
        ("@\u2060here", "@here"),
        ("**bold**", "**bold**"),
        ("||spoiler||", "||spoiler||"),
        ("\u202egnp.exe", "\u202e"),
    ],
)
def test_escape_neutralises(raw: str, forbidden: str) -> None:
    assert forbidden not in r.escape(raw)


def test_tone_sets_the_colour() -> None:
    bad = r.render(Reply(ReplyKind.ERROR, (Heading("No", tone=Tone.BAD),)))
    good = r.render(Reply(ReplyKind.FEEDBACK, (Heading("Yes", tone=Tone.GOOD),)))
    assert bad.embeds[0].colour == discord.Colour(r.COLOURS[Tone.BAD])
    assert good.embeds[0].colour == discord.Colour(r.COLOURS[Tone.GOOD])


def test_split_never_breaks_an_escape() -> None:
    rng = random.Random(7)
    for _ in range(200):
        raw = "".join(rng.choice("*_~|`\\") for _ in range(rng.randint(1, 3000)))
        escaped = r.escape(raw)
        limit = rng.randint(2, 1024)
        pieces = r.split(escaped, limit)
        assert "".join(pieces) == escaped
        for piece in pieces:
            assert len(piece) <= limit
            assert len(piece) % 2 == 0
            assert all(piece[i] == "\\" for i in range(0, len(piece), 2))


def test_shorten() -> None:
    assert r.shorten("abc", 3) == "abc"
    assert r.shorten("abcdef", 4) == "abc…"
    assert r.shorten("ab\\*cd", 4) == "ab…"
    assert len(r.shorten("x" * 10_000, 80)) == 80
