"""Render a core :class:`~bot.core.replies.Reply` as a Discord message: embeds and buttons.

All text in a reply is plain data. Every string is cleaned (zero-width and bidi control
characters removed), markdown-escaped and mention-neutralised here, and every message is sent
with ``AllowedMentions.none()``.

Discord limits this module keeps (a reply that would exceed one is split or shortened with "…",
never rejected): embed title 256, description 4096, 25 fields, field name 256 and value 1024,
footer 2048, 6000 characters over all embeds of a message, 10 embeds, content 2000,
5 buttons a row, 5 rows, button label 80, custom_id 100.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.adapters.discord.buttons import LABEL_MAX, ActionButton
from bot.core.actions import is_routable
from bot.core.replies import (
    Bullets,
    ButtonStyle,
    Choices,
    ComparisonTable,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
    Tone,
)

logger = logging.getLogger(__name__)

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBEDS_MAX = 10
TOTAL_MAX = 6000
CONTENT_MAX = 2000
BUTTONS_PER_ROW = 5
ROWS_MAX = 5
BUTTONS_MAX = BUTTONS_PER_ROW * ROWS_MAX
ELLIPSIS = "…"

COLOURS: dict[Tone, int] = {
    Tone.NEUTRAL: 0x5865F2,
    Tone.GOOD: 0x57F287,
    Tone.BAD: 0xED4245,
    Tone.WARNING: 0xFEE75C,
}
STYLES: dict[ButtonStyle, discord.ButtonStyle] = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
}
NO_MENTIONS = discord.AllowedMentions.none()

# Characters that hide or reorder text: zero-width, joiners, bidi controls, soft hyphen, BOM.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# <@id>, <@!id>, <@&id>, <#id>, and @everyone / @here (also after the cleaning above).
_MENTION = re.compile(r"<(?=[@#])|@(?=everyone|here)", re.IGNORECASE)
_ZWSP = "\u200b"


def printable(text: str) -> str:
    """Plain text without invisible characters or control codes (newlines and tabs kept)."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub("", text)


def neutralise_mentions(text: str) -> str:
    """Break every mention syntax with a zero-width space so it can never ping or resolve."""
    text = discord.utils.escape_mentions(text)
    return _MENTION.sub(lambda m: m.group(0) + _ZWSP, text)


def escape(text: str, *, limit: int | None = None) -> str:
    """Cleaned, markdown-escaped, mention-neutralised text for embeds and content.

    With ``limit``, only the first ``limit`` visible characters are kept (escaping only
    lengthens text, so nothing that could still be shown is lost).
    """
    cleaned = printable(text)
    if limit is not None:
        cleaned = cleaned[:limit]
    return neutralise_mentions(discord.utils.escape_markdown(cleaned))


def _esc(text: str) -> str:
    return escape(text, limit=TOTAL_MAX + 1)


def plain(text: str) -> str:
    """Cleaned, mention-neutralised text for places without markdown (footer, labels)."""
    return neutralise_mentions(printable(text))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return _safe_cut(text, limit - 1).rstrip() + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit``, cut at a line break or space where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        head = _safe_cut(rest, cut)
        if not head.strip():
            head = _safe_cut(rest, limit) or rest[:limit]
        pieces.append(head)
        rest = rest[len(head) :]
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _safe_cut(text: str, at: int) -> str:
    """``text[:at]``, moved back so it never ends between a backslash and what it escapes."""
    if at >= len(text):
        return text
    if "\\" not in text[: at + 1]:
        return text[:at]
    index = boundary = 0
    while index <= at:
        boundary = index
        index += 2 if text[index] == "\\" else 1
    return text[:boundary]


@dataclass(slots=True)
class RenderedMessage:
    """A reply ready for discord.py: pass :meth:`kwargs` to ``send``/``send_message``/``edit``."""

    embeds: list[discord.Embed]
    view: discord.ui.View | None
    ephemeral: bool = False
    content: str | None = None

    def kwargs(self, *, ephemeral: bool | None = None) -> dict[str, Any]:
        """Keyword arguments for an interaction response or follow-up (ephemeral honoured)."""
        args = self.message_kwargs()
        args["ephemeral"] = self.ephemeral if ephemeral is None else ephemeral
        return args

    def message_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for a channel message (no ephemeral flag)."""
        args: dict[str, Any] = {"embeds": self.embeds, "allowed_mentions": NO_MENTIONS}
        if self.content:
            args["content"] = self.content
        if self.view is not None:
            args["view"] = self.view
        return args

    def edit_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for editing a message (buttons cleared when there are none)."""
        return {
            "content": self.content,
            "embeds": self.embeds,
            "view": self.view,
            "allowed_mentions": NO_MENTIONS,
        }


