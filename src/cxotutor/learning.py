"""Learning paths: listing, per-learner progress on steps and resources, and practice selections.

Progress lives in ``step_progress``: one row per (path, step, resource), where
``resource`` is "" for the step itself or the resource's index as a string.
Completion counts done and skipped steps, as roadmap.sh does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from cxotutor.models import ROLES, Selection
from cxotutor.store.tables import CardRow, CardTag, DeckRow, PathRow, StepProgress

if TYPE_CHECKING:
    from cxotutor.content.model import CareerStage, LearningPath, Resource, Step
    from cxotutor.tutor import Tutor

STATUSES = ("todo", "in-progress", "done", "skipped")
FINISHED = ("done", "skipped")
MAX_NOTE = 5000


def next_status(status: str) -> str:
    """The status after ``status`` when the learner cycles it: todo → in-progress → done → todo."""
    return {"todo": "in-progress", "in-progress": "done"}.get(status, "todo")


def percent(statuses: list[str]) -> int:
    """Share of items done or skipped, 0-100."""
    return round(100 * sum(s in FINISHED for s in statuses) / len(statuses)) if statuses else 0


@dataclass(frozen=True)
class ResourceView:
    index: int
    resource: Resource
    status: str = "todo"


@dataclass(frozen=True)
class StepView:
    step: Step
    status: str = "todo"
    note: str | None = None
    resources: tuple[ResourceView, ...] = ()

    @property
    def resources_finished(self) -> int:
        return sum(r.status in FINISHED for r in self.resources)


@dataclass(frozen=True)
class PathSummary:
    id: str
    role: str
    title_ja: str | None
    title_en: str | None
    steps: int
    finished: int

    def title(self, lang: str) -> str:
        first, second = (self.title_ja, self.title_en) if lang == "ja" else (self.title_en, self.title_ja)
        return first or second or self.id

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.steps) if self.steps else 0


@dataclass(frozen=True)
class PathView:
    path: LearningPath
    steps: tuple[StepView, ...]

    @property
    def career(self) -> tuple[CareerStage, ...]:
        return tuple(self.path.career)

    @property
    def percent(self) -> int:
        return percent([s.status for s in self.steps])

    def step(self, step_id: str) -> StepView:
        for view in self.steps:
            if view.step.id == step_id:
                return view
        raise KeyError(step_id)


def _progress(tutor: Tutor, path_id: str | None = None) -> dict[tuple[str, str, str], StepProgress]:
    query = select(StepProgress).where(StepProgress.learner_id == tutor.learner_id)
    if path_id is not None:
        query = query.where(StepProgress.path_id == path_id)
    with tutor.store.read() as session:
        return {(r.path_id, r.step_id, r.resource): r for r in session.scalars(query)}


def list_paths(tutor: Tutor) -> list[PathSummary]:
    """Every live learning path with how many of its steps are finished.

    Reads only the outline (title, step ids) of each stored path, which was validated
    when it was installed: the home screen calls this at start-up, and parsing whole
    paths would import pydantic and build the content models first (80 ms, issue 7).
    """
    with tutor.store.read() as session:
        rows = session.execute(select(PathRow.id, PathRow.role, PathRow.data).where(PathRow.removed.is_(False))).all()
    progress = _progress(tutor)
    order = {role: n for n, role in enumerate(ROLES)}
    summaries = []
    for path_id, role, data in sorted(rows, key=lambda row: (order.get(row.role, len(order)), row.id)):
        outline = json.loads(data)
        title, steps = outline["title"], [step["id"] for step in outline["steps"]]
        finished = sum(1 for step in steps if (row := progress.get((path_id, step, ""))) is not None and row.status in FINISHED)
        summaries.append(PathSummary(path_id, role, title.get("ja"), title.get("en"), len(steps), finished))
    return summaries


def path_view(tutor: Tutor, path_id: str) -> PathView:
    """One path with the learner's status and note for every step and resource (KeyError if unknown)."""
    with tutor.store.read() as session:
        data = session.scalar(select(PathRow.data).where(PathRow.id == path_id, PathRow.removed.is_(False)))
    if data is None:
        raise KeyError(path_id)
    from cxotutor.content.model import LearningPath

    path = LearningPath.model_validate_json(data)
    progress = _progress(tutor, path_id)
    steps = []
    for step in path.steps:
        own = progress.get((path_id, step.id, ""))
        resources = tuple(
            ResourceView(n, resource, row.status if (row := progress.get((path_id, step.id, str(n)))) else "todo")
            for n, resource in enumerate(step.resources)
        )
        steps.append(StepView(step, own.status if own else "todo", own.note if own else None, resources))
    return PathView(path, tuple(steps))


