"""Migrations: a database written by the first released schema (tests/data/schema-0001.db,
made by tests/data/make_schema_0001_db.py) opens with today's code with every row intact,
and any migration is preceded by a backup beside the file.

While 0001 is still the newest revision, the upgrade path is exercised with a temporary
extra revision (``t002``: adds a nullable column) in a copy of the migrations folder.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import cxotutor.store.db as db
from cxotutor.store import StoreError, open_store
from cxotutor.tutor import Tutor

from .replay import check_states_match_log, integrity, query

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "schema-0001.db"


def rows(path: Path, drop: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table but alembic_version, without the columns in ``drop``."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'")]
        found = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            keep = [i for i, d in enumerate(cursor.description) if d[0] not in drop]
            found[table] = sorted(tuple(row[i] for i in keep) for row in cursor)
        return found
    finally:
        conn.close()


def version(path: Path) -> str:
    return query(path, "SELECT version_num FROM alembic_version")[0][0]


@pytest.fixture
def old_db(tmp_path) -> Path:
    copy = tmp_path / "cxotutor.db"
    shutil.copy(FIXTURE, copy)
    return copy


def test_the_fixture_is_a_revision_0001_database():
    assert version(FIXTURE) == "0001"
    assert query(FIXTURE, "PRAGMA journal_mode")[0][0] == "delete"
    integrity(FIXTURE)
    counts = {table: len(found) for table, found in rows(FIXTURE).items()}
    assert counts["review"] == 11 and counts["card_state"] == 6 and counts["step_progress"] == 2 and counts["setting"] == 6


def test_revision_0001_still_makes_the_fixtures_schema(tmp_path):
    """Once released, 0001 must never change: a later schema change needs a new revision (and
    this fixture stays as the old learners' files are). Until the first release, amend 0001 and
    run tests/data/make_schema_0001_db.py again."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_schema_0001_db", FIXTURE.with_name("make_schema_0001_db.py"))
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    fresh = tmp_path / "fresh.db"
    maker.create_tables(fresh)
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert [tuple(r) for r in query(fresh, schema)] == [tuple(r) for r in query(FIXTURE, schema)]


def test_todays_code_opens_it_with_every_row_intact(old_db):
    before = rows(old_db)
    store = open_store(old_db)
    store.dispose()
    assert version(old_db) == db.HEAD
    after = rows(old_db)
    for table, found in before.items():  # later revisions may add columns; none may lose a row
        assert len(after[table]) == len(found), table
    if db.HEAD == "0001":
        assert after == before
        assert not list(old_db.parent.glob("*.bak")), "nothing to migrate, so nothing to back up"
    else:
        backups = list(old_db.parent.glob(f"cxotutor.db.before-{db.HEAD}.*.bak"))
        assert len(backups) == 1 and version(backups[0]) == "0001" and rows(backups[0]) == before
    integrity(old_db)
    for learner in (1, 2):
        check_states_match_log(old_db, learner)


def test_the_learner_carries_on_where_they_left_off(old_db):
    tutor = Tutor.open(db=old_db, sync=False)
    try:
        assert tutor.settings.new_per_day == 15 and tutor.settings.ui_language == "ja" and not tutor.settings.fuzz
        assert [(d.id, d.cards) for d in tutor.decks()] == [("mini", 3)]  # the removed deck stays hidden
        card = tutor.find_card("mini", "microservices-challenges")
        assert card.state == "relearning" and len(tutor.history(card.id)) == 4
        before = rows(old_db)
        tutor.rate(card.id, 3)
        tutor.undo()  # uses the 'before' JSON revision 0001 stored
        assert rows(old_db) == before
    finally:
        tutor.close()


EXTRA_REVISION = '''"""test only: a nullable column

Revision ID: t002
Revises: {down}
"""
from alembic import op
import sqlalchemy as sa

revision = "t002"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review") as batch_op:
        batch_op.add_column(sa.Column("note_t002", sa.Text(), nullable=True))
    {extra}


def downgrade() -> None:
    with op.batch_alter_table("review") as batch_op:
        batch_op.drop_column("note_t002")
'''


