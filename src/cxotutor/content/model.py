"""The deck and learning-path schema (documented in docs/deck-format.md)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxotutor.models import ROLES

LANGUAGES = ("ja", "en")
RESOURCE_KINDS = ("book", "course", "certification", "community", "practice", "reading")

Role = Literal[ROLES]  # type: ignore[valid-type]  -- the same values, one list
Lang = Literal["ja", "en"]

_SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
# Bidi overrides/isolates can make text display differently from what it says.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Control characters (Unicode category Cc) but newline and tab, and the bidi controls.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")
# The same set, for pydantic's own (Rust) regex engine: checking each string in Python cost a
# fifth of validating a 10,000-card deck. ``text_problem`` words the error (see load._problem).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"


def text_problem(value: str) -> str | None:
    """What is wrong with ``value`` as deck text (a control character), or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    ch = found.group()
    if ch in _BIDI_CONTROLS:
        return f"contains a bidirectional control character U+{ord(ch):04X}"
    return f"contains a control character U+{ord(ch):04X}"


PlainText = Annotated[str, Field(min_length=1, max_length=20_000, pattern=PLAIN_TEXT_PATTERN)]
ShortText = Annotated[str, Field(min_length=1, max_length=500, pattern=PLAIN_TEXT_PATTERN)]
Slug = Annotated[str, Field(pattern=_SLUG)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """The same text in Japanese and/or English."""

    ja: PlainText | None = None
    en: PlainText | None = None

    def get(self, lang: str, fallback: bool = True) -> str:
        """The text in ``lang``, or in the other language when that is missing."""
        value = self.ja if lang == "ja" else self.en
        if value is None and fallback:
            value = self.en if lang == "ja" else self.ja
        return value or ""

    def langs(self) -> set[str]:
        return {lang for lang in LANGUAGES if getattr(self, lang)}


class KeyPoint(_Strict):
    id: Slug
    ja: ShortText | None = None
    en: ShortText | None = None
    aliases: list[ShortText] = Field(default_factory=list, max_length=50)
    weight: float = Field(default=1.0, gt=0, le=10)

    def label(self, lang: str) -> str:
        return (self.ja if lang == "ja" else self.en) or self.en or self.ja or self.id


class CardSource(_Strict):
    doc: ShortText
    section: ShortText | None = None
    note: ShortText | None = None


class Card(_Strict):
    id: Slug
    question: Text
    key_points: list[KeyPoint] = Field(min_length=1, max_length=12)
    answer: Text
    tags: list[Slug] = Field(default_factory=list, max_length=30)
    source: CardSource | None = None


class Deck(_Strict):
    id: Slug
    version: int = Field(ge=1, le=1_000_000)
    title: Text
    description: Text | None = None
    role: Role
    languages: list[Lang] = Field(min_length=1, max_length=2)
    author: ShortText | None = None
    source: ShortText | None = None
    cards: list[Card] = Field(min_length=1, max_length=200_000)


class Resource(_Strict):
    kind: Literal["book", "course", "certification", "community", "practice", "reading"]
    title: ShortText
    author: ShortText | None = None
    issuer: ShortText | None = None
    url: Annotated[str, Field(max_length=2000, pattern=r"^https?://\S+$")] | None = None


class Practice(_Strict):
    decks: list[Slug] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)


class Step(_Strict):
    id: Slug
    title: Text
    goal: Text
    resources: list[Resource] = Field(default_factory=list, max_length=100)
    practice: Practice = Field(default_factory=Practice)
    source: CardSource | None = None


class CareerStage(_Strict):
    stage: Text
    responsibilities: Text | None = None
    next_step: Text | None = None


class LearningPath(_Strict):
    id: Slug
    version: int = Field(ge=1, le=1_000_000)
    title: Text
    role: Role
    source: ShortText | None = None
    description: Text | None = None
    career: list[CareerStage] = Field(default_factory=list, max_length=50)
    steps: list[Step] = Field(min_length=1, max_length=200)


def is_slug(value: str) -> bool:
    return re.fullmatch(_SLUG, value) is not None
