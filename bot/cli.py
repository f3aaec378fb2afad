"""The ``explainbot`` command: run | console | ask | check | schema | db | gaps."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.adapters.console.render import render_plain
from bot.adapters.console.repl import CONSOLE_USER
from bot.core.knowledge.loader import load_knowledge
from bot.core.knowledge.model import KnowledgeFile
from bot.core.knowledge.review import outdated_examples, stale_entries
from bot.core.live import KnowledgeLoadError
from bot.logs import setup_logging
from bot.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every command in ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="explainbot", description="A chat bot that teaches AI concepts."
    )
    parser.add_argument("--knowledge", type=Path, help="knowledge folder (default: knowledge)")
    parser.add_argument("--database", help="database URL (default: SQLite in data/)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the configured adapters (console when no tokens)")
    commands.add_parser("console", help="chat with the bot in this terminal")
    ask = commands.add_parser("ask", help="answer one message, or one per stdin line")
    ask.add_argument("--json", action="store_true", help="one JSON object per message")
    ask.add_argument("text", nargs="*", help="the message (omit to read lines from stdin)")
    check = commands.add_parser("check", help="validate knowledge files, report every problem")
    check.add_argument("directory", nargs="?", type=Path, help="folder to check")
    check.add_argument(
        "--stale",
        type=int,
        metavar="MONTHS",
        help="also list entries not reviewed in the last MONTHS months (exit 1 if any)",
    )
    schema = commands.add_parser("schema", help="print the JSON Schema of knowledge files")
    schema.add_argument("--output", type=Path, help="write to this file instead of stdout")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations")
    discord_parser = commands.add_parser("discord", help="Discord maintenance")
    discord_commands = discord_parser.add_subparsers(
        dest="discord_command", metavar="ACTION", required=True
    )
    sync = discord_commands.add_parser("sync", help="register the slash commands now")
    sync.add_argument("--guild", type=int, help="one server only (instant; for testing)")
    daily = commands.add_parser("daily", help="daily quiz schedules")
    daily_commands = daily.add_subparsers(dest="daily_command", metavar="ACTION", required=True)
    daily_commands.add_parser("list", help="every channel with a daily quiz")
    commands.add_parser("healthcheck", help="exit 0 when /health reports every platform up")
    gaps = commands.add_parser("gaps", help="what people asked for that the knowledge lacks")
    gaps.add_argument("--scope", help="one server/workspace, e.g. discord:1234 (default: all)")
    gaps.add_argument("--limit", type=int, default=20)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``explainbot`` console script."""
    args = build_parser().parse_args(argv)
    settings = _settings(args)
    setup_logging(args.log_level or settings.log_level, secrets=_secrets(settings))
    command = args.command or "console"
    if command == "check":
        return check(args.directory or settings.knowledge_dir, stale_months=args.stale)
    if command == "schema":
        return schema(args.output)
    if command == "healthcheck":
        return healthcheck(settings)
    try:
        return asyncio.run(_async_main(command, args, settings))
    except KnowledgeLoadError as exc:
        sys.stderr.write(f"{exc}\nRun 'explainbot check' for the full list.\n")
        return 1
    except KeyboardInterrupt:
        return 130


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.knowledge:
        overrides["knowledge_dir"] = args.knowledge
    if args.database:
        overrides["database_url"] = args.database
    return Settings(**overrides)  # type: ignore[arg-type]


def _secrets(settings: Settings) -> list[str]:
    values = [
        settings.discord_token,
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    ]
    return [value.get_secret_value() for value in values if value is not None]


def check(directory: Path, *, stale_months: int | None = None) -> int:
    """Validate ``directory``: exit 0 with counts, or 1 with every error as file:line:col.

    A valid folder also gets advice that does not fail the check: examples naming a model
    marked superseded or retired. With ``stale_months``, entries whose ``reviewed`` date is
    older than that many months (or missing) are listed last, oldest first, and any such
    entry makes the exit status 1.
    """
    if stale_months is not None and stale_months < 0:
        sys.stderr.write("--stale takes a number of months, 0 or more\n")
        return 2
    result = load_knowledge(directory)
    if result.base is None:
        for error in result.errors:
            sys.stdout.write(f"{error}\n")
        files = len({error.location.file for error in result.errors})
        where = f" in {files} of {result.files} file(s)" if result.files else ""
        sys.stdout.write(
            f"\n{len(result.errors)} problem(s){where}. "
            "A running bot keeps serving its last good version until they are fixed.\n"
        )
        if stale_months is not None:
            _report_stale(directory, stale_months)
        return 1
    counts = result.base.counts()
    sys.stdout.write(
        f"OK: {result.files} file(s), {counts['terms']} terms, "
        f"{counts['comparisons']} comparisons, {counts['faq']} FAQ entries, "
        f"{counts['quiz']} quiz questions ({result.seconds * 1000:.0f} ms)\n"
    )
    outdated = outdated_examples(directory, result.base)
    if outdated:
        sys.stdout.write(f"\n{len(outdated)} example(s) name a model that is no longer current:\n")
        for example in outdated:
            sys.stdout.write(f"{example}\n")
    stale = _report_stale(directory, stale_months) if stale_months is not None else 0
    return 1 if stale else 0


