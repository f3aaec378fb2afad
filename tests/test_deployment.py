"""Deployment files: the compose file, the Dockerfile and .env.example tell the truth."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from bot.settings import Settings
from tests.helpers import ROOT


def test_compose_file_is_valid_and_wires_the_bot_as_documented() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert set(compose) == {"services", "volumes"}
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    assert bot["command"] == ["explainbot", "run"]
    assert {"path": ".env", "required": False} in bot["env_file"]
    assert "./knowledge:/app/knowledge:ro" in bot["volumes"], "admins' edits hot-reload"
    assert any(volume.endswith(":/data") for volume in bot["volumes"]), "SQLite survives"
    assert bot["environment"]["HEALTH_PORT"] == "8080"
    assert bot["healthcheck"]["test"] == ["CMD", "explainbot", "healthcheck"]
    postgres = compose["services"]["postgres"]
    assert postgres["profiles"] == ["postgres"], "PostgreSQL is optional"
    named = {v.split(":")[0] for s in compose["services"].values() for v in s.get("volumes", [])}
    assert {name for name in named if not name.startswith(".")} <= set(compose["volumes"])


def test_dockerfile_is_two_stage_and_runs_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, flags=re.MULTILINE)) == 2
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users == ["explainbot"]
    assert 'CMD ["explainbot", "run"]' in dockerfile


def test_env_example_lists_every_setting() -> None:
    listed = set(
        re.findall(
            r"^([A-Z][A-Z0-9_]+)=",
            (ROOT / ".env.example").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )
    expected = {name.upper() for name in Settings.model_fields}
    assert expected == listed


def test_the_wheel_ships_the_migrations(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = tmp_path.glob("explainbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/store/migrations/env.py" in names
    assert "bot/store/migrations/script.py.mako" in names
    assert any(name.startswith("bot/store/migrations/versions/0002_") for name in names)
