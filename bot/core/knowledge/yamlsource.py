"""Safe, position-aware YAML reading for hand-written knowledge files.

PyYAML composes the file into nodes (libyaml when available); this module turns the nodes into
plain Python data itself so that it can:

- keep every scalar as the text the admin wrote (``no`` stays ``"no"``; pydantic converts
  ``true`` or a date where the schema asks for one),
- remember the line and column of every value and key for error messages,
- refuse tags (``!!python/object`` and friends), duplicate keys and merge keys,
- stop alias/anchor bombs and absurd nesting by counting nodes, before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from bot.core.knowledge import limits

_TAG = "tag:yaml.org,2002:"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _TextResolver:
    """Tags nodes by kind only: every untagged scalar is text.

    YAML's implicit typing (``no`` → false, ``1.10`` → 1.1) is exactly what hand-written
    knowledge must not get, and skipping it also saves a Python call per value. Nulls are
    recognised when building (a plain ``~``, ``null`` or nothing).
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """No path-based resolution."""

    def ascend_resolver(self) -> None:
        """No path-based resolution."""

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        """The default tag of the node's kind."""
        if kind is yaml.ScalarNode:
            return _TAG + "str"
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _Loader(CParser, _TextResolver):
        """libyaml's parser and composer with the text-only resolver."""

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, _TextResolver):  # type: ignore[no-redef]
        """The pure-Python parser and composer with the text-only resolver."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


PathKey: TypeAlias = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indexes from the root."""

_ALLOWED_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based position in a knowledge file."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, order=True)
class KnowledgeError:
    """One problem an admin can fix, with where it is."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(slots=True)
class YamlDocument:
    """Plain data from one file plus the position of every value and key in it."""

    file: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """Position of ``path`` (of its key when ``key``), else of its nearest known ancestor."""
        if key and path in self.keys:
            return Location(self.file, *self.keys[path])
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return Location(self.file, *found)
        return Location(self.file)


class YamlSourceError(Exception):
    """A file that cannot be read into data at all; carries every problem found."""

    def __init__(self, errors: list[KnowledgeError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


def read_yaml(path: Path, *, display_name: str | None = None) -> YamlDocument:
    """Read one knowledge file safely; raise :class:`YamlSourceError` with every problem."""
    name = display_name or str(path)
    size = path.stat().st_size
    if size > limits.FILE_BYTES_MAX:
        raise YamlSourceError(
            [
                KnowledgeError(
                    Location(name),
                    f"file is {size / 1024 / 1024:.1f} MB; the limit is "
                    f"{limits.FILE_BYTES_MAX // 1024 // 1024} MB per file. "
                    "Split it into several files in the same folder.",
                )
            ]
        )
    return parse_yaml(path.read_bytes(), name)


def parse_yaml(raw: bytes, name: str) -> YamlDocument:
    """Parse YAML bytes into a :class:`YamlDocument`; raise :class:`YamlSourceError`."""
    text = _decode(raw, name)
    try:
        root = yaml.compose(text, Loader=_Loader)  # type: ignore[arg-type]
    except yaml.MarkedYAMLError as exc:
        raise YamlSourceError([_syntax_error(exc, name)]) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError([KnowledgeError(Location(name), f"not valid YAML: {exc}")]) from None
    document = YamlDocument(file=name, data=None)
    if root is None:
        document.data = {}
        return document
    builder = _Builder(document)
    document.data = builder.build(root, (), depth=0)
    if builder.errors:
        raise YamlSourceError(builder.errors)
    return document


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:8192]:
        raise YamlSourceError(
            [KnowledgeError(Location(name), "this is a binary file, not YAML text")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlSourceError(
            [
                KnowledgeError(
                    Location(name, line, column),
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8. "
                    "Save the file as UTF-8 (most editors: 'Save with encoding').",
                )
            ]
        ) from None


def _syntax_error(exc: yaml.MarkedYAMLError, name: str) -> KnowledgeError:
    mark = exc.problem_mark or exc.context_mark
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    hint = next((text for start, text in _SYNTAX_HINTS.items() if problem.startswith(start)), "")
    return KnowledgeError(where, f"YAML syntax error: {problem}{context}.{hint}")


_SYNTAX_HINTS = {
    "mapping values are not allowed": (
        " A value probably contains ': '; put the whole value in quotes."
    ),
    "found character '\\t' that cannot start any token": " Indent with spaces, not tabs.",
    "expected a single document in the stream": (
        " Remove the extra '---' line: one document per file."
    ),
}


class _Builder:
    """Turns composed nodes into plain data, recording positions and problems."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.errors: list[KnowledgeError] = []
        self.nodes = 0

    def _where(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.document.file, mark.line + 1, mark.column + 1)

    def _fail(self, node: yaml.Node, message: str) -> None:
        self.errors.append(KnowledgeError(self._where(node), message))

    def build(self, node: yaml.Node, path: PathKey, *, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > limits.NODES_MAX:
            raise YamlSourceError(
                [
                    KnowledgeError(
                        self._where(node),
                        f"more than {limits.NODES_MAX:,} values once anchors and aliases are "
                        "expanded; refusing the file (it looks like an alias bomb). "
                        "Write the values out instead of using '&' anchors and '*' aliases.",
                    )
                ]
            )
        if depth > limits.DEPTH_MAX:
            raise YamlSourceError(
                [
                    KnowledgeError(
                        self._where(node),
                        f"nested more than {limits.DEPTH_MAX} levels deep; knowledge files "
                        "need only a few levels (a section, an entry, its fields)",
                    )
                ]
            )
        mark = node.start_mark
        self.document.values[path] = (mark.line + 1, mark.column + 1)
        if node.tag not in _ALLOWED_TAGS:
            self._fail(
                node,
                f"the tag '{node.tag.replace(_TAG, '!!')}' is not allowed: knowledge files hold "
                "plain text, lists and mappings only. Remove the tag.",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _TAG + "null":
                return None
            plain_null = not node.style and node.value in _NULLS  # libyaml: "" for plain
            return None if plain_null and node.tag == _TAG + "str" else node.value
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, index), depth=depth + 1)
                for index, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, path, depth)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge" or (
                isinstance(key_node, yaml.ScalarNode)
                and not key_node.style
                and key_node.value == "<<"
            ):
                self._fail(key_node, "merge keys ('<<') are not supported; write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "":
                self._fail(key_node, "a key must be a plain word such as 'name' or 'summary'")
                continue
            key = key_node.value
            if key in result:
                first_line = self.document.keys[(*path, key)][0]
                self._fail(
                    key_node,
                    f"'{key}' appears twice in this entry (first at line {first_line}); "
                    "keep one of them",
                )
                continue
            mark = key_node.start_mark
            self.document.keys[(*path, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth=depth + 1)
        return result
