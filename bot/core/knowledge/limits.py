"""Length limits for knowledge text, chosen so every platform can show it whole.

The tightest chat platform wins: a quiz choice becomes a button label (75 characters at most),
a comparison cell a field (1,024), a heading a header (150) and long prose a section (3,000).
Each adapter's renderer holds its own platform's limits and their sources.
"""

from __future__ import annotations

from typing import Final

ID_MAX: Final = 64
NAME_MAX: Final = 100
ALIAS_MAX: Final = 100
CATEGORY_MAX: Final = 60
SUMMARY_MAX: Final = 300
EXPLANATION_MAX: Final = 3000
EXAMPLE_MAX: Final = 300
TAKEAWAY_MAX: Final = 500
DIMENSION_NAME_MAX: Final = 100
DIMENSION_VALUE_MAX: Final = 1000
QUESTION_MAX: Final = 500
ANSWER_MAX: Final = 3000
CHOICE_MAX: Final = 72
"""A choice becomes a button labelled "A. text": 75 characters in all on the tightest platform."""
WHY_WRONG_MAX: Final = 500
SOURCE_MAX: Final = 300
STATUS_NOTE_MAX: Final = 300

FILE_BYTES_MAX: Final = 2 * 1024 * 1024
"""A knowledge file larger than this is refused before parsing."""

NODES_MAX: Final = 200_000
"""YAML nodes per file after expanding aliases; more than this is treated as an alias bomb."""

DEPTH_MAX: Final = 32
"""How deeply YAML collections may nest."""
