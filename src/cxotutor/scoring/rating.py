"""Thresholds: point status from a match score, FSRS rating from overall coverage.

All numbers are documented in docs/scoring.md; tests pin them.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "EASY_THRESHOLD",
    "GOOD_THRESHOLD",
    "HARD_THRESHOLD",
    "HIT_CREDIT",
    "HIT_THRESHOLD",
    "PARTIAL_CREDIT",
    "PARTIAL_THRESHOLD",
    "Status",
    "status_for",
    "suggest_rating",
]

Status = Literal["hit", "partial", "miss"]

#: A key point whose best match scores at least this (0-100) is a *hit*: about
#: three quarters of its (weighted) content was found together in the answer.
HIT_THRESHOLD = 75
#: At least this, and below :data:`HIT_THRESHOLD`, is *partial*; below is *miss*.
PARTIAL_THRESHOLD = 45

#: Credit a point earns toward coverage, per status (a miss earns 0).
HIT_CREDIT = 1.0
PARTIAL_CREDIT = 0.5

#: Overall score (weighted coverage, 0-100) → suggested FSRS rating.
#: The bands are the grading rubric's (benchmarks/scoring/RUBRIC.md): a learner who
#: recalled two thirds of the points did well (Good), a third struggled (Hard).
EASY_THRESHOLD = 90  # ≥ 90: 4 Easy, every point (or all but a sliver) covered
GOOD_THRESHOLD = 67  # ≥ 67 (two thirds): 3 Good, most points covered
HARD_THRESHOLD = 33  # ≥ 33 (one third): 2 Hard, some points; below: 1 Again


def status_for(score: float) -> Status:
    """``hit``/``partial``/``miss`` for a 0-100 point match score."""
    if score >= HIT_THRESHOLD:
        return "hit"
    if score >= PARTIAL_THRESHOLD:
        return "partial"
    return "miss"


def suggest_rating(score: int) -> int:
    """FSRS rating for an overall score: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    if score >= EASY_THRESHOLD:
        return 4
    if score >= GOOD_THRESHOLD:
        return 3
    if score >= HARD_THRESHOLD:
        return 2
    return 1
