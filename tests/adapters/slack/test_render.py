"""Renderer unit tests: escaping and every Block Kit limit, for huge replies."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.slack.render import (
    ACTION_ID_PATTERN,
    MAX_BLOCKS,
    escape,
    fit,
    render,
    split,
)
from bot.core.replies import (
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
)
from tests.adapters.slack.helpers import buttons, texts


def check_limits(blocks: list[dict[str, Any]], *, max_blocks: int = MAX_BLOCKS) -> None:
    """Every limit Slack enforces on a message's blocks."""
    assert len(blocks) <= max_blocks
    action_ids: list[str] = []
    for block in blocks:
        match block["type"]:
            case "header":
                assert block["text"]["type"] == "plain_text"
                assert 0 < len(block["text"]["text"]) <= 150
            case "section":
                assert "text" in block or "fields" in block
                if "text" in block:
                    assert 0 < len(block["text"]["text"]) <= 3000
                assert len(block.get("fields", [])) <= 10
                assert all(0 < len(f["text"]) <= 2000 for f in block.get("fields", []))
            case "context":
                assert 0 < len(block["elements"]) <= 10
                assert all(len(e["text"]) <= 3000 for e in block["elements"])
            case "actions":
                assert 0 < len(block["elements"]) <= 25
                for button in block["elements"]:
                    assert 0 < len(button["text"]["text"]) <= 75
                    assert len(button["value"]) <= 2000
                    assert ACTION_ID_PATTERN.match(button["action_id"])
                    action_ids.append(button["action_id"])
            case "divider":
                pass
            case other:
                pytest.fail(f"unexpected block type {other}")
    assert len(action_ids) == len(set(action_ids))


def test_escape_is_ampersand_first() -> None:
    assert escape("<!channel> & &lt;@U1&gt;") == "&lt;!channel&gt; &amp; &amp;lt;@U1&amp;gt;"


def test_fit_and_split_never_cut_an_entity() -> None:
    text = "a" * 2 + "<" * 5000
    assert len(fit(text, 100)) <= 100
    assert fit(text, 100).endswith("&lt;…")
    pieces = split(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert "".join(pieces) == escape(text)


def test_split_prefers_line_breaks() -> None:
    text = "\n".join(f"line {i} " + "x" * 80 for i in range(100))
    pieces = split(text, 3000)
    assert len(pieces) > 2
    assert all(piece.startswith("line ") for piece in pieces)


def test_huge_reply_stays_within_every_limit() -> None:
    many_buttons = tuple(Button(f"Choice {i} " + "b" * 100, f"explain:t{i}") for i in range(30))
    reply = Reply(
        ReplyKind.DEFINITION,
        (
            Heading("H" * 500, subtitle="s" * 5000),
            Paragraph("Lead " * 1000, lead=True),
            Paragraph("word " * 20_000),
            Bullets("Examples", tuple("item " * 300 for _ in range(40))),
            Fields(tuple(Field(f"name {i}", "v" * 5000) for i in range(25))),
            ComparisonTable(
                ("Left " * 50, "Right"),
                tuple(TableRow(f"row {i}", ("<" * 3000, "&" * 3000)) for i in range(20)),
            ),
            Choices(many_buttons),
            Footer("f" * 10_000),
        ),
    )
    rendered = render(reply)

    check_limits(rendered.blocks)
    assert rendered.blocks[0]["type"] == "header"
    assert len(buttons(rendered.blocks)) == 30  # buttons survive shortening
    assert rendered.blocks[-1]["elements"][0]["text"] == "Shortened to fit in one Slack message."
    assert len(rendered.text) <= 3000


def test_small_reply_is_complete_and_unique_action_ids() -> None:
    reply = Reply(
        ReplyKind.QUIZ,
        (
            Heading("Quiz", subtitle="Easy"),
            Paragraph("Which?", lead=True),
            Choices((Button("A. <x>", "qa:1:0"), Button("B", "qa:1:1", ButtonStyle.PRIMARY))),
            Choices((Button("More", "quiz:new"),)),
            Footer("Only you see this"),
        ),
    )
    blocks = render(reply).blocks
    check_limits(blocks)
    assert [b["type"] for b in blocks] == [
        "header",
        "context",
        "section",
        "actions",
        "actions",
        "context",
    ]
    assert blocks[2]["text"]["text"] == "*Which?*"
    assert [b["value"] for b in buttons(blocks)] == ["qa:1:0", "qa:1:1", "quiz:new"]
    assert buttons(blocks)[0]["text"]["text"] == "A. &lt;x&gt;"
    assert buttons(blocks)[1]["style"] == "primary"
    assert "style" not in buttons(blocks)[0]


def test_every_text_is_escaped() -> None:
    evil = "<!here> <@U1> &lt;!channel&gt;"
    reply = Reply(
        ReplyKind.COMPARISON,
        (
            Heading(evil, subtitle=evil),
            Paragraph(evil, lead=True),
            Paragraph(evil),
            Bullets(evil, (evil,)),
            Fields((Field(evil, evil),)),
            ComparisonTable((evil, evil), (TableRow(evil, (evil, evil)),)),
            Choices((Button(evil, "explain:llm"),)),
            Footer(evil),
        ),
    )
    rendered = render(reply)
    for text in [*texts(rendered.blocks), rendered.text]:
        assert "<" not in text
        assert "&lt;!channel" not in text.replace("&amp;lt;!channel", "")
