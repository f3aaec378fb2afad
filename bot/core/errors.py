"""Errors the core understands and answers politely."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The database cannot be reached right now; the user should try again shortly."""
