"""Text normalisation for scoring, with exact offsets back into the original text.

Every character of the answer is folded on its own (so offsets survive):

* Unicode NFKC (full-width ``ＡＢＣ１２３`` → ``abc123``, half-width ``ｶﾞ`` → ``が``,
  ``①`` → ``1``), then case folding;
* katakana → hiragana, small kana → full size (``ッ`` → ``つ``, ``ョ`` → ``よ``) and
  ``ヴ`` → ``ぶ``, so ``サーバー``, ``さーばー`` and ``ｻｰﾊﾞ`` meet;
* the long-vowel mark ``ー`` is dropped (``サーバー`` == ``サーバ``), ``々`` repeats the
  kanji before it;
* whitespace, punctuation, symbols and emoji are separators.

Two views are built from the folded text:

* ``compact``: the folded characters with separators removed, except that one space
  is kept between two Latin words (``big data`` stays two words, ``分散 トランザクション``
  becomes ``分散とらんざくしよん``).  Used for aligned substring matching (Japanese).
* ``tokens``: runs of Latin letters/digits, lightly stemmed; each run of other
  characters is one opaque gap token.  Used for word matching (English).

``compact_starts[i]``/``compact_ends[i]`` (and ``token_starts``/``token_ends``) give
the original ``[start, end)`` of each unit, so ``text[start:end]`` is exact even
with emoji, combining marks or NFKC expansions (``㍿`` → ``株式会社``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "MAX_ANSWER_CHARS",
    "Normalized",
    "fold",
    "is_latin",
    "normalize",
    "normalize_text",
    "stem",
    "word_tokens",
]

#: Only the first this many characters of an answer are scored, so a pasted
#: megabyte costs milliseconds, not seconds.  Offsets stay exact (they index the
#: original string); text past the limit simply cannot be evidence.
MAX_ANSWER_CHARS = 20_000

_SEP = "\x00"  # a separator in the 1:1 folded string
_COMPLEX = "\x01"  # a character that needs the slow, cluster-wise path

_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_DROP = frozenset("ー〜～")  # long-vowel mark, wave dashes
# Half-width / spacing voiced sound marks that NFKC joins to the kana before them.
_VOICED = frozenset("\uff9e\uff9f\u309b\u309c\u3099\u309a")


def is_latin(ch: str) -> bool:
    """A letter or digit of the Latin script (after folding): token material."""
    return ch.isalnum() and (ch < "\u0250" or "\u1e00" <= ch <= "\u1eff")


def _fold_chars(text: str) -> str:
    """Fold an NFKC-normalised, case-folded string; separators become ``_SEP``."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6:  # katakana → hiragana
            ch = chr(code - 0x60)
        if ch == "ゔ":
            ch = "ぶ"
        ch = ch.translate(_SMALL_KANA)
        if ch in _DROP:
            out.append(_SEP)
        elif ch.isalnum() or ch == "々":
            out.append(ch)
        elif unicodedata.category(ch).startswith("M"):
            continue  # a combining mark: part of the character before it
        else:
            out.append(_SEP)
    return "".join(out)


def fold(text: str) -> str:
    """Fold ``text`` as the scorer does, keeping separators as single spaces.

    A convenience for tests and humans; the scorer itself uses :func:`normalize`.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    folded = _fold_chars("".join(ch for ch in text if ch not in _DROP))
    return re.sub(f"{_SEP}+", " ", folded).strip()


class _FoldTable(dict):
    """``str.translate`` table that folds each character on first sight."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _VOICED or unicodedata.category(ch).startswith("M"):
            value = _COMPLEX
        else:
            folded = _fold_chars(unicodedata.normalize("NFKC", ch).casefold())
            if len(folded) == 1:
                value = folded
            elif not folded:
                value = _SEP
            else:
                value = _COMPLEX
        self[code] = value
        return value


_TABLE = _FoldTable()