def _report_stale(directory: Path, months: int) -> int:
    entries = stale_entries(directory, months=months, today=dt.date.today())
    sys.stdout.write("\n")
    for entry in entries:
        sys.stdout.write(f"{entry}\n")
    if entries:
        sys.stdout.write(
            f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} not reviewed in the "
            f"last {months} month(s): re-check their facts, then update 'reviewed'.\n"
        )
    else:
        sys.stdout.write(f"Every entry was reviewed in the last {months} month(s).\n")
    return len(entries)


def schema(output: Path | None) -> int:
    """Write the JSON Schema of a knowledge file."""
    document = KnowledgeFile.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "explainbot knowledge file"
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0


def healthcheck(settings: Settings) -> int:
    """Ask the running bot's /health (for container healthchecks): 0 healthy, 1 not."""
    import urllib.error
    import urllib.request

    if not settings.health_port:
        sys.stderr.write("HEALTH_PORT is not set\n")
        return 1
    url = f"http://127.0.0.1:{settings.health_port}/health"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            sys.stdout.write(response.read().decode() + "\n")
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        sys.stderr.write(f"unhealthy: {exc}\n")
        return 1


async def _async_main(command: str, args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import Runtime

    if command == "discord":
        from bot.adapters.discord.client import sync_commands

        count = await sync_commands(settings, args.guild)
        where = f"server {args.guild}" if args.guild else "all servers (may take up to an hour)"
        sys.stdout.write(f"registered {count} commands for {where}\n")
        return 0
    if command == "db":
        from bot.store.database import Database

        database = Database(settings.database_url)
        try:
            await database.migrate()
        finally:
            await database.close()
        sys.stdout.write("database is up to date\n")
        return 0
    watch = command in ("run", "console")
    runtime = await Runtime.start(settings, watch=watch and settings.watch_knowledge)
    try:
        if command == "ask":
            return await _ask(runtime, args)
        if command == "gaps":
            return await _gaps(runtime, args)
        if command == "daily":
            return await _daily_list(runtime)
        if command == "run":
            from bot.run import run_adapters

            return await run_adapters(runtime)
        from bot.adapters.console.repl import run_console

        await run_console(runtime.core)
        return 0
    finally:
        await runtime.close()


async def _ask(runtime: object, args: argparse.Namespace) -> int:
    from bot.adapters.console.repl import ConsoleSession, reply_json
    from bot.app import Runtime

    assert isinstance(runtime, Runtime)
    session = ConsoleSession(runtime.core, CONSOLE_USER)
    lines = [" ".join(args.text)] if args.text else [line.rstrip("\n") for line in sys.stdin]
    for line in lines:
        if not line.strip() and not args.text:
            continue  # blank lines between messages on stdin
        reply = await session.handle(line.strip() or "help")
        if reply is None:
            continue
        sys.stdout.write((reply_json(reply) if args.json else render_plain(reply) + "\n") + "\n")
    return 0


async def _gaps(runtime: object, args: argparse.Namespace) -> int:
    from bot.app import Runtime

    assert isinstance(runtime, Runtime)
    found = await runtime.store.top_gaps(scope_key=args.scope, limit=args.limit)
    if not found:
        sys.stdout.write("No knowledge gaps recorded yet.\n")
        return 0
    width = max(len(gap.query) for gap in found)
    for gap in found:
        sys.stdout.write(f"{gap.count:6d}  {gap.query:<{width}}  last {gap.last_asked:%Y-%m-%d}\n")
    return 0


async def _daily_list(runtime: object) -> int:
    from bot.app import Runtime

    assert isinstance(runtime, Runtime)
    schedules = await runtime.daily.schedules()
    if not schedules:
        sys.stdout.write("No daily quizzes scheduled.\n")
        return 0
    for schedule in schedules:
        sys.stdout.write(
            f"{schedule.platform:8} {schedule.channel_id:24} {schedule.scope_key:32} "
            f"{schedule.describe()}\n"
        )
    return 0
