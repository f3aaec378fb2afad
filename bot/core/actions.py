"""Button actions: the one list of strings a button carries and the core reads back.

A button's action comes back to :meth:`bot.core.service.Core.action` verbatim when it is
clicked, even on a message sent before a restart, so nothing about a button lives in memory.
Every action is printable ASCII of at most :data:`ACTION_MAX` characters, the tightest
platform limit on a button's id, and matches :data:`ACTION_PATTERN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ACTION_MAX = 100
"""The most characters a platform keeps in a button's id."""
EXPLAIN_PREFIX = "explain:"
"""``explain:<term id>``: show that term's card."""
NEW_QUESTION = "quiz:new"
"""A new practice question."""
ANSWER_PREFIX = "qa:"
"""``qa:<quiz instance id>:<choice index>``: an answer to a quiz question."""
NEEDS_DATABASE = (ANSWER_PREFIX, NEW_QUESTION)
"""Actions whose answer reads or writes the database: adapters acknowledge these first."""
ACTION_PATTERN = r"(?:qa|explain|quiz):[\x21-\x7e]{1,96}"
"""Every action the core makes (a regular expression, without anchors)."""

_ANSWER = re.compile(r"^qa:(?P<instance>[A-Za-z0-9_-]{16,32}):(?P<choice>[0-4])$")


def explain(term_id: str) -> str:
    """The action of a button that opens a term's card."""
    return f"{EXPLAIN_PREFIX}{term_id}"


def explained_term(action: str) -> str | None:
    """The term id of an ``explain:`` action, else None."""
    return action.removeprefix(EXPLAIN_PREFIX) if action.startswith(EXPLAIN_PREFIX) else None


def answer(instance_id: str, choice: int) -> str:
    """The action of an answer button."""
    return f"{ANSWER_PREFIX}{instance_id}:{choice}"


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    """An answer button's action, split and checked for shape (not yet for truth)."""

    instance_id: str
    choice: int


def parse_answer(action: str) -> ParsedAnswer | None:
    """Split an answer action; None when it is not one the core could have made."""
    found = _ANSWER.match(action)
    if found is None:
        return None
    return ParsedAnswer(found["instance"], int(found["choice"]))


def is_routable(action: str) -> bool:
    """Whether ``action`` is one the core makes and fits in every platform's button id."""
    return len(action) <= ACTION_MAX and re.fullmatch(ACTION_PATTERN, action) is not None
