"""Answer scoring: which key points a typed answer covers, and a suggested FSRS rating.

Pure Python on rapidfuzz: no Textual, no database, no network, no models.

>>> from cxotutor.scoring import score_answer
>>> result = score_answer(answer_text, card.key_points)
>>> result.score, result.rating, [p.status for p in result.points]

See docs/scoring.md for how normalisation, matching and the thresholds work.
"""

from cxotutor.scoring.normalize import MAX_ANSWER_CHARS, normalize, normalize_text
from cxotutor.scoring.rating import (
    EASY_THRESHOLD,
    GOOD_THRESHOLD,
    HARD_THRESHOLD,
    HIT_CREDIT,
    HIT_THRESHOLD,
    PARTIAL_CREDIT,
    PARTIAL_THRESHOLD,
    Status,
    status_for,
    suggest_rating,
)
from cxotutor.scoring.result import AnswerScore, Evidence, KeyPointLike, PointScore
from cxotutor.scoring.scorer import CompiledCard, compile_key_points, score_answer, score_compiled

__all__ = [
    "AnswerScore",
    "CompiledCard",
    "EASY_THRESHOLD",
    "Evidence",
    "GOOD_THRESHOLD",
    "HARD_THRESHOLD",
    "HIT_CREDIT",
    "HIT_THRESHOLD",
    "KeyPointLike",
    "MAX_ANSWER_CHARS",
    "PARTIAL_CREDIT",
    "PARTIAL_THRESHOLD",
    "PointScore",
    "Status",
    "compile_key_points",
    "normalize",
    "normalize_text",
    "score_answer",
    "score_compiled",
    "status_for",
    "suggest_rating",
]
