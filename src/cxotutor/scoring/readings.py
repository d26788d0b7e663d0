"""Kana readings of kanji, so that ``ぶんさんトランザクション`` can match ``分散トランザクション``.

The table (``kanji_on.tsv``, from Unicode's Unihan database) gives each kanji its
on'yomi.  Most key-point vocabulary is Sino-Japanese compounds whose reading is the
concatenation of on'yomi (分散 = ぶん + さん, 冗長 = じょう + ちょう); sound changes
(発展 はつてん ↔ はってん) mostly vanish under small-kana folding, and the rest is
left to fuzzy matching.  Only key texts are converted (once per card), never answers.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from itertools import product

__all__ = ["MAX_TEXT", "MAX_VARIANTS", "kana_variants", "readings_of"]

#: At most this many kana variants per key text.
MAX_VARIANTS = 16
#: Key texts longer than this (folded) get no variants: nobody spells those in kana.
MAX_TEXT = 40

_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    text = resources.files(__package__).joinpath("kanji_on.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        char, _, readings = line.partition("\t")
        table[char] = tuple(r.translate(_SMALL_KANA) for r in readings.split())
    return table


def readings_of(char: str) -> tuple[str, ...]:
    """The folded kana readings of one kanji (empty if unknown)."""
    return _table().get(char, ())


def _runs(text: str) -> list[tuple[int, int]]:
    table = _table()
    runs: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        if ch in table:
            if start is None:
                start = i
        elif start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(text)))
    return runs


_VOICELESS = set("かきくけこさしすせそたちつてとはひふへほ")
_K_ROW = set("かきくけこ")
_H_TO_P = str.maketrans("はひふへほ", "ぱぴぷぺぽ")


def _join(readings: list[str]) -> str:
    """Join on'yomi the way compounds are pronounced (folded: small っ is つ).

    Sokuon: a reading ending in ち/つ before a voiceless kana, or in く/き before
    the k-row, doubles the next consonant (一致 いっち, 復旧 ふっきゅう, 設計
    せっけい); an h-row kana after it turns p (発表 はっぴょう).
    """
    out = readings[0]
    for nxt in readings[1:]:
        last, head = out[-1], nxt[0]
        if (last in "ちつ" and head in _VOICELESS) or (last in "くき" and head in _K_ROW):
            out = out[:-1] + "つ"
            nxt = nxt[0].translate(_H_TO_P) + nxt[1:]
        out += nxt
    return out


def _run_readings(run: str, limit: int = 8) -> list[str]:
    """Up to ``limit`` readings of a kanji run: every kanji's first on'yomi, then
    the same with one kanji at a time taking another of its readings.

    Unihan lists on'yomi in no particular order of frequency (発: ほつ ほち はつ),
    so every alternative of every kanji gets its turn.
    """
    choices = [readings_of(ch) for ch in run]
    first = [c[0] for c in choices]
    out = [_join(first)]
    for i, options in enumerate(choices):
        for option in options[1:]:
            reading = _join(first[:i] + [option] + first[i + 1 :])
            if reading not in out:
                out.append(reading)
            if len(out) >= limit:
                return out
    return out


def kana_variants(text: str, weights: tuple[float, ...]) -> list[tuple[str, tuple[float, ...]]]:
    """Variants of a folded key text with some or all kanji runs written in kana.

    ``weights`` are the per-character weights of ``text``; characters read out of a
    kanji get weight 1.  The surface text itself is not included.  Order: the
    all-kana form first, then mixed forms, then second readings; at most
    :data:`MAX_VARIANTS`.
    """
    runs = _runs(text)
    if not runs or len(text) > MAX_TEXT:
        return []
    readings = [_run_readings(text[a:b]) for a, b in runs]
    # Which runs to spell in kana: all of them first, then each subset, largest first.
    if len(runs) <= 4:
        masks = sorted(product((True, False), repeat=len(runs)), key=lambda m: -sum(m))
    else:
        masks = [(True,) * len(runs)]
    plans: list[tuple[int, ...]] = []  # per run: -1 surface, k reading k
    for mask in masks:
        if any(mask):
            plans.append(tuple(0 if m else -1 for m in mask))
    for i, options in enumerate(readings):  # other readings, one run at a time
        for k in range(1, len(options)):
            plans.append(tuple(k if j == i else 0 for j in range(len(runs))))
    out: list[tuple[str, tuple[float, ...]]] = []
    seen = {text}
    for plan in plans:
        chars: list[str] = []
        wts: list[float] = []
        pos = 0
        for (a, b), choice, options in zip(runs, plan, readings):
            chars.append(text[pos:a])
            wts.extend(weights[pos:a])
            if choice < 0:
                chars.append(text[a:b])
                wts.extend(weights[a:b])
            else:
                chars.append(options[choice])
                wts.extend([1.0] * len(options[choice]))
            pos = b
        chars.append(text[pos:])
        wts.extend(weights[pos:])
        variant = "".join(chars)
        if variant not in seen:
            seen.add(variant)
            out.append((variant, tuple(wts)))
        if len(out) >= MAX_VARIANTS:
            break
    return out
