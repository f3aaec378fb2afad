"""Interfaces the core needs from the outside world, and the records that cross them.

The storage layer (:mod:`bot.store`) implements these; tests may too. Every method may raise
:class:`bot.core.errors.StoreUnavailable` when the database cannot be reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.core.request import Platform

if TYPE_CHECKING:
    from bot.core.daily.pacing import RateLimit
    from bot.core.daily.schedule import Schedule
    from bot.core.replies import Reply


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

    async def record_gaps(self, counts: dict[tuple[str, str], int]) -> None:
        """Add ``counts`` of (scope key, normalised query) requests, in one transaction."""
        ...

    async def top_gaps(self, *, scope_key: str | None, limit: int) -> list[Gap]:
        """The most requested missing queries (all scopes when ``scope_key`` is None)."""
        ...


class PostStatus(StrEnum):
    """Where a daily post is in its life."""

    CLAIMED = "claimed"
    POSTED = "posted"
    REVEALED = "revealed"


@dataclass(frozen=True, slots=True)
class DailyPost:
    """One channel's quiz of one local day, claimed in the database before it is sent."""

    id: int
    platform: Platform
    channel_id: str
    scope_key: str
    local_date: dt.date
    question_id: str
    instance_id: str
    key: str
    status: PostStatus
    message_id: str | None
    claimed_at: dt.datetime
    reveal_due_at: dt.datetime
    shown_answers: int


@dataclass(frozen=True, slots=True)
class ChannelHistory:
    """How a channel did on a question it was asked."""

    question_id: str
    asked_on: dt.date
    answered: int
    correct: int

    @property
    def correct_rate(self) -> float:
        """Share of correct answers (1.0 when nobody answered: nothing to repeat)."""
        return self.correct / self.answered if self.answered else 1.0


@dataclass(frozen=True, slots=True)
class StreakEntry:
    """A user's run of correct daily answers in one server or workspace."""

    user_id: str
    display_name: str
    current: int
    best: int


class Messenger(Protocol):
    """What the daily quiz needs from a platform adapter."""

    @property
    def rate_limit(self) -> RateLimit:
        """How fast daily posts may go out on this platform (from its published limits)."""
        ...

    async def post(self, channel_id: str, reply: Reply, *, key: str) -> str:
        """Send ``reply`` to a channel and return the message id.

        ``key`` identifies the post; the adapter hands it to the platform where the platform
        can keep it (an idempotency nonce, message metadata) so that a re-send after a crash
        is refused or :meth:`find` can recognise the earlier message.
        """
        ...

    async def update(self, channel_id: str, message_id: str, reply: Reply) -> None:
        """Replace a message's content with ``reply``."""
        ...

    async def find(self, channel_id: str, key: str) -> str | None:
        """The id of an earlier message carrying ``key``, if the platform can tell."""
        ...


@dataclass(frozen=True, slots=True)
class RevealOutcome:
    """How a channel did on a revealed daily quiz, and who leads the streaks now."""

    answered: int
    correct: int
    top_streaks: list[StreakEntry]


class DailyRepository(Protocol):
    """Persistence for daily schedules and exactly-once daily posts."""

    async def save_schedule(self, schedule: Schedule, *, updated_by: str) -> None:
        """Create or replace the schedule of a channel."""
        ...

    async def remove_schedule(self, *, platform: Platform, channel_id: str) -> bool:
        """Stop a channel's daily quiz; False when it had none."""
        ...

    async def schedules(
        self, *, platform: Platform | None = None, scope_key: str | None = None
    ) -> list[Schedule]:
        """Every schedule, optionally of one platform or one server/workspace."""
        ...

    async def claimed_days(self, *, since: dt.date) -> set[tuple[str, str, dt.date]]:
        """(platform, channel, local date) of every post claimed on or after ``since``."""
        ...

    async def claim_many(
        self, wanted: list[tuple[Schedule, dt.date, str]], *, owner: str, now: dt.datetime
    ) -> list[DailyPost]:
        """Claim (schedule, local day, question id) posts at once; return only those won."""
        ...

    async def confirm_many(self, sent: list[tuple[int, str]], *, now: dt.datetime) -> None:
        """Record (post id, message id) pairs as sent."""
        ...

    async def stale_claims(self, *, before: dt.datetime) -> list[DailyPost]:
        """Claims never confirmed, made before ``before`` (their sender probably died)."""
        ...

    async def take_over(
        self, post_id: int, *, owner: str, before: dt.datetime, now: dt.datetime
    ) -> bool:
        """Atomically take a stale claim; False if another process took it first."""
        ...

    async def open_posts(self) -> list[DailyPost]:
        """Posts sent but not yet revealed."""
        ...

    async def answer_counts(self, instance_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(answered, correct) so far for each quiz instance that has answers."""
        ...

    async def mark_shown(self, post_id: int, shown: int) -> None:
        """Remember the answer count the public message shows."""
        ...

    async def reveal(self, post: DailyPost, *, now: dt.datetime) -> RevealOutcome | None:
        """Close the post's quiz and update streaks, once; None if already revealed."""
        ...

    async def channel_histories(
        self, *, platform: Platform, channel_ids: list[str]
    ) -> dict[str, list[ChannelHistory]]:
        """For each channel, every daily question it was asked (oldest first) and how it did."""
        ...

    async def top_streaks(self, *, scope_key: str, limit: int) -> list[StreakEntry]:
        """Longest current daily streaks in a server or workspace."""
        ...
