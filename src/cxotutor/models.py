"""Plain domain objects the facade hands to front ends (never live ORM rows)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxotutor.content.model import KeyPoint

# The content schema (cxotutor.content.model) checks deck files against this; it lives here
# so that reading the database never imports pydantic (start-up time, issue 7).
ROLES = ("cio", "cto", "caio", "ciso", "general")


@dataclass(frozen=True)
class CardView:
    """Everything a screen needs to show and score one card."""

    id: int
    deck_id: str
    key: str
    question_ja: str | None
    question_en: str | None
    answer_ja: str | None
    answer_en: str | None
    key_points: tuple[KeyPoint, ...]
    tags: tuple[str, ...]
    source: dict | None
    state: str = "new"  # new | learning | review | relearning
    due: datetime | None = None
    retired: bool = False

    def question(self, lang: str) -> str:
        return _pick(self.question_ja, self.question_en, lang)

    def answer(self, lang: str) -> str:
        return _pick(self.answer_ja, self.answer_en, lang)

    @classmethod
    def from_row(cls, row, state: str = "new", due: datetime | None = None) -> CardView:
        from cxotutor.content.model import KeyPoint

        return cls(
            id=row.id,
            deck_id=row.deck_id,
            key=row.key,
            question_ja=row.question_ja,
            question_en=row.question_en,
            answer_ja=row.answer_ja,
            answer_en=row.answer_en,
            key_points=tuple(KeyPoint.model_validate(kp) for kp in json.loads(row.key_points)),
            tags=tuple(json.loads(row.tags)),
            source=json.loads(row.source) if row.source else None,
            state=state,
            due=due,
            retired=row.retired,
        )


def _pick(ja: str | None, en: str | None, lang: str) -> str:
    first, second = (ja, en) if lang == "ja" else (en, ja)
    return first or second or ""


@dataclass(frozen=True)
class DeckSummary:
    id: str
    version: int
    title_ja: str | None
    title_en: str | None
    role: str
    cards: int
    due: int
    new: int
    learned: int
    origin: str = "bundled"

    def title(self, lang: str) -> str:
        return _pick(self.title_ja, self.title_en, lang)


@dataclass(frozen=True)
class Selection:
    """Which cards a session draws from; empty means everything."""

    decks: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    card_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReviewReceipt:
    """What was saved for one rating."""

    review_id: int
    card_id: int
    rating: int
    state: str
    due: datetime
    interval_days: int


@dataclass(frozen=True)
class Today:
    reviews: int
    new_seen: int
    due: int
    new_available: int
    streak: int
    study_day: str
    by_deck: dict[str, tuple[int, int]] = field(default_factory=dict)  # deck -> (due, new)
