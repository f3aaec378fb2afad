"""Alembic environment: runs on a connection handed over by :class:`bot.store.database.Database`."""

from __future__ import annotations

from alembic import context

from bot.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through Database.migrate
    raise RuntimeError("run migrations with 'explainbot db upgrade'")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
