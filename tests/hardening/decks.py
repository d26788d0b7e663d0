"""Deck files made on the fly: valid decks of any size, for the crash and concurrency tests."""

from __future__ import annotations

from pathlib import Path


def deck_yaml(cards: int = 50, deck_id: str = "generated") -> str:
    """A valid bilingual deck with ``cards`` cards, two key points each."""
    lines = [
        f"id: {deck_id}",
        "version: 1",
        "title: {ja: 生成デッキ, en: Generated deck}",
        "role: cto",
        "languages: [ja, en]",
        "cards:",
    ]
    for i in range(cards):
        lines += [
            f"  - id: card-{i}",
            f"    question: {{ja: 質問{i}は何ですか？, en: What is question {i}?}}",
            "    key_points:",
            f"      - {{id: first, ja: 第一の要点{i}, en: first point {i}}}",
            f"      - {{id: second, ja: 第二の要点{i}, en: second point {i}}}",
            f"    answer: {{ja: 第一の要点{i}と第二の要点{i}です。, en: The first point {i} and the second point {i}.}}",
            f"    tags: [group-{i % 5}]",
        ]
    return "\n".join(lines) + "\n"


def write_deck(folder: Path, cards: int = 50, deck_id: str = "generated") -> Path:
    path = folder / f"{deck_id}.yaml"
    path.write_text(deck_yaml(cards, deck_id), encoding="utf-8")
    return path
