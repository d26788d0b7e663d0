"""Database tables (SQLAlchemy declarative). Schema changes go through an Alembic migration.

Every learner-owned row carries ``learner_id`` so one database can hold a class.
Times are stored as naive UTC and come back timezone-aware (see ``UTCDateTime``).

Plain SQLAlchemy, not SQLModel: importing SQLModel and building its pydantic-backed
table classes cost 0.13-0.17 s of the 0.8 s start-up budget (issue 7), and nothing
here used what it adds.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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


class Table(DeclarativeBase):
    type_annotation_map = {float: Float}  # revision 0001 has FLOAT (SQLAlchemy 2 would map float to DOUBLE)

    def __init__(self, **values) -> None:
        # A new row shows its column defaults at once, not only after the INSERT.
        for column in self.__table__.columns:
            if column.key not in values and column.default is not None and column.default.is_scalar:
                values[column.key] = column.default.arg
        cls = type(self)
        for key, value in values.items():
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is not a column of {cls.__name__}")
            setattr(self, key, value)


metadata = Table.metadata


def _utc(nullable: bool = False, index: bool = False):
    return mapped_column(UTCDateTime(), nullable=nullable, index=index)


def _learner_key():
    return mapped_column(ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True)


class Learner(Table):
    __tablename__ = "learner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = _utc()


class DeckRow(Table):
    __tablename__ = "deck"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int]
    title_ja: Mapped[str | None] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), index=True)
    languages: Mapped[str] = mapped_column(String(16))  # "ja,en"
    author: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))  # bundled | installed
    file_hash: Mapped[str | None] = mapped_column(String(64))
    removed: Mapped[bool] = mapped_column(default=False)  # hidden from queues; history kept
    installed_at: Mapped[datetime] = _utc()
    updated_at: Mapped[datetime] = _utc()


class CardRow(Table):
    """A card; ``key`` is the deck-local id that survives re-installs."""

    __tablename__ = "card"
    __table_args__ = (
        UniqueConstraint("deck_id", "key", name="uq_card_deck_key"),
        # Live cards in queue order: the new-card query and the per-deck counts read this index, never the wide rows.
        Index("ix_card_live_order", "retired", "deck_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[str] = mapped_column(String(64), ForeignKey("deck.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    question_ja: Mapped[str | None] = mapped_column(Text)
    question_en: Mapped[str | None] = mapped_column(Text)
    answer_ja: Mapped[str | None] = mapped_column(Text)
    answer_en: Mapped[str | None] = mapped_column(Text)
    key_points: Mapped[str] = mapped_column(Text)  # JSON list of key points
    tags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list; card_tag indexes it
    source: Mapped[str | None] = mapped_column(Text)  # JSON
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(default=False)


class CardTag(Table):
    __tablename__ = "card_tag"
    __table_args__ = (Index("ix_card_tag_tag", "tag", "card_id"),)

    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class CardState(Table):
    """A learner's FSRS state for one card. No row means the card is new to them."""

    __tablename__ = "card_state"
    # WITHOUT ROWID (SQLite): the rows are stored in primary-key order, so a learner's
    # states are one contiguous range and a lookup by (learner, card) is a single b-tree probe.
    __table_args__ = (Index("ix_card_state_due", "learner_id", "due"), {"sqlite_with_rowid": False})

    learner_id: Mapped[int] = _learner_key()
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[int]  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(default=None)
    stability: Mapped[float | None] = mapped_column(default=None)
    difficulty: Mapped[float | None] = mapped_column(default=None)
    due: Mapped[datetime] = _utc()
    last_review: Mapped[datetime | None] = _utc(nullable=True)
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    first_review: Mapped[datetime] = _utc()


class Review(Table):
    """One rating the learner gave. ``before`` (JSON) lets undo restore the prior state."""

    __tablename__ = "review"
    __table_args__ = (
        Index("ix_review_learner_time", "learner_id", "reviewed_at"),
        # One learner's history of one card (and the card's reviews, for cascades and class reports).
        Index("ix_review_card_learner_time", "card_id", "learner_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    reviewed_at: Mapped[datetime] = _utc()
    rating: Mapped[int]
    mode: Mapped[str] = mapped_column(String(16))  # review | flip | interview
    scheduled: Mapped[bool] = mapped_column(default=True)  # False: logged only (an interview answer that did not move the schedule)
    prior_state: Mapped[int] = mapped_column(default=0)  # fsrs state before the rating; 0 = the card was new
    answer: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None]
    points: Mapped[str | None] = mapped_column(Text)  # JSON per-key-point results
    duration_ms: Mapped[int | None]
    state: Mapped[int | None]  # state after the review
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime | None] = _utc(nullable=True)
    interval_days: Mapped[int | None]
    before: Mapped[str | None] = mapped_column(Text)  # JSON card state before; null = was new
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interview.id", ondelete="SET NULL"))


class Interview(Table):
    __tablename__ = "interview"
    __table_args__ = (Index("ix_interview_learner_time", "learner_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime] = _utc()
    finished_at: Mapped[datetime | None] = _utc(nullable=True)
    seconds_per_question: Mapped[int | None]
    score: Mapped[int | None]
    report: Mapped[str | None] = mapped_column(Text)  # JSON report card


class PathRow(Table):
    __tablename__ = "learning_path"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int]
    role: Mapped[str] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text)  # JSON of the validated path
    origin: Mapped[str] = mapped_column(String(16))
    file_hash: Mapped[str | None] = mapped_column(String(64))
    removed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = _utc()


class StepProgress(Table):
    """Progress on a path step (``resource`` = "") or on one resource of it (its index)."""

    __tablename__ = "step_progress"

    learner_id: Mapped[int] = _learner_key()
    path_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    step_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource: Mapped[str] = mapped_column(String(16), primary_key=True, default="")
    status: Mapped[str] = mapped_column(String(16))  # todo | in-progress | done | skipped
    note: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = _utc(nullable=True)
    finished_at: Mapped[datetime | None] = _utc(nullable=True)
    updated_at: Mapped[datetime] = _utc()


class Setting(Table):
    __tablename__ = "setting"

    learner_id: Mapped[int] = _learner_key()
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
