"""Interfaces the core needs from the outside world, and the records that cross them.

The storage layer (:mod:`bot.store`) implements these; tests may too. Every method may raise
:class:`bot.core.errors.StoreUnavailable` when the database cannot be reached.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

logger = logging.getLogger(__name__)


class QuizMode(StrEnum):
    """A practice question asked by one user, or a daily question posted in a channel."""

    PRACTICE = "practice"
    DAILY = "daily"


@dataclass(frozen=True, slots=True)
class QuizInstance:
    """One asking of a question: the opaque id behind its answer buttons."""

    id: str
    question_id: str
    scope_key: str
    channel_id: str
    mode: QuizMode
    asked_by: str | None
    created_at: dt.datetime
    closed: bool = False


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One user's graded answer to one quiz instance."""

    instance_id: str
    user_id: str
    choice: int
    correct: bool
    answered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """Whether an answer was stored now, or an earlier answer by the same user stands."""

    answer: AnswerRecord
    new: bool


@dataclass(frozen=True, slots=True)
class UserStats:
    """A user's scores in one server or workspace."""

    user_id: str
    display_name: str
    answered: int
    correct: int
    current_streak: int
    best_streak: int

    @property
    def accuracy(self) -> float:
        """Share of correct answers, 0.0 when nothing was answered."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """What a user did with one question: when it was last asked and the last grade."""

    question_id: str
    last_asked: dt.datetime
    asked_since: int
    last_correct: bool | None


@dataclass(frozen=True, slots=True)
class Gap:
    """Something people asked for that the knowledge lacks."""

    query: str
    count: int
    last_asked: dt.datetime


class QuizRepository(Protocol):
    """Persistence for quiz instances, answers and scores."""

    async def create_instance(
        self,
        *,
        question_id: str,
        scope_key: str,
        channel_id: str,
        mode: QuizMode,
        asked_by: str | None,
    ) -> QuizInstance:
        """Store a new instance with a fresh unguessable id."""
        ...

    async def get_instance(self, instance_id: str) -> QuizInstance | None:
        """The instance with that id, or None."""
        ...

    async def record_answer(
        self, instance: QuizInstance, *, user_id: str, display_name: str, choice: int, correct: bool
    ) -> RecordOutcome:
        """Store the answer once per (instance, user) and update scores in one transaction."""
        ...

    async def history(self, *, scope_key: str, user_id: str) -> list[HistoryItem]:
        """Every question asked to or answered by the user in that scope."""
        ...

    async def stats(self, *, scope_key: str, user_id: str) -> UserStats | None:
        """The user's scores, or None when they never answered."""
        ...

    async def leaderboard(
        self, *, scope_key: str, since: dt.datetime | None, limit: int
    ) -> list[UserStats]:
        """Top users by correct answers (all time, or answers since ``since``)."""
        ...


class GapRepository(Protocol):
    """Counts of not-found lookups, per scope, without user ids."""

    async def record_gap(self, *, scope_key: str, query: str) -> None:
        """Count one more request for ``query``."""
        ...

    async def top_gaps(self, *, scope_key: str | None, limit: int) -> list[Gap]:
        """The most requested missing queries (all scopes when ``scope_key`` is None)."""
        ...
