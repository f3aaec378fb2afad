"""The benchmarks' generated knowledge stays valid beside the shipped knowledge (a new shipped
alias must never collide with a generated name, or every benchmark stops at its first load)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.knowledge_gen import generate
from bot.core.knowledge.loader import load_knowledge


def test_generated_knowledge_loads_with_the_shipped_knowledge(tmp_path: Path) -> None:
    generated = generate(tmp_path, terms=3_000, questions=50, faq=20, comparisons=10)
    result = load_knowledge(tmp_path)
    assert result.ok, result.errors[:5]
    assert result.base is not None
    assert len(result.base.terms) >= 3_000
    for term in generated.terms[:200]:
        found = result.base.resolve(term.alias)
        assert found is not None
        assert found.id == term.id
