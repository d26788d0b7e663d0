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


def big_deck_yaml(cards: int = 10_000, alias: bool = False) -> str:
    """A valid deck of ``cards`` long bilingual cards (~2 KB of YAML each: 10,000 make 19.7 MB, under the 20 MB limit),
    in the usual layout: block mappings, flow mappings and lists, quoted text, ``>-`` answers.
    With ``alias``, one anchor and alias (which the fast reader leaves to the careful one)."""
    lines = [
        "id: big",
        "version: 1",
        "title: {ja: 大きなデッキ, en: A big deck}",
        "role: cto",
        "languages: [ja, en]",
        "author: &who cxotutor tests" if alias else "author: cxotutor tests",
        "source: *who" if alias else "source: tests",
        "cards:",
    ]
    answer_ja = "分散トランザクション管理とサービス間通信の複雑性を説明します。" * 7
    answer_en = "I explain managing distributed transactions and the complexity of inter-service communication. " * 5
    for i in range(cards):
        lines += [f"  - id: card-{i}", f"    question: {{ja: 質問{i}について説明してください。, en: 'How do you explain question {i}?'}}", "    key_points:"]
        for k in range(4):
            lines += [f"      - id: point-{k}", f"        ja: 第{k}の要点{i}", f"        en: point {k} of card {i}",
                      f"        aliases: [要点{k}-{i}, key point {k} {i}, 'point #{k}']"]
        lines += [
            "    answer:",
            f"      ja: >-\n        {answer_ja}\n        第一の要点{i}です。",
            f"      en: >-\n        {answer_en}\n        The first point {i}.",
            f"    tags: [group-{i % 5}, big]",
            f"    source: {{doc: big.txt, section: \"part {i // 100}\", note: row {i}}}",
        ]
    return "\n".join(lines) + "\n"
