"""Which knowledge entries are due for a fresh look: ``explainbot check --stale MONTHS``.

Facts about models, products and laws go out of date; every entry carries a ``reviewed``
date, and this lists the entries whose date is older than a cut-off (or missing), oldest
first, each with the file:line:column of its ``reviewed`` field (or of the entry).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.core.knowledge.loader import knowledge_files, validate_document
from bot.core.knowledge.yamlsource import Location, YamlSourceError, read_yaml

logger = logging.getLogger(__name__)


_LABELS = {"terms": "term", "comparisons": "comparison", "faq": "FAQ entry", "quiz": "question"}


@dataclass(frozen=True, slots=True)
class StaleEntry:
    """An entry not reviewed since the cut-off; ``reviewed`` is None when it never was."""

    location: Location
    section: str
    id: str
    reviewed: dt.date | None

    def __str__(self) -> str:
        when = f"last reviewed {self.reviewed.isoformat()}" if self.reviewed else "never reviewed"
        return f"{self.location}: {_LABELS.get(self.section, self.section)} '{self.id}' {when}"


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by whole calendar months (the 31st becomes the month's last day)."""
    if months < 0:
        raise ValueError("months must be 0 or more")
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def stale_entries(directory: Path, *, months: int, today: dt.date) -> list[StaleEntry]:
    """Entries under ``directory`` reviewed before ``today`` minus ``months``, oldest first.

    Files that do not parse are skipped here (``explainbot check`` reports them).
    """
    cutoff = months_before(today, months)
    found: list[StaleEntry] = []
    for path in knowledge_files(directory):
        try:
            display = str(path.relative_to(directory.parent))
        except ValueError:
            display = str(path)
        try:
            document = read_yaml(path, display_name=display)
        except (YamlSourceError, OSError):
            continue
        parsed, _ = validate_document(document)
        for section, entries in parsed.sections.items():
            for index, entry in entries:
                reviewed: dt.date | None = entry.reviewed
                if reviewed is not None and reviewed >= cutoff:
                    continue
                key = (section, index, "reviewed") if reviewed is not None else (section, index)
                found.append(StaleEntry(document.locate(key), section, entry.id, reviewed))
    found.sort(key=lambda stale: (stale.reviewed or dt.date.min, stale.location))
    return found
