"""Persistence: SQLAlchemy 2 (async) and Alembic; SQLite by default, PostgreSQL by URL."""
