"""Huge and odd answers: whatever a learner types or pastes, scoring returns 0-100 quickly
and the rating that follows is saved with the answer exactly as typed."""

from __future__ import annotations

import time
from pathlib import Path
from datetime import timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxotutor.scoring import score_answer

from .replay import query

MB = 1024 * 1024
MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"

ODD = {
    "empty": "",
    "only-spaces": " " * 1000,
    "only-whitespace-kinds": " \t\n\r\u3000\u00a0\u2003\u200b\ufeff" * 500,
    "only-emoji": "😀🚀👩‍💻🏳️‍🌈🇯🇵" * 2000,
    "only-nul": "\x00" * 1000,
    "nul-between-words": "managing\x00distributed\x00transactions and\x00observability",
    "control-characters": "".join(chr(c) for c in range(32)) * 50 + "Saga",
    "rtl-override": "\u202emanaging distributed transactions\u202c and \u2067observability\u2069",
    "mixed-scripts": "分散トランザクション управление διαχείριση إدارة ניהול प्रबंधन การจัดการ 관리 observability",
    "combining-marks": "o\u0301b\u0308s\u0327e\u0303rvability" + "\u0300" * 5000,
    "fullwidth": "ｍａｎａｇｉｎｇ　ｄｉｓｔｒｉｂｕｔｅｄ　ｔｒａｎｓａｃｔｉｏｎｓ",
    "halfwidth-kana": "ｵﾌﾞｻﾞｰﾊﾞﾋﾞﾘﾃｨ",
    "private-use": "\ue000\uf8ff" * 1000,
    "noncharacters": "\ufffe\uffff\U0010ffff" * 300,
}
HUGE = {
    "1mb-english-with-points": ("managing distributed transactions with Saga and distributed tracing for observability " * 20000)[:MB],
    "1mb-japanese": ("分散トランザクション管理とオブザーバビリティの確保。" * 50000)[:MB],
    "1mb-one-word": "a" * MB,
    "1mb-emoji": "😀" * MB,
    "1mb-whitespace": " \n" * (MB // 2),
    "1mb-nul": "\x00" * MB,
    "1mb-random-words": " ".join(f"w{i * 7919 % 100003}" for i in range(150000))[:MB],
}


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """A tutor on the mini deck, and its first card."""
    from cxotutor.library import sync_bundled
    from cxotutor.store import open_store
    from cxotutor.tutor import Tutor

    path = tmp_path_factory.mktemp("answers") / "answers.db"
    store = open_store(path)
    sync_bundled(store, [MINI])
    tutor = Tutor(store, tz=timezone.utc)
    yield tutor, tutor.find_card("mini", "microservices-challenges"), path
    store.dispose()


def check(result, answer: str) -> None:
    assert isinstance(result.score, int) and 0 <= result.score <= 100
    assert result.rating in (1, 2, 3, 4)
    for point in result.points:
        assert point.status in ("hit", "partial", "miss") and 0 <= point.score <= 100
        if point.evidence is not None:
            assert 0 <= point.evidence.start <= point.evidence.end <= len(answer)
            assert answer[point.evidence.start : point.evidence.end] == point.evidence.text


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_answers_score_in_range(mini, name):
    tutor, card, _path = mini
    answer = ODD[name]
    check(tutor.score(card, answer), answer)
    check(score_answer(answer, card.key_points), answer)


@pytest.mark.parametrize("name", sorted(HUGE))
def test_a_megabyte_answer_scores_in_bounded_time(mini, name):
    tutor, card, _path = mini
    answer = HUGE[name]
    start = time.perf_counter()
    result = tutor.score(card, answer)
    elapsed = time.perf_counter() - start
    check(result, answer)
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_key_points_survive_odd_surroundings(mini):
    tutor, card, _path = mini
    assert tutor.score(card, ODD["nul-between-words"]).score >= 50
    assert tutor.score(card, HUGE["1mb-english-with-points"]).score == 100
    for name in ("empty", "only-spaces", "only-whitespace-kinds", "only-emoji", "only-nul", "1mb-one-word"):
        answer = ODD[name] if name in ODD else HUGE[name]
        assert tutor.score(card, answer).score == 0, name


@pytest.mark.parametrize("name", ["only-nul", "nul-between-words", "rtl-override", "only-emoji", "1mb-japanese", "1mb-nul"])
def test_the_answer_is_saved_exactly_as_typed(mini, name):
    tutor, card, path = mini
    answer = ODD[name] if name in ODD else HUGE[name]
    result = tutor.score(card, answer)
    receipt = tutor.rate(card.id, result.rating, answer=answer, score=result)
    [row] = query(path, "SELECT answer, score FROM review WHERE id = ?", receipt.review_id)
    assert row["answer"] == answer and row["score"] == result.score


def test_a_lone_surrogate_does_not_lose_the_rating(mini):
    """Text decoded with surrogateescape (a non-UTF-8 terminal or argv) can hold lone surrogates;
    SQLite cannot store them, but the rating must still be saved."""
    tutor, card, path = mini
    answer = "distributed transactions \udcff\ud800 observability"
    result = tutor.score(card, answer)
    check(result, answer)
    receipt = tutor.rate(card.id, result.rating, answer=answer, score=result)
    [row] = query(path, "SELECT answer FROM review WHERE id = ?", receipt.review_id)
    assert row["answer"] == "distributed transactions \ufffd\ufffd observability"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_scores_in_range(mini, answer):
    tutor, card, _path = mini
    check(tutor.score(card, answer), answer)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["distributed", "transactions", "Saga", "観測", "可観測性", "\x00", "\u202e", " ", "😀", "\u3000",
                                 "observability", "分散", "トランザクション", "\n", "é", "\u0301"]), max_size=60))
def test_fragments_of_key_points_score_in_range(mini, parts):
    tutor, card, _path = mini
    answer = "".join(parts)
    check(tutor.score(card, answer), answer)
