"""A generated knowledge base at scale: realistic AI-ish names, aliases, FAQ and quiz questions.

Names are ``<prefix> <middle> <noun>`` ("Sparse Attention Encoder"), unique after the loader's
folding (case, spaces, punctuation, plurals); aliases are an acronym made unique with a version
suffix ("SAE", "SAE-2", ...) and the name's plural. Every file is valid for
:func:`bot.core.knowledge.loader.load_knowledge`; the shipped ``knowledge/`` can be copied in too.
"""

from __future__ import annotations

import logging
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.text import compact_key

logger = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent.parent / "knowledge"

PREFIXES = [
    "Sparse",
    "Dense",
    "Contrastive",
    "Recurrent",
    "Hierarchical",
    "Causal",
    "Bidirectional",
    "Federated",
    "Quantized",
    "Distilled",
    "Adaptive",
    "Residual",
    "Latent",
    "Variational",
    "Probabilistic",
    "Multimodal",
    "Self-supervised",
    "Semi-supervised",
    "Gated",
    "Convolutional",
    "Graph",
    "Neural",
    "Stochastic",
    "Bayesian",
    "Differentiable",
    "Modular",
    "Retrieval-augmented",
    "Instruction-tuned",
    "Low-rank",
    "Mixed-precision",
    "Equivariant",
    "Autoregressive",
    "Masked",
    "Rotary",
    "Shallow",
    "Deep",
    "Online",
    "Offline",
    "Robust",
    "Continual",
]
MIDDLES = [
    "Attention",
    "Embedding",
    "Token",
    "Policy",
    "Gradient",
    "Reward",
    "Memory",
    "Routing",
    "Diffusion",
    "Kernel",
    "Feature",
    "Prompt",
    "Vision",
    "Speech",
    "Language",
    "Retrieval",
    "Sequence",
    "Spectral",
    "Temporal",
    "Knowledge",
    "Query",
    "Value",
    "Ensemble",
    "Transfer",
    "Contrast",
]
NOUNS = [
    "Encoder",
    "Decoder",
    "Network",
    "Model",
    "Layer",
    "Optimizer",
    "Sampler",
    "Tokenizer",
    "Regularizer",
    "Estimator",
    "Scheduler",
    "Classifier",
]
CATEGORIES = {noun: f"{noun}s" for noun in NOUNS}
DIFFICULTIES = ("easy", "medium", "hard")
PER_FILE = 1000


@dataclass(frozen=True, slots=True)
class GeneratedTerm:
    """What the benchmark needs to know about a generated term to ask about it."""

    id: str
    name: str
    alias: str


@dataclass(frozen=True, slots=True)
class GeneratedKnowledge:
    """Where the files are and a sample of what is in them (for building queries)."""

    directory: Path
    terms: list[GeneratedTerm]
    faq_questions: list[str]
    comparisons: list[tuple[str, str]]


def _slug(name: str) -> str:
    return "-".join(name.lower().replace("-", " ").split())


def _names(count: int, rng: random.Random, taken: set[str]) -> list[tuple[str, str, str]]:
    """``count`` made-up names; none reads the same as a shipped term's name or alias."""
    combos = [(p, m, n) for p in PREFIXES for m in MIDDLES for n in NOUNS]
    rng.shuffle(combos)
    free = [combo for combo in combos if compact_key(" ".join(combo)) not in taken]
    if count > len(free):
        raise ValueError(f"at most {len(free)} generated terms")
    return free[:count]


def _acronym(prefix: str, middle: str, noun: str) -> str:
    return "".join(
        word[0] for word in f"{prefix} {middle} {noun}".replace("-", " ").split()
    ).upper()


def _shipped_keys() -> set[str]:
    from bot.core.knowledge.loader import load_knowledge

    base = load_knowledge(SHIPPED).base
    if base is None:
        return set()
    return {
        compact_key(label)
        for term in base.terms.values()
        for label in (term.id, term.name, *term.aliases)
    }


def _term(
    index: int, parts: tuple[str, str, str], alias: str, related: list[str]
) -> dict[str, Any]:
    prefix, middle, noun = parts
    name = f"{prefix} {middle} {noun}"
    low = noun.lower()
    return {
        "id": _slug(name),
        "name": name,
        "aliases": [alias, f"{name}s"],
        "category": CATEGORIES[noun],
        "summary": (
            f"A {name.lower()} is a {low} that applies {prefix.lower()} processing to "
            f"{middle.lower()} signals, trading some accuracy for speed and memory."
        ),
        "explanation": (
            f"The {name.lower()} ({alias}) first appeared in research on {middle.lower()} "
            f"modelling as a way to make a {low} cheaper to train. It keeps the overall shape of "
            f"a standard {low} but replaces its core step with a {prefix.lower()} variant, so "
            "that long inputs cost less.\n\n"
            f"In practice teams reach for a {name.lower()} when a plain {low} is too slow or "
            f"too large for their hardware. Variant number {index} in this generated catalogue."
        ),
        "examples": [
            f"Using a {name.lower()} to shrink a chat assistant so it runs on a laptop",
            f"Benchmarks that compare a {name.lower()} with a plain {low}",
        ],
        "related": related,
        "sources": ["Generated benchmark data"],
        "reviewed": "2026-11-22",
    }


