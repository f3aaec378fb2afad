"""What is typed in the terminal (often pasted from a chat) → plain text for the core."""

from __future__ import annotations

import re

_CHAT_MARKUP = re.compile(r"<(?:@[!&]?|#|!)[^<>\s]*>")
"""Mentions and broadcasts pasted from Discord or Slack: ``<@123>``, ``<@U0BOT|name>``,
``<#C123|general>``, ``<!here>``."""


def plain_text(line: str) -> str:
    """``line`` without pasted chat mention markup, spaces folded."""
    return " ".join(_CHAT_MARKUP.sub(" ", line).split())
