"""Who is asking and where: the platform-neutral side of an incoming event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

Platform = NewType("Platform", str)
"""Which chat platform a request came from. Each adapter names its own (a short lowercase
word, at most 16 characters: it is part of the daily quiz's stored key); the core only
compares and stores it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Requester:
    """A user in a place: the scope is a server, a workspace or the terminal."""

    platform: Platform
    user_id: str
    scope_id: str
    channel_id: str = ""
    display_name: str = ""
    is_admin: bool = False

    @property
    def scope_key(self) -> str:
        """Scores and leaderboards are kept per platform and server/workspace."""
        return f"{self.platform}:{self.scope_id}"
