"""The facade every front end calls: decks, the queue, scoring, rating, undo, settings.

No Textual here. Methods take and return plain objects (``cxotutor.models``);
database sessions open and close inside each call, and every rating is
committed before the call returns, so the next card is never shown before the
last review is durable.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Callable, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from cxotutor import srs
from cxotutor.locations import default_database
from cxotutor.models import CardView, DeckSummary, ReviewReceipt, Selection, Today
from cxotutor.progress import reviews_in_periods
from cxotutor.queue import QueueDay, counts_by_deck, next_card, ratings_today, remaining
from cxotutor.settings import Settings
from cxotutor.store import Store, StoreError, open_store
from cxotutor.store.tables import CardRow, CardState, DeckRow, Learner, Review, Setting

Clock = Callable[[], datetime]
MODES = ("review", "flip", "interview")
DEFAULT_LEARNER = "local"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Tutor:
    """One learner's view of one database."""

    def __init__(self, store: Store, learner: str = DEFAULT_LEARNER, clock: Clock = utc_now, tz: tzinfo | None = None):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.learner_name = learner
        self.learner_id = self._learner_id(learner)
        self._settings = self._load_settings()
        self._scheduler = self._settings.scheduler_config().scheduler()
        self._new_from: dict[Selection, tuple[tuple[str, int], tuple]] = {}  # see next_card

    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        learner: str | None = None,
        clock: Clock = utc_now,
        tz: tzinfo | None = None,
        sync: bool = True,
    ) -> Tutor:
        """Open (creating and migrating if needed) the database and load bundled content."""
        store = open_store(db or os.environ.get("CXOTUTOR_DB") or default_database())
        try:
            tutor = cls(store, learner or os.environ.get("CXOTUTOR_LEARNER") or DEFAULT_LEARNER, clock, tz)
            if sync:
                tutor.sync_bundled()
        except BaseException:
            store.dispose()
            raise
        return tutor

    def close(self) -> None:
        self.store.dispose()

    # -- learner and settings ------------------------------------------------

    def _learner_id(self, name: str) -> int:
        name = name.strip()
        if not name or len(name) > 100:
            raise StoreError("learner name must be 1 to 100 characters")
        with self.store.read() as session:
            found = session.scalar(select(Learner.id).where(Learner.name == name))
        if found is not None:
            return found
        try:
            with self.store.write() as session:
                learner = Learner(name=name, created_at=self.clock())
                session.add(learner)
                session.flush()
                return learner.id
        except IntegrityError:  # another process created the same learner first
            with self.store.read() as session:
                return session.scalar(select(Learner.id).where(Learner.name == name))

    def _load_settings(self) -> Settings:
        with self.store.read() as session:
            values = dict(session.execute(select(Setting.key, Setting.value).where(Setting.learner_id == self.learner_id)).all())
        return Settings.from_values(values)

    @property
    def settings(self) -> Settings:
        return self._settings

    def update_settings(self, **changes) -> Settings:
        """Validate and save changed settings (ValueError with a user message if invalid)."""
        updated = self._settings.with_changes(**changes)
        values = updated.to_values()
        with self.store.write() as session:
            for key in changes:
                row = session.get(Setting, (self.learner_id, key))
                if row is None:
                    session.add(Setting(learner_id=self.learner_id, key=key, value=values[key]))
                else:
                    row.value = values[key]
        self._settings = updated
        self._scheduler = updated.scheduler_config().scheduler()
        return updated

    # -- content ---------------------------------------------------------------

    def sync_bundled(self):
        from cxotutor.library import sync_bundled

        self._new_from.clear()
        return sync_bundled(self.store)

    def decks(self) -> list[DeckSummary]:
        """Live decks with the learner's card, due, new and learned counts."""
        return self.overview().decks

    def overview(self) -> Home:
        """Everything the home screen shows from the queue: ``decks()`` and ``today()`` in one pass.

        One read transaction, and the per-deck counts (the costly part on a big
        collection) are computed once for both.
        """
        day = srs.study_day(self.clock(), self._settings.day_start_hour, self.tz)
        start, end = srs.day_bounds(day, self._settings.day_start_hour, self.tz)
        with self.store.read() as session:
            rows = session.execute(select(DeckRow).order_by(DeckRow.id)).scalars().all()
            counts = counts_by_deck(session, self.learner_id, end)
            reviews = session.scalar(
                select(func.count()).where(Review.learner_id == self.learner_id, Review.reviewed_at >= start)
            ) or 0
            _reviewed, introduced = ratings_today(session, self.learner_id, start)
            streak = _streak(session, self.learner_id, day, self._settings.day_start_hour, self.tz)
        summaries = []
        for row in rows:
            if row.removed:
                continue
            total, due, seen, learned = counts.get(row.id, (0, 0, 0, 0))
            summaries.append(
                DeckSummary(row.id, row.version, row.title_ja, row.title_en, row.role, total, due, total - seen, learned, row.origin)
            )
        removed = {row.id for row in rows if row.removed}
        by_deck = {deck: (due, total - seen) for deck, (total, due, seen, _l) in counts.items() if deck not in removed}
        due = sum(d for d, _n in by_deck.values())
        new_available = min(sum(n for _d, n in by_deck.values()), max(0, self._settings.new_per_day - introduced))
        return Home(summaries, Today(reviews, introduced, due, new_available, streak, day.isoformat(), by_deck))

    def card(self, card_id: int) -> CardView:
        with self.store.read() as session:
            row = session.get(CardRow, card_id)
            if row is None:
                raise KeyError(card_id)
            state = session.get(CardState, (self.learner_id, card_id))
        return _view(row, state)

    def find_card(self, deck_id: str, key: str) -> CardView:
        with self.store.read() as session:
            row = session.scalar(select(CardRow).where(CardRow.deck_id == deck_id, CardRow.key == key))
            if row is None:
                raise KeyError(f"{deck_id}/{key}")
            state = session.get(CardState, (self.learner_id, row.id))
        return _view(row, state)

    # -- the queue ---------------------------------------------------------------

    def _day_bounds(self) -> tuple[datetime, datetime]:
        day = srs.study_day(self.clock(), self._settings.day_start_hour, self.tz)
        return srs.day_bounds(day, self._settings.day_start_hour, self.tz)

    def next_card(self, selection: Selection = Selection(), exclude: tuple[int, ...] = ()) -> CardView | None:
        """The next card due under the daily queue rules, or None when done for today."""
        stamp: list = []

        def new_from(session) -> tuple[str, int] | None:
            # Where the last search for a new card in this selection stopped: every live card
            # before it was studied then, and rating only studies more. Kept while the decks are
            # as they were (an install changes deck.updated_at) and dropped on undo.
            stamp.append(session.execute(select(func.count(), func.max(DeckRow.updated_at))).one())
            known = self._new_from.get(selection)
            return known[0] if known and known[1] == stamp[0] and not exclude else None

        with self.store.read() as session:
            found = next_card(session, self._queue_day(), selection, exclude, new_from)
        if found is not None and found[1] is None and stamp and not exclude:
            self._new_from[selection] = ((found[0].deck_id, found[0].position), stamp[0])
        return None if found is None else _view(*found)

    def remaining(self, selection: Selection = Selection()) -> int:
        with self.store.read() as session:
            return remaining(session, self._queue_day(), selection)

    def _queue_day(self) -> QueueDay:
        start, end = self._day_bounds()
        s = self._settings
        return QueueDay(self.learner_id, self.clock(), start, end, s.new_per_day, s.max_reviews_per_day)

    def today(self) -> Today:
        """Today's reviews, new cards seen and available, due count, streak (see ``overview``)."""
        return self.overview().today

    def streak(self) -> int:
        """Consecutive study days with at least one review, up to today (or yesterday)."""
        day = srs.study_day(self.clock(), self._settings.day_start_hour, self.tz)
        with self.store.read() as session:
            return _streak(session, self.learner_id, day, self._settings.day_start_hour, self.tz)

    # -- answering -----------------------------------------------------------------

    def score(self, card: CardView, answer: str):
        """Score a typed answer against the card's key points (cxotutor.scoring)."""
        from cxotutor.scoring import score_answer

        return score_answer(answer, card.key_points)

    def rate(
        self,
        card_id: int,
        rating: int,
        *,
        mode: str = "review",
        answer: str | None = None,
        score=None,
        duration_ms: int | None = None,
        schedule: bool = True,
        interview_id: int | None = None,
    ) -> ReviewReceipt:
        """Record a rating (1-4) and, unless ``schedule`` is False, move the card's schedule.

        Committed in one transaction before returning.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError("rating must be 1, 2, 3 or 4")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        now = self.clock()
        points = json.dumps(score.to_dict()["points"], ensure_ascii=False) if score is not None else None
        answer, points = _storable(answer), _storable(points)
        with self.store.write() as session:
            if session.scalar(select(CardRow.id).where(CardRow.id == card_id)) is None:  # not the wide row itself
                raise KeyError(card_id)
            row = session.get(CardState, (self.learner_id, card_id))
            before = _memory(row) if row else None
            after = srs.schedule(self._scheduler, before, rating, now) if schedule else before
            if schedule:
                if row is None:
                    row = CardState(learner_id=self.learner_id, card_id=card_id, first_review=now, due=after.due, state=after.state)
                    session.add(row)
                for key in ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"):
                    setattr(row, key, getattr(after, key))
            interval = max(0, (after.due - now).days) if after else 0
            review = Review(
                learner_id=self.learner_id,
                card_id=card_id,
                reviewed_at=now,
                rating=rating,
                mode=mode,
                scheduled=schedule,
                prior_state=before.state if before else 0,
                answer=answer,
                score=score.score if score is not None else None,
                points=points,
                duration_ms=duration_ms,
                state=after.state if after else None,
                stability=after.stability if after else None,
                difficulty=after.difficulty if after else None,
                due=after.due if after else None,
                interval_days=interval if after else None,
                before=json.dumps(before.to_dict()) if before else None,
                interview_id=interview_id,
            )
            session.add(review)
            session.flush()
            review_id = review.id
        return ReviewReceipt(
            review_id,
            card_id,
            rating,
            srs.STATE_NAMES[after.state] if after else "new",
            after.due if after else now,
            interval,
        )

    def undo(self) -> CardView | None:
        """Undo the learner's last rating: restore the card's prior state, delete the log row."""
        self._new_from.clear()  # the card may be new again
        with self.store.write() as session:
            review = session.scalar(
                select(Review).where(Review.learner_id == self.learner_id).order_by(Review.id.desc()).limit(1)
            )
            if review is None:
                return None
            card_id = review.card_id
            if review.scheduled:
                row = session.get(CardState, (self.learner_id, card_id))
                if review.before is None:
                    if row is not None:
                        session.delete(row)
                else:
                    before = srs.Memory.from_dict(json.loads(review.before))
                    if row is None:
                        row = CardState(learner_id=self.learner_id, card_id=card_id, first_review=review.reviewed_at, due=before.due, state=before.state)
                        session.add(row)
                    for key in ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"):
                        setattr(row, key, getattr(before, key))
            session.execute(delete(Review).where(Review.id == review.id))
        return self.card(card_id)

    def history(self, card_id: int) -> list[dict]:
        """The learner's reviews of one card, oldest first."""
        with self.store.read() as session:
            rows = session.scalars(
                select(Review).where(Review.learner_id == self.learner_id, Review.card_id == card_id).order_by(Review.reviewed_at, Review.id)
            ).all()
        return [
            {
                "reviewed_at": r.reviewed_at,
                "rating": r.rating,
                "mode": r.mode,
                "score": r.score,
                "state": srs.STATE_NAMES.get(r.state or 0, "new"),
                "interval_days": r.interval_days,
                "duration_ms": r.duration_ms,
            }
            for r in rows
        ]


