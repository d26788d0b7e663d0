"""The queries behind every card and the home screen read indexes, never whole tables.

SQLite's EXPLAIN QUERY PLAN says "SCAN t" when it reads all of table ``t``
(or all of one of its indexes); with 100,000 cards and a million reviews that
is the difference between a millisecond and a stutter. Plans are taken on a
generated collection without ANALYZE statistics, as on a learner's machine.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from sqlalchemy import select

from cxotutor import queue
from cxotutor.models import Selection
from cxotutor.store.tables import CardRow, Review

from .conftest import LARGER

BIG_TABLES = ("card", "card_state", "review")
FULL_SCAN = re.compile(r"^SCAN (\w+)")


def plans(db, statements) -> list[tuple[str, list[str]]]:
    raw = sqlite3.connect(db)
    try:
        out = []
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            rows = raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
            out.append((sql, [row[3] for row in rows]))
        return out
    finally:
        raw.close()


def full_scans(db, statements) -> list[str]:
    found = []
    for sql, lines in plans(db, statements):
        for line in lines:
            match = FULL_SCAN.match(line)
            if match and match.group(1) in BIG_TABLES:
                found.append(f"{line}  <-  {' '.join(sql.split())[:200]}")
    return found


@pytest.fixture
def larger(collections, open_collection):
    collection = collections[LARGER.name]
    tutor, statements = open_collection(collection)
    return collection, tutor, statements


def test_home_counts_read_indexes_only(larger):
    collection, tutor, statements = larger
    tutor.overview()
    tutor.decks()
    tutor.today()
    assert statements.seen
    assert full_scans(collection.db, statements.seen) == []


def test_due_queue_reads_indexes_only(larger):
    collection, tutor, statements = larger
    card = tutor.next_card()
    assert card is not None and card.state != "new"  # the collection has reviews due "now"
    tutor.remaining()
    tutor.next_card(Selection(decks=(card.deck_id,)))
    tutor.next_card(Selection(tags=("strategy",)))
    tutor.remaining(Selection(roles=("cio",)))
    assert full_scans(collection.db, statements.seen) == []


def test_new_card_query_walks_the_queue_order_index(larger):
    collection, tutor, statements = larger
    start, end = tutor._day_bounds()
    with tutor.store.read() as session:  # no review allowance left: straight to the new cards
        found = queue.next_card(session, queue.QueueDay(tutor.learner_id, collection.now, start, end, 10, 0), Selection())
    assert found is not None and found[1] is None
    assert full_scans(collection.db, statements.seen) == []
    new_query = [lines for sql, lines in plans(collection.db, statements.seen) if "NOT (EXISTS" in sql]
    assert new_query and any("ix_card_live_order" in line for line in new_query[-1])
    assert not any("TEMP B-TREE" in line for line in new_query[-1])  # in order straight off the index: no sort


def test_card_history_reads_only_that_card(larger):
    collection, tutor, statements = larger
    with tutor.store.read() as session:
        card_id = session.scalar(select(Review.card_id).where(Review.learner_id == tutor.learner_id).limit(1))
    statements.clear()
    assert tutor.history(card_id)
    (sql, lines), = [p for p in plans(collection.db, statements.seen) if "FROM review" in p[0]]
    assert any("ix_review_card_learner_time" in line and "card_id=? AND learner_id=?" in line for line in lines), lines


def test_rating_reads_and_writes_by_key(larger):
    collection, tutor, statements = larger
    card = tutor.next_card()
    statements.clear()
    receipt = tutor.rate(card.id, 3)
    assert full_scans(collection.db, statements.seen) == []
    tutor.undo()
    assert receipt.card_id == card.id


def test_per_deck_counts_do_not_touch_the_card_rows(larger):
    """The per-deck totals come from ix_card_live_order alone (the card rows hold kilobytes of text)."""
    collection, tutor, statements = larger
    with tutor.store.read() as session:
        queue.counts_by_deck(session, tutor.learner_id, collection.now)
    (sql, lines), = [p for p in plans(collection.db, statements.seen) if "GROUP BY card.deck_id" in p[0]]
    assert any(line.startswith("SEARCH card USING COVERING INDEX ix_card_live_order") for line in lines), lines
    assert not any("TEMP B-TREE" in line for line in lines), lines


def test_card_rows_are_wide_enough_for_this_to_matter(larger):
    collection, tutor, _statements = larger
    with tutor.store.read() as session:
        row = session.scalar(select(CardRow).where(CardRow.deck_id.like("bench-%")).limit(1))
    assert len(row.answer_ja or "") + len(row.answer_en or "") + len(row.key_points) > 500
