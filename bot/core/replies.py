"""The platform-neutral reply model: what the core returns and every adapter renders.

Replies are small frozen dataclasses made of blocks. All text in them is plain data (user text
and knowledge text alike); each renderer escapes it for its platform and enforces that
platform's size limits. The core never builds markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeAlias


class ReplyKind(StrEnum):
    """What a reply is, for adapters, analytics and ``ask --json``."""

    DEFINITION = "definition"
    COMPARISON = "comparison"
    FAQ = "faq"
    QUIZ = "quiz"
    HELP = "help"
    NOT_FOUND = "not_found"
    FEEDBACK = "feedback"
    STATS = "stats"
    LEADERBOARD = "leaderboard"
    NOTICE = "notice"
    ERROR = "error"


class Tone(StrEnum):
    """How a heading should feel: renderers may pick a colour or an emoji from it."""

    NEUTRAL = "neutral"
    GOOD = "good"
    BAD = "bad"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class TermRef:
    """A term named in a reply."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Heading:
    """The title of a reply, with an optional short line under it."""

    text: str
    subtitle: str | None = None
    tone: Tone = Tone.NEUTRAL


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Prose. ``lead`` marks the one-line gist shown most prominently."""

    text: str
    lead: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    """A short titled list."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled value, e.g. ``Accuracy: 80%``."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True, slots=True)
class Fields:
    """Labelled values shown together."""

    items: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One dimension of a comparison: its name and a cell per column."""

    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComparisonTable:
    """A side-by-side table: columns are the compared terms, rows the dimensions."""

    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


class ButtonStyle(StrEnum):
    """How prominent a button is."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True, slots=True)
class Button:
    """A clickable choice; ``action`` comes back to the core verbatim when clicked."""

    label: str
    action: str
    style: ButtonStyle = ButtonStyle.SECONDARY


@dataclass(frozen=True, slots=True)
class Choices:
    """A row (or rows) of buttons."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Footer:
    """Small print: related terms, sources, hints."""

    text: str


Block: TypeAlias = Heading | Paragraph | Bullets | Fields | ComparisonTable | Choices | Footer


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole answer: blocks, who may see it, and the terms it is about."""

    kind: ReplyKind
    blocks: tuple[Block, ...]
    ephemeral: bool = False
    terms: tuple[TermRef, ...] = field(default=())

    @property
    def title(self) -> str:
        """The first heading's text (a short summary for notifications and logs)."""
        for block in self.blocks:
            if isinstance(block, Heading):
                return block.text
        return self.kind.value

    def buttons(self) -> tuple[Button, ...]:
        """Every button in the reply, in order."""
        return tuple(
            b for block in self.blocks if isinstance(block, Choices) for b in block.buttons
        )