@pytest.fixture
def extra_revision(tmp_path, monkeypatch):
    """Today's migrations plus ``t002``, installed as the newest revision; returns a spy on the backup."""

    def install(extra: str = "") -> list[bool]:
        folder = tmp_path / "migrations"
        shutil.copytree(db.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "versions" / "t002_test_note.py").write_text(EXTRA_REVISION.format(down=db.HEAD, extra=extra))
        monkeypatch.setattr(db, "MIGRATIONS_DIR", folder)
        monkeypatch.setattr(db, "REVISIONS", (*db.REVISIONS, "t002"))
        monkeypatch.setattr(db, "HEAD", "t002")
        backed_up_first: list[bool] = []
        real_migrate = db._migrate

        def migrate(engine):
            backed_up_first.append(bool(list(tmp_path.glob("cxotutor.db.before-t002.*.bak"))))
            real_migrate(engine)

        monkeypatch.setattr(db, "_migrate", migrate)
        return backed_up_first

    return install


def test_an_upgrade_backs_up_first_and_keeps_every_row(old_db, extra_revision):
    backed_up_first = extra_revision()
    before = rows(old_db)
    open_store(old_db).dispose()
    assert backed_up_first == [True], "the backup must exist before the migration starts"
    assert version(old_db) == "t002"
    assert "note_t002" in [r[1] for r in query(old_db, "PRAGMA table_info(review)")]
    assert rows(old_db, drop=("note_t002",)) == before
    assert query(old_db, "SELECT count(*) FROM review WHERE note_t002 IS NOT NULL")[0][0] == 0
    integrity(old_db)
    [backup] = old_db.parent.glob("cxotutor.db.before-t002.*.bak")
    assert version(backup) == "0001" and rows(backup) == before
    open_store(old_db).dispose()  # already at the newest: no second backup
    assert len(list(old_db.parent.glob("*.bak"))) == 1


def test_a_failing_upgrade_changes_nothing(old_db, extra_revision):
    """A migration that breaks halfway is rolled back whole: old version, old rows, backup kept."""
    extra_revision(extra='op.execute("INSERT INTO no_such_table VALUES (1)")')
    before = rows(old_db)
    with pytest.raises(StoreError, match="no such table") as failed:
        open_store(old_db)
    assert "\n" not in str(failed.value)
    assert version(old_db) == "0001"
    assert "note_t002" not in [r[1] for r in query(old_db, "PRAGMA table_info(review)")]
    assert rows(old_db) == before
    integrity(old_db)
    assert len(list(old_db.parent.glob("cxotutor.db.before-t002.*.bak"))) == 1


def _pg_rows(url: str) -> dict[str, list[tuple]]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
            return {n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"')).all()), key=repr) for n in names}
    finally:
        engine.dispose()


def _pg_version(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def old_pg(postgres, tmp_path):
    """A PostgreSQL class database at today's schema with a learner's reviews, states and settings."""
    from datetime import datetime, timezone

    from cxotutor.library import sync_bundled

    url = postgres.new_database()
    store = open_store(url)
    sync_bundled(store, [Path(__file__).resolve().parents[1] / "data" / "mini.yaml"])
    tutor = Tutor(store, learner="aiko", clock=lambda: datetime(2026, 1, 5, 10, tzinfo=timezone.utc), tz=timezone.utc)
    for rating in (3, 4, 1):
        tutor.rate(tutor.next_card().id, rating, answer="答え")
    tutor.update_settings(new_per_day=7)
    store.dispose()
    return url


def test_an_upgrade_on_postgresql_keeps_every_row(old_pg, extra_revision):
    extra_revision()
    before = _pg_rows(old_pg)
    open_store(old_pg).dispose()
    assert _pg_version(old_pg) == "t002"
    after = _pg_rows(old_pg)
    assert {name: [row[:-1] for row in rows] for name, rows in after.items() if name == "review"} == {"review": before["review"]}
    assert {name: rows for name, rows in after.items() if name != "review"} == {n: r for n, r in before.items() if n != "review"}


def test_a_failing_upgrade_on_postgresql_changes_nothing(old_pg, extra_revision):
    extra_revision(extra='op.execute("INSERT INTO no_such_table VALUES (1)")')
    before = _pg_rows(old_pg)
    with pytest.raises(StoreError, match="no_such_table"):
        open_store(old_pg)
    assert _pg_version(old_pg) == "0001"  # DDL is transactional on PostgreSQL: rolled back whole
    assert _pg_rows(old_pg) == before
