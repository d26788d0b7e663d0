"""What the scorer takes and gives: key points in, per-point verdicts and a rating out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence, runtime_checkable

from cxotutor.scoring.rating import Status

__all__ = ["AnswerScore", "Evidence", "KeyPointLike", "PointScore"]


@runtime_checkable
class KeyPointLike(Protocol):
    """Anything shaped like a deck key point (``cxotutor.content.KeyPoint`` is one)."""

    id: str
    ja: str | None
    en: str | None
    aliases: Sequence[str]
    weight: float


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a key point was found: ``answer[start:end] == text`` (str offsets)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class PointScore:
    """The verdict on one key point."""

    id: str
    status: Status
    score: int  # 0-100: how much of the best-matching text was found
    evidence: Evidence | None  # None for a miss
    matched: str | None  # the key text or alias that matched best (None for a miss)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "score": self.score,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True, slots=True)
class AnswerScore:
    """The verdict on one answer: weighted coverage, a suggested rating, the points."""

    score: int  # 0-100 weighted coverage
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    points: tuple[PointScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"score", "rating", "points": [{"id", "status", "score", "evidence"}]}``."""
        return {
            "score": self.score,
            "rating": self.rating,
            "points": [point.to_dict() for point in self.points],
        }
