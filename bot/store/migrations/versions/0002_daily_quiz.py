"""daily quiz schedules, posts and streaks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 20:52:03.667889
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "daily_schedules",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("days", sa.String(length=20), nullable=False),
        sa.Column("reveal_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "channel_id", name=op.f("pk_daily_schedules")),
    )
    op.create_table(
        "daily_streaks",
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("best", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("last_post_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope_key", "user_id", name=op.f("pk_daily_streaks")),
    )
    op.create_table(
        "daily_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reveal_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shown_answers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["quiz_instances.id"],
            name=op.f("fk_daily_posts_instance_id_quiz_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_posts")),
        sa.UniqueConstraint("key", name=op.f("uq_daily_posts_key")),
        sa.UniqueConstraint("platform", "channel_id", "local_date", name="uq_daily_posts_day"),
    )
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.create_index("ix_daily_posts_date", ["local_date"], unique=False)
        batch_op.create_index("ix_daily_posts_status", ["status"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_daily_posts_status")
        batch_op.drop_index("ix_daily_posts_date")

    op.drop_table("daily_posts")
    op.drop_table("daily_streaks")
    op.drop_table("daily_schedules")
