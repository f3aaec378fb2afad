"""Reply → Slack Block Kit, escaped and kept inside Slack's limits.

Limits enforced here (Slack rejects a message that breaks any of them):

- 50 blocks per message (100 in an App Home view);
- header: ``plain_text`` of at most 150 characters;
- section text: ``mrkdwn`` of at most 3,000 characters (longer prose becomes more sections);
- section fields: at most 10 per section, each at most 2,000 characters;
- context: at most 10 elements, each at most 3,000 characters;
- actions: at most 25 elements; button text ``plain_text`` at most 75 characters, ``value`` at
  most 2,000, ``action_id`` unique within the message (at most 255).

Every piece of text (user text and knowledge text are plain data) has ``&``, ``<`` and ``>``
escaped, ``&`` first, so ``<!channel>``, ``<@U…>`` and a pre-escaped ``&lt;`` always show as
literal text and never become live mentions or links.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from bot.core.replies import (
    Block,
    Bullets,
    ButtonStyle,
    Choices,
    ComparisonTable,
    Field,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
    Tone,
)

logger = logging.getLogger(__name__)

MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELDS_PER_SECTION = 10
FIELD_TEXT_MAX = 2000
CONTEXT_TEXT_MAX = 3000
BUTTONS_PER_ACTIONS = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
FALLBACK_TEXT_MAX = 3000

ACTION_ID_PREFIX = "explainbot.button."
"""Every button's ``action_id`` is this prefix and its position in the message."""
ACTION_ID_PATTERN = re.compile(r"^explainbot\.button\.\d+$")
"""Matches every button this renderer makes: one Bolt listener routes them all."""

ELLIPSIS = "…"
SHORTENED_NOTE = "Shortened to fit in one Slack message."
_TONE_EMOJI = {Tone.GOOD: "✅ ", Tone.BAD: "❌ ", Tone.WARNING: "⚠️ ", Tone.NEUTRAL: ""}

SlackBlock = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What ``chat.postMessage``, ``ack()`` or ``respond()`` take: blocks plus fallback text."""

    blocks: list[SlackBlock]
    text: str


# --------------------------------------------------------------------------- escaping


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` (``&`` first) so text is shown literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _safe_cut(escaped: str, limit: int) -> int:
    """A cut position ≤ ``limit`` that never splits an ``&amp;``-style entity."""
    cut = min(limit, len(escaped))
    amp = escaped.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in escaped[amp:cut]:
        cut = amp
    return cut


def fit(text: str, limit: int) -> str:
    """``text`` escaped and shortened to at most ``limit`` characters (with an ellipsis)."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = _safe_cut(escaped, limit - len(ELLIPSIS))
    return escaped[:cut].rstrip() + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """``text`` escaped and split into pieces of at most ``limit`` characters.

    Cuts fall on a line break or a space when there is one in the second half of a piece.
    """
    escaped = escape(text)
    pieces: list[str] = []
    while len(escaped) > limit:
        cut = _safe_cut(escaped, limit)
        for boundary in ("\n", " "):
            found = escaped.rfind(boundary, limit // 2, cut)
            if found > 0:
                cut = found
                break
        if cut <= 0:  # pragma: no cover - only with absurdly small limits
            cut = limit
        pieces.append(escaped[:cut].rstrip())
        escaped = escaped[cut:].lstrip()
    if escaped or not pieces:
        pieces.append(escaped)
    return [piece for piece in pieces if piece] or [""]


# --------------------------------------------------------------------------- elements


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text, limit) or " ", "emoji": True}


