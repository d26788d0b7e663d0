"""Export and import on PostgreSQL (class mode): the CSV's non-SQLite path, and a round trip between engines."""

from __future__ import annotations

import csv
import io
import json
from datetime import timezone

import pytest

from cxotutor.library import sync_bundled

from ..conftest import MINI_DECK
from .test_exports import read_document_from, study


@pytest.fixture
def pg_tutor(postgres, clock):
    from cxotutor.store import open_store
    from cxotutor.tutor import Tutor

    store = open_store(postgres.new_database())
    sync_bundled(store, [MINI_DECK])
    yield Tutor(store, clock=clock, tz=timezone.utc)
    store.dispose()


def test_postgres_export_matches_sqlite_after_a_round_trip(pg_tutor, clock, tmp_path):
    from cxotutor.export import import_progress, write_csv, write_json
    from cxotutor.store import open_store

    clock.now = clock.now.replace(microsecond=654321)
    reviews = study(pg_tutor, clock, days=3)
    pg = pg_tutor.store
    out = io.StringIO()
    write_json(pg, "local", out, now=clock(), tz=timezone.utc)
    doc = json.loads(out.getvalue())
    assert len(doc["reviews"]) == reviews

    lite = open_store(tmp_path / "lite.db")
    sync_bundled(lite, [MINI_DECK])
    assert import_progress(lite, read_document_from(doc)).reviews_added == reviews
    assert import_progress(pg, read_document_from(doc)).changed is False  # idempotent on PostgreSQL too

    pg_csv, lite_csv = io.StringIO(), io.StringIO()
    write_csv(pg, "local", pg_csv)
    write_csv(lite, "local", lite_csv)
    lite.dispose()
    assert pg_csv.getvalue() == lite_csv.getvalue()
    first = next(csv.DictReader(io.StringIO(pg_csv.getvalue())))
    assert first["review_time_ms"].endswith("654")
