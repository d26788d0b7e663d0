"""``cxotutor deck new``: a commented starter deck that validates as it is."""

from __future__ import annotations

from cxotutor.content.model import LANGUAGES, ROLES, is_slug

_TEMPLATE = """\
# A cxotutor deck. Edit it, then check it with:  cxotutor deck validate {file}
# Pack it for your class with:                    cxotutor deck pack {file} -o {id}.cxodeck
# Full reference: docs/deck-format.md; for instructors: docs/instructors.md
#
# Ids (the deck's and every card's) are how cxotutor keeps learners' progress
# across updates: never reuse an id for a different question, and never change
# the id of a card you only reworded. Raise `version` every time you hand out
# a changed deck; learners keep their progress on every card whose id remains.

id: {id}  # lowercase letters, digits and '-'
version: 1  # an integer; raise it on every change you distribute
title:
@ja  ja: {title_ja}
@en  en: {title_en}
description:
@ja  ja: 面接で聞かれる質問を練習するデッキです。
@en  en: Practise the questions interviewers ask.
role: {role}  # cio | cto | caio | ciso | general
languages: [{languages}]  # every card needs text in each of these
author: {author}
cards:
  # A card: a question, the key points an interviewer listens for, and a model
  # answer that mentions every key point (or one of its aliases) literally.
  # `cxotutor deck validate` scores each model answer against its own key points.
  - id: strategy-alignment     # unique in the deck; keep it when you reword the card
    question:
@ja      ja: 技術戦略を事業目標とどのように整合させますか？
@en      en: How do you align technology strategy with business goals?
    key_points:                # 2 to 7 per card
      - id: business-outcomes  # unique in the card
@ja        ja: 事業成果
@en        en: business outcomes
        aliases: [{aliases_1}]  # other words that count as this point
        weight: 2              # optional (default 1): this point matters twice as much
      - id: roadmap
@ja        ja: 技術ロードマップ
@en        en: technology roadmap
        aliases: [{aliases_2}]
    answer:
@ja      ja: 取締役会が重視する事業成果から出発し、それを技術ロードマップに落とし込み、四半期ごとに見直します。
@en      en: I start from the business outcomes the board cares about, turn them into a technology roadmap, and review it every quarter.
    tags: [strategy]           # lowercase; learning paths can practise cards by tag

  - id: incident-communication
    question:
@ja      ja: 重大なシステム障害が起きたとき、経営陣にどう報告しますか？
@en      en: How do you report a major outage to the executive team?
    key_points:
      - id: business-impact
@ja        ja: 事業への影響
@en        en: impact on the business
        aliases: [{aliases_3}]
      - id: recovery-plan
@ja        ja: 復旧の見通し
@en        en: recovery plan
        aliases: [{aliases_4}]
    answer:
@ja      ja: まず事業への影響を数字で伝え、次に復旧の見通しと再発防止策を説明します。
@en      en: I first state the impact on the business in numbers, then explain the recovery plan and how we will prevent a repeat.
    tags: [leadership]
    # source: {{doc: where-this-came-from.pdf, section: "Chapter 3", note: "page 12"}}   # optional
"""

_ALIASES = {
    1: {"ja": ["ビジネス成果", "事業目標"], "en": ["business goals", "OKRs"]},
    2: {"ja": ["ロードマップ"], "en": ["roadmap"]},
    3: {"ja": ["ビジネスインパクト"], "en": ["business impact"]},
    4: {"ja": ["復旧計画"], "en": ["time to recovery", "recovery timeline"]},
}


def new_deck(deck_id: str, *, role: str = "general", languages: tuple[str, ...] = ("ja", "en"),
             title: str | None = None, author: str | None = None, file: str | None = None) -> str:
    """The text of a starter deck file (valid and self-testing as written)."""
    if not is_slug(deck_id):
        raise ValueError(f"deck id {deck_id!r} must be lowercase letters, digits and '-' (up to 64, starting with a letter or digit)")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    langs = tuple(dict.fromkeys(languages))
    if not langs or any(lang not in LANGUAGES for lang in langs):
        raise ValueError("languages must be ja, en or both")
    pretty = deck_id.replace("-", " ").capitalize()
    text = _TEMPLATE.format(
        id=deck_id,
        file=file or f"{deck_id}.yaml",
        role=role,
        languages=", ".join(langs),
        author=_quote(author or "your name"),
        title_ja=_quote(title or f"{pretty} デッキ"),
        title_en=_quote(title or f"{pretty} deck"),
        **{f"aliases_{n}": ", ".join(a for lang in langs for a in _ALIASES[n][lang]) for n in _ALIASES},
    )
    lines = []
    for line in text.splitlines():
        if line.startswith("@"):
            lang, rest = line[1:3], line[3:]
            if lang not in langs:
                continue
            line = rest
        lines.append(line)
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
