"""The knowledge the bot ships with: it loads, people's spellings find the right terms, and the
quiz is big, varied and free of near-duplicates."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from rapidfuzz import fuzz, utils

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import load_knowledge
from bot.core.text import phrase_key

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"

# Every required concept, with spellings people actually type (abbreviations, plurals,
# hyphens and spaces). Each must resolve to exactly this term id.
REQUIRED_TERMS: list[tuple[str, list[str]]] = [
    ("artificial-intelligence", ["artificial intelligence", "AI", "A.I."]),
    ("machine-learning", ["machine learning", "ML"]),
    ("deep-learning", ["deep learning", "deep-learning", "deep neural networks", "DNN"]),
    ("neural-network", ["neural network", "neural networks", "neural net", "ANN"]),
    (
        "generative-ai",
        ["generative AI", "GenAI", "gen AI", "gen-ai", "generative artificial intelligence"],
    ),
    ("llm", ["large language model", "LLM", "LLMs", "large language models"]),
    ("transformer", ["transformer", "transformers", "transformer architecture"]),
    ("attention-mechanism", ["attention mechanism", "attention", "self-attention"]),
    ("gan", ["GAN", "GANs", "generative adversarial network", "generative adversarial networks"]),
    ("diffusion-model", ["diffusion model", "diffusion models", "diffusion"]),
    ("rnn", ["RNN", "RNNs", "recurrent neural network", "recurrent neural networks", "LSTM"]),
    ("predictive-ai", ["predictive AI", "predictive analytics"]),
    ("nlp", ["NLP", "natural language processing"]),
    ("parameters", ["parameters", "parameter", "model weights"]),
    ("training-data", ["training data", "dataset", "datasets", "training set"]),
    ("prompt", ["prompt", "prompts", "prompt engineering"]),
    (
        "chatbot",
        [
            "Chatbot / virtual assistant",
            "chatbot",
            "chatbots",
            "chat bot",
            "virtual assistant",
            "virtual assistants",
            "AI assistant",
        ],
    ),
    ("chatgpt", ["ChatGPT", "Chat GPT", "chat-gpt"]),
    ("gpt-4", ["GPT-4", "GPT4", "GPT 4", "gpt-4"]),
    ("palm", ["PaLM", "PaLM 2", "Pathways Language Model"]),
    ("llama", ["LLaMA", "Llama", "Llama 2", "Llama 3"]),
    ("claude", ["Claude", "Anthropic Claude"]),
    ("midjourney", ["Midjourney", "Mid journey"]),
    ("stable-diffusion", ["Stable Diffusion", "stable-diffusion", "SDXL"]),
    ("copilot", ["Copilot", "GitHub Copilot"]),
    ("vall-e", ["VALL-E", "Vall E", "VALLE"]),
    ("hallucination", ["hallucination", "hallucinations", "AI hallucination"]),
    ("bias", ["bias", "biases", "AI bias", "algorithmic bias"]),
    ("deepfake", ["deepfake", "deepfakes", "deep fake"]),
    ("classification", ["classification", "classifier", "classifiers"]),
    ("clustering", ["clustering", "cluster analysis"]),
]

# Curated comparisons /compare must have; a comparison of three terms covers each pair.
REQUIRED_COMPARISONS = [
    ("llm", "generative-ai"),
    ("generative-ai", "predictive-ai"),
    ("gan", "diffusion-model"),
    ("transformer", "rnn"),
    ("llm", "chatgpt"),
    ("artificial-intelligence", "generative-ai"),
    ("generative-ai", "classification"),
    ("generative-ai", "clustering"),
    ("deep-learning", "machine-learning"),
]

# The third article's table, which the LLM vs generative AI comparison must cover.
LLM_VS_GENAI_DIMENSIONS = {
    "Scope",
    "Data inputs",
    "Output types",
    "Core architecture",
    "Primary function",
    "Examples",
}

# Questions the source articles answer; each needs an FAQ entry.
REQUIRED_FAQ = [
    "llms-type-of-generative-ai",
    "generative-ai-without-llms",
    "is-chatgpt-an-llm",
    "why-llms-are-called-large",
    "can-llms-make-images",
    "predictive-vs-generative-ai",
    "examples-of-llms",
    "limitations-of-llms-and-generative-ai",
]

MIN_QUIZ_QUESTIONS = 90
NEAR_DUPLICATE_SCORE = 90
# Abbreviations whose dots do not end a sentence (removed before counting sentence ends).
ABBREVIATIONS = ("e.g.", "i.e.", "U.S.", "etc.")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    result = load_knowledge(KNOWLEDGE_DIR)
    assert not result.errors, "knowledge does not load:\n" + "\n".join(map(str, result.errors))
    assert result.base is not None
    return result.base


def test_knowledge_loads_without_errors(base: KnowledgeBase) -> None:
    assert len(base.terms) >= len(REQUIRED_TERMS)
    assert base.comparisons
    assert base.faq
    assert base.quiz


@pytest.mark.parametrize(
    ("term_id", "spellings"), REQUIRED_TERMS, ids=[term_id for term_id, _ in REQUIRED_TERMS]
)
def test_required_term_resolves_from_common_spellings(
    base: KnowledgeBase, term_id: str, spellings: list[str]
) -> None:
    assert term_id in base.terms, f"required term '{term_id}' is missing"
    for text in [term_id, *spellings]:
        term = base.resolve(text)
        found = term.id if term is not None else None
        assert found == term_id, f"{text!r} resolves to {found!r}, expected {term_id!r}"


def test_chatbot_has_the_agreed_display_name(base: KnowledgeBase) -> None:
    assert base.terms["chatbot"].name == "Chatbot / virtual assistant"


def test_every_summary_is_one_sentence(base: KnowledgeBase) -> None:
    problems = []
    for term in base.terms.values():
        text = term.summary
        for abbreviation in ABBREVIATIONS:
            text = text.replace(abbreviation, "")
        ends = SENTENCE_END.findall(text)
        if len(ends) != 1 or not term.summary.rstrip().endswith((".", "!", "?")):
            problems.append(f"{term.id}: {term.summary}")
    assert not problems, "summaries must be exactly one sentence:\n" + "\n".join(problems)


def test_terms_are_complete(base: KnowledgeBase) -> None:
    for term in base.terms.values():
        assert term.explanation, term.id
        assert 2 <= len(term.examples) <= 4, f"{term.id} has {len(term.examples)} examples"
        assert term.sources, f"{term.id} names no sources"
        assert term.reviewed is not None, f"{term.id} has no review date"


def test_required_comparisons_exist(base: KnowledgeBase) -> None:
    covered = {
        frozenset(pair)
        for comparison in base.comparisons
        for pair in combinations(comparison.terms, 2)
    }
    missing = [pair for pair in REQUIRED_COMPARISONS if frozenset(pair) not in covered]
    assert not missing, f"missing curated comparisons: {missing}"


def test_comparisons_have_real_dimensions(base: KnowledgeBase) -> None:
    for comparison in base.comparisons:
        assert 4 <= len(comparison.dimensions) <= 7, comparison.id
        for dimension in comparison.dimensions:
            assert set(dimension.values) == set(comparison.terms), (
                f"{comparison.id}/{dimension.name} lacks a value for a compared term"
            )
    llm_vs_genai = next(c for c in base.comparisons if set(c.terms) == {"llm", "generative-ai"})
    names = {dimension.name for dimension in llm_vs_genai.dimensions}
    assert names >= LLM_VS_GENAI_DIMENSIONS, f"missing: {LLM_VS_GENAI_DIMENSIONS - names}"


def test_faq_covers_the_questions_the_articles_answer(base: KnowledgeBase) -> None:
    ids = {entry.id for entry in base.faq}
    missing = [faq_id for faq_id in REQUIRED_FAQ if faq_id not in ids]
    assert not missing, f"missing FAQ entries: {missing}"
    for entry in base.faq:
        assert len(entry.variants) >= 4, f"FAQ {entry.id} has too few variants"
        assert entry.related, f"FAQ {entry.id} links no terms"


def test_quiz_is_big_enough_and_spans_difficulties(base: KnowledgeBase) -> None:
    assert len(base.quiz) >= MIN_QUIZ_QUESTIONS, f"only {len(base.quiz)} quiz questions"
    difficulties = Counter(str(question.difficulty) for question in base.quiz)
    assert set(difficulties) == {"easy", "medium", "hard"}, difficulties


def test_every_question_explains_and_links_known_terms(base: KnowledgeBase) -> None:
    for question in base.quiz:
        assert question.explanation.strip(), f"{question.id} has no explanation"
        assert question.terms, f"{question.id} links no term"
        unknown = [term_id for term_id in question.terms if term_id not in base.terms]
        assert not unknown, f"{question.id} links unknown terms {unknown}"
        assert 3 <= len(question.choices) <= 4, f"{question.id} has {len(question.choices)} choices"
        assert sum(choice.correct for choice in question.choices) == 1, question.id


def test_every_required_concept_is_quizzed(base: KnowledgeBase) -> None:
    quizzed = {term_id for question in base.quiz for term_id in question.terms}
    missing = [term_id for term_id, _ in REQUIRED_TERMS if term_id not in quizzed]
    assert not missing, f"no quiz question tests {missing}"


def test_correct_answers_are_not_always_in_the_same_place(base: KnowledgeBase) -> None:
    positions = Counter(question.correct_index for question in base.quiz)
    most_common_share = positions.most_common(1)[0][1] / len(base.quiz)
    assert most_common_share < 0.4, f"correct answers cluster: {dict(positions)}"


def test_no_two_quiz_questions_are_near_duplicates(base: KnowledgeBase) -> None:
    # Lowercased, punctuation stripped: "learn from?" and "learn from during training?" share
    # every word of the shorter question, which token_set_ratio scores as 100.
    texts = [(question.id, utils.default_process(question.question)) for question in base.quiz]
    duplicates = [
        f"{first_id} / {second_id} ({score:.0f}): {first!r} vs {second!r}"
        for (first_id, first), (second_id, second) in combinations(texts, 2)
        if (score := fuzz.token_set_ratio(first, second)) >= NEAR_DUPLICATE_SCORE
    ]
    assert not duplicates, "near-duplicate quiz questions:\n" + "\n".join(duplicates)


def _names(text: str, label: str) -> bool:
    return f" {phrase_key(label)} " in f" {phrase_key(text)} "


def test_tested_terms_do_not_give_the_answer_away(base: KnowledgeBase) -> None:
    # A question card shows the names of its tested terms above the choices. When the right
    # choice names one of them, some wrong choice must name a tested term too (by name or
    # alias), or the heading alone points at the answer.
    leaks = []
    for question in base.quiz:
        tested = [base.terms[term_id] for term_id in question.terms]
        labels = [label for term in tested for label in (term.name, *term.aliases)]
        right = question.choices[question.correct_index].text
        wrong = [choice.text for choice in question.choices if not choice.correct]
        hinted = [
            term.name
            for term in tested
            if _names(right, term.name) and not _names(question.question, term.name)
        ]
        if hinted and not any(_names(text, label) for text in wrong for label in labels):
            leaks.append(f"{question.id}: {hinted} point at {right!r}")
    assert not leaks, "the card heading gives answers away:\n" + "\n".join(leaks)
