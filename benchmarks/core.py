"""Core: messages per second and p50/p99 latency per intent, against a dict look-up baseline.

Each message is ``Core.message(text, who)`` followed by ``render_plain`` (so formatting is
counted); the baseline per message is a dict look-up of the folded text plus an f-string,
awaited the same way. Quiz questions are written to a temporary SQLite file; not-found
messages record a knowledge gap in the background, and that work is drained inside the timing.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Config, core_on, shipped_base
from benchmarks.knowledge_gen import SHIPPED
from benchmarks.stats import Figure, percentile
from bot.adapters.console.render import render_plain
from bot.core.intents import (
    CompareIntent,
    ExplainIntent,
    FaqIntent,
    Intent,
    IntentParser,
    NotFoundIntent,
    QuizIntent,
)
from bot.core.knowledge.base import KnowledgeBase
from bot.core.request import Platform, Requester
from bot.core.service import Core

logger = logging.getLogger(__name__)

AREA = "core"
BATCH_SECONDS = 3.0
WHO = Requester(platform=Platform("slack"), user_id="U1", scope_id="T1", channel_id="C1")
INTENTS: dict[str, type[Intent]] = {
    "explain": ExplainIntent,
    "compare": CompareIntent,
    "faq": FaqIntent,
    "quiz": QuizIntent,
    "not-found": NotFoundIntent,
}
NOT_FOUND_WORDS = (
    "flux capacitor",
    "quantum blockchain synergy",
    "holographic tensor lasagna",
    "turbo encabulator",
    "hyperloop sentiment router",
    "banana transformer cake",
    "neural sourdough",
    "photonic spreadsheet",
)


@dataclass(frozen=True, slots=True)
class Workload:
    """Messages per intent for one knowledge base."""

    label: str
    base: KnowledgeBase
    directory: Path
    messages: dict[str, list[str]]


def shipped_workload() -> Workload:
    """Queries built from the shipped knowledge."""
    base = shipped_base()
    terms = list(base.terms.values())
    explain = [f"what is {t.name}" for t in terms] + [f"explain {t.id}" for t in terms]
    compare = [
        f"what's the difference between {base.terms[c.terms[0]].name} and "
        f"{base.terms[c.terms[1]].name}"
        for c in base.comparisons
    ]
    faq = [v for entry in base.faq for v in (entry.question, *entry.variants)]
    quiz = ["quiz me"] + [f"quiz me on {t.id}" for t in terms[:10]]
    not_found = [f"what is {w}" for w in NOT_FOUND_WORDS]
    return Workload(
        "shipped knowledge",
        base,
        SHIPPED,
        {"explain": explain, "compare": compare, "faq": faq, "quiz": quiz, "not-found": not_found},
    )


def generated_workload(config: Config) -> Workload:
    """Queries built from the generated base (names, aliases, FAQ questions, pairs)."""
    gen = config.generated()
    base = config.generated_base()
    step = max(1, len(gen.terms) // 500)
    sample = gen.terms[::step]
    explain = [f"what is a {t.name.lower()}" for t in sample] + [
        f"explain {t.alias}" for t in sample
    ]
    names = {t.id: t.name for t in gen.terms}
    compare = [f"{names[a]} vs {names[b]}" for a, b in gen.comparisons[:300]]
    faq = gen.faq_questions[:300]
    quiz = ["quiz me"] + [f"quiz me on {t.id}" for t in sample[:20]]
    not_found = [f"what is {w}" for w in NOT_FOUND_WORDS]
    return Workload(
        config.gen_label,
        base,
        gen.directory,
        {"explain": explain, "compare": compare, "faq": faq, "quiz": quiz, "not-found": not_found},
    )


class Baseline:
    """The least a bot could do: a dict look-up of the folded text and one f-string."""

    def __init__(self, base: KnowledgeBase) -> None:
        self.table = {t.name.casefold(): t for t in base.terms.values()}
        self.table.update({t.id: t for t in base.terms.values()})

    async def message(self, text: str) -> str:
        """Answer ``text``."""
        key = text.casefold().removeprefix("what is ").removeprefix("explain ")
        term = self.table.get(key)
        if term is None:
            return f"Sorry, I don't know {text!r} yet."
        return f"{term.name}\n{term.summary}\n\n{term.explanation}"


def _share_matching(core: Core, messages: Sequence[str], expected: type[Intent]) -> float:
    parser = IntentParser(core.base, bot_names=core.bot_names)
    return sum(isinstance(parser.parse(m), expected) for m in messages) / len(messages)


async def _batch(
    core: Core, texts: list[str], budget: float = BATCH_SECONDS
) -> tuple[list[float], float]:
    """Per-message latencies (ms) and the wall time of the batch including background work.

    Stops early (after at least 50 messages) once ``budget`` seconds have passed, so a slow
    intent on a big base does not make the run take many minutes.
    """
    latencies: list[float] = []
    started = time.perf_counter()
    for text in texts:
        if len(latencies) >= 50 and time.perf_counter() - started > budget:
            break
        t0 = time.perf_counter()
        render_plain(await core.message(text, WHO))
        latencies.append((time.perf_counter() - t0) * 1000)
    await core.drain()
    return latencies, time.perf_counter() - started


async def _baseline_batch(baseline: Baseline, texts: list[str]) -> tuple[list[float], float]:
    latencies: list[float] = []
    started = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        await baseline.message(text)
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies, time.perf_counter() - started


def _cycle(items: list[str], count: int) -> list[str]:
    return [items[i % len(items)] for i in range(count)]


async def _measure(workload: Workload, config: Config) -> list[Figure]:
    per_batch = 300 if config.quick else 2000
    label = workload.label
    figures: dict[str, Figure] = {}

    def fig(name: str, unit: str, higher: bool) -> Figure:
        key = f"{label}: {name}"
        if key not in figures:
            figures[key] = Figure(AREA, key, unit, higher_is_better=higher)
        return figures[key]

    baseline = Baseline(workload.base)
    database_path = config.workdir / f"core-{label.replace(' ', '-')}.db"
    async with core_on(workload.base, workload.directory, database_path) as (core, _db):
        shares = {
            intent: _share_matching(core, texts, INTENTS[intent])
            for intent, texts in workload.messages.items()
        }
        for texts in workload.messages.values():  # warm up caches and the database
            await _batch(core, _cycle(texts, 50))
        gc.collect()
        for _run in range(config.runs):
            mix_count, mix_time, mix_core_time, mix_core_count = 0, 0.0, 0.0, 0
            base_count, base_time = 0, 0.0
            for intent, texts in workload.messages.items():
                batch = _cycle(texts, per_batch)
                latencies, wall = await _batch(core, batch, 0.4 if config.quick else BATCH_SECONDS)
                batch = batch[: len(latencies)]
                b_lat, b_wall = await _baseline_batch(baseline, batch)
                share = f"{shares[intent]:.0%} of its messages classify as {intent}"
                rate = fig(f"{intent} msg/s", "msg/s", True)
                rate.runs.append(len(batch) / wall)
                rate.baseline.append(len(batch) / b_wall)
                rate.note = share
                p50 = fig(f"{intent} p50", "ms", False)
                p50.runs.append(percentile(latencies, 50))
                p50.baseline.append(percentile(b_lat, 50))
                p99 = fig(f"{intent} p99", "ms", False)
                p99.runs.append(percentile(latencies, 99))
                p99.baseline.append(percentile(b_lat, 99))
                mix_count += len(batch)
                mix_time += wall
                base_count += len(batch)
                base_time += b_wall
                if intent != "quiz":
                    mix_core_time += wall
                    mix_core_count += len(batch)
            every = fig("all intents, equal shares, msg/s", "msg/s", True)
            every.runs.append(mix_count / mix_time)
            every.baseline.append(base_count / base_time)
            knowledge_only = fig("knowledge-only mix (no quiz) msg/s", "msg/s", True)
            knowledge_only.runs.append(mix_core_count / mix_core_time)
            knowledge_only.baseline.append(base_count / base_time)
    return list(figures.values())


def _judge(figures: list[Figure], config: Config) -> None:
    for figure in figures:
        if figure.name.endswith(" p99"):
            shipped = figure.name.startswith("shipped")
            limit = 1.0 if shipped else 5.0
            if shipped or not config.quick:
                figure.judge(f"< {limit:g} ms", figure.median < limit)
        mix = figure.name.endswith("knowledge-only mix (no quiz) msg/s")
        if not config.quick and mix and not figure.name.startswith("shipped"):
            figure.judge(">= 5,000 msg/s", figure.median >= 5000)


def run(config: Config) -> list[Figure]:
    """Measure the core on the shipped and the generated knowledge."""
    figures: list[Figure] = []
    for workload in (shipped_workload(), generated_workload(config)):
        logger.info("core: %s", workload.label)
        figures += asyncio.run(_measure(workload, config))
    _judge(figures, config)
    return figures
