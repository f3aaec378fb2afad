"""What an admin sees for broken knowledge files: every problem, where it is, how to fix it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.core.knowledge.loader import load_knowledge

GOOD_TERM = """\
  - id: {id}
    name: {name}
    category: Concepts
    summary: A short summary.
    explanation: A short explanation.
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def errors_of(folder: Path) -> list[str]:
    result = load_knowledge(folder / "knowledge")
    assert result.base is None, "expected the load to be rejected"
    return [str(error) for error in result.errors]


def test_typo_in_field_name_points_at_the_key_and_suggests_the_fix(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/terms.yaml",
        "terms:\n  - id: llm\n    name: LLM\n    category: Models\n"
        "    sumary: Typo here.\n    explanation: Text.\n",
    )
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/terms.yaml:5:5: unknown field 'sumary'")
        and "Did you mean 'summary'" in e
        for e in errors
    ), errors
    assert any(e.startswith("knowledge/terms.yaml:2:5: missing 'summary'") for e in errors), errors


def test_every_error_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    write(tmp_path, "knowledge/a.yaml", "terms:\n" + GOOD_TERM.format(id="Bad Id", name="X"))
    write(tmp_path, "knowledge/b.yaml", "terms:\n  - id: b\n    name: B\n")
    write(tmp_path, "knowledge/c.yaml", "quiz: [\n")
    errors = errors_of(tmp_path)
    files = {error.split(":", 1)[0] for error in errors}
    assert files == {"knowledge/a.yaml", "knowledge/b.yaml", "knowledge/c.yaml"}
    assert any("'Bad Id' is not a valid id" in e for e in errors)
    assert any(e.startswith("knowledge/c.yaml:") and "YAML syntax error" in e for e in errors)


def test_cross_file_checks(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/terms.yaml",
        "terms:\n"
        + GOOD_TERM.format(id="llm", name="Large language model")
        + "    aliases: [LLM]\n    related: [transfomer]\n"
        + GOOD_TERM.format(id="transformer", name="Transformer")
        + "    aliases: [LLMs]\n",
    )
    write(tmp_path, "knowledge/topics.yaml", "terms:\n" + GOOD_TERM.format(id="llm", name="Again"))
    write(
        tmp_path,
        "knowledge/quiz.yaml",
        "quiz:\n  - id: q1\n    question: Which?\n    choices:\n"
        "      - text: One\n        correct: true\n      - text: Two\n        correct: true\n"
        "    explanation: Because.\n    terms: [llm]\n"
        "  - id: q2\n    question: Which?\n    choices:\n"
        "      - text: One\n        correct: true\n      - text: Two\n"
        "    explanation: Because.\n    terms: [nope]\n",
    )
    errors = errors_of(tmp_path)
    text = "\n".join(errors)
    assert "unknown term id 'transfomer'. Did you mean 'transformer'?" in text
    assert "'LLMs' of term 'transformer' reads the same as 'llm' of term 'llm'" in text
    assert (
        "knowledge/topics.yaml:2:9: term id 'llm' is already used at knowledge/terms.yaml:2:9"
        in text
    )
    assert "has 2 choices marked 'correct: true'; mark exactly one choice correct" in text
    assert "knowledge/quiz.yaml:18:13: unknown term id 'nope'" in text


def test_text_too_long_for_a_button(tmp_path: Path) -> None:
    write(tmp_path, "knowledge/terms.yaml", "terms:\n" + GOOD_TERM.format(id="llm", name="LLM"))
    write(
        tmp_path,
        "knowledge/quiz.yaml",
        "quiz:\n  - id: q1\n    question: Which?\n    choices:\n"
        f"      - text: {'x' * 90}\n        correct: true\n      - text: Two\n"
        "    explanation: Because.\n    terms: [llm]\n",
    )
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/quiz.yaml:5:15: 'text' is 90 characters; at most 72")
        for e in errors
    ), errors


def test_comparison_values_must_match_its_terms(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/k.yaml",
        "terms:\n"
        + GOOD_TERM.format(id="a", name="Alpha")
        + GOOD_TERM.format(id="b", name="Beta")
        + "comparisons:\n  - id: a-vs-b\n    terms: [a, b]\n    takeaway: T.\n"
        "    dimensions:\n      - name: Scope\n        values:\n"
        "          a: One.\n          c: Two.\n",
    )
    text = "\n".join(errors_of(tmp_path))
    assert "dimension 'Scope' has no value for b" in text
    assert "'c' is not one of this comparison's terms" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("terms: !!python/object/apply:os.system ['echo hi']\n", "is not allowed"),
        ("terms:\n  - !!binary aGVsbG8=\n", "is not allowed"),
        ("terms: []\nterms: []\n", "'terms' appears twice"),
        ("- just\n- a list\n", "the file must be a mapping"),
        ("terms:\n\tbad: tab\n", "YAML syntax error"),
        ("terms:\n  - id: x\n    name: a: b\n", "put the whole value in quotes"),
        ("base: &b {x: 1}\nterms:\n  - <<: *b\n", "merge keys"),
    ],
)
def test_unsafe_or_malformed_yaml(tmp_path: Path, content: str, message: str) -> None:
    write(tmp_path, "knowledge/bad.yaml", content)
    errors = errors_of(tmp_path)
    assert any(message in error for error in errors), errors
    assert all(error.startswith("knowledge/bad.yaml:") for error in errors)


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join('*' + previous for _ in range(9))}]")
    write(tmp_path, "knowledge/bomb.yaml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    errors = errors_of(tmp_path)
    assert time.perf_counter() - started < 5  # a sanity bound: unbounded expansion takes hours
    assert any("alias bomb" in error for error in errors), errors


def test_not_utf8_and_binary_and_huge_files(tmp_path: Path) -> None:
    write(tmp_path, "knowledge/latin1.yaml", "terms:\n  - name: caf\xe9\n".encode("latin-1"))
    write(tmp_path, "knowledge/binary.yaml", b"\x00\x01\x02\x03")
    write(tmp_path, "knowledge/huge.yaml", "# " + "x" * (3 * 1024 * 1024) + "\n")
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/latin1.yaml:2:14: byte 0xe9 is not valid UTF-8") for e in errors
    ), errors
    assert any(e.startswith("knowledge/binary.yaml:") and "binary file" in e for e in errors)
    assert any(e.startswith("knowledge/huge.yaml:") and "the limit is 2 MB" in e for e in errors)


