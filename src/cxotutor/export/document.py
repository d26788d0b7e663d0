"""The JSON progress document: collect it from the database, write it as a stream, read and check it.

The shape is documented in ``docs/export-format.md``. Reviews are the only
part that grows without bound, so they are streamed from the database
(SQLAlchemy Core, ``yield_per``) and written one line each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Annotated, Any, Iterable, Iterator, Literal, TextIO

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import String, select, type_coerce

from cxotutor import __version__
from cxotutor.export.base import FORMAT, SCHEMA_VERSION, STATE_CODES, STATE_NAMES, STREAM_BATCH, ExportError, find_learner, iso
from cxotutor.store import Store
from cxotutor.store.tables import CardRow, CardState, DeckRow, Interview, PathRow, Review, Setting, StepProgress

def utc_offset_minutes(now: datetime, tz: tzinfo | None) -> int:
    """The offset of ``tz`` (None: this machine's zone) at ``now``, in minutes east of UTC."""
    local = now.astimezone(tz) if tz else now.astimezone()
    offset = local.utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


@dataclass
class Parts:
    """A progress document with the review log as an iterator (so it can stream)."""

    header: dict
    decks: list[dict]
    card_states: list[dict]
    reviews: Iterable[dict]
    paths: list[dict]
    interviews: list[dict]

    @property
    def day_start_hour(self) -> int:
        return int(self.header["timezone"]["day_start_hour"])

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(minutes=int(self.header["timezone"]["utc_offset_minutes"])))

    @property
    def exported_at(self) -> datetime:
        value = self.header["exported_at"]
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def collect(store: Store, learner: str, now: datetime | None = None, tz: tzinfo | None = None) -> Parts:
    """Everything ``learner`` has in ``store``; the reviews are read lazily when iterated."""
    from cxotutor.settings import Settings

    learner_id = find_learner(store, learner)
    now = now or datetime.now(timezone.utc)
    with store.read() as session:
        values = dict(session.execute(select(Setting.key, Setting.value).where(Setting.learner_id == learner_id)).all())
        settings = {}
        for key, raw in values.items():
            try:
                settings[key] = json.loads(raw)
            except ValueError:
                continue
        day_start = Settings.from_values(values).day_start_hour
        deck_rows = session.execute(select(DeckRow).order_by(DeckRow.id)).scalars().all()
        card_rows = session.execute(
            select(CardRow.deck_id, CardRow.key, CardRow.question_ja, CardRow.question_en, CardRow.key_points, CardRow.tags, CardRow.retired)
            .order_by(CardRow.deck_id, CardRow.retired, CardRow.position)
        ).all()
        states = session.execute(
            select(CardRow.deck_id, CardRow.key, CardState)
            .join(CardState, CardState.card_id == CardRow.id)
            .where(CardState.learner_id == learner_id)
            .order_by(CardRow.deck_id, CardRow.key)
        ).all()
        path_rows = session.execute(select(PathRow).where(PathRow.removed.is_(False)).order_by(PathRow.id)).scalars().all()
        progress = session.execute(
            select(StepProgress).where(StepProgress.learner_id == learner_id)
            .order_by(StepProgress.path_id, StepProgress.step_id, StepProgress.resource)
        ).scalars().all()
        interview_rows = session.execute(
            select(Interview).where(Interview.learner_id == learner_id).order_by(Interview.started_at, Interview.id)
        ).scalars().all()
    cards_by_deck: dict[str, list[dict]] = {}
    for deck_id, key, q_ja, q_en, key_points, tags, retired in card_rows:
        points = [{"id": kp.get("id"), "ja": kp.get("ja"), "en": kp.get("en")} for kp in json.loads(key_points)]
        cards_by_deck.setdefault(deck_id, []).append(
            {"key": key, "question": {"ja": q_ja, "en": q_en}, "key_points": points, "tags": json.loads(tags), "retired": bool(retired)}
        )
    decks = [
        {"id": d.id, "version": d.version, "title": {"ja": d.title_ja, "en": d.title_en}, "role": d.role, "origin": d.origin,
         "removed": bool(d.removed), "cards": cards_by_deck.get(d.id, [])}
        for d in deck_rows
    ]
    card_states = [
        {"deck": deck_id, "card": key, "state": STATE_NAMES.get(s.state, "learning"), "step": s.step, "stability": s.stability,
         "difficulty": s.difficulty, "due": iso(s.due), "last_review": iso(s.last_review), "reps": s.reps, "lapses": s.lapses,
         "first_review": iso(s.first_review)}
        for deck_id, key, s in states
    ]
    by_path: dict[str, list[dict]] = {}
    for p in progress:
        by_path.setdefault(p.path_id, []).append(
            {"step": p.step_id, "resource": p.resource, "status": p.status, "note": p.note, "started_at": iso(p.started_at),
             "finished_at": iso(p.finished_at), "updated_at": iso(p.updated_at)}
        )
    paths = []
    for row in path_rows:
        data = json.loads(row.data)
        paths.append({
            "id": row.id, "version": row.version, "role": row.role, "title": data.get("title", {}),
            "steps": [{"id": s["id"], "title": s.get("title", {})} for s in data.get("steps", [])],
            "progress": by_path.pop(row.id, []),
        })
    for path_id, rows in sorted(by_path.items()):  # progress on a path no longer installed is still the learner's
        paths.append({"id": path_id, "version": None, "role": None, "title": {}, "steps": [], "progress": rows})
    refs = {row.id: n for n, row in enumerate(interview_rows, start=1)}
    interviews = [
        {"ref": refs[row.id], "role": row.role, "started_at": iso(row.started_at), "finished_at": iso(row.finished_at),
         "seconds_per_question": row.seconds_per_question, "score": row.score, "report": _loads(row.report)}
        for row in interview_rows
    ]
    header = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "learner": learner.strip(),
        "exported_at": iso(now),
        "timezone": {"utc_offset_minutes": utc_offset_minutes(now, tz), "day_start_hour": day_start},
        "settings": settings,
    }
    return Parts(header, decks, card_states, _stream_reviews(store, learner_id, refs), paths, interviews)


