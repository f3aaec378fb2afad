"""The knowledge the bot ships with: it loads, people's spellings find the right terms, and the
quiz is big, varied and free of near-duplicates."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, utils

from bot.core.knowledge.base import KnowledgeBase
from bot.core.knowledge.loader import load_knowledge
from bot.core.knowledge.model import Status
from bot.core.knowledge.review import outdated_examples
from bot.core.text import phrase_key

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"

# Every concept the knowledge must cover, with spellings people actually type (abbreviations,
# plurals, versions, hyphens and spaces). Each must resolve to exactly this term id.
REQUIRED_TERMS: list[tuple[str, list[str]]] = [
    ("artificial-intelligence", ["AI", "A.I.", "artificial intelligence"]),
    ("machine-learning", ["ML"]),
    ("deep-learning", ["deep neural network", "DNN", "DL"]),
    ("neural-network", ["neural net", "artificial neural network", "ANN"]),
    ("nlp", ["NLP", "natural language processing"]),
    ("computer-vision", ["CV", "image recognition"]),
    ("speech-recognition", ["speech-to-text", "ASR", "transcription"]),
    ("supervised-learning", ["supervised"]),
    ("unsupervised-learning", ["unsupervised"]),
    ("reinforcement-learning", ["RL"]),
    ("self-supervised-learning", ["self-supervised", "SSL"]),
    ("ai-model", ["AI model", "ML model"]),
    (
        "rule-based-automation",
        ["rule-based system", "rules engine", "RPA", "robotic process automation"],
    ),
    (
        "generative-ai",
        ["GenAI", "gen AI", "generative artificial intelligence", "generative model"],
    ),
    ("predictive-ai", ["predictive analytics", "predictive model"]),
    ("llm", ["LLM", "large language model"]),
    ("small-language-model", ["SLM", "small language models", "small model"]),
    ("reasoning-model", ["reasoning models", "thinking model", "reasoning LLM"]),
    ("frontier-model", ["frontier AI", "frontier models"]),
    ("foundation-model", ["base foundation model", "general-purpose AI model", "GPAI"]),
    ("multimodal-ai", ["multimodal", "multimodal model", "multimodal LLM"]),
    ("agi", ["AGI", "artificial general intelligence", "general AI", "strong AI"]),
    ("narrow-ai", ["weak AI", "narrow artificial intelligence"]),
    (
        "chatbot",
        [
            "Chatbot / virtual assistant",
            "chatbot",
            "chat bot",
            "virtual assistant",
            "AI assistant",
            "AI chatbot",
            "conversational AI",
        ],
    ),
    ("model-training", ["training", "training a model", "model training"]),
    ("pre-training", ["pretraining", "pre-train"]),
    ("post-training", ["post training"]),
    ("rlhf", ["RLHF", "reinforcement learning from human feedback"]),
    ("fine-tuning", ["fine-tune", "finetuning", "fine tuning"]),
    ("base-model", ["base model", "pretrained model"]),
    ("instruct-model", ["instruction-tuned model", "instruct model", "chat model"]),
    ("parameters", ["parameter", "model parameters", "weights", "model weights"]),
    ("training-data", ["dataset", "training set", "training dataset"]),
    ("token", ["tokens", "tokenization", "tokenisation", "tokenizer"]),
    ("context-window", ["context length", "context size", "context limit"]),
    ("knowledge-cutoff", ["training cutoff", "cutoff date", "knowledge cut-off"]),
    ("embedding", ["embeddings", "vector embedding", "text embedding"]),
    ("temperature", ["sampling temperature"]),
    ("inference", ["model inference", "running a model"]),
    ("compute", ["computing power", "computational resources", "computational cost"]),
    ("gpu", ["GPU", "graphics processing unit", "AI chip", "TPU"]),
    ("scaling-laws", ["scaling law", "scaling"]),
    ("distillation", ["knowledge distillation", "model distillation", "distilled model"]),
    ("mixture-of-experts", ["MoE", "mixture of experts"]),
    ("synthetic-data", ["synthetic training data"]),
    ("api", ["API", "application programming interface", "model API"]),
    (
        "open-weight-model",
        ["open weight", "open weights", "open-weight", "open model", "open-weights model"],
    ),
    (
        "closed-model",
        ["closed model", "proprietary model", "closed-source model", "closed weights"],
    ),
    ("open-source-ai", ["open source AI", "open-source model", "open source model", "OSAID"]),
    ("model-card", ["model cards", "system card"]),
    ("benchmark", ["benchmarks", "AI benchmark", "leaderboard", "LMArena"]),
    ("evals", ["eval", "evaluations", "model evaluation", "AI evaluation"]),
    ("prompt", ["prompts", "prompting"]),
    ("prompt-engineering", ["prompt engineering", "prompt design", "context engineering"]),
    ("system-prompt", ["system prompt", "system message", "developer message"]),
    ("zero-shot-prompting", ["zero-shot", "zero shot"]),
    ("few-shot-prompting", ["few-shot", "few shot", "one-shot", "in-context learning"]),
    ("chain-of-thought", ["CoT", "chain of thought", "step-by-step reasoning"]),
    ("structured-output", ["structured outputs", "JSON mode", "JSON output"]),
    ("custom-instructions", ["custom instructions", "personalization", "saved instructions"]),
    ("custom-gpts", ["custom GPT", "custom GPTs", "Gems", "Claude Projects"]),
    ("transformer", ["transformer architecture", "transformer model"]),
    ("attention-mechanism", ["attention", "self-attention"]),
    ("gan", ["GAN", "generative adversarial network"]),
    ("diffusion-model", ["diffusion"]),
    ("rnn", ["RNN", "recurrent neural network", "LSTM", "long short-term memory"]),
    ("cnn", ["CNN", "convolutional neural network", "convnet"]),
    ("encoder", ["encoder model", "encoder-only model"]),
    ("decoder", ["decoder model", "decoder-only model"]),
    ("autoregressive-model", ["autoregressive", "autoregression", "next-token prediction"]),
    ("vae", ["VAE", "variational autoencoder", "autoencoder"]),
    ("native-image-generation", ["native image generation", "multimodal image generation"]),
    ("rag", ["RAG", "retrieval-augmented generation", "retrieval augmented generation"]),
    ("vector-database", ["vector DB", "vector store", "vector search"]),
    ("semantic-search", ["semantic search", "meaning-based search"]),
    ("keyword-search", ["keyword search", "lexical search", "full-text search", "BM25"]),
    ("grounding", ["grounded answers", "citations", "source citations"]),
    ("ai-agent", ["agent", "agents", "AI agents", "autonomous agent"]),
    ("agentic-ai", ["agentic AI", "agentic workflow", "agentic workflows", "agentic"]),
    ("tool-use", ["function calling", "tool calling"]),
    ("mcp", ["MCP", "Model Context Protocol"]),
    (
        "computer-use-agent",
        ["computer use", "computer-use agent", "browser agent", "ChatGPT agent", "Operator"],
    ),
    ("ai-memory", ["memory", "chat memory", "ChatGPT memory"]),
    ("deep-research", ["deep research", "research agent"]),
    (
        "coding-assistant",
        [
            "AI coding assistant",
            "coding agent",
            "AI pair programmer",
            "Claude Code",
            "Cursor",
            "Codex",
        ],
    ),
    ("guardrails", ["guardrail", "AI guardrails", "safety filters", "content filter"]),
    ("human-in-the-loop", ["HITL", "human in the loop", "human oversight", "human review"]),
    ("on-device-ai", ["on-device", "edge AI", "local AI", "local model", "running locally"]),
    ("cloud-ai", ["cloud AI", "AI in the cloud", "hosted model"]),
    ("classification", ["classifier", "classification model"]),
    ("clustering", ["cluster analysis"]),
    ("forecasting", ["forecast", "demand forecasting", "time series forecasting"]),
    ("anomaly-detection", ["anomaly detection", "outlier detection", "fraud detection"]),
    (
        "summarisation",
        ["summarization", "summary", "summarising", "summarizing", "text summarisation"],
    ),
    ("machine-translation", ["translation", "MT", "AI translation"]),
    ("sentiment-analysis", ["sentiment", "opinion mining"]),
    (
        "information-extraction",
        ["data extraction", "entity extraction", "named entity recognition", "NER"],
    ),
    (
        "document-ai",
        [
            "OCR",
            "optical character recognition",
            "document AI",
            "intelligent document processing",
            "IDP",
        ],
    ),
    ("text-to-image", ["text to image", "image generation", "AI image generator", "AI art"]),
    ("text-to-video", ["text to video", "video generation", "AI video"]),
    ("code-generation", ["code generation", "AI code generation", "writing code with AI"]),
    (
        "speech-synthesis",
        ["text-to-speech", "TTS", "voice cloning", "voice generation", "AI voice"],
    ),
    ("gpt", ["GPT", "generative pre-trained transformer", "GPT models", "GPT-3", "GPT-3.5"]),
    ("gpt-5", ["GPT-5", "GPT5", "GPT 5", "GPT-5.1", "gpt 5.1", "GPT-5.2"]),
    ("gpt-6", ["GPT-6", "GPT6", "GPT-6 Astra", "GPT-6.1"]),
    ("gpt-4o", ["GPT-4o", "gpt4o", "GPT 4o", "GPT-4.1", "GPT-4o mini"]),
    ("gpt-4", ["GPT-4", "GPT4", "GPT 4", "GPT-4 Turbo"]),
    ("openai-o-series", ["o1", "o3", "o4-mini", "o3-mini", "OpenAI o1", "OpenAI o3", "o-series"]),
    ("gpt-oss", ["gpt-oss-120b", "gpt-oss-20b", "gpt oss"]),
    (
        "gemini",
        [
            "Gemini models",
            "Google Gemini",
            "Gemini 3",
            "Gemini 2.5",
            "Gemini Pro",
            "Gemini Flash",
            "Nano Banana",
        ],
    ),
    ("gemma", ["Gemma", "Google Gemma", "Gemma 3"]),
    (
        "claude",
        [
            "Claude",
            "Anthropic Claude",
            "Claude models",
            "Claude Opus",
            "Claude Sonnet",
            "Claude Haiku",
        ],
    ),
    ("llama", ["Llama", "LLaMA", "Meta Llama", "Llama 2", "Llama 3", "Llama 4"]),
    ("deepseek", ["DeepSeek", "DeepSeek-R1", "DeepSeek R1", "DeepSeek-V3", "deepseek v3"]),
    ("qwen", ["Qwen", "Alibaba Qwen", "Tongyi Qianwen", "Qwen3"]),
    ("mistral", ["Mistral", "Mistral AI", "Le Chat", "Mixtral"]),
    ("grok", ["Grok", "xAI", "xAI Grok"]),
    ("bert", ["BERT", "bidirectional encoder representations from transformers"]),
    ("palm", ["PaLM", "PaLM 2", "Pathways Language Model", "Google PaLM"]),
    ("gpt-image", ["GPT Image", "gpt-image-1", "GPT-4o image generation", "ChatGPT images"]),
    ("dall-e", ["DALL-E", "DALL·E", "DALL-E 3", "DALLE", "dall e"]),
    ("imagen", ["Imagen", "Google Imagen", "Imagen 4"]),
    ("midjourney", ["Midjourney", "Mid journey"]),
    (
        "stable-diffusion",
        ["Stable Diffusion", "SDXL", "Stable Diffusion XL", "SD3", "Stability AI"],
    ),
    ("sora", ["Sora", "OpenAI Sora", "Sora 2"]),
    ("veo", ["Veo", "Google Veo", "Veo 3"]),
    ("vall-e", ["VALL-E", "Vall E", "VALLE", "Microsoft VALL-E"]),
    ("chatgpt", ["ChatGPT", "Chat GPT", "chat-gpt"]),
    ("gemini-app", ["Gemini app", "Google Gemini app", "gemini.google.com"]),
    ("claude-app", ["Claude app", "claude.ai", "Claude.ai"]),
    ("copilot", ["Microsoft Copilot", "Copilot", "Microsoft Copilot", "Bing Chat", "Copilot app"]),
    (
        "microsoft-365-copilot",
        ["Microsoft 365 Copilot", "M365 Copilot", "Copilot for Microsoft 365", "Office Copilot"],
    ),
    ("github-copilot", ["GitHub Copilot", "Copilot for code"]),
    ("perplexity", ["Perplexity", "Perplexity AI"]),
    ("notebooklm", ["NotebookLM", "Notebook LM", "Google NotebookLM"]),
    ("bard", ["Bard", "Google Bard"]),
    ("openai", ["OpenAI", "Open AI"]),
    ("anthropic", ["Anthropic"]),
    ("google-deepmind", ["Google DeepMind", "DeepMind", "Google AI"]),
    ("meta-ai", ["Meta AI", "Meta", "Facebook AI"]),
    ("hugging-face", ["Hugging Face", "HuggingFace", "HF"]),
    ("nvidia", ["NVIDIA", "Nvidia", "CUDA"]),
    ("hallucination", ["hallucinations", "AI hallucination", "confabulation", "making things up"]),
    ("bias", ["AI bias", "algorithmic bias", "biases", "fairness"]),
    ("deepfake", ["deepfakes", "deep fake", "voice deepfake"]),
    ("alignment", ["AI alignment"]),
    ("prompt-injection", ["prompt injection", "indirect prompt injection"]),
    ("jailbreak", ["jailbreaking", "jailbreaks", "AI jailbreak"]),
    (
        "data-privacy",
        [
            "data privacy",
            "data retention",
            "privacy",
            "chat history retention",
            "training on my data",
        ],
    ),
    ("personal-data", ["personal data", "PII", "personally identifiable information", "GDPR"]),
    ("shadow-ai", ["shadow AI", "unapproved AI tools", "BYOAI"]),
    ("training-data-copyright", ["copyright", "AI copyright", "copyright of training data"]),
    (
        "ai-output-ownership",
        [
            "who owns AI output",
            "ownership of AI output",
            "AI-generated content ownership",
            "copyright of AI output",
        ],
    ),
    ("eu-ai-act", ["EU AI Act", "AI Act", "European AI Act", "Artificial Intelligence Act"]),
    ("ai-literacy", ["AI literacy", "Article 4"]),
    ("responsible-ai", ["responsible AI", "ethical AI", "AI ethics", "trustworthy AI"]),
    (
        "ai-governance-policy",
        ["AI policy", "AI governance", "acceptable use policy", "AI usage policy", "ISO 42001"],
    ),
    ("explainability", ["explainable AI", "interpretability", "transparency"]),
    ("ai-safety", ["AI safety", "AI risk"]),
    ("red-teaming", ["red team", "red teaming", "adversarial testing"]),
    (
        "watermarking",
        ["AI watermark", "content provenance", "C2PA", "Content Credentials", "SynthID"],
    ),
    (
        "ai-text-detection",
        [
            "AI detector",
            "AI detection",
            "AI text detector",
            "GPTZero",
            "AI-generated text detection",
        ],
    ),
    ("sycophancy", ["sycophantic", "AI flattery"]),
    (
        "ai-energy-use",
        [
            "AI energy use",
            "AI energy consumption",
            "environmental impact of AI",
            "AI carbon footprint",
            "data centre energy",
        ],
    ),
    (
        "ai-and-jobs",
        ["AI and jobs", "job displacement", "will AI take my job", "automation and employment"],
    ),
]

# The concepts the quiz must test (the core of the first release; the bank grows with the terms).
QUIZZED_TERMS = [
    "artificial-intelligence",
    "machine-learning",
    "deep-learning",
    "neural-network",
    "generative-ai",
    "llm",
    "transformer",
    "attention-mechanism",
    "gan",
    "diffusion-model",
    "rnn",
    "predictive-ai",
    "nlp",
    "parameters",
    "training-data",
    "prompt",
    "chatbot",
    "chatgpt",
    "gpt-4",
    "palm",
    "llama",
    "claude",
    "midjourney",
    "stable-diffusion",
    "copilot",
    "vall-e",
    "hallucination",
    "bias",
    "deepfake",
    "classification",
    "clustering",
]

# Curated comparisons /compare must have. A pair may be covered by a wider table; a set of
# three or four must be one table with exactly those terms.
REQUIRED_COMPARISONS: list[tuple[str, ...]] = [
    ("llm", "generative-ai"),
    ("generative-ai", "predictive-ai"),
    ("gan", "diffusion-model"),
    ("transformer", "rnn"),
    ("llm", "chatgpt"),
    ("artificial-intelligence", "generative-ai"),
    ("generative-ai", "classification"),
    ("generative-ai", "clustering"),
    ("deep-learning", "machine-learning"),
    ("rag", "fine-tuning", "prompt-engineering"),
    ("artificial-intelligence", "machine-learning", "deep-learning", "generative-ai"),
    ("open-weight-model", "closed-model"),
    ("open-source-ai", "open-weight-model"),
    ("llm", "small-language-model"),
    ("chatbot", "ai-agent"),
    ("agentic-ai", "generative-ai"),
    ("chatgpt", "claude-app", "gemini-app", "copilot"),
    ("reasoning-model", "llm"),
    ("base-model", "instruct-model"),
    ("supervised-learning", "unsupervised-learning", "reinforcement-learning"),
    ("semantic-search", "keyword-search"),
    ("encoder", "decoder"),
    ("diffusion-model", "native-image-generation"),
    ("model-training", "inference"),
    ("cloud-ai", "on-device-ai"),
    ("rule-based-automation", "artificial-intelligence"),
]

# The LLM vs generative AI table must keep these rows (the comparison the project began with).
LLM_VS_GENAI_DIMENSIONS = {
    "Scope",
    "Data inputs",
    "Output types",
    "Core architecture",
    "Primary function",
    "Examples",
}

# Questions people ask in plain words; each needs an FAQ entry.
REQUIRED_FAQ = [
    "llms-type-of-generative-ai",
    "generative-ai-without-llms",
    "is-chatgpt-an-llm",
    "why-llms-are-called-large",
    "can-llms-make-images",
    "predictive-vs-generative-ai",
    "examples-of-llms",
    "limitations-of-llms-and-generative-ai",
    "is-deepseek-open-source",
    # The workplace questions.
    "company-data-in-chatbots",
    "who-owns-ai-output",
    "how-to-check-ai-answers",
    "which-model-for-what",
    "is-ai-allowed-at-work",
    "will-ai-replace-my-job",
    "eu-ai-act-for-companies",
    "how-to-write-a-good-prompt",
    "is-my-chat-used-for-training",
    "free-vs-paid-ai-plans",
]

MIN_TERMS = 150
MIN_COMPARISONS = 25
MIN_FAQ = 45
SUMMARY_WORDS_MAX = 30
MIN_QUIZ_QUESTIONS = 90
NEAR_DUPLICATE_SCORE = 90
# Abbreviations whose dots do not end a sentence (removed before counting sentence ends).
ABBREVIATIONS = ("e.g.", "i.e.", "U.S.", "etc.", "vs.")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# "the first article", "both articles", "our sources": text that points at documents people
# never saw ("books, articles and web pages" is fine).
SOURCE_REFERENCE = re.compile(
    r"\b(?:the|this|that|these|those|both|our|each|one|two|three|all|first|second|third|source)"
    r"\s+(?:\w+\s+)?articles?\b(?!\s*\d)|\bour sources?\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    result = load_knowledge(KNOWLEDGE_DIR)
    assert not result.errors, "knowledge does not load:\n" + "\n".join(map(str, result.errors))
    assert result.base is not None
    return result.base


def test_knowledge_loads_without_errors(base: KnowledgeBase) -> None:
    assert len(base.terms) >= MIN_TERMS, f"only {len(base.terms)} terms"
    assert len(base.comparisons) >= MIN_COMPARISONS, f"only {len(base.comparisons)} comparisons"
    assert len(base.faq) >= MIN_FAQ, f"only {len(base.faq)} FAQ entries"
    assert base.quiz


@pytest.mark.parametrize(
    ("term_id", "spellings"), REQUIRED_TERMS, ids=[term_id for term_id, _ in REQUIRED_TERMS]
)
def test_required_term_resolves_from_common_spellings(
    base: KnowledgeBase, term_id: str, spellings: list[str]
) -> None:
    assert term_id in base.terms, f"required term '{term_id}' is missing"
    for text in [term_id, base.terms[term_id].name, *spellings]:
        term = base.resolve(text)
        found = term.id if term is not None else None
        assert found == term_id, f"{text!r} resolves to {found!r}, expected {term_id!r}"


def test_every_term_is_required_so_none_is_added_without_its_spellings(
    base: KnowledgeBase,
) -> None:
    listed = {term_id for term_id, _ in REQUIRED_TERMS}
    assert set(base.terms) == listed, f"not in REQUIRED_TERMS: {sorted(set(base.terms) - listed)}"


def test_chatbot_has_the_agreed_display_name(base: KnowledgeBase) -> None:
    assert base.terms["chatbot"].name == "Chatbot / virtual assistant"


def test_each_terms_file_is_one_category() -> None:
    categories: dict[str, str] = {}
    for path in sorted((KNOWLEDGE_DIR / "terms").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = {term["category"] for term in data["terms"]}
        assert len(found) == 1, f"{path.name} mixes categories {sorted(found)}"
        (category,) = found
        assert category not in categories, f"{category} is split: {categories.get(category)}"
        categories[category] = path.name


def test_every_summary_is_one_short_sentence(base: KnowledgeBase) -> None:
    problems = []
    for term in base.terms.values():
        text = term.summary
        for abbreviation in ABBREVIATIONS:
            text = text.replace(abbreviation, "")
        ends = SENTENCE_END.findall(text)
        if len(ends) != 1 or not term.summary.rstrip().endswith((".", "!", "?")):
            problems.append(f"{term.id}: not one sentence: {term.summary}")
        words = len(term.summary.split())
        if words > SUMMARY_WORDS_MAX:
            problems.append(f"{term.id}: {words} words: {term.summary}")
    assert not problems, "summaries must be one sentence of at most 30 words:\n" + "\n".join(
        problems
    )


def test_terms_are_complete(base: KnowledgeBase) -> None:
    for term in base.terms.values():
        assert term.explanation, term.id
        assert 2 <= len(term.examples) <= 4, f"{term.id} has {len(term.examples)} examples"
        assert term.sources, f"{term.id} names no sources"
        assert term.reviewed is not None, f"{term.id} has no review date"
        assert term.related, f"{term.id} links no related terms"


def _visible_texts(base: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every piece of text a user can see, labelled with where it is (sources excluded)."""
    for term in base.terms.values():
        yield f"term {term.id}", " ".join((term.name, term.summary, term.explanation))
        for example in term.examples:
            yield f"term {term.id} example", example
        if term.lifecycle is not None and term.lifecycle.note:
            yield f"term {term.id} lifecycle", term.lifecycle.note
    for comparison in base.comparisons:
        yield f"comparison {comparison.id}", comparison.takeaway
        for dimension in comparison.dimensions:
            for value in dimension.values.values():
                yield f"comparison {comparison.id}/{dimension.name}", value
    for entry in base.faq:
        for text in (entry.question, *entry.variants, entry.answer):
            yield f"faq {entry.id}", text
    for question in base.quiz:
        yield f"quiz {question.id}", f"{question.question} {question.explanation}"
        for choice in question.choices:
            yield f"quiz {question.id} choice", f"{choice.text} {choice.why_wrong or ''}"


