"""Class mode: one shared database (PostgreSQL) for a whole bootcamp, seen from the instructor's side.

Learners only ever read and write their own rows through ``Tutor``; these
read-only summaries are for the instructor, who connects to the same database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from cxotutor.store import Store
from cxotutor.store.tables import CardState, Learner, Review, StepProgress

REVIEW_STATE = 2


@dataclass(frozen=True)
class LearnerStatus:
    name: str
    reviews: int
    reviews_7d: int
    retention_30d: float | None  # share of review-state ratings in 30 days that were not Again
    learned: int  # cards in review state
    steps_done: int  # path steps done or skipped
    last_active: datetime | None


def class_status(store: Store, now: datetime) -> list[LearnerStatus]:
    """One row per learner, most recently active first."""
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    with store.read() as session:
        reviews = {
            learner_id: (total, recent, mature, passed, last)
            for learner_id, total, recent, mature, passed, last in session.execute(
                select(
                    Review.learner_id,
                    func.count(),
                    func.sum(case((Review.reviewed_at >= week, 1), else_=0)),
                    func.sum(case(((Review.reviewed_at >= month) & (Review.prior_state == REVIEW_STATE), 1), else_=0)),
                    func.sum(case(((Review.reviewed_at >= month) & (Review.prior_state == REVIEW_STATE) & (Review.rating > 1), 1), else_=0)),
                    func.max(Review.reviewed_at),
                ).group_by(Review.learner_id)
            )
        }
        learned = dict(
            session.execute(
                select(CardState.learner_id, func.count()).where(CardState.state == REVIEW_STATE).group_by(CardState.learner_id)
            ).all()
        )
        steps = dict(
            session.execute(
                select(StepProgress.learner_id, func.count())
                .where(StepProgress.resource == "", StepProgress.status.in_(("done", "skipped")))
                .group_by(StepProgress.learner_id)
            ).all()
        )
        learners = session.execute(select(Learner.id, Learner.name)).all()
    rows = []
    for learner_id, name in learners:
        total, recent, mature, passed, last = reviews.get(learner_id, (0, 0, 0, 0, None))
        rows.append(
            LearnerStatus(
                name=name,
                reviews=int(total or 0),
                reviews_7d=int(recent or 0),
                retention_30d=(int(passed) / int(mature)) if mature else None,
                learned=int(learned.get(learner_id, 0)),
                steps_done=int(steps.get(learner_id, 0)),
                last_active=last,
            )
        )
    rows.sort(key=lambda r: (r.last_active is None, -(r.last_active.timestamp() if r.last_active else 0), r.name))
    return rows
