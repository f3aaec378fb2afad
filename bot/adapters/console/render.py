"""Plain-text rendering of replies, for the console and ``explainbot ask``."""

from __future__ import annotations

import functools
import textwrap

from bot.core.replies import (
    Bullets,
    Choices,
    ComparisonTable,
    Fields,
    Footer,
    Heading,
    Paragraph,
    Reply,
)

WIDTH = 78


def render_plain(reply: Reply, *, width: int = WIDTH, numbered_buttons: bool = True) -> str:
    """``reply`` as readable plain text; buttons are numbered so a console user can pick one."""
    lines: list[str] = []
    button_number = 0
    for block in reply.blocks:
        match block:
            case Heading(text=text, subtitle=subtitle):
                lines.append(text)
                lines.append("─" * min(len(text), width))
                if subtitle:
                    lines.append(subtitle)
            case Paragraph(text=text):
                lines.extend(_wrap(text, width))
            case Bullets(title=title, items=items):
                lines.append(f"{title}:")
                for item in items:
                    lines.extend(_wrap(item, width, first="  - ", rest="    "))
            case Fields(items=items):
                lines.extend(f"{item.name}: {item.value}" for item in items)
            case ComparisonTable(columns=columns, rows=rows):
                for row in rows:
                    lines.append(f"{row.label}")
                    for column, cell in zip(columns, row.cells, strict=True):
                        lines.extend(_wrap(cell, width, first=f"  {column}: ", rest="    "))
            case Choices(buttons=buttons):
                for button in buttons:
                    button_number += 1
                    label = f"  [{button_number}] " if numbered_buttons else "  - "
                    lines.append(f"{label}{button.label}")
            case Footer(text=text):
                lines.extend(_wrap(text, width))
        lines.append("")
    return "\n".join(lines).strip()


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, width: int, *, first: str = "", rest: str = "") -> tuple[str, ...]:
    """Wrapped lines; cached because knowledge text is rendered again and again."""
    out: list[str] = []
    for number, paragraph in enumerate(text.splitlines() or [""]):
        indent = first if number == 0 else rest
        if len(indent) + len(paragraph) <= width and paragraph.strip() == paragraph:
            out.append(indent + paragraph if paragraph else rest.rstrip())
            continue
        wrapped = textwrap.wrap(
            paragraph, width=width, initial_indent=indent, subsequent_indent=rest
        ) or [rest.rstrip()]
        out.extend(wrapped)
    return tuple(out)
