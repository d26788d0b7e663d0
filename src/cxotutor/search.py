"""Fuzzy search over cards: questions, key points and aliases, in Japanese and English.

Text is folded the way the scorer folds answers (NFKC, case, katakana to
hiragana, long-vowel marks), so ``サーバー``, ``さーば`` and ``ｻｰﾊﾞ`` find each
other; rapidfuzz then ranks by the best partial match per card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from cxotutor.store.tables import CardRow, DeckRow

if TYPE_CHECKING:
    from cxotutor.tutor import Tutor

FIELDS = ("question", "key point", "alias", "answer")
MIN_SCORE = 70


@dataclass(frozen=True)
class CardEntry:
    card_id: int
    deck_id: str
    key: str
    role: str
    question_ja: str | None
    question_en: str | None

    def question(self, lang: str) -> str:
        first, second = (self.question_ja, self.question_en) if lang == "ja" else (self.question_en, self.question_ja)
        return first or second or ""


@dataclass(frozen=True)
class SearchHit:
    entry: CardEntry
    score: float  # 0-100
    field: str  # which kind of text matched best (one of FIELDS)
    text: str  # the text that matched, as written in the deck


def _fold(text: str) -> str:
    from cxotutor.scoring import normalize_text

    return normalize_text(text)


class SearchIndex:
    """The searchable text of every live card, folded once; searching is then in memory."""

    def __init__(self, entries: list[CardEntry], texts: list[tuple[int, str, str, str]]):
        self.entries = entries
        # (entry index, field, original text, folded text)
        self._texts = texts
        self._choices = [folded for _i, _f, _o, folded in texts]

    @classmethod
    def build(cls, tutor: Tutor) -> SearchIndex:
        import json

        with tutor.store.read() as session:
            rows = session.execute(
                select(
                    CardRow.id, CardRow.deck_id, CardRow.key, DeckRow.role, CardRow.question_ja, CardRow.question_en,
                    CardRow.key_points, CardRow.answer_ja, CardRow.answer_en,
                )
                .join(DeckRow, DeckRow.id == CardRow.deck_id)
                .where(CardRow.retired.is_(False), DeckRow.removed.is_(False))
                .order_by(DeckRow.role, CardRow.deck_id, CardRow.position)
            ).all()
        entries: list[CardEntry] = []
        texts: list[tuple[int, str, str, str]] = []
        for card_id, deck_id, key, role, q_ja, q_en, key_points, a_ja, a_en in rows:
            index = len(entries)
            entries.append(CardEntry(card_id, deck_id, key, role, q_ja, q_en))
            parts: list[tuple[str, str | None]] = [("question", q_ja), ("question", q_en)]
            for kp in json.loads(key_points):
                parts += [("key point", kp.get("ja")), ("key point", kp.get("en"))]
                parts += [("alias", alias) for alias in kp.get("aliases", ())]
            parts += [("answer", a_ja), ("answer", a_en)]
            for field, text in parts:
                if text:
                    folded = _fold(text)
                    if folded:
                        texts.append((index, field, text, folded))
        return cls(entries, texts)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Cards matching ``query`` best first; an empty query lists every card in deck order."""
        folded = _fold(query) if query.strip() else ""
        if not folded:
            return [SearchHit(entry, 100.0, "question", entry.question("en")) for entry in self.entries[:limit]]
        from rapidfuzz import fuzz, process

        # Short queries match too much by accident; ask more of them.
        cutoff = 100 if len(folded) == 1 else 85 if len(folded) <= 3 else MIN_SCORE
        best: dict[int, SearchHit] = {}
        matches = process.extract(
            folded, self._choices, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=None
        )
        rank = {field: n for n, field in enumerate(FIELDS)}
        for _choice, score, position in matches:
            index, field, original, _ = self._texts[position]
            # A whole-word or whole-field match beats a fragment; answers count for a little less.
            bonus = 5 if folded == self._choices[position] else 0
            adjusted = min(100.0, score + bonus - (3 if field == "answer" else 0))
            hit = best.get(index)
            if hit is None or adjusted > hit.score or (adjusted == hit.score and rank[field] < rank[hit.field]):
                best[index] = SearchHit(self.entries[index], adjusted, field, original)
        hits = sorted(best.values(), key=lambda h: (-h.score, rank[h.field], h.entry.deck_id, h.entry.card_id))
        return hits[:limit]


def search_cards(tutor: Tutor, query: str, limit: int = 50) -> list[SearchHit]:
    """Build an index and search it once (screens keep a ``SearchIndex`` instead)."""
    return SearchIndex.build(tutor).search(query, limit)