@dataclass(slots=True)
class _Packer:
    """Fills embeds in order, keeping every per-embed and per-message limit."""

    colour: int
    budget: int = TOTAL_MAX
    embeds: list[discord.Embed] = field(default_factory=list)
    full: bool = False

    def _current(self, *, need_field: bool = False) -> discord.Embed | None:
        embed = self.embeds[-1] if self.embeds else None
        if embed is None or (need_field and len(embed.fields) >= FIELDS_MAX):
            if len(self.embeds) >= EMBEDS_MAX:
                self.full = True
                return None
            embed = discord.Embed(colour=self.colour)
            self.embeds.append(embed)
        return embed

    def _fit(self, text: str, reserve: int = 0) -> str | None:
        """``text`` within the remaining budget, or None when nothing meaningful fits."""
        room = self.budget - reserve
        if room < 2:
            self.full = True
            return None
        if len(text) > room:
            self.full = True
            return shorten(text, room)
        return text

    def title(self, text: str) -> None:
        embed = self._current()
        fitted = self._fit(shorten(text, TITLE_MAX)) if embed is not None else None
        if embed is not None and fitted:
            embed.title = fitted
            self.budget -= len(fitted)

    def description(self, text: str) -> None:
        for piece in (p.strip() for p in split(text, DESCRIPTION_MAX)):
            if not piece:
                continue
            if self.full:
                return
            embed = self._current()
            if embed is None:
                return
            if embed.description or embed.fields:
                if len(self.embeds) >= EMBEDS_MAX:
                    self.full = True
                    return
                embed = discord.Embed(colour=self.colour)
                self.embeds.append(embed)
            fitted = self._fit(piece)
            if not fitted:
                return
            embed.description = fitted
            self.budget -= len(fitted)

    def add_field(self, name: str, value: str, *, inline: bool) -> None:
        name = shorten(name, FIELD_NAME_MAX) or _ZWSP
        pieces = [p.strip() for p in split(value, FIELD_VALUE_MAX)]
        for index, piece in enumerate(p for p in pieces if p) if any(pieces) else [(0, "—")]:
            if self.full:
                return
            embed = self._current(need_field=True)
            if embed is None:
                return
            label = name if index == 0 else shorten(f"{name} (continued)", FIELD_NAME_MAX)
            label = self._fit(label, reserve=2) or ""
            if not label:
                return
            fitted = self._fit(piece, reserve=len(label))
            if not fitted:
                return
            embed.add_field(name=label, value=fitted, inline=inline)
            self.budget -= len(label) + len(fitted)

    def footer(self, text: str) -> None:
        if not self.embeds:
            self._current()
        self.embeds[-1].set_footer(text=text)


def render(reply: Reply) -> RenderedMessage:
    """The Discord message for ``reply``: embeds within every limit, and its buttons."""
    tone = next((b.tone for b in reply.blocks if isinstance(b, Heading)), Tone.NEUTRAL)
    packer = _Packer(colour=COLOURS[tone])
    footers = [plain(b.text) for b in reply.blocks if isinstance(b, Footer)]
    footer = shorten(" · ".join(footers), min(FOOTER_MAX, 1000)) if footers else ""
    packer.budget -= len(footer)
    description: list[str] = []

    def flush() -> None:
        if description:
            packer.description("\n\n".join(description))
            description.clear()

    for block in reply.blocks:
        match block:
            case Heading(text=text, subtitle=subtitle):
                if not packer.embeds:
                    packer.title(_esc(text))
                else:
                    description.append(f"**{_esc(text)}**")
                if subtitle:
                    description.append(f"*{_esc(subtitle)}*")
            case Paragraph(text=text, lead=lead):
                description.append(f"**{_esc(text)}**" if lead else _esc(text))
            case Bullets(title=title, items=items):
                flush()
                listed = "\n".join(f"• {i}" for i in items[: FIELDS_MAX * 10])
                packer.add_field(_esc(title), _esc(listed), inline=False)
            case Fields(items=items):
                flush()
                for item in items:
                    if packer.full:
                        break
                    packer.add_field(_esc(item.name), _esc(item.value), inline=item.inline)
            case ComparisonTable(columns=columns, rows=rows):
                flush()
                for row in rows:
                    if packer.full:
                        break
                    lines = (
                        f"**{_esc(column)}:** {_esc(cell)}"
                        for column, cell in zip(columns, row.cells, strict=False)
                    )
                    packer.add_field(_esc(row.label), "\n".join(lines), inline=False)
            case Choices() | Footer():
                pass
        if packer.full:
            break
    flush()
    if not packer.embeds:
        packer.title(_esc(reply.title))
    if footer:
        packer.footer(footer)
    view = render_view(
        b for block in reply.blocks if isinstance(block, Choices) for b in block.buttons
    )
    return RenderedMessage(packer.embeds, view, reply.ephemeral)


def render_view(buttons: Iterable[Any]) -> discord.ui.View | None:
    """A persistent view with up to 25 buttons, 5 a row; unusable actions are skipped."""
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for button in buttons:
        action = str(button.action)
        if action in seen:
            continue
        if not is_routable(action):
            logger.warning("button %r skipped: its action cannot be a custom_id", action[:120])
            continue
        if len(seen) >= BUTTONS_MAX:
            logger.warning("reply has more than %d buttons; the rest are dropped", BUTTONS_MAX)
            break
        seen.add(action)
        label = shorten(" ".join(printable(button.label).split()), LABEL_MAX) or ELLIPSIS
        item = ActionButton(
            action, label=label, style=STYLES.get(button.style, STYLES[ButtonStyle.SECONDARY])
        )
        item.item.row = (len(seen) - 1) // BUTTONS_PER_ROW
        view.add_item(item)
    return view if seen else None
