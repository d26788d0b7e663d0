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
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from cxotutor.collector import collector_paused
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


# JSON written piece by piece with the json module's own C string encoders: the same text as
# json.dumps (default separators; the hash's keys sorted) without building an encoder for
# each of 40,000 small documents, which was most of the time spent here for 10,000 cards.
_TEXT = json.encoder.encode_basestring  # '"..."', other scripts kept (ensure_ascii=False)
_ASCII = json.encoder.encode_basestring_ascii  # '"..."', \\uXXXX escapes (ensure_ascii=True)


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _TEXT(value)


def _ascii_or_null(value: str | None) -> str:
    return "null" if value is None else _ASCII(value)


def card_values(deck: Deck, position: int) -> dict:
    """The card row's columns for ``deck.cards[position]``, with the hash of its content.

    The JSON columns are exactly json.dumps of the model's fields (ensure_ascii=False for
    key points and source), so the content hashes are those of every earlier install.
    """
    card = deck.cards[position]
    key_points = ", ".join(
        f'{{"id": {_TEXT(kp.id)}, "ja": {_text_or_null(kp.ja)}, "en": {_text_or_null(kp.en)}, '
        f'"aliases": [{", ".join(map(_TEXT, kp.aliases))}], "weight": {float.__repr__(kp.weight)}}}'
        for kp in card.key_points
    )
    source = card.source
    values = {
        "question_ja": card.question.ja,
        "question_en": card.question.en,
        "answer_ja": card.answer.ja,
        "answer_en": card.answer.en,
        "key_points": f"[{key_points}]",
        "tags": f"[{', '.join(map(_ASCII, card.tags))}]",
        "source": (f'{{"doc": {_TEXT(source.doc)}, "section": {_text_or_null(source.section)}, '
                   f'"note": {_text_or_null(source.note)}}}') if source else None,
    }
    hashed = (  # json.dumps(values, sort_keys=True)
        f'{{"answer_en": {_ascii_or_null(values["answer_en"])}, "answer_ja": {_ascii_or_null(values["answer_ja"])}, '
        f'"key_points": {_ASCII(values["key_points"])}, "question_en": {_ascii_or_null(values["question_en"])}, '
        f'"question_ja": {_ascii_or_null(values["question_ja"])}, "source": {_ascii_or_null(values["source"])}, '
        f'"tags": {_ASCII(values["tags"])}}}'
    )
    values["content_hash"] = hashlib.sha256(hashed.encode()).hexdigest()
    values.update(deck_id=deck.id, key=card.id, position=position, retired=False)
    return values


def install_deck(session: Session, deck: Deck, origin: str, file_hash: str | None = None, now: datetime | None = None) -> InstallSummary:
    """Insert or update ``deck`` inside the caller's transaction.

    Only what changed is written: new cards are inserted, cards whose content
    hash changed (or that come back from retirement) are rewritten, cards that
    only moved get their new position, and cards no longer in the deck are
    retired. Card ids, and so learners' states and reviews, stay as they are.
    """
    with collector_paused():  # rows for every card: many objects, no cycles
        return _install_deck(session, deck, origin, file_hash, now)


def _install_deck(session: Session, deck: Deck, origin: str, file_hash: str | None, now: datetime | None) -> InstallSummary:
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

    card = CardRow.__table__
    existing = {
        key: (card_id, content_hash, retired, position)
        for card_id, key, content_hash, retired, position in session.execute(
            select(card.c.id, card.c.key, card.c.content_hash, card.c.retired, card.c.position).where(card.c.deck_id == deck.id)
        )
    }
    fresh, rewritten, moved = [], [], []
    retagged: list[int] = []  # existing cards whose tags are written again
    changed = 0
    for position, item in enumerate(deck.cards):
        values = card_values(deck, position)
        found = existing.get(item.id)
        if found is None:
            fresh.append(values)
            continue
        card_id, old_hash, was_retired, old_position = found
        if old_hash != values["content_hash"] or was_retired:
            changed += old_hash != values["content_hash"]
            rewritten.append({"b_id": card_id, **values})
            retagged.append(card_id)
        elif old_position != position:
            moved.append({"b_id": card_id, "position": position})
    by_id = card.c.id == bindparam("b_id")
    if rewritten:
        session.execute(update(card).where(by_id), rewritten)
    if moved:
        session.execute(update(card).where(by_id), moved)
    if fresh:
        _insert_many(session, card, fresh)
    kept_keys = {item.id for item in deck.cards}
    gone = [card_id for key, (card_id, _, retired, _) in existing.items() if key not in kept_keys and not retired]
    if gone:
        session.execute(update(card).where(card.c.id.in_(gone)).values(retired=True))

    # card_tag indexes the tags of live cards: rewritten for the cards written above, dropped for retired ones.
    tag = CardTag.__table__
    for chunk in range(0, len(retagged) + len(gone), 500):
        part = (retagged + gone)[chunk : chunk + 500]
        session.execute(delete(tag).where(tag.c.card_id.in_(part)))
    if fresh or retagged:
        tagged = {item.id for item in deck.cards if item.tags}
        ids = {key: card_id for key, card_id in session.execute(select(card.c.key, card.c.id).where(card.c.deck_id == deck.id))
               if key in tagged}
        wanted = {values["key"] for values in fresh} | {values["key"] for values in rewritten}
        tag_rows = [{"card_id": ids[item.id], "tag": name} for item in deck.cards if item.id in wanted and item.id in ids
                    for name in dict.fromkeys(item.tags)]
        if tag_rows:
            _insert_many(session, tag, tag_rows)

    kept = 0
    if old_version is not None:
        # Cards that were there before and remain are the live ones not inserted just now, and new cards have no states.
        kept = session.scalar(
            select(func.count(func.distinct(CardState.card_id)))
            .join(CardRow, CardRow.id == CardState.card_id)
            .where(CardRow.deck_id == deck.id, CardRow.retired.is_(False))
        ) or 0
    return InstallSummary(deck.id, old_version, deck.version, len(fresh), changed, len(gone), kept)


def _insert_many(session: Session, table, rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts with the same keys, plain column types) in one executemany.

    The statement is compiled once for the connection's dialect and the rows go to the
    driver as they are: SQLAlchemy's processing of each row's parameters was a quarter
    of inserting 10,000 cards and their tags, and these columns need none (str, int, bool).
    """
    connection = session.connection()
    dialect = connection.dialect
    key = (dialect.name, dialect.paramstyle, table.name, tuple(rows[0]))
    statement = _INSERTS.get(key)
    if statement is None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
        order = tuple(compiled.positiontup) if compiled.positional else None
        statement = _INSERTS[key] = (str(compiled), order)
    sql, order = statement
    if order is not None and len(order) > 1:
        row_tuple = itemgetter(*order)
        rows = [row_tuple(row) for row in rows]  # type: ignore[misc]
    elif order is not None:
        rows = [(row[order[0]],) for row in rows]  # type: ignore[misc]
    connection.exec_driver_sql(sql, rows)


# Compiled INSERT statements by (dialect, parameter style, table, column keys): an install makes two.
_INSERTS: dict[tuple, tuple[str, tuple[str, ...] | None]] = {}


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
