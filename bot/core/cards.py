"""Replies built from knowledge: definition cards, comparisons, FAQ answers, help, not found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bot.core import actions
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.model import Comparison, FaqEntry, Status, Term
from bot.core.replies import (
    Block,
    Bullets,
    Button,
    ButtonStyle,
    Choices,
    ComparisonTable,
    Footer,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    TableRow,
    TermRef,
    Tone,
)

RELATED_BUTTONS = 4


def ref(term: Term) -> TermRef:
    """The reference to ``term`` carried by replies."""
    return TermRef(term.id, term.name)


def explain_button(term: Term) -> Button:
    """A button that opens ``term``'s card."""
    return Button(label=term.name, action=actions.explain(term.id))


def term_of_the_day(base: KnowledgeBase, day: dt.date) -> Term | None:
    """The same term all day for everyone: terms sorted by id, picked by the day number."""
    if not base.terms:
        return None
    ids = sorted(base.terms)
    return base.terms[ids[day.toordinal() % len(ids)]]


def definition(base: KnowledgeBase, term: Term, *, typed: str | None = None) -> Reply:
    """The card for one term: summary, explanation, examples, related terms."""
    lifecycle = term.lifecycle
    if lifecycle is None or lifecycle.status is Status.CURRENT:
        blocks: list[Block] = [Heading(term.name, subtitle=term.category)]
    else:
        subtitle = f"{term.category} · {lifecycle.status}"
        blocks = [Heading(term.name, subtitle=subtitle, tone=Tone.WARNING)]
    if typed:
        blocks.append(Paragraph(f'Showing {term.name} (you typed "{typed}").'))
    if lifecycle is not None and lifecycle.status is not Status.CURRENT:
        blocks.append(Paragraph(status_line(base, term)))
    blocks.append(Paragraph(term.summary, lead=True))
    blocks.extend(Paragraph(part.strip()) for part in term.explanation.split("\n\n") if part)
    if term.examples:
        blocks.append(Bullets("Examples", term.examples))
    successors = current_successors(base, term)
    replacements = successors + [t for t in _replacements(base, term) if t not in successors]
    related = replacements + [
        base.terms[r] for r in term.related if r in base.terms and base.terms[r] not in replacements
    ]
    if related:
        blocks.append(Choices(tuple(explain_button(t) for t in related[:RELATED_BUTTONS])))
        hint = f"Compare: /compare {term.id} {related[0].id}"
        blocks.append(Footer(f"Related: {', '.join(t.name for t in related)} · {hint}"))
    return Reply(ReplyKind.DEFINITION, tuple(blocks), terms=(ref(term),))


def status_line(base: KnowledgeBase, term: Term) -> str:
    """One plain line on a superseded or retired term: since when, by what, and the note.

    When a replacement is itself no longer current, the line also names today's successor
    found by following ``replaced_by``: "Retired since April 2025, replaced by GPT-4o (itself
    retired since February 2026); today: GPT-6. <note>". Empty for a current term.
    """
    lifecycle = term.lifecycle
    if lifecycle is None or lifecycle.status is Status.CURRENT:
        return ""
    line = _first_upper(_status_phrase(term))
    direct = _replacements(base, term)
    if direct:
        line += f", replaced by {_and_list([_with_status(t) for t in direct])}"
    today = [t for t in current_successors(base, term) if t not in direct]
    if today:
        line += f"; today: {_and_list([t.name for t in today])}"
    line += "."
    if lifecycle.note:
        line += f" {lifecycle.note}"
    return line


def current_successors(base: KnowledgeBase, term: Term) -> list[Term]:
    """The current terms reached from ``term`` through ``replaced_by``, nearest first."""
    found: list[Term] = []
    seen = {term.id}
    queue = _replacements(base, term)
    while queue:
        candidate = queue.pop(0)
        if candidate.id in seen:
            continue
        seen.add(candidate.id)
        if candidate.status is Status.CURRENT:
            found.append(candidate)
        else:
            queue.extend(_replacements(base, candidate))
    return found


