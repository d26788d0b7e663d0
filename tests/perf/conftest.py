"""Two generated collections of different sizes (benchmarks/generate.py), made once per test run.

The budget is guarded by structure, not by timings: query plans use indexes,
and the home screen and the queue issue the same number of statements on
either collection. Both learners share the generator's calendar (the same
study days), so their streaks, and the queries a streak takes, match too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import event

from benchmarks.generate import NOW, Spec, build

SMALLER = Spec("perf-smaller", decks=2, cards_per_deck=60, reviews=1_500)
LARGER = Spec("perf-larger", decks=6, cards_per_deck=200, reviews=15_000)


@dataclass
class Collection:
    spec: Spec
    db: Path
    now: datetime


@pytest.fixture(scope="session")
def collections(tmp_path_factory) -> dict[str, Collection]:
    root = tmp_path_factory.mktemp("perf")
    made = {}
    for spec in (SMALLER, LARGER):
        build(spec, root / spec.name, jobs=1, log=lambda *_: None, install_decks=False)
        made[spec.name] = Collection(spec, root / spec.name / "cxotutor.db", NOW)
    return made


class Statements:
    """Every statement an engine sends, as (sql, parameters)."""

    def __init__(self, engine):
        self.seen: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _executemany):
        self.seen.append((statement, parameters))

    def clear(self) -> None:
        self.seen.clear()


@pytest.fixture
def open_collection():
    """Open a collection's database as its learner, on its fixed clock; returns (tutor, statements)."""
    opened = []

    def opener(collection: Collection):
        from cxotutor.store import open_store
        from cxotutor.tutor import Tutor

        store = open_store(collection.db)
        opened.append(store)
        tutor = Tutor(store, "local", clock=lambda: collection.now, tz=timezone.utc)
        return tutor, Statements(store.engine)

    yield opener
    for store in opened:
        store.dispose()
