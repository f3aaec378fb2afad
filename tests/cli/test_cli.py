"""The explainbot command as an admin or a developer uses it, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, SHIPPED_KNOWLEDGE, TEST_KNOWLEDGE


def explainbot(*args: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "DISCORD_TOKEN": "",
        "SLACK_BOT_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_check_passes_on_the_shipped_knowledge(tmp_path: Path) -> None:
    result = explainbot("check", str(SHIPPED_KNOWLEDGE), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK: ")
    assert "terms" in result.stdout


def test_check_lists_every_error_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "a.yaml").write_text("terms:\n  - id: x\n    nmae: X\n", encoding="utf-8")
    (broken / "b.yaml").write_text("quiz: [\n", encoding="utf-8")
    result = explainbot("check", str(broken), tmp_path=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("knowledge/a.yaml:3:5: unknown field 'nmae'") for line in lines)
    assert any(line.startswith("knowledge/b.yaml:") for line in lines)
    assert "problem(s) in 2 of 2 file(s)" in result.stdout


def test_ask_json_one_object_per_line(tmp_path: Path) -> None:
    messages = [
        "what is an LLM?",
        "what's the diff between GANs and diffusion models",
        "is ChatGPT an LLM?",
        "quiz me",
        "help",
        "what is quantum computing",
    ]
    result = explainbot(
        "--knowledge",
        str(TEST_KNOWLEDGE),
        "ask",
        "--json",
        tmp_path=tmp_path,
        stdin="\n".join(messages) + "\n",
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["kind"] for a in answers] == [
        "definition",
        "comparison",
        "faq",
        "quiz",
        "help",
        "not_found",
    ]
    assert answers[0]["terms"] == [{"id": "llm", "name": "Large language model"}]
    assert [t["id"] for t in answers[1]["terms"]] == ["gan", "diffusion-model"]
    assert "Large language model" in answers[0]["text"]


def test_ask_with_text_argument_prints_plain_text(tmp_path: Path) -> None:
    result = explainbot(
        "--knowledge",
        str(TEST_KNOWLEDGE),
        "ask",
        "compare",
        "llm",
        "and",
        "gen",
        "ai",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Large language model vs Generative AI" in result.stdout


def test_schema_is_json_schema_for_the_knowledge_files(tmp_path: Path) -> None:
    result = explainbot("schema", tmp_path=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == {"terms", "comparisons", "faq", "quiz"}
    assert schema["additionalProperties"] is False
    assert "Term" in schema["$defs"]


def test_console_session_transcript(tmp_path: Path) -> None:
    result = explainbot(
        "--knowledge",
        str(TEST_KNOWLEDGE),
        "console",
        tmp_path=tmp_path,
        stdin="what is a GAN\n/quiz\n1\n/quiz stats\nquit\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Generative adversarial network" in out
    assert "[1]" in out
    assert ("Correct!" in out) or ("Not quite" in out)
    assert "Your quiz stats" in out


def test_bad_knowledge_at_start_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "a.yaml").write_text("terms: 5\n", encoding="utf-8")
    result = explainbot("--knowledge", str(broken), "ask", "hi", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "knowledge/a.yaml:1:8" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_stale_lists_entries_not_reviewed_recently_oldest_first(tmp_path: Path) -> None:
    import datetime as dt

    folder = tmp_path / "knowledge"
    folder.mkdir()
    today = dt.date.today()
    recent = today - dt.timedelta(days=20)
    entries = [
        ("fresh", recent.isoformat()),
        ("older", "2024-05-01"),
        ("oldest", "2023-01-15"),
    ]
    text = "terms:\n" + "".join(
        f"  - id: {term_id}\n    name: {term_id}\n    category: Models\n"
        f"    summary: A {term_id} model.\n    explanation: Text.\n    reviewed: {day}\n"
        for term_id, day in entries
    )
    text += (
        "  - id: undated\n    name: undated\n    category: Models\n"
        "    summary: No date.\n    explanation: Text.\n"
    )
    (folder / "terms.yaml").write_text(text, encoding="utf-8")

    result = explainbot("check", str(folder), "--stale", "6", tmp_path=tmp_path)

    assert result.returncode == 1, result.stdout
    lines = [line for line in result.stdout.splitlines() if "reviewed" in line]
    assert lines[0].startswith("knowledge/terms.yaml:20:5: term 'undated' never reviewed")
    assert lines[1] == "knowledge/terms.yaml:19:15: term 'oldest' last reviewed 2023-01-15"
    assert lines[2] == "knowledge/terms.yaml:13:15: term 'older' last reviewed 2024-05-01"
    assert not any("'fresh'" in line for line in lines)
    assert "3 entries not reviewed in the last 6 month(s)" in result.stdout
    assert "OK: 1 file(s), 4 terms" in result.stdout

    everything_recent = explainbot("check", str(folder), "--stale", "1000", tmp_path=tmp_path)
    assert everything_recent.returncode == 1  # the undated entry is always listed
    assert "1 entry not reviewed" in everything_recent.stdout


def test_months_before_keeps_the_calendar() -> None:
    import datetime as dt

    from bot.core.knowledge.review import months_before

    assert months_before(dt.date(2026, 11, 29), 6) == dt.date(2026, 5, 29)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_check_advises_on_examples_that_name_a_retired_model(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "terms.yaml").write_text(
        "terms:\n"
        "  - id: oldmodel\n    name: OldModel\n    category: Models\n"
        "    summary: A model.\n    explanation: Text.\n"
        "    lifecycle: {status: retired, since: 2025-01-01, replaced_by: [newmodel]}\n"
        "  - id: newmodel\n    name: NewModel\n    category: Models\n"
        "    summary: A model.\n    explanation: Text.\n"
        "  - id: chatbot\n    name: Chatbot\n    category: Apps\n"
        "    summary: An app.\n    explanation: Text.\n"
        "    examples:\n"
        "      - A support bot built on OldModel\n"
        "      - OldModel until 2025, NewModel today\n",
        encoding="utf-8",
    )
    result = explainbot("check", str(folder), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "1 example(s) name a model that is no longer current" in result.stdout
    assert (
        "knowledge/terms.yaml:19:9: term 'chatbot': the example \"A support bot built on "
        'OldModel" names OldModel, which is retired'
    ) in result.stdout


def test_an_empty_message_gets_help_like_a_bare_mention(tmp_path: Path) -> None:
    result = explainbot("--knowledge", str(TEST_KNOWLEDGE), "ask", "--json", "", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "help"