def _row(session, tutor: Tutor, path_id: str, step_id: str, resource: str, now: datetime) -> StepProgress:
    row = session.get(StepProgress, (tutor.learner_id, path_id, step_id, resource))
    if row is None:
        row = StepProgress(
            learner_id=tutor.learner_id, path_id=path_id, step_id=step_id, resource=resource, status="todo", updated_at=now
        )
        session.add(row)
    return row


def _apply(row: StepProgress, status: str, now: datetime) -> None:
    row.status = status
    row.updated_at = now
    if status in ("in-progress", "done") and row.started_at is None:
        row.started_at = now
    row.finished_at = now if status in FINISHED else None


def set_status(tutor: Tutor, path_id: str, step_id: str, status: str, resource: int | None = None) -> PathView:
    """Mark a step (``resource`` None) or one of its resources; returns the updated path.

    Starting or finishing a resource moves a step still at "todo" to "in-progress".
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    view = path_view(tutor, path_id)
    step = view.step(step_id).step
    if resource is not None and not 0 <= resource < len(step.resources):
        raise KeyError(f"{path_id}/{step_id}/{resource}")
    now = tutor.clock()
    with tutor.store.write() as session:
        if resource is None:
            _apply(_row(session, tutor, path_id, step_id, "", now), status, now)
        else:
            _apply(_row(session, tutor, path_id, step_id, str(resource), now), status, now)
            if status in ("in-progress", "done"):
                own = _row(session, tutor, path_id, step_id, "", now)
                if own.status == "todo":
                    _apply(own, "in-progress", now)
    return path_view(tutor, path_id)


def set_note(tutor: Tutor, path_id: str, step_id: str, note: str) -> PathView:
    """Save the learner's note on a step (empty text clears it)."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValueError(f"a note can be at most {MAX_NOTE} characters")
    path_view(tutor, path_id).step(step_id)
    now = tutor.clock()
    with tutor.store.write() as session:
        row = _row(session, tutor, path_id, step_id, "", now)
        row.note = note or None
        row.updated_at = now
    return path_view(tutor, path_id)


def practice_selection(step: Step) -> Selection:
    """The queue selection that drills a step: its practice decks and tags."""
    return Selection(decks=tuple(step.practice.decks), tags=tuple(step.practice.tags))


def practice_card_ids(tutor: Tutor, step: Step) -> list[int]:
    """Every live card a step practises, due or not (for drilling ahead of schedule)."""
    selection = practice_selection(step)
    if not selection.decks and not selection.tags:
        return []
    conditions = [CardRow.retired.is_(False), DeckRow.removed.is_(False)]
    if selection.decks:
        conditions.append(CardRow.deck_id.in_(selection.decks))
    if selection.tags:
        conditions.append(exists().where(CardTag.card_id == CardRow.id, CardTag.tag.in_(selection.tags)))
    with tutor.store.read() as session:
        return list(
            session.scalars(
                select(CardRow.id).join(DeckRow, DeckRow.id == CardRow.deck_id).where(*conditions).order_by(CardRow.deck_id, CardRow.position)
            )
        )