def test_empty_folder_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "knowledge").mkdir()
    assert "no .yaml files" in errors_of(tmp_path)[0]
    assert "no such folder" in errors_of(tmp_path / "missing")[0]


def test_yes_and_no_stay_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/terms.yaml",
        "terms:\n  - id: norway\n    name: NO\n    aliases: [yes, off]\n"
        "    category: Concepts\n    summary: A short summary.\n    explanation: Text.\n"
        "    reviewed: 2026-01-31\n",
    )
    result = load_knowledge(tmp_path / "knowledge")
    assert result.base is not None, result.errors
    term = result.base.terms["norway"]
    assert (term.name, term.aliases) == ("NO", ("yes", "off"))


LIFECYCLE_TERMS = """\
terms:
  - id: old-model
    name: Old model
    category: Models
    summary: An old model.
    explanation: Text.
    lifecycle:
      status: {status}
{rest}
  - id: new-model
    name: New model
    category: Models
    summary: A new model.
    explanation: Text.
"""


def test_a_retired_term_without_a_date_is_an_error_at_its_lifecycle(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/terms.yaml",
        LIFECYCLE_TERMS.format(status="retired", rest="      replaced_by: [new-model]"),
    )
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/terms.yaml:8:7:") and "needs 'since: YYYY-MM-DD'" in e
        for e in errors
    ), errors


def test_an_unknown_replacement_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    rest = "      since: 2025-04-30\n      replaced_by: [new-modle]"
    write(tmp_path, "knowledge/terms.yaml", LIFECYCLE_TERMS.format(status="retired", rest=rest))
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/terms.yaml:10:21:")
        and "unknown term id 'new-modle'" in e
        and "Did you mean 'new-model'" in e
        for e in errors
    ), errors


def test_an_unknown_status_names_the_allowed_ones(tmp_path: Path) -> None:
    write(tmp_path, "knowledge/terms.yaml", LIFECYCLE_TERMS.format(status="dead", rest=""))
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/terms.yaml:8:15:") and "current" in e and "retired" in e
        for e in errors
    ), errors


@pytest.mark.parametrize(
    ("status", "rest", "expected"),
    [
        ("current", "      since: 2025-01-01", "a current entry takes no since"),
        ("current", "      replaced_by: [new-model]", "a current entry takes no replaced_by"),
        ("retired", "      since: 2999-01-01", "'since: 2999-01-01' is in the future"),
    ],
)
def test_a_contradictory_lifecycle_is_an_error(
    tmp_path: Path, status: str, rest: str, expected: str
) -> None:
    write(tmp_path, "knowledge/terms.yaml", LIFECYCLE_TERMS.format(status=status, rest=rest))
    errors = errors_of(tmp_path)
    assert any(e.startswith("knowledge/terms.yaml:8:7:") and expected in e for e in errors), errors


def test_a_review_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        "knowledge/terms.yaml",
        "terms:\n" + GOOD_TERM.format(id="a", name="A") + "    reviewed: 2999-05-01\n",
    )
    errors = errors_of(tmp_path)
    assert any(
        e.startswith("knowledge/terms.yaml:7:15:") and "'2999-05-01' is in the future" in e
        for e in errors
    ), errors


def test_a_replacement_loop_and_a_self_replacement_are_named_as_such(tmp_path: Path) -> None:
    text = (
        "terms:\n"
        + GOOD_TERM.format(id="a", name="A")
        + "    lifecycle: {status: retired, since: 2025-01-01, replaced_by: [b]}\n"
        + GOOD_TERM.format(id="b", name="B")
        + "    lifecycle: {status: superseded, since: 2025-02-01, replaced_by: [a]}\n"
        + GOOD_TERM.format(id="c", name="C")
        + "    lifecycle: {status: retired, since: 2025-03-01, replaced_by: [c]}\n"
    )
    write(tmp_path, "knowledge/terms.yaml", text)
    errors = errors_of(tmp_path)
    assert any("'a' is replaced, through replaced_by, by itself again" in e for e in errors)
    assert any("'b' is replaced, through replaced_by, by itself again" in e for e in errors)
    assert any("term 'c' lists itself in replaced_by" in e for e in errors), errors
    assert not any("'c' is replaced, through" in e for e in errors), errors
