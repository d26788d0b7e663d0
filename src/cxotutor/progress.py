"""Progress figures from the review log: study days, heatmap, retention, forecast, mastery, weak points.

Every function takes a ``Tutor`` and returns plain values (dates, ints,
frozen dataclasses), so a front end can call them from a worker thread and
hand the result to the screen as it is.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from cxotutor import srs
from cxotutor.store.tables import CardRow, CardState, DeckRow, Review, UTCDateTime

if TYPE_CHECKING:
    from cxotutor.tutor import Tutor

REVIEW_STATE = 2
MATURE_DAYS = 21.0  # Anki's line between young and mature cards


def daily_reviews(tutor: Tutor, lookback_days: int) -> Counter[date]:
    """Reviews per study day, today and the ``lookback_days`` days before it (for heatmaps and streaks).

    Counted in the database, one index range per day: a learner with five
    hundred reviews a day costs no more than one with five.
    """
    hour = tutor.settings.day_start_hour
    last = today(tutor)
    days = [last - timedelta(days=back) for back in range(lookback_days + 1)]
    bounds = [srs.day_bounds(day, hour, tutor.tz) for day in days]
    with tutor.store.read() as session:
        counts = reviews_in_periods(session, tutor.learner_id, bounds)
    return Counter({days[n]: count for n, count in counts.items() if count})


def reviews_in_periods(
    session: Session, learner_id: int, bounds: list[tuple[datetime, datetime]], *, any_only: bool = False
) -> dict[int, int]:
    """For each [start, end) in ``bounds`` (by index), how many reviews the learner made in it.

    With ``any_only`` only the periods holding a review are returned (as 1), each
    found by a single index probe. One statement of plain SQL with the times
    written in as literals (formatted by the column type's own bind processor): a
    Core VALUES list of hundreds of bound rows costs far more to compile and bind
    each time than the index probes take to run.
    """
    if not bounds:
        return {}
    dialect = session.get_bind().dialect
    process = UTCDateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)
    if dialect.name == "sqlite":  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' text
        stamp = lambda moment: f"'{process(moment)}'"  # noqa: E731
    else:
        stamp = lambda moment: f"TIMESTAMP '{process(moment).isoformat(sep=' ')}'"  # noqa: E731
    rows = ", ".join(f"({n}, {stamp(start)}, {stamp(end)})" for n, (start, end) in enumerate(bounds))
    inside = (
        f"FROM review WHERE review.learner_id = {int(learner_id)}"
        " AND review.reviewed_at >= days.day_start AND review.reviewed_at < days.day_end"
    )
    query = f"SELECT n, 1 FROM days WHERE EXISTS (SELECT 1 {inside})" if any_only else f"SELECT n, (SELECT count(*) {inside}) FROM days"
    sql = f"WITH days (n, day_start, day_end) AS (VALUES {rows}) {query}"
    return {n: count for n, count in session.connection().exec_driver_sql(sql)}


def review_days(tutor: Tutor, lookback_days: int) -> set[date]:
    return set(daily_reviews(tutor, lookback_days))


def today(tutor: Tutor) -> date:
    """The learner's current study day."""
    return srs.study_day(tutor.clock(), tutor.settings.day_start_hour, tutor.tz)


@dataclass(frozen=True)
class Heatmap:
    """Reviews per study day from ``start`` (a Monday) to ``end`` (today), GitHub style."""

    start: date
    end: date
    counts: dict[date, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def busiest(self) -> int:
        return max(self.counts.values(), default=0)

    def weeks(self) -> list[list[date | None]]:
        """Columns of seven days (Monday first); days after ``end`` are None."""
        columns: list[list[date | None]] = []
        cursor = self.start
        while cursor <= self.end:
            column: list[date | None] = []
            for offset in range(7):
                day = cursor + timedelta(days=offset)
                column.append(day if day <= self.end else None)
            columns.append(column)
            cursor += timedelta(days=7)
        return columns


def heatmap(tutor: Tutor, weeks: int = 16) -> Heatmap:
    """The last ``weeks`` weeks of study, ending with the current (partial) week."""
    end = today(tutor)
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    counts = daily_reviews(tutor, (end - start).days + 1)
    return Heatmap(start, end, {day: n for day, n in counts.items() if start <= day <= end})


def reviews_per_day(tutor: Tutor, days: int = 30) -> list[tuple[date, int]]:
    """(study day, reviews) for the last ``days`` days, oldest first, zeros included."""
    end = today(tutor)
    counts = daily_reviews(tutor, days + 1)
    return [(end - timedelta(days=back), counts.get(end - timedelta(days=back), 0)) for back in range(days - 1, -1, -1)]


@dataclass(frozen=True)
class Retention:
    """True retention: share of reviews of cards already in review that were not forgotten."""

    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def true_retention(tutor: Tutor, days: int | None = 30) -> Retention:
    """Pass rate (rating 2-4) of schedule-moving reviews of cards in the review state.

    This is Anki's "true retention": learning steps and new cards are left out,
    so it measures memory, not first exposure. ``days=None`` means all time.
    """
    conditions = [
        Review.learner_id == tutor.learner_id,
        Review.prior_state == REVIEW_STATE,
        Review.scheduled.is_(True),
    ]
    if days is not None:
        conditions.append(Review.reviewed_at >= tutor.clock() - timedelta(days=days))
    with tutor.store.read() as session:
        total, passed = session.execute(
            select(func.count(), func.sum(Review.rating > 1)).where(*conditions)
        ).one()
    return Retention(int(passed or 0), int(total or 0))


def forecast(tutor: Tutor, days: int = 30) -> list[tuple[date, int]]:
    """(study day, cards falling due) for the next ``days`` days; overdue cards count today."""
    first = today(tutor)
    last = first + timedelta(days=days - 1)
    _start, end = srs.day_bounds(last, tutor.settings.day_start_hour, tutor.tz)
    with tutor.store.read() as session:
        dues = session.scalars(
            select(CardState.due)
            .join(CardRow, CardRow.id == CardState.card_id)
            .join(DeckRow, DeckRow.id == CardRow.deck_id)
            .where(
                CardState.learner_id == tutor.learner_id,
                CardState.due < end,
                CardRow.retired.is_(False),
                DeckRow.removed.is_(False),
            )
        ).all()
    counts: Counter[date] = Counter()
    hour = tutor.settings.day_start_hour
    for due in dues:
        counts[max(first, srs.study_day(due, hour, tutor.tz))] += 1
    return [(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0)) for n in range(days)]


@dataclass(frozen=True)
class DeckMastery:
    deck_id: str
    title_ja: str | None
    title_en: str | None
    role: str
    cards: int
    seen: int
    learned: int  # in the review state
    mature: int  # in review with stability of three weeks or more
    mean_score: int | None  # mean typed-answer score over the last 30 days

    def title(self, lang: str) -> str:
        first, second = (self.title_ja, self.title_en) if lang == "ja" else (self.title_en, self.title_ja)
        return first or second or self.deck_id

    @property
    def percent(self) -> int:
        """Share of the deck learned (in review), 0-100."""
        return round(100 * self.learned / self.cards) if self.cards else 0


def mastery(tutor: Tutor) -> list[DeckMastery]:
    """Per live deck: cards, seen, learned, mature, and the recent mean answer score."""
    since = tutor.clock() - timedelta(days=30)
    with tutor.store.read() as session:
        decks = session.execute(
            select(DeckRow.id, DeckRow.title_ja, DeckRow.title_en, DeckRow.role).where(DeckRow.removed.is_(False)).order_by(DeckRow.id)
        ).all()
        totals = dict(
            session.execute(select(CardRow.deck_id, func.count()).where(CardRow.retired.is_(False)).group_by(CardRow.deck_id)).all()
        )
        states = {
            deck: (int(seen), int(learned or 0), int(mature or 0))
            for deck, seen, learned, mature in session.execute(
                select(
                    CardRow.deck_id,
                    func.count(),
                    func.sum(CardState.state == REVIEW_STATE),
                    func.sum(and_(CardState.state == REVIEW_STATE, CardState.stability >= MATURE_DAYS)),
                )
                .join(CardState, CardState.card_id == CardRow.id)
                .where(CardState.learner_id == tutor.learner_id, CardRow.retired.is_(False))
                .group_by(CardRow.deck_id)
            ).all()
        }
        scores = dict(
            session.execute(
                select(CardRow.deck_id, func.avg(Review.score))
                .join(CardRow, CardRow.id == Review.card_id)
                .where(Review.learner_id == tutor.learner_id, Review.score.is_not(None), Review.reviewed_at >= since)
                .group_by(CardRow.deck_id)
            ).all()
        )
    result = []
    for deck_id, title_ja, title_en, role in decks:
        seen, learned, mature = states.get(deck_id, (0, 0, 0))
        mean = scores.get(deck_id)
        result.append(
            DeckMastery(deck_id, title_ja, title_en, role, totals.get(deck_id, 0), seen, learned, mature, None if mean is None else round(mean))
        )
    return result


@dataclass(frozen=True)
class WeakPoint:
    """A key point the learner keeps missing, with the card it belongs to."""

    card_id: int
    deck_id: str
    point_id: str
    label_ja: str | None
    label_en: str | None
    question_ja: str | None
    question_en: str | None
    misses: int
    partials: int
    attempts: int

    def label(self, lang: str) -> str:
        first, second = (self.label_ja, self.label_en) if lang == "ja" else (self.label_en, self.label_ja)
        return first or second or self.point_id

    def question(self, lang: str) -> str:
        first, second = (self.question_ja, self.question_en) if lang == "ja" else (self.question_en, self.question_ja)
        return first or second or ""

    @property
    def miss_rate(self) -> float:
        """Misses count fully, partial hits half."""
        return (self.misses + 0.5 * self.partials) / self.attempts if self.attempts else 0.0


def weakest_points(tutor: Tutor, limit: int = 10) -> list[WeakPoint]:
    """Key points missed most often across scored answers (``Review.points``), worst first.

    Only points missed or half-hit at least once are listed; retired cards and
    removed decks are left out.
    """
    with tutor.store.read() as session:
        rows = session.execute(
            select(Review.card_id, Review.points)
            .join(CardRow, CardRow.id == Review.card_id)
            .join(DeckRow, DeckRow.id == CardRow.deck_id)
            .where(
                Review.learner_id == tutor.learner_id,
                Review.points.is_not(None),
                CardRow.retired.is_(False),
                DeckRow.removed.is_(False),
            )
        ).all()
        tally: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # misses, partials, attempts
        for card_id, raw in rows:
            try:
                points = json.loads(raw)
            except ValueError:
                continue
            for point in points if isinstance(points, list) else ():
                if not isinstance(point, dict) or "id" not in point:
                    continue
                counts = tally[(card_id, str(point["id"]))]
                counts[2] += 1
                if point.get("status") == "miss":
                    counts[0] += 1
                elif point.get("status") == "partial":
                    counts[1] += 1
        weak = [(key, c) for key, c in tally.items() if c[0] or c[1]]
        weak.sort(key=lambda item: (-(item[1][0] + 0.5 * item[1][1]) / item[1][2], -item[1][0], item[0]))
        weak = weak[:limit]
        cards = {
            row.id: row
            for row in session.scalars(select(CardRow).where(CardRow.id.in_({card_id for (card_id, _), _ in weak})))
        } if weak else {}
    result = []
    for (card_id, point_id), (misses, partials, attempts) in weak:
        card = cards.get(card_id)
        if card is None:
            continue
        labels = {kp.get("id"): kp for kp in json.loads(card.key_points)}
        kp = labels.get(point_id, {})
        result.append(
            WeakPoint(card_id, card.deck_id, point_id, kp.get("ja"), kp.get("en"), card.question_ja, card.question_en, misses, partials, attempts)
        )
    return result