def _loads(raw: str | None) -> Any:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _stream_reviews(store: Store, learner_id: int, refs: dict[int, int]) -> Iterator[dict]:
    r = Review.__table__.c
    c = CardRow.__table__.c
    at_col, due_col = r.reviewed_at, r.due
    stamp = iso
    if store.is_sqlite:
        # The stored text is already UTC ("YYYY-MM-DD HH:MM:SS.ffffff"): reshaping it is
        # several times cheaper than a datetime round trip, and parses to the same instant.
        at_col, due_col = type_coerce(r.reviewed_at, String), type_coerce(r.due, String)
        stamp = _sqlite_iso
    query = (
        select(c.deck_id, c.key, at_col, r.rating, r.mode, r.scheduled, r.prior_state, r.state, r.interval_days,
               r.stability, r.difficulty, due_col, r.duration_ms, r.score, r.answer, r.points, r.before, r.interview_id)
        .select_from(Review.__table__.join(CardRow.__table__, c.id == r.card_id))
        .where(r.learner_id == learner_id)
        .order_by(r.reviewed_at, r.id)
    )
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(query)
        for (deck, key, at, rating, mode, scheduled, prior, state, interval, stability, difficulty, due, duration, score,
             answer, points, before, interview) in result:
            yield {
                "deck": deck, "card": key, "reviewed_at": stamp(at), "rating": rating, "mode": mode, "scheduled": bool(scheduled),
                "prior_state": STATE_NAMES.get(prior, "new"), "state": STATE_NAMES.get(state) if state is not None else None,
                "interval_days": interval, "stability": stability, "difficulty": difficulty, "due": stamp(due),
                "duration_ms": duration, "score": score, "answer": answer, "points": _loads(points), "before": _loads(before),
                "interview": refs.get(interview) if interview is not None else None,
            }


def _sqlite_iso(text: str | None) -> str | None:
    """SQLite's stored "2026-01-05 10:00:00.000000" (UTC) as "2026-01-05T10:00:00.000000Z"."""
    if text is None:
        return None
    return f"{text[:10]}T{text[11:]}Z"


def write_json(store: Store, learner: str, out: TextIO, now: datetime | None = None, tz: tzinfo | None = None) -> int:
    """Write ``learner``'s progress document to ``out``; returns the number of reviews written."""
    parts = collect(store, learner, now, tz)
    return write_parts(parts, out)


def write_parts(parts: Parts, out: TextIO) -> int:
    """Write a document as JSON, one review per line, streaming the log; returns the number of reviews."""
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, not one per review
    out.write("{\n")
    for key, value in parts.header.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    for key, items in (("decks", parts.decks), ("card_states", parts.card_states), ("paths", parts.paths),
                       ("interviews", parts.interviews)):
        out.write(f'"{key}": [')
        out.write(",".join("\n  " + dump(item) for item in items))
        out.write("\n],\n" if items else "],\n")
    out.write('"reviews": [')
    count = 0
    for review in parts.reviews:
        out.write(("\n  " if count == 0 else ",\n  ") + dump(review))
        count += 1
    out.write("\n]\n}\n" if count else "]\n}\n")
    return count


# -- reading and checking ----------------------------------------------------------------

State = Literal["learning", "review", "relearning"]
PriorState = Literal["new", "learning", "review", "relearning"]
Stamp = AwareDatetime
Id = Annotated[str, Field(min_length=1, max_length=64)]


