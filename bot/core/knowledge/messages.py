"""Plain-language messages for schema errors, each with a hint on how to fix it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from rapidfuzz import process

from bot.core.knowledge.model import ID_PATTERN
from bot.core.knowledge.yamlsource import KnowledgeError, PathKey, YamlDocument

_CONSEQUENTIAL = frozenset({"too_short", "too_long", "value_error"})


def schema_errors(
    document: YamlDocument,
    details: list[ErrorDetails],
    model: type[BaseModel],
    prefix: PathKey = (),
) -> list[KnowledgeError]:
    """Translate pydantic errors for the value at ``prefix`` into located, actionable messages."""
    found = []
    paths = [tuple(part for part in detail["loc"] if part != "[key]") for detail in details]
    for detail, path in zip(details, paths, strict=True):
        if detail["type"] in _CONSEQUENTIAL and any(
            len(other) > len(path) and other[: len(path)] == path for other in paths
        ):
            continue  # "too few choices" only because a choice inside is broken
        is_key = "[key]" in detail["loc"] or detail["type"] == "extra_forbidden"
        where = document.locate((*prefix, *path), key=is_key)
        found.append(KnowledgeError(where, _message(detail, path, model)))
    return found


def _field_name(path: PathKey) -> str:
    names = [str(part) for part in path if isinstance(part, str)]
    return names[-1] if names else "this file"


def _message(detail: ErrorDetails, path: PathKey, model: type[BaseModel]) -> str:
    kind = detail["type"]
    name = _field_name(path)
    context: dict[str, Any] = dict(detail.get("ctx") or {})
    value = detail.get("input")
    if kind == "missing":
        return f"missing '{name}': add a line '{name}: ...' to this entry"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, path[:-1])
        guess = process.extractOne(name, allowed, score_cutoff=60) if allowed else None
        hint = f" Did you mean '{guess[0]}'?" if guess else ""
        listing = f" Allowed here: {', '.join(allowed)}." if allowed else ""
        return f"unknown field '{name}'.{hint}{listing}"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        return (
            f"'{name}' is {length} characters; at most {context.get('max_length')} fit where "
            "chat platforms show it whole. Shorten it."
        )
    if kind == "string_too_short":
        return f"'{name}' is empty; write some text or remove the line"
    if kind == "string_pattern_mismatch" and context.get("pattern") == ID_PATTERN:
        return (
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens, "
            "for example 'large-language-model'"
        )
    if kind in ("too_short", "too_long"):
        low, high = context.get("min_length"), context.get("max_length")
        actual = context.get("actual_length")
        bounds = f"at least {low}" if kind == "too_short" else f"at most {high}"
        return f"'{name}' has {actual} items; it needs {bounds}"
    if kind in ("list_type", "tuple_type"):
        return f"'{name}' must be a list: put each item on its own line starting with '- '"
    if not path and kind in ("dict_type", "model_type"):
        return f"each entry must be a mapping of 'key: value' lines, not {_describe(value)}"
    if kind in ("dict_type", "model_type"):
        return f"'{name}' must be a mapping of 'key: value' lines, not {_describe(value)}"
    if kind == "string_type":
        return f"'{name}' must be text, not {_describe(value)}"
    if kind == "bool_parsing":
        return f"'{name}' must be true or false, not '{value}'"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"'{name}' must be a date written YYYY-MM-DD, not '{value}'"
    if kind == "enum":
        return f"'{name}' must be one of {context.get('expected')}, not '{value}'"
    if kind == "value_error":
        return f"'{name}' {context.get('error')}"
    return f"'{name}': {detail['msg']}"


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def _allowed_fields(model: type[BaseModel], path: PathKey) -> list[str]:
    """Field names allowed at ``path`` (a path inside ``model``'s data)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = _inner_model(field.annotation) if field else None
    return list(current.model_fields) if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
