"""The knowledge schema: what admins write in ``knowledge/*.yaml``.

A file is a mapping with any of the sections ``terms``, ``comparisons``, ``faq`` and ``quiz``;
each section is a list of entries. Ids are lowercase slugs (``large-language-model``) and every
reference between entries uses them. Unknown keys are errors, so a typo such as ``sumary`` is
reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.core.knowledge import limits

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=limits.ID_MAX)
]


# Stripped, non-empty text with the platform-driven maximum length from ``limits``.
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.NAME_MAX)
]
Alias = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.ALIAS_MAX)
]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.CATEGORY_MAX)
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.SUMMARY_MAX)
]
Explanation = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.EXPLANATION_MAX)
]
Example = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.EXAMPLE_MAX)
]
Takeaway = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TAKEAWAY_MAX)
]
DimensionName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.DIMENSION_NAME_MAX),
]
DimensionValue = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.DIMENSION_VALUE_MAX),
]
Question = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.QUESTION_MAX)
]
Answer = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.ANSWER_MAX)
]
ChoiceText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.CHOICE_MAX)
]
WhyWrong = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.WHY_WRONG_MAX)
]
StatusNote = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.STATUS_NOTE_MAX)
]
SourceText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.SOURCE_MAX)
]


class Entry(BaseModel):
    """Fields every entry shares: where its facts came from and when a person last checked it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    sources: tuple[SourceText, ...] = Field(
        default=(), description="Where the facts came from: an article title or a URL."
    )
    reviewed: dt.date | None = Field(
        default=None, description="When a person last checked this entry (YYYY-MM-DD)."
    )

    @field_validator("reviewed")
    @classmethod
    def _not_in_the_future(cls, reviewed: dt.date | None) -> dt.date | None:
        if reviewed is not None and reviewed > _latest_allowed_day():
            raise ValueError(
                f"'{reviewed}' is in the future; use the day a person actually checked the entry"
            )
        return reviewed


class Status(StrEnum):
    """Where a fast-moving entry (a model, a product) stands in its life."""

    CURRENT = "current"
    SUPERSEDED = "superseded"
    """Still offered, but a newer one has replaced it as the default."""
    RETIRED = "retired"
    """No longer offered (shut down, withdrawn or renamed)."""


class Lifecycle(BaseModel):
    """When and by what a model or product was superseded or retired.

    The card says so at the top ("Retired in April 2025, replaced by GPT-5"), and the
    knowledge tests keep retired names out of other entries' examples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    status: Status = Field(description="current, superseded or retired.")
    since: dt.date | None = Field(
        default=None, description="When it was superseded or retired (YYYY-MM-DD)."
    )
    replaced_by: tuple[Slug, ...] = Field(
        default=(), description="Ids of the terms that replaced it, newest first."
    )
    note: StatusNote | None = Field(
        default=None, description="One plain sentence on what changed, shown on the card."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Lifecycle:
        if self.status is Status.CURRENT:
            extra = [name for name in ("since", "replaced_by", "note") if getattr(self, name)]
            if extra:
                raise ValueError(
                    f"a current entry takes no {', '.join(extra)}; set status to superseded "
                    "or retired, or remove the lifecycle block"
                )
            return self
        if self.since is None:
            raise ValueError(f"a {self.status} entry needs 'since: YYYY-MM-DD' (when it changed)")
        if self.since > _latest_allowed_day():
            raise ValueError(
                f"'since: {self.since}' is in the future; keep the entry current (or superseded) "
                "until the change has happened"
            )
        return self


def _latest_allowed_day() -> dt.date:
    """Today where the date is furthest ahead (UTC+14), so no admin's today is refused."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


class Term(Entry):
    """A concept the bot can explain."""

    id: Slug = Field(description="Lowercase slug used in references, e.g. large-language-model.")
    name: Name = Field(description="Display name, e.g. Large language model.")
    aliases: tuple[Alias, ...] = Field(
        default=(), description="Other names people type: abbreviations, plurals, spellings."
    )
    category: Category = Field(description="A short group name, e.g. Models or Techniques.")
    summary: Summary = Field(description="One sentence a newcomer understands.")
    explanation: Explanation = Field(description="A short paragraph or two.")
    examples: tuple[Example, ...] = Field(default=(), description="Concrete examples.")
    related: tuple[Slug, ...] = Field(default=(), description="Ids of related terms.")
    lifecycle: Lifecycle | None = Field(
        default=None, description="For models and products: superseded or retired, and by what."
    )

    @property
    def status(self) -> Status:
        """``current`` unless the lifecycle says otherwise."""
        return self.lifecycle.status if self.lifecycle is not None else Status.CURRENT


class Dimension(BaseModel):
    """One row of a comparison: a name and a value for each compared term."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: DimensionName = Field(description="What is compared, e.g. Scope or Output types.")
    values: dict[Slug, DimensionValue] = Field(
        description="The value for each compared term, keyed by term id."
    )


class Comparison(Entry):
    """A curated side-by-side of two or more terms."""

    id: Slug
    terms: tuple[Slug, ...] = Field(
        min_length=2, max_length=4, description="Ids of the compared terms (2 to 4), in order."
    )
    takeaway: Takeaway = Field(description="The difference in one line.")
    dimensions: tuple[Dimension, ...] = Field(min_length=1, max_length=20)


class FaqEntry(Entry):
    """A question people ask, the ways they phrase it, and its answer."""

    id: Slug
    question: Question
    variants: tuple[Question, ...] = Field(
        default=(), description="Other phrasings people type, used to recognise the question."
    )
    answer: Answer
    related: tuple[Slug, ...] = Field(default=(), description="Ids of terms the answer is about.")


class Difficulty(StrEnum):
    """How hard a quiz question is."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Choice(BaseModel):
    """One answer button of a quiz question."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    text: ChoiceText = Field(description="The button text (at most 72 characters).")
    correct: bool = Field(default=False, description="true on exactly one choice.")
    why_wrong: WhyWrong | None = Field(
        default=None, description="For a wrong choice: why it is wrong (shown after answering)."
    )


class QuizQuestion(Entry):
    """A multiple-choice question with exactly one correct choice."""

    id: Slug
    question: Question
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=5)
    explanation: Explanation = Field(description="Why the correct choice is right.")
    terms: tuple[Slug, ...] = Field(min_length=1, description="Ids of the terms it tests.")
    difficulty: Difficulty = Difficulty.MEDIUM

    @field_validator("choices")
    @classmethod
    def _exactly_one_correct(cls, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
        correct = sum(1 for choice in choices if choice.correct)
        if correct != 1:
            raise ValueError(
                f"has {correct} choices marked 'correct: true'; mark exactly one choice correct"
            )
        return choices

    @property
    def correct_index(self) -> int:
        """Index of the correct choice."""
        return next(i for i, choice in enumerate(self.choices) if choice.correct)


class KnowledgeFile(BaseModel):
    """One YAML file under ``knowledge/``: any of the four sections, each a list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[Term, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    quiz: tuple[QuizQuestion, ...] = ()
