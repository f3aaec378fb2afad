"""The App Home tab: the user's quiz stats and a term of the day."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.render import MAX_HOME_BLOCKS, render_blocks
from bot.core.replies import Reply

HOME_CALLBACK_ID = "explainbot.home"


def home_view(stats: Reply, term_card: Reply | None) -> dict[str, Any]:
    """A ``home`` view: stats first, a divider, then the term of the day (≤100 blocks)."""
    blocks = render_blocks(stats, max_blocks=MAX_HOME_BLOCKS // 2 - 1)
    if term_card is not None:
        blocks.append({"type": "divider"})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "*Term of the day*"}})
        blocks.extend(render_blocks(term_card, max_blocks=MAX_HOME_BLOCKS - len(blocks)))
    return {"type": "home", "callback_id": HOME_CALLBACK_ID, "blocks": blocks}
