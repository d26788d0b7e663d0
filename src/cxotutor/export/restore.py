"""``cxotutor import-progress``: restore an export on a new machine, or merge it into a database.

Idempotent: a review is the same review if it has the same deck, card key,
time and rating, so importing a file twice adds nothing. Card states and path
progress keep whichever side is newer. Everything happens in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select

from cxotutor.export.base import STATE_CODES
from cxotutor.export.document import ExportDoc
from cxotutor.store import Store
from cxotutor.store.tables import CardRow, CardState, Interview, Learner, Review, Setting, StepProgress


@dataclass(frozen=True)
class ImportSummary:
    learner: str
    reviews_added: int
    reviews_known: int
    states_added: int
    states_updated: int
    interviews_added: int
    steps_updated: int
    settings_added: int
    skipped_reviews: int
    missing_decks: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.reviews_added or self.states_added or self.states_updated or self.interviews_added
                    or self.steps_updated or self.settings_added)

    def __str__(self) -> str:
        text = (f"{self.learner}: {self.reviews_added} review(s) added ({self.reviews_known} already here), "
                f"{self.states_added} card state(s) restored, {self.states_updated} updated, "
                f"{self.interviews_added} interview(s), {self.steps_updated} path step(s)")
        if self.skipped_reviews or self.missing_decks:
            text += (f"; skipped {self.skipped_reviews} review(s) of cards not installed here"
                     f" ({', '.join(self.missing_decks)}): install those decks, then import again")
        return text


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


def import_progress(store: Store, doc: ExportDoc, learner: str | None = None, now: datetime | None = None) -> ImportSummary:
    """Merge ``doc`` into ``learner``'s progress (default: the learner named in the export)."""
    name = (learner or doc.learner).strip()
    if not name or len(name) > 100:
        raise ValueError("learner name must be 1 to 100 characters")
    now = now or datetime.now(timezone.utc)
    deck_ids = {d.id for d in doc.decks} | {s.deck for s in doc.card_states} | {r.deck for r in doc.reviews}
    with store.write() as session:
        learner_id = session.scalar(select(Learner.id).where(Learner.name == name))
        if learner_id is None:
            row = Learner(name=name, created_at=now)
            session.add(row)
            session.flush()
            learner_id = row.id
        cards: dict[tuple[str, str], int] = {}
        for chunk in _chunks(sorted(deck_ids)):
            for deck_id, key, card_id in session.execute(select(CardRow.deck_id, CardRow.key, CardRow.id).where(CardRow.deck_id.in_(chunk))):
                cards[(deck_id, key)] = card_id

        # Interviews first: reviews point at them.
        known_interviews = {
            (_utc(started), role): iid
            for iid, started, role in session.execute(
                select(Interview.id, Interview.started_at, Interview.role).where(Interview.learner_id == learner_id)
            )
        }
        interview_ids: dict[int, int] = {}
        interviews_added = 0
        for item in doc.interviews:
            key = (_utc(item.started_at), item.role)
            if key not in known_interviews:
                row = Interview(learner_id=learner_id, role=item.role, started_at=_utc(item.started_at),
                                finished_at=_utc(item.finished_at), seconds_per_question=item.seconds_per_question,
                                score=item.score, report=None if item.report is None else json.dumps(item.report, ensure_ascii=False))
                session.add(row)
                session.flush()
                known_interviews[key] = row.id
                interviews_added += 1
            interview_ids[item.ref] = known_interviews[key]

        seen = {
            (card_id, _utc(at), rating)
            for card_id, at, rating in session.execute(
                select(Review.card_id, Review.reviewed_at, Review.rating).where(Review.learner_id == learner_id)
            )
        }
        fresh, known, skipped, missing = [], 0, 0, set()
        for review in sorted(doc.reviews, key=lambda r: _utc(r.reviewed_at)):
            card_id = cards.get((review.deck, review.card))
            if card_id is None:
                skipped += 1
                missing.add(review.deck)
                continue
            key = (card_id, _utc(review.reviewed_at), review.rating)
            if key in seen:
                known += 1
                continue
            seen.add(key)
            fresh.append(_review_row(learner_id, card_id, review, interview_ids))
        for chunk in _chunks(fresh, 2000):
            session.execute(insert(Review.__table__), chunk)

        states_added = states_updated = 0
        for item in doc.card_states:
            card_id = cards.get((item.deck, item.card))
            if card_id is None:
                missing.add(item.deck)
                continue
            values = dict(state=STATE_CODES[item.state], step=item.step, stability=item.stability, difficulty=item.difficulty,
                          due=_utc(item.due), last_review=_utc(item.last_review), reps=item.reps, lapses=item.lapses)
            row = session.get(CardState, (learner_id, card_id))
            if row is None:
                session.add(CardState(learner_id=learner_id, card_id=card_id, first_review=_utc(item.first_review), **values))
                states_added += 1
            elif _newer(values["last_review"], row.last_review):
                for key, value in values.items():
                    setattr(row, key, value)
                row.first_review = min(row.first_review, _utc(item.first_review))
                states_updated += 1

        steps_updated = 0
        for path in doc.paths:
            for step in path.progress:
                row = session.get(StepProgress, (learner_id, path.id, step.step, step.resource))
                values = dict(status=step.status, note=step.note, started_at=_utc(step.started_at),
                              finished_at=_utc(step.finished_at), updated_at=_utc(step.updated_at))
                if row is None:
                    session.add(StepProgress(learner_id=learner_id, path_id=path.id, step_id=step.step, resource=step.resource, **values))
                    steps_updated += 1
                elif _newer(values["updated_at"], row.updated_at):
                    for key, value in values.items():
                        setattr(row, key, value)
                    steps_updated += 1

        settings_added = _merge_settings(session, learner_id, doc.settings)
    return ImportSummary(name, len(fresh), known, states_added, states_updated, interviews_added, steps_updated,
                         settings_added, skipped, tuple(sorted(missing)))


