"""Memory: resident set size after start, each case in a fresh subprocess.

Cases: a bare Python importing the same libraries (the baseline); explainbot with the shipped
knowledge; explainbot with the generated base. "Start" means: libraries and adapters imported,
knowledge loaded, the core built on a SQLite store. RSS is VmRSS from /proc/self/status.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Config
from benchmarks.stats import Figure

AREA = "memory"
LIBRARIES = (
    "import aiohttp, discord, slack_bolt, slack_bolt.async_app, slack_sdk, "
    "slack_sdk.web.async_client, sqlalchemy, sqlalchemy.ext.asyncio, aiosqlite, alembic, "
    "rapidfuzz, pydantic, pydantic_settings, yaml, watchfiles"
)
CHILD = """
import gc, json, sys
{libraries}
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
if sys.argv[1] != 'bare':
    from pathlib import Path
    import bot.adapters.discord.client, bot.adapters.slack.app
    from bot.core.knowledge.loader import load_knowledge
    from bot.core.live import LiveKnowledge
    from bot.core.service import Core
    from bot.store.database import Database
    from bot.store.quiz_store import QuizStore
    directory = Path(sys.argv[1])
    base = load_knowledge(directory).base
    assert base is not None
    database = Database('sqlite+aiosqlite:///' + sys.argv[2])
    store = QuizStore(database)
    core = Core(LiveKnowledge(directory, base), store, store)
gc.collect()
print(json.dumps({{'rss_mb': rss()}}))
"""


def _rss(case: str, database: Path) -> float:
    code = CHILD.format(libraries=LIBRARIES)
    out = subprocess.run(
        [sys.executable, "-c", code, case, str(database)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["rss_mb"])


def run(config: Config) -> list[Figure]:
    """RSS of explainbot after start against a bare process with the same imports."""
    from benchmarks.knowledge_gen import SHIPPED

    database = config.workdir / "memory.db"
    cases = {
        "shipped knowledge": str(SHIPPED),
        config.gen_label: str(config.generated().directory),
    }
    figures = {
        name: Figure(AREA, f"RSS after start, {name}", "MB", higher_is_better=False)
        for name in cases
    }
    runs = 2 if config.quick else 3
    for _ in range(runs):
        bare = _rss("bare", database)
        for name, directory in cases.items():
            figures[name].runs.append(_rss(directory, database))
            figures[name].baseline.append(bare)
    shipped = figures["shipped knowledge"]
    shipped.judge("< 150 MB", shipped.median < 150)
    return list(figures.values())