def test_no_user_visible_text_refers_to_a_source(base: KnowledgeBase) -> None:
    # People never saw the documents the knowledge was checked against: where a fact came
    # from belongs in `sources`, never in what the bot says ("the first article says...").
    found = [
        f"{where}: ...{text[max(0, m.start() - 30) : m.end() + 30]}..."
        for where, text in _visible_texts(base)
        if (m := SOURCE_REFERENCE.search(text))
    ]
    assert not found, "user-visible text refers to a source:\n" + "\n".join(found)


def test_the_source_check_catches_what_it_should() -> None:
    for text in [
        "The first article gives this example.",
        "Both articles agree on the scope.",
        "All three articles say so.",
        "as our sources put it",
        "This article explains",
    ]:
        assert SOURCE_REFERENCE.search(text), text
    for text in [
        "trained on books, articles and web pages",
        "it drafts news articles",
        "the AI literacy duty of the EU AI Act's Article 4",
        "under the Act, Article 50 covers transparency",
    ]:
        assert not SOURCE_REFERENCE.search(text), text


def test_models_and_products_that_are_gone_say_so(base: KnowledgeBase) -> None:
    for term_id in ("gpt-4", "palm", "bard"):
        lifecycle = base.terms[term_id].lifecycle
        assert lifecycle is not None, f"{term_id} must be marked retired or superseded"
        assert lifecycle.status is not Status.CURRENT, term_id
        assert lifecycle.since is not None, term_id
        assert lifecycle.replaced_by, term_id


