"""Scoring an answer against a card's key points."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from cxotutor.scoring.match import Needle, compile_text, match_needle, shared_terms
from cxotutor.scoring.normalize import normalize
from cxotutor.scoring.rating import (
    HIT_CREDIT,
    PARTIAL_CREDIT,
    PARTIAL_THRESHOLD,
    status_for,
    suggest_rating,
)
from cxotutor.scoring.result import AnswerScore, Evidence, KeyPointLike, PointScore

__all__ = ["CompiledCard", "CompiledPoint", "compile_key_points", "score_answer", "score_compiled"]


@dataclass(frozen=True, slots=True)
class CompiledPoint:
    id: str
    weight: float
    needles: tuple[Needle, ...]


@dataclass(frozen=True, slots=True)
class CompiledCard:
    """A card's key points, ready to match many answers."""

    points: tuple[CompiledPoint, ...]


_PointKey = tuple[str, str | None, str | None, tuple[str, ...], float]


@lru_cache(maxsize=4096)
def _compile(key: tuple[_PointKey, ...]) -> CompiledCard:
    texts = [[t for t in dict.fromkeys((ja, en, *aliases)) if t] for _, ja, en, aliases, _ in key]
    shared = shared_terms(texts)
    points = []
    for (pid, _, _, _, weight), point_texts in zip(key, texts):
        needles: list[Needle] = []
        for text in point_texts:
            needles.extend(compile_text(text, shared))
        # Surface needles before kana spellings, so ties report the text as written.
        needles.sort(key=lambda n: getattr(n, "variant", False))
        points.append(CompiledPoint(pid, weight, tuple(needles)))
    return CompiledCard(tuple(points))


def _weight(point: object) -> float:
    """A point's weight: 1 when unset, 0 when negative or not a finite number."""
    weight = getattr(point, "weight", 1.0)
    if weight is None:
        return 1.0
    try:
        value = float(weight)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def compile_key_points(key_points: Sequence[KeyPointLike] | CompiledCard) -> CompiledCard:
    """Compile (and cache) a card's key points for fast repeated scoring."""
    if isinstance(key_points, CompiledCard):
        return key_points
    key = tuple((str(p.id), p.ja, p.en, tuple(p.aliases or ()), _weight(p)) for p in key_points)
    return _compile(key)


def score_compiled(answer: str, card: CompiledCard) -> AnswerScore:
    """Score ``answer`` against a compiled card (see :func:`score_answer`)."""
    ans = normalize(answer or "")
    results: list[PointScore] = []
    earned = 0.0
    possible = 0.0
    for point in card.points:
        best = None
        if ans.compact:
            floor = float(PARTIAL_THRESHOLD)
            for needle in point.needles:
                found = match_needle(needle, ans, floor)
                if found is not None and (best is None or found.score > best.score):
                    best = found
                    floor = max(floor, found.score + 1e-6)
                    if found.score >= 100:
                        break
        score = int(round(best.score)) if best else 0
        status = status_for(score)
        if status == "miss" or best is None:
            results.append(PointScore(point.id, "miss", score, None, None))
        else:
            evidence = Evidence(best.start, best.end, answer[best.start : best.end])
            results.append(PointScore(point.id, status, score, evidence, best.text))
            earned += point.weight * (HIT_CREDIT if status == "hit" else PARTIAL_CREDIT)
        possible += point.weight
    total = int(round(100 * earned / possible)) if possible > 0 else 0
    total = max(0, min(100, total))
    return AnswerScore(total, suggest_rating(total), tuple(results))


def score_answer(answer: str, key_points: Sequence[KeyPointLike]) -> AnswerScore:
    """Score a typed answer against a card's key points.

    Every point is matched on its ``ja`` text, its ``en`` text and each alias (so an
    answer in either language scores), giving a status (hit/partial/miss), a 0-100
    match score and the evidence span in ``answer``.  The overall score is the
    weighted coverage (hit 1, partial 0.5) and the rating follows from it
    (:func:`~cxotutor.scoring.rating.suggest_rating`).  An empty answer scores 0.
    """
    return score_compiled(answer, compile_key_points(key_points))
