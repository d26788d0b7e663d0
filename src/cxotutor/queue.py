"""Which card comes next: the daily queue rules, as SQL over indexed columns.

Order (as in Anki): learning and relearning cards that are due, then review
cards due today (most overdue first, up to the daily review limit), then new
cards (up to the daily new limit), then learning cards due within the
learn-ahead window so a short session does not stall on a one-minute step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Callable

from sqlalchemy import and_, bindparam, case, exists, func, select, tuple_
from sqlalchemy.sql import Select
from sqlalchemy.orm import Session

from cxotutor.models import Selection
from cxotutor.store.tables import CardRow, CardState, CardTag, DeckRow, Review

LEARN_AHEAD = timedelta(minutes=20)
LEARNING_STATES = (1, 3)
REVIEW_STATE = 2


def _live_cards(selection: Selection) -> list:
    """Conditions on CardRow/DeckRow for the cards a selection covers."""
    conditions = [CardRow.retired.is_(False), DeckRow.removed.is_(False)]
    if selection.card_ids:
        conditions.append(CardRow.id.in_(selection.card_ids))
    if selection.decks:
        conditions.append(CardRow.deck_id.in_(selection.decks))
    if selection.roles:
        conditions.append(DeckRow.role.in_(selection.roles))
    if selection.tags:
        conditions.append(exists().where(CardTag.card_id == CardRow.id, CardTag.tag.in_(selection.tags)))
    return conditions


def _with_deck(query: Select) -> Select:
    return query.join(DeckRow, DeckRow.id == CardRow.deck_id)


LEARNER = bindparam("learner_id")


def _due_query(learner_id, selection: Selection) -> Select:
    return _with_deck(
        select(CardRow, CardState).join(CardState, and_(CardState.card_id == CardRow.id, CardState.learner_id == learner_id))
    ).where(*_live_cards(selection))


def _new_query(learner_id, selection: Selection, *columns) -> Select:
    """Live cards the learner has no state for, walked along ``ix_card_live_order``."""
    has_state = exists().where(CardState.learner_id == learner_id, CardState.card_id == CardRow.id)
    return _with_deck(select(*(columns or (CardRow,)))).where(*_live_cards(selection), ~has_state)


@dataclass(frozen=True)
class _Statements:
    """The queue's statements for one selection, built once: building a Core statement costs more
    Python than SQLite takes to run it. Values come as bound parameters at execution."""

    learning: Select
    due: Select
    new: Select
    new_from: Select
    ahead: Select
    learning_count: Select
    due_count: Select
    new_count: Select


@lru_cache(maxsize=128)
def _statements(selection: Selection, excluding: bool) -> _Statements:
    skip = [CardRow.id.not_in(bindparam("exclude", expanding=True))] if excluding else []
    due_q = _due_query(LEARNER, selection)
    learning = due_q.where(CardState.state.in_(LEARNING_STATES), CardState.due <= bindparam("now"), *skip)
    due = due_q.where(CardState.state == REVIEW_STATE, CardState.due < bindparam("day_end"), *skip)
    ahead = due_q.where(CardState.state.in_(LEARNING_STATES), CardState.due <= bindparam("ahead_until"), *skip)
    new = _new_query(LEARNER, selection).where(*skip).order_by(CardRow.deck_id, CardRow.position).limit(1)
    start = tuple_(CardRow.deck_id, CardRow.position) >= tuple_(bindparam("from_deck"), bindparam("from_position"))
    # Only the first ``new_left`` are counted, in any order: from the end of the queue order, where a
    # learner working through the decks keeps the cards not yet seen, they are found at once.
    first_new = (
        _new_query(LEARNER, selection, CardRow.id)
        .order_by(CardRow.deck_id.desc(), CardRow.position.desc())
        .limit(bindparam("new_left"))
    )
    count = lambda query: select(func.count()).select_from(query.subquery())  # noqa: E731
    return _Statements(
        learning=learning.order_by(CardState.due).limit(1),
        due=due.order_by(CardState.due).limit(1),
        new=new,
        new_from=new.where(start),
        ahead=ahead.order_by(CardState.due).limit(1),
        learning_count=count(ahead),
        due_count=count(due),
        new_count=count(first_new),
    )


_RATINGS_TODAY = (
    select(Review.prior_state, func.count())
    .where(Review.learner_id == LEARNER, Review.reviewed_at >= bindparam("day_start"), Review.scheduled.is_(True))
    .group_by(Review.prior_state)
)


def ratings_today(session: Session, learner_id: int, day_start: datetime) -> tuple[int, int]:
    """(review-card ratings, new cards introduced) since the study day began, schedule-moving only."""
    counts = dict(session.execute(_RATINGS_TODAY, {"learner_id": learner_id, "day_start": day_start}).all())
    return counts.get(REVIEW_STATE, 0), counts.get(0, 0)


@dataclass(frozen=True)
class QueueDay:
    """One learner's study day as the queue sees it: the moment, the day's bounds, the caps."""

    learner_id: int
    now: datetime
    day_start: datetime
    day_end: datetime
    new_per_day: int
    max_reviews: int

    def params(self) -> dict:
        return {"learner_id": self.learner_id, "now": self.now, "day_end": self.day_end, "ahead_until": self.now + LEARN_AHEAD}


def next_card(
    session: Session,
    day: QueueDay,
    selection: Selection,
    exclude: tuple[int, ...] = (),
    new_from: Callable[[Session], tuple[str, int] | None] | None = None,
):
    """The next (CardRow, CardState | None) to study, or None when done for today.

    ``new_from``, asked only when the queue reaches the new cards, may give a
    (deck id, position) before which the caller knows there is no new card:
    the search for the first new card then starts there instead of stepping
    over every card already studied.
    """
    q = _statements(selection, bool(exclude))
    params = day.params()
    if exclude:
        params["exclude"] = list(exclude)
    row = session.execute(q.learning, params).first()
    if row:
        return row[0], row[1]
    reviewed, introduced = ratings_today(session, day.learner_id, day.day_start)
    if reviewed < day.max_reviews:
        row = session.execute(q.due, params).first()
        if row:
            return row[0], row[1]
    if introduced < day.new_per_day:
        start = new_from(session) if new_from else None
        if start is None:
            card = session.execute(q.new, params).scalars().first()
        else:
            card = session.execute(q.new_from, {**params, "from_deck": start[0], "from_position": start[1]}).scalars().first()
        if card:
            return card, None
    row = session.execute(q.ahead, params).first()
    return (row[0], row[1]) if row else None


def remaining(session: Session, day: QueueDay, selection: Selection) -> int:
    """How many cards the queue would still show today (learning + capped reviews + capped new)."""
    q = _statements(selection, False)
    params = day.params()
    learning = session.scalar(q.learning_count, params)
    due = session.scalar(q.due_count, params)
    reviewed, introduced = ratings_today(session, day.learner_id, day.day_start)
    new_left = max(0, day.new_per_day - introduced)
    new = session.scalar(q.new_count, {**params, "new_left": new_left}) if new_left else 0
    return (learning or 0) + min(due or 0, max(0, day.max_reviews - reviewed)) + (new or 0)


def counts_by_deck(session: Session, learner_id: int, day_end: datetime) -> dict[str, tuple[int, int, int, int]]:
    """deck id -> (live cards, due by day end, cards with progress, learned = in review state).

    One pass over the live cards in deck order (an index, not the card rows),
    probing the learner's ``card_state`` by primary key: no join to the wide
    card rows and no sort, whatever the size of the collection.
    """
    rows = session.execute(
        select(
            CardRow.deck_id,
            func.count(),
            func.count(CardState.card_id),
            func.sum(case((CardState.due < day_end, 1), else_=0)),
            func.sum(case((CardState.state == REVIEW_STATE, 1), else_=0)),
        )
        .select_from(CardRow)
        .outerjoin(CardState, and_(CardState.learner_id == learner_id, CardState.card_id == CardRow.id))
        .where(CardRow.retired.is_(False))
        .group_by(CardRow.deck_id)
    ).all()
    return {deck: (int(total), int(due or 0), int(seen), int(learned or 0)) for deck, total, seen, due, learned in rows}
