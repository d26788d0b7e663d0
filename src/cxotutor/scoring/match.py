"""Matching one key point against a normalised answer.

Each key text (the point's ``ja``, its ``en`` and every alias) is compiled once into
a *needle*:

* a text with any Japanese in it becomes a **character needle**, matched by aligned
  substring search over the answer's compact form (Japanese has no spaces): rapidfuzz
  finds the best window, an LCS alignment inside it (allowing a little slack for
  inserted particles) says which needle characters were found;
* a purely Latin text becomes a **token needle**, matched word by word (light
  stemming, fuzzy for typos in words of five letters or more) inside a window of
  the answer's tokens, in any order.

A character needle's chunks (runs of kanji, katakana, Latin) may also be found
apart, in any order, within a window twice its length.

Either way the match score is the *weighted share of the needle found*, 0-100.
Weights: content characters/words 1, hiragana (particles, okurigana) 0.5, generic
words (管理, データ, management, data, …) 0.5, what other key points of the card
also say × 0.1, English stop words 0.  A needle that is nothing but a generic word
can never reach a hit.  Latin words of three
characters or fewer (``EA``, ``KPI``, ``2PC``) must match a whole token exactly,
never the inside of a word (``IDEA``).  Kana spellings of kanji (``ぶんさん`` for
``分散``) are extra needles that only count when they reach a hit.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from cxotutor.scoring.normalize import Normalized, is_latin, normalize, normalize_text
from cxotutor.scoring.rating import HIT_THRESHOLD, PARTIAL_THRESHOLD
from cxotutor.scoring.readings import kana_variants

__all__ = [
    "CharNeedle",
    "GENERIC_EN",
    "GENERIC_JA",
    "GENERIC_WEIGHT",
    "KANA_WEIGHT",
    "Match",
    "SHARED_WEIGHT",
    "STOPWORDS_EN",
    "Shared",
    "TOKEN_FUZZY_CUTOFF",
    "TokenNeedle",
    "compile_text",
    "match_needle",
    "shared_terms",
]

KANA_WEIGHT = 0.5
GENERIC_WEIGHT = 0.5
#: What several key points of one card have in common (リスクの特定 / リスクの評価) is
#: the card's topic, not the point: it weighs this much, so "特定" can answer the first.
SHARED_WEIGHT = 0.1
#: ...unless that would leave a key text less than this share of its own content.
MIN_OWN_SHARE = 0.25
_PARTICLES = frozenset("のをはがにとでやへも")
#: Minimum rapidfuzz ratio (after stemming) for two different words to count as
#: the same word misspelt; their similarity (ratio/100) is the credit.
TOKEN_FUZZY_CUTOFF = 80
#: Words this short (and any word with a digit) must match exactly.
SHORT_WORD = 3
#: Needles this short (folded characters) must occur exactly.
SHORT_NEEDLE = 3
#: Kana spellings of kanji this short must occur exactly (longer ones stay fuzzy:
#: the readings table guesses okurigana, ふうじこむめ for 封じ込め).
EXACT_READING = 4
#: A misspelt word keeps its length give or take this much (president ≠ present),
#: unless one stem extends the other (restor / restorat: the light stemmer's gaps).
TYPO_LENGTH_SLACK = 1

# Words that alone say little about any particular key point.  Kept short on purpose.
GENERIC_JA = tuple(
    normalize_text(w)
    for w in (
        "管理 戦略 技術 データ 情報 システム 導入 活用 強化 推進 向上 対応 構築 組織 企業 "
        "事業 ビジネス サービス プロセス 課題 問題 重要 必要 確保 実施 検討 改善 全体 業務 仕組み"
    ).split()
)
GENERIC_EN = frozenset(
    "manag data information system process business servic strategi technologi use "
    "base approach ensur improv implement organiz compani".split()
)
STOPWORDS_EN = frozenset(
    "a an the of to in on for and or with by as at from into via is are be been being "
    "it its this that these those their our your we you they i e g eg ie etc vs per "
    "not no than then so such can will should must may do does how what which who".split()
)


@dataclass(frozen=True, slots=True)
class Shared:
    """Folded bigrams and English stems found in two or more key points of a card."""

    bigrams: frozenset[str]
    words: frozenset[str]


def shared_terms(texts_per_point: list[list[str]]) -> Shared:
    """What the key points of one card have in common (see :data:`SHARED_WEIGHT`)."""
    bigram_points: dict[str, set[int]] = {}
    word_points: dict[str, set[int]] = {}
    for i, texts in enumerate(texts_per_point):
        for text in texts:
            norm = normalize(text)
            compact = norm.compact
            for j in range(len(compact) - 1):
                pair = compact[j : j + 2]
                if " " not in pair and not is_latin(pair[0]) and not is_latin(pair[1]):
                    bigram_points.setdefault(pair, set()).add(i)
            for word in norm.tokens:
                if word and word not in STOPWORDS_EN:
                    word_points.setdefault(word, set()).add(i)
    return Shared(
        frozenset(k for k, v in bigram_points.items() if len(v) > 1),
        frozenset(k for k, v in word_points.items() if len(v) > 1),
    )


def _discount(weights: list[float], marked: list[bool]) -> list[float]:
    total = sum(weights)
    own = sum(w for w, m in zip(weights, marked) if not m)
    if not any(marked) or own < MIN_OWN_SHARE * total:
        return weights
    return [w * SHARED_WEIGHT if m else w for w, m in zip(weights, marked)]


@dataclass(frozen=True, slots=True)
class CharNeedle:
    text: str  # the key text or alias as written (what ``matched`` reports)
    needle: str  # folded, compact
    weights: tuple[float, ...]
    total: float
    variant: bool  # a kana spelling of the text: counts only from a hit
    exact: bool  # too short for fuzzy matching
    head: int  # length of a Latin run at the start (must begin on a word boundary)
    tail: int  # length of a Latin run at the end
    cap: float  # highest score the needle may give (generic-only needles stay partial)
    # Content chunks (runs of kanji, katakana, Latin; particles between them left
    # out) as (start, end) in ``needle``, when there are two or more: they may also
    # be found apart, in any order, within a window (リソースをイノベーションに再配分).
    chunks: tuple[tuple[int, int], ...] = ()
    chunk_weights: tuple[float, ...] = ()
    by_char: tuple[tuple[str, float], ...] = ()  # weight per distinct character

    def __post_init__(self) -> None:
        if not self.by_char:
            totals: dict[str, float] = {}
            for ch, w in zip(self.needle, self.weights):
                totals[ch] = totals.get(ch, 0.0) + w
            object.__setattr__(self, "by_char", tuple(totals.items()))


@dataclass(frozen=True, slots=True)
class TokenNeedle:
    text: str
    tokens: tuple[str, ...]  # stems
    weights: tuple[float, ...]
    total: float
    exact: tuple[bool, ...]
    span: int  # widest answer window, in tokens
    cap: float


Needle = CharNeedle | TokenNeedle


@dataclass(frozen=True, slots=True)
class Match:
    score: float  # 0-100
    start: int  # original offsets in the answer
    end: int
    text: str  # the needle's text


def _has_japanese(text: str) -> bool:
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
        or "\uff66" <= ch <= "\uff9f" or "\U00020000" <= ch <= "\U0003ffff"
        for ch in text
    )


def _script(ch: str) -> str:
    if "\u3041" <= ch <= "\u309f":
        return "h"
    if "\u30a0" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f":
        return "k"
    if is_latin(ch):
        return "L"
    return "K"  # kanji and anything else that is a letter


def _chunks(text: str, norm: Normalized) -> tuple[tuple[int, int], ...]:
    """Runs of one script in the folded key text, split at particles and spaces."""
    chunks: list[tuple[int, int]] = []
    start = None
    kind = ""
    needle = norm.compact
    for i, ch in enumerate(needle):
        this = "" if ch == " " else _script(text[norm.compact_starts[i]])
        if this in ("", "h"):
            if start is not None:
                chunks.append((start, i))
                start = None
            continue
        if start is not None and this != kind:
            chunks.append((start, i))
            start = None
        if start is None:
            start, kind = i, this
    if start is not None:
        chunks.append((start, len(needle)))
    return tuple(chunks) if len(chunks) >= 2 else ()


def _char_needles(text: str, shared: Shared | None = None) -> list[CharNeedle]:
    norm = normalize(text)
    needle = norm.compact
    if not needle.strip():
        return []
    weights = []
    for i, ch in enumerate(needle):
        source = text[norm.compact_starts[i]]
        if ch == " ":
            weights.append(0.0)
        elif "\u3041" <= source <= "\u309f":
            weights.append(KANA_WEIGHT)
        else:
            weights.append(1.0)
    generic_only = False
    for term in GENERIC_JA:
        start = needle.find(term)
        while start >= 0:
            if term == needle:
                generic_only = True
            for i in range(start, start + len(term)):
                weights[i] = min(weights[i], GENERIC_WEIGHT)
            start = needle.find(term, start + 1)
    if shared is not None and shared.bigrams:
        marked = [False] * len(needle)
        for i in range(len(needle) - 1):
            if needle[i : i + 2] in shared.bigrams:
                marked[i] = marked[i + 1] = True
        # A particle hanging on a shared word goes with it (リスク「の」特定).
        hanging = [
            ch in _PARTICLES and not marked[i] and ((i and marked[i - 1]) or (i + 1 < len(needle) and marked[i + 1]))
            for i, ch in enumerate(needle)
        ]
        weights = _discount(weights, [m or bool(h) for m, h in zip(marked, hanging)])
    head = 0
    while head < len(needle) and is_latin(needle[head]):
        head += 1
    tail = 0
    while tail < len(needle) and is_latin(needle[-1 - tail]):
        tail += 1
    cap = HIT_THRESHOLD - 1 if generic_only else 100.0
    weights_t = tuple(weights)
    exact = len(needle) <= SHORT_NEEDLE
    chunks = () if exact else _chunks(text, norm)
    chunk_weights = tuple(sum(weights_t[a:b]) for a, b in chunks)
    out = [CharNeedle(text, needle, weights_t, sum(weights_t) or 1.0, False, exact, head, tail, cap,
                      chunks, chunk_weights)]
    for variant, wts in kana_variants(needle, weights_t):
        # A reading is only evidence when it is spelt out whole: a fuzzy じどうか
        # would otherwise find どうか ("whether") in any sentence.
        short = len(variant) <= EXACT_READING
        out.append(CharNeedle(text, variant, wts, sum(wts) or 1.0, True, short, 0, 0, cap))
    return out


def _token_needle(text: str, shared: Shared | None = None) -> TokenNeedle | None:
    words = [t for t in normalize(text).tokens if t]
    if not words:
        return None
    content = [w for w in words if w not in STOPWORDS_EN] or words
    weights_l = [GENERIC_WEIGHT if w in GENERIC_EN else 1.0 for w in content]
    if shared is not None and shared.words:
        weights_l = _discount(weights_l, [w in shared.words for w in content])
    weights = tuple(weights_l)
    exact = tuple(len(w) <= SHORT_WORD or not w.isalpha() for w in content)
    generic_only = all(w in GENERIC_EN or w in STOPWORDS_EN for w in content)
    cap = HIT_THRESHOLD - 1 if generic_only else 100.0
    return TokenNeedle(text, tuple(content), weights, sum(weights), exact, 2 * len(words) + 3, cap)


def compile_text(text: str, shared: Shared | None = None) -> list[Needle]:
    """The needles for one key text or alias (empty for a blank text).

    ``shared`` holds what the card's other key points also say (see
    :func:`shared_terms`); those parts of ``text`` weigh less.
    """
    if not text or not text.strip():
        return []
    if _has_japanese(text):
        return list(_char_needles(text, shared))
    needle = _token_needle(text, shared)
    if needle is not None:
        return [needle]
    # No Latin words and no Japanese (digits-only Greek, symbols…): compare characters.
    return list(_char_needles(text, shared))


# --- matching ------------------------------------------------------------------------


def _match_chars(n: CharNeedle, ans: Normalized, floor: float) -> Match | None:
    found = _match_aligned(n, ans, floor)
    if n.chunks and (found is None or found.score < HIT_THRESHOLD):
        apart = _match_chunks(n, ans, max(floor, found.score if found else 0.0))
        if apart is not None and (found is None or apart.score > found.score):
            return apart
    return found


def _match_aligned(n: CharNeedle, ans: Normalized, floor: float) -> Match | None:
    needle = n.needle
    hay = ans.compact
    charset = ans.charset
    # Upper bound: weight of the needle characters that occur anywhere in the answer.
    present = 0.0
    for ch, w in n.by_char:
        if ch in charset:
            present += w
    if present * 100 < floor * n.total or not hay:
        return None
    size = len(needle)

    if n.exact:
        start = hay.find(needle)
        while start >= 0:
            end = start + size
            if not (
                (n.head and start > 0 and is_latin(hay[start - 1]))
                or (n.tail and end < len(hay) and is_latin(hay[end]))
            ):
                a, b = ans.span(start, end)
                return Match(min(100.0, n.cap), a, b, n.text)
            start = hay.find(needle, start + 1)
        return None

    if len(hay) <= size:
        lo, hi = 0, len(hay)
    else:
        # The window is chosen on plain characters; the cut-off only prunes hopeless cases.
        found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=max(0.0, floor - 25))
        if found is None:
            return None
        slack = max(1, size // 6)
        lo = max(0, min(found.dest_start, len(hay) - size) - slack)
        hi = min(len(hay), max(found.dest_end, lo + size + slack) + slack)
    region = hay[lo:hi]
    blocks = [b for b in LCSseq.editops(needle, region).as_matching_blocks() if b.size]
    if not blocks:
        return None
    weights = n.weights
    got = 0.0
    for block in blocks:
        for i in range(block.a, block.a + block.size):
            got += weights[i]
    first = lo + blocks[0].b
    last = lo + blocks[-1].b + blocks[-1].size
    # A Latin run at the needle's edge must not start/end inside an answer word.
    if n.head and blocks[0].a == 0 and first > 0 and is_latin(hay[first - 1]):
        got -= sum(weights[: min(n.head, blocks[0].size)])
    if n.tail and blocks[-1].a + blocks[-1].size == size and last < len(hay) and is_latin(hay[last]):
        got -= sum(weights[size - min(n.tail, blocks[-1].size) :])
    score = min(n.cap, 100.0 * got / n.total)
    if score <= 0:
        return None
    a, b = ans.span(first, last)
    return Match(score, a, b, n.text)


def _match_chunks(n: CharNeedle, ans: Normalized, floor: float) -> Match | None:
    """The needle's chunks found apart, in any order, inside one window."""
    hay = ans.compact
    total = sum(n.chunk_weights)
    if total <= 0:
        return None
    occurrences: list[tuple[int, int, int, float]] = []  # (start, end, chunk, credit)
    reachable = 0.0
    for ci, (a, b) in enumerate(n.chunks):
        piece = n.needle[a:b]
        latin = is_latin(piece[0])
        best = 0.0
        start = hay.find(piece)
        seen = 0
        while start >= 0 and seen < 20:
            end = start + len(piece)
            if not latin or (
                (start == 0 or not is_latin(hay[start - 1])) and (end == len(hay) or not is_latin(hay[end]))
            ):
                occurrences.append((start, end, ci, 1.0))
                best = 1.0
            start = hay.find(piece, start + 1)
            seen += 1
        if best < 1.0 and len(piece) >= 4 and not latin:
            near = fuzz.partial_ratio_alignment(piece, hay, score_cutoff=60)
            if near is not None:
                region = hay[near.dest_start : near.dest_end]
                blocks = [blk for blk in LCSseq.editops(piece, region).as_matching_blocks() if blk.size]
                credit = sum(blk.size for blk in blocks) / len(piece)
                if blocks and credit >= 0.6:
                    first = near.dest_start + blocks[0].b
                    last = near.dest_start + blocks[-1].b + blocks[-1].size
                    occurrences.append((first, last, ci, credit))
                    best = credit
        reachable += best * n.chunk_weights[ci]
    if reachable * 100 < floor * total or not occurrences:
        return None
    occurrences.sort()
    max_span = 2 * len(n.needle) + 4
    weights = n.chunk_weights
    best_value = 0.0
    best_range = (0, 0)
    for s in range(len(occurrences)):
        first = occurrences[s][0]
        credit = [0.0] * len(weights)
        last = first
        for e in range(s, len(occurrences)):
            start, end, ci, value = occurrences[e]
            if end - first > max_span:
                break
            if value > credit[ci]:
                credit[ci] = value
                last = max(last, end)
                total_value = sum(c * w for c, w in zip(credit, weights))
                if total_value > best_value + 1e-9:
                    best_value = total_value
                    best_range = (first, last)
    score = min(n.cap, 100.0 * best_value / total)
    if score <= 0:
        return None
    a, b = ans.span(*best_range)
    return Match(score, a, b, n.text)


