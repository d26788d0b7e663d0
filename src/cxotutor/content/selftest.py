"""A deck's self-test: each model answer must cover its own key points, and silence must score 0."""

from __future__ import annotations

from cxotutor.content.model import Deck
from cxotutor.content.source import Problem, SourceDoc

MODEL_ANSWER_MIN = 90


def self_test_problems(deck: Deck, doc: SourceDoc) -> list[Problem]:
    from cxotutor.scoring import score_answer

    found = []
    for ci, card in enumerate(deck.cards):
        for lang in deck.languages:
            answer = card.answer.get(lang, fallback=False)
            if not answer:
                continue
            result = score_answer(answer, card.key_points)
            if result.score < MODEL_ANSWER_MIN:
                missed = ", ".join(p.id for p in result.points if p.status != "hit")
                found.append((("cards", ci, "answer", lang),
                    f"card {card.id!r}: the {lang} model answer scores {result.score} against its own key points "
                    f"(needs {MODEL_ANSWER_MIN}; not hit: {missed})"))
        if score_answer("", card.key_points).score != 0:
            found.append((("cards", ci), f"card {card.id!r}: an empty answer does not score 0"))
    return doc.problems(found)
