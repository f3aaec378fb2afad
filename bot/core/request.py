"""Who is asking and where: the platform-neutral side of an incoming event."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

logger = logging.getLogger(__name__)


class Platform(StrEnum):
    """Where a request came from."""

    CONSOLE = "console"
    DISCORD = "discord"
    SLACK = "slack"


@dataclass(frozen=True, slots=True, kw_only=True)
class Requester:
    """A user in a place: the scope is a Discord server, a Slack workspace or the console."""

    platform: Platform
    user_id: str
    scope_id: str
    channel_id: str = ""
    display_name: str = ""
    is_admin: bool = False

    @property
    def scope_key(self) -> str:
        """Scores and leaderboards are kept per platform and server/workspace."""
        return f"{self.platform.value}:{self.scope_id}"


CONSOLE_USER = Requester(
    platform=Platform.CONSOLE,
    user_id="console",
    scope_id="local",
    channel_id="console",
    display_name="you",
    is_admin=True,
)
"""The person at the terminal: the console has one user, who owns the knowledge files."""
