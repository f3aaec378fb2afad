"""Discord's checks on what the bot sends: message, embed and component limits, command
definitions and autocomplete choices, answered 400 with Discord's nested ``errors`` tree."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any, Final

from tests.fakes.discord.payloads import JSON, dumps
from tests.fakes.discord.rest import Reply, error

log = logging.getLogger(__name__)

MSG_FLAG_EPHEMERAL: Final = 1 << 6
MSG_FLAG_LOADING: Final = 1 << 7
_MSG_FLAG_COMPONENTS_V2: Final = 1 << 15
_COMMAND_NAME_RE: Final = re.compile(r"^[-_'\w]{1,32}$")


class FormErrors:
    """Collects Discord's nested ``errors`` object (``{"content": {"_errors": [...]}}``)."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: str, code: str, message: str) -> None:
        """Add an error at a dotted path (``embeds.0.title``)."""
        node = self.tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_many(self, path: str, items: Sequence[Any], limit: int) -> None:
        """An error when a list holds more than ``limit`` items."""
        if len(items) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def max_len(self, path: str, value: Any, limit: int) -> None:
        """An error when a string is longer than ``limit``."""
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def reply(self) -> Reply | None:
        """400 Invalid Form Body (50035) with the collected errors, None if there are none."""
        if not self.tree:
            return None
        log.warning("fake Discord rejects the request body: %s", dumps(self.tree))
        return error(400, 50035, "Invalid Form Body", self.tree)


def walk_components(components: Sequence[Any]) -> Iterator[JSON]:
    """Every component of a message, nested ones (rows, sections, accessories) included."""
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        yield from walk_components(component.get("components") or [])
        inner = component.get("component") or component.get("accessory")
        if isinstance(inner, dict):
            yield from walk_components([inner])


def validate_message(body: Any, *, editing: bool) -> Reply | None:
    """Check a message create/edit body the way Discord does (the common limits only)."""
    if not isinstance(body, dict):
        body = {}
    errors = FormErrors()
    content = body.get("content")
    errors.max_len("content", content, 2000)
    embeds = body.get("embeds") or []
    errors.too_many("embeds", embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        errors.max_len(f"embeds.{i}.title", embed.get("title"), 256)
        errors.max_len(f"embeds.{i}.description", embed.get("description"), 4096)
        fields = embed.get("fields") or []
        errors.too_many(f"embeds.{i}.fields", fields, 25)
        for j, field in enumerate(fields):
            errors.max_len(f"embeds.{i}.fields.{j}.name", field.get("name"), 256)
            errors.max_len(f"embeds.{i}.fields.{j}.value", field.get("value"), 1024)
            total += len(str(field.get("name", ""))) + len(str(field.get("value", "")))
        errors.max_len(f"embeds.{i}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        total += len(str(embed.get("title") or "")) + len(str(embed.get("description") or ""))
    if total > 6000:
        errors.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    components = body.get("components") or []
    if not int(body.get("flags") or 0) & _MSG_FLAG_COMPONENTS_V2:
        errors.too_many("components", components, 5)
        for i, row in enumerate(components):
            children = row.get("components") or []
            errors.too_many(f"components.{i}.components", children, 5)
            for j, child in enumerate(children):
                path = f"components.{i}.components.{j}"
                errors.max_len(f"{path}.label", child.get("label"), 80)
                errors.max_len(f"{path}.custom_id", child.get("custom_id"), 100)
    custom_ids = [c["custom_id"] for c in walk_components(components) if "custom_id" in c]
    if len(custom_ids) != len(set(custom_ids)):
        errors.add("components", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id duplicated")
    if (invalid := errors.reply()) is not None:
        return invalid
    if not editing and not (
        content
        or embeds
        or components
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
    ):
        log.warning("fake Discord rejects an empty message")
        return error(400, 50006, "Cannot send an empty message")
    return None


def validate_commands(commands: Any) -> Reply | None:
    """Check a bulk overwrite of application commands like Discord does."""
    errors = FormErrors()
    if not isinstance(commands, list):
        errors.add("_root", "LIST_TYPE_CONVERT", "Only iterables may be used.")
        return errors.reply()
    errors.too_many("_root", commands, 100)
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        if not isinstance(cmd, dict):
            errors.add(f"{i}._root", "DICT_TYPE_CONVERT", "Only dictionaries may be used.")
            continue
        ctype = int(cmd.get("type") or 1)
        name = cmd.get("name")
        if (str(name), ctype) in seen:
            errors.add(f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate {name}")
        seen.add((str(name), ctype))
        if ctype == 1:
            _validate_chat_input(errors, f"{i}.", cmd, depth=0)
        elif not isinstance(name, str) or not 1 <= len(name) <= 32:
            errors.add(f"{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32.")
    return errors.reply()


def _validate_chat_input(errors: FormErrors, prefix: str, node: JSON, *, depth: int) -> None:
    name = node.get("name")
    if not isinstance(name, str) or not _COMMAND_NAME_RE.match(name) or name != name.lower():
        errors.add(f"{prefix}name", "APPLICATION_COMMAND_INVALID_NAME", f"Invalid name {name!r}")
    description = node.get("description")
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        errors.add(f"{prefix}description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100.")
    options = node.get("options") or []
    errors.too_many(f"{prefix}options", options, 25)
    seen_optional = False
    for j, option in enumerate(options):
        path = f"{prefix}options.{j}."
        otype = option.get("type")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                errors.add(f"{path}type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Too deep.")
            _validate_chat_input(errors, path, option, depth=depth + 1)
            continue
        _validate_chat_input(errors, path, {**option, "options": []}, depth=depth + 1)
        if not option.get("required"):
            seen_optional = True
        elif seen_optional:
            errors.add(
                f"{path}required",
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        choices = option.get("choices") or []
        errors.too_many(f"{path}choices", choices, 25)
        if choices and option.get("autocomplete"):
            errors.add(f"{path}autocomplete", "AUTOCOMPLETE_CHOICES", "Choices with autocomplete.")


def validate_choices(data: JSON) -> Reply | None:
    """Check an autocomplete answer: at most 25 choices, names of 1 to 100 characters."""
    choices = data.get("choices")
    errors = FormErrors()
    if not isinstance(choices, list):
        errors.add("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
    else:
        errors.too_many("data.choices", choices, 25)
        for i, choice in enumerate(choices):
            name = choice.get("name")
            if not isinstance(name, str) or not 1 <= len(name) <= 100:
                errors.add(f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "1-100.")
    return errors.reply()
