"""The home screen and the queue issue as many statements on a big collection as on a small one.

A statement count that grows with the collection (one query per deck, per day,
per card) is how a screen that is instant in a demo stutters for an instructor
with every deck installed. Counted with SQLAlchemy's ``before_cursor_execute``.
"""

from __future__ import annotations

from sqlalchemy import func, select

from cxotutor.store.tables import CardRow, DeckRow, Review

from .conftest import LARGER, SMALLER


def counts(collections, open_collection, action) -> dict[str, int]:
    out = {}
    for name in (SMALLER.name, LARGER.name):
        tutor, statements = open_collection(collections[name])
        action(tutor)  # warm: settings, bundled-deck sync and the like happen once, outside the count
        statements.clear()
        action(tutor)
        out[name] = len(statements.seen)
    return out


def test_the_collections_differ_in_size(collections, open_collection):
    sizes = {}
    for name in (SMALLER.name, LARGER.name):
        tutor, _ = open_collection(collections[name])
        with tutor.store.read() as session:
            sizes[name] = (
                session.scalar(select(func.count()).select_from(CardRow)),
                session.scalar(select(func.count()).select_from(DeckRow)),
                session.scalar(select(func.count()).select_from(Review)),
            )
    small, large = sizes[SMALLER.name], sizes[LARGER.name]
    assert all(b > a for a, b in zip(small, large)), sizes


def test_home_overview_is_a_fixed_number_of_queries(collections, open_collection):
    found = counts(collections, open_collection, lambda tutor: tutor.overview())
    assert found[SMALLER.name] == found[LARGER.name], found
    assert found[LARGER.name] <= 8, found


def test_decks_and_today_are_a_fixed_number_of_queries(collections, open_collection):
    found = counts(collections, open_collection, lambda tutor: (tutor.decks(), tutor.today()))
    assert found[SMALLER.name] == found[LARGER.name], found


def test_next_card_and_remaining_are_a_fixed_number_of_queries(collections, open_collection):
    found = counts(collections, open_collection, lambda tutor: (tutor.next_card(), tutor.remaining()))
    assert found[SMALLER.name] == found[LARGER.name], found


def test_rating_is_a_fixed_number_of_queries(collections, open_collection):
    def rate_and_undo(tutor):
        card = tutor.next_card()
        tutor.rate(card.id, 3)
        tutor.undo()

    found = counts(collections, open_collection, rate_and_undo)
    assert found[SMALLER.name] == found[LARGER.name], found
