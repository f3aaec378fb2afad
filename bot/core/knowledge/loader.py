"""Loading ``knowledge/**/*.yaml`` into a :class:`KnowledgeBase`, or every error found.

Each file is read and validated on its own, so one broken file does not hide the errors of the
others; cross-file checks (unique ids, alias collisions, references to unknown terms) run on the
entries that validated.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from rapidfuzz import process

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.messages import schema_errors
from bot.core.knowledge.model import Comparison, FaqEntry, QuizQuestion, Term
from bot.core.knowledge.yamlsource import (
    KnowledgeError,
    Location,
    PathKey,
    YamlDocument,
    YamlSourceError,
    read_yaml,
)
from bot.core.text import compact_key

PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The knowledge base when every file is good, else every error (sorted by place)."""

    base: KnowledgeBase | None
    errors: list[KnowledgeError]
    files: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the knowledge loaded without errors."""
        return self.base is not None and not self.errors


def knowledge_files(directory: Path) -> list[Path]:
    """Every knowledge file below ``directory``, in a stable order (hidden files skipped)."""
    found = {
        path
        for pattern in PATTERNS
        for path in directory.rglob(pattern)
        if path.is_file() and not any(part.startswith(".") for part in path.parts)
    }
    return sorted(found)


@dataclass(frozen=True, slots=True)
class _FileResult:
    """One file's validated entries (None when unreadable) and its own errors."""

    stamp: tuple[int, int]
    parsed: ParsedFile | None
    errors: tuple[KnowledgeError, ...]