def _shaped_like(word: str, words: list[tuple[str, int]]) -> list[str]:
    """The stems of ``(stem, length)`` pairs that could be ``word`` misspelt or another form of
    its stem, in order: lengths within ``TYPO_LENGTH_SLACK``, or the shorter one, longer than
    ``SHORT_WORD + 1``, starting the longer one.

    Written out in one comprehension: it runs for every answer word against every needle
    word not found as it is.
    """
    length = len(word)
    long_enough = length > SHORT_WORD + 1
    return [
        w
        for w, n in words
        if abs(n - length) <= TYPO_LENGTH_SLACK
        or ((long_enough and w.startswith(word)) if n > length else (n > SHORT_WORD + 1 and word.startswith(w)))
    ]


def _fuzzy(ans: Normalized, word: str) -> list[tuple[str, float]]:
    cached = ans._fuzzy.get(word)
    if cached is not None:
        return cached
    if ans._words is None:  # once per answer, not once per needle word
        ans._words = [(w, len(w)) for w in ans.index if len(w) > SHORT_WORD and w.isalpha()]
    choices = _shaped_like(word, ans._words)
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=TOKEN_FUZZY_CUTOFF, limit=None)
    result = [(choice, score / 100.0) for choice, score, _ in found]
    ans._fuzzy[word] = result
    return result


