"""What in the knowledge is due for a fresh look, for ``explainbot check``.

Facts about models, products and laws go out of date. Every entry carries a ``reviewed``
date: :func:`stale_entries` lists those older than a cut-off (or missing), oldest first, each
with the file:line:column of its ``reviewed`` field (or of the entry). And a model marked
superseded or retired should no longer appear among other entries' examples as one of today's:
:func:`outdated_examples` lists each such example. Both are advice for admins, not errors: the
bot serves the knowledge either way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import ParsedFile, knowledge_files, validate_document
from bot.core.knowledge.model import Comparison, Status, Term
from bot.core.knowledge.yamlsource import Location, YamlDocument, YamlSourceError, read_yaml
from bot.core.text import phrase_key

HISTORY = re.compile(
    r"\b(?:19|20)\d\d\b|retired|replaced|renamed|formerly|earlier|older|previous|until|was\b"
    r"|history",
    re.IGNORECASE,
)
"""Words that mark an example as history ("GPT-4 (2023)") rather than one of today's."""

_Namer = Callable[[str, str], "Term | None"]


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
    for parsed in _parsed_files(directory):
        document = parsed.document
        for section, entries in parsed.sections.items():
            for index, entry in entries:
                reviewed: dt.date | None = entry.reviewed
                if reviewed is not None and reviewed >= cutoff:
                    continue
                key = (section, index, "reviewed") if reviewed is not None else (section, index)
                found.append(StaleEntry(document.locate(key), section, entry.id, reviewed))
    found.sort(key=lambda stale: (stale.reviewed or dt.date.min, stale.location))
    return found


@dataclass(frozen=True, slots=True)
class OutdatedExample:
    """An example that names a superseded or retired term as if it were current."""

    location: Location
    owner: str
    text: str
    names: Term

    def __str__(self) -> str:
        status = self.names.lifecycle.status if self.names.lifecycle else "current"
        return (
            f'{self.location}: {self.owner}: the example "{self.text}" names {self.names.name}, '
            f"which is {status}; name a current one, or mark it as history (a year, 'until', "
            "'formerly')"
        )


def outdated_examples(directory: Path, base: KnowledgeBase) -> list[OutdatedExample]:
    """Examples in terms, and cells of comparison rows named "Examples", that name a
    superseded or retired term (by name or alias) with no sign that they speak of the past."""
    gone = [term for term in base.terms.values() if term.status is not Status.CURRENT]
    if not gone:
        return []
    labels = [
        (term, f" {phrase_key(label)} ") for term in gone for label in (term.name, *term.aliases)
    ]

    def named(text: str, owner_id: str) -> Term | None:
        if HISTORY.search(text):
            return None
        key = f" {phrase_key(text)} "
        return next((t for t, label in labels if t.id != owner_id and label in key), None)

    found: list[OutdatedExample] = []
    for parsed in _parsed_files(directory):
        document = parsed.document
        for index, term in parsed.entries("terms"):
            for number, example in enumerate(term.examples):
                if (old := named(example, term.id)) is not None:
                    where = document.locate(("terms", index, "examples", number))
                    found.append(OutdatedExample(where, f"term '{term.id}'", example, old))
        for index, comparison in parsed.entries("comparisons"):
            found.extend(_outdated_cells(document, index, comparison, named))
    return found


def _outdated_cells(
    document: YamlDocument, index: int, comparison: Comparison, named: _Namer
) -> list[OutdatedExample]:
    found = []
    for row, dimension in enumerate(comparison.dimensions):
        if dimension.name.casefold() != "examples":
            continue
        for term_id, value in dimension.values.items():
            if (old := named(value, term_id)) is not None:
                path = ("comparisons", index, "dimensions", row, "values", term_id)
                owner = f"comparison '{comparison.id}'"
                found.append(OutdatedExample(document.locate(path), owner, value, old))
    return found


def _parsed_files(directory: Path) -> list[ParsedFile]:
    """Every file that parses, validated entry by entry (``check`` reports the others)."""
    parsed = []
    for path in knowledge_files(directory):
        try:
            display = str(path.relative_to(directory.parent))
        except ValueError:
            display = str(path)
        try:
            document = read_yaml(path, display_name=display)
        except (YamlSourceError, OSError):
            continue
        parsed.append(validate_document(document)[0])
    return parsed