class Home(NamedTuple):
    """What ``Tutor.overview`` returns: the deck list and today's figures."""

    decks: list[DeckSummary]
    today: Today


# Days probed per query: most streaks fit the first; a five-year one takes a handful.
STREAK_CHUNKS = (32, 128, 512)


def _streak(session, learner_id: int, today: date, day_start_hour: int, tz: tzinfo | None) -> int:
    """Consecutive study days with a review, ending today (or yesterday if today has none yet).

    Each day is one indexed EXISTS probe, never a read of the review rows, so a
    learner with 500 reviews a day costs no more than one with five.
    """
    count, cursor, sizes = 0, today, iter(STREAK_CHUNKS)
    end = srs.day_bounds(today, day_start_hour, tz)[1]
    while True:
        size = next(sizes, STREAK_CHUNKS[-1])
        bounds = []
        for n in range(size):
            start = srs.day_bounds(cursor - timedelta(days=n), day_start_hour, tz)[0]
            bounds.append((start, end))
            end = start
        studied = reviews_in_periods(session, learner_id, bounds, any_only=True)
        n = 1 if cursor == today and 0 not in studied else 0  # no review yet today does not break it
        while n < size and n in studied:
            count += 1
            n += 1
        if n < size:
            return count
        cursor -= timedelta(days=size)


def _storable(text: str | None) -> str | None:
    """Text the database can store: lone surrogates (surrogateescape-decoded input) become U+FFFD."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _memory(row: CardState) -> srs.Memory:
    return srs.Memory(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review, row.reps, row.lapses)


def _view(row: CardRow, state: CardState | None) -> CardView:
    if state is None:
        return CardView.from_row(row)
    return CardView.from_row(row, srs.STATE_NAMES[state.state], state.due)