def _match_tokens(n: TokenNeedle, ans: Normalized, floor: float) -> Match | None:
    index = ans.index
    if not index:
        return None
    occurrences: list[tuple[int, int, float]] = []  # (token position, needle word, credit)
    reachable = 0.0
    for i, word in enumerate(n.tokens):
        positions = index.get(word)
        best = 0.0
        if positions:
            occurrences.extend((p, i, 1.0) for p in positions)
            best = 1.0
        elif not n.exact[i] and len(word) >= SHORT_WORD + 2:
            for other, sim in _fuzzy(ans, word):
                occurrences.extend((p, i, sim) for p in index[other])
                best = max(best, sim)
        reachable += best * n.weights[i]
    if reachable * 100 < floor * n.total:
        return None
    occurrences.sort()
    weights = n.weights
    k = len(n.tokens)
    best_value = 0.0
    best_range = (0, 0)
    for s in range(len(occurrences)):
        start_pos = occurrences[s][0]
        credit = [0.0] * k
        for e in range(s, len(occurrences)):
            pos, i, sim = occurrences[e]
            if pos - start_pos >= n.span:
                break
            if sim > credit[i]:
                credit[i] = sim
                value = sum(c * w for c, w in zip(credit, weights))
                if value > best_value + 1e-9:
                    best_value = value
                    best_range = (start_pos, pos)
    if best_value <= 0:
        return None
    score = min(n.cap, 100.0 * best_value / n.total)
    a, b = ans.token_span(*best_range)
    return Match(score, a, b, n.text)


def match_needle(needle: Needle, ans: Normalized, floor: float = PARTIAL_THRESHOLD) -> Match | None:
    """The needle's best match in the answer, or None if it cannot reach ``floor``."""
    if isinstance(needle, CharNeedle):
        if needle.variant:
            floor = max(floor, HIT_THRESHOLD)
        found = _match_chars(needle, ans, floor)
        if found is not None and needle.variant and found.score < HIT_THRESHOLD:
            return None
        return found
    return _match_tokens(needle, ans, floor)
