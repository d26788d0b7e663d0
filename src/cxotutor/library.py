"""Put validated decks and paths into the database without touching learners' progress.

A card is identified by (deck id, card id). Updating a deck rewrites the text
of cards whose ids remain, adds new ones and retires the rest; card states and
the review log hang off the card row, so progress survives any edit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from cxotutor.content.bundled import bundled_files
from cxotutor.store import Store
from cxotutor.store.tables import CardRow, CardState, CardTag, DeckRow, PathRow

if TYPE_CHECKING:
    from cxotutor.content import Deck, LearningPath


@dataclass(frozen=True)
class InstallSummary:
    deck_id: str
    old_version: int | None
    new_version: int
    added: int
    changed: int
    retired: int
    kept: int  # cards with progress that remain

    def __str__(self) -> str:
        if self.old_version is None:
            return f"{self.deck_id} {self.new_version}: installed, {self.added} cards"
        return (
            f"{self.deck_id} {self.old_version} → {self.new_version}: {self.added} added, "
            f"{self.changed} changed, {self.retired} retired, progress kept on {self.kept} cards"
        )


def card_values(deck: Deck, position: int) -> dict:
    card = deck.cards[position]
    key_points = [kp.model_dump(exclude_defaults=False) for kp in card.key_points]
    values = {
        "question_ja": card.question.ja,
        "question_en": card.question.en,
        "answer_ja": card.answer.ja,
        "answer_en": card.answer.en,
        "key_points": json.dumps(key_points, ensure_ascii=False),
        "tags": json.dumps(card.tags),
        "source": json.dumps(card.source.model_dump(), ensure_ascii=False) if card.source else None,
    }
    values["content_hash"] = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    values.update(deck_id=deck.id, key=card.id, position=position, retired=False)
    return values


def install_deck(session: Session, deck: Deck, origin: str, file_hash: str | None = None, now: datetime | None = None) -> InstallSummary:
    """Insert or update ``deck`` inside the caller's transaction."""
    now = now or datetime.now(timezone.utc)
    row = session.get(DeckRow, deck.id)
    old_version = row.version if row else None
    deck_values = dict(
        version=deck.version,
        title_ja=deck.title.ja,
        title_en=deck.title.en,
        role=deck.role,
        languages=",".join(deck.languages),
        author=deck.author,
        source=deck.source,
        origin=origin,
        file_hash=file_hash,
        removed=False,
        updated_at=now,
    )
    if row is None:
        session.add(DeckRow(id=deck.id, installed_at=now, **deck_values))
    else:
        for key, value in deck_values.items():
            setattr(row, key, value)
    session.flush()

    existing = {
        key: (card_id, content_hash, retired)
        for card_id, key, content_hash, retired in session.execute(
            select(CardRow.id, CardRow.key, CardRow.content_hash, CardRow.retired).where(CardRow.deck_id == deck.id)
        )
    }
    fresh, changed_rows, tag_rows = [], [], []
    changed = 0
    for position, card in enumerate(deck.cards):
        values = card_values(deck, position)
        if card.id in existing:
            card_id, old_hash, was_retired = existing[card.id]
            if old_hash != values["content_hash"] or was_retired:
                changed += old_hash != values["content_hash"]
            changed_rows.append({"b_id": card_id, **values})
        else:
            fresh.append(values)
    if changed_rows:
        session.execute(
            update(CardRow.__table__).where(CardRow.__table__.c.id == bindparam("b_id")),
            changed_rows,
        )
    if fresh:
        session.execute(insert(CardRow), fresh)
    kept_keys = {card.id for card in deck.cards}
    gone = [card_id for key, (card_id, _, retired) in existing.items() if key not in kept_keys and not retired]
    if gone:
        session.execute(update(CardRow).where(CardRow.id.in_(gone)).values(retired=True))

    # Tags are few per card; rewriting them for the deck is simpler than diffing.
    ids = dict(session.execute(select(CardRow.key, CardRow.id).where(CardRow.deck_id == deck.id)).all())
    session.execute(delete(CardTag).where(CardTag.card_id.in_(select(CardRow.id).where(CardRow.deck_id == deck.id))))
    for card in deck.cards:
        tag_rows.extend({"card_id": ids[card.id], "tag": tag} for tag in dict.fromkeys(card.tags))
    if tag_rows:
        session.execute(insert(CardTag), tag_rows)

    kept = 0
    if old_version is not None:
        kept_ids = [ids[key] for key in kept_keys if key in existing]
        kept = _count_with_progress(session, kept_ids)
    return InstallSummary(deck.id, old_version, deck.version, len(fresh), changed, len(gone), kept)


def _count_with_progress(session: Session, card_ids: list[int]) -> int:
    total = 0
    for chunk in range(0, len(card_ids), 500):
        part = card_ids[chunk : chunk + 500]
        total += session.scalar(select(func.count(func.distinct(CardState.card_id))).where(CardState.card_id.in_(part))) or 0
    return total


def install_path(session: Session, path: LearningPath, origin: str, file_hash: str | None = None, now: datetime | None = None) -> None:
    now = now or datetime.now(timezone.utc)
    row = session.get(PathRow, path.id)
    values = dict(version=path.version, role=path.role, data=path.model_dump_json(), origin=origin, file_hash=file_hash, removed=False, updated_at=now)
    if row is None:
        session.add(PathRow(id=path.id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_bundled(store: Store, files: list[Path] | None = None) -> list[InstallSummary]:
    """Load bundled content on first run, and again for any file whose version went up.

    Unchanged files are recognised by their hash, so a normal start parses nothing.
    """
    files = bundled_files() if files is None else files
    with store.read() as session:
        deck_hashes = dict(session.execute(select(DeckRow.file_hash, DeckRow.id).where(DeckRow.origin == "bundled")).all())
        path_hashes = dict(session.execute(select(PathRow.file_hash, PathRow.id).where(PathRow.origin == "bundled")).all())
        versions = dict(session.execute(select(DeckRow.id, DeckRow.version)).all())
        path_versions = dict(session.execute(select(PathRow.id, PathRow.version)).all())
    digests = {file: file_digest(file) for file in files}
    if all(d in deck_hashes or d in path_hashes for d in digests.values()):
        return []  # the usual start-up: nothing parsed, and the content schema not even imported
    from cxotutor.content import ContentError, load_files

    content = load_files(files, known_decks={deck_id: set() for deck_id in versions})
    if content.problems:
        raise ContentError(content.problems)
    summaries = []
    with store.write() as session:
        for deck, doc in content.decks:
            digest = digests[Path(doc.file)]
            if deck.id not in versions or deck.version > versions[deck.id]:
                summaries.append(install_deck(session, deck, "bundled", digest))
            else:
                session.execute(update(DeckRow).where(DeckRow.id == deck.id, DeckRow.origin == "bundled").values(file_hash=digest))
        for path, doc in content.paths:
            digest = digests[Path(doc.file)]
            if path.id not in path_versions or path.version > path_versions[path.id]:
                install_path(session, path, "bundled", digest)
            else:
                session.execute(update(PathRow).where(PathRow.id == path.id, PathRow.origin == "bundled").values(file_hash=digest))
    return summaries