def _newer(theirs: datetime | None, ours: datetime | None) -> bool:
    if theirs is None:
        return False
    return ours is None or theirs > ours


def _review_row(learner_id: int, card_id: int, review, interview_ids: dict[int, int]) -> dict:
    before = review.before
    return {
        "learner_id": learner_id,
        "card_id": card_id,
        "reviewed_at": _utc(review.reviewed_at),
        "rating": review.rating,
        "mode": review.mode,
        "scheduled": review.scheduled,
        "prior_state": STATE_CODES[review.prior_state],
        "answer": review.answer,
        "score": review.score,
        "points": None if review.points is None else json.dumps(review.points, ensure_ascii=False),
        "duration_ms": review.duration_ms,
        "state": STATE_CODES[review.state] if review.state else None,
        "stability": review.stability,
        "difficulty": review.difficulty,
        "due": _utc(review.due),
        "interval_days": review.interval_days,
        "before": None if before is None else json.dumps({
            "state": before.state, "step": before.step, "stability": before.stability, "difficulty": before.difficulty,
            "due": _utc(before.due).isoformat(), "last_review": _utc(before.last_review).isoformat() if before.last_review else None,
            "reps": before.reps, "lapses": before.lapses,
        }),
        "interview_id": interview_ids.get(review.interview) if review.interview is not None else None,
    }


def _merge_settings(session, learner_id: int, settings: dict) -> int:
    """Add settings the learner does not have yet; never overwrite, never store an invalid value."""
    from dataclasses import fields

    from cxotutor.settings import Settings

    known = {f.name for f in fields(Settings)}
    have = set(session.scalars(select(Setting.key).where(Setting.learner_id == learner_id)))
    added = 0
    for key, value in settings.items():
        if key not in known or key in have:
            continue
        try:
            Settings.defaults().with_changes(**{key: tuple(value) if isinstance(value, list) else value})
        except (TypeError, ValueError):
            continue
        session.add(Setting(learner_id=learner_id, key=key, value=json.dumps(value)))
        added += 1
    return added


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]