def test_examples_elsewhere_name_current_models(base: KnowledgeBase) -> None:
    # A retired or superseded model may appear in another entry's examples only as history
    # (with a year or a word that says it is past), never as one of today's examples.
    outdated = outdated_examples(KNOWLEDGE_DIR, base)
    assert not outdated, "examples must be current:\n" + "\n".join(map(str, outdated))


def test_required_comparisons_exist(base: KnowledgeBase) -> None:
    tables = {frozenset(comparison.terms) for comparison in base.comparisons}
    covered = {
        frozenset(pair)
        for comparison in base.comparisons
        for pair in combinations(comparison.terms, 2)
    }
    missing = [
        wanted
        for wanted in REQUIRED_COMPARISONS
        if frozenset(wanted) not in (covered if len(wanted) == 2 else tables)
    ]
    assert not missing, f"missing curated comparisons: {missing}"


def test_comparisons_have_real_dimensions(base: KnowledgeBase) -> None:
    for comparison in base.comparisons:
        assert 4 <= len(comparison.dimensions) <= 7, comparison.id
        assert comparison.sources, comparison.id
        assert comparison.reviewed, comparison.id
        for dimension in comparison.dimensions:
            assert set(dimension.values) == set(comparison.terms), (
                f"{comparison.id}/{dimension.name} lacks a value for a compared term"
            )
            assert all(value.strip() for value in dimension.values.values()), comparison.id
    llm_vs_genai = next(c for c in base.comparisons if set(c.terms) == {"llm", "generative-ai"})
    names = {dimension.name for dimension in llm_vs_genai.dimensions}
    assert names >= LLM_VS_GENAI_DIMENSIONS, f"missing: {LLM_VS_GENAI_DIMENSIONS - names}"


def test_faq_covers_the_questions_people_ask(base: KnowledgeBase) -> None:
    ids = {entry.id for entry in base.faq}
    missing = [faq_id for faq_id in REQUIRED_FAQ if faq_id not in ids]
    assert not missing, f"missing FAQ entries: {missing}"
    for entry in base.faq:
        assert len(entry.variants) >= 4, f"FAQ {entry.id} has too few variants"
        assert entry.related, f"FAQ {entry.id} links no terms"
        assert entry.sources, f"FAQ {entry.id} has no sources"
        assert entry.reviewed, f"FAQ {entry.id} has no review date"


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


def test_every_core_concept_is_quizzed(base: KnowledgeBase) -> None:
    quizzed = {term_id for question in base.quiz for term_id in question.terms}
    missing = [term_id for term_id in QUIZZED_TERMS if term_id not in quizzed]
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
