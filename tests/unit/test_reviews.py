"""Rating, undo, and persistence of reviews across processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import timezone

from sqlalchemy import func, select

from cxotutor.srs import AGAIN, GOOD
from cxotutor.store import open_store
from cxotutor.store.tables import CardState, Review
from cxotutor.tutor import Tutor


def test_rating_writes_state_and_log(tutor, clock):
    card = tutor.next_card()
    receipt = tutor.rate(card.id, GOOD, answer="saga", duration_ms=1234)
    with tutor.store.read() as session:
        review = session.get(Review, receipt.review_id)
        state = session.get(CardState, (tutor.learner_id, card.id))
    assert (review.rating, review.mode, review.answer, review.duration_ms) == (3, "review", "saga", 1234)
    assert review.reviewed_at == clock.now
    assert review.prior_state == 0 and review.before is None
    assert state.state == 1 and state.due == receipt.due and state.reps == 1


def test_undo_of_a_first_review_makes_the_card_new_again(tutor):
    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    restored = tutor.undo()
    assert restored.id == card.id and restored.state == "new"
    with tutor.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0
        assert session.get(CardState, (tutor.learner_id, card.id)) is None
    assert tutor.next_card().id == card.id


def _columns(row) -> dict:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def test_undo_restores_the_exact_previous_state(tutor, clock):
    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    with tutor.store.read() as session:
        before = _columns(session.get(CardState, (tutor.learner_id, card.id)))
    clock.advance(minutes=11)
    tutor.rate(card.id, AGAIN)
    tutor.undo()
    with tutor.store.read() as session:
        after = _columns(session.get(CardState, (tutor.learner_id, card.id)))
        assert session.scalar(select(func.count()).select_from(Review)) == 1
    assert after == before


def test_undo_with_nothing_to_undo(tutor):
    assert tutor.undo() is None


def test_logged_only_review_leaves_the_schedule_alone(tutor):
    card = tutor.next_card()
    tutor.rate(card.id, AGAIN, mode="interview", schedule=False)
    assert tutor.card(card.id).state == "new"
    with tutor.store.read() as session:
        review = session.scalars(select(Review)).one()
    assert (review.mode, review.scheduled) == ("interview", False)
    tutor.undo()
    with tutor.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0


def test_bad_rating_is_refused_and_nothing_is_written(tutor):
    card = tutor.next_card()
    for bad in (0, 5):
        try:
            tutor.rate(card.id, bad)
        except ValueError:
            pass
        else:
            raise AssertionError("rating accepted")
    with tutor.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 0


def test_reviews_survive_a_process_restart(tutor, db_url, clock):
    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    tutor.close()
    # A second process opens the same file and sees the review, then adds one.
    script = textwrap.dedent(f"""
        import json
        from datetime import datetime, timezone
        from cxotutor.tutor import Tutor
        t = Tutor.open(db={db_url!r}, sync=False, clock=lambda: datetime(2026, 1, 5, 11, tzinfo=timezone.utc), tz=timezone.utc)
        before = t.card({card.id}).state
        nxt = t.next_card()
        t.rate(nxt.id, 4)
        print(json.dumps([before, t.today().reviews]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["learning", 2]
    reopened = Tutor(open_store(db_url), clock=clock, tz=timezone.utc)
    assert reopened.today().reviews == 2
    assert [h["rating"] for h in reopened.history(card.id)] == [3, 4]  # the learning card was due again


def test_settings_persist(tutor, store, clock):
    tutor.update_settings(new_per_day=3, desired_retention=0.85, ui_language="ja")
    again = Tutor(store, clock=clock, tz=timezone.utc)
    assert (again.settings.new_per_day, again.settings.desired_retention, again.settings.ui_language) == (3, 0.85, "ja")


def test_invalid_settings_are_refused(tutor):
    for change in ({"desired_retention": 1.5}, {"day_start_hour": 24}, {"new_per_day": -1}):
        try:
            tutor.update_settings(**change)
        except ValueError:
            continue
        raise AssertionError(f"accepted {change}")
    assert tutor.settings.desired_retention == 0.90


def test_learners_do_not_see_each_other(tutor, store, clock):
    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    other = Tutor(store, learner="aiko", clock=clock, tz=timezone.utc)
    assert other.today().reviews == 0
    assert other.next_card().id == card.id  # still new for her
    assert other.undo() is None
    assert tutor.today().reviews == 1