def _choice(text: str) -> str:
    return text if len(text) <= 72 else text[:69].rstrip() + "..."


def _quiz(index: int, term: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    right = index % 4
    wrong = [o for o in others if o["id"] != term["id"]][:3]
    choices: list[dict[str, Any]] = []
    for position in range(4):
        if position == right:
            choices.append(
                {"text": _choice(f"It is a {term['category'][:-1].lower()}"), "correct": True}
            )
        else:
            other = wrong[position if position < right else position - 1]
            choices.append(
                {
                    "text": _choice(f"It is the same thing as {other['name']}"),
                    "why_wrong": (
                        f"{other['name']} is a different idea; see /explain {other['id']}."
                    ),
                }
            )
    return {
        "id": f"q-gen-{index}",
        "question": f"Which statement about the {term['name']} is right? (#{index})",
        "choices": choices,
        "explanation": term["summary"],
        "terms": [term["id"]],
        "difficulty": DIFFICULTIES[index % 3],
        "sources": ["Generated benchmark data"],
    }


def _faq(index: int, first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    a, b = first["name"].lower(), second["name"].lower()
    return {
        "id": f"faq-gen-{index}",
        "question": f"Can a {a} replace a {b} in production?",
        "variants": [
            f"should i swap my {b} for a {a}",
            f"is {first['aliases'][0].lower()} a drop in replacement for "
            f"{second['aliases'][0].lower()}",
            f"{a} instead of {b} in prod",
        ],
        "answer": (
            f"Sometimes. A {a} can stand in for a {b} when the inputs are short; for long "
            f"inputs keep the {b}. Measure both on your own data first."
        ),
        "related": [first["id"], second["id"]],
    }


def _comparison(index: int, first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    ids = [first["id"], second["id"]]
    return {
        "id": f"cmp-gen-{index}",
        "terms": ids,
        "takeaway": (
            f"{first['name']} is {first['category'][:-1].lower()}-shaped; {second['name']} is not."
        ),
        "dimensions": [
            {"name": "Scope", "values": {i: f"What {i} covers, in one line." for i in ids}},
            {"name": "Cost", "values": {i: f"How expensive {i} is to run." for i in ids}},
            {"name": "Typical use", "values": {i: f"Where teams use {i}." for i in ids}},
        ],
    }


def _dump(path: Path, section: str, entries: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(
            {section: entries},
            handle,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )


def generate(
    directory: Path,
    *,
    terms: int = 10_000,
    questions: int = 20_000,
    faq: int = 1_000,
    comparisons: int = 500,
    include_shipped: bool = True,
    seed: int = 8,
) -> GeneratedKnowledge:
    """Write a valid knowledge tree of the given size under ``directory``."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    if include_shipped:
        shutil.copytree(SHIPPED, directory / "shipped", dirs_exist_ok=True)
    taken: set[str] = _shipped_keys() if include_shipped else set()
    parts = _names(terms, rng, taken)
    ids = [_slug(" ".join(p)) for p in parts]
    entries: list[dict[str, Any]] = []
    for index, part in enumerate(parts):
        acronym = _acronym(*part)
        alias, version = acronym, 1
        while compact_key(alias) in taken:  # "RAE" and "RAES" fold to the same key
            version += 1
            alias = f"{acronym}-{version}"
        taken.add(compact_key(alias))
        related = [ids[(index + step) % terms] for step in (1, 7, 31) if terms > 31]
        entries.append(_term(index, part, alias, related))
    gen = directory / "generated"
    gen.mkdir(exist_ok=True)
    for start in range(0, len(entries), PER_FILE):
        _dump(
            gen / f"terms-{start // PER_FILE:03d}.yaml", "terms", entries[start : start + PER_FILE]
        )
    quiz = [
        _quiz(i, entries[i % terms], [entries[(i + s) % terms] for s in (3, 5, 11)])
        for i in range(questions)
    ]
    for start in range(0, len(quiz), PER_FILE):
        _dump(gen / f"quiz-{start // PER_FILE:03d}.yaml", "quiz", quiz[start : start + PER_FILE])
    pairs = [(entries[rng.randrange(terms)], entries[rng.randrange(terms)]) for _ in range(faq * 2)]
    pairs = [(a, b) for a, b in pairs if a["id"] != b["id"]]
    faq_entries = [_faq(i, a, b) for i, (a, b) in enumerate(pairs[:faq])]
    _dump(gen / "faq.yaml", "faq", faq_entries)
    cmp_pairs = [(entries[2 * i], entries[2 * i + 1]) for i in range(min(comparisons, terms // 2))]
    _dump(
        gen / "comparisons.yaml",
        "comparisons",
        [_comparison(i, a, b) for i, (a, b) in enumerate(cmp_pairs)],
    )
    logger.info(
        "generated %d terms, %d quiz, %d faq in %s", terms, questions, len(faq_entries), directory
    )
    return GeneratedKnowledge(
        directory=directory,
        terms=[GeneratedTerm(e["id"], e["name"], e["aliases"][0]) for e in entries],
        faq_questions=[f["question"] for f in faq_entries],
        comparisons=[(a["id"], b["id"]) for a, b in cmp_pairs],
    )
