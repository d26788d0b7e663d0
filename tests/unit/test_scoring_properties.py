"""Property tests: any answer, any key points, scores in range, evidence exact, no errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxotutor.scoring import score_answer
from cxotutor.scoring.normalize import normalize

from .keypoint import KP


# Text that mixes the scripts the scorer cares about with anything Unicode has.
_PIECES = st.sampled_from(
    ["分散", "トランザクション", "ｶﾞｲﾄﾞ", "サーバー", "々", "ー", "KPI", "EA", "Saga", "ＡＢＣ", "👍🏽", "👨‍👩‍👧",
     "e\u0301", "か\u3099", "㍿", "ﬁ", "ß", "İ", "\u3000", " ", "\n", "、", "。", "・", "idea", "managing"]
)
TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=30).map("".join),
)




KEY_POINTS = st.lists(
    st.builds(
        KP,
        id=st.text(min_size=1, max_size=5),
        ja=st.one_of(st.none(), TEXT),
        en=st.one_of(st.none(), TEXT),
        aliases=st.lists(TEXT, max_size=4).map(tuple),
        weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    ),
    max_size=6,
)

FIXED = [
    KP("dt", "分散トランザクション管理", "managing distributed transactions", ("Saga", "2PC"), 1.0),
    KP("ea", "エンタープライズアーキテクチャ", "enterprise architecture", ("EA",), 1.0),
    KP("kana", "サーバーレス", "serverless", ("ｻｰﾊﾞｰﾚｽ",), 2.0),
]


def _check(answer, key_points):
    result = score_answer(answer, key_points)
    assert isinstance(result.score, int) and 0 <= result.score <= 100
    assert result.rating in (1, 2, 3, 4)
    assert len(result.points) == len(key_points)
    for p in result.points:
        assert isinstance(p.score, int) and 0 <= p.score <= 100
        assert p.status in ("hit", "partial", "miss")
        if p.evidence is not None:
            assert 0 <= p.evidence.start <= p.evidence.end <= len(answer)
            assert answer[p.evidence.start : p.evidence.end] == p.evidence.text
        else:
            assert p.status == "miss"
    assert result.to_dict()["score"] == result.score


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_answer_scores_in_range(answer):
    _check(answer, FIXED)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, KEY_POINTS)
def test_any_answer_against_any_key_points(answer, key_points):
    _check(answer, key_points)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalised_units_map_back_inside_the_text(text):
    norm = normalize(text)
    assert len(norm.compact) == len(norm.compact_starts) == len(norm.compact_ends)
    previous = 0
    for start, end in zip(norm.compact_starts, norm.compact_ends):
        assert 0 <= start <= end <= len(text)
        assert start >= previous  # monotone
        previous = start
    for start, end in zip(norm.token_starts, norm.token_ends):
        assert 0 <= start < end <= len(text)


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_text_around_a_key_phrase_never_hides_it(before, after):
    answer = f"{before} 分散トランザクション管理 {after}"
    point = score_answer(answer, FIXED[:1]).points[0]
    assert point.status == "hit"
    assert answer[point.evidence.start : point.evidence.end] == point.evidence.text


_STEMS = st.text(alphabet="abcdefgh", max_size=9)


def _same_shape(a: str, b: str) -> bool:
    """The rule, as plainly as it can be said: could ``a`` be ``b`` misspelt, or another form of the same stem?"""
    from cxotutor.scoring.match import SHORT_WORD, TYPO_LENGTH_SLACK

    if abs(len(a) - len(b)) <= TYPO_LENGTH_SLACK:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) > SHORT_WORD + 1 and long.startswith(short)


@given(word=_STEMS, words=st.lists(_STEMS, max_size=12))
def test_the_shape_filter_keeps_exactly_the_stems_of_the_same_shape(word, words):
    from cxotutor.scoring.match import _shaped_like

    assert _shaped_like(word, [(w, len(w)) for w in words]) == [w for w in words if _same_shape(w, word)]
