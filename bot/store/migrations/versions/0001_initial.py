"""quiz instances, answers, scores and knowledge gaps

Revision ID: 0001
Revises:
Create Date: 2026-11-22 20:40:05.453345
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "knowledge_gaps",
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_asked", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_asked", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope_key", "query", name=op.f("pk_knowledge_gaps")),
    )
    op.create_table(
        "quiz_instances",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("asked_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_instances")),
    )
    with op.batch_alter_table("quiz_instances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_instances_asked", ["scope_key", "asked_by", "created_at"], unique=False
        )

    op.create_table(
        "user_scores",
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("current_streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope_key", "user_id", name=op.f("pk_user_scores")),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("scope_key", sa.String(length=128), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["quiz_instances.id"],
            name=op.f("fk_quiz_answers_instance_id_quiz_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint("instance_id", "user_id", name="uq_quiz_answers_instance_user"),
    )
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_answers_scope_time", ["scope_key", "answered_at"], unique=False
        )
        batch_op.create_index("ix_quiz_answers_user", ["scope_key", "user_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_answers_user")
        batch_op.drop_index("ix_quiz_answers_scope_time")

    op.drop_table("quiz_answers")
    op.drop_table("user_scores")
    with op.batch_alter_table("quiz_instances", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_instances_asked")

    op.drop_table("quiz_instances")
    op.drop_table("knowledge_gaps")
