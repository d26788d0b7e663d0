"""Normalisation for scoring: folding rules (ja/en) and exact offsets back to the original."""

from __future__ import annotations

import pytest

from cxotutor.scoring.normalize import MAX_ANSWER_CHARS, fold, normalize, normalize_text, stem, word_tokens


def units(text: str) -> list[str]:
    """What each compact character maps back to in the original."""
    norm = normalize(text)
    return [text[a:b] for a, b in zip(norm.compact_starts, norm.compact_ends)]


# --- Japanese folding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("サーバー", "サーバ"),  # long-vowel mark dropped
        ("サーバー", "さーばー"),  # katakana == hiragana
        ("ｻｰﾊﾞｰ", "サーバー"),  # half-width katakana with a voiced mark
        ("トランザクション", "とらんざくしよん"),  # small kana folded to full size
        ("ヴァリュー", "ぶありゆ"),
        ("人々", "人人"),  # 々 repeats the kanji before it
        ("分散 トランザクション", "分散トランザクション"),  # spaces between Japanese words vanish
        ("分散・トランザクション", "分散トランザクション"),  # so does punctuation
        ("「分散」トランザクション。", "分散トランザクション"),
        ("か\u3099", "が"),  # a decomposed voiced mark composes
    ],
)
def test_japanese_variants_meet(a, b):
    assert normalize_text(a) == normalize_text(b)


def test_full_width_ascii_becomes_ascii_and_case_folds():
    assert normalize_text("ＫＰＩとＲＯＩ") == normalize_text("kpiとroi") == "kpiとroi"


def test_nfkc_expansions_map_to_their_source():
    assert normalize_text("㍿") == "株式会社"
    assert units("㍿です") == ["㍿", "㍿", "㍿", "㍿", "で", "す"]


def test_circled_digits_and_fullwidth_digits():
    assert normalize_text("①２3") == "123"


# --- English folding ----------------------------------------------------------------


def test_latin_words_keep_one_space_between_them():
    assert normalize_text("  Big   DATA,  small-data ") == "big data small data"


def test_latin_next_to_japanese_needs_no_space():
    assert normalize_text("AI ガバナンス") == normalize_text("AIガバナンス") == "aiがばなんす"


def test_word_tokens_are_stemmed_and_casefolded():
    assert word_tokens("Managing Distributed Transactions") == ["manag", "distribut", "transaction"]


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (["manage", "managing", "managed", "management"], True),
        (["optimisation", "optimization", "optimize", "optimise", "optimizing"], True),
        (["policy", "policies"], True),
        (["deploy", "deploying", "deployment", "deployments"], True),
        (["automate", "automation"], True),
        (["running", "run"], True),
        (["data", "date"], False),
        (["kpi", "kpis"], False),  # three letters and fewer stay as they are
    ],
)
def test_light_stemming(words, same):
    stems = {stem(w) for w in words}
    assert (len(stems) == 1) is same


def test_fold_is_readable():
    assert fold("ＣＩ／ＣＤ と サーバー！") == "ci cd と さば"


# --- offsets ------------------------------------------------------------------------


def test_offsets_with_emoji_and_full_width():
    text = "👍🏽 ＫＰＩ を 設定 🚀🚀"
    norm = normalize(text)
    assert norm.compact == "kpiを設定"
    start, end = norm.span(0, 3)
    assert text[start:end] == "ＫＰＩ"
    start, end = norm.span(0, len(norm.compact))
    assert text[start:end] == "ＫＰＩ を 設定"


def test_offsets_with_zwj_emoji_sequences_and_variation_selectors():
    text = "👨‍👩‍👧 は家族 ❤️ EA です"
    norm = normalize(text)
    assert norm.compact == "は家族eaです"
    for i in range(len(norm.compact)):
        piece = text[norm.compact_starts[i] : norm.compact_ends[i]]
        assert normalize_text(piece) == norm.compact[i]


def test_offsets_with_combining_marks_cover_the_whole_cluster():
    text = "e\u0301cole ｶﾞｲﾄﾞ"
    assert units(text)[:1] == ["e\u0301"]
    assert units(text)[-3:] == ["ｶﾞ", "ｲ", "ﾄﾞ"]


def test_token_offsets():
    text = "Ｕｓｅ　the Saga-pattern"
    norm = normalize(text)
    spans = [text[a:b] for a, b in zip(norm.token_starts, norm.token_ends)]
    assert spans == ["Ｕｓｅ", "the", "Saga", "pattern"]


def test_empty_and_separator_only_text():
    for text in ("", "   ", "\n\t", "。、！？", "🚀🚀"):
        norm = normalize(text)
        assert norm.compact == "" and norm.tokens == []


def test_very_long_text_is_bounded():
    norm = normalize("あ" * (MAX_ANSWER_CHARS + 5000))
    assert len(norm.compact) == MAX_ANSWER_CHARS
    assert len(norm.original) == MAX_ANSWER_CHARS + 5000


# --- kana readings of kanji ----------------------------------------------------------


def test_readings_table_and_variants():
    from cxotutor.scoring.readings import MAX_VARIANTS, kana_variants, readings_of

    assert readings_of("分")[0] == "ぶん" and "はつ" in readings_of("発")
    assert readings_of("a") == ()
    needle = normalize_text("分散トランザクション管理")
    variants = [v for v, _ in kana_variants(needle, (1.0,) * len(needle))]
    assert variants[0] == "ぶんさんとらんざくしよんかんり"
    assert "ぶんさんとらんざくしよん管理" in variants and len(variants) <= MAX_VARIANTS
    assert [v for v, _ in kana_variants("復旧", (1.0, 1.0))][0] == "ふつきゆう"  # ふっきゅう, folded
    assert kana_variants("とらんざくしよん", (1.0,) * 8) == []
