"""Overall scoring: thresholds, ratings, weights, empty answers, the API's shapes."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

from cxotutor import scoring
from cxotutor.scoring import (
    EASY_THRESHOLD,
    GOOD_THRESHOLD,
    HARD_THRESHOLD,
    HIT_THRESHOLD,
    PARTIAL_THRESHOLD,
    AnswerScore,
    Evidence,
    KeyPointLike,
    PointScore,
    compile_key_points,
    score_answer,
    score_compiled,
    status_for,
    suggest_rating,
)

from .keypoint import KP


CARD = [
    KP("dt", "分散トランザクション管理", "managing distributed transactions", ("Saga", "2PC")),
    KP("comm", "サービス間通信の複雑性", "complexity of service-to-service communication", ("サービス間通信",)),
    KP("obs", "可観測性", "observability", ("オブザーバビリティ",)),
    KP("team", "チーム間の依存関係", "dependencies between teams", ("team dependencies",)),
]


# --- thresholds -----------------------------------------------------------------------


def test_documented_threshold_values():
    assert (HIT_THRESHOLD, PARTIAL_THRESHOLD) == (75, 45)
    assert (EASY_THRESHOLD, GOOD_THRESHOLD, HARD_THRESHOLD) == (90, 67, 33)


@pytest.mark.parametrize(
    ("score", "status"),
    [(100, "hit"), (75, "hit"), (74.9, "partial"), (45, "partial"), (44.9, "miss"), (0, "miss")],
)
def test_status_boundaries(score, status):
    assert status_for(score) == status


@pytest.mark.parametrize(
    ("score", "rating"),
    [(100, 4), (90, 4), (89, 3), (67, 3), (66, 2), (33, 2), (32, 1), (0, 1)],
)
def test_rating_boundaries(score, rating):
    assert suggest_rating(score) == rating


def test_rating_follows_coverage_on_a_four_point_card():
    full = "分散トランザクション管理、サービス間通信の複雑性、可観測性、チーム間の依存関係。"
    three = "分散トランザクション管理、サービス間通信の複雑性、可観測性。"
    two = "Sagaと可観測性"
    one = "可観測性"
    assert [score_answer(a, CARD).rating for a in (full, three, two, one)] == [4, 3, 2, 1]
    assert [score_answer(a, CARD).score for a in (full, three, two, one)] == [100, 75, 50, 25]


def test_partial_points_earn_half():
    answer = "分散トランザクション管理とサービス間通信の複雑性と可観測性、それとチーム"
    result = score_answer(answer, CARD)
    assert [p.status for p in result.points][:3] == ["hit", "hit", "hit"]
    statuses = {p.id: p.status for p in result.points}
    expected = round(100 * (3 + (0.5 if statuses["team"] == "partial" else 0)) / 4)
    assert result.score == expected


# --- empty answers ----------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["", " ", "\n\t  ", "\u3000\u3000", "。。。", "🤔"])
def test_empty_or_whitespace_answer_scores_zero(answer):
    result = score_answer(answer, CARD)
    assert result.score == 0 and result.rating == 1
    assert all(p.status == "miss" and p.score == 0 and p.evidence is None for p in result.points)


def test_no_key_points_scores_zero():
    result = score_answer("anything at all", [])
    assert result.score == 0 and result.rating == 1 and result.points == ()


def test_weights_count():
    card = [KP("big", "分散トランザクション", weight=3), KP("small", "可観測性", weight=1)]
    assert score_answer("分散トランザクション", card).score == 75
    assert score_answer("可観測性", card).score == 25


def test_zero_total_weight_does_not_divide_by_zero():
    card = [KP("a", "分散トランザクション", weight=0)]
    assert score_answer("分散トランザクション", card).score == 0


@pytest.mark.parametrize(("weight", "expected"), [(None, 50), (float("inf"), 0), (float("nan"), 0), (-2, 0)])
def test_odd_weights(weight, expected):
    # None counts as 1; infinite, NaN and negative weights count as 0.
    card = [KP("a", "分散トランザクション", weight=weight), KP("b", "可観測性")]
    assert score_answer("分散トランザクション", card).score == expected


# --- languages ----------------------------------------------------------------------


def test_answer_in_the_other_language_still_scores():
    en = "Distributed transactions with Saga, service-to-service communication gets complex, observability, team dependencies."
    assert score_answer(en, CARD).score == 100
    ja_only = [KP("dt", "分散トランザクション管理", None, ("Saga",))]
    assert score_answer("we would use the Saga pattern", ja_only).points[0].status == "hit"


# --- shapes -------------------------------------------------------------------------


def test_to_dict_shape_is_the_documented_json():
    result = score_answer("Sagaを使います", CARD)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"score", "rating", "points"}
    assert [p["id"] for p in data["points"]] == ["dt", "comm", "obs", "team"]
    first = data["points"][0]
    assert set(first) == {"id", "status", "score", "evidence"}
    assert first["evidence"] == {"start": 0, "end": 4, "text": "Saga"}
    assert data["points"][1]["evidence"] is None


def test_results_are_frozen_dataclasses():
    result = score_answer("Saga", CARD)
    for obj, name in ((result, "score"), (result.points[0], "status"), (result.points[0].evidence, "start")):
        assert dataclasses.is_dataclass(obj)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, 1)
    assert isinstance(result, AnswerScore) and isinstance(result.points[0], PointScore)
    assert isinstance(result.points[0].evidence, Evidence)


def test_deck_key_points_satisfy_the_protocol():
    from cxotutor.content import KeyPoint

    kp = KeyPoint(id="x", ja="可観測性", en="observability", aliases=["o11y"])
    assert isinstance(kp, KeyPointLike)
    assert score_answer("o11y", [kp]).points[0].status == "hit"


def test_compiled_cards_are_cached_and_reusable():
    assert compile_key_points(CARD) is compile_key_points(list(CARD))
    compiled = compile_key_points(CARD)
    assert score_compiled("Saga", compiled) == score_answer("Saga", CARD)
    assert compile_key_points(compiled) is compiled


def test_scoring_never_imports_ui_or_database():
    import subprocess
    import sys

    code = "import sys, cxotutor.scoring; print(sorted(m for m in ('textual', 'sqlalchemy', 'sqlmodel') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_api():
    for name in ("score_answer", "AnswerScore", "PointScore", "Evidence", "KeyPointLike", "suggest_rating",
                 "compile_key_points", "HIT_THRESHOLD", "PARTIAL_THRESHOLD"):
        assert name in scoring.__all__


# --- bounded work ---------------------------------------------------------------------


def test_a_megabyte_answer_does_not_freeze():
    answer = ("分散トランザクションの話。" * 80_000)[:1_000_000]
    start = time.perf_counter()
    result = score_answer(answer, CARD)
    assert time.perf_counter() - start < 2.0
    assert result.points[0].status == "hit"
    english = ("lorem ipsum dolor sit amet observability " * 30_000)[:1_000_000]
    start = time.perf_counter()
    score_answer(english, CARD)
    assert time.perf_counter() - start < 2.0


def test_huge_key_texts_are_bounded_too():
    card = [KP("long", "分散" * 200, "distributed " * 60, tuple("別名" + str(i) for i in range(50)))]
    start = time.perf_counter()
    score_answer("分散" * 5000, card)
    assert time.perf_counter() - start < 2.0
