"""Table definitions. Change them only together with a new Alembic migration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)


class QuizInstanceRow(Base):
    """One asking of a question; its id is the opaque token in the answer buttons."""

    __tablename__ = "quiz_instances"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64))
    scope_key: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    asked_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_quiz_instances_asked", "scope_key", "asked_by", "created_at"),)


class QuizAnswerRow(Base):
    """One user's answer to one instance: unique per (instance, user)."""

    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("quiz_instances.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(String(64))
    scope_key: Mapped[str] = mapped_column(String(128))
    question_id: Mapped[str] = mapped_column(String(64))
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("instance_id", "user_id", name="uq_quiz_answers_instance_user"),
        Index("ix_quiz_answers_scope_time", "scope_key", "answered_at"),
        Index("ix_quiz_answers_user", "scope_key", "user_id"),
    )


class UserScoreRow(Base):
    """Running totals per user per scope (server or workspace)."""

    __tablename__ = "user_scores"

    scope_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    current_streak: Mapped[int] = mapped_column(Integer, default=0)
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class KnowledgeGapRow(Base):
    """How often something missing from the knowledge was asked for (no user ids)."""

    __tablename__ = "knowledge_gaps"

    scope_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_asked: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_asked: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyScheduleRow(Base):
    """A channel's daily quiz schedule."""

    __tablename__ = "daily_schedules"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(128))
    local_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[str] = mapped_column(String(20))
    reveal_minutes: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyPostRow(Base):
    """One channel's quiz of one local day: claimed before it is sent, unique per day."""

    __tablename__ = "daily_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[dt.date] = mapped_column(Date)
    scope_key: Mapped[str] = mapped_column(String(128))
    question_id: Mapped[str] = mapped_column(String(64))
    instance_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("quiz_instances.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reveal_due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revealed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    shown_answers: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "local_date", name="uq_daily_posts_day"),
        Index("ix_daily_posts_status", "status"),
        Index("ix_daily_posts_date", "local_date"),
    )


class DailyStreakRow(Base):
    """A user's run of correct daily answers in one server or workspace."""

    __tablename__ = "daily_streaks"

    scope_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    current: Mapped[int] = mapped_column(Integer, default=0)
    best: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[str] = mapped_column(String(64))
    last_post_id: Mapped[int] = mapped_column(Integer)
