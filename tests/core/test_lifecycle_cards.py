"""Cards of models that were superseded or retired: what a reader sees first, and where the
chain of replacements leads today."""

from __future__ import annotations

from typing import Any

from bot.adapters.console.render import render_plain
from bot.core import cards
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.model import Term


def term(term_id: str, name: str, **extra: Any) -> Term:
    fields = {"id": term_id, "name": name, "category": "Models"}
    fields |= {"summary": f"{name} is a model.", "explanation": f"About {name}."}
    return Term.model_validate(fields | extra)


BASE = KnowledgeBase(
    terms={
        "old": term(
            "old",
            "Old-1",
            lifecycle={
                "status": "retired",
                "since": "2025-04-30",
                "replaced_by": ["mid"],
                "note": "Its API closed later.",
            },
        ),
        "mid": term(
            "mid",
            "Mid-2",
            lifecycle={"status": "superseded", "since": "2026-09-03", "replaced_by": ["new"]},
        ),
        "new": term("new", "New-3"),
    }
)


def test_the_status_line_follows_the_replacements_to_what_is_current() -> None:
    line = cards.status_line(BASE, BASE.terms["old"])
    assert line == (
        "Retired since April 2025, replaced by Mid-2 (itself superseded since September 2026); "
        "today: New-3. Its API closed later."
    )
    assert cards.status_line(BASE, BASE.terms["new"]) == ""


def test_the_card_of_a_retired_model_links_todays_successor_first() -> None:
    reply = cards.definition(BASE, BASE.terms["old"])
    assert [button.action for button in reply.buttons()][:2] == ["explain:new", "explain:mid"]
    heading = reply.blocks[0]
    assert getattr(heading, "subtitle", None) == "Models · retired"


def test_a_comparison_without_a_curated_table_says_which_side_is_gone() -> None:
    reply = cards.comparison(BASE, [BASE.terms["old"], BASE.terms["new"]])
    text = " ".join(render_plain(reply).split())
    assert text.startswith("Old-1 vs New-3")
    assert "Note: Old-1 is retired since April 2025." in text
    assert "Status Old-1: Retired since April 2025 New-3: Current" in text