def _fold_slow(text: str) -> tuple[str, list[int], list[int]]:
    """Fold cluster by cluster (a base character and the marks after it)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (text[j] in _VOICED or unicodedata.category(text[j]).startswith("M")):
            j += 1
        folded = _fold_chars(unicodedata.normalize("NFKC", text[i:j]).casefold()) or _SEP
        for ch in folded:
            chars.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(chars), starts, ends


def _repeat_marks(folded: str) -> str:
    """``々`` stands for the character before it (人々 → 人人)."""
    chars = list(folded)
    for i, ch in enumerate(chars):
        if ch == "々":
            chars[i] = chars[i - 1] if i and chars[i - 1] not in (_SEP, "々") else _SEP
    return "".join(chars)


_RUN = re.compile(f"[^{_SEP}]+")
_LATIN_RUN = re.compile(r"[0-9a-z\u00df-\u024f\u1e00-\u1eff]+")
_GAP_RUN = re.compile(f"[^{_SEP}0-9a-z\u00df-\u024f\u1e00-\u1eff]+")
_TOKEN = re.compile(f"({_LATIN_RUN.pattern})|{_GAP_RUN.pattern}")


# --- English: light stemming -------------------------------------------------------

_STEM_EXCEPTIONS = {
    "data": "data", "analysis": "analysis", "basis": "basis", "crisis": "crisis",
    "process": "process", "access": "access", "business": "business", "success": "success",
    "bias": "bias", "status": "status", "its": "its", "this": "this", "has": "has",
    "was": "was", "is": "is", "us": "us", "as": "as", "ops": "ops", "devops": "devops",
    "finops": "finops", "mlops": "mlops", "aiops": "aiops", "secops": "secops",
    "devsecops": "devsecops", "kubernetes": "kubernetes", "news": "news",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately light English stemmer: plurals, -ing/-ed, -ise/-ize, -ation.

    Words of three letters or fewer, digits and known terms are left alone.  It
    only needs to make ``managing``/``managed``/``management``/``manage`` and
    ``optimisation``/``optimization``/``optimize`` meet; typos are handled by fuzzy
    token matching, not here.
    """
    if len(word) <= 3 or not word.isalpha() or word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS.get(word, word)
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    w = w.replace("isation", "ization").replace("ising", "izing").replace("ised", "ized")
    if w.endswith("ise") and len(w) > 5:
        w = w[:-3] + "ize"
    for suffix in ("ization", "ation", "ment", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix == "ization":
                w += "iz"
            elif suffix == "ation":
                w += "at"
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":  # running → run
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


# --- the normalised answer ---------------------------------------------------------


@dataclass(slots=True)
class Normalized:
    """An answer folded for matching, with offsets into ``original``."""

    original: str
    compact: str
    compact_starts: list[int]
    compact_ends: list[int]
    tokens: list[str]  # stems; "" for a gap (a run of non-Latin text)
    token_starts: list[int]
    token_ends: list[int]
    charset: frozenset[str]
    index: dict[str, list[int]]  # stem → token positions
    _fuzzy: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _words: list[tuple[str, int]] | None = None  # (stem, length) of the stems fuzzy matching may pick

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of compact characters ``[start, end)``."""
        return self.compact_starts[start], self.compact_ends[end - 1]

    def token_span(self, first: int, last: int) -> tuple[int, int]:
        """Original ``[start, end)`` of tokens ``first..last`` (inclusive)."""
        return self.token_starts[first], self.token_ends[last]


def _fold_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    folded = text.translate(_TABLE)
    if _COMPLEX in folded:
        folded, starts, ends = _fold_slow(text)
    else:
        starts = list(range(len(text)))
        ends = list(range(1, len(text) + 1))
    if "々" in folded:
        folded = _repeat_marks(folded)
    return folded, starts, ends


def normalize(text: str) -> Normalized:
    """Fold ``text`` (its first :data:`MAX_ANSWER_CHARS` characters) for matching."""
    original = text
    text = text[:MAX_ANSWER_CHARS]
    folded, starts, ends = _fold_with_offsets(text)

    parts: list[str] = []
    c_starts: list[int] = []
    c_ends: list[int] = []
    prev_end = -1
    prev_latin = False
    for m in _RUN.finditer(folded):
        a, b = m.span()
        run = m.group()
        if prev_latin and is_latin(run[0]):
            # The space stands for the separator between the words (which may lie
            # inside one original character when NFKC expands it: ¼ → 1⁄4).
            gap = (ends[prev_end - 1], starts[a])
            parts.append(" ")
            c_starts.append(min(gap))
            c_ends.append(max(gap))
        parts.append(run)
        c_starts.extend(starts[a:b])
        c_ends.extend(ends[a:b])
        prev_end = b
        prev_latin = is_latin(run[-1])
    compact = "".join(parts)

    tokens: list[str] = []
    t_starts: list[int] = []
    t_ends: list[int] = []
    index: dict[str, list[int]] = {}
    for m in _TOKEN.finditer(folded):
        a, b = m.span()
        word = m.group(1)
        if word:
            word = stem(word)
            index.setdefault(word, []).append(len(tokens))
        else:
            word = ""
        tokens.append(word)
        t_starts.append(starts[a])
        t_ends.append(ends[b - 1])

    return Normalized(
        original=original,
        compact=compact,
        compact_starts=c_starts,
        compact_ends=c_ends,
        tokens=tokens,
        token_starts=t_starts,
        token_ends=t_ends,
        charset=frozenset(compact),
        index=index,
    )


def normalize_text(text: str) -> str:
    """The compact folded form of ``text`` (what Japanese matching compares)."""
    return normalize(text).compact


def word_tokens(text: str) -> list[str]:
    """The stemmed Latin tokens of ``text`` (what English matching compares)."""
    return [t for t in normalize(text).tokens if t]
