"""Discord end to end: slash-command interactions through real discord.py and the fake gateway.

The bot runs in its own process (``python -m benchmarks.discord_e2e --serve ...``) so the fake
gateway and the load generator (this process) do not share its core; explainbot's
``ExplainBot`` (with the core on the shipped knowledge) is compared with a bare discord.py bot
whose ``/explain`` answers a fixed string, in the same run. The round trip measured is
INTERACTION_CREATE sent by the fake → the callback request received by the fake.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from benchmarks.common import Config, core_on, shipped_base
from benchmarks.knowledge_gen import SHIPPED
from benchmarks.stats import Figure, percentile
from tests.fakes.discord import FakeDiscord, SentInteraction

AREA = "discord"
CONCURRENCY = 50
FIXED = "A large language model is a model trained on text to predict the next token."
READY_TIMEOUT = 30.0


class BareBot(discord.Client):
    """The least a discord.py bot does: one slash command answering a fixed string."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True))
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="explain", description="Explain an AI term")
        async def explain(interaction: discord.Interaction, term: str) -> None:
            await interaction.response.send_message(FIXED)


async def _serve(kind: str, api: str, gateway: str) -> None:
    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    if kind == "bare":
        await BareBot().start("fake-token")
        return
    from bot.adapters.discord.client import ExplainBot

    with tempfile.TemporaryDirectory() as tmp:
        async with core_on(shipped_base(), SHIPPED, Path(tmp) / "bot.db") as (core, _db):
            client = ExplainBot(core, guild_ready_timeout=0.05)
            await client.start("fake-token")


def _spawn(kind: str, fake: FakeDiscord) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.discord_e2e",
            "--serve",
            kind,
            "--api",
            fake.api_base,
            "--gateway",
            str(fake.gateway_url),
        ],
        cwd=Path(__file__).resolve().parent.parent,
    )


async def _round_trip(fake: FakeDiscord, term: str) -> float:
    since = len(fake.requests)
    t0 = time.perf_counter()
    sent: SentInteraction = await fake.send_slash_command("explain", {"term": term})
    path = sent.callback_path
    await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path == path and 200 <= r.status < 300,
        timeout=10.0,
        since=since,
    )
    return (time.perf_counter() - t0) * 1000


async def _drive(
    fake: FakeDiscord, terms: list[str], concurrency: int
) -> tuple[float, list[float]]:
    queue = list(reversed(terms))
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            latencies.append(await _round_trip(fake, queue.pop()))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(terms) / (time.perf_counter() - started), latencies


async def _one_bot(kind: str, config: Config, terms: list[str]) -> list[dict[str, float]]:
    """Per run: sequential and concurrent rate and latencies for one bot process."""
    sequential = 50 if config.quick else 400
    concurrent = 200 if config.quick else 2000
    results: list[dict[str, float]] = []
    async with FakeDiscord(interaction_timeout=None, echo_messages=False) as fake:
        process = _spawn(kind, fake)
        try:
            await fake.wait_until_ready(timeout=READY_TIMEOUT)
            await asyncio.sleep(0.5)  # setup_hook's command sync, guild ready
            await _drive(fake, [terms[i % len(terms)] for i in range(30)], 1)
            for _run in range(config.runs):
                row: dict[str, float] = {}
                for mode, count, conc in (
                    ("sequential", sequential, 1),
                    (f"{CONCURRENCY}-concurrent", concurrent, CONCURRENCY),
                ):
                    rate, lat = await _drive(
                        fake, [terms[i % len(terms)] for i in range(count)], conc
                    )
                    fake.requests.clear()
                    row[f"{mode} rate"] = rate
                    row[f"{mode} p50"] = percentile(lat, 50)
                    row[f"{mode} p99"] = percentile(lat, 99)
                results.append(row)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return results


async def _measure(config: Config) -> list[Figure]:
    terms = [t.id for t in shipped_base().terms.values()]
    ours = await _one_bot("explainbot", config, terms)
    bare = await _one_bot("bare", config, terms)
    figures: list[Figure] = []
    for mode in ("sequential", f"{CONCURRENCY}-concurrent"):
        for stat, unit, higher in (
            ("rate", "int/s", True),
            ("p50", "ms", False),
            ("p99", "ms", False),
        ):
            key = f"{mode} {stat}"
            figure = Figure(
                AREA,
                f"{mode} {'interactions/s' if stat == 'rate' else stat}",
                unit,
                higher_is_better=higher,
            )
            figure.runs = [row[key] for row in ours]
            figure.baseline = [row[key] for row in bare]
            if stat == "rate":
                figure.judge(">= 0.8x bare discord.py", figure.ratio >= 0.8)
                figure.note = (
                    "bot in its own process; explainbot answers /explain with an embed and "
                    "buttons, the bare bot with an 80-character string"
                )
            figures.append(figure)
    return figures


def run(config: Config) -> list[Figure]:
    """Measure explainbot's discord.py client against a bare discord.py bot."""
    return asyncio.run(_measure(config))


def main() -> None:
    """Entry point of the bot subprocess."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=("explainbot", "bare"), required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--gateway", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.serve, args.api, args.gateway))


if __name__ == "__main__":
    main()
