"""Knowledge reload: validate + index time of the generated base, and the longest event-loop
stall while ``LiveKnowledge.reload()`` runs with the core answering messages.

A ticker task sleeps 1 ms at a time and records how late it wakes; the same load without a
reload is the baseline. ``load_knowledge`` timing is split into the whole load and the
indexing part (building ``KnowledgeBase`` from already validated entries).
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from pathlib import Path

from benchmarks.common import Config, core_on
from benchmarks.stats import Figure
from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import load_knowledge
from bot.core.request import Platform, Requester

AREA = "reload"
TICK = 0.001
WHO = Requester(platform=Platform("discord"), user_id="u", scope_id="g", channel_id="c")


async def _ticker(stop: asyncio.Event, lateness: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        planned = loop.time() + TICK
        await asyncio.sleep(TICK)
        lateness.append((loop.time() - planned) * 1000)


async def _load(core_message: object, texts: list[str], stop: asyncio.Event) -> int:
    answered = 0
    while not stop.is_set():
        await core_message(texts[answered % len(texts)], WHO)  # type: ignore[operator]
        answered += 1
        await asyncio.sleep(0.002)  # messages arrive one by one, not in a tight loop
    return answered


def _touch(paths: list[Path]) -> None:
    """Mark files as edited (new modification time), as an admin's save does."""
    for path in paths:
        os.utime(path)


async def _stall(
    config: Config, *, reload: bool, seconds: float, edited: list[Path] | None = None
) -> tuple[float, float]:
    """(longest stall in ms, reload wall time in s) with the core under load.

    ``edited`` files get a new modification time just before the reload (all files when None):
    the running bot re-reads only files that changed.
    """
    gen = config.generated()
    base = config.generated_base()
    texts = [f"what is a {t.name.lower()}" for t in gen.terms[:200]] + ["explain llm"]
    async with core_on(base, gen.directory, config.workdir / "reload.db") as (core, _db):
        stop = asyncio.Event()
        lateness: list[float] = []
        ticker = asyncio.create_task(_ticker(stop, lateness))
        load = asyncio.create_task(_load(core.message, texts, stop))
        await asyncio.sleep(0.3)
        lateness.clear()
        started = time.perf_counter()
        if reload and edited is not None:
            await core.knowledge.reload()  # a running bot has read every file once already
        if reload:
            _touch(edited if edited is not None else sorted(gen.directory.rglob("*.yaml")))
            started = time.perf_counter()
            result = await core.knowledge.reload()
            if not result.ok:
                raise RuntimeError(f"reload failed: {result.errors[:3]}")
        else:
            await asyncio.sleep(seconds)
        wall = time.perf_counter() - started
        await asyncio.sleep(0.2)  # the old snapshot is freed after the swap
        stop.set()
        await asyncio.gather(ticker, load)
    return max(lateness, default=0.0), wall


def _index_seconds(base: KnowledgeBase) -> float:
    started = time.perf_counter()
    KnowledgeBase(terms=base.terms, comparisons=base.comparisons, faq=base.faq, quiz=base.quiz)
    return time.perf_counter() - started


def run(config: Config) -> list[Figure]:
    """Reload timings and event-loop stalls over several runs."""
    directory = config.generated().directory
    base = config.generated_base()
    load = Figure(
        AREA,
        f"{config.gen_label}: cold load (read + validate + index every file)",
        "s",
        higher_is_better=False,
    )
    edit = Figure(
        AREA,
        f"{config.gen_label}: reload after an admin edits one file",
        "s",
        higher_is_better=False,
    )
    index = Figure(AREA, f"{config.gen_label}: index only", "s", higher_is_better=False)
    stall = Figure(
        AREA, f"{config.gen_label}: longest loop stall during reload", "ms", higher_is_better=False
    )
    runs = 1 if config.quick else 2
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = load_knowledge(directory)
        load.runs.append(time.perf_counter() - started)
        assert result.ok
        del result
        index.runs.append(_index_seconds(base))
        one_file = sorted((directory / "generated").glob("terms-*.yaml"))[:1]
        _, edit_wall = asyncio.run(_stall(config, reload=True, seconds=0, edited=one_file))
        edit.runs.append(edit_wall)
        longest, wall = asyncio.run(_stall(config, reload=True, seconds=0))
        stall.runs.append(longest)
        quiet, _ = asyncio.run(_stall(config, reload=False, seconds=min(wall, 5.0)))
        stall.baseline.append(quiet)
    stall.note = (
        "during a full reload (every file changed); baseline: the same load for the same time "
        "without a reload"
    )
    load.note = "no target: a cold start or a change to every file; see the edit figure"
    if not config.quick:
        edit.judge("< 2 s", edit.median < 2.0)
        stall.judge("< 50 ms", stall.median < 50.0)
    return [load, edit, index, stall]