def _mrkdwn(escaped: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": escaped or " "}


def _section(escaped: str) -> SlackBlock:
    return {"type": "section", "text": _mrkdwn(escaped)}


def _context(text: str) -> SlackBlock:
    return {"type": "context", "elements": [_mrkdwn(fit(text, CONTEXT_TEXT_MAX))]}


def _bold(text: str, limit: int) -> str:
    """Escaped ``*text*`` when the text is one line without asterisks, else escaped text."""
    if "*" in text or "\n" in text or not text.strip():
        return fit(text, limit)
    return f"*{fit(text, limit - 2)}*"


def _field(name: str, value: str) -> dict[str, Any]:
    label = _bold(name, FIELD_TEXT_MAX // 4)
    body = fit(value, FIELD_TEXT_MAX - len(label) - 1)
    return _mrkdwn(f"{label}\n{body}" if label else body)


# --------------------------------------------------------------------------- blocks


class _Renderer:
    """Renders one reply; counts buttons so action_ids stay unique within the message."""

    def __init__(self) -> None:
        self.buttons = 0

    def block(self, block: Block) -> list[SlackBlock]:
        match block:
            case Heading():
                return self._heading(block)
            case Paragraph():
                return self._paragraph(block)
            case Bullets():
                return self._bullets(block)
            case Fields():
                return self._fields(block.items)
            case ComparisonTable():
                return self._table(block)
            case Choices():
                return self._choices(block)
            case Footer():
                return [_context(block.text)]
        raise AssertionError(f"unhandled block {block!r}")  # pragma: no cover

    def _heading(self, heading: Heading) -> list[SlackBlock]:
        emoji = _TONE_EMOJI.get(heading.tone, "")
        out: list[SlackBlock] = [
            {"type": "header", "text": _plain(emoji + heading.text, HEADER_MAX)}
        ]
        if heading.subtitle:
            out.append(_context(heading.subtitle))
        return out

    def _paragraph(self, paragraph: Paragraph) -> list[SlackBlock]:
        if paragraph.lead and len(escape(paragraph.text)) <= SECTION_TEXT_MAX - 2:
            return [_section(_bold(paragraph.text, SECTION_TEXT_MAX))]
        return [_section(piece) for piece in split(paragraph.text, SECTION_TEXT_MAX)]

    def _bullets(self, bullets: Bullets) -> list[SlackBlock]:
        title = _bold(bullets.title, 200)
        text = "\n".join(f"• {item}" for item in bullets.items)
        pieces = split(text, SECTION_TEXT_MAX - len(title) - 1)
        out = [_section(f"{title}\n{pieces[0]}" if title else pieces[0])]
        out.extend(_section(piece) for piece in pieces[1:])
        return out

    def _fields(self, items: tuple[Field, ...], text: str | None = None) -> list[SlackBlock]:
        out: list[SlackBlock] = []
        for start in range(0, max(len(items), 1), FIELDS_PER_SECTION):
            chunk = items[start : start + FIELDS_PER_SECTION]
            section: SlackBlock = {"type": "section"}
            if text is not None and start == 0:
                section["text"] = _mrkdwn(text)
            if chunk:
                section["fields"] = [_field(item.name, item.value) for item in chunk]
            if "text" in section or "fields" in section:
                out.append(section)
        return out

    def _table(self, table: ComparisonTable) -> list[SlackBlock]:
        """One section per dimension: the row label, then a field per compared term."""
        out: list[SlackBlock] = []
        for row in table.rows:
            cells = tuple(
                Field(column, cell) for column, cell in zip(table.columns, row.cells, strict=False)
            )
            out.extend(self._fields(cells, text=_bold(row.label, 300)))
        return out

    def _choices(self, choices: Choices) -> list[SlackBlock]:
        elements: list[dict[str, Any]] = []
        for button in choices.buttons:
            if len(button.action) > BUTTON_VALUE_MAX:
                logger.warning("button %r dropped: action longer than %d", button.label, 2000)
                continue
            element: dict[str, Any] = {
                "type": "button",
                "action_id": f"{ACTION_ID_PREFIX}{self.buttons}",
                "text": _plain(button.label, BUTTON_TEXT_MAX),
                "value": button.action,
            }
            if button.style is ButtonStyle.PRIMARY:
                element["style"] = "primary"
            self.buttons += 1
            elements.append(element)
        return [
            {"type": "actions", "elements": elements[start : start + BUTTONS_PER_ACTIONS]}
            for start in range(0, len(elements), BUTTONS_PER_ACTIONS)
        ]


def render_blocks(reply: Reply, *, max_blocks: int = MAX_BLOCKS) -> list[SlackBlock]:
    """The reply as Block Kit blocks, at most ``max_blocks`` of them.

    When the reply is too long, prose is dropped from the end (headers and buttons are kept)
    and a note says it was shortened.
    """
    renderer = _Renderer()
    blocks = [slack for block in reply.blocks for slack in renderer.block(block)]
    if len(blocks) <= max_blocks:
        return blocks
    logger.info("reply %r shortened from %d blocks", reply.title, len(blocks))
    essential = [b["type"] in ("header", "actions") for b in blocks]
    room = max_blocks - 1 - sum(essential)
    kept: list[SlackBlock] = []
    for block, keep in zip(blocks, essential, strict=True):
        if keep:
            kept.append(block)
        elif room > 0:
            kept.append(block)
            room -= 1
    kept = kept[: max_blocks - 1]
    kept.append(_context(SHORTENED_NOTE))
    return kept


def fallback_text(reply: Reply) -> str:
    """The plain ``text`` sent with the blocks: notifications and screen readers use it."""
    lead = next(
        (b.text for b in reply.blocks if isinstance(b, Paragraph) and b.lead),
        next((b.text for b in reply.blocks if isinstance(b, Paragraph)), ""),
    )
    summary = f"{reply.title}: {lead}" if lead else reply.title
    return fit(summary, FALLBACK_TEXT_MAX)


def render(reply: Reply, *, max_blocks: int = MAX_BLOCKS) -> Rendered:
    """The reply as blocks plus an escaped plain-text fallback."""
    return Rendered(render_blocks(reply, max_blocks=max_blocks), fallback_text(reply))
