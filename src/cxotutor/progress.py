"""Progress figures from the review log: study days, heatmap, retention, forecast."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from cxotutor import srs
from cxotutor.store.tables import Review

if TYPE_CHECKING:
    from cxotutor.tutor import Tutor


def daily_reviews(tutor: Tutor, lookback_days: int) -> Counter[date]:
    """Reviews per study day over the last ``lookback_days`` days (for heatmaps and streaks)."""
    now = tutor.clock()
    since = now - timedelta(days=lookback_days + 1)
    hour = tutor.settings.day_start_hour
    with tutor.store.read() as session:
        stamps = session.scalars(
            select(Review.reviewed_at).where(Review.learner_id == tutor.learner_id, Review.reviewed_at >= since)
        ).all()
    return Counter(srs.study_day(stamp, hour, tutor.tz) for stamp in stamps)


def review_days(tutor: Tutor, lookback_days: int) -> set[date]:
    return set(daily_reviews(tutor, lookback_days))