def _status_phrase(term: Term) -> str:
    """ "retired since April 2025", "superseded", or "current"."""
    lifecycle = term.lifecycle
    if lifecycle is None or lifecycle.status is Status.CURRENT:
        return str(Status.CURRENT)
    since = f" since {lifecycle.since:%B %Y}" if lifecycle.since else ""
    return f"{lifecycle.status}{since}"


def _first_upper(text: str) -> str:
    """``text`` with its first letter upper case and the rest untouched ("April" stays)."""
    return text[:1].upper() + text[1:]


def _with_status(term: Term) -> str:
    if term.status is Status.CURRENT:
        return term.name
    return f"{term.name} (itself {_status_phrase(term)})"


def _replacements(base: KnowledgeBase, term: Term) -> list[Term]:
    if term.lifecycle is None:
        return []
    return [base.terms[r] for r in term.lifecycle.replaced_by if r in base.terms]


def _and_list(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def comparison(base: KnowledgeBase, terms: Sequence[Term]) -> Reply:
    """A side-by-side of ``terms`` (two or more, in the order asked).

    The curated table when one covers them all: asked for a part of a wider curated table
    ("chatgpt vs claude" when one table compares four apps), the whole table is shown, the
    asked terms first, because its takeaway speaks about all its columns. Otherwise a table
    built from each term's own fields.
    """
    curated = base.covering([term.id for term in terms])
    if curated is not None:
        asked = {term.id for term in terms}
        shown = [*terms, *(base.terms[i] for i in curated.terms if i not in asked)]
        blocks = _curated_blocks(curated, shown)
    else:
        shown = list(terms)
        blocks = _generic_blocks(base, shown)
    title = " vs ".join(term.name for term in shown)
    footer = Footer("More on each: " + " · ".join(f"/explain {term.id}" for term in shown))
    return Reply(
        ReplyKind.COMPARISON,
        (Heading(title, subtitle="Side by side"), *blocks, footer),
        terms=tuple(ref(term) for term in shown),
    )


def _curated_blocks(curated: Comparison, terms: Sequence[Term]) -> list[Block]:
    ids = [term.id for term in terms]
    rows = tuple(
        TableRow(dimension.name, tuple(dimension.values[i] for i in ids))
        for dimension in curated.dimensions
    )
    return [
        Paragraph(curated.takeaway, lead=True),
        ComparisonTable(tuple(term.name for term in terms), rows),
    ]


def _generic_blocks(base: KnowledgeBase, terms: Sequence[Term]) -> list[Block]:
    rows = [TableRow("What it is", tuple(term.summary for term in terms))]
    if any(term.status is not Status.CURRENT for term in terms):
        rows.append(TableRow("Status", tuple(_first_upper(_status_phrase(term)) for term in terms)))
    rows += [
        TableRow("Category", tuple(term.category for term in terms)),
        TableRow(
            "Examples",
            tuple(", ".join(term.examples[:3]) if term.examples else "—" for term in terms),
        ),
        TableRow(
            "Related to",
            tuple(_related_names(base, term) for term in terms),
        ),
    ]
    if len(terms) == 2:
        lead = _relation(terms[0], terms[1])
    else:
        lead = f"{_and_list([term.name for term in terms])} side by side."
    gone = [
        f"{term.name} is {_status_phrase(term)}"
        for term in terms
        if term.status is not Status.CURRENT
    ]
    if gone:
        lead = f"Note: {_and_list(gone)}. {lead}"
    return [
        Paragraph(lead, lead=True),
        ComparisonTable(tuple(term.name for term in terms), tuple(rows)),
    ]


def _related_names(base: KnowledgeBase, term: Term) -> str:
    names = [base.terms[r].name for r in term.related[:4] if r in base.terms]
    return ", ".join(names) if names else "—"


def _relation(first: Term, second: Term) -> str:
    """One line on how two terms relate, from their own fields."""
    if second.id in first.related or first.id in second.related:
        return f"{first.name} and {second.name} are closely related; here is how they line up."
    if first.category == second.category:
        return f"Both are {first.category.lower()}; here is how they line up."
    return (
        f"{first.name} ({first.category.lower()}) and {second.name} "
        f"({second.category.lower()}) side by side."
    )


def faq_answer(base: KnowledgeBase, entry: FaqEntry, named: Sequence[Term] = ()) -> Reply:
    """The answer to a frequently asked question."""
    related = [base.terms[r] for r in entry.related if r in base.terms]
    blocks: list[Block] = [Heading(entry.question), Paragraph(entry.answer)]
    if related:
        blocks.append(Choices(tuple(explain_button(t) for t in related[:RELATED_BUTTONS])))
        blocks.append(Footer("Learn more: " + " · ".join(f"/explain {t.id}" for t in related)))
    refs = named or related
    return Reply(ReplyKind.FAQ, tuple(blocks), terms=tuple(ref(term) for term in refs))


def not_found(query: str, suggestions: Iterable[Term], *, examples: Sequence[Term] = ()) -> Reply:
    """A helpful answer for something the knowledge does not cover."""
    offered = list(suggestions)
    shown = _shorten(query, 80)
    blocks: list[Block] = [
        Heading(f'I don\'t know "{shown}" yet', tone=Tone.WARNING)
        if shown
        else Heading("I didn't catch a term there", tone=Tone.WARNING)
    ]
    if offered:
        blocks.append(Paragraph("Did you mean one of these?"))
        blocks.append(Choices(tuple(explain_button(term) for term in offered)))
    else:
        picks = ", ".join(term.name for term in examples[:4])
        hint = f" For example: {picks}." if picks else ""
        blocks.append(Paragraph(f"Try another word, or ask for a term I know.{hint}"))
    blocks.append(
        Footer("I've noted it so the admins know what to add. Type help to see what I can do.")
    )
    return Reply(ReplyKind.NOT_FOUND, tuple(blocks))


def help_card(base: KnowledgeBase) -> Reply:
    """What the bot does and how to ask."""
    counts = base.counts()
    lines = (
        "/explain llm: a definition card",
        "/compare llm generative-ai: a side-by-side comparison",
        "/quiz: a practice question (/quiz stats, /quiz leaderboard)",
        "Or just ask: what's the difference between GANs and diffusion models?",
        "Or: is ChatGPT an LLM?",
    )
    return Reply(
        ReplyKind.HELP,
        (
            Heading("explainbot", subtitle="Learn AI concepts at work"),
            Paragraph(
                f"I know {counts['terms']} AI terms, {counts['comparisons']} curated comparisons "
                f"and {counts['quiz']} quiz questions."
            ),
            Bullets("Ask me", lines),
            Choices((Button("Quiz me", actions.NEW_QUESTION, ButtonStyle.PRIMARY),)),
        ),
    )


def browse(base: KnowledgeBase) -> Reply:
    """Every term, by category: what someone who asks "what do you know?" can explore."""
    by_category: dict[str, list[str]] = {}
    for term in base.terms.values():
        by_category.setdefault(term.category, []).append(term.name)
    blocks: list[Block] = [
        Heading(
            "What I can explain",
            subtitle=f"{len(base.terms)} terms in {len(by_category)} categories",
        )
    ]
    blocks.extend(
        Bullets(category, (", ".join(sorted(names, key=str.casefold)),))
        for category, names in sorted(by_category.items())
    )
    blocks.append(Footer("Ask about any of them: what is RAG? · /compare a b · /quiz"))
    return Reply(ReplyKind.HELP, tuple(blocks))


def notice(
    title: str, text: str = "", *, tone: Tone = Tone.NEUTRAL, ephemeral: bool = True
) -> Reply:
    """A short message: a refusal, a confirmation, a "try again"."""
    blocks: list[Block] = [Heading(title, tone=tone)]
    if text:
        blocks.append(Paragraph(text))
    kind = ReplyKind.ERROR if tone is Tone.BAD else ReplyKind.NOTICE
    return Reply(kind, tuple(blocks), ephemeral=ephemeral)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
