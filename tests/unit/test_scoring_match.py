"""Matching key points in answers: the hard cases named in the scorer's brief."""

from __future__ import annotations

import pytest

from cxotutor.scoring import score_answer

from .keypoint import KP


DT = KP("dt", "分散トランザクション管理", "managing distributed transactions",
        ("分散トランザクション", "Saga", "2PC", "distributed transaction"))
OBS = KP("obs", "可観測性の確保", "ensuring observability", ("オブザーバビリティ", "分散トレーシング", "observability"))
EA = KP("ea", "エンタープライズアーキテクチャ", "enterprise architecture", ("EA",))
KPI = KP("kpi", "KPIの設定", "setting KPIs", ("KPI",))
LP = KP("lp", "最小権限の原則", "principle of least privilege", ("最小権限", "least privilege"))


def point(answer: str, kp: KP):
    return score_answer(answer, [kp]).points[0]


def test_exact_japanese_hit_with_evidence():
    answer = "最大の課題は分散トランザクション管理です。"
    p = point(answer, DT)
    assert p.status == "hit" and p.score == 100
    assert p.evidence.text == "分散トランザクション管理"
    assert answer[p.evidence.start : p.evidence.end] == p.evidence.text
    assert p.matched == "分散トランザクション管理"


def test_particles_inserted_in_a_japanese_phrase_still_hit():
    p = point("分散トランザクションの管理が難しい", DT)
    assert p.status == "hit"
    assert p.evidence.text == "分散トランザクションの管理"


def test_spaces_punctuation_and_width_do_not_matter():
    p = point("ﾌﾞﾝｻﾝ? いや、分散 トランザクション！", DT)
    assert p.status == "hit"
    assert "分散 トランザクション" in p.evidence.text


@pytest.mark.parametrize(
    "answer",
    [
        "ぶんさんとらんざくしょんのかんり",  # all kana
        "ぶんさんトランザクション",  # kana for the kanji only
        "分散とらんざくしょんかんり",
        "さいしょうけんげんのげんそく",
    ],
)
def test_kana_written_for_kanji(answer):
    kp = LP if "さいしょう" in answer else DT
    p = point(answer, kp)
    assert p.status == "hit", p
    assert p.evidence.text in answer


def test_sokuon_in_kana_spelling():
    kp = KP("r", "復旧", "recovery")
    assert point("ふっきゅう", kp).status == "hit"


def test_english_point_answered_in_japanese_and_vice_versa():
    assert point("Sagaパターンで整合性を保ちます", DT).status == "hit"
    assert point("We keep distributed transactions consistent.", DT).status == "hit"
    p = point("We need observability everywhere.", OBS)
    assert p.status == "hit" and p.evidence.text == "observability"


def test_japanese_point_answered_with_its_english_alias_inside_japanese():
    p = point("まずはobservabilityを高めます", OBS)
    assert p.status == "hit" and p.evidence.text == "observability"


@pytest.mark.parametrize("answer", ["That is a good IDEA.", "IDEAが大事", "EAST and WEST", "areas"])
def test_short_alias_does_not_match_inside_a_word(answer):
    assert point(answer, EA).status == "miss"


@pytest.mark.parametrize("answer", ["We adopted EA.", "EAを導入", "(EA)", "ＥＡの整備"])
def test_short_alias_matches_as_a_whole_token(answer):
    p = point(answer, EA)
    assert p.status == "hit" and p.evidence.text.upper().replace("Ｅ", "E").replace("Ａ", "A") == "EA"


def test_short_alias_in_japanese_point():
    assert point("SKPIは違う", KPI).status == "miss"
    assert point("まずKPIを決める", KPI).status == "hit"


def test_typos_in_english_words_still_count():
    assert point("managing distribted transactons", DT).status == "hit"


