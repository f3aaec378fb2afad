"""Folding words for matching: plurals to singulars without losing a word's own final s."""

from __future__ import annotations

import pytest

from bot.core.text import phrase_key, singular


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("models", "model"),
        ("llms", "llm"),
        ("gans", "gan"),
        ("technologies", "technology"),
        ("policies", "policy"),
        ("bias", "bias"),
        ("biases", "bias"),
        ("alias", "alias"),
        ("aliases", "alias"),
        ("class", "class"),
        ("classes", "class"),
        ("process", "process"),
        ("processes", "process"),
        ("boxes", "box"),
        ("matches", "match"),
        ("losses", "loss"),
        ("databases", "database"),
        ("analysis", "analysis"),
        ("status", "status"),
        ("news", "news"),
        ("series", "series"),
        ("species", "species"),
        ("ethics", "ethics"),
        ("statistics", "statistics"),
        ("gas", "gas"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_a_phrase_and_its_plural_fold_alike() -> None:
    assert phrase_key("AI biases") == phrase_key("ai bias")
    assert phrase_key("Classification classes") == "classification class"
