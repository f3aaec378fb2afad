"""Errors the core understands and answers politely."""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The database cannot be reached right now; the user should try again shortly."""