def test_a_single_common_word_is_not_a_hit():
    dq = KP("dq", "データの品質", "data quality", ("データ品質",))
    for answer in ("データが大事です", "data matters", "データ"):
        assert point(answer, dq).status != "hit", answer
    assert point("data management", KP("dm", None, "data management")).status != "hit"
    assert point("管理", KP("m", "管理", None)).status != "hit"


def test_generic_words_weigh_less_than_the_specific_ones():
    assert point("distributed transactions are hard", DT).status == "hit"  # "managing" is generic
    assert point("managing is hard", DT).status == "miss"


def test_english_word_order_is_free():
    assert point("privilege should be least", LP).status == "hit"


def test_partial_credit_for_part_of_a_point():
    cost = KP("c", "コスト最適化", "cost optimization")
    p = point("コストが大事", cost)
    assert p.status == "partial"
    assert p.evidence is not None and p.evidence.text == "コスト"


def test_miss_has_no_evidence():
    p = point("全く関係のない話です。", DT)
    assert p.status == "miss" and p.evidence is None and p.matched is None


def test_evidence_offsets_are_exact_with_emoji_and_full_width():
    answer = "🚀🚀 まず👍🏽ＳＡＧＡ（サガ）を使い、👨‍👩‍👧 分散　トランザクション管理😀を行う"
    result = score_answer(answer, [DT, OBS, LP])
    dt = result.points[0]
    assert dt.status == "hit"
    assert answer[dt.evidence.start : dt.evidence.end] == dt.evidence.text
    assert dt.evidence.text in ("ＳＡＧＡ", "分散　トランザクション管理")


def test_the_best_of_several_occurrences_is_reported():
    answer = "分散処理の話をしてから、分散トランザクション管理の話をします"
    p = point(answer, DT)
    assert p.evidence.text == "分散トランザクション管理"


def test_point_with_no_texts_is_a_miss():
    assert point("anything", KP("empty", None, None, ())).status == "miss"



def test_what_several_points_share_is_the_cards_topic():
    card = [
        KP("identify", "リスクの特定", "identifying risks"),
        KP("assess", "リスクの評価", "assessing risks"),
        KP("monitor", "継続的なモニタリング", "continuous monitoring"),
    ]
    result = score_answer("特定→評価", card)
    assert [p.status for p in result.points] == ["hit", "hit", "miss"]
    # The shared word alone says nothing about either point.
    assert [p.status for p in score_answer("リスク", card).points] == ["miss", "miss", "miss"]
    assert [p.status for p in score_answer("risks", card).points] == ["miss", "miss", "miss"]
    assert score_answer("identify and assess", card).points[1].status == "hit"


def test_a_text_that_is_all_shared_keeps_its_weights():
    card = [KP("a", "体制の構築"), KP("b", "体制の構築と運用")]
    result = score_answer("体制の構築", card)
    assert [p.status for p in result.points] == ["hit", "miss"]
    assert score_answer("運用", card).points[1].status == "hit"


# Look-alike words that are not typos, found while enriching the decks' aliases.
@pytest.mark.parametrize(
    ("kp", "answer"),
    [
        (KP("ceo", "社長", "president"), "at present we report monthly"),
        (KP("retro", "振り返り", "retrospective"), "from my perspective it is fine"),
        (KP("auto", "自動化", "automation"), "それが正しいかどうか確認します"),
    ],
)
def test_look_alike_words_are_not_evidence(kp, answer):
    assert point(answer, kp).status == "miss"


@pytest.mark.parametrize(
    ("kp", "answer"),
    [
        (KP("sec", "セキュリティ", "security"), "secuirty comes first"),  # a real typo
        (KP("rec", "復旧", "system restoration"), "we restore the systems"),  # another form of the stem
        (KP("auto", "自動化", "automation"), "じどうかを進めます"),  # kana spelt out in full
    ],
)
def test_typos_word_forms_and_kana_spellings_still_count(kp, answer):
    assert point(answer, kp).status == "hit"
