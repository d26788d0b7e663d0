"""Database tables (SQLModel). Schema changes go through an Alembic migration.

Every learner-owned row carries ``learner_id`` so one database can hold a class.
Times are stored as naive UTC and come back timezone-aware (see ``UTCDateTime``).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the column (same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _utc(nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Learner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(100), unique=True, nullable=False))
    created_at: datetime = Field(sa_column=_utc())


class DeckRow(SQLModel, table=True):
    __tablename__ = "deck"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    version: int
    title_ja: str | None = Field(default=None, sa_column=Column(Text))
    title_en: str | None = Field(default=None, sa_column=Column(Text))
    role: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    languages: str = Field(sa_column=Column(String(16), nullable=False))  # "ja,en"
    author: str | None = Field(default=None, sa_column=Column(Text))
    source: str | None = Field(default=None, sa_column=Column(Text))
    origin: str = Field(sa_column=Column(String(16), nullable=False))  # bundled | installed
    file_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    removed: bool = False  # hidden from queues; history kept
    installed_at: datetime = Field(sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc())


class CardRow(SQLModel, table=True):
    """A card; ``key`` is the deck-local id that survives re-installs."""

    __tablename__ = "card"
    __table_args__ = (
        UniqueConstraint("deck_id", "key", name="uq_card_deck_key"),
        # Live cards in queue order: the new-card query and the per-deck counts read this index, never the wide rows.
        Index("ix_card_live_order", "retired", "deck_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(sa_column=Column(String(64), ForeignKey("deck.id", ondelete="CASCADE"), nullable=False))
    key: str = Field(sa_column=Column(String(64), nullable=False))
    position: int
    question_ja: str | None = Field(default=None, sa_column=Column(Text))
    question_en: str | None = Field(default=None, sa_column=Column(Text))
    answer_ja: str | None = Field(default=None, sa_column=Column(Text))
    answer_en: str | None = Field(default=None, sa_column=Column(Text))
    key_points: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of key points
    tags: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list; card_tag indexes it
    source: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    retired: bool = False


class CardTag(SQLModel, table=True):
    __tablename__ = "card_tag"
    __table_args__ = (Index("ix_card_tag_tag", "tag", "card_id"),)

    card_id: int = Field(sa_column=Column(Integer, ForeignKey("card.id", ondelete="CASCADE"), primary_key=True))
    tag: str = Field(sa_column=Column(String(64), primary_key=True))


class CardState(SQLModel, table=True):
    """A learner's FSRS state for one card. No row means the card is new to them."""

    __tablename__ = "card_state"
    # WITHOUT ROWID (SQLite): the rows are stored in primary-key order, so a learner's
    # states are one contiguous range and a lookup by (learner, card) is a single b-tree probe.
    __table_args__ = (Index("ix_card_state_due", "learner_id", "due"), {"sqlite_with_rowid": False})

    learner_id: int = Field(sa_column=Column(Integer, ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True))
    card_id: int = Field(sa_column=Column(Integer, ForeignKey("card.id", ondelete="CASCADE"), primary_key=True))
    state: int  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = Field(sa_column=_utc())
    last_review: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    reps: int = 0
    lapses: int = 0
    first_review: datetime = Field(sa_column=_utc())


class Review(SQLModel, table=True):
    """One rating the learner gave. ``before`` (JSON) lets undo restore the prior state."""

    __tablename__ = "review"
    __table_args__ = (
        Index("ix_review_learner_time", "learner_id", "reviewed_at"),
        # One learner's history of one card (and the card's reviews, for cascades and class reports).
        Index("ix_review_card_learner_time", "card_id", "learner_id", "reviewed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=Column(Integer, ForeignKey("learner.id", ondelete="CASCADE"), nullable=False))
    card_id: int = Field(sa_column=Column(Integer, ForeignKey("card.id", ondelete="CASCADE"), nullable=False))
    reviewed_at: datetime = Field(sa_column=_utc())
    rating: int
    mode: str = Field(sa_column=Column(String(16), nullable=False))  # review | flip | interview
    scheduled: bool = True  # False: logged only (an interview answer that did not move the schedule)
    prior_state: int = 0  # fsrs state before the rating; 0 = the card was new
    answer: str | None = Field(default=None, sa_column=Column(Text))
    score: int | None = None
    points: str | None = Field(default=None, sa_column=Column(Text))  # JSON per-key-point results
    duration_ms: int | None = None
    state: int | None = None  # state after the review
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    interval_days: int | None = None
    before: str | None = Field(default=None, sa_column=Column(Text))  # JSON card state before; null = was new
    interview_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("interview.id", ondelete="SET NULL"), nullable=True))


class Interview(SQLModel, table=True):
    __table_args__ = (Index("ix_interview_learner_time", "learner_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(sa_column=Column(Integer, ForeignKey("learner.id", ondelete="CASCADE"), nullable=False))
    role: str | None = Field(default=None, sa_column=Column(String(16)))
    started_at: datetime = Field(sa_column=_utc())
    finished_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    seconds_per_question: int | None = None
    score: int | None = None
    report: str | None = Field(default=None, sa_column=Column(Text))  # JSON report card


class PathRow(SQLModel, table=True):
    __tablename__ = "learning_path"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    version: int
    role: str = Field(sa_column=Column(String(16), nullable=False))
    data: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the validated path
    origin: str = Field(sa_column=Column(String(16), nullable=False))
    file_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    removed: bool = False
    updated_at: datetime = Field(sa_column=_utc())


class StepProgress(SQLModel, table=True):
    """Progress on a path step (``resource`` = "") or on one resource of it (its index)."""

    __tablename__ = "step_progress"

    learner_id: int = Field(sa_column=Column(Integer, ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True))
    path_id: str = Field(sa_column=Column(String(64), primary_key=True))
    step_id: str = Field(sa_column=Column(String(64), primary_key=True))
    resource: str = Field(default="", sa_column=Column(String(16), primary_key=True))
    status: str = Field(sa_column=Column(String(16), nullable=False))  # todo | in-progress | done | skipped
    note: str | None = Field(default=None, sa_column=Column(Text))
    started_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    updated_at: datetime = Field(sa_column=_utc())


class Setting(SQLModel, table=True):
    learner_id: int = Field(sa_column=Column(Integer, ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True))
    key: str = Field(sa_column=Column(String(64), primary_key=True))
    value: str = Field(sa_column=Column(Text, nullable=False))  # JSON
