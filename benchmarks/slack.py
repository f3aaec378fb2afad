"""Slack end to end: signed slash commands through Bolt over HTTP, against two bare Bolt apps.

Three apps run in the same process as the load generator and the fake Web API, each behind the
same aiohttp transport: explainbot's ``SlackBot``; a bare Bolt app with the defaults
(``process_before_response=False``: Bolt polls for the ack every 10 ms, what a typical bot is);
and a bare Bolt app with ``process_before_response=True`` answering inside the ack (the least
Bolt can do). Each is driven sequentially and with 50 requests in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from benchmarks.common import Config, shipped_base
from benchmarks.knowledge_gen import SHIPPED
from benchmarks.stats import Figure, percentile
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.transport import HttpTransport
from bot.core.live import LiveKnowledge
from bot.core.service import Core
from bot.settings import Settings
from bot.store.database import Database
from bot.store.quiz_store import QuizStore
from tests.fakes.slack import (
    DEFAULT_BOT_TOKEN,
    DEFAULT_SIGNING_SECRET,
    FakeSlack,
    signed_headers,
    slash_command_body,
)

logger = logging.getLogger(__name__)

AREA = "slack"
CONCURRENCY = 50
FIXED = "A large language model is a model trained on text to predict the next token."


def _bare_app(fake: FakeSlack, *, process_before_response: bool) -> AsyncApp:
    client = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake.api_url)
    app = AsyncApp(
        signing_secret=DEFAULT_SIGNING_SECRET,
        client=client,
        process_before_response=process_before_response,
    )

    async def explain(ack: Any) -> None:
        await ack(text=FIXED, response_type="in_channel")

    app.command("/explain")(explain)
    return app


def _bodies(fake: FakeSlack, count: int, texts: list[str]) -> list[str]:
    return [
        slash_command_body(
            "/explain", texts[i % len(texts)], response_url=fake.response_url(f"r{i}")
        )
        for i in range(count)
    ]


async def _drive(url: str, bodies: list[str], concurrency: int) -> tuple[float, list[float], int]:
    """(requests per second, latencies in ms, failures) for ``bodies`` at ``concurrency``."""
    latencies: list[float] = []
    failures = 0
    queue = list(reversed(bodies))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal failures
            while queue:
                body = queue.pop()
                headers = signed_headers(DEFAULT_SIGNING_SECRET, body)
                t0 = time.perf_counter()
                async with session.post(url, data=body.encode(), headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        failures += 1
                latencies.append((time.perf_counter() - t0) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(bodies) / elapsed, latencies, failures


async def _measure(config: Config) -> list[Figure]:
    sequential = 50 if config.quick else 400
    concurrent = 200 if config.quick else 2000
    base = shipped_base()
    texts = [t.id for t in base.terms.values()]
    database = Database(f"sqlite+aiosqlite:///{config.workdir / 'slack.db'}")
    await database.migrate()
    store = QuizStore(database)
    core = Core(LiveKnowledge(SHIPPED, base), store, store)
    figures: dict[str, Figure] = {}
    async with FakeSlack() as fake:
        settings = Settings(
            _env_file=None,
            knowledge_dir=SHIPPED,
            slack_bot_token=DEFAULT_BOT_TOKEN,
            slack_signing_secret=DEFAULT_SIGNING_SECRET,
            slack_api_url=fake.api_url,
            slack_host="127.0.0.1",
            slack_port=0,
        )
        bot = SlackBot(core, settings)
        bot_transport = await bot.start()
        assert isinstance(bot_transport, HttpTransport)
        transports: dict[str, HttpTransport] = {"explainbot": bot_transport}
        for name, pbr in (("bare-default", False), ("bare-fastest", True)):
            transport = HttpTransport(
                _bare_app(fake, process_before_response=pbr), host="127.0.0.1", port=0
            )
            await transport.start()
            transports[name] = transport
        failures = 0
        try:
            for transport in transports.values():  # warm up: auth.test, connections
                await _drive(transport.url, _bodies(fake, 20, texts), 5)
            for _run in range(config.runs):
                for mode, count, conc in (
                    ("sequential", sequential, 1),
                    (f"{CONCURRENCY}-concurrent", concurrent, CONCURRENCY),
                ):
                    results: dict[str, tuple[float, list[float]]] = {}
                    for name, transport in transports.items():
                        rate, lat, failed = await _drive(
                            transport.url, _bodies(fake, count, texts), conc
                        )
                        failures += failed
                        results[name] = (rate, lat)
                    _record(figures, mode, results)
        finally:
            for transport in transports.values():
                await transport.close()
            await bot.close()
            await core.drain()
            await database.close()
    if failures:
        logger.warning("slack: %d requests did not answer 200", failures)
    return list(figures.values())


def _record(
    figures: dict[str, Figure], mode: str, results: dict[str, tuple[float, list[float]]]
) -> None:
    def add(name: str, unit: str, higher: bool, value: float, baseline: float) -> None:
        figure = figures.setdefault(name, Figure(AREA, name, unit, higher_is_better=higher))
        figure.runs.append(value)
        figure.baseline.append(baseline)

    ours_rate, ours_lat = results["explainbot"]
    for bare in ("bare-default", "bare-fastest"):
        rate, lat = results[bare]
        add(f"{mode} req/s vs {bare}", "req/s", True, ours_rate, rate)
        add(f"{mode} p99 vs {bare}", "ms", False, percentile(ours_lat, 99), percentile(lat, 99))
    add(
        f"{mode} p50 vs bare-fastest",
        "ms",
        False,
        percentile(ours_lat, 50),
        percentile(results["bare-fastest"][1], 50),
    )


def _judge(figures: list[Figure]) -> None:
    for figure in figures:
        if figure.name == "sequential req/s vs bare-default":
            figure.judge(">= 5x bare default", figure.ratio >= 5)
        if figure.name.endswith("req/s vs bare-fastest"):
            figure.judge(">= 0.8x fastest bare", figure.ratio >= 0.8)


def run(config: Config) -> list[Figure]:
    """Measure explainbot's Bolt app against the two bare Bolt apps."""
    figures = asyncio.run(_measure(config))
    _judge(figures)
    return figures