class _Doc(BaseModel):
    # Unknown keys are ignored: a newer cxotutor may add fields within the same schema version.
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class TextDoc(_Doc):
    ja: str | None = None
    en: str | None = None


class KeyPointDoc(_Doc):
    id: str
    ja: str | None = None
    en: str | None = None


class CardDoc(_Doc):
    key: Id
    question: TextDoc = TextDoc()
    key_points: list[KeyPointDoc] = []
    tags: list[str] = []
    retired: bool = False


class DeckDoc(_Doc):
    id: Id
    version: int | None = None
    title: TextDoc = TextDoc()
    role: str | None = None
    origin: str | None = None
    removed: bool = False
    cards: list[CardDoc] = []


class CardStateDoc(_Doc):
    deck: Id
    card: Id
    state: State
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: Stamp
    last_review: Stamp | None = None
    reps: int = Field(default=0, ge=0)
    lapses: int = Field(default=0, ge=0)
    first_review: Stamp


class MemoryDoc(_Doc):
    state: int = Field(ge=1, le=3)
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: Stamp
    last_review: Stamp | None = None
    reps: int = 0
    lapses: int = 0


class ReviewDoc(_Doc):
    deck: Id
    card: Id
    reviewed_at: Stamp
    rating: int = Field(ge=1, le=4)
    mode: Literal["review", "flip", "interview"]
    scheduled: bool = True
    prior_state: PriorState = "new"
    state: State | None = None
    interval_days: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: Stamp | None = None
    duration_ms: int | None = Field(default=None, ge=0)
    score: int | None = Field(default=None, ge=0, le=100)
    answer: str | None = None
    points: list[dict] | None = None
    before: MemoryDoc | None = None
    interview: int | None = None


class StepDoc(_Doc):
    id: str
    title: TextDoc = TextDoc()


class StepProgressDoc(_Doc):
    step: Id
    resource: str = Field(default="", max_length=16)
    status: Literal["todo", "in-progress", "done", "skipped"]
    note: str | None = None
    started_at: Stamp | None = None
    finished_at: Stamp | None = None
    updated_at: Stamp


class PathDoc(_Doc):
    id: Id
    version: int | None = None
    role: str | None = None
    title: TextDoc = TextDoc()
    steps: list[StepDoc] = []
    progress: list[StepProgressDoc] = []


class InterviewDoc(_Doc):
    ref: int
    role: str | None = None
    started_at: Stamp
    finished_at: Stamp | None = None
    seconds_per_question: int | None = None
    score: int | None = None
    report: Any = None


class TimezoneDoc(_Doc):
    utc_offset_minutes: int = Field(ge=-24 * 60, le=24 * 60)
    day_start_hour: int = Field(ge=0, le=23)


class ExportDoc(_Doc):
    format: Literal["cxotutor-progress"]
    schema_version: int = Field(ge=1)
    app_version: str = ""
    learner: str = Field(min_length=1, max_length=100)
    exported_at: Stamp
    timezone: TimezoneDoc
    settings: dict = {}
    decks: list[DeckDoc]
    card_states: list[CardStateDoc]
    reviews: list[ReviewDoc]
    paths: list[PathDoc] = []
    interviews: list[InterviewDoc] = []

    def parts(self) -> Parts:
        """The same plain-dict shape ``collect`` gives, so reports read a file like a database."""
        data = self.model_dump(mode="json")
        header = {key: data[key] for key in ("format", "schema_version", "app_version", "learner", "exported_at", "timezone", "settings")}
        return Parts(header, data["decks"], data["card_states"], data["reviews"], data["paths"], data["interviews"])


def read_document(path: Path | str) -> ExportDoc:
    """Read and check an export; ExportError (one line) for anything but a well-formed document we understand."""
    path = Path(path)
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{label}: cannot read file: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ExportError(f"{label}: not UTF-8 text, so not a cxotutor export") from None
    except json.JSONDecodeError as exc:
        truncated = " (the file looks truncated)" if exc.pos >= len(raw.rstrip()) else ""
        raise ExportError(f"{label}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}{truncated}") from None
    except RecursionError:
        raise ExportError(f"{label}: JSON nested too deeply") from None
    return check_document(data, label)


def check_document(data: object, label: str) -> ExportDoc:
    """Check parsed JSON against the schema; ExportError names the first problem in one line."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"{label}: not a cxotutor progress export (no \"format\": \"{FORMAT}\")")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportError(f"{label}: schema_version must be a positive integer")
    if version > SCHEMA_VERSION:
        raise ExportError(f"{label}: made by a newer cxotutor (export schema {version}; this one reads up to "
                          f"{SCHEMA_VERSION}); upgrade cxotutor to import it")
    try:
        return ExportDoc.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(".")
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise ExportError(f"{label}: {where or 'document'}: {err['msg']}{more}") from None
