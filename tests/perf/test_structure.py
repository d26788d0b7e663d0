"""What the speed rests on stays in place: the migrated schema has the models' indexes, and the
streak (probed day by day in chunks, for speed) still counts exactly what a day-by-day walk counts."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect

from cxotutor import srs
from cxotutor.library import sync_bundled
from cxotutor.store import open_store
from cxotutor.store.tables import Review, metadata
from cxotutor.tutor import STREAK_CHUNKS, Tutor

from ..conftest import MINI_DECK, FakeClock


def test_migrated_schema_has_the_indexes_the_models_declare(db_path):
    store = open_store(db_path)
    try:
        inspector = inspect(store.engine)
        for table in metadata.sorted_tables:
            declared = {index.name: [c.name for c in index.columns] for index in table.indexes}
            migrated = {index["name"]: index["column_names"] for index in inspector.get_indexes(table.name)}
            assert migrated == declared, table.name
    finally:
        store.dispose()
    with sqlite3.connect(db_path) as raw:
        (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'card_state'").fetchone()
    assert "WITHOUT ROWID" in sql.upper()


def reference_streak(tutor: Tutor) -> int:
    """The plain definition: walk back from today over the set of study days that have a review."""
    with tutor.store.read() as session:
        stamps = session.scalars(Review.__table__.select().with_only_columns(Review.reviewed_at)).all()
    hour = tutor.settings.day_start_hour
    days = {srs.study_day(stamp, hour, tutor.tz) for stamp in stamps}
    today = srs.study_day(tutor.clock(), hour, tutor.tz)
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
        cursor -= timedelta(days=1)
    return count


@pytest.fixture
def learner(store):
    sync_bundled(store, [MINI_DECK])

    def make(tz, start: datetime) -> tuple[Tutor, FakeClock]:
        clock = FakeClock(start)
        return Tutor(store, clock=clock, tz=tz), clock

    return make


def study(tutor: Tutor, clock: FakeClock, days: int, skip: set[int] = frozenset(), local_time=(4, 10)) -> None:
    """One rating a day, ``days`` days in a row ending today, at ``local_time`` in the tutor's zone."""
    today = srs.study_day(clock.now, tutor.settings.day_start_hour, tutor.tz)
    card_id = tutor.next_card().id
    for back in range(days - 1, -1, -1):
        if back in skip:
            continue
        day = today - timedelta(days=back)
        clock.now = datetime(day.year, day.month, day.day, *local_time, tzinfo=tutor.tz).astimezone(timezone.utc)
        tutor.rate(card_id, 3, schedule=False)


@pytest.mark.parametrize("days", [1, STREAK_CHUNKS[0] - 1, STREAK_CHUNKS[0], STREAK_CHUNKS[0] + 1, STREAK_CHUNKS[0] + STREAK_CHUNKS[1] + 3])
def test_streak_across_probe_chunks(learner, days):
    tutor, clock = learner(timezone.utc, datetime(2026, 6, 1, 12, tzinfo=timezone.utc))
    study(tutor, clock, days)
    assert tutor.streak() == days == reference_streak(tutor)
    clock.advance(days=1)  # nothing yet today: the streak still stands until the day ends
    assert tutor.streak() == days == reference_streak(tutor)
    clock.advance(days=1)
    assert tutor.streak() == 0 == reference_streak(tutor)


def test_streak_stops_at_a_missed_day(learner):
    tutor, clock = learner(timezone.utc, datetime(2026, 6, 1, 12, tzinfo=timezone.utc))
    study(tutor, clock, 60, skip={40})
    assert tutor.streak() == 40 == reference_streak(tutor)
    assert tutor.today().streak == 40


def test_streak_keeps_study_days_across_daylight_saving(learner):
    """Reviews just after the 04:00 day start, in Berlin, across the spring and autumn clock changes."""
    berlin = ZoneInfo("Europe/Berlin")
    for start in (datetime(2026, 4, 10, 12, tzinfo=timezone.utc), datetime(2026, 11, 10, 12, tzinfo=timezone.utc)):
        tutor, clock = learner(berlin, start)
        study(tutor, clock, 45, local_time=(4, 5))
        assert tutor.streak() >= 45
        assert tutor.streak() == reference_streak(tutor)


def test_new_card_search_resumes_but_sees_cards_made_new_again(tutor):
    """The remembered start of the new-card search never hides a card: undo and installs reset it."""
    from cxotutor.content import load_deck
    from cxotutor.library import install_deck

    first = tutor.next_card()
    tutor.rate(first.id, 3)
    second = tutor.next_card()
    assert second.state == "new" and second.id != first.id
    tutor.undo()
    assert tutor.next_card().id == first.id  # new again after undo

    tutor.rate(first.id, 3)
    assert tutor.next_card().id == second.id
    deck = load_deck(MINI_DECK)
    extra = deck.cards[0].model_copy(update={"id": "an-earlier-card"})
    with tutor.store.write() as session:  # as another process installing version 2 would
        install_deck(session, deck.model_copy(update={"version": 2, "cards": [extra, *deck.cards]}), "installed")
    assert tutor.next_card().key == "an-earlier-card"