class ParseCache:
    """Per-file results keyed by modification time and size, so a reload after an edit
    re-reads only the files that changed (cross-file checks and indexing always rerun)."""

    def __init__(self) -> None:
        self._files: dict[Path, _FileResult] = {}

    def get(self, path: Path, stamp: tuple[int, int]) -> _FileResult | None:
        """The cached result for ``path`` if the file is unchanged."""
        found = self._files.get(path)
        return found if found is not None and found.stamp == stamp else None

    def put(self, path: Path, result: _FileResult) -> None:
        """Remember ``path``'s result."""
        self._files[path] = result

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget files that no longer exist."""
        wanted = set(paths)
        for path in list(self._files):
            if path not in wanted:
                del self._files[path]


def load_knowledge(directory: Path, *, cache: ParseCache | None = None) -> LoadResult:
    """Read, validate and index every knowledge file below ``directory``.

    With a ``cache``, files unchanged since the last load are not read again. The cyclic
    garbage collector is paused meanwhile: a load allocates millions of long-lived objects,
    and collections triggered by them would walk the growing heap again and again (on a
    10,000-term base that tripled the load time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(directory, cache)
    finally:
        if was_enabled:
            gc.enable()


def _load(directory: Path, cache: ParseCache | None) -> LoadResult:
    started = time.perf_counter()
    if not directory.is_dir():
        error = KnowledgeError(Location(str(directory)), "no such folder of knowledge files")
        return LoadResult(None, [error])
    paths = knowledge_files(directory)
    if not paths:
        error = KnowledgeError(
            Location(str(directory)), "no .yaml files here; add terms, comparisons, faq or quiz"
        )
        return LoadResult(None, [error])
    errors: list[KnowledgeError] = []
    parsed: list[ParsedFile] = []
    for path in paths:
        result = _read_file(path, _display_name(path, directory), cache)
        errors.extend(result.errors)
        if result.parsed is not None:
            parsed.append(result.parsed)
    if cache is not None:
        cache.keep_only(paths)
    base, cross_errors = _assemble(parsed)
    errors.extend(cross_errors)
    seconds = time.perf_counter() - started
    if errors:
        return LoadResult(None, sorted(set(errors)), len(paths), seconds)
    return LoadResult(base, [], len(paths), seconds)


def _read_file(path: Path, display: str, cache: ParseCache | None) -> _FileResult:
    try:
        status = path.stat()
    except OSError as exc:
        return _FileResult(
            (0, 0), None, (KnowledgeError(Location(display), f"cannot read: {exc}"),)
        )
    stamp = (status.st_mtime_ns, status.st_size)
    cached = cache.get(path, stamp) if cache is not None else None
    if cached is not None:
        return cached
    try:
        document = read_yaml(path, display_name=display)
    except YamlSourceError as exc:
        result = _FileResult(stamp, None, tuple(exc.errors))
    except OSError as exc:
        error = KnowledgeError(Location(display), f"cannot read the file: {exc}")
        result = _FileResult(stamp, None, (error,))
    else:
        content, file_errors = validate_document(document)
        result = _FileResult(stamp, content, tuple(file_errors))
    if cache is not None:
        cache.put(path, result)
    return result


SECTIONS: dict[str, type[Term] | type[Comparison] | type[FaqEntry] | type[QuizQuestion]] = {
    "terms": Term,
    "comparisons": Comparison,
    "faq": FaqEntry,
    "quiz": QuizQuestion,
}


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The valid entries of one file, each with its index in its section."""

    document: YamlDocument
    sections: dict[str, list[tuple[int, Any]]]

    def entries(self, section: str) -> list[tuple[int, Any]]:
        """``(index, entry)`` pairs of one section."""
        return self.sections.get(section, [])


def validate_document(document: YamlDocument) -> tuple[ParsedFile, list[KnowledgeError]]:
    """The valid entries of one file, and an error for each invalid one.

    Entries are validated one by one so that a broken entry does not hide the others from the
    cross-file checks (an unknown term in a valid question is still reported).
    """
    data = document.data
    if not isinstance(data, dict):
        message = (
            f"the file must be a mapping with any of the sections {', '.join(SECTIONS)} "
            "(for example a line 'terms:' followed by a list of entries)"
        )
        return ParsedFile(document, {}), [KnowledgeError(document.locate(()), message)]
    errors: list[KnowledgeError] = []
    for key in data.keys() - SECTIONS.keys():
        guess = process.extractOne(key, list(SECTIONS), score_cutoff=60)
        hint = f" Did you mean '{guess[0]}'?" if guess else ""
        errors.append(
            KnowledgeError(
                document.locate((key,), key=True),
                f"unknown section '{key}'.{hint} Sections are: {', '.join(SECTIONS)}.",
            )
        )
    sections: dict[str, list[Any]] = {}
    for section, model in SECTIONS.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            errors.append(
                KnowledgeError(
                    document.locate((section,)),
                    f"'{section}' must be a list: start each entry with '- ' on its own line",
                )
            )
            continue
        valid = sections.setdefault(section, [])
        for index, item in enumerate(items):
            try:
                valid.append((index, model.model_validate(item)))
            except ValidationError as exc:
                errors.extend(schema_errors(document, exc.errors(), model, (section, index)))
    return ParsedFile(document, sections), errors


def _display_name(path: Path, directory: Path) -> str:
    try:
        return str(path.relative_to(directory.parent))
    except ValueError:
        return str(path)


def _assemble(parsed: list[ParsedFile]) -> tuple[KnowledgeBase, list[KnowledgeError]]:
    terms: _UniqueEntries[Term] = _unique("term", "terms", parsed)
    comparisons: _UniqueEntries[Comparison] = _unique("comparison", "comparisons", parsed)
    faq: _UniqueEntries[FaqEntry] = _unique("FAQ entry", "faq", parsed)
    quiz: _UniqueEntries[QuizQuestion] = _unique("quiz question", "quiz", parsed)
    errors = terms.errors + comparisons.errors + faq.errors + quiz.errors
    term_map = {term.id: term for term, _, _ in terms.entries}
    checker = _References(term_map)
    errors += _alias_collisions(terms.entries)
    for term, doc, path in terms.entries:
        errors += checker.check(term.related, doc, (*path, "related"), owner=term.id)
        if term.lifecycle is not None:
            replaced_path = (*path, "lifecycle", "replaced_by")
            errors += checker.check(
                term.lifecycle.replaced_by, doc, replaced_path, owner=term.id, field="replaced_by"
            )
    errors += _replacement_cycles(terms.entries)
    for comparison, doc, path in comparisons.entries:
        errors += _comparison_errors(comparison, doc, path, checker)
    for entry, doc, path in faq.entries:
        errors += checker.check(entry.related, doc, (*path, "related"))
    for question, doc, path in quiz.entries:
        errors += checker.check(question.terms, doc, (*path, "terms"))
    base = KnowledgeBase(
        terms=term_map,
        comparisons=tuple(comparison for comparison, _, _ in comparisons.entries),
        faq=tuple(entry for entry, _, _ in faq.entries),
        quiz=tuple(question for question, _, _ in quiz.entries),
    )
    return base, errors


Entry = TypeVar("Entry", Term, Comparison, FaqEntry, QuizQuestion)


@dataclass(slots=True)
class _UniqueEntries(Generic[Entry]):
    """Entries of one kind whose ids are unique, each with the file and path it came from."""

    entries: list[tuple[Entry, YamlDocument, PathKey]]
    errors: list[KnowledgeError]


def _unique(label: str, section: str, parsed: Iterable[ParsedFile]) -> _UniqueEntries[Any]:
    """Entries with ids seen for the first time; later duplicates become errors."""
    first_seen: dict[str, Location] = {}
    result: _UniqueEntries[Any] = _UniqueEntries([], [])
    for parsed_file in parsed:
        document = parsed_file.document
        for index, entry in parsed_file.entries(section):
            path: PathKey = (section, index)
            where = document.locate((*path, "id"))
            if entry.id in first_seen:
                result.errors.append(
                    KnowledgeError(
                        where,
                        f"{label} id '{entry.id}' is already used at {first_seen[entry.id]}; "
                        "give one of them a different id",
                    )
                )
                continue
            first_seen[entry.id] = where
            result.entries.append((entry, document, path))
    return result


def _alias_collisions(entries: list[tuple[Term, YamlDocument, PathKey]]) -> list[KnowledgeError]:
    """Names and aliases that fold to the same key as another term's name or alias."""
    owner: dict[str, tuple[str, str]] = {}
    errors = []
    for term, document, path in entries:
        labels: Iterator[tuple[PathKey, str]] = iter(
            [((*path, "id"), term.id), ((*path, "name"), term.name)]
            + [((*path, "aliases", i), alias) for i, alias in enumerate(term.aliases)]
        )
        for label_path, label in labels:
            key = compact_key(label)
            if not key:
                errors.append(
                    KnowledgeError(
                        document.locate(label_path),
                        f"'{label}' has no letters or digits, so nobody can type it; remove it",
                    )
                )
                continue
            previous = owner.get(key)
            if previous and previous[0] != term.id:
                errors.append(
                    KnowledgeError(
                        document.locate(label_path),
                        f"'{label}' of term '{term.id}' reads the same as '{previous[1]}' of "
                        f"term '{previous[0]}' (case, spaces, punctuation and plurals are "
                        "ignored); remove it from one of the two terms",
                    )
                )
                continue
            owner.setdefault(key, (term.id, label))
    return errors


def _replacement_cycles(entries: list[tuple[Term, YamlDocument, PathKey]]) -> list[KnowledgeError]:
    """A term replaced, through ``replaced_by``, by itself again: "A by B, B by A"."""
    replaced = {
        term.id: term.lifecycle.replaced_by for term, _, _ in entries if term.lifecycle is not None
    }
    errors = []
    for term, doc, path in entries:
        seen = [term.id]
        todo = [r for r in replaced.get(term.id, ()) if r != term.id]
        while todo:
            current = todo.pop()
            if current == term.id:
                where = doc.locate((*path, "lifecycle", "replaced_by"))
                errors.append(
                    KnowledgeError(
                        where,
                        f"'{term.id}' is replaced, through replaced_by, by itself again; "
                        "point replaced_by at newer terms only",
                    )
                )
                break
            if current not in seen:
                seen.append(current)
                todo.extend(replaced.get(current, ()))
    return errors


class _References:
    """Checks that ids used as references name existing terms."""

    def __init__(self, terms: dict[str, Term]) -> None:
        self._terms = terms
        self._ids = list(terms)

    def check(
        self,
        references: Iterable[str],
        document: YamlDocument,
        path: PathKey,
        *,
        owner: str | None = None,
        field: str = "related",
    ) -> list[KnowledgeError]:
        errors = []
        for index, reference in enumerate(references):
            where = document.locate((*path, index))
            if reference == owner:
                errors.append(KnowledgeError(where, f"term '{owner}' lists itself in {field}"))
            elif reference not in self._terms:
                errors.append(KnowledgeError(where, self.unknown(reference)))
        return errors

    def unknown(self, reference: str) -> str:
        guess = process.extractOne(reference, self._ids, score_cutoff=70)
        hint = f" Did you mean '{guess[0]}'?" if guess else " Add a term with that id first."
        return f"unknown term id '{reference}'.{hint}"


def _comparison_errors(
    comparison: Comparison, document: YamlDocument, path: PathKey, checker: _References
) -> list[KnowledgeError]:
    errors = checker.check(comparison.terms, document, (*path, "terms"))
    if len(set(comparison.terms)) != len(comparison.terms):
        errors.append(
            KnowledgeError(document.locate((*path, "terms")), "a term is listed twice in terms")
        )
    expected = set(comparison.terms)
    for row, dimension in enumerate(comparison.dimensions):
        values_path = (*path, "dimensions", row, "values")
        missing = [term for term in comparison.terms if term not in dimension.values]
        if missing:
            errors.append(
                KnowledgeError(
                    document.locate(values_path),
                    f"dimension '{dimension.name}' has no value for {', '.join(missing)}; "
                    "add a line for each compared term",
                )
            )
        for extra in dimension.values.keys() - expected:
            errors.append(
                KnowledgeError(
                    document.locate((*values_path, extra), key=True),
                    f"'{extra}' is not one of this comparison's terms "
                    f"({', '.join(comparison.terms)}); remove it or add it to terms",
                )
            )
    return errors
