"""Paths and service checks the tests share."""

from __future__ import annotations

import os
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


TEST_KNOWLEDGE = ROOT / "tests" / "data" / "knowledge"


SHIPPED_KNOWLEDGE = ROOT / "knowledge"


POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    """True when something listens on the PostgreSQL port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
