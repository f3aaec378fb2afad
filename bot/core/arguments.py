"""Splitting slash-command arguments the same way on every platform."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

PAIR_SEPARATORS = (" vs. ", " vs ", " versus ", ",", " and ", " & ")


def split_pair(text: str) -> tuple[str, str] | None:
    """Two terms from "a b", "a vs b", "a, b" or "a and b"; None otherwise."""
    for separator in PAIR_SEPARATORS:
        if separator in text:
            first, _, second = text.partition(separator)
            if first.strip() and second.strip():
                return first.strip(), second.strip()
    parts = text.split()
    return (parts[0], parts[1]) if len(parts) == 2 else None
