"""Scheduling with py-fsrs, and the study day that starts at a configurable hour.

The scheduler itself is fsrs's; this module only converts between our stored
card state and ``fsrs.Card`` and decides which study day a moment falls in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True)
class SchedulerConfig:
    desired_retention: float = 0.90
    learning_steps_min: tuple[int, ...] = (1, 10)
    relearning_steps_min: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True

    def scheduler(self) -> Scheduler:
        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in self.learning_steps_min),
            relearning_steps=tuple(timedelta(minutes=m) for m in self.relearning_steps_min),
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=self.fuzz,
        )


@dataclass(frozen=True)
class Memory:
    """A learner's FSRS state for one card (what ``card_state`` stores)."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["due"] = self.due.isoformat()
        data["last_review"] = self.last_review.isoformat() if self.last_review else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Memory:
        return cls(
            state=data["state"],
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(data["last_review"]) if data["last_review"] else None,
            reps=data.get("reps", 0),
            lapses=data.get("lapses", 0),
        )


def schedule(scheduler: Scheduler, memory: Memory | None, rating: int, now: datetime) -> Memory:
    """The state after rating a card at ``now`` (``memory`` None: the card is new)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(timezone.utc)
    if memory is None:
        card = FsrsCard(card_id=1, due=now)
        reps = lapses = 0
    else:
        card = FsrsCard(
            card_id=1,
            state=State(memory.state),
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due,
            last_review=memory.last_review,
        )
        reps, lapses = memory.reps, memory.lapses
    card, _log = scheduler.review_card(card, Rating(rating), review_datetime=now)
    lapsed = memory is not None and memory.state == State.Review and rating == AGAIN
    return Memory(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=reps + 1,
        lapses=lapses + (1 if lapsed else 0),
    )


def study_day(moment: datetime, day_start_hour: int, tz: tzinfo | None) -> date:
    """The study day ``moment`` belongs to: a day starts at ``day_start_hour`` local time."""
    local = moment.astimezone(tz) if tz else moment.astimezone()
    return (local - timedelta(hours=day_start_hour)).date()


def day_bounds(day: date, day_start_hour: int, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """UTC start and end of a study day."""
    start_local = datetime.combine(day, time(hour=day_start_hour))
    start_local = start_local.replace(tzinfo=tz) if tz else start_local.astimezone()
    end_local = datetime.combine(day + timedelta(days=1), time(hour=day_start_hour))
    end_local = end_local.replace(tzinfo=tz) if tz else end_local.astimezone()
    return start_local.astimezone(timezone.utc), end_local.astimezone(timezone.utc)
